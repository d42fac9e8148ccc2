//! A parsed condition → a type-checked [`Expr`], or a located error.

use pest::iterators::Pair;

use super::{Arith, Cmp, ConditionError, Expr, Rule, Var, is_test, type_of};
use crate::quantity::DAYS_PER_MONTH;
use crate::rules::Vocabulary;
use crate::rules::values::{self, Needs, Type};

/// The units a quantity in a condition may have.
const UNITS: [&str; 10] =
    ["days", "day", "business days", "business day", "weeks", "week", "months", "month", "years", "year"];

pub(super) fn syntax_error(e: &pest::error::Error<Rule>, source: &str) -> ConditionError {
    let (start, end) = match e.location {
        pest::error::InputLocation::Pos(p) => (p, p),
        pest::error::InputLocation::Span((s, e)) => (s, e),
    };
    // A word right after a number is a unit the grammar does not know
    // (`365 dayz`, where "day" matched and the error is at the `z`): said as
    // such, not as "expected the end of the condition".
    let rest = source.get(start..).unwrap_or("");
    let at = start + (rest.len() - rest.trim_start().len());
    let before = source.get(..at).unwrap_or("");
    let at = at - (before.len() - before.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len());
    let word: String = source.get(at..).unwrap_or("").chars().take_while(char::is_ascii_alphabetic).collect();
    if !word.is_empty() && source.get(..at).is_some_and(|b| b.trim_end().ends_with(|c: char| c.is_ascii_digit())) {
        let nearest =
            UNITS.iter().min_by_key(|u| strsim::levenshtein(u, &word.to_lowercase())).copied().unwrap_or("days");
        return ConditionError {
            start: at,
            end: at + word.len(),
            message: format!("unknown unit `{word}`"),
            help: Some(format!("did you mean `{nearest}`? units are days, weeks, months, years, business days and %")),
        };
    }
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

/// Deepest nesting of parentheses and `not`s a condition may use: far more than
/// any rule needs, and few enough that parsing and checking, which recurse,
/// cannot exhaust the stack on a hostile rule file.
pub(super) const MAX_DEPTH: usize = 32;

/// Where a condition nests deeper than [`MAX_DEPTH`]: checked on the text, before
/// the grammar (which recurses as deep) runs.
pub(super) fn too_deep(source: &str) -> Option<ConditionError> {
    let (mut depth, mut nots) = (0usize, 0usize);
    let mut prev_word_end = true;
    for (i, c) in source.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '!' if !source[i + 1..].starts_with('=') => nots += 1,
            _ => {}
        }
        let word_start = prev_word_end && source[i..].starts_with("not") && {
            let after = source[i + 3..].chars().next();
            after.is_none_or(|a| !(a.is_ascii_alphanumeric() || a == '_'))
        };
        if word_start {
            nots += 1;
        }
        prev_word_end = !(c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if depth + nots > MAX_DEPTH {
            return Some(ConditionError {
                start: i,
                end: i + c.len_utf8(),
                message: format!("the condition nests deeper than {MAX_DEPTH} levels"),
                help: Some("write it flatter: `a and b and c` needs no parentheses".into()),
            });
        }
    }
    None
}

/// Builds the checked expression of a parsed pair.
pub(super) fn build(pair: Pair<'_, Rule>, vocabulary: &Vocabulary) -> Result<Expr, ConditionError> {
    let span = pair.as_span();
    let err = &|message: String, help: Option<String>| -> ConditionError {
        ConditionError { start: span.start(), end: span.end(), message, help }
    };
    match pair.as_rule() {
        Rule::expr | Rule::conj => junction(pair, vocabulary, err),
        Rule::neg => negation(pair, vocabulary, err),
        Rule::comparison => comparison(pair, vocabulary, err),
        Rule::sum | Rule::product => arithmetic(pair, vocabulary, err),
        Rule::quantity => literal(pair, err),
        Rule::number => pair.as_str().parse().map(Expr::Number).map_err(|_| err("bad number".into(), None)),
        Rule::variable => variable(pair.as_str(), vocabulary, err),
        _ => Err(err(format!("unexpected `{}`", pair.as_str()), None)),
    }
}

type Err<'e> = &'e dyn Fn(String, Option<String>) -> ConditionError;

