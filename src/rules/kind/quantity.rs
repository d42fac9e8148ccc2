//! The quantity kind: a pattern clause whose quantities are read and tested
//! (`extract`, `where`).
//!
//! Each trigger match is tried in document order. For it, every extracted kind
//! is bound to the *nearest* quantity of that kind in the unit (ties go to the
//! one after the trigger), so in "submit claims within 180 days; Plan pays
//! within 30 days" the filing rule reads 180, not 30. A named extraction binds
//! the quantity nearest its own anchor patterns. The first trigger whose
//! binding satisfies the condition wins.

use super::super::compile::{CompileError, Compiling, key};
use super::super::concepts::ActionSet;
use super::super::schema::{ExtractSpec, KindSpec};
use super::super::values::Reading;
use super::super::{Condition, Pattern, Vocabulary};
use super::pattern::{Matcher, captures, compile_patterns};
use super::{Context, Hit};
use crate::quantity::{Kind, Quantity};
use crate::read::Unit;
use crate::text::Span;
use crate::yaml::Seg;

/// A matcher with the quantities it reads and the condition on them.
#[derive(Debug, Clone)]
pub struct Quantities {
    /// The clause the quantities are read in.
    pub matcher: Matcher,
    /// Kinds bound to the quantity nearest the trigger.
    pub extract: Vec<Kind>,
    /// Named quantities, each bound to the quantity nearest its own anchor patterns.
    pub named: Vec<Named>,
    /// The `where` condition.
    pub condition: Option<Condition>,
}

/// A quantity read near its own anchor, e.g. the provider's notice period beside
/// the payer's.
#[derive(Debug, Clone)]
pub struct Named {
    /// The name conditions and messages use.
    pub name: String,
    /// The kind of quantity.
    pub kind: Kind,
    /// The quantity nearest the first match of these is bound.
    pub anchors: Vec<Pattern>,
}

impl Quantities {
    /// The names its condition and message may use.
    pub fn vocabulary(&self) -> Vocabulary {
        Vocabulary {
            kinds: self.extract.clone(),
            named: self.named.iter().map(|n| (n.name.clone(), n.kind)).collect(),
            captures: self.matcher.captures(),
            builtin: false,
        }
    }

    pub(crate) fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.matcher.patterns().chain(self.named.iter().flat_map(|n| &n.anchors))
    }

    pub(crate) fn patterns_mut(&mut self) -> impl Iterator<Item = &mut Pattern> {
        self.matcher.patterns_mut().chain(self.named.iter_mut().flat_map(|n| &mut n.anchors))
    }

    /// The first trigger whose bound quantities satisfy the condition.
    pub(crate) fn find(&self, cx: &Context<'_>, found: Option<Vec<Span>>) -> Option<Hit> {
        let text = cx.unit.text;
        let prepared = self.matcher.prepare(text, found)?;
        if !self.matcher.on_topic(cx) {
            return None;
        }
        // With an action, a duration counts only where it limits that action.
        // The unit's actions are looked for only when it holds a duration
        // (most sentences do not, and twelve actions a sentence cost more than
        // the rest of the rule).
        let governed: Option<Vec<&Quantity>> = self.matcher.action.as_ref().map(|action| {
            let quantities = cx.unit.quantities();
            if !quantities.iter().any(|q| q.kind() == Kind::Duration) {
                return quantities.iter().collect();
            }
            let actions = cx.unit.actions(|t| find_actions(&action.set, t));
            let notice = action.set.names.iter().position(|n| n == "notify");
            quantities
                .iter()
                .filter(|q| {
                    q.kind() != Kind::Duration
                        || cx.unit.governor(q.span, actions, notice).is_some_and(|a| action.accepts(a))
                })
                .collect()
        });
        let mut named = None;
        // The quantities of the list a lead-in introduces, read when its own
        // sentence holds none (unit-relative spans, past the unit's end).
        let listed: std::cell::OnceCell<Option<(Span, Vec<Quantity>)>> = std::cell::OnceCell::new();
        for &trigger in &prepared.triggers {
            if !prepared.is_near(text, trigger) {
                continue;
            }
            // One kind read, each candidate limiting the rule's action: the
            // nearest that passes, then the next in its clause ("for cause on
            // 30 days' notice, without cause on 60": the 60). Otherwise the
            // nearest of each kind.
            let clause = cx.unit.clause(trigger);
            let candidates: Vec<&Quantity> = match &governed {
                Some(g) => g.clone(),
                None => cx.unit.quantities().iter().collect(),
            };
            let readings: Vec<Vec<&Quantity>> = match self.extract.as_slice() {
                [] => vec![Vec::new()],
                [kind] if governed.is_some() => {
                    let ranked = clause.ranked(text, candidates.iter().copied(), *kind);
                    let same: Vec<Vec<&Quantity>> = ranked
                        .iter()
                        .enumerate()
                        .filter(|(i, q)| *i == 0 || !clause.crossed_by(text, q.span))
                        .take(4)
                        .map(|(_, q)| vec![*q])
                        .collect();
                    if same.is_empty() { vec![Vec::new()] } else { same }
                }
                kinds => {
                    vec![kinds.iter().filter_map(|&k| clause.nearest(text, candidates.iter().copied(), k)).collect()]
                }
            };
            let empty = readings.iter().all(Vec::is_empty) && !self.extract.is_empty();
            let listed = if empty { listed.get_or_init(|| list_quantities(cx, trigger)).as_ref() } else { None };
            let readings: Vec<Vec<&Quantity>> = match listed {
                Some((_, qs)) => vec![self.extract.iter().filter_map(|&k| qs.iter().find(|q| q.kind() == k)).collect()],
                None => readings,
            };
            let Some(reading) = self.matcher.read(cx, trigger) else { continue };
            // Named quantities do not depend on the trigger: bound once, when first needed.
            let named: &Vec<(&str, Option<&Quantity>)> = named
                .get_or_insert_with(|| self.named.iter().map(|n| (n.name.as_str(), bind_named(cx.unit, n))).collect());
            let passing = readings.into_iter().find(|bound| {
                // Near the quantity read when there is one (the fraud period, not the
                // normal one), else near the trigger.
                let anchors: Vec<Span> = if bound.is_empty() || listed.is_some() {
                    vec![trigger]
                } else {
                    bound.iter().map(|q| q.span).collect()
                };
                if prepared.excepted(text, &anchors) {
                    return false;
                }
                let values = Reading {
                    as_of: cx.as_of,
                    quantities: bound,
                    named,
                    captures: &[],
                    matched: "",
                    counts: &[],
                    actor: reading.map(|r| r.actor.name()),
                    clauses: None,
                };
                self.condition.as_ref().is_none_or(|c| c.eval(&values))
            });
            let Some(bound) = passing else { continue };
            let shift = |q: &Quantity| Quantity { span: q.span.shift(cx.offset), ..q.clone() };
            let mut hit = Hit::at(trigger.shift(cx.offset), captures(&self.matcher, text, trigger));
            hit.quantities = bound.into_iter().map(shift).collect();
            hit.named = named.iter().map(|(n, q)| ((*n).to_string(), q.map(shift))).collect();
            hit.actor = reading.map(|r| r.actor);
            hit.extent = listed.filter(|_| !hit.quantities.is_empty()).map(|(span, _)| *span);
            return Some(hit);
        }
        None
    }
}

