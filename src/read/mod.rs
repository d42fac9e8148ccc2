//! Reading a normalized document: who the parties are.
//!
//! Runs after the outline and before the rules: the parties' names are
//! rewritten to role words in the form rules match ([`crate::text::Flat`]).

pub mod parties;
pub(crate) mod unit;

pub(crate) use unit::Unit;
