//! A deserialized [`RuleSpec`] → a compiled [`Rule`], collecting every problem.
//!
//! Errors name the offending value by path relative to the rule (`any[1]`,
//! `where`) and, when the problem is inside a string — a regex, a condition, a
//! message — the byte range inside it, so the loader can underline the exact token.

use std::sync::Arc;

use super::locate::Seg;
use super::schema::{ExtractSpec, KindSpec, NearSpec, PatternSpec, RuleSpec, Scope, UnlessSpec};
use super::{Absent, Condition, Examples, Matcher, Named, Near, Pattern, Rule, RuleDoc, Template, Vocabulary, pattern};
use crate::quantity::Kind;

#[derive(Debug, Clone)]
pub(super) struct CompileError {
    pub path: Vec<Seg>,
    /// Byte range inside the string value, when the problem is inside it.
    pub inner: Option<(usize, usize)>,
    pub message: String,
    pub help: Option<String>,
    pub code: &'static str,
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

pub(super) fn compile(spec: RuleSpec, origin: Arc<str>) -> Result<Rule, Vec<CompileError>> {
    let mut errors = Vec::new();
    if spec.id.trim().is_empty() || spec.id.contains(char::is_whitespace) {
        errors.push(CompileError {
            path: vec![key("id")],
            inner: None,
            message: format!("rule id `{}` must be one word without spaces", spec.id),
            help: Some("use a dotted name such as `recoupment.lookback-too-long`".into()),
            code: "bad_id",
        });
    }
    let matcher = compile_matcher(
        MatcherParts {
            any: &spec.any,
            all: &spec.all,
            unless: &spec.unless,
            near: spec.near.as_ref(),
            extract: spec.extract.to_vec(),
            condition: spec.condition.as_deref(),
        },
        &[],
        &mut errors,
    );
    let absent = spec.absent.as_ref().map(|a| Absent {
        scope: a.scope,
        matcher: compile_matcher(
            MatcherParts {
                any: &a.any,
                all: &a.all,
                unless: &a.unless,
                near: a.near.as_ref(),
                extract: a.extract.to_vec(),
                condition: a.condition.as_deref(),
            },
            &[key("absent")],
            &mut errors,
        ),
    });
    if absent.is_some() && spec.scope != Scope::Document {
        errors.push(CompileError {
            path: vec![key("absent")],
            inner: None,
            message: "`absent` looks at the whole document; the rule's scope must be `document`".into(),
            help: Some("add `scope: document`".into()),
            code: "bad_scope",
        });
    }
    if spec.any.is_empty() && spec.all.is_empty() && absent.is_none() {
        errors.push(CompileError {
            path: vec![key("id")],
            inner: None,
            message: "the rule has no patterns: give it `any` or `all` (or `absent` for an absence rule)".into(),
            help: None,
            code: "no_patterns",
        });
    }
    let message_text = spec.message.clone().unwrap_or_else(|| spec.title.clone());
    let message = match Template::parse(&message_text, &matcher.vocabulary()) {
        Ok(t) => t,
        Err(e) => {
            errors.push(CompileError {
                path: vec![key(if spec.message.is_some() { "message" } else { "title" })],
                inner: Some((e.start, e.end)),
                message: e.message,
                help: Some(e.help),
                code: "bad_placeholder",
            });
            Template::default()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        id: spec.id,
        title: spec.title,
        category: spec.category,
        severity: spec.severity,
        scope: spec.scope,
        matcher,
        absent,
        message,
        doc: RuleDoc {
            rationale: spec.rationale,
            recommendation: spec.recommendation,
            references: spec.references,
            examples: Examples { flag: spec.examples.flag, pass: spec.examples.pass },
        },
        origin,
    })
}

struct MatcherParts<'a> {
    any: &'a [PatternSpec],
    all: &'a [PatternSpec],
    unless: &'a [UnlessSpec],
    near: Option<&'a NearSpec>,
    extract: Vec<ExtractSpec>,
    condition: Option<&'a str>,
}

