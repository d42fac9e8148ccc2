//! `redflag audit`: files and folders in, one report out, in input order
//! whatever the number of threads.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::report_format::{format, format_of};
use redflag::audit::{Input, audit_input, collect_inputs, stray};
use redflag::document::DocumentResult;
use redflag::engine::Engine;
use redflag::extract::Limits;
use redflag::report::{self, Report};
use redflag::rules::Severity;

use super::args::{AuditArgs, FormatArg};

use super::{CliError, OutputFile, engine, exit, pool, print_with};

/// Above this many files a progress bar is shown (on a terminal only).
const PROGRESS_MIN_FILES: usize = 5;

pub fn run(args: AuditArgs) -> Result<ExitCode, CliError> {
    if args.show_config {
        super::print(super::show_config::render(&args)?.as_bytes())?;
        return Ok(ExitCode::from(exit::CLEAN));
    }
    let (config, engine) = engine(&args.selection, args.as_of.as_deref())?;
    let as_of = engine.as_of();
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or_default();
    let waivers = match args.waivers.as_ref().or(config.waivers.as_ref()) {
        Some(path) => Some(redflag::waivers::load(path)?),
        None => None,
    };
    let filter = Filter::new(&args.globs)?;
    let limits = super::limits(args.read, config.ocr)?;
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let paths: Vec<PathBuf> = args.paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    let mut found = if paths.is_empty() { Default::default() } else { collect_inputs(&paths)? };
    if stdin {
        let name = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("<stdin>"));
        found.inputs.insert(0, Input::Stdin(name, read_stdin(limits.max_bytes)?));
    }
    for skipped in found.skipped.iter().filter(|_| !args.quiet) {
        eprintln!("note: skipped {}: {}", report::shown_path(&skipped.path.to_string_lossy()), skipped.why);
    }
    let shown = min_severity(args.min_severity.as_deref());
    let inputs: Vec<Input> = found
        .inputs
        .into_iter()
        .filter(|i| {
            matches!(i, Input::Unlisted(..) | Input::Stdin(..))
                || args.paths.iter().any(|p| p == i.path())
                || filter.keeps(i.path())
        })
        .collect();
    if inputs.is_empty() {
        return Err(no_documents(&args));
    }
    let pool = pool(args.threads)?;
    let output = args.output.as_deref().map(OutputFile::create).transpose()?;
    let extra: Vec<(FormatArg, OutputFile)> =
        args.extra_outputs.iter().map(|(f, p)| Ok((*f, OutputFile::create(p)?))).collect::<Result<_, CliError>>()?;
    let progress = if args.quiet { indicatif::ProgressBar::hidden() } else { progress_bar(inputs.len()) };

    let whole = args.output.is_some() || waivers.is_some() || !extra.is_empty() || args.statistics;
    let outcomes = if report::streams(format(&args)) && !whole {
        stream(format(&args), &pool, &engine, &inputs, &limits, (as_of, shown), &progress)?
    } else {
        let audited = audit_all(&pool, &engine, &inputs, &limits, &progress, |i, d| (stray(i, &d), d), Ok)?;
        let (strays, docs): (Vec<_>, Vec<_>) = audited.into_iter().partition(|(s, _)| *s);
        let mut docs: Vec<DocumentResult> = docs.into_iter().map(|(_, d)| d).collect();
        if docs.is_empty() {
            for (_, d) in strays.iter().filter(|_| !args.quiet) {
                eprintln!("note: skipped {}: not a PDF, Word or text document", report::shown_path(&d.path));
            }
            return Err(no_documents(&args));
        }
        let outcome = waivers.as_ref().map(|w| redflag::waivers::apply(w, &mut docs, as_of));
        // The exit code counts every finding; --min-severity only shortens the report.
        let mut outcomes: Vec<Outcome> = docs.iter().map(Outcome::of).collect();
        outcomes.extend(strays.iter().map(|(_, d)| Outcome::stray(d)));
        for d in &mut docs {
            d.findings.retain(|f| f.severity >= shown);
        }
        if let Some(o) = outcome.as_ref().filter(|_| !args.quiet) {
            for w in &o.expired {
                eprintln!(
                    "warning: waiver for {} expired on {}; not applied",
                    w.fingerprint,
                    w.expires.map(|d| d.to_string()).unwrap_or_default()
                );
            }
            for w in &o.unused {
                eprintln!(
                    "warning: waiver for {} ({}) matched no finding",
                    w.fingerprint,
                    w.rule.as_deref().unwrap_or("any rule")
                );
            }
        }
        let report = Report { as_of, documents: &docs, rules: engine.rules(), waivers: outcome.as_ref() };
        // Streamed: a report can be several times the size of the documents.
        let format = format(&args);
        let render = |out: &mut dyn std::io::Write| report::write(format, &report, out);
        match output {
            Some(file) => file.finish(render)?,
            None => print_with(render)?,
        }
        for (format, file) in extra {
            let format = format_of(format, false, &args);
            file.finish(|out: &mut dyn std::io::Write| report::write(format, &report, out))?;
        }
        if args.statistics {
            let table = report::statistics(&report);
            if args.output.is_none() && matches!(args.format, FormatArg::Human | FormatArg::HumanNarrated) {
                super::print(format!("\n{table}").as_bytes())?;
            } else {
                eprint!("{table}");
            }
        }
        outcomes
    };
    progress.finish_and_clear();
    // What was not read is said on stderr too, whatever the format: a JSON or
    // CSV report in a file must not be the only place an unread contract shows.
    for path in outcomes.iter().filter_map(|o| o.stray.as_ref()).filter(|_| !args.quiet) {
        eprintln!("note: skipped {path}: not a PDF, Word or text document");
    }
    if outcomes.iter().all(|o| o.stray.is_some()) {
        return Err(no_documents(&args));
    }
    let on_stdout = args.output.is_none() && matches!(args.format, FormatArg::Human | FormatArg::HumanNarrated);
    if !on_stdout && !args.quiet {
        for notice in outcomes.iter().flat_map(|o| &o.notices) {
            eprintln!("{notice}");
        }
    }

    let partial = outcomes.iter().any(|o| o.unreadable || (!args.allow_partial && o.partial));
    let threshold = fail_on.threshold();
    let failing = threshold.is_some_and(|t| outcomes.iter().any(|o| o.worst.is_some_and(|w| w >= t)));
    Ok(ExitCode::from(if partial {
        exit::PARTIAL
    } else if failing {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }))
}

