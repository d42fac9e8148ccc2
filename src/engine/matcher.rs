//! One [`Matcher`] against one unit of text: triggers, `all`, `unless`, `near`,
//! quantity binding, then the `where` condition.
//!
//! Each trigger match is tried in document order. For it, every extracted kind is
//! bound to the *nearest* quantity of that kind in the unit (ties go to the one
//! after the trigger), so in "submit claims within 180 days; Plan pays within 30
//! days" the filing rule reads 180, not 30. The first trigger whose binding
//! satisfies the condition wins.

use std::sync::OnceLock;

use regex::Regex;

use crate::quantity::{Quantity, scan};
use crate::rules::Matcher;
use crate::rules::condition::Env;
use crate::text::Span;

/// What a matcher found in a unit. Spans are absolute.
#[derive(Debug, Clone)]
pub struct Hit {
    pub trigger: Span,
    pub quantities: Vec<Quantity>,
    /// Named extractions, in the rule's order, as (name, quantity).
    pub named: Vec<(String, Quantity)>,
    /// Named groups of the patterns, as (name, text with whitespace collapsed).
    pub captures: Vec<(String, String)>,
}

/// Quantities of a unit, read once and shared by every rule that asks.
pub struct UnitQuantities<'a> {
    text: &'a str,
    cell: OnceLock<Vec<Quantity>>,
}

impl<'a> UnitQuantities<'a> {
    pub fn new(text: &'a str) -> Self {
        UnitQuantities { text, cell: OnceLock::new() }
    }

    fn get(&self) -> &[Quantity] {
        self.cell.get_or_init(|| scan(self.text))
    }
}

pub fn find(
    m: &Matcher,
    text: &str,
    offset: usize,
    quantities: &UnitQuantities<'_>,
    as_of: jiff::civil::Date,
) -> Option<Hit> {
    if !m.all.iter().all(|r| r.is_match(text)) || m.unless.iter().any(|r| r.is_match(text)) {
        return None;
    }
    let mut triggers: Vec<Span> = match (m.any.is_empty(), m.all.first()) {
        (false, _) => m.any.iter().flat_map(|r| r.find_iter(text)).map(|x| Span::new(x.start(), x.end())).collect(),
        (true, Some(first)) => first.find_iter(text).map(|x| Span::new(x.start(), x.end())).collect(),
        (true, None) => vec![Span::new(0, 0)],
    };
    triggers.sort();
    triggers.dedup();
    for trigger in triggers {
        if let Some(near) = &m.near {
            let close = near
                .any
                .iter()
                .flat_map(|r| r.find_iter(text))
                .any(|x| words_between(text, trigger, Span::new(x.start(), x.end())) <= near.within);
            if !close {
                continue;
            }
        }
        let bound: Vec<&Quantity> = if m.extract.is_empty() {
            Vec::new()
        } else {
            m.extract.iter().filter_map(|&kind| nearest(text, quantities.get(), kind, trigger)).collect()
        };
        let excepted = m.unless_near.iter().any(|u| {
            u.any.iter().flat_map(|r| r.find_iter(text)).any(|x| {
                let at = Span::new(x.start(), x.end());
                // Near the quantity read when there is one (the fraud period, not the
                // normal one), else near the trigger.
                let mut anchors: Vec<Span> = bound.iter().map(|q| q.span).collect();
                if anchors.is_empty() {
                    anchors.push(trigger);
                }
                anchors.into_iter().any(|s| words_between(text, s, at) <= u.within)
            })
        });
        if excepted {
            continue;
        }
        let named: Vec<Option<&Quantity>> = m.named.iter().map(|n| bind_named(text, quantities.get(), n)).collect();
        if let Some(cond) = &m.condition
            && !cond.eval(&Env { as_of, quantities: &bound, named: &named })
        {
            continue;
        }
        let shift = |q: &Quantity| Quantity { span: q.span.shift(offset), ..q.clone() };
        return Some(Hit {
            captures: captures(m, text, trigger),
            trigger: trigger.shift(offset),
            quantities: bound.into_iter().map(shift).collect(),
            named: m.named.iter().zip(named).filter_map(|(n, q)| Some((n.name.clone(), shift(q?)))).collect(),
        });
    }
    None
}

/// Named groups: from the trigger patterns matching where the trigger starts
/// first, then from the `all` patterns. Patterns without named groups are not
/// asked: resolving groups is a second, slower search of the unit.
fn captures(m: &Matcher, text: &str, trigger: Span) -> Vec<(String, String)> {
    let named = |r: &&Regex| r.capture_names().flatten().next().is_some();
    let mut out: Vec<(String, String)> = Vec::new();
    let at_trigger = m.any.iter().filter(named).filter_map(|r| {
        let c = r.captures_at(text, trigger.start)?;
        let whole = c.get(0)?;
        (whole.start() == trigger.start).then_some((r, c))
    });
    let rest = m.all.iter().filter(named).filter_map(|r| r.captures(text).map(|c| (r, c)));
    for (regex, caps) in at_trigger.chain(rest) {
        for name in regex.capture_names().flatten() {
            if let Some(g) = caps.name(name)
                && !out.iter().any(|(n, _)| n == name)
            {
                out.push((name.to_string(), g.as_str().split_whitespace().collect::<Vec<_>>().join(" ")));
            }
        }
    }
    out
}

/// The quantity of the named kind nearest the first match of its anchors.
fn bind_named<'q>(text: &str, all: &'q [Quantity], named: &crate::rules::Named) -> Option<&'q Quantity> {
    let anchor = named.anchors.iter().filter_map(|r| r.find(text)).min_by_key(|m| m.start())?;
    nearest(text, all, named.kind, Span::new(anchor.start(), anchor.end()))
}

/// The quantity of `kind` closest to `to`: first in the same clause (no sentence
/// end, semicolon or ", and" / ", or" / ", but" between them), then by distance,
/// then the one after it.
fn nearest<'q>(text: &str, all: &'q [Quantity], kind: crate::quantity::Kind, to: Span) -> Option<&'q Quantity> {
    let crosses_clause = |q: &Quantity| {
        let (from, until) = if q.span.start >= to.end { (to.end, q.span.start) } else { (q.span.end, to.start) };
        text.get(from..until).is_some_and(|gap| {
            [". ", "; ", ", and ", ", or ", ", but "].iter().any(|joint| gap.contains(joint)) || gap.ends_with('.')
        })
    };
    all.iter()
        .filter(|q| q.kind() == kind)
        .min_by_key(|q| (crosses_clause(q), q.span.distance(to), q.span.start < to.start))
}

/// Whole words strictly between two spans.
fn words_between(text: &str, a: Span, b: Span) -> usize {
    let (from, to) = if a.end <= b.start {
        (a.end, b.start)
    } else if b.end <= a.start {
        (b.end, a.start)
    } else {
        return 0;
    };
    text.get(from..to).map_or(usize::MAX, |gap| gap.split_whitespace().count())
}
