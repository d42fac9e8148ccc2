//! Expert labels to score against: the `labels.jsonl` format of the CUAD dev
//! split, one line per (document, label) — including the labels a document
//! lacks, which is what makes precision measurable.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;

/// A gold file that cannot be used, pointing at the line at fault.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum GoldError {
    /// The file could not be read.
    #[error("cannot read gold file {path}")]
    #[diagnostic(code(eval::gold_unreadable))]
    Unreadable {
        /// The path as given.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A line is not a label.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<LineError>),
    /// The file holds no label.
    #[error("{path}: no labels")]
    #[diagnostic(code(eval::gold_empty))]
    Empty {
        /// The path as given.
        path: String,
    },
}

/// A line of the gold file that is not a label, located.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{path}:{line}: {message}")]
#[diagnostic(
    code(eval::gold_invalid),
    help("each line is a JSON object with `file`, `category`, `has_answer` and `spans` [{{\"text\": ...}}]")
)]
pub struct LineError {
    pub path: String,
    pub line: usize,
    pub message: String,
    #[source_code]
    pub src: NamedSource<Arc<str>>,
    #[label("here")]
    pub at: SourceSpan,
}

#[derive(Deserialize)]
struct Line {
    file: String,
    category: String,
    has_answer: bool,
    #[serde(default)]
    spans: Vec<LineSpan>,
}

#[derive(Deserialize)]
struct LineSpan {
    text: String,
    /// Segments of one clause share an index (CUAD splits a clause around text
    /// it skips); absent means every span is its own clause.
    #[serde(default)]
    clause_index: Option<usize>,
    /// Character offset in the source file; used only to choose between
    /// repeated occurrences of the same words.
    #[serde(default)]
    start: Option<usize>,
}

/// One labelled clause: its segments' text, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldSpan {
    pub segments: Vec<String>,
    pub start: Option<usize>,
}

/// What the experts said about one label in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoldLabel {
    pub present: bool,
    pub spans: Vec<GoldSpan>,
}

/// Labels by document (the `file` as written in the gold file) and label name.
#[derive(Debug, Clone, Default)]
pub struct Gold {
    /// Labels by document, then by label name.
    pub documents: BTreeMap<String, BTreeMap<String, GoldLabel>>,
}

impl Gold {
    /// Reads a gold file.
    pub fn load(path: &Path) -> Result<Gold, GoldError> {
        let shown = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|source| GoldError::Unreadable { path: shown.clone(), source })?;
        Gold::parse(&shown, &text)
    }

    /// Reads the text of a gold file named `path`.
    pub fn parse(path: &str, text: &str) -> Result<Gold, GoldError> {
        let mut gold = Gold::default();
        let mut offset = 0;
        for (n, raw) in text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += raw.len();
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let parsed: Line = serde_json::from_str(line).map_err(|e| {
                GoldError::Invalid(Box::new(LineError {
                    path: path.to_string(),
                    line: n + 1,
                    message: e.to_string(),
                    src: NamedSource::new(path, Arc::<str>::from(text)),
                    at: (start + raw.find(|c: char| !c.is_whitespace()).unwrap_or(0) + e.column().saturating_sub(1), 0)
                        .into(),
                }))
            })?;
            let label = gold.documents.entry(parsed.file).or_default().entry(parsed.category).or_default();
            label.present |= parsed.has_answer;
            label.spans.extend(group(parsed.spans));
        }
        if gold.documents.is_empty() {
            return Err(GoldError::Empty { path: path.to_string() });
        }
        Ok(gold)
    }

    /// Every label name in the file, sorted.
    pub fn labels(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.documents.values().flat_map(|d| d.keys().map(String::as_str)).collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// Joins the segments of each clause, keeping the clauses in file order.
fn group(spans: Vec<LineSpan>) -> Vec<GoldSpan> {
    let mut out: Vec<(Option<usize>, GoldSpan)> = Vec::new();
    for s in spans {
        match out.iter_mut().find(|(k, _)| k.is_some() && *k == s.clause_index) {
            Some((_, g)) => g.segments.push(s.text),
            None => out.push((s.clause_index, GoldSpan { segments: vec![s.text], start: s.start })),
        }
    }
    out.into_iter().map(|(_, g)| g).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_segments_by_clause() {
        let text = r#"{"file":"a.txt","category":"Governing Law","has_answer":true,"spans":[{"text":"one","clause_index":0},{"text":"two","clause_index":0},{"text":"three","clause_index":1}]}
{"file":"a.txt","category":"Audit Rights","has_answer":false,"spans":[]}
"#;
        let gold = Gold::parse("g.jsonl", text).unwrap();
        let doc = &gold.documents["a.txt"];
        assert_eq!(doc["Governing Law"].spans.len(), 2);
        assert_eq!(doc["Governing Law"].spans[0].segments, ["one", "two"]);
        assert!(!doc["Audit Rights"].present);
        assert_eq!(gold.labels(), ["Audit Rights", "Governing Law"]);
    }

    #[test]
    fn a_bad_line_is_located() {
        let text = "{\"file\":\"a.txt\",\"category\":\"X\",\"has_answer\":true}\n{\"file\": 3}\n";
        match Gold::parse("g.jsonl", text) {
            Err(GoldError::Invalid(e)) => assert_eq!(e.line, 2),
            other => panic!("expected a located error, got {other:?}"),
        }
        assert!(matches!(Gold::parse("g.jsonl", "\n"), Err(GoldError::Empty { .. })));
    }
}
