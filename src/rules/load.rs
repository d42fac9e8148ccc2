//! Rule files → compiled rules, or every problem in them as located diagnostics.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use miette::Diagnostic;
use rayon::prelude::*;

use super::compile::{CompileError, compile};
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
pub fn load_sources(sources: &[Source]) -> Result<Loaded, LoadError> {
    let mut loaded = Loaded::default();
    let mut failed = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for source in sources {
        let mut file = FileLoad::new(source);
        let pack = file.load(&mut seen);
        loaded.warnings.append(&mut file.warnings);
        if file.errors.is_empty() {
            if let Some(pack) = pack {
                loaded.packs.push(pack);
            }
        } else {
            failed.push(FileErrors { name: source.name.clone(), errors: file.errors });
        }
    }
    if failed.is_empty() { Ok(loaded) } else { Err(LoadError::Invalid(failed)) }
}

struct FileLoad<'a> {
    source: &'a Source,
    errors: Vec<FileError>,
    warnings: Vec<FileError>,
}

impl<'a> FileLoad<'a> {
    fn new(source: &'a Source) -> FileLoad<'a> {
        FileLoad { source, errors: Vec::new(), warnings: Vec::new() }
    }

    fn load(&mut self, seen: &mut HashMap<String, String>) -> Option<Pack> {
        let (file, value) = match YamlFile::parse("rules", &self.source.name, &self.source.text) {
            Ok(parsed) => parsed,
            Err(e) => {
                self.errors.push(e);
                return None;
            }
        };
        if !value.is_mapping() {
            self.errors.push(file.error(
                "not_a_rule_file",
                "a rule file is a mapping with `pack:` and `rules:`".into(),
                Some("start the file with `pack: {name: my-pack, version: 1}` and a `rules:` list".into()),
                "expected `pack:` and `rules:`",
                (0, file.text().len().min(1)),
            ));
            return None;
        }
        let spec: FileSpec = match file.deserialize_at(value, &[]) {
            Ok(f) => f,
            Err(e) => {
                self.errors.push(with_shape_help(e));
                return None;
            }
        };
        let origin: Arc<str> = self.source.name.clone().into();
        let mut specs = Vec::new();
        for (i, raw) in spec.rules.into_iter().enumerate() {
            let base = vec![Seg::Key("rules".into()), Seg::Index(i)];
            let rule: RuleSpec = match file.deserialize_all_at(raw, &base) {
                Ok(s) => s,
                Err(errors) => {
                    self.errors.extend(errors.into_iter().map(with_shape_help));
                    continue;
                }
            };
            let id_path: Vec<Seg> = base.iter().cloned().chain([Seg::Key("id".into())]).collect();
            if let Some(first) = seen.get(&rule.id) {
                self.errors.push(file.error(
                    "duplicate_id",
                    format!("duplicate rule id `{}`", rule.id),
                    Some(format!("`{}` is already defined in {first}; rule ids must be unique", rule.id)),
                    "defined again here",
                    file.span_of(&id_path, None),
                ));
            } else {
                seen.insert(rule.id.clone(), self.source.name.clone());
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
                self.warnings.push(warning);
            }
            specs.push((base, rule));
        }
        // Building the regexes is most of loading a pack (~1 G instructions for
        // the default pack), and rules compile independently; results keep file order.
        let compiled: Vec<_> =
            specs.into_par_iter().map(|(base, spec)| (base, compile(spec, origin.clone()))).collect();
        let mut rules = Vec::new();
        for (base, result) in compiled {
            match result {
                Ok(rule) => rules.push(rule),
                Err(errs) => self.errors.extend(errs.into_iter().map(|e| compile_error(&file, &base, e))),
            }
        }
        Some(Pack { name: spec.pack.name, rules })
    }
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
