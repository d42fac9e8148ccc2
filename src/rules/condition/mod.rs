//! The `where` language: `duration > 12 months`, `year < as_of.year - 1`,
//! `percent < 100 and not mismatch`.
//!
//! Parsed by `grammar/condition.pest`, then type-checked once at load time
//! ([`build`]) so a rule that compares a duration with a bare number, or reads
//! a quantity it never extracts, is an error in the rule file rather than a
//! silent non-match. The names it reads are those of [`super::values`], the
//! table messages and facts use too. At evaluation a value that was not found
//! makes every comparison with it false; used alone (`duration`, `not
//! duration`) it asks whether it was found.

mod build;

use pest::Parser;
use pest_derive::Parser;

use super::Vocabulary;
use super::values::{Read, Reading, Type, Value};
use crate::quantity::Kind;

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
    /// Where the problem starts in the condition.
    pub start: usize,
    /// Where it ends.
    pub end: usize,
    /// What is wrong.
    pub message: String,
    /// How to mend it.
    pub help: Option<String>,
}

/// What a condition can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    /// A value of the table.
    Value(Value),
    /// The n-th named extraction of the rule.
    Named(usize, Kind),
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

impl Condition {
    /// Parses and type-checks `source` against what the rule extracts.
    pub fn parse(source: &str, vocabulary: &Vocabulary) -> Result<Condition, ConditionError> {
        if let Some(e) = build::too_deep(source) {
            return Err(e);
        }
        let mut pairs =
            ConditionGrammar::parse(Rule::condition, source).map_err(|e| build::syntax_error(&e, source))?;
        let expr_pair = pairs.next().and_then(|p| p.into_inner().next()).ok_or_else(|| ConditionError {
            start: 0,
            end: source.len(),
            message: "empty condition".into(),
            help: None,
        })?;
        let expr = build::build(expr_pair, vocabulary)?;
        if !is_test(&expr) {
            return Err(ConditionError {
                start: 0,
                end: source.len(),
                message: format!("the condition is {}, not true/false", type_of(&expr).name()),
                help: Some("compare it with something, e.g. `duration > 12 months`".into()),
            });
        }
        Ok(Condition { source: source.to_string(), expr })
    }

    /// The condition as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the condition holds for what the rule read.
    pub fn eval(&self, reading: &Reading<'_>) -> bool {
        truth(&self.expr, reading)
    }
}

/// True/false, or a value named alone (`duration`: was one found?).
fn is_test(e: &Expr) -> bool {
    type_of(e) == Type::Bool || matches!(e, Expr::Var(_))
}

fn type_of(e: &Expr) -> Type {
    match e {
        Expr::Number(_) => Type::Number,
        Expr::Days(_) => Type::Duration,
        Expr::Var(Var::Named(_, Kind::Duration)) => Type::Duration,
        Expr::Var(Var::Named(..)) => Type::Number,
        Expr::Var(Var::Value(v)) => super::values::TABLE.iter().find(|e| e.value == *v).map_or(Type::Number, |e| e.ty),
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

/// The numeric value of an expression; durations in days. `None` when a value is missing.
fn value(e: &Expr, reading: &Reading<'_>) -> Option<f64> {
    match e {
        Expr::Number(n) | Expr::Days(n) => Some(*n),
        Expr::Var(Var::Named(i, _)) => reading.named_value(*i),
        Expr::Var(Var::Value(v)) => match reading.get(*v)? {
            Read::Number(n) => Some(n),
            Read::Bool(b) => Some(if b { 1.0 } else { 0.0 }),
            Read::Text(_) => None,
        },
        Expr::Arith(l, op, r) => {
            let (l, r) = (value(l, reading)?, value(r, reading)?);
            Some(match op {
                Arith::Add => l + r,
                Arith::Sub => l - r,
                Arith::Mul => l * r,
                Arith::Div if r == 0.0 => return None,
                Arith::Div => l / r,
            })
        }
        Expr::Not(_) | Expr::And(_) | Expr::Or(_) | Expr::Compare(..) => {
            Some(if truth(e, reading) { 1.0 } else { 0.0 })
        }
    }
}

fn truth(e: &Expr, reading: &Reading<'_>) -> bool {
    match e {
        Expr::Var(Var::Value(v)) if type_of(e) == Type::Bool => reading.get(*v) == Some(Read::Bool(true)),
        Expr::Var(_) => value(e, reading).is_some(),
        Expr::Not(inner) => !truth(inner, reading),
        Expr::And(parts) => parts.iter().all(|p| truth(p, reading)),
        Expr::Or(parts) => parts.iter().any(|p| truth(p, reading)),
        Expr::Compare(l, cmp, r) => {
            let (Some(l), Some(r)) = (value(l, reading), value(r, reading)) else {
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
        Expr::Arith(..) => value(e, reading).is_some_and(|v| v != 0.0),
    }
}

#[cfg(test)]
mod tests;
