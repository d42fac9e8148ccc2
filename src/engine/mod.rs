//! Compiled rules × a document → findings.
//!
//! Rules are grouped by scope, and each unit (sentence, paragraph, section or the
//! whole document) is offered the rules of its scope ([`matcher::find`]).
//! A unit is offered only the rules whose triggers a search of the whole document
//! found in it ([`candidates`]). That search scans the document once for every
//! trigger's prefix literals and runs each trigger only from its own candidate
//! starts ([`prefilter`]); a combined `RegexSet` was measured slower (its lazy
//! DFA thrashes on ~160 patterns with bounded gaps) and cost seconds to build
//! for large packs. Absence rules then check the whole document.

mod candidates;
pub mod examples;
mod prefilter;
mod sections;

use std::sync::Arc;

use candidates::{Offered, Search};
use rayon::prelude::*;
use sections::SectionPaths;

use crate::document::{Document, Scope, per_task};
use crate::finding::{Finding, fingerprint};
use crate::quantity::{Quantity, Value, number};
use crate::read::Unit;
use crate::rules::Rule;
use crate::rules::kind::{Context, Hit};
use crate::rules::values::Reading;
use crate::text::Span;

/// Bytes from which a unit's rules are spread over the threads: a unit that
/// long (the whole document, for document-scope rules) is otherwise one task
/// while the other threads wait.
const PARALLEL_UNIT_BYTES: usize = 1 << 20;

/// Longest excerpt kept in a finding, in characters.
const EXCERPT_CHARS: usize = 600;

