//! The `where` language: `duration > 12 months`, `year < as_of.year - 1`,
//! `percent < 100 and not mismatch`.
//!
//! Parsed by `grammar/condition.pest`, then type-checked once at load time so a
//! rule that compares a duration with a bare number, or reads a quantity it never
//! extracts, is an error in the rule file rather than a silent non-match.
//! At evaluation a quantity that was not found makes every comparison with it
//! false; used alone (`duration`, `not duration`) it asks whether it was found.

use pest::Parser;
use pest::iterators::Pair;
use pest_derive::Parser;

use super::Vocabulary;
use crate::quantity::{DAYS_PER_MONTH, Kind, Quantity, Value};

#[derive(Parser)]
#[grammar = "../grammar/condition.pest"]
struct ConditionGrammar;

/// A checked condition, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Condition {
    source: String,
    expr: Expr,
}

/// A problem in a condition, with its byte range in the condition text.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionError {
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
}

/// What a condition can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Duration,
    Days,
    Months,
    Percent,
    Year,
    Amount,
    AsOfYear,
    AsOfMonth,
    AsOfDay,
    Mismatch,
    /// The n-th named extraction of the rule.
    Named(usize, Kind),
}

impl Var {
    /// Every variable with its name, its type, and the quantity kind it needs.
    const TABLE: [(&'static str, Var, Type, Option<Kind>); 10] = [
        ("duration", Var::Duration, Type::Duration, Some(Kind::Duration)),
        ("days", Var::Days, Type::Number, Some(Kind::Duration)),
        ("months", Var::Months, Type::Number, Some(Kind::Duration)),
        ("percent", Var::Percent, Type::Number, Some(Kind::Percent)),
        ("year", Var::Year, Type::Number, Some(Kind::Year)),
        ("amount", Var::Amount, Type::Number, Some(Kind::Money)),
        ("as_of.year", Var::AsOfYear, Type::Number, None),
        ("as_of.month", Var::AsOfMonth, Type::Number, None),
        ("as_of.day", Var::AsOfDay, Type::Number, None),
        ("mismatch", Var::Mismatch, Type::Bool, None),
    ];

    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::TABLE.iter().map(|t| t.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Number,
    Duration,
    Bool,
}

impl Type {
    fn name(self) -> &'static str {
        match self {
            Type::Number => "a number",
            Type::Duration => "a duration",
            Type::Bool => "true/false",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone)]
enum Expr {
    Number(f64),
    /// A duration literal in calendar days.
    Days(f64),
    Var(Var),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Compare(Box<Expr>, Cmp, Box<Expr>),
    Arith(Box<Expr>, Arith, Box<Expr>),
}

/// The values a condition is evaluated against.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub as_of: jiff::civil::Date,
    /// The quantity bound to each extracted kind (at most one per kind).
    pub quantities: &'a [&'a Quantity],
    /// The quantity bound to each named extraction, in the rule's order.
    pub named: &'a [Option<&'a Quantity>],
}

