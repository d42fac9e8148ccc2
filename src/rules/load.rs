//! Rule files → compiled rules, or every problem in them as located diagnostics.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use rayon::prelude::*;

use super::compile::{CompileError, compile};
use super::locate::{Locator, Seg, display};
use super::schema::{FileSpec, RuleSpec};
use super::{Pack, Rule};

/// The text of one rule file and the name to show for it.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: Arc<str>,
}

/// Rules loaded from one or more files, with warnings that do not stop loading.
#[derive(Debug, Default)]
pub struct Loaded {
    pub packs: Vec<Pack>,
    pub warnings: Vec<RuleFileError>,
}

impl Loaded {
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.packs.iter().flat_map(|p| p.rules.iter())
    }
}

/// One problem in a rule file, pointing at the YAML that causes it.
#[derive(Debug, Clone)]
pub struct RuleFileError {
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub label: String,
    pub span: SourceSpan,
    pub src: NamedSource<Arc<str>>,
    pub warning: bool,
}

impl fmt::Display for RuleFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleFileError {}

impl Diagnostic for RuleFileError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("rules::{}", self.code)))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.warning { miette::Severity::Warning } else { miette::Severity::Error })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some(self.label.clone()), self.span))))
    }
}

/// Every problem found in one rule file.
#[derive(Debug, Clone)]
pub struct RuleFileErrors {
    pub name: String,
    pub errors: Vec<RuleFileError>,
}

impl fmt::Display for RuleFileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(f, "{}: {n} error{} in rule file", self.name, if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for RuleFileErrors {}

/// Why rules could not be loaded: nothing is audited when this happens.
#[derive(Debug)]
pub enum LoadError {
    Io {
        path: String,
        message: String,
    },
    /// Every problem of every file, grouped by file.
    Invalid(Vec<RuleFileErrors>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, message } => write!(f, "cannot read rules from {path}: {message}"),
            LoadError::Invalid(files) => {
                let n: usize = files.iter().map(|f| f.errors.len()).sum();
                let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
                write!(f, "{n} error{} in {}", if n == 1 { "" } else { "s" }, names.join(", "))
            }
        }
    }
}

impl std::error::Error for LoadError {}

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
    let io = |e: std::io::Error| LoadError::Io { path: path.display().to_string(), message: e.to_string() };
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
            failed.push(RuleFileErrors { name: source.name.clone(), errors: file.errors });
        }
    }
    if failed.is_empty() { Ok(loaded) } else { Err(LoadError::Invalid(failed)) }
}

struct FileLoad<'a> {
    source: &'a Source,
    named: NamedSource<Arc<str>>,
    locator: Locator,
    errors: Vec<RuleFileError>,
    warnings: Vec<RuleFileError>,
}

