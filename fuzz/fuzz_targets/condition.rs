//! The `where` grammar on any text: a condition or a located error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use redflag::quantity::Kind;
use redflag::rules::{Condition, Vocabulary};

fuzz_target!(|data: &[u8]| {
    pest::set_call_limit(std::num::NonZeroUsize::new(100_000));
    if let Ok(text) = std::str::from_utf8(data) {
        let vocabulary = Vocabulary { kinds: Kind::ALL.to_vec(), ..Vocabulary::default() };
        if let Err(e) = Condition::parse(text, &vocabulary) {
            assert!(
                e.start <= e.end && e.end <= text.len(),
                "error span {}..{} outside {}",
                e.start,
                e.end,
                text.len()
            );
        }
    }
});
