//! OCR: scanned pages, a rate table as an image and a garbled font read by
//! tesseract, and every way OCR can be missing, slow or unsure.
//!
//! The fixtures are made from our own samples by `scripts/make_scanned_pdfs.py`.
//! Tests that need the real tesseract skip with a message when it is not
//! installed, and fail instead under `REDFLAG_OCR_TEST=1` (set by `.ci/run`).
//! The others put a stand-in `tesseract` (a shell script) first on `PATH`, or
//! leave tesseract off it, so they run everywhere poppler is installed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn redflag(path: Option<&std::ffi::OsStr>) -> Command {
    let mut cmd = Command::cargo_bin("redflag").unwrap_or_else(|e| panic!("binary not built: {e}"));
    cmd.current_dir(root()).env("NO_COLOR", "1").env_remove("COLUMNS").timeout(Duration::from_secs(120));
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    cmd
}

fn fixture(name: &str) -> String {
    root().join("tests/fixtures/ocr").join(name).display().to_string()
}

fn audit(path: Option<&std::ffi::OsStr>, args: &[&str]) -> (Option<i32>, Value, String) {
    let out = redflag(path).args(["audit", "--format", "json", "--as-of", "2026-11-26"]).args(args).output().unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), json, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn on_path(program: &str) -> bool {
    std::process::Command::new(program).arg("-v").output().is_ok()
}

/// Whether the real tesseract is here; without it a test says it skipped,
/// unless CI asked for the OCR tests to run.
fn tesseract() -> bool {
    let found = std::process::Command::new("tesseract").arg("--version").output().is_ok_and(|o| o.status.success())
        && on_path("pdftoppm");
    if !found {
        assert!(
            std::env::var_os("REDFLAG_OCR_TEST").is_none(),
            "REDFLAG_OCR_TEST is set but tesseract or pdftoppm is not installed"
        );
        crate::skipped("tesseract-ocr and poppler-utils are not installed (REDFLAG_OCR_TEST=1 makes this fail)");
    }
    found
}

/// Each finding as (rule, page, facts): what must not change when the same
/// contract is read from a scan.
fn flags(report: &Value) -> BTreeSet<String> {
    report["documents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} p{} {}", f["rule"], f["page"], f["facts"]))
        .collect()
}

fn warnings(report: &Value) -> Vec<(String, Vec<u64>)> {
    report["documents"][0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let pages = w["pages"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap()).collect();
            (w["kind"].as_str().unwrap().to_string(), pages)
        })
        .collect()
}

#[test]
fn scanned_samples_give_the_red_flags_of_the_text_pdfs() {
    if !tesseract() {
        return;
    }
    for (sample, pages) in [("harbor_bad", vec![1, 2, 3]), ("summit_amendment_2026", vec![1])] {
        let text_pdf = root().join("contracts_samples").join(format!("{sample}.pdf"));
        let (code, expected, _) = audit(None, &[text_pdf.to_str().unwrap()]);
        let (scan_code, scanned, stderr) = audit(None, &[&fixture(&format!("{sample}_scanned.pdf"))]);
        assert_eq!(flags(&scanned), flags(&expected), "{sample}");
        assert!(flags(&expected).len() > 5, "{sample}: the comparison has findings to compare");
        assert_eq!(scan_code, code, "{sample}: an OCR note does not change the exit code");
        let doc = &scanned["documents"][0];
        assert_eq!(doc["reader"], "ocr", "{sample}");
        assert_eq!(doc["ocr_pages"], serde_json::json!(pages), "{sample}");
        assert_eq!(warnings(&scanned), vec![("ocr".to_string(), pages.clone())], "{sample}");
        let confidence = doc["warnings"][0]["confidence"].as_f64().unwrap();
        assert!((80.0..=100.0).contains(&confidence), "{sample}: confidence {confidence}");
        assert!(stderr.contains("read by OCR"), "{sample}: the note is on stderr too: {stderr}");
    }
}

