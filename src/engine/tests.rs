use super::*;
use crate::document::{PARALLEL_UNITS, is_fragment};
use crate::finding::Fact;
use crate::rules::{Source, load_sources};

fn engine(yaml: &str) -> Engine {
    let src = Source { name: "test.yaml".into(), text: yaml.into() };
    let loaded = load_sources(&[src]).unwrap_or_else(|e| panic!("{e:?}"));
    Engine::new(loaded.rules().cloned().collect(), jiff::civil::date(2026, 11, 26))
}

const LOOKBACK: &str = r#"
pack: {name: t}
rules:
  - id: t.lookback
    title: Long look-back
    category: recoupment
    severity: high
    any: ['\brecoup\w*']
    extract: duration
    where: duration > 12 months
    message: "{duration}"
"#;

#[test]
fn finding_carries_place_facts_and_label() {
    let doc = Document::from_text(
        "ARTICLE 6 OVERPAYMENTS\n\n6.2 Plan may recoup\noverpayments within thirty-six (36) months.\n",
    );
    let f = engine(LOOKBACK).audit(&doc);
    assert_eq!(f.len(), 1);
    let f = &f[0];
    assert_eq!(*f.section, ["ARTICLE 6 OVERPAYMENTS", "6.2"]);
    assert_eq!(f.facts.get("days"), Some(&Fact::Int(1095)));
    assert_eq!(f.label.as_deref(), Some("36 months (1,095 days)"));
    assert_eq!(f.message, "36 months");
    assert_eq!(doc.text.original(f.highlight), "thirty-six (36) months");
    assert_eq!(f.excerpt, "6.2 Plan may recoup overpayments within thirty-six (36) months.");
    assert_eq!(f.line, 3);
    assert_eq!(f.page, 1);
}

#[test]
fn findings_share_their_rule_names_and_section_path() {
    let doc = Document::from_text(
        "ARTICLE 6 OVERPAYMENTS\n\n6.2 Plan may recoup within 36 months.\n\nPlan may recoup within 48 months.\n\n\
         ARTICLE 7 OTHER\n\nPlan may recoup within 60 months.\n",
    );
    let f = engine(LOOKBACK).audit(&doc);
    assert_eq!(f.len(), 3);
    assert!(Arc::ptr_eq(&f[0].rule, &f[2].rule) && Arc::ptr_eq(&f[0].title, &f[2].title));
    assert_eq!(*f[1].section, ["ARTICLE 6 OVERPAYMENTS", "6.2"]);
    assert!(Arc::ptr_eq(&f[0].section, &f[1].section), "one path per section");
    assert_eq!(*f[2].section, ["ARTICLE 7 OTHER"]);
}

#[test]
fn nearest_quantity_is_bound_to_the_trigger() {
    let e = engine(LOOKBACK);
    let clean = Document::from_text("Plan may recoup within twelve (12) months; records are kept for ten (10) years.");
    assert!(e.audit(&clean).is_empty());
    let flagged =
        Document::from_text("Records are kept for ten (10) years and Plan may recoup within twenty-four (24) months.");
    assert_eq!(e.audit(&flagged)[0].facts.get("days"), Some(&Fact::Int(730)));
}

#[test]
fn fingerprint_survives_moving_the_clause() {
    let e = engine(LOOKBACK);
    let a = e.audit(&Document::from_text("Plan may recoup within 36 months."));
    let b = e.audit(&Document::from_text("Intro.\n\nMore intro text here.\n\nPlan may recoup\nwithin 36 months."));
    assert_eq!(a[0].fingerprint, b[0].fingerprint);
    assert_ne!(a[0].line, b[0].line);
}

#[test]
fn absence_rules_fire_only_when_nothing_satisfies_them() {
    let e = engine(
        r#"
pack: {name: t}
rules:
  - id: t.no-limit
    title: No limit
    category: recoupment
    severity: high
    scope: document
    any: ['\brecoup\w*']
    absent: {any: ['\brecoup\w*'], extract: duration, where: duration}
"#,
    );
    let open_ended = Document::from_text("Plan may recoup overpayments. Plan may recoup by offset.");
    let found = e.audit(&open_ended);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].excerpt, "Plan may recoup overpayments.");
    assert!(
        e.audit(&Document::from_text("Plan may recoup overpayments. Plan may recoup only within 12 months."))
            .is_empty()
    );
    assert!(e.audit(&Document::from_text("Nothing about it.")).is_empty());
    // One finding for the document, naming every clause it is about.
    let doc = Document::from_text(
        "1. Offsets\n\nPlan may recoup by offset.\n\n2. Audits\n\nPlan may recoup what an audit finds.\n",
    );
    let found = e.audit(&doc);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].facts.get("clauses"), Some(&Fact::Text("1. Offsets; 2. Audits".into())));
    assert!(found[0].message.ends_with("Clauses: 1. Offsets; 2. Audits."), "{}", found[0].message);
}

