//! Located diagnostics for the small YAML files users write by hand (config,
//! waivers): serde_yaml reports a line and column for syntax, type and
//! unknown-key errors; this turns them into a miette diagnostic on the file.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}: {message}")]
#[diagnostic(code(yaml::invalid))]
pub struct YamlFileError {
    pub file: String,
    pub message: String,
    #[source_code]
    pub src: NamedSource<Arc<str>>,
    #[label("here")]
    pub span: SourceSpan,
    #[help]
    pub help: Option<String>,
}

impl YamlFileError {
    pub fn new(file: &str, text: &str, message: String, at: usize, help: Option<String>) -> YamlFileError {
        YamlFileError {
            file: file.to_string(),
            message,
            src: NamedSource::new(file, Arc::<str>::from(text)),
            span: (at.min(text.len()), 0).into(),
            help,
        }
    }
}

/// Parses `text` as `T`, or returns a diagnostic pointing into the file.
pub fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, Box<YamlFileError>> {
    serde_yaml::from_str(text).map_err(|e| {
        let at = e.location().map_or(0, |l| offset_of(text, l.line(), l.column()));
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        Box::new(YamlFileError::new(file, text, message, at, None))
    })
}

/// Byte offset of a 1-based line and column (in characters).
fn offset_of(src: &str, line: usize, column: usize) -> usize {
    let line_start: usize = src.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = &src[line_start.min(src.len())..];
    line_start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
}
