//! Rule files → compiled rules, or every problem in them as located diagnostics.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use miette::Diagnostic;
use rayon::prelude::*;

mod vocabulary;

use super::compile::{CompileError, compile};
use super::concepts::Vocabulary;
use super::schema::{FileSpec, RuleSpec};
use super::{Pack, Rule};
use crate::yaml::{FileError, FileErrors, Seg, YamlFile, display};

/// The text of one rule file and the name to show for it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name diagnostics show.
    pub name: String,
    /// The YAML.
    pub text: Arc<str>,
}

/// Rules loaded from one or more files, with warnings that do not stop loading.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The packs, in source order.
    pub packs: Vec<Pack>,
    /// The concepts and actions of every file.
    pub vocabulary: Arc<Vocabulary>,
    /// Problems that did not stop loading (rules without examples).
    pub warnings: Vec<FileError>,
}

impl Loaded {
    /// Every rule of every pack.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.packs.iter().flat_map(|p| p.rules.iter())
    }
}

/// Why rules could not be loaded: nothing is audited when this happens.
#[derive(Debug)]
pub enum LoadError {
    /// A rule file or folder could not be read.
    Io {
        /// The path as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Every problem of every file, grouped by file.
    Invalid(Vec<FileErrors>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, source } => write!(f, "cannot read rules from {path}: {source}"),
            LoadError::Invalid(files) => {
                let n: usize = files.iter().map(|f| f.errors.len()).sum();
                let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
                write!(f, "{n} error{} in {}", if n == 1 { "" } else { "s" }, names.join(", "))
            }
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Io { source, .. } => Some(source),
            LoadError::Invalid(_) => None,
        }
    }
}

impl Diagnostic for LoadError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(match self {
            LoadError::Io { .. } => "rules::io",
            LoadError::Invalid(_) => "rules::invalid",
        }))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        match self {
            LoadError::Io { .. } => None,
            LoadError::Invalid(files) => {
                Some(Box::new(files.iter().flat_map(|f| f.errors.iter()).map(|e| e as &dyn Diagnostic)))
            }
        }
    }
}

