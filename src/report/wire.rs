//! The pinned machine formats' own types (`redflag.report/1` and its JSONL
//! and SARIF cousins). Serialize-only and built from the internal types, so
//! renaming an internal field changes no report; a change here is a change of
//! the published format and deserves a schema version.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::document::DocumentResult;
use crate::extract::{Warning, WarningKind};
use crate::finding::{Fact, Facts, Finding, Severity, Waived};
use crate::waivers::{Outcome, Waiver};

/// One document as the JSON and JSONL reports print it.
#[derive(Serialize)]
pub(crate) struct Document<'a> {
    path: &'a str,
    format: Option<&'static str>,
    pages: u32,
    /// `pdf-extract`, `pdftotext`, `pdf-extract+pdftotext`, `text` or `docx`.
    reader: Option<&'static str>,
    pdftotext_pages: &'a [u32],
    /// Pages read by OCR (tesseract).
    ocr_pages: &'a [u32],
    error: Option<Error>,
    warnings: Vec<DocumentWarning<'a>>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct Error {
    kind: &'static str,
    message: String,
}

/// A part of a document that was not read in full.
#[derive(Serialize)]
pub(crate) struct DocumentWarning<'a> {
    kind: &'static str,
    pages: &'a [u32],
    message: &'a str,
    /// Mean OCR word confidence, on the OCR kinds only.
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
}

impl<'a> DocumentWarning<'a> {
    pub(crate) fn new(w: &'a Warning) -> DocumentWarning<'a> {
        DocumentWarning { kind: warning_kind(w.kind), pages: &w.pages, message: &w.message, confidence: w.confidence }
    }
}

/// The pinned names of the warning kinds.
pub(crate) fn warning_kind(kind: WarningKind) -> &'static str {
    match kind {
        WarningKind::NoTextLayer => "no_text_layer",
        WarningKind::PageFailed => "page_failed",
        WarningKind::ThinText => "thin_text",
        WarningKind::PartialPage => "partial_page",
        WarningKind::UnreadableText => "unreadable_text",
        WarningKind::HiddenText => "hidden_text",
        WarningKind::Ocr => "ocr",
        WarningKind::OcrLowConfidence => "ocr_low_confidence",
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    category: &'a str,
    severity: &'static str,
    title: &'a str,
    message: &'a str,
    page: u32,
    line: u32,
    /// The line on its page.
    page_line: u32,
    section: String,
    section_path: &'a [String],
    span: Span,
    excerpt: &'a str,
    facts: FactMap<'a>,
    fingerprint: String,
    waived: Option<JsonWaived<'a>>,
}

#[derive(Serialize)]
pub(crate) struct Span {
    start: usize,
    end: usize,
}

/// A finding's facts as a JSON object, in name order.
pub(crate) struct FactMap<'a>(&'a Facts);

impl Serialize for FactMap<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, FactValue(v))))
    }
}

struct FactValue<'a>(&'a Fact);

impl Serialize for FactValue<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Fact::Int(i) => s.serialize_i64(*i),
            Fact::Number(n) => s.serialize_f64(*n),
            Fact::Text(t) => s.serialize_str(t),
        }
    }
}

/// The facts of a finding as a JSON value (SARIF properties, CSV cells).
pub(crate) fn facts_value(facts: &Facts) -> serde_json::Value {
    serde_json::to_value(FactMap(facts)).unwrap_or_default()
}

#[derive(Serialize)]
struct JsonWaived<'a> {
    reason: &'a str,
    accepted_by: &'a str,
    expires: Option<&'a str>,
}

impl<'a> JsonWaived<'a> {
    fn new(w: &'a Waived) -> JsonWaived<'a> {
        JsonWaived { reason: &w.reason, accepted_by: &w.accepted_by, expires: w.expires.as_deref() }
    }
}

/// What the waiver file did, in the summary.
#[derive(Serialize)]
pub(crate) struct Waivers<'a> {
    applied: usize,
    unused: Vec<JsonWaiver<'a>>,
    expired: Vec<JsonWaiver<'a>>,
}

impl<'a> Waivers<'a> {
    pub(crate) fn new(o: &'a Outcome) -> Waivers<'a> {
        Waivers {
            applied: o.applied,
            unused: o.unused.iter().map(JsonWaiver::new).collect(),
            expired: o.expired.iter().map(JsonWaiver::new).collect(),
        }
    }
}

#[derive(Serialize)]
struct JsonWaiver<'a> {
    fingerprint: &'a str,
    rule: Option<&'a str>,
    document: Option<&'a str>,
    reason: &'a str,
    accepted_by: &'a str,
    expires: Option<String>,
}

impl<'a> JsonWaiver<'a> {
    fn new(w: &'a Waiver) -> JsonWaiver<'a> {
        JsonWaiver {
            fingerprint: &w.fingerprint,
            rule: w.rule.as_deref(),
            document: w.document.as_deref(),
            reason: &w.reason,
            accepted_by: &w.accepted_by,
            expires: w.expires.map(|d| d.to_string()),
        }
    }
}

impl<'a> Document<'a> {
    pub(crate) fn new(d: &'a DocumentResult) -> Document<'a> {
        Document {
            path: &d.path,
            format: d.format.map(|f| f.name()),
            pages: d.pages,
            reader: d.reader,
            pdftotext_pages: &d.pdftotext_pages,
            ocr_pages: &d.ocr_pages,
            error: d.error.as_ref().map(|e| Error { kind: e.kind(), message: e.to_string() }),
            warnings: d.warnings.iter().map(DocumentWarning::new).collect(),
            findings: d.findings.iter().map(JsonFinding::new).collect(),
        }
    }
}

impl<'a> JsonFinding<'a> {
    fn new(f: &'a Finding) -> JsonFinding<'a> {
        JsonFinding {
            rule: &f.rule,
            category: &f.category,
            severity: f.severity.name(),
            title: &f.title,
            message: &f.message,
            page: f.page,
            line: f.line,
            page_line: f.page_line,
            section: f.section_text(),
            section_path: &f.section,
            span: Span { start: f.span.start, end: f.span.end },
            excerpt: &f.excerpt,
            facts: FactMap(&f.facts),
            fingerprint: f.fingerprint.to_string(),
            waived: f.waived.as_deref().map(JsonWaived::new),
        }
    }
}

/// Findings per severity, every severity present.
pub(crate) fn by_severity<'a>(findings: impl Iterator<Item = &'a Finding>) -> BTreeMap<&'static str, usize> {
    let mut counts: BTreeMap<&'static str, usize> = Severity::ALL.iter().map(|s| (s.name(), 0)).collect();
    for f in findings {
        *counts.entry(f.severity.name()).or_default() += 1;
    }
    counts
}

/// Warnings as the reports print them, for other commands' JSON (`extract --json`).
pub fn warnings_value(warnings: &[Warning]) -> serde_json::Value {
    serde_json::to_value(warnings.iter().map(DocumentWarning::new).collect::<Vec<_>>()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_print_as_an_object_in_name_order() {
        let mut facts = Facts::new();
        facts.insert("year", Fact::Int(2019));
        facts.insert("days", Fact::Int(1095));
        facts.insert("share", Fact::Number(0.5));
        facts.insert("jurisdiction", Fact::Text("Ohio".into()));
        assert_eq!(facts_value(&facts).to_string(), r#"{"days":1095,"jurisdiction":"Ohio","share":0.5,"year":2019}"#);
    }
}
