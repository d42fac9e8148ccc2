//! SARIF 2.1.0 for code-scanning dashboards, built with the typed `serde-sarif`
//! structs rather than hand-written JSON.
//!
//! A finding's region is what a viewer can show of a contract: the clause as
//! the region's `snippet`, "page 2, line 14" as its message, and the page and
//! the line on it as properties. A PDF or Word file has no lines of its own,
//! so its `startLine` is the line on the page; a text file's is its line. No
//! byte offsets: they would point into the extracted text, not the file. A
//! waived finding carries a `suppressions` entry with the waiver's reason as
//! its justification.

use std::collections::BTreeMap;
use std::io::Write;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_sarif::sarif::{
    ArtifactContent, ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Suppression, Tool, ToolComponent,
};

use super::Report;
use crate::rules::Severity;

pub fn write_sarif(report: &Report<'_>, out: &mut dyn Write) -> super::Result {
    let rules: Vec<ReportingDescriptor> = report
        .rules
        .iter()
        .map(|r| {
            let help = [r.doc.rationale.as_deref(), r.doc.recommendation.as_deref()]
                .into_iter()
                .flatten()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n\n");
            let mut props = BTreeMap::new();
            props.insert("category".to_string(), serde_json::json!(r.category));
            props.insert("severity".to_string(), serde_json::json!(r.severity.name()));
            ReportingDescriptor::builder()
                .id(r.id.clone())
                .short_description(MultiformatMessageString::builder().text(r.title.clone()).build())
                .help(MultiformatMessageString::builder().text(help).build())
                .properties(PropertyBag::builder().additional_properties(props).build())
                .build()
        })
        .collect();
    let mut results = Vec::new();
    for d in report.documents {
        let paged = matches!(d.format, Some(crate::extract::FileFormat::Pdf | crate::extract::FileFormat::Docx));
        for f in &d.findings {
            let mut where_ = BTreeMap::new();
            where_.insert("page".to_string(), serde_json::json!(f.page));
            where_.insert("page_line".to_string(), serde_json::json!(f.page_line));
            let region = Region::builder()
                .start_line(i64::from(if paged { f.page_line } else { f.line }))
                .snippet(ArtifactContent::builder().text(f.excerpt.clone()).build())
                .message(Message::builder().text(format!("page {}, line {}", f.page, f.page_line)).build())
                .properties(PropertyBag::builder().additional_properties(where_).build())
                .build();
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(ArtifactLocation::builder().uri(uri(&d.path)).build())
                        .region(region)
                        .build(),
                )
                .build();
            let mut props = BTreeMap::new();
            props.insert("page".to_string(), serde_json::json!(f.page));
            props.insert("section".to_string(), serde_json::json!(f.section_text()));
            props.insert("category".to_string(), serde_json::json!(f.category));
            props.insert("severity".to_string(), serde_json::json!(f.severity.name()));
            props.insert("facts".to_string(), super::wire::facts_value(&f.facts));
            props.insert("excerpt".to_string(), serde_json::json!(f.excerpt));
            let mut fingerprints = BTreeMap::new();
            fingerprints.insert("redflag/v1".to_string(), f.fingerprint.to_string());
            let suppressions: Vec<Suppression> = f
                .waived
                .iter()
                .map(|w| {
                    Suppression::builder()
                        .kind(serde_json::json!("external"))
                        .status(serde_json::json!("accepted"))
                        .justification(format!("{} (accepted by {})", w.reason, w.accepted_by))
                        .build()
                })
                .collect();
            let result = SarifResult::builder()
                .rule_id(f.rule.to_string())
                .level(level(f.severity))
                .message(Message::builder().text(f.message.clone()).build())
                .locations(vec![location])
                .partial_fingerprints(fingerprints)
                .properties(PropertyBag::builder().additional_properties(props).build());
            results.push(if suppressions.is_empty() {
                result.build()
            } else {
                result.suppressions(suppressions).build()
            });
        }
    }
    let mut run_props = BTreeMap::new();
    let unread: Vec<serde_json::Value> = report
        .documents
        .iter()
        .filter(|d| d.is_partial())
        .map(|d| {
            serde_json::json!({
                "path": d.path,
                "error": d.error.as_ref().map(ToString::to_string),
                "warnings": d.warnings.iter().filter(|w| w.is_loss()).map(|w| w.message.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    run_props.insert("as_of".to_string(), serde_json::json!(report.as_of.to_string()));
    run_props.insert("not_read_in_full".to_string(), serde_json::json!(unread));
    let notifications: Vec<Notification> = report
        .documents
        .iter()
        .flat_map(|d| {
            let error = d.error.iter().map(|e| ("error", format!("{}: not audited ({}): {e}", d.path, e.kind())));
            let warnings = d.warnings.iter().map(|w| {
                let level = if w.is_loss() { "warning" } else { "note" };
                (level, format!("{}: {}", d.path, w.message))
            });
            let at = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(ArtifactLocation::builder().uri(uri(&d.path)).build())
                        .build(),
                )
                .build();
            error.chain(warnings).map(move |(level, text)| {
                Notification::builder()
                    .level(serde_json::json!(level))
                    .message(Message::builder().text(text).build())
                    .locations(vec![at.clone()])
                    .build()
            })
        })
        .collect();
    let invocation = Invocation::builder()
        .execution_successful(!report.documents.iter().any(|d| d.is_partial()))
        .tool_execution_notifications(notifications)
        .build();
    run_props.insert("rules_run".to_string(), serde_json::json!(report.rules.len()));
    let driver = ToolComponent::builder().name("redflag").version(env!("CARGO_PKG_VERSION")).rules(rules).build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .properties(PropertyBag::builder().additional_properties(run_props).build())
        .build();
    let sarif = Sarif::builder()
        .version(serde_json::json!("2.1.0"))
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

/// Characters a relative URI reference may hold unescaped (RFC 3986
/// unreserved, and `/` between folders).
const URI_KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A file path as a SARIF artifact URI: percent-encoded, `\\` as `/`.
fn uri(path: &str) -> String {
    utf8_percent_encode(&path.replace('\\', "/"), URI_KEEP).to_string()
}

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium | Severity::Low => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}
