//! Which reader reads a PDF: the built-in one (pdf-extract, [`super::pdf`]),
//! poppler's `pdftotext` ([`super::pdftotext`]), or both.
//!
//! `auto` (the default) reads with the built-in reader and, when `pdftotext`
//! is installed, lets poppler re-read the pages it failed on, read thinly or
//! found no text on — and the whole file when the built-in reader could not
//! open it. `pdftotext` prefers poppler's text on every page (the built-in
//! reader still classifies blank and image-only pages). The pages poppler read
//! are recorded, so the report says which reader read what.
//!
//! A page poppler re-reads keeps its notice unless poppler's text passes the
//! checks any page passes: not gibberish, not thin against what the page
//! shows, and no error poppler reported on that page. A file only poppler
//! could open, and that it had to repair, says so on every page.

use std::time::Duration;

use super::{ExtractError, Limits, Page, PageState, pdf, pdftotext, plausible};

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

/// The pages, and the (1-based) numbers of those poppler read.
pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<(Vec<Page>, Vec<u32>), ExtractError> {
    let backend = limits.pdf_backend;
    if backend == PdfBackend::Builtin {
        return Ok((pdf::extract(bytes.to_vec(), limits)?, Vec::new()));
    }
    if backend == PdfBackend::Pdftotext && !pdftotext::available() {
        return Err(ExtractError::ReaderMissing("pdftotext (poppler-utils)".into()));
    }
    // Whether poppler is installed is asked only when it is needed: starting
    // it costs as much as reading a short contract.
    match pdf::extract(bytes.to_vec(), limits) {
        Ok(pages) if backend == PdfBackend::Auto && pages.iter().all(|p| !weak(p)) => Ok((pages, Vec::new())),
        Ok(pages) if !pdftotext::available() => Ok((pages, Vec::new())),
        Ok(pages) => Ok(reread(pages, bytes, limits.timeout, backend)),
        Err(ExtractError::Encrypted) => Err(ExtractError::Encrypted),
        Err(e) if !pdftotext::available() => Err(e),
        Err(e) => match pdftotext::read(bytes, limits.timeout) {
            Ok(poppler) if poppler.pages.iter().any(|t| visible(t) > 0) => Ok(rescue(poppler, bytes, limits.timeout)),
            _ => Err(e),
        },
    }
}

/// The pages of a file only poppler could open. A file cut short (no end of
/// file marker near its end) is damaged on every page poppler rebuilt: the
/// pages after the cut are gone, and poppler does not say so.
fn rescue(poppler: pdftotext::Poppler, bytes: &[u8], timeout: Duration) -> (Vec<Page>, Vec<u32>) {
    let numbers: Vec<u32> = (1..=u32::try_from(poppler.pages.len()).unwrap_or(u32::MAX)).collect();
    let errors = if poppler.errors.is_empty() { Vec::new() } else { pdftotext::page_errors(bytes, timeout, &numbers) };
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let damage = if !tail.windows(5).any(|w| w == b"%%EOF") {
        Some("the file is cut short; pdftotext rebuilt what is there, and what followed the cut is missing")
    } else if damaged_flate(bytes) {
        Some(
            "a compressed stream in the file is damaged, and pdftotext read past it without a word; text may be missing",
        )
    } else {
        None
    };
    let used = numbers.iter().zip(&poppler.pages).filter(|(_, t)| visible(t) > 0).map(|(n, _)| *n).collect();
    let pages = poppler
        .pages
        .into_iter()
        .zip(numbers)
        .map(|(text, n)| {
            let state = if visible(&text) == 0 {
                PageState::NoTextLayer
            } else if let Some(why) = damage {
                PageState::Damaged(why.into())
            } else if let Some((_, why)) = errors.iter().find(|(p, _)| *p == n) {
                PageState::Partial(format!("pdftotext reported: {why}"))
            } else if plausible::garbled(&text) {
                PageState::Garbled
            } else {
                PageState::Read
            };
            Page::new(text, state)
        })
        .collect();
    (pages, used)
}

/// Whether a deflate stream in the raw file fails to inflate to its end: the
/// built-in reader could not open the file, so its streams are found by their
/// keywords (`>> stream` … `endstream`, `/FlateDecode` in the object's
/// dictionary), not through a cross-reference table that may be the damage.
fn damaged_flate(bytes: &[u8]) -> bool {
    let finder = memchr::memmem::Finder::new(b"stream");
    for at in finder.find_iter(bytes) {
        let before = bytes[..at].trim_ascii_end();
        let start = match &bytes[at + 6..] {
            [b'\r', b'\n', ..] => at + 8,
            [b'\n', ..] => at + 7,
            _ => continue,
        };
        if !before.ends_with(b">>") {
            continue;
        }
        let head = &before[before.len().saturating_sub(1024)..];
        let head = memchr::memmem::rfind(head, b" obj").map_or(head, |i| &head[i..]);
        if memchr::memmem::find(head, b"/FlateDecode").is_none() {
            continue;
        }
        let Some(len) = memchr::memmem::find(&bytes[start..], b"endstream") else { continue };
        if !pdf::inflates(&bytes[start..start + len]) {
            return true;
        }
    }
    false
}

/// Pages the built-in reader may have read badly, and poppler may read better:
/// not a page that shows no text at all (a scan), which poppler would read
/// from start to end of the file only to find nothing.
fn weak(page: &Page) -> bool {
    !matches!(page.state, PageState::Read | PageState::Blank) && page.shows_text
}

fn visible(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

fn reread(mut pages: Vec<Page>, bytes: &[u8], timeout: Duration, backend: PdfBackend) -> (Vec<Page>, Vec<u32>) {
    let Ok(poppler) = pdftotext::read(bytes, timeout) else {
        return (pages, Vec::new());
    };
    let weak_pages: Vec<u32> = (1u32..).zip(&pages).filter(|(_, p)| weak(p)).map(|(n, _)| n).collect();
    let errors =
        if poppler.errors.is_empty() { Vec::new() } else { pdftotext::page_errors(bytes, timeout, &weak_pages) };
    let mut used = Vec::new();
    for ((page, text), number) in pages.iter_mut().zip(poppler.pages).zip(1u32..) {
        let (theirs, ours) = (visible(&text), visible(&page.text));
        let better = match page.state {
            PageState::Blank | PageState::Ocr { .. } => false,
            // What poppler finds on an image page must be more than stamp text.
            PageState::NoTextLayer => theirs >= pdf::STAMPED_SCAN_CHARS,
            PageState::Failed(_) | PageState::Thin { .. } | PageState::Partial(_) | PageState::Damaged(_) => {
                theirs > ours
            }
            PageState::Garbled => theirs > 0,
            PageState::Read => backend == PdfBackend::Pdftotext && theirs > 0,
        };
        if !better || plausible::garbled(&text) {
            continue;
        }
        // Poppler's text takes the page; the page's notice stays unless the
        // text passes every check a page passes.
        let state = match (&page.state, errors.iter().find(|(p, _)| *p == number)) {
            // Damage in the file is damage for any reader, said or not.
            (PageState::Damaged(why), _) => PageState::Damaged(why.clone()),
            (_, Some((_, why))) => PageState::Partial(format!("pdftotext reported: {why}")),
            (PageState::Thin { shown, .. }, None) if (theirs as f64) < *shown as f64 * pdf::THIN_RATIO => {
                PageState::Thin { shown: *shown, read: theirs }
            }
            _ => PageState::Read,
        };
        *page = Page { text, state, hidden: page.hidden.take(), shows_text: true };
        used.push(number);
    }
    (pages, used)
}
