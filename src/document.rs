//! A document: ready to audit ([`Document`]: normalized text in the form rules
//! read, its outline and parties) and audited ([`DocumentResult`]: what a
//! report says of one file).
//!
//! A leaf of the stages after it: commands that only read documents
//! (`extract`, rule examples, benchmarks, fuzz targets) build one without the
//! engine, and waivers and reports take results without knowing how they were
//! made.

use std::sync::Arc;

use rayon::prelude::*;

use crate::extract::{ExtractError, Extracted, FileFormat, Warning};
use crate::finding::Finding;
use crate::outline::Outline;
use crate::read::clause::{self, Addressee, Reading};
use crate::read::parties::{self, Party};
use crate::read::roles::Side;
use crate::text::{Flat, Span, Text, normalize};

/// The unit of text a rule reads at a time.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// One sentence (the default): most clauses are one sentence.
    #[default]
    Sentence,
    /// A paragraph: a numbered clause with its sentences.
    Paragraph,
    /// A section with everything under its heading.
    Section,
    /// The whole document.
    Document,
}

impl Scope {
    /// Every scope, smallest first.
    pub const ALL: [Scope; 4] = [Scope::Sentence, Scope::Paragraph, Scope::Section, Scope::Document];
}

/// One document, normalized, outlined and read, for the rules.
pub struct Document {
    /// The format it was read as.
    pub format: FileFormat,
    /// The normalized text with line breaks as spaces and party names as the
    /// role words rules use, in place ([`Flat`]); quoted through [`Flat::original`].
    pub text: Flat,
    /// Its sections, paragraphs and sentences.
    pub outline: Outline,
    /// What was not read in full (pages without a text layer, failed pages).
    pub warnings: Vec<Warning>,
    /// The parties' names as the document defines or uses them.
    pub parties: Vec<Party>,
    /// Whom "you" addresses.
    pub addressee: Addressee,
    /// The parties as the clause reading looks them up.
    sides: Vec<(String, Side)>,
    /// Unaccepted tracked changes the extractor found (DOCX).
    pub tracked_changes: usize,
}

impl Document {
    /// Normalizes, outlines and reads the extracted pages.
    pub fn new(extracted: &Extracted) -> Document {
        let pages: Vec<&str> = extracted.pages.iter().map(|p| p.text.as_str()).collect();
        let text = normalize(&pages);
        // The outline and the parties both read only the text: found side by
        // side, as a long document's outline is already split over the threads.
        let (outline, (parties, renames, addressee)) = rayon::join(
            || Outline::build(&text),
            || {
                let parties = parties::find(text.as_str());
                let renames = parties::occurrences(text.as_str(), &parties);
                (parties, renames, parties::addressee(text.as_str()))
            },
        );
        let sides = parties.iter().map(|p| (p.alias.clone(), p.side)).collect();
        let text = Flat::new(text, &renames);
        Document {
            format: extracted.format,
            text,
            outline,
            warnings: extracted.warnings(),
            parties,
            addressee,
            sides,
            tracked_changes: extracted.tracked_changes,
        }
    }

    /// A one-page document from a string (rule examples, tests).
    pub fn from_text(source: &str) -> Document {
        let extracted = Extracted {
            format: FileFormat::Text,
            pages: vec![crate::extract::Page::new(source.to_string(), crate::extract::PageState::Read)],
            tracked_changes: 0,
            pdftotext_pages: Vec::new(),
            unread: Vec::new(),
            ocr: crate::extract::OcrRun::default(),
        };
        Document::new(&extracted)
    }

    /// The matching form of `span` (line breaks as spaces, names as role words).
    pub fn flat(&self, span: Span) -> &str {
        self.text.matching().get(span.start..span.end).unwrap_or("")
    }

    /// The span of the whole text.
    pub fn whole(&self) -> Span {
        Span::new(0, self.text.len())
    }

    /// The units of `scope`, in document order. Sentences that are run-in
    /// headings ([`is_fragment`]) are not units; a document without sections
    /// is one section.
    pub fn units(&self, scope: Scope) -> Vec<Span> {
        match scope {
            Scope::Sentence => {
                let sentences = &self.outline.sentences;
                sentences
                    .par_iter()
                    .with_min_len(per_task(sentences.len()))
                    .map(|s| s.span)
                    .filter(|s| !is_fragment(&self.text.original(*s)))
                    .collect()
            }
            Scope::Paragraph => self.outline.paragraphs.iter().filter(|p| !p.heading).map(|p| p.span).collect(),
            Scope::Section => {
                let mut spans: Vec<Span> = self.outline.sections.iter().map(|s| s.span).collect();
                if spans.is_empty() {
                    spans.push(self.whole());
                }
                spans
            }
            Scope::Document => vec![self.whole()],
        }
    }

