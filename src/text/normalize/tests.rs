use proptest::prelude::*;

use super::*;

proptest! {
    #[test]
    fn lines_split_alike_with_memchr_and_byte_by_byte(s in "[a\n\r\x0b\x0cé ]{0,40}") {
        let spans = |lines: Vec<Line>| lines.into_iter().map(|l| (l.start, l.end)).collect::<Vec<_>>();
        prop_assert_eq!(spans(split_lines(&s)), spans(split_lines_bytewise(&s)));
        let plain = s.replace(['\r', '\x0b', '\x0c'], "\n");
        prop_assert_eq!(spans(split_lines(&plain)), spans(split_lines_bytewise(&plain)));
    }
}

fn norm(pages: &[&str]) -> String {
    let pages: Vec<String> = pages.iter().map(|s| s.to_string()).collect();
    normalize(&pages).as_str().to_string()
}

#[test]
fn ligatures_quotes_and_soft_hyphens() {
    assert_eq!(
        norm(&["the \u{fb01}rst \u{201c}Clean Claim\u{201d} is Plan\u{2019}s pay\u{ad}ment"]),
        "the first \"Clean Claim\" is Plan's payment"
    );
}

#[test]
fn rejoins_hyphenated_words_but_keeps_compounds() {
    assert_eq!(norm(&["Plan may recoup-\nment of over-\npayments", ""]), "Plan may recoupment of overpayments");
    assert_eq!(norm(&["the federal anti-\nkickback statute"]), "the federal anti-kickback statute");
    assert_eq!(norm(&["within forty-\nfive (45) days"]), "within forty-five (45) days");
}

#[test]
fn collapses_whitespace_and_blank_lines() {
    assert_eq!(norm(&["  a   b\t\tc  \n\n\n\n  d  "]), "a b c\n\nd");
}

#[test]
fn repairs_split_clause_numbers() {
    assert_eq!(
        norm(&["3 .1 Payment. Section 12 .4 applies; 3 . items"]),
        "3.1 Payment. Section 12.4 applies; 3 . items"
    );
}

#[test]
fn drops_page_numbers_and_running_headers() {
    let pages = [
        "ACME PROVIDER AGREEMENT\nFirst page text.\nPage 1 of 3",
        "ACME PROVIDER AGREEMENT\nSecond page text.\nPage 2 of 3",
        "ACME PROVIDER AGREEMENT\nThird page text.\n3",
    ];
    assert_eq!(norm(&pages), "First page text.\nSecond page text.\nThird page text.");
}

#[test]
fn one_page_documents_lose_page_of_and_legends_only() {
    let page =
        ["Summit Health - Confidential\nAMENDMENT\nConfidential information stays confidential.\n7\nPage 1 of 1"];
    assert_eq!(norm(&page), "AMENDMENT\nConfidential information stays confidential.\n7");
}

#[test]
fn two_page_documents_lose_their_running_header() {
    let pages = ["Acme Plan - Confidential\nFirst page.", "Acme Plan - Confidential\nSecond page."];
    assert_eq!(norm(&pages), "First page.\nSecond page.");
}

#[test]
fn pages_map_back() {
    let pages = vec!["one\n".to_string(), "two".to_string()];
    let t = normalize(&pages);
    assert_eq!(t.as_str(), "one\ntwo");
    assert_eq!(t.page_of(0), 1);
    assert_eq!(t.page_of(4), 2);
    assert_eq!(t.map().locate(5).map(|a| (a.page, a.raw)), Some((2, 1)));
}
