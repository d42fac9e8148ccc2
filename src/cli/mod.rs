//! The binary's side of things: turn arguments into library calls, render, and
//! choose the exit code. Errors are rendered once, in `main`.

pub mod args;
mod audit;
mod eval;
mod eval_cases;
mod extract;
mod man;
mod report_format;
mod rules;
mod show_config;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use miette::Diagnostic;
use redflag::config::{self, Config, ConfigError};
use redflag::rules::select::{self, SelectionError, Setting};
use redflag::rules::{LoadError, Loaded, Rule, Source, builtin, load_sources, read_path};

use args::{Cli, Command, RuleSelection};

/// Exit codes, as pinned: 0 clean, 1 findings at or above --fail-on,
/// 2 usage/configuration/rule errors, 3 input not read in full.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const PARTIAL: u8 = 3;
}

/// A problem that stops the command before or instead of its work.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum CliError {
    #[error("{0}")]
    #[diagnostic(code(usage))]
    Usage(String, #[help] Option<String>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rules(#[from] LoadError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(#[from] redflag::audit::InputError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Selection(#[from] SelectionError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Gold(#[from] redflag::eval::GoldError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Map(#[from] redflag::eval::MapError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Cases(#[from] redflag::eval::CasesError),
    #[error("cannot write {path}: {message}")]
    #[diagnostic(code(output))]
    Output { path: String, message: String },
}

pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Audit(a) => audit::run(a),
        Command::Rules(r) => rules::run(r),
        Command::Extract(e) => extract::run(e),
        Command::Eval(e) => eval::run(e),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "redflag", &mut out);
            print(&out)?;
            Ok(ExitCode::from(exit::CLEAN))
        }
        Command::Man { command, dir } => man::run(command.as_deref(), dir.as_deref()),
    }
}

/// The limits and readers for `--pdf-backend` and `--ocr` (or `ocr:` in the
/// configuration); asking for `pdftotext`, or for OCR of every page, when the
/// program is not installed is a usage error, before any file is read.
fn limits(
    read: args::ReadArgs,
    configured: Option<redflag::extract::OcrMode>,
) -> Result<redflag::extract::Limits, CliError> {
    use redflag::extract::{Limits, OcrMode, PdfBackend, ocr, pdftotext};
    if read.pdf_backend == PdfBackend::Pdftotext && !pdftotext::available() {
        return Err(CliError::Usage(
            "--pdf-backend pdftotext: pdftotext is not installed".into(),
            Some("install poppler-utils, or use --pdf-backend auto".into()),
        ));
    }
    let mode = read.ocr.or(configured).unwrap_or_default();
    if mode != OcrMode::Never {
        remove_pending_on_signal();
    }
    // Looked for only when asked for: starting tesseract costs ~50 ms.
    if mode == OcrMode::Always
        && let Some(missing) = ocr::missing()
    {
        return Err(CliError::Usage(format!("--ocr always: {missing}"), Some(ocr::INSTALL_HINT.into())));
    }
    Ok(Limits {
        pdf_backend: read.pdf_backend,
        ocr: mode,
        ocr_timeout: std::time::Duration::from_secs(read.ocr_timeout),
        ..Limits::default()
    })
}

/// Parses `--as-of`, or today's date.
fn as_of(arg: Option<&str>) -> Result<jiff::civil::Date, CliError> {
    match arg {
        None => Ok(jiff::Zoned::now().date()),
        Some(s) => s.parse().map_err(|e| {
            CliError::Usage(
                format!("--as-of {s:?} is not a date: {e}"),
                Some("write it as YYYY-MM-DD, e.g. 2026-01-15".into()),
            )
        }),
    }
}

/// `--config FILE`, else the nearest `redflag.yaml` or `redflag.yml` in the
/// current folder or a parent (not with `--no-config`), else defaults.
fn load_config(sel: &RuleSelection) -> Result<Config, CliError> {
    match &sel.config {
        _ if sel.no_config => Ok(Config::default()),
        Some(path) => Ok(Config::load(path)?),
        None => {
            let here = std::env::current_dir().unwrap_or_else(|_| Path::new(".").to_path_buf());
            match config::discover(&here) {
                Some(found) => Ok(Config::load(&found)?),
                None => Ok(Config::default()),
            }
        }
    }
}

/// The configuration, and the engine of the selected rules as of `--as-of`
/// (else the config's date, else today): what `audit` and `eval` share.
fn engine(sel: &RuleSelection, as_of_flag: Option<&str>) -> Result<(Config, redflag::engine::Engine), CliError> {
    let config = load_config(sel)?;
    let date = match (as_of_flag, config.as_of) {
        (None, Some(date)) => date,
        (flag, _) => as_of(flag)?,
    };
    let (_, rules) = load_rules(sel, &config)?;
    Ok((config, redflag::engine::Engine::new(rules, date)))
}

