//! What a rule reads, in one table: the names a `where` condition compares,
//! the `{placeholders}` a message fills and the `facts` a finding reports are
//! the same values, looked up the same way ([`Reading::get`]).
//!
//! Durations are compared, printed and reported in calendar days: `days` is
//! the calendar length (a business day counts 7/5 of a day, a month 365/12
//! days), so "ten (10) business days" gives `days` 14 everywhere. A duration
//! written in business days also gives `business_days`, the number as written.

use crate::finding::{Fact, Facts};
use crate::quantity::{DAYS_PER_MONTH, Kind, Quantity, Value as Q, number};

/// A value a rule can read, by the name rule files use for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// The duration bound to the trigger.
    Duration,
    /// Its length in calendar days.
    Days,
    /// Its length in business days, when it is written in business days.
    BusinessDays,
    /// Its length in months.
    Months,
    /// The percentage bound to the trigger.
    Percent,
    /// The year bound to the trigger, or the year of the date bound to it.
    Year,
    /// The amount of money bound to the trigger.
    Amount,
    /// The date bound to the trigger.
    Date,
    /// Whether a bound quantity's words and digits disagree ("thirty (60) days").
    Mismatch,
    /// The number in words of a disagreeing quantity.
    Words,
    /// The number in digits of a disagreeing quantity.
    Digits,
    /// The audit date.
    AsOf,
    /// The audit date's year.
    AsOfYear,
    /// The audit date's month.
    AsOfMonth,
    /// The audit date's day.
    AsOfDay,
    /// The text the trigger matched.
    Match,
    /// Unaccepted tracked changes in the file (the `tracked_changes` built-in check).
    TrackedChanges,
    /// Who acts in the clause (payer, provider, ...), for rules that read it.
    Actor,
    /// The clauses a document-level finding is about ("4.1 Overpayments; 6.3").
    Clauses,
}

/// What a value is, for type-checking conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Compared with numbers.
    Number,
    /// Compared with durations (`12 months`), in days.
    Duration,
    /// True or false.
    Bool,
    /// Printed only.
    Text,
}

impl Type {
    /// How an error message names the type.
    pub fn name(self) -> &'static str {
        match self {
            Type::Number => "a number",
            Type::Duration => "a duration",
            Type::Bool => "true/false",
            Type::Text => "text",
        }
    }
}

/// What a value needs from the rule to be known at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Nothing: always known (the audit date), or known when found (a mismatch).
    Nothing,
    /// The rule extracts this kind of quantity.
    Extract(Kind),
    /// The rule is the built-in check that reports it.
    Builtin,
}

/// One row of [`TABLE`].
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The name in conditions, messages and facts.
    pub name: &'static str,
    /// The value it names.
    pub value: Value,
    /// Its type in conditions.
    pub ty: Type,
    /// What the rule must do for it to be known.
    pub needs: Needs,
    /// Reported in a finding's `facts`.
    pub fact: bool,
}

const fn entry(name: &'static str, value: Value, ty: Type, needs: Needs, fact: bool) -> Entry {
    Entry { name, value, ty, needs, fact }
}

/// Every value a rule can read. Conditions may use every value that is not
/// text; messages every value that is not true/false; facts hold the values
/// read from the document, in name order.
pub const TABLE: [Entry; 19] = [
    entry("duration", Value::Duration, Type::Duration, Needs::Extract(Kind::Duration), false),
    entry("days", Value::Days, Type::Number, Needs::Extract(Kind::Duration), true),
    entry("business_days", Value::BusinessDays, Type::Number, Needs::Extract(Kind::Duration), true),
    entry("months", Value::Months, Type::Number, Needs::Extract(Kind::Duration), false),
    entry("percent", Value::Percent, Type::Number, Needs::Extract(Kind::Percent), true),
    entry("year", Value::Year, Type::Number, Needs::Extract(Kind::Year), true),
    entry("amount", Value::Amount, Type::Number, Needs::Extract(Kind::Money), true),
    entry("date", Value::Date, Type::Text, Needs::Extract(Kind::Date), true),
    entry("mismatch", Value::Mismatch, Type::Bool, Needs::Nothing, false),
    entry("words", Value::Words, Type::Number, Needs::Nothing, true),
    entry("digits", Value::Digits, Type::Number, Needs::Nothing, true),
    entry("as_of", Value::AsOf, Type::Text, Needs::Nothing, false),
    entry("as_of.year", Value::AsOfYear, Type::Number, Needs::Nothing, false),
    entry("as_of.month", Value::AsOfMonth, Type::Number, Needs::Nothing, false),
    entry("as_of.day", Value::AsOfDay, Type::Number, Needs::Nothing, false),
    entry("match", Value::Match, Type::Text, Needs::Nothing, false),
    entry("tracked_changes", Value::TrackedChanges, Type::Number, Needs::Builtin, true),
    entry("actor", Value::Actor, Type::Text, Needs::Nothing, true),
    entry("clauses", Value::Clauses, Type::Text, Needs::Nothing, true),
];

