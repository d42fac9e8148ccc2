//! Benchmark harness: `cargo bench --bench harness` (after `cargo build --release`).
//!
//! Workloads are generated deterministically from the sample contracts, measured
//! in one run, and written to `BENCHMARKS.md` (machine, date, commands, numbers).
//! Comparisons shell out to `rg` (ripgrep) and `pdftotext` when installed; a
//! workload whose tool is missing is reported as not measured, never guessed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use redflag::document::Document;
use redflag::engine::Engine;
use redflag::extract::{Limits, PdfBackend, extract_file};
use redflag::rules::{Rule, builtin, load_sources};

#[path = "harness/scans.rs"]
mod scans;

const MB: f64 = 1024.0 * 1024.0;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn default_rules() -> Vec<Rule> {
    let sources = builtin::sources(&[builtin::DEFAULT_PACK]).unwrap_or_else(|e| panic!("{e:?}"));
    load_sources(&sources).unwrap_or_else(|e| panic!("{e}")).rules().cloned().collect()
}

/// A contract of about `bytes` bytes: the samples' clauses, renumbered and with
/// their numbers varied so no two sections are identical.
fn contract(bytes: usize) -> String {
    let names =
        ["harbor_bad.txt", "lakeshore_medicaid_bad.txt", "cascade_negotiated.txt", "pinnacle_provider_manual.txt"];
    let texts: Vec<String> = names
        .iter()
        .map(|n| std::fs::read_to_string(root().join("contracts_samples").join(n)).unwrap_or_default())
        .collect();
    let mut out = String::with_capacity(bytes + 8192);
    let mut article = 0;
    while out.len() < bytes {
        for t in &texts {
            article += 1;
            let _ = writeln!(out, "ARTICLE {article}\nPROVISIONS {article}\n");
            let days = 30 + (article * 7) % 200;
            out.push_str(&t.replace("sixty (60)", &format!("{days} ({days})")));
            out.push_str("\n\n");
        }
    }
    out
}

/// A `pages`-page PDF typeset from [`contract`] text: Helvetica, 56 lines of up
/// to 90 characters a page, each page one compressed content stream, as a word
/// processor's "save as PDF" would write it; after every `image_every`-th page
/// (if any) a page that is a scanned image, as a signed exhibit or a pasted
/// rate table is.
fn pdf(pages: usize, image_every: Option<usize>) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Object, Stream, dictionary};

    let text = contract(pages * 56 * 90);
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if line.len() + word.len() + 1 > 90 {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.extend(word.chars().map(|c| if c.is_ascii() { c } else { '-' }));
        }
        lines.push(line);
    }
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids: Vec<Object> = Vec::new();
    let images: Vec<lopdf::ObjectId> =
        if image_every.is_some() { scans::images().into_iter().map(|s| doc.add_object(s)).collect() } else { vec![] };
    for (n, chunk) in lines.chunks(56).take(pages).enumerate() {
        if let Some(every) = image_every.filter(|e| n > 0 && n % e == 0) {
            let image = images[(n / every) % images.len()];
            let resources = dictionary! { "XObject" => dictionary! { "Im1" => image } };
            let contents = doc.add_object(Stream::new(dictionary! {}, b"q 612 0 0 792 0 0 cm /Im1 Do Q".to_vec()));
            kids.push(
                doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => contents, "Resources" => resources })
                    .into(),
            );
        }
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
            Operation::new("TL", vec![13.into()]),
            Operation::new("Td", vec![50.into(), 750.into()]),
        ];
        for line in chunk {
            ops.push(Operation::new("Tj", vec![Object::string_literal(line.as_str())]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let bytes = Content { operations: ops }.encode().unwrap_or_else(|e| panic!("{e}"));
        let contents = doc.add_object(Stream::new(dictionary! {}, bytes));
        kids.push(
            doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => contents }).into(),
        );
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap_or_else(|e| panic!("{e}"));
    out
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        last = Some(r);
    }
    (best, last.unwrap_or_else(|| panic!("no runs")))
}

