//! The pinned JSON report (`redflag.report/1`). Its types are serialize-only and
//! separate from the internal ones, so the wire format changes only on purpose.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::Report;
use crate::document::DocumentResult;
use crate::extract::Warning;
use crate::finding::{Facts, Finding, Fingerprint};
use crate::rules::Severity;
use crate::text::Span;

pub const SCHEMA: &str = "redflag.report/1";

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    tool: Tool,
    as_of: String,
    documents: Vec<JsonDocument<'a>>,
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
pub(crate) struct JsonDocument<'a> {
    path: &'a str,
    format: Option<&'static str>,
    pages: u32,
    /// `pdf-extract`, `pdftotext`, `pdf-extract+pdftotext`, `text` or `docx`.
    reader: Option<&'static str>,
    pdftotext_pages: &'a [u32],
    error: Option<JsonError>,
    warnings: &'a [Warning],
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonError {
    kind: &'static str,
    message: String,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    category: &'a str,
    severity: Severity,
    title: &'a str,
    message: &'a str,
    page: u32,
    line: u32,
    section: String,
    section_path: &'a [String],
    span: Span,
    excerpt: &'a str,
    facts: &'a Facts,
    fingerprint: Fingerprint,
    waived: &'a Option<Box<crate::finding::Waived>>,
}

#[derive(Serialize)]
struct Summary<'a> {
    documents: usize,
    findings: usize,
    errors: usize,
    partial: usize,
    waived: usize,
    by_severity: BTreeMap<&'static str, usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waivers: Option<&'a crate::waivers::Outcome>,
}

impl<'a> JsonDocument<'a> {
    pub(crate) fn new(d: &'a DocumentResult) -> JsonDocument<'a> {
        JsonDocument {
            path: &d.path,
            format: d.format.map(|f| f.name()),
            pages: d.pages,
            reader: d.reader,
            pdftotext_pages: &d.pdftotext_pages,
            error: d.error.as_ref().map(|e| JsonError { kind: e.kind(), message: e.to_string() }),
            warnings: &d.warnings,
            findings: d.findings.iter().map(JsonFinding::new).collect(),
        }
    }
}

impl<'a> JsonFinding<'a> {
    fn new(f: &'a Finding) -> JsonFinding<'a> {
        JsonFinding {
            rule: &f.rule,
            category: &f.category,
            severity: f.severity,
            title: &f.title,
            message: &f.message,
            page: f.page,
            line: f.line,
            section: f.section.join(" ▸ "),
            section_path: &f.section,
            span: f.span,
            excerpt: &f.excerpt,
            facts: &f.facts,
            fingerprint: f.fingerprint,
            waived: &f.waived,
        }
    }
}

pub fn write_json(report: &Report<'_>, out: &mut dyn Write) -> super::Result {
    let by_severity = Severity::ALL.iter().map(|s| (s.name(), report.count(*s))).collect();
    let wire = JsonReport {
        schema: SCHEMA,
        tool: Tool { name: "redflag", version: env!("CARGO_PKG_VERSION") },
        as_of: report.as_of.to_string(),
        documents: report.documents.iter().map(JsonDocument::new).collect(),
        summary: Summary {
            documents: report.documents.len(),
            findings: report.findings(),
            errors: report.errors(),
            partial: report.documents.iter().filter(|d| d.error.is_none() && !d.warnings.is_empty()).count(),
            waived: report.documents.iter().flat_map(|d| &d.findings).filter(|f| f.waived.is_some()).count(),
            by_severity,
            waivers: report.waivers,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    writeln!(out)
}

/// One document as one line of JSON, for streaming batches (`--format jsonl`).
pub fn write_json_line(as_of: jiff::civil::Date, d: &DocumentResult, out: &mut dyn Write) -> super::Result {
    #[derive(Serialize)]
    struct Line<'a> {
        schema: &'static str,
        as_of: String,
        #[serde(flatten)]
        document: JsonDocument<'a>,
    }
    serde_json::to_writer(
        &mut *out,
        &Line { schema: LINE_SCHEMA, as_of: as_of.to_string(), document: JsonDocument::new(d) },
    )?;
    writeln!(out)
}

pub const LINE_SCHEMA: &str = "redflag.document/1";