impl Condition {
    /// Parses and type-checks `source` against what the rule extracts.
    pub fn parse(source: &str, vocabulary: &Vocabulary) -> Result<Condition, ConditionError> {
        let mut pairs = ConditionGrammar::parse(Rule::condition, source).map_err(|e| syntax_error(&e))?;
        let expr_pair = pairs.next().and_then(|p| p.into_inner().next()).ok_or_else(|| ConditionError {
            start: 0,
            end: source.len(),
            message: "empty condition".into(),
            help: None,
        })?;
        let expr = build(expr_pair, vocabulary)?;
        let ty = type_of(&expr);
        if !is_test(&expr) {
            return Err(ConditionError {
                start: 0,
                end: source.len(),
                message: format!("the condition is {}, not true/false", ty.name()),
                help: Some("compare it with something, e.g. `duration > 12 months`".into()),
            });
        }
        Ok(Condition { source: source.to_string(), expr })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn eval(&self, env: &Env<'_>) -> bool {
        truth(&self.expr, env)
    }
}

fn syntax_error(e: &pest::error::Error<Rule>) -> ConditionError {
    let (start, end) = match e.location {
        pest::error::InputLocation::Pos(p) => (p, p),
        pest::error::InputLocation::Span((s, e)) => (s, e),
    };
    let renamed = e.clone().renamed_rules(|r| {
        match r {
            Rule::quantity => "a value with a unit (`12 months`)",
            Rule::number => "a number",
            Rule::variable | Rule::ident => "a name such as `duration` or `as_of.year`",
            Rule::cmp_op => "a comparison (`<`, `<=`, `>`, `>=`, `==`, `!=`)",
            Rule::or_op => "`or`",
            Rule::and_op => "`and`",
            Rule::not_op => "`not`",
            Rule::add_op => "`+` or `-`",
            Rule::mul_op => "`*` or `/`",
            Rule::unit => "a unit (days, weeks, months, years, business days, %)",
            Rule::EOI => "the end of the condition",
            _ => "an expression",
        }
        .to_string()
    });
    ConditionError {
        start,
        end,
        message: format!("condition does not parse: {}", renamed.variant.message()),
        help: Some("write comparisons such as `duration > 12 months` or `year < as_of.year - 1`".into()),
    }
}

fn build(pair: Pair<'_, Rule>, vocabulary: &Vocabulary) -> Result<Expr, ConditionError> {
    let span = pair.as_span();
    let err =
        |message: String, help: Option<String>| ConditionError { start: span.start(), end: span.end(), message, help };
    match pair.as_rule() {
        Rule::expr | Rule::conj => {
            let is_or = pair.as_rule() == Rule::expr;
            let parts: Vec<Expr> = pair
                .into_inner()
                .filter(|p| !matches!(p.as_rule(), Rule::or_op | Rule::and_op))
                .map(|p| build(p, vocabulary))
                .collect::<Result<_, _>>()?;
            if parts.len() == 1 {
                return Ok(parts.into_iter().next().unwrap_or(Expr::Number(0.0)));
            }
            for p in &parts {
                if !is_test(p) {
                    return Err(err(
                        format!(
                            "`{}` joins true/false values, not {}",
                            if is_or { "or" } else { "and" },
                            type_of(p).name()
                        ),
                        None,
                    ));
                }
            }
            Ok(if is_or { Expr::Or(parts) } else { Expr::And(parts) })
        }
        Rule::neg => {
            let mut inner = pair.into_inner().peekable();
            if inner.peek().is_some_and(|p| p.as_rule() == Rule::not_op) {
                inner.next();
                let operand = inner.next().ok_or_else(|| err("`not` needs an operand".into(), None))?;
                let e = build(operand, vocabulary)?;
                if !is_test(&e) {
                    return Err(err(format!("`not` applies to true/false, not {}", type_of(&e).name()), None));
                }
                Ok(Expr::Not(Box::new(e)))
            } else {
                let operand = inner.next().ok_or_else(|| err("empty expression".into(), None))?;
                build(operand, vocabulary)
            }
        }
        Rule::comparison => {
            let mut inner = pair.into_inner();
            let left = build(inner.next().ok_or_else(|| err("empty comparison".into(), None))?, vocabulary)?;
            let Some(op) = inner.next() else {
                return Ok(left);
            };
            let right =
                build(inner.next().ok_or_else(|| err("comparison needs a right side".into(), None))?, vocabulary)?;
            let (lt, rt) = (type_of(&left), type_of(&right));
            if lt != rt || lt == Type::Bool && !matches!(op.as_str(), "==" | "!=") {
                let help = (lt == Type::Duration || rt == Type::Duration)
                    .then(|| "give the number a unit, e.g. `duration > 90 days`".to_string());
                return Err(err(format!("cannot compare {} with {}", lt.name(), rt.name()), help));
            }
            let cmp = match op.as_str() {
                "<" => Cmp::Lt,
                "<=" => Cmp::Le,
                ">" => Cmp::Gt,
                ">=" => Cmp::Ge,
                "==" => Cmp::Eq,
                _ => Cmp::Ne,
            };
            Ok(Expr::Compare(Box::new(left), cmp, Box::new(right)))
        }
        Rule::sum | Rule::product => {
            let mut inner = pair.into_inner();
            let mut acc = build(inner.next().ok_or_else(|| err("empty expression".into(), None))?, vocabulary)?;
            while let Some(op) = inner.next() {
                let rhs =
                    build(inner.next().ok_or_else(|| err("operator needs a right side".into(), None))?, vocabulary)?;
                let op = match op.as_str() {
                    "+" => Arith::Add,
                    "-" => Arith::Sub,
                    "*" => Arith::Mul,
                    _ => Arith::Div,
                };
                let ok = matches!(
                    (type_of(&acc), op, type_of(&rhs)),
                    (Type::Number, _, Type::Number)
                        | (Type::Duration, Arith::Add | Arith::Sub, Type::Duration)
                        | (Type::Duration, Arith::Mul | Arith::Div, Type::Number)
                );
                if !ok {
                    return Err(err(
                        format!("cannot combine {} and {} this way", type_of(&acc).name(), type_of(&rhs).name()),
                        None,
                    ));
                }
                acc = Expr::Arith(Box::new(acc), op, Box::new(rhs));
            }
            Ok(acc)
        }
        Rule::quantity => {
            let mut inner = pair.into_inner();
            let n: f64 =
                inner.next().map_or(Ok(0.0), |p| p.as_str().parse()).map_err(|_| err("bad number".into(), None))?;
            let unit = inner.next().map_or("", |p| p.as_str());
            Ok(match unit {
                "%" => Expr::Number(n),
                "business day" | "business days" => Expr::Days(n * 7.0 / 5.0),
                "week" | "weeks" => Expr::Days(n * 7.0),
                "month" | "months" => Expr::Days(n * DAYS_PER_MONTH),
                "year" | "years" => Expr::Days(n * 365.0),
                _ => Expr::Days(n),
            })
        }
        Rule::number => pair.as_str().parse().map(Expr::Number).map_err(|_| err("bad number".into(), None)),
        Rule::variable => {
            let name = pair.as_str();
            if let Some(i) = vocabulary.named.iter().position(|(n, _)| n == name) {
                return Ok(Expr::Var(Var::Named(i, vocabulary.named[i].1)));
            }
            let Some(&(_, var, _, needs)) = Var::TABLE.iter().find(|t| t.0 == name) else {
                let known: Vec<String> =
                    Var::names().map(str::to_string).chain(vocabulary.named.iter().map(|(n, _)| n.clone())).collect();
                let close = known
                    .iter()
                    .min_by_key(|k| strsim::levenshtein(k, name))
                    .filter(|k| strsim::levenshtein(k, name) <= 3);
                return Err(err(
                    format!("unknown name `{name}`"),
                    Some(match close {
                        Some(c) => format!("did you mean `{c}`? Known names: {}", known.join(", ")),
                        None => format!("known names: {}", known.join(", ")),
                    }),
                ));
            };
            if let Some(kind) = needs.filter(|k| !vocabulary.kinds.contains(k)) {
                return Err(err(
                    format!("`{name}` is only known when the rule extracts it"),
                    Some(format!("add `extract: {}` to the rule", kind.name())),
                ));
            }
            Ok(Expr::Var(var))
        }
        _ => Err(err(format!("unexpected `{}`", pair.as_str()), None)),
    }
}

/// True/false, or a quantity named alone (`duration`: was one found?).
fn is_test(e: &Expr) -> bool {
    type_of(e) == Type::Bool || matches!(e, Expr::Var(_))
}

fn type_of(e: &Expr) -> Type {
    match e {
        Expr::Number(_) => Type::Number,
        Expr::Days(_) => Type::Duration,
        Expr::Var(Var::Named(_, Kind::Duration)) => Type::Duration,
        Expr::Var(Var::Named(..)) => Type::Number,
        Expr::Var(v) => Var::TABLE.iter().find(|t| t.1 == *v).map_or(Type::Number, |t| t.2),
        Expr::Not(_) | Expr::And(_) | Expr::Or(_) | Expr::Compare(..) => Type::Bool,
        Expr::Arith(l, _, r) => {
            if type_of(l) == Type::Duration || type_of(r) == Type::Duration {
                Type::Duration
            } else {
                Type::Number
            }
        }
    }
}

fn find<'a>(env: &Env<'a>, kind: Kind) -> Option<&'a Quantity> {
    env.quantities.iter().copied().find(|q| q.kind() == kind)
}

