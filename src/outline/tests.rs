use proptest::prelude::*;

use super::*;
use crate::text::normalize;

fn outline(src: &str) -> (Text, Outline) {
    let text = normalize(&[src.to_string()]);
    let o = Outline::build(&text);
    (text, o)
}

fn path_of(src: &str, needle: &str) -> String {
    let (text, o) = outline(src);
    let at = text.as_str().find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
    o.path(o.section_at(at)).join(" ▸ ")
}

const SAMPLE: &str = "ARTICLE IV\nPAYMENT\n\n4.1 Claims. Provider shall submit claims.\n\n4.2 Overpayments. Plan may recover overpayments as follows:\n(a) within twelve months; and\n(b) after notice under Section\n7.2 hereof.\n\nEXHIBIT B\nFEE SCHEDULE\n\n1. Rates. Plan pays 110% of Medicare.\n";

#[test]
fn sections_nest_by_label_kind() {
    assert_eq!(path_of(SAMPLE, "Provider shall"), "ARTICLE IV PAYMENT ▸ 4.1 Claims");
    assert_eq!(path_of(SAMPLE, "within twelve"), "ARTICLE IV PAYMENT ▸ 4.2 Overpayments ▸ (a)");
    assert_eq!(path_of(SAMPLE, "7.2 hereof"), "ARTICLE IV PAYMENT ▸ 4.2 Overpayments ▸ (b)");
    assert_eq!(path_of(SAMPLE, "Plan pays"), "EXHIBIT B FEE SCHEDULE ▸ 1. Rates");
}

#[test]
fn roman_items_nest_and_letters_stay_letters() {
    let src = "1.1 Duties.\n(a) first;\n(i) sub one;\n(ii) sub two;\n(b) second;\n(h) eighth;\n(i) ninth letter.\n";
    assert_eq!(path_of(src, "sub two"), "1.1 Duties ▸ (a) ▸ (ii)");
    assert_eq!(path_of(src, "second"), "1.1 Duties ▸ (b)");
    assert_eq!(path_of(src, "ninth"), "1.1 Duties ▸ (i)");
    let (_, o) = outline(src);
    let ninth = o.sections.iter().find(|s| {
        s.label.as_deref() == Some("(i)") && s.parent.is_some_and(|p| o.sections[p].label.as_deref() == Some("1.1"))
    });
    assert!(ninth.is_some(), "(i) after (h) is a sibling of (h)");
}

#[test]
fn section_keyword_and_caps_titles() {
    let src =
        "This Agreement is made today.\n\nRECITALS\n\nThe parties agree.\n\nSection 7.2 Offsets. Plan may offset.\n";
    assert_eq!(path_of(src, "The parties"), "RECITALS");
    assert_eq!(path_of(src, "Plan may offset"), "RECITALS ▸ Section 7.2 Offsets");
}

#[test]
fn section_keyword_opens_a_top_level_division() {
    let src = "ACME MEDICAID AGREEMENT\n\nSECTION 1. DEFINITIONS\n\n1.1 Terms. Words.\n\nSECTION 2. CLAIMS\n\n2.1 Filing. Claims.\n";
    assert_eq!(path_of(src, "Claims."), "SECTION 2. CLAIMS ▸ 2.1 Filing");
}

#[test]
fn the_title_block_does_not_parent_numbered_sections() {
    let src = "PINE VALLEY HEALTH PLAN\nPROVIDER AGREEMENT\n\nThis Agreement is made today.\n\n1. Payment\n\n1.1 Claims. Submit claims.\n";
    assert_eq!(path_of(src, "This Agreement"), "PROVIDER AGREEMENT");
    assert_eq!(path_of(src, "Submit claims"), "1. Payment ▸ 1.1 Claims");
}

#[test]
fn headings_are_not_sentences() {
    let (text, o) = outline(SAMPLE);
    let sentences: Vec<&str> = o.sentences.iter().map(|s| text.slice(s.span)).collect();
    assert!(!sentences.iter().any(|s| s.contains("FEE SCHEDULE")), "{sentences:?}");
    assert!(sentences.contains(&"4.1 Claims."));
    assert!(sentences.contains(&"Provider shall submit claims."));
}

#[test]
fn wrapped_reference_is_not_a_heading() {
    let (_, o) = outline(SAMPLE);
    assert!(!o.sections.iter().any(|s| s.label.as_deref() == Some("7.2")));
}

/// A long document reads its line labels on all threads: the outline is the
/// one read line by line, whichever threads read which lines.
#[test]
fn labels_read_in_parallel_give_the_same_outline() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples");
    let mut src = String::new();
    for name in ["harbor_bad.txt", "lakeshore_medicaid_bad.txt", "pinnacle_provider_manual.txt"] {
        src.push_str(&std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{e}")));
        src.push_str(SAMPLE);
    }
    let text = normalize(&[src]);
    let alone = Outline::build_with_labels_in_parallel_from(&text, usize::MAX);
    let shared = Outline::build_with_labels_in_parallel_from(&text, 0);
    assert!(alone.sections.len() > 100, "{}", alone.sections.len());
    assert_eq!(shared.sections, alone.sections);
    assert_eq!(shared.paragraphs, alone.paragraphs);
    assert_eq!(shared.sentences, alone.sentences);
}

proptest! {
    #[test]
    fn sentences_are_ordered_disjoint_and_in_bounds(s in "[A-Za-z0-9 .()\n:;§-]{0,300}") {
        let (text, o) = outline(&s);
        let mut last = 0;
        for sent in &o.sentences {
            prop_assert!(sent.span.start >= last && sent.span.end <= text.len() && sent.span.start < sent.span.end);
            last = sent.span.end;
        }
        for sec in &o.sections {
            prop_assert!(sec.span.end <= text.len());
        }
    }
}

#[test]
fn a_clause_in_capitals_is_a_sentence_not_a_title() {
    let src = "ALL SERVICES REQUIRE PRECERTIFICATION EXCEPT\nOFFICE VISITS AND ROUTINE LABORATORY TESTS\n\n1. Term\n";
    let (text, o) = outline(src);
    let sentences: Vec<&str> = o.sentences.iter().map(|s| text.slice(s.span)).collect();
    assert!(sentences.iter().any(|s| s.contains("REQUIRE PRECERTIFICATION")), "{sentences:?}");
    // A title is still a title.
    assert_eq!(path_of("TERM AND TERMINATION\n\nThe term is one year.\n", "The term"), "TERM AND TERMINATION");
}

#[test]
fn a_sentence_case_heading_on_its_own_line_is_a_title() {
    let src = "9.1 Sending claims\n\nSend claims within 90 days.\n\n9.2 Provider shall send\nclaims on time.\n";
    assert_eq!(path_of(src, "Send claims"), "9.1 Sending claims");
    // A clause broken by a line end is not a title.
    assert_eq!(path_of(src, "claims on time"), "9.2");
}
