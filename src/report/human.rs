//! What an attorney reads in a terminal: one miette diagnostic per finding, the
//! clause as its source with real line numbers, the value the rule read
//! labelled, the negotiating position as help, and a closing count.
//!
//! The graphical layout is used everywhere — a terminal, a pipe, a file —
//! without colour where colour is not wanted; the narratable one ("Diagnostic
//! severity: …", for screen readers) only when asked for
//! (`--format human-narrated`). Each finding's header names its page and the
//! line on that page (no page for a Word or text file without page breaks),
//! its label says what was read, and its fingerprint is printed so a waiver can
//! be written from any report.

use std::fmt;
use std::io::Write;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    NarratableReportHandler, SourceCode, SourceSpan, SpanContents,
};

use std::ops::Range;

use super::{Report, severity_summary, window};
use crate::document::DocumentResult;
use crate::finding::Finding;
use crate::rules::Severity;

/// Context lines to show around a highlight. The source of each finding holds
/// only its clause's lines, so this shows the whole clause and nothing more.
const CLAUSE_CONTEXT: usize = 40;

#[derive(Debug, Clone, Copy)]
/// How the terminal report looks.
pub struct HumanOptions {
    /// Box-drawing layout rather than narrated text.
    pub graphical: bool,
    /// With colour.
    pub color: bool,
    /// Columns to wrap at.
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions { graphical: false, color: false, width: 100 }
    }
}

pub fn write_human(report: &Report<'_>, opts: HumanOptions, out: &mut dyn Write) -> super::Result {
    let mut buf = String::new();
    for doc in report.documents {
        render_document(report, doc, opts, &mut buf).map_err(|_| std::io::Error::other("formatting failed"))?;
        out.write_all(buf.as_bytes())?;
        buf.clear();
    }
    if report.documents.len() > 1 {
        write_table(report, out)?;
        let unread = report.documents.iter().filter(|d| d.is_partial()).count();
        let all = report.documents.iter().flat_map(|d| &d.findings);
        write!(out, "{} documents: {}", report.documents.len(), severity_summary(all))?;
        if unread > 0 {
            write!(out, "; {unread} not read in full")?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{} ran", super::count(report.rules.len(), "rule"))?;
    Ok(())
}

/// Document, findings by severity, status — one row each.
fn write_table(report: &Report<'_>, out: &mut dyn Write) -> super::Result {
    let width = report.documents.iter().map(|d| d.path.chars().count()).max().unwrap_or(8).max(8);
    write!(out, "{:width$}", "DOCUMENT")?;
    for s in Severity::ALL {
        write!(out, "  {:>8}", s.name().to_uppercase())?;
    }
    writeln!(out, "  STATUS")?;
    for d in report.documents {
        write!(out, "{:width$}", super::shown_path(&d.path))?;
        for s in Severity::ALL {
            write!(out, "  {:>8}", d.findings.iter().filter(|f| f.severity == s).count())?;
        }
        let status = match &d.error {
            Some(e) => format!("not audited ({})", e.kind()),
            None => super::status(d).to_string(),
        };
        writeln!(out, "  {status}")?;
    }
    writeln!(out)
}

fn render(diag: &dyn Diagnostic, opts: HumanOptions, out: &mut String) -> fmt::Result {
    if opts.graphical {
        let theme = if opts.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        GraphicalReportHandler::new_themed(theme)
            .with_width(opts.width)
            .with_context_lines(CLAUSE_CONTEXT)
            .render_report(out, diag)
    } else {
        NarratableReportHandler::new().with_context_lines(CLAUSE_CONTEXT).render_report(out, diag)
    }
}

fn render_document(report: &Report<'_>, doc: &DocumentResult, opts: HumanOptions, out: &mut String) -> fmt::Result {
    use fmt::Write as _;
    let path = super::shown_path(&doc.path);
    if let Some(error) = &doc.error {
        render(&DocumentError { path: &path, error }, opts, out)?;
        writeln!(out)?;
        writeln!(out, "{path}: not audited ({})", error.kind())?;
        return writeln!(out);
    }
    let text = doc.text.as_deref().unwrap_or("");
    for finding in &doc.findings {
        let help = report.rule(&finding.rule).and_then(|r| r.doc.recommendation.clone());
        let paged = doc.format == Some(crate::extract::FileFormat::Pdf) || doc.pages > 1;
        let diag = FindingDiagnostic::new(&path, text, finding, help, paged);
        render(&diag, opts, out)?;
        writeln!(out)?;
    }
    for w in &doc.warnings {
        writeln!(out, "{}: {path}: {}", w.label(), w.message)?;
    }
    let mut status = super::status(doc).to_string();
    for (by, pages) in [("pdftotext", &doc.pdftotext_pages), ("OCR", &doc.ocr_pages)] {
        if !pages.is_empty() {
            let pages: Vec<String> = pages.iter().map(u32::to_string).collect();
            let noun = if pages.len() == 1 { "page" } else { "pages" };
            status.push_str(&format!(" · read by {by}: {noun} {}", pages.join(", ")));
        }
    }
    let pages = if doc.pages == 1 { "1 page".to_string() } else { format!("{} pages", doc.pages) };
    writeln!(out, "{path}: {} · {pages} · {status}", severity_summary(&doc.findings))?;
    writeln!(out)
}

#[derive(Debug)]
struct DocumentError<'a> {
    path: &'a str,
    error: &'a crate::extract::ExtractError,
}

impl fmt::Display for DocumentError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.error)
    }
}

