//! Hostile and unusual inputs, each with its exact outcome: nothing read is
//! passed as "read in full", nothing hangs, nothing crashes, and a batch
//! survives its bad files. Fixtures that are easier to make than to commit
//! (empty files, FIFOs, links, one-line documents) are made here in scratch
//! folders; binary fixtures live in `tests/hostile/` (see its `make.py`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

fn redflag() -> Command {
    let mut cmd = Command::cargo_bin("redflag").unwrap_or_else(|e| panic!("binary not built: {e}"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd.timeout(Duration::from_secs(60));
    cmd
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts_samples").join(name)
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn text(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn audit_json(args: &[&str]) -> (Option<i32>, Value, String) {
    let out = redflag().args(["audit", "--format", "json", "--as-of", "2026-11-26"]).args(args).output().unwrap();
    (out.status.code(), json(&out), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn empty_and_blank_files_are_errors_not_clean_passes() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8]); 4] = [
        ("zero.txt", b""),
        ("spaces.txt", b"   \n\n\t  \r\n"),
        ("nbsp.txt", "\u{a0}\u{a0}\n\u{2003}".as_bytes()),
        ("utf16.txt", b"\xff\xfe \x00\n\x00"),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (code, r, stderr) = audit_json(&[path.to_str().unwrap()]);
        assert_eq!(code, Some(3), "{name}");
        let d = &r["documents"][0];
        assert_eq!(d["error"]["kind"], "empty", "{name}: {d}");
        assert!(d["error"]["message"].as_str().unwrap().starts_with("empty document"), "{name}");
        assert!(stderr.contains("not audited (empty)"), "{name}: errors are said on stderr too: {stderr}");
    }
}

#[test]
fn a_selection_that_runs_no_rule_is_a_usage_error() {
    let harbor = sample("harbor_bad.txt");
    let harbor = harbor.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["--select", "recoupmnt"], "did you mean `recoupment`?"),
        (&["--exclude", "*"], "no rule left to run"),
        (&["--no-default-rules"], "no rule was loaded"),
        (&["--select", "recoupment.lookback-to-long"], "did you mean `recoupment.lookback-too-long`?"),
    ];
    for (args, said) in cases {
        let out = redflag().arg("audit").args(args).arg(harbor).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(text(&out).contains(said), "{args:?}: {}", text(&out));
        assert!(out.stdout.is_empty(), "{args:?}: nothing is audited");
    }
    let dir = tempfile::tempdir().unwrap();
    for (config, said) in [
        ("select: [timely_filng]\n", "did you mean `timely_filing`?"),
        ("overrides:\n  recoupment.no-such-rule: off\n", "override `recoupment.no-such-rule` matches no rule"),
    ] {
        std::fs::write(dir.path().join("redflag.yaml"), config).unwrap();
        let out = redflag().current_dir(dir.path()).args(["audit", harbor]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{config}: {}", text(&out));
        assert!(text(&out).contains(said), "{config}: {}", text(&out));
    }
}

#[test]
fn every_report_says_how_many_rules_ran() {
    let harbor = sample("harbor_bad.txt");
    let (_, r, _) = audit_json(&["--select", "recoupment", harbor.to_str().unwrap()]);
    let n = r["summary"]["rules"].as_u64().unwrap();
    assert!((2..20).contains(&n), "{n} recoupment rules");
    let out = redflag().args(["audit", "--select", "recoupment", harbor.to_str().unwrap()]).output().unwrap();
    assert!(text(&out).contains(&format!("{n} rules ran")), "{}", text(&out));
    let out = redflag().args(["audit", "--format", "jsonl", "--select", "recoupment"]).arg(&harbor).output().unwrap();
    let line: Value = serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap_or_default()).unwrap();
    assert_eq!(line["rules"].as_u64(), Some(n), "{line}");
    for format in ["markdown", "html"] {
        let out =
            redflag().args(["audit", "--format", format, "--select", "recoupment"]).arg(&harbor).output().unwrap();
        assert!(text(&out).contains(&format!("{n} rules")), "{format}");
    }
}

