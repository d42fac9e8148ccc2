//! Choosing rules and adjusting them without editing the pack: `--select` and
//! `--exclude` (globs on rule ids or categories) and per-rule overrides of
//! severity or `off`, from the command line or `redflag.yaml`.

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use super::{Rule, Severity};

/// What an override does to the rules it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Setting {
    /// The rule does not run.
    Off,
    /// It runs at critical.
    Critical,
    /// At high.
    High,
    /// At medium.
    Medium,
    /// At low.
    Low,
    /// At info.
    Info,
}

/// A `--select`/`--exclude` pattern that is not a valid glob.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{pattern}` is not a valid rule pattern: {message}")]
#[diagnostic(code(rules::bad_selector), help("use a rule id, a category, or a glob such as `recoupment.*`"))]
pub struct SelectorError {
    /// The pattern as given.
    pub pattern: String,
    /// What globset said.
    pub message: String,
}

fn set(patterns: &[String]) -> Result<GlobSet, SelectorError> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).map_err(|e| SelectorError { pattern: p.clone(), message: e.to_string() })?);
    }
    b.build().map_err(|e| SelectorError { pattern: patterns.join(", "), message: e.to_string() })
}

fn hits(set: &GlobSet, rule: &Rule) -> bool {
    set.is_match(&rule.id) || set.is_match(&rule.category)
}

/// A set of rule patterns (ids, categories or globs), for matching findings by
/// the rule that made them.
#[derive(Debug, Clone)]
pub struct Selector(GlobSet);

impl Selector {
    /// A selector matching any of `patterns`.
    pub fn new(patterns: &[String]) -> Result<Selector, SelectorError> {
        set(patterns).map(Selector)
    }

    /// Whether a rule id or its category matches.
    pub fn matches(&self, rule: &str, category: &str) -> bool {
        self.0.is_match(rule) || self.0.is_match(category)
    }
}

/// Keeps the selected rules (all when `select` is empty), drops the excluded,
/// then applies overrides in order (later ones win).
pub fn apply(
    rules: Vec<Rule>,
    select: &[String],
    exclude: &[String],
    overrides: &[(String, Setting)],
) -> Result<Vec<Rule>, SelectorError> {
    let keep = set(select)?;
    let drop = set(exclude)?;
    let overrides: Vec<(GlobSet, Setting)> =
        overrides.iter().map(|(p, s)| set(std::slice::from_ref(p)).map(|g| (g, *s))).collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for mut rule in rules {
        if (!select.is_empty() && !hits(&keep, &rule)) || hits(&drop, &rule) {
            continue;
        }
        let mut off = false;
        for (g, setting) in &overrides {
            if hits(g, &rule) {
                match setting {
                    Setting::Off => off = true,
                    Setting::Critical => rule.severity = Severity::Critical,
                    Setting::High => rule.severity = Severity::High,
                    Setting::Medium => rule.severity = Severity::Medium,
                    Setting::Low => rule.severity = Severity::Low,
                    Setting::Info => rule.severity = Severity::Info,
                }
            }
        }
        if !off {
            out.push(rule);
        }
    }
    Ok(out)
}
