//! The absence kind: the document says one thing and nowhere another — a
//! recoupment right and no look-back limit anywhere. The present side is
//! found like any clause; the absent side is searched in every unit of its
//! scope (`absent: {scope: section}` lets a decision deadline in a clause of
//! its own count for the section's authorization rule).

use super::super::compile::{CompileError, Compiling, key};
use super::super::schema::AbsentSpec;
use super::{Context, Hit, RuleKind, pattern, quantity};
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
    pub(crate) fn find(&self, cx: &Context<'_>, found: Option<Vec<Span>>) -> Option<Hit> {
        let hit = self.present.find(cx, found)?;
        let anywhere = cx.doc.units(self.scope).into_iter().any(|unit| {
            let text = cx.doc.flat(unit);
            let reading = Unit::new(text);
            self.absent.find(&Context { unit: &reading, offset: unit.start, ..*cx }, None).is_some()
        });
        (!anywhere).then_some(hit)
    }
}

/// Compiles the `absent` side; its patterns' paths start at `absent`.
pub(crate) fn compile(present: RuleKind, spec: &AbsentSpec, cx: &mut Compiling<'_>) -> Absence {
    let prefix = [key("absent")];
    let parts = pattern::Parts {
        any: &spec.any,
        all: &spec.all,
        unless: &spec.unless,
        near: spec.near.as_ref(),
        action: spec.action.to_vec(),
        reading: spec.reading.to_vec(),
        topic: &spec.topic,
        not_topic: &spec.not_topic,
    };
    let matcher = pattern::compile(&parts, &prefix, cx);
    let extract = spec.extract.to_vec();
    let absent = if extract.is_empty() && spec.condition.is_none() {
        RuleKind::Pattern(matcher)
    } else {
        RuleKind::Quantity(quantity::compile(matcher, &extract, spec.condition.as_deref(), &prefix, cx))
    };
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
