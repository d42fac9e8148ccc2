//! Sections, paragraphs and sentences of a normalized [`Text`].
//!
//! Lines are read top to bottom. A line opens a new block when it starts with a
//! clause label (`grammar/outline.pest`, rule `heading`) and the line before it
//! ended a thought (blank, terminal punctuation, or a heading) — so "Section\n7.2
//! hereof" wrapped mid-sentence is not mistaken for a heading — or when it is a
//! short all-caps title. Labels nest by kind: attachments above articles above
//! dotted numbers (by depth) above lettered and parenthesized items, whose
//! nesting follows the order in which the document first uses them.
//! Paragraphs are then split into sentences by the grammar's `sentences` rule.

mod label;
mod sentences;

use crate::text::{Span, Text};
use rayon::prelude::*;

pub(crate) use label::{Label, LabelKind};

/// Bytes from which a document's line labels are read on all threads.
const PARALLEL_LABELS_FROM: usize = 1 << 20;

/// A heading and the clauses below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// "6.2", "ARTICLE IV", "Exhibit B".
    pub label: Option<String>,
    /// The heading's words after the label.
    pub title: Option<String>,
    /// The enclosing section.
    pub parent: Option<usize>,
    /// Nesting depth, 1 for top-level sections.
    pub level: usize,
    /// From the heading to the start of the next section at the same or a higher level.
    pub span: Span,
}

impl Section {
    /// "6.2", "6 OVERPAYMENTS", "RECITALS"
    pub fn display(&self) -> String {
        match (&self.label, &self.title) {
            (Some(l), Some(t)) => format!("{l} {t}"),
            (Some(l), None) => l.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => String::new(),
        }
    }
}

/// A block of lines: a numbered clause, or text between blank lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// Where it is.
    pub span: Span,
    /// The section it belongs to.
    pub section: Option<usize>,
    /// A heading line on its own (label and title): not a clause to audit.
    pub heading: bool,
}

/// A sentence, split where legal abbreviations allow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sentence {
    /// Where it is.
    pub span: Span,
    /// The paragraph it belongs to.
    pub paragraph: usize,
}

/// A document's sections, paragraphs and sentences.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Sections in document order.
    pub sections: Vec<Section>,
    /// Paragraphs in document order.
    pub paragraphs: Vec<Paragraph>,
    /// Sentences in document order.
    pub sentences: Vec<Sentence>,
}

impl Outline {
    /// The outline of a normalized text.
    pub fn build(text: &Text) -> Outline {
        Self::build_with_labels_in_parallel_from(text, PARALLEL_LABELS_FROM)
    }

    fn build_with_labels_in_parallel_from(text: &Text, bytes: usize) -> Outline {
        let mut b = Builder { in_title_block: true, ..Builder::default() };
        let s = text.as_str();
        // Reading a line's label (pest) is most of the walk down the lines and
        // depends on the line alone: a long document reads them on all threads
        // first, and only the nesting is decided line by line.
        let label = |line: &str| if line.trim().is_empty() { None } else { Label::parse(line) };
        let labels: Vec<Option<Label>> =
            if s.len() >= bytes { s.par_split('\n').map(label).collect() } else { s.split('\n').map(label).collect() };
        let mut start = 0;
        for (line, label) in s.split('\n').zip(labels) {
            b.line(line, start, label);
            start += line.len() + 1;
        }
        b.end_paragraph();
        let mut outline = b.finish(s.len());
        // Paragraphs split independently; `collect` keeps document order. Only
        // long documents are split into several tasks.
        outline.sentences = outline
            .paragraphs
            .par_iter()
            .with_min_len(1024)
            .enumerate()
            .filter(|(_, p)| !p.heading)
            .flat_map_iter(|(i, p)| {
                sentences::split(&s[p.span.start..p.span.end])
                    .into_iter()
                    .map(move |sp| Sentence { span: sp.shift(p.span.start), paragraph: i })
            })
            .collect();
        outline
    }

