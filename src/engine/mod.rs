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
mod matcher;
mod prefilter;
mod sections;

use std::sync::Arc;

use candidates::{Offered, Search};
use matcher::{Hit, UnitQuantities};
use rayon::prelude::*;
use sections::SectionPaths;

use crate::document::Document;
use crate::finding::{Fact, Facts, Finding, fingerprint};

use crate::quantity::{Quantity, Value, number};
use crate::rules::template::Fill;
use crate::rules::{Rule, Scope};
use crate::text::Span;

/// Units from which one document's units are spread over the threads: about a
/// 150-page contract's sentences, so only long documents are split.
const PARALLEL_UNITS: usize = 4096;

/// Units per task once a document is split: thousand-unit tasks left one thread
/// idle while the other finished the last (3 MB text: 1.2x -> 1.5x on 2 threads).
const UNITS_PER_TASK: usize = 256;

/// Units per rayon task: a long document's in small tasks, any other one whole.
fn per_task(units: usize) -> usize {
    if units >= PARALLEL_UNITS { UNITS_PER_TASK } else { units.max(1) }
}

/// Bytes from which a unit's rules are spread over the threads: a unit that
/// long (the whole document, for document-scope rules) is otherwise one task
/// while the other threads wait.
const PARALLEL_UNIT_BYTES: usize = 1 << 20;

/// Longest excerpt kept in a finding, in characters.
const EXCERPT_CHARS: usize = 600;

