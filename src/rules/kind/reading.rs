//! What a rule asks of the clause around its trigger: the action a period
//! must limit (`action:`) and the reading its clause must have (`reading:`).
//! Shared by every clause kind through [`super::Matcher`].

use std::sync::Arc;

use super::super::concepts::ActionSet;
use crate::read::clause::{Actor, Modality, Reading};

/// An action of the vocabulary, with every action a quantity could belong to.
#[derive(Debug, Clone)]
pub struct Action {
    /// Its place in [`ActionSet`].
    pub index: usize,
    /// Other actions whose periods count for the rule (`[terminate, notify]`).
    pub also: Vec<usize>,
    /// Every action of the rule set.
    pub set: Arc<ActionSet>,
}

impl Action {
    /// Its name.
    pub fn name(&self) -> &str {
        &self.set.names[self.index]
    }

    /// Whether a period limiting `action` counts for the rule.
    pub fn accepts(&self, action: usize) -> bool {
        action == self.index || self.also.contains(&action)
    }
}

/// What a rule asks of the reading of its trigger's clause.
#[derive(Debug, Clone, Default)]
pub struct ReadingTest {
    /// Actors accepted (any when empty).
    pub actors: Vec<Actor>,
    /// Modalities accepted (any when empty).
    pub modalities: Vec<Modality>,
    /// Whether the trigger must (not) be in a condition.
    pub conditional: Option<bool>,
    /// Whether the clause must (not) be a definition.
    pub definition: Option<bool>,
    /// Whether the trigger must (not) be within reach of its modal.
    pub direct: Option<bool>,
}

impl ReadingTest {
    /// Whether `r` passes.
    pub fn accepts(&self, r: &Reading) -> bool {
        (self.actors.is_empty() || self.actors.contains(&r.actor))
            && (self.modalities.is_empty() || self.modalities.contains(&r.modality))
            && self.conditional.is_none_or(|c| c == r.conditional)
            && self.definition.is_none_or(|d| d == r.definition)
            && self.direct.is_none_or(|d| d == r.direct)
    }
}
