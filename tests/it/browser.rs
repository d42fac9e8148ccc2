//! The HTML report in a real browser: headless Chromium loads it, no script from
//! the contract runs, the findings are there, and a screenshot is saved under
//! `target/` for people to look at. `.ci/run` installs Chromium and sets
//! `REDFLAG_BROWSER_TEST=1`, which makes a missing browser a failure; without it
//! the test says it was skipped.

use std::path::Path;
use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

#[test]
fn html_report_renders_without_running_contract_scripts() {
    let required = std::env::var_os("REDFLAG_BROWSER_TEST").is_some();
    let Some(browser) = chromium() else {
        assert!(!required, "REDFLAG_BROWSER_TEST is set but no Chromium was found");
        crate::skipped("no Chromium on this machine (set REDFLAG_BROWSER_TEST=1 to require it)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // A folder of its own: `target/` need not exist (CARGO_TARGET_DIR may point elsewhere).
    let scratch = tempfile::tempdir().unwrap();
    let report = scratch.path().join("browser-report.html");
    let out = assert_cmd::Command::cargo_bin("redflag")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(root)
        .args(["audit", "--format", "html", "--fail-on", "never", "--as-of", "2026-11-26", "--output"])
        .arg(&report)
        .args(["tests/fixtures/xss_contract.txt", "contracts_samples/harbor_bad.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let profile = tempfile::tempdir().unwrap();
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let url = format!("file://{}", report.display());
    let dom = Command::new(browser)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=2000", "--dump-dom"])
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("recoupment.lookback-too-long"), "findings missing from the rendered page");
    assert!(dom.contains("timely_filing.deadline-too-short"));
    // The contract's text mentions data-pwned (escaped, as text); a script that ran
    // would have set it as an attribute on <body>.
    assert!(dom.contains("setAttribute("), "the escaped contract text should be visible");
    assert!(!dom.contains("data-pwned=\""), "a script from the contract ran");
    assert!(!dom.contains("<img"), "markup from the contract became an element");
    let shot = scratch.path().join("browser-report.png");
    let _ = std::fs::remove_file(&shot);
    let s = Command::new(browser)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--window-size=1200,1600", &format!("--screenshot={}", shot.display())])
        .arg(&url)
        .output()
        .unwrap();
    assert!(shot.exists(), "no screenshot: {}", String::from_utf8_lossy(&s.stderr));
}
