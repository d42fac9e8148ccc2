//! A second PDF reader: poppler's `pdftotext`, when it is installed.
//!
//! pdf-extract skips text drawn with some operators and fails on some fonts;
//! poppler reads most of those. It runs as a child process fed the file on
//! its standard input — no temporary copy a planted link could redirect or a
//! killed run leave behind — under the same time limit, and its pages
//! (separated by form feeds) replace the built-in reader's where that one
//! failed or read thinly (`--pdf-backend auto`), or everywhere
//! (`--pdf-backend pdftotext`).
//!
//! Poppler repairs what it can and says so on stderr ("Syntax Error …"); the
//! messages name no page, so when there are any, the pages in question are
//! read again one at a time and each keeps the errors of its own run
//! ([`page_errors`]; errors in opening the file — a rebuilt cross-reference
//! table — count for every page, as text may be missing anywhere).

use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::child;

/// Whether `pdftotext` can be run (checked once per process).
pub fn available() -> bool {
    static FOUND: OnceLock<bool> = OnceLock::new();
    *FOUND.get_or_init(|| child::runs("pdftotext", "-v"))
}

/// What poppler read: the text of every page, in order, and the errors it
/// reported while reading the file.
#[derive(Debug)]
pub struct Poppler {
    /// Page texts.
    pub pages: Vec<String>,
    /// Error messages (and warnings that letters may be missing).
    pub errors: Vec<String>,
}

/// Reads the whole file, or says why poppler could not.
pub fn read(bytes: &[u8], timeout: Duration) -> Result<Poppler, String> {
    let (text, errors) = run(bytes, timeout, None)?;
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // pdftotext ends the last page with a form feed too.
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Ok(Poppler { pages, errors })
}

/// The first error poppler reports reading each of `pages` alone; pages with
/// none are left out. Stops at `timeout` overall.
pub fn page_errors(bytes: &[u8], timeout: Duration, pages: &[u32]) -> Vec<(u32, String)> {
    let deadline = Instant::now() + timeout;
    let mut out = Vec::new();
    for &page in pages {
        match run(bytes, deadline.saturating_duration_since(Instant::now()), Some((page, page))) {
            Ok((_, errors)) => out.extend(errors.into_iter().next().map(|e| (page, e))),
            Err(why) => out.push((page, why)),
        }
    }
    out
}

fn run(bytes: &[u8], timeout: Duration, range: Option<(u32, u32)>) -> Result<(String, Vec<String>), String> {
    let mut command = Command::new("pdftotext");
    command.args(["-enc", "UTF-8"]);
    if let Some((first, last)) = range {
        command.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    command.args(["-", "-"]);
    let out = child::run(command, Some(bytes), timeout).map_err(|e| format!("pdftotext {e}"))?;
    if !out.status.success() {
        return Err(format!("pdftotext could not read the file ({})", out.status));
    }
    // Errors, and warnings about the maps from codes to letters (text read
    // with letters missing); not fontconfig's complaints about its own setup.
    let errors = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains("Error") || (l.contains("Warning") && (l.contains("CMap") || l.contains("ToUnicode"))))
        .filter(|l| !l.contains("config"))
        .map(|l| l.trim().to_string())
        .collect();
    Ok((String::from_utf8_lossy(&out.stdout).into_owned(), errors))
}
