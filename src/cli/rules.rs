//! `redflag rules list | explain | validate | test`

use redflag::report::count;
use std::fmt::Write as _;
use std::process::ExitCode;

use redflag::engine::examples::{Expect, run_examples};
use redflag::rules::{LoadError, Rule, Source, builtin, load_sources, read_path};

use super::args::{ListFormat, RuleSelection, RulesCommand};
use super::{CliError, as_of, eprint_diagnostic, exit, load_config, load_rules, print};

pub fn run(cmd: RulesCommand) -> Result<ExitCode, CliError> {
    match cmd {
        RulesCommand::List { selection, format } => list(&selection, format),
        RulesCommand::Explain { id, selection } => explain(&id, &selection),
        RulesCommand::Validate { paths } => validate(&paths),
        RulesCommand::Schema => {
            print(redflag::rules::schema::json_schema().as_bytes())?;
            Ok(ExitCode::from(exit::CLEAN))
        }
        RulesCommand::Test { paths, format, as_of: date } => test(&paths, format, date.as_deref()),
    }
}

fn list(selection: &RuleSelection, format: ListFormat) -> Result<ExitCode, CliError> {
    let config = load_config(selection)?;
    let (_, selected) = load_rules(selection, &config)?;
    let rules: Vec<&Rule> = selected.iter().collect();
    let out = match format {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "title": r.title, "category": r.category, "severity": r.severity,
                        "scope": r.scope, "origin": &*r.origin,
                    })
                })
                .collect();
            format!("{}\n", serde_json::to_string_pretty(&items).unwrap_or_default())
        }
        ListFormat::Table => {
            let w = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
            let c = rules.iter().map(|r| r.category.len()).max().unwrap_or(8).max(8);
            let mut s = format!("{:w$}  {:8}  {:c$}  TITLE\n", "ID", "SEVERITY", "CATEGORY");
            for r in &rules {
                let _ = writeln!(s, "{:w$}  {:8}  {:c$}  {}", r.id, r.severity.name(), r.category, r.title);
            }
            let _ = writeln!(s, "{} rules", rules.len());
            s
        }
    };
    print(out.as_bytes())?;
    Ok(ExitCode::from(exit::CLEAN))
}

fn explain(id: &str, selection: &RuleSelection) -> Result<ExitCode, CliError> {
    let config = load_config(selection)?;
    let (loaded, _) = load_rules(selection, &config)?;
    let Some(rule) = loaded.rules().find(|r| r.id == id) else {
        let ids: Vec<&str> = loaded.rules().map(|r| r.id.as_str()).collect();
        let close = ids.iter().max_by(|a, b| strsim::jaro_winkler(a, id).total_cmp(&strsim::jaro_winkler(b, id)));
        return Err(CliError::Usage(
            format!("no rule with id `{id}`"),
            Some(match close {
                Some(c) => format!("did you mean `{c}`? `redflag rules list` shows every rule"),
                None => "`redflag rules list` shows every rule".into(),
            }),
        ));
    };
    print(explanation(rule).as_bytes())?;
    Ok(ExitCode::from(exit::CLEAN))
}

/// The rule's documentation as plain text.
pub fn explanation(rule: &Rule) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} — {}", rule.id, rule.title);
    let _ = writeln!(s, "severity: {} · category: {} · scope: {:?}", rule.severity, rule.category, rule.scope);
    let _ = writeln!(s, "source: {}", rule.origin);
    let section = |s: &mut String, head: &str, body: &Option<String>| {
        if let Some(b) = body {
            let _ = writeln!(s, "\n{head}\n{}", indent(b.trim()));
        }
    };
    section(&mut s, "Why it matters", &rule.doc.rationale);
    section(&mut s, "What to ask for", &rule.doc.recommendation);
    let ex = &rule.doc.examples;
    if !ex.flag.is_empty() {
        let _ = writeln!(s, "\nFlagged, for example");
        for e in &ex.flag {
            let _ = writeln!(s, "  ✗ {}", e.trim());
        }
    }
    if !ex.pass.is_empty() {
        let _ = writeln!(s, "\nNot flagged, for example");
        for e in &ex.pass {
            let _ = writeln!(s, "  ✓ {}", e.trim());
        }
    }
    if !rule.doc.references.is_empty() {
        let _ = writeln!(s, "\nReferences");
        for r in &rule.doc.references {
            let _ = writeln!(s, "  - {r}");
        }
    }
    s
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}

fn validate(paths: &[std::path::PathBuf]) -> Result<ExitCode, CliError> {
    let mut sources: Vec<Source> = Vec::new();
    for p in paths {
        sources.extend(read_path(p)?);
    }
    match load_sources(&sources) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprint_diagnostic(w);
            }
            let n = loaded.rules().count();
            let (rules, files) = (count(n, "rule"), count(sources.len(), "file"));
            print(format!("{rules} in {files}: valid\n").as_bytes())?;
            Ok(ExitCode::from(exit::CLEAN))
        }
        Err(e @ LoadError::Invalid(_)) => {
            eprint_diagnostic(&e);
            Ok(ExitCode::from(exit::USAGE))
        }
        Err(e) => Err(e.into()),
    }
}

fn test(paths: &[std::path::PathBuf], format: ListFormat, date: Option<&str>) -> Result<ExitCode, CliError> {
    let as_of = as_of(date)?;
    let sources = if paths.is_empty() {
        builtin::sources(&["all"]).unwrap_or_default()
    } else {
        let mut s = Vec::new();
        for p in paths {
            s.extend(read_path(p)?);
        }
        s
    };
    let loaded = load_sources(&sources)?;
    let results: Vec<_> = loaded.rules().flat_map(|r| run_examples(r, as_of)).collect();
    let failed = results.iter().filter(|r| !r.ok).count();
    let out = match format {
        ListFormat::Json => format!("{}\n", serde_json::to_string_pretty(&results).unwrap_or_default()),
        ListFormat::Table => {
            let mut s = String::new();
            for r in results.iter().filter(|r| !r.ok) {
                let what = match r.expect {
                    Expect::Flag => "should flag but did not",
                    Expect::Pass => "should pass but was flagged",
                };
                let _ = writeln!(
                    s,
                    "FAIL {} {}[{}] {what}:\n    {}",
                    r.rule,
                    if r.expect == Expect::Flag { "flag" } else { "pass" },
                    r.index,
                    r.text.trim()
                );
                for m in &r.saw {
                    let _ = writeln!(s, "    saw: {m}");
                }
            }
            let rules = loaded.rules().count();
            let _ = writeln!(
                s,
                "{} passed, {failed} failed ({}, {})",
                results.len() - failed,
                count(rules, "rule"),
                count(results.len(), "example")
            );
            s
        }
    };
    print(out.as_bytes())?;
    Ok(ExitCode::from(if failed > 0 { exit::FINDINGS } else { exit::CLEAN }))
}