fn audit_text(engine: &Engine, text: &str, path: &Path) -> usize {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    let extracted = extract_file(path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    engine.audit(&Document::new(&extracted)).len()
}

/// Peak RSS in KiB of a command, via GNU time.
fn peak_rss_kib(cmd: &mut Command) -> Option<u64> {
    let mut timed = Command::new("/usr/bin/time");
    timed.arg("-f").arg("%M").arg(cmd.get_program()).args(cmd.get_args());
    let out = timed.output().ok()?;
    String::from_utf8_lossy(&out.stderr).lines().last()?.trim().parse().ok()
}

/// Whether a tool can be started at all (pdftotext has no --version that exits 0).
fn has(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

fn main() {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    let bin = target.join("release/redflag");
    assert!(bin.exists(), "build the release binary first: cargo build --release");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rules = default_rules();
    let mut report = String::new();
    let mut line = |s: String| {
        println!("{s}");
        report.push_str(&s);
        report.push('\n');
    };

    // 5. Compile time: the default pack, and a 500-rule pack made of renamed copies.
    let (compile_default, _) = best_of(5, || Engine::new(default_rules(), jiff::civil::date(2026, 11, 26)));
    let big: Vec<Rule> = (0..500)
        .map(|i| {
            let mut r = rules[i % rules.len()].clone();
            r.id = format!("{}.copy{i}", r.id);
            r
        })
        .collect();
    let (compile_500, _) = best_of(3, || Engine::new(big.clone(), jiff::civil::date(2026, 11, 26)));
    line(format!(
        "| pack compile (load + engine), default pack ({} rules) | {:.0} ms | patterns are checked here, compiled on first search |",
        rules.len(),
        compile_default.as_secs_f64() * 1e3
    ));
    line(format!(
        "| engine build, generated 500-rule pack | {:.0} ms | target < 200 ms |",
        compile_500.as_secs_f64() * 1e3
    ));

    // 1 and 6. The text workload at 1x, 2x, 4x, timed in turns (1x, 2x, 4x, 1x,
    // ...) and the best of five kept per size: this VM's speed drifts, and timing
    // each size five times in a row let one slow or fast spell skew one ratio.
    let engine = Engine::new(rules.clone(), jiff::civil::date(2026, 11, 26));
    let sizes: Vec<(usize, String, std::path::PathBuf)> = [1usize, 2, 4]
        .into_iter()
        .map(|factor| (factor, contract(3 * 1024 * 1024 * factor), dir.path().join(format!("contract_{factor}x.txt"))))
        .collect();
    let mut timed = vec![(Duration::MAX, 0); sizes.len()];
    for _ in 0..5 {
        for ((_, text, path), best) in sizes.iter().zip(&mut timed) {
            let (t, n) = best_of(1, || audit_text(&engine, text, path));
            *best = (best.0.min(t), n);
        }
    }
    let base_secs = timed[0].0.as_secs_f64();
    for ((factor, text, path), (t, n)) in sizes.iter().zip(timed) {
        let (factor, secs) = (*factor, t.as_secs_f64());
        line(format!(
            "| text audit {factor}x ({:.1} MB, {n} findings) | {:.2} s | {:.2} MB/s{} |",
            text.len() as f64 / MB,
            secs,
            text.len() as f64 / MB / secs,
            if factor > 1 { format!(", {:.2}x the 1x time", secs / base_secs) } else { String::new() }
        ));
        if factor == 1 {
            for threads in ["0", "1"] {
                let rss = peak_rss_kib(
                    Command::new(&bin)
                        .args(["audit", "--format", "json", "--fail-on", "never", "--threads", threads])
                        .arg(path),
                );
                let how = if threads == "1" { "--threads 1" } else { "default threads" };
                match rss {
                    Some(kib) => line(format!(
                        "| peak RSS, CLI on the 1x text, {how} | {:.0} MB | target {:.0} MB (4x text + 30 MB) |",
                        kib as f64 / 1024.0,
                        4.0 * text.len() as f64 / MB + 30.0
                    )),
                    None => line("| peak RSS | not measured (no /usr/bin/time) | |".to_string()),
                }
            }
            // 2. ripgrep with the pack's trigger patterns over the normalized text.
            if has("rg") {
                let norm = dir.path().join("normalized.txt");
                let out = Command::new(&bin).arg("extract").arg(path).output().unwrap_or_else(|e| panic!("{e}"));
                std::fs::write(&norm, &out.stdout).unwrap_or_else(|e| panic!("{e}"));
                let patterns: Vec<String> = rules
                    .iter()
                    .filter_map(|r| r.kind.matcher())
                    .flat_map(|m| m.any.iter().chain(m.all.iter()))
                    .map(|re| re.as_str().to_string())
                    .collect();
                let pfile = dir.path().join("patterns.txt");
                std::fs::write(&pfile, patterns.join("\n")).unwrap_or_else(|e| panic!("{e}"));
                let (rg, _) = best_of(5, || {
                    Command::new("rg")
                        .args(["-i", "-c", "-f"])
                        .arg(&pfile)
                        .arg(&norm)
                        .output()
                        .map(|o| o.status.success())
                });
                line(format!(
                    "| rg -i with the pack's {} trigger patterns, same text | {:.2} s | redflag/rg = {:.1}x (target <= 3x) |",
                    patterns.len(),
                    rg.as_secs_f64(),
                    base_secs / rg.as_secs_f64()
                ));
            } else {
                line("| rg comparison | not measured (ripgrep not installed) | |".to_string());
            }
        }
    }

    // The 1x text with no line breaks: one 3 MB paragraph, so paragraph-scope
    // rules see a single unit with thousands of triggers and quantities.
    let one_line = contract(3 * 1024 * 1024).replace('\n', " ");
    let path = dir.path().join("contract_one_line.txt");
    let (t, n) = best_of(2, || audit_text(&engine, &one_line, &path));
    line(format!(
        "| text audit 1x written as one line (one 3.0 MB paragraph, {n} findings) | {:.2} s | {:.2} MB/s |",
        t.as_secs_f64(),
        one_line.len() as f64 / MB / t.as_secs_f64()
    ));

    // 3. A 100-page PDF: the built-in reader against pdftotext, and the full audit.
    let pdf_path = dir.path().join("contract_100_pages.pdf");
    std::fs::write(&pdf_path, pdf(100, None)).unwrap_or_else(|e| panic!("{e}"));
    let builtin = Limits { pdf_backend: PdfBackend::Builtin, ..Limits::default() };
    let (ours, pages) = best_of(5, || extract_file(&pdf_path, &builtin).map_or(0, |e| e.pages.len()));
    let (audit, findings) =
        best_of(3, || extract_file(&pdf_path, &builtin).map_or(0, |e| engine.audit(&Document::new(&e)).len()));
    let audit_note = format!("full audit {:.2} s ({findings} findings)", audit.as_secs_f64());
    if has("pdftotext") {
        let (theirs, _) = best_of(5, || Command::new("pdftotext").arg(&pdf_path).arg("-").output());
        line(format!(
            "| PDF extraction, {pages}-page PDF | {:.1} ms/page | pdftotext {:.1} ms/page, ratio {:.2}x (target <= 1.5x); {audit_note} |",
            ours.as_secs_f64() * 1e3 / pages as f64,
            theirs.as_secs_f64() * 1e3 / pages as f64,
            ours.as_secs_f64() / theirs.as_secs_f64()
        ));
    } else {
        line(format!(
            "| PDF extraction, {pages}-page PDF | {:.1} ms/page | pdftotext not installed; {audit_note} |",
            ours.as_secs_f64() * 1e3 / pages as f64
        ));
    }

    for row in scans::rows(&engine, dir.path()) {
        line(row);
    }

    // 4. A batch of 1,000 contracts (~50 KB each) with 1 and 2 threads.
    let batch = dir.path().join("batch");
    std::fs::create_dir_all(&batch).unwrap_or_else(|e| panic!("{e}"));
    let one = contract(50 * 1024);
    for i in 0..1000 {
        std::fs::write(batch.join(format!("c{i:04}.txt")), one.replace("ARTICLE 1\n", &format!("ARTICLE {i}\n")))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // The thread counts take turns, best of three each, so a slow spell of this
    // shared machine does not land on one of them only. The report (143 MB of
    // JSONL) goes to /dev/null: read back through a pipe, the harness's own
    // copying competed with the two workers for the two cores.
    let mut best = [Duration::MAX; 2];
    for _ in 0..3 {
        for (i, threads) in ["1", "2"].into_iter().enumerate() {
            let (t, _) = best_of(1, || {
                Command::new(&bin)
                    .args(["audit", "--format", "jsonl", "--fail-on", "never", "--threads", threads])
                    .arg(&batch)
                    .stdout(std::process::Stdio::null())
                    .status()
            });
            best[i] = best[i].min(t);
        }
    }
    let per_thread: Vec<f64> = best.iter().map(|t| 1000.0 / t.as_secs_f64()).collect();
    line(format!(
        "| batch of 1,000 contracts ({:.0} MB) | {:.1} files/s (1 thread), {:.1} files/s (2 threads) | speed-up {:.2}x (target >= 1.7x) |",
        1000.0 * one.len() as f64 / MB,
        per_thread[0],
        per_thread[1],
        per_thread[1] / per_thread[0]
    ));

    let date = jiff::Zoned::now().date();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let md = format!(
        "# Benchmarks\n\nMeasured {date} on {cpu}, {cores} cores, by `cargo build --release && cargo bench --bench harness`.\nWorkloads are generated by `benches/harness.rs` from the sample contracts.\n\n| workload | result | note |\n|---|---|---|\n{report}"
    );
    let history = std::fs::read_to_string(root().join("BENCHMARKS.md")).unwrap_or_default();
    let earlier = history.split_once("\n## Earlier runs\n").map(|(_, e)| e.to_string()).unwrap_or_default();
    let previous = history.split_once("\n## Earlier runs\n").map_or(history.as_str(), |(p, _)| p).trim().to_string();
    let mut out = md;
    if !previous.is_empty() {
        let _ =
            write!(out, "\n## Earlier runs\n\n{}\n{earlier}", previous.replacen("# Benchmarks", "### Earlier run", 1));
    }
    std::fs::write(root().join("BENCHMARKS.md"), out).unwrap_or_else(|e| panic!("{e}"));
}
