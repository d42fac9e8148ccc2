//! Concept vocabularies: named sets of patterns ("the ways contracts say
//! *overpayment*") that rule patterns use as `(?&overpayment)`, so one new
//! phrasing improves every rule that uses it.
//!
//! A vocabulary is written in rule files beside `rules:` (the built-in one is
//! `rules/vocabulary/`, loaded with every rule set):
//!
//! ```yaml
//! concepts:
//!   overpayment: ['\boverpa(id|yments?)\b', {phrase: paid in error}]
//! actions:
//!   recover:
//!     doc: Taking money back from the provider.
//!     any: ['\brecoup\w*', '\boffset\w*']
//! ```
//!
//! `actions` are concepts that are also *actions* for the clause reading:
//! a quantity in a clause is bound to the action it limits (the filing window
//! to `submit`, the payment window to `pay`). A firm's playbook extends a
//! concept another file defines with `name: {extend: [...]}`.
//!
//! A reference expands to a non-capturing group of the concept's patterns, each
//! with its own references expanded; a concept that refers to itself, directly
//! or not, is an error.

use std::collections::HashMap;
use std::sync::Arc;

use super::schema::PatternSpec;

/// One concept or action, its patterns expanded.
#[derive(Debug, Clone)]
pub struct Concept {
    /// Its name.
    pub name: String,
    /// An action of the clause reading, not only a concept.
    pub action: bool,
    /// What it stands for, for `rules explain`.
    pub doc: Option<String>,
    /// The patterns as written (references unexpanded), with where they came from.
    pub written: Vec<String>,
    /// The file that defined it.
    pub origin: String,
    /// The non-capturing alternation a reference expands to.
    pub(crate) expanded: String,
}

/// Every concept and action of a rule set.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    by_name: HashMap<String, usize>,
    concepts: Vec<Concept>,
    actions: std::sync::OnceLock<Arc<ActionSet>>,
}

/// Every action of a rule set, each as one pattern: what a quantity in a
/// clause may be bound to.
#[derive(Debug, Clone, Default)]
pub struct ActionSet {
    /// The actions' names, in definition order.
    pub names: Vec<String>,
    /// Each action's patterns as one pattern, in the same order.
    pub patterns: Vec<super::Pattern>,
}

/// A problem with a reference, at a byte offset of the pattern as written.
#[derive(Debug, Clone)]
pub(crate) struct RefError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Vocabulary {
    /// The concept called `name`.
    pub fn get(&self, name: &str) -> Option<&Concept> {
        self.by_name.get(name).map(|&i| &self.concepts[i])
    }

    /// Every concept, in the order they were defined.
    pub fn iter(&self) -> impl Iterator<Item = &Concept> {
        self.concepts.iter()
    }

    /// The actions, in the order they were defined.
    pub fn actions(&self) -> impl Iterator<Item = &Concept> {
        self.concepts.iter().filter(|c| c.action)
    }

    /// The actions compiled, built on first use and shared by every rule.
    pub(crate) fn action_set(&self) -> &Arc<ActionSet> {
        self.actions.get_or_init(|| {
            let mut set = ActionSet::default();
            for a in self.actions() {
                let spec = PatternSpec::Regex(format!("(?&{})", a.name));
                // Each action's patterns were checked when the vocabulary was built.
                if let Ok(p) = super::pattern::compile(&spec, self) {
                    set.names.push(a.name.clone());
                    set.patterns.push(p);
                }
            }
            Arc::new(set)
        })
    }