#[test]
fn no_documents_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = redflag().arg("audit").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no documents found"), "{}", text(&out));
    std::fs::write(dir.path().join("a.txt"), "Plan may recover overpayments within 36 months.").unwrap();
    let out = redflag().arg("audit").arg(dir.path()).args(["--glob", "*.pdf"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no documents found"), "{}", text(&out));
}

#[cfg(unix)]
#[test]
fn pipes_and_devices_are_skipped_per_file_without_hanging_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample("harbor_bad.txt"), dir.path().join("a_contract.txt")).unwrap();
    let fifo = dir.path().join("b_pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let started = Instant::now();
    let (code, r, _) = audit_json(&[dir.path().to_str().unwrap(), "/dev/zero"]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(code, Some(3));
    let docs = r["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3, "{docs:?}");
    assert!(docs[0]["findings"].as_array().unwrap().len() > 10, "the contract beside the pipe is audited");
    assert_eq!(docs[1]["error"]["kind"], "not_a_file");
    assert!(docs[1]["error"]["message"].as_str().unwrap().contains("named pipe"));
    assert_eq!(docs[2]["error"]["kind"], "not_a_file");
    assert!(docs[2]["error"]["message"].as_str().unwrap().contains("device"));
}

#[cfg(unix)]
#[test]
fn links_never_leave_the_roots_and_every_file_is_audited_once() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("contracts");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::copy(sample("harbor_bad.txt"), root.join("harbor.txt")).unwrap();
    std::fs::copy(sample("cascade_negotiated.txt"), root.join("sub/cascade.txt")).unwrap();
    std::fs::write(outer.path().join("outside.txt"), "Plan may recover overpayments within 36 months.").unwrap();
    std::fs::write(root.join(".hidden.txt"), "Plan may recover overpayments within 36 months.").unwrap();
    std::os::unix::fs::symlink(outer.path(), root.join("up")).unwrap();
    std::os::unix::fs::symlink(&root, root.join("sub/again")).unwrap();
    std::os::unix::fs::symlink(root.join("harbor.txt"), root.join("zz_copy.txt")).unwrap();
    std::os::unix::fs::symlink(outer.path().join("outside.txt"), root.join("zz_outside.txt")).unwrap();
    let harbor = root.join("harbor.txt");
    let (code, r, stderr) = audit_json(&[root.to_str().unwrap(), harbor.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    let paths: Vec<&str> = r["documents"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), 2, "each file once: {paths:?}");
    assert!(paths[0].ends_with("harbor.txt") && paths[1].ends_with("sub/cascade.txt"), "{paths:?}");
    for said in ["up: a link to", "outside the folders given", "again: a folder already audited", ".hidden.txt: hidden"]
    {
        assert!(stderr.contains(said), "{said:?} not in {stderr}");
    }
    assert!(stderr.contains("zz_copy.txt: the same file as"), "{stderr}");
    assert!(stderr.contains("zz_outside.txt: a link to"), "{stderr}");
}

#[test]
fn a_one_line_document_renders_its_clauses_not_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let one = std::fs::read_to_string(sample("harbor_bad.txt")).unwrap().replace('\n', " ");
    let long = one.repeat(40);
    assert!(long.len() > 65_536 * 2);
    let path = dir.path().join("one_line.txt");
    std::fs::write(&path, &long).unwrap();
    let (_, r, _) = audit_json(&[path.to_str().unwrap()]);
    let findings = r["summary"]["findings"].as_u64().unwrap() as usize;
    assert!(findings > 40);
    for color in ["never", "always"] {
        let out = redflag().args(["audit", "--color", color, "--as-of", "2026-11-26"]).arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        let shown = String::from_utf8_lossy(&out.stdout);
        let widest = shown.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(widest < 1_500, "a line of {widest} characters");
        assert!(shown.contains("one_line.txt: "), "the closing count");
        // Each finding quotes about a clause, not the document.
        assert!(shown.len() / findings < 4 * 1024, "{} bytes for {findings} findings", shown.len());
    }
}

#[test]
fn an_error_past_column_65535_of_a_rule_file_renders() {
    let dir = tempfile::tempdir().unwrap();
    let title = "a".repeat(80_000);
    let rule = format!("pack: {{name: t, version: 1}}\nrules:\n  - {{id: x.y, title: \"{title}\", severity: hgh}}\n");
    let path = dir.path().join("long.yaml");
    std::fs::write(&path, rule).unwrap();
    let out = redflag().args(["rules", "validate"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("did you mean `high`?"));
    assert!(text(&out).len() < 10_000);
}

#[test]
fn csv_cells_never_run_as_formulas_and_unread_documents_have_rows() {
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("=HYPERLINK(x).txt");
    let in_dir = |cmd: &mut Command| {
        cmd.current_dir(dir.path());
    };
    std::fs::write(
        &evil,
        "=cmd|' /C calc'!A0\n\n6.2 Plan may recover any overpayment within thirty-six (36) months after payment.\n",
    )
    .unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let mut cmd = redflag();
    in_dir(&mut cmd);
    let out = cmd
        .args(["audit", "--format", "csv", "--as-of", "2026-11-26", "=HYPERLINK(x).txt", "empty.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let csv = String::from_utf8_lossy(&out.stdout);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let headers = rows.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (message, excerpt) = (column("message"), column("excerpt"));
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert!(rows.len() >= 2, "{csv}");
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} in {csv}");
        }
    }
    assert!(rows.iter().any(|r| r[0].ends_with("empty.txt") && r[message].starts_with("not audited (empty)")), "{csv}");
    assert!(rows.iter().any(|r| &r[0] == "'=HYPERLINK(x).txt"), "{csv}");
    assert!(rows.iter().any(|r| r[excerpt].starts_with("6.2 Plan may recover")), "{csv}");
}

#[test]
fn sarif_names_unread_documents_and_encodes_uris() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("a b#c%.txt");
    std::fs::copy(sample("harbor_bad.txt"), &odd).unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, " ").unwrap();
    let out = redflag().args(["audit", "--format", "sarif"]).arg(&odd).arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let s = json(&out);
    let run = &s["runs"][0];
    let uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.ends_with("a%20b%23c%25.txt"), "{uri}");
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["level"], "error");
    assert!(notes[0]["message"]["text"].as_str().unwrap().contains("not audited (empty)"));
}

