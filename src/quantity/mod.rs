//! Durations, percentages, years, money and dates as contracts write them.
//!
//! [`scan`] runs the pest grammar in `grammar/quantity.pest` over a clause and
//! returns every [`Quantity`] with its byte span. Numbers may be digits, words, or
//! words with digits in parentheses; when the words and the digits disagree
//! ("thirty (60) days") the quantity keeps both in [`Quantity::conflict`] and its
//! value follows the words, as the usual rule of construction has it (words
//! prevail over figures, e.g. UCC § 3-114).

mod read;
mod words;

use pest::Parser;

use crate::text::{Span, lexicon};

use read::read;
pub use words::{to_words, words_value};

mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/quantity.pest"]
    pub(super) struct QuantityGrammar;
}

use grammar::{QuantityGrammar, Rule};

/// Calendar days per month: a year is 12 months and 365 days.
pub const DAYS_PER_MONTH: f64 = 365.0 / 12.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// The unit a duration is written in.
pub enum TimeUnit {
    /// Days (calendar or business).
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

/// The kinds a rule can ask to extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// "ninety (90) days"
    Duration,
    /// "110%"
    Percent,
    /// "2019", "CY 2019"
    Year,
    /// "$1,250.00"
    Money,
    /// "January 1, 2026"
    Date,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] = [Kind::Duration, Kind::Percent, Kind::Year, Kind::Money, Kind::Date];

    /// The name rule files use.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Duration => "duration",
            Kind::Percent => "percent",
            Kind::Year => "year",
            Kind::Money => "money",
            Kind::Date => "date",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
/// A quantity's value as written.
pub enum Value {
    /// A length of time.
    Duration {
        /// How many units.
        amount: f64,
        /// Which unit.
        unit: TimeUnit,
        /// Business (working) days rather than calendar days.
        business: bool,
    },
    /// A percentage.
    Percent(f64),
    /// A year.
    Year(i32),
    /// An amount in dollars.
    Money(f64),
    /// A calendar date.
    Date {
        /// Year.
        year: i32,
        /// Month, 1-12.
        month: u32,
        /// Day of the month.
        day: u32,
    },
}

/// Words and digits that disagree, as in "thirty (60) days".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conflict {
    /// The number in words.
    pub words: f64,
    /// The number in digits.
    pub digits: f64,
}

#[derive(Debug, Clone, PartialEq)]
/// A quantity read from a text.
pub struct Quantity {
    /// Where it is written.
    pub span: Span,
    /// What it says.
    pub value: Value,
    /// Its words and digits, when they disagree.
    pub conflict: Option<Conflict>,
}

impl Quantity {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self.value {
            Value::Duration { .. } => Kind::Duration,
            Value::Percent(_) => Kind::Percent,
            Value::Year(_) => Kind::Year,
            Value::Money(_) => Kind::Money,
            Value::Date { .. } => Kind::Date,
        }
    }

    /// Calendar days for a duration; business days count 7 calendar days per 5.
    pub fn days(&self) -> Option<f64> {
        match self.value {
            Value::Duration { amount, unit, business } => {
                let per = match unit {
                    TimeUnit::Day if business => 7.0 / 5.0,
                    TimeUnit::Day => 1.0,
                    TimeUnit::Week => 7.0,
                    TimeUnit::Month => DAYS_PER_MONTH,
                    TimeUnit::Year => 365.0,
                };
                Some(amount * per)
            }
            _ => None,
        }
    }

    /// The value as a reader would say it: "36 months", "110%", "$1,250.00", "2019".
    pub fn describe(&self) -> String {
        match self.value {
            Value::Duration { amount, unit, business } => {
                let one = (amount - 1.0).abs() < f64::EPSILON;
                let unit = match unit {
                    TimeUnit::Day => "day",
                    TimeUnit::Week => "week",
                    TimeUnit::Month => "month",
                    TimeUnit::Year => "year",
                };
                let kind = if business { "business " } else { "" };
                format!("{} {kind}{unit}{}", number(amount), if one { "" } else { "s" })
            }
            Value::Percent(p) => format!("{}%", number(p)),
            Value::Year(y) => y.to_string(),
            Value::Money(m) => money(m),
            Value::Date { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
        }
    }
}