/// Audits every input on the pool and hands each result to `work` on the same
/// worker; `each` receives what `work` made, in input order, as soon as all
/// earlier ones are done, and what it returns is kept (in input order). Work
/// that can be done per document (rendering its report line) belongs in `work`:
/// `each` runs on one thread for the whole batch.
fn audit_all<W: Send, T>(
    pool: &rayon::ThreadPool,
    engine: &Engine,
    inputs: &[Input],
    limits: &Limits,
    progress: &indicatif::ProgressBar,
    work: impl Fn(&Input, DocumentResult) -> W + Sync,
    mut each: impl FnMut(W) -> Result<T, CliError>,
) -> Result<Vec<T>, CliError> {
    let (tx, rx) = mpsc::channel::<(usize, W)>();
    let mut pending: Vec<Option<W>> = (0..inputs.len()).map(|_| None).collect();
    let mut kept = Vec::with_capacity(inputs.len());
    let mut next = 0;
    let mut failure = None;
    let taken = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        // Each worker takes the next file in input order, so the reorder buffer
        // holds about one document per thread. (A parallel iterator splits the
        // list in halves: the second thread started at the middle, and half a
        // batch waited in memory for the first half.)
        let (taken, work) = (&taken, &work);
        scope.spawn(move || {
            pool.scope(|workers| {
                for _ in 0..pool.current_num_threads() {
                    let tx = tx.clone();
                    workers.spawn(move |_| {
                        loop {
                            let i = taken.fetch_add(1, Ordering::Relaxed);
                            let Some(input) = inputs.get(i) else { break };
                            if tx.send((i, work(input, audit_input(engine, input, limits)))).is_err() {
                                break;
                            }
                        }
                    });
                }
            });
        });
        for (i, result) in rx {
            progress.inc(1);
            pending[i] = Some(result);
            while let Some(r) = pending.get_mut(next).and_then(Option::take) {
                if failure.is_none() {
                    match each(r) {
                        Ok(t) => kept.push(t),
                        Err(e) => failure = Some(e),
                    }
                }
                next += 1;
            }
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(kept),
    }
}

/// What the exit code needs of a document, kept instead of the document once its
/// report line is written: a batch of thousands need not hold every finding.
struct Outcome {
    unreadable: bool,
    partial: bool,
    worst: Option<Severity>,
    /// "error: …" and "warning: …" lines for stderr.
    notices: Vec<String>,
    /// The path, shown, of a stray file found in a folder and left out.
    stray: Option<String>,
}

impl Outcome {
    fn of(d: &DocumentResult) -> Outcome {
        Outcome {
            unreadable: d.error.is_some(),
            partial: d.read_in_part(),
            worst: d.findings.iter().filter(|f| f.waived.is_none()).map(|f| f.severity).max(),
            notices: Outcome::notices(d),
            stray: None,
        }
    }

