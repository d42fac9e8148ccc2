//! Finding messages with `{placeholders}` filled from what the rule read: the
//! values of [`super::values`], the rule's named extractions and the named
//! groups of its trigger patterns.

use super::Vocabulary;
use super::values::{self, Reading, Type, Value};

/// A message split into literal text and fields, checked at load time.
#[derive(Debug, Clone, Default)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Field(Value),
    /// The n-th named extraction.
    Named(usize),
    /// A named group of a trigger pattern.
    Capture(String),
}

/// A placeholder no extractor provides, with its byte range in the message.
#[derive(Debug, Clone)]
pub struct TemplateError {
    /// Where the placeholder starts in the message.
    pub start: usize,
    /// Where it ends.
    pub end: usize,
    /// What is wrong.
    pub message: String,
    /// The placeholders the rule can use.
    pub help: String,
}

impl Template {
    /// Splits `message` into text and placeholders the rule provides.
    pub fn parse(message: &str, vocabulary: &Vocabulary) -> Result<Template, TemplateError> {
        let printable = |e: &&values::Entry| e.ty != Type::Bool;
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = message;
        let mut offset = 0;
        while let Some(open) = rest.find(['{', '}']) {
            text.push_str(&rest[..open]);
            let tail = &rest[open..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                text.push_str(&tail[..1]);
                rest = &tail[2..];
                offset += open + 2;
                continue;
            }
            let start = offset + open;
            let Some(close) = tail.find('}').filter(|_| tail.starts_with('{')) else {
                return Err(TemplateError {
                    start,
                    end: start + 1,
                    message: "unmatched brace in message".into(),
                    help: "write `{{` or `}}` for a literal brace".into(),
                });
            };
            let name = tail[1..close].trim();
            if let Some(i) = vocabulary.named.iter().position(|(n, _)| n == name) {
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(Part::Named(i));
                rest = &tail[close + 1..];
                offset = start + close + 1;
                continue;
            }
            if vocabulary.captures.iter().any(|c| c == name) {
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(Part::Capture(name.to_string()));
                rest = &tail[close + 1..];
                offset = start + close + 1;
                continue;
            }
            let available: Vec<&str> = values::available(&vocabulary.kinds, vocabulary.builtin)
                .filter(printable)
                .map(|e| e.name)
                .chain(vocabulary.named.iter().map(|(n, _)| n.as_str()))
                .chain(vocabulary.captures.iter().map(String::as_str))
                .collect();
            let entry = values::lookup(name).filter(printable);
            let Some(entry) = entry.filter(|e| values::is_known(e, &vocabulary.kinds, vocabulary.builtin)) else {
                let needs = entry.and_then(|e| match e.needs {
                    values::Needs::Extract(k) => Some(k),
                    _ => None,
                });
                return Err(TemplateError {
                    start,
                    end: start + close + 1,
                    message: format!("placeholder `{{{name}}}` is not provided by this rule"),
                    help: match needs {
                        Some(k) => {
                            format!("add `extract: {}` to the rule, or use one of: {}", k.name(), available.join(", "))
                        }
                        None => format!("available placeholders: {}", available.join(", ")),
                    },
                });
            };
            let field = entry.value;
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Field(field));
            rest = &tail[close + 1..];
            offset = start + close + 1;
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template { parts })
    }

    /// The message with every placeholder filled; a value the rule did not
    /// read here says so rather than leaving a gap.
    pub fn render(&self, reading: &Reading<'_>) -> String {
        const UNSTATED: &str = "an unstated amount";
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Field(v) => out.push_str(reading.text(*v).as_deref().unwrap_or(UNSTATED)),
                Part::Named(i) => match reading.named.get(*i).and_then(|(_, q)| *q) {
                    Some(q) => out.push_str(&q.describe()),
                    None => out.push_str(UNSTATED),
                },
                Part::Capture(name) => match reading.captures.iter().find(|(n, _)| n == name) {
                    Some((_, text)) => out.push_str(text),
                    None => out.push_str("not read (see the clause)"),
                },
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::{Kind, Quantity};

    #[test]
    fn unknown_placeholders_are_located() {
        let v = |k: &[Kind]| Vocabulary { kinds: k.to_vec(), ..Vocabulary::default() };
        let e = Template::parse("For {duration} and {yeer}.", &v(&[Kind::Duration])).err().unwrap();
        assert_eq!((e.start, e.end), (19, 25));
        let e = Template::parse("Year {year}", &v(&[Kind::Duration])).err().unwrap();
        assert!(e.help.contains("extract: year"));
        assert!(Template::parse("Literal {{braces}}", &v(&[])).is_ok());
    }

    #[test]
    fn renders_values() {
        let qs = crate::quantity::scan("thirty-six (36) months");
        let refs: Vec<&Quantity> = qs.iter().collect();
        let v = Vocabulary { kinds: vec![Kind::Duration], ..Vocabulary::default() };
        let t = Template::parse("Recoupment for {duration} ({days} days).", &v).ok().unwrap();
        let reading = Reading::of(jiff::civil::date(2026, 1, 1), &refs);
        assert_eq!(t.render(&reading), "Recoupment for 36 months (1095 days).");
    }
}
