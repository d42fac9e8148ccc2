//! `document.xml` → page texts: paragraphs with their clause numbers, table
//! rows, tracked changes accepted, page breaks followed.
//!
//! Paragraphs nest (a text box's paragraphs sit inside the paragraph that
//! anchors it) and so do tables (a table in a cell): each level keeps its own
//! text, so an inner one never wipes the outer. Of an `mc:AlternateContent`
//! only the `mc:Choice` is read — the `mc:Fallback` is the same content for
//! older readers. What cannot be read (an embedded `altChunk` document, clause
//! numbers whose definitions are missing, a picture large enough to hold text)
//! is named with its page.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use super::numbering::{Numbering, Styles, format_number};
use super::{Docx, attr, local, text_of};
use crate::extract::{Page, PageState};

/// The longest clause label rendered from a numbering definition.
const MAX_LABEL_CHARS: usize = 64;
/// Pictures at least this wide and tall (EMU: 914,400 an inch; 3 × 1 inch)
/// can hold text — a pasted rate table, a scanned page — and are named as not
/// read; a logo or a signature is smaller.
const IMAGE_MIN_EMU: (u64, u64) = (3 * 914_400, 914_400);

/// A paragraph interrupted by one nested in it: its text, numbering and style.
type Outer = (String, (Option<String>, Option<u8>), Option<String>);

/// Walks `document.xml`, building page texts.
pub(super) struct Body<'a> {
    numbering: &'a Numbering,
    styles: &'a Styles,
    pages: Vec<String>,
    para: String,
    para_num: (Option<String>, Option<u8>),
    para_style: Option<String>,
    in_ppr: bool,
    in_text: bool,
    /// Inside a `w:p` (a text box's paragraph opens inside another).
    paragraph_open: bool,
    /// Inside deleted or moved-away content (tracked changes): skipped.
    deleted: usize,
    tracked: usize,
    /// Cells of the table row being read, and whether we are in a cell.
    row: Vec<String>,
    in_cell: usize,
    /// The paragraphs and rows a nested paragraph or row interrupted.
    outer_paras: Vec<Outer>,
    outer_rows: Vec<Vec<String>>,
    /// Inside an `mc:Fallback`: skipped.
    fallback: usize,
    /// What was not read, with its (1-based) page.
    unread: Vec<(u32, String)>,
    /// The size (EMU) of the last drawing seen: its picture follows.
    extent: (u64, u64),
    /// Counters per numbering (abstract id, or num id when it restarts).
    counters: HashMap<String, [u32; 9]>,
}

