//! Any bytes (seeded with real DOCX files) through extraction: a result or a located error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use redflag::extract::{Limits, extract_bytes};

fuzz_target!(|data: &[u8]| {
    let _ = extract_bytes(data.to_vec(), &Limits::default());
});
