//! Reading a normalized document: who the parties are and what each clause
//! says of them.
//!
//! Runs after the outline and before the rules: the parties' names are
//! rewritten to role words in the form rules match ([`crate::text::Flat`]),
//! and each clause a rule looks at gets a [`clause::Reading`] (who acts, under
//! which modality, in a condition or a definition). A unit's quantities and
//! clause joints are found once ([`Unit`]).

pub mod clause;
pub mod parties;
pub mod roles;
pub(crate) mod unit;

pub(crate) use unit::Unit;
