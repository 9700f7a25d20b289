//! Tools for pack authors: [`packtest`] runs pack tests (`recert test`) and
//! measures their coverage, [`lint`] checks packs beyond what compiling them
//! checks (`recert lint`), [`docgen`] writes a pack's documentation pages
//! from the pack and its tests (`recert docs`, `recert explain`).
//!
//! Like the core, these never print, exit or panic: findings are values.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]
#![warn(missing_docs)]

pub mod docgen;
pub mod lint;
pub mod packtest;
