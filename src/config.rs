//! `redflag.yaml`: a firm's standing choices, so every run uses the same date,
//! threshold, extra rules, selection, per-rule overrides and waivers. Command-line
//! flags win over the file; paths in the file are relative to the file.
//!
//! ```yaml
//! as_of: 2026-01-15
//! fail_on: high
//! packs: [payer]
//! rules: [playbook/]
//! select: ["recoupment", "fee_schedule.*"]
//! exclude: ["compliance"]
//! overrides:
//!   "lesser_of.*": off
//!   recoupment.offset-without-notice: high
//! waivers: waivers.yaml
//! ocr: auto
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::rules::Severity;
use crate::rules::select::Setting;
use crate::yaml;

/// The names `redflag audit` looks for when `--config` is not given, in the
/// current folder and then each parent (as ruff and Vale do).
pub const FILE_NAMES: [&str; 2] = ["redflag.yaml", "redflag.yml"];

/// The configuration file nearest `start`: in it, or in the closest parent.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().flat_map(|dir| FILE_NAMES.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// The settings of a `redflag.yaml`; every one optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The date "outdated" is measured from.
    #[serde(default)]
    pub as_of: Option<jiff::civil::Date>,
    /// critical, high, medium, low or never.
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    /// Built-in packs (default: payer).
    #[serde(default)]
    pub packs: Vec<String>,
    /// Extra rule files or folders.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Rule ids or categories (globs) to keep.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rule ids or categories (globs) to drop.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rule id or category glob → `off` or a severity.
    #[serde(default)]
    pub overrides: BTreeMap<String, Setting>,
    /// A waiver file.
    #[serde(default)]
    pub waivers: Option<PathBuf>,
    /// When tesseract reads pages: auto, always or never.
    #[serde(default)]
    pub ocr: Option<crate::extract::OcrMode>,
}

/// The lowest severity that fails a run (`--fail-on`, `fail_on:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Only critical findings fail.
    Critical,
    /// High or critical.
    High,
    /// Medium or above.
    Medium,
    /// Low or above (the default).
    #[default]
    Low,
    /// No finding fails the run.
    Never,
}

impl FailOn {
    /// The names `--fail-on` accepts.
    pub const NAMES: [&'static str; 5] = ["critical", "high", "medium", "low", "never"];

    /// The severity at or above which findings fail the run; `None` for never.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::Never => None,
        }
    }
}

impl std::str::FromStr for FailOn {
    type Err = String;

    fn from_str(s: &str) -> Result<FailOn, String> {
        match s {
            "critical" => Ok(FailOn::Critical),
            "high" => Ok(FailOn::High),
            "medium" => Ok(FailOn::Medium),
            "low" => Ok(FailOn::Low),
            "never" => Ok(FailOn::Never),
            other => Err(format!("`{other}` is not one of {}", FailOn::NAMES.join(", "))),
        }
    }
}

impl Config {
    /// Reads a config file; relative paths inside it become relative to its folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = yaml::load("config", path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        for p in &mut config.rules {
            *p = base.join(&*p);
        }
        if let Some(w) = &mut config.waivers {
            *w = base.join(&*w);
        }
        Ok(config)
    }
}

/// Why a config file (or a waiver file) could not be used: it could not be
/// read, or every problem in it, located.
pub type ConfigError = yaml::ReadError;
