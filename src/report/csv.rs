//! One row per finding for spreadsheets (RFC 4180 quoting by the csv crate).

use std::io::Write;

use super::Report;

pub fn write_csv(report: &Report<'_>, out: &mut dyn Write) -> super::Result {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "document",
        "page",
        "line",
        "section",
        "rule",
        "category",
        "severity",
        "message",
        "excerpt",
        "facts",
        "fingerprint",
        "waived",
    ])?;
    for d in report.documents {
        for f in &d.findings {
            let facts = super::wire::facts_value(&f.facts).to_string();
            w.write_record([
                d.path.as_str(),
                &f.page.to_string(),
                &f.line.to_string(),
                &f.section_text(),
                &f.rule,
                &f.category,
                f.severity.name(),
                &f.message,
                &f.excerpt,
                &facts,
                &f.fingerprint.to_string(),
                &f.waived.as_ref().map(|w| format!("{}: {}", w.accepted_by, w.reason)).unwrap_or_default(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}
