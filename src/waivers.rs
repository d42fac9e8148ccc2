//! Waivers kept outside the contract: an attorney cannot annotate a counterparty's
//! PDF, so accepted findings are listed by fingerprint in a file of their own,
//! with the reason, who accepted them and an optional expiry. Waived findings stay
//! in every report, marked as waived, and no longer count toward `--fail-on`.
//! Expired waivers are not applied; waivers that matched nothing are reported.
//!
//! ```yaml
//! waivers:
//!   - fingerprint: 9f2c41d07be3a118
//!     rule: recoupment.lookback-too-long      # optional, checked when given
//!     reason: Accepted for the 2027 renewal in exchange for a 4% rate increase
//!     accepted_by: J. Alvarez, counsel
//!     expires: 2027-12-31                     # optional
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::document::DocumentResult;
use crate::finding::Waived;
use crate::yaml::{FileErrors, ReadError, Seg, YamlFile};

/// The file: read a waiver at a time, so every bad waiver is reported.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    waivers: Vec<serde_yaml::Value>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The finding's fingerprint, as every report prints it.
    pub fingerprint: String,
    /// The rule id, for readers; when given it must match too.
    #[serde(default)]
    pub rule: Option<String>,
    /// Limit the waiver to one document: its exact file name (`harbor_bad.txt`)
    /// or a path ending at a folder boundary (`contracts/harbor_bad.txt`) —
    /// never a suffix of another name (`other_harbor_bad.txt`).
    #[serde(default)]
    pub document: Option<String>,
    /// Why it was accepted.
    pub reason: String,
    /// Who accepted it.
    pub accepted_by: String,
    /// After this date the waiver no longer applies.
    #[serde(default)]
    pub expires: Option<jiff::civil::Date>,
}

/// What applying the waivers did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Findings marked waived.
    pub applied: usize,
    /// Waivers that matched no finding.
    pub unused: Vec<Waiver>,
    /// Waivers past their date, not applied.
    pub expired: Vec<Waiver>,
}

/// Reads a waiver file; every problem in it is reported, located.
pub fn load(path: &Path) -> Result<Vec<Waiver>, ReadError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io { path: name.clone(), source })?;
    parse(&name, &text).map_err(ReadError::Invalid)
}

/// Reads the text of a waiver file named `name`.
pub fn parse(name: &str, text: &str) -> Result<Vec<Waiver>, FileErrors> {
    let all = |errors| FileErrors { name: name.to_string(), errors };
    let (file, value) = YamlFile::parse("waivers", name, text).map_err(|e| all(vec![e]))?;
    let listed: WaiverFile = file.deserialize_at(value, &[]).map_err(|e| all(vec![e]))?;
    let (mut waivers, mut errors) = (Vec::new(), Vec::new());
    for (i, item) in listed.waivers.into_iter().enumerate() {
        match file.deserialize_all_at(item, &[Seg::Key("waivers".into()), Seg::Index(i)]) {
            Ok(w) => waivers.push(w),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() { Ok(waivers) } else { Err(all(errors)) }
}

/// Whether `path` is the document a waiver's `document:` names.
fn names(path: &str, document: &str) -> bool {
    let path = path.replace('\\', "/");
    let document = document.replace('\\', "/");
    let document = document.trim_start_matches("./");
    path == document || path.strip_suffix(document).is_some_and(|rest| rest.ends_with('/'))
}

/// Marks the findings the waivers cover, as of `as_of`.
pub fn apply(waivers: &[Waiver], documents: &mut [DocumentResult], as_of: jiff::civil::Date) -> Outcome {
    let mut outcome = Outcome::default();
    for w in waivers {
        if w.expires.is_some_and(|e| e < as_of) {
            outcome.expired.push(w.clone());
            continue;
        }
        let mut used = false;
        for d in documents.iter_mut().filter(|d| w.document.as_ref().is_none_or(|p| names(&d.path, p))) {
            for f in d.findings.iter_mut().filter(|f| f.fingerprint.is(&w.fingerprint)) {
                if w.rule.as_ref().is_some_and(|r| **r != *f.rule) {
                    continue;
                }
                f.waived = Some(Box::new(Waived {
                    reason: w.reason.clone(),
                    accepted_by: w.accepted_by.clone(),
                    expires: w.expires.map(|e| e.to_string()),
                }));
                outcome.applied += 1;
                used = true;
            }
        }
        if !used {
            outcome.unused.push(w.clone());
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_document_is_named_by_file_name_or_path_never_by_suffix() {
        assert!(names("contracts/harbor_bad.txt", "harbor_bad.txt"));
        assert!(names("contracts/harbor_bad.txt", "contracts/harbor_bad.txt"));
        assert!(names("./contracts/harbor_bad.txt", "./contracts/harbor_bad.txt"));
        assert!(names("harbor_bad.txt", "./harbor_bad.txt"));
        assert!(!names("contracts/other_harbor_bad.txt", "harbor_bad.txt"));
        assert!(!names("contracts/harbor_bad.txt.bak", "harbor_bad.txt"));
        assert!(!names("x/contracts/harbor_bad.txt", "tracts/harbor_bad.txt"));
    }
}
