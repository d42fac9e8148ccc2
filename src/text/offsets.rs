//! From normalized bytes back to pages and raw offsets.
//!
//! Normalization copies most bytes unchanged and rewrites a few (ligatures,
//! quotes, whitespace runs, hyphenation). Rather than one entry per byte, the map
//! stores an [`Anchor`] wherever the correspondence jumps; between anchors the
//! normalized and raw offsets advance together. Lookups are a binary search.

/// The normalized offset `norm` corresponds to byte `raw` of page `page`'s raw text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub norm: usize,
    pub page: u32,
    pub raw: usize,
}

/// Monotone anchors, sorted by `norm` and, within a page, by `raw`.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    anchors: Vec<Anchor>,
    /// Length of each page's raw text, to keep answers in bounds.
    raw_lens: Vec<usize>,
}

impl OffsetMap {
    pub(crate) fn new(raw_lens: Vec<usize>) -> OffsetMap {
        OffsetMap { anchors: Vec::new(), raw_lens }
    }

    /// Records that normalized byte `norm` comes from `raw` on `page` (1-based).
    /// Anchors that would add nothing (the same run continuing) are skipped.
    pub(crate) fn push(&mut self, norm: usize, page: u32, raw: usize) {
        if let Some(last) = self.anchors.last() {
            let continues = last.page == page && raw >= last.raw && raw - last.raw == norm - last.norm;
            if continues {
                return;
            }
            if last.norm == norm {
                self.anchors.pop();
            }
        }
        self.anchors.push(Anchor { norm, page, raw });
    }

    pub fn anchors(&self) -> &[Anchor] {
        &self.anchors
    }

    /// The first normalized offset of `page` (1-based), if it has any text.
    pub fn page_start(&self, page: u32) -> Option<usize> {
        let i = self.anchors.partition_point(|a| a.page < page);
        self.anchors.get(i).filter(|a| a.page == page).map(|a| a.norm)
    }

    /// The page and raw offset of a normalized offset.
    pub fn locate(&self, norm: usize) -> Option<Anchor> {
        let i = self.anchors.partition_point(|a| a.norm <= norm);
        let a = self.anchors.get(i.checked_sub(1)?)?;
        let limit = self.raw_lens.get(a.page as usize - 1).copied().unwrap_or(a.raw);
        let next_raw = self.anchors.get(i).filter(|n| n.page == a.page).map_or(limit, |n| n.raw);
        let raw = (a.raw + (norm - a.norm)).min(next_raw.max(a.raw)).min(limit);
        Some(Anchor { norm, page: a.page, raw })
    }
}
