//! Which reader reads a PDF: the built-in one (pdf-extract, [`super::pdf`]),
//! poppler's `pdftotext` ([`super::pdftotext`]), or both.
//!
//! `auto` (the default) reads with the built-in reader and, when `pdftotext`
//! is installed, lets poppler re-read the pages it failed on, read thinly or
//! found no text on — and the whole file when the built-in reader could not
//! open it. `pdftotext` prefers poppler's text on every page (the built-in
//! reader still classifies blank and image-only pages). The pages poppler read
//! are recorded, so the report says which reader read what.

use std::time::Duration;

use super::{ExtractError, Limits, Page, PageState, pdf, pdftotext};

/// `--pdf-backend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfBackend {
    #[default]
    /// The built-in reader, with pdftotext re-reading pages it flags (when installed).
    Auto,
    /// The built-in reader only.
    Builtin,
    /// pdftotext only.
    Pdftotext,
}

impl PdfBackend {
    /// The names `--pdf-backend` accepts.
    pub const NAMES: [&'static str; 3] = ["auto", "builtin", "pdftotext"];
}

impl std::str::FromStr for PdfBackend {
    type Err = String;

    fn from_str(s: &str) -> Result<PdfBackend, String> {
        match s {
            "auto" => Ok(PdfBackend::Auto),
            "builtin" => Ok(PdfBackend::Builtin),
            "pdftotext" => Ok(PdfBackend::Pdftotext),
            other => Err(format!("unknown PDF backend `{other}` (auto, builtin, pdftotext)")),
        }
    }
}

/// Fewer visible characters than this from poppler on an image page is a stamp, not text.
const MIN_RESCUED_CHARS: usize = 40;

/// The pages, and the (1-based) numbers of those poppler read.
pub(super) fn read(bytes: Vec<u8>, limits: &Limits) -> Result<(Vec<Page>, Vec<u32>), ExtractError> {
    let backend = limits.pdf_backend;
    if backend == PdfBackend::Builtin || (backend == PdfBackend::Auto && !pdftotext::available()) {
        return Ok((pdf::extract(bytes, limits)?, Vec::new()));
    }
    if !pdftotext::available() {
        return Err(ExtractError::ReaderMissing("pdftotext (poppler-utils)".into()));
    }
    let copy = bytes.clone();
    match pdf::extract(bytes, limits) {
        Ok(pages) if backend == PdfBackend::Auto && pages.iter().all(|p| !weak(&p.state)) => Ok((pages, Vec::new())),
        Ok(pages) => Ok(reread(pages, &copy, limits.timeout, backend)),
        Err(ExtractError::Encrypted) => Err(ExtractError::Encrypted),
        Err(e) => match pdftotext::pages(&copy, limits.timeout) {
            Ok(texts) if texts.iter().any(|t| visible(t) > 0) => {
                let used = (1..).zip(&texts).filter(|(_, t)| visible(t) > 0).map(|(n, _)| n).collect();
                let pages = texts
                    .into_iter()
                    .map(|text| {
                        let state = if visible(&text) > 0 { PageState::Read } else { PageState::NoTextLayer };
                        Page { text, state }
                    })
                    .collect();
                Ok((pages, used))
            }
            _ => Err(e),
        },
    }
}

/// Pages the built-in reader may have read badly.
fn weak(state: &PageState) -> bool {
    matches!(state, PageState::Failed(_) | PageState::Thin { .. } | PageState::NoTextLayer)
}

fn visible(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

fn reread(mut pages: Vec<Page>, bytes: &[u8], timeout: Duration, backend: PdfBackend) -> (Vec<Page>, Vec<u32>) {
    let Ok(texts) = pdftotext::pages(bytes, timeout) else {
        return (pages, Vec::new());
    };
    let mut used = Vec::new();
    for ((page, text), number) in pages.iter_mut().zip(texts).zip(1u32..) {
        let (theirs, ours) = (visible(&text), visible(&page.text));
        let better = match page.state {
            PageState::Blank => false,
            PageState::NoTextLayer => theirs >= MIN_RESCUED_CHARS,
            PageState::Failed(_) | PageState::Thin { .. } => theirs > ours,
            PageState::Read => backend == PdfBackend::Pdftotext && theirs > 0,
        };
        if better {
            *page = Page { text, state: PageState::Read };
            used.push(number);
        }
    }
    (pages, used)
}
