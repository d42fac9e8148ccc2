//! One [`Matcher`] against one unit of text: triggers, `all`, `unless`, `near`,
//! quantity binding, then the `where` condition.
//!
//! Each trigger match is tried in document order. For it, every extracted kind is
//! bound to the *nearest* quantity of that kind in the unit (ties go to the one
//! after the trigger), so in "submit claims within 180 days; Plan pays within 30
//! days" the filing rule reads 180, not 30. The first trigger whose binding
//! satisfies the condition wins.

use std::sync::OnceLock;

use crate::quantity::{Quantity, scan};
use crate::rules::condition::Env;
use crate::rules::{Matcher, Pattern};
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

/// Quantities of a unit and the joints between its clauses, each found once
/// and shared by every rule and trigger that asks.
pub struct UnitQuantities<'a> {
    text: &'a str,
    cell: OnceLock<Vec<Quantity>>,
    joints: OnceLock<Vec<Span>>,
}

impl<'a> UnitQuantities<'a> {
    pub fn new(text: &'a str) -> Self {
        UnitQuantities { text, cell: OnceLock::new(), joints: OnceLock::new() }
    }

    fn get(&self) -> &[Quantity] {
        self.cell.get_or_init(|| scan(self.text))
    }

    fn clause(&self, to: Span) -> Clause {
        Clause::around(self.joints.get_or_init(|| Clause::joints(self.text)), to)
    }
}

/// `found` holds the trigger matches in `text` when the caller already searched
/// for them ([`super::candidates`]).
pub fn find(
    m: &Matcher,
    text: &str,
    offset: usize,
    found: Option<Vec<Span>>,
    quantities: &UnitQuantities<'_>,
    as_of: jiff::civil::Date,
) -> Option<Hit> {
    // Triggers first: they are the rarest patterns, and a pattern never searched
    // is never compiled.
    let mut triggers = match found {
        _ if m.triggers().is_empty() => vec![Span::new(0, 0)],
        Some(found) => found,
        None => spans(m.triggers(), text),
    };
    if triggers.is_empty() || !m.all.iter().all(|r| r.is_match(text)) || m.unless.iter().any(|r| r.is_match(text)) {
        return None;
    }
    triggers.sort();
    triggers.dedup();
    // Proximity patterns are found once, not once per trigger: a paragraph-scope
    // rule on a document written as one long line has thousands of triggers.
    let near = m.near.as_ref().map(|n| (spans(&n.any, text), n.within));
    let unless_near: Vec<(Vec<Span>, usize)> = m.unless_near.iter().map(|u| (spans(&u.any, text), u.within)).collect();
    let mut named = None;
    for trigger in triggers {
        if let Some((near, within)) = &near
            && !near.iter().any(|&at| within_words(text, trigger, at, *within))
        {
            continue;
        }
        let bound: Vec<&Quantity> = if m.extract.is_empty() {
            Vec::new()
        } else {
            let clause = quantities.clause(trigger);
            m.extract.iter().filter_map(|&kind| clause.nearest(text, quantities.get(), kind)).collect()
        };
        // Near the quantity read when there is one (the fraud period, not the
        // normal one), else near the trigger.
        let anchors: Vec<Span> = if bound.is_empty() { vec![trigger] } else { bound.iter().map(|q| q.span).collect() };
        let excepted = unless_near
            .iter()
            .any(|(found, within)| found.iter().any(|&at| anchors.iter().any(|&s| within_words(text, s, at, *within))));
        if excepted {
            continue;
        }
        // Named quantities do not depend on the trigger: bound once, when first needed.
        let named = named.get_or_insert_with(|| {
            m.named.iter().map(|n| bind_named(text, quantities, n)).collect::<Vec<Option<&Quantity>>>()
        });
        if let Some(cond) = &m.condition
            && !cond.eval(&Env { as_of, quantities: &bound, named })
        {
            continue;
        }
        let shift = |q: &Quantity| Quantity { span: q.span.shift(offset), ..q.clone() };
        return Some(Hit {
            captures: captures(m, text, trigger),
            trigger: trigger.shift(offset),
            quantities: bound.into_iter().map(shift).collect(),
            named: m.named.iter().zip(named.iter()).filter_map(|(n, q)| Some((n.name.clone(), shift((*q)?)))).collect(),
        });
    }
    None
}