#[test]
fn unless_near_cancels_only_close_readings() {
    let e = engine(
        r#"
pack: {name: t}
rules:
  - id: t.lookback
    title: Long look-back
    category: recoupment
    severity: high
    any: ['\brecoup\w*']
    unless: [{any: ['\bfraud'], within: 3}]
    extract: duration
    where: duration > 12 months
"#,
    );
    assert!(e.audit(&Document::from_text("Plan may recoup within six years for fraud.")).is_empty());
    assert_eq!(
        e.audit(&Document::from_text(
            "Plan may recoup within six years, and this is not limited by any other provision on fraud."
        ))
        .len(),
        1
    );
}

#[test]
fn near_requires_proximity_in_words() {
    let e = engine(
        r#"
pack: {name: t}
rules:
  - id: t.filing
    title: Filing
    category: timely_filing
    severity: high
    any: ['\bsubmit\w*']
    near: {any: ['\bclaims?\b'], within: 2}
"#,
    );
    assert_eq!(e.audit(&Document::from_text("Provider shall submit all claims.")).len(), 1);
    assert!(
        e.audit(&Document::from_text("Provider shall submit reports, records, forms and other claims.")).is_empty()
    );
}

#[test]
fn party_names_read_as_their_roles_but_excerpts_keep_them() {
    let e = engine(LOOKBACK.replace(r"any: ['\brecoup\w*']", r"any: ['\bplan\s+may\s+recoup\w*']").as_str());
    let doc = Document::from_text(
        "This Agreement is between Lakeshore Community Care, Inc., a managed care organization (\"Lakeshore\"), and Northside Pediatrics, PLLC (\"Northside\").\n\nLakeshore may recoup overpayments within thirty-six (36) months.",
    );
    let f = e.audit(&doc);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].excerpt, "Lakeshore may recoup overpayments within thirty-six (36) months.");
}

/// Both shipped packs, once per test process.
fn shipped() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        let sources =
            crate::rules::builtin::sources(&crate::rules::builtin::pack_names()).unwrap_or_else(|e| panic!("{e:?}"));
        let loaded = load_sources(&sources).unwrap_or_else(|e| panic!("{e:?}"));
        Engine::new(loaded.rules().cloned().collect(), jiff::civil::date(2026, 11, 26))
    })
}

/// Offering every unit every rule: what [`candidates::per_unit`] must agree with.
fn every_rule(
    _: &candidates::Search<'_>,
    units: &[Span],
    _: &[Rule],
    indexes: &[usize],
) -> Vec<Vec<candidates::Offered>> {
    vec![indexes.iter().map(|&i| candidates::Offered::searching(i)).collect(); units.len()]
}

fn examples() -> Vec<String> {
    shipped().rules().iter().flat_map(|r| r.doc.examples.flag.iter().chain(&r.doc.examples.pass).cloned()).collect()
}

#[test]
fn candidates_agree_with_offering_every_rule_on_the_samples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples");
    for name in ["harbor_bad.txt", "lakeshore_medicaid_bad.txt", "pinnacle_provider_manual.txt"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
        let doc = Document::from_text(&text);
        let fast = format!("{:?}", shipped().audit(&doc));
        assert_eq!(fast, format!("{:?}", shipped().audit_offering(&doc, every_rule)), "{name}");
        assert!(fast.len() > 1000, "{name} has findings");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Rule examples glued together by separators that put word characters, odd
    /// punctuation and line breaks at unit edges.
    #[test]
    fn candidates_agree_with_offering_every_rule(
        picks in proptest::collection::vec((0usize..10_000, 0usize..9), 2..12),
    ) {
        const SEPS: [&str; 9] = [" ", "\n", "\n\n", "x", "§", ". ", "\n(a) ", "“", "7.2 "];
        let pool = examples();
        let text: String = picks.iter().map(|&(e, s)| format!("{}{}", pool[e % pool.len()], SEPS[s])).collect();
        let doc = Document::from_text(&text);
        proptest::prop_assert_eq!(
            format!("{:?}", shipped().audit(&doc)),
            format!("{:?}", shipped().audit_offering(&doc, every_rule))
        );
    }
}

#[test]
fn a_long_document_gets_the_same_findings_on_any_number_of_threads() {
    let e = engine(LOOKBACK);
    let text: String = (0..2 * PARALLEL_UNITS)
        .map(|i| format!("Plan may recoup overpayments within {} months. Provider bills claims.\n\n", 6 + i % 30))
        .collect();
    let doc = Document::from_text(&text);
    assert!(doc.outline.sentences.len() >= 2 * PARALLEL_UNITS);
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap_or_else(|e| panic!("{e}"));
        format!("{:?}", pool.install(|| e.audit(&doc)))
    };
    let one = on(1);
    let long = (0..2 * PARALLEL_UNITS).filter(|i| 6 + i % 30 > 12).count();
    assert_eq!(one.matches("t.lookback").count(), long);
    assert_eq!(one, on(3));
}