#[test]
fn control_characters_in_file_names_are_escaped_on_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}[2K\rclean.txt: 0 findings \u{202e}txt.pdf";
    let path = dir.path().join(name);
    std::fs::copy(sample("harbor_bad.txt"), &path).unwrap();
    let out = redflag().arg("audit").arg(&path).output().unwrap();
    let shown = text(&out);
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{202e}') && !shown.contains('\r'), "{shown:?}");
    assert!(shown.contains("evil\\u{1b}[2K\\u{d}clean.txt"), "{shown}");
}

#[test]
fn a_waiver_names_a_document_never_a_suffix_of_another() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample("harbor_bad.txt"), dir.path().join("harbor_bad.txt")).unwrap();
    std::fs::copy(sample("harbor_bad.txt"), dir.path().join("other_harbor_bad.txt")).unwrap();
    let (_, r, _) = audit_json(&[dir.path().to_str().unwrap()]);
    let fingerprint = r["documents"][0]["findings"][0]["fingerprint"].as_str().unwrap().to_string();
    let waivers = dir.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        format!(
            "waivers:\n  - fingerprint: \"{fingerprint}\"\n    document: harbor_bad.txt\n    reason: negotiated\n    accepted_by: A. Attorney\n"
        ),
    )
    .unwrap();
    let docs = dir.path().to_str().unwrap();
    let (_, r, _) = audit_json(&["--waivers", waivers.to_str().unwrap(), docs]);
    let waived = |d: &Value| d["findings"].as_array().unwrap().iter().filter(|f| !f["waived"].is_null()).count();
    let docs = r["documents"].as_array().unwrap();
    assert!(docs[0]["path"].as_str().unwrap().ends_with("/harbor_bad.txt"));
    assert_eq!(waived(&docs[0]), 1);
    assert_eq!(waived(&docs[1]), 0, "other_harbor_bad.txt is another document");
}

