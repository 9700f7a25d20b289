//! The recert rule core: submissions, packs, evaluation and reports, with no
//! WebAssembly runtime.
//!
//! Data flows one way: [`load`] reads and validates a submission and
//! normalizes its units; [`pack`] parses and compiles rule packs; [`eval`]
//! runs the applicable packs over a submission; [`report`] is the result and
//! its renderers. [`expr`] is the only module that touches the CEL crate.
//! [`catalog`] holds every text of reports and generated pages, one file per
//! language; [`format`](mod@format) names the formats of reports and listings.
//! Plugin rules reach a plugin runner through the [`eval::PluginRunner`]
//! trait; the WebAssembly host (`recert-wasm-host`) implements it.
//!
//! The core never panics, prints or exits: every failure is a value
//! ([`Diagnostics`] for bad input, outcome `error` for a rule that could not be
//! evaluated).
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]
#![warn(missing_docs)]

pub mod catalog;
pub mod code;
pub mod diagnostic;
pub mod eval;
pub mod expr;
pub mod format;
pub mod lang;
pub mod load;
pub mod names;
pub mod number;
pub mod pack;
pub mod parallel;
pub mod report;
pub mod sha256;
pub mod suggest;
pub mod untrusted;

pub use diagnostic::{Code, Diagnostic, Diagnostics, Location};
pub use lang::{Lang, Text};
/// The plain types of the plugin interface, which [`eval::PluginRunner`] speaks.
pub use recert_plugin_abi as plugin_abi;
