//! Normalized document text and the way back to the source.
//!
//! Extraction hands over raw page texts; [`normalize`] turns them into one
//! [`Text`] whose bytes every later stage (outline, matching, reports) addresses.
//! [`OffsetMap`] keeps, for every normalized byte, the page it came from and its
//! offset in that page's raw text, so a finding can always cite its page.

mod flat;
pub(crate) mod lexicon;
mod normalize;
mod offsets;
mod span;

pub use flat::Flat;
pub use normalize::normalize;
pub(crate) use offsets::OffsetMap;
pub use span::Span;

/// `text[at..]` cut to about `len` bytes (at the next character boundary), for
/// handing to a pest rule that cannot read further. pest describes a failed
/// parse by copying out the line it failed on, so parsing a short rule against
/// the whole rest of a long line costs time in proportion to the line: reading
/// every quantity of a 3 MB document without line breaks took 54 s.
pub(crate) fn window(text: &str, at: usize, len: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    &rest[..rest.ceil_char_boundary(len.min(rest.len()))]
}

/// The normalized text of one document with its line and page index.
#[derive(Debug, Clone)]
pub struct Text {
    text: String,
    map: OffsetMap,
    line_starts: Vec<usize>,
    page_count: u32,
}

impl Text {
    pub(crate) fn new(text: String, map: OffsetMap, page_count: u32) -> Text {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Text { text, map, line_starts, page_count }
    }

    /// The normalized text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The normalized text, owned.
    pub fn into_string(self) -> String {
        self.text
    }

    /// Bytes of text.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    #[cfg(test)]
    pub(crate) fn map(&self) -> &OffsetMap {
        &self.map
    }

    /// Pages in the source document, including pages that yielded no text.
    pub fn page_count(&self) -> u32 {
        self.page_count
    }

    /// 1-based page of a normalized byte offset.
    pub fn page_of(&self, offset: usize) -> u32 {
        self.map.locate(offset).map_or(1, |a| a.page)
    }

    /// 1-based line of a normalized byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        let idx = self.line_starts.partition_point(|&s| s <= offset);
        u32::try_from(idx.max(1)).unwrap_or(u32::MAX)
    }

    /// 1-based line of a normalized byte offset, counted from the first line
    /// of its page (what a reader finds holding the printed page).
    pub fn page_line(&self, offset: usize) -> u32 {
        let start = self.map.page_start(self.page_of(offset)).unwrap_or(0).min(offset);
        self.line_of(offset).saturating_sub(self.line_of(start)).saturating_add(1)
    }

    /// Byte range of the 1-based `line`, without its newline.
    pub fn line_span(&self, line: u32) -> Span {
        let i = (line.max(1) - 1) as usize;
        let start = self.line_starts.get(i).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(i + 1).map_or(self.text.len(), |&n| n.saturating_sub(1));
        Span::new(start, end.max(start))
    }

    /// The text of `span` (empty when out of bounds).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const SOFT_HYPHEN: char = '\u{ad}';

    /// Raw text with what normalization rewrites: ligatures, soft hyphens, quotes,
    /// hyphenated line ends, whitespace runs, split clause numbers, CRLF.
    fn raw_page() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("recoup-\nment ".to_string()),
                Just("\u{fb01}rst ".to_string()),
                Just("pay\u{ad}ment ".to_string()),
                Just("\u{201c}Clean\u{201d} ".to_string()),
                Just("3 .1 ".to_string()),
                Just("   \t ".to_string()),
                Just("\r\n\r\n".to_string()),
                Just("Page 2 of 9\n".to_string()),
                Just("\u{200b}".to_string()),
                "[a-zA-Z0-9.,;()]{1,12} ",
                "\\PC{1,4}",
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn offset_map_is_monotone_in_bounds_and_paged(pages in prop::collection::vec(raw_page(), 1..4)) {
            let text = normalize(&pages);
            let anchors = text.map().anchors();
            for w in anchors.windows(2) {
                prop_assert!(w[0].norm < w[1].norm, "anchors strictly increase: {:?}", w);
                prop_assert!(w[0].page <= w[1].page);
                if w[0].page == w[1].page {
                    prop_assert!(w[0].raw <= w[1].raw, "raw offsets monotone within a page: {:?}", w);
                }
            }
            let mut last = (1u32, 0usize);
            for (i, _) in text.as_str().char_indices() {
                let a = text.map().locate(i).expect("every normalized byte maps to a page");
                prop_assert!(a.page >= 1 && a.page as usize <= pages.len());
                prop_assert!(a.raw <= pages[a.page as usize - 1].len(), "raw offset in bounds");
                prop_assert!((a.page, a.raw) >= last, "locate is monotone");
                last = (a.page, a.raw);
                prop_assert_eq!(text.page_of(i), a.page);
            }
            prop_assert!(!text.as_str().contains("  "), "whitespace runs collapse");
            prop_assert!(!text.as_str().contains(SOFT_HYPHEN), "soft hyphens removed");
        }

        #[test]
        fn pages_normalized_in_pieces_are_normalized_whole(pages in prop::collection::vec(raw_page(), 1..4)) {
            use normalize::Reading::{CharByChar, Runs};
            let whole = normalize::normalize_in_pieces(&pages, usize::MAX, CharByChar);
            for piece in [1, 7, 64, usize::MAX] {
                let pieces = normalize::normalize_in_pieces(&pages, piece, Runs);
                prop_assert_eq!(pieces.as_str(), whole.as_str(), "pieces of {}", piece);
                prop_assert_eq!(pieces.map().anchors(), whole.map().anchors(), "pieces of {}", piece);
            }
        }
    }
}
