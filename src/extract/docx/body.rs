//! `document.xml` → page texts: paragraphs with their clause numbers, table
//! rows, tracked changes accepted, page breaks followed.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use super::numbering::{Numbering, Styles, format_number};
use super::{Docx, attr, local, text_of};
use crate::extract::{Page, PageState};

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

    pub(super) fn event(&mut self, ev: &Event<'_>, _depth: usize) {
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

    pub(super) fn finish(mut self) -> Docx {
        self.flush_para();
        let pages = self.pages.into_iter().map(|text| Page { text, state: PageState::Read }).collect();
        Docx { pages, tracked_changes: self.tracked }
    }
}