#[test]
fn pdftotext_leaves_no_temporary_file() {
    if !redflag::extract::pdftotext::available() {
        crate::skipped("pdftotext is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = redflag()
        .env("TMPDIR", tmp.path())
        .args(["audit", "--pdf-backend", "pdftotext"])
        .arg(sample("harbor_bad.pdf"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "nothing written to TMPDIR");
}

#[cfg(unix)]
#[test]
fn an_interrupted_report_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let big = std::fs::read_to_string(sample("harbor_bad.txt")).unwrap().repeat(300);
    for i in 0..6 {
        std::fs::write(dir.path().join(format!("c{i}.txt")), &big).unwrap();
    }
    let report = dir.path().join("out").join("report.json");
    std::fs::create_dir_all(report.parent().unwrap()).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("redflag");
    let mut child = std::process::Command::new(bin)
        .args(["audit", "--format", "json", "--threads", "1", "--output"])
        .arg(&report)
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the temporary report file, then interrupt the run.
    let started = Instant::now();
    let out = report.parent().unwrap();
    while std::fs::read_dir(out).unwrap().count() == 0 && started.elapsed() < Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    // The run was interrupted mid-audit (the handler's exit code), not finished.
    assert_eq!(child.wait().unwrap().code(), Some(130), "the audit ended before the signal: make it longer");
    let left: Vec<String> =
        std::fs::read_dir(out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(left.iter().all(|n| !n.ends_with(".tmp")), "{left:?}");
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A Word file of `body` (the inside of `w:body`) and any other parts.
fn docx(body: &str, parts: &[(&str, String)]) -> Vec<u8> {
    use std::io::Write as _;
    let mut bytes = Vec::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#)
        .unwrap();
    for (name, xml) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    bytes
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn read_docx(bytes: Vec<u8>) -> Result<redflag::extract::Extracted, redflag::extract::ExtractError> {
    redflag::extract::extract_bytes(bytes, &redflag::extract::Limits::default())
}

fn all_text(e: &redflag::extract::Extracted) -> String {
    e.pages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\u{c}")
}

#[test]
fn docx_text_boxes_keep_their_paragraph_and_are_read_once() {
    let textbox = |t: &str| format!("<w:txbxContent>{}</w:txbxContent>", para(t));
    let body = format!(
        "<w:p><w:r><w:t xml:space=\"preserve\">Plan may recover overpayments within 36 months. </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>{}</w:drawing></mc:Choice><mc:Fallback><w:pict>{}</w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Notice is given by mail.</w:t></w:r></w:p>",
        textbox("Boxed: claims are filed within 90 days."),
        textbox("Boxed: claims are filed within 90 days."),
    );
    let e = read_docx(docx(&body, &[])).unwrap();
    let text = all_text(&e);
    assert!(text.contains("Plan may recover overpayments within 36 months. Notice is given by mail."), "{text}");
    assert_eq!(text.matches("Boxed: claims are filed within 90 days.").count(), 1, "{text}");
}

#[test]
fn docx_nested_tables_keep_the_outer_cell() {
    let inner = format!("<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>", para("99213"), para("$84.20"));
    let body = format!(
        "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}{inner}</w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        para("Office visits"),
        para("Rates:"),
        para("Everything else"),
        para("95% of Medicare")
    );
    let text = all_text(&read_docx(docx(&body, &[])).unwrap());
    assert!(text.contains("Office visits | Rates:; 99213 | $84.20."), "{text}");
    assert!(text.contains("Everything else | 95% of Medicare."), "{text}");
}

#[test]
fn docx_endnotes_headers_and_footers_are_read_and_marked() {
    let part = |root: &str, inner: String| format!(r#"<?xml version="1.0"?><w:{root} {W}>{inner}</w:{root}>"#);
    let endnotes = part(
        "endnotes",
        "<w:endnote w:id=\"0\"><w:p><w:r><w:separator/></w:r></w:p></w:endnote><w:endnote w:id=\"1\">".to_string()
            + &para("Plan may offset overpayments for 24 months.")
            + "</w:endnote>",
    );
    let body = para("1. Term. This Agreement renews each year.");
    let parts = [
        ("word/endnotes.xml", endnotes),
        ("word/header1.xml", part("hdr", para("Payer may amend this Agreement on notice."))),
        ("word/footer1.xml", part("ftr", para("Confidential"))),
        ("word/footer2.xml", part("ftr", para("Confidential"))),
    ];
    let text = all_text(&read_docx(docx(&body, &parts)).unwrap());
    assert!(text.contains("[Endnote 1] Plan may offset overpayments for 24 months."), "{text}");
    assert!(text.contains("[Header] Payer may amend this Agreement on notice."), "{text}");
    assert_eq!(text.matches("[Footer] Confidential").count(), 1, "{text}");
}

#[test]
fn docx_what_cannot_be_read_is_named() {
    // An embedded document (altChunk) is named with its page.
    let body = para("1. Plan pays clean claims in 30 days.") + "<w:altChunk r:id=\"rId9\"/>";
    let e = read_docx(docx(&body, &[])).unwrap();
    let w = e.warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].pages, vec![1]);
    assert!(w[0].message.contains("altChunk"), "{}", w[0].message);
    // Numbered paragraphs without numbering definitions: the numbers are named as lost.
    let numbered = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr><w:r><w:t>Plan may recover overpayments.</w:t></w:r></w:p>";
    let e = read_docx(docx(numbered, &[])).unwrap();
    let w = e.warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].message.contains("clause numbers"), "{}", w[0].message);
    // A picture large enough to hold a rate table is named; a logo is not.
    let picture = |cx: u64, cy: u64| {
        format!(
            "<w:p><w:r><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData><pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:blipFill><a:blip r:embed=\"rId5\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        )
    };
    let body = picture(1_371_600, 457_200)
        + &para("1. Plan pays the rates in the table below.")
        + &picture(5_943_600, 3_657_600);
    let w = read_docx(docx(&body, &[])).unwrap().warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].kind, redflag::extract::WarningKind::PartialPage);
    assert!(w[0].message.contains("an image of 6.5 × 4.0 inches (image not read"), "{}", w[0].message);
    // A DTD whose entity holds a clause: refused, never read as empty text.
    let mut bytes = Vec::new();
    {
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        write!(zip, r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY c "Plan may recover overpayments for 36 months.">]><w:document {W}><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>"#).unwrap();
        zip.finish().unwrap();
    }
    let err = read_docx(bytes).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("DTD"), "{err}");
    // An empty body is an empty document.
    let err = read_docx(docx("<w:p/>", &[])).err().map(|e| e.kind()).unwrap_or_default();
    assert_eq!(err, "empty");
}

