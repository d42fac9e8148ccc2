//! Raw page texts → one normalized [`Text`].
//!
//! What changes, and why:
//! - NFKC, so ligatures (ﬁ, ﬂ) and full-width forms match plain patterns;
//! - soft hyphens, zero-width characters and stray control characters vanish;
//! - curly quotes become straight and dashes become `-`, so rules need one spelling;
//! - words hyphenated across a line break are rejoined ("recoup-\nment"), but
//!   compounds keep their hyphen ("anti-\nkickback" → "anti-kickback");
//! - runs of spaces collapse to one, blank-line runs to one blank line;
//! - clause numbers split by extraction ("3 .1") are repaired;
//! - page numbers and running headers/footers repeated on most pages are dropped.
//!
//! Pages are joined with a single line break, so a sentence that runs across a
//! page boundary stays one sentence.

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

mod furniture;
mod lines;

use furniture::PageFurniture;
#[cfg(test)]
use lines::split_lines_bytewise;
use lines::{Line, split_lines};

use super::{OffsetMap, Text};

/// Prefixes that keep their hyphen when split across a line ("anti-kickback",
/// "non-participating"). Deliberately short: "co-", "pre-", "sub-" and "inter-"
/// far more often split ordinary words (coverage, previous, submit, interest).
/// The tens of the quantity grammar keep theirs too ("forty-⏎five (45) days"),
/// and so does any number word before another ("two-⏎hundred seventy").
const COMPOUND_PREFIXES: &[&str] = &["anti", "non", "self", "multi", "semi", "cross", "third", "all", "ex"];

/// Bytes of one page normalized as one task. A longer page (a text file is one
/// page) is cut after blank lines into pieces normalized on all threads: after
/// a blank line the only state carried forward is the pending break, which
/// joining the pieces restores.
const PIECE: usize = 256 * 1024;

/// Normalizes the raw text of each page (page 1 first) into one [`Text`].
pub fn normalize<S: AsRef<str>>(pages: &[S]) -> Text {
    normalize_in_pieces(pages, PIECE, Reading::Runs)
}

/// How a line is read: plain ASCII runs copied whole, or every character on
/// its own (the definition, which tests hold the runs to).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Reading {
    Runs,
    #[cfg_attr(not(test), allow(dead_code))]
    CharByChar,
}

pub(super) fn normalize_in_pieces<S: AsRef<str>>(pages: &[S], piece: usize, reading: Reading) -> Text {
    let pages: Vec<&str> = pages.iter().map(AsRef::as_ref).collect();
    let furniture = PageFurniture::find(&pages);
    let mut b = Builder::new(pages.iter().map(|p| p.len()).collect(), reading);
    for (i, raw) in pages.iter().enumerate() {
        let page = u32::try_from(i + 1).unwrap_or(u32::MAX);
        b.page = page;
        if i > 0 && b.breaks == 0 {
            b.newline(0, false);
        }
        let lines = split_lines(raw);
        let kept: Vec<&Line> =
            lines.iter().enumerate().filter(|(li, _)| !furniture.is_furniture(i, *li)).map(|(_, l)| l).collect();
        let run = |b: &mut Builder, range: std::ops::Range<usize>| {
            for k in range {
                let next = kept.get(k + 1).map(|l| l.text(raw));
                let join = line_join(kept[k].text(raw), next);
                b.line(raw, kept[k], join);
            }
        };
        // The first piece continues the text before it; the others start after
        // a blank line.
        let mut ranges = pieces(raw, &kept, piece).into_iter();
        if let Some(first) = ranges.next() {
            run(&mut b, first);
        }
        let parts: Vec<Builder> = ranges
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|range| {
                let mut part = Builder::new(Vec::new(), reading);
                part.page = page;
                run(&mut part, range);
                part
            })
            .collect();
        for part in parts {
            b.append(part);
        }
    }
    let page_count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    b.finish(page_count)
}

/// The page's kept lines cut into runs of at least `piece` bytes, each ending
/// with a blank line (the last run ends with the page).
fn pieces(raw: &str, kept: &[&Line], piece: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (k, line) in kept.iter().enumerate() {
        bytes += line.end - line.start + 1;
        if bytes >= piece && line.text(raw).trim().is_empty() {
            out.push(start..k + 1);
            (start, bytes) = (k + 1, 0);
        }
    }
    if start < kept.len() || out.is_empty() {
        out.push(start..kept.len());
    }
    out
}

