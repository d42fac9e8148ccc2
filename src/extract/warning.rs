//! What a report says was not read in full: page states and unread parts
//! grouped into warnings, one per cause, naming their pages.

use super::ocr::{LOW_CONFIDENCE, MIN_JUDGED_WORDS};
use super::{Extracted, PageState};

/// What was read only in part, or read another way (OCR); the rest of the
/// document is still audited.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// What went wrong.
    pub kind: WarningKind,
    /// The pages it concerns.
    pub pages: Vec<u32>,
    /// What a report says.
    pub message: String,
    /// Mean OCR word confidence (0–100) of the pages, for OCR warnings.
    pub confidence: Option<f64>,
}

impl Warning {
    fn new(kind: WarningKind, pages: Vec<u32>, message: String) -> Warning {
        Warning { kind, pages, message, confidence: None }
    }

    /// Whether text may be missing or wrong because of it (exit 3 unless
    /// `--allow-partial`); pages read by OCR with good confidence were read.
    pub fn is_loss(&self) -> bool {
        self.kind != WarningKind::Ocr
    }

    /// How reports head it: `warning`, or `note` when nothing was lost.
    pub fn label(&self) -> &'static str {
        if self.is_loss() { "warning" } else { "note" }
    }
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
    /// Pages were read by OCR (informational).
    Ocr,
    /// Pages were read by OCR with low confidence: their text may be wrong.
    OcrLowConfidence,
}

impl Extracted {
    /// Warnings for the pages that were not read, grouped by cause, then the
    /// pages read by OCR.
    pub fn warnings(&self) -> Vec<Warning> {
        let numbered = |want: fn(&PageState) -> bool| -> Vec<u32> {
            self.pages.iter().zip(1u32..).filter(|(p, _)| want(&p.state)).map(|(_, n)| n).collect()
        };
        let its = |pages: &[u32]| if pages.len() == 1 { "its" } else { "their" };
        let mut out = Vec::new();
        let scanned = numbered(|s| *s == PageState::NoTextLayer);
        if !scanned.is_empty() {
            let message = format!(
                "{} no text layer (scanned or image-only); {} content was not audited{}",
                pages_phrase(&scanned, "has", "have"),
                its(&scanned),
                self.why_no_ocr(&scanned)
            );
            out.push(Warning::new(WarningKind::NoTextLayer, scanned, message));
        }
        let thin = numbered(|s| matches!(s, PageState::Thin { .. }));
        if !thin.is_empty() {
            let message = format!(
                "{} read thinly: the page draws several times more text than was extracted (text shown with operators the extractor skips?); what was read was audited, the rest may be missing",
                pages_phrase(&thin, "was", "were"),
            );
            out.push(Warning::new(WarningKind::ThinText, thin, message));
        }
        let partial = numbered(|s| matches!(s, PageState::Partial(_) | PageState::Damaged(_)));
        if !partial.is_empty() {
            let why = self.pages.iter().find_map(|p| match &p.state {
                PageState::Partial(m) | PageState::Damaged(m) => Some(m.as_str()),
                _ => None,
            });
            let message = format!(
                "{} read only in part ({}); what was read was audited",
                pages_phrase(&partial, "was", "were"),
                why.unwrap_or_default()
            );
            out.push(Warning::new(WarningKind::PartialPage, partial, message));
        }
        let garbled = numbered(|s| *s == PageState::Garbled);
        if !garbled.is_empty() {
            let message = format!(
                "{} a text layer that is not language (a font without a map from its codes to letters?); {} content was not audited{}",
                pages_phrase(&garbled, "has", "have"),
                its(&garbled),
                self.why_no_ocr(&garbled)
            );
            out.push(Warning::new(WarningKind::UnreadableText, garbled, message));
        }
        for (page, hidden) in self.pages.iter().zip(1u32..).filter_map(|(p, n)| Some((n, p.hidden.as_ref()?))) {
            let quoted: String = hidden.text.chars().filter(|c| !c.is_control()).take(120).collect();
            let message = format!(
                "page {page} holds text no reader sees ({}): \"{quoted}{}\"; {} — ask why it is there",
                hidden.why,
                if hidden.text.chars().count() > 120 { "…" } else { "" },
                if hidden.removed {
                    "it was left out of the audit"
                } else {
                    "it could not be taken out of the page and was audited with it"
                }
            );
            out.push(Warning::new(WarningKind::HiddenText, vec![page], message));
        }
        for &page in &self.ocr.cropped {
            let message = format!(
                "page {page} is larger than 17 × 22 inches; OCR read only its top-left 17 × 22 inches, the rest was not audited"
            );
            out.push(Warning::new(WarningKind::PartialPage, vec![page], message));
        }
        for (page, what) in &self.unread {
            out.push(Warning::new(
                WarningKind::PartialPage,
                vec![*page],
                format!("page {page} holds {what}; not read"),
            ));
        }
        let failed = numbered(|s| matches!(s, PageState::Failed(_)));
        if !failed.is_empty() {
            let why = self.pages.iter().find_map(|p| match &p.state {
                PageState::Failed(m) => Some(m.clone()),
                _ => None,
            });
            let message = format!(
                "{} could not be extracted ({}); not audited",
                pages_phrase(&failed, "", ""),
                why.unwrap_or_default()
            );
            out.push(Warning::new(WarningKind::PageFailed, failed, message));
        }
        out.extend(self.ocr_warnings());
        out
    }

