//! Word documents (`.docx`): the text as it reads with every tracked change
//! accepted, clause numbers computed from the numbering definitions, tables as
//! rows, text boxes, then footnotes, endnotes, headers and footers at the end,
//! each marked as what it is.
//!
//! An XML part that declares its own entities (a DTD) is refused: Word never
//! writes one, and text held in an entity would otherwise read as nothing.
//!
//! A DOCX is a zip of XML parts. Untrusted files are bounded before anything is
//! inflated: entry count, declared and actual uncompressed size, compression ratio
//! (zip bombs), and XML nesting depth. quick-xml does not complain about a
//! document cut off mid-element, so unclosed elements at the end are checked here.
//!
//! Pages: Word stores no fixed pagination; explicit page breaks and the page
//! breaks Word recorded when it last rendered the file (`lastRenderedPageBreak`)
//! start new pages, so page numbers match what the author saw when present.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

mod body;
mod numbering;

use body::Body;
use numbering::{Numbering, Styles};

use super::{ExtractError, Page, PageState};

/// Most entries a DOCX may hold.
const MAX_ENTRIES: usize = 10_000;
/// Largest uncompressed part read.
const MAX_PART_BYTES: u64 = 128 * 1024 * 1024;
/// Largest compression ratio accepted for parts over 1 MiB.
const MAX_RATIO: u64 = 100;
/// Deepest XML nesting accepted.
const MAX_DEPTH: usize = 256;

/// Text of the pages and the number of unaccepted tracked changes.
pub(super) struct Docx {
    pub pages: Vec<Page>,
    pub tracked_changes: usize,
    /// What was not read, with its (1-based) page.
    pub unread: Vec<(u32, String)>,
}

pub(super) fn extract(bytes: &[u8]) -> Result<Docx, ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Corrupt(format!("not a readable Word file: {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(ExtractError::Corrupt(format!(
            "the Word file has {} parts, over the {MAX_ENTRIES} limit",
            zip.len()
        )));
    }
    let document = part(&mut zip, "word/document.xml")?
        .ok_or_else(|| ExtractError::Corrupt("the Word file has no word/document.xml".into()))?;
    let numbering = match part(&mut zip, "word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml)?,
        None => Numbering::default(),
    };
    let styles = match part(&mut zip, "word/styles.xml")? {
        Some(xml) => Styles::parse(&xml)?,
        None => Styles::default(),
    };
    let mut notes = Vec::new();
    for (name, tag, mark) in
        [("word/footnotes.xml", "footnote", "Footnote"), ("word/endnotes.xml", "endnote", "Endnote")]
    {
        if let Some(xml) = part(&mut zip, name)? {
            notes.extend(footnotes(&xml, tag)?.into_iter().map(|(id, note)| format!("[{mark} {id}] {note}")));
        }
    }
    let mut body = Body::new(&numbering, &styles);
    walk(&document, |ev, depth| body.event(ev, depth))?;
    let mut docx = body.finish();
    notes.extend(furniture(&mut zip, &numbering, &styles)?);
    if !notes.is_empty() {
        let last = docx.pages.len() - 1;
        let text = &mut docx.pages[last].text;
        for note in notes {
            text.push_str("\n\n");
            text.push_str(&note);
        }
    }
    for page in &mut docx.pages {
        if page.text.trim().is_empty() {
            page.state = PageState::Blank;
        }
    }
    Ok(docx)
}

/// The text of the headers and footers, each distinct one once, marked
/// "[Header]" or "[Footer]" (a letterhead or a page footer can carry terms).
fn furniture(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    numbering: &Numbering,
    styles: &Styles,
) -> Result<Vec<String>, ExtractError> {
    let mut names: Vec<String> = zip
        .file_names()
        .flatten()
        .map(|n| n.into_owned())
        .filter(|n| {
            let n = n.strip_prefix("word/").unwrap_or("");
            (n.starts_with("header") || n.starts_with("footer")) && n.ends_with(".xml") && !n.contains('/')
        })
        .collect();
    names.sort();
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let Some(xml) = part(zip, &name)? else { continue };
        let mut body = Body::new(numbering, styles);
        walk(&xml, |ev, depth| body.event(ev, depth))?;
        let text: Vec<String> = body.finish().pages.into_iter().map(|p| p.text.trim().to_string()).collect();
        let text = text.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        let mark = if name.starts_with("word/header") { "[Header]" } else { "[Footer]" };
        let line = format!("{mark} {text}");
        if !text.is_empty() && !out.contains(&line) {
            out.push(line);
        }
    }
    Ok(out)
}

