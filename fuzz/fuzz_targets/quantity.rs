//! The quantity grammar on any text: quantities whose spans lie in the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pest::set_call_limit(std::num::NonZeroUsize::new(100_000));
    if let Ok(text) = std::str::from_utf8(data) {
        for q in redflag::quantity::scan(text) {
            assert!(
                q.span.end <= text.len() && text.is_char_boundary(q.span.start) && text.is_char_boundary(q.span.end)
            );
        }
    }
});
