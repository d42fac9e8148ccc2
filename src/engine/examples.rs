//! Running a rule's own `examples`: every `flag` text must produce a finding of
//! the rule, every `pass` text must not.

use serde::Serialize;

use super::Engine;
use crate::document::Document;
use crate::rules::Rule;

/// What an example expects of its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// The rule must report the text.
    Flag,
    /// The rule must not.
    Pass,
}

/// The outcome of one example.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleResult {
    /// The rule's id.
    pub rule: String,
    /// What the example expects.
    pub expect: Expect,
    /// Its place among the rule's `flag` or `pass` examples.
    pub index: usize,
    /// The example text.
    pub text: String,
    /// Whether the rule behaved as expected.
    pub ok: bool,
    /// What the rule reported on the example (messages), for diagnosing failures.
    pub saw: Vec<String>,
}

/// Runs every example of `rule` as of `as_of`.
pub fn run_examples(rule: &Rule, as_of: jiff::civil::Date) -> Vec<ExampleResult> {
    let engine = Engine::new(vec![rule.clone()], as_of);
    let cases = rule
        .doc
        .examples
        .flag
        .iter()
        .enumerate()
        .map(|(i, t)| (Expect::Flag, i, t))
        .chain(rule.doc.examples.pass.iter().enumerate().map(|(i, t)| (Expect::Pass, i, t)));
    cases
        .map(|(expect, index, text)| {
            let doc = Document::from_text(text);
            let saw: Vec<String> = engine.audit(&doc).into_iter().map(|f| f.message).collect();
            let ok = (expect == Expect::Flag) != saw.is_empty();
            ExampleResult { rule: rule.id.clone(), expect, index, text: text.clone(), ok, saw }
        })
        .collect()
}
