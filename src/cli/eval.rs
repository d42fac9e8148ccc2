//! `redflag eval`: audit every document a gold file names and print precision
//! and recall per label. Unreadable or missing documents are listed, never
//! silently dropped from the figures.

use std::fmt::Write as _;
use std::process::ExitCode;

use rayon::prelude::*;
use redflag::audit::audit_file;
use redflag::eval::{Counts, Evaluation, Gold, LabelMap, MissKind, resolve};
use serde::Serialize;

use super::args::{EvalArgs, ListFormat};
use super::{CliError, engine, exit, pool, print};

pub fn run(args: EvalArgs) -> Result<ExitCode, CliError> {
    if let Some(cases) = &args.cases {
        return super::eval_cases::run(cases, &args);
    }
    let (Some(corpus), Some(gold)) = (&args.corpus, &args.gold) else {
        return Err(CliError::Usage("give --gold LABELS.jsonl and CORPUS_DIR, or --cases FILE".into(), None));
    };
    if !corpus.is_dir() {
        return Err(CliError::Usage(
            format!("{} is not a folder", corpus.display()),
            Some("give the folder that holds the documents the gold file names".into()),
        ));
    }
    let gold = Gold::load(gold)?;
    let map = match &args.map {
        Some(path) => LabelMap::load(path)?,
        None => LabelMap::cuad(),
    };
    let selection = with_mapped_pack(&args.selection, &map)?;
    let (_, engine) = engine(&selection, args.as_of.as_deref())?;
    let pool = pool(args.threads)?;

    let mut eval = Evaluation::new(&gold, &map);
    let files: Vec<(&String, Option<std::path::PathBuf>)> =
        gold.documents.keys().map(|f| (f, resolve(corpus, f))).collect();
    let limits = super::limits(args.read, None)?;
    let results: Vec<_> = pool.install(|| {
        files.par_iter().map(|(f, path)| path.as_ref().map(|p| (f, audit_file(&engine, p, &limits)))).collect()
    });
    for ((file, _), result) in files.iter().zip(results) {
        match result {
            Some((_, r)) => eval.add(&gold, &map, file, &r),
            None => eval.missing.push(file.to_string()),
        }
    }

    let shown = |m: &&(String, redflag::eval::Miss)| {
        args.misses.as_deref().is_some_and(|l| l.is_empty() || l.eq_ignore_ascii_case(&m.1.label))
    };
    let misses: Vec<&(String, redflag::eval::Miss)> = eval.misses.iter().filter(shown).collect();
    let out = match args.format {
        ListFormat::Table => table(&eval, &misses),
        ListFormat::Json => json(&eval, &misses),
    };
    print(out.as_bytes())?;
    let incomplete = !eval.missing.is_empty() || !eval.unread.is_empty();
    Ok(ExitCode::from(if incomplete { exit::PARTIAL } else { exit::CLEAN }))
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |v| format!("{:.2}", v))
}

fn table(eval: &Evaluation, misses: &[&(String, redflag::eval::Miss)]) -> String {
    let width = eval.labels.keys().map(|l| l.chars().count()).max().unwrap_or(5).max(5);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:width$}  {:>5} {:>5} {:>6}  {:>5} {:>5} {:>6}  {:>6} {:>6}",
        "label", "gold", "hit", "recall", "found", "right", "prec.", "doc P", "doc R"
    );
    let row = |out: &mut String, name: &str, c: &Counts| {
        let _ = writeln!(
            out,
            "{name:width$}  {:>5} {:>5} {:>6}  {:>5} {:>5} {:>6}  {:>6} {:>6}",
            c.gold_spans,
            c.gold_spans_hit,
            pct(c.recall()),
            c.findings,
            c.findings_hit,
            pct(c.precision()),
            pct(c.document_precision()),
            pct(c.document_recall()),
        );
    };
    for (label, c) in &eval.labels {
        row(&mut out, label, c);
    }
    let micro = eval.micro();
    row(&mut out, "micro", &micro);
    let met = eval
        .labels
        .values()
        .filter(|c| c.precision().is_some_and(|p| p >= 0.6) && c.recall().is_some_and(|r| r >= 0.8))
        .count();
    let _ = writeln!(
        out,
        "\n{} documents; {met} of {} labels at precision ≥ 0.60 and recall ≥ 0.80.",
        eval.documents,
        eval.labels.len()
    );
    if micro.gold_spans_unlocated > 0 {
        let _ = writeln!(
            out,
            "note: {} gold spans were not found word for word in the extracted text and count as missed.",
            micro.gold_spans_unlocated
        );
    }
    if !eval.unmapped.is_empty() {
        let _ = writeln!(out, "note: not scored, no rules mapped: {}", eval.unmapped.join(", "));
    }
    for (file, m) in misses {
        let kind = match m.kind {
            MissKind::WrongFinding => "wrong",
            MissKind::MissedClause => "missed",
        };
        let _ = writeln!(out, "\n{kind} · {} · {file}\n  {}", m.label, m.text);
    }
    for f in &eval.missing {
        let _ = writeln!(out, "warning: {f}: not found in the corpus folder; not scored");
    }
    for (f, why) in &eval.unread {
        let _ = writeln!(out, "warning: {f}: {why}; not scored");
    }
    out
}

