//! Sentence boundaries inside a paragraph, from the grammar's `sentences` rule.

use pest::Parser;

use super::label::{OutlineGrammar, Rule};
use crate::text::Span;

/// Sentence spans relative to `paragraph`, without surrounding whitespace.
pub(super) fn split(paragraph: &str) -> Vec<Span> {
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

fn whole(paragraph: &str) -> Vec<Span> {
    let lead = paragraph.len() - paragraph.trim_start().len();
    let t = paragraph.trim();
    if t.is_empty() { Vec::new() } else { vec![Span::new(lead, lead + t.len())] }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn sentences_span_line_breaks() {
        assert_eq!(sentences("Plan may recover\noverpayments. Next"), ["Plan may recover\noverpayments.", "Next"]);
    }
}