impl std::error::Error for DocumentError<'_> {}

impl Diagnostic for DocumentError<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.code()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.help()
    }
}

/// The lines of a clause, numbered as in the whole document.
#[derive(Debug)]
struct ClauseSource {
    name: String,
    text: String,
    first_line: usize,
}

impl SourceCode for ClauseSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[derive(Debug)]
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: ClauseSource,
    highlight: SourceSpan,
    help: Option<String>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(path: &str, text: &str, finding: &'a Finding, help: Option<String>, paged: bool) -> Self {
        // Whole lines around the clause, so the excerpt reads naturally — cut
        // near the clause on a long line (a one-line document), and around the
        // value read when the clause itself is too long to show.
        let clause = finding.span.start..finding.span.end;
        let focus =
            if clause.len() <= window::MAX_FOCUS { clause } else { finding.highlight.start..finding.highlight.end };
        let Range { start, end } = window::around(text, focus);
        // The finding knows its line (1-based): counting the newlines before it
        // again made each finding cost the length of the document.
        let at = finding.span.start.min(text.len());
        let first_line = if start <= at {
            (finding.line as usize).saturating_sub(1 + text.get(start..at).map_or(0, |s| s.matches('\n').count()))
        } else {
            (finding.line as usize).saturating_sub(1) + text.get(at..start).map_or(0, |s| s.matches('\n').count())
        };
        // Lines are numbered from the top of the page: the page's first line
        // is where the highlight's line number, counted back, lands.
        let h = finding.highlight;
        let before_highlight = text.get(start..h.start.clamp(start, end)).map_or(0, |s| s.matches('\n').count());
        let page_offset = (first_line + before_highlight + 1).saturating_sub(finding.page_line as usize);
        let first_line = if paged { first_line.saturating_sub(page_offset) } else { first_line };
        // miette follows the name with `:line:column` (on the page), so the
        // place reads "§ 6.2 · harbor_bad.pdf · page 2:14:9".
        let mut name = if finding.section.is_empty() { String::new() } else { finding.section_text() + " · " };
        name.push_str(path);
        if paged {
            name.push_str(&format!(" · page {}", finding.page));
        }
        let hs = h.start.clamp(start, end) - start;
        let he = h.end.clamp(start, end) - start;
        FindingDiagnostic {
            finding,
            source: ClauseSource { name, text: text[start..end].to_string(), first_line },
            highlight: (hs, he - hs).into(),
            help,
        }
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} · {}", self.finding.severity, self.finding.rule)?;
        if let Some(w) = &self.finding.waived {
            write!(f, " · waived by {}: {}", w.accepted_by, w.reason)?;
        }
        write!(f, "\n{}\nfingerprint {}", self.finding.message, self.finding.fingerprint)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        // Only the mark before the title (×, ⚠, ☞): the title says the
        // severity in redflag's own words.
        if self.finding.waived.is_some() {
            return Some(miette::Severity::Advice);
        }
        Some(match self.finding.severity {
            Severity::Critical | Severity::High => miette::Severity::Error,
            Severity::Medium | Severity::Low => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h.trim()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = self.finding.label.clone().unwrap_or_else(|| self.what_was_read());
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some(label), self.highlight))))
    }
}

impl FindingDiagnostic<'_> {
    /// A label for a highlight without a value: who the clause reads as acting,
    /// and the words that made the rule fire ("the payer: “may modify its fee
    /// schedule”").
    fn what_was_read(&self) -> String {
        let start = self.highlight.offset();
        let words: String = self
            .source
            .text
            .get(start..start + self.highlight.len())
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let quoted = if words.chars().count() > 48 {
            format!("“{}…”", words.chars().take(47).collect::<String>().trim_end())
        } else {
            format!("“{words}”")
        };
        let who = match self.finding.facts.get("actor") {
            Some(crate::finding::Fact::Text(actor)) => match actor.as_str() {
                "payer" => "the payer".to_string(),
                "provider" => "the practice".to_string(),
                "either" => "either party".to_string(),
                "member" => "the member".to_string(),
                "unnamed" => "a party not named".to_string(),
                other => other.to_string(),
            },
            _ => return format!("read: {quoted}"),
        };
        format!("{who}: {quoted}")
    }
}
