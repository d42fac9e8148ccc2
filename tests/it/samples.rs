//! The sample contracts: each must produce exactly the findings in its golden file
//! (rule, page, section), and the pack's precision and recall against the red
//! flags planted in each sample (labels written with the contract, before the
//! pack ran on it) must stay at the figures recorded in `rules/README.md`.
//!
//! To refresh the golden files after an intended change:
//! `REDFLAG_UPDATE_GOLDEN=1 cargo test --test samples`, then review the diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use redflag::audit::audit_file;
use redflag::document::DocumentResult;
use redflag::engine::Engine;
use redflag::extract::Limits;
use redflag::rules::{builtin, load_sources};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn engine() -> Engine {
    let sources = builtin::sources(&[builtin::DEFAULT_PACK]).unwrap_or_else(|e| panic!("{e:?}"));
    let loaded = load_sources(&sources).unwrap_or_else(|e| panic!("{e}"));
    Engine::new(loaded.rules().cloned().collect(), jiff::civil::date(2026, 11, 26))
}

fn samples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("contracts_samples"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(files.len() >= 18, "expected at least six samples as text, PDF and DOCX");
    files
}

fn audit(engine: &Engine, path: &Path) -> DocumentResult {
    let r = audit_file(engine, path, &Limits::default());
    assert!(r.error.is_none() && r.warnings.is_empty(), "{} not read in full: {:?}", path.display(), r.error);
    r
}

/// `rule<TAB>page<TAB>section path`, one line per finding, in document order.
fn golden_lines(r: &DocumentResult) -> String {
    r.findings.iter().map(|f| format!("{}\t{}\t{}\n", f.rule, f.page, f.section.join(" ▸ "))).collect()
}

#[test]
fn every_sample_produces_its_golden_findings() {
    let engine = engine();
    let update = std::env::var_os("REDFLAG_UPDATE_GOLDEN").is_some();
    let mut mismatched = Vec::new();
    for path in samples() {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let golden = root().join("tests/fixtures/sample_findings").join(format!("{name}.tsv"));
        let actual = golden_lines(&audit(&engine, &path));
        if update {
            std::fs::create_dir_all(golden.parent().unwrap_or(Path::new("."))).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&golden, &actual).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        let expected =
            std::fs::read_to_string(&golden).unwrap_or_else(|_| panic!("no golden file {}", golden.display()));
        if expected != actual {
            mismatched.push(format!("{name}:\n--- expected\n{expected}--- actual\n{actual}"));
        }
    }
    assert!(mismatched.is_empty(), "{}", mismatched.join("\n"));
}

/// Counts of (innermost section, rule) pairs.
type Bag = BTreeMap<(String, String), usize>;

fn labels(stem: &str) -> Bag {
    let path = root().join("tests/fixtures/sample_labels").join(format!("{stem}.tsv"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no labels {}", path.display()));
    let mut bag = Bag::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (section, rule) = line.split_once('\t').unwrap_or_else(|| panic!("bad label line {line:?}"));
        *bag.entry((section.to_string(), rule.to_string())).or_default() += 1;
    }
    bag
}

#[test]
fn precision_and_recall_against_planted_labels() {
    let engine = engine();
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut report = String::new();
    for path in samples() {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let truth = labels(&stem);
        let mut got = Bag::new();
        for f in audit(&engine, &path).findings {
            let section = f.section.last().cloned().unwrap_or_default();
            *got.entry((section, f.rule.to_string())).or_default() += 1;
        }
        for key in truth.keys().chain(got.keys()).collect::<std::collections::BTreeSet<_>>() {
            let (t, g) = (truth.get(key).copied().unwrap_or(0), got.get(key).copied().unwrap_or(0));
            tp += t.min(g);
            if g > t {
                fp += g - t;
                report.push_str(&format!("{}: unexpected {:?}\n", path.display(), key));
            }
            if t > g {
                fn_ += t - g;
                report.push_str(&format!("{}: missed {:?}\n", path.display(), key));
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    eprintln!("samples: tp={tp} fp={fp} fn={fn_} precision={precision:.3} recall={recall:.3}\n{report}");
    // The figures recorded in rules/README.md; a drop is a regression.
    assert!(precision >= 0.985, "precision {precision:.3} fell below 0.985\n{report}");
    assert!(recall >= 1.0, "recall {recall:.3} fell below 1.000\n{report}");
}
