//! Which rules answer which gold label. Label names are the annotators'
//! ("Cap On Liability"); rule categories are ours (`liability_cap`). A map file
//! is YAML: `label: pattern` or `label: [patterns]`, patterns as in `--select`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::rules::select::{Selector, SelectorError};
use crate::yaml::{FileErrors, ReadError};

/// The map used when none is given: CUAD's labels to the `commercial` pack.
pub const CUAD: &str = include_str!("cuad-map.yaml");

/// A label map that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum MapError {
    /// The map file could not be read, or is not a valid map.
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] ReadError),
    /// A label's rule pattern is not a valid glob.
    #[error("label map {path}, label `{label}`: {source}")]
    #[diagnostic(code(eval::map_pattern))]
    Pattern {
        /// The map file.
        path: String,
        /// The label.
        label: String,
        /// The bad pattern.
        source: SelectorError,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Patterns {
    One(String),
    Many(Vec<String>),
}

/// Gold label names → the rules (ids, categories, globs) that answer them.
#[derive(Debug, Clone)]
pub struct LabelMap {
    entries: BTreeMap<String, (Vec<String>, Selector)>,
}

impl LabelMap {
    /// Reads a map file.
    pub fn load(path: &Path) -> Result<LabelMap, MapError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io { path: shown.clone(), source })?;
        LabelMap::parse(&shown, &text)
    }

    /// The built-in map of CUAD's labels to the `commercial` pack.
    pub fn cuad() -> LabelMap {
        LabelMap::parse("cuad-map.yaml", CUAD).unwrap_or_else(|e| unreachable!("the built-in map is valid: {e}"))
    }

    /// Reads the text of a map file named `path`.
    pub fn parse(path: &str, text: &str) -> Result<LabelMap, MapError> {
        let raw: BTreeMap<String, Patterns> =
            crate::yaml::read("label_map", path, text).map_err(|e: FileErrors| ReadError::Invalid(e))?;
        let mut entries = BTreeMap::new();
        for (label, patterns) in raw {
            let patterns = match patterns {
                Patterns::One(p) => vec![p],
                Patterns::Many(ps) => ps,
            };
            let selector = Selector::new(&patterns).map_err(|source| MapError::Pattern {
                path: path.to_string(),
                label: label.clone(),
                source,
            })?;
            entries.insert(label, (patterns, selector));
        }
        Ok(LabelMap { entries })
    }

    /// Whether a finding of `rule` (in `category`) answers `label`.
    pub fn answers(&self, label: &str, rule: &str, category: &str) -> bool {
        self.entries.get(label).is_some_and(|(_, s)| s.matches(rule, category))
    }

    /// Whether any label's patterns match a rule with this id and category.
    pub fn names_rule(&self, rule: &str, category: &str) -> bool {
        self.entries.values().any(|(_, s)| s.matches(rule, category))
    }

    /// Whether the map names rules for `label`.
    pub fn contains(&self, label: &str) -> bool {
        self.entries.contains_key(label)
    }

    /// The patterns a label maps to, as written.
    pub fn patterns(&self, label: &str) -> &[String] {
        self.entries.get(label).map_or(&[], |(p, _)| p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_labels_to_ids_and_categories() {
        let map =
            LabelMap::parse("m.yaml", "Governing Law: governing_law\nRenewal: [auto_renewal.renewal-*]\n").unwrap();
        assert!(map.answers("Governing Law", "governing_law.choice", "governing_law"));
        assert!(map.answers("Renewal", "auto_renewal.renewal-term", "auto_renewal"));
        assert!(!map.answers("Renewal", "auto_renewal.opt-out-notice", "auto_renewal"));
        assert!(!map.answers("Unknown", "x", "y"));
        assert!(map.names_rule("governing_law.choice", "governing_law"));
        assert!(!map.names_rule("recoupment.lookback-too-long", "recoupment"));
    }

    #[test]
    fn the_cuad_map_names_every_cuad_label() {
        let map = LabelMap::cuad();
        assert!(map.contains("Cap On Liability") && map.contains("Notice Period To Terminate Renewal"));
        assert!(matches!(LabelMap::parse("m.yaml", "a: ['[']\n"), Err(MapError::Pattern { .. })));
        assert!(matches!(LabelMap::parse("m.yaml", "a: {b: 1}\n"), Err(MapError::File(ReadError::Invalid(_)))));
    }
}
