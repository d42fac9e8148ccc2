//! Rows for pages that are images: a PDF with scanned pages read without OCR,
//! and OCR itself against tesseract run by hand.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use redflag::document::Document;
use redflag::engine::Engine;
use redflag::extract::{Limits, OcrMode, extract_file};

use super::{best_of, has, pdf, root};

/// The page images (JPEG streams) of a committed scan, for image pages.
pub fn images() -> Vec<lopdf::Stream> {
    let path = root().join("tests/fixtures/ocr/harbor_bad_scanned.pdf");
    let doc = lopdf::Document::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(lopdf::Object::as_name).is_ok_and(|n| n == b"Image"))
        .cloned()
        .collect()
}

/// 3b. A PDF with image pages (a scan after every third text page) read by the default
/// reader without OCR, against pdftotext; and 3c. OCR: ms a page for the
/// scanned sample against tesseract run by hand on the same page images.
pub fn rows(engine: &Engine, dir: &Path) -> Vec<String> {
    let mut rows = Vec::new();
    let path = dir.join("contract_with_scans.pdf");
    std::fs::write(&path, pdf(100, Some(3))).unwrap_or_else(|e| panic!("{e}"));
    let text_only = Limits { ocr: OcrMode::Never, ..Limits::default() };
    let (ours, pages) = best_of(5, || extract_file(&path, &text_only).map_or(0, |e| e.pages.len()));
    let (audit, _) =
        best_of(3, || extract_file(&path, &text_only).map_or(0, |e| engine.audit(&Document::new(&e)).len()));
    let what = format!("PDF with image pages ({pages} pages, every fourth a scan), default reader, no OCR");
    if has("pdftotext") {
        let (theirs, _) = best_of(5, || Command::new("pdftotext").arg(&path).arg("-").output());
        rows.push(format!(
            "| {what} | {:.1} ms/page | pdftotext {:.1} ms/page, ratio {:.2}x (target <= 1.5x); full audit {:.2} s |",
            ours.as_secs_f64() * 1e3 / pages as f64,
            theirs.as_secs_f64() * 1e3 / pages as f64,
            ours.as_secs_f64() / theirs.as_secs_f64(),
            audit.as_secs_f64()
        ));
    } else {
        rows.push(format!(
            "| {what} | {:.1} ms/page | pdftotext not installed |",
            ours.as_secs_f64() * 1e3 / pages as f64
        ));
    }
    if redflag::extract::ocr::missing().is_some() {
        rows.push("| OCR | not measured (tesseract or pdftoppm not installed) | |".to_string());
        return rows;
    }
    let scan = root().join("tests/fixtures/ocr/harbor_bad_scanned.pdf");
    let (ours, pages) = best_of(3, || extract_file(&scan, &Limits::default()).map_or(0, |e| e.ocr_pages().len()));
    // By hand: each page rendered as redflag renders it (not timed), then
    // tesseract on each image in turn, with its default threads.
    let images: Vec<PathBuf> = (1..=pages)
        .map(|n| {
            let image = dir.join(format!("page{n}.pgm"));
            let out = Command::new("pdftoppm")
                .args(["-r", "200", "-gray", "-f", &n.to_string(), "-l", &n.to_string()])
                .arg(&scan)
                .output()
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&image, out.stdout).unwrap_or_else(|e| panic!("{e}"));
            image
        })
        .collect();
    // Tesseract's own OpenMP threads spin against each other: its default is
    // measured once, the one-thread setting (what redflag runs) as the rest.
    let by_hand = |threads: Option<&'static str>| {
        for image in &images {
            let mut cmd = Command::new("tesseract");
            if let Some(n) = threads {
                cmd.env("OMP_THREAD_LIMIT", n);
            }
            let _ = cmd.arg(image).args(["-", "--dpi", "200", "tsv"]).output();
        }
    };
    let (one_thread, _) = best_of(3, || by_hand(Some("1")));
    let (default_threads, _) = best_of(1, || by_hand(None));
    let per_page = |t: Duration| t.as_secs_f64() * 1e3 / pages.max(1) as f64;
    rows.push(format!(
        "| OCR, scanned sample ({pages} pages, 200 dpi): render + tesseract, pages in parallel | {:.0} ms/page | tesseract by hand on the same page images, one after another, OMP_THREAD_LIMIT=1: {:.0} ms/page, ratio {:.2}x (target <= 1.2x); with its default threads: {:.0} ms/page |",
        per_page(ours),
        per_page(one_thread),
        ours.as_secs_f64() / one_thread.as_secs_f64(),
        per_page(default_threads)
    ));
    rows
}
