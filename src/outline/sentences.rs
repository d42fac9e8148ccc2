//! Sentence boundaries inside a paragraph, as the grammar's `sentences` rule reads them.
//!
//! Running that rule over every paragraph cost ~1,260 instructions a byte (a pest
//! call per character of every word). [`split`] walks the paragraph the way the
//! rule does — a gap, then tokens until a `sentence_end` — and asks pest only
//! where the answer can differ: `abbreviation_token` at words with a period in
//! them, `sentence_end` at terminal punctuation. The grammar stays the authority
//! on both; a property test holds [`split`] equal to the whole rule.

use pest::Parser;

use super::label::{OutlineGrammar, Rule};
use crate::text::Span;

/// Sentence spans relative to `paragraph`, without surrounding whitespace.
pub(super) fn split(paragraph: &str) -> Vec<Span> {
    let bytes = paragraph.as_bytes();
    let mut spans = Vec::new();
    let mut at = 0;
    loop {
        at += bytes[at..].iter().take_while(|b| is_gap(**b)).count();
        if at == bytes.len() {
            break;
        }
        let start = at;
        let end = loop {
            if at == bytes.len() {
                break at;
            }
            if is_terminal(bytes[at]) {
                if let Some(len) = sentence_end(paragraph, at) {
                    if at == start {
                        // A sentence cannot open with its own end: the grammar rejects the paragraph.
                        return whole(paragraph);
                    }
                    break at + len;
                }
                // `terminal+` is greedy, so every later terminal of this run reaches the
                // same place and fails too; each is a one-character token.
                at += bytes[at..].iter().take_while(|b| is_terminal(**b)).count();
                continue;
            }
            at = token_end(paragraph, at);
        };
        // Unicode spaces are not gaps to the grammar, but no sentence starts or ends with one.
        let text = &paragraph[start..end];
        let lead = text.len() - text.trim_start().len();
        let trimmed = text.trim();
        if !trimmed.is_empty() {
            spans.push(Span::new(start + lead, start + lead + trimmed.len()));
        }
        at = end;
    }
    if spans.is_empty() { whole(paragraph) } else { spans }
}

/// The grammar's `token`: an abbreviation, else a `word`, else one character.
fn token_end(paragraph: &str, at: usize) -> usize {
    let rest = &paragraph.as_bytes()[at..];
    if may_open_abbreviation(rest)
        && let Some(len) = parsed_len(Rule::abbreviation_token, crate::text::window(paragraph, at, ABBREVIATION_REACH))
    {
        return at + len;
    }
    match rest.iter().position(|&b| ends_word(b)) {
        Some(0) => at + 1,
        Some(n) => at + n,
        None => paragraph.len(),
    }
}

/// Bytes an abbreviation and its look-ahead can read: the longest listed is 9.
const ABBREVIATION_REACH: usize = 32;

/// The grammar's `sentence_end` at a terminal: its length, if one is there.
/// Decided here when the text around it is ASCII (a period inside "7.2", or
/// followed by a comma, is most of a contract's periods); pest decides whether
/// a non-ASCII character can open a sentence.
fn sentence_end(paragraph: &str, at: usize) -> Option<usize> {
    let bytes = paragraph.as_bytes();
    let terminals = bytes[at..].iter().take_while(|&&b| is_terminal(b)).count();
    let closers = bytes[at + terminals..].iter().take_while(|&&b| is_closer(b)).count();
    let end = at + terminals + closers;
    let gaps = bytes[end..].iter().take_while(|&&b| is_gap(b)).count();
    match bytes.get(end + gaps) {
        None => Some(end - at),
        _ if gaps == 0 => None,
        Some(b) if b.is_ascii_alphanumeric() || b"\"'([".contains(b) => Some(end - at),
        Some(b) if b.is_ascii() => None,
        Some(_) => parsed_len(Rule::sentence_end, end_window(paragraph, at)),
    }
}

/// What `sentence_end` can read from a terminal at `at`: the run of terminals,
/// closers and gaps after it, and one more character (the opener).
fn end_window(paragraph: &str, at: usize) -> &str {
    let run = paragraph.as_bytes()[at..].iter().take_while(|&&b| is_terminal(b) || is_gap(b) || is_closer(b));
    let reach = run.count();
    crate::text::window(paragraph, at, reach + 1)
}

/// What an `abbreviation` needs: a letter, then "et ", or text up to its first
/// period that opens a listed abbreviation (ignoring ASCII case, as pest's `^"..."`
/// does). A sentence's last word ("days.", "Agreement.") is not worth asking pest about.
fn may_open_abbreviation(rest: &[u8]) -> bool {
    if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    if rest.len() >= 3 && rest[..2].eq_ignore_ascii_case(b"et") && rest[2] == b' ' {
        return true;
    }
    // No opening holds a gap, so text with one before its period matches none.
    let Some(period) = rest.iter().take(OPENINGS.longest).position(|&b| b == b'.') else {
        return false;
    };
    OPENINGS.list.iter().any(|o| o.as_bytes().eq_ignore_ascii_case(&rest[..=period]))
}

/// Each listed abbreviation up to its first period ("u.", "corp.", "approx."),
/// except those opening with "et ".
struct Openings {
    list: Vec<String>,
    /// Bytes of the longest: how far a period can be from a word's start.
    longest: usize,
}

static OPENINGS: std::sync::LazyLock<Openings> = std::sync::LazyLock::new(|| {
    let mut list: Vec<String> = listed_abbreviations()
        .into_iter()
        .filter(|a| !a.starts_with("et "))
        .filter_map(|a| Some(a[..=a.find('.')?].to_ascii_lowercase()))
        .collect();
    list.sort();
    list.dedup();
    let longest = list.iter().map(String::len).max().unwrap_or(0);
    Openings { list, longest }
});

