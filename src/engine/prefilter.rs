//! Where trigger matches can start: one Aho-Corasick pass over the document for
//! the prefix literals of every rule's triggers, then each trigger's forward DFA
//! run anchored at its own candidates.
//!
//! A regex search per trigger scanned the whole document once per pattern (~150
//! passes, each its own literal prefilter). Here the document is scanned once;
//! a pattern's DFA runs only where one of its prefixes occurs.
//!
//! Why the matches are the same as `Regex::find_iter`: every match starts with one
//! of the pattern's prefix literals (regex-syntax's extractor, as the regex crate's
//! own prefilter uses them), and the overlapping scan reports every occurrence of
//! every literal. So the leftmost match at or after a position starts at a
//! candidate, and a leftmost-first search anchored there finds the same match;
//! the next search resumes at its end, as `find_iter` does. Literals are matched
//! ignoring ASCII case, while a case-insensitive regex also folds `ſ` to `s` and
//! the Kelvin sign to `k`; normalization (NFKC) has already replaced both. A
//! pattern with a non-ASCII or empty prefix, or whose DFA gives up, is searched
//! the ordinary way.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rayon::prelude::*;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

use crate::rules::{Pattern, Rule};
use crate::text::Span;

/// Bytes of a document scanned as one piece.
const SCAN_PIECE: usize = 1 << 20;

/// Documents at least this long search with caches of their own, dropped after.
/// The shared caches are kept for the next document: building each DFA state
/// again per document made a batch of 1,000 short contracts 1.5x slower. But
/// a long document fills a cache per pattern with states (8 MB for the 3 MB
/// benchmark text) that would outlive its search.
const OWN_CACHES_FROM: usize = 1 << 20;

/// A trigger pattern searched from its candidate starts.
struct Trigger {
    /// Its automata are built when a document first has a candidate for it.
    pattern: Pattern,
    /// Its prefixes, as indexes of the scan's literals.
    literals: Vec<usize>,
}

pub(super) struct Prefilter {
    /// Every literal a covered trigger can start with, lower case; `None` when no
    /// rule is covered.
    starts: Option<AhoCorasick>,
    triggers: Vec<Trigger>,
    /// For each rule, its triggers' indexes into `triggers`, when every trigger is covered.
    by_rule: Vec<Option<std::ops::Range<usize>>>,
}

/// Where each literal occurs in one document, ascending. Kept per literal, not
/// per pattern: a common word ("plan") starts dozens of patterns. Offsets are
/// `u32`, half the size of `usize`: the lists are megabytes on a long document
/// and alive for the whole audit. Empty when the document is too long for them.
#[derive(Debug, PartialEq)]
pub(super) struct Starts(Vec<Vec<u32>>);

