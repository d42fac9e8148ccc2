//! Bytes → page texts, one module per input format.
//!
//! The format is sniffed from the content, never from the file name: a PDF named
//! `.txt` is read as a PDF, and random bytes named `.pdf` are an error rather than a
//! text to audit. Every extractor returns [`Extracted`] — the raw text of each page
//! with what happened to it — or an [`ExtractError`] for the whole file. A page that
//! could not be read is never silently passed as clean: it carries its
//! [`PageState`], and the document's warnings name it.

mod docx;
mod isolate;
mod pdf;
mod pdf_backend;
pub mod pdftotext;
mod plain;
mod sniff;

use std::time::Duration;

pub use pdf_backend::PdfBackend;

pub use sniff::FileFormat;

/// The pages of one document as the extractor read them.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The format sniffed from the content.
    pub format: FileFormat,
    /// Every page, page 1 first.
    pub pages: Vec<Page>,
    /// Unaccepted tracked changes (DOCX); the text reads as if all were accepted.
    pub tracked_changes: usize,
    /// Pages (1-based) read by `pdftotext` rather than the built-in PDF reader.
    pub pdftotext_pages: Vec<u32>,
}

/// One page of raw text and how it was read.
#[derive(Debug, Clone)]
pub struct Page {
    /// The raw text.
    pub text: String,
    /// How the page was read.
    pub state: PageState,
}

/// How a page was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageState {
    /// Text was read.
    Read,
    /// Nothing is drawn on the page (a separator page); nothing was lost.
    Blank,
    /// The page is an image (a scan, a pasted rate table): its content was not read.
    NoTextLayer,
    /// The extractor failed on this page.
    Failed(String),
    /// Text was read, but far less than the page draws (`shown` string bytes
    /// against `read` characters): some of it was probably lost.
    Thin {
        /// String bytes in the content stream.
        shown: usize,
        /// Characters read.
        read: usize,
    },
}

/// Limits for reading untrusted files.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input file accepted, in bytes.
    pub max_bytes: u64,
    /// Time allowed for extracting one document.
    pub timeout: Duration,
    /// Which reader reads PDFs (not a limit, but chosen per run with them).
    pub pdf_backend: PdfBackend,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_bytes: 256 * 1024 * 1024, timeout: Duration::from_secs(60), pdf_backend: PdfBackend::Auto }
    }
}

/// Why a whole file could not be audited. `kind()` is the stable name used in reports.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum ExtractError {
    /// The file could not be read.
    #[error("cannot read file: {0}")]
    #[diagnostic(code(redflag::extract::io))]
    Io(String),
    /// The file is over the size limit.
    #[error("file is {size} bytes, over the {limit}-byte limit")]
    #[diagnostic(code(redflag::extract::too_large))]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    #[error("not a contract document: {0}")]
    #[diagnostic(
        code(redflag::extract::unsupported),
        help("redflag reads PDF, DOCX and plain text (UTF-8, UTF-16 or Windows-1252)")
    )]
    /// Not PDF, DOCX or text.
    Unsupported(String),
    #[error("the file is encrypted and needs a password")]
    #[diagnostic(
        code(redflag::extract::encrypted),
        help("ask the sender for an unprotected copy, or remove the password (e.g. `qpdf --decrypt`) first")
    )]
    /// Password-protected.
    Encrypted,
    #[error("the file is damaged: {0}")]
    #[diagnostic(code(redflag::extract::corrupt))]
    /// Damaged beyond reading.
    Corrupt(String),
    #[error("no text layer — scanned? run OCR first ({pages} page(s), none with text)")]
    #[diagnostic(
        code(redflag::extract::no_text),
        help("run OCR (e.g. `ocrmypdf in.pdf out.pdf`) and audit the result")
    )]
    /// No page has a text layer.
    NoText {
        /// Pages in the file.
        pages: usize,
    },
    #[error("the PDF extractor crashed on this file: {0}")]
    #[diagnostic(code(redflag::extract::crashed))]
    /// The PDF library panicked.
    Crashed(String),
    #[error("extraction took longer than {0:?} and was abandoned")]
    #[diagnostic(code(redflag::extract::timeout))]
    /// Extraction ran over the time limit.
    TimedOut(Duration),
    #[error("the PDF reader {0} is not installed")]
    #[diagnostic(
        code(redflag::extract::reader_missing),
        help("install poppler-utils, or use --pdf-backend auto (or builtin)")
    )]
    /// The PDF reader asked for is not installed.
    ReaderMissing(String),
}

impl ExtractError {
    /// Stable machine name of the error, as it appears in the JSON report.
    pub fn kind(&self) -> &'static str {
        match self {
            ExtractError::Io(_) => "io",
            ExtractError::TooLarge { .. } => "too_large",
            ExtractError::Unsupported(_) => "unsupported_format",
            ExtractError::Encrypted => "encrypted",
            ExtractError::Corrupt(_) => "corrupt",
            ExtractError::NoText { .. } => "no_text_layer",
            ExtractError::Crashed(_) => "extractor_crashed",
            ExtractError::TimedOut(_) => "timeout",
            ExtractError::ReaderMissing(_) => "reader_missing",
        }
    }
}

/// What was read only in part; the rest of the document is still audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What went wrong.
    pub kind: WarningKind,
    /// The pages it concerns.
    pub pages: Vec<u32>,
    /// What a report says.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// What was not read.
pub enum WarningKind {
    /// Pages are images (scans): not audited.
    NoTextLayer,
    /// The reader failed on pages.
    PageFailed,
    /// Pages gave far less text than they draw.
    ThinText,
}