impl<'a> FileLoad<'a> {
    fn new(source: &'a Source) -> FileLoad<'a> {
        FileLoad {
            source,
            named: NamedSource::new(source.name.clone(), source.text.clone()).with_language("yaml"),
            locator: Locator::default(),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn error(&mut self, code: &'static str, message: String, help: Option<String>, label: &str, span: (usize, usize)) {
        let len = span.1.saturating_sub(span.0);
        self.errors.push(RuleFileError {
            code,
            message,
            help,
            label: label.to_string(),
            span: (span.0, len).into(),
            src: self.named.clone(),
            warning: false,
        });
    }

    fn load(&mut self, seen: &mut HashMap<String, String>) -> Option<Pack> {
        let text = self.source.text.clone();
        match Locator::parse(&text) {
            Ok(l) => self.locator = l,
            Err((at, message)) => {
                self.error("yaml_syntax", format!("YAML syntax error: {message}"), None, "here", (at, at));
                return None;
            }
        }
        let value: serde_yaml::Value = match serde_yaml::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                let at = e.location().map_or(0, |l| offset_of(&text, l.line(), l.column()));
                self.error("yaml_syntax", format!("YAML syntax error: {e}"), None, "here", (at, at));
                return None;
            }
        };
        if !value.is_mapping() {
            self.error(
                "not_a_rule_file",
                "a rule file is a mapping with `pack:` and `rules:`".into(),
                Some("start the file with `pack: {name: my-pack, version: 1}` and a `rules:` list".into()),
                "expected `pack:` and `rules:`",
                (0, text.len().min(1)),
            );
            return None;
        }
        let file: FileSpec = match serde_path_to_error::deserialize(value) {
            Ok(f) => f,
            Err(e) => {
                let path = convert(e.path());
                self.serde_error(&path, &e.into_inner().to_string());
                return None;
            }
        };
        let origin: Arc<str> = self.source.name.clone().into();
        let mut specs = Vec::new();
        for (i, raw) in file.rules.into_iter().enumerate() {
            let base = vec![Seg::Key("rules".into()), Seg::Index(i)];
            let spec: RuleSpec = match serde_path_to_error::deserialize(raw) {
                Ok(s) => s,
                Err(e) => {
                    let path: Vec<Seg> = base.iter().cloned().chain(convert(e.path())).collect();
                    self.serde_error(&path, &e.into_inner().to_string());
                    continue;
                }
            };
            let id_path: Vec<Seg> = base.iter().cloned().chain([Seg::Key("id".into())]).collect();
            if let Some(first) = seen.get(&spec.id) {
                let at = self.span_of(&id_path, None);
                self.error(
                    "duplicate_id",
                    format!("duplicate rule id `{}`", spec.id),
                    Some(format!("`{}` is already defined in {first}; rule ids must be unique", spec.id)),
                    "defined again here",
                    at,
                );
            } else {
                seen.insert(spec.id.clone(), self.source.name.clone());
            }
            // A built-in check reads the file, not text: it has no examples to run.
            if spec.examples.flag.is_empty() && spec.examples.pass.is_empty() && spec.builtin.is_none() {
                let at = self.span_of(&id_path, None);
                self.warnings.push(RuleFileError {
                    code: "no_examples",
                    message: format!("rule `{}` has no examples", spec.id),
                    help: Some(
                        "add `examples: {flag: [...], pass: [...]}` so `redflag rules test` can check it".into(),
                    ),
                    label: "this rule".into(),
                    span: (at.0, at.1 - at.0).into(),
                    src: self.named.clone(),
                    warning: true,
                });
            }
            specs.push((base, spec));
        }
        // Building the regexes is most of loading a pack (~1 G instructions for
        // the default pack), and rules compile independently; results keep file order.
        let compiled: Vec<_> =
            specs.into_par_iter().map(|(base, spec)| (base, compile(spec, origin.clone()))).collect();
        let mut rules = Vec::new();
        for (base, result) in compiled {
            match result {
                Ok(rule) => rules.push(rule),
                Err(errs) => {
                    for e in errs {
                        self.compile_error(&base, e);
                    }
                }
            }
        }
        Some(Pack { name: file.pack.name, rules })
    }

    fn span_of(&self, path: &[Seg], inner: Option<(usize, usize)>) -> (usize, usize) {
        let Some(at) = self.locator.scalar(&self.source.text, path) else {
            return (0, 0);
        };
        match inner {
            Some((s, e)) => {
                let base = at.start + usize::from(at.quoted);
                let start = (base + s).min(at.end);
                (start, (base + e).min(at.end.max(start)))
            }
            None => (at.start, at.end),
        }
    }

    fn compile_error(&mut self, base: &[Seg], e: CompileError) {
        let path: Vec<Seg> = base.iter().cloned().chain(e.path).collect();
        let span = self.span_of(&path, e.inner);
        let label = match e.code {
            "bad_regex" => "the pattern fails here",
            "bad_condition" => "here",
            "bad_placeholder" => "unknown placeholder",
            _ => "here",
        };
        self.error(e.code, format!("{}: {}", display(&path), e.message), e.help, label, span);
    }

    /// Turns serde's message into a located diagnostic with a did-you-mean.
    fn serde_error(&mut self, path: &[Seg], message: &str) {
        let message = message.split(" at line ").next().unwrap_or(message).to_string();
        let where_ = display(path);
        let prefix = if where_.is_empty() { String::new() } else { format!("{where_}: ") };
        if let Some((name, expected)) = parse_unknown(&message, "unknown field `") {
            let mut key_path = path.to_vec();
            if key_path.last() != Some(&Seg::Key(name.clone())) {
                key_path.push(Seg::Key(name.clone()));
            }
            let span = self.locator.key(&key_path).map_or_else(|| self.span_of(path, None), |l| (l.start, l.end));
            let parent = display(&key_path[..key_path.len() - 1]);
            self.error(
                "unknown_key",
                format!(
                    "{}unknown key `{name}`",
                    if parent.is_empty() { String::new() } else { format!("{parent}: ") }
                ),
                Some(did_you_mean(&name, &expected, "allowed keys")),
                "unknown key",
                span,
            );
        } else if let Some((name, expected)) = parse_unknown(&message, "unknown variant `") {
            let span = self.span_of(path, None);
            self.error(
                "bad_value",
                format!("{prefix}`{name}` is not an allowed value"),
                Some(did_you_mean(&name, &expected, "allowed values")),
                "not allowed here",
                span,
            );
        } else if let Some(field) = message.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
            let span = self.span_of(path, None);
            let span = (span.0, span.0 + 1.min(span.1 - span.0));
            self.error("missing_key", format!("{prefix}missing required key `{field}`"), None, "in this mapping", span);
        } else if message.contains("untagged enum") {
            let span = self.span_of(path, None);
            let help = if message.contains("OneOrMany") {
                "expected one of duration, percent, year, money, date — or a list of them"
            } else if message.contains("Version") {
                "expected a number or a string"
            } else {
                "expected a regular expression string, or `{phrase: \"literal words\"}`"
            };
            self.error(
                "wrong_type",
                format!("{prefix}value has the wrong shape"),
                Some(help.into()),
                "this value",
                span,
            );
        } else {
            let span = self.span_of(path, None);
            let code = if message.starts_with("invalid type") { "wrong_type" } else { "invalid" };
            self.error(code, format!("{prefix}{message}"), None, "this value", span);
        }
    }
}

fn convert(path: &serde_path_to_error::Path) -> Vec<Seg> {
    path.iter()
        .filter_map(|s| match s {
            serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
            _ => None,
        })
        .collect()
}

/// "unknown field `titel`, expected one of `id`, `title`" → ("titel", ["id", "title"])
fn parse_unknown(message: &str, prefix: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix(prefix)?;
    let (name, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).map(str::to_string).collect();
    Some((name.to_string(), expected))
}

fn did_you_mean(name: &str, expected: &[String], what: &str) -> String {
    let best = expected
        .iter()
        .map(|e| (strsim::jaro_winkler(&name.to_lowercase(), e), e))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score >= 0.75);
    match best {
        Some((_, e)) => format!("did you mean `{e}`? {what}: {}", expected.join(", ")),
        None => format!("{what}: {}", expected.join(", ")),
    }
}

/// Byte offset of a 1-based line and column (in characters).
fn offset_of(src: &str, line: usize, column: usize) -> usize {
    let line_start: usize = src.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let col = src[line_start..].char_indices().nth(column.saturating_sub(1)).map_or(src.len() - line_start, |(i, _)| i);
    line_start + col
}

#[cfg(test)]
mod tests;
