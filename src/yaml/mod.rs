//! Every YAML file a user writes — rule files, `redflag.yaml`, waivers, label
//! maps — is read here, so each gets the same diagnostics: every problem of
//! the file at once, each located on the key or value it is about, unknown
//! keys and values with a did-you-mean.
//!
//! serde says *what* is wrong and, through `serde_path_to_error`, *which* value
//! (`rules[3].any[1]`); [`Locator`] finds that value's bytes in the text.
//! serde stops at the first problem, so [`YamlFile::deserialize_all`] sets the
//! offending entry aside and reads the rest again, and lists are read one item
//! at a time ([`YamlFile::deserialize_at`]).

mod error;
mod locate;

use std::sync::Arc;

use miette::NamedSource;
use serde::de::DeserializeOwned;

pub use error::{FileError, FileErrors};
pub(crate) use locate::{Locator, Seg, display};

/// Deepest nesting of mappings and lists a user file may use: far beyond any
/// real file, and shallow enough that parsing (which recurses) cannot exhaust
/// the stack on a hostile one.
pub const MAX_DEPTH: usize = 64;

/// A user file's text, parsed once for its values and its locations.
pub struct YamlFile {
    kind: &'static str,
    text: Arc<str>,
    named: Arc<NamedSource<Arc<str>>>,
    locator: Locator,
}

impl YamlFile {
    /// Parses `text` (a UTF-8 byte-order mark is skipped, as editors on
    /// Windows write one); a syntax error is located.
    /// `kind` names the file's kind in diagnostic codes (`rules::unknown_key`).
    pub fn parse(kind: &'static str, name: &str, text: &str) -> Result<(YamlFile, serde_yaml::Value), FileError> {
        let text: Arc<str> = text.strip_prefix('\u{feff}').unwrap_or(text).into();
        let named = Arc::new(NamedSource::new(name, text.clone()).with_language("yaml"));
        let mut file = YamlFile { kind, text: text.clone(), named, locator: Locator::default() };
        if let Some(at) = too_deep(&text) {
            let message = format!("the file nests deeper than {MAX_DEPTH} levels");
            return Err(file.error("yaml_syntax", message, None, "here", (at, at)));
        }
        match Locator::parse(&text) {
            Ok(l) => file.locator = l,
            Err((at, message)) => {
                return Err(file.error("yaml_syntax", format!("YAML syntax error: {message}"), None, "here", (at, at)));
            }
        }
        match serde_yaml::from_str(&text) {
            Ok(value) => Ok((file, value)),
            Err(e) => {
                let at = e.location().map_or(0, |l| offset_of(&text, l.line(), l.column()));
                Err(file.error("yaml_syntax", format!("YAML syntax error: {e}"), None, "here", (at, at)))
            }
        }
    }

    /// The text as read (without a byte-order mark).
    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// A problem at `span` (byte offsets into [`YamlFile::text`]).
    pub fn error(
        &self,
        code: &'static str,
        message: String,
        help: Option<String>,
        label: &'static str,
        span: (usize, usize),
    ) -> FileError {
        FileError {
            file_kind: self.kind,
            code,
            message,
            help: help.map(String::into_boxed_str),
            label,
            span: (span.0, span.1.saturating_sub(span.0)).into(),
            src: self.named.clone(),
            warning: false,
        }
    }

