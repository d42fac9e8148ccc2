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

use std::collections::HashMap;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

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

/// A line of raw page text, as a byte range without its line terminator.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

impl Line {
    fn text<'a>(&self, raw: &'a str) -> &'a str {
        &raw[self.start..self.end]
    }
}

/// Lines end at `\n`, `\r\n`, `\r`, form feed or vertical tab. Nearly every
/// text breaks lines with `\n` alone; those are found with SIMD (`memchr`),
/// and the rest are walked byte by byte.
fn split_lines(raw: &str) -> Vec<Line> {
    let bytes = raw.as_bytes();
    if memchr::memchr3(b'\r', b'\x0c', b'\x0b', bytes).is_some() {
        return split_lines_bytewise(raw);
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes) {
        lines.push(Line { start, end });
        start = end + 1;
    }
    if start < raw.len() {
        lines.push(Line { start, end: raw.len() });
    }
    lines
}

fn split_lines_bytewise(raw: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\x0c' | b'\x0b' => {
                lines.push(Line { start, end: i });
                start = i + 1;
            }
            b'\r' => {
                lines.push(Line { start, end: i });
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < raw.len() {
        lines.push(Line { start, end: raw.len() });
    }
    lines
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

/// Page numbers and running headers/footers, found by comparing pages.
struct PageFurniture {
    /// (page index, line index) pairs to drop.
    drop: std::collections::HashSet<(usize, usize)>,
}

impl PageFurniture {
    /// Lines near the top or bottom of a page that are page numbers, or that repeat on
    /// at least half of the pages (and at least three), are furniture. A one-page
    /// document has nothing to compare with: only "Page 1 of 1" and a short
    /// confidentiality legend at its edges are dropped there.
    fn find(pages: &[&str]) -> PageFurniture {
        let mut drop = std::collections::HashSet::new();
        if pages.len() < 2 {
            if let Some(raw) = pages.first() {
                let lines = split_lines(raw);
                for li in edge_lines(raw, &lines) {
                    let text = lines[li].text(raw);
                    if is_page_of(text) || is_legend(text) {
                        drop.insert((0, li));
                    }
                }
            }
            return PageFurniture { drop };
        }
        let mut candidates: Vec<(usize, usize, String)> = Vec::new();
        for (p, raw) in pages.iter().enumerate() {
            let lines = split_lines(raw);
            for li in edge_lines(raw, &lines) {
                let text = lines[li].text(raw);
                if is_page_number(text) {
                    drop.insert((p, li));
                } else {
                    candidates.push((p, li, furniture_key(text)));
                }
            }
        }
        let mut pages_with: HashMap<&str, std::collections::HashSet<usize>> = HashMap::new();
        for (p, _, key) in &candidates {
            pages_with.entry(key.as_str()).or_default().insert(*p);
        }
        // Half the pages, at least three — or both pages of a two-page document.
        let needed = if pages.len() == 2 { 2 } else { pages.len().div_ceil(2).max(3) };
        for (p, li, key) in &candidates {
            if pages_with.get(key.as_str()).is_some_and(|s| s.len() >= needed) {
                drop.insert((*p, *li));
            }
        }
        PageFurniture { drop }
    }

    fn is_furniture(&self, page: usize, line: usize) -> bool {
        self.drop.contains(&(page, line))
    }
}

/// The first two and last two non-blank lines of a page.
fn edge_lines(raw: &str, lines: &[Line]) -> Vec<usize> {
    let visible: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].text(raw).trim().is_empty()).collect();
    let n = visible.len();
    let mut edge: Vec<usize> =
        visible.iter().take(2).chain(visible.iter().skip(n.saturating_sub(2))).copied().collect();
    edge.dedup();
    edge
}

/// "Page 1 of 1": a page number that says so, safe to drop even with no other page to compare.
fn is_page_of(line: &str) -> bool {
    let t = line.trim().to_lowercase();
    t.starts_with("page") && t.contains(" of ") && is_page_number(line)
}

/// "Acme Health Plan - Confidential", "CONFIDENTIAL AND PROPRIETARY": a short
/// legend, not a sentence.
fn is_legend(line: &str) -> bool {
    let t = line.trim().to_lowercase();
    (t.contains("confidential") || t.contains("proprietary"))
        && t.split_whitespace().count() <= 8
        && !t.ends_with(['.', ';', ':', ','])
}

