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
pub mod concepts;
pub(crate) mod condition;
pub mod kind;
mod load;
mod pattern;
pub mod schema;
pub mod select;
pub(crate) mod template;
pub(crate) mod values;

use std::sync::Arc;

use serde::Serialize;

pub use condition::Condition;
pub use kind::RuleKind;
pub use load::{LoadError, Loaded, Source, load_sources, read_path};
pub use pattern::Pattern;
pub use schema::{Scope, Severity};
pub(crate) use template::Template;

/// A compiled rule, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable dotted identifier.
    pub id: String,
    /// One line: what it flags.
    pub title: String,
    /// The red-flag category.
    pub category: String,
    /// How much a finding costs.
    pub severity: Severity,
    /// The unit it reads at a time.
    pub scope: Scope,
    /// What it does with a unit.
    pub kind: RuleKind,
    /// The finding's message.
    pub message: Template,
    /// What `rules explain` prints.
    pub doc: RuleDoc,
    /// The rule file it came from (a path, or `builtin:payer/...`).
    pub origin: Arc<str>,
    /// The pack it belongs to and the pack's version ("payer 2"), as reports
    /// name it.
    pub pack: Arc<str>,
}

impl Rule {
    /// Every pattern it holds, in no particular order.
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.kind.patterns()
    }

    /// The patterns one of which must match for the rule to fire in a unit
    /// (none for a built-in check).
    pub fn triggers(&self) -> &[Pattern] {
        self.kind.matcher().map_or(&[], kind::Matcher::triggers)
    }

    /// Whether a search of the whole document for its triggers finds every
    /// unit they could match in ([`kind::Matcher::unit_local`]).
    pub fn unit_local(&self) -> bool {
        self.kind.matcher().is_some_and(|m| m.unit_local)
    }
}

/// Makes rules written with the same pattern search with one copy of it: a
/// pack repeats its negations ("shall not", "no") in dozens of rules, and each
/// copy would build its own automata and caches.
pub fn share_patterns(rules: &mut [Rule]) {
    let mut first: std::collections::HashMap<String, Pattern> = std::collections::HashMap::new();
    for p in rules.iter_mut().flat_map(|r| r.kind.patterns_mut()) {
        match first.entry(p.as_str().to_owned()) {
            std::collections::hash_map::Entry::Occupied(e) => *p = e.get().clone(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(p.clone());
            }
        }
    }
}

/// The names a rule's condition and message may use beyond the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// The kinds of quantity it extracts.
    pub kinds: Vec<crate::quantity::Kind>,
    /// Its named extractions.
    pub named: Vec<(String, crate::quantity::Kind)>,
    /// Named groups of the trigger patterns, `(?P<jurisdiction>...)`: text facts.
    pub captures: Vec<String>,
    /// It is a built-in check, which reads values of its own.
    pub builtin: bool,
}

/// What `redflag rules explain` prints.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuleDoc {
    /// Why it matters.
    pub rationale: Option<String>,
    /// What to ask for.
    pub recommendation: Option<String>,
    /// Statutes, policies, model contracts.
    pub references: Vec<String>,
    /// Texts it must and must not flag.
    pub examples: Examples,
}

#[derive(Debug, Clone, Default, Serialize)]
/// A rule's examples.
pub struct Examples {
    /// Texts the rule must flag.
    pub flag: Vec<String>,
    /// Texts it must not.
    pub pass: Vec<String>,
}

/// A loaded pack: its metadata and rules.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Its name.
    pub name: String,
    /// Its rules.
    pub rules: Vec<Rule>,
}