fn junction(pair: Pair<'_, Rule>, vocabulary: &Vocabulary, err: Err<'_>) -> Result<Expr, ConditionError> {
    let is_or = pair.as_rule() == Rule::expr;
    let parts: Vec<Expr> = pair
        .into_inner()
        .filter(|p| !matches!(p.as_rule(), Rule::or_op | Rule::and_op))
        .map(|p| build(p, vocabulary))
        .collect::<Result<_, _>>()?;
    if parts.len() == 1 {
        return Ok(parts.into_iter().next().unwrap_or(Expr::Number(0.0)));
    }
    if let Some(p) = parts.iter().find(|p| !is_test(p)) {
        let op = if is_or { "or" } else { "and" };
        return Err(err(format!("`{op}` joins true/false values, not {}", type_of(p).name()), None));
    }
    Ok(if is_or { Expr::Or(parts) } else { Expr::And(parts) })
}

fn negation(pair: Pair<'_, Rule>, vocabulary: &Vocabulary, err: Err<'_>) -> Result<Expr, ConditionError> {
    let mut inner = pair.into_inner().peekable();
    if inner.next_if(|p| p.as_rule() == Rule::not_op).is_none() {
        let operand = inner.next().ok_or_else(|| err("empty expression".into(), None))?;
        return build(operand, vocabulary);
    }
    let operand = inner.next().ok_or_else(|| err("`not` needs an operand".into(), None))?;
    let e = build(operand, vocabulary)?;
    if !is_test(&e) {
        return Err(err(format!("`not` applies to true/false, not {}", type_of(&e).name()), None));
    }
    Ok(Expr::Not(Box::new(e)))
}

fn comparison(pair: Pair<'_, Rule>, vocabulary: &Vocabulary, err: Err<'_>) -> Result<Expr, ConditionError> {
    let mut inner = pair.into_inner();
    let left = build(inner.next().ok_or_else(|| err("empty comparison".into(), None))?, vocabulary)?;
    let Some(op) = inner.next() else {
        return Ok(left);
    };
    let right = build(inner.next().ok_or_else(|| err("comparison needs a right side".into(), None))?, vocabulary)?;
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

fn arithmetic(pair: Pair<'_, Rule>, vocabulary: &Vocabulary, err: Err<'_>) -> Result<Expr, ConditionError> {
    let mut inner = pair.into_inner();
    let mut acc = build(inner.next().ok_or_else(|| err("empty expression".into(), None))?, vocabulary)?;
    while let Some(op) = inner.next() {
        let rhs = build(inner.next().ok_or_else(|| err("operator needs a right side".into(), None))?, vocabulary)?;
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
            let (l, r) = (type_of(&acc).name(), type_of(&rhs).name());
            return Err(err(format!("cannot combine {l} and {r} this way"), None));
        }
        acc = Expr::Arith(Box::new(acc), op, Box::new(rhs));
    }
    Ok(acc)
}

/// `12 months`, `90 days`, `100%`: durations in calendar days.
fn literal(pair: Pair<'_, Rule>, err: Err<'_>) -> Result<Expr, ConditionError> {
    let mut inner = pair.into_inner();
    let n: f64 = inner.next().map_or(Ok(0.0), |p| p.as_str().parse()).map_err(|_| err("bad number".into(), None))?;
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

fn variable(name: &str, vocabulary: &Vocabulary, err: Err<'_>) -> Result<Expr, ConditionError> {
    if let Some(i) = vocabulary.named.iter().position(|(n, _)| n == name) {
        return Ok(Expr::Var(Var::Named(i, vocabulary.named[i].1)));
    }
    let Some(entry) = values::lookup(name).filter(|e| e.ty != Type::Text) else {
        let known: Vec<String> = values::TABLE
            .iter()
            .filter(|e| e.ty != Type::Text)
            .map(|e| e.name.to_string())
            .chain(vocabulary.named.iter().map(|(n, _)| n.clone()))
            .collect();
        let close =
            known.iter().min_by_key(|k| strsim::levenshtein(k, name)).filter(|k| strsim::levenshtein(k, name) <= 3);
        return Err(err(
            format!("unknown name `{name}`"),
            Some(match close {
                Some(c) => format!("did you mean `{c}`? Known names: {}", known.join(", ")),
                None => format!("known names: {}", known.join(", ")),
            }),
        ));
    };
    if !values::is_known(entry, &vocabulary.kinds, vocabulary.builtin) {
        let help = match entry.needs {
            Needs::Extract(kind) => format!("add `extract: {}` to the rule", kind.name()),
            _ => "only a built-in check reports it".to_string(),
        };
        return Err(err(format!("`{name}` is only known when the rule extracts it"), Some(help)));
    }
    Ok(Expr::Var(Var::Value(entry.value)))
}
