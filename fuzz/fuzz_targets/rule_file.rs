//! Any text as a rule file: rules or located diagnostics, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use redflag::rules::{Source, load_sources};

fuzz_target!(|data: &[u8]| {
    pest::set_call_limit(std::num::NonZeroUsize::new(100_000));
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = load_sources(&[Source { name: "fuzz.yaml".into(), text: text.into() }]);
    }
});
