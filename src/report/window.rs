//! Sources cut to a readable window around what a diagnostic points at.
//!
//! miette draws whole lines, and its graphical layout panics on a line past
//! 65,535 columns (a one-line contract, a DOCX paragraph of soft breaks, a rule
//! file written on one line). A finding quotes its clause, not a 10 MB line: a
//! line longer than [`MAX_SIDE`] bytes either side of the focus is cut near it,
//! and a focus longer than [`MAX_FOCUS`] is shown from its start.

use std::fmt;
use std::ops::Range;

use miette::{Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Bytes of a long line kept before and after the focus.
pub const MAX_SIDE: usize = 240;
/// Bytes of a focus shown at most.
pub const MAX_FOCUS: usize = 4000;

/// The byte range of `text` to show for `focus`: its whole lines when they are
/// short, else cut [`MAX_SIDE`] bytes either side; always on char boundaries
/// and at most about `MAX_FOCUS + 2 * MAX_SIDE` bytes.
pub fn around(text: &str, focus: Range<usize>) -> Range<usize> {
    let fs = floor(text, focus.start.min(text.len()));
    let fe = floor(text, focus.end.clamp(fs, text.len()).min(fs + MAX_FOCUS));
    let line_start = text[..fs].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[fe..].find('\n').map_or(text.len(), |i| fe + i);
    let start = if fs - line_start > MAX_SIDE { floor(text, fs - MAX_SIDE) } else { line_start };
    let end = if line_end - fe > MAX_SIDE { floor(text, fe + MAX_SIDE) } else { line_end };
    start..end
}

fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A diagnostic whose source (and its related diagnostics' sources) is read
/// through [`around`]; everything else is the inner diagnostic's.
pub struct Windowed<'a>(&'a dyn Diagnostic, Option<Source<'a>>, Vec<Windowed<'a>>);

impl<'a> Windowed<'a> {
    /// Wraps `diag`.
    pub fn new(diag: &'a dyn Diagnostic) -> Windowed<'a> {
        let related = diag.related().map(|r| r.map(Windowed::new).collect()).unwrap_or_default();
        Windowed(diag, diag.source_code().map(Source), related)
    }
}

/// The inner diagnostic's source, windowed.
struct Source<'a>(&'a dyn SourceCode);

impl fmt::Debug for Windowed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl fmt::Display for Windowed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

impl std::error::Error for Windowed<'_> {}

impl Diagnostic for Windowed<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.0.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.0.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.0.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.0.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.1.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.0.labels()
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.0.related().map(|_| Box::new(self.2.iter().map(|d| d as &dyn Diagnostic)) as Box<dyn Iterator<Item = _>>)
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.0.diagnostic_source()
    }
}

impl SourceCode for Source<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner = self.0.read_span(span, before, after)?;
        let data = inner.data();
        let short = data.split(|b| *b == b'\n').all(|line| line.len() <= 2 * MAX_SIDE + MAX_FOCUS);
        let Ok(text) = std::str::from_utf8(data) else { return Ok(inner) };
        if short {
            return Ok(inner);
        }
        let base = inner.span().offset();
        let focus = span.offset().saturating_sub(base)..(span.offset() + span.len()).saturating_sub(base);
        let w = around(text, focus);
        let skipped = &text[..w.start];
        let line = inner.line() + skipped.matches('\n').count();
        let column =
            skipped.rfind('\n').map_or(inner.column() + skipped.chars().count(), |i| skipped[i + 1..].chars().count());
        let shown = &text[w.clone()];
        let contents = MietteSpanContents::new(
            shown.as_bytes(),
            SourceSpan::new((base + w.start).into(), w.len()),
            line,
            column,
            shown.matches('\n').count() + 1,
        );
        Ok(Box::new(match inner.name() {
            Some(name) => MietteSpanContents::new_named(
                name.to_string(),
                contents.data(),
                *contents.span(),
                line,
                column,
                contents.line_count(),
            ),
            None => contents,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_shown_whole() {
        let text = "first line\nsecond line with the clause\nthird";
        let w = around(text, 18..24);
        assert_eq!(&text[w], "second line with the clause");
    }

    #[test]
    fn a_long_line_is_cut_near_the_focus() {
        let text = "é".repeat(100_000) + "the clause" + &"x".repeat(100_000);
        let at = text.find("the clause").unwrap_or(0);
        let w = around(&text, at..at + 10);
        assert!(w.len() <= 2 * MAX_SIDE + 10 + 1, "window of {} bytes", w.len());
        assert!(text[w].contains("the clause"));
    }

    #[test]
    fn a_long_focus_is_capped() {
        let text = "a".repeat(1_000_000);
        let w = around(&text, 10..900_000);
        assert!(w.len() <= MAX_FOCUS + 2 * MAX_SIDE);
    }

    #[test]
    fn a_diagnostic_on_a_long_line_renders() {
        #[derive(Debug, thiserror::Error, Diagnostic)]
        #[error("bad value")]
        struct Bad {
            #[source_code]
            src: String,
            #[label("this one")]
            at: SourceSpan,
        }
        let src = "key: ".to_string() + &"v ".repeat(70_000) + "oops";
        let at = SourceSpan::new((src.len() - 4).into(), 4);
        let bad = Bad { src, at };
        let mut out = String::new();
        let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        assert!(handler.render_report(&mut out, &Windowed::new(&bad)).is_ok());
        assert!(out.contains("oops") && out.contains("this one") && out.len() < 4000, "{out}");
    }
}
