//! The real binary, its exit codes and its pinned JSON contract.

use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

fn redflag() -> Command {
    let mut cmd = Command::cargo_bin("redflag").unwrap_or_else(|e| panic!("binary not built: {e}"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn findings_at_or_above_fail_on_exit_1() {
    let out = redflag().args(["audit", "--as-of", "2026-11-26", "contracts_samples/harbor_bad.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = redflag()
        .args(["audit", "--fail-on", "critical", "--as-of", "2026-11-26", "contracts_samples/harbor_bad.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "no critical findings in the starter pack's results");
    let out = redflag().args(["audit", "--fail-on", "never", "contracts_samples/harbor_bad.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn clean_contract_exits_0() {
    let out = redflag()
        .args(["audit", "--as-of", "2026-11-26", "contracts_samples/cascade_negotiated.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn json_report_has_the_pinned_shape() {
    let out = redflag()
        .args([
            "audit",
            "--format",
            "json",
            "--as-of",
            "2026-01-15",
            "--fail-on",
            "never",
            "contracts_samples/harbor_bad.pdf",
        ])
        .output()
        .unwrap();
    let r = json_of(&out);
    assert_eq!(r["schema"], "redflag.report/1");
    assert_eq!(r["as_of"], "2026-01-15");
    assert_eq!(r["tool"]["name"], "redflag");
    let doc = &r["documents"][0];
    assert_eq!(doc["format"], "pdf");
    assert_eq!(doc["pages"], 3);
    assert!(doc["error"].is_null());
    let findings = doc["findings"].as_array().unwrap();
    let lookback = findings.iter().find(|f| f["rule"] == "recoupment.lookback-too-long").expect("look-back finding");
    for key in [
        "rule",
        "category",
        "severity",
        "message",
        "page",
        "line",
        "section",
        "span",
        "excerpt",
        "facts",
        "fingerprint",
    ] {
        assert!(lookback.get(key).is_some(), "finding lacks {key}");
    }
    assert_eq!(lookback["facts"]["days"], 1095);
    assert_eq!(lookback["page"], 2);
    assert_eq!(lookback["section"], "ARTICLE IV OVERPAYMENTS AND AUDITS ▸ 4.1 Recovery of Overpayments");
    let year = findings.iter().find(|f| f["rule"] == "fee_schedule.outdated-benchmark-year").expect("year finding");
    assert_eq!(year["facts"]["year"], 2019);
    assert_eq!(year["facts"]["percent"], 95);
    assert_eq!(r["summary"]["findings"], findings.len());
}

#[test]
fn spans_index_the_text_that_extract_prints() {
    let text = redflag().args(["extract", "contracts_samples/harbor_bad.pdf"]).output().unwrap().stdout;
    let report = json_of(
        &redflag()
            .args(["audit", "--format", "json", "--fail-on", "never", "contracts_samples/harbor_bad.pdf"])
            .output()
            .unwrap(),
    );
    for f in report["documents"][0]["findings"].as_array().unwrap() {
        let (s, e) = (f["span"]["start"].as_u64().unwrap() as usize, f["span"]["end"].as_u64().unwrap() as usize);
        let clause = String::from_utf8_lossy(&text[s..e]);
        let words: Vec<&str> = clause.split_whitespace().collect();
        let excerpt = f["excerpt"].as_str().unwrap();
        assert_eq!(words.join(" "), excerpt.trim_end_matches(" …"), "span of {}", f["rule"]);
    }
}

#[test]
fn corrupt_folder_reports_every_file_and_exits_3() {
    let start = Instant::now();
    let out = redflag()
        .args(["audit", "--format", "json", "--fail-on", "never", "--pdf-backend", "builtin", "--ocr", "never"])
        .arg("tests/fixtures/corrupt")
        .output()
        .unwrap();
    assert!(start.elapsed() < Duration::from_secs(30), "took {:?}", start.elapsed());
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic text on stderr: {stderr}");
    let r = json_of(&out);
    let docs = r["documents"].as_array().unwrap();
    let by_name = |n: &str| {
        docs.iter()
            .find(|d| Path::new(d["path"].as_str().unwrap()).file_name() == Some(std::ffi::OsStr::new(n)))
            .unwrap_or_else(|| panic!("{n} missing"))
    };
    assert_eq!(docs.len(), 9);
    for (name, kind) in [
        ("truncated.pdf", "corrupt"),
        // Bit flips inside compressed streams: the file parses, no page decodes.
        ("bit_flips.pdf", "corrupt"),
        ("random.pdf", "unsupported_format"),
        ("encrypted.pdf", "encrypted"),
        ("scanned.pdf", "no_text_layer"),
    ] {
        assert_eq!(by_name(name)["error"]["kind"], kind, "{name}");
    }
    assert!(by_name("good.pdf")["error"].is_null());
    assert!(!by_name("good.pdf")["findings"].as_array().unwrap().is_empty());
    assert!(by_name("good.txt")["error"].is_null());
    let partly = by_name("partly_scanned.pdf");
    assert!(partly["error"].is_null());
    assert_eq!(partly["warnings"][0]["kind"], "no_text_layer");
    assert_eq!(partly["warnings"][0]["pages"], serde_json::json!([2]));
    assert_eq!(partly["findings"][0]["rule"], "timely_filing.deadline-too-short", "readable pages are still audited");
    assert_eq!(r["summary"]["errors"], 5);
    // Body drawn with the ' operator, which pdf-extract skips: said, not passed as clean.
    let thin = by_name("quote_operators.pdf");
    assert!(thin["error"].is_null());
    assert_eq!(thin["warnings"][0]["kind"], "thin_text");
    assert_eq!(thin["warnings"][0]["pages"], serde_json::json!([1]));
}

#[test]
fn allow_partial_lets_unread_pages_pass() {
    let out = redflag()
        .args([
            "audit",
            "--ocr",
            "never",
            "--fail-on",
            "never",
            "--allow-partial",
            "tests/fixtures/corrupt/partly_scanned.pdf",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("page 2 has no text layer"));
    let out = redflag()
        .args(["audit", "--ocr", "never", "--fail-on", "never", "tests/fixtures/corrupt/partly_scanned.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn missing_path_exits_2_naming_it() {
    let out = redflag().args(["audit", "no/such/contract.pdf"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/contract.pdf"));
}

#[test]
fn broken_rule_file_exits_2_before_reading_documents() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("firm.yaml");
    std::fs::write(&rules, "pack: {name: x, version: 1}\nrules:\n  - id: x.y\n    title: [unclosed\n").unwrap();
    // The document does not exist: if documents were read first, the error would name it.
    let out = redflag().args(["audit", "--rules"]).arg(&rules).arg("no/such/contract.pdf").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("firm.yaml") && stderr.contains("YAML syntax error"), "{stderr}");
    assert!(!stderr.contains("no/such/contract.pdf"));
}

#[test]
fn bad_as_of_is_a_usage_error() {
    let out = redflag().args(["audit", "--as-of", "2026-02-30", "contracts_samples/harbor_bad.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as-of"));
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    let out = redflag()
        .args(["audit", "--format", "json", "--fail-on", "never", "--output"])
        .arg(&path)
        .arg("contracts_samples/harbor_bad.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let r: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(r["documents"][0]["path"], "contracts_samples/harbor_bad.txt");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file left behind");
}

#[test]
fn format_is_sniffed_not_taken_from_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let disguised = dir.path().join("contract.txt");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples/harbor_bad.pdf"), &disguised).unwrap();
    let r =
        json_of(&redflag().args(["audit", "--format", "json", "--fail-on", "never"]).arg(&disguised).output().unwrap());
    assert_eq!(r["documents"][0]["format"], "pdf");
}

#[test]
fn rules_test_passes_for_the_builtin_packs() {
    let out = redflag().args(["rules", "test"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(" 0 failed"));
}

#[test]
fn rules_list_json_has_the_pinned_keys() {
    let out = redflag().args(["rules", "list", "--format", "json"]).output().unwrap();
    let rules = json_of(&out);
    let rules = rules.as_array().unwrap();
    assert!(rules.len() >= 4);
    for r in rules {
        for key in ["id", "title", "category", "severity"] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
}

#[test]
fn rules_explain_prints_the_documentation() {
    let out = redflag().args(["rules", "explain", "recoupment.lookback-too-long"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8_lossy(&out.stdout);
    for part in ["Why it matters", "What to ask for", "Flagged, for example", "Not flagged, for example", "References"]
    {
        assert!(s.contains(part), "explain lacks {part}");
    }
    let out = redflag().args(["rules", "explain", "recoupment.lookback-to-long"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `recoupment.lookback-too-long`"));
}

#[test]
fn rules_validate_reports_every_error_located() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("playbook.yaml");
    std::fs::write(
        &rules,
        "pack: {name: firm}\nrules:\n  - id: firm.a\n    titel: A\n    category: c\n    severity: high\n    any: ['x']\n  - id: firm.b\n    title: B\n    category: c\n    severity: high\n    any: ['(']\n",
    )
    .unwrap();
    let out = redflag().args(["rules", "validate"]).arg(&rules).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown key `titel`") && stderr.contains("playbook.yaml:4:5"), "{stderr}");
    assert!(stderr.contains("pattern does not compile") && stderr.contains("playbook.yaml:12:12"), "{stderr}");
}

#[test]
fn docx_reads_numbering_tables_tracked_changes_and_footnotes() {
    let out = redflag().args(["extract", "tests/fixtures/docx/features.docx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let expected = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docx/features.expected.txt"),
    )
    .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, expected);
    // Spot checks of what the golden text must show, so a wrong golden cannot pass.
    for part in [
        "1.1 Claims.",
        "1.2 Overpayments. Plan may recoup overpayments within thirty-six (36) months",
        "(b) against any payment due",
        "(i) capitation;",
        "2.1 Renewal. See the renewal terms in effect on January 1, 2027",
        "CPT 99213 | 95% of the 2019 Medicare fee schedule.",
        "$112.50 & no escalator",
        "[Footnote 1] Medicare allows twelve (12) months",
    ] {
        assert!(text.contains(part), "missing {part:?}");
    }
    assert!(!text.contains("twelve (12) months after payment"), "deleted text must not appear");
    assert!(!text.contains("DATE"), "field instructions must not appear");
}

#[test]
fn docx_tracked_changes_are_reported_and_pages_follow_breaks() {
    let out = redflag()
        .args([
            "audit",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--as-of",
            "2026-11-26",
            "tests/fixtures/docx/features.docx",
        ])
        .output()
        .unwrap();
    let r = json_of(&out);
    let doc = &r["documents"][0];
    assert_eq!(doc["format"], "docx");
    assert_eq!(doc["pages"], 2);
    let findings = doc["findings"].as_array().unwrap();
    let tracked = findings.iter().find(|f| f["rule"] == "drafting.tracked-changes").expect("tracked-changes note");
    assert_eq!(tracked["facts"]["tracked_changes"], 2);
    assert_eq!(tracked["severity"], "info");
    let lookback =
        findings.iter().find(|f| f["rule"] == "recoupment.lookback-too-long").expect("reads the accepted text");
    assert_eq!(lookback["facts"]["days"], 1095);
    assert_eq!(lookback["section"], "1. Payment ▸ 1.2 Overpayments");
}

/// The tracked-changes note is a rule like any other: excluded by its id or
/// category, explained by `rules explain`.
#[test]
fn tracked_changes_are_a_selectable_documented_rule() {
    let audit = |extra: &[&str]| {
        let mut cmd = redflag();
        cmd.args(["audit", "--format", "json", "--fail-on", "never", "--as-of", "2026-11-26"]).args(extra);
        let r = json_of(&cmd.arg("tests/fixtures/docx/features.docx").output().unwrap());
        let rules: Vec<String> = r["documents"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect();
        rules
    };
    assert!(audit(&[]).iter().any(|r| r == "drafting.tracked-changes"));
    assert!(audit(&["--pack", "commercial"]).iter().any(|r| r == "drafting.tracked-changes"));
    for exclude in ["drafting.*", "drafting", "drafting.tracked-changes"] {
        let rules = audit(&["--exclude", exclude]);
        assert!(!rules.is_empty() && !rules.iter().any(|r| r == "drafting.tracked-changes"), "{exclude}: {rules:?}");
    }
    let out = redflag().args(["rules", "explain", "drafting.tracked-changes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Why it matters") && text.contains("clean execution copy"), "{text}");
}

#[test]
fn hostile_docx_files_fail_fast_and_clearly() {
    for (name, needle) in [
        ("bomb.docx", "zip bomb"),
        ("cut.docx", "malformed XML"),
        ("deep.docx", "nested deeper"),
        ("not_docx.docx", "not a Word document"),
    ] {
        let start = Instant::now();
        let out = redflag()
            .args(["audit", "--format", "json", "--fail-on", "never"])
            .arg(format!("tests/fixtures/docx/{name}"))
            .output()
            .unwrap();
        assert!(start.elapsed() < Duration::from_secs(20), "{name} took {:?}", start.elapsed());
        assert_eq!(out.status.code(), Some(3), "{name}");
        let r = json_of(&out);
        let message = r["documents"][0]["error"]["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains(needle), "{name}: {message}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}

/// A firm's own playbook end to end: validate, test, then audit with the config's
/// overrides and a waiver file (one used, one unused, one expired).
#[test]
fn custom_playbook_validate_test_audit_with_overrides_and_waivers() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/playbook");
    for f in ["firm-playbook.yaml", "redflag.yaml"] {
        std::fs::copy(fixtures.join(f), dir.path().join(f)).unwrap();
    }
    let contract = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples/harbor_bad.txt");
    let run = |args: &[&str]| {
        let mut cmd = Command::cargo_bin("redflag").unwrap();
        cmd.current_dir(dir.path()).env("NO_COLOR", "1").args(args).output().unwrap()
    };
    let out = run(&["rules", "validate", "firm-playbook.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["rules", "test", "firm-playbook.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 passed, 0 failed"));

    // First audit without waivers to learn the fingerprint of the playbook's finding.
    std::fs::write(dir.path().join("waivers.yaml"), "waivers: []\n").unwrap();
    let out = run(&["audit", "--format", "json", contract.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "critical playbook finding fails at fail_on: high");
    let r = json_of(&out);
    assert_eq!(r["as_of"], "2026-11-26", "as_of comes from redflag.yaml");
    let findings = r["documents"][0]["findings"].as_array().unwrap().clone();
    let firm = findings.iter().find(|f| f["rule"] == "firm.recoupment-over-18-months").expect("playbook rule ran");
    assert_eq!(firm["severity"], "critical");
    assert!(!findings.iter().any(|f| f["category"] == "compliance"), "excluded category");
    assert!(!findings.iter().any(|f| f["rule"] == "lesser_of.lesser-of"), "rule turned off");
    let filing = findings.iter().find(|f| f["rule"] == "timely_filing.deadline-too-short").unwrap();
    assert_eq!(filing["severity"], "medium", "severity override");

    // Waive it, plus one waiver that matches nothing and one that expired.
    let fp = firm["fingerprint"].as_str().unwrap();
    std::fs::write(
        dir.path().join("waivers.yaml"),
        format!(
            "waivers:\n  - fingerprint: {fp}\n    rule: firm.recoupment-over-18-months\n    reason: Accepted for a 4% rate increase\n    accepted_by: J. Alvarez\n    expires: 2027-12-31\n  - fingerprint: 0000000000000000\n    reason: Stale\n    accepted_by: J. Alvarez\n  - fingerprint: {fp}\n    reason: Old deal\n    accepted_by: K. Lin\n    expires: 2025-01-01\n"
        ),
    )
    .unwrap();
    let out = run(&["audit", "--format", "json", "--fail-on", "critical", contract.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "the only critical finding is waived");
    let r = json_of(&out);
    let firm = r["documents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "firm.recoupment-over-18-months")
        .cloned()
        .unwrap();
    assert_eq!(firm["waived"]["accepted_by"], "J. Alvarez", "waived findings stay visible");
    assert_eq!(r["summary"]["waived"], 1);
    assert_eq!(r["summary"]["waivers"]["unused"][0]["fingerprint"], "0000000000000000");
    assert_eq!(r["summary"]["waivers"]["expired"][0]["accepted_by"], "K. Lin");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("matched no finding") && stderr.contains("expired"), "{stderr}");
    let html = run(&["audit", "--format", "html", "--fail-on", "never", contract.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&html.stdout).contains("<strong>Waived</strong> by J. Alvarez"));
}

#[test]
fn config_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("redflag.yaml");
    std::fs::write(&config, "as_of: 2026-01-15\nfail_on: hihg\nexclud: [compliance]\n").unwrap();
    let out =
        redflag().args(["audit", "--config"]).arg(&config).arg("contracts_samples/harbor_bad.txt").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Every problem of the file in one run, each located, each with a did-you-mean.
    assert!(stderr.contains("`hihg` is not an allowed value") && stderr.contains("redflag.yaml:2:"), "{stderr}");
    assert!(stderr.contains("did you mean `high`?"), "{stderr}");
    assert!(stderr.contains("unknown key `exclud`") && stderr.contains("redflag.yaml:3:1"), "{stderr}");
    assert!(stderr.contains("did you mean `exclude`?"), "{stderr}");
    // Waiver files too: both bad waivers are named.
    let waivers = dir.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "waivers:\n  - fingerprint: 0000000000000000\n    reasn: x\n    accepted_by: me\n  - fingerprint: 1\n    reason: y\n    acepted_by: me\n",
    )
    .unwrap();
    let out =
        redflag().args(["audit", "--waivers"]).arg(&waivers).arg("contracts_samples/harbor_bad.txt").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown key `reasn`") && stderr.contains("waivers.yaml:3:5"), "{stderr}");
    assert!(stderr.contains("unknown key `acepted_by`") && stderr.contains("waivers.yaml:7:5"), "{stderr}");
    assert!(stderr.contains("waivers[1].fingerprint: invalid type"), "{stderr}");
}

#[test]
fn select_and_exclude_by_category_or_id_glob() {
    let out = redflag()
        .args([
            "rules",
            "list",
            "--format",
            "json",
            "--select",
            "recoupment",
            "--select",
            "fee_schedule.*",
            "--exclude",
            "*.below-medicare",
        ])
        .output()
        .unwrap();
    let rules = json_of(&out);
    let ids: Vec<&str> = rules.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.iter().all(|i| i.starts_with("recoupment.") || i.starts_with("fee_schedule.")), "{ids:?}");
    assert!(ids.contains(&"recoupment.lookback-too-long") && !ids.contains(&"fee_schedule.below-medicare"));
}

/// Runs `audit --format json` on one file with a PDF backend; the document.
fn read_with(backend: &str, file: &str) -> Value {
    let out = redflag()
        .args([
            "audit",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--as-of",
            "2026-11-26",
            "--pdf-backend",
            backend,
            file,
        ])
        .output()
        .unwrap();
    json_of(&out)["documents"][0].clone()
}

#[test]
fn pdftotext_rereads_what_the_builtin_reader_missed() {
    if !redflag::extract::pdftotext::available() {
        assert!(
            std::env::var_os("REDFLAG_PDFTOTEXT_TEST").is_none(),
            "REDFLAG_PDFTOTEXT_TEST is set but pdftotext (poppler-utils) is not installed"
        );
        crate::skipped("pdftotext is not installed");
        return;
    }
    let file = "tests/fixtures/corrupt/quote_operators.pdf";
    let builtin = read_with("builtin", file);
    assert_eq!(builtin["reader"], "pdf-extract");
    assert_eq!(builtin["warnings"][0]["kind"], "thin_text");
    let auto = read_with("auto", file);
    assert_eq!((auto["reader"].as_str(), &auto["pdftotext_pages"]), (Some("pdftotext"), &serde_json::json!([1])));
    assert_eq!(auto["warnings"], serde_json::json!([]), "the re-read page is no longer thin");
    let rules: Vec<&str> = auto["findings"].as_array().unwrap().iter().filter_map(|f| f["rule"].as_str()).collect();
    assert!(rules.contains(&"recoupment.lookback-too-long") && rules.contains(&"timely_filing.deadline-too-short"));

    // On a clean PDF both readers agree on every finding; auto leaves it to the built-in one.
    let sample = "contracts_samples/harbor_bad.pdf";
    let (ours, poppler) = (read_with("auto", sample), read_with("pdftotext", sample));
    assert_eq!(ours["reader"], "pdf-extract");
    assert_eq!(poppler["reader"], "pdftotext");
    let rules_of = |d: &Value| {
        let mut r: Vec<String> =
            d["findings"].as_array().unwrap().iter().map(|f| format!("{} p{}", f["rule"], f["page"])).collect();
        r.sort();
        r
    };
    assert_eq!(rules_of(&ours), rules_of(&poppler));
}

#[test]
fn asking_for_a_missing_reader_is_a_usage_error() {
    // No pdftotext on an empty PATH.
    let out = redflag()
        .env("PATH", "/nonexistent")
        .args(["audit", "--pdf-backend", "pdftotext", "contracts_samples/harbor_bad.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pdftotext is not installed"));
    // auto falls back to the built-in reader alone, silently.
    let out = redflag()
        .env("PATH", "/nonexistent")
        .args(["audit", "--format", "json", "--fail-on", "never", "contracts_samples/harbor_bad.pdf"])
        .output()
        .unwrap();
    assert_eq!(json_of(&out)["documents"][0]["reader"], "pdf-extract");
}

/// A Word file of 1,000,000 paragraphs (2.5 MB zipped, 45 MB of XML) is read,
/// not refused and not a hang: every paragraph's text comes through. Built in
/// memory so the repository does not carry it; RELIABILITY.md records the
/// release build's time and memory for the full audit.
#[test]
fn a_million_paragraph_docx_is_read_whole() {
    use std::io::Write as _;
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for i in 0..1_000_000 {
        xml.push_str(&format!("<w:p><w:r><w:t>Clause {i} shall apply.</w:t></w:r></w:p>"));
    }
    xml.push_str("</w:body></w:document>");
    let mut bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        let deflate = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", deflate).unwrap();
        zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
        zip.start_file("word/document.xml", deflate).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    let extracted = redflag::extract::extract_bytes(bytes, &redflag::extract::Limits::default()).unwrap();
    let text: String = extracted.pages.iter().map(|p| p.text.as_str()).collect();
    assert!(text.starts_with("Clause 0 shall apply."), "{}", &text[..60.min(text.len())]);
    assert!(text.trim_end().ends_with("Clause 999999 shall apply."));
    assert_eq!(text.matches("shall apply.").count(), 1_000_000);
}

#[test]
fn extract_parties_names_each_side_with_the_text_it_came_from() {
    let out =
        redflag().args(["extract", "--parties", "contracts_samples/bluewater_bvhp_agreement.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l.starts_with("payer  BVHP  (from: ") && l.contains("Bluewater Valley Health Plan")),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("provider  Practice  (from: ")), "{text}");
    assert!(text.contains("you  provider"), "{text}");
    // A redacted copy: the defined names survive the blanks.
    let out = redflag()
        .args(["extract", "--parties", "--json", "contracts_samples/redacted_facility_agreement.txt"])
        .output()
        .unwrap();
    let v = json_of(&out);
    assert_eq!(v["parties"][0]["name"], "Company");
    assert_eq!(v["parties"][0]["side"], "payer");
    assert!(v["parties"][0]["source"].as_str().unwrap_or_default().contains("____"), "{v}");
    assert_eq!(v["you"], "provider");
}

#[test]
fn short_flags_quiet_and_min_severity() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let out = redflag()
        .args(["audit", "-q", "-f", "json", "-o"])
        .arg(&report)
        .args([
            "--min-severity",
            "high",
            "--as-of",
            "2026-11-26",
            "contracts_samples/harbor_bad.txt",
            "contracts_samples/harbor_bad.txt",
        ])
        .output()
        .unwrap();
    // Below high is hidden from the report, but the exit code still counts it.
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.is_empty(), "-q: {}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let findings = r["documents"][0]["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["severity"] == "high" || f["severity"] == "critical"), "{findings:?}");
    let out = redflag()
        .args(["audit", "--min-severity", "critical", "--fail-on", "high", "contracts_samples/harbor_bad.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "--fail-on stays separate");
    assert!(String::from_utf8_lossy(&out.stdout).contains("harbor_bad.txt: 0 findings"));
    // Without -q the duplicate path is named on stderr.
    let out = redflag()
        .args(["audit", "-f", "json", "contracts_samples/harbor_bad.txt", "contracts_samples/harbor_bad.txt"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("the same file as"));
}

#[test]
fn a_misspelt_pack_is_suggested_and_extract_reads_one_file() {
    let out = redflag().args(["audit", "--pack", "comercial", "contracts_samples/harbor_bad.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `commercial`?"));
    let out = redflag().args(["extract", "contracts_samples"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a folder"));
    let out = redflag().args(["extract", "contracts_samples/harbor_bad.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.ends_with(b"\n"), "the text ends with a newline");
}

#[test]
fn the_nearest_config_in_a_parent_folder_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("clients/acme");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(dir.path().join("redflag.yml"), "select: [recoupment]\n").unwrap();
    let harbor = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples/harbor_bad.txt");
    let run = |extra: &[&str]| {
        let out = redflag().current_dir(&deep).args(["audit", "-f", "json"]).args(extra).arg(&harbor).output().unwrap();
        json_of(&out)["summary"]["rules"].as_u64().unwrap()
    };
    let selected = run(&[]);
    let all = run(&["--no-config"]);
    assert!(selected < all && selected > 0, "{selected} of {all}: the parent's redflag.yml selects");
}

#[test]
fn a_closed_pipe_ends_every_format_quietly() {
    use std::io::{BufRead, BufReader};
    for format in ["csv", "json", "human", "jsonl", "markdown"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("redflag"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["audit", "-f", format, "--as-of", "2026-11-26", "contracts_samples"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        // The reader is dropped here: like `| head -1`.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!first.is_empty(), "{format}");
        assert!(!stderr.contains("Broken pipe"), "{format}: {stderr}");
        assert_ne!(out.status.code(), Some(2), "{format}: {stderr}");
    }
}

#[test]
fn show_config_prints_each_setting_and_where_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(dir.path().join("redflag.yaml"), "fail_on: high\nselect: [recoupment]\n").unwrap();
    let out = redflag()
        .current_dir(&sub)
        .args(["audit", "--show-config", "--exclude", "recoupment.offset-*"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let shown = String::from_utf8_lossy(&out.stdout);
    let setting =
        |name: &str| shown.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_default().to_string();
    assert!(setting("fail_on").contains("= high") && setting("fail_on").contains("redflag.yaml"), "{shown}");
    assert!(setting("select").contains("[recoupment]"), "{shown}");
    assert!(setting("exclude").contains("# command line"), "{shown}");
    assert!(setting("packs").contains("[payer]") && setting("packs").contains("# default"), "{shown}");
    assert!(shown.contains("rules would run") || shown.contains("rule would run"), "{shown}");
    let out = redflag().current_dir(&sub).args(["audit", "--show-config", "--no-config"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("# --no-config"));
}

/// One layout whether stdout is a terminal or not: the graphical one, colour
/// only where wanted; the narrated layout only when asked for.
#[test]
fn human_output_is_one_layout_with_colour_only_where_wanted() {
    let run = |envs: &[(&str, &str)], args: &[&str]| {
        let mut cmd = redflag();
        cmd.env_remove("NO_COLOR").env_remove("TERM");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd.args(["audit", "--fail-on", "never"]).args(args).arg("contracts_samples/harbor_bad.txt").output();
        String::from_utf8(out.unwrap().stdout).unwrap()
    };
    let piped = run(&[], &[]);
    assert!(piped.contains("╭─["), "graphical on a pipe: {piped}");
    assert!(!piped.contains("Diagnostic severity"), "{piped}");
    assert!(!piped.contains('\u{1b}'), "no colour on a pipe");
    for (envs, args) in [
        (vec![("NO_COLOR", "1")], vec!["--color", "auto"]),
        (vec![("TERM", "dumb")], vec![]),
        (vec![], vec!["--color", "never"]),
    ] {
        let out = run(&envs, &args);
        assert!(out.contains("╭─[") && !out.contains('\u{1b}'), "{envs:?} {args:?}");
    }
    assert!(run(&[("NO_COLOR", "1")], &["--color", "always"]).contains('\u{1b}'), "--color always wins");
    let narrated = run(&[], &["-f", "human-narrated"]);
    assert!(narrated.contains("Begin snippet") && !narrated.contains("╭─["), "{narrated}");
}

/// Findings say where they are on the page, label what was read and carry
/// their fingerprint; a Word file without page breaks names no page.
#[test]
fn human_findings_name_page_lines_labels_and_fingerprints() {
    let audit = |path: &str| {
        let out = redflag().args(["audit", "--fail-on", "never", "--as-of", "2026-11-26", path]).output().unwrap();
        let json = redflag()
            .args(["audit", "-f", "json", "--fail-on", "never", "--as-of", "2026-11-26", path])
            .output()
            .unwrap();
        (String::from_utf8(out.stdout).unwrap(), json_of(&json))
    };
    let (human, json) = audit("contracts_samples/harbor_bad.pdf");
    let findings = json["documents"][0]["findings"].as_array().unwrap();
    let later = findings.iter().find(|f| f["page"].as_u64() > Some(1)).expect("a finding past page 1");
    let (page, line, page_line) =
        (later["page"].as_u64().unwrap(), later["line"].as_u64().unwrap(), later["page_line"].as_u64().unwrap());
    assert!(page_line < line, "lines restart on each page: {later}");
    assert!(human.contains(&format!("page {page}:{page_line}:")), "page {page}, line {page_line} not in the header");
    for f in findings {
        assert!(human.contains(f["fingerprint"].as_str().unwrap()), "fingerprint of {} missing", f["rule"]);
    }
    assert!(!human.contains("── here"), "a bare `here` label: {human}");
    assert!(human.contains("the payer: “"), "labels say who acts and what was read");
    let (docx, _) = audit("contracts_samples/harbor_bad.docx");
    assert!(
        docx.contains("harbor_bad.docx:") && !docx.contains("harbor_bad.docx · page"),
        "no page for a DOCX without page breaks"
    );
}

#[test]
fn a_document_on_standard_input_is_audited_under_its_given_name() {
    let pdf = std::fs::read("contracts_samples/harbor_bad.pdf").unwrap();
    let out = redflag()
        .args(["audit", "-f", "json", "--fail-on", "never", "--stdin-filename", "harbor (from mail).pdf", "-"])
        .arg("contracts_samples/summit_amendment_2026.txt")
        .write_stdin(pdf)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = json_of(&out);
    let docs = r["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["path"], "harbor (from mail).pdf");
    assert_eq!(docs[0]["format"], "pdf", "read by content, whatever the name");
    let from_file = redflag()
        .args(["audit", "-f", "json", "--fail-on", "never", "contracts_samples/harbor_bad.pdf"])
        .output()
        .unwrap();
    assert_eq!(docs[0]["findings"], json_of(&from_file)["documents"][0]["findings"]);
    // Without a name it is <stdin>; an empty input is an empty document.
    let out = redflag().args(["audit", "-f", "json", "-"]).write_stdin("").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let r = json_of(&out);
    assert_eq!(r["documents"][0]["path"], "<stdin>");
    assert_eq!(r["documents"][0]["error"]["kind"], "empty");
}

#[test]
fn statistics_and_several_outputs_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let (sarif, csv) = (dir.path().join("r.sarif"), dir.path().join("r.csv"));
    let out = redflag()
        .args(["audit", "--fail-on", "never", "--statistics"])
        .arg("--output-format")
        .arg(format!("sarif={}", sarif.display()))
        .arg("--output-format")
        .arg(format!("csv={}", csv.display()))
        .arg("contracts_samples/harbor_bad.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("╭─["), "the terminal report is still there");
    let table = &stdout[stdout.find("COUNT  SEVERITY").expect("statistics after the report")..];
    assert!(table.contains("recoupment.lookback-too-long"), "{table}");
    let first = table.lines().nth(1).unwrap();
    let count: usize = first.split_whitespace().next().unwrap().parse().unwrap();
    assert!(count >= 2, "most first: {first}");
    assert!(table.lines().last().unwrap().contains("in all, from"), "{table}");
    let sarif: Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(std::fs::read_to_string(&csv).unwrap().starts_with("document,page,"));
    // With a machine format on stdout, the table goes to stderr.
    let out = redflag()
        .args(["audit", "-f", "json", "--fail-on", "never", "--statistics", "contracts_samples/harbor_bad.txt"])
        .output()
        .unwrap();
    json_of(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("COUNT  SEVERITY"));
    let out = redflag().args(["audit", "--output-format", "pdf=x.pdf", "contracts_samples/harbor_bad.txt"]).output();
    let out = out.unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format `pdf`"));
}

/// Every problem of a file in one run: a rule file's bad severity does not
/// hide a misspelt key, a pattern that does not compile or an unknown unit;
/// a configuration's problems come together, each with its did-you-mean.
#[test]
fn every_problem_of_a_file_is_reported_in_one_run() {
    let out = redflag().args(["rules", "validate", "tests/rule_errors/every_problem_at_once.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "4 errors",
        "`hgih` is not an allowed value",
        "did you mean `where`?",
        "pattern does not compile: unclosed group",
        "unknown unit `dayz`",
        "did you mean `days`?",
    ] {
        assert!(said.contains(expected), "{expected:?} not in {said}");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("redflag.yaml"), "exclud: [compliance]\nfail_on: hihg\nocr: sometimes\n").unwrap();
    let out = redflag()
        .current_dir(dir.path())
        .arg("audit")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples/harbor_bad.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    for expected in
        ["3 errors", "did you mean `exclude`?", "did you mean `high`?", "allowed values: auto, always, never"]
    {
        assert!(said.contains(expected), "{expected:?} not in {said}");
    }
}

/// The README's first command, run as written: it exits 1 (the samples hold
/// red flags) and shows each sample contract once.
#[test]
fn the_readme_sample_run_shows_each_contract_once() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let line = readme.lines().find(|l| l.starts_with("cargo run --release -- ")).expect("the sample command");
    let args: Vec<String> =
        line["cargo run --release -- ".len()..].split_whitespace().map(|a| a.trim_matches('\'').to_string()).collect();
    let out = redflag().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{line}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let table: Vec<&str> = stdout.lines().filter(|l| l.starts_with("contracts_samples/")).collect();
    assert!(table.len() >= 9, "{stdout}");
    let mut contracts: Vec<&str> =
        table.iter().map(|l| l.split_whitespace().next().unwrap().rsplit_once('.').unwrap().0).collect();
    let all = contracts.len();
    contracts.dedup();
    assert_eq!(contracts.len(), all, "a contract shown twice: {table:?}");
    assert!(stdout.lines().count() < 2000, "{} lines", stdout.lines().count());
}