    /// What the clause around `at` (absolute) says: who acts, under which
    /// modality. A list item with no modal of its own reads as its lead-in
    /// ("No carrier may require … that the provider agree: (1) to …").
    pub fn read_clause(&self, at: Span) -> Reading {
        let sentences = &self.outline.sentences;
        let Some(i) = sentences.partition_point(|s| s.span.start <= at.start).checked_sub(1) else {
            let whole = self.whole();
            return clause::read(self.flat(whole), at, &self.sides, self.addressee);
        };
        let span = sentences[i].span;
        let local = Span::new(at.start - span.start, at.end.saturating_sub(span.start).max(at.start - span.start));
        let reading = clause::read(self.flat(span), local, &self.sides, self.addressee);
        // A modal of its own before the word governs; one inside the matched
        // phrase ("prohibits … from discussing") yields to a list's lead-in.
        if reading.modal.is_some_and(|m| m.start < local.start) || i == 0 {
            return reading;
        }
        // Up through the list to the sentence that introduces it: a lead-in
        // that ends with a colon or "means", or one that defines a term.
        for j in (i.saturating_sub(8)..i).rev() {
            let lead = sentences[j].span;
            let text = self.flat(lead).trim_end();
            let end = Span::new(text.len(), text.len());
            let lead_in = clause::read(text, end, &self.sides, self.addressee);
            if text.ends_with(':') || text.ends_with("means") || lead_in.definition {
                // A list item is the lead-in's object: governed by its modal.
                return Reading { conditional: reading.conditional, direct: true, ..lead_in };
            }
            if !(text.ends_with(';') || text.ends_with("; and") || text.ends_with("; or") || text.ends_with(',')) {
                break;
            }
        }
        reading
    }

    /// The list a lead-in introduces: when the sentence holding `at`
    /// (absolute) ends with a colon, the items after it — each labelled or
    /// following an item that ended with `;`, `; and`, `; or` or `,`, up to
    /// the item that ends the sentence — where its quantities stand ("the
    /// lowest of: (i) billed charges; (ii) 100% of Medicare").
    pub fn list_after(&self, at: usize) -> Option<Span> {
        let sentences = &self.outline.sentences;
        let i = sentences.partition_point(|s| s.span.start <= at).checked_sub(1)?;
        if !self.flat(sentences[i].span).trim_end().ends_with(':') {
            return None;
        }
        let mut end = None;
        for item in sentences.iter().skip(i + 1).take(LIST_ITEMS) {
            end = Some(item.span.end);
            let text = self.flat(item.span).trim_end();
            let joined = ["; and", "; or", ", and", ", or"].iter().any(|j| text.ends_with(j));
            if !(text.ends_with(';') || text.ends_with(',') || joined) {
                break;
            }
        }
        end.map(|end| Span::new(sentences[i].span.end, end))
    }

    /// The paragraph around `unit` (absolute), in the flat form rules match:
    /// what a sentence is about when the sentence does not say ("may apply
    /// this policy with reasonable discretion" in a paragraph about payment).
    /// At most [`PARAGRAPH_CONTEXT`] bytes either side of the unit, so a
    /// document written as one paragraph is not read whole for every sentence.
    pub fn paragraph_around(&self, unit: Span) -> &str {
        let paragraphs = &self.outline.paragraphs;
        let i = paragraphs.partition_point(|p| p.span.start <= unit.start);
        let Some(p) = i.checked_sub(1).map(|i| paragraphs[i].span).filter(|p| unit.start < p.end) else {
            return "";
        };
        let text = self.text.matching();
        let from = text.floor_char_boundary(p.start.max(unit.start.saturating_sub(PARAGRAPH_CONTEXT)));
        let to = text.ceil_char_boundary(p.end.min(unit.end.saturating_add(PARAGRAPH_CONTEXT)));
        self.flat(Span::new(from, to.max(from)))
    }

    /// The headings over `at` (absolute), one a line, and a run-in heading
    /// ("Rights of Set-Off.") just before its sentence: what a clause is about
    /// when it does not say so itself.
    pub fn headings_at(&self, at: usize) -> String {
        let mut out = self.outline.path(self.outline.section_at(at)).join("\n");
        let sentences = &self.outline.sentences;
        if let Some(i) = sentences.partition_point(|s| s.span.start <= at).checked_sub(1)
            && let Some(prev) = i.checked_sub(1).map(|j| &sentences[j])
            && prev.paragraph == sentences[i].paragraph
        {
            // A run-in heading, or the lead-in of a list ("… the payer may then:").
            let text = self.text.original(prev.span);
            if is_fragment(&text) || text.trim_end().ends_with(':') {
                out.push('\n');
                out.push_str(&text);
            }
        }
        out
    }

    /// The normalized text as the document has it, for reports to quote.
    pub fn into_text(self) -> Text {
        self.text.into_text()
    }
}

