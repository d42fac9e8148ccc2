//! Audit results → what people and programs read. One module per format; each
//! writes to any `io::Write`, and the binary decides where that goes.

mod human;
mod json;

use std::io;

pub use human::{HumanOptions, write_human};
pub use json::write_json;

use crate::audit::DocumentResult;
use crate::rules::Severity;

/// Everything a renderer needs.
pub struct Report<'a> {
    pub as_of: jiff::civil::Date,
    pub documents: &'a [DocumentResult],
    /// Rule documentation by id, for help text.
    pub rules: &'a [crate::rules::Rule],
}

impl Report<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.documents.iter().flat_map(|d| &d.findings).filter(|f| f.severity == severity).count()
    }

    pub fn findings(&self) -> usize {
        self.documents.iter().map(|d| d.findings.len()).sum()
    }

    pub fn errors(&self) -> usize {
        self.documents.iter().filter(|d| d.error.is_some()).count()
    }

    pub fn rule(&self, id: &str) -> Option<&crate::rules::Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// "7 findings (2 critical, 4 high, 1 medium)"
pub fn severity_summary(findings: &[crate::engine::Finding]) -> String {
    let n = findings.len();
    let parts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| {
            let c = findings.iter().filter(|f| f.severity == *s).count();
            (c > 0).then(|| format!("{c} {s}"))
        })
        .collect();
    let noun = if n == 1 { "finding" } else { "findings" };
    if parts.is_empty() { format!("{n} {noun}") } else { format!("{n} {noun} ({})", parts.join(", ")) }
}

pub type Result = io::Result<()>;
