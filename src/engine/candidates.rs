//! Which units each rule could fire in, from one search of its triggers over the
//! whole document.
//!
//! Offering every rule every sentence ran each trigger pattern once per sentence:
//! ~160 searches per sentence, most of them starting a search only to reject it.
//! Searching the whole document once per pattern and offering a rule only the
//! units its triggers overlap does the same work in one pass per pattern; the
//! [`Prefilter`] finds the same matches from one scan for all patterns.
//!
//! Why no unit is lost: if a trigger matches at byte `a` of a unit, a search of
//! the whole document finds a match that starts at or before `a` and either
//! covers `a` or is followed by another search that does — so some match
//! overlaps the unit. This needs the pattern to see the same text at `a` in both
//! searches: no anchors and no empty matches ([`Matcher::unit_local`]), and
//! units whose neighbouring characters look to `\b` like the edge of the text
//! (whitespace or ASCII punctuation). A unit next to anything else, a rule whose
//! triggers are not unit-local, and units that overlap one another (nested
//! sections) are offered every rule, as before.
//!
//! The same search also hands each unit its trigger matches, so the matcher does
//! not search the unit again. Under the conditions above, the matches a search of
//! the unit finds are exactly the document-wide matches inside it, unless some
//! document-wide match runs across the unit's edge; then the unit searches for
//! itself ([`Offered::triggers`] is `None`).

use rayon::prelude::*;

use super::prefilter::{Prefilter, Starts};
use crate::rules::Rule;
use crate::text::Span;

/// A rule offered to a unit.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Offered {
    /// Index into the engine's rules.
    pub rule: usize,
    /// The rule's trigger matches in the unit, relative to its start, when the
    /// document-wide search found exactly what a search of the unit would.
    pub triggers: Option<Vec<Span>>,
}

impl Offered {
    /// A rule the unit has to search for itself.
    pub fn searching(rule: usize) -> Offered {
        Offered { rule, triggers: None }
    }
}

/// One document as the candidate search sees it.
pub(super) struct Search<'a> {
    pub flat: &'a str,
    pub prefilter: &'a Prefilter,
    /// The prefilter's one pass over `flat`.
    pub starts: Starts,
}

/// For each unit, the rules to offer it, in rule order.
pub(super) fn per_unit(search: &Search<'_>, units: &[Span], rules: &[Rule], indexes: &[usize]) -> Vec<Vec<Offered>> {
    let flat = search.flat;
    let every = || indexes.iter().map(|&i| Offered::searching(i)).collect::<Vec<_>>();
    if units == [Span::new(0, flat.len())] {
        // The whole document as one unit: its search is the document-wide one.
        let matches = |&i: &usize| Offered { rule: i, triggers: search.prefilter.matches(i, flat, &search.starts) };
        return vec![indexes.iter().map(matches).collect()];
    }
    let disjoint = units.windows(2).all(|w| w[0].end <= w[1].start);
    if !disjoint || units.len() < 2 {
        return vec![every(); units.len()];
    }
    let open: Vec<bool> = units.iter().map(|u| !closed(flat, *u)).collect();
    let mut offered: Vec<Vec<Offered>> = open.iter().map(|&open| if open { every() } else { Vec::new() }).collect();
    // Each rule's trigger matches (from the prefilter's scan, else one search per
    // pattern), the rules spread over the threads; each yields the units its
    // triggers overlap, merged below in rule order.
    let long = units.len() >= crate::document::PARALLEL_UNITS;
    let hits: Vec<Vec<(usize, Option<Vec<Span>>)>> = indexes
        .par_iter()
        .with_min_len(if long { 1 } else { indexes.len() })
        .map(|&i| {
            let rule = &rules[i];
            if !rule.unit_local() {
                return (0..units.len()).map(|u| (u, None)).collect();
            }
            let matches = search
                .prefilter
                .matches(i, flat, &search.starts)
                .unwrap_or_else(|| crate::rules::kind::pattern::spans(rule.triggers(), flat));
            found(units, matches)
        })
        .collect();
    for (&rule, hit) in indexes.iter().zip(hits) {
        for (u, triggers) in hit {
            if !open[u] {
                offered[u].push(Offered { rule, triggers });
            }
        }
    }
    offered
}