/// How a line ends when the next one follows it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Join {
    /// An ordinary line break.
    Break,
    /// A word hyphenated across the break: drop the hyphen and the break.
    Rejoin,
    /// A compound split after its hyphen: keep the hyphen, drop the break.
    KeepHyphen,
}

fn line_join(line: &str, next: Option<&str>) -> Join {
    let trimmed = line.trim_end();
    let Some(next) = next.map(str::trim_start) else {
        return Join::Break;
    };
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    if trimmed.ends_with('\u{ad}') && next_lower {
        return Join::Rejoin;
    }
    let Some(before) = trimmed.strip_suffix('-') else {
        return Join::Break;
    };
    let word: String =
        before.chars().rev().take_while(|c| c.is_alphabetic()).collect::<Vec<_>>().into_iter().rev().collect();
    if word.is_empty() || !next_lower {
        return Join::Break;
    }
    let word = word.to_lowercase();
    let next_word: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
    let number = super::lexicon::is_number_word(&word) && super::lexicon::is_number_word(&next_word);
    if number || COMPOUND_PREFIXES.contains(&word.as_str()) || super::lexicon::TENS.contains(&word) {
        Join::KeepHyphen
    } else {
        Join::Rejoin
    }
}

/// What one raw character becomes.
enum Mapped {
    Drop,
    Space,
    Keep(char),
    Text(&'static str),
    Compat(char),
}

fn map_char(c: char) -> Mapped {
    match c {
        ' ' | '\t' => Mapped::Space,
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => Mapped::Drop,
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}' | '`' => Mapped::Text("'"),
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}' | '\u{00bb}' => Mapped::Text("\""),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' | '\u{fe63}' | '\u{ff0d}' => Mapped::Text("-"),
        '\u{2014}' | '\u{2015}' => Mapped::Text(" - "),
        '\u{2022}' | '\u{25cf}' | '\u{25aa}' | '\u{00b7}' => Mapped::Text("-"),
        c if c.is_whitespace() => Mapped::Space,
        c if c.is_control() => Mapped::Drop,
        c if c.is_ascii() => Mapped::Keep(c),
        c => Mapped::Compat(c),
    }
}

/// A printable ASCII byte that [`map_char`] keeps as it is, and that needs no
/// look at its neighbours (a period may close up a split clause number).
fn maps_to_itself(b: u8) -> bool {
    b.is_ascii_graphic() && b != b'.' && b != b'`'
}

/// How many bytes from the start of `bytes` are copied as they are: bytes
/// that map to themselves and single spaces between two of them (which
/// normalize to the same single space, anchored where the run continues).
fn run_len(bytes: &[u8]) -> usize {
    let mut n = 0;
    while let Some(&b) = bytes.get(n) {
        let kept = maps_to_itself(b) || (b == b' ' && n > 0 && bytes.get(n + 1).is_some_and(|&c| maps_to_itself(c)));
        if !kept {
            break;
        }
        n += 1;
    }
    n
}

/// Collects normalized output and its offset map, holding whitespace back until the
/// next visible character shows whether it should become a space or a line break.
struct Builder {
    out: String,
    map: OffsetMap,
    page: u32,
    /// Pending line breaks (capped at two: one blank line) and whether a space waits.
    breaks: u8,
    space: bool,
    /// Where the pending whitespace came from (page, raw offset).
    ws_at: (u32, usize),
    reading: Reading,
}

impl Builder {
    fn new(raw_lens: Vec<usize>, reading: Reading) -> Builder {
        Builder {
            out: String::new(),
            map: OffsetMap::new(raw_lens),
            page: 1,
            breaks: 0,
            space: false,
            ws_at: (1, 0),
            reading,
        }
    }

    fn newline(&mut self, raw: usize, blank: bool) {
        if self.out.is_empty() {
            return;
        }
        if self.breaks == 0 {
            self.ws_at = (self.page, raw);
        }
        self.breaks = (self.breaks + 1 + u8::from(blank)).min(2);
        self.space = false;
    }