/// A number without a needless ".0".
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// "$1,250.00"
pub fn money(m: f64) -> String {
    let cents = (m * 100.0).round() as i64;
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{:02}", cents % 100)
}

/// Where a quantity can begin: a digit, `$`, a number word, "a hundred", `USD`, a
/// month name before a day, a year prefix. A superset (pest decides); the grammar
/// itself, tried at every word, spent most of an audit failing on ordinary words.
/// The words are the grammar's own ([`lexicon`]).
static STARTS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    let s = r"[ \t\r\n]+";
    let months = lexicon::literals("month_name").join("|");
    let words = lexicon::SMALL_NUMBERS.join("|");
    // "CY2019" and "CY 2019"; "calendar year 2019".
    let prefixes: Vec<String> = lexicon::literals("year_prefix")
        .iter()
        .map(|p| match p.split_once(' ') {
            Some((first, rest)) => format!("{first}{s}{rest}"),
            None => format!(r"{p}[ \t\r\n]*[0-9]"),
        })
        .collect();
    let pattern = format!(r"(?i)[0-9$]|{words}|a(?:{s}|-)hundred|usd{s}|(?:{months}){s}[0-9]|{}", prefixes.join("|"));
    regex::Regex::new(&pattern).unwrap_or_else(|e| unreachable!("the quantity start pattern is valid: {e}"))
});

/// Marks without which the grammar's `percent` and `duration` cannot match: each
/// of their alternatives holds a `%` or `percent_word`, or a `unit`.
static PERCENT_MARKS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    let words: Vec<String> = lexicon::literals("percent_word").iter().map(|w| regex::escape(w)).collect();
    regex::Regex::new(&format!("(?i)%|{}", words.join("|")))
        .unwrap_or_else(|e| unreachable!("the percent mark pattern is valid: {e}"))
});
static UNIT_MARKS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(&format!("(?i){}", lexicon::literals("unit").join("|")))
        .unwrap_or_else(|e| unreachable!("the unit mark pattern is valid: {e}"))
});

/// The letters a `day_kind` or a `unit` opens with ("calendar", "days", ...).
static UNIT_OPENERS: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
    let mut letters: Vec<u8> =
        ["day_kind", "unit"].iter().flat_map(|r| lexicon::literals(r)).filter_map(|w| w.bytes().next()).collect();
    letters.sort_unstable();
    letters.dedup();
    letters
});

/// Every `date` and `year` holds a `year_digits`.
static YEAR_MARKS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:19|20)[0-9]{2}").unwrap_or_else(|e| unreachable!("the year mark pattern is valid: {e}"))
});

/// Where a pattern occurs in a text, overlapping occurrences included.
struct Marks(Vec<Span>);

impl Marks {
    fn new(pattern: &regex::Regex, text: &str) -> Marks {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(m) = pattern.find_at(text, from) {
            found.push(Span::new(m.start(), m.end()));
            from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        }
        Marks(found)
    }

    /// Whether one lies wholly inside `from..to`.
    fn within(&self, from: usize, to: usize) -> bool {
        let first = self.0.partition_point(|m| m.start < from);
        self.0[first..].iter().take_while(|m| m.start < to).any(|m| m.end <= to)
    }
}

/// Bytes of text a quantity is read from: far more than the longest one written
/// out ("nine hundred ninety-nine thousand ... (999,999) business days").
const QUANTITY_REACH: usize = 1024;

