//! Scoring findings against gold spans, by words rather than bytes: the gold
//! text is found again in the normalized text word for word, so the same gold
//! file scores a `.txt`, its PDF and its DOCX alike.
//!
//! A finding hits a gold clause when at least half of its excerpt's words lie
//! inside the clause; a gold clause is recalled when some finding hits it.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;

use super::gold::{GoldLabel, GoldSpan};
use super::map::LabelMap;
use crate::finding::Finding;
use crate::text::Span;

/// Tallies for one label (or, summed, for all of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Gold clauses, and how many some finding hit.
    pub gold_spans: usize,
    /// Gold spans some finding hit.
    pub gold_spans_hit: usize,
    /// Gold clauses whose words could not be found in the extracted text.
    pub gold_spans_unlocated: usize,
    /// Findings (one per clause and label), and how many hit a gold clause.
    pub findings: usize,
    /// Findings that hit a gold span.
    pub findings_hit: usize,
    /// Documents the experts labelled, that the rules flagged, and both.
    pub documents_gold: usize,
    /// Documents with a finding of the label.
    pub documents_flagged: usize,
    /// Documents with both a gold span and a finding.
    pub documents_both: usize,
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Counts {
    /// Findings that hit, of all findings.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.findings_hit, self.findings)
    }
    /// Gold spans hit, of all gold spans.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.gold_spans_hit, self.gold_spans)
    }
    /// Documents with both, of the documents flagged.
    pub fn document_precision(&self) -> Option<f64> {
        ratio(self.documents_both, self.documents_flagged)
    }
    /// Documents with both, of the documents with gold spans.
    pub fn document_recall(&self) -> Option<f64> {
        ratio(self.documents_both, self.documents_gold)
    }

    /// Adds another label's counts (for the micro average).
    pub fn add(&mut self, o: &Counts) {
        self.gold_spans += o.gold_spans;
        self.gold_spans_hit += o.gold_spans_hit;
        self.gold_spans_unlocated += o.gold_spans_unlocated;
        self.findings += o.findings;
        self.findings_hit += o.findings_hit;
        self.documents_gold += o.documents_gold;
        self.documents_flagged += o.documents_flagged;
        self.documents_both += o.documents_both;
    }
}

/// A document's words: where each starts in the text, and its lowercase form.
struct Words {
    starts: Vec<usize>,
    keys: Vec<String>,
}

impl Words {
    fn new(text: &str) -> Words {
        let (mut starts, mut keys) = (Vec::new(), Vec::new());
        for (start, word) in tokens(text) {
            starts.push(start);
            keys.push(word);
        }
        Words { starts, keys }
    }

    /// The words that start inside `span`.
    fn within(&self, span: Span) -> Range<usize> {
        self.starts.partition_point(|&s| s < span.start)..self.starts.partition_point(|&s| s < span.end)
    }

    /// Where `words` occur in a row, the occurrence nearest `near` (a byte offset).
    fn find(&self, words: &[String], near: usize) -> Option<Range<usize>> {
        let first = words.first()?;
        (0..self.keys.len().saturating_sub(words.len() - 1))
            .filter(|&i| &self.keys[i] == first && self.keys[i..i + words.len()] == *words)
            .min_by_key(|&i| self.starts[i].abs_diff(near))
            .map(|i| i..i + words.len())
    }

    /// A gold clause's words in the text: each segment in order, or, when a
    /// segment's words were changed in extraction, its first and last words.
    fn locate(&self, gold: &GoldSpan) -> Option<Range<usize>> {
        let mut near = gold.start.unwrap_or(0);
        let mut whole: Option<Range<usize>> = None;
        for segment in &gold.segments {
            let words: Vec<String> = tokens(segment).map(|(_, w)| w).collect();
            if words.is_empty() {
                continue;
            }
            let found = self.find(&words, near).or_else(|| {
                let k = words.len().min(6);
                let head = self.find(&words[..k], near)?;
                let tail = self.find(&words[words.len() - k..], self.starts[head.start])?;
                (tail.end > head.start && tail.end - head.start <= words.len() * 2).then_some(head.start..tail.end)
            })?;
            near = self.starts.get(found.end).copied().unwrap_or(usize::MAX);
            whole = Some(match whole {
                Some(w) => w.start.min(found.start)..w.end.max(found.end),
                None => found,
            });
        }
        whole
    }
}

