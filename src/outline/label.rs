//! Clause labels at the start of a line, and whether what follows is a title.

use pest::Parser;
use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "../grammar/outline.pest"]
pub(super) struct OutlineGrammar;

/// What kind of label opened a section; decides how sections nest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    /// Exhibit, Schedule, Attachment, Appendix, Addendum, Amendment, Rider.
    Attachment,
    /// ARTICLE IV
    Article,
    /// An all-caps heading without a label.
    Title,
    /// An all-caps line in the document's opening block (its name and kind): it
    /// labels the preamble but is not the parent of the sections that follow.
    TitleBlock,
    /// 7, 7.2, 7.2.1 (the depth is the number of components).
    Number(u8),
    ParenLower,
    ParenUpper,
    ParenRoman,
    ParenDigit,
    DotLower,
    DotUpper,
    DotRoman,
}

impl LabelKind {
    /// Lettered and parenthesized items, which may follow a line ending "; and".
    pub(super) fn is_item(self) -> bool {
        !matches!(
            self,
            LabelKind::Attachment
                | LabelKind::Article
                | LabelKind::Title
                | LabelKind::TitleBlock
                | LabelKind::Number(_)
        )
    }

    /// The alphabetic style a roman-numeral style may really be ("(i)" after "(h)").
    pub(super) fn alphabetic_twin(self) -> Option<LabelKind> {
        match self {
            LabelKind::ParenRoman => Some(LabelKind::ParenLower),
            LabelKind::DotRoman => Some(LabelKind::DotUpper),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub kind: LabelKind,
    /// The label as written, trimmed: "7.2", "(a)", "ARTICLE IV", "Exhibit B".
    pub text: String,
    /// Bytes of the line the label takes.
    pub len: usize,
}

impl Label {
    /// The label at the start of `line`, if there is one.
    pub fn parse(line: &str) -> Option<Label> {
        if !may_open(line) {
            return None;
        }
        Self::parse_whole(reach(line))
    }

    /// The `heading` rule on all of `line`: what [`Label::parse`] reads from less.
    fn parse_whole(line: &str) -> Option<Label> {
        let pair = OutlineGrammar::parse(Rule::heading, line).ok()?.next()?;
        let inner = pair.into_inner().next()?;
        let text = inner.as_str().trim_end_matches(':').to_string();
        let len = inner.as_span().end();
        let kind = match inner.as_rule() {
            Rule::article => LabelKind::Article,
            Rule::attachment => LabelKind::Attachment,
            Rule::section | Rule::numbered => {
                let digits = text.trim_start_matches(|c: char| !c.is_ascii_digit());
                let depth = digits.trim_end_matches('.').split('.').count();
                // "SECTION 4" is a top-level division, like an article; "Section 4.2" is not.
                if inner.as_rule() == Rule::section && depth == 1 {
                    LabelKind::Article
                } else {
                    LabelKind::Number(u8::try_from(depth).unwrap_or(u8::MAX))
                }
            }
            Rule::paren => paren_kind(Self::id_of(&text))?,
            Rule::lettered => {
                let id = Self::id_of(&text);
                if is_roman(id) && id.chars().all(|c| c.is_ascii_uppercase()) {
                    LabelKind::DotRoman
                } else if id.chars().all(|c| c.is_ascii_uppercase()) {
                    LabelKind::DotUpper
                } else {
                    LabelKind::DotLower
                }
            }
            _ => return None,
        };
        Some(Label { kind, text, len })
    }

    /// The identifier inside a label: "(iv)" → "iv", "A." → "A".
    pub(super) fn id_of(label: &str) -> &str {
        label.trim_matches(|c: char| c == '(' || c == ')' || c == '.')
    }

    pub(super) fn id(&self) -> &str {
        Self::id_of(&self.text)
    }
}

/// Whether `heading` can match at the start of `line`, decided without pest
/// for a line opening with a word of ASCII letters (most lines of prose): a
/// label opens with such a word only when it is one of the grammar's keywords
/// ("Article", "Exhibit", "Sec."), or is at most four letters before `)`, or one
/// letter or a roman numeral before `.`. Anything else is left to pest.
fn may_open(line: &str) -> bool {
    let bytes = line.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 {
        return true;
    }
    let word = &bytes[..letters];
    match bytes.get(letters) {
        Some(b')') if letters <= 4 => return true,
        Some(b'.') if letters == 1 || word.iter().all(|b| b"IVXL".contains(b)) => return true,
        _ => {}
    }
    KEYWORDS.iter().any(|k| k.as_bytes().eq_ignore_ascii_case(word))
}

/// The words a heading's literals open with, read from the grammar itself so
/// [`may_open`] cannot drift from what pest matches: "article", "exhibit",
/// "sec" (of "sec."), ...
static KEYWORDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    let grammar = include_str!("../../grammar/outline.pest");
    let headings = grammar.split_once("// ---- headings").and_then(|(_, rest)| rest.split_once("// ---- sentences"));
    // Comments quote examples ("Exhibit B"); only the rules' own literals count.
    let rules: String = headings
        .map_or("", |(rules, _)| rules)
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut words: Vec<String> = rules
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|literal| literal.chars().take_while(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words.dedup();
    words
});

/// The start of a line a label can take: its first three words, space or tab
/// separated ("Amendment No. 3" is the longest). A label ending with the third
/// word is followed by a space or the end of the line, both of which `heading`'s
/// look-ahead accepts, so the end of this text reads the same. Most lines hold
/// no label, and pest copies out the text it fails on: a paragraph written as
/// one line cost its length at every paragraph.
fn reach(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut at = 0;
    for _ in 0..3 {
        at += bytes[at..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
        at += bytes[at..].iter().take_while(|&&b| b != b' ' && b != b'\t').count();
    }
    // Space and tab are ASCII, so `at` is a char boundary.
    line.get(..at).unwrap_or(line)
}

fn paren_kind(id: &str) -> Option<LabelKind> {
    if id.chars().all(|c| c.is_ascii_digit()) {
        Some(LabelKind::ParenDigit)
    } else if is_roman(&id.to_ascii_lowercase()) && id.chars().all(|c| c.is_ascii_lowercase()) {
        Some(LabelKind::ParenRoman)
    } else if id.len() <= 2 && id.chars().all(|c| c.is_ascii_lowercase()) {
        Some(LabelKind::ParenLower)
    } else if id.len() <= 2 && id.chars().all(|c| c.is_ascii_uppercase()) {
        Some(LabelKind::ParenUpper)
    } else {
        None
    }
}

fn is_roman(id: &str) -> bool {
    const ROMANS: [&str; 20] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii",
        "xviii", "xix", "xx",
    ];
    ROMANS.contains(&id.to_ascii_lowercase().as_str())
}

const SMALL_WORDS: &[&str] =
    &["of", "and", "the", "to", "for", "in", "on", "or", "a", "an", "by", "with", "as", "at", "under", "from"];

/// Words that make a capitalised line a sentence (contracts set limitation
/// clauses in capitals) rather than a title.
const SENTENCE_WORDS: &[&str] = &[
    "SHALL",
    "WILL",
    "MAY",
    "MUST",
    "IS",
    "ARE",
    "BE",
    "HEREBY",
    "NOT",
    "WOULD",
    "CAN",
    "CANNOT",
    "DO",
    "DOES",
    "HAS",
    "HAVE",
    "REQUIRE",
    "REQUIRES",
    "WAIVE",
    "WAIVES",
    "AGREE",
    "AGREES",
    "ACKNOWLEDGE",
    "ACKNOWLEDGES",
];

/// Words a title never ends with: a line ending so runs on into the next.
const RUN_ON_WORDS: &[&str] = &["AND", "OR", "OF", "THE", "TO", "FOR", "EXCEPT", "IN", "WITH", "BY", "A", "AN"];

/// A short line in capitals: "RECITALS", "TERM AND TERMINATION", "ACME HEALTH PLAN, INC."
/// — but not "IN NO EVENT SHALL EITHER PARTY BE", the first line of a clause in capitals.
pub(super) fn is_caps_title(line: &str) -> bool {
    // Asked of every paragraph's first line: most fail at their first lower-case
    // letter, so that is checked before anything reads the whole line.
    let mut letters = line.chars().filter(|c| c.is_alphabetic());
    if !letters.clone().all(char::is_uppercase) || letters.nth(2).is_none() {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().take(13).collect();
    let sentence = words.len() >= 4
        && words.iter().any(|w| SENTENCE_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphabetic())));
    let runs_on = words.len() >= 2 && words.last().is_some_and(|w| RUN_ON_WORDS.contains(w));
    words.len() <= 12 && !sentence && !runs_on && !line.ends_with(',')
}

