//! The command line, as pinned in the design: `audit`, `rules`, `extract`.

use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use redflag::config::FailOn;
use redflag::extract::{OcrMode, PdfBackend};

#[derive(Debug, Parser)]
#[command(name = "redflag", version, about = "Find the red flags in a healthcare payer contract before you sign it.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit contracts (files or folders) against rule packs.
    Audit(AuditArgs),
    /// List, explain, validate and test rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Score rules against documents someone already labelled (span and document precision/recall).
    Eval(EvalArgs),
    /// Print a document's normalized text (the text finding spans point into), or its outline.
    Extract(ExtractArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff): redflag's, or one command's, with exit
    /// status, files and environment.
    Man {
        /// The command whose page to print (audit, rules, eval, extract, …).
        command: Option<String>,
        /// Write every page (redflag.1, redflag-audit.1, …) into DIR instead.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args, Clone)]
pub struct RuleSelection {
    /// Extra rule file or folder of rule files; repeatable.
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in packs.
    #[arg(long)]
    pub no_default_rules: bool,
    /// Built-in pack(s) to use: payer (default), commercial, or `all`; repeatable.
    #[arg(long = "pack", value_name = "NAME")]
    pub packs: Vec<String>,
    /// Only rules whose id or category matches this glob; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub select: Vec<String>,
    /// Drop rules whose id or category matches this glob; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Configuration file (default: the nearest redflag.yaml or redflag.yml in
    /// the current folder or a parent).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any redflag.yaml: only the command line counts.
    #[arg(long)]
    pub no_config: bool,
}

/// How files are read.
#[derive(Debug, Args, Clone, Copy)]
pub struct ReadArgs {
    /// PDF reader: auto (built-in, with pdftotext re-reading what it missed when installed), builtin, pdftotext.
    #[arg(long, value_name = "READER", default_value = "auto", value_parser = clap::builder::PossibleValuesParser::new(PdfBackend::NAMES).map(|s| s.parse::<PdfBackend>().unwrap_or_default()))]
    pub pdf_backend: PdfBackend,
    /// OCR with tesseract: auto (pages without a text layer, stamped scans and
    /// garbled pages, when tesseract is installed), always (every page), never
    /// [default: auto, or `ocr:` in redflag.yaml].
    #[arg(long, value_name = "MODE", value_parser = clap::builder::PossibleValuesParser::new(OcrMode::NAMES).map(|s| s.parse::<OcrMode>().unwrap_or_default()))]
    pub ocr: Option<OcrMode>,
    /// Seconds allowed to render and read one page by OCR; a page over it is
    /// named in the report.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub ocr_timeout: u64,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Contract files or folders (searched recursively); `-` reads one
    /// document from standard input.
    #[arg(required_unless_present = "show_config", value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// The name a document read from standard input (`-`) is reported by,
    /// and matched by waivers (default: `<stdin>`).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Print the settings the audit would run with, and where each came from
    /// (command line, configuration file, default); audit nothing.
    #[arg(long)]
    pub show_config: bool,
    #[command(flatten)]
    pub selection: RuleSelection,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Write the report to FILE instead of standard output (atomically).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The report only: no notes on skipped files, waivers or unread pages on
    /// standard error, no progress bar (errors still print).
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Leave findings below LEVEL (critical, high, medium, low, info) out of the
    /// report; the exit code still counts them (see --fail-on).
    #[arg(long, value_name = "LEVEL", value_parser = clap::builder::PossibleValuesParser::new(["critical", "high", "medium", "low", "info"]))]
    pub min_severity: Option<String>,
    /// Exit 1 when a finding at or above this severity is reported [default: low].
    #[arg(long, value_name = "SEVERITY", value_parser = clap::builder::PossibleValuesParser::new(FailOn::NAMES).map(|s| s.parse::<FailOn>().unwrap_or_default()))]
    pub fail_on: Option<FailOn>,
    /// Waiver file: findings accepted by fingerprint, kept outside the contract.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// The date "outdated" is measured from (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Pages without text are warnings, not exit code 3.
    #[arg(long)]
    pub allow_partial: bool,
    /// Also write the report in FORMAT to FILE (e.g. `sarif=results.sarif`),
    /// beside the main one; repeatable.
    #[arg(long = "output-format", value_name = "FORMAT=FILE", value_parser = extra_output)]
    pub extra_outputs: Vec<(FormatArg, PathBuf)>,
    /// Print how many findings each rule made, most first (after the human
    /// report; on standard error with other formats).
    #[arg(long)]
    pub statistics: bool,
    /// CSV: start with a UTF-8 byte-order mark, so Excel opens the file as
    /// UTF-8 (without it, Excel shows "▸" as "â–¸"); other programs do not need it.
    #[arg(long)]
    pub csv_bom: bool,
    /// When to use colour in human output: auto is a terminal without
    /// NO_COLOR set and with a TERM other than dumb.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Include (GLOB) or exclude (!GLOB) files found in folders; repeatable.
    #[arg(long = "glob", value_name = "GLOB", allow_hyphen_values = true)]
    pub globs: Vec<String>,
    /// Threads (default: one per core): documents are audited at once, and a long
    /// document's clauses are spread over them. `--threads 1` uses the least memory.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// The terminal layout (boxes and a gutter; colour only on a terminal).
    Human,
    /// The same findings as plain narrated text, for screen readers.
    HumanNarrated,
    Json,
    Jsonl,
    Sarif,
    Markdown,
    Html,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules: id, severity, category, title.
    List {
        #[command(flatten)]
        selection: RuleSelection,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Everything about one rule: what it flags, why, what to ask for, examples.
    Explain {
        /// Rule id, e.g. recoupment.lookback-too-long
        id: String,
        #[command(flatten)]
        selection: RuleSelection,
    },
    /// Check rule files and report every problem, located in the YAML.
    Validate {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of rule files (for editor completion and checking).
    Schema,
    /// Run rules' flag/pass examples (the built-in packs when no path is given).
    Test {
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// The date examples are judged as of (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The labelled documents: a folder holding the files the gold file names.
    #[arg(value_name = "CORPUS_DIR", required_unless_present = "cases")]
    pub corpus: Option<PathBuf>,
    /// Gold labels, one JSON object per line (the CUAD `labels.jsonl` format).
    #[arg(long, value_name = "LABELS.jsonl", required_unless_present = "cases", conflicts_with = "cases")]
    pub gold: Option<PathBuf>,
    /// Labelled excerpts instead of documents: a JSON or YAML list of
    /// `{id, category, expect: flag|clean, text, facts?}`; prints recall, the
    /// clean false-flag rate, precision and facts read, per category.
    #[arg(long, value_name = "CASES.json")]
    pub cases: Option<PathBuf>,
    /// Label map (YAML, `label: [rule patterns]`); default: CUAD labels to the commercial pack.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Also list each wrong finding and each missed gold clause (optionally of one label or category).
    #[arg(long, value_name = "LABEL", num_args = 0..=1, default_missing_value = "")]
    pub misses: Option<String>,
    #[command(flatten)]
    pub selection: RuleSelection,
    #[command(flatten)]
    pub read: ReadArgs,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// The date "outdated" is measured from (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Threads (default: one per core): documents are audited at once, and a long
    /// document's clauses are spread over them. `--threads 1` uses the least memory.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    pub file: PathBuf,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Print the section outline (with pages and lines) instead of the text.
    #[arg(long)]
    pub outline: bool,
    /// Text and outline as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print the parties the document names (payer, provider, third parties),
    /// each with the text it was read from, and whom "you" addresses.
    #[arg(long)]
    pub parties: bool,
}

/// `FORMAT=FILE` of `--output-format`.
fn extra_output(s: &str) -> Result<(FormatArg, PathBuf), String> {
    let (format, file) =
        s.split_once('=').ok_or_else(|| format!("`{s}` is not FORMAT=FILE (e.g. sarif=report.sarif)"))?;
    let format = FormatArg::from_str(format, true).map_err(|_| {
        let names: Vec<String> = FormatArg::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        format!("unknown format `{format}` (one of {})", names.join(", "))
    })?;
    if file.is_empty() {
        return Err(format!("`{s}` names no file"));
    }
    Ok((format, PathBuf::from(file)))
}