impl Prefilter {
    pub fn new(rules: &[Rule]) -> Prefilter {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut triggers = Vec::new();
        let mut by_rule = Vec::with_capacity(rules.len());
        // Parsing each trigger is most of the work: done on all threads.
        let all: Vec<Option<Vec<Vec<Vec<u8>>>>> = rules
            .par_iter()
            .map(|rule| {
                let triggers = rule.triggers();
                if rule.unit_local() { triggers.iter().map(prefixes).collect() } else { None }
            })
            .collect();
        for (rule, prefixes) in rules.iter().zip(all) {
            let patterns = rule.triggers();
            let Some(prefixes) = prefixes.filter(|p| !p.is_empty()) else {
                by_rule.push(None);
                continue;
            };
            let first = triggers.len();
            for (regex, prefixes) in patterns.iter().zip(prefixes) {
                let mut ids: Vec<usize> = prefixes
                    .into_iter()
                    .map(|literal| {
                        *index.entry(literal.clone()).or_insert_with(|| {
                            literals.push(literal);
                            literals.len() - 1
                        })
                    })
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                triggers.push(Trigger { pattern: regex.clone(), literals: ids });
            }
            by_rule.push(Some(first..triggers.len()));
        }
        let starts = (!literals.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&literals)
                    .or_else(|_| AhoCorasick::builder().ascii_case_insensitive(true).build(&literals))
                    .ok()
            })
            .flatten();
        if starts.is_none() {
            by_rule.iter_mut().for_each(|r| *r = None);
        }
        Prefilter { starts, triggers, by_rule }
    }

    /// One pass over the document: where each literal occurs.
    pub fn scan(&self, flat: &str) -> Starts {
        self.scan_in_pieces(flat, SCAN_PIECE)
    }

    fn scan_in_pieces(&self, flat: &str, piece: usize) -> Starts {
        let Some(ac) = self.starts.as_ref().filter(|_| u32::try_from(flat.len()).is_ok()) else {
            return Starts(Vec::new());
        };
        // A long document is scanned in pieces on all threads: each piece keeps
        // the occurrences that start in it, reading on by the longest literal.
        let pieces: Vec<usize> = (0..flat.len()).step_by(piece.max(1)).chain([flat.len()]).collect();
        let found: Vec<Vec<Vec<u32>>> = pieces
            .par_windows(2)
            .map(|piece| {
                let (from, to) = (piece[0], piece[1]);
                let mut starts = vec![Vec::new(); ac.patterns_len()];
                let reach = (to + ac.max_pattern_len()).min(flat.len());
                for m in ac.find_overlapping_iter(aho_corasick::Input::new(flat).span(from..reach)) {
                    if m.start() < to {
                        // Every offset fits: longer documents are not scanned.
                        starts[m.pattern().as_usize()].push(m.start() as u32);
                    }
                }
                starts
            })
            .collect();
        let mut starts = vec![Vec::new(); ac.patterns_len()];
        for piece in found {
            for (all, more) in starts.iter_mut().zip(piece) {
                all.extend(more);
            }
        }
        Starts(starts)
    }

    /// Every match of rule `rule`'s triggers, pattern by pattern as `find_iter`
    /// finds them; `None` when the rule is not covered, the document was not
    /// scanned, or a DFA gave up.
    pub fn matches(&self, rule: usize, flat: &str, starts: &Starts) -> Option<Vec<Span>> {
        let range = self.by_rule.get(rule)?.clone()?;
        if starts.0.is_empty() {
            return None;
        }
        let mut found = Vec::new();
        for p in range {
            let mut candidates: Vec<usize> = self.triggers[p]
                .literals
                .iter()
                .flat_map(|&l| starts.0.get(l).into_iter().flatten().map(|&at| at as usize))
                .collect();
            if candidates.is_empty() {
                continue;
            }
            candidates.sort_unstable();
            candidates.dedup();
            let automata = self.triggers[p].pattern.automata()?;
            let dfa = automata.forward();
            let (mut own, mut shared);
            let cache = if flat.len() >= OWN_CACHES_FROM {
                own = dfa.create_cache();
                &mut own
            } else {
                shared = automata.forward_cache();
                &mut *shared
            };
            let mut from = 0;
            for at in candidates {
                if at < from {
                    continue;
                }
                let input = Input::new(flat).range(at..).anchored(Anchored::Yes);
                if let Some(end) = dfa.try_search_fwd(cache, &input).ok()? {
                    found.push(Span::new(at, end.offset()));
                    from = end.offset().max(at + 1);
                }
            }
        }
        Some(found)
    }
}

