//! The text as rules read it, in the text's own bytes.
//!
//! Rules match a form of the text in which line breaks are spaces (a pattern
//! written with a space matches across a line break) and the parties' names are
//! their role words ("Lakeshore" → "    plan", right-aligned so "Lakeshore's"
//! still reads "plan's"). Both rewrites keep every byte offset. A copy in that
//! form doubled the biggest allocation of a long document (3 MB of a 3 MB
//! contract, alive for the whole audit); instead the text is rewritten in place
//! once its outline is built, and put back where it is quoted: the line breaks
//! are the text's line index, and the names are kept beside it.

use std::borrow::Cow;

use super::{Span, Text};

/// A [`Text`] in its matching form. It does not hand out the text's bytes as
/// the text: quoting goes through [`Flat::original`], so no report can show
/// "plan" where the contract says "Lakeshore".
#[derive(Debug, Clone)]
pub struct Flat {
    text: Text,
    /// The original bytes of each rewritten name (or run of overlapping ones), by start.
    renamed: Vec<(Span, Box<str>)>,
}

impl Flat {
    /// `text` with its line breaks as spaces and each `(span, word)` written
    /// right-aligned over the span, in order (a later name overwrites an earlier
    /// one it overlaps); a span shorter than its word is left alone.
    pub fn new(text: Text, renames: &[(Span, &str)]) -> Flat {
        let fits = |s: &Span, w: &str| w.len() <= s.len() && text.text.get(s.start..s.end).is_some();
        let renames: Vec<(Span, &str)> = renames.iter().copied().filter(|(s, w)| fits(s, w)).collect();
        // What is put back: the original bytes of each run of overlapping names.
        let mut runs: Vec<Span> = renames.iter().map(|&(s, _)| s).collect();
        runs.sort_by_key(|s| s.start);
        let mut merged: Vec<Span> = Vec::with_capacity(runs.len());
        for s in runs {
            match merged.last_mut() {
                Some(last) if s.start < last.end => last.end = last.end.max(s.end),
                _ => merged.push(s),
            }
        }
        let renamed = merged.into_iter().map(|s| (s, text.slice(s).into())).collect();
        let mut bytes = text.text.into_bytes();
        for &at in &text.line_starts[1..] {
            bytes[at - 1] = b' ';
        }
        for (span, word) in renames {
            let padded = format!("{word:>width$}", width = span.len());
            bytes[span.start..span.end].copy_from_slice(padded.as_bytes());
        }
        let text = Text { text: into_string(bytes), ..text };
        Flat { text, renamed }
    }

    /// The matching form.
    pub fn matching(&self) -> &str {
        &self.text.text
    }

    /// The text of `span` as the document has it, line breaks and names put back;
    /// empty if `span` does not fall on character boundaries of the text.
    pub fn original(&self, span: Span) -> Cow<'_, str> {
        let Some(flat) = self.text.text.get(span.start..span.end) else {
            return Cow::Borrowed("");
        };
        if self.breaks(span).is_empty() && self.renamed_in(span).is_empty() {
            return Cow::Borrowed(flat);
        }
        let mut bytes = flat.as_bytes().to_vec();
        self.put_back(&mut bytes, span);
        String::from_utf8(bytes).map_or(Cow::Borrowed(""), Cow::Owned)
    }

    /// The text itself again, rewritten back in place.
    pub fn into_text(mut self) -> Text {
        let mut bytes = std::mem::take(&mut self.text.text).into_bytes();
        let whole = Span::new(0, bytes.len());
        self.put_back(&mut bytes, whole);
        Text { text: into_string(bytes), ..self.text }
    }

    /// Writes the line breaks and names inside `span` back into `bytes`, the
    /// matching form of that span.
    fn put_back(&self, bytes: &mut [u8], span: Span) {
        for &at in self.breaks(span) {
            bytes[at - 1 - span.start] = b'\n';
        }
        for (s, original) in self.renamed_in(span) {
            let (from, to) = (s.start.max(span.start), s.end.min(span.end));
            bytes[from - span.start..to - span.start]
                .copy_from_slice(&original.as_bytes()[from - s.start..to - s.start]);
        }
    }

    /// Bytes of text.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Pages of the source document.
    pub fn page_count(&self) -> u32 {
        self.text.page_count()
    }

    /// 1-based page of a byte offset.
    pub fn page_of(&self, offset: usize) -> u32 {
        self.text.page_of(offset)
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        self.text.line_of(offset)
    }

    /// 1-based line of a byte offset on its page.
    pub fn page_line(&self, offset: usize) -> u32 {
        self.text.page_line(offset)
    }

    /// Line starts whose line break lies inside `span`.
    fn breaks(&self, span: Span) -> &[usize] {
        let starts = &self.text.line_starts;
        let from = starts.partition_point(|&s| s <= span.start);
        let to = starts.partition_point(|&s| s <= span.end);
        &starts[from..to]
    }

    fn renamed_in(&self, span: Span) -> &[(Span, Box<str>)] {
        // Runs do not overlap, so their ends are in order too.
        let from = self.renamed.partition_point(|(s, _)| s.end <= span.start);
        let to = self.renamed.partition_point(|(s, _)| s.start < span.end);
        &self.renamed[from..to.max(from)]
    }
}

/// Only ASCII bytes were written, over whole characters: still UTF-8.
fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::text::normalize;

    /// The matching copy as it was built before it was made in place.
    fn copied(text: &str, renames: &[(Span, &str)]) -> String {
        let mut flat = text.replace('\n', " ");
        for &(span, word) in renames {
            if word.len() <= span.len() && text.get(span.start..span.end).is_some() {
                flat.replace_range(span.start..span.end, &format!("{word:>width$}", width = span.len()));
            }
        }
        flat
    }

    fn pages() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("Lakeshore"),
            Just("Northside’s"),
            Just(" "),
            Just("\n"),
            Just("\n\n"),
            Just("may recoup"),
            Just("é"),
            Just("§ 4."),
            Just("Plan"),
            Just("x"),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn rules_read_the_copy_and_reports_the_text(
            page in pages(),
            cuts in proptest::collection::vec((0usize..=30, 0usize..14, prop_oneof![Just("plan"), Just("provider")]), 0..6),
            spans in proptest::collection::vec((0usize..400, 0usize..400), 0..20),
        ) {
            let text = normalize(&[page]);
            let original = text.as_str().to_string();
            let len = original.len();
            let renames: Vec<(Span, &str)> =
                cuts.iter().map(|&(at, n, w)| (at * len / 30, n, w)).map(|(at, n, w)| (Span::new(at, (at + n).min(len)), w)).collect();
            let flat = Flat::new(text.clone(), &renames);
            prop_assert_eq!(flat.matching(), copied(&original, &renames));
            for (a, b) in spans {
                let span = Span::new(a.min(b).min(len), a.max(b).min(len));
                prop_assert_eq!(flat.original(span), text.slice(span), "{:?}", span);
            }
            prop_assert_eq!(flat.into_text().into_string(), original);
        }
    }
}