    fn space(&mut self, raw: usize) {
        if !self.out.is_empty() && self.breaks == 0 && !self.space {
            self.space = true;
            self.ws_at = (self.page, raw);
        }
    }

    fn flush(&mut self) {
        let (page, raw) = self.ws_at;
        if self.breaks > 0 {
            self.map.push(self.out.len(), page, raw);
            self.out.push_str(if self.breaks > 1 { "\n\n" } else { "\n" });
        } else if self.space {
            self.map.push(self.out.len(), page, raw);
            self.out.push(' ');
        }
        self.breaks = 0;
        self.space = false;
    }

    fn emit(&mut self, s: &str, raw: usize) {
        for (i, part) in s.split(' ').enumerate() {
            if i > 0 {
                self.space(raw);
            }
            if part.is_empty() {
                continue;
            }
            self.flush();
            self.map.push(self.out.len(), self.page, raw);
            self.out.push_str(part);
        }
    }

    fn emit_char(&mut self, c: char, raw: usize) {
        self.flush();
        self.map.push(self.out.len(), self.page, raw);
        self.out.push(c);
    }

    /// Characters each kept as they are: the same as emitting them one by
    /// one, whose offsets continue one run and add no anchor after the first.
    fn emit_run(&mut self, run: &str, raw: usize) {
        self.flush();
        self.map.push(self.out.len(), self.page, raw);
        self.out.push_str(run);
    }

    fn line(&mut self, raw: &str, line: &Line, join: Join) {
        let text = line.text(raw);
        let body = match join {
            Join::Rejoin => text.trim_end().trim_end_matches(['-', '\u{ad}']),
            Join::KeepHyphen => text.trim_end(),
            Join::Break => text,
        };
        if body.trim().is_empty() {
            self.newline(line.start, true);
            return;
        }
        let mut i = 0;
        while i < body.len() {
            // Most of a contract is printable ASCII that maps to itself: copied
            // as runs, it skips the character-by-character mapping and anchoring.
            let run = match self.reading {
                Reading::Runs => run_len(&body.as_bytes()[i..]),
                Reading::CharByChar => 0,
            };
            if run > 0 {
                self.emit_run(&body[i..i + run], line.start + i);
                i += run;
                continue;
            }
            let Some(c) = body[i..].chars().next() else { break };
            let at = line.start + i;
            i += c.len_utf8();
            match map_char(c) {
                Mapped::Drop => {}
                Mapped::Space => self.space(at),
                Mapped::Keep('.') if self.space && self.out.ends_with(|d: char| d.is_ascii_digit()) => {
                    // "3 .1" → "3.1": a clause number split by extraction.
                    if body[i..].starts_with(|n: char| n.is_ascii_digit()) {
                        self.space = false;
                    }
                    self.emit_char('.', at);
                }
                Mapped::Keep(k) => self.emit_char(k, at),
                Mapped::Text(s) => self.emit(s, at),
                Mapped::Compat(c) => {
                    let mut buf = [0u8; 4];
                    let folded: String = c.encode_utf8(&mut buf).nfkc().collect();
                    for f in folded.chars() {
                        match map_char(f) {
                            Mapped::Keep(k) | Mapped::Compat(k) => self.emit_char(k, at),
                            Mapped::Text(s) => self.emit(s, at),
                            Mapped::Space => self.space(at),
                            Mapped::Drop => {}
                        }
                    }
                }
            }
        }
        match join {
            Join::Break => self.newline(line.end, false),
            Join::Rejoin | Join::KeepHyphen => {}
        }
    }

    /// Continues with a piece of the same page normalized on its own after a
    /// blank line: what that piece's builder ignored at its start (whitespace
    /// before any text) is exactly what this one has pending.
    fn append(&mut self, part: Builder) {
        if part.out.is_empty() {
            return;
        }
        self.flush();
        let shift = self.out.len();
        for a in part.map.anchors() {
            self.map.push(a.norm + shift, a.page, a.raw);
        }
        self.out.push_str(&part.out);
        (self.breaks, self.space, self.ws_at) = (part.breaks, part.space, part.ws_at);
    }

    fn finish(mut self, page_count: u32) -> Text {
        if self.out.is_empty() {
            self.map.push(0, 1, 0);
        }
        Text::new(self.out, self.map, page_count)
    }
}

#[cfg(test)]
mod tests;