#[test]
fn docx_numbering_is_bounded() {
    let numbering = |fmt: &str, start: &str, text: &str| {
        format!(
            r#"<?xml version="1.0"?><w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
        )
    };
    let p = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>Plan may recover overpayments.</w:t></w:r></w:p>";
    let cases = [
        ("upperLetter", "4000000000", "%1.".to_string(), 1),
        ("upperRoman", "4294967295", "%1.".to_string(), 200),
        ("decimal", "1", "%1".repeat(20_000), 3),
    ];
    for (fmt, start, text, paragraphs) in cases {
        let started = Instant::now();
        let e =
            read_docx(docx(&p.repeat(paragraphs), &[("word/numbering.xml", numbering(fmt, start, &text))])).unwrap();
        let text = all_text(&e);
        assert!(started.elapsed() < Duration::from_secs(5), "{fmt}");
        assert!(text.len() < paragraphs * 200, "{fmt}: {} bytes", text.len());
        assert_eq!(text.matches("Plan may recover overpayments.").count(), paragraphs);
    }
}

#[test]
fn deeply_nested_rule_files_are_located_errors_not_stack_overflows() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |extra: &str| {
        format!(
            "pack: {{name: t, version: 1}}\nrules:\n  - id: t.x\n    title: T\n    category: t\n    severity: high\n    message: m\n    rationale: r\n    recommendation: r\n    all: ['recover']\n    extract: percent\n{extra}"
        )
    };
    let cases = [
        (
            "parens.yaml",
            rule(&format!("    where: {}percent < 100{}\n", "(".repeat(7_000), ")".repeat(7_000))),
            "nests deeper",
        ),
        ("nots.yaml", rule(&format!("    where: {}percent < 100\n", "not ".repeat(7_000))), "nests deeper"),
        (
            "blocks.yaml",
            rule(&(0..9_000).map(|i| format!("{}- \n", "  ".repeat(i + 3))).collect::<String>().replacen(
                "",
                "    examples:\n",
                1,
            )),
            "nests deeper",
        ),
        ("flow.yaml", rule(&format!("    examples: {}{}\n", "[".repeat(9_000), "]".repeat(9_000))), "nests deeper"),
    ];
    for (name, source, said) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, source).unwrap();
        let out = redflag().args(["rules", "validate"]).arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {}", text_head(&out));
        assert!(text(&out).contains(said), "{name}: {}", text_head(&out));
        assert!(text(&out).contains(&format!("{name}:")), "{name}: located");
    }
}

