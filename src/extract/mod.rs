//! Bytes → page texts, one module per input format.
//!
//! The format is sniffed from the content, never from the file name: a PDF named
//! `.txt` is read as a PDF, and random bytes named `.pdf` are an error rather than a
//! text to audit. Every extractor returns [`Extracted`] — the raw text of each page
//! with what happened to it — or an [`ExtractError`] for the whole file. A page that
//! could not be read is never silently passed as clean: it carries its
//! [`PageState`], and the document's warnings name it.

mod child;
mod docx;
mod isolate;
pub mod ocr;
mod pdf;
mod pdf_backend;
pub mod pdftotext;
mod plain;
mod plausible;
mod sniff;
mod warning;

use std::time::Duration;

pub use ocr::{OcrMode, OcrRun};
pub use pdf_backend::PdfBackend;

pub use sniff::FileFormat;
pub use warning::{Warning, WarningKind};

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
    /// Parts of pages that were not read (a DOCX's embedded document), with
    /// their page: reported beside the page states' warnings.
    pub unread: Vec<(u32, String)>,
    /// What OCR did or why it did not run (PDF).
    pub ocr: OcrRun,
}

/// One page of raw text and how it was read.
#[derive(Debug, Clone)]
pub struct Page {
    /// The raw text.
    pub text: String,
    /// How the page was read.
    pub state: PageState,
    /// Text the page draws that no reader sees, taken out of `text`.
    pub hidden: Option<Hidden>,
    /// Whether the page's content shows text at all (text operators, or a
    /// form that may hold some). A page that shows none — a scan — holds
    /// nothing a second text reader could find; only OCR reads it.
    pub shows_text: bool,
}

impl Page {
    /// A page of `text` read as `state`, nothing hidden.
    pub fn new(text: String, state: PageState) -> Page {
        Page { text, state, hidden: None, shows_text: true }
    }

    /// A page without text.
    pub fn unread(state: PageState) -> Page {
        Page::new(String::new(), state)
    }
}

/// Text drawn so that no reader sees it (white on white, invisible, tiny, off
/// the page): not audited, and reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    /// How it is hidden.
    pub why: &'static str,
    /// What it says (bytes of simple fonts; other fonts' codes are not text).
    pub text: String,
    /// Whether it was taken out of the page's text (else it was audited with it).
    pub removed: bool,
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
    /// Part of the page was read: its content stream stopped parsing part-way
    /// (the text before the break was read), or the reader reported errors on
    /// it; why.
    Partial(String),
    /// The text layer is gibberish (a font without a Unicode map).
    Garbled,
    /// The file is damaged where this page's text comes from (a compressed
    /// stream cut short, a broken font map, a file cut off): what was read was
    /// audited, and no reader can restore the rest; why.
    Damaged(String),
    /// The page was read by OCR: its mean word confidence (0–100) and words.
    Ocr {
        /// Mean word confidence, rounded.
        confidence: u8,
        /// Words read.
        words: u32,
    },
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
    /// Which pages tesseract reads.
    pub ocr: OcrMode,
    /// Time allowed for rendering and reading one page by OCR.
    pub ocr_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 256 * 1024 * 1024,
            timeout: Duration::from_secs(60),
            pdf_backend: PdfBackend::Auto,
            ocr: OcrMode::Auto,
            ocr_timeout: Duration::from_secs(60),
        }
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
    #[error("no text layer — scanned? ({pages} {}, none with text){}", if *pages == 1 { "page" } else { "pages" }, if why.is_empty() { String::new() } else { format!("; {why}") })]
    #[diagnostic(
        code(redflag::extract::no_text),
        help(
            "with tesseract installed, `--ocr auto` (the default) reads such pages; or run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) and audit the result"
        )
    )]
    /// No page has a text layer, and OCR read none.
    NoText {
        /// Pages in the file.
        pages: usize,
        /// Why OCR did not read them (not installed, off, failed), or "".
        why: String,
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
    #[error("empty document: {0}")]
    #[diagnostic(code(redflag::extract::empty), help("check that this is the file you meant to audit"))]
    /// Nothing to read: no bytes, only white space, or only blank pages.
    Empty(String),
    #[error("not a regular file ({0}); skipped")]
    #[diagnostic(code(redflag::extract::not_a_file))]
    /// A FIFO, socket or device: reading it could block or never end.
    NotAFile(String),
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
            ExtractError::Empty(_) => "empty",
            ExtractError::NotAFile(_) => "not_a_file",
        }
    }
}