/// A run-in heading the outline could not tell from a sentence, not a clause:
/// fewer than four words ("Audit Rights.", "18.2 Termination for Convenience."),
/// or a title of up to eight title-case words ("b) Commercial General Liability Insurance.").
/// Clause labels ("b)", "(iv)", "3.1") are not words.
pub fn is_fragment(sentence: &str) -> bool {
    // Nine words already make a clause: the rest of a long sentence is not read.
    // Counted, not collected: every sentence of a document is asked.
    let (mut words, mut titled) = (0, true);
    for w in sentence.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).nth(1).is_some()).take(9) {
        words += 1;
        titled &= w.trim_start_matches(|c: char| !c.is_alphanumeric()).starts_with(|c: char| c.is_uppercase())
            || SMALL_WORDS.contains(&w.trim_end_matches(|c: char| !c.is_alphanumeric()));
    }
    words < 4 || (words <= 8 && titled) || sentence.contains('\n') && sentence.lines().all(is_title_line)
}

/// A line of a title block ("Acme Health", "Provider Manual - Chapter 9",
/// "Effective January 1, 2027"): a few words, each capitalized or a small word.
fn is_title_line(line: &str) -> bool {
    let words: Vec<&str> =
        line.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).nth(1).is_some()).collect();
    words.len() <= 12
        && words.iter().all(|w| {
            w.trim_start_matches(|c: char| !c.is_alphanumeric()).starts_with(|c: char| c.is_uppercase())
                || SMALL_WORDS.contains(&w.trim_end_matches(|c: char| !c.is_alphanumeric()))
        })
        && !line.trim_end().ends_with(['.', ';', ','])
        && !words.iter().any(|w| {
            // "MUST" in a line of capitals is a verb; "May" in "May 1, 2027" a month.
            let w = w.trim_matches(|c: char| !c.is_alphabetic());
            let capitals = w.chars().all(|c| c.is_ascii_uppercase());
            let lower = w.to_ascii_lowercase();
            capitals
                && ["shall", "may", "must", "will", "is", "are", "be", "not", "require", "requires"]
                    .contains(&lower.as_str())
        })
}

/// Words a title leaves in lower case.
const SMALL_WORDS: [&str; 13] = ["of", "and", "the", "to", "for", "in", "on", "or", "a", "an", "by", "with", "from"];

/// Units from which a document's units are spread over the threads: about a
/// 150-page contract's sentences, so only long documents are split.
pub const PARALLEL_UNITS: usize = 4096;

/// How far around a unit [`Document::paragraph_around`] reads: a long
/// paragraph's neighbouring sentences, not all of it.
pub const PARAGRAPH_CONTEXT: usize = 2048;

/// How many items a lead-in's list may hold for [`Document::list_after`].
const LIST_ITEMS: usize = 12;

/// Units per task once a document is split: thousand-unit tasks left one thread
/// idle while the other finished the last (3 MB text: 1.2x -> 1.5x on 2 threads).
const UNITS_PER_TASK: usize = 256;

/// Units per rayon task: a long document's in small tasks, any other one whole.
pub fn per_task(units: usize) -> usize {
    if units >= PARALLEL_UNITS { UNITS_PER_TASK } else { units.max(1) }
}

/// The outcome of auditing one file.
#[derive(Debug, Clone)]
pub struct DocumentResult {
    /// The path as the user gave it (or as found under a folder they gave).
    pub path: String,
    /// The format it was read as, when it could be read.
    pub format: Option<FileFormat>,
    /// Pages read (0 when the file could not be read).
    pub pages: u32,
    /// Why the file could not be audited at all.
    pub error: Option<ExtractError>,
    /// What was read only in part.
    pub warnings: Vec<Warning>,
    /// The findings, in document order.
    pub findings: Vec<Finding>,
    /// The reader that produced the text (`Extracted::reader`), when it was read.
    pub reader: Option<&'static str>,
    /// Pages `pdftotext` read instead of the built-in PDF reader.
    pub pdftotext_pages: Vec<u32>,
    /// Pages read by OCR.
    pub ocr_pages: Vec<u32>,
    /// The normalized text, for renderers that quote it.
    pub text: Option<Arc<str>>,
}

impl DocumentResult {
    /// Whether some of the document could not be read (an error, or unread pages).
    pub fn is_partial(&self) -> bool {
        self.error.is_some() || self.read_in_part()
    }

    /// Whether a warning says text may be missing or wrong (not only that
    /// pages were read by OCR).
    pub fn read_in_part(&self) -> bool {
        self.warnings.iter().any(Warning::is_loss)
    }

    /// A file that could not be audited at all.
    pub fn unreadable(path: String, error: ExtractError) -> DocumentResult {
        DocumentResult {
            path,
            format: None,
            pages: 0,
            error: Some(error),
            warnings: Vec::new(),
            findings: Vec::new(),
            reader: None,
            pdftotext_pages: Vec::new(),
            ocr_pages: Vec::new(),
            text: None,
        }
    }
}
