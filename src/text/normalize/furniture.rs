//! Page numbers and running headers and footers: lines that repeat on most
//! pages at a page's edge, found by comparing pages, and dropped.

use std::collections::HashMap;

use super::lines::{Line, split_lines};

/// Page numbers and running headers/footers, found by comparing pages.
pub(super) struct PageFurniture {
    /// (page index, line index) pairs to drop.
    drop: std::collections::HashSet<(usize, usize)>,
}

impl PageFurniture {
    /// Lines near the top or bottom of a page that are page numbers, or that repeat on
    /// at least half of the pages (and at least three), are furniture. A one-page
    /// document has nothing to compare with: only "Page 1 of 1" and a short
    /// confidentiality legend at its edges are dropped there.
    pub(super) fn find(pages: &[&str]) -> PageFurniture {
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

    pub(super) fn is_furniture(&self, page: usize, line: usize) -> bool {
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
