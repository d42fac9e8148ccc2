//! redflag — a rule-driven clause auditor for healthcare payer contracts.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! file ─extract─▶ pages ─text─▶ normalized Text + OffsetMap ─outline─▶ sections ▸ paragraphs ▸ sentences
//!      ─engine (rules compiled from YAML, quantities read by the quantity grammar)─▶ Findings ─report─▶ human | json
//! ```
//!
//! The library never prints and never exits; errors are values
//! ([`miette::Diagnostic`]) that the binary renders once.

#![warn(missing_docs)]

pub mod audit;
pub mod config;
pub mod document;
pub mod engine;
pub mod eval;
pub mod extract;
pub mod finding;
pub mod outline;
pub mod quantity;
pub mod read;
pub mod report;
pub mod rules;
pub mod text;
pub mod waivers;
pub mod yaml;