/// The units the matches overlap, in unit order, each with the matches inside
/// it (relative to the unit), or `None` where a match crosses its edge.
fn found(units: &[Span], matches: Vec<Span>) -> Vec<(usize, Option<Vec<Span>>)> {
    // (unit, a match inside it), or (unit, None) for a match crossing its edge.
    let mut marks: Vec<(usize, Option<Span>)> = Vec::new();
    for m in matches {
        let first = units.partition_point(|u| u.end <= m.start);
        for u in (first..units.len()).take_while(|&u| units[u].start < m.end) {
            let unit = units[u];
            let inside = unit.start <= m.start && m.end <= unit.end;
            marks.push((u, inside.then(|| Span::new(m.start - unit.start, m.end - unit.start))));
        }
    }
    marks.sort_unstable_by_key(|&(u, _)| u);
    marks
        .chunk_by(|a, b| a.0 == b.0)
        .map(|group| (group[0].0, group.iter().map(|&(_, m)| m).collect::<Option<Vec<Span>>>()))
        .collect()
}

/// Whether the characters around a unit look to a word boundary like the edge of
/// the text, so a pattern sees the unit the same inside the document as alone.
fn closed(flat: &str, unit: Span) -> bool {
    let quiet = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation());
    quiet(flat.get(..unit.start).and_then(|s| s.chars().next_back()))
        && quiet(flat.get(unit.end..).and_then(|s| s.chars().next()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Source, load_sources};

    fn rules(patterns: &[&str]) -> Vec<Rule> {
        let rules: String = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| format!("  - {{id: t.r{i}, title: T, category: c, severity: low, any: ['{p}']}}\n"))
            .collect();
        let src = Source { name: "t.yaml".into(), text: format!("pack: {{name: t}}\nrules:\n{rules}").into() };
        load_sources(&[src]).unwrap_or_else(|e| panic!("{e:?}")).rules().cloned().collect()
    }

    fn offers(flat: &str, units: &[(usize, usize)], patterns: &[&str]) -> Vec<Vec<Offered>> {
        let units: Vec<Span> = units.iter().map(|&(a, b)| Span::new(a, b)).collect();
        let rules = rules(patterns);
        let prefilter = Prefilter::new(&rules);
        let search = Search { flat, starts: prefilter.scan(flat), prefilter: &prefilter };
        per_unit(&search, &units, &rules, &(0..rules.len()).collect::<Vec<_>>())
    }

    fn offered(flat: &str, units: &[(usize, usize)], patterns: &[&str]) -> Vec<Vec<usize>> {
        offers(flat, units, patterns).into_iter().map(|o| o.into_iter().map(|o| o.rule).collect()).collect()
    }

    #[test]
    fn units_get_the_matches_inside_them_unless_one_crosses_their_edge() {
        let flat = "Plan may recoup. Provider bills claims. Plan may audit records.";
        let units = [(0, 16), (17, 39), (40, 63)];
        let at = |rule, v: &[(usize, usize)]| Offered {
            rule,
            triggers: Some(v.iter().map(|&(a, b)| Span::new(a, b)).collect()),
        };
        let got = offers(flat, &units, &[r"\bplan\b", r"\bmay\b"]);
        assert_eq!(got[0], [at(0, &[(0, 4)]), at(1, &[(5, 8)])]);
        assert_eq!(got[2], [at(0, &[(0, 4)]), at(1, &[(5, 8)])]);
        // A match runs from the first unit into the second: both search for themselves.
        let got = offers(flat, &units, &[r"recoup.{0,20}bills", r"\bplan\b|\bmay\b"]);
        assert_eq!(got[0], [Offered::searching(0), at(1, &[(0, 4), (5, 8)])]);
        assert_eq!(got[1], [Offered::searching(0)]);
    }

    #[test]
    fn a_unit_gets_the_rules_whose_triggers_overlap_it() {
        let flat = "Plan may recoup. Provider bills claims. Plan may audit records.";
        let units = [(0, 16), (17, 39), (40, 63)];
        assert_eq!(offered(flat, &units, &[r"\brecoup", r"\baudit", r"\bmay\b"]), [vec![0, 2], vec![], vec![1, 2]]);
        // A match running across two units offers the rule to both.
        assert_eq!(offered(flat, &units, &[r"recoup.{0,20}bills"]), [vec![0], vec![0], vec![]]);
    }

    #[test]
    fn anchored_rules_and_units_beside_word_characters_get_every_rule() {
        let flat = "Plan may recoup. Provider bills.";
        assert_eq!(offered(flat, &[(0, 16), (17, 32)], &[r"^Provider"]), [vec![0], vec![0]]);
        // Alone, "recoup" starts at a word boundary; inside "xrecoup" it does not.
        let flat = "Plan xrecoup. Provider bills.";
        assert_eq!(offered(flat, &[(6, 13), (14, 29)], &[r"\brecoup"]), [vec![0], vec![]]);
    }

    #[test]
    fn overlapping_units_get_every_rule() {
        assert_eq!(offered("Plan may recoup.", &[(0, 16), (5, 16)], &[r"\baudit"]), [vec![0], vec![0]]);
    }
}
