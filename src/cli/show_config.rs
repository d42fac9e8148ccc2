//! `redflag audit --show-config`: the settings an audit would run with and
//! where each came from (the command line, which configuration file, or the
//! default), as `ruff check --show-settings` does.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use redflag::config::{self, Config};

use super::CliError;
use super::args::AuditArgs;

/// The configuration file an audit reads, if any.
fn config_path(args: &AuditArgs) -> Option<PathBuf> {
    let sel = &args.selection;
    if sel.no_config {
        return None;
    }
    sel.config.clone().or_else(|| config::discover(&std::env::current_dir().unwrap_or_else(|_| ".".into())))
}

/// One line: `name = value  # source`.
fn line(out: &mut String, name: &str, value: &str, source: &str) {
    let _ = writeln!(out, "{name:<14} = {value:<40} # {source}");
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

fn paths(items: &[PathBuf]) -> Vec<String> {
    items.iter().map(|p| p.display().to_string()).collect()
}

/// The merged settings, one per line, and the number of rules they run.
pub fn render(args: &AuditArgs) -> Result<String, CliError> {
    let path = config_path(args);
    let config = match &path {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    let file = path.as_deref().map_or_else(|| "none".to_string(), |p: &Path| p.display().to_string());
    let cli = "command line";
    let sel = &args.selection;
    let mut out = String::new();
    let found = if sel.config.is_some() {
        "--config"
    } else if sel.no_config {
        "--no-config"
    } else if path.is_some() {
        "nearest to the current folder"
    } else {
        "no redflag.yaml here or in a parent"
    };
    line(&mut out, "config", &file, found);
    let (as_of, from) = match (&args.as_of, config.as_of) {
        (Some(d), _) => (d.clone(), cli),
        (None, Some(d)) => (d.to_string(), file.as_str()),
        (None, None) => ("today".to_string(), "default"),
    };
    line(&mut out, "as_of", &as_of, from);
    let fail_on = |f: config::FailOn| format!("{f:?}").to_lowercase();
    let (value, from) = match (args.fail_on, config.fail_on) {
        (Some(f), _) => (fail_on(f), cli),
        (None, Some(f)) => (fail_on(f), file.as_str()),
        (None, None) => ("low".to_string(), "default"),
    };
    line(&mut out, "fail_on", &value, from);
    let (value, from) = if sel.no_default_rules {
        ("none".to_string(), "--no-default-rules")
    } else if !sel.packs.is_empty() {
        (list(&sel.packs), cli)
    } else if !config.packs.is_empty() {
        (list(&config.packs), file.as_str())
    } else {
        (list(&[redflag::rules::builtin::DEFAULT_PACK.to_string()]), "default")
    };
    line(&mut out, "packs", &value, from);
    for (name, from_file, from_cli) in [
        ("rules", paths(&config.rules), paths(&sel.rules)),
        ("select", config.select.clone(), sel.select.clone()),
        ("exclude", config.exclude.clone(), sel.exclude.clone()),
    ] {
        match (from_file.is_empty(), from_cli.is_empty()) {
            (true, true) => line(&mut out, name, "[]", "default"),
            (false, true) => line(&mut out, name, &list(&from_file), &file),
            (true, false) => line(&mut out, name, &list(&from_cli), cli),
            (false, false) => {
                line(&mut out, name, &list(&from_file), &file);
                line(&mut out, name, &format!("+ {}", list(&from_cli)), cli);
            }
        }
    }
    let overrides: Vec<String> = config.overrides.iter().map(|(k, v)| format!("{k}: {v:?}").to_lowercase()).collect();
    line(&mut out, "overrides", &list(&overrides), if overrides.is_empty() { "default" } else { &file });
    let (value, from) = match (&args.waivers, &config.waivers) {
        (Some(w), _) => (w.display().to_string(), cli),
        (None, Some(w)) => (w.display().to_string(), file.as_str()),
        (None, None) => ("none".to_string(), "default"),
    };
    line(&mut out, "waivers", &value, from);
    let backend = format!("{:?}", args.read.pdf_backend).to_lowercase();
    line(&mut out, "pdf_backend", &backend, "command line or default");
    let (mode, from) = match (args.read.ocr, config.ocr) {
        (Some(m), _) => (m, cli),
        (None, Some(m)) => (m, file.as_str()),
        (None, None) => (redflag::extract::OcrMode::default(), "default"),
    };
    line(&mut out, "ocr", &format!("{mode:?}").to_lowercase(), from);
    let (_, rules) = super::load_rules(sel, &config)?;
    let _ = writeln!(out, "\n{} would run", redflag::report::count(rules.len(), "rule"));
    Ok(out)
}
