//! One document, start to finish: read → extract → normalize → outline → rules.
//!
//! Every failure of a file becomes part of its [`DocumentResult`] — never an early
//! return for the batch — so one unreadable file is reported beside the others.

use std::path::{Path, PathBuf};

use crate::document::{Document, DocumentResult};
use crate::engine::Engine;
use crate::extract::{Limits, extract_file};

/// A path given on the command line that cannot be audited at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    /// The path does not exist.
    #[error("no such file or folder: {0}")]
    #[diagnostic(code(input::missing))]
    Missing(String),
    /// A folder could not be listed.
    #[error("cannot read folder {path}")]
    #[diagnostic(code(input::unreadable))]
    Unreadable {
        /// The folder.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// The files to audit: files as given, folders walked recursively in sorted
/// order, hidden entries skipped.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|_| InputError::Missing(p.display().to_string()))?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let unreadable = |source: std::io::Error| InputError::Unreadable { path: dir.display().to_string(), source };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// Audits one file with `engine`.
pub fn audit_file(engine: &Engine, path: &Path, limits: &Limits) -> DocumentResult {
    let shown = path.display().to_string();
    match extract_file(path, limits) {
        Ok(mut extracted) => {
            let doc = Document::new(&extracted);
            let reader = extracted.reader();
            // The raw pages are not needed once normalized; free them before the rules run.
            extracted.pages = Vec::new();
            let findings = engine.audit(&doc);
            let (format, pages, warnings) = (doc.format, doc.text.page_count(), doc.warnings.clone());
            DocumentResult {
                path: shown,
                format: Some(format),
                pages,
                error: None,
                warnings,
                findings,
                reader: Some(reader),
                pdftotext_pages: extracted.pdftotext_pages,
                text: Some(doc.into_text().into_string().into()),
            }
        }
        Err(error) => DocumentResult::unreadable(shown, error),
    }
}