fn text_head(out: &std::process::Output) -> String {
    text(out).chars().take(2_000).collect()
}

/// Words of a text, as a multiset.
fn words(text: &str) -> std::collections::HashMap<String, usize> {
    let mut out = std::collections::HashMap::new();
    for w in text.split_whitespace() {
        *out.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    out
}

/// Share of the original's words missing from, or added to, the variant's text.
fn word_change(original: &str, variant: &str) -> f64 {
    let (a, b) = (words(original), words(variant));
    let total: usize = a.values().sum();
    let lost: usize = a.iter().map(|(w, n)| n.saturating_sub(*b.get(w).unwrap_or(&0))).sum();
    let added: usize = b.iter().map(|(w, n)| n.saturating_sub(*a.get(w).unwrap_or(&0))).sum();
    (lost + added) as f64 / total.max(1) as f64
}

/// A small seeded generator (xorshift), so a failure names its variant.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// A damaged copy of `bytes`: a flipped byte inside a PDF stream (or anywhere
/// in a DOCX), a truncation, or a duplicated range.
fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match rng.below(3) {
        0 => {
            let streams: Vec<usize> =
                bytes.windows(7).enumerate().filter(|(_, w)| *w == b"stream\n").map(|(i, _)| i + 7).collect();
            let at = match streams.len() {
                0 => rng.below(out.len()),
                n => (streams[rng.below(n)] + rng.below(400)).min(out.len() - 1),
            };
            out[at] ^= 1 << rng.below(8);
        }
        1 => out.truncate(bytes.len() / 2 + rng.below(bytes.len() / 2)),
        _ => {
            let start = rng.below(out.len());
            let len = rng.below(200).min(out.len() - start);
            let copy = out[start..start + len].to_vec();
            let at = rng.below(out.len());
            out.splice(at..at, copy);
        }
    }
    out
}