/// A quantity as one number: days for durations, the year of a date.
fn scalar(q: &Quantity) -> Option<f64> {
    match q.value {
        Value::Duration { .. } => q.days(),
        Value::Percent(n) | Value::Money(n) => Some(n),
        Value::Year(y) | Value::Date { year: y, .. } => Some(f64::from(y)),
    }
}

/// The numeric value of an expression; durations in days. `None` when a quantity is missing.
fn value(e: &Expr, env: &Env<'_>) -> Option<f64> {
    use crate::quantity::Value as Q;
    match e {
        Expr::Number(n) | Expr::Days(n) => Some(*n),
        Expr::Var(v) => match v {
            Var::Duration | Var::Days => find(env, Kind::Duration)?.days(),
            Var::Months => Some(find(env, Kind::Duration)?.days()? / DAYS_PER_MONTH),
            Var::Percent => match find(env, Kind::Percent)?.value {
                Q::Percent(p) => Some(p),
                _ => None,
            },
            Var::Year => match find(env, Kind::Year)?.value {
                Q::Year(y) => Some(f64::from(y)),
                _ => None,
            },
            Var::Amount => match find(env, Kind::Money)?.value {
                Q::Money(m) => Some(m),
                _ => None,
            },
            Var::AsOfYear => Some(f64::from(env.as_of.year())),
            Var::AsOfMonth => Some(f64::from(env.as_of.month())),
            Var::AsOfDay => Some(f64::from(env.as_of.day())),
            Var::Mismatch => Some(if truth(e, env) { 1.0 } else { 0.0 }),
            Var::Named(i, _) => scalar(env.named.get(*i).copied().flatten()?),
        },
        Expr::Arith(l, op, r) => {
            let (l, r) = (value(l, env)?, value(r, env)?);
            Some(match op {
                Arith::Add => l + r,
                Arith::Sub => l - r,
                Arith::Mul => l * r,
                Arith::Div if r == 0.0 => return None,
                Arith::Div => l / r,
            })
        }
        Expr::Not(_) | Expr::And(_) | Expr::Or(_) | Expr::Compare(..) => Some(if truth(e, env) { 1.0 } else { 0.0 }),
    }
}

