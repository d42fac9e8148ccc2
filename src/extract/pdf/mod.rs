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
//! When the stream stops parsing part-way (one bad byte), pdf-extract reads up
//! to the break: the page is partial. Text no reader sees ([`scan`]) is taken
//! out of the page before it is read and reported; a page whose text is
//! gibberish ([`super::plausible`]) is unreadable.

use std::sync::mpsc;
use std::time::Instant;

use lopdf::{Document, ObjectId};

use super::isolate::quietly;
use super::{ExtractError, Limits, Page, PageState, plausible};

mod scan;

/// Below this many visible characters, a page that carries an image is a scan.
const STAMP_CHARS: usize = 40;
/// Below this many visible characters, a page mostly covered by images is a
/// scan with stamp text (an envelope id, a date, a page number).
pub(super) const STAMPED_SCAN_CHARS: usize = 200;
/// A content stream this large that yields no text is not a blank page.
const DRAWN_CONTENT_BYTES: usize = 4096;
/// Pages showing fewer string bytes than this are not checked for thinness.
const THIN_MIN_SHOWN: usize = 400;
/// Thin: fewer extracted characters than this fraction of the bytes shown (a
/// two-byte CID font shows two bytes per character, so this is lenient).
pub(super) const THIN_RATIO: f64 = 0.25;

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
                pages.resize_with(total.max(pages.len()), || Page::unread(PageState::Failed(why.clone())));
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
    let mut doc = match quietly(|| load(bytes)) {
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
    let mut maps = FontMaps::new();
    for (number, id) in ids {
        let failed = match quietly(|| read_page(&mut doc, number, id, &mut maps)) {
            Ok(Ok(page)) => Ok(page),
            Ok(Err(e)) => Err(e),
            Err(panic) => Err(format!("extractor crashed: {panic}")),
        };
        // A page the reader failed on because the file is damaged there stays
        // damaged whoever reads it next.
        let page = failed.unwrap_or_else(|why| match quietly(|| damaged_stream(&doc, id, &mut maps)) {
            Ok(Some(damage)) => Page::unread(PageState::Damaged(damage)),
            _ => Page::unread(PageState::Failed(why)),
        });
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

/// Reads one page: its operations scanned, hidden text taken out, the text
/// extracted and the page classified.
fn read_page(doc: &mut Document, number: u32, id: ObjectId, maps: &mut FontMaps) -> Result<Page, String> {
    let content = doc.get_page_content(id).unwrap_or_default();
    let operations = lopdf::content::Content::decode(&content).map(|c| c.operations).unwrap_or_default();
    let scan = scan::scan(doc, id, &operations);
    let mut hidden = None;
    if !scan.hidden.is_empty() {
        let visible: Vec<_> =
            operations.iter().enumerate().filter(|(i, _)| !scan.hidden.contains(i)).map(|(_, op)| op.clone()).collect();
        // Should the page not re-encode, its text is read as it is — hidden
        // text included, and the warning says so — rather than not at all.
        let removed = lopdf::content::Content { operations: visible }
            .encode()
            .is_ok_and(|rewritten| doc.change_page_content(id, rewritten).is_ok());
        hidden = Some(super::Hidden { why: scan.why, text: scan.hidden_text.clone(), removed });
    }
    let text = page_text(doc, number)?;
    let damage = damaged_stream(doc, id, maps);
    let mut page = classify(doc, id, text, &content, &operations, &scan, damage);
    page.hidden = hidden;
    page.shows_text = scan.shown > 0 || scan.forms > 0 || text_operators(&content) > 0;
    Ok(page)
}

fn page_text(doc: &Document, number: u32) -> Result<String, String> {
    let mut text = String::new();
    let mut out = pdf_extract::PlainTextOutput::new(&mut text);
    pdf_extract::output_doc_page(doc, &mut out, number).map_err(|e| e.to_string())?;
    Ok(text)
}

fn classify(
    doc: &Document,
    id: ObjectId,
    text: String,
    content: &[u8],
    operations: &[lopdf::content::Operation],
    scan: &scan::Scan,
    damage: Option<String>,
) -> Page {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if let Some(why) = damage {
        return Page::new(text, PageState::Damaged(why));
    }
    // A damaged stream (bit flips in compressed data) yields no text and decodes
    // to nothing, or to bytes that are not PDF operators, although the page has
    // content: a page that could not be read, not a blank one.
    if visible == 0 && operations.is_empty() {
        let raw: usize = doc
            .get_page_contents(id)
            .iter()
            .filter_map(|c| doc.get_object(*c).ok()?.as_stream().ok().map(|s| s.content.len()))
            .sum();
        if raw > 16 {
            return Page::new(text, PageState::Failed("its content stream is damaged and cannot be decoded".into()));
        }
    }
    let has_image = doc.get_page_images(id).is_ok_and(|imgs| imgs.iter().any(|i| i.width * i.height >= 100 * 100))
        || content.windows(4).any(|w| w == b"\nBI " || w == b" BI\n" || w == b"\nBI\n");
    let decoded = operations.iter().filter(|op| matches!(op.operator.as_str(), "Tj" | "TJ" | "'" | "\"")).count();
    let state = if visible == 0 {
        if has_image || content.len() >= DRAWN_CONTENT_BYTES { PageState::NoTextLayer } else { PageState::Blank }
    } else if (has_image && visible < STAMP_CHARS)
        || (scan.image_cover >= scan::SCAN_COVER && visible < STAMPED_SCAN_CHARS)
    {
        PageState::NoTextLayer
    } else if text_operators(content) > decoded {
        PageState::Partial("its content stream breaks part-way; the text after the break was not read".into())
    } else if plausible::garbled(&text) {
        PageState::Garbled
    } else {
        match scan.shown {
            shown if shown >= THIN_MIN_SHOWN && (visible as f64) < shown as f64 * THIN_RATIO => {
                PageState::Thin { shown, read: visible }
            }
            _ => PageState::Read,
        }
    };
    Page::new(text, state)
}

/// Why a compressed stream the page's text comes from — its content, or a
/// font's map from codes to letters — is damaged. lopdf keeps whatever a
/// damaged deflate stream gave before the damage and says nothing; the page
/// then reads as if it ended there, or with letters missing.
/// Font maps already judged (damaged or not), by object: pages share fonts,
/// and each map is inflated once per document, not once per page.
type FontMaps = std::collections::HashMap<ObjectId, bool>;

fn damaged_stream(doc: &Document, id: ObjectId, maps: &mut FontMaps) -> Option<String> {
    let whole = |stream: &lopdf::Stream| {
        let flate = matches!(stream.dict.get(b"Filter"), Ok(lopdf::Object::Name(n)) if n == b"FlateDecode")
            || matches!(stream.dict.get(b"Filter"), Ok(lopdf::Object::Array(a)) if a.len() == 1 && a[0].as_name().is_ok_and(|n| n == b"FlateDecode"));
        if !flate {
            return true;
        }
        inflates(&stream.content)
    };
    // The page's own /Contents, not lopdf's list of it, which leaves out an
    // entry that does not parse as a stream.
    let listed: Vec<lopdf::Object> = match doc.get_dictionary(id).and_then(|d| d.get(b"Contents")) {
        Ok(lopdf::Object::Array(items)) => items.clone(),
        Ok(one) => vec![one.clone()],
        Err(_) => Vec::new(),
    };
    for entry in &listed {
        let stream = match entry {
            lopdf::Object::Reference(r) => doc.get_object(*r).and_then(lopdf::Object::as_stream),
            other => other.as_stream(),
        };
        match stream {
            Err(_) => {
                return Some("one of its content streams is missing or cannot be parsed; its text was not read".into());
            }
            Ok(s) if !whole(s) => {
                return Some("its compressed content stream is damaged; the text after the damage was not read".into());
            }
            Ok(_) => {}
        }
    }
    let fonts = doc.get_page_fonts(id).unwrap_or_default();
    for font in fonts.values() {
        let Ok(reference) = font.get(b"ToUnicode").and_then(lopdf::Object::as_reference) else { continue };
        // A map that inflates but holds no code-to-letter entries (its
        // /Filter key damaged, say) is no map.
        let mapping = |s: &lopdf::Stream| {
            let data = s.decompressed_content().unwrap_or_default();
            memchr::memmem::find(&data, b"begincmap").is_some() || memchr::memmem::find(&data, b"beginbf").is_some()
        };
        let damaged = *maps.entry(reference).or_insert_with(|| {
            doc.get_object(reference).and_then(lopdf::Object::as_stream).map_or(true, |s| !whole(s) || !mapping(s))
        });
        if damaged {
            return Some("a font's map from codes to letters is damaged; letters are missing from its text".into());
        }
    }
    None
}

/// Whether `data` is a zlib stream that inflates to its end: a cut or
/// damaged one errors, or stops without its end marker.
pub(super) fn inflates(data: &[u8]) -> bool {
    let mut decoder = flate2::Decompress::new(true);
    let mut out = vec![0u8; 64 * 1024];
    loop {
        let (read, written) = (decoder.total_in(), decoder.total_out());
        let rest = data.get(usize::try_from(read).unwrap_or(usize::MAX)..).unwrap_or(&[]);
        match decoder.decompress(rest, &mut out, flate2::FlushDecompress::None) {
            Ok(flate2::Status::StreamEnd) => return true,
            Ok(_) if decoder.total_in() == read && decoder.total_out() == written => return false,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

/// Text-showing operators (`Tj`, `TJ`, `'`, `"`) in the raw stream, strings,
/// comments and inline image data skipped: more than the parsed operations
/// hold means the parse stopped part-way and the rest of the page was lost.
fn text_operators(content: &[u8]) -> usize {
    let mut count = 0;
    let mut i = 0;
    let delimiter = |b: u8| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b);
    while i < content.len() {
        match content[i] {
            b'(' => {
                let mut depth = 0usize;
                while i < content.len() {
                    match content[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'<' if content.get(i + 1) != Some(&b'<') => {
                i += content[i..].iter().position(|&b| b == b'>').unwrap_or(content.len() - i) + 1;
            }
            b'%' => i += content[i..].iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(content.len() - i),
            b if delimiter(b) => i += 1,
            _ => {
                let end = content[i..].iter().position(|&b| delimiter(b)).map_or(content.len(), |n| i + n);
                match &content[i..end] {
                    b"Tj" | b"TJ" | b"'" | b"\"" => count += 1,
                    // Inline image data is binary: skip to its end.
                    b"ID" => {
                        let rest = &content[end..];
                        let stop = rest.windows(3).position(|w| w[0].is_ascii_whitespace() && &w[1..] == b"EI");
                        i = end + stop.map_or(rest.len(), |p| p + 3);
                        continue;
                    }
                    _ => {}
                }
                i = end;
            }
        }
    }
    count
}
