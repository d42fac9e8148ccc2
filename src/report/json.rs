//! The pinned JSON report (`redflag.report/1`) and its one-document-a-line
//! form (`redflag.document/1`, `--format jsonl`). The types are the report's own
//! ([`super::wire`]), separate from the internal ones, so the wire format
//! changes only on purpose.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::Report;
use super::wire::{self, Document, Waivers};
use crate::document::DocumentResult;

/// The schema name of the whole report.
pub const SCHEMA: &str = "redflag.report/1";

/// The schema name of one JSONL line.
pub const LINE_SCHEMA: &str = "redflag.document/1";

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    tool: Tool,
    as_of: String,
    documents: Vec<Document<'a>>,
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary<'a> {
    documents: usize,
    /// Rules that ran: a report of zero findings means something only with it.
    rules: usize,
    findings: usize,
    errors: usize,
    partial: usize,
    waived: usize,
    by_severity: BTreeMap<&'static str, usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waivers: Option<Waivers<'a>>,
}

/// The whole report as one JSON document.
pub fn write_json(report: &Report<'_>, out: &mut dyn Write) -> super::Result {
    let wire = JsonReport {
        schema: SCHEMA,
        tool: Tool { name: "redflag", version: env!("CARGO_PKG_VERSION") },
        as_of: report.as_of.to_string(),
        documents: report.documents.iter().map(Document::new).collect(),
        summary: Summary {
            documents: report.documents.len(),
            rules: report.rules.len(),
            findings: report.findings(),
            errors: report.errors(),
            partial: report.documents.iter().filter(|d| d.error.is_none() && d.read_in_part()).count(),
            waived: report.documents.iter().flat_map(|d| &d.findings).filter(|f| f.waived.is_some()).count(),
            by_severity: wire::by_severity(report.documents.iter().flat_map(|d| &d.findings)),
            waivers: report.waivers.map(Waivers::new),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    writeln!(out)
}

/// One document as one line of JSON, for streaming batches (`--format jsonl`).
pub fn write_json_line(
    as_of: jiff::civil::Date,
    rules: usize,
    d: &DocumentResult,
    out: &mut dyn Write,
) -> super::Result {
    #[derive(Serialize)]
    struct Line<'a> {
        schema: &'static str,
        as_of: String,
        /// Rules that ran, on every line: a line is read on its own.
        rules: usize,
        #[serde(flatten)]
        document: Document<'a>,
    }
    serde_json::to_writer(
        &mut *out,
        &Line { schema: LINE_SCHEMA, as_of: as_of.to_string(), rules, document: Document::new(d) },
    )?;
    writeln!(out)
}