#[test]
fn damaged_pdfs_and_docx_never_pass_clean_with_text_missing() {
    use redflag::extract::{Limits, PdfBackend};
    let limits = Limits { timeout: Duration::from_secs(20), ..Default::default() };
    let read = |bytes: Vec<u8>| redflag::extract::extract_bytes(bytes, &limits);
    let pages_by = |bytes: &[u8], backend: PdfBackend| -> Vec<String> {
        let limits = Limits { pdf_backend: backend, ..limits };
        redflag::extract::extract_bytes(bytes.to_vec(), &limits)
            .map_or(Vec::new(), |e| e.pages.into_iter().map(|p| p.text).collect())
    };
    let poppler = redflag::extract::pdftotext::available();
    let names = ["harbor_bad", "lakeshore_medicaid_bad", "summit_amendment_2026", "cascade_negotiated"];
    let mut jobs = Vec::new();
    for name in names {
        for ext in ["pdf", "docx"] {
            let bytes = std::fs::read(sample(&format!("{name}.{ext}"))).unwrap();
            // Each page as each reader reads it: a page poppler re-reads is
            // compared with poppler's reading of the undamaged page.
            let original = (
                pages_by(&bytes, PdfBackend::Builtin),
                if poppler && ext == "pdf" { pages_by(&bytes, PdfBackend::Pdftotext) } else { Vec::new() },
            );
            let variants = if ext == "pdf" { 100 } else { 50 };
            for seed in 0..variants {
                jobs.push((format!("{name}.{ext} #{seed}"), bytes.clone(), original.clone(), seed));
            }
        }
    }
    let failures = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some((label, bytes, original, seed)) =
                    jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (*seed as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
                    let variant = mutate(bytes, &mut rng);
                    // REDFLAG_DUMP_VARIANTS=DIR keeps every variant, to look into a failure.
                    if let Some(dir) = std::env::var_os("REDFLAG_DUMP_VARIANTS") {
                        let file = Path::new(&dir).join(label.replace([' ', '#'], ""));
                        std::fs::write(file, &variant).unwrap();
                    }
                    let started = Instant::now();
                    let result = std::panic::catch_unwind(|| read(variant));
                    let took = started.elapsed();
                    let problem = match result {
                        Err(_) => Some("panicked".to_string()),
                        Ok(_) if took > Duration::from_secs(25) => Some(format!("took {took:?}")),
                        Ok(Err(_)) => None,
                        Ok(Ok(e)) => {
                            let (builtin, poppler) = original;
                            let expected: Vec<&str> = (0..builtin.len().max(poppler.len()))
                                .map(|i| {
                                    let by_poppler = e.pdftotext_pages.contains(&(i as u32 + 1));
                                    let page = if by_poppler { poppler.get(i) } else { builtin.get(i) };
                                    page.map_or("", String::as_str)
                                })
                                .collect();
                            let change = word_change(&expected.join("\u{c}"), &all_text(&e));
                            (change > 0.02 && e.warnings().is_empty())
                                .then(|| format!("{:.1}% of words changed, read in full", change * 100.0))
                        }
                    };
                    if let Some(p) = problem {
                        failures.lock().unwrap().push(format!("{label}: {p}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{} of {} variants:\n{}", failures.len(), jobs.len(), failures.join("\n"));
}

fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile").join(name)
}

/// A warning as (kind, pages).
type Said = (String, Vec<u64>);

/// Exit code, warnings, rules found and the document's JSON of a hostile PDF
/// read by `backend`.
/// What the readers make of a fixture without OCR (tests/it/ocr.rs reads them with it).
fn pdf_outcome(name: &str, backend: &str) -> (Option<i32>, Vec<Said>, Vec<String>, Value) {
    let (code, r, _) = audit_json(&["--ocr", "never", "--pdf-backend", backend, hostile(name).to_str().unwrap()]);
    let d = r["documents"][0].clone();
    let warnings = d["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["kind"].as_str().unwrap().to_string(),
                w["pages"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap()).collect(),
            )
        })
        .collect();
    let mut rules: Vec<String> =
        d["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect();
    rules.dedup();
    (code, warnings, rules, d)
}

/// The readers to try: the built-in one, and auto when pdftotext is installed
/// (its re-reading must keep every notice whose cause it does not remove).
fn backends() -> Vec<&'static str> {
    if redflag::extract::pdftotext::available() { vec!["builtin", "auto"] } else { vec!["builtin"] }
}

#[test]
fn a_garbled_text_layer_is_unreadable_not_clean() {
    for backend in backends() {
        let (code, warnings, rules, _) = pdf_outcome("garbled.pdf", backend);
        assert_eq!(code, Some(3), "{backend}");
        assert_eq!(warnings, vec![("unreadable_text".to_string(), vec![1])], "{backend}");
        assert!(rules.is_empty(), "{backend}: {rules:?}");
    }
}

