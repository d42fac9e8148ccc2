//! Any bytes (seeded with real PDFs) through extraction: a result or an error, never a panic or a hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use redflag::extract::{Limits, extract_bytes};

fuzz_target!(|data: &[u8]| {
    let bytes = data.to_vec();
    let limits = Limits { timeout: std::time::Duration::from_secs(5), ..Limits::default() };
    let _ = extract_bytes(bytes, &limits);
});
