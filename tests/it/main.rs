//! The integration tests, one binary: each module was a test binary of its
//! own, and linking a dozen binaries was most of a cold `cargo test`.
//!
//! Tests that need a program this machine may lack (chromium, pdftotext,
//! tesseract) say that they skipped on standard error, where `cargo test`
//! shows it; under the variable `.ci/run` sets, they fail instead.

mod browser;
mod cli;
mod eval;
mod fidelity;
mod formats;
mod golden;
mod hostile;
mod ocr;
mod rule_pack;
mod samples;
mod tutorial;

/// Says a test was skipped where `cargo test` shows it without
/// `--nocapture` (the harness captures `eprintln!`, not a direct write).
pub fn skipped(why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}
