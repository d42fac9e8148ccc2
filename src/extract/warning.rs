//! What a report says was not read in full: page states and unread parts
//! grouped into warnings, one per cause, naming their pages.

use super::{Extracted, PageState};

/// What was read only in part; the rest of the document is still audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What went wrong.
    pub kind: WarningKind,
    /// The pages it concerns.
    pub pages: Vec<u32>,
    /// What a report says.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// What was not read.
pub enum WarningKind {
    /// Pages are images (scans): not audited.
    NoTextLayer,
    /// The reader failed on pages.
    PageFailed,
    /// Pages gave far less text than they draw.
    ThinText,
    /// Part of a page was not read: its content stream broke part-way, or it
    /// holds content the reader cannot read.
    PartialPage,
    /// A page's text layer is gibberish (a font without a Unicode map).
    UnreadableText,
    /// Text on a page is drawn invisibly (white, tiny, clipped, off the page).
    HiddenText,
}

impl Extracted {
    /// Warnings for the pages that were not read, grouped by cause.
    pub fn warnings(&self) -> Vec<Warning> {
        let numbered = |want: fn(&PageState) -> bool| -> Vec<u32> {
            self.pages.iter().zip(1u32..).filter(|(p, _)| want(&p.state)).map(|(_, n)| n).collect()
        };
        let mut out = Vec::new();
        let scanned = numbered(|s| *s == PageState::NoTextLayer);
        if !scanned.is_empty() {
            out.push(Warning {
                kind: WarningKind::NoTextLayer,
                message: format!(
                    "{} no text layer (scanned or image-only); {} content was not audited",
                    pages_phrase(&scanned, "has", "have"),
                    if scanned.len() == 1 { "its" } else { "their" }
                ),
                pages: scanned,
            });
        }
        let thin = numbered(|s| matches!(s, PageState::Thin { .. }));
        if !thin.is_empty() {
            out.push(Warning {
                kind: WarningKind::ThinText,
                message: format!(
                    "{} read thinly: the page draws several times more text than was extracted (text shown with operators the extractor skips?); what was read was audited, the rest may be missing",
                    pages_phrase(&thin, "was", "were"),
                ),
                pages: thin,
            });
        }
        let partial = numbered(|s| matches!(s, PageState::Partial(_) | PageState::Damaged(_)));
        if !partial.is_empty() {
            let why = self.pages.iter().find_map(|p| match &p.state {
                PageState::Partial(m) | PageState::Damaged(m) => Some(m.as_str()),
                _ => None,
            });
            out.push(Warning {
                kind: WarningKind::PartialPage,
                message: format!(
                    "{} read only in part ({}); what was read was audited",
                    pages_phrase(&partial, "was", "were"),
                    why.unwrap_or_default()
                ),
                pages: partial,
            });
        }
        let garbled = numbered(|s| *s == PageState::Garbled);
        if !garbled.is_empty() {
            out.push(Warning {
                kind: WarningKind::UnreadableText,
                message: format!(
                    "{} a text layer that is not language (a font without a map from its codes to letters?); {} content was not audited",
                    pages_phrase(&garbled, "has", "have"),
                    if garbled.len() == 1 { "its" } else { "their" }
                ),
                pages: garbled,
            });
        }
        for (page, hidden) in self.pages.iter().zip(1u32..).filter_map(|(p, n)| Some((n, p.hidden.as_ref()?))) {
            let quoted: String = hidden.text.chars().filter(|c| !c.is_control()).take(120).collect();
            out.push(Warning {
                kind: WarningKind::HiddenText,
                pages: vec![page],
                message: format!(
                    "page {page} holds text no reader sees ({}): \"{quoted}{}\"; {} — ask why it is there",
                    hidden.why,
                    if hidden.text.chars().count() > 120 { "…" } else { "" },
                    if hidden.removed {
                        "it was left out of the audit"
                    } else {
                        "it could not be taken out of the page and was audited with it"
                    }
                ),
            });
        }
        for (page, what) in &self.unread {
            out.push(Warning {
                kind: WarningKind::PartialPage,
                pages: vec![*page],
                message: format!("page {page} holds {what}; not read"),
            });
        }
        let failed = numbered(|s| matches!(s, PageState::Failed(_)));
        if !failed.is_empty() {
            let why = self.pages.iter().find_map(|p| match &p.state {
                PageState::Failed(m) => Some(m.clone()),
                _ => None,
            });
            out.push(Warning {
                kind: WarningKind::PageFailed,
                message: format!(
                    "{} could not be extracted ({}); not audited",
                    pages_phrase(&failed, "", ""),
                    why.unwrap_or_default()
                ),
                pages: failed,
            });
        }
        out
    }
}

/// "page 3 has", "pages 13-14 have", "pages 2, 5 and 9 have"
fn pages_phrase(pages: &[u32], one: &str, many: &str) -> String {
    let verb = |v: &str| {
        if v.is_empty() { String::new() } else { format!(" {v}") }
    };
    match pages {
        [p] => format!("page {p}{}", verb(one)),
        _ => {
            let contiguous = pages.windows(2).all(|w| w[1] == w[0] + 1);
            let list = if contiguous {
                format!("{}-{}", pages[0], pages[pages.len() - 1])
            } else {
                let (last, rest) = pages.split_last().unwrap_or((&0, &[]));
                let rest: Vec<String> = rest.iter().map(u32::to_string).collect();
                format!("{} and {last}", rest.join(", "))
            };
            format!("pages {list}{}", verb(many))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_phrases() {
        assert_eq!(pages_phrase(&[3], "has", "have"), "page 3 has");
        assert_eq!(pages_phrase(&[13, 14], "has", "have"), "pages 13-14 have");
        assert_eq!(pages_phrase(&[2, 5, 9], "has", "have"), "pages 2, 5 and 9 have");
    }
}
