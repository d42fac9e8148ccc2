//! One document, start to finish: read → extract → normalize → outline → rules.
//!
//! Every failure of a file becomes part of its [`DocumentResult`] — never an early
//! return for the batch — so one unreadable file is reported beside the others.

use std::path::{Path, PathBuf};

use crate::document::{Document, DocumentResult};
use crate::engine::Engine;
use crate::extract::{ExtractError, Extracted, Limits, extract_bytes, extract_file};

/// A path given on the command line that cannot be audited at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    /// The path does not exist.
    #[error("no such file or folder: {0}")]
    #[diagnostic(code(input::missing))]
    Missing(String),
    /// The folders given hold no document (or `--glob` kept none).
    #[error("no documents found in {0}")]
    #[diagnostic(code(input::none), help("give files or folders of PDF, DOCX or text contracts; check --glob"))]
    NoDocuments(String),
}

/// One thing to audit: a file, or a folder met on the walk that could not be
/// listed (reported as that path's error, beside the other documents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file to read, given by name.
    File(PathBuf),
    /// A file to read, found in a folder: one that turns out not to be a
    /// document, with a name that does not say it is one, is skipped
    /// ([`stray`]), not an error.
    Found(PathBuf),
    /// A folder inside the roots that could not be listed, and why.
    Unlisted(PathBuf, String),
    /// A document read from standard input, under the name it is reported by.
    Stdin(PathBuf, std::sync::Arc<[u8]>),
}

impl Input {
    /// The path as found.
    pub fn path(&self) -> &Path {
        match self {
            Input::File(p) | Input::Found(p) | Input::Unlisted(p, _) | Input::Stdin(p, _) => p,
        }
    }
}

/// A path the walk did not audit, and why; the command line names each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path as found.
    pub path: PathBuf,
    /// Why it was not audited.
    pub why: String,
}

/// What a walk found: the inputs in order, and what it left out.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Files (and unlisted folders) to audit, in command-line then sorted order.
    pub inputs: Vec<Input>,
    /// Hidden entries, links out of the roots or round to a folder already
    /// walked, and second names of a file already taken.
    pub skipped: Vec<Skipped>,
}

/// The files to audit: files as given, folders walked recursively in sorted
/// order. Each file is audited once, by its canonical path; a link is followed
/// only to a place inside the folders given and not yet walked (a link to a
/// parent folder would audit everything many times over); hidden entries are
/// skipped and named.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Inputs, InputError> {
    let mut walk = Walk::default();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|_| InputError::Missing(p.display().to_string()))?;
        if meta.is_dir() {
            walk.roots.push(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()));
        }
    }
    for p in paths {
        if p.is_dir() {
            walk.dir(p);
        } else {
            walk.file(p.clone(), false);
        }
    }
    Ok(walk.found)
}

#[derive(Default)]
struct Walk {
    roots: Vec<PathBuf>,
    files: std::collections::HashMap<PathBuf, PathBuf>,
    dirs: std::collections::HashSet<PathBuf>,
    found: Inputs,
}

impl Walk {
    fn skip(&mut self, path: &Path, why: String) {
        self.found.skipped.push(Skipped { path: path.to_path_buf(), why });
    }

    fn inside_roots(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|r| canonical.starts_with(r))
    }

    fn file(&mut self, path: PathBuf, found: bool) {
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        match self.files.get(&canonical) {
            Some(first) => {
                let why = format!("the same file as {}, audited once", first.display());
                self.skip(&path, why);
            }
            None => {
                self.files.insert(canonical, path.clone());
                self.found.inputs.push(if found { Input::Found(path) } else { Input::File(path) });
            }
        }
    }

    fn dir(&mut self, dir: &Path) {
        let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.dirs.insert(canonical) {
            self.skip(dir, "a folder already audited (a link leads back to it)".into());
            return;
        }
        let listed = std::fs::read_dir(dir).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
        let mut entries: Vec<PathBuf> = match listed {
            Ok(entries) => entries.into_iter().map(|e| e.path()).collect(),
            Err(e) => {
                self.found.inputs.push(Input::Unlisted(dir.to_path_buf(), format!("cannot read folder: {e}")));
                return;
            }
        };
        entries.sort();
        for p in entries {
            self.entry(p);
        }
    }

    fn entry(&mut self, p: PathBuf) {
        if p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            self.skip(&p, "hidden".into());
            return;
        }
        let is_link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            let Ok(target) = std::fs::canonicalize(&p) else {
                self.skip(&p, "a link to nothing (broken)".into());
                return;
            };
            if !self.inside_roots(&target) {
                let why = format!("a link to {}, outside the folders given", target.display());
                self.skip(&p, why);
                return;
            }
        }
        if p.is_dir() { self.dir(&p) } else { self.file(p, true) }
    }
}

/// Names of the files a folder holds for auditing; a file named otherwise is
/// audited too (the format is read from the content), but skipped when it is
/// not a document.
const DOCUMENT_EXTENSIONS: [&str; 6] = ["pdf", "docx", "txt", "text", "md", "markdown"];

/// Whether `result` is of a stray file found in a folder (an image, a
/// spreadsheet, a `.DS_Store`-like leftover): not a document, and not named
/// as one. A file named `.pdf` that is not a PDF stays an error.
pub fn stray(input: &Input, result: &DocumentResult) -> bool {
    let Input::Found(path) = input else { return false };
    let named = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DOCUMENT_EXTENSIONS.iter().any(|d| d.eq_ignore_ascii_case(e)));
    !named && result.error.as_ref().is_some_and(|e| e.kind() == "unsupported_format")
}

/// Audits one input with `engine`; a folder that could not be listed is its
/// own unreadable document.
pub fn audit_input(engine: &Engine, input: &Input, limits: &Limits) -> DocumentResult {
    match input {
        Input::File(path) | Input::Found(path) => audit_file(engine, path, limits),
        Input::Unlisted(path, why) => {
            DocumentResult::unreadable(path.display().to_string(), ExtractError::Io(why.clone()))
        }
        Input::Stdin(name, bytes) => {
            audit_extracted(engine, name.display().to_string(), extract_bytes(bytes.to_vec(), limits))
        }
    }
}

/// Audits one file with `engine`.
pub fn audit_file(engine: &Engine, path: &Path, limits: &Limits) -> DocumentResult {
    audit_extracted(engine, path.display().to_string(), extract_file(path, limits))
}

/// Audits what was extracted from the document reported as `shown`.
fn audit_extracted(engine: &Engine, shown: String, extracted: Result<Extracted, ExtractError>) -> DocumentResult {
    match extracted {
        Ok(mut extracted) => {
            let doc = Document::new(&extracted);
            let (reader, ocr_pages) = (extracted.reader(), extracted.ocr_pages());
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
                ocr_pages,
                pdftotext_pages: extracted.pdftotext_pages,
                text: Some(doc.into_text().into_string().into()),
            }
        }
        Err(error) => DocumentResult::unreadable(shown, error),
    }
}
