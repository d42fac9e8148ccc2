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

use std::fmt;
use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};
use regex_automata::nfa::thompson;
use regex_syntax::hir::Hir;

use super::automata::Automata;
use super::concepts::Vocabulary;
use super::schema::PatternSpec;
use crate::text::Span;

/// The most heap a pattern's forward automaton may take; a pattern over it is
/// refused when its file loads, before it can exhaust memory mid-audit.
const SIZE_LIMIT: usize = 4 << 20;

/// A rule pattern: checked when its file loads, compiled when first searched.
///
/// Compiling is most of a pack's load time and memory (the regex crate builds a
/// forward and a reverse automaton and its own prefilter for each pattern), and
/// most patterns of a pack are never searched in a given contract: the engine's
/// prefilter finds triggers without them, and `all`/`unless`/`near` patterns
/// run only in units a trigger matched. Loading proves the pattern parses and
/// its automaton fits [`SIZE_LIMIT`], so the later compile cannot fail. Clones
/// share one compiled regex and one set of automata ([`Automata`]), which
/// answer every search but groups.
#[derive(Clone)]
pub struct Pattern(Arc<Checked>);

struct Checked {
    source: Box<str>,
    names: Vec<String>,
    local: bool,
    /// The forward automaton checked at load, which the lazy DFA is built from.
    nfa: thompson::NFA,
    regex: OnceLock<Regex>,
    automata: OnceLock<Option<Automata>>,
}

impl Pattern {
    /// The pattern the regex is compiled from (after the ASCII class rewrite).
    pub fn as_str(&self) -> &str {
        &self.0.source
    }

    /// Its named groups, in order; known without compiling.
    pub fn names(&self) -> &[String] {
        &self.0.names
    }

    /// Whether every match the pattern finds in a unit is also found, or
    /// overlapped, by a search of the whole document — so one pass over the
    /// document can tell which units to offer the rule. Not so for anchors (`^` is
    /// a unit's start, not the document's) or patterns that can match nothing.
    pub fn unit_local(&self) -> bool {
        self.0.local
    }

    /// Its lazy DFAs, built on first use; `None` if they cannot be (the caller
    /// searches with the regex).
    pub fn automata(&self) -> Option<&Automata> {
        self.0.automata.get_or_init(|| Automata::build(self.0.nfa.clone())).as_ref()
    }

    /// Whether the pattern matches anywhere in `haystack`, as [`Regex::is_match`] says.
    pub fn is_match(&self, haystack: &str) -> bool {
        self.automata().and_then(|a| a.is_match(haystack)).unwrap_or_else(|| self.regex().is_match(haystack))
    }

    /// The first match in `haystack`, as [`Regex::find`] finds it.
    pub fn first(&self, haystack: &str) -> Option<Span> {
        self.automata()
            .and_then(|a| a.first(&self.0.source, haystack))
            .unwrap_or_else(|| self.regex().find(haystack).map(|m| Span::new(m.start(), m.end())))
    }

    /// Every match in `haystack`, as [`Regex::find_iter`] finds them.
    pub fn spans(&self, haystack: &str) -> Vec<Span> {
        self.automata()
            .and_then(|a| a.spans(&self.0.source, haystack))
            .unwrap_or_else(|| self.regex().find_iter(haystack).map(|m| Span::new(m.start(), m.end())).collect())
    }

    /// The regex crate's full regex, built on first call: for named groups,
    /// which the automata do not resolve. Every other search goes through the
    /// methods above, which build far less.
    pub fn regex(&self) -> &Regex {
        self.0.regex.get_or_init(|| {
            // No size limit here: the forward automaton was held to SIZE_LIMIT at
            // load, and the reverse one is a small multiple of it; with the syntax
            // already accepted by the same parser settings, building cannot fail.
            RegexBuilder::new(&self.0.source)
                .case_insensitive(true)
                .size_limit(usize::MAX)
                .build()
                .unwrap_or_else(|e| unreachable!("a pattern checked at load compiles: {e}"))
        })
    }

    /// Whether a search built anything: the automata or the regex.
    #[cfg(test)]
    pub(crate) fn is_compiled(&self) -> bool {
        self.0.automata.get().is_some() || self.is_regex_built()
    }

    #[cfg(test)]
    pub(crate) fn is_regex_built(&self) -> bool {
        self.0.regex.get().is_some()
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.as_str()).finish()
    }
}