    /// Why pages that needed OCR were not read by it ("" when nothing was tried).
    fn why_no_ocr(&self, pages: &[u32]) -> String {
        if let Some(why) = &self.ocr.not_run {
            return format!(" — {why}");
        }
        let failed: Vec<String> = self
            .ocr
            .failed
            .iter()
            .filter(|(n, _)| pages.contains(n))
            .map(|(n, why)| format!("page {n}: {why}"))
            .collect();
        if failed.is_empty() { String::new() } else { format!(" — OCR failed ({})", failed.join("; ")) }
    }

    /// The `ocr` warning (pages read by OCR, mean confidence weighted by
    /// words) and the `ocr_low_confidence` one.
    fn ocr_warnings(&self) -> Vec<Warning> {
        let read: Vec<(u32, u8, u32)> = self
            .pages
            .iter()
            .zip(1u32..)
            .filter_map(|(p, n)| match p.state {
                PageState::Ocr { confidence, words } => Some((n, confidence, words)),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        // Pages OCR failed on that kept their text layer (`--ocr always`);
        // failures on unread pages are told in those pages' warnings.
        let kept: Vec<&(u32, String)> = self
            .ocr
            .failed
            .iter()
            .filter(|(n, _)| {
                self.pages
                    .get(*n as usize - 1)
                    .is_some_and(|p| !matches!(p.state, PageState::NoTextLayer | PageState::Garbled))
            })
            .collect();
        if !kept.is_empty() {
            let pages: Vec<u32> = kept.iter().map(|k| k.0).collect();
            let why: Vec<String> = kept.iter().map(|(n, why)| format!("page {n}: {why}")).collect();
            let message = format!(
                "OCR failed on {} ({}); the text layer was audited instead",
                pages_phrase(&pages, "", ""),
                why.join("; ")
            );
            out.push(Warning::new(WarningKind::Ocr, pages, message));
        }
        if read.is_empty() {
            return out;
        }
        let words: u32 = read.iter().map(|r| r.2).sum();
        let mean = if words == 0 {
            0.0
        } else {
            read.iter().map(|r| f64::from(r.1) * f64::from(r.2)).sum::<f64>() / f64::from(words)
        };
        let mean = (mean * 10.0).round() / 10.0;
        let pages: Vec<u32> = read.iter().map(|r| r.0).collect();
        let message = if words == 0 {
            format!("{} read by OCR (tesseract), which found no words", pages_phrase(&pages, "was", "were"))
        } else {
            format!(
                "{} read by OCR (tesseract; mean word confidence {mean:.0} of 100); check figures quoted from {} against the page",
                pages_phrase(&pages, "was", "were"),
                if pages.len() == 1 { "it" } else { "them" }
            )
        };
        out.insert(0, Warning { confidence: Some(mean), ..Warning::new(WarningKind::Ocr, pages, message) });
        let low: Vec<(u32, u8)> =
            read.iter().filter(|r| r.2 >= MIN_JUDGED_WORDS && r.1 < LOW_CONFIDENCE).map(|r| (r.0, r.1)).collect();
        if !low.is_empty() {
            let pages: Vec<u32> = low.iter().map(|r| r.0).collect();
            let confidences: Vec<u8> = low.iter().map(|r| r.1).collect();
            let worst = confidences.iter().min().copied().unwrap_or(0);
            let message = format!(
                "{} read by OCR with low confidence (as low as {worst}, under {LOW_CONFIDENCE}): words may be wrong or missing; check {} by eye",
                pages_phrase(&pages, "was", "were"),
                if pages.len() == 1 { "the page" } else { "the pages" }
            );
            let confidence =
                f64::from(confidences.iter().map(|c| u32::from(*c)).sum::<u32>()) / confidences.len() as f64;
            out.push(Warning {
                confidence: Some((confidence * 10.0).round() / 10.0),
                ..Warning::new(WarningKind::OcrLowConfidence, pages, message)
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
