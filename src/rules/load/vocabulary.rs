//! The vocabulary of a rule set: every file's `concepts:` and `actions:`,
//! merged (a name is defined once; other files may `extend` it), expanded and
//! checked before any rule is compiled, so a playbook's new phrasing reaches
//! every rule that uses the concept.

use std::collections::HashMap;
use std::sync::Arc;

use super::super::concepts::{self, Collected, Vocabulary};
use super::super::pattern;
use super::super::schema::{ConceptSpec, FileSpec};
use crate::yaml::{FileError, Seg, YamlFile};

/// A parsed file: its YAML and its spec, and where its problems go.
pub(super) struct Parsed<'a> {
    pub file: &'a YamlFile,
    pub spec: &'a FileSpec,
    pub origin: &'a str,
}

/// The rule set's vocabulary; problems are pushed to `errors[file]`.
pub(super) fn collect(parsed: &[Option<Parsed<'_>>], errors: &mut [Vec<FileError>]) -> Arc<Vocabulary> {
    let mut defined: Vec<Collected> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut extensions = Vec::new();
    for (i, p) in parsed.iter().enumerate() {
        let Some(p) = p else { continue };
        for (section, action, map) in [("concepts", false, &p.spec.concepts), ("actions", true, &p.spec.actions)] {
            for (key, value) in map {
                let Some(name) = key.as_str().map(str::to_string) else {
                    let at = p.file.span_of(&[Seg::Key(section.into())], None);
                    errors[i].push(p.file.error(
                        "bad_concept",
                        "a concept's name must be a word".into(),
                        None,
                        "here",
                        at,
                    ));
                    continue;
                };
                let path = vec![Seg::Key(section.into()), Seg::Key(name.clone())];
                let spec: ConceptSpec = match p.file.deserialize_at(value.clone(), &path) {
                    Ok(s) => s,
                    Err(mut e) => {
                        e.help = Some(
                            "a concept is a list of patterns, `{doc: ..., any: [...]}` or `{extend: [...]}`".into(),
                        );
                        errors[i].push(e);
                        continue;
                    }
                };
                let (doc, patterns, sub) = match spec {
                    ConceptSpec::Patterns(list) => (None, list, None),
                    ConceptSpec::Defined(d) => (d.doc, d.any, Some("any")),
                    ConceptSpec::Extend(e) => (None, e.extend, Some("extend")),
                };
                let extend = sub == Some("extend");
                let located: Vec<_> = patterns
                    .into_iter()
                    .enumerate()
                    .map(|(k, pat)| {
                        let mut at = path.clone();
                        at.extend(sub.map(|s| Seg::Key(s.into())));
                        at.push(Seg::Index(k));
                        (pat, (i, at))
                    })
                    .collect();
                if extend {
                    extensions.push((i, path, name, located));
                    continue;
                }
                if let Some(&first) = by_name.get(&name) {
                    let where_ = defined[first].origin.clone();
                    let at = p.file.span_of(&path, None);
                    let key_at = (at.0, at.0);
                    errors[i].push(p.file.error(
                        "duplicate_concept",
                        format!("concept `{name}` is already defined in {where_}"),
                        Some(format!("write `{name}: {{extend: [...]}}` to add to it")),
                        "defined again here",
                        key_at,
                    ));
                    continue;
                }
                by_name.insert(name.clone(), defined.len());
                defined.push(Collected { name, action, doc, origin: p.origin.to_string(), patterns: located });
            }
        }
    }
    for (i, path, name, located) in extensions {
        match by_name.get(&name) {
            Some(&j) => defined[j].patterns.extend(located),
            None => {
                let Some(p) = &parsed[i] else { continue };
                let known: Vec<String> = defined.iter().map(|c| c.name.clone()).collect();
                errors[i].push(p.file.error(
                    "unknown_concept",
                    format!("`extend` names no concept: `{name}` is not defined"),
                    Some(crate::yaml::did_you_mean(&name, &known, "known concepts")),
                    "extends nothing",
                    p.file.span_of(&path, None),
                ));
            }
        }
    }
    let checks: Vec<_> = defined.iter().flat_map(|c| c.patterns.clone()).collect();
    let vocabulary = match concepts::build(defined) {
        Ok(v) => v,
        Err(problems) => {
            for problem in problems {
                let (i, path) = problem.at;
                let Some(p) = &parsed[i] else { continue };
                let e = problem.error;
                let span = p.file.span_of(&path, Some((e.offset, e.offset + e.len)));
                errors[i].push(p.file.error("bad_concept", e.message, e.help, "here", span));
            }
            return Arc::new(Vocabulary::default());
        }
    };
    // Each pattern of each concept compiles, expanded: its errors are located
    // where it is written, not in the rules that use it.
    for (spec, (i, path)) in checks {
        let Some(p) = &parsed[i] else { continue };
        if let Err(e) = pattern::compile(&spec, &vocabulary) {
            let span = p.file.span_of(&path, Some((e.offset, e.offset + e.len)));
            let message = format!("concept pattern does not compile: {}", e.message);
            errors[i].push(p.file.error("bad_regex", message, e.help, "the pattern fails here", span));
        }
    }
    vocabulary
}