/// Named groups: from the trigger patterns matching where the trigger starts
/// first, then from the `all` patterns. Patterns without named groups are not
/// asked: resolving groups is a second, slower search of the unit.
fn captures(m: &Matcher, text: &str, trigger: Span) -> Vec<(String, String)> {
    let named = |r: &&Pattern| !r.names().is_empty();
    let mut out: Vec<(String, String)> = Vec::new();
    let at_trigger = m.any.iter().filter(named).filter_map(|r| {
        let c = r.regex().captures_at(text, trigger.start)?;
        let whole = c.get(0)?;
        (whole.start() == trigger.start).then_some((r, c))
    });
    let rest = m.all.iter().filter(named).filter_map(|r| r.regex().captures(text).map(|c| (r, c)));
    for (regex, caps) in at_trigger.chain(rest) {
        for name in regex.names() {
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
fn bind_named<'q>(text: &str, unit: &'q UnitQuantities<'_>, named: &crate::rules::Named) -> Option<&'q Quantity> {
    let anchor = named.anchors.iter().filter_map(|r| r.first(text)).min_by_key(|s| s.start)?;
    unit.clause(anchor).nearest(text, unit.get(), named.kind)
}

/// Every match of each pattern, pattern by pattern.
pub(super) fn spans(patterns: &[Pattern], text: &str) -> Vec<Span> {
    patterns.iter().flat_map(|r| r.spans(text)).collect()
}

/// Where the clause around a span is closed off: a sentence end, semicolon or
/// ", and" / ", or" / ", but" between it and a quantity.
struct Clause {
    to: Span,
    /// Start of the last joint that ends before `to`.
    joint_before: Option<usize>,
    /// End of the first joint that starts after `to`.
    joint_after: Option<usize>,
}

impl Clause {
    const JOINTS: [&str; 5] = [". ", "; ", ", and ", ", or ", ", but "];

    /// Every joint in a unit, in order, found in one pass over the punctuation
    /// they open with. No two overlap (none is part of another, and none
    /// overlaps itself), so their ends are in order too.
    fn joints(text: &str) -> Vec<Span> {
        text.match_indices(['.', ';', ','])
            .filter_map(|(at, _)| {
                let joint = Self::JOINTS.iter().find(|j| text[at..].starts_with(**j))?;
                Some(Span::new(at, at + joint.len()))
            })
            .collect()
    }

    /// Found once per span from the unit's joints, so binding is linear in the
    /// quantities: testing each quantity's gap for joints was quadratic in a
    /// long unit, and searching the unit per trigger repeated the search.
    fn around(joints: &[Span], to: Span) -> Clause {
        let before = joints.partition_point(|j| j.end <= to.start);
        let after = joints.partition_point(|j| j.start < to.end);
        Clause {
            to,
            joint_before: before.checked_sub(1).map(|i| joints[i].start),
            joint_after: joints.get(after).map(|j| j.end),
        }
    }

    /// Whether a clause boundary lies between `q` and the span: a joint inside
    /// the gap, or a gap ending in a period.
    fn crossed_by(&self, text: &str, q: Span) -> bool {
        let period_before = |at: usize| text.as_bytes().get(at.wrapping_sub(1)) == Some(&b'.');
        if q.start >= self.to.end {
            q.start > self.to.end && (self.joint_after.is_some_and(|end| end <= q.start) || period_before(q.start))
        } else if q.end <= self.to.start {
            q.end < self.to.start
                && (self.joint_before.is_some_and(|start| start >= q.end) || period_before(self.to.start))
        } else {
            false
        }
    }

    /// The quantity of `kind` closest to the span: first in the same clause, then
    /// by distance, then the one after it.
    fn nearest<'q>(&self, text: &str, all: &'q [Quantity], kind: crate::quantity::Kind) -> Option<&'q Quantity> {
        all.iter()
            .filter(|q| q.kind() == kind)
            .min_by_key(|q| (self.crossed_by(text, q.span), q.span.distance(self.to), q.span.start < self.to.start))
    }
}

/// Whether at most `limit` whole words lie strictly between two spans; counting
/// stops at `limit + 1`, so a far pair costs no more than a near one.
fn within_words(text: &str, a: Span, b: Span, limit: usize) -> bool {
    let (from, to) = if a.end <= b.start {
        (a.end, b.start)
    } else if b.end <= a.start {
        (b.end, a.start)
    } else {
        return true;
    };
    text.get(from..to).is_some_and(|gap| gap.split_whitespace().nth(limit).is_none())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The definition: the gap between the two holds a joint or ends in a period.
    fn crosses(text: &str, q: Span, to: Span) -> bool {
        let (from, until) = if q.start >= to.end { (to.end, q.start) } else { (q.end, to.start) };
        text.get(from..until).is_some_and(|gap| Clause::JOINTS.iter().any(|j| gap.contains(j)) || gap.ends_with('.'))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn clause_boundaries_agree_with_their_definition(
            parts in proptest::collection::vec(prop_oneof![
                Just("30 days"), Just(". "), Just("; "), Just(", and "), Just(", or "), Just(", but "),
                Just("pay"), Just(" "), Just("."), Just(","), Just(" and "),
            ], 1..30),
            a in 0usize..400, b in 0usize..400, c in 0usize..400, d in 0usize..400,
        ) {
            let text: String = parts.concat();
            let cut = |x: usize| x % (text.len() + 1);
            let (to, q) = {
                let mut ends = [cut(a), cut(b), cut(c), cut(d)];
                ends[..2].sort_unstable();
                ends[2..].sort_unstable();
                (Span::new(ends[0], ends[1]), Span::new(ends[2], ends[3]))
            };
            prop_assert_eq!(Clause::around(&Clause::joints(&text), to).crossed_by(&text, q), crosses(&text, q, to), "{:?} {:?} {:?}", text, q, to);
            let words = |x: Span, y: Span| {
                let (from, until) = if x.end <= y.start { (x.end, y.start) } else if y.end <= x.start { (y.end, x.start) } else { return 0 };
                text[from..until].split_whitespace().count()
            };
            for limit in 0..4 {
                prop_assert_eq!(within_words(&text, to, q, limit), words(to, q) <= limit);
            }
        }
    }
}