#[test]
fn a_rate_table_scanned_as_an_image_keeps_its_rows() {
    if !tesseract() {
        return;
    }
    let out = redflag(None).args(["extract", &fixture("rate_table_scanned.pdf")]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for (code, amount, basis) in [
        ("99213", "$84.20", "95% of Medicare"),
        ("99214", "$121.50", "95% of Medicare"),
        ("99203", "$98.75", "95% of Medicare"),
        ("93000", "$15.40", "90% of Medicare"),
        ("G0438", "$168.10", "100% of Medicare"),
    ] {
        let line = text.lines().find(|l| l.contains(code)).unwrap_or_else(|| panic!("{code} missing: {text}"));
        let (a, b, c) = (line.find(code), line.find(amount), line.find(basis));
        assert!(a < b && b < c && c.is_some(), "row {code} is not whole and in order: {line:?}");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("page 1 was read by OCR"));
    let (_, report, _) = audit(None, &[&fixture("rate_table_scanned.pdf")]);
    let found = flags(&report);
    for flag in [
        "\"fee_schedule.outdated-benchmark-year\" p1 {\"year\":2019}",
        "\"lesser_of.lesser-of\" p1 {\"actor\":\"unnamed\"}",
        "\"fee_schedule.payer-schedule-changeable\" p1 {}",
    ] {
        assert!(found.contains(flag), "{flag} not in {found:?}");
    }
    assert!(found.iter().any(|f| f.contains("below-medicare") && f.contains("\"percent\":95")), "{found:?}");
}

#[test]
fn a_font_without_unicode_maps_is_read_by_ocr() {
    if !tesseract() {
        return;
    }
    let (_, expected, _) = audit(None, &["contracts_samples/harbor_bad.pdf"]);
    let (_, report, _) = audit(None, &[&fixture("garbled_font.pdf")]);
    assert_eq!(flags(&report), flags(&expected));
    assert_eq!(warnings(&report), vec![("ocr".to_string(), vec![1, 2, 3])]);
    // Off, the pages are named and not read.
    let (code, report, _) = audit(None, &["--ocr", "never", &fixture("garbled_font.pdf")]);
    assert_eq!(code, Some(3));
    let doc = &report["documents"][0];
    let said = format!("{} {}", doc["error"], doc["warnings"]);
    assert!(said.contains("OCR is off (--ocr never)"), "{said}");
}

#[test]
fn ocr_always_reads_every_page_and_says_so_in_every_format() {
    if !tesseract() {
        return;
    }
    let pdf = "contracts_samples/summit_amendment_2026.pdf";
    let (code, report, _) = audit(None, &["--ocr", "always", pdf]);
    assert_eq!(code, Some(1));
    assert_eq!(report["documents"][0]["reader"], "ocr");
    assert_eq!(report["summary"]["partial"], 0, "OCR read the page: nothing is partial");
    for (format, said) in [
        ("human", "read in full · read by OCR: page 1"),
        ("markdown", "**Note:** page 1 was read by OCR"),
        ("html", "Note: page 1 was read by OCR"),
        ("csv", "read in full (ocr): page 1 was read by OCR"),
        ("sarif", "\"level\": \"note\""),
        ("jsonl", "\"kind\":\"ocr\""),
    ] {
        let out = redflag(None).args(["audit", "--ocr", "always", "-f", format, pdf]).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(said), "{format}: {said:?} not in {stdout}");
    }
}

/// A folder to put first on `PATH`: poppler's programs linked in, and
/// `tesseract` as `script` says (absent when `None`).
fn fake_path(script: Option<&str>) -> (tempfile::TempDir, std::ffi::OsString) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    for program in ["pdftotext", "pdftoppm"] {
        if let Ok(found) = which(program) {
            std::os::unix::fs::symlink(found, dir.path().join(program)).unwrap();
        }
    }
    if let Some(script) = script {
        let path = dir.path().join("tesseract");
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // Nothing else: tesseract must not be found in a system folder.
    let path = dir.path().as_os_str().to_owned();
    (dir, path)
}

fn which(program: &str) -> Result<PathBuf, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file()).ok_or(())
}

/// A stand-in tesseract: answers the version and language checks, reads the
/// image, then runs `body` (programs by their full path: `PATH` holds only
/// the stand-ins).
fn stand_in(body: &str) -> String {
    format!(
        "#!/bin/sh\ncase \"$1\" in\n  --version) echo 'tesseract 5.3.0'; exit 0;;\n  --list-langs) echo 'List of available languages (1):'; echo eng; exit 0;;\nesac\n/bin/cat > /dev/null\n{body}\n"
    )
}

#[test]
fn without_tesseract_image_pages_are_named_with_how_to_install_it() {
    if which("pdftoppm").is_err() {
        crate::skipped("poppler-utils is not installed");
        return;
    }
    let (_dir, path) = fake_path(None);
    let (code, report, stderr) = audit(Some(&path), &[&fixture("harbor_bad_scanned.pdf")]);
    assert_eq!(code, Some(3));
    let error = &report["documents"][0]["error"];
    assert_eq!(error["kind"], "no_text_layer");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("3 pages, none with text"), "{message}");
    assert!(message.contains("tesseract is not installed"), "{message}");
    assert!(message.contains("apt install tesseract-ocr tesseract-ocr-eng"), "{message}");
    assert!(stderr.contains("tesseract is not installed"), "{stderr}");
    // A page of a document that has text elsewhere: a warning naming the page.
    let (code, report, _) = audit(Some(&path), &["tests/hostile/stamped_scan.pdf"]);
    assert_eq!(code, Some(3));
    let w = &report["documents"][0]["warnings"][0];
    assert_eq!(w["kind"], "no_text_layer");
    assert!(w["message"].as_str().unwrap().contains("install tesseract"), "{w}");
    // Asking for OCR of every page without it is a usage error.
    let out = redflag(Some(&path)).args(["audit", "--ocr", "always", "contracts_samples/harbor_bad.pdf"]).output();
    let out = out.unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--ocr always: tesseract is not installed"));
}