/// The quantities of the list the trigger's sentence introduces, with the
/// list's absolute span; their spans are relative to the unit, as the unit's own.
fn list_quantities(cx: &Context<'_>, trigger: Span) -> Option<(Span, Vec<Quantity>)> {
    let list = cx.doc.list_after(trigger.start + cx.offset)?;
    let by = list.start.checked_sub(cx.offset)?;
    let found: Vec<Quantity> = crate::quantity::scan(cx.doc.flat(list))
        .into_iter()
        .map(|q| Quantity { span: q.span.shift(by), ..q })
        .collect();
    (!found.is_empty()).then_some((list, found))
}

/// Every action named in `text`, by one search per action.
fn find_actions(set: &ActionSet, text: &str) -> Vec<(Span, usize)> {
    set.patterns.iter().enumerate().flat_map(|(i, p)| p.spans(text).into_iter().map(move |s| (s, i))).collect()
}

/// The quantity of the named kind nearest the first match of its anchors.
fn bind_named<'q>(unit: &'q Unit<'_>, named: &Named) -> Option<&'q Quantity> {
    let text = unit.text;
    let anchor = named.anchors.iter().filter_map(|r| r.first(text)).min_by_key(|s| s.start)?;
    unit.clause(anchor).nearest(text, unit.quantities(), named.kind)
}

fn kind(k: &KindSpec) -> Kind {
    match k {
        KindSpec::Duration => Kind::Duration,
        KindSpec::Percent => Kind::Percent,
        KindSpec::Year => Kind::Year,
        KindSpec::Money => Kind::Money,
        KindSpec::Date => Kind::Date,
    }
}

/// Compiles `extract` and `where` around `matcher`; paths start at `prefix`.
pub(crate) fn compile(
    matcher: Matcher,
    extract: &[ExtractSpec],
    condition: Option<&str>,
    prefix: &[Seg],
    cx: &mut Compiling<'_>,
) -> Quantities {
    let at = |rest: &[Seg]| -> Vec<Seg> { prefix.iter().cloned().chain(rest.iter().cloned()).collect() };
    let mut kinds = Vec::new();
    let mut named = Vec::new();
    for (i, spec) in extract.iter().enumerate() {
        match spec {
            ExtractSpec::Kind(k) => kinds.push(kind(k)),
            ExtractSpec::Named(n) => named.push(Named {
                name: n.name.clone(),
                kind: kind(&n.kind),
                anchors: compile_patterns(&n.near, &at(&[key("extract"), Seg::Index(i), key("near")]), cx),
            }),
        }
    }
    let mut quantities = Quantities { matcher, extract: kinds, named, condition: None };
    let vocabulary = Vocabulary { captures: Vec::new(), ..quantities.vocabulary() };
    quantities.condition = condition.and_then(|c| match Condition::parse(c, &vocabulary) {
        Ok(c) => Some(c),
        Err(e) => {
            cx.errors.push(CompileError {
                path: at(&[key("where")]),
                inner: Some((e.start, e.end.max(e.start + 1))),
                message: e.message,
                help: e.help,
                code: "bad_condition",
            });
            None
        }
    });
    quantities
}
