//! Regexes and phrases from rule files.
//!
//! Matching runs on a copy of the normalized text whose line breaks are spaces, so
//! a pattern written with a space matches across a line break; whitespace runs are
//! already collapsed by normalization. Patterns are case-insensitive unless they
//! say otherwise with `(?-i)`.
//!
//! Word boundaries (`\b`, `\B`) and the word and digit classes (`\w`, `\W`,
//! `\d`, `\D`) are ASCII. A Unicode boundary is a look-around the regex crate's
//! fast DFA cannot run on non-ASCII text, so every "§" or "é" in a contract sent
//! the whole pattern set to the slow engine (10× slower, measured); a Unicode `\w`
//! is a class of ~770 ranges whose automaton took up to ~700 KB per pattern: the
//! default pack's 342 compiled patterns held 34 MB, 15 MB with ASCII classes
//! (measured). Normalized contract text is English and NFKC-folded, so the only
//! cost is that a non-ASCII letter is not a word character. `\p{L}` and friends
//! stay Unicode for whoever needs them.

use regex::{Regex, RegexBuilder};

use super::schema::PatternSpec;

/// A pattern that does not compile, with the byte offset of the problem inside it.
#[derive(Debug, Clone)]
pub(super) struct PatternError {
    pub offset: usize,
    pub message: String,
}

pub(super) fn compile(spec: &PatternSpec) -> Result<Regex, PatternError> {
    let written = match spec {
        PatternSpec::Regex(r) => r.clone(),
        PatternSpec::Phrase(p) => phrase_regex(&p.phrase),
    };
    let source = ascii_classes(&written);
    if source.is_empty() {
        return Err(PatternError { offset: 0, message: "empty pattern (it would match everywhere)".into() });
    }
    // Errors are located in the pattern as written, before the rewrite.
    if let Err(e) = regex_syntax::ParserBuilder::new().case_insensitive(true).build().parse(&written) {
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

/// Whether every match the pattern finds in a unit is also found, or overlapped,
/// by a search of the whole document — so one pass over the document can tell
/// which units to offer the rule. Not so for anchors (`^` is a unit's start, not
/// the document's) or patterns that can match nothing at all.
pub(super) fn unit_local(regex: &Regex) -> bool {
    use regex_syntax::hir::Look;
    let Ok(hir) = regex_syntax::Parser::new().parse(regex.as_str()) else {
        return false;
    };
    let edges = [Look::Start, Look::End, Look::StartLF, Look::EndLF, Look::StartCRLF, Look::EndCRLF];
    let props = hir.properties();
    !edges.iter().any(|&l| props.look_set().contains(l)) && props.minimum_len().is_some_and(|n| n > 0)
}

/// `\b` → `(?-u:\b)`, `\w` → `[0-9A-Za-z_]`, `\d` → `[0-9]` (and their negations),
/// leaving escaped backslashes alone. The classes are bracketed so they also
/// work nested inside a class written around them (`[\w-]`).
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str(r"(?-u:\b)"),
            Some('B') => out.push_str(r"(?-u:\B)"),
            Some('w') => out.push_str("[0-9A-Za-z_]"),
            Some('W') => out.push_str("[^0-9A-Za-z_]"),
            Some('d') => out.push_str("[0-9]"),
            Some('D') => out.push_str("[^0-9]"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
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
    fn word_boundaries_and_classes_become_ascii() {
        assert_eq!(ascii_classes(r"\brecoup\B\\b\d"), r"(?-u:\b)recoup(?-u:\B)\\b[0-9]");
        assert_eq!(ascii_classes(r"[\w-]+\W?\D\p{L}"), r"[[0-9A-Za-z_]-]+[^0-9A-Za-z_]?[^0-9]\p{L}");
        let r = compile(&PatternSpec::Regex(r"\bplan\b".into())).ok().unwrap();
        assert!(r.is_match("§ 4: the plan’s rates"));
        assert!(!r.is_match("planning"));
    }

    #[test]
    fn anchors_and_empty_matches_are_not_unit_local() {
        let local = |p: &str| unit_local(&compile(&PatternSpec::Regex(p.into())).ok().unwrap());
        assert!(local(r"\brecoup\w*\b.{0,80}months"));
        assert!(!local(r"^Section"));
        assert!(!local(r"(?m)fee schedule$"));
        assert!(!local(r"\b(?:plan)?\b"));
    }

    #[test]
    fn regex_errors_point_inside_the_pattern() {
        let e = compile(&PatternSpec::Regex(r"\brecoup(ment".into())).err().unwrap();
        assert_eq!(e.offset, 8);
        assert!(e.message.contains("unclosed group"), "{}", e.message);
    }
}
