//! A unit of text (a sentence, paragraph, section or the whole document) as
//! rules read it: its quantities and the joints between its clauses, each found
//! once and shared by every rule and trigger that asks.

use std::sync::OnceLock;

use crate::quantity::{Quantity, scan};
use crate::text::Span;

/// Quantities of a unit and the joints between its clauses, each found once
/// and shared by every rule and trigger that asks.
pub struct Unit<'a> {
    /// The unit's matching form.
    pub text: &'a str,
    cell: OnceLock<Vec<Quantity>>,
    joints: OnceLock<Vec<Span>>,
    /// The actions named in the unit: (where, which action).
    actions: OnceLock<Vec<(Span, usize)>>,
    /// Those of them that head their phrase ([`heads`]), in order.
    heads: OnceLock<Vec<(Span, usize)>>,
}

impl<'a> Unit<'a> {
    /// The unit `text` (its matching form), nothing read yet.
    pub fn new(text: &'a str) -> Self {
        Unit { text, cell: OnceLock::new(), joints: OnceLock::new(), actions: OnceLock::new(), heads: OnceLock::new() }
    }

    /// Every quantity in the unit, in order.
    pub fn quantities(&self) -> &[Quantity] {
        self.cell.get_or_init(|| scan(self.text))
    }

    /// The actions named in the unit, found by `find` the first time asked
    /// (every rule of a rule set shares one set of actions).
    pub fn actions(&self, find: impl FnOnce(&str) -> Vec<(Span, usize)>) -> &[(Span, usize)] {
        self.actions.get_or_init(|| {
            let mut found = find(self.text);
            // Where two actions overlap ("retroactively deny a claim": recover,
            // and pay's "deny a claim"), the one that starts first is the phrase.
            found.sort_unstable_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
            let mut kept: Vec<(Span, usize)> = Vec::with_capacity(found.len());
            for (span, action) in found {
                if kept.last().is_none_or(|(last, _)| span.start >= last.end) {
                    kept.push((span, action));
                }
            }
            kept
        })
    }

    /// The action a quantity limits: the nearest action before it in its
    /// clause ("submit claims within 90 days"), else the nearest after it
    /// ("have 30 days to submit"); `actions` as [`Unit::actions`] gives them.
    ///
    /// A period written as notice ("sixty (60) days' prior written notice")
    /// belongs to `notice`, the action of giving notice, when the set has one.
    pub fn governor(&self, q: Span, actions: &[(Span, usize)], notice: Option<usize>) -> Option<usize> {
        let text = self.text;
        if let Some(notice) = notice {
            // The words right after the period are enough ("days' prior written notice").
            let rest = crate::text::window(text, q.end, 64).to_ascii_lowercase();
            let rest = rest.trim_start_matches(['\'', '’', 's']).trim_start();
            let skip = ["prior ", "advance ", "written ", "calendar ", "business ", "working ", "days ", "day "];
            let mut r = rest;
            while let Some(after) = skip.iter().find_map(|w| r.strip_prefix(w)) {
                r = after.trim_start();
            }
            if r.starts_with("notice") || r.starts_with("notification") {
                return Some(notice);
            }
        }
        // A list of verbs ("assert a claim for, seek repayment of, or adjust")
        // shares its object and its period: only a sentence end or a
        // semicolon closes the clause here.
        let same_clause = |a: Span| {
            let (from, to) = if a.end <= q.start { (a.end, q.start) } else { (q.end, a.start) };
            !text.get(from..to).is_some_and(|gap| gap.contains(". ") || gap.contains("; "))
        };
        // The nearest head on each side, if it is in the quantity's clause: a
        // farther one has the same clause end between them. Found by binary
        // search, as a one-line document is one unit of thousands of actions.
        let heads = self.heads.get_or_init(|| heads(text, actions));
        let i = heads.partition_point(|(a, _)| a.end <= q.start);
        let before = i.checked_sub(1).map(|i| &heads[i]).filter(|(a, _)| same_clause(*a));
        let j = heads.partition_point(|(a, _)| a.start < q.end);
        let after = heads.get(j).filter(|(a, _)| same_clause(*a));
        // "shall have thirty (30) days to submit", "is given 60 days to appeal".
        let from = text.floor_char_boundary(q.start.saturating_sub(24));
        let lead = &text[from..q.start];
        let lead = lead.get(lead.find(' ').unwrap_or(0)..).unwrap_or(lead).to_ascii_lowercase();
        let allowed = ["have ", "has ", "given ", "allowed ", "allow "].iter().any(|w| lead.contains(w))
            || text[q.end..].trim_start().starts_with("to ")
            || text[q.end..].trim_start().starts_with("in which to ");
        match (before, after) {
            (_, Some(a)) if allowed && a.0.start.saturating_sub(q.end) < 80 => Some(a.1),
            (Some(b), _) => Some(b.1),
            (None, a) => a.map(|a| a.1),
        }
    }

