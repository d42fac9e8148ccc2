//! A red flag found in a document, with everything needed to cite it.
//!
//! A leaf: the engine makes findings, waivers mark them, reports print them,
//! and this module imports nothing of theirs (only [`Span`]), so any stage
//! may hold a finding without reaching into another.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::text::Span;

/// A long contract holds thousands of findings, so the strings every finding
/// of a rule repeats (its id, category and title) and a section's path are shared
/// rather than copied into each one.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The id of the rule that made it.
    pub rule: Arc<str>,
    /// The rule's category.
    pub category: Arc<str>,
    /// How much it costs the practice.
    pub severity: Severity,
    /// The rule's title.
    pub title: Arc<str>,
    /// What the rule read here, said.
    pub message: String,
    /// The clause (sentence) the finding is about, in the normalized text.
    pub span: Span,
    /// What to underline inside it: the quantity read, or the trigger.
    pub highlight: Span,
    /// A label for the highlight, e.g. "36 months (1,095 days)".
    pub label: Option<String>,
    /// The page of the highlight (1-based).
    pub page: u32,
    /// The line of the clause in the normalized text (1-based).
    pub line: u32,
    /// The line of the highlight on its page (1-based): "page 60, line 12".
    pub page_line: u32,
    /// Section path from the top, e.g. ["6 OVERPAYMENTS", "6.2"].
    pub section: Arc<[String]>,
    /// The clause's words, one space apart, shortened when long.
    pub excerpt: String,
    /// The values the rule read.
    pub facts: Facts,
    /// What a waiver names it by.
    pub fingerprint: Fingerprint,
    /// Accepted by a waiver: still reported, no longer failing. Boxed: few
    /// findings are waived, and every finding would carry its room.
    pub waived: Option<Box<Waived>>,
}

impl Finding {
    /// The section path as every report prints it: "6 OVERPAYMENTS ▸ 6.2".
    pub fn section_text(&self) -> String {
        self.section.join(" ▸ ")
    }
}

/// How much a finding costs the practice; ordered, so `>=` compares thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Noted for review; costs nothing by itself.
    Info,
    /// A small cost or a term worth knowing.
    Low,
    /// Worth negotiating.
    Medium,
    /// Costs the practice money or control; negotiate before signing.
    High,
    /// Do not sign as written.
    Critical,
}

impl Severity {
    /// Most severe first.
    pub const ALL: [Severity; 5] =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info];

    /// The name reports and rule files use.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a waiver says of the finding it accepts, as reports show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Waived {
    /// Why the finding was accepted.
    pub reason: String,
    /// Who accepted it.
    pub accepted_by: String,
    /// When the acceptance lapses, as written (`YYYY-MM-DD`).
    pub expires: Option<String>,
}

/// Values a rule read (`days`, `year`, `percent`, `amount`, ...), sorted by name.
/// A finding holds one to three: a sorted vector, because a map's first node
/// alone is ~600 bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts(Vec<(Cow<'static, str>, Fact)>);

impl Facts {
    /// No facts.
    pub fn new() -> Facts {
        Facts::default()
    }

    /// Sets `name`, replacing an earlier value as a map would.
    pub fn insert(&mut self, name: impl Into<Cow<'static, str>>, value: Fact) {
        let name = name.into();
        match self.0.binary_search_by(|(k, _)| k.as_ref().cmp(name.as_ref())) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&Fact> {
        self.0.binary_search_by(|(k, _)| k.as_ref().cmp(name)).ok().map(|i| &self.0[i].1)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// (name, value), in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Fact)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Gives back the room insertion left over, for facts kept long.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

#[derive(Debug, Clone, PartialEq)]
/// One value a rule read.
pub enum Fact {
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Number(f64),
    /// Text (a jurisdiction, a date).
    Text(String),
}

impl Fact {
    /// Whole numbers print without a fraction.
    pub fn number(n: f64) -> Fact {
        if n.fract() == 0.0 && n.abs() < 1e15 { Fact::Int(n as i64) } else { Fact::Number(n) }
    }
}

impl std::fmt::Display for Fact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fact::Int(i) => write!(f, "{i}"),
            Fact::Number(n) => write!(f, "{n}"),
            Fact::Text(t) => f.write_str(t),
        }
    }
}

