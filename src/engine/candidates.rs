//! Which units each rule could fire in, from one search of its triggers over the
//! whole document.
//!
//! Offering every rule every sentence ran each trigger pattern once per sentence:
//! ~160 searches per sentence, most of them starting a search only to reject it.
//! Searching the whole document once per pattern and offering a rule only the
//! units its triggers overlap does the same work in one pass per pattern.
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

use rayon::prelude::*;

use crate::rules::Rule;
use crate::text::Span;

/// For each unit, the rules to offer it (indexes into the engine's rules).
pub(super) fn per_unit(flat: &str, units: &[Span], rules: &[Rule], indexes: &[usize]) -> Vec<Vec<usize>> {
    let disjoint = units.windows(2).all(|w| w[0].end <= w[1].start);
    if !disjoint || units.len() < 2 {
        return vec![indexes.to_vec(); units.len()];
    }
    let open: Vec<bool> = units.iter().map(|u| !closed(flat, *u)).collect();
    let mut offered: Vec<Vec<usize>> =
        open.iter().map(|&open| if open { indexes.to_vec() } else { Vec::new() }).collect();
    // One search per trigger pattern, the rules spread over the threads; each
    // yields the units its triggers overlap, merged below in rule order.
    let long = units.len() >= super::PARALLEL_UNITS;
    let hits: Vec<Vec<usize>> = indexes
        .par_iter()
        .with_min_len(if long { 1 } else { indexes.len() })
        .map(|&i| {
            let matcher = &rules[i].matcher;
            if !matcher.unit_local {
                return (0..units.len()).collect();
            }
            let mut hit = Vec::new();
            for m in matcher.triggers().iter().flat_map(|t| t.find_iter(flat)) {
                let first = units.partition_point(|u| u.end <= m.start());
                hit.extend((first..units.len()).take_while(|&u| units[u].start < m.end()));
            }
            hit
        })
        .collect();
    for (&i, hit) in indexes.iter().zip(hits) {
        for u in hit {
            // Rules are merged in order, so a rule already offered is the last one.
            if !open[u] && offered[u].last() != Some(&i) {
                offered[u].push(i);
            }
        }
    }
    offered
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

    fn offered(flat: &str, units: &[(usize, usize)], patterns: &[&str]) -> Vec<Vec<usize>> {
        let units: Vec<Span> = units.iter().map(|&(a, b)| Span::new(a, b)).collect();
        let rules = rules(patterns);
        per_unit(flat, &units, &rules, &(0..rules.len()).collect::<Vec<_>>())
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
