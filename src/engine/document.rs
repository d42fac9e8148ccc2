//! A document ready to audit: normalized text, its outline, and a matching copy.

use crate::extract::{Extracted, Format, Warning};
use crate::outline::Outline;
use crate::text::{Span, Text, normalize};

pub struct Document {
    pub format: Format,
    pub text: Text,
    pub outline: Outline,
    pub warnings: Vec<Warning>,
    /// The normalized text with line breaks as spaces: same byte offsets, so
    /// patterns written with a space match across a line break.
    flat: String,
}

impl Document {
    pub fn new(extracted: &Extracted) -> Document {
        let pages: Vec<String> = extracted.pages.iter().map(|p| p.text.clone()).collect();
        let text = normalize(&pages);
        let outline = Outline::build(&text);
        let flat = text.as_str().replace('\n', " ");
        Document { format: extracted.format, text, outline, warnings: extracted.warnings(), flat }
    }

    /// A one-page document from a string (rule examples, tests).
    pub fn from_text(source: &str) -> Document {
        let extracted = Extracted {
            format: Format::Text,
            pages: vec![crate::extract::Page { text: source.to_string(), state: crate::extract::PageState::Read }],
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