/// The grammar's `abbreviation_list`, read from the grammar itself so the
/// splitter's shortcut cannot drift from the list pest matches.
fn listed_abbreviations() -> Vec<&'static str> {
    let grammar = include_str!("../../grammar/outline.pest");
    let list = grammar
        .split_once("abbreviation_list = _{")
        .and_then(|(_, rest)| rest.split_once("~ !ASCII_ALPHA"))
        .map_or("", |(list, _)| list);
    list.split("^\"").skip(1).filter_map(|s| Some(s.split_once('"')?.0)).collect()
}

fn parsed_len(rule: Rule, input: &str) -> Option<usize> {
    Some(OutlineGrammar::parse(rule, input).ok()?.next()?.as_span().end())
}

/// The grammar's `gap` characters.
fn is_gap(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The grammar's `terminal` characters.
fn is_terminal(b: u8) -> bool {
    matches!(b, b'.' | b'?' | b'!')
}

/// The grammar's `closer` characters.
fn is_closer(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b')' | b']')
}

/// The characters a grammar `word` stops at (all ASCII, so a word ends on a char boundary).
fn ends_word(b: u8) -> bool {
    is_gap(b) || is_terminal(b) || b == b'(' || b == b'"'
}

fn whole(paragraph: &str) -> Vec<Span> {
    let lead = paragraph.len() - paragraph.trim_start().len();
    let t = paragraph.trim();
    if t.is_empty() { Vec::new() } else { vec![Span::new(lead, lead + t.len())] }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The grammar's own reading: the whole `sentences` rule.
    fn reference_split(paragraph: &str) -> Vec<Span> {
        let Ok(pairs) = OutlineGrammar::parse(Rule::sentences, paragraph) else {
            return whole(paragraph);
        };
        let spans: Vec<Span> = pairs
            .filter(|p| p.as_rule() == Rule::sentence)
            .filter_map(|p| {
                let s = p.as_span();
                let text = s.as_str();
                let lead = text.len() - text.trim_start().len();
                let trimmed = text.trim();
                (!trimmed.is_empty()).then(|| Span::new(s.start() + lead, s.start() + lead + trimmed.len()))
            })
            .collect();
        if spans.is_empty() { whole(paragraph) } else { spans }
    }

    /// Every abbreviation the grammar lists, as written and in upper case.
    fn abbreviations() -> Vec<String> {
        let written: Vec<String> = listed_abbreviations().into_iter().map(String::from).collect();
        assert!(written.len() > 50, "{written:?}");
        assert!(written.iter().any(|a| a == "U.S.C.A.") && written.iter().any(|a| a == "Dec."), "{written:?}");
        assert!(written.iter().all(|a| a.len() + 2 < ABBREVIATION_REACH), "{written:?}");
        written.iter().flat_map(|a| [a.clone(), a.to_uppercase()]).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn split_reads_paragraphs_as_the_grammar_does(
            parts in proptest::collection::vec(prop_oneof![
                "[A-Za-z]{1,12}", "[0-9]{1,3}", "[ \t\n\r]{1,2}", "[.?!]{1,2}", "[\"')\\](\\[]",
                proptest::sample::select(abbreviations()), Just("et ".to_string()), Just("§".to_string()), Just("“É”".to_string()), Just("v.".to_string()),
                Just("a.m.".to_string()), Just("p.".to_string()), Just("\u{a0}".to_string()), Just("\u{2003}".to_string()),
            ], 0..40),
        ) {
            let paragraph: String = parts.concat();
            prop_assert_eq!(split(&paragraph), reference_split(&paragraph), "{:?}", paragraph);
        }
    }

    fn sentences(p: &str) -> Vec<&str> {
        split(p).into_iter().map(|s| &p[s.start..s.end]).collect()
    }

    #[test]
    fn splits_on_terminal_punctuation() {
        assert_eq!(
            sentences("Plan pays. Provider bills! Why? Because."),
            ["Plan pays.", "Provider bills!", "Why?", "Because."]
        );
    }

    #[test]
    fn survives_legal_abbreviations() {
        let p = "See 42 U.S.C. § 1320a-7b. Acme Health Plan, Inc. No. 5 applies, e.g. Sec. 4 and Dr. Smith. Next one.";
        assert_eq!(
            sentences(p),
            [
                "See 42 U.S.C. § 1320a-7b.",
                "Acme Health Plan, Inc. No. 5 applies, e.g. Sec. 4 and Dr. Smith.",
                "Next one."
            ]
        );
    }

    #[test]
    fn decimals_and_section_numbers_do_not_split() {
        assert_eq!(
            sentences("Under Section 7.2 payment is 1.5 times. Done."),
            ["Under Section 7.2 payment is 1.5 times.", "Done."]
        );
    }

    #[test]
    fn lowercase_after_period_does_not_split() {
        assert_eq!(
            sentences("Pay within 30 days i.e. promptly. Then stop."),
            ["Pay within 30 days i.e. promptly.", "Then stop."]
        );
    }

    #[test]
    fn a_megabyte_on_one_line_splits_in_one_pass() {
        // pest copies out the line a parse fails on; with the whole rest of the
        // paragraph as input that made this quadratic (minutes), now linear.
        let paragraph = "Plan pays 1.5 times the U.S. rate, e.g. for Dr. Smith... Then stops. ".repeat(15_000);
        let spans = split(&paragraph);
        assert_eq!(spans.len(), 30_000);
        assert_eq!(&paragraph[spans[1].start..spans[1].end], "Then stops.");
    }

    #[test]
    fn sentences_span_line_breaks() {
        assert_eq!(sentences("Plan may recover\noverpayments. Next"), ["Plan may recover\noverpayments.", "Next"]);
    }
}