#[test]
fn a_page_over_the_ocr_time_limit_is_named_and_the_rest_is_read() {
    if which("pdftoppm").is_err() {
        crate::skipped("poppler-utils is not installed");
        return;
    }
    let (_dir, path) = fake_path(Some(&stand_in("exec /bin/sleep 30")));
    let started = std::time::Instant::now();
    let (code, report, _) = audit(Some(&path), &["--ocr-timeout", "1", "tests/hostile/stamped_scan.pdf"]);
    assert!(started.elapsed() < Duration::from_secs(20), "the limit was kept: {:?}", started.elapsed());
    assert_eq!(code, Some(3));
    let w = &report["documents"][0]["warnings"][0];
    assert_eq!(w["kind"], "no_text_layer");
    assert!(w["message"].as_str().unwrap().contains("OCR failed (page 2: OCR took longer than 1 s)"), "{w}");
    assert!(!report["documents"][0]["findings"].as_array().unwrap().is_empty(), "page 1 was still audited");
}

#[test]
fn a_page_read_with_low_confidence_fails_the_run_unless_partial_is_allowed() {
    if which("pdftoppm").is_err() {
        crate::skipped("poppler-utils is not installed");
        return;
    }
    let mut tsv =
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext".to_string();
    let words = "Plan may recover any overpayment at any time within thirty-six (36) months after payment";
    for (i, word) in words.split(' ').enumerate() {
        tsv.push_str(&format!("\\n5\t1\t1\t1\t1\t{i}\t{}\t100\t40\t30\t41.5\t{word}", 100 + i * 50));
    }
    let (_dir, path) = fake_path(Some(&stand_in(&format!("printf '{tsv}\\n'"))));
    let (code, report, _) = audit(Some(&path), &["tests/hostile/stamped_scan.pdf"]);
    assert_eq!(code, Some(3));
    let kinds = warnings(&report);
    assert_eq!(kinds, vec![("ocr".into(), vec![2]), ("ocr_low_confidence".into(), vec![2])]);
    let low = &report["documents"][0]["warnings"][1];
    assert_eq!(low["confidence"], 42.0, "page confidences are whole numbers");
    assert!(low["message"].as_str().unwrap().contains("under 60"), "{low}");
    let (code, _, _) = audit(Some(&path), &["--allow-partial", "tests/hostile/stamped_scan.pdf"]);
    assert_eq!(code, Some(1), "with --allow-partial, the findings decide");
}

#[test]
fn a_page_larger_than_the_largest_render_is_read_in_part() {
    if which("pdftoppm").is_err() {
        crate::skipped("poppler-utils is not installed");
        return;
    }
    use lopdf::{Object, Stream, dictionary};
    // A wall-sized page (50 × 50 inches) with a line of text in its corner.
    let mut doc = lopdf::Document::with_version("1.5");
    let pages = doc.new_object_id();
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let content = b"BT /F1 24 Tf 72 3500 Td (Plan may amend this Agreement at any time by notice.) Tj ET".to_vec();
    let contents = doc.add_object(Stream::new(dictionary! {}, content));
    let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages, "Contents" => contents });
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            "MediaBox" => vec![0.into(), 0.into(), 3600.into(), 3600.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wall.pdf");
    doc.save(&file).unwrap();
    let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\\n5\t1\t1\t1\t1\t1\t100\t100\t200\t40\t95\tPlan";
    let (_fake, path) = fake_path(Some(&stand_in(&format!("printf '{tsv}\\n'"))));
    let (code, report, _) = audit(Some(&path), &["--ocr", "always", file.to_str().unwrap()]);
    assert_eq!(code, Some(3));
    let kinds = warnings(&report);
    assert!(kinds.contains(&("partial_page".to_string(), vec![1])), "{kinds:?}");
    let said = report["documents"][0]["warnings"].to_string();
    assert!(said.contains("larger than 17 × 22 inches"), "{said}");
}

#[test]
fn an_interrupted_ocr_run_leaves_no_copy_of_the_document_behind() {
    if which("pdftoppm").is_err() {
        crate::skipped("poppler-utils is not installed");
        return;
    }
    let (_fake, path) = fake_path(Some(&stand_in("exec /bin/sleep 30")));
    let tmp = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("redflag"))
        .current_dir(root())
        .env("PATH", &path)
        .env("TMPDIR", tmp.path())
        .args(["audit", "-f", "json", &fixture("harbor_bad_scanned.pdf")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until OCR has its page folder, then interrupt the run.
    let started = std::time::Instant::now();
    while std::fs::read_dir(tmp.path()).unwrap().count() == 0 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "OCR made its private folder");
    let _ = std::process::Command::new("/bin/kill").args(["-TERM", &child.id().to_string()]).status();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