/// The row of a name.
pub fn lookup(name: &str) -> Option<&'static Entry> {
    TABLE.iter().find(|e| e.name == name)
}

/// The names a rule may use, given what it extracts.
pub fn available(kinds: &[Kind], builtin: bool) -> impl Iterator<Item = &'static Entry> + '_ {
    TABLE.iter().filter(move |e| is_known(e, kinds, builtin))
}

/// Whether a rule extracting `kinds` (or a built-in check) can know the value.
pub fn is_known(entry: &Entry, kinds: &[Kind], builtin: bool) -> bool {
    match entry.needs {
        Needs::Nothing => true,
        // A date has a year: `year` reads a bound date's when no year is bound.
        Needs::Extract(Kind::Year) => kinds.contains(&Kind::Year) || kinds.contains(&Kind::Date),
        Needs::Extract(kind) => kinds.contains(&kind),
        Needs::Builtin => builtin,
    }
}

/// A value as read: numbers and durations (in days) as numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    /// A number, or a duration in days.
    Number(f64),
    /// True or false.
    Bool(bool),
    /// Text.
    Text(String),
}

/// Everything a rule read at one place in a document.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    /// The audit date.
    pub as_of: jiff::civil::Date,
    /// The quantities bound to the trigger, at most one per kind.
    pub quantities: &'a [&'a Quantity],
    /// The rule's named extractions, in its order.
    pub named: &'a [(&'a str, Option<&'a Quantity>)],
    /// Named groups of the trigger patterns: (name, text).
    pub captures: &'a [(String, String)],
    /// The text the trigger matched.
    pub matched: &'a str,
    /// Values a built-in check read: (name, count).
    pub counts: &'a [(&'static str, i64)],
    /// Who acts in the trigger's clause, when the rule reads it.
    pub actor: Option<&'a str>,
    /// Where a document-level finding's clauses stand, when there are several.
    pub clauses: Option<&'a str>,
}