/// Every quantity in `text`, in order. Spans are relative to `text`.
///
/// The grammar's `scan` rule tries a quantity at the start of every word (and at
/// every other character), skipping a word it cannot read. This does the same,
/// but tries only where [`STARTS`] matches: at a word start, at a `$`, or right
/// where the previous quantity ended.
///
/// The alternatives of the grammar's `quantity` rule are tried in its order, but
/// only where they could match: `percent`, `duration`, `date` and `year` need
/// their marks ([`PERCENT_MARKS`], [`UNIT_MARKS`], [`YEAR_MARKS`]) ahead, and each
/// needs the right first character. A failed alternative re-read every number
/// in words, and pest builds an error for each failure.
pub fn scan(text: &str) -> Vec<Quantity> {
    let bytes = text.as_bytes();
    let percents = Marks::new(&PERCENT_MARKS, text);
    let units = Marks::new(&UNIT_MARKS, text);
    let years = Marks::new(&YEAR_MARKS, text);
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    let mut resume = 0;
    let mut from = 0;
    // Matches may overlap ("May 2019" holds the start "2019"), so each search
    // resumes one character after the last match began.
    while let Some(m) = STARTS.find_at(text, from) {
        let at = m.start();
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
        let word_start = at == 0 || !word(bytes[at - 1]) || bytes[at] == b'$' || at == resume;
        if at < resume || !word_start {
            continue;
        }
        let input = crate::text::window(text, at, QUANTITY_REACH);
        let end = can_reach(bytes, at, at + input.len());
        let first = bytes[at].to_ascii_lowercase();
        let year = years.within(at, end);
        // What each alternative must hold, or begin with: a date starts with a month
        // name or a digit, a year with its prefix or its digits, money with $ or USD.
        let (percent, duration) = if first.is_ascii_digit() { after_digits(bytes, at) } else { (true, true) };
        let alternatives = [
            (Rule::date, year && (first.is_ascii_digit() || b"jfmasond".contains(&first))),
            (Rule::percent, percent && percents.within(at, end)),
            (Rule::duration, duration && units.within(at, end)),
            (Rule::money, matches!(first, b'$' | b'u')),
            (Rule::year, year && matches!(first, b'c' | b'f' | b'p' | b'1' | b'2')),
        ];
        let parse = |&(rule, possible): &(Rule, bool)| {
            possible.then(|| QuantityGrammar::parse(rule, input).ok().and_then(|mut p| p.next())).flatten()
        };
        let Some(pair) = alternatives.iter().find_map(parse) else {
            continue;
        };
        // What the grammar took is consumed even when it holds no valid value
        // ("00 May 2019"), as in the grammar's own scan.
        resume = at + pair.as_span().end();
        from = from.max(resume);
        if let Some(q) = read(pair) {
            out.push(Quantity { span: q.span.shift(at), ..q });
        }
    }
    out
}

/// How far a quantity starting at `at` can reach before `end`: up to the first
/// byte no quantity holds (none has `;`, `:`, quotes or a non-ASCII letter, and
/// its only `.` is a decimal point). Its marks must lie before that, so they are
/// looked for there: a whole section or a document written as one line is one
/// unit, and within a kilobyte of nearly every number some "day" or "%" occurs.
fn can_reach(bytes: &[u8], at: usize, end: usize) -> usize {
    let held = |i: usize| match bytes[i] {
        b'.' => bytes.get(i + 1).is_some_and(u8::is_ascii_digit),
        b => b.is_ascii_alphanumeric() || b" \t\n\r-(),%$/".contains(&b),
    };
    (at..end).find(|&i| !held(i)).unwrap_or(end)
}

/// Whether a `percent` and a `duration` can open with the digits at `at`. Such
/// an amount is `digits`, a run of digits, commas and periods (stopping short of
/// the run fails: what follows is not a space, hyphen, `%` or letter); then
/// `percent` needs spaces and a `%` or a percent word, and `duration` a hyphen
/// or spaces and a day kind or unit ("calendar", "days", ...). Most numbers in a
/// contract are clause numbers, citations and amounts, followed by neither.
fn after_digits(bytes: &[u8], at: usize) -> (bool, bool) {
    let run = at + bytes[at..].iter().take_while(|&&b| b.is_ascii_digit() || b == b',' || b == b'.').count();
    let spaced = run + bytes[run..].iter().take_while(|&&b| b" \t\n\r".contains(&b)).count();
    let opens_unit = |i: usize| bytes.get(i).is_some_and(|b| UNIT_OPENERS.contains(&b.to_ascii_lowercase()));
    let percent = bytes.get(spaced).is_some_and(|&b| b == b'%' || b.eq_ignore_ascii_case(&b'p'));
    let duration = if bytes.get(run) == Some(&b'-') { opens_unit(run + 1) } else { opens_unit(spaced) };
    (percent, duration)
}

#[cfg(test)]
mod tests;
