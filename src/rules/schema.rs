//! The rule file format, as serde reads it. Unknown keys are errors.
//!
//! ```yaml
//! pack: {name: payer, version: 1}
//! rules:
//!   - id: recoupment.lookback-too-long
//!     title: Overpayment recovery window longer than 12 months
//!     category: recoupment
//!     severity: high
//!     scope: sentence
//!     any: ['\brecoup\w*', {phrase: "recover any overpayment"}]
//!     unless: ['\bmay not\b']
//!     near: {any: ['\bpayments?\b'], within: 12}
//!     extract: duration
//!     where: duration > 12 months
//!     message: Overpayments may be recouped for {duration}; the benchmark is 12 months.
//! ```

use schemars::JsonSchema;
use serde::Deserialize;

pub use crate::document::Scope;
pub use crate::finding::Severity;

/// The top level of a rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// Name and version of the pack the file belongs to.
    pub pack: PackSpec,
    /// Named pattern sets rules use as `(?&name)`; each checked on its own.
    #[serde(default)]
    pub concepts: serde_yaml::Mapping,
    /// Concepts that are also actions of the clause reading (`action:`).
    #[serde(default)]
    pub actions: serde_yaml::Mapping,
    /// The rules; each is checked on its own so every error is reported.
    #[serde(default)]
    pub rules: Vec<serde_yaml::Value>,
}

/// One concept or action: its patterns, a documented definition, or patterns
/// added to a concept another file defines.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ConceptSpec {
    /// `overpayment: ['\boverpa\w*', {phrase: paid in error}]`
    Patterns(Vec<PatternSpec>),
    /// `recover: {doc: ..., any: [...]}`
    Defined(DefinedConcept),
    /// `recover: {extend: [...]}`: more ways to say a concept defined elsewhere.
    Extend(ExtendConcept),
}

/// A concept with its documentation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefinedConcept {
    /// What the concept stands for.
    #[serde(default)]
    pub doc: Option<String>,
    /// Its patterns; any one of them says it.
    pub any: Vec<PatternSpec>,
}

/// Patterns added to a concept defined in another file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendConcept {
    /// The patterns to add.
    pub extend: Vec<PatternSpec>,
}

/// The `pack:` mapping of a rule file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackSpec {
    /// The pack's name (`payer`, `my-firm`).
    pub name: String,
    #[serde(default)]
    /// Its version, a number or a string.
    pub version: Option<Version>,
    #[serde(default)]
    /// What it is for.
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
/// A pack version.
pub enum Version {
    /// `version: 2`
    Number(u64),
    /// `version: "2026.1"`
    Text(String),
}

/// One rule as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable dotted identifier, e.g. `recoupment.lookback-too-long`.
    pub id: String,
    /// One line: what the rule flags.
    pub title: String,
    /// The red-flag category (see the domain vocabulary), e.g. `recoupment`.
    pub category: String,
    /// critical, high, medium, low or info.
    pub severity: Severity,
    /// The unit the patterns must share. Default: sentence.
    #[serde(default)]
    pub scope: Scope,
    /// Trigger patterns: any one of them starts a candidate.
    #[serde(default)]
    pub any: Vec<PatternSpec>,
    /// Patterns that must all match in the same unit.
    #[serde(default)]
    pub all: Vec<PatternSpec>,
    /// Exceptions: a pattern anywhere in the unit cancels it; `{any: [...], within: N}`
    /// cancels only a trigger or quantity within N words of it.
    #[serde(default)]
    pub unless: Vec<UnlessSpec>,
    /// Some pattern must appear within a number of words of the trigger.
    #[serde(default)]
    pub near: Option<NearSpec>,
    /// The action the clause is about (an `actions:` name): its patterns are
    /// the triggers when there is no `any`, and extracted quantities are only
    /// those that limit it (the filing window, not the payment window). A list
    /// names the trigger action first, then others whose periods count too
    /// (`[terminate, notify]`: the notice period of a termination).
    #[serde(default)]
    pub action: OneOrMany<String>,
    /// What the clause around the trigger must say: who acts and how. A list
    /// is alternatives, one of which must hold ("the provider must or may
    /// not", or "the payer may") — a reading no single test describes.
    #[serde(default)]
    pub reading: OneOrMany<ReadingSpec>,
    /// Patterns one of which must match in the unit, its paragraph or a heading
    /// above it ("Overpayments" over a clause that says only "entitled to offset").
    #[serde(default)]
    pub topic: Vec<PatternSpec>,
    /// Patterns none of which may match in the unit, its paragraph or a heading
    /// above it: a neighbouring topic another rule covers ("dispute within 45
    /// days" under "Overpayment Recovery" is not a claim appeal).
    #[serde(default)]
    pub not_topic: Vec<PatternSpec>,
    /// Quantities to read: a kind, bound to the trigger, or `{as: NAME, kind: KIND,
    /// near: [patterns]}`, bound to the nearest match of those patterns.
    #[serde(default)]
    pub extract: OneOrMany<ExtractSpec>,
    /// Condition on the extracted quantities, e.g. `duration > 12 months`.
    #[serde(default, rename = "where")]
    pub condition: Option<String>,
    /// Absence rules: fire only when no sentence of the document matches this.
    #[serde(default)]
    pub absent: Option<AbsentSpec>,
    /// A built-in check of the file as extracted, instead of patterns.
    #[serde(default)]
    pub builtin: Option<crate::rules::kind::Builtin>,
    /// The finding's message; `{placeholders}` take extracted values.
    #[serde(default)]
    pub message: Option<String>,
    /// Why it costs the practice money or control.
    #[serde(default)]
    pub rationale: Option<String>,
    /// What to ask for instead.
    #[serde(default)]
    pub recommendation: Option<String>,
    /// Statutes, policies and model contracts behind it.
    #[serde(default)]
    pub references: Vec<String>,
    /// Texts it must and must not flag; `redflag rules test` runs them.
    #[serde(default)]
    pub examples: ExamplesSpec,
}

