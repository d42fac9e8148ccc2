//! A document ready to audit: normalized text in the form rules read, and its outline.

use crate::extract::{Extracted, Format, Warning};
use crate::outline::Outline;
use crate::outline::parties::{self, Party};
use crate::text::{Flat, Span, Text, normalize};

pub struct Document {
    pub format: Format,
    /// The normalized text with line breaks as spaces and party names as the
    /// role words rules use, in place ([`Flat`]); quoted through [`Flat::original`].
    pub text: Flat,
    pub outline: Outline,
    pub warnings: Vec<Warning>,
    /// The parties' names as the document defines them.
    pub parties: Vec<Party>,
}

impl Document {
    pub fn new(extracted: &Extracted) -> Document {
        let pages: Vec<&str> = extracted.pages.iter().map(|p| p.text.as_str()).collect();
        let text = normalize(&pages);
        // The outline and the parties both read only the text: found side by
        // side, as a long document's outline is already split over the threads.
        let (outline, (parties, renames)) = rayon::join(
            || Outline::build(&text),
            || {
                let parties = parties::find(text.as_str());
                let renames = parties::occurrences(text.as_str(), &parties);
                (parties, renames)
            },
        );
        let text = Flat::new(text, &renames);
        Document { format: extracted.format, text, outline, warnings: extracted.warnings(), parties }
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
        self.text.matching().get(span.start..span.end).unwrap_or("")
    }

    pub fn whole(&self) -> Span {
        Span::new(0, self.text.len())
    }

    /// The normalized text as the document has it, for reports to quote.
    pub fn into_text(self) -> Text {
        self.text.into_text()
    }
}
