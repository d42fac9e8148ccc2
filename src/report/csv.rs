//! One row per finding for spreadsheets (RFC 4180 quoting by the csv crate),
//! and one per document that was not read in full, so a spreadsheet of a batch
//! never shows an unread contract as a clean one.
//!
//! A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
//! first) is written with a leading `'`, as OWASP recommends: excerpts and file
//! names come from documents nobody vetted.

use std::io::Write;

use super::Report;

/// The columns, in order: where, which rule, what it says and what to ask for,
/// the clause, the values read, and what a waiver names it by.
const COLUMNS: [&str; 15] = [
    "document",
    "page",
    "line",
    "page_line",
    "section",
    "rule",
    "title",
    "category",
    "severity",
    "message",
    "recommendation",
    "excerpt",
    "facts",
    "fingerprint",
    "waived",
];

pub fn write_csv(report: &Report<'_>, bom: bool, out: &mut dyn Write) -> super::Result {
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS).map_err(io)?;
    for d in report.documents {
        for (kind, page, message) in unread(d) {
            let status = super::status(d);
            let said = format!("{status} ({kind}): {message}");
            let (path, message) = (cell(&d.path), cell(&said));
            let row = COLUMNS.map(|column| match column {
                "document" => path.as_ref(),
                "page" => page.as_str(),
                "message" => message.as_ref(),
                _ => "",
            });
            w.write_record(row).map_err(io)?;
        }
        for f in &d.findings {
            let facts = super::wire::facts_value(&f.facts).to_string();
            let recommendation = report
                .rule(&f.rule)
                .and_then(|r| r.doc.recommendation.as_deref())
                .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            w.write_record([
                cell(&d.path).as_ref(),
                &f.page.to_string(),
                &f.line.to_string(),
                &f.page_line.to_string(),
                cell(&f.section_text()).as_ref(),
                &f.rule,
                cell(&f.title).as_ref(),
                &f.category,
                f.severity.name(),
                cell(&f.message).as_ref(),
                cell(&recommendation).as_ref(),
                cell(&f.excerpt).as_ref(),
                &facts,
                &f.fingerprint.to_string(),
                cell(&f.waived.as_ref().map(|w| format!("{}: {}", w.accepted_by, w.reason)).unwrap_or_default())
                    .as_ref(),
            ])
            .map_err(io)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The I/O error inside a CSV error, so a closed pipe is still a closed pipe
/// to the caller (`redflag audit -f csv | head` ends quietly).
fn io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// What was not read of `d`: its error, or each warning with its first page.
fn unread(d: &crate::document::DocumentResult) -> Vec<(&'static str, String, String)> {
    if let Some(e) = &d.error {
        return vec![(e.kind(), String::new(), e.to_string())];
    }
    d.warnings
        .iter()
        .map(|w| {
            (
                super::wire::warning_kind(w.kind),
                w.pages.first().map(u32::to_string).unwrap_or_default(),
                w.message.clone(),
            )
        })
        .collect()
}

/// `text`, with a leading `'` when a spreadsheet would read it as a formula.
fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_neutralized() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(cell(bad), format!("'{bad}"));
        }
        assert_eq!(cell("Plan may recover"), "Plan may recover");
    }
}
