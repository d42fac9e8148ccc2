//! The closed set of rule kinds, one file each, in the manner of ast-grep's
//! rule enum and Vale's one file per check.
//!
//! | kind | file | a rule of this kind … |
//! |---|---|---|
//! | pattern | `pattern.rs` | reports a clause its patterns describe |
//! | quantity | `quantity.rs` | … and whose quantities satisfy `where` |
//! | absence | `absence.rs` | reports a clause when the document nowhere says another thing |
//! | builtin | `builtin.rs` | reports a fact of the file as extracted (tracked changes) |
//!
//! The kind is chosen when the rule compiles ([`super::compile`]) from the
//! keys it uses; the engine asks [`RuleKind::find`] for each unit it offers.

mod absence;
mod builtin;
pub mod pattern;
pub mod quantity;
mod reading;

pub use absence::Absence;
pub use builtin::Builtin;
pub use pattern::{Matcher, Near};
pub use quantity::{Named, Quantities};

pub(crate) use absence::{check_scope, compile as compile_absence};

/// The keys a rule and an `absent` side share, as [`pattern::Parts`]: the two
/// spec types are separate so each can refuse the other's keys.
macro_rules! clause_parts {
    ($spec:expr) => {
        $crate::rules::kind::pattern::Parts {
            any: &$spec.any,
            all: &$spec.all,
            unless: &$spec.unless,
            near: $spec.near.as_ref(),
            action: $spec.action.to_vec(),
            reading: $spec.reading.to_vec(),
            topic: &$spec.topic,
            not_topic: &$spec.not_topic,
        }
    };
}
pub(crate) use clause_parts;

/// A clause's kind from its parts: a pattern, or a quantity kind when it
/// extracts or tests quantities; paths start at `prefix`.
pub(crate) fn compile_clause(
    parts: &pattern::Parts<'_>,
    extract: &[super::schema::ExtractSpec],
    condition: Option<&str>,
    prefix: &[crate::yaml::Seg],
    cx: &mut super::compile::Compiling<'_>,
) -> RuleKind {
    let matcher = pattern::compile(parts, prefix, cx);
    if extract.is_empty() && condition.is_none() {
        RuleKind::Pattern(matcher)
    } else {
        RuleKind::Quantity(quantity::compile(matcher, extract, condition, prefix, cx))
    }
}

use super::{Pattern, Vocabulary};
use crate::document::Document;
use crate::quantity::Quantity;
use crate::read::Unit;
use crate::text::Span;

/// What a rule does with a unit.
#[derive(Debug, Clone)]
pub enum RuleKind {
    /// A clause its patterns describe.
    Pattern(Matcher),
    /// A clause whose quantities satisfy a condition.
    Quantity(Quantities),
    /// A clause, when the document nowhere holds another.
    Absence(Absence),
    /// A fact of the file as extracted.
    Builtin(Builtin),
}

/// One unit of one document, as a rule sees it.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The whole document (absence rules search it, built-in checks read it).
    pub doc: &'a Document,
    /// The unit, read.
    pub unit: &'a Unit<'a>,
    /// Where the unit starts in the document.
    pub offset: usize,
    /// The audit date.
    pub as_of: jiff::civil::Date,
}

/// What a rule found in a unit. Spans are absolute.
#[derive(Debug, Clone, Default)]
pub struct Hit {
    /// The trigger match; `None` when the hit is about the document as a whole.
    pub trigger: Option<Span>,
    /// The quantities bound to the trigger, at most one per kind.
    pub quantities: Vec<Quantity>,
    /// Named extractions, in the rule's order.
    pub named: Vec<(String, Option<Quantity>)>,
    /// Named groups of the patterns, as (name, text with whitespace collapsed).
    pub captures: Vec<(String, String)>,
    /// Values a built-in check read.
    pub counts: Vec<(&'static str, i64)>,
    /// Who acts in the trigger's clause, when the rule reads it.
    pub actor: Option<crate::read::clause::Actor>,
    /// Text beyond the trigger's sentence the finding rests on: the list a
    /// lead-in introduces, when its quantities were read there.
    pub extent: Option<Span>,
    /// Other clauses a document-level finding is about (their triggers).
    pub also: Vec<Span>,
}

impl Hit {
    fn at(trigger: Span, captures: Vec<(String, String)>) -> Hit {
        Hit { trigger: Some(trigger), captures, ..Hit::default() }
    }

    fn document() -> Hit {
        Hit::default()
    }
}

impl RuleKind {
    /// The unit's hit, if the rule fires there. `found` holds the trigger
    /// matches in the unit when the caller already searched for them.
    pub fn find(&self, cx: &Context<'_>, found: Option<Vec<Span>>) -> Option<Hit> {
        match self {
            RuleKind::Pattern(m) => m.find(cx, found),
            RuleKind::Quantity(q) => q.find(cx, found),
            RuleKind::Absence(a) => a.find(cx, found),
            RuleKind::Builtin(b) => b.find(cx),
        }
    }

    /// The patterns whose matches decide which units the rule is offered.
    pub fn matcher(&self) -> Option<&Matcher> {
        match self {
            RuleKind::Pattern(m) => Some(m),
            RuleKind::Quantity(q) => Some(&q.matcher),
            RuleKind::Absence(a) => a.present.matcher(),
            RuleKind::Builtin(_) => None,
        }
    }

    /// The names its message may use.
    pub fn vocabulary(&self) -> Vocabulary {
        match self {
            RuleKind::Pattern(m) => Vocabulary { captures: m.captures(), ..Vocabulary::default() },
            RuleKind::Quantity(q) => q.vocabulary(),
            RuleKind::Absence(a) => a.present.vocabulary(),
            RuleKind::Builtin(_) => Vocabulary { builtin: true, ..Vocabulary::default() },
        }
    }

    /// Every pattern it holds, in no particular order.
    pub fn patterns(&self) -> Box<dyn Iterator<Item = &Pattern> + '_> {
        match self {
            RuleKind::Pattern(m) => Box::new(m.patterns()),
            RuleKind::Quantity(q) => Box::new(q.patterns()),
            RuleKind::Absence(a) => Box::new(a.present.patterns().chain(a.absent.patterns())),
            RuleKind::Builtin(_) => Box::new(std::iter::empty()),
        }
    }

    pub(crate) fn patterns_mut(&mut self) -> Box<dyn Iterator<Item = &mut Pattern> + '_> {
        match self {
            RuleKind::Pattern(m) => Box::new(m.patterns_mut()),
            RuleKind::Quantity(q) => Box::new(q.patterns_mut()),
            RuleKind::Absence(a) => Box::new(a.present.patterns_mut().chain(a.absent.patterns_mut())),
            RuleKind::Builtin(_) => Box::new(std::iter::empty()),
        }
    }

    /// The kind's name, as `rules list` shows it.
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Pattern(_) => "pattern",
            RuleKind::Quantity(_) => "quantity",
            RuleKind::Absence(_) => "absence",
            RuleKind::Builtin(_) => "builtin",
        }
    }
}