    /// The innermost section containing `offset`.
    pub fn section_at(&self, offset: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.span.start <= offset);
        self.paragraphs.get(i.checked_sub(1)?).and_then(|p| p.section)
    }

    /// Section path from the top: ["6 OVERPAYMENTS", "6.2"].
    pub fn path(&self, section: Option<usize>) -> Vec<String> {
        let mut path = Vec::new();
        let mut cur = section;
        while let Some(i) = cur {
            let Some(s) = self.sections.get(i) else { break };
            path.push(s.display());
            cur = s.parent;
        }
        path.reverse();
        path
    }

    /// The sentence containing `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<&Sentence> {
        let i = self.sentences.partition_point(|s| s.span.start <= offset);
        self.sentences.get(i.checked_sub(1)?).filter(|s| offset < s.span.end.max(s.span.start + 1))
    }
}

#[derive(Default)]
struct Builder {
    sections: Vec<Section>,
    /// Open sections, innermost last, with the kind of label that opened each.
    stack: Vec<(usize, LabelKind)>,
    /// First-use order of lettered/parenthesized styles, for nesting them.
    item_styles: Vec<LabelKind>,
    paragraphs: Vec<Paragraph>,
    current: Option<(usize, usize)>,
    /// Whether the previous line closed a thought (a new block may start).
    closed: bool,
    /// The previous line ended like a list item ("; and", ","): a lettered item may follow.
    continues_list: bool,
    /// The previous line was an article or attachment label with no title yet.
    awaiting_title: Option<usize>,
    /// Still in the document's opening block of headings (before any content).
    in_title_block: bool,
    /// The section the current line opened, and the sentence-case title its
    /// line holds ("9.1 Submitting claims"): a title if a blank line follows.
    pending_title: Option<(usize, String)>,
}

impl Builder {
    /// `label` is [`Label::parse`] of `line`.
    fn line(&mut self, line: &str, start: usize, label: Option<Label>) {
        let end = start + line.len();
        let trimmed = line.trim();
        let pending = self.pending_title.take();
        if trimmed.is_empty()
            && let (Some((sec, title)), Some((s, e))) = (pending, self.current)
        {
            self.sections[sec].title = Some(title);
            self.paragraphs.push(Paragraph { span: Span::new(s, e), section: Some(sec), heading: true });
            self.current = None;
            self.closed = true;
            return;
        }
        if trimmed.is_empty() {
            self.end_paragraph();
            self.closed = true;
            return;
        }
        let at_block_start = self.closed || self.current.is_none();
        let at_item_start = at_block_start || self.continues_list;
        if let Some(sec) = self.awaiting_title.take()
            && label::is_caps_title(trimmed)
        {
            self.sections[sec].title = Some(trimmed.to_string());
            self.end_paragraph();
            self.paragraphs.push(Paragraph { span: Span::new(start, end), section: Some(sec), heading: true });
            self.closed = true;
            return;
        }
        if let Some(label) = label.filter(|l| at_block_start || at_item_start && l.kind.is_item()) {
            self.open_labelled(label, line, start, end);
            return;
        }
        if at_block_start && label::is_caps_title(trimmed) {
            self.end_paragraph();
            let kind = if self.in_title_block { LabelKind::TitleBlock } else { LabelKind::Title };
            let sec = self.push_section(kind, None, Some(trimmed.to_string()), start);
            self.paragraphs.push(Paragraph { span: Span::new(start, end), section: Some(sec), heading: true });
            self.closed = true;
            return;
        }
        // Only prose ends the title block; a short running header ("Acme Plan -
        // Confidential") left on a one-page PDF does not.
        if label::closes_thought(trimmed) || trimmed.split_whitespace().count() > 12 {
            self.in_title_block = false;
        }
        match &mut self.current {
            Some((_, e)) => *e = end,
            None => self.current = Some((start, end)),
        }
        self.closed = label::closes_thought(trimmed);
        self.continues_list = label::continues_list(trimmed);
    }