/// A short heading in sentence case after a label, "Submitting claims": a
/// title when nothing follows it on its line and a blank line comes next (the
/// caller checks that), not a clause cut short by a line break.
pub(super) fn sentence_title(rest: &str) -> Option<String> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let upper = |w: &&str| w.trim_matches(|c: char| !c.is_alphabetic()).to_ascii_uppercase();
    let sentence = words.iter().any(|w| SENTENCE_WORDS.contains(&upper(w).as_str()));
    let runs_on = words.last().is_some_and(|w| RUN_ON_WORDS.contains(&upper(w).as_str()));
    let capital = rest.chars().next().is_some_and(char::is_uppercase);
    let open = !rest.ends_with(['.', ';', ':', ',', ')']);
    (capital && open && (1..=7).contains(&words.len()) && !sentence && !runs_on).then(|| rest.to_string())
}

/// A run-in title after a label, and whether the line holds nothing else.
/// "OVERPAYMENTS" → (title, true); "Overpayments. Plan may…" → ("Overpayments", false).
pub(super) fn title(rest: &str) -> (Option<String>, bool) {
    if rest.is_empty() {
        return (None, true);
    }
    if is_caps_title(rest) {
        return (Some(rest.trim_end_matches(['.', ':']).trim().to_string()), true);
    }
    let cut = rest.find(". ").or_else(|| rest.find(": ")).unwrap_or(rest.len());
    let candidate = rest[..cut].trim_end_matches(['.', ':']).trim();
    let words: Vec<&str> = candidate.split_whitespace().collect();
    let title_case = !words.is_empty()
        && words.len() <= 10
        && words.iter().enumerate().all(|(i, w)| {
            let first = w.trim_start_matches(['"', '(', '\'']).chars().next();
            first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || (i > 0 && SMALL_WORDS.contains(&w.to_lowercase().as_str()))
        });
    if !title_case {
        return (None, false);
    }
    let whole = cut == rest.len();
    if whole && !rest.ends_with(['.', ':']) && words.len() > 6 {
        return (None, false);
    }
    (Some(candidate.to_string()), whole)
}

