//! A deserialized [`RuleSpec`] → a compiled [`Rule`] of one [`RuleKind`],
//! collecting every problem; each kind compiles its own parts (`kind/`).
//!
//! Errors name the offending value by path relative to the rule (`any[1]`,
//! `where`) and, when the problem is inside a string — a regex, a condition, a
//! message — the byte range inside it, so the loader can underline the exact token.

use std::sync::Arc;

use super::concepts::Vocabulary;
use super::kind::{self, RuleKind};
use super::schema::RuleSpec;
use super::{Examples, Rule, RuleDoc, Template};
use crate::yaml::Seg;

#[derive(Debug, Clone)]
pub(crate) struct CompileError {
    /// Which value, relative to the rule.
    pub path: Vec<Seg>,
    /// Byte range inside the string value, when the problem is inside it.
    pub inner: Option<(usize, usize)>,
    pub message: String,
    pub help: Option<String>,
    pub code: &'static str,
}

/// A key step of a path into the rule.
pub(crate) fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// What compiling a rule needs besides the rule: the vocabulary its patterns
/// refer to, and where its problems are collected.
pub(crate) struct Compiling<'a> {
    /// The concepts and actions `(?&name)` and `action:` refer to.
    pub vocabulary: &'a Arc<Vocabulary>,
    /// Every problem found so far.
    pub errors: Vec<CompileError>,
}

pub(super) fn compile(
    spec: RuleSpec,
    origin: Arc<str>,
    vocabulary: &Arc<Vocabulary>,
) -> Result<Rule, Vec<CompileError>> {
    let cx = &mut Compiling { vocabulary, errors: Vec::new() };
    if spec.id.trim().is_empty() || spec.id.contains(char::is_whitespace) {
        cx.errors.push(CompileError {
            path: vec![key("id")],
            inner: None,
            message: format!("rule id `{}` must be one word without spaces", spec.id),
            help: Some("use a dotted name such as `recoupment.lookback-too-long`".into()),
            code: "bad_id",
        });
    }
    let kind = rule_kind(&spec, cx);
    let message_text = spec.message.clone().unwrap_or_else(|| spec.title.clone());
    let message = match Template::parse(&message_text, &kind.vocabulary()) {
        Ok(t) => t,
        Err(e) => {
            cx.errors.push(CompileError {
                path: vec![key(if spec.message.is_some() { "message" } else { "title" })],
                inner: Some((e.start, e.end)),
                message: e.message,
                help: Some(e.help),
                code: "bad_placeholder",
            });
            Template::default()
        }
    };
    if !cx.errors.is_empty() {
        return Err(std::mem::take(&mut cx.errors));
    }
    Ok(Rule {
        id: spec.id,
        title: spec.title,
        category: spec.category,
        severity: spec.severity,
        scope: spec.scope,
        kind,
        message,
        doc: RuleDoc {
            rationale: spec.rationale,
            recommendation: spec.recommendation,
            references: spec.references,
            examples: Examples { flag: spec.examples.flag, pass: spec.examples.pass },
        },
        origin,
        pack: "".into(),
    })
}

/// The kind a rule's keys make it: `builtin:` a built-in check, `absent:` an
/// absence rule, `extract:`/`where:` a quantity rule, else a pattern rule.
fn rule_kind(spec: &RuleSpec, cx: &mut Compiling<'_>) -> RuleKind {
    if let Some(builtin) = spec.builtin {
        let patterns = !(spec.any.is_empty() && spec.all.is_empty() && spec.unless.is_empty());
        if patterns || spec.absent.is_some() || spec.condition.is_some() || !spec.extract.to_vec().is_empty() {
            cx.errors.push(CompileError {
                path: vec![key("builtin")],
                inner: None,
                message: "a built-in check takes no patterns, `extract`, `where` or `absent`".into(),
                help: Some("remove them, or remove `builtin` to write a pattern rule".into()),
                code: "bad_builtin",
            });
        }
        if spec.scope != crate::document::Scope::Document {
            cx.errors.push(CompileError {
                path: vec![key("builtin")],
                inner: None,
                message: "a built-in check reads the whole document; the rule's scope must be `document`".into(),
                help: Some("add `scope: document`".into()),
                code: "bad_scope",
            });
        }
        return RuleKind::Builtin(builtin);
    }
    let clause =
        kind::compile_clause(&kind::clause_parts!(spec), &spec.extract.to_vec(), spec.condition.as_deref(), &[], cx);
    if spec.any.is_empty() && spec.all.is_empty() && spec.action.to_vec().is_empty() && spec.absent.is_none() {
        cx.errors.push(CompileError {
            path: vec![key("id")],
            inner: None,
            message: "the rule has no patterns: give it `any`, `all` or `action` (or `absent` for an absence rule)"
                .into(),
            help: None,
            code: "no_patterns",
        });
    }
    match &spec.absent {
        Some(absent) => {
            kind::check_scope(spec.scope, cx);
            RuleKind::Absence(kind::compile_absence(clause, absent, cx))
        }
        None => clause,
    }
}
