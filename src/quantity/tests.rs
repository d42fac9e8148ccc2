use proptest::prelude::*;

use super::*;

/// The grammar's own `scan` rule: a quantity tried at every word. The oracle
/// for the candidate-position [`scan`].
fn reference_scan(text: &str) -> Vec<Quantity> {
    let Ok(pairs) = QuantityGrammar::parse(Rule::scan, text) else {
        return Vec::new();
    };
    pairs.filter(|p| p.as_rule() == Rule::quantity).filter_map(|p| p.into_inner().next()).filter_map(read).collect()
}

fn one(text: &str) -> Quantity {
    let found = scan(text);
    assert_eq!(found.len(), 1, "expected one quantity in {text:?}, got {found:?}");
    found.into_iter().next().unwrap()
}

fn days(text: &str) -> f64 {
    one(text).days().unwrap_or(f64::NAN)
}

#[test]
fn a_megabyte_without_line_breaks_is_read_in_one_pass() {
    // As a document-scope unit is read: pest copies out the line a parse fails
    // on, and with the whole rest of the text as input that took minutes.
    let text =
        "Under Section 7.2, one party pays within thirty (30) days, or 2.5% of $1,000 by May 1, 2026. ".repeat(11_000);
    let found = scan(&text);
    assert_eq!(found.len(), 4 * 11_000, "{:?}", &found[..8]);
}

#[test]
fn durations_in_every_form() {
    assert_eq!(days("within sixty (60) days of"), 60.0);
    assert_eq!(days("one hundred eighty (180) calendar days"), 180.0);
    assert_eq!(days("thirty-six months"), 36.0 * DAYS_PER_MONTH);
    assert_eq!(days("2 years"), 730.0);
    assert_eq!(days("eighteen months"), 18.0 * DAYS_PER_MONTH);
    assert_eq!(days("a twelve (12) month period"), 365.0);
    assert_eq!(days("a 30-day cure period"), 30.0);
    assert_eq!(days("ninety (90)-day notice"), 90.0);
    assert_eq!(days("two (2) weeks"), 14.0);
    assert_eq!(days("one (1) year"), 365.0);
    assert_eq!(days("beyond one-hundred-and-eighty (180) days"), 180.0);
    assert_eq!(one("one-hundred-and-eighty (180) days").conflict, None);
    assert_eq!(
        one("thirty business days").value,
        Value::Duration { amount: 30.0, unit: TimeUnit::Day, business: true }
    );
    assert_eq!(days("thirty business days"), 42.0);
}

#[test]
fn words_and_digits_that_disagree() {
    let q = one("thirty (60) days");
    assert_eq!(q.conflict, Some(Conflict { words: 30.0, digits: 60.0 }));
    assert_eq!(q.days(), Some(30.0));
    assert_eq!(one("ninety (90) days").conflict, None);
    assert!(one("one hundred ten percent (101%)").conflict.is_some());
}

#[test]
fn percentages() {
    assert_eq!(one("110% of").value, Value::Percent(110.0));
    assert_eq!(one("one hundred five percent (105%)").value, Value::Percent(105.0));
    assert_eq!(one("one hundred ten percent (110%)").value, Value::Percent(110.0));
    assert_eq!(one("eighty-five (85%) percent").value, Value::Percent(85.0));
    assert_eq!(one("95 percent").value, Value::Percent(95.0));
}

#[test]
fn years_and_dates() {
    assert_eq!(one("the 2019 Medicare Physician Fee Schedule").value, Value::Year(2019));
    assert_eq!(one("CY 2019").value, Value::Year(2019));
    assert_eq!(one("CY2019 rates").value, Value::Year(2019));
    assert_eq!(one("calendar year 2021").value, Value::Year(2021));
    assert_eq!(one("effective January 1, 2024").value, Value::Date { year: 2024, month: 1, day: 1 });
    assert_eq!(one("on 03/15/2025").value, Value::Date { year: 2025, month: 3, day: 15 });
    assert!(scan("2,019 claims and 12019").is_empty());
}

