//! `redflag eval` end to end: three CUAD contracts with their expert labels.

use assert_cmd::Command;
use serde_json::Value;

fn eval(args: &[&str]) -> std::process::Output {
    let mut cmd = Command::cargo_bin("redflag").unwrap_or_else(|e| panic!("binary not built: {e}"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["eval", "--gold", "tests/fixtures/cuad/labels.jsonl", "--pack", "commercial", "--as-of", "2026-11-26"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run redflag: {e}"))
}

fn label<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["labels"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["label"] == name))
        .unwrap_or_else(|| panic!("no label {name} in {report}"))
}

#[test]
fn scores_the_commercial_pack_against_expert_labels() {
    let out = eval(&["--format", "json", "tests/fixtures/cuad"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(report["schema"], "redflag.eval/1");
    assert_eq!(report["documents"], 3);
    assert_eq!(report["labels"].as_array().map(Vec::len), Some(19), "every CUAD label is scored");
    // The one governing-law clause is found, and nothing else is called one.
    let law = label(&report, "Governing Law");
    assert_eq!((law["gold_spans"].as_u64(), law["gold_spans_hit"].as_u64()), (Some(1), Some(1)));
    assert_eq!((law["precision"].as_f64(), law["document_recall"].as_f64()), (Some(1.0), Some(1.0)));
    // 007's six minimum-purchase clauses are all found; two more findings are
    // minimum-purchase conditions the annotators did not label (the sentences
    // led by "EFFECTIVE DATE:" and "RENEWAL PERIOD:").
    let minimum = label(&report, "Minimum Commitment");
    let counts =
        ["gold_spans", "gold_spans_hit", "findings", "findings_hit"].map(|k| minimum[k].as_u64().unwrap_or(99));
    assert_eq!(counts, [6, 6, 8, 6]);
    // Contracts without a label count for document precision only.
    let mfn = label(&report, "Most Favored Nation");
    assert_eq!((mfn["documents_gold"].as_u64(), mfn["recall"].is_null()), (Some(0), true));
    let micro = &report["micro"];
    let (p, r) = (micro["precision"].as_f64().unwrap_or(0.0), micro["recall"].as_f64().unwrap_or(0.0));
    assert!(p >= 0.6 && r >= 0.6, "micro precision {p:.2}, recall {r:.2}");
    assert_eq!(
        micro["findings"].as_u64().unwrap_or(0),
        report["labels"]
            .as_array()
            .unwrap_or(&Vec::new())
            .iter()
            .map(|l| l["findings"].as_u64().unwrap_or(0))
            .sum::<u64>()
    );
}

#[test]
fn lists_misses_for_rule_authors() {
    let out = eval(&["--misses", "Minimum Commitment", "tests/fixtures/cuad"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("label") && text.contains("micro"), "{text}");
    assert!(text.contains("wrong · Minimum Commitment · contracts/007.txt\n  RENEWAL PERIOD:"), "{text}");
    assert!(!text.contains("· Governing Law ·"), "only the asked label is listed: {text}");
}

#[test]
fn accepts_the_contracts_folder_itself_and_reports_missing_documents() {
    // The gold file names `contracts/007.txt`; giving the folder that holds it works too.
    let out = eval(&["--format", "json", "tests/fixtures/cuad/contracts"]);
    assert_eq!(out.status.code(), Some(0));
    let gold = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        gold.path(),
        "{\"file\":\"contracts/none.txt\",\"category\":\"Governing Law\",\"has_answer\":true,\"spans\":[]}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = Command::cargo_bin("redflag").unwrap_or_else(|e| panic!("{e}"));
    let out = cmd
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["eval", "--pack", "commercial", "--gold"])
        .arg(gold.path())
        .arg("tests/fixtures/cuad")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(3), "a missing document is not a clean run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("contracts/none.txt: not found in the corpus folder"));
}

#[test]
fn a_broken_gold_file_is_a_located_error() {
    let gold = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(gold.path(), "{\"file\":\"a.txt\",\"category\":\"X\",\"has_answer\":true}\nnot json\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = Command::cargo_bin("redflag").unwrap_or_else(|e| panic!("{e}"));
    let out = cmd
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["eval", "--gold"])
        .arg(gold.path())
        .arg("tests/fixtures/cuad")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(":2:") && err.contains("eval::gold_invalid"), "{err}");
}
