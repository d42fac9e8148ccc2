//! Numbers written in words, both ways: "one hundred eighty" ↔ 180.

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/// Misspellings the grammar accepts (`word_tens`), with their values.
const MISSPELLED: [(&str, u64); 1] = [("fourty", 40)];

/// The value of a number in words, up to the thousands ("a hundred and five" → 105).
pub fn words_value(s: &str) -> Option<f64> {
    let mut total = 0u64;
    let mut current = 0u64;
    let mut seen = false;
    for token in s.split(|c: char| c.is_whitespace() || c == '-').filter(|t| !t.is_empty()) {
        let t = token.to_ascii_lowercase();
        if let Some(n) = UNITS.iter().position(|u| *u == t) {
            current += n as u64;
        } else if let Some(n) = TENS.iter().position(|u| !u.is_empty() && *u == t) {
            current += 10 * n as u64;
        } else if let Some((_, n)) = MISSPELLED.iter().find(|(w, _)| *w == t) {
            current += n;
        } else if t == "hundred" {
            current = current.max(1) * 100;
        } else if t == "thousand" {
            total += current.max(1) * 1000;
            current = 0;
        } else if t == "a" {
            current = 1;
        } else if t != "and" {
            return None;
        }
        seen = true;
    }
    seen.then_some((total + current) as f64)
}

/// `n` in words, the inverse of [`words_value`] for 0..=999_999 ("thirty-six").
pub fn to_words(n: u32) -> String {
    fn below_thousand(n: u32, hyphen: bool, and: bool) -> String {
        let mut parts = Vec::new();
        if n >= 100 {
            parts.push(format!("{} hundred", UNITS[(n / 100) as usize]));
        }
        let rest = n % 100;
        if rest > 0 {
            if n >= 100 && and {
                parts.push("and".to_string());
            }
            if rest < 20 {
                parts.push(UNITS[rest as usize].to_string());
            } else if rest.is_multiple_of(10) {
                parts.push(TENS[(rest / 10) as usize].to_string());
            } else {
                let sep = if hyphen { "-" } else { " " };
                parts.push(format!("{}{sep}{}", TENS[(rest / 10) as usize], UNITS[(rest % 10) as usize]));
            }
        }
        parts.join(" ")
    }
    if n == 0 {
        return "zero".into();
    }
    let mut out = Vec::new();
    if n >= 1000 {
        out.push(format!("{} thousand", below_thousand(n / 1000, true, false)));
    }
    if !n.is_multiple_of(1000) {
        out.push(below_thousand(n % 1000, true, false));
    }
    out.join(" ")
}

#[cfg(test)]
mod grammar_words {
    use super::*;
    use crate::text::lexicon;

    /// Every word the grammar reads as a number has the value its rule says.
    #[test]
    fn every_number_word_of_the_grammar_has_its_value() {
        let ranges = [("word_unit", 1..=9), ("word_teen", 10..=19), ("word_tens", 20..=90)];
        for (rule, range) in ranges {
            let words = lexicon::literals(rule);
            assert!(!words.is_empty(), "{rule}");
            for w in words {
                let v = words_value(&w).unwrap_or_else(|| panic!("{rule}: `{w}` has no value"));
                assert!(range.contains(&(v as u64)), "{rule}: `{w}` = {v}");
                if rule == "word_tens" {
                    assert_eq!(v as u64 % 10, 0, "{w}");
                }
            }
        }
        assert_eq!(words_value("two hundred seventy"), Some(270.0));
    }
}