#[test]
fn money() {
    assert_eq!(one("$1,250.00").value, Value::Money(1250.0));
    assert_eq!(one("$2 million").value, Value::Money(2e6));
    assert_eq!(super::money(1250.0), "$1,250.00");
}

#[test]
fn spans_point_at_the_quantity() {
    let text = "Plan may recover overpayments within thirty-six (36) months after payment.";
    let q = one(text);
    assert_eq!(&text[q.span.start..q.span.end], "thirty-six (36) months");
}

#[test]
fn plain_numbers_and_words_are_not_quantities() {
    assert!(scan("one or more claims under Section 7.2 and item 12").is_empty());
    assert!(scan("someone threefold").is_empty());
}

/// `words` as first written: thousands, else hundreds, else tens, each
/// alternative reading the words again. The oracle for the one-pass rule.
mod alternatives {
    #[derive(pest_derive::Parser)]
    #[grammar_inline = r#"
sp = _{ (" " | "\t" | "\n" | "\r")+ }
wsep = _{ sp | "-" }
words = ${ word_thousands | word_hundreds | word_below_hundred | ^"zero" }
word_thousands = ${ word_hundreds_or_small ~ wsep ~ ^"thousand" ~ (wsep ~ (^"and" ~ wsep)? ~ (word_hundreds | word_below_hundred))? }
word_hundreds_or_small = ${ word_hundreds | word_below_hundred }
word_hundreds = ${ (word_below_hundred | ^"a") ~ wsep ~ ^"hundred" ~ (wsep ~ (^"and" ~ wsep)? ~ word_below_hundred)? }
word_below_hundred = ${ word_tens ~ (("-" | sp) ~ word_unit)? | word_teen | word_unit }
word_unit = { (^"one" | ^"two" | ^"three" | ^"four" | ^"five" | ^"six" | ^"seven" | ^"eight" | ^"nine") ~ !ASCII_ALPHA }
word_teen = { (^"ten" | ^"eleven" | ^"twelve" | ^"thirteen" | ^"fourteen" | ^"fifteen" | ^"sixteen" | ^"seventeen" | ^"eighteen" | ^"nineteen") ~ !ASCII_ALPHA }
word_tens = { (^"twenty" | ^"thirty" | ^"forty" | ^"fourty" | ^"fifty" | ^"sixty" | ^"seventy" | ^"eighty" | ^"ninety") ~ !ASCII_ALPHA }
"#]
    pub struct Grammar;
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The one-pass `words` reads exactly the words the alternatives read.
    #[test]
    fn words_read_as_the_alternatives_did(
        parts in proptest::collection::vec(prop_oneof![
            Just("one"), Just("a"), Just("A"), Just("hundred"), Just("thousand"), Just("and"), Just("zero"),
            Just("twenty"), Just("Ninety"), Just("five"), Just("twelve"), Just("x"), Just("onex"), Just("HUNDRED"),
            Just("thousand and"), Just("hundred and"),
        ], 1..10),
        seps in proptest::collection::vec(prop_oneof![Just(" "), Just("-"), Just("\n"), Just(""), Just("  ")], 10),
    ) {
        use pest::Parser as _;
        let text: String = parts.iter().zip(&seps).map(|(p, s)| format!("{p}{s}")).collect();
        let new = QuantityGrammar::parse(Rule::words, &text).ok().and_then(|mut p| p.next()).map(|p| p.as_str());
        let old = alternatives::Grammar::parse(alternatives::Rule::words, &text)
            .ok()
            .and_then(|mut p| p.next())
            .map(|p| p.as_str());
        prop_assert_eq!(new, old, "{:?}", text);
    }
}

