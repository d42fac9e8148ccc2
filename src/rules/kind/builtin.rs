//! The built-in kind: facts of the file as extracted that no pattern can see,
//! checked by code but declared, documented and selected like any rule
//! (`builtin: tracked_changes` in `rules/core/`).

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Context, Hit};

/// The checks a rule can name with `builtin:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Builtin {
    /// A Word file with unaccepted tracked changes: a draft, not a final
    /// contract. Reads `tracked_changes`, the number of changes.
    TrackedChanges,
}

impl Builtin {
    /// A hit on the whole document when the check finds something.
    pub(crate) fn find(self, cx: &Context<'_>) -> Option<Hit> {
        match self {
            Builtin::TrackedChanges => {
                let count = i64::try_from(cx.doc.tracked_changes).unwrap_or(i64::MAX);
                (count > 0).then(|| Hit { counts: vec![("tracked_changes", count)], ..Hit::document() })
            }
        }
    }
}
