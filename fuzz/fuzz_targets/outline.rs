//! Normalization and the outline grammar on any text: sections and sentences
//! whose spans lie inside the normalized text, in order.
#![no_main]
use libfuzzer_sys::fuzz_target;
use redflag::document::Document;

fuzz_target!(|data: &[u8]| {
    pest::set_call_limit(std::num::NonZeroUsize::new(100_000));
    if let Ok(text) = std::str::from_utf8(data) {
        let doc = Document::from_text(text);
        let len = doc.text.len();
        let mut last = 0;
        for s in &doc.outline.sentences {
            assert!(s.span.start >= last && s.span.end <= len, "sentence {:?} out of order or bounds", s.span);
            last = s.span.start;
        }
    }
});
