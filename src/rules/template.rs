//! Finding messages with `{placeholders}` filled from what the rule read.

use super::Vocabulary;
use crate::quantity::{Kind, Quantity, number};

/// A message split into literal text and fields, checked at load time.
#[derive(Debug, Clone, Default)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Field(Field),
    /// The n-th named extraction.
    Named(usize),
    /// A named group of a trigger pattern.
    Capture(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Duration,
    Days,
    Months,
    Percent,
    Year,
    Amount,
    Date,
    AsOfYear,
    AsOf,
    Match,
    Words,
    Digits,
}

const FIELDS: [(&str, Field, Option<Kind>); 12] = [
    ("duration", Field::Duration, Some(Kind::Duration)),
    ("days", Field::Days, Some(Kind::Duration)),
    ("months", Field::Months, Some(Kind::Duration)),
    ("percent", Field::Percent, Some(Kind::Percent)),
    ("year", Field::Year, Some(Kind::Year)),
    ("amount", Field::Amount, Some(Kind::Money)),
    ("date", Field::Date, Some(Kind::Date)),
    ("as_of.year", Field::AsOfYear, None),
    ("as_of", Field::AsOf, None),
    ("match", Field::Match, None),
    ("words", Field::Words, None),
    ("digits", Field::Digits, None),
];

/// A placeholder no extractor provides, with its byte range in the message.
#[derive(Debug, Clone)]
pub struct TemplateError {
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: String,
}

/// What a message can be filled from.
pub struct Fill<'a> {
    pub quantities: &'a [&'a Quantity],
    pub as_of: jiff::civil::Date,
    pub matched: &'a str,
    pub named: &'a [Option<&'a Quantity>],
    /// Named groups the patterns matched: (name, text).
    pub captures: &'a [(String, String)],
}

impl Template {
    pub fn parse(message: &str, vocabulary: &Vocabulary) -> Result<Template, TemplateError> {
        let extracted = &vocabulary.kinds;
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
            let available: Vec<&str> = FIELDS
                .iter()
                .filter(|f| f.2.is_none_or(|k| extracted.contains(&k)))
                .map(|f| f.0)
                .chain(vocabulary.named.iter().map(|(n, _)| n.as_str()))
                .chain(vocabulary.captures.iter().map(String::as_str))
                .collect();
            let field = FIELDS.iter().find(|f| f.0 == name).filter(|f| f.2.is_none_or(|k| extracted.contains(&k)));
            let Some(&(_, field, _)) = field else {
                let needs = FIELDS.iter().find(|f| f.0 == name).and_then(|f| f.2);
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

    pub fn render(&self, fill: &Fill<'_>) -> String {
        let find = |k: Kind| fill.quantities.iter().copied().find(|q| q.kind() == k);
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Field(f) => out.push_str(&field_text(*f, fill, &find)),
                Part::Named(i) => match fill.named.get(*i).copied().flatten() {
                    Some(q) => out.push_str(&q.describe()),
                    None => out.push_str("an unstated amount"),
                },
                Part::Capture(name) => match fill.captures.iter().find(|(n, _)| n == name) {
                    Some((_, text)) => out.push_str(text),
                    None => out.push_str("not read (see the clause)"),
                },
            }
        }
        out
    }
}

fn field_text<'a>(f: Field, fill: &Fill<'a>, find: &dyn Fn(Kind) -> Option<&'a Quantity>) -> String {
    let unstated = || "an unstated amount".to_string();
    match f {
        Field::Duration => find(Kind::Duration).map_or_else(unstated, Quantity::describe),
        Field::Days => find(Kind::Duration).and_then(Quantity::days).map_or_else(unstated, |d| number(d.round())),
        Field::Months => find(Kind::Duration)
            .and_then(Quantity::days)
            .map_or_else(unstated, |d| number((d / crate::quantity::DAYS_PER_MONTH * 10.0).round() / 10.0)),
        Field::Percent => find(Kind::Percent).map_or_else(unstated, Quantity::describe),
        Field::Year => find(Kind::Year).map_or_else(unstated, Quantity::describe),
        Field::Amount => find(Kind::Money).map_or_else(unstated, Quantity::describe),
        Field::Date => find(Kind::Date).map_or_else(unstated, Quantity::describe),
        Field::AsOfYear => fill.as_of.year().to_string(),
        Field::AsOf => fill.as_of.to_string(),
        Field::Match => fill.matched.to_string(),
        Field::Words | Field::Digits => {
            let conflict = fill.quantities.iter().find_map(|q| q.conflict);
            match (conflict, f) {
                (Some(c), Field::Words) => number(c.words),
                (Some(c), _) => number(c.digits),
                (None, _) => unstated(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let fill =
            Fill { quantities: &refs, as_of: jiff::civil::date(2026, 1, 1), matched: "", named: &[], captures: &[] };
        assert_eq!(t.render(&fill), "Recoupment for 36 months (1095 days).");
    }
}
