//! Is a page's text layer text at all? A font without a Unicode map gives
//! shifted gibberish ("7KLV0DVWHU" for "This Master") or codes in order of first
//! use ("!\" #$ % &'&("); audited as text, such a page passes clean.
//!
//! Three measures, each with its threshold set from real text: 1,140 pages of
//! real agreements, manuals and statutes (the payer-dev excerpts and the CUAD
//! contracts cut in 3,000-character pages) against the same pages garbled both
//! ways. (1) Ill-formed tokens — neither a word, a number, an amount, a date, a
//! code nor a name or identifier — are at most 10% of a real page's tokens and
//! 61% or more of a code-order page's (1st percentile). (2) A shifted page keeps its
//! words' shapes but loses its common words and its vowels: under 3% of its
//! words are among the commonest words of agreements (real pages: 24% at the
//! 1st percentile; the lowest, 0.6%, a list of trade names) and over 3% of its
//! words of six letters or more have no vowel (real pages: at most 0.6%; a
//! rate table's acronyms are short). Both rules together flag no real page,
//! 98% of shifted pages and all but one of 1,077 code-order pages of 30
//! tokens or more; shorter pages are not judged. (3) A page of symbols only —
//! a font of few glyphs numbered from `!` — is gibberish when over half of its
//! tokens hold no letter or digit (real pages: at most 24%). (A manual's index of
//! identifiers like `asn1_der_coding` is real text: pieces with a lower-case
//! letter are well formed.)

/// Tokens a page needs before it is judged.
const MIN_TOKENS: usize = 30;
/// Share of tokens without a letter or digit above which a page is gibberish.
const MAX_SYMBOL_TOKENS: f64 = 0.5;
/// Share of ill-formed tokens above which a page is gibberish.
const MAX_ILL_FORMED: f64 = 0.30;
/// Words a page needs for the common-word measure, and words of six letters
/// or more for the vowel measure.
const MIN_WORDS: usize = 20;
const MIN_LONG_WORDS: usize = 10;
/// Share of common words below which, with vowel-less long words above
/// [`MIN_NO_VOWEL`], a page is shifted gibberish.
const MAX_COMMON: f64 = 0.03;
const MIN_NO_VOWEL: f64 = 0.03;

/// The commonest words of agreements and of English prose.
const COMMON: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "or",
    "any",
    "be",
    "by",
    "for",
    "shall",
    "is",
    "as",
    "with",
    "on",
    "that",
    "this",
    "such",
    "not",
    "are",
    "may",
    "will",
    "at",
    "from",
    "which",
    "an",
    "its",
    "it",
    "all",
    "other",
    "under",
    "if",
    "no",
    "each",
    "than",
    "within",
    "after",
    "upon",
    "have",
    "has",
    "been",
    "provider",
    "plan",
    "agreement",
    "services",
    "claims",
    "payment",
    "party",
    "parties",
    "section",
    "days",
    "date",
    "notice",
    "member",
    "members",
    "covered",
    "including",
    "without",
    "between",
    "prior",
    "written",
    "applicable",
    "required",
    "provided",
    "terms",
];

/// Whether `text` reads as gibberish rather than as language.
pub(super) fn garbled(text: &str) -> bool {
    // A font of few glyphs numbered from `!` reads as symbols only ("!\" #$
    // % &'&("): on real pages at most 24% of tokens hold no letter or digit
    // (a signature page of "By: ____"), on such a page over 90%.
    let raw: Vec<&str> = text.split_whitespace().collect();
    let symbols = raw.iter().filter(|w| !w.chars().any(char::is_alphanumeric)).count();
    if raw.len() >= MIN_TOKENS && symbols as f64 > MAX_SYMBOL_TOKENS * raw.len() as f64 {
        return true;
    }
    let tokens: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_start_matches(LEAD).trim_end_matches(TRAIL))
        .filter(|w| w.chars().any(|c| c.is_ascii_alphanumeric()))
        .collect();
    if tokens.len() < MIN_TOKENS {
        return false;
    }
    let ill = tokens.iter().filter(|w| !well_formed(w)).count();
    if ill as f64 > MAX_ILL_FORMED * tokens.len() as f64 {
        return true;
    }
    let words: Vec<&str> = tokens.iter().copied().filter(|w| w.chars().all(|c| c.is_ascii_alphabetic())).collect();
    let long: Vec<&&str> = words.iter().filter(|w| w.len() >= 6).collect();
    if words.len() < MIN_WORDS || long.len() < MIN_LONG_WORDS {
        return false;
    }
    let common = words.iter().filter(|w| COMMON.contains(&w.to_ascii_lowercase().as_str())).count();
    let no_vowel = long.iter().filter(|w| !w.chars().any(|c| "aeiouAEIOU".contains(c))).count();
    (common as f64) < MAX_COMMON * words.len() as f64 && no_vowel as f64 > MIN_NO_VOWEL * long.len() as f64
}