/// The part of an absence rule that must be found somewhere in the document.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsentSpec {
    /// The unit searched for it: sentence (default), paragraph or section.
    #[serde(default)]
    pub scope: Scope,
    /// Patterns any one of which is what the document must contain somewhere.
    #[serde(default)]
    pub any: Vec<PatternSpec>,
    /// Patterns that must all match in that unit.
    #[serde(default)]
    pub all: Vec<PatternSpec>,
    /// Exceptions, as for the rule.
    #[serde(default)]
    pub unless: Vec<UnlessSpec>,
    /// Proximity, as for the rule.
    #[serde(default)]
    pub near: Option<NearSpec>,
    /// The action the absent clause is about.
    #[serde(default)]
    pub action: OneOrMany<String>,
    /// What that clause must say, as for the rule.
    #[serde(default)]
    pub reading: OneOrMany<ReadingSpec>,
    /// Patterns one of which must match in that unit, its paragraph or a heading above it.
    #[serde(default)]
    pub topic: Vec<PatternSpec>,
    /// Patterns none of which may match in that unit, its paragraph or a heading above it.
    #[serde(default)]
    pub not_topic: Vec<PatternSpec>,
    /// Quantities to read there.
    #[serde(default)]
    pub extract: OneOrMany<ExtractSpec>,
    /// Condition on them.
    #[serde(default, rename = "where")]
    pub condition: Option<String>,
}

/// What the clause around a trigger must say; every key given must hold.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadingSpec {
    /// Who may act: payer, government, provider, member, either, other, unnamed.
    #[serde(default)]
    pub actor: OneOrMany<crate::read::clause::Actor>,
    /// How: may, must, states, forbidden, should.
    #[serde(default)]
    pub modality: OneOrMany<crate::read::clause::Modality>,
    /// `false`: not inside an if/when/unless clause; `true`: only there.
    #[serde(default)]
    pub conditional: Option<bool>,
    /// `false`: not in a definition ("X" means …); `true`: only there.
    #[serde(default)]
    pub definition: Option<bool>,
    /// `true`: the trigger is what its clause says, within a few words of the
    /// modal, not deep in another verb's object ("shall give notice that
    /// justifies the recovery").
    #[serde(default)]
    pub direct: Option<bool>,
}

/// What to extract: a kind, or a named quantity anchored to its own patterns.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ExtractSpec {
    /// `duration`: bound to the quantity nearest the trigger.
    Kind(KindSpec),
    /// A named quantity bound near its own anchor.
    Named(NamedSpec),
}

/// `{as: provider_notice, kind: duration, near: ['\bprovider\b[^.]{0,40}terminat']}`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedSpec {
    /// The name the condition and the message use, e.g. `provider_notice`.
    #[serde(rename = "as")]
    pub name: String,
    /// The kind of quantity.
    pub kind: KindSpec,
    /// The quantity nearest to a match of one of these patterns is bound.
    pub near: Vec<PatternSpec>,
}

/// A regular expression (case-insensitive), or `{phrase: "..."}`: literal words
/// that match across line breaks and any whitespace.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PatternSpec {
    /// A regular expression.
    Regex(String),
    /// Literal words.
    Phrase(PhraseSpec),
}

/// An exception: a pattern for the whole unit, or patterns that count only near
/// the trigger or the quantity read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum UnlessSpec {
    /// A pattern anywhere in the unit cancels it.
    Pattern(PatternSpec),
    /// Patterns within N words of the trigger or quantity cancel that reading.
    Near(NearSpec),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// `{phrase: "recover any overpayment"}`
pub struct PhraseSpec {
    /// The words, matched across line breaks and any whitespace.
    pub phrase: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// `{any: [...], within: N}`
pub struct NearSpec {
    /// The patterns, any one of which must be near.
    pub any: Vec<PatternSpec>,
    /// Words allowed between the trigger and the nearby pattern. Default: 10.
    #[serde(default = "default_within")]
    pub within: usize,
}

fn default_within() -> usize {
    10
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// `examples: {flag: [...], pass: [...]}`
pub struct ExamplesSpec {
    /// Texts the rule must flag.
    #[serde(default)]
    pub flag: Vec<String>,
    /// Texts the rule must not flag.
    #[serde(default)]
    pub pass: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
/// A kind of quantity a rule extracts.
pub enum KindSpec {
    /// "ninety (90) days"
    Duration,
    /// "110%"
    Percent,
    /// "2019"
    Year,
    /// "$1,250.00"
    Money,
    /// "January 1, 2026"
    Date,
}

/// `extract: duration` or `extract: [year, percent]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// One value.
    One(T),
    /// A list.
    Many(Vec<T>),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T: Clone> OneOrMany<T> {
    /// The values as a list.
    pub fn to_vec(&self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A rule file as editors see it: the JSON Schema (`schema/rule-file.schema.json`)
/// is generated from this, so completion and checking follow the real format.
#[derive(JsonSchema)]
#[schemars(title = "redflag rule file")]
#[allow(dead_code)] // Only its schema is used; it is never built.
pub struct RuleFileSchema {
    /// Name and version of the pack the file belongs to.
    pack: PackSpec,
    /// Named pattern sets rules use as `(?&name)`.
    concepts: std::collections::BTreeMap<String, ConceptSpec>,
    /// Concepts that are also actions of the clause reading.
    actions: std::collections::BTreeMap<String, ConceptSpec>,
    /// The rules.
    rules: Vec<RuleSpec>,
}

/// The JSON Schema of rule files, pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RuleFileSchema);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