/// The worker threads (`--threads`, else one per core).
fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, CliError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start {threads:?} threads: {e}"), None))
}

/// The rules to run: built-in packs (`--pack`, else the config's, else `payer`)
/// and `--rules` files, then `--select`/`--exclude` and the config's overrides.
fn load_rules(sel: &RuleSelection, config: &Config) -> Result<(Loaded, Vec<Rule>), CliError> {
    let mut sources: Vec<Source> = Vec::new();
    if !sel.no_default_rules {
        let named = if sel.packs.is_empty() { &config.packs } else { &sel.packs };
        let packs: Vec<&str> =
            if named.is_empty() { vec![builtin::DEFAULT_PACK] } else { named.iter().map(String::as_str).collect() };
        sources = builtin::sources(&packs).map_err(|unknown| {
            let mut names: Vec<String> = builtin::pack_names().iter().map(|n| n.to_string()).collect();
            names.push("all".into());
            let first = unknown.first().map(String::as_str).unwrap_or_default();
            CliError::Usage(
                format!("unknown pack: {}", unknown.join(", ")),
                Some(redflag::yaml::did_you_mean(first, &names, "built-in packs")),
            )
        })?;
    }
    for path in config.rules.iter().chain(&sel.rules) {
        sources.extend(read_path(path)?);
    }
    let loaded = load_sources(&sources)?;
    let select: Vec<String> = config.select.iter().chain(&sel.select).cloned().collect();
    let exclude: Vec<String> = config.exclude.iter().chain(&sel.exclude).cloned().collect();
    let overrides: Vec<(String, Setting)> = config.overrides.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let rules = select::apply(loaded.rules().cloned().collect(), &select, &exclude, &overrides)?;
    Ok((loaded, rules))
}

/// Renders a diagnostic to stderr: boxed layout, colour only on a terminal.
pub fn eprint_diagnostic(diag: &dyn Diagnostic) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
    let mut out = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    if handler.render_report(&mut out, &redflag::report::window::Windowed::new(diag)).is_err() {
        out = format!("error: {diag}\n");
    }
    let _ = std::io::stderr().write_all(out.as_bytes());
}

/// Temporary report files to remove if the run is interrupted (Ctrl-C,
/// SIGTERM, SIGHUP): a killed run leaves neither half a report nor its
/// temporary file, nor the copy of a document OCR renders pages from.
static PENDING: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

fn remove_pending_on_signal() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Without a handler the default action kills the process as before.
        let _ = ctrlc::set_handler(|| {
            if let Ok(pending) = PENDING.lock() {
                for path in pending.iter() {
                    let _ = std::fs::remove_file(path);
                }
            }
            redflag::extract::ocr::remove_page_folders();
            std::process::exit(130);
        });
    });
}

/// A report file being written: a temporary file beside `path` (private,
/// created new, removed on error or interruption) renamed into place when
/// whole, so an interrupted run never leaves half a report. Made before the
/// audit starts, so an unwritable `--output` fails before any work.
pub(crate) struct OutputFile {
    tmp: tempfile::NamedTempFile,
    path: std::path::PathBuf,
}

impl OutputFile {
    pub(crate) fn create(path: &Path) -> Result<OutputFile, CliError> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report".into());
        remove_pending_on_signal();
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| CliError::Output { path: path.display().to_string(), message: e.to_string() })?;
        if let Ok(mut pending) = PENDING.lock() {
            pending.push(tmp.path().to_path_buf());
        }
        Ok(OutputFile { tmp, path: path.to_path_buf() })
    }

    /// Streams what `write` produces into the file and puts it in place.
    pub(crate) fn finish(self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), CliError> {
        let registered = self.tmp.path().to_path_buf();
        let path = self.path.clone();
        let fail = |e: std::io::Error| CliError::Output { path: path.display().to_string(), message: e.to_string() };
        let mut out = std::io::BufWriter::new(self.tmp);
        let result = write(&mut out)
            .and_then(|()| out.flush())
            .and_then(|()| out.into_inner().map_err(std::io::IntoInnerError::into_error))
            .and_then(|tmp| tmp.persist(&path).map(drop).map_err(|e| e.error));
        if let Ok(mut pending) = PENDING.lock() {
            pending.retain(|p| *p != registered);
        }
        result.map_err(fail)
    }
}

/// Streams what `write` produces to stdout; a closed pipe (`redflag ... | head`)
/// is not an error.
fn print_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), CliError> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Output { path: "standard output".into(), message: e.to_string() })
        }
        _ => Ok(()),
    }
}

/// Writes to stdout; a closed pipe (`redflag ... | head`) is not an error.
fn print(bytes: &[u8]) -> Result<(), CliError> {
    print_with(|out| out.write_all(bytes))
}