    /// `pattern` with every `(?&name)` replaced by its concept's expansion.
    pub(crate) fn expand(&self, pattern: &str) -> Result<String, RefError> {
        let mut out = String::with_capacity(pattern.len());
        let mut rest = pattern;
        let mut at = 0;
        while let Some(i) = find_ref(rest) {
            out.push_str(&rest[..i]);
            let name_end = rest[i + 3..].find(')').map(|e| i + 3 + e);
            let Some(end) = name_end else {
                return Err(RefError {
                    offset: at + i,
                    len: 3,
                    message: "`(?&` opens a concept reference that is never closed".into(),
                    help: Some("write `(?&name)`".into()),
                });
            };
            let name = &rest[i + 3..end];
            let Some(concept) = self.get(name) else {
                return Err(self.unknown(name, at + i, end - i + 1));
            };
            out.push_str(&concept.expanded);
            at += end + 1;
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn unknown(&self, name: &str, offset: usize, len: usize) -> RefError {
        let known: Vec<String> = self.concepts.iter().map(|c| c.name.clone()).collect();
        let help = if known.is_empty() {
            "no concepts are defined; add them under `concepts:` or `actions:`".to_string()
        } else {
            crate::yaml::did_you_mean(name, &known, "known concepts")
        };
        RefError { offset, len, message: format!("unknown concept `{name}`"), help: Some(help) }
    }
}

/// Where the next `(?&` starts, ignoring escaped parentheses.
fn find_ref(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i + 2 < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'(' if bytes[i + 1] == b'?' && bytes[i + 2] == b'&' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A concept as the loader collected it from one or more files.
#[derive(Debug, Clone)]
pub(crate) struct Collected {
    pub name: String,
    pub action: bool,
    pub doc: Option<String>,
    pub origin: String,
    /// Patterns with the index of the file and entry they came from.
    pub patterns: Vec<(PatternSpec, Located)>,
}

/// Where a pattern of a concept is written: (source index, YAML path).
pub(crate) type Located = (usize, Vec<crate::yaml::Seg>);

/// A problem building the vocabulary, located at a pattern of a concept.
#[derive(Debug, Clone)]
pub(crate) struct BuildError {
    pub at: Located,
    pub error: RefError,
}

/// Expands every concept, in definition order, refusing cycles and
/// references to unknown concepts.
pub(crate) fn build(collected: Vec<Collected>) -> Result<Arc<Vocabulary>, Vec<BuildError>> {
    let index: HashMap<String, usize> = collected.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
    let mut expanded: Vec<Option<String>> = vec![None; collected.len()];
    let mut errors = Vec::new();
    for i in 0..collected.len() {
        let mut visiting = Vec::new();
        expand_one(i, &collected, &index, &mut expanded, &mut visiting, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let concepts: Vec<Concept> = collected
        .into_iter()
        .zip(expanded)
        .map(|(c, e)| Concept {
            written: c.patterns.iter().map(|(p, _)| written(p)).collect(),
            expanded: e.unwrap_or_default(),
            name: c.name,
            action: c.action,
            doc: c.doc,
            origin: c.origin,
        })
        .collect();
    let by_name = concepts.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
    Ok(Arc::new(Vocabulary { by_name, concepts, actions: std::sync::OnceLock::new() }))
}

fn written(p: &PatternSpec) -> String {
    match p {
        PatternSpec::Regex(r) => r.clone(),
        PatternSpec::Phrase(ph) => super::pattern::phrase_regex(&ph.phrase),
    }
}

fn expand_one(
    i: usize,
    all: &[Collected],
    index: &HashMap<String, usize>,
    done: &mut Vec<Option<String>>,
    visiting: &mut Vec<usize>,
    errors: &mut Vec<BuildError>,
) {
    if done[i].is_some() {
        return;
    }
    visiting.push(i);
    let mut parts = Vec::new();
    for (spec, at) in &all[i].patterns {
        let source = written(spec);
        let mut out = String::new();
        let mut rest = source.as_str();
        let mut offset = 0;
        let mut failed = false;
        while let Some(r) = find_ref(rest) {
            out.push_str(&rest[..r]);
            let Some(end) = rest[r + 3..].find(')').map(|e| r + 3 + e) else {
                let message = "`(?&` opens a concept reference that is never closed".into();
                let error = RefError { offset: offset + r, len: 3, message, help: None };
                errors.push(BuildError { at: at.clone(), error });
                failed = true;
                break;
            };
            let name = &rest[r + 3..end];
            match index.get(name) {
                None => {
                    let known: Vec<String> = all.iter().map(|c| c.name.clone()).collect();
                    let help = Some(crate::yaml::did_you_mean(name, &known, "known concepts"));
                    let message = format!("unknown concept `{name}`");
                    let error = RefError { offset: offset + r, len: end - r + 1, message, help };
                    errors.push(BuildError { at: at.clone(), error });
                    failed = true;
                    break;
                }
                Some(&j) if visiting.contains(&j) => {
                    let chain: Vec<&str> =
                        visiting.iter().map(|&k| all[k].name.as_str()).chain([all[j].name.as_str()]).collect();
                    let message = format!("concept `{}` refers to itself: {}", all[i].name, chain.join(" → "));
                    let error = RefError { offset: offset + r, len: end - r + 1, message, help: None };
                    errors.push(BuildError { at: at.clone(), error });
                    failed = true;
                    break;
                }
                Some(&j) => {
                    expand_one(j, all, index, done, visiting, errors);
                    out.push_str(done[j].as_deref().unwrap_or("(?:)"));
                }
            }
            offset += end + 1;
            rest = &rest[end + 1..];
        }
        if !failed {
            out.push_str(rest);
            parts.push(out);
        }
    }
    visiting.pop();
    done[i] = Some(format!("(?:{})", parts.join("|")));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collected(name: &str, patterns: &[&str]) -> Collected {
        Collected {
            name: name.into(),
            action: false,
            doc: None,
            origin: "t".into(),
            patterns: patterns.iter().map(|p| (PatternSpec::Regex((*p).into()), (0, Vec::new()))).collect(),
        }
    }

    #[test]
    fn references_expand_in_place_and_nest() {
        let v = build(vec![collected("pay", &[r"\bpay\w*", r"\breimburse\w*"]), collected("money", &["(?&pay)|fee"])])
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(v.expand(r"x(?&money)y").ok().as_deref(), Some(r"x(?:(?:\bpay\w*|\breimburse\w*)|fee)y"));
        assert_eq!(v.expand(r"\(?&pay)").ok().as_deref(), Some(r"\(?&pay)"), "an escaped parenthesis is literal");
        let e = v.expand("a (?&mony) b").err().unwrap();
        assert_eq!((e.offset, e.len), (2, 8));
        assert!(e.help.unwrap_or_default().contains("did you mean `money`"));
    }

    #[test]
    fn cycles_and_unknown_names_are_errors() {
        let errors = build(vec![collected("a", &["(?&b)"]), collected("b", &["x|(?&a)"])]).err().unwrap();
        assert!(errors.iter().any(|e| e.error.message.contains("refers to itself: a → b → a")), "{errors:?}");
        let errors = build(vec![collected("a", &["(?&nope)"])]).err().unwrap();
        assert_eq!(errors[0].error.message, "unknown concept `nope`");
    }
}