fn truth(e: &Expr, env: &Env<'_>) -> bool {
    match e {
        Expr::Var(Var::Mismatch) => env.quantities.iter().any(|q| q.conflict.is_some()),
        Expr::Var(v) => value(&Expr::Var(*v), env).is_some(),
        Expr::Not(inner) => !truth(inner, env),
        Expr::And(parts) => parts.iter().all(|p| truth(p, env)),
        Expr::Or(parts) => parts.iter().any(|p| truth(p, env)),
        Expr::Compare(l, cmp, r) => {
            let (Some(l), Some(r)) = (value(l, env), value(r, env)) else {
                return false;
            };
            // Durations in days carry fractions (18 months = 547.5 days); compare with a tolerance.
            let eps = 1e-6;
            match cmp {
                Cmp::Lt => l < r - eps,
                Cmp::Le => l <= r + eps,
                Cmp::Gt => l > r + eps,
                Cmp::Ge => l >= r - eps,
                Cmp::Eq => (l - r).abs() <= eps,
                Cmp::Ne => (l - r).abs() > eps,
            }
        }
        Expr::Number(n) | Expr::Days(n) => *n != 0.0,
        Expr::Arith(..) => value(e, env).is_some_and(|v| v != 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::scan;

    fn check(cond: &str, kinds: &[Kind], text: &str) -> bool {
        let vocabulary = Vocabulary { kinds: kinds.to_vec(), ..Vocabulary::default() };
        let c = Condition::parse(cond, &vocabulary).unwrap_or_else(|e| panic!("{cond}: {e:?}"));
        let qs = scan(text);
        let refs: Vec<&Quantity> = qs.iter().collect();
        let as_of = jiff::civil::date(2026, 11, 26);
        c.eval(&Env { as_of, quantities: &refs, named: &[] })
    }

    #[test]
    fn durations_compare_with_units() {
        let d = [Kind::Duration];
        assert!(check("duration > 12 months", &d, "thirty-six (36) months"));
        assert!(!check("duration > 12 months", &d, "twelve (12) months"));
        assert!(!check("duration > 12 months", &d, "one (1) year"));
        assert!(!check("duration > 12 months", &d, "365 days"));
        assert!(check("duration > 12 months", &d, "366 days"));
        assert!(check("duration < 90 days", &d, "sixty (60) days"));
        assert!(!check("duration < 90 days", &d, "ninety (90) days"));
        assert!(!check("duration < 90 days", &d, "three months"), "3 months is 91.25 days");
        assert!(check("days >= 180 and days <= 180", &d, "180 days"));
    }

    #[test]
    fn years_against_the_audit_date() {
        let k = [Kind::Year, Kind::Percent];
        assert!(check("year < as_of.year - 1", &k, "110% of the 2019 Medicare fee schedule"));
        assert!(!check("year < as_of.year - 1", &k, "the 2025 Medicare fee schedule"));
        assert!(check("percent < 100", &k, "95% of the 2026 fee schedule"));
    }

    #[test]
    fn missing_quantities_make_comparisons_false() {
        assert!(!check("duration > 12 months", &[Kind::Duration], "no limit at all"));
        assert!(check("not duration", &[Kind::Duration], "no limit at all"));
        assert!(check("mismatch", &[Kind::Duration], "thirty (60) days"));
    }

    #[test]
    fn names_may_begin_with_operator_words() {
        for name in ["notice", "order_total", "android"] {
            let v = Vocabulary { named: vec![(name.to_string(), Kind::Duration)], ..Vocabulary::default() };
            let c = format!("{name} < 30 days and not {name} > 1 year or {name} == 5 days");
            assert!(Condition::parse(&c, &v).is_ok(), "{c}");
        }
    }

    #[test]
    fn errors_point_into_the_condition() {
        let parse = |c: &str, k: Kind| Condition::parse(c, &Vocabulary { kinds: vec![k], ..Vocabulary::default() });
        let e = parse("duration > 12", Kind::Duration).err().unwrap();
        assert!(e.message.contains("cannot compare a duration with a number"), "{e:?}");
        let e = parse("duraton > 12 months", Kind::Duration).err().unwrap();
        assert_eq!((e.start, e.end), (0, 7));
        assert!(e.help.unwrap().contains("did you mean `duration`"));
        let e = parse("year < as_of.year -", Kind::Year).err().unwrap();
        assert_eq!(e.start, 19);
        let e = parse("year < 2020", Kind::Duration).err().unwrap();
        assert!(e.help.unwrap().contains("extract: year"));
    }
}
