//! `--statistics`: how many findings each rule made across the report, most
//! first, as ruff and semgrep print theirs — for seeing at a glance what a
//! batch of contracts is full of.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Report;
use crate::rules::Severity;

/// One row per rule that found something: count, severity, rule, title;
/// most findings first, then worst severity, then rule id.
pub fn statistics(report: &Report<'_>) -> String {
    let mut counts: BTreeMap<&str, (usize, Severity, &str)> = BTreeMap::new();
    for f in report.documents.iter().flat_map(|d| &d.findings) {
        let entry = counts.entry(&f.rule).or_insert((0, f.severity, &f.title));
        entry.0 += 1;
    }
    let mut rows: Vec<(&str, (usize, Severity, &str))> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(b.1.1.cmp(&a.1.1)).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(4).max(4);
    let mut out = String::new();
    let _ = writeln!(out, "{:>5}  {:<8}  {:<width$}  TITLE", "COUNT", "SEVERITY", "RULE");
    for (rule, (count, severity, title)) in &rows {
        let _ = writeln!(out, "{count:>5}  {:<8}  {rule:<width$}  {title}", severity.name());
    }
    let total: usize = rows.iter().map(|r| r.1.0).sum();
    let _ = writeln!(out, "{total:>5}  in all, from {}", super::count(rows.len(), "rule"));
    out
}
