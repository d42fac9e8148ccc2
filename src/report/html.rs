//! One self-contained HTML file to share: inline CSS, no scripts, no external
//! resources, prints cleanly. Everything that comes from a contract or a rule
//! file is escaped — contract text is untrusted input.
//!
//! Each document's findings are grouped by severity, worst first, under an
//! index that links to each; info findings of one rule repeated in one section
//! are folded into a `<details>` after the first (native, no script).

use std::fmt::Write as _;
use std::io::Write;

use super::{Report, severity_summary};
use crate::document::DocumentResult;
use crate::finding::Finding;
use crate::rules::Severity;

const STYLE: &str = "body{font:15px/1.45 Georgia,'Times New Roman',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}\
h1,h2,h3{font-family:Helvetica,Arial,sans-serif}table{border-collapse:collapse;margin:1rem 0}\
td,th{border:1px solid #bbb;padding:.25rem .6rem;text-align:left}th{background:#f0f0f0}\
.finding{border:1px solid #ccc;border-left:6px solid #888;padding:.6rem 1rem;margin:1rem 0;break-inside:avoid}\
.critical{border-left-color:#7a0000}.high{border-left-color:#c0392b}.medium{border-left-color:#d68910}.low{border-left-color:#2e86c1}.info{border-left-color:#7f8c8d}\
.sev{font:bold 12px Helvetica,Arial,sans-serif;text-transform:uppercase;letter-spacing:.05em}\
.place{color:#555;font-size:13px}blockquote{margin:.5rem 0;padding:.3rem .8rem;background:#fafafa;border-left:3px solid #ddd}\
mark{background:#ffe08a}.error{color:#7a0000}code{font-size:13px}dl{display:grid;grid-template-columns:max-content auto;gap:.1rem .8rem}\
dt{font-weight:bold}.waived{color:#2c6e2c}.note{color:#2c4f6e}nav ul{margin:.2rem 0}@media print{body{margin:0;max-width:none}.finding{border-color:#999}}";

pub fn write_html(report: &Report<'_>, out: &mut dyn Write) -> super::Result {
    let mut h = String::new();
    let title = format!(
        "Contract audit — {}, {}, as of {}",
        super::count(report.documents.len(), "document"),
        super::count(report.rules.len(), "rule"),
        report.as_of
    );
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n<p class=\"place\">{}</p>\n",
        esc(&title),
        esc(&title),
        esc(&report.made_by())
    );
    summary(report, &mut h);
    for (n, d) in report.documents.iter().enumerate() {
        document(report, n + 1, d, &mut h);
    }
    h.push_str("</body></html>\n");
    out.write_all(h.as_bytes())
}

fn summary(report: &Report<'_>, h: &mut String) {
    h.push_str("<h2>Summary</h2>\n<table><tr><th>Document</th>");
    for s in Severity::ALL {
        let _ = write!(h, "<th>{}</th>", esc(s.name()));
    }
    h.push_str("<th>Status</th></tr>\n");
    for d in report.documents {
        let _ = write!(h, "<tr><td>{}</td>", esc(&d.path));
        for s in Severity::ALL {
            let _ = write!(h, "<td>{}</td>", d.findings.iter().filter(|f| f.severity == s).count());
        }
        let _ = writeln!(h, "<td>{}</td></tr>", esc(super::status(d)));
    }
    h.push_str("</table>\n");
    let mut categories: std::collections::BTreeMap<&str, usize> = Default::default();
    for f in report.documents.iter().flat_map(|d| &d.findings) {
        *categories.entry(&*f.category).or_default() += 1;
    }
    if !categories.is_empty() {
        h.push_str("<table><tr><th>Category</th><th>Findings</th></tr>\n");
        for (c, n) in categories {
            let _ = writeln!(h, "<tr><td>{}</td><td>{n}</td></tr>", esc(c));
        }
        h.push_str("</table>\n");
    }
    let unread: Vec<&DocumentResult> = report.documents.iter().filter(|d| d.is_partial()).collect();
    if !unread.is_empty() {
        h.push_str("<h3>Not read in full</h3><ul>\n");
        for d in unread {
            let why = d.error.as_ref().map(ToString::to_string).unwrap_or_else(|| {
                d.warnings.iter().filter(|w| w.is_loss()).map(|w| w.message.clone()).collect::<Vec<_>>().join("; ")
            });
            let _ = writeln!(h, "<li class=\"error\">{}: {}</li>", esc(&d.path), esc(&why));
        }
        h.push_str("</ul>\n");
    }
}

