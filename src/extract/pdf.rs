//! PDF via pdf-extract, one page at a time, in a worker thread.
//!
//! Each page is extracted on its own under [`quietly`], so one bad content stream
//! costs that page, not the document, and the report can name the page. The
//! worker streams page results back; the caller stops waiting at the time limit
//! and marks what is left as failed (the detached worker is abandoned, it cannot
//! be killed, but it no longer holds anything the caller needs).
//!
//! A page with no text is classified: nothing drawn is a blank separator page;
//! an image, or a large content stream that yields no text (text drawn as
//! outlines), is an unread page; a page-sized image with only a few words on top
//! (an e-signature stamp on a scan) is unread as well.
//!
//! A page with text is checked against its content stream: when the strings its
//! text operators show hold several times the characters extracted (pdf-extract
//! drops text drawn with the `'` and `"` operators, as Ghostscript and enscript
//! write it), the page is marked thin and reported, its text still audited.

use std::sync::mpsc;
use std::time::Instant;

use lopdf::{Document, ObjectId};

use super::isolate::quietly;
use super::{ExtractError, Limits, Page, PageState};

/// Below this many visible characters, a page that carries an image is a scan.
const STAMP_CHARS: usize = 40;
/// A content stream this large that yields no text is not a blank page.
const DRAWN_CONTENT_BYTES: usize = 4096;
/// Pages showing fewer string bytes than this are not checked for thinness.
const THIN_MIN_SHOWN: usize = 400;
/// Thin: fewer extracted characters than this fraction of the bytes shown (a
/// two-byte CID font shows two bytes per character, so this is lenient).
const THIN_RATIO: f64 = 0.25;

enum Msg {
    Loaded(usize),
    Page(Page),
    Fatal(ExtractError),
}

pub(super) fn extract(bytes: Vec<u8>, limits: &Limits) -> Result<Vec<Page>, ExtractError> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("redflag-pdf".into())
        .spawn(move || worker(&bytes, &tx))
        .map_err(|e| ExtractError::Io(format!("cannot start the PDF worker: {e}")))?;
    let deadline = Instant::now() + limits.timeout;
    let mut expected = None;
    let mut pages = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Msg::Loaded(n)) => expected = Some(n),
            Ok(Msg::Page(p)) => pages.push(p),
            Ok(Msg::Fatal(e)) => return Err(e),
            Err(mpsc::RecvTimeoutError::Timeout) if pages.is_empty() => {
                return Err(ExtractError::TimedOut(limits.timeout));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let total = expected.unwrap_or(pages.len());
                let why = format!("extraction timed out after {:?}", limits.timeout);
                pages.resize_with(total.max(pages.len()), || Page {
                    text: String::new(),
                    state: PageState::Failed(why.clone()),
                });
                return Ok(pages);
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    match expected {
        Some(0) => Err(ExtractError::Corrupt("the PDF has no pages".into())),
        Some(_) => Ok(pages),
        None => Err(ExtractError::Crashed("the PDF worker stopped before reading the file".into())),
    }
}

fn worker(bytes: &[u8], tx: &mpsc::Sender<Msg>) {
    let doc = match quietly(|| load(bytes)) {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => {
            let _ = tx.send(Msg::Fatal(e));
            return;
        }
        Err(panic) => {
            let _ = tx.send(Msg::Fatal(ExtractError::Crashed(panic)));
            return;
        }
    };
    let ids: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    if tx.send(Msg::Loaded(ids.len())).is_err() {
        return;
    }
    for (number, id) in ids {
        let page = match quietly(|| page_text(&doc, number)) {
            Ok(Ok(text)) => classify(&doc, id, text),
            Ok(Err(e)) => Page { text: String::new(), state: PageState::Failed(e) },
            Err(panic) => Page { text: String::new(), state: PageState::Failed(format!("extractor crashed: {panic}")) },
        };
        if tx.send(Msg::Page(page)).is_err() {
            return;
        }
    }
}

fn load(bytes: &[u8]) -> Result<Document, ExtractError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::Decryption(_) => ExtractError::Encrypted,
        other => ExtractError::Corrupt(other.to_string()),
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Encrypted);
    }
    Ok(doc)
}

fn page_text(doc: &Document, number: u32) -> Result<String, String> {
    let mut text = String::new();
    let mut out = pdf_extract::PlainTextOutput::new(&mut text);
    pdf_extract::output_doc_page(doc, &mut out, number).map_err(|e| e.to_string())?;
    Ok(text)
}

fn classify(doc: &Document, id: ObjectId, text: String) -> Page {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    let content = doc.get_page_content(id).unwrap_or_default();
    // A damaged stream (bit flips in compressed data) yields no text and decodes
    // to nothing, or to bytes that are not PDF operators, although the page has
    // content: a page that could not be read, not a blank one.
    let operations = lopdf::content::Content::decode(&content).map(|c| c.operations).unwrap_or_default();
    if visible == 0 && operations.is_empty() {
        let raw: usize = doc
            .get_page_contents(id)
            .iter()
            .filter_map(|c| doc.get_object(*c).ok()?.as_stream().ok().map(|s| s.content.len()))
            .sum();
        if raw > 16 {
            return Page {
                text,
                state: PageState::Failed("its content stream is damaged and cannot be decoded".into()),
            };
        }
    }
    let has_image = doc.get_page_images(id).is_ok_and(|imgs| imgs.iter().any(|i| i.width * i.height >= 100 * 100))
        || content.windows(4).any(|w| w == b"\nBI " || w == b" BI\n" || w == b"\nBI\n");
    let state = if visible == 0 {
        if has_image || content.len() >= DRAWN_CONTENT_BYTES { PageState::NoTextLayer } else { PageState::Blank }
    } else if has_image && visible < STAMP_CHARS {
        PageState::NoTextLayer
    } else {
        match shown_bytes(&operations) {
            shown if shown >= THIN_MIN_SHOWN && (visible as f64) < shown as f64 * THIN_RATIO => {
                PageState::Thin { shown, read: visible }
            }
            _ => PageState::Read,
        }
    };
    Page { text, state }
}

/// Bytes of the non-space string operands of the text-showing operators
/// (`Tj`, `TJ`, `'`, `"`): about how many characters the page draws.
fn shown_bytes(operations: &[lopdf::content::Operation]) -> usize {
    use lopdf::Object;
    fn count(o: &Object) -> usize {
        match o {
            Object::String(bytes, _) => bytes.iter().filter(|b| !b.is_ascii_whitespace()).count(),
            Object::Array(items) => items.iter().map(count).sum(),
            _ => 0,
        }
    }
    operations
        .iter()
        .filter(|op| matches!(op.operator.as_str(), "Tj" | "TJ" | "'" | "\""))
        .map(|op| op.operands.iter().map(count).sum::<usize>())
        .sum()
}
