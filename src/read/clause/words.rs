//! The words of a sentence and the punctuation that separates its clauses.

use crate::text::Span;

/// A word (or a clause-separating mark) and where it stands in its sentence.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word<'a> {
    pub text: &'a str,
    pub span: Span,
}

/// Words and the punctuation that separates clauses, in order.
pub(super) fn words(sentence: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let bytes = sentence.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || bytes[i] == b'_'
                    || bytes[i] >= 0x80
                    || (matches!(bytes[i], b'\'' | b'-') && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)))
            {
                i += 1;
            }
            // Keep whole characters: a non-ASCII run ends on a boundary.
            while !sentence.is_char_boundary(i) {
                i += 1;
            }
            out.push(Word { text: &sentence[start..i], span: Span::new(start, i) });
        } else {
            if matches!(b, b';' | b':' | b',' | b'(' | b')') {
                out.push(Word { text: &sentence[i..i + 1], span: Span::new(i, i + 1) });
            }
            i += 1;
        }
    }
    out
}

pub(super) fn is(w: &Word<'_>, options: &[&str]) -> bool {
    options.iter().any(|o| w.text.eq_ignore_ascii_case(o))
}