impl<'a> Body<'a> {
    pub(super) fn new(numbering: &'a Numbering, styles: &'a Styles) -> Body<'a> {
        Body {
            numbering,
            styles,
            pages: vec![String::new()],
            para: String::new(),
            para_num: (None, None),
            para_style: None,
            in_ppr: false,
            in_text: false,
            paragraph_open: false,
            deleted: 0,
            tracked: 0,
            row: Vec::new(),
            in_cell: 0,
            outer_paras: Vec::new(),
            outer_rows: Vec::new(),
            fallback: 0,
            unread: Vec::new(),
            extent: (0, 0),
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

    pub(super) fn event(&mut self, ev: &Event<'_>, _depth: usize) {
        match ev {
            Event::Start(e) if e.local_name().as_ref() == "Fallback" => self.fallback += 1,
            Event::End(e) if e.local_name().as_ref() == "Fallback" => self.fallback = self.fallback.saturating_sub(1),
            _ if self.fallback > 0 => {}
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
                if self.paragraph_open {
                    let outer = (std::mem::take(&mut self.para), self.para_num.clone(), self.para_style.take());
                    self.outer_paras.push(outer);
                }
                self.paragraph_open = true;
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
            "tr" if !empty => {
                let outer = std::mem::take(&mut self.row);
                if self.in_cell > 0 {
                    self.outer_rows.push(outer);
                }
            }
            // A drawing's size comes before its picture (`a:blip`).
            "extent" => {
                let emu = |name| attr(e, name).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
                self.extent = (emu("cx"), emu("cy"));
            }
            "blip" if self.deleted == 0 && self.extent.0 >= IMAGE_MIN_EMU.0 && self.extent.1 >= IMAGE_MIN_EMU.1 => {
                let page = u32::try_from(self.pages.len()).unwrap_or(u32::MAX);
                let inches = |emu: u64| emu as f64 / 914_400.0;
                self.unread.push((
                    page,
                    format!(
                        "an image of {:.1} × {:.1} inches (image not read: images inside Word documents are not OCR'd; a pasted table or scanned page in it was not audited)",
                        inches(self.extent.0),
                        inches(self.extent.1)
                    ),
                ));
            }
            "altChunk" if self.deleted == 0 => {
                let page = u32::try_from(self.pages.len()).unwrap_or(u32::MAX);
                self.unread
                    .push((page, "an embedded document (altChunk) that Word merges when it opens the file".into()));
            }
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
                match self.outer_paras.pop() {
                    Some((para, num, style)) => (self.para, self.para_num, self.para_style) = (para, num, style),
                    None => self.paragraph_open = false,
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
                let line = cells.join(" | ");
                match self.outer_rows.pop() {
                    // A row of a table in a cell is part of that cell's text.
                    Some(outer) => {
                        self.row = outer;
                        if !line.is_empty() {
                            match self.row.last_mut() {
                                Some(cell) if !cell.is_empty() => {
                                    cell.push_str("; ");
                                    cell.push_str(&line);
                                }
                                Some(cell) => cell.push_str(&line),
                                None => self.row.push(line),
                            }
                        }
                    }
                    None => {
                        if !line.is_empty() {
                            let page = self.page();
                            page.push_str(&line);
                            page.push_str(".\n");
                        }
                        self.row.clear();
                    }
                }
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
        let Some((abstract_id, overrides)) = self.numbering.nums.get(&num) else {
            if self.numbering.nums.is_empty() && !self.unread.iter().any(|(_, w)| w.starts_with("clause numbers")) {
                let page = u32::try_from(self.pages.len()).unwrap_or(u32::MAX);
                let what = "clause numbers: paragraphs are numbered, but the file has no numbering definitions";
                self.unread.push((page, what.into()));
            }
            return String::new();
        };
        let Some(levels) = self.numbering.abstracts.get(abstract_id) else { return String::new() };
        let ilvl = usize::from(lvl.unwrap_or(0).min(8));
        let key = if overrides.is_empty() { abstract_id.clone() } else { format!("num:{num}") };
        let counters = self.counters.entry(key).or_insert([0; 9]);
        let start = |l: usize| {
            let l8 = u8::try_from(l).unwrap_or(0);
            overrides.get(&l8).copied().or_else(|| levels.get(&l8).map(|x| x.start)).unwrap_or(1)
        };
        counters[ilvl] = if counters[ilvl] == 0 { start(ilvl) } else { counters[ilvl].saturating_add(1) };
        for deeper in counters.iter_mut().skip(ilvl + 1) {
            *deeper = 0;
        }
        let Some(level) = levels.get(&u8::try_from(ilvl).unwrap_or(0)) else { return String::new() };
        if matches!(level.format.as_str(), "bullet" | "none" | "") || level.text.is_empty() {
            return String::new();
        }
        // A label template is a few characters ("%1.%2."); a longer one is cut
        // rather than rendered (20,000 `%1` took gigabytes), and so is the label.
        let mut text: String = level.text.chars().take(MAX_LABEL_CHARS).collect();
        for (l, &count) in counters.iter().enumerate() {
            let placeholder = format!("%{}", l + 1);
            if text.contains(&placeholder) {
                let value = if count == 0 { start(l) } else { count };
                let format = levels.get(&u8::try_from(l).unwrap_or(0)).map_or("decimal", |x| x.format.as_str());
                text = text.replace(&placeholder, &format_number(value, format));
            }
        }
        let label: String = text.trim().chars().take(MAX_LABEL_CHARS).collect();
        format!("{label} ")
    }

    pub(super) fn finish(mut self) -> Docx {
        self.flush_para();
        let pages = self.pages.into_iter().map(|text| Page::new(text, PageState::Read)).collect();
        Docx { pages, tracked_changes: self.tracked, unread: self.unread }
    }
}
