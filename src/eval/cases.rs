//! Scoring a pack on short labelled excerpts (`redflag eval --cases`): each
//! case is one clause or paragraph with a category and an expectation, `flag`
//! (a finding of that category must appear) or `clean` (none may), and
//! optionally the facts a finding must carry (`days`, `year`, `percent`).
//! The figures are per category: recall on the flags, the false-flag rate on
//! the cleans, precision, and how many expected facts were read.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::engine::Engine;
use crate::finding::Fact;

/// One labelled excerpt.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    /// A short id.
    pub id: String,
    /// The red-flag category it is about.
    pub category: String,
    /// Whether a finding of that category must appear.
    pub expect: Expect,
    /// Values a finding must carry (`days`, `year`, `percent`).
    #[serde(default)]
    pub facts: Option<BTreeMap<String, serde_json::Value>>,
    /// The excerpt.
    pub text: String,
}

/// What a case expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// A finding of the category must appear.
    Flag,
    /// None may.
    Clean,
}

/// A case file that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CasesError {
    /// It could not be read.
    #[error("cannot read case file {path}")]
    #[diagnostic(code(eval::cases_unreadable))]
    Unreadable {
        /// The path as given.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// It is not a list of cases.
    #[error("{path} is not a list of cases: {message}")]
    #[diagnostic(
        code(eval::cases_invalid),
        help("a JSON or YAML list of {{id, category, expect: flag|clean, text, facts?}}")
    )]
    Invalid {
        /// The path as given.
        path: String,
        /// What the parser said.
        message: String,
    },
}

/// Reads a JSON or YAML list of cases.
pub fn load_cases(path: &Path) -> Result<Vec<Case>, CasesError> {
    let shown = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|source| CasesError::Unreadable { path: shown.clone(), source })?;
    // JSON is YAML: one reader takes both.
    serde_yaml::from_str(&text).map_err(|e| CasesError::Invalid { path: shown, message: e.to_string() })
}

/// The figures of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CaseCounts {
    /// Flag cases found.
    pub flagged: usize,
    /// Flag cases missed.
    pub missed: usize,
    /// Clean cases left clean.
    pub clean: usize,
    /// Clean cases flagged.
    pub false_flags: usize,
    /// Found flag cases whose expected facts were all read.
    pub facts_right: usize,
    /// Found flag cases with expected facts.
    pub facts_expected: usize,
}

impl CaseCounts {
    /// Flags found, of all flag cases.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.flagged, self.flagged + self.missed)
    }

    /// Clean cases flagged, of all clean cases.
    pub fn false_flag_rate(&self) -> Option<f64> {
        ratio(self.false_flags, self.clean + self.false_flags)
    }

    /// Right flags, of all flags raised.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.flagged, self.flagged + self.false_flags)
    }

    fn add(&mut self, o: &CaseCounts) {
        self.flagged += o.flagged;
        self.missed += o.missed;
        self.clean += o.clean;
        self.false_flags += o.false_flags;
        self.facts_right += o.facts_right;
        self.facts_expected += o.facts_expected;
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// A case the pack got wrong.
#[derive(Debug, Clone, Serialize)]
pub struct CaseMiss {
    /// The case's id.
    pub id: String,
    /// Its category.
    pub category: String,
    /// `missed`, `false_flag` or `wrong_facts`.
    pub kind: &'static str,
    /// The rules that flagged a clean case, or the facts wanted and read.
    pub detail: String,
}

/// The score of a pack on a set of cases.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CaseScore {
    /// Figures per category.
    pub categories: BTreeMap<String, CaseCounts>,
    /// What went wrong, case by case.
    pub misses: Vec<CaseMiss>,
}

impl CaseScore {
    /// All categories together.
    pub fn total(&self) -> CaseCounts {
        let mut all = CaseCounts::default();
        for c in self.categories.values() {
            all.add(c);
        }
        all
    }
}

/// Audits every case with `engine` (on the threads of the current pool) and scores it.
pub fn score_cases(engine: &Engine, cases: &[Case]) -> CaseScore {
    let results: Vec<_> = cases
        .par_iter()
        .map(|c| {
            let doc = Document::from_text(&format!("{}\n", c.text));
            engine.audit(&doc).into_iter().filter(|f| *f.category == c.category).collect::<Vec<_>>()
        })
        .collect();
    let mut score = CaseScore::default();
    for (case, hits) in cases.iter().zip(results) {
        let row = score.categories.entry(case.category.clone()).or_default();
        let miss =
            |kind, detail: String| CaseMiss { id: case.id.clone(), category: case.category.clone(), kind, detail };
        match (case.expect, hits.is_empty()) {
            (Expect::Flag, true) => {
                row.missed += 1;
                score.misses.push(miss("missed", String::new()));
            }
            (Expect::Flag, false) => {
                row.flagged += 1;
                let wanted: Vec<(&String, f64)> = case
                    .facts
                    .iter()
                    .flatten()
                    .filter(|(k, _)| ["days", "year", "percent"].contains(&k.as_str()))
                    .filter_map(|(k, v)| v.as_f64().map(|v| (k, v)))
                    .collect();
                if wanted.is_empty() {
                    continue;
                }
                row.facts_expected += 1;
                let read = |name: &str| -> Vec<f64> {
                    hits.iter()
                        .filter_map(|f| match f.facts.get(name) {
                            Some(Fact::Int(i)) => Some(*i as f64),
                            Some(Fact::Number(n)) => Some(*n),
                            _ => None,
                        })
                        .collect()
                };
                if wanted.iter().all(|(k, w)| read(k).iter().any(|v| close(*v, *w))) {
                    row.facts_right += 1;
                } else {
                    let got: Vec<String> = wanted.iter().map(|(k, _)| format!("{k}: {:?}", read(k))).collect();
                    let want: Vec<String> = wanted.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    score
                        .misses
                        .push(miss("wrong_facts", format!("want {}; read {}", want.join(", "), got.join(", "))));
                }
            }
            (Expect::Clean, true) => row.clean += 1,
            (Expect::Clean, false) => {
                row.false_flags += 1;
                let mut rules: Vec<&str> = hits.iter().map(|f| &*f.rule).collect();
                rules.dedup();
                score.misses.push(miss("false_flag", rules.join(", ")));
            }
        }
    }
    score
}

/// Equal within a day or 2%: "18 months" is 547 or 548 days.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1f64.max(0.02 * b.abs())
}