    fn open_labelled(&mut self, label: Label, line: &str, start: usize, end: usize) {
        self.end_paragraph();
        self.in_title_block = false;
        let rest = line[label.len..].trim();
        let (title, heading_only) = label::title(rest);
        let kind = self.disambiguate(&label);
        let sec = self.push_section(kind, Some(label.text.clone()), title, start);
        if heading_only {
            self.paragraphs.push(Paragraph { span: Span::new(start, end), section: Some(sec), heading: true });
            self.closed = true;
            if self.sections[sec].title.is_none() && matches!(label.kind, LabelKind::Article | LabelKind::Attachment) {
                self.awaiting_title = Some(sec);
            }
        } else {
            self.current = Some((start, end));
            self.closed = label::closes_thought(rest);
            self.continues_list = label::continues_list(rest);
            self.pending_title = label::sentence_title(rest).map(|t| (sec, t));
        }
    }

    fn push_section(&mut self, kind: LabelKind, label: Option<String>, title: Option<String>, start: usize) -> usize {
        let rank = self.rank(kind);
        while let Some(&(_, top)) = self.stack.last() {
            if self.rank(top) >= rank {
                self.stack.pop();
            } else {
                break;
            }
        }
        let parent = self.stack.last().map(|&(i, _)| i);
        let level = self.stack.len() + 1;
        let idx = self.sections.len();
        self.sections.push(Section { label, title, parent, level, span: Span::new(start, start) });
        self.stack.push((idx, kind));
        idx
    }

    /// "(i)" after "(h)" is the letter i, not the roman numeral one.
    fn disambiguate(&self, label: &Label) -> LabelKind {
        let Some(alpha) = label.kind.alphabetic_twin() else {
            return label.kind;
        };
        let id = label.id();
        let follows_letter =
            self.stack.iter().rev().any(|&(i, k)| {
                k == alpha
                    && self.sections[i].label.as_deref().map(Label::id_of).is_some_and(|prev| {
                        prev.len() == 1 && id.len() == 1 && prev.as_bytes()[0] + 1 == id.as_bytes()[0]
                    })
            });
        if follows_letter { alpha } else { label.kind }
    }

    /// Lower ranks enclose higher ones.
    fn rank(&mut self, kind: LabelKind) -> usize {
        match kind {
            LabelKind::Attachment => 0,
            LabelKind::Article | LabelKind::Title => 1,
            // A leaf: whatever heading comes next replaces it.
            LabelKind::TitleBlock => usize::MAX,
            LabelKind::Number(depth) => 1 + depth as usize,
            item => {
                let pos = match self.item_styles.iter().position(|k| *k == item) {
                    Some(p) => p,
                    None => {
                        self.item_styles.push(item);
                        self.item_styles.len() - 1
                    }
                };
                100 + pos
            }
        }
    }

    fn end_paragraph(&mut self) {
        if let Some((s, e)) = self.current.take() {
            let section = self.stack.last().map(|&(i, _)| i);
            self.paragraphs.push(Paragraph { span: Span::new(s, e), section, heading: false });
        }
    }

    fn finish(mut self, len: usize) -> Outline {
        self.paragraphs.sort_by_key(|p| p.span.start);
        let starts: Vec<(usize, usize)> = self.sections.iter().map(|s| (s.span.start, s.level)).collect();
        for i in 0..self.sections.len() {
            let (start, level) = starts[i];
            let end = starts[i + 1..].iter().find(|(_, l)| *l <= level).map_or(len, |(s, _)| *s);
            self.sections[i].span = Span::new(start, end.max(start));
        }
        Outline { sections: self.sections, paragraphs: self.paragraphs, sentences: Vec::new() }
    }
}

#[cfg(test)]
mod tests;
