//! Word documents (`.docx`): the text as it reads with every tracked change
//! accepted, clause numbers computed from the numbering definitions, tables as
//! rows, footnotes at the end.
//!
//! A DOCX is a zip of XML parts. Untrusted files are bounded before anything is
//! inflated: entry count, declared and actual uncompressed size, compression ratio
//! (zip bombs), and XML nesting depth. quick-xml does not complain about a
//! document cut off mid-element, so unclosed elements at the end are checked here.
//!
//! Pages: Word stores no fixed pagination; explicit page breaks and the page
//! breaks Word recorded when it last rendered the file (`lastRenderedPageBreak`)
//! start new pages, so page numbers match what the author saw when present.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

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
    let footnotes = match part(&mut zip, "word/footnotes.xml")? {
        Some(xml) => footnotes(&xml)?,
        None => Vec::new(),
    };
    let mut body = Body::new(&numbering, &styles);
    walk(&document, |ev, depth| body.event(ev, depth))?;
    let mut docx = body.finish();
    if !footnotes.is_empty() {
        let last = docx.pages.len() - 1;
        let text = &mut docx.pages[last].text;
        for (id, note) in footnotes {
            text.push_str(&format!("\n\n[Footnote {id}] {note}"));
        }
    }
    for page in &mut docx.pages {
        if page.text.trim().is_empty() {
            page.state = PageState::Blank;
        }
    }
    Ok(docx)
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

#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// `numbering.xml`: abstract definitions and the numbering instances using them.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// numId → (abstractNumId, start overrides by level)
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
}

impl Numbering {
    fn parse(xml: &str) -> Result<Numbering, ExtractError> {
        let mut n = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut level: Option<(u8, Level)> = None;
        let mut num: Option<String> = None;
        let mut override_level: Option<u8> = None;
        walk(xml, |ev, _| match ev {
            Event::Start(e) | Event::Empty(e) => match local(e).as_str() {
                "abstractNum" => abstract_id = attr(e, "abstractNumId"),
                "lvl" if abstract_id.is_some() => {
                    let ilvl = attr(e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    level = Some((ilvl, Level { start: 1, ..Level::default() }));
                }
                "start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                "numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = attr(e, "val").unwrap_or_default();
                    }
                }
                "lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = attr(e, "val").unwrap_or_default();
                    }
                }
                "num" => num = attr(e, "numId"),
                "abstractNumId" => {
                    if let (Some(id), Some(a)) = (&num, attr(e, "val")) {
                        n.nums.entry(id.clone()).or_default().0 = a;
                    }
                }
                "lvlOverride" => override_level = attr(e, "ilvl").and_then(|v| v.parse().ok()),
                "startOverride" => {
                    if let (Some(id), Some(l), Some(v)) =
                        (&num, override_level, attr(e, "val").and_then(|v| v.parse().ok()))
                    {
                        n.nums.entry(id.clone()).or_default().1.insert(l, v);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "lvl" => {
                    if let (Some(a), Some((ilvl, l))) = (&abstract_id, level.take()) {
                        n.abstracts.entry(a.clone()).or_default().insert(ilvl, l);
                    }
                }
                "abstractNum" => abstract_id = None,
                "num" => num = None,
                "lvlOverride" => override_level = None,
                _ => {}
            },
            _ => {}
        })?;
        Ok(n)
    }
}

/// What a paragraph style says about numbering, and the style it is based on.
#[derive(Debug, Default)]
struct Style {
    num_id: Option<String>,
    ilvl: Option<u8>,
    based_on: Option<String>,
}

/// `styles.xml`: the numbering paragraph styles carry.
#[derive(Debug, Default)]
struct Styles {
    styles: HashMap<String, Style>,
}

impl Styles {
    fn parse(xml: &str) -> Result<Styles, ExtractError> {
        let mut s = Styles::default();
        let mut current: Option<String> = None;
        walk(xml, |ev, _| {
            if let Event::Start(e) | Event::Empty(e) = ev {
                match local(e).as_str() {
                    "style" => current = attr(e, "styleId"),
                    "basedOn" => {
                        if let Some(id) = &current {
                            s.styles.entry(id.clone()).or_default().based_on = attr(e, "val");
                        }
                    }
                    "numId" => {
                        if let Some(id) = &current {
                            s.styles.entry(id.clone()).or_default().num_id = attr(e, "val");
                        }
                    }
                    "ilvl" => {
                        if let Some(id) = &current {
                            s.styles.entry(id.clone()).or_default().ilvl = attr(e, "val").and_then(|v| v.parse().ok());
                        }
                    }
                    _ => {}
                }
            }
        })?;
        Ok(s)
    }