#[derive(Serialize)]
struct JsonEval<'a> {
    schema: &'static str,
    documents: usize,
    labels: Vec<JsonLabel<'a>>,
    micro: JsonLabel<'a>,
    missing: &'a [String],
    unread: Vec<JsonUnread<'a>>,
    unmapped: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    misses: Vec<JsonMiss<'a>>,
}

#[derive(Serialize)]
struct JsonMiss<'a> {
    file: &'a str,
    #[serde(flatten)]
    miss: &'a redflag::eval::Miss,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    label: &'a str,
    #[serde(flatten)]
    counts: Counts,
    precision: Option<f64>,
    recall: Option<f64>,
    document_precision: Option<f64>,
    document_recall: Option<f64>,
}

#[derive(Serialize)]
struct JsonUnread<'a> {
    file: &'a str,
    error: &'a str,
}

impl<'a> JsonLabel<'a> {
    fn new(label: &'a str, counts: Counts) -> JsonLabel<'a> {
        JsonLabel {
            label,
            counts,
            precision: counts.precision(),
            recall: counts.recall(),
            document_precision: counts.document_precision(),
            document_recall: counts.document_recall(),
        }
    }
}

fn json(eval: &Evaluation, misses: &[&(String, redflag::eval::Miss)]) -> String {
    let wire = JsonEval {
        schema: "redflag.eval/1",
        documents: eval.documents,
        labels: eval.labels.iter().map(|(l, c)| JsonLabel::new(l, *c)).collect(),
        micro: JsonLabel::new("micro", eval.micro()),
        missing: &eval.missing,
        unread: eval.unread.iter().map(|(file, error)| JsonUnread { file, error }).collect(),
        unmapped: &eval.unmapped,
        misses: misses.iter().map(|(file, miss)| JsonMiss { file, miss }).collect(),
    };
    let mut s = serde_json::to_string_pretty(&wire).unwrap_or_default();
    s.push('\n');
    s
}

/// Without `--pack` (or packs in the config, or `--no-default-rules`), the
/// built-in pack whose rules the label map names most: the CUAD map points at
/// the commercial pack, and scoring it with the payer pack reported a recall
/// of 0.05 without a word. Said on stderr.
fn with_mapped_pack(
    selection: &super::args::RuleSelection,
    map: &LabelMap,
) -> Result<super::args::RuleSelection, CliError> {
    use redflag::rules::{builtin, load_sources};
    let config = super::load_config(selection)?;
    if !selection.packs.is_empty() || !config.packs.is_empty() || selection.no_default_rules {
        return Ok(selection.clone());
    }
    let named = |pack: &str| -> usize {
        let Ok(sources) = builtin::sources(&[pack]) else { return 0 };
        load_sources(&sources).map_or(0, |l| l.rules().filter(|r| map.names_rule(&r.id, &r.category)).count())
    };
    let best = builtin::pack_names().into_iter().map(|p| (named(p), p)).max();
    let mut chosen = selection.clone();
    if let Some((n, pack)) = best.filter(|(n, _)| *n > 0) {
        if pack != builtin::DEFAULT_PACK {
            eprintln!(
                "note: evaluating the `{pack}` pack: {n} of its rules answer the label map's labels (--pack to choose)"
            );
        }
        chosen.packs = vec![pack.to_string()];
    }
    Ok(chosen)
}
