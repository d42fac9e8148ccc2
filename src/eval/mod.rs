//! `redflag eval`: how a rule pack does on documents someone already labelled.
//!
//! The gold file says, per document and label, whether the clause is there and
//! where ([`gold`]); a label map says which rules answer which label ([`map`]);
//! [`score`] counts hits by words. The binary audits the documents and feeds
//! each result to an [`Evaluation`].

mod cases;
mod gold;
mod map;
mod score;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use cases::{Case, CaseCounts, CaseMiss, CaseScore, CasesError, Expect as CaseExpect, load_cases, score_cases};
pub use gold::{Gold, GoldError};
pub use map::{LabelMap, MapError};
pub use score::{Counts, Miss, MissKind};

use crate::document::DocumentResult;

/// Figures per label, and what could not be scored.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evaluation {
    /// Counts per gold label.
    pub labels: BTreeMap<String, Counts>,
    /// Documents scored.
    pub documents: usize,
    /// Documents named in the gold file but not found in the corpus.
    pub missing: Vec<String>,
    /// Documents that could not be read: (file, why).
    pub unread: Vec<(String, String)>,
    /// Gold labels no rule is mapped to; not scored.
    pub unmapped: Vec<String>,
    /// Wrong findings and missed clauses, by document.
    pub misses: Vec<(String, Miss)>,
}

impl Evaluation {
    /// An empty evaluation of the labels `map` answers.
    pub fn new(gold: &Gold, map: &LabelMap) -> Evaluation {
        let unmapped = gold.labels().into_iter().filter(|l| !map.contains(l)).map(String::from).collect();
        Evaluation { unmapped, ..Evaluation::default() }
    }

    /// Scores one audited document against its gold labels.
    pub fn add(&mut self, gold: &Gold, map: &LabelMap, file: &str, result: &DocumentResult) {
        let Some(labels) = gold.documents.get(file) else {
            return;
        };
        match (&result.error, &result.text) {
            (None, Some(text)) => {
                self.documents += 1;
                let misses = score::score_document(text, &result.findings, labels, map, &mut self.labels);
                self.misses.extend(misses.into_iter().map(|m| (file.to_string(), m)));
            }
            (error, _) => {
                let why = error.as_ref().map_or_else(|| "no text".to_string(), ToString::to_string);
                self.unread.push((file.to_string(), why));
            }
        }
    }

    /// Every label summed: the micro average.
    pub fn micro(&self) -> Counts {
        let mut all = Counts::default();
        for c in self.labels.values() {
            all.add(c);
        }
        all
    }
}

/// Where a gold file's document is: `corpus/file`, else `corpus/<file name>`
/// (so both the corpus root and its `contracts/` folder can be given).
pub fn resolve(corpus: &Path, file: &str) -> Option<PathBuf> {
    let direct = corpus.join(file);
    if direct.is_file() {
        return Some(direct);
    }
    let by_name = corpus.join(Path::new(file).file_name()?);
    by_name.is_file().then_some(by_name)
}
