//! A document ready to audit: normalized text, its outline, and a matching copy.

use crate::extract::{Extracted, Format, Warning};
use crate::outline::Outline;
use crate::outline::parties::{self, Party};
use crate::text::{Span, Text, normalize};

pub struct Document {
    pub format: Format,
    pub text: Text,
    pub outline: Outline,
    pub warnings: Vec<Warning>,
    /// The parties' names as the document defines them.
    pub parties: Vec<Party>,
    /// The normalized text with line breaks as spaces: same byte offsets, so
    /// patterns written with a space match across a line break. Party names are
    /// rewritten to the role word rules use ("Lakeshore" → "    plan"), right-
    /// aligned in the same bytes so "Lakeshore's" still reads "plan's".
    flat: String,
}

impl Document {
    pub fn new(extracted: &Extracted) -> Document {
        let pages: Vec<&str> = extracted.pages.iter().map(|p| p.text.as_str()).collect();
        let text = normalize(&pages);
        // The outline and the matching copy both read only the text: built side
        // by side, as a long document's outline is already split over the threads.
        let (outline, (parties, flat)) = rayon::join(
            || Outline::build(&text),
            || {
                let parties = parties::find(text.as_str());
                let mut flat = text.as_str().replace('\n', " ");
                for (span, generic) in parties::occurrences(text.as_str(), &parties) {
                    let padded = format!("{generic:>width$}", width = span.len());
                    flat.replace_range(span.start..span.end, &padded);
                }
                (parties, flat)
            },
        );
        Document { format: extracted.format, text, outline, warnings: extracted.warnings(), parties, flat }
    }

    /// A one-page document from a string (rule examples, tests).
    pub fn from_text(source: &str) -> Document {
        let extracted = Extracted {
            format: Format::Text,
            pages: vec![crate::extract::Page { text: source.to_string(), state: crate::extract::PageState::Read }],
            tracked_changes: 0,
            pdftotext_pages: Vec::new(),
        };
        Document::new(&extracted)
    }

    pub fn flat(&self, span: Span) -> &str {
        self.flat.get(span.start..span.end).unwrap_or("")
    }

    pub fn whole(&self) -> Span {
        Span::new(0, self.flat.len())
    }
}
