//! `redflag audit`

use std::io::IsTerminal;
use std::process::ExitCode;

use redflag::audit::{audit_file, collect_inputs};
use redflag::engine::Engine;
use redflag::extract::Limits;
use redflag::report::{HumanOptions, Report, write_human, write_json};
use redflag::rules::Severity;

use super::args::{AuditArgs, Color, FailOn, Format};
use super::{CliError, as_of, exit, load_rules, print, write_atomic};

pub fn run(args: AuditArgs) -> Result<ExitCode, CliError> {
    if !matches!(args.format, Format::Human | Format::Json) {
        return Err(CliError::Usage(
            format!("--format {} is not available in this version", format!("{:?}", args.format).to_lowercase()),
            Some("use --format human or --format json".into()),
        ));
    }
    let as_of = as_of(args.as_of.as_deref())?;
    let loaded = load_rules(&args.selection)?;
    let inputs = collect_inputs(&args.paths)?;
    let engine = Engine::new(loaded.rules().cloned().collect(), as_of);
    let limits = Limits::default();
    let documents: Vec<_> = inputs.iter().map(|p| audit_file(&engine, p, &limits)).collect();
    let report = Report { as_of, documents: &documents, rules: engine.rules() };

    let mut out = Vec::new();
    let written = match args.format {
        Format::Json => write_json(&report, &mut out),
        _ => {
            let terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let no_color = std::env::var_os("NO_COLOR").is_some();
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => terminal && !no_color,
            };
            let opts = HumanOptions { graphical: color || (terminal && !no_color), color, width: terminal_width() };
            write_human(&report, opts, &mut out)
        }
    };
    written.map_err(|e| CliError::Output { path: "report".into(), message: e.to_string() })?;
    match &args.output {
        Some(path) => write_atomic(path, &out)?,
        None => print(&out)?,
    }

    let partial = documents.iter().any(|d| d.error.is_some() || (!args.allow_partial && !d.warnings.is_empty()));
    let threshold = match args.fail_on {
        FailOn::Critical => Some(Severity::Critical),
        FailOn::High => Some(Severity::High),
        FailOn::Medium => Some(Severity::Medium),
        FailOn::Low => Some(Severity::Low),
        FailOn::Never => None,
    };
    let failing = threshold.is_some_and(|t| documents.iter().flat_map(|d| &d.findings).any(|f| f.severity >= t));
    Ok(ExitCode::from(if partial {
        exit::PARTIAL
    } else if failing {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }))
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(100).clamp(60, 200)
}