/// Alphanumeric runs, lowercased, with their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while rest.peek().is_some_and(|(_, c)| !c.is_alphanumeric()) {
            rest.next();
        }
        let (start, _) = *rest.peek()?;
        let mut word = String::new();
        while let Some((_, c)) = rest.next_if(|(_, c)| c.is_alphanumeric()) {
            word.extend(c.to_lowercase());
        }
        Some((start, word))
    })
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// A finding that hit nothing, or a gold clause nothing hit: what a rule author
/// reads to improve a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Miss {
    /// The gold label.
    pub label: String,
    /// Which way it missed.
    pub kind: MissKind,
    /// The clause's words, as extracted (gold clauses not found: as labelled).
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
/// A finding with no gold span, or a gold span with no finding.
pub enum MissKind {
    /// A finding outside every gold clause of its label.
    WrongFinding,
    /// A gold clause no finding hit.
    MissedClause,
}

/// Scores one document's findings against its gold labels, adding to `totals`
/// for every label the map knows, and returns what went wrong.
pub fn score_document(
    text: &str,
    findings: &[Finding],
    labels: &BTreeMap<String, GoldLabel>,
    map: &LabelMap,
    totals: &mut BTreeMap<String, Counts>,
) -> Vec<Miss> {
    let mut misses = Vec::new();
    let clip = |r: &Range<usize>, words: &Words| {
        let start = words.starts[r.start];
        let end = words.starts.get(r.end).copied().unwrap_or(text.len());
        text[start..end].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let words = Words::new(text);
    for (label, gold) in labels.iter().filter(|(l, _)| map.contains(l)) {
        let mut spans: Vec<Span> =
            findings.iter().filter(|f| map.answers(label, &f.rule, &f.category)).map(|f| f.span).collect();
        spans.sort_unstable();
        spans.dedup();
        let predicted: Vec<Range<usize>> = spans.iter().map(|s| words.within(*s)).filter(|r| !r.is_empty()).collect();
        let located: Vec<Option<Range<usize>>> = gold.spans.iter().map(|g| words.locate(g)).collect();
        let hits = |p: &Range<usize>, g: &Range<usize>| 2 * overlap(p, g) >= p.len();

        let c = totals.entry(label.clone()).or_default();
        c.gold_spans += located.len();
        c.gold_spans_unlocated += located.iter().filter(|g| g.is_none()).count();
        c.gold_spans_hit += located.iter().flatten().filter(|g| predicted.iter().any(|p| hits(p, g))).count();
        c.findings += predicted.len();
        c.findings_hit += predicted.iter().filter(|p| located.iter().flatten().any(|g| hits(p, g))).count();
        c.documents_gold += usize::from(gold.present);
        c.documents_flagged += usize::from(!predicted.is_empty());
        c.documents_both += usize::from(gold.present && !predicted.is_empty());

        for p in predicted.iter().filter(|p| !located.iter().flatten().any(|g| hits(p, g))) {
            misses.push(Miss { label: label.clone(), kind: MissKind::WrongFinding, text: clip(p, &words) });
        }
        for (g, spec) in located.iter().zip(&gold.spans) {
            if g.as_ref().is_none_or(|g| !predicted.iter().any(|p| hits(p, g))) {
                let text = g.as_ref().map_or_else(|| spec.segments.join(" … "), |g| clip(g, &words));
                misses.push(Miss { label: label.clone(), kind: MissKind::MissedClause, text });
            }
        }
    }
    misses
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Facts;
    use crate::rules::Severity;

    fn finding(category: &str, text: &str, clause: &str) -> Finding {
        let start = text.find(clause).unwrap();
        Finding {
            rule: format!("{category}.r").into(),
            category: category.into(),
            severity: Severity::Info,
            title: "".into(),
            message: String::new(),
            span: Span::new(start, start + clause.len()),
            highlight: Span::new(start, start),
            label: None,
            page: 1,
            line: 1,
            page_line: 1,
            section: std::sync::Arc::new([]),
            excerpt: clause.into(),
            facts: Facts::new(),
            fingerprint: Default::default(),
            waived: None,
        }
    }

    fn label(present: bool, spans: &[&[&str]]) -> GoldLabel {
        GoldLabel {
            present,
            spans: spans
                .iter()
                .map(|s| GoldSpan { segments: s.iter().map(|x| x.to_string()).collect(), start: None })
                .collect(),
        }
    }

    const TEXT: &str = "1. Law. This Agreement is governed by the laws of  Delaware. \
        2. Assignment. Neither party may assign this Agreement without consent. \
        Any attempted assignment is void. 3. Notices. Notices go by mail.";

    fn score(findings: &[Finding], labels: &[(&str, GoldLabel)]) -> BTreeMap<String, Counts> {
        let map = LabelMap::parse("m.yaml", "Law: law\nAssign: assign\n").unwrap();
        let labels = labels.iter().map(|(l, g)| (l.to_string(), g.clone())).collect();
        let mut totals = BTreeMap::new();
        score_document(TEXT, findings, &labels, &map, &mut totals);
        totals
    }

    #[test]
    fn half_the_words_inside_a_gold_clause_is_a_hit() {
        let f = [
            finding("law", TEXT, "This Agreement is governed by the laws of  Delaware."),
            // Two of the clause's three sentences, as one finding each.
            finding("assign", TEXT, "Neither party may assign this Agreement without consent."),
            finding("assign", TEXT, "Any attempted assignment is void."),
            // A wrong one: Notices is not assignment.
            finding("assign", TEXT, "Notices go by mail."),
        ];
        let gold = [
            // Gold spacing and case differ from the text; words decide.
            ("Law", label(true, &[&["this agreement is governed by the laws of Delaware."]])),
            (
                "Assign",
                label(
                    true,
                    &[&[
                        "Neither party may assign this Agreement",
                        "without consent. Any attempted assignment is void.",
                    ]],
                ),
            ),
        ];
        let t = score(&f, &gold);
        assert_eq!((t["Law"].findings, t["Law"].findings_hit, t["Law"].gold_spans_hit), (1, 1, 1));
        let a = t["Assign"];
        assert_eq!((a.findings, a.findings_hit, a.gold_spans, a.gold_spans_hit), (3, 2, 1, 1));
        assert_eq!(a.precision(), Some(2.0 / 3.0));
        assert_eq!((a.documents_gold, a.documents_flagged, a.documents_both), (1, 1, 1));
    }

    #[test]
    fn a_finding_mostly_outside_the_clause_misses() {
        let f = [finding("assign", TEXT, "Delaware. 2. Assignment. Neither party may assign")];
        let gold = [("Assign", label(true, &[&["Assignment. Neither party may assign"]]))];
        let t = score(&f, &gold);
        // 5 of the finding's 7 words are inside: a hit. 1 of 13 below is not.
        assert_eq!(t["Assign"].findings_hit, 1);
        let f =
            [finding("assign", TEXT, "1. Law. This Agreement is governed by the laws of  Delaware. 2. Assignment.")];
        let t = score(&f, &gold);
        assert_eq!((t["Assign"].findings_hit, t["Assign"].gold_spans_hit), (0, 0));
    }

    #[test]
    fn labels_the_document_lacks_count_against_precision_only() {
        let f = [finding("law", TEXT, "Notices go by mail.")];
        let t = score(&f, &[("Law", label(false, &[])), ("Assign", label(true, &[&["not in this text at all"]]))]);
        assert_eq!((t["Law"].findings, t["Law"].findings_hit, t["Law"].gold_spans), (1, 0, 0));
        assert_eq!((t["Law"].documents_flagged, t["Law"].documents_both), (1, 0));
        assert_eq!(t["Law"].recall(), None);
        assert_eq!((t["Assign"].gold_spans, t["Assign"].gold_spans_unlocated, t["Assign"].recall()), (1, 1, Some(0.0)));
    }

    #[test]
    fn tokens_are_lowercase_alphanumeric_runs() {
        let t: Vec<(usize, String)> = tokens("Non-compete: 2 YEARS’ notice").collect();
        let words: Vec<&str> = t.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["non", "compete", "2", "years", "notice"]);
        assert_eq!(t[1].0, 4);
    }
}
