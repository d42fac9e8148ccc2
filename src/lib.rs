//! redflag — a rule-driven clause auditor for healthcare payer contracts.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! file ─extract─▶ pages ─text─▶ normalized Text + OffsetMap ─outline─▶ sections ▸ paragraphs ▸ sentences
//!      ─read─▶ parties, quantities ═ document::Document
//!      ─rules + engine─▶ finding::Finding ═ document::DocumentResult ─waivers─▶
//!      ─report─▶ human | json | jsonl | sarif | markdown | html | csv
//! ```
//!
//! Modules import only those before them in `layers::LAYERS` (a test checks).
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

#[cfg(test)]
mod layers;