const LEAD: &[char] = &['(', '"', '\'', '[', '{', '<', '*', '\u{2022}', '\u{2018}', '\u{201c}'];
const TRAIL: &[char] = &[')', '"', '\'', '.', ',', ';', ':', '!', '?', ']', '}', '>', '*', '\u{2019}', '\u{201d}'];

/// A word (hyphens and apostrophes inside), a number or amount, a date or
/// section number, a code ("G0438", "2nd"), or a name or identifier.
fn well_formed(w: &str) -> bool {
    let pieces_of = |s: &str, seps: &[char]| s.split(seps).all(|p| !p.is_empty());
    let alpha = |s: &str| s.chars().all(|c| c.is_ascii_alphabetic());
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if w.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '\u{2019}' | '-')) {
        return w.chars().next().is_some_and(char::is_alphabetic);
    }
    let number = w.trim_start_matches('$').trim_end_matches('%');
    if number.starts_with(|c: char| c.is_ascii_digit())
        && number.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
    {
        return true;
    }
    if w.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | '-')) && pieces_of(w, &['.', '/', '-']) {
        return true;
    }
    let code = w.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let letters = w.len() - code.len();
    if (1..=3).contains(&letters) && !code.is_empty() {
        let tail = code.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if !tail.is_empty() && digits(tail) && code.len() - tail.len() <= 1 {
            return true;
        }
    }
    let head = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if !head.is_empty() && digits(head) && ["st", "nd", "rd", "th", "s"].contains(&&w[head.len()..]) {
        return true;
    }
    // Names and identifiers ("www.cms.gov", "asn1_der_coding"): alphanumeric
    // pieces joined by separators, letters and digits mixed only beside a
    // lower-case letter (garbled text has none: shifted letters come out as
    // capitals, code-order ones as symbols and digits).
    let seps = ['.', '-', '/', '@', '_', ':', '&'];
    let piece = |p: &str| {
        alpha(p)
            || digits(p)
            || (p.chars().all(|c| c.is_ascii_alphanumeric()) && p.chars().any(|c| c.is_ascii_lowercase()))
    };
    pieces_of(w, &seps) && w.split(seps).all(piece)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "6.2 Overpayments. Plan may recover any overpayment made to Group by offset against future \
        payments within twelve (12) months after the date of payment, except in the case of fraud. Plan shall \
        give Group written notice of the overpayment, with the claims, dates of service and amounts, and Group \
        may dispute the overpayment within forty-five (45) days after it receives the notice. Fees are set out \
        in Exhibit B at 95% of the 2026 Medicare fee schedule ($84.20 for CPT 99213, G0438 at $168.10).";

    fn shifted(text: &str) -> String {
        text.chars()
            .map(|c| if c.is_ascii_graphic() && c as u32 >= 62 { char::from(c as u8 - 29) } else { c })
            .collect()
    }

    fn code_order(text: &str) -> String {
        let mut seen: Vec<char> = Vec::new();
        text.chars()
            .map(|c| {
                if c.is_whitespace() {
                    return c;
                }
                let i = seen.iter().position(|&s| s == c).unwrap_or_else(|| {
                    seen.push(c);
                    seen.len() - 1
                });
                char::from(b'!' + u8::try_from(i % 90).unwrap_or(0))
            })
            .collect()
    }

    #[test]
    fn real_text_is_text() {
        assert!(!garbled(PAGE));
        assert!(!garbled(&PAGE.to_uppercase()));
        let table = "CPT Description Rate 99213 Office visit $84.20 99214 Office visit $121.50 ".repeat(6);
        assert!(!garbled(&table));
    }

    #[test]
    fn shifted_and_code_order_text_is_gibberish() {
        assert!(garbled(&shifted(PAGE)), "{}", shifted(PAGE));
        assert!(garbled(&code_order(PAGE)), "{}", code_order(PAGE));
    }

    #[test]
    fn a_page_of_symbols_is_gibberish() {
        let symbols: String =
            code_order(PAGE).chars().map(|c| if c.is_ascii_alphanumeric() { '#' } else { c }).collect();
        assert!(garbled(&symbols), "{symbols}");
        let signatures = "By: ________ Name: ________ Title: ________ Date: ________ ".repeat(8);
        assert!(!garbled(&signatures));
    }

    #[test]
    fn short_text_is_not_judged() {
        assert!(!garbled("7KLV 0DVWHU $JUHHPHQW"));
    }

    #[test]
    fn token_shapes() {
        for ok in [
            "Plan",
            "forty-five",
            "Member's",
            "$84.20",
            "95%",
            "6.2",
            "01/01/2026",
            "G0438",
            "2nd",
            "www.cms.gov",
            "I-9",
        ] {
            assert!(well_formed(ok), "{ok}");
        }
        for bad in ["7KLV0DVWHU", "#$%&'", "D8JK", "!\"#"] {
            assert!(!well_formed(bad), "{bad}");
        }
    }
}
