//! `redflag extract`: the normalized text finding spans point into, or its outline.

use std::fmt::Write as _;
use std::process::ExitCode;

use redflag::document::Document;
use redflag::extract::extract_file;

use super::args::ExtractArgs;
use super::{CliError, exit, print};

pub fn run(args: ExtractArgs) -> Result<ExitCode, CliError> {
    if args.file.is_dir() {
        return Err(CliError::Usage(
            format!("{} is a folder; `redflag extract` reads one document", args.file.display()),
            Some("give a file, or use `redflag audit` for a folder".into()),
        ));
    }
    let extracted = match extract_file(&args.file, &super::limits(args.read, None)?) {
        Ok(e) => e,
        Err(e) => {
            let diag = FileError { path: args.file.display().to_string(), error: e };
            super::eprint_diagnostic(&diag);
            return Ok(ExitCode::from(exit::PARTIAL));
        }
    };
    let doc = Document::new(&extracted);
    let out = if args.parties && args.json {
        parties_json(&doc)
    } else if args.parties {
        parties(&doc)
    } else if args.json {
        json(&doc)
    } else if args.outline {
        outline(&doc)
    } else {
        doc.text.original(doc.whole()).into_owned()
    };
    print(out.as_bytes())?;
    // A shell prompt after the text starts on its own line; spans still index
    // the text, which is everything before this newline.
    if !out.is_empty() && !out.ends_with('\n') {
        print(b"\n")?;
    }
    for w in &doc.warnings {
        eprintln!("{}: {}: {}", w.label(), args.file.display(), w.message);
    }
    let lost = doc.warnings.iter().any(redflag::extract::Warning::is_loss);
    Ok(ExitCode::from(if lost { exit::PARTIAL } else { exit::CLEAN }))
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}: {error}")]
struct FileError {
    path: String,
    #[diagnostic_source]
    error: redflag::extract::ExtractError,
}

fn outline(doc: &Document) -> String {
    let mut out = String::new();
    for s in &doc.outline.sections {
        let indent = "  ".repeat(s.level.saturating_sub(1));
        let _ = writeln!(
            out,
            "{indent}{}  (page {}, line {})",
            s.display(),
            doc.text.page_of(s.span.start),
            doc.text.line_of(s.span.start)
        );
    }
    out
}

/// What "you" means in the document, as the clause reading uses it.
fn addressee(doc: &Document) -> &'static str {
    match doc.addressee {
        redflag::read::clause::Addressee::Provider => "provider",
        redflag::read::clause::Addressee::Member => "member",
    }
}

fn parties(doc: &Document) -> String {
    let mut out = String::new();
    if doc.parties.is_empty() {
        out.push_str(
            "no party names found; role words (\"Plan\", \"Provider\") and blanks are read from each clause\n",
        );
    }
    for p in &doc.parties {
        let _ = writeln!(out, "{}  {}  (from: {})", p.side.name(), p.alias, p.source);
    }
    let _ = writeln!(out, "you  {}", addressee(doc));
    out
}

fn parties_json(doc: &Document) -> String {
    let parties: Vec<serde_json::Value> = doc
        .parties
        .iter()
        .map(|p| serde_json::json!({"name": p.alias, "side": p.side.name(), "source": p.source}))
        .collect();
    let value = serde_json::json!({"parties": parties, "you": addressee(doc)});
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

fn json(doc: &Document) -> String {
    let sections: Vec<serde_json::Value> = doc
        .outline
        .sections
        .iter()
        .map(|s| {
            serde_json::json!({
                "label": s.label, "title": s.title, "level": s.level, "parent": s.parent,
                "span": s.span, "page": doc.text.page_of(s.span.start), "line": doc.text.line_of(s.span.start),
            })
        })
        .collect();
    let sentences: Vec<serde_json::Value> = doc
        .outline
        .sentences
        .iter()
        .map(|s| serde_json::json!({"span": s.span, "page": doc.text.page_of(s.span.start)}))
        .collect();
    let value = serde_json::json!({
        "format": doc.format.name(),
        "pages": doc.text.page_count(),
        "warnings": redflag::report::warnings_value(&doc.warnings),
        "text": doc.text.original(doc.whole()),
        "sections": sections,
        "sentences": sentences,
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