/// Which rules to offer each unit: (the document, units, rules, the scope's rule indexes).
type Offer = fn(&Search<'_>, &[Span], &[Rule], &[usize]) -> Vec<Vec<Offered>>;

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
    pub fn new(mut rules: Vec<Rule>, as_of: jiff::civil::Date) -> Engine {
        crate::rules::share_patterns(&mut rules);
        let by_scope = [Scope::Sentence, Scope::Paragraph, Scope::Section, Scope::Document]
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

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

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
            let units = units(doc, *scope);
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
        let quantities = UnitQuantities::new(text);
        let one = |Offered { rule: index, triggers }: Offered| {
            let rule = &self.rules[index];
            let hit = matcher::find(&rule.matcher, text, unit.start, triggers, &quantities, self.as_of)?;
            if let Some(absent) = &rule.absent
                && self.found_anywhere(doc, &absent.matcher, absent.scope)
            {
                return None;
            }
            Some(self.finding(doc, paths, index, &hit))
        };
        if text.len() >= PARALLEL_UNIT_BYTES {
            offered.into_par_iter().with_min_len(1).filter_map(one).collect()
        } else {
            offered.into_iter().filter_map(one).collect()
        }
    }

    fn found_anywhere(&self, doc: &Document, m: &crate::rules::Matcher, scope: Scope) -> bool {
        units(doc, scope).into_iter().any(|unit| {
            let text = doc.flat(unit);
            matcher::find(m, text, unit.start, None, &UnitQuantities::new(text), self.as_of).is_some()
        })
    }

    fn finding(&self, doc: &Document, paths: &SectionPaths<'_>, index: usize, hit: &Hit) -> Finding {
        let (rule, names) = (&self.rules[index], &self.names[index]);
        let span = doc.outline.sentence_at(hit.trigger.start).map_or(hit.trigger, |s| s.span);
        let primary = hit.quantities.first();
        let highlight = primary.map_or(hit.trigger, |q| q.span);
        let refs: Vec<&Quantity> = hit.quantities.iter().collect();
        let named: Vec<Option<&Quantity>> = rule
            .matcher
            .named
            .iter()
            .map(|n| hit.named.iter().find(|(name, _)| *name == n.name).map(|(_, q)| q))
            .collect();
        let matched = doc.text.original(hit.trigger);
        let message = rule.message.render(&Fill {
            quantities: &refs,
            as_of: self.as_of,
            matched: &matched,
            named: &named,
            captures: &hit.captures,
        });
        let excerpt = excerpt(&doc.text.original(span));
        let section = paths.get(doc.outline.section_at(span.start));
        Finding {
            rule: names.id.clone(),
            category: names.category.clone(),
            severity: rule.severity,
            title: names.title.clone(),
            message,
            span,
            highlight,
            label: primary.map(label),
            page: doc.text.page_of(highlight.start),
            line: doc.text.line_of(span.start),
            section,
            fingerprint: fingerprint(&rule.id, &excerpt),
            excerpt,
            facts: facts(&hit.quantities, &hit.named, &hit.captures),
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

/// The units a scope evaluates, in document order.
fn units(doc: &Document, scope: Scope) -> Vec<Span> {
    match scope {
        Scope::Sentence => {
            let sentences = &doc.outline.sentences;
            sentences
                .par_iter()
                .with_min_len(per_task(sentences.len()))
                .map(|s| s.span)
                .filter(|s| !is_fragment(&doc.text.original(*s)))
                .collect()
        }
        Scope::Paragraph => doc.outline.paragraphs.iter().filter(|p| !p.heading).map(|p| p.span).collect(),
        Scope::Section => {
            let mut spans: Vec<Span> = doc.outline.sections.iter().map(|s| s.span).collect();
            if spans.is_empty() {
                spans.push(doc.whole());
            }
            spans
        }
        Scope::Document => vec![doc.whole()],
    }
}

/// A run-in heading the outline could not tell from a sentence, not a clause:
/// fewer than four words ("Audit Rights.", "18.2 Termination for Convenience."),
/// or a title of up to eight title-case words ("b) Commercial General Liability Insurance.").
/// Clause labels ("b)", "(iv)", "3.1") are not words.
fn is_fragment(sentence: &str) -> bool {
    const SMALL: [&str; 13] = ["of", "and", "the", "to", "for", "in", "on", "or", "a", "an", "by", "with", "from"];
    // Nine words already make a clause: the rest of a long sentence is not read.
    // Counted, not collected: every sentence of a document is asked.
    let (mut words, mut titled) = (0, true);
    for w in sentence.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).nth(1).is_some()).take(9) {
        words += 1;
        titled &= w.trim_start_matches(|c: char| !c.is_alphanumeric()).starts_with(|c: char| c.is_uppercase())
            || SMALL.contains(&w.trim_end_matches(|c: char| !c.is_alphanumeric()));
    }
    words < 4 || (words <= 8 && titled)
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

fn facts(quantities: &[Quantity], named: &[(String, Quantity)], captures: &[(String, String)]) -> Facts {
    let mut facts = Facts::new();
    for (name, text) in captures {
        facts.insert(name.clone(), Fact::Text(text.clone()));
    }
    for (name, q) in named {
        let value = match q.value {
            Value::Duration { amount, business: true, .. } => Fact::number(amount),
            Value::Duration { .. } => Fact::number(q.days().unwrap_or(0.0).round()),
            Value::Percent(n) | Value::Money(n) => Fact::number(n),
            Value::Year(y) => Fact::Int(i64::from(y)),
            Value::Date { .. } => Fact::Text(q.describe()),
        };
        facts.insert(name.clone(), value);
    }
    for q in quantities {
        match q.value {
            Value::Duration { amount, business: true, .. } => {
                facts.insert("business_days", Fact::number(amount));
            }
            Value::Duration { .. } => {
                facts.insert("days", Fact::number(q.days().unwrap_or(0.0).round()));
            }
            Value::Percent(p) => {
                facts.insert("percent", Fact::number(p));
            }
            Value::Year(y) => {
                facts.insert("year", Fact::Int(i64::from(y)));
            }
            Value::Money(m) => {
                facts.insert("amount", Fact::number(m));
            }
            Value::Date { .. } => {
                facts.insert("date", Fact::Text(q.describe()));
            }
        }
        if let Some(c) = q.conflict {
            facts.insert("words", Fact::number(c.words));
            facts.insert("digits", Fact::number(c.digits));
        }
    }
    facts.shrink_to_fit();
    facts
}

#[cfg(test)]
mod tests;