proptest! {
    #[test]
    fn every_number_in_words_reads_back(n in 0u32..=1000) {
        let w = to_words(n);
        prop_assert_eq!(words_value(&w), Some(f64::from(n)));
        let spaced = w.replace('-', " ");
        prop_assert_eq!(words_value(&spaced), Some(f64::from(n)));
        let and = w.replacen("hundred ", "hundred and ", 1);
        prop_assert_eq!(words_value(&and), Some(f64::from(n)));
        let q = scan(&format!("within {w} ({n}) days"));
        prop_assert_eq!(q.len(), 1);
        prop_assert_eq!(q[0].days(), Some(f64::from(n)));
        prop_assert_eq!(q[0].conflict, None);
        let q = scan(&format!("within {spaced} days"));
        prop_assert_eq!(q.len(), 1);
        prop_assert_eq!(q[0].days(), Some(f64::from(n)));
    }

    /// The candidate-position scan finds exactly what the grammar's own `scan`
    /// rule finds, on text built from the pieces quantities are made of.
    #[test]
    fn candidate_scan_equals_the_grammar_scan(
        parts in proptest::collection::vec(prop_oneof![
            Just("thirty"), Just("(30)"), Just("days"), Just("a hundred"), Just("one"), Just("percent"),
            Just("%"), Just("$"), Just("1,250.00"), Just("USD"), Just("million"), Just("May"), Just("1,"),
            Just("2019"), Just("CY"), Just("plan year"), Just("12/31/2024"), Just("business"), Just("-"),
            Just("x"), Just("é"), Just("_"), Just("30"), Just("days2019"), Just("months"), Just("someone"),
            Just("per cent"), Just("Per-Cent"), Just("PERCENT"), Just("week"), Just("Year"), Just("day"),
            Just("June"), Just("jan"), Just("FY2020"), Just("fiscal year"), Just("2024-01-15"), Just("15th"),
            Just("day of"), Just("1999"), Just("usd"), Just("Dec"), Just("20"), Just("19"),
            Just("."), Just(";"), Just("2.5"), Just(":"), Just("\u{a7}"), Just("\""), Just("3."), Just("_"),
        ], 0..16),
        seps in proptest::collection::vec(prop_oneof![Just(""), Just(" "), Just("\n"), Just("-")], 16),
    ) {
        let text: String = parts.iter().zip(&seps).map(|(p, s)| format!("{p}{s}")).collect();
        let spans = |qs: Vec<Quantity>| qs.into_iter().map(|q| (q.span, q.describe())).collect::<Vec<_>>();
        prop_assert_eq!(spans(scan(&text)), spans(reference_scan(&text)), "{:?}", text);
    }

    #[test]
    fn scanning_never_panics_and_spans_are_in_bounds(s in "\\PC{0,200}") {
        for q in scan(&s) {
            prop_assert!(q.span.end <= s.len());
            prop_assert!(s.is_char_boundary(q.span.start) && s.is_char_boundary(q.span.end));
        }
    }
}

proptest! {
    /// A number in words broken across a line by a hyphen keeps its compound:
    /// normalization leaves "two-⏎hundred seventy (270) days" a number the
    /// grammar reads whole, with no false words/digits disagreement.
    #[test]
    fn number_words_hyphenated_across_lines_keep_their_value(n in 1u32..1_000_000, cut in 0usize..16) {
        let words = to_words(n);
        let tokens: Vec<&str> = words.split([' ', '-']).collect();
        prop_assume!(tokens.len() > 1);
        let k = 1 + cut % (tokens.len() - 1);
        prop_assume!(tokens[k - 1] != "and" && tokens[k] != "and");
        let text = format!("within {}-\n{} ({n}) days", tokens[..k].join(" "), tokens[k..].join(" "));
        let normalized = crate::text::normalize(&[text.as_str()]);
        let found = scan(normalized.as_str());
        prop_assert_eq!(found.len(), 1, "{:?} -> {:?}", text, normalized.as_str());
        prop_assert_eq!(found[0].conflict, None, "{:?}", normalized.as_str());
        prop_assert_eq!(found[0].days(), Some(f64::from(n)), "{:?}", normalized.as_str());
    }
}