/// Reads one part, refusing zip bombs; `None` when the part does not exist.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, ExtractError> {
    let mut file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(ExtractError::Corrupt(format!("cannot open {name}: {e}"))),
    };
    if file.encrypted() {
        return Err(ExtractError::Encrypted);
    }
    let (size, packed) = (file.size(), file.compressed_size().max(1));
    if size > MAX_PART_BYTES || (size > 1 << 20 && size / packed > MAX_RATIO) {
        return Err(ExtractError::Corrupt(format!(
            "{name} would inflate to {size} bytes from {packed} (a zip bomb?); refused"
        )));
    }
    let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(1 << 24));
    // The declared size can lie; never read more than the limit.
    (&mut file)
        .take(MAX_PART_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| ExtractError::Corrupt(format!("cannot inflate {name}: {e}")))?;
    if out.len() as u64 > MAX_PART_BYTES {
        return Err(ExtractError::Corrupt(format!("{name} inflates past {MAX_PART_BYTES} bytes; refused")));
    }
    String::from_utf8(out).map(Some).map_err(|_| ExtractError::Corrupt(format!("{name} is not UTF-8 XML")))
}

/// Runs `f` on every event with the nesting depth, checking depth limits and
/// that the document is not cut off.
fn walk(xml: &str, mut f: impl FnMut(&Event<'_>, usize)) -> Result<(), ExtractError> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| ExtractError::Corrupt(format!("malformed XML at byte {}: {e}", reader.buffer_position())))?;
        match &ev {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ExtractError::Corrupt(format!("XML nested deeper than {MAX_DEPTH} levels; refused")));
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof if depth > 0 => {
                return Err(ExtractError::Corrupt(format!("the document XML is cut off ({depth} elements left open)")));
            }
            Event::Eof => return Ok(()),
            Event::DocType(_) => {
                return Err(ExtractError::Corrupt(
                    "an XML part declares its own entities (a DTD), which Word never writes; refused rather than read with text missing".into(),
                ));
            }
            _ => {}
        }
        f(&ev, depth);
    }
}

fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

/// The value of the attribute whose local name is `key` (`w:val` → `val`).
fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Text of a text event or an entity reference.
fn text_of(ev: &Event<'_>) -> Option<String> {
    match ev {
        Event::Text(t) => Some(t.xml10_content().into_owned()),
        Event::CData(t) => Some(t.as_ref().to_string()),
        Event::GeneralRef(r) => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                return Some(c.to_string());
            }
            Some(
                match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }
                .to_string(),
            )
        }
        _ => None,
    }
}

/// The notes (`footnote` or `endnote`) with their ids, separators left out.
fn footnotes(xml: &str, tag: &str) -> Result<Vec<(String, String)>, ExtractError> {
    let mut notes = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut in_text = false;
    walk(xml, |ev, _| match ev {
        Event::Start(e) if local(e) == tag => {
            // Ids -1 and 0 are Word's separator notes.
            current = attr(e, "id").filter(|id| id.parse::<i64>().is_ok_and(|n| n > 0)).map(|id| (id, String::new()));
        }
        Event::Start(e) if local(e) == "t" => in_text = true,
        Event::End(e) if e.local_name().as_ref() == "t" => in_text = false,
        Event::End(e) if e.local_name().as_ref() == tag => {
            if let Some((id, text)) = current.take()
                && !text.trim().is_empty()
            {
                notes.push((id, text.trim().to_string()));
            }
        }
        ev if in_text => {
            if let (Some((_, text)), Some(t)) = (&mut current, text_of(ev)) {
                text.push_str(&t);
            }
        }
        _ => {}
    })?;
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_off_xml_is_an_error() {
        let r = walk("<w:document><w:body><w:p><w:r><w:t>Plan may", |_, _| {});
        assert!(matches!(r, Err(ExtractError::Corrupt(m)) if m.contains("cut off")));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let xml = "<a>".repeat(MAX_DEPTH + 5);
        assert!(matches!(walk(&xml, |_, _| {}), Err(ExtractError::Corrupt(m)) if m.contains("nested")));
    }
}
