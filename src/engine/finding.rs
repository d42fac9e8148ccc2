//! A red flag found in a document, with everything needed to cite it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::rules::Severity;
use crate::text::Span;

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    pub title: String,
    pub message: String,
    /// The clause (sentence) the finding is about, in the normalized text.
    pub span: Span,
    /// What to underline inside it: the quantity read, or the trigger.
    pub highlight: Span,
    /// A label for the highlight, e.g. "36 months (1,095 days)".
    pub label: Option<String>,
    pub page: u32,
    pub line: u32,
    /// Section path from the top, e.g. ["6 OVERPAYMENTS", "6.2"].
    pub section: Vec<String>,
    pub excerpt: String,
    pub facts: Facts,
    pub fingerprint: String,
    /// Accepted by a waiver: still reported, no longer failing.
    pub waived: Option<crate::waivers::Waived>,
}

/// Values a rule read: `days`, `year`, `percent`, `amount`, ...
pub type Facts = BTreeMap<String, Fact>;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Fact {
    Int(i64),
    Number(f64),
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

/// Stable across page and line moves: the rule and the clause's words.
/// The clause's words are hashed one by one (lower-cased, one space apart)
/// rather than joined into a copy first: a dense report hashes thousands.
pub fn fingerprint(rule: &str, clause: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule.as_bytes());
    hasher.update([0]);
    let mut ascii = Vec::new();
    for (i, word) in clause.split_whitespace().enumerate() {
        if i > 0 {
            hasher.update(b" ");
        }
        if word.is_ascii() {
            ascii.clear();
            ascii.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
            hasher.update(&ascii);
        } else {
            hasher.update(word.to_lowercase().as_bytes());
        }
    }
    let digest = hasher.finalize();
    let mut out = String::with_capacity(16);
    for b in digest.iter().take(8) {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(fingerprint("r", " ΣΊΣΥΦΟΣ  MAY\nrecover "), expected);
        assert_eq!(fingerprint("r", "a").len(), 16);
    }
}
