//! Regexes and phrases from rule files.
//!
//! Matching runs on a copy of the normalized text whose line breaks are spaces, so
//! a pattern written with a space matches across a line break; whitespace runs are
//! already collapsed by normalization. Patterns are case-insensitive unless they
//! say otherwise with `(?-i)`.

use regex::{Regex, RegexBuilder};

use super::schema::PatternSpec;

/// A pattern that does not compile, with the byte offset of the problem inside it.
#[derive(Debug, Clone)]
pub(super) struct PatternError {
    pub offset: usize,
    pub message: String,
}

pub(super) fn compile(spec: &PatternSpec) -> Result<Regex, PatternError> {
    let source = match spec {
        PatternSpec::Regex(r) => r.clone(),
        PatternSpec::Phrase(p) => phrase_regex(&p.phrase),
    };
    if source.is_empty() {
        return Err(PatternError { offset: 0, message: "empty pattern (it would match everywhere)".into() });
    }
    if let Err(e) = regex_syntax::ParserBuilder::new().case_insensitive(true).build().parse(&source) {
        let (offset, message) = match &e {
            regex_syntax::Error::Parse(p) => (p.span().start.offset, p.kind().to_string()),
            regex_syntax::Error::Translate(t) => (t.span().start.offset, t.kind().to_string()),
            other => (0, other.to_string()),
        };
        let offset = if matches!(spec, PatternSpec::Phrase(_)) { 0 } else { offset };
        return Err(PatternError { offset, message });
    }
    RegexBuilder::new(&source)
        .case_insensitive(true)
        .size_limit(4 << 20)
        .build()
        .map_err(|e| PatternError { offset: 0, message: e.to_string() })
}

/// Literal words, any whitespace between them, whole words at the ends.
fn phrase_regex(phrase: &str) -> String {
    let words: Vec<String> = phrase.split_whitespace().map(regex::escape).collect();
    if words.is_empty() {
        return String::new();
    }
    let word_char = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let lead = if word_char(phrase.trim().chars().next()) { r"\b" } else { "" };
    let tail = if word_char(phrase.trim().chars().last()) { r"\b" } else { "" };
    format!("{lead}{}{tail}", words.join(r"\s+"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::schema::PhraseSpec;

    #[test]
    fn phrases_match_across_whitespace_and_case() {
        let r = compile(&PatternSpec::Phrase(PhraseSpec { phrase: "sole discretion".into() })).ok().unwrap();
        assert!(r.is_match("in its Sole  Discretion"));
        assert!(!r.is_match("consoles discretionary"));
    }

    #[test]
    fn regex_errors_point_inside_the_pattern() {
        let e = compile(&PatternSpec::Regex(r"\brecoup(ment".into())).err().unwrap();
        assert_eq!(e.offset, 8);
        assert!(e.message.contains("unclosed group"), "{}", e.message);
    }
}
