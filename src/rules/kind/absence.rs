//! The absence kind: the document says one thing and nowhere another — a
//! recoupment right and no look-back limit anywhere. The present side is
//! found like any clause; the absent side is searched in every unit of its
//! scope (`absent: {scope: section}` lets a decision deadline in a clause of
//! its own count for the section's authorization rule).

use super::super::compile::{CompileError, Compiling, key};
use super::super::schema::AbsentSpec;
use super::{Context, Hit, RuleKind};
use crate::document::Scope;
use crate::read::Unit;
use crate::text::Span;

/// What must be found, and what must then be found nowhere.
#[derive(Debug, Clone)]
pub struct Absence {
    /// The clause that makes the rule relevant (a pattern or quantity kind).
    pub present: Box<RuleKind>,
    /// What no unit of `scope` may match (a pattern or quantity kind).
    pub absent: Box<RuleKind>,
    /// The units searched for the absent side.
    pub scope: Scope,
}

impl Absence {
    /// The present side's hit, when no unit of the document holds the absent side.
    ///
    /// The hit names every clause where the present side holds (`also`), so
    /// one finding covers the document however many clauses it concerns.
    pub(crate) fn find(&self, cx: &Context<'_>, found: Option<Vec<Span>>) -> Option<Hit> {
        // Where the triggers stand in the document, for the clauses below.
        let mut starts: Vec<usize> = match (&found, self.present.matcher()) {
            (Some(f), _) => f.iter().map(|s| s.start + cx.offset).collect(),
            (None, Some(m)) => {
                super::pattern::spans(m.triggers(), cx.unit.text).iter().map(|s| s.start + cx.offset).collect()
            }
            (None, None) => Vec::new(),
        };
        starts.sort_unstable();
        let whole = self.present.find(cx, found)?;
        let anywhere = cx.doc.units(self.scope).into_iter().any(|unit| {
            let text = cx.doc.flat(unit);
            let reading = Unit::new(text);
            self.absent.find(&Context { unit: &reading, offset: unit.start, ..*cx }, None).is_some()
        });
        if anywhere {
            return None;
        }
        // Each clause the finding is about, read as a clause: the first is
        // where it is reported, the others are named with it. Only sentences
        // holding a trigger can be one.
        let holds = |unit: &Span| {
            let i = starts.partition_point(|&s| s < unit.start);
            starts.get(i).is_some_and(|&s| s < unit.end)
        };
        let mut clauses = cx.doc.units(Scope::Sentence).into_iter().filter(holds).filter_map(|unit| {
            let reading = Unit::new(cx.doc.flat(unit));
            self.present.find(&Context { unit: &reading, offset: unit.start, ..*cx }, None)
        });
        let Some(mut hit) = clauses.next() else { return Some(whole) };
        hit.also = clauses.filter_map(|h| h.trigger).collect();
        Some(hit)
    }
}

/// Compiles the `absent` side; its patterns' paths start at `absent`.
pub(crate) fn compile(present: RuleKind, spec: &AbsentSpec, cx: &mut Compiling<'_>) -> Absence {
    let prefix = [key("absent")];
    let absent = super::compile_clause(
        &super::clause_parts!(spec),
        &spec.extract.to_vec(),
        spec.condition.as_deref(),
        &prefix,
        cx,
    );
    Absence { present: Box::new(present), absent: Box::new(absent), scope: spec.scope }
}

/// `absent` with any scope but the document's is an error of the rule.
pub(crate) fn check_scope(scope: Scope, cx: &mut Compiling<'_>) {
    if scope != Scope::Document {
        cx.errors.push(CompileError {
            path: vec![key("absent")],
            inner: None,
            message: "`absent` looks at the whole document; the rule's scope must be `document`".into(),
            help: Some("add `scope: document`".into()),
            code: "bad_scope",
        });
    }
}