/// "7", "- 7 -", "Page 7", "Page 7 of 12", "7/12", "vii"
fn is_page_number(line: &str) -> bool {
    let t = line.trim().to_lowercase();
    let t = t.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace() || c == '[' || c == ']');
    let t = t.strip_prefix("page").map_or(t, str::trim_start);
    let mut parts = t.splitn(2, ['/', ' ']);
    let first = parts.next().unwrap_or("");
    let rest = parts.next().map(|r| r.trim().trim_start_matches("of").trim());
    let is_num = |s: &str| {
        !s.is_empty()
            && s.len() <= 4
            && (s.chars().all(|c| c.is_ascii_digit()) || s.chars().all(|c| "ivxlc".contains(c)))
    };
    is_num(first) && rest.is_none_or(is_num)
}

/// Running headers often carry the page number ("Acme Agreement — Page 3 of 12"):
/// such lines compare with their digits masked.
fn furniture_key(line: &str) -> String {
    let t: String = line.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if t.contains("page") { t.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect() } else { t }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn lines_split_alike_with_memchr_and_byte_by_byte(s in "[a\n\r\x0b\x0cé ]{0,40}") {
            let spans = |lines: Vec<Line>| lines.into_iter().map(|l| (l.start, l.end)).collect::<Vec<_>>();
            prop_assert_eq!(spans(split_lines(&s)), spans(split_lines_bytewise(&s)));
            let plain = s.replace(['\r', '\x0b', '\x0c'], "\n");
            prop_assert_eq!(spans(split_lines(&plain)), spans(split_lines_bytewise(&plain)));
        }
    }

    fn norm(pages: &[&str]) -> String {
        let pages: Vec<String> = pages.iter().map(|s| s.to_string()).collect();
        normalize(&pages).as_str().to_string()
    }

    #[test]
    fn ligatures_quotes_and_soft_hyphens() {
        assert_eq!(
            norm(&["the \u{fb01}rst \u{201c}Clean Claim\u{201d} is Plan\u{2019}s pay\u{ad}ment"]),
            "the first \"Clean Claim\" is Plan's payment"
        );
    }

    #[test]
    fn rejoins_hyphenated_words_but_keeps_compounds() {
        assert_eq!(norm(&["Plan may recoup-\nment of over-\npayments", ""]), "Plan may recoupment of overpayments");
        assert_eq!(norm(&["the federal anti-\nkickback statute"]), "the federal anti-kickback statute");
        assert_eq!(norm(&["within forty-\nfive (45) days"]), "within forty-five (45) days");
    }

    #[test]
    fn collapses_whitespace_and_blank_lines() {
        assert_eq!(norm(&["  a   b\t\tc  \n\n\n\n  d  "]), "a b c\n\nd");
    }

    #[test]
    fn repairs_split_clause_numbers() {
        assert_eq!(
            norm(&["3 .1 Payment. Section 12 .4 applies; 3 . items"]),
            "3.1 Payment. Section 12.4 applies; 3 . items"
        );
    }

    #[test]
    fn drops_page_numbers_and_running_headers() {
        let pages = [
            "ACME PROVIDER AGREEMENT\nFirst page text.\nPage 1 of 3",
            "ACME PROVIDER AGREEMENT\nSecond page text.\nPage 2 of 3",
            "ACME PROVIDER AGREEMENT\nThird page text.\n3",
        ];
        assert_eq!(norm(&pages), "First page text.\nSecond page text.\nThird page text.");
    }

    #[test]
    fn one_page_documents_lose_page_of_and_legends_only() {
        let page =
            ["Summit Health - Confidential\nAMENDMENT\nConfidential information stays confidential.\n7\nPage 1 of 1"];
        assert_eq!(norm(&page), "AMENDMENT\nConfidential information stays confidential.\n7");
    }

    #[test]
    fn two_page_documents_lose_their_running_header() {
        let pages = ["Acme Plan - Confidential\nFirst page.", "Acme Plan - Confidential\nSecond page."];
        assert_eq!(norm(&pages), "First page.\nSecond page.");
    }

    #[test]
    fn pages_map_back() {
        let pages = vec!["one\n".to_string(), "two".to_string()];
        let t = normalize(&pages);
        assert_eq!(t.as_str(), "one\ntwo");
        assert_eq!(t.page_of(0), 1);
        assert_eq!(t.page_of(4), 2);
        assert_eq!(t.map().locate(5).map(|a| (a.page, a.raw)), Some((2, 1)));
    }
}
