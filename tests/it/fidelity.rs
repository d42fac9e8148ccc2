//! Extraction fidelity: each sample contract, typeset by two different PDF
//! producers (typst: CID fonts and TJ arrays; reportlab: Type 1 fonts, Tj
//! strings, justified lines) and saved as DOCX, must come back as its source
//! text — at least 99% of the words, every clause number in place, and none of
//! the page furniture ("Page 2 of 4", running titles).

use std::collections::HashMap;
use std::path::Path;

use redflag::document::Document;
use redflag::extract::{Limits, PdfBackend, extract_file};

const STEMS: [&str; 6] = [
    "cascade_negotiated",
    "harbor_bad",
    "lakeshore_medicaid_bad",
    "meridian_negotiated_hospital",
    "pinnacle_provider_manual",
    "summit_amendment_2026",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut bag = HashMap::new();
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *bag.entry(w.to_lowercase()).or_default() += 1;
    }
    bag
}

/// Share of the source's words (with multiplicity) found in the extraction.
fn recall(source: &HashMap<String, usize>, got: &HashMap<String, usize>) -> f64 {
    let total: usize = source.values().sum();
    let found: usize = source.iter().map(|(w, n)| (*n).min(got.get(w).copied().unwrap_or(0))).sum();
    found as f64 / total.max(1) as f64
}

fn labels(doc: &Document) -> Vec<String> {
    doc.outline.sections.iter().filter_map(|s| s.label.clone()).collect()
}

fn read(path: &Path) -> Document {
    let limits = Limits { pdf_backend: PdfBackend::Builtin, ..Limits::default() };
    let extracted = extract_file(path, &limits).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(extracted.warnings().is_empty(), "{}: {:?}", path.display(), extracted.warnings());
    Document::new(&extracted)
}

#[test]
fn every_rendering_extracts_to_its_source() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for stem in STEMS {
        let txt = std::fs::read_to_string(root().join(format!("contracts_samples/{stem}.txt")))
            .unwrap_or_else(|e| panic!("{stem}.txt: {e}"));
        let source = Document::from_text(&txt);
        let source_words = words(&source.text.original(source.whole()));
        let source_labels = labels(&source);
        assert!(!source_labels.is_empty(), "{stem}: the source has no clause numbers");
        for rendering in [
            format!("contracts_samples/{stem}.pdf"),
            format!("tests/fixtures/fidelity/reportlab/{stem}.pdf"),
            format!("contracts_samples/{stem}.docx"),
        ] {
            let doc = read(&root().join(&rendering));
            let text = doc.text.original(doc.whole());
            let r = recall(&source_words, &words(&text));
            report.push(format!("{rendering}: word recall {r:.4}"));
            if r < 0.99 {
                failures.push(format!("{rendering}: word recall {r:.4} < 0.99"));
            }
            if labels(&doc) != source_labels {
                failures.push(format!(
                    "{rendering}: clause numbers differ\n  source: {source_labels:?}\n  got:    {:?}",
                    labels(&doc)
                ));
            }
            if text.contains("Page 1 of") || text.contains("Page 2 of") || text.contains("Confidential") {
                failures.push(format!("{rendering}: page furniture left in the text"));
            }
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
