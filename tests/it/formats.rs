//! Every report format on the samples (golden files), the pinned structure of
//! SARIF and JSONL, HTML escaping, and batches: order stable across thread counts,
//! broken files reported beside good ones.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn redflag() -> Command {
    let mut cmd = Command::cargo_bin("redflag").unwrap_or_else(|e| panic!("binary not built: {e}"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

fn audit(format: &str, paths: &[&str]) -> (Option<i32>, String) {
    let out = redflag()
        .args(["audit", "--format", format, "--fail-on", "never", "--as-of", "2026-11-26"])
        .args(paths)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (out.status.code(), String::from_utf8(out.stdout).unwrap_or_default())
}

const SAMPLES: &[&str] = &[
    "contracts_samples/harbor_bad.txt",
    "contracts_samples/cascade_negotiated.pdf",
    "tests/fixtures/corrupt/random.pdf",
];

#[test]
fn golden_reports_in_every_format() {
    for format in ["markdown", "csv", "sarif", "html", "jsonl"] {
        let (code, out) = audit(format, SAMPLES);
        assert_eq!(code, Some(3), "{format}: the unreadable file sets exit 3");
        let out = out.replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(format!("format__{format}"), out);
    }
}

#[test]
fn sarif_has_the_required_structure() {
    let (_, out) = audit("sarif", SAMPLES);
    let s: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s["version"], "2.1.0");
    let run = &s["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "redflag");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 35);
    assert!(rules.iter().all(|r| r["id"].is_string() && r["help"]["text"].as_str().is_some_and(|t| !t.is_empty())));
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert!(r["ruleId"].is_string());
        assert!(matches!(r["level"].as_str(), Some("error" | "warning" | "note")));
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].is_string());
        assert!(loc["region"]["startLine"].as_i64().is_some_and(|l| l >= 1));
        assert!(r["partialFingerprints"]["redflag/v1"].as_str().is_some_and(|f| f.len() == 16));
        assert!(r["properties"]["page"].as_i64().is_some());
        assert!(r["properties"]["section"].is_string());
    }
    assert_eq!(run["properties"]["not_read_in_full"][0]["path"], "tests/fixtures/corrupt/random.pdf");
}

