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

/// Why a selection leaves no rule to run, or names rules that do not exist.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SelectionError {
    /// A pattern is not a glob.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Pattern(#[from] SelectorError),
    /// A `select` pattern or an override names no rule: a typo, most often.
    #[error("{option} `{pattern}` matches no rule")]
    #[diagnostic(code(rules::no_match))]
    NoMatch {
        /// `--select`, or the override.
        option: &'static str,
        /// The pattern as given.
        pattern: String,
        /// "did you mean …", and where the ids are listed.
        #[help]
        help: String,
    },
    /// Every rule was excluded or turned off: an audit would pass anything.
    #[error("no rule left to run: {why}")]
    #[diagnostic(code(rules::none_selected), help("`redflag rules list` shows the rules of the packs loaded"))]
    Empty {
        /// What removed them.
        why: String,
    },
}

/// Keeps the selected rules (all when `select` is empty), drops the excluded,
/// then applies overrides in order (later ones win). A `select` pattern or an
/// override that matches no rule is an error (a misspelt id would otherwise
/// quietly run nothing), and so is a selection that leaves no rule.
pub fn apply(
    rules: Vec<Rule>,
    select: &[String],
    exclude: &[String],
    overrides: &[(String, Setting)],
) -> Result<Vec<Rule>, SelectionError> {
    if rules.is_empty() {
        return Err(SelectionError::Empty { why: "no rule was loaded (no pack and no rule file)".into() });
    }
    for (option, pattern) in select.iter().map(|p| ("select", p)).chain(overrides.iter().map(|(p, _)| ("override", p)))
    {
        let glob = set(std::slice::from_ref(pattern))?;
        if !rules.iter().any(|r| hits(&glob, r)) {
            return Err(SelectionError::NoMatch { option, pattern: pattern.clone(), help: suggest(pattern, &rules) });
        }
    }
    let keep = set(select)?;
    let drop = set(exclude)?;
    let overrides: Vec<(GlobSet, Setting)> =
        overrides.iter().map(|(p, s)| set(std::slice::from_ref(p)).map(|g| (g, *s))).collect::<Result<_, _>>()?;
    let loaded = rules.len();
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
    if out.is_empty() {
        let why = format!("the exclusions and overrides remove all {loaded} rules loaded");
        return Err(SelectionError::Empty { why });
    }
    Ok(out)
}

/// "did you mean `recoupment`?" — the closest rule id or category.
fn suggest(pattern: &str, rules: &[Rule]) -> String {
    let bare = pattern.trim_end_matches(['*', '.']);
    let close = rules
        .iter()
        .flat_map(|r| [r.id.as_str(), r.category.as_str()])
        .map(|name| (strsim::jaro_winkler(bare, name), name))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score >= 0.8);
    let list = "`redflag rules list` shows the ids and categories of the rules loaded";
    match close {
        Some((_, name)) => format!("did you mean `{name}`? {list}"),
        None => list.to_string(),
    }
}
