//! Golden files of what users read: the JSON report and the human report for
//! every sample contract, and the rendered diagnostics for broken rule files.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test`).

use assert_cmd::Command;

fn redflag() -> Command {
    let mut cmd = Command::cargo_bin("redflag").unwrap_or_else(|e| panic!("binary not built: {e}"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

fn samples() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt") || n.ends_with(".pdf") || n.ends_with(".docx"))
        .collect();
    names.sort();
    names
}

#[test]
fn json_reports() {
    for name in samples() {
        let out = redflag()
            .args(["audit", "--format", "json", "--fail-on", "never", "--as-of", "2026-11-26"])
            .arg(format!("contracts_samples/{name}"))
            .output()
            .unwrap();
        let json = String::from_utf8(out.stdout).unwrap();
        let json = json.replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(format!("json__{name}"), json);
    }
}

#[test]
fn human_reports() {
    for name in samples() {
        let out = redflag()
            .args(["audit", "--fail-on", "never", "--as-of", "2026-11-26"])
            .arg(format!("contracts_samples/{name}"))
            .output()
            .unwrap();
        insta::assert_snapshot!(format!("human__{name}"), String::from_utf8(out.stdout).unwrap());
    }
}

#[test]
fn human_report_graphical() {
    let out = redflag()
        .args(["audit", "--fail-on", "never", "--as-of", "2026-11-26", "--color", "always"])
        .arg("contracts_samples/harbor_bad.txt")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // Strip ANSI colour codes: the layout is the product here, not the palette.
    let plain = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap().replace_all(&text, "");
    insta::assert_snapshot!("human_graphical__harbor_bad.txt", plain);
}

/// The narrated layout, for screen readers: only when asked for.
#[test]
fn human_report_narrated() {
    let out = redflag()
        .args(["audit", "--fail-on", "never", "--as-of", "2026-11-26", "-f", "human-narrated"])
        .arg("contracts_samples/summit_amendment_2026.pdf")
        .output()
        .unwrap();
    insta::assert_snapshot!("human_narrated__summit_amendment_2026.pdf", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn rule_file_diagnostics() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rule_errors");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let name = f.to_string_lossy().into_owned();
        let out = redflag().args(["rules", "validate"]).arg(format!("tests/rule_errors/{name}")).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name} should be invalid");
        insta::assert_snapshot!(format!("rule_error__{name}"), String::from_utf8(out.stderr).unwrap());
    }
}