/// Reads a rule file, or every `.yaml`/`.yml` file under a folder (sorted).
pub fn read_path(path: &Path) -> Result<Vec<Source>, LoadError> {
    let io = |source: std::io::Error| LoadError::Io { path: path.display().to_string(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        let mut entries: Vec<_> =
            std::fs::read_dir(path).map_err(io)?.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        let mut out = Vec::new();
        for p in entries {
            if p.is_dir() || p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.extend(read_path(&p)?);
            }
        }
        return Ok(out);
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    Ok(vec![Source { name: path.display().to_string(), text: text.into() }])
}

/// Loads every source; all problems of all files are reported together.
/// The built-in vocabulary (`rules/vocabulary/`) is loaded first, so every rule
/// file, a firm's playbook too, may use and extend its concepts.
pub fn load_sources(sources: &[Source]) -> Result<Loaded, LoadError> {
    let mut all = super::builtin::vocabulary_sources();
    // A vocabulary file given again (`--rules rules/vocabulary/`) replaces the built-in one.
    all.retain(|v| !sources.iter().any(|s| s.name == v.name || s.name.ends_with(&v.name) || s.text == v.text));
    all.extend(sources.iter().cloned());
    let mut errors: Vec<Vec<FileError>> = vec![Vec::new(); all.len()];
    let parsed: Vec<Option<(YamlFile, FileSpec)>> =
        all.iter().zip(&mut errors).map(|(source, errors)| parse(source, errors)).collect();
    let views: Vec<Option<vocabulary::Parsed<'_>>> = parsed
        .iter()
        .zip(&all)
        .map(|(p, source)| p.as_ref().map(|(file, spec)| vocabulary::Parsed { file, spec, origin: &source.name }))
        .collect();
    let vocabulary = vocabulary::collect(&views, &mut errors);
    let mut loaded = Loaded { vocabulary: vocabulary.clone(), ..Loaded::default() };
    let mut seen: HashMap<String, String> = HashMap::new();
    for ((source, parsed), errors) in all.iter().zip(parsed).zip(&mut errors) {
        let Some((file, spec)) = parsed else { continue };
        let pack = rules(source, &file, spec, &vocabulary, &mut seen, errors, &mut loaded.warnings);
        if errors.is_empty() {
            loaded.packs.push(pack);
        }
    }
    let failed: Vec<FileErrors> = all
        .iter()
        .zip(errors)
        .filter(|(_, e)| !e.is_empty())
        .map(|(source, errors)| FileErrors { name: source.name.clone(), errors })
        .collect();
    if failed.is_empty() { Ok(loaded) } else { Err(LoadError::Invalid(failed)) }
}

/// The file's YAML and its top level, or its problems.
fn parse(source: &Source, errors: &mut Vec<FileError>) -> Option<(YamlFile, FileSpec)> {
    let (file, value) = match YamlFile::parse("rules", &source.name, &source.text) {
        Ok(parsed) => parsed,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    if !value.is_mapping() {
        errors.push(file.error(
            "not_a_rule_file",
            "a rule file is a mapping with `pack:` and `rules:`".into(),
            Some("start the file with `pack: {name: my-pack, version: 1}` and a `rules:` list".into()),
            "expected `pack:` and `rules:`",
            (0, file.text().len().min(1)),
        ));
        return None;
    }
    match file.deserialize_at(value, &[]) {
        Ok(spec) => Some((file, spec)),
        Err(e) => {
            errors.push(with_shape_help(e));
            None
        }
    }
}

/// The file's rules, compiled with the rule set's vocabulary.
fn rules(
    source: &Source,
    file: &YamlFile,
    spec: FileSpec,
    vocabulary: &Arc<Vocabulary>,
    seen: &mut HashMap<String, String>,
    errors: &mut Vec<FileError>,
    warnings: &mut Vec<FileError>,
) -> Pack {
    let origin: Arc<str> = source.name.clone().into();
    let mut specs = Vec::new();
    for (i, raw) in spec.rules.into_iter().enumerate() {
        let base = vec![Seg::Key("rules".into()), Seg::Index(i)];
        let rule: RuleSpec = match file.deserialize_repaired_at(raw, &base, &stand_ins()) {
            (Some(s), found) if found.is_empty() => s,
            (repaired, found) => {
                errors.extend(found.into_iter().map(with_shape_help));
                // What the rest of the rule holds is checked in the same run:
                // a bad severity must not hide a bad pattern or condition. A
                // rule left without patterns lost them to a problem already
                // said (a misspelt or mistyped `any`): not said again.
                if let Some(Err(errs)) = repaired.map(|spec| compile(spec, origin.clone(), vocabulary)) {
                    let more = errs.into_iter().filter(|e| e.code != "no_patterns");
                    errors.extend(more.map(|e| compile_error(file, &base, e)));
                }
                continue;
            }
        };
        let id_path: Vec<Seg> = base.iter().cloned().chain([Seg::Key("id".into())]).collect();
        if let Some(first) = seen.get(&rule.id) {
            errors.push(file.error(
                "duplicate_id",
                format!("duplicate rule id `{}`", rule.id),
                Some(format!("`{}` is already defined in {first}; rule ids must be unique", rule.id)),
                "defined again here",
                file.span_of(&id_path, None),
            ));
        } else {
            seen.insert(rule.id.clone(), source.name.clone());
        }
        // A built-in check reads the file, not text: it has no examples to run.
        if rule.examples.flag.is_empty() && rule.examples.pass.is_empty() && rule.builtin.is_none() {
            let mut warning = file.error(
                "no_examples",
                format!("rule `{}` has no examples", rule.id),
                Some("add `examples: {flag: [...], pass: [...]}` so `redflag rules test` can check it".into()),
                "this rule",
                file.span_of(&id_path, None),
            );
            warning.warning = true;
            warnings.push(warning);
        }
        specs.push((base, rule));
    }
    // Building the regexes is most of loading a pack (~1 G instructions for
    // the default pack), and rules compile independently; results keep file order.
    let compiled: Vec<_> =
        specs.into_par_iter().map(|(base, spec)| (base, compile(spec, origin.clone(), vocabulary))).collect();
    let pack: Arc<str> = match &spec.pack.version {
        Some(crate::rules::schema::Version::Number(n)) => format!("{} {n}", spec.pack.name).into(),
        Some(crate::rules::schema::Version::Text(t)) => format!("{} {t}", spec.pack.name).into(),
        None => spec.pack.name.clone().into(),
    };
    let mut rules = Vec::new();
    for (base, result) in compiled {
        match result {
            Ok(rule) => rules.push(Rule { pack: pack.clone(), ..rule }),
            Err(errs) => errors.extend(errs.into_iter().map(|e| compile_error(file, &base, e))),
        }
    }
    Pack { name: spec.pack.name, rules }
}

/// A compile problem of the rule at `base`, located in the file.
fn compile_error(file: &YamlFile, base: &[Seg], e: CompileError) -> FileError {
    let path: Vec<Seg> = base.iter().cloned().chain(e.path).collect();
    let span = file.span_of(&path, e.inner);
    let label = match e.code {
        "bad_regex" => "the pattern fails here",
        "bad_placeholder" => "unknown placeholder",
        _ => "here",
    };
    file.error(e.code, format!("{}: {}", display(&path), e.message), e.help, label, span)
}

/// What a value of the wrong shape should have been, in a rule file's terms.
fn with_shape_help(mut e: FileError) -> FileError {
    if e.code == "wrong_type" && e.message.ends_with("value has the wrong shape") {
        let at = e.message.as_str();
        e.help = Some(
            if at.contains("extract") {
                "expected one of duration, percent, year, money, date — or a list of them"
            } else if at.contains("version") {
                "expected a number or a string"
            } else {
                "expected a regular expression string, or `{phrase: \"literal words\"}`"
            }
            .into(),
        );
    }
    e
}

#[cfg(test)]
mod tests;

/// Valid stand-ins for a rule's required keys whose value is wrong, so the
/// rest of the rule can still be compiled and checked.
fn stand_ins() -> [(&'static str, serde_yaml::Value); 5] {
    [
        ("id", "rule.with-errors".into()),
        ("title", "rule with errors".into()),
        ("category", "errors".into()),
        ("severity", "info".into()),
        ("scope", "sentence".into()),
    ]
}
