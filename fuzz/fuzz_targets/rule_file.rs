//! Any text as a rule file: rules or located diagnostics, never a panic; and
//! every pattern a file loads with builds, both as lazy DFAs and as the regex
//! crate's regex (each is built on first search).
#![no_main]
use libfuzzer_sys::fuzz_target;
use redflag::rules::{Source, load_sources};

fuzz_target!(|data: &[u8]| {
    pest::set_call_limit(std::num::NonZeroUsize::new(100_000));
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(loaded) = load_sources(&[Source { name: "fuzz.yaml".into(), text: text.into() }]) {
            for pattern in loaded.rules().flat_map(|rule| rule.patterns()) {
                let _ = pattern.is_match("");
                let _ = pattern.spans("a plan");
                let _ = pattern.regex().captures("");
            }
        }
    }
});