impl<'a> Reading<'a> {
    /// A reading of quantities alone: nothing matched, captured or counted.
    pub fn of(as_of: jiff::civil::Date, quantities: &'a [&'a Quantity]) -> Reading<'a> {
        Reading { as_of, quantities, named: &[], captures: &[], matched: "", counts: &[], actor: None, clauses: None }
    }

    fn quantity(&self, kind: Kind) -> Option<&Quantity> {
        self.quantities.iter().copied().find(|q| q.kind() == kind)
    }

    fn conflict(&self) -> Option<crate::quantity::Conflict> {
        self.quantities.iter().find_map(|q| q.conflict)
    }

    /// The value, when the rule read it here.
    pub fn get(&self, value: Value) -> Option<Read> {
        let days = || self.quantity(Kind::Duration).and_then(Quantity::days);
        let number = |n: f64| Some(Read::Number(n));
        match value {
            Value::Duration | Value::Days => number(days()?),
            Value::BusinessDays => match self.quantity(Kind::Duration)?.value {
                Q::Duration { amount, business: true, .. } => number(amount),
                _ => None,
            },
            Value::Months => number(days()? / DAYS_PER_MONTH),
            Value::Percent => match self.quantity(Kind::Percent)?.value {
                Q::Percent(p) => number(p),
                _ => None,
            },
            Value::Year => match self.quantity(Kind::Year).or_else(|| self.quantity(Kind::Date))?.value {
                Q::Year(y) | Q::Date { year: y, .. } => number(f64::from(y)),
                _ => None,
            },
            Value::Amount => match self.quantity(Kind::Money)?.value {
                Q::Money(m) => number(m),
                _ => None,
            },
            Value::Date => Some(Read::Text(self.quantity(Kind::Date)?.describe())),
            Value::Mismatch => Some(Read::Bool(self.conflict().is_some())),
            Value::Words => number(self.conflict()?.words),
            Value::Digits => number(self.conflict()?.digits),
            Value::AsOf => Some(Read::Text(self.as_of.to_string())),
            Value::AsOfYear => number(f64::from(self.as_of.year())),
            Value::AsOfMonth => number(f64::from(self.as_of.month())),
            Value::AsOfDay => number(f64::from(self.as_of.day())),
            Value::Match => Some(Read::Text(self.matched.to_string())),
            Value::Actor => self.actor.map(|a| Read::Text(a.to_string())),
            Value::Clauses => self.clauses.map(|c| Read::Text(c.to_string())),
            Value::TrackedChanges => {
                self.counts.iter().find(|(name, _)| *name == "tracked_changes").map(|(_, n)| Read::Number(*n as f64))
            }
        }
    }

    /// The value as a message prints it: a duration or quantity as written
    /// ("36 months", "110%"), days whole, months to one decimal.
    pub fn text(&self, value: Value) -> Option<String> {
        let described = |kind| self.quantity(kind).map(Quantity::describe);
        match value {
            Value::Duration => described(Kind::Duration),
            Value::Percent => described(Kind::Percent),
            Value::Year => described(Kind::Year),
            Value::Amount => described(Kind::Money),
            Value::Months => match self.get(value)? {
                Read::Number(m) => Some(number((m * 10.0).round() / 10.0)),
                _ => None,
            },
            _ => match self.get(value)? {
                Read::Number(n) => Some(number(n.round())),
                Read::Bool(b) => Some(if b { "yes" } else { "no" }.into()),
                Read::Text(t) => Some(t),
            },
        }
    }

    /// The n-th named extraction as one number: days for a duration, the year of a date.
    pub fn named_value(&self, index: usize) -> Option<f64> {
        let q = self.named.get(index)?.1?;
        match q.value {
            Q::Duration { .. } => q.days(),
            Q::Percent(n) | Q::Money(n) => Some(n),
            Q::Year(y) | Q::Date { year: y, .. } => Some(f64::from(y)),
        }
    }

    /// What a finding reports of this reading: the values of [`TABLE`] marked
    /// as facts, each named extraction (durations in days) and each capture.
    pub fn facts(&self) -> Facts {
        let mut facts = Facts::new();
        for (name, text) in self.captures {
            facts.insert(name.clone(), Fact::Text(text.clone()));
        }
        for (i, (name, q)) in self.named.iter().enumerate() {
            let value = match q.map(|q| q.value) {
                None => continue,
                Some(Q::Date { .. }) => Fact::Text(q.map(Quantity::describe).unwrap_or_default()),
                Some(Q::Year(y)) => Fact::Int(i64::from(y)),
                Some(Q::Duration { .. }) => Fact::number(self.named_value(i).unwrap_or(0.0).round()),
                Some(_) => Fact::number(self.named_value(i).unwrap_or(0.0)),
            };
            facts.insert(name.to_string(), value);
        }
        for entry in TABLE.iter().filter(|e| e.fact) {
            // A date's year is for conditions; the date itself is the fact.
            if entry.value == Value::Year && self.quantity(Kind::Year).is_none() {
                continue;
            }
            let fact = match self.get(entry.value) {
                None => continue,
                Some(Read::Number(n)) if entry.value == Value::Days => Fact::number(n.round()),
                Some(Read::Number(n)) if entry.value == Value::Year => Fact::Int(n as i64),
                Some(Read::Number(n)) => Fact::number(n),
                Some(Read::Bool(b)) => Fact::Int(i64::from(b)),
                Some(Read::Text(t)) => Fact::Text(t),
            };
            facts.insert(entry.name, fact);
        }
        facts.shrink_to_fit();
        facts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::scan;

    fn reading<'a>(quantities: &'a [&'a Quantity]) -> Reading<'a> {
        Reading::of(jiff::civil::date(2026, 11, 26), quantities)
    }

    /// Conditions, messages and facts read a duration the same way.
    #[test]
    fn days_agree_in_conditions_messages_and_facts() {
        for (text, days, business) in [
            ("ten (10) business days", 14, Some(10)),
            ("thirty-six (36) months", 1095, None),
            ("eighteen months", 548, None),
            ("2 years", 730, None),
            ("sixty (60) days", 60, None),
        ] {
            let qs = scan(text);
            let refs: Vec<&Quantity> = qs.iter().collect();
            let r = reading(&refs);
            let Some(Read::Number(n)) = r.get(Value::Days) else { panic!("{text}: no days") };
            assert_eq!(n.round() as i64, days, "{text}");
            assert_eq!(r.text(Value::Days), Some(days.to_string()), "{text}");
            assert_eq!(r.facts().get("days"), Some(&Fact::Int(days)), "{text}");
            assert_eq!(r.facts().get("business_days"), business.map(Fact::Int).as_ref(), "{text}");
        }
    }

    #[test]
    fn every_name_is_listed_once() {
        for (i, e) in TABLE.iter().enumerate() {
            assert!(TABLE[..i].iter().all(|o| o.name != e.name && o.value != e.value), "{} twice", e.name);
            assert_eq!(lookup(e.name).map(|f| f.value), Some(e.value));
        }
    }
}