/// How a waiver names a finding: the first 8 bytes of a SHA-256, written as 16
/// lower-case hex digits in every report. Kept as the number: a string is 56
/// bytes per finding with its allocation, and long contracts have thousands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Fingerprint(u64);

impl Fingerprint {
    /// Whether `written` (from a waiver file) is this fingerprint as reports print it.
    pub fn is(&self, written: &str) -> bool {
        written.len() == 16
            && written.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            && u64::from_str_radix(written, 16) == Ok(self.0)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// Stable across page and line moves: the rule and the clause's words,
/// lower-cased and one space apart, hashed once.
pub fn fingerprint(rule: &str, clause: &str) -> Fingerprint {
    let mut bytes = String::with_capacity(rule.len() + 1 + clause.len());
    bytes.push_str(rule);
    bytes.push('\0');
    push_words(&mut bytes, clause, true);
    let digest = Sha256::digest(bytes.as_bytes());
    let mut first = [0; 8];
    first.copy_from_slice(&digest[..8]);
    Fingerprint(u64::from_be_bytes(first))
}

/// The clause's words one space apart, lower-cased if asked: what an excerpt
/// shows and a fingerprint hashes. Every finding needs both, so an ASCII
/// clause (nearly all) is split on ASCII whitespace and lower-cased in one
/// pass; any other goes through Unicode whitespace and lower-casing.
pub(crate) fn push_words(out: &mut String, clause: &str, lower: bool) {
    if clause.is_ascii() {
        let from = out.len();
        // `char::is_whitespace` over ASCII, vertical tab included.
        let words = clause.split([' ', '\t', '\n', '\x0B', '\x0C', '\r']).filter(|w| !w.is_empty());
        for (i, word) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
        if lower {
            out[from..].make_ascii_lowercase();
        }
    } else {
        for (i, word) in clause.split_whitespace().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            if lower {
                out.push_str(&word.to_lowercase());
            } else {
                out.push_str(word);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte-by-byte path gives what the word-by-word definition does.
        #[test]
        fn ascii_clauses_hash_their_lower_cased_words(clause in "[ -~\t\n\r\x0B\x0C]{0,40}") {
            let mut spaced = String::new();
            push_words(&mut spaced, &clause, false);
            proptest::prop_assert_eq!(&spaced, &clause.split_whitespace().collect::<Vec<_>>().join(" "));
            let words: Vec<String> = clause.split_whitespace().map(str::to_lowercase).collect();
            let digest = Sha256::digest(format!("r\u{0}{}", words.join(" ")).as_bytes());
            let expected: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            proptest::prop_assert_eq!(fingerprint("r", &clause).to_string(), expected);
        }
    }

    #[test]
    fn facts_keep_one_value_per_name_in_name_order() {
        let mut facts = Facts::new();
        facts.insert("year", Fact::Int(2019));
        facts.insert(String::from("days"), Fact::Int(30));
        facts.insert("percent", Fact::Int(95));
        facts.insert("days", Fact::Int(1095));
        assert_eq!(facts.len(), 3);
        assert_eq!(facts.get("days"), Some(&Fact::Int(1095)));
        assert_eq!(facts.get("amount"), None);
        let names: Vec<&str> = facts.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["days", "percent", "year"]);
    }

    #[test]
    fn fingerprints_ignore_layout() {
        assert_eq!(
            fingerprint("r", "Plan may\nrecover  overpayments"),
            fingerprint("r", "plan may recover overpayments")
        );
        assert_ne!(fingerprint("r", "a"), fingerprint("s", "a"));
        // Pinned: waiver files store fingerprints, so the hash may never change.
        let joined = Sha256::digest("r\u{0}ΣΊΣΥΦΟΣ may recover".to_lowercase().as_bytes());
        let expected: String = joined.iter().take(8).map(|b| format!("{b:02x}")).collect();
        let print = fingerprint("r", " ΣΊΣΥΦΟΣ  MAY\nrecover ");
        assert_eq!(print.to_string(), expected);
        assert_eq!(print.to_string(), expected);
        assert!(print.is(&expected));
        assert!(
            !print.is(&expected.to_uppercase())
                && !print.is(&expected[1..])
                && !print.is(&format!("+{}", &expected[1..]))
        );
        assert_eq!(fingerprint("r", "a").to_string().len(), 16);
        assert_eq!(Fingerprint(0xab).to_string(), "00000000000000ab");
    }
}
