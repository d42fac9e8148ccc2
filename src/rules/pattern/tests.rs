use super::*;
use crate::rules::schema::PhraseSpec;

/// Patterns without concept references.
fn compile(spec: &PatternSpec) -> Result<Pattern, PatternError> {
    super::compile(spec, &Vocabulary::default())
}

#[test]
fn phrases_match_across_whitespace_and_case() {
    let r = compile(&PatternSpec::Phrase(PhraseSpec { phrase: "sole discretion".into() })).ok().unwrap();
    assert!(r.is_match("in its Sole  Discretion"));
    assert!(!r.is_match("consoles discretionary"));
}

#[test]
fn word_boundaries_and_classes_become_ascii() {
    assert_eq!(ascii_classes(r"\brecoup\B\\b\d"), r"(?-u:\b)recoup(?-u:\B)\\b[0-9]");
    assert_eq!(ascii_classes(r"[\w-]+\W?\D\p{L}"), r"[[0-9A-Za-z_]-]+[^0-9A-Za-z_]?[^0-9]\p{L}");
    let r = compile(&PatternSpec::Regex(r"\bplan\b".into())).ok().unwrap();
    assert!(r.is_match("§ 4: the plan’s rates"));
    assert!(!r.is_match("planning"));
}

#[test]
fn anchors_and_empty_matches_are_not_unit_local() {
    let local = |p: &str| compile(&PatternSpec::Regex(p.into())).ok().unwrap().unit_local();
    assert!(local(r"\brecoup\w*\b.{0,80}months"));
    assert!(!local(r"^Section"));
    assert!(!local(r"(?m)fee schedule$"));
    assert!(!local(r"\b(?:plan)?\b"));
}

#[test]
fn patterns_compile_when_first_searched_even_past_the_load_limit_in_reverse() {
    // Forward ~1.8 MB, under the limit; the reverse automaton is ~4.7 MB.
    let p = compile(&PatternSpec::Regex(r"a[^.;]{0,6000}b".into())).ok().unwrap();
    assert!(!p.is_compiled());
    assert!(p.is_match("a, then b"));
    assert!(p.is_compiled());
    assert!(p.clone().is_compiled(), "clones share the compiled automata");
    // Too big for a lazy DFA's cache in reverse: spans come from the regex.
    assert_eq!(p.spans("x a, then b; a b"), [Span::new(2, 11), Span::new(13, 16)]);
}

#[test]
fn only_groups_build_the_full_regex() {
    let p = compile(&PatternSpec::Regex(r"a[^.;]{0,60}(?P<end>b)".into())).ok().unwrap();
    assert!(p.is_match("a, then b"));
    assert_eq!(p.spans("x a, then b; a b"), [Span::new(2, 11), Span::new(13, 16)]);
    assert_eq!(p.first("x a, then b; a b"), Some(Span::new(2, 11)));
    assert!(!p.is_regex_built(), "the lazy DFAs answered");
    assert_eq!(p.regex().captures("a, then b").and_then(|c| c.name("end")).map(|m| m.start()), Some(8));
    assert!(p.is_regex_built());
}

#[test]
fn oversized_patterns_are_refused_at_load() {
    let e = compile(&PatternSpec::Regex(r"a\p{L}{0,300}b".into())).err().unwrap();
    assert!(e.message.contains("too large"), "{}", e.message);
}

#[test]
fn named_groups_are_known_before_compiling() {
    let p = compile(&PatternSpec::Regex(r"(?P<law>\w+) law|(x)(?P<state>y)".into())).ok().unwrap();
    assert_eq!(p.names(), ["law", "state"]);
    assert!(!p.is_compiled());
    for source in [r"(?P<a>x(?P<b>y)+)|(?:(?P<c>z))?", r"((?P<d>\d+)(?P<e>[a-z]))*", "plan"] {
        let p = compile(&PatternSpec::Regex(source.into())).ok().unwrap();
        let numbered: Vec<&str> = p.regex().capture_names().flatten().collect();
        assert_eq!(p.names(), numbered, "{source}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1_000))]

    /// What load accepts, the first search compiles (it would panic otherwise).
    #[test]
    fn patterns_that_load_compile(parts in proptest::collection::vec(proptest::prelude::prop_oneof![
        proptest::prelude::Just("a"), proptest::prelude::Just("é"), proptest::prelude::Just("\\b"),
        proptest::prelude::Just("\\w"), proptest::prelude::Just("\\d"), proptest::prelude::Just("\\s+"),
        proptest::prelude::Just("[^.;]"), proptest::prelude::Just("\\p{L}"), proptest::prelude::Just("{0,400}"), proptest::prelude::Just("{0,200}"),
        proptest::prelude::Just("{3}"), proptest::prelude::Just("*"), proptest::prelude::Just("?"),
        proptest::prelude::Just("("), proptest::prelude::Just(")"), proptest::prelude::Just("(?P<n>"),
        proptest::prelude::Just("|"), proptest::prelude::Just("(?-u:"), proptest::prelude::Just("(?i)"),
        proptest::prelude::Just("^"), proptest::prelude::Just("$"), proptest::prelude::Just("[\\w-]"),
    ], 1..12)) {
        let source = parts.concat();
        if let Ok(p) = compile(&PatternSpec::Regex(source)) {
            let _ = p.is_match("Plan may recoup within 36 months; é.");
        }
    }
}

#[test]
fn regex_errors_point_inside_the_pattern() {
    let e = compile(&PatternSpec::Regex(r"\brecoup(ment".into())).err().unwrap();
    assert_eq!(e.offset, 8);
    assert!(e.message.contains("unclosed group"), "{}", e.message);
}