#[test]
fn csv_quotes_fields_per_rfc_4180() {
    let (_, out) = audit("csv", &["contracts_samples/harbor_bad.txt"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "document");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(rows.len() > 40);
    assert!(rows.iter().all(|r| r.len() == headers.len()));
    let facts = headers.iter().position(|h| h == "facts").unwrap();
    assert!(rows.iter().any(|r| r[facts].contains("\"days\":1095")));
}

#[test]
fn html_escapes_contract_text() {
    let (_, html) = audit("html", &["tests/fixtures/xss_contract.txt"]);
    assert!(!html.contains("<script"), "raw script tag in the report");
    assert!(!html.contains("<img"), "raw img tag in the report");
    assert!(html.contains("&lt;script&gt;document.body.setAttribute"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror="));
    assert!(html.contains("recoupment.lookback-too-long") && html.contains("<mark>"));
    assert!(!html.contains("http://") && !html.contains("https://"), "no external resources");
}

#[test]
fn jsonl_is_one_document_per_line() {
    let (_, out) = audit("jsonl", SAMPLES);
    let lines: Vec<Value> =
        out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["path"], "contracts_samples/harbor_bad.txt");
    assert_eq!(lines[2]["error"]["kind"], "unsupported_format");
    assert!(lines.iter().all(|l| l["schema"] == "redflag.document/1" && l["as_of"] == "2026-11-26"));
}

#[test]
fn a_batch_of_200_files_is_reported_whole_and_in_the_same_order_with_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = [
        "contracts_samples/harbor_bad.txt",
        "contracts_samples/cascade_negotiated.txt",
        "contracts_samples/summit_amendment_2026.docx",
        "contracts_samples/lakeshore_medicaid_bad.pdf",
    ];
    let mut broken = 0;
    for i in 0..200 {
        let path = dir.path().join(format!("c{i:03}_{}", if i % 10 == 9 { "broken.pdf" } else { "contract" }));
        if i % 10 == 9 {
            let good = std::fs::read(root.join("contracts_samples/harbor_bad.pdf")).unwrap();
            std::fs::write(&path, &good[..good.len() / (2 + i % 3)]).unwrap();
            broken += 1;
        } else {
            std::fs::copy(root.join(sources[i % sources.len()]), &path).unwrap();
        }
    }
    let run = |threads: &str| {
        let out = redflag()
            .args(["audit", "--format", "jsonl", "--fail-on", "never", "--threads", threads])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        String::from_utf8(out.stdout).unwrap()
    };
    let one = run("1");
    let many = run("4");
    assert_eq!(one, many, "report order must not depend on threads");
    let docs: Vec<Value> = one.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(docs.len(), 200);
    assert_eq!(docs.iter().filter(|d| !d["error"].is_null()).count(), broken);
    let paths: Vec<&str> = docs.iter().map(|d| d["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "folder contents in sorted order");
}

#[test]
fn glob_filters_files_found_in_folders() {
    let (_, out) = audit("jsonl", &["--glob", "*.pdf", "--glob", "!*cascade*", "contracts_samples"]);
    let paths: Vec<String> =
        out.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(paths.len(), 5);
    assert!(paths.iter().all(|p| p.ends_with(".pdf") && !p.contains("cascade")));
}

#[test]
fn completions_and_man_page() {
    let out = redflag().args(["completions", "bash"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("redflag"));
    let out = redflag().args(["man"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH redflag"));
    // A page per command, with what clap cannot know.
    let out = redflag().args(["man", "audit"]).output().unwrap();
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH redflag-audit 1"), "{page}");
    for section in [
        "\"EXIT STATUS\"",
        "\"FILES\"",
        "\"ENVIRONMENT\"",
        "\\fBNO_COLOR\\fR",
        "redflag.yaml",
        "\\-\\-stdin\\-filename",
    ] {
        assert!(page.contains(section), "{section} not in the audit page");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = redflag().args(["man", "--dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    for name in ["redflag.1", "redflag-audit.1", "redflag-rules.1", "redflag-extract.1", "redflag-eval.1"] {
        assert!(dir.path().join(name).is_file(), "{name}");
    }
    let out = redflag().args(["man", "audti"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // Reading nothing of the output is what `| head -0` does.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("redflag"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["audit", "--format", "jsonl", "--fail-on", "never", "contracts_samples"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
}

/// What a reader of a report needs away from the run: which tool and packs
/// made it, each finding's fingerprint and recommendation, and (HTML) an index
/// by severity; SARIF regions a viewer can show, and waivers as suppressions.
#[test]
fn reports_carry_versions_fingerprints_recommendations_and_suppressions() {
    let pdf = "contracts_samples/harbor_bad.pdf";
    let (_, json) = audit("json", &[pdf]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let findings = json["documents"][0]["findings"].as_array().unwrap();
    let (_, markdown) = audit("markdown", &[pdf]);
    let (_, html) = audit("html", &[pdf]);
    for report in [&markdown, &html] {
        assert!(report.contains(&format!("redflag {}", env!("CARGO_PKG_VERSION"))), "tool version");
        assert!(report.contains("payer 2"), "pack version");
        for f in findings {
            assert!(report.contains(f["fingerprint"].as_str().unwrap()), "fingerprint of {}", f["rule"]);
        }
    }
    // HTML: an index of severity groups, each group worst first, linked.
    let high = html.find("<h3 id=\"d1-high\"").expect("a high group");
    let medium = html.find("<h3 id=\"d1-medium\"").expect("a medium group");
    assert!(high < medium, "worst first");
    assert!(html.contains("<a href=\"#d1-high\">high ("), "index links to the group");
    assert!(html.contains("<a href=\"#d1-f1\">"), "index links to each finding");
    // CSV: title and recommendation columns; a byte-order mark when asked.
    let (_, csv) = audit("csv", &[pdf]);
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "document,page,line,page_line,section,rule,title,category,severity,message,recommendation,excerpt,facts,fingerprint,waived"
    );
    assert!(csv.contains("Limit recovery to 12 months after the date of payment"), "a recommendation");
    assert!(!csv.starts_with('\u{feff}'));
    let out = redflag().args(["audit", "-f", "csv", "--csv-bom", "--fail-on", "never", pdf]).output().unwrap();
    assert!(out.stdout.starts_with("\u{feff}document,".as_bytes()));
    // SARIF: the clause and the page, no offsets into extracted text.
    let (_, sarif) = audit("sarif", &[pdf]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["snippet"]["text"], findings[0]["excerpt"]);
    assert_eq!(region["startLine"], findings[0]["page_line"]);
    assert_eq!(region["properties"]["page"], findings[0]["page"]);
    assert!(region.get("byteOffset").is_none(), "{region}");
    assert!(result.get("suppressions").is_none());
    // A waived finding is a suppression with the waiver's reason.
    let dir = tempfile::tempdir().unwrap();
    let waivers = dir.path().join("waivers.yaml");
    let fp = findings[0]["fingerprint"].as_str().unwrap();
    std::fs::write(
        &waivers,
        format!(
            "waivers:\n  - fingerprint: {fp}\n    reason: Traded for a rate increase\n    accepted_by: J. Alvarez\n"
        ),
    )
    .unwrap();
    let out = redflag()
        .args(["audit", "-f", "sarif", "--fail-on", "never", "--waivers", waivers.to_str().unwrap(), pdf])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let waived = results.iter().find(|r| r["partialFingerprints"]["redflag/v1"] == fp).unwrap();
    assert_eq!(waived["suppressions"][0]["kind"], "external");
    assert_eq!(waived["suppressions"][0]["justification"], "Traded for a rate increase (accepted by J. Alvarez)");
}

#[test]
fn html_folds_repeated_info_findings_of_one_section() {
    let dir = tempfile::tempdir().unwrap();
    let contract = dir.path().join("compliance.txt");
    std::fs::write(
        &contract,
        "ARTICLE 7 COMPLIANCE\n\n7.1 Laws. Each party shall comply with the federal Anti-Kickback Statute.\n\n\
         Group shall train its staff on the Anti-Kickback Statute each year. Group shall report any payment that \
         may violate the Anti-Kickback Statute. Plan may audit compliance with the Anti-Kickback Statute.\n",
    )
    .unwrap();
    let (_, html) = audit("html", &[contract.to_str().unwrap()]);
    let shown = html.find("<div class=\"finding info\"").unwrap();
    let folded = html.find("<details><summary>3 more of the same in this section</summary>").expect("folded");
    assert!(shown < folded, "the first is shown, the rest folded");
    assert_eq!(html.matches("<div class=\"finding info\"").count(), 4, "folded, not dropped");
}
