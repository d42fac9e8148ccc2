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

use crate::config::ConfigError;
use crate::document::DocumentResult;
use crate::finding::Waived;
use crate::yaml_error::parse;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    waivers: Vec<Waiver>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The finding's fingerprint, as every report prints it.
    pub fingerprint: String,
    /// The rule id, for readers; when given it must match too.
    #[serde(default)]
    pub rule: Option<String>,
    /// Limit the waiver to documents whose path ends with this.
    #[serde(default)]
    pub document: Option<String>,
    pub reason: String,
    pub accepted_by: String,
    #[serde(default)]
    pub expires: Option<jiff::civil::Date>,
}

/// What applying the waivers did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub applied: usize,
    pub unused: Vec<Waiver>,
    pub expired: Vec<Waiver>,
}

pub fn load(path: &Path) -> Result<Vec<Waiver>, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::Io { path: path.display().to_string(), message: e.to_string() })?;
    let file: WaiverFile = parse(&path.display().to_string(), &text)?;
    Ok(file.waivers)
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
        for d in documents.iter_mut().filter(|d| w.document.as_ref().is_none_or(|p| d.path.ends_with(p.as_str()))) {
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
