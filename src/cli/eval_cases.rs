//! `redflag eval --cases FILE`: a pack scored on labelled excerpts, per
//! category, as a table or JSON, with the cases it got wrong on `--misses`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use redflag::eval::{CaseCounts, CaseScore, load_cases, score_cases};
use serde::Serialize;

use super::args::{EvalArgs, ListFormat};
use super::{CliError, engine, exit, pool, print};

pub fn run(path: &Path, args: &EvalArgs) -> Result<ExitCode, CliError> {
    let cases = load_cases(path)?;
    let (_, engine) = engine(&args.selection, args.as_of.as_deref())?;
    let score = pool(args.threads)?.install(|| score_cases(&engine, &cases));
    let shown = |category: &str| args.misses.as_deref().is_some_and(|m| m.is_empty() || m == category);
    let out = match args.format {
        ListFormat::Table => table(&score, &shown),
        ListFormat::Json => json(&score, &shown),
    };
    print(out.as_bytes())?;
    Ok(ExitCode::from(exit::CLEAN))
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |v| format!("{v:.2}"))
}

fn table(score: &CaseScore, shown: &dyn Fn(&str) -> bool) -> String {
    let width = score.categories.keys().map(String::len).max().unwrap_or(8).max(8);
    let mut out = format!(
        "{:width$}  {:>9} {:>6}  {:>9} {:>6}  {:>6}  {:>7}\n",
        "category", "flags", "recall", "clean", "false", "prec.", "facts"
    );
    let row = |out: &mut String, name: &str, c: &CaseCounts| {
        let _ = writeln!(
            out,
            "{name:width$}  {:>9} {:>6}  {:>9} {:>6}  {:>6}  {:>7}",
            format!("{}/{}", c.flagged, c.flagged + c.missed),
            pct(c.recall()),
            format!("{}/{}", c.clean, c.clean + c.false_flags),
            pct(c.false_flag_rate()),
            pct(c.precision()),
            format!("{}/{}", c.facts_right, c.facts_expected),
        );
    };
    for (name, c) in &score.categories {
        row(&mut out, name, c);
    }
    row(&mut out, "all", &score.total());
    let t = score.total();
    let _ = writeln!(
        out,
        "\nrecall {}, clean false-flag rate {}, precision {}, facts right {}/{}",
        pct(t.recall()),
        pct(t.false_flag_rate()),
        pct(t.precision()),
        t.facts_right,
        t.facts_expected
    );
    for m in score.misses.iter().filter(|m| shown(&m.category)) {
        let _ = writeln!(out, "{:11} {} [{}] {}", m.kind, m.id, m.category, m.detail);
    }
    out
}

#[derive(Serialize)]
struct Row<'a> {
    category: &'a str,
    #[serde(flatten)]
    counts: CaseCounts,
    recall: Option<f64>,
    false_flag_rate: Option<f64>,
    precision: Option<f64>,
}

fn json(score: &CaseScore, shown: &dyn Fn(&str) -> bool) -> String {
    let row = |category, counts: CaseCounts| Row {
        category,
        counts,
        recall: counts.recall(),
        false_flag_rate: counts.false_flag_rate(),
        precision: counts.precision(),
    };
    let value = serde_json::json!({
        "schema": "redflag.cases/1",
        "categories": score.categories.iter().map(|(c, n)| row(c, *n)).collect::<Vec<_>>(),
        "all": row("all", score.total()),
        "misses": score.misses.iter().filter(|m| shown(&m.category)).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