fn document(report: &Report<'_>, n: usize, d: &DocumentResult, h: &mut String) {
    let _ = writeln!(h, "<h2>{}</h2>", esc(&d.path));
    if let Some(e) = &d.error {
        let _ = writeln!(h, "<p class=\"error\">Not audited: {}</p>", esc(&e.to_string()));
        return;
    }
    for w in &d.warnings {
        let (class, head) = if w.is_loss() { ("error", "Warning") } else { ("note", "Note") };
        let _ = writeln!(h, "<p class=\"{class}\">{head}: {}</p>", esc(&w.message));
    }
    let _ = writeln!(h, "<p>{}</p>", esc(&severity_summary(&d.findings)));
    let id = |i: usize| format!("d{n}-f{}", i + 1);
    let groups: Vec<(Severity, Vec<usize>)> = Severity::ALL
        .iter()
        .map(|&s| (s, (0..d.findings.len()).filter(|&i| d.findings[i].severity == s).collect::<Vec<_>>()))
        .filter(|(_, found)| !found.is_empty())
        .collect();
    if groups.is_empty() {
        return;
    }
    h.push_str("<nav><ul>\n");
    for (s, found) in &groups {
        let _ = write!(h, "<li><a href=\"#d{n}-{}\">{} ({})</a><ul>", s.name(), esc(s.name()), found.len());
        for &i in found {
            let f = &d.findings[i];
            let _ = write!(
                h,
                "<li><a href=\"#{}\">{}</a> <span class=\"place\">page {}</span></li>",
                id(i),
                esc(&f.title),
                f.page
            );
        }
        h.push_str("</ul></li>\n");
    }
    h.push_str("</ul></nav>\n");
    for (s, found) in &groups {
        let _ = writeln!(h, "<h3 id=\"d{n}-{}\" class=\"sev\">{} ({})</h3>", s.name(), esc(s.name()), found.len());
        let mut folded: Vec<usize> = Vec::new();
        for (k, &i) in found.iter().enumerate() {
            let f = &d.findings[i];
            let repeat = *s == Severity::Info
                && found[..k].iter().any(|&j| d.findings[j].rule == f.rule && d.findings[j].section == f.section);
            if repeat {
                folded.push(i);
                continue;
            }
            flush_folded(report, d, &folded, &id, h);
            folded.clear();
            finding(report, d, f, &id(i), h);
        }
        flush_folded(report, d, &folded, &id, h);
    }
}

/// Info findings that repeat one already shown in their section, folded.
fn flush_folded(
    report: &Report<'_>,
    d: &DocumentResult,
    folded: &[usize],
    id: &dyn Fn(usize) -> String,
    h: &mut String,
) {
    if folded.is_empty() {
        return;
    }
    let _ = write!(h, "<details><summary>{} more of the same in this section</summary>", folded.len());
    for &i in folded {
        finding(report, d, &d.findings[i], &id(i), h);
    }
    h.push_str("</details>\n");
}

fn finding(report: &Report<'_>, d: &DocumentResult, f: &Finding, id: &str, h: &mut String) {
    let sev = f.severity.name();
    let _ = write!(
        h,
        "<div class=\"finding {sev}\" id=\"{id}\"><div class=\"sev\">{sev} · <code>{}</code></div><h3>{}</h3>\
         <p class=\"place\">page {}, line {}{} · fingerprint <code>{}</code></p><p>{}</p>",
        esc(&f.rule),
        esc(&f.title),
        f.page,
        f.page_line,
        if f.section.is_empty() { String::new() } else { format!(" · {}", esc(&f.section_text())) },
        f.fingerprint,
        esc(&f.message)
    );
    if let Some(w) = &f.waived {
        let _ = write!(
            h,
            "<p class=\"waived\"><strong>Waived</strong> by {}: {}{}</p>",
            esc(&w.accepted_by),
            esc(&w.reason),
            w.expires.as_deref().map(|e| format!(" (until {})", esc(e))).unwrap_or_default()
        );
    }
    if let Some(text) = d.text.as_deref().filter(|_| !f.span.is_empty()) {
        let slice = |a: usize, b: usize| text.get(a..b).map(fold).unwrap_or_default();
        let (s, hl) = (f.span, f.highlight);
        let (hs, he) = (hl.start.clamp(s.start, s.end), hl.end.clamp(s.start, s.end));
        let _ = write!(
            h,
            "<blockquote>{}<mark>{}</mark>{}</blockquote>",
            esc(&slice(s.start, hs)),
            esc(&slice(hs, he)),
            esc(&slice(he, s.end))
        );
    }
    if !f.facts.is_empty() {
        h.push_str("<dl>");
        for (k, v) in f.facts.iter() {
            let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v.to_string()));
        }
        h.push_str("</dl>");
    }
    if let Some(rule) = report.rule(&f.rule) {
        if let Some(r) = &rule.doc.rationale {
            let _ = write!(h, "<p><strong>Why it matters.</strong> {}</p>", esc(&fold(r)));
        }
        if let Some(r) = &rule.doc.recommendation {
            let _ = write!(h, "<p><strong>Ask for.</strong> {}</p>", esc(&fold(r)));
        }
    }
    h.push_str("</div>\n");
}

/// Whitespace runs (line breaks included) as single spaces, keeping the ends' spacing.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc(r#""><img src=x onerror='a()'>&"#), "&quot;&gt;&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;");
    }
}
