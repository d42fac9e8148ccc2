//! A second PDF reader: poppler's `pdftotext`, when it is installed.
//!
//! pdf-extract skips text drawn with some operators and fails on some fonts;
//! poppler reads most of those. It runs as a child process fed the file on
//! its standard input — no temporary copy a planted link could redirect or a
//! killed run leave behind — under the same time limit, and its pages
//! (separated by form feeds) replace the built-in reader's where that one
//! failed or read thinly (`--pdf-backend auto`), or everywhere
//! (`--pdf-backend pdftotext`).

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Whether `pdftotext` can be run (checked once per process).
pub fn available() -> bool {
    static FOUND: OnceLock<bool> = OnceLock::new();
    *FOUND.get_or_init(|| {
        Command::new("pdftotext")
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// The text of every page, in order, or why poppler could not read the file.
pub fn pages(bytes: &[u8], timeout: Duration) -> Result<Vec<String>, String> {
    let text = run(bytes, timeout)?;
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // pdftotext ends the last page with a form feed too.
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Ok(pages)
}

fn run(bytes: &[u8], timeout: Duration) -> Result<String, String> {
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-q", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run pdftotext: {e}"))?;
    let mut stdout = child.stdout.take().ok_or("pdftotext has no output")?;
    let mut stdin = child.stdin.take().ok_or("pdftotext has no input")?;
    let input = bytes.to_vec();
    // Written from a thread of its own: poppler may start writing before it has
    // read everything, and a full pipe each way would deadlock. A write error
    // (poppler gave up early) shows as its exit status.
    std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(&input);
    });
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("pdftotext took longer than {timeout:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("pdftotext: {e}")),
        }
    };
    let out = reader.join().map_err(|_| "pdftotext output reader failed")?.map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("pdftotext could not read the file ({status})"));
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}