impl Extracted {
    /// Which readers produced the text: `pdf-extract`, `pdftotext`, `ocr`, or
    /// several joined by `+` (`pdf-extract+ocr`), or the format's own reader.
    pub fn reader(&self) -> &'static str {
        let with_text = self.pages.iter().filter(|p| !p.text.trim().is_empty()).count();
        let ocr = self.ocr_pages().len();
        let poppler = self.pdftotext_pages.len();
        let builtin = with_text > ocr + poppler;
        match (self.format, builtin, poppler > 0, ocr > 0) {
            (FileFormat::Text, ..) => "text",
            (FileFormat::Docx, ..) => "docx",
            (FileFormat::Pdf, _, false, false) => "pdf-extract",
            (FileFormat::Pdf, false, true, false) => "pdftotext",
            (FileFormat::Pdf, true, true, false) => "pdf-extract+pdftotext",
            (FileFormat::Pdf, false, false, true) => "ocr",
            (FileFormat::Pdf, true, false, true) => "pdf-extract+ocr",
            (FileFormat::Pdf, false, true, true) => "pdftotext+ocr",
            (FileFormat::Pdf, true, true, true) => "pdf-extract+pdftotext+ocr",
        }
    }

    /// Pages (1-based) read by OCR.
    pub fn ocr_pages(&self) -> Vec<u32> {
        (1u32..).zip(&self.pages).filter(|(_, p)| matches!(p.state, PageState::Ocr { .. })).map(|(n, _)| n).collect()
    }
}

/// Reads a file and extracts its pages. Only regular files are opened (a FIFO
/// would block, a device never end), and the read stops one byte past the
/// limit whatever the file's stated size.
pub fn extract_file(path: &std::path::Path, limits: &Limits) -> Result<Extracted, ExtractError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| ExtractError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(ExtractError::NotAFile(file_type(&meta).into()));
    }
    if meta.len() > limits.max_bytes {
        return Err(ExtractError::TooLarge { size: meta.len(), limit: limits.max_bytes });
    }
    let file = std::fs::File::open(path).map_err(|e| ExtractError::Io(e.to_string()))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ExtractError::Io(e.to_string()))?;
    extract_bytes(bytes, limits)
}

/// What a path that is not a regular file is, for the error.
fn file_type(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() { "a folder" } else { "not a file" }
}

/// Extracts pages from bytes whose format is sniffed from their content.
pub fn extract_bytes(bytes: Vec<u8>, limits: &Limits) -> Result<Extracted, ExtractError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ExtractError::TooLarge { size: bytes.len() as u64, limit: limits.max_bytes });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        let what = if bytes.is_empty() { "the file has no bytes" } else { "the file holds only white space" };
        return Err(ExtractError::Empty(what.into()));
    }
    let format = sniff::sniff(&bytes)?;
    let mut ocr = OcrRun::default();
    let (pages, tracked_changes, pdftotext_pages, unread) = match format {
        FileFormat::Pdf => {
            let (mut pages, mut by_poppler) = pdf_backend::read(&bytes, limits)?;
            ocr = ocr::read_pages(&mut pages, &bytes, limits.ocr, limits.ocr_timeout);
            // A page OCR read holds OCR's text, whoever read it before.
            by_poppler.retain(|n| !matches!(pages.get(*n as usize - 1).map(|p| &p.state), Some(PageState::Ocr { .. })));
            (pages, 0, by_poppler, Vec::new())
        }
        FileFormat::Text => (plain::extract(&bytes)?, 0, Vec::new(), Vec::new()),
        FileFormat::Docx => {
            let d = isolate::quietly(|| docx::extract(&bytes)).map_err(ExtractError::Crashed)??;
            (d.pages, d.tracked_changes, Vec::new(), d.unread)
        }
    };
    let extracted = Extracted { format, pages, tracked_changes, pdftotext_pages, unread, ocr };
    // A page counts as read when text came out of it; a damaged page with no
    // text is as unread as a failed one.
    let read = |p: &Page| match &p.state {
        PageState::Read | PageState::Thin { .. } | PageState::Partial(_) | PageState::Ocr { .. } => true,
        PageState::Damaged(_) => !p.text.trim().is_empty(),
        _ => false,
    };
    if !extracted.pages.is_empty() && !extracted.pages.iter().any(read) {
        if let Some(PageState::Failed(why) | PageState::Damaged(why)) =
            extracted.pages.iter().map(|p| &p.state).find(|s| matches!(s, PageState::Failed(_) | PageState::Damaged(_)))
        {
            return Err(ExtractError::Corrupt(why.clone()));
        }
        if extracted.pages.iter().any(|p| p.state == PageState::NoTextLayer) {
            let why = match (&extracted.ocr.not_run, extracted.ocr.failed.first()) {
                (Some(why), _) => why.clone(),
                (None, Some((n, why))) => format!("OCR failed (page {n}: {why})"),
                (None, None) => String::new(),
            };
            return Err(ExtractError::NoText { pages: extracted.pages.len(), why });
        }
    }
    if extracted.pages.iter().all(|p| p.text.trim().is_empty() && matches!(p.state, PageState::Read | PageState::Blank))
    {
        let what = match format {
            FileFormat::Docx => "the Word document has no text in its body",
            FileFormat::Pdf => "every page of the PDF is blank",
            FileFormat::Text => "the file holds only white space",
        };
        return Err(ExtractError::Empty(what.into()));
    }
    Ok(extracted)
}