    /// The bytes of the value at `path`; with `inner`, of that range inside the
    /// (unquoted) string value.
    pub fn span_of(&self, path: &[Seg], inner: Option<(usize, usize)>) -> (usize, usize) {
        let Some(at) = self.locator.scalar(&self.text, path) else {
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

    /// Reads the value found at `path` as `T`, or the located problem.
    pub fn deserialize_at<T: DeserializeOwned>(&self, value: serde_yaml::Value, path: &[Seg]) -> Result<T, FileError> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let at: Vec<Seg> = path.iter().cloned().chain(convert(e.path())).collect();
            self.serde_error(&at, &e.into_inner().to_string())
        })
    }

    /// Reads a whole mapping as `T`, reporting a problem with every entry:
    /// each failing top-level entry is set aside and the rest read again.
    pub fn deserialize_all<T: DeserializeOwned>(&self, value: serde_yaml::Value) -> Result<T, Vec<FileError>> {
        self.deserialize_all_at(value, &[])
    }

    /// [`YamlFile::deserialize_all`] for the mapping found at `base`.
    pub fn deserialize_all_at<T: DeserializeOwned>(
        &self,
        value: serde_yaml::Value,
        base: &[Seg],
    ) -> Result<T, Vec<FileError>> {
        match self.deserialize_repaired_at(value, base, &[]) {
            (Some(t), errors) if errors.is_empty() => Ok(t),
            (_, errors) => Err(errors),
        }
    }

    /// Every problem of the mapping at `base`, and the value it gives once
    /// each key with a problem is set aside — or, for a key in `placeholders`,
    /// replaced by a valid stand-in — so that what the rest of the mapping
    /// holds can be checked in the same run.
    pub fn deserialize_repaired_at<T: DeserializeOwned>(
        &self,
        value: serde_yaml::Value,
        base: &[Seg],
        placeholders: &[(&str, serde_yaml::Value)],
    ) -> (Option<T>, Vec<FileError>) {
        let mut value = value;
        let mut errors: Vec<FileError> = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        loop {
            match serde_path_to_error::deserialize::<_, T>(value.clone()) {
                Ok(t) => return (Some(t), errors),
                Err(e) => {
                    let inner = convert(e.path());
                    let path: Vec<Seg> = base.iter().cloned().chain(inner.iter().cloned()).collect();
                    let message = e.into_inner().to_string();
                    // A key set aside for its own error is then missing: said once.
                    let missing = message.strip_prefix("missing field `").and_then(|r| r.split('`').next());
                    if !missing.is_some_and(|m| removed.iter().any(|r| r == m)) {
                        errors.push(self.serde_error(&path, &message));
                    }
                    let key = match inner.first() {
                        Some(Seg::Key(k)) => k.clone(),
                        _ => unknown_key(&message).unwrap_or_default(),
                    };
                    // A misspelled key is not also reported missing under its right name.
                    if let Some((name, expected)) = parse_unknown(&message, "unknown field `") {
                        removed.extend(closest(&name, &expected).cloned());
                    }
                    let stand_in = placeholders.iter().find(|(k, _)| *k == key && !removed.contains(&key));
                    let taken = match (value.as_mapping_mut(), stand_in) {
                        (Some(m), Some((k, v))) => m.insert((*k).into(), v.clone()),
                        (Some(m), None) => m.shift_remove(key.as_str()),
                        (None, _) => None,
                    };
                    if taken.is_none() {
                        return (None, errors);
                    }
                    removed.push(key);
                }
            }
        }
    }

    /// Turns serde's message about the value at `path` into a located problem,
    /// with a did-you-mean for unknown keys and values.
    pub fn serde_error(&self, path: &[Seg], message: &str) -> FileError {
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
            let parent = if parent.is_empty() { String::new() } else { format!("{parent}: ") };
            let help = Some(did_you_mean(&name, &expected, "allowed keys"));
            return self.error("unknown_key", format!("{parent}unknown key `{name}`"), help, "unknown key", span);
        }
        if let Some((name, expected)) = parse_unknown(&message, "unknown variant `") {
            let help = Some(did_you_mean(&name, &expected, "allowed values"));
            let span = self.span_of(path, None);
            return self.error(
                "bad_value",
                format!("{prefix}`{name}` is not an allowed value"),
                help,
                "not allowed here",
                span,
            );
        }
        if let Some(field) = message.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
            let span = self.span_of(path, None);
            let span = (span.0, span.0 + 1.min(span.1 - span.0));
            return self.error(
                "missing_key",
                format!("{prefix}missing required key `{field}`"),
                None,
                "in this mapping",
                span,
            );
        }
        let span = self.span_of(path, None);
        if message.contains("untagged enum") {
            return self.error("wrong_type", format!("{prefix}value has the wrong shape"), None, "this value", span);
        }
        let code = if message.starts_with("invalid type") { "wrong_type" } else { "invalid" };
        self.error(code, format!("{prefix}{message}"), None, "this value", span)
    }
}

/// Why a user file could not be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    /// The file could not be read.
    #[error("cannot read {path}")]
    #[diagnostic(code(yaml::io))]
    Io {
        /// The path as given.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// It was read, and holds these problems.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(#[from] FileErrors),
}

/// Reads the file at `path` and [`read`]s it.
pub fn load<T: DeserializeOwned>(kind: &'static str, path: &std::path::Path) -> Result<T, ReadError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io { path: shown.clone(), source })?;
    Ok(read(kind, &shown, &text)?)
}

/// Reads a small user file (config, label map) as `T`, with every problem
/// located.
pub fn read<T: DeserializeOwned>(kind: &'static str, name: &str, text: &str) -> Result<T, FileErrors> {
    let all = |errors| FileErrors { name: name.to_string(), errors };
    let (file, value) = YamlFile::parse(kind, name, text).map_err(|e| all(vec![e]))?;
    file.deserialize_all(value).map_err(all)
}

/// Where flow or block nesting first goes deeper than [`MAX_DEPTH`]. Counts
/// indentation steps and open brackets; comments and quoted text are skipped.
fn too_deep(text: &str) -> Option<usize> {
    let mut offset = 0;
    // Flow collections may span lines; a bracket inside a plain scalar (a regex
    // class) opens and closes on its line.
    let mut brackets = 0usize;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        let mut quote = None;
        for (i, c) in line.char_indices() {
            match (quote, c) {
                (None, '#') => break,
                (None, '\'' | '"') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '[' | '{') => brackets += 1,
                (None, ']' | '}') => brackets = brackets.saturating_sub(1),
                _ => {}
            }
            if indent / 2 + brackets > MAX_DEPTH {
                return Some(offset + i);
            }
        }
        offset += line.len();
    }
    None
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

fn unknown_key(message: &str) -> Option<String> {
    parse_unknown(message, "unknown field `").map(|(name, _)| name)
}

/// "unknown field `titel`, expected one of `id`, `title`" → ("titel", ["id", "title"])
fn parse_unknown(message: &str, prefix: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix(prefix)?;
    let (name, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).map(str::to_string).collect();
    Some((name.to_string(), expected))
}

/// "did you mean `title`? allowed keys: …", or the list alone when nothing is close.
pub fn did_you_mean(name: &str, expected: &[String], what: &str) -> String {
    match closest(name, expected) {
        Some(e) => format!("did you mean `{e}`? {what}: {}", expected.join(", ")),
        None => format!("{what}: {}", expected.join(", ")),
    }
}

/// The expected name closest to `name`, when one is close enough to suggest.
fn closest<'e>(name: &str, expected: &'e [String]) -> Option<&'e String> {
    expected
        .iter()
        .map(|e| (strsim::jaro_winkler(&name.to_lowercase(), e), e))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score >= 0.75)
        .map(|(_, e)| e)
}

/// Byte offset of a 1-based line and column (in characters).
fn offset_of(src: &str, line: usize, column: usize) -> usize {
    let line_start: usize = src.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = &src[line_start.min(src.len())..];
    line_start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests;
