//! The built-in packs document themselves and behave as their examples say.

use redflag::engine::examples::run_examples;
use redflag::rules::{builtin, load_sources};

/// The category vocabulary of the default pack (DOMAIN.md), plus `drafting` for
/// defects in the contract's own wording (words and digits that disagree).
const CATEGORIES: &[&str] = &[
    "recoupment",
    "fee_schedule",
    "class_action",
    "prior_auth",
    "timely_filing",
    "termination_notice",
    "unilateral_amendment",
    "all_products",
    "network_rental",
    "mfn",
    "lesser_of",
    "modifiers_new_codes",
    "anti_assignment",
    "audit",
    "gag",
    "hold_harmless",
    "auto_renewal",
    "compliance",
    "drafting",
];

/// The categories of the commercial pack: exactly the clause types the issue
/// names (CUAD's, with renewal term and renewal notice as one category), and
/// `drafting` for the core checks every pack loads.
const COMMERCIAL_CATEGORIES: &[&str] = &[
    "drafting",
    "auto_renewal",
    "termination_convenience",
    "covenant_not_to_sue",
    "audit",
    "mfn",
    "anti_assignment",
    "governing_law",
    "liability_cap",
    "uncapped_liability",
    "non_compete",
    "exclusivity",
    "term",
    "post_termination",
    "minimum_commitment",
    "liquidated_damages",
    "warranty",
    "insurance",
    "change_of_control",
];

fn pack_rules(pack: &str) -> Vec<redflag::rules::Rule> {
    let sources = builtin::sources(&[pack]).unwrap_or_else(|e| panic!("unknown pack {e:?}"));
    let loaded = load_sources(&sources).unwrap_or_else(|e| panic!("pack {pack} does not load: {e}"));
    assert!(loaded.warnings.is_empty(), "pack {pack} has warnings: {:?}", loaded.warnings);
    loaded.rules().cloned().collect()
}

fn payer_rules() -> Vec<redflag::rules::Rule> {
    pack_rules(builtin::DEFAULT_PACK)
}

#[test]
fn every_rule_documents_itself() {
    let rules = payer_rules();
    assert!(rules.len() >= 35, "only {} rules", rules.len());
    let problems = documentation_problems(&rules, CATEGORIES);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn commercial_rules_document_themselves_and_cover_every_category() {
    let rules = pack_rules("commercial");
    let problems = documentation_problems(&rules, COMMERCIAL_CATEGORIES);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let missing: Vec<&&str> =
        COMMERCIAL_CATEGORIES.iter().filter(|c| !rules.iter().any(|r| r.category == **c)).collect();
    assert!(missing.is_empty(), "no commercial rule for {missing:?}");
    use redflag::rules::Severity;
    let thresholds =
        rules.iter().filter(|r| matches!(r.severity, Severity::Critical | Severity::High | Severity::Medium)).count();
    assert!(thresholds >= 3, "only {thresholds} commercial rules carry a red-flag threshold");
}

#[test]
fn all_packs_load_together() {
    let all = pack_rules("all");
    let core = all.iter().filter(|r| r.origin.starts_with("rules/core/")).count();
    assert!(core >= 1, "the core checks load with every pack");
    assert_eq!(
        all.len(),
        payer_rules().len() + pack_rules("commercial").len() - core,
        "rule ids must be unique across packs"
    );
}

fn documentation_problems(rules: &[redflag::rules::Rule], categories: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for r in rules {
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|t| t.trim().is_empty());
        if r.title.trim().is_empty() {
            problems.push(format!("{}: no title", r.id));
        }
        if blank(&r.doc.rationale) {
            problems.push(format!("{}: no rationale", r.id));
        }
        if blank(&r.doc.recommendation) {
            problems.push(format!("{}: no recommendation", r.id));
        }
        if r.doc.references.is_empty() {
            problems.push(format!("{}: no references", r.id));
        }
        // A built-in check reads the file as extracted; its CLI test is its example.
        let builtin = matches!(r.kind, redflag::rules::RuleKind::Builtin(_));
        if !builtin && (r.doc.examples.flag.len() < 2 || r.doc.examples.pass.len() < 2) {
            problems.push(format!("{}: needs at least two flag and two pass examples", r.id));
        }
        if !categories.contains(&r.category.as_str()) {
            problems.push(format!("{}: category `{}` is not in the vocabulary", r.id, r.category));
        }
        if !r.id.starts_with(&format!("{}.", r.category)) {
            problems.push(format!("{}: id should start with its category `{}.`", r.id, r.category));
        }
    }
    problems
}

#[test]
fn every_category_is_covered() {
    let rules = payer_rules();
    let missing: Vec<&&str> = CATEGORIES.iter().filter(|c| !rules.iter().any(|r| r.category == **c)).collect();
    assert!(missing.is_empty(), "no rule for {missing:?}");
}

#[test]
fn every_example_behaves() {
    let as_of = jiff::civil::date(2026, 11, 26);
    let failures: Vec<String> = pack_rules("all")
        .iter()
        .flat_map(|r| run_examples(r, as_of))
        .filter(|r| !r.ok)
        .map(|r| format!("{} {:?}[{}]: {} (saw {:?})", r.rule, r.expect, r.index, r.text, r.saw))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn committed_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/rule-file.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = redflag::rules::schema::json_schema();
    assert!(
        committed == generated,
        "schema/rule-file.schema.json is stale: run `cargo run -- rules schema > schema/rule-file.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap_or_default();
    let rule = &schema["$defs"]["RuleSpec"];
    assert_eq!(rule["additionalProperties"], false, "unknown keys must be flagged by editors too");
    for key in ["id", "title", "category", "severity", "any", "unless", "extract", "where", "examples"] {
        assert!(rule["properties"].get(key).is_some(), "schema lacks `{key}`");
    }
}