/// A pattern that does not compile, with the byte range of the problem inside it.
#[derive(Debug, Clone)]
pub(super) struct PatternError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: Option<String>,
}

impl PatternError {
    fn at(offset: usize, message: String) -> PatternError {
        PatternError { offset, len: 1, message, help: None }
    }
}

/// Checks a pattern as written, its concept references expanded from `vocabulary`.
pub(super) fn compile(spec: &PatternSpec, vocabulary: &Vocabulary) -> Result<Pattern, PatternError> {
    let written = match spec {
        PatternSpec::Regex(r) => r.clone(),
        PatternSpec::Phrase(p) => phrase_regex(&p.phrase),
    };
    let expanded = vocabulary.expand(&written).map_err(|e| PatternError {
        offset: e.offset,
        len: e.len,
        message: e.message,
        help: e.help,
    })?;
    let source = ascii_classes(&expanded);
    if source.is_empty() {
        return Err(PatternError::at(0, "empty pattern (it would match everywhere)".into()));
    }
    let Ok(hir) = parser().parse(&source) else {
        return Err(located(spec, &written));
    };
    // Compiled as the lazy DFA compiles it (no groups: a DFA cannot use them),
    // and kept for it: compiling the automaton twice was ~15% of a CLI run.
    // One compiler a thread: a new one allocates a 10,000-entry map for its
    // first non-ASCII class, which was a third of loading the default pack.
    thread_local! {
        static COMPILER: thompson::Compiler = {
            let mut compiler = thompson::Compiler::new();
            compiler.configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(SIZE_LIMIT))
                    .shrink(false)
                    .which_captures(thompson::WhichCaptures::None),
            );
            compiler
        };
    }
    let nfa = COMPILER
        .with(|c| c.build_from_hir(&hir).map_err(|e| e.to_string()))
        .map_err(|e| PatternError::at(0, format!("the pattern is too large: {e}")))?;
    let mut names = Vec::new();
    group_names(&hir, &mut names);
    Ok(Pattern(Arc::new(Checked {
        source: source.into(),
        names,
        local: unit_local(&hir),
        nfa,
        regex: OnceLock::new(),
        automata: OnceLock::new(),
    })))
}

/// With the regex crate's settings for a rule pattern.
fn parser() -> regex_syntax::Parser {
    regex_syntax::ParserBuilder::new().case_insensitive(true).build()
}

/// The error of a pattern that does not parse, located in the pattern as
/// written (before the ASCII rewrite, each concept reference standing for a
/// group of its own length); a phrase's error is at its start.
fn located(spec: &PatternSpec, written: &str) -> PatternError {
    let placeheld = hold_places(written);
    let (offset, message) = match parser().parse(&placeheld) {
        Err(regex_syntax::Error::Parse(p)) => (p.span().start.offset, p.kind().to_string()),
        Err(regex_syntax::Error::Translate(t)) => (t.span().start.offset, t.kind().to_string()),
        Err(other) => (0, other.to_string()),
        Ok(_) => (0, "the pattern does not parse once `\\b`, `\\w` and `\\d` are made ASCII".into()),
    };
    let offset = if matches!(spec, PatternSpec::Phrase(_)) { 0 } else { offset };
    PatternError::at(offset, message)
}

/// `(?&name)` → `(?:xxxx)` of the same length, so offsets in the pattern as
/// written stay right when it is parsed without its concepts.
fn hold_places(written: &str) -> String {
    let mut out = String::with_capacity(written.len());
    let mut rest = written;
    while let Some(i) = rest.find("(?&") {
        let escaped = rest[..i].ends_with('\\') && !rest[..i].ends_with("\\\\");
        let Some(end) = rest[i..].find(')').map(|e| i + e).filter(|_| !escaped) else {
            out.push_str(&rest[..i + 3]);
            rest = &rest[i + 3..];
            continue;
        };
        out.push_str(&rest[..i]);
        out.push_str("(?:");
        out.push_str(&"x".repeat(end - i - 3));
        out.push(')');
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Named groups in the order they open, as the regex numbers them.
fn group_names(hir: &Hir, out: &mut Vec<String>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => {
            out.extend(c.name.as_deref().map(String::from));
            group_names(&c.sub, out);
        }
        HirKind::Repetition(r) => group_names(&r.sub, out),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().for_each(|h| group_names(h, out)),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}

fn unit_local(hir: &Hir) -> bool {
    use regex_syntax::hir::Look;
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
pub(super) fn phrase_regex(phrase: &str) -> String {
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
mod tests;