#[test]
fn a_stream_that_breaks_part_way_is_a_partial_page() {
    let (code, warnings, _, d) = pdf_outcome("partial.pdf", "builtin");
    assert_eq!(code, Some(3));
    assert_eq!(warnings, vec![("partial_page".to_string(), vec![1])]);
    assert!(d["warnings"][0]["message"].as_str().unwrap().contains("breaks part-way"));
    // Poppler reads past the break, so its text is audited, but it reports an
    // error on the page, so the notice stays.
    if backends().contains(&"auto") {
        let (code, warnings, rules, d) = pdf_outcome("partial.pdf", "auto");
        assert_eq!(code, Some(3));
        assert_eq!(warnings, vec![("partial_page".to_string(), vec![1])]);
        assert!(d["warnings"][0]["message"].as_str().unwrap().contains("pdftotext reported"), "{d}");
        assert_eq!(d["reader"], "pdftotext");
        assert!(rules.iter().any(|r| r == "recoupment.lookback-too-long"), "{rules:?}");
    }
}

#[test]
fn a_scan_with_stamp_text_is_image_only() {
    for backend in backends() {
        let (code, warnings, rules, _) = pdf_outcome("stamped_scan.pdf", backend);
        assert_eq!(code, Some(3), "{backend}");
        assert_eq!(warnings, vec![("no_text_layer".to_string(), vec![2])], "{backend}");
        assert!(rules.iter().any(|r| r == "recoupment.lookback-too-long"), "page 1 is audited: {rules:?}");
    }
}

#[test]
fn hidden_text_is_reported_and_cancels_nothing() {
    for backend in backends() {
        let (code, warnings, rules, d) = pdf_outcome("hidden.pdf", backend);
        assert_eq!(code, Some(3), "{backend}");
        assert_eq!(warnings, vec![("hidden_text".to_string(), vec![1])], "{backend}");
        let message = d["warnings"][0]["message"].as_str().unwrap();
        assert!(message.contains("except in the case of fraud"), "{message}");
        // The hidden exception does not cancel the 36-month look-back.
        assert!(rules.iter().any(|r| r == "recoupment.lookback-too-long"), "{backend}: {rules:?}");
        let text = d.to_string();
        assert!(!text.contains("\"excerpt\":\"except"), "hidden text is not quoted as a finding");
    }
    // White text on a dark bar is visible: read, not reported.
    let out = redflag().args(["extract", "--pdf-backend", "builtin"]).arg(hostile("hidden.pdf")).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("EXHIBIT A COMPENSATION"), "{text}");
    assert!(!text.contains("fraud"), "{text}");
}

#[test]
fn an_ocr_layer_over_a_scan_is_text_not_hidden() {
    for backend in backends() {
        let (code, warnings, rules, _) = pdf_outcome("ocr_layer.pdf", backend);
        assert_eq!(code, Some(1), "{backend}: {warnings:?}");
        assert!(warnings.is_empty(), "{backend}: {warnings:?}");
        assert!(rules.iter().any(|r| r == "recoupment.lookback-too-long"), "{backend}: {rules:?}");
    }
}

#[test]
fn a_stray_file_in_a_folder_is_skipped_but_a_bad_pdf_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample("harbor_bad.txt"), dir.path().join("a.txt")).unwrap();
    let noise: Vec<u8> = (0..3000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(dir.path().join("photo.png"), &noise).unwrap();
    let (code, r, stderr) = audit_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(1), "a stray file does not make the batch exit 3: {stderr}");
    assert_eq!(r["documents"].as_array().unwrap().len(), 1);
    assert!(stderr.contains("photo.png: not a PDF, Word or text document"), "{stderr}");
    // Named as a PDF, the same bytes are a damaged document: an error.
    std::fs::write(dir.path().join("scan.pdf"), &noise).unwrap();
    let (code, r, _) = audit_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(3));
    let docs = r["documents"].as_array().unwrap();
    assert!(
        docs.iter()
            .any(|d| d["path"].as_str().unwrap().ends_with("scan.pdf") && d["error"]["kind"] == "unsupported_format")
    );
    // Given by name, a stray file is the user's choice: an error, not a skip.
    let (code, _, _) = audit_json(&[dir.path().join("photo.png").to_str().unwrap()]);
    assert_eq!(code, Some(3));
    // A folder of stray files only has no document.
    std::fs::remove_file(dir.path().join("a.txt")).unwrap();
    std::fs::remove_file(dir.path().join("scan.pdf")).unwrap();
    let out = redflag().arg("audit").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no documents found"));
}
