//! Markdown for memos and tickets: a summary table, then one section per document.

use std::io::Write;

use super::{Report, severity_summary};
use crate::rules::Severity;

pub fn write_markdown(report: &Report<'_>, out: &mut dyn Write) -> super::Result {
    writeln!(
        out,
        "# Contract audit ({}, {}, as of {})\n",
        super::count(report.documents.len(), "document"),
        super::count(report.rules.len(), "rule"),
        report.as_of
    )?;
    writeln!(out, "*{}*\n", inline(&report.made_by()))?;
    writeln!(out, "| Document | Critical | High | Medium | Low | Info | Status |")?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---|")?;
    for d in report.documents {
        let count = |s: Severity| d.findings.iter().filter(|f| f.severity == s).count();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            inline(&d.path),
            count(Severity::Critical),
            count(Severity::High),
            count(Severity::Medium),
            count(Severity::Low),
            count(Severity::Info),
            super::status(d)
        )?;
    }
    for d in report.documents {
        writeln!(out, "\n## {}\n", inline(&d.path))?;
        if let Some(e) = &d.error {
            writeln!(out, "**Not audited:** {}\n", inline(&e.to_string()))?;
            continue;
        }
        for w in &d.warnings {
            let head = if w.is_loss() { "Warning" } else { "Note" };
            writeln!(out, "> **{head}:** {}\n", inline(&w.message))?;
        }
        writeln!(out, "{}\n", severity_summary(&d.findings))?;
        for f in &d.findings {
            let mut place = format!("page {}, line {}", f.page, f.page_line);
            if !f.section.is_empty() {
                place = format!("{place} · {}", f.section_text());
            }
            let place = format!("{} · fingerprint {}", inline(&place), f.fingerprint);
            writeln!(out, "### {} — {} (`{}`)\n", f.severity.name().to_uppercase(), inline(&f.title), f.rule)?;
            writeln!(out, "*{place}*\n")?;
            writeln!(out, "{}\n", inline(&f.message))?;
            if let Some(w) = &f.waived {
                writeln!(out, "**Waived** by {}: {}\n", inline(&w.accepted_by), inline(&w.reason))?;
            }
            if !f.excerpt.is_empty() {
                writeln!(out, "> {}\n", inline(&f.excerpt))?;
            }
            if let Some(rec) = report.rule(&f.rule).and_then(|r| r.doc.recommendation.as_deref()) {
                writeln!(out, "**Ask for:** {}\n", inline(&rec.split_whitespace().collect::<Vec<_>>().join(" ")))?;
            }
        }
    }
    Ok(())
}

/// Text safe inside a Markdown paragraph: no stray markup from the contract.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}
