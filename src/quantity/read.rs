//! A parsed quantity (pest pairs of `grammar/quantity.pest`) → its value.

use std::sync::LazyLock;

use pest::iterators::Pair;

use super::{Conflict, Quantity, Rule, TimeUnit, Value, words_value};
use crate::text::{Span, lexicon};

/// The grammar's month names, January first.
static MONTHS: LazyLock<Vec<String>> = LazyLock::new(|| lexicon::literals("month_name"));

pub(super) fn read(pair: Pair<'_, Rule>) -> Option<Quantity> {
    let span = Span::new(pair.as_span().start(), pair.as_span().end());
    let rule = pair.as_rule();
    let mut conflict = None;
    let value = match rule {
        Rule::duration => {
            let mut amount = None;
            let mut unit = TimeUnit::Day;
            let mut business = false;
            for p in pair.into_inner() {
                match p.as_rule() {
                    Rule::amount => {
                        let (v, c) = amount_value(p)?;
                        amount = Some(v);
                        conflict = c;
                    }
                    Rule::day_kind => {
                        let k = p.as_str().to_ascii_lowercase();
                        business = k == "business" || k == "working";
                    }
                    Rule::unit => unit = time_unit(p.as_str()),
                    _ => {}
                }
            }
            Value::Duration { amount: amount?, unit, business }
        }
        Rule::percent => {
            let mut word = None;
            let mut digit = None;
            for p in pair.into_inner() {
                match p.as_rule() {
                    Rule::words => word = words_value(p.as_str()),
                    Rule::digits => digit = digits_value(p.as_str()),
                    Rule::amount => {
                        let (v, c) = amount_value(p)?;
                        word = Some(v);
                        conflict = c;
                    }
                    _ => {}
                }
            }
            if let (Some(w), Some(d)) = (word, digit)
                && (w - d).abs() > f64::EPSILON
            {
                conflict = Some(Conflict { words: w, digits: d });
            }
            Value::Percent(word.or(digit)?)
        }
        Rule::money => {
            let mut amount = None;
            let mut scale = 1.0;
            for p in pair.into_inner() {
                match p.as_rule() {
                    Rule::digits => amount = digits_value(p.as_str()),
                    Rule::scale => {
                        scale = match p.as_str().to_ascii_lowercase().as_str() {
                            "thousand" => 1e3,
                            "million" => 1e6,
                            _ => 1e9,
                        }
                    }
                    _ => {}
                }
            }
            Value::Money(amount? * scale)
        }
        Rule::year => {
            let digits = pair.into_inner().find(|p| p.as_rule() == Rule::year_digits)?;
            Value::Year(digits.as_str().parse().ok()?)
        }
        Rule::date => date_value(pair)?,
        _ => return None,
    };
    Some(Quantity { span, value, conflict })
}

fn amount_value(pair: Pair<'_, Rule>) -> Option<(f64, Option<Conflict>)> {
    let inner = pair.into_inner().next()?;
    match inner.as_rule() {
        Rule::paired => {
            let mut parts = inner.into_inner();
            let w = words_value(parts.next()?.as_str())?;
            let d = digits_value(parts.next()?.as_str())?;
            let conflict = ((w - d).abs() > f64::EPSILON).then_some(Conflict { words: w, digits: d });
            Some((w, conflict))
        }
        Rule::digits => Some((digits_value(inner.as_str())?, None)),
        Rule::words => Some((words_value(inner.as_str())?, None)),
        _ => None,
    }
}

fn digits_value(s: &str) -> Option<f64> {
    s.replace(',', "").parse().ok()
}

fn time_unit(s: &str) -> TimeUnit {
    match s.to_ascii_lowercase().trim_end_matches('s') {
        "week" => TimeUnit::Week,
        "month" => TimeUnit::Month,
        "year" => TimeUnit::Year,
        _ => TimeUnit::Day,
    }
}

fn date_value(pair: Pair<'_, Rule>) -> Option<Value> {
    let (mut year, mut month, mut day) = (None, None, None);
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::year_digits => year = p.as_str().parse().ok(),
            Rule::month_name => {
                let m = p.as_str().to_ascii_lowercase();
                month = MONTHS.iter().position(|n| *n == m).and_then(|i| u32::try_from(i + 1).ok());
            }
            Rule::num_month => month = p.as_str().parse().ok(),
            Rule::day_num => day = p.as_str().parse().ok(),
            _ => {}
        }
    }
    let (year, month, day) = (year?, month?, day?);
    let valid =
        jiff::civil::Date::new(i16::try_from(year).ok()?, i8::try_from(month).ok()?, i8::try_from(day).ok()?).is_ok();
    valid.then_some(Value::Date { year, month, day })
}
