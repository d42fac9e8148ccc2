//! Rule packs: the YAML schema, loading with located diagnostics, and the
//! compiled form the engine evaluates.
//!
//! A rule file is read in three steps, each reporting every problem it finds:
//! YAML syntax ([`load`]), the schema ([`schema`], `deny_unknown_fields`, one rule
//! at a time so one bad rule does not hide the next), then compilation
//! ([`compile`]: regexes, the `where` condition, message placeholders). Every
//! error carries a path such as `rules[3].any[1]` that [`locate`] turns into a
//! line and column in the file.

mod automata;
pub mod builtin;
mod compile;
pub mod condition;
mod load;
mod locate;
mod pattern;
pub mod schema;
pub mod select;
pub(crate) mod template;

use std::sync::Arc;

use serde::Serialize;

pub use automata::Automata;
pub use condition::Condition;
pub use load::{LoadError, Loaded, RuleFileError, RuleFileErrors, Source, load_sources, read_path};
pub use pattern::Pattern;
pub use schema::{Scope, Severity};
pub use template::Template;

use crate::quantity::Kind;

/// A compiled rule, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub category: String,
    pub severity: Severity,
    pub scope: Scope,
    pub matcher: Matcher,
    /// For absence rules: the rule fires only when no unit of the document matches this.
    pub absent: Option<Absent>,
    pub message: Template,
    pub doc: RuleDoc,
    /// The rule file it came from (a path, or `builtin:payer/...`).
    pub origin: Arc<str>,
}

impl Rule {
    /// Every pattern it holds, its absence test's included, in no particular order.
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.matcher.patterns().chain(self.absent.iter().flat_map(|a| a.matcher.patterns()))
    }

    fn patterns_mut(&mut self) -> impl Iterator<Item = &mut Pattern> {
        self.matcher.patterns_mut().chain(self.absent.iter_mut().flat_map(|a| a.matcher.patterns_mut()))
    }
}

/// Makes rules written with the same pattern search with one copy of it: a
/// pack repeats its negations ("shall not", "no") in dozens of rules, and each
/// copy would build its own automata and caches.
pub fn share_patterns(rules: &mut [Rule]) {
    let mut first: std::collections::HashMap<String, Pattern> = std::collections::HashMap::new();
    for p in rules.iter_mut().flat_map(Rule::patterns_mut) {
        match first.entry(p.as_str().to_owned()) {
            std::collections::hash_map::Entry::Occupied(e) => *p = e.get().clone(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(p.clone());
            }
        }
    }
}

/// Patterns, exceptions, proximity, quantities and the condition of a rule.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// Triggers: a match of any of these starts a candidate.
    pub any: Vec<Pattern>,
    /// Every one of these must also match in the unit.
    pub all: Vec<Pattern>,
    /// A match of any of these in the unit cancels it.
    pub unless: Vec<Pattern>,
    /// A match within `within` words of the trigger or a quantity cancels that reading.
    pub unless_near: Vec<Near>,
    pub near: Option<Near>,
    /// Kinds bound to the quantity nearest the trigger.
    pub extract: Vec<Kind>,
    /// Named quantities, each bound to the quantity nearest its own anchor patterns.
    pub named: Vec<Named>,
    pub condition: Option<Condition>,
    /// Its triggers (`any`, else the first of `all`) have no anchors and cannot
    /// match empty text, so a search of the whole document finds every unit they
    /// could match in; the engine offers the rule only those units.
    pub unit_local: bool,
}

impl Matcher {
    /// The patterns one of which must match for the rule to fire in a unit.
    pub fn triggers(&self) -> &[Pattern] {
        if self.any.is_empty() { self.all.get(..1).unwrap_or_default() } else { &self.any }
    }

    fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        let near = self.near.iter().chain(&self.unless_near).flat_map(|n| &n.any);
        self.any
            .iter()
            .chain(&self.all)
            .chain(&self.unless)
            .chain(near)
            .chain(self.named.iter().flat_map(|n| &n.anchors))
    }

    fn patterns_mut(&mut self) -> impl Iterator<Item = &mut Pattern> {
        let near = self.near.iter_mut().chain(&mut self.unless_near).flat_map(|n| &mut n.any);
        self.any
            .iter_mut()
            .chain(&mut self.all)
            .chain(&mut self.unless)
            .chain(near)
            .chain(self.named.iter_mut().flat_map(|n| &mut n.anchors))
    }

    /// The names its condition and message may use.
    pub fn vocabulary(&self) -> Vocabulary {
        let mut captures: Vec<String> =
            self.any.iter().chain(&self.all).flat_map(|r| r.names().iter().cloned()).collect();
        captures.sort();
        captures.dedup();
        Vocabulary {
            kinds: self.extract.clone(),
            named: self.named.iter().map(|n| (n.name.clone(), n.kind)).collect(),
            captures,
        }
    }
}

/// A quantity read near its own anchor, e.g. the provider's notice period beside
/// the payer's.
#[derive(Debug, Clone)]
pub struct Named {
    pub name: String,
    pub kind: Kind,
    pub anchors: Vec<Pattern>,
}

/// The names a rule's condition and message may use beyond the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub kinds: Vec<Kind>,
    pub named: Vec<(String, Kind)>,
    /// Named groups of the trigger patterns, `(?P<jurisdiction>...)`: text facts.
    pub captures: Vec<String>,
}

/// What an absence rule looks for, and in which units.
#[derive(Debug, Clone)]
pub struct Absent {
    pub matcher: Matcher,
    pub scope: Scope,
}

/// Some pattern must match within `within` words of the trigger.
#[derive(Debug, Clone)]
pub struct Near {
    pub any: Vec<Pattern>,
    pub within: usize,
}

/// What `redflag rules explain` prints.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuleDoc {
    pub rationale: Option<String>,
    pub recommendation: Option<String>,
    pub references: Vec<String>,
    pub examples: Examples,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Examples {
    pub flag: Vec<String>,
    pub pass: Vec<String>,
}

/// A loaded pack: its metadata and rules.
#[derive(Debug, Clone)]
pub struct Pack {
    pub name: String,
    pub rules: Vec<Rule>,
}