/// Whether a line ends a thought, so the next line may open a new block.
pub(super) fn closes_thought(line: &str) -> bool {
    let t = line.trim_end().trim_end_matches(['"', '\'', ')']);
    t.ends_with(['.', ':', ';', '!', '?']) || t.is_empty()
}

/// Whether a line ends the way a list item before another item does: "; and", "; or", ",".
pub(super) fn continues_list(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with(',') || t.ends_with(" and") || t.ends_with(" or") || t.ends_with("and/or")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn heading_keywords_are_read_from_the_rules_not_their_comments() {
        let expected = "addendum amendment appendix article attachment exhibit i l no rider schedule sec section v x";
        assert_eq!(KEYWORDS.join(" "), expected);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        /// Reading only the first three words, and only where a label can open,
        /// finds the label `heading` finds in the whole line.
        #[test]
        fn a_label_is_read_from_the_first_words(
            words in proptest::collection::vec(prop_oneof![
                Just("ARTICLE"), Just("Article"), Just("IV"), Just("7"), Just("7.2"), Just("7.2.1."), Just("Section"),
                Just("Sec."), Just("§"), Just("Exhibit"), Just("Amendment"), Just("No."), Just("No.3"), Just("A-1"),
                Just("3:"), Just("(a)"), Just("iv)"), Just("B."), Just("XII."), Just("Provider"), Just("shall"),
                Just("é"), Just("7.2abc"), Just("B"), Just("Exhibits"), Just("ab)"), Just("viii)"), Just("abcde)"), Just("XL."), Just("IVX."),
                Just("Ab."), Just("sec."), Just("Section7"), Just("RIDER"), Just("Rider:"), Just("x."), Just("iv."),
                Just("Schedule"), Just("appendix"), Just("Addendum"), Just("Attachment"), Just("A"), Just("C-2"),
            ], 0..6),
            seps in proptest::collection::vec(prop_oneof![Just(" "), Just("\t"), Just("  "), Just(" \t ")], 6),
        ) {
            let line: String = words.iter().zip(&seps).map(|(w, s)| format!("{w}{s}")).collect();
            for line in [line.as_str(), line.trim_end()] {
                prop_assert!(may_open(line) || Label::parse_whole(line).is_none(), "{:?}", line);
                prop_assert_eq!(Label::parse(line), Label::parse_whole(line), "{:?}", line);
            }
        }
    }
}
