//! A red flag found in a document, with everything needed to cite it.

use std::collections::BTreeMap;

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
pub fn fingerprint(rule: &str, clause: &str) -> String {
    let words: Vec<String> = clause.split_whitespace().map(str::to_lowercase).collect();
    let digest = Sha256::digest(format!("{rule}\u{0}{}", words.join(" ")).as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
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
        assert_eq!(fingerprint("r", "a").len(), 16);
    }
}
