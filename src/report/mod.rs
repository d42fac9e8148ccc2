//! Audit results → what people and programs read. One module per format; each
//! writes to any `io::Write`, and the binary decides where that goes.

mod csv;
mod html;
mod human;
mod json;
mod markdown;
mod sarif;
mod statistics;
pub mod window;
mod wire;

use std::io;

pub use human::HumanOptions;
pub use statistics::statistics;
pub use wire::warnings_value;

/// The output formats; adding one means a module here and an arm in [`write`].
#[derive(Debug, Clone, Copy)]
pub enum Format {
    /// The terminal report.
    Human(HumanOptions),
    /// The pinned JSON report.
    Json,
    /// One JSON document per line, streamed.
    Jsonl,
    /// SARIF 2.1.0.
    Sarif,
    /// Markdown.
    Markdown,
    /// A self-contained HTML page.
    Html,
    /// One row per finding; with a byte-order mark first when `bom` (so
    /// Excel reads the file as UTF-8 and "▸" stays "▸").
    Csv {
        /// Write a UTF-8 byte-order mark first.
        bom: bool,
    },
}

/// Renders the whole report in `format`.
pub fn write(format: Format, report: &Report<'_>, out: &mut dyn io::Write) -> Result {
    match format {
        Format::Human(opts) => human::write_human(report, opts, out),
        Format::Json => json::write_json(report, out),
        Format::Jsonl => {
            report.documents.iter().try_for_each(|d| json::write_json_line(report.as_of, report.rules.len(), d, out))
        }
        Format::Sarif => sarif::write_sarif(report, out),
        Format::Markdown => markdown::write_markdown(report, out),
        Format::Html => html::write_html(report, out),
        Format::Csv { bom } => csv::write_csv(report, bom, out),
    }
}

/// Whether `format` can be written a document at a time, each as soon as it is
/// audited ([`write_document`]), without holding the batch.
pub fn streams(format: Format) -> bool {
    matches!(format, Format::Jsonl)
}

/// One document of a streamed report; `None` when `format` does not stream.
pub fn write_document(
    format: Format,
    as_of: jiff::civil::Date,
    rules: usize,
    document: &DocumentResult,
    out: &mut dyn io::Write,
) -> Option<Result> {
    match format {
        Format::Jsonl => Some(json::write_json_line(as_of, rules, document, out)),
        _ => None,
    }
}

/// "read in full", "read in part", or "not audited (encrypted)".
pub fn status(d: &DocumentResult) -> &'static str {
    match (&d.error, d.read_in_part()) {
        (Some(_), _) => "not audited",
        (None, false) => "read in full",
        (None, true) => "read in part",
    }
}

use crate::document::DocumentResult;
use crate::rules::Severity;

/// Everything a renderer needs.
pub struct Report<'a> {
    /// The audit date.
    pub as_of: jiff::civil::Date,
    /// Every document, in input order.
    pub documents: &'a [DocumentResult],
    /// Rule documentation by id, for help text.
    pub rules: &'a [crate::rules::Rule],
    /// What the waiver file did, when one was given.
    pub waivers: Option<&'a crate::waivers::Outcome>,
}

impl Report<'_> {
    /// "redflag 0.1.0 · packs core 1, payer 2": what made the report, for
    /// reports read away from the run.
    pub fn made_by(&self) -> String {
        let mut packs: Vec<&str> = self.rules.iter().map(|r| &*r.pack).filter(|p| !p.is_empty()).collect();
        packs.sort_unstable();
        packs.dedup();
        let mut out = format!("redflag {}", env!("CARGO_PKG_VERSION"));
        if !packs.is_empty() {
            out.push_str(&format!(" · {} {}", if packs.len() == 1 { "pack" } else { "packs" }, packs.join(", ")));
        }
        out
    }

    /// Findings of `severity` in every document.
    pub fn count(&self, severity: Severity) -> usize {
        self.documents.iter().flat_map(|d| &d.findings).filter(|f| f.severity == severity).count()
    }

    /// Findings in every document.
    pub fn findings(&self) -> usize {
        self.documents.iter().map(|d| d.findings.len()).sum()
    }

    /// Documents that could not be audited.
    pub fn errors(&self) -> usize {
        self.documents.iter().filter(|d| d.error.is_some()).count()
    }

    /// The rule with `id`.
    pub fn rule(&self, id: &str) -> Option<&crate::rules::Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// "7 findings (2 critical, 4 high, 1 medium)"
pub fn severity_summary<'a>(findings: impl IntoIterator<Item = &'a crate::finding::Finding>) -> String {
    let mut counts = [0usize; Severity::ALL.len()];
    for f in findings {
        if let Some(i) = Severity::ALL.iter().position(|s| *s == f.severity) {
            counts[i] += 1;
        }
    }
    let n: usize = counts.iter().sum();
    let parts: Vec<String> =
        Severity::ALL.iter().zip(counts).filter(|(_, c)| *c > 0).map(|(s, c)| format!("{c} {s}")).collect();
    let noun = if n == 1 { "finding" } else { "findings" };
    if parts.is_empty() { format!("{n} {noun}") } else { format!("{n} {noun} ({})", parts.join(", ")) }
}

/// A file name as a terminal or a text report may show it: control characters
/// and bidirectional overrides escaped (`\u{202e}`), so a crafted name cannot
/// move the cursor, recolour the screen or reorder a status line.
pub fn shown_path(path: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !path.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// "1 document", "3 documents".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// What a renderer returns.
pub type Result = io::Result<()>;
