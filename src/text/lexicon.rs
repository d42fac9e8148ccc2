//! Words of the quantity grammar (`grammar/quantity.pest`), read from the
//! grammar itself: the hand-written shortcuts around it — where a quantity can
//! start, which marks it needs, which hyphens normalization keeps — take their
//! words from here, so they cannot drift from what pest matches.
//!
//! Lives with the text because normalization needs the number words too
//! (it keeps "forty-⏎five" and "two-⏎hundred" whole); the quantity stage
//! reads the rest.

use std::sync::LazyLock;

const GRAMMAR: &str = include_str!("../../grammar/quantity.pest");

/// The first two words of a line: (`name`, `=`) where it defines a rule.
fn defines(line: &str) -> (Option<&str>, Option<&str>) {
    let mut words = line.split_whitespace();
    (words.next(), words.next())
}

/// The string literals of the grammar rule `name`, lower-cased, in order:
/// `word_tens` → ["twenty", "thirty", ...]. Comments are not read.
pub fn literals(name: &str) -> Vec<String> {
    let mut lines = GRAMMAR.lines().filter(|l| !l.trim_start().starts_with("//"));
    let Some(first) = lines.by_ref().find(|l| defines(l) == (Some(name), Some("="))) else {
        return Vec::new();
    };
    // A rule runs until the next line that defines another (`x = ...`).
    let mut body = first.split_once('=').map_or("", |(_, b)| b).to_string();
    for line in lines {
        if defines(line).1 == Some("=") {
            break;
        }
        body.push('\n');
        body.push_str(line);
    }
    body.split('"').skip(1).step_by(2).map(str::to_ascii_lowercase).collect()
}

/// Number words below a hundred, as the grammar's `word_unit`, `word_teen`
/// and `word_tens` list them, with "zero".
pub static SMALL_NUMBERS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut words = vec!["zero".to_string()];
    for rule in ["word_unit", "word_teen", "word_tens"] {
        words.extend(literals(rule));
    }
    words
});

/// The tens ("twenty" … "ninety", and the grammar's misspellings).
pub static TENS: LazyLock<Vec<String>> = LazyLock::new(|| literals("word_tens"));

/// Every word a number in words is made of: [`SMALL_NUMBERS`], "hundred", "thousand".
pub fn is_number_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    w == "hundred" || w == "thousand" || SMALL_NUMBERS.contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_read_whole_and_without_comments() {
        assert_eq!(TENS.first().map(String::as_str), Some("twenty"));
        assert!(TENS.iter().any(|t| t == "ninety") && TENS.iter().any(|t| t == "fourty"));
        assert_eq!(literals("word_unit").len(), 9);
        assert_eq!(literals("word_teen").len(), 10);
        // `month_name` spans three lines.
        assert_eq!(literals("month_name").len(), 12);
        assert_eq!(literals("percent_word"), ["percent", "per cent", "per-cent"]);
        assert!(literals("no_such_rule").is_empty());
        assert!(is_number_word("Hundred") && is_number_word("seven") && !is_number_word("tender"));
    }
}