fn compile_patterns(specs: &[PatternSpec], base: &[Seg], errors: &mut Vec<CompileError>) -> Vec<Pattern> {
    specs
        .iter()
        .enumerate()
        .filter_map(|(i, spec)| {
            pattern::compile(spec)
                .map_err(|e| {
                    let mut path = base.to_vec();
                    path.push(Seg::Index(i));
                    if let PatternSpec::Phrase(_) = spec {
                        path.push(key("phrase"));
                    }
                    errors.push(CompileError {
                        path,
                        inner: Some((e.offset, e.offset + 1)),
                        message: format!("pattern does not compile: {}", e.message),
                        help: Some(
                            "patterns are Rust regular expressions (see docs.rs/regex); write `{phrase: ...}` for literal words"
                                .into(),
                        ),
                        code: "bad_regex",
                    });
                })
                .ok()
        })
        .collect()
}

fn compile_matcher(parts: MatcherParts<'_>, prefix: &[Seg], errors: &mut Vec<CompileError>) -> Matcher {
    let at = |rest: &[Seg]| -> Vec<Seg> { prefix.iter().cloned().chain(rest.iter().cloned()).collect() };
    let any = compile_patterns(parts.any, &at(&[key("any")]), errors);
    let all = compile_patterns(parts.all, &at(&[key("all")]), errors);
    let mut unless = Vec::new();
    let mut unless_near = Vec::new();
    for (i, u) in parts.unless.iter().enumerate() {
        match u {
            UnlessSpec::Pattern(p) => {
                let base = at(&[key("unless")]);
                let compiled = compile_patterns(std::slice::from_ref(p), &base, errors);
                // Errors name index 0 of a one-item slice; point them at this item instead.
                for e in errors
                    .iter_mut()
                    .filter(|e| e.path.starts_with(&base) && e.path.get(base.len()) == Some(&Seg::Index(0)))
                {
                    e.path[base.len()] = Seg::Index(i);
                }
                unless.extend(compiled);
            }
            UnlessSpec::Near(n) => unless_near.push(Near {
                any: compile_patterns(&n.any, &at(&[key("unless"), Seg::Index(i), key("any")]), errors),
                within: n.within,
            }),
        }
    }
    let near = parts
        .near
        .map(|n| Near { any: compile_patterns(&n.any, &at(&[key("near"), key("any")]), errors), within: n.within });
    let kind = |k: &KindSpec| match k {
        KindSpec::Duration => Kind::Duration,
        KindSpec::Percent => Kind::Percent,
        KindSpec::Year => Kind::Year,
        KindSpec::Money => Kind::Money,
        KindSpec::Date => Kind::Date,
    };
    let mut extract = Vec::new();
    let mut named = Vec::new();
    for (i, spec) in parts.extract.iter().enumerate() {
        match spec {
            ExtractSpec::Kind(k) => extract.push(kind(k)),
            ExtractSpec::Named(n) => {
                let base = at(&[key("extract"), Seg::Index(i), key("near")]);
                named.push(Named {
                    name: n.name.clone(),
                    kind: kind(&n.kind),
                    anchors: compile_patterns(&n.near, &base, errors),
                });
            }
        }
    }
    let vocabulary = Vocabulary {
        kinds: extract.clone(),
        named: named.iter().map(|n: &Named| (n.name.clone(), n.kind)).collect(),
        captures: Vec::new(),
    };
    let condition = parts.condition.and_then(|c| match Condition::parse(c, &vocabulary) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(CompileError {
                path: at(&[key("where")]),
                inner: Some((e.start, e.end.max(e.start + 1))),
                message: e.message,
                help: e.help,
                code: "bad_condition",
            });
            None
        }
    });
    let mut matcher = Matcher { any, all, unless, unless_near, near, extract, named, condition, unit_local: false };
    matcher.unit_local = !matcher.triggers().is_empty() && matcher.triggers().iter().all(Pattern::unit_local);
    matcher
}