impl Extracted {
    /// Which reader produced the text: `pdf-extract`, `pdftotext`, both
    /// (`pdf-extract+pdftotext`), or the format's own reader.
    pub fn reader(&self) -> &'static str {
        match self.format {
            FileFormat::Text => "text",
            FileFormat::Docx => "docx",
            FileFormat::Pdf if self.pdftotext_pages.is_empty() => "pdf-extract",
            FileFormat::Pdf => {
                let with_text = self.pages.iter().filter(|p| !p.text.trim().is_empty()).count();
                if self.pdftotext_pages.len() >= with_text { "pdftotext" } else { "pdf-extract+pdftotext" }
            }
        }
    }

    /// Warnings for the pages that were not read, grouped by cause.
    pub fn warnings(&self) -> Vec<Warning> {
        let numbered = |want: fn(&PageState) -> bool| -> Vec<u32> {
            self.pages.iter().zip(1u32..).filter(|(p, _)| want(&p.state)).map(|(_, n)| n).collect()
        };
        let mut out = Vec::new();
        let scanned = numbered(|s| *s == PageState::NoTextLayer);
        if !scanned.is_empty() {
            out.push(Warning {
                kind: WarningKind::NoTextLayer,
                message: format!(
                    "{} no text layer (scanned or image-only); {} content was not audited",
                    pages_phrase(&scanned, "has", "have"),
                    if scanned.len() == 1 { "its" } else { "their" }
                ),
                pages: scanned,
            });
        }
        let thin = numbered(|s| matches!(s, PageState::Thin { .. }));
        if !thin.is_empty() {
            out.push(Warning {
                kind: WarningKind::ThinText,
                message: format!(
                    "{} read thinly: the page draws several times more text than was extracted (text shown with operators the extractor skips?); what was read was audited, the rest may be missing",
                    pages_phrase(&thin, "was", "were"),
                ),
                pages: thin,
            });
        }
        let failed = numbered(|s| matches!(s, PageState::Failed(_)));
        if !failed.is_empty() {
            let why = self.pages.iter().find_map(|p| match &p.state {
                PageState::Failed(m) => Some(m.clone()),
                _ => None,
            });
            out.push(Warning {
                kind: WarningKind::PageFailed,
                message: format!(
                    "{} could not be extracted ({}); not audited",
                    pages_phrase(&failed, "", ""),
                    why.unwrap_or_default()
                ),
                pages: failed,
            });
        }
        out
    }
}

/// "page 3 has", "pages 13-14 have", "pages 2, 5 and 9 have"
fn pages_phrase(pages: &[u32], one: &str, many: &str) -> String {
    let verb = |v: &str| {
        if v.is_empty() { String::new() } else { format!(" {v}") }
    };
    match pages {
        [p] => format!("page {p}{}", verb(one)),
        _ => {
            let contiguous = pages.windows(2).all(|w| w[1] == w[0] + 1);
            let list = if contiguous {
                format!("{}-{}", pages[0], pages[pages.len() - 1])
            } else {
                let (last, rest) = pages.split_last().unwrap_or((&0, &[]));
                let rest: Vec<String> = rest.iter().map(u32::to_string).collect();
                format!("{} and {last}", rest.join(", "))
            };
            format!("pages {list}{}", verb(many))
        }
    }
}

/// Reads a file and extracts its pages.
pub fn extract_file(path: &std::path::Path, limits: &Limits) -> Result<Extracted, ExtractError> {
    let meta = std::fs::metadata(path).map_err(|e| ExtractError::Io(e.to_string()))?;
    if meta.len() > limits.max_bytes {
        return Err(ExtractError::TooLarge { size: meta.len(), limit: limits.max_bytes });
    }
    let bytes = std::fs::read(path).map_err(|e| ExtractError::Io(e.to_string()))?;
    extract_bytes(bytes, limits)
}

/// Extracts pages from bytes whose format is sniffed from their content.
pub fn extract_bytes(bytes: Vec<u8>, limits: &Limits) -> Result<Extracted, ExtractError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ExtractError::TooLarge { size: bytes.len() as u64, limit: limits.max_bytes });
    }
    let format = sniff::sniff(&bytes)?;
    let (pages, tracked_changes, pdftotext_pages) = match format {
        FileFormat::Pdf => {
            let (pages, by_poppler) = pdf_backend::read(bytes, limits)?;
            (pages, 0, by_poppler)
        }
        FileFormat::Text => (plain::extract(&bytes)?, 0, Vec::new()),
        FileFormat::Docx => {
            let d = isolate::quietly(|| docx::extract(&bytes)).map_err(ExtractError::Crashed)??;
            (d.pages, d.tracked_changes, Vec::new())
        }
    };
    let extracted = Extracted { format, pages, tracked_changes, pdftotext_pages };
    let read = |s: &PageState| matches!(s, PageState::Read | PageState::Thin { .. });
    if !extracted.pages.is_empty() && !extracted.pages.iter().any(|p| read(&p.state)) {
        if let Some(PageState::Failed(why)) =
            extracted.pages.iter().map(|p| &p.state).find(|s| matches!(s, PageState::Failed(_)))
        {
            return Err(ExtractError::Corrupt(why.clone()));
        }
        if extracted.pages.iter().any(|p| p.state == PageState::NoTextLayer) {
            return Err(ExtractError::NoText { pages: extracted.pages.len() });
        }
    }
    Ok(extracted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_phrases() {
        assert_eq!(pages_phrase(&[3], "has", "have"), "page 3 has");
        assert_eq!(pages_phrase(&[13, 14], "has", "have"), "pages 13-14 have");
        assert_eq!(pages_phrase(&[2, 5, 9], "has", "have"), "pages 2, 5 and 9 have");
    }
}