    /// The numbering a style gives its paragraphs, following `basedOn` (bounded).
    fn numbering(&self, style: &str) -> (Option<String>, Option<u8>) {
        let mut cur = Some(style.to_string());
        let (mut num, mut lvl) = (None, None);
        for _ in 0..16 {
            let Some(id) = cur else { break };
            let Some(style) = self.styles.get(&id) else { break };
            num = num.or_else(|| style.num_id.clone());
            lvl = lvl.or(style.ilvl);
            cur = style.based_on.clone();
        }
        (num, lvl)
    }
}

fn footnotes(xml: &str) -> Result<Vec<(String, String)>, ExtractError> {
    let mut notes = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut in_text = false;
    walk(xml, |ev, _| match ev {
        Event::Start(e) if local(e) == "footnote" => {
            // Ids -1 and 0 are Word's separator notes.
            current = attr(e, "id").filter(|id| id.parse::<i64>().is_ok_and(|n| n > 0)).map(|id| (id, String::new()));
        }
        Event::Start(e) if local(e) == "t" => in_text = true,
        Event::End(e) if e.local_name().as_ref() == "t" => in_text = false,
        Event::End(e) if e.local_name().as_ref() == "footnote" => {
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

/// Walks `document.xml`, building page texts.
struct Body<'a> {
    numbering: &'a Numbering,
    styles: &'a Styles,
    pages: Vec<String>,
    para: String,
    para_num: (Option<String>, Option<u8>),
    para_style: Option<String>,
    in_ppr: bool,
    in_text: bool,
    /// Inside deleted or moved-away content (tracked changes): skipped.
    deleted: usize,
    tracked: usize,
    /// Cells of the table row being read, and whether we are in a cell.
    row: Vec<String>,
    in_cell: usize,
    /// Counters per numbering (abstract id, or num id when it restarts).
    counters: HashMap<String, [u32; 9]>,
}

impl<'a> Body<'a> {
    fn new(numbering: &'a Numbering, styles: &'a Styles) -> Body<'a> {
        Body {
            numbering,
            styles,
            pages: vec![String::new()],
            para: String::new(),
            para_num: (None, None),
            para_style: None,
            in_ppr: false,
            in_text: false,
            deleted: 0,
            tracked: 0,
            row: Vec::new(),
            in_cell: 0,
            counters: HashMap::new(),
        }
    }

    fn page(&mut self) -> &mut String {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(String::new());
    }

    fn event(&mut self, ev: &Event<'_>, _depth: usize) {
        match ev {
            Event::Start(e) => self.open(e, false),
            Event::Empty(e) => self.open(e, true),
            Event::End(e) => self.close(e.local_name().as_ref()),
            ev if self.in_text && self.deleted == 0 => {
                if let Some(t) = text_of(ev) {
                    self.para.push_str(&t);
                }
            }
            _ => {}
        }
    }

    fn open(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = local(e);
        match name.as_str() {
            "p" if !empty => {
                self.para.clear();
                self.para_num = (None, None);
                self.para_style = None;
            }
            "pPr" if !empty => self.in_ppr = true,
            "pStyle" if self.in_ppr => self.para_style = attr(e, "val"),
            "numId" if self.in_ppr => self.para_num.0 = attr(e, "val"),
            "ilvl" if self.in_ppr => self.para_num.1 = attr(e, "val").and_then(|v| v.parse().ok()),
            "pageBreakBefore"
                if self.in_ppr
                    && attr(e, "val").is_none_or(|v| v != "0" && v != "false")
                    && !self.page().trim().is_empty() =>
            {
                self.new_page();
            }
            "t" if !empty => self.in_text = true,
            "tab" if !self.in_ppr && self.deleted == 0 => self.para.push(' '),
            "br" | "cr" if self.deleted == 0 => {
                if attr(e, "type").as_deref() == Some("page") {
                    self.flush_para();
                    self.new_page();
                } else {
                    self.para.push(' ');
                }
            }
            "lastRenderedPageBreak" => {
                self.flush_para_partial();
                self.new_page();
            }
            "noBreakHyphen" if self.deleted == 0 => self.para.push('-'),
            "footnoteReference" if self.deleted == 0 => {
                if let Some(id) = attr(e, "id") {
                    self.para.push_str(&format!("[{id}]"));
                }
            }
            "ins" | "moveTo" if !self.in_ppr => self.tracked += 1,
            "del" | "moveFrom" if !self.in_ppr => {
                self.tracked += 1;
                if !empty {
                    self.deleted += 1;
                }
            }
            "tc" if !empty => self.in_cell += 1,
            "tr" if !empty => self.row.clear(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "p" => {
                if self.in_cell > 0 {
                    let label = self.label();
                    let text = format!("{label}{}", self.para.trim());
                    if let Some(cell) = self.row.last_mut().filter(|_| !text.is_empty()) {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(&text);
                    } else if !text.is_empty() {
                        self.row.push(text);
                    }
                    self.para.clear();
                } else {
                    self.flush_para();
                }
            }
            "pPr" => self.in_ppr = false,
            "t" => self.in_text = false,
            "del" | "moveFrom" => self.deleted = self.deleted.saturating_sub(1),
            "tc" => {
                self.in_cell = self.in_cell.saturating_sub(1);
                // Each cell starts a new column even if its paragraphs were empty.
                self.row.push(String::new());
            }
            "tr" => {
                let cells: Vec<&str> = self.row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
                if !cells.is_empty() {
                    let line = cells.join(" | ");
                    let page = self.page();
                    page.push_str(&line);
                    page.push_str(".\n");
                }
                self.row.clear();
            }
            "tbl" => self.page().push('\n'),
            _ => {}
        }
    }

    /// Ends the current paragraph: its clause number, its text, a blank line.
    fn flush_para(&mut self) {
        let label = self.label();
        let text = self.para.trim().to_string();
        if !text.is_empty() || !label.is_empty() {
            let page = self.page();
            page.push_str(&label);
            page.push_str(&text);
            page.push_str("\n\n");
        }
        self.para.clear();
    }

    /// A page break inside a paragraph: what was read so far stays on the old page.
    fn flush_para_partial(&mut self) {
        let text = std::mem::take(&mut self.para);
        if !text.trim().is_empty() {
            let label = self.label();
            let page = self.page();
            page.push_str(&label);
            page.push_str(text.trim_start());
            page.push('\n');
            // The label belongs to the paragraph's start only.
            self.para_num = (None, None);
            self.para_style = None;
        }
    }

    /// "7.2 " for a numbered paragraph, advancing its counters; "" otherwise.
    fn label(&mut self) -> String {
        let (mut num, mut lvl) = self.para_num.clone();
        if num.is_none()
            && let Some(style) = &self.para_style
        {
            let (n, l) = self.styles.numbering(style);
            num = n;
            lvl = lvl.or(l);
        }
        let Some(num) = num.filter(|n| n != "0") else { return String::new() };
        let Some((abstract_id, overrides)) = self.numbering.nums.get(&num) else { return String::new() };
        let Some(levels) = self.numbering.abstracts.get(abstract_id) else { return String::new() };
        let ilvl = usize::from(lvl.unwrap_or(0).min(8));
        let key = if overrides.is_empty() { abstract_id.clone() } else { format!("num:{num}") };
        let counters = self.counters.entry(key).or_insert([0; 9]);
        let start = |l: usize| {
            let l8 = u8::try_from(l).unwrap_or(0);
            overrides.get(&l8).copied().or_else(|| levels.get(&l8).map(|x| x.start)).unwrap_or(1)
        };
        counters[ilvl] = if counters[ilvl] == 0 { start(ilvl) } else { counters[ilvl] + 1 };
        for deeper in counters.iter_mut().skip(ilvl + 1) {
            *deeper = 0;
        }
        let Some(level) = levels.get(&u8::try_from(ilvl).unwrap_or(0)) else { return String::new() };
        if matches!(level.format.as_str(), "bullet" | "none" | "") || level.text.is_empty() {
            return String::new();
        }
        let mut text = level.text.clone();
        for (l, &count) in counters.iter().enumerate() {
            let placeholder = format!("%{}", l + 1);
            if text.contains(&placeholder) {
                let value = if count == 0 { start(l) } else { count };
                let format = levels.get(&u8::try_from(l).unwrap_or(0)).map_or("decimal", |x| x.format.as_str());
                text = text.replace(&placeholder, &format_number(value, format));
            }
        }
        format!("{} ", text.trim())
    }

    fn finish(mut self) -> Docx {
        self.flush_para();
        let pages = self.pages.into_iter().map(|text| Page { text, state: PageState::Read }).collect();
        Docx { pages, tracked_changes: self.tracked }
    }
}

fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letters(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

/// 1 → A, 26 → Z, 27 → AA (Word repeats the letter).
fn letters(n: u32) -> String {
    if n == 0 {
        return String::new();
    }
    let letter = char::from(b'A' + u8::try_from((n - 1) % 26).unwrap_or(0));
    letter.to_string().repeat(usize::try_from((n - 1) / 26 + 1).unwrap_or(1))
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, s) in TABLE {
        while n >= value {
            out.push_str(s);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(2, "lowerLetter"), "b");
        assert_eq!(format_number(28, "upperLetter"), "BB");
        assert_eq!(format_number(7, "decimal"), "7");
    }

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
