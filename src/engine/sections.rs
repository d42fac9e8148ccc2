//! Section paths for findings, built once per section and shared.

use std::sync::{Arc, OnceLock};

use crate::outline::Outline;

/// Section paths built once per section and shared by its findings: a path
/// built for every finding cost 2 MB on a long contract, and one built for every
/// section up front cost more (most sections hold no finding).
pub(super) struct SectionPaths<'a> {
    outline: &'a Outline,
    built: Vec<OnceLock<Arc<[String]>>>,
    top: Arc<[String]>,
}

impl<'a> SectionPaths<'a> {
    pub(super) fn new(outline: &'a Outline) -> Self {
        SectionPaths { outline, built: outline.sections.iter().map(|_| OnceLock::new()).collect(), top: Arc::new([]) }
    }

    pub(super) fn get(&self, section: Option<usize>) -> Arc<[String]> {
        match section.and_then(|i| self.built.get(i)) {
            Some(cell) => cell.get_or_init(|| self.outline.path(section).into()).clone(),
            None => self.top.clone(),
        }
    }
}
