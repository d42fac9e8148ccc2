//! A problem in a user file as a diagnostic: the file's text as its source,
//! the offending key or value labelled; and all of a file's problems as one.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};

/// One problem in a user file, pointing at the YAML that causes it.
#[derive(Debug, Clone)]
pub struct FileError {
    /// What kind of file: `rules`, `config`, `waivers`, `label_map`.
    pub file_kind: &'static str,
    /// Stable name of the problem (`unknown_key`, `bad_regex`, ...).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to mend it.
    pub help: Option<Box<str>>,
    /// The label under the located text.
    pub label: &'static str,
    /// Where in the file.
    pub span: SourceSpan,
    /// The file (shared by all its problems).
    pub src: Arc<NamedSource<Arc<str>>>,
    /// Reported, but does not stop loading.
    pub warning: bool,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FileError {}

impl Diagnostic for FileError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("{}::{}", self.file_kind, self.code)))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.warning { miette::Severity::Warning } else { miette::Severity::Error })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&*self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some(self.label.to_string()), self.span))))
    }
}

/// Every problem found in one file.
#[derive(Debug, Clone)]
pub struct FileErrors {
    /// The file as shown.
    pub name: String,
    /// Its problems, in file order.
    pub errors: Vec<FileError>,
}

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(f, "{}: {n} error{}", self.name, if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for FileErrors {}

impl Diagnostic for FileErrors {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("yaml::invalid"))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.errors.iter().map(|e| e as &dyn Diagnostic)))
    }
}