    /// A stray file: not in the report, named on stderr, no effect on the exit code.
    fn stray(d: &DocumentResult) -> Outcome {
        let stray = Some(report::shown_path(&d.path).into_owned());
        Outcome { unreadable: false, partial: false, worst: None, notices: Vec::new(), stray }
    }

    fn notices(d: &DocumentResult) -> Vec<String> {
        let path = report::shown_path(&d.path);
        let error = d.error.iter().map(|e| format!("error: {path}: not audited ({}): {e}", e.kind()));
        error.chain(d.warnings.iter().map(|w| format!("{}: {path}: {}", w.label(), w.message))).collect()
    }
}

/// A streaming format to standard output, one document at a time, each written
/// as soon as it (and every document before it) is done.
fn stream(
    format: report::Format,
    pool: &rayon::ThreadPool,
    engine: &Engine,
    inputs: &[Input],
    limits: &Limits,
    (as_of, shown): (jiff::civil::Date, Severity),
    progress: &indicatif::ProgressBar,
) -> Result<Vec<Outcome>, CliError> {
    let stdout = std::io::stdout();
    let mut broken = false;
    // Each line is rendered on the worker that audited its document: rendered
    // here, on the one thread that writes, it held two workers back.
    let render = |input: &Input, mut d: DocumentResult| {
        if stray(input, &d) {
            return (Outcome::stray(&d), Ok(Vec::new()));
        }
        let outcome = Outcome::of(&d);
        d.findings.retain(|f| f.severity >= shown);
        let mut line = Vec::new();
        let rendered = report::write_document(format, as_of, engine.rules().len(), &d, &mut line)
            .unwrap_or_else(|| Err(std::io::Error::other("format does not stream")))
            .map(|()| line);
        (outcome, rendered)
    };
    audit_all(pool, engine, inputs, limits, progress, render, |(outcome, rendered)| {
        if broken {
            return Ok(outcome);
        }
        let mut out = stdout.lock();
        match rendered.and_then(|line| out.write_all(&line)).and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                broken = true;
                Ok(outcome)
            }
            Err(e) => Err(CliError::Output { path: "standard output".into(), message: e.to_string() }),
            Ok(()) => Ok(outcome),
        }
    })
}

/// Nothing to audit in the paths given (an empty folder, a `--glob` that
/// keeps nothing, only stray files): a usage error, never a clean pass.
fn no_documents(args: &AuditArgs) -> CliError {
    let given: Vec<String> = args.paths.iter().map(|p| report::shown_path(&p.to_string_lossy()).into_owned()).collect();
    redflag::audit::InputError::NoDocuments(given.join(", ")).into()
}

/// `--min-severity`: the lowest severity the report shows (all by default).
fn min_severity(name: Option<&str>) -> Severity {
    Severity::ALL.into_iter().find(|s| Some(s.name()) == name).unwrap_or(Severity::Info)
}

fn progress_bar(files: usize) -> indicatif::ProgressBar {
    if files <= PROGRESS_MIN_FILES || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} contracts {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// `--glob` filters for files found in folders: `PATTERN` includes, `!PATTERN` excludes.
struct Filter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Filter {
    fn new(globs: &[String]) -> Result<Filter, CliError> {
        let mut include = GlobSetBuilder::new();
        let mut exclude = GlobSetBuilder::new();
        let mut any_include = false;
        for g in globs {
            let (pattern, negated) = g.strip_prefix('!').map_or((g.as_str(), false), |p| (p, true));
            let glob = Glob::new(pattern)
                .map_err(|e| CliError::Usage(format!("--glob {g:?} is not a valid glob: {e}"), None))?;
            if negated {
                exclude.add(glob);
            } else {
                any_include = true;
                include.add(glob);
            }
        }
        let build = |b: GlobSetBuilder| b.build().map_err(|e| CliError::Usage(format!("--glob: {e}"), None));
        Ok(Filter { include: if any_include { Some(build(include)?) } else { None }, exclude: build(exclude)? })
    }

    /// Globs match the file name or the whole path, as users expect of `*.pdf`.
    fn keeps(&self, path: &std::path::Path) -> bool {
        let name = path.file_name().map(std::path::Path::new).unwrap_or(path);
        let hit = |set: &GlobSet| set.is_match(path) || set.is_match(name);
        self.include.as_ref().is_none_or(hit) && !hit(&self.exclude)
    }
}

/// Standard input, read up to one byte past the size limit (the extractor then
/// names the file as too large).
fn read_stdin(limit: u64) -> Result<std::sync::Arc<[u8]>, CliError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Usage(format!("cannot read standard input: {e}"), None))?;
    Ok(bytes.into())
}