#[test]
fn run_in_headings_are_fragments_and_clauses_are_not() {
    assert!(is_fragment("Audit Rights."));
    assert!(is_fragment("18.2 Termination for Convenience."));
    assert!(is_fragment("b) Commercial General Liability Insurance Of The Provider Group."));
    // A ninth title-case word makes it a clause, however the sentence goes on.
    assert!(!is_fragment("Commercial General Liability Insurance Of The Provider Group Policy."));
    assert!(!is_fragment(
        "Commercial General Liability Insurance Of The Provider Group Shall be maintained at all times by Provider."
    ));
    assert!(!is_fragment("Plan may recoup overpayments within 36 months."));
    // A block of title lines is not a clause; capitals that say something are.
    assert!(is_fragment(
        "Acme Health\nProvider Manual - Chapter 9: Claims, Authorizations and Payment\nEffective May 1, 2027"
    ));
    assert!(!is_fragment("ALL SERVICES REQUIRE PRECERTIFICATION EXCEPT\nOFFICE VISITS AND ROUTINE TESTS"));
}

#[test]
fn patterns_are_compiled_only_where_a_trigger_matched() {
    // The default pack's triggers are all found by the prefilter, which builds
    // automata only for triggers whose prefixes occur; no search needs a full regex.
    let sources =
        crate::rules::builtin::sources(&[crate::rules::builtin::DEFAULT_PACK]).unwrap_or_else(|e| panic!("{e:?}"));
    let rules: Vec<Rule> = load_sources(&sources).unwrap_or_else(|e| panic!("{e:?}")).rules().cloned().collect();
    let all = rules.iter().flat_map(Rule::patterns).count();
    let compiled = |rules: &[Rule]| rules.iter().flat_map(Rule::patterns).filter(|p| p.is_compiled()).count();
    let regexes = |rules: &[Rule]| rules.iter().flat_map(Rule::patterns).filter(|p| p.is_regex_built()).count();
    let e = Engine::new(rules.clone(), jiff::civil::date(2026, 11, 26));
    let doc =
        Document::from_text("This Agreement is made between Plan and Provider.\n\nNotices go to the addresses below.");
    assert!(e.audit(&doc).is_empty());
    let before = compiled(&rules);
    assert!(before * 8 < all, "{before} of {all} patterns compiled for two sentences without a trigger");
    let doc = Document::from_text("Plan may recoup overpayments within thirty-six (36) months.");
    assert!(!e.audit(&doc).is_empty());
    let now = compiled(&rules);
    assert!(now > before && now * 4 < all, "{now} of {all} patterns compiled for one sentence");
    assert_eq!(regexes(&rules), 0);
}

proptest::proptest! {
    #[test]
    fn sorting_in_place_is_a_stable_sort(items in proptest::collection::vec((0u8..8, proptest::num::u16::ANY), 0..200)) {
        let mut stable = items.clone();
        stable.sort_by_key(|x| x.0);
        let mut ours = items;
        sort_stable_in_place(&mut ours, |a, b| a.0.cmp(&b.0));
        proptest::prop_assert_eq!(ours, stable);
    }
}

#[test]
fn rules_sharing_a_megabyte_unit_give_each_its_findings() {
    let e = engine(
        r#"
pack: {name: t}
rules:
  - {id: t.recoup, title: T, category: c, severity: low, scope: document, any: ['\brecoup\w*']}
  - {id: t.audit, title: T, category: c, severity: low, scope: document, any: ['\baudit\w*']}
  - {id: t.absent, title: T, category: c, severity: low, scope: document, any: ['\bnowhere\b']}
"#,
    );
    let text = "Plan may audit claims and recoup overpayments. ".repeat(PARALLEL_UNIT_BYTES / 40);
    let found = e.audit(&Document::from_text(&text));
    let ids: Vec<&str> = found.iter().map(|f| &*f.rule).collect();
    assert_eq!(ids, ["t.audit", "t.recoup"]);
}

#[test]
fn rules_written_with_the_same_pattern_share_it() {
    let sources =
        crate::rules::builtin::sources(&[crate::rules::builtin::DEFAULT_PACK]).unwrap_or_else(|e| panic!("{e:?}"));
    let rules: Vec<Rule> = load_sources(&sources).unwrap_or_else(|e| panic!("{e:?}")).rules().cloned().collect();
    let e = Engine::new(rules, jiff::civil::date(2026, 11, 26));
    let mut by_source: std::collections::HashMap<&str, Vec<&crate::rules::Pattern>> = Default::default();
    for p in e.rules().iter().flat_map(Rule::patterns) {
        by_source.entry(p.as_str()).or_default().push(p);
    }
    let repeated: Vec<&Vec<&crate::rules::Pattern>> = by_source.values().filter(|ps| ps.len() > 1).collect();
    assert!(repeated.len() > 10, "{} patterns repeated", repeated.len());
    for copies in repeated {
        copies[0].is_match("the plan shall not recoup");
        assert!(copies.iter().all(|p| p.is_compiled()), "{} is compiled once for all its rules", copies[0].as_str());
    }
}