/// The literals every match of `regex` starts with, ignoring case; `None` if
/// there is no such finite set of non-empty ASCII literals.
fn prefixes(regex: &Pattern) -> Option<Vec<Vec<u8>>> {
    // Parsed case-sensitively: the scan ignores ASCII case itself, and the set
    // stays small (a case-insensitive "health plan" has 1,024 spellings).
    let hir = regex_syntax::ParserBuilder::new().build().parse(regex.as_str()).ok()?;
    let mut seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    seq.optimize_for_prefix_by_preference();
    let literals = seq.literals()?;
    let usable = !literals.is_empty() && literals.iter().all(|l| !l.as_bytes().is_empty() && l.as_bytes().is_ascii());
    usable.then(|| literals.iter().map(|l| l.as_bytes().to_ascii_lowercase()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::rules::{Source, builtin, load_sources};

    fn shipped() -> Vec<Rule> {
        let sources = builtin::sources(&builtin::pack_names()).unwrap_or_else(|e| panic!("{e:?}"));
        load_sources(&sources).unwrap_or_else(|e| panic!("{e:?}")).rules().cloned().collect()
    }

    /// What the prefilter must reproduce: each trigger's `find_iter`, in pattern
    /// order, by the regex crate itself.
    fn searched(rule: &Rule, flat: &str) -> Vec<Span> {
        let regexes = rule.triggers().iter().map(Pattern::regex);
        regexes.flat_map(|r| r.find_iter(flat)).map(|m| Span::new(m.start(), m.end())).collect()
    }

    #[test]
    fn covered_rules_match_exactly_as_their_regexes_do() {
        let rules = shipped();
        let prefilter = Prefilter::new(&rules);
        let covered = prefilter.by_rule.iter().filter(|r| r.is_some()).count();
        assert!(covered * 10 >= rules.len() * 8, "only {covered} of {} rules covered", rules.len());
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples");
        let examples: String = rules.iter().flat_map(|r| r.doc.examples.flag.iter().chain(&r.doc.examples.pass)).fold(
            String::new(),
            |mut all, e| {
                all.push_str(e);
                all.push_str("\nxX§ ");
                all
            },
        );
        let mut texts = vec![examples];
        for name in ["harbor_bad.txt", "lakeshore_medicaid_bad.txt", "pinnacle_provider_manual.txt"] {
            texts.push(std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{e}")));
        }
        for text in texts {
            let doc = Document::from_text(&text);
            let flat = doc.flat(doc.whole());
            let starts = prefilter.scan(flat);
            let mut matched = 0;
            for (i, rule) in rules.iter().enumerate() {
                if let Some(found) = prefilter.matches(i, flat, &starts) {
                    assert_eq!(found, searched(rule, flat), "{}", rule.id);
                    matched += found.len();
                }
            }
            assert!(matched > 20, "{matched}");
        }
    }

    #[test]
    fn a_document_scanned_in_pieces_has_the_same_starts() {
        let prefilter = Prefilter::new(&shipped());
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples");
        let text = std::fs::read_to_string(dir.join("harbor_bad.txt")).unwrap_or_else(|e| panic!("{e}"));
        let whole = prefilter.scan_in_pieces(&text, usize::MAX);
        assert!(whole.0.iter().map(Vec::len).sum::<usize>() > 1000);
        for piece in [1, 3, 64, 1000] {
            assert_eq!(prefilter.scan_in_pieces(&text, piece), whole, "pieces of {piece}");
        }
    }

    #[test]
    fn overlapping_prefixes_and_folded_case_are_all_candidates() {
        let yaml = r#"
pack: {name: t}
rules:
  - {id: t.a, title: T, category: c, severity: low, any: ['\bplan\b[^.;]{0,20}\bmay\b', 'lan may', '(ab|abc)d']}
  - {id: t.b, title: T, category: c, severity: low, any: ['^Plan']}
"#;
        let src = Source { name: "t.yaml".into(), text: yaml.into() };
        let rules: Vec<Rule> = load_sources(&[src]).unwrap_or_else(|e| panic!("{e:?}")).rules().cloned().collect();
        let prefilter = Prefilter::new(&rules);
        // An anchored trigger is not unit-local: the rule is searched the ordinary way.
        assert!(prefilter.by_rule[1].is_none());
        let flat = "PLAN MAY pay; the Plan may, Plan may. xabcd abd PlanPlan may";
        let starts = prefilter.scan(flat);
        assert_eq!(prefilter.matches(0, flat, &starts), Some(searched(&rules[0], flat)));
        assert_eq!(searched(&rules[0], flat).len(), 8);
        // A long document searches with caches of its own.
        let long = flat.repeat(OWN_CACHES_FROM / flat.len() + 1);
        let starts = prefilter.scan(&long);
        assert_eq!(prefilter.matches(0, &long, &starts), Some(searched(&rules[0], &long)));
    }
}