    /// The clause around `to`, for binding quantities to it.
    pub fn clause(&self, to: Span) -> Clause {
        Clause::around(self.joints.get_or_init(|| Clause::joints(self.text)), to)
    }
}

/// The actions that head their phrase: an action in an "of" or "for" phrase
/// ("a dispute *of an offset* or deduction") is the object of the one before
/// it, and so is one joined to such an object by "or"/"and".
fn heads(text: &str, actions: &[(Span, usize)]) -> Vec<(Span, usize)> {
    let mut out = Vec::with_capacity(actions.len());
    let mut last_object: Option<Span> = None;
    let mut prev: Option<Span> = None;
    for &(span, action) in actions {
        let from = text.floor_char_boundary(span.start.saturating_sub(16));
        let before = text[from..span.start].to_ascii_lowercase();
        let words: Vec<&str> = before.split_whitespace().rev().take(3).collect();
        let of = |w: &str| w == "of" || w == "for";
        let determiner = |w: &str| ["a", "an", "the", "any", "such", "each"].contains(&w);
        // "claims paid within the last two years": a past participle after its noun.
        // So is a relative clause without "that": "claims we paid during the
        // previous 36 months" is about the claims, not a payment window.
        let nouns = ["claims", "claim", "amounts", "amount", "sums", "sum", "monies", "payments", "benefits"];
        let payers = ["we", "it", "they", "plan", "payer", "payor", "company"];
        let participle = text[span.start..span.end].eq_ignore_ascii_case("paid")
            && (words.first().is_some_and(|w| nouns.contains(w))
                || words.first().is_some_and(|w| payers.contains(w))
                    && words.get(1).is_some_and(|w| nouns.contains(w)));
        // "contest a refund request": the object of the verb just before it.
        let gap = prev.and_then(|p: Span| text.get(p.end..span.start)).map(|g| g.trim().to_ascii_lowercase());
        let prev_ends_in_determiner = prev
            .and_then(|p| text.get(p.start..p.end))
            .and_then(|t| t.rsplit(' ').next())
            .is_some_and(|w| determiner(&w.to_ascii_lowercase()));
        let object = participle
            || gap.is_some_and(|g| determiner(&g) || g.is_empty() && prev_ends_in_determiner)
            || words.iter().take(2).any(|w| of(w))
            || words.first().is_some_and(|w| determiner(w)) && words.get(1).is_some_and(|w| of(w))
            || words.first().is_some_and(|w| *w == "or" || *w == "and")
                && last_object.is_some_and(|o| span.start.saturating_sub(o.end) <= 6);
        if object {
            last_object = Some(span);
        } else {
            out.push((span, action));
        }
        prev = Some(span);
    }
    out
}

/// Where the clause around a span is closed off: a sentence end, semicolon or
/// ", and" / ", or" / ", but" between it and a quantity.
pub struct Clause {
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
    pub fn crossed_by(&self, text: &str, q: Span) -> bool {
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
    /// outside parentheses, then by distance, then the one after it.
    pub fn nearest<'q>(
        &self,
        text: &str,
        all: impl IntoIterator<Item = &'q Quantity>,
        kind: crate::quantity::Kind,
    ) -> Option<&'q Quantity> {
        all.into_iter().filter(|q| q.kind() == kind).min_by_key(|q| self.rank(text, q))
    }

    /// Every quantity of `kind`, nearest first as [`Clause::nearest`] ranks them.
    pub fn ranked<'q>(
        &self,
        text: &str,
        all: impl IntoIterator<Item = &'q Quantity>,
        kind: crate::quantity::Kind,
    ) -> Vec<&'q Quantity> {
        let mut found: Vec<&Quantity> = all.into_iter().filter(|q| q.kind() == kind).collect();
        found.sort_by_cached_key(|q| self.rank(text, q));
        found
    }

    fn rank(&self, text: &str, q: &Quantity) -> (bool, bool, usize, bool) {
        (self.crossed_by(text, q.span), aside(text, q.span), q.span.distance(self.to), q.span.start < self.to.start)
    }
}

/// Whether a span stands in an aside in parentheses ("not less than 30 days
/// (but not more than 90 days)"), which qualifies the term outside it. Looks
/// back a line's length at most.
fn aside(text: &str, span: Span) -> bool {
    let from = text.floor_char_boundary(span.start.saturating_sub(200));
    let before = &text[from..span.start.min(text.len())];
    before.rfind('(').is_some_and(|open| before.rfind(')').is_none_or(|close| close < open))
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
        }
    }
}