/// Which rules to offer each unit: (the document, units, rules, the scope's rule indexes).
type Offer = fn(&Search<'_>, &[Span], &[Rule], &[usize]) -> Vec<Vec<Offered>>;

/// A pack compiled for auditing: its rules grouped by scope and its triggers'
/// prefilter, as of one audit date.
pub struct Engine {
    rules: Vec<Rule>,
    as_of: jiff::civil::Date,
    /// Rule indexes by scope, so each unit is offered only its scope's rules.
    by_scope: Vec<(Scope, Vec<usize>)>,
    prefilter: prefilter::Prefilter,
    /// Each rule's id, category and title, shared by its findings.
    names: Vec<Names>,
}

struct Names {
    id: Arc<str>,
    category: Arc<str>,
    title: Arc<str>,
}

impl Engine {
    /// Prepares `rules` to audit as of `as_of`.
    pub fn new(mut rules: Vec<Rule>, as_of: jiff::civil::Date) -> Engine {
        crate::rules::share_patterns(&mut rules);
        let by_scope = Scope::ALL
            .into_iter()
            .map(|scope| (scope, rules.iter().enumerate().filter(|(_, r)| r.scope == scope).map(|(i, _)| i).collect()))
            .collect();
        let prefilter = prefilter::Prefilter::new(&rules);
        let names = rules
            .iter()
            .map(|r| Names {
                id: r.id.as_str().into(),
                category: r.category.as_str().into(),
                title: r.title.as_str().into(),
            })
            .collect();
        Engine { rules, as_of, by_scope, prefilter, names }
    }

    /// The rules, in pack order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The audit date.
    pub fn as_of(&self) -> jiff::civil::Date {
        self.as_of
    }

    /// Every finding in `doc`, in document order.
    pub fn audit(&self, doc: &Document) -> Vec<Finding> {
        self.audit_offering(doc, candidates::per_unit)
    }

    /// The audit with `offer` choosing which rules each unit is offered; tests
    /// compare [`candidates::per_unit`] with offering every unit every rule.
    fn audit_offering(&self, doc: &Document, offer: Offer) -> Vec<Finding> {
        let mut findings = Vec::new();
        let flat = doc.flat(doc.whole());
        // Dropped before the sort: the scan's lists are megabytes on a long document.
        let search = Search { flat, starts: self.prefilter.scan(flat), prefilter: &self.prefilter };
        let paths = SectionPaths::new(&doc.outline);
        for (scope, indexes) in &self.by_scope {
            if indexes.is_empty() {
                continue;
            }
            let units = doc.units(*scope);
            let offered = offer(&search, &units, &self.rules, indexes);
            // Units are independent; a long document spreads them over the threads
            // (`par_extend` keeps their order, so reports do not depend on scheduling).
            // Ordinary contracts stay one task: a batch already fills the threads.
            let per_task = per_task(units.len());
            findings.par_extend(
                units
                    .into_par_iter()
                    .zip(offered)
                    .with_min_len(per_task)
                    .flat_map_iter(|(unit, rules)| self.audit_unit(doc, &paths, unit, rules)),
            );
        }
        drop(search);
        sort_stable_in_place(&mut findings, |a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
        findings
    }

    fn audit_unit(&self, doc: &Document, paths: &SectionPaths<'_>, unit: Span, offered: Vec<Offered>) -> Vec<Finding> {
        let text = doc.flat(unit);
        let reading = Unit::new(text);
        let cx = Context { doc, unit: &reading, offset: unit.start, as_of: self.as_of };
        let one = |Offered { rule: index, triggers }: Offered| {
            let hit = self.rules[index].kind.find(&cx, triggers)?;
            Some(self.finding(doc, paths, index, &hit))
        };
        if text.len() >= PARALLEL_UNIT_BYTES {
            offered.into_par_iter().with_min_len(1).filter_map(one).collect()
        } else {
            offered.into_iter().filter_map(one).collect()
        }
    }

    fn finding(&self, doc: &Document, paths: &SectionPaths<'_>, index: usize, hit: &Hit) -> Finding {
        let (rule, names) = (&self.rules[index], &self.names[index]);
        // A hit on no clause (a built-in check) is about the document: no span, no section.
        let (span, section) = match hit.trigger {
            Some(trigger) => {
                let span = doc.outline.sentence_at(trigger.start).map_or(trigger, |s| s.span);
                let span = hit.extent.map_or(span, |e| span.cover(e));
                (span, paths.get(doc.outline.section_at(span.start)))
            }
            None => (Span::new(0, 0), paths.get(None)),
        };
        let trigger = hit.trigger.unwrap_or(span);
        let primary = hit.quantities.first();
        let highlight = primary.map_or(trigger, |q| q.span);
        let refs: Vec<&Quantity> = hit.quantities.iter().collect();
        let named: Vec<(&str, Option<&Quantity>)> = hit.named.iter().map(|(n, q)| (n.as_str(), q.as_ref())).collect();
        let matched = doc.text.original(trigger);
        let clauses = (!hit.also.is_empty()).then(|| clause_names(doc, paths, trigger, &hit.also)).flatten();
        let reading = Reading {
            as_of: self.as_of,
            quantities: &refs,
            named: &named,
            captures: &hit.captures,
            matched: &matched,
            counts: &hit.counts,
            actor: hit.actor.map(|a| a.name()),
            clauses: clauses.as_deref(),
        };
        let excerpt = excerpt(&doc.text.original(span));
        Finding {
            rule: names.id.clone(),
            category: names.category.clone(),
            severity: rule.severity,
            title: names.title.clone(),
            // A document-level finding says which clauses it is about.
            message: match &clauses {
                Some(c) => format!("{} Clauses: {c}.", rule.message.render(&reading)),
                None => rule.message.render(&reading),
            },
            span,
            highlight,
            label: primary.map(label),
            page: doc.text.page_of(highlight.start),
            line: doc.text.line_of(span.start),
            page_line: doc.text.page_line(highlight.start),
            section,
            fingerprint: fingerprint(&rule.id, &excerpt),
            excerpt,
            facts: reading.facts(),
            waived: None,
        }
    }
}

/// Sorts like a stable sort, without its buffer: positions are sorted and each
/// item then moved once. The stable sort's copy of the findings was the audit's
/// peak memory on a long document (3.6 MB for 11,000 findings).
fn sort_stable_in_place<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_unstable_by(|&a, &b| cmp(&items[a], &items[b]).then(a.cmp(&b)));
    // Position k takes the item at order[k]: follow each cycle, swapping.
    for start in 0..order.len() {
        let mut k = start;
        while order[k] != start {
            let next = order[k];
            items.swap(k, next);
            order[k] = k;
            k = next;
        }
        order[k] = k;
    }
}

/// Where each clause of a document-level finding stands: its innermost
/// section, else its page and line; each place once, in document order.
/// `None` when they all stand in one place, which the finding already names.
fn clause_names(doc: &Document, paths: &SectionPaths<'_>, first: Span, also: &[Span]) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    for span in std::iter::once(&first).chain(also) {
        let path = paths.get(doc.outline.section_at(span.start));
        let name = path
            .last()
            .cloned()
            .unwrap_or_else(|| format!("page {}, line {}", doc.text.page_of(span.start), doc.text.line_of(span.start)));
        if !names.contains(&name) {
            names.push(name);
        }
    }
    (names.len() > 1).then(|| names.join("; "))
}

fn excerpt(clause: &str) -> String {
    let mut joined = String::with_capacity(clause.len());
    crate::finding::push_words(&mut joined, clause, false);
    if joined.len() <= EXCERPT_CHARS || joined.chars().count() <= EXCERPT_CHARS {
        // Kept in the finding: no room left over.
        joined.shrink_to_fit();
        return joined;
    }
    let cut: String = joined.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).to_string();
    format!("{cut} …")
}

/// "36 months (1,095 days)", "110%", "2019"
fn label(q: &Quantity) -> String {
    match q.value {
        Value::Duration { business: false, unit, .. } if unit != crate::quantity::TimeUnit::Day => {
            let days = q.days().unwrap_or(0.0).round();
            format!("{} ({} days)", q.describe(), grouped(days))
        }
        _ => q.describe(),
    }
}

fn grouped(n: f64) -> String {
    let s = number(n);
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

#[cfg(test)]
mod tests;
