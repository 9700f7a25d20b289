//! Pack tests: `NAME.test.yaml` files that say what a pack must decide for
//! given submissions, and the runner behind `recert test`.
//!
//! - [`TestFile::parse`]: YAML (strict, via [`load::parse_document`](recert_core::load::parse_document))
//!   → the pack-test JSON Schema → the typed model; every problem is a
//!   [`Diagnostic`](recert_core::Diagnostic) at `file:line:col`.
//! - [`load_suite`]: finds `*.test.yaml` files under the paths given and, for
//!   each, the pack it names among the packs beside it (and in extra folders).
//! - [`run`]: compiles each pack once per distinct params set, loads each
//!   submission once, evaluates every selected case at its date, compares the
//!   pack's findings with the expectations and, on request, measures coverage.
//! - [`text`] and [`junit`] render the result, picked by `Render::render`
//!   on [`RunResult`]; the caller prints it.
//!
//! Nothing here prints, exits or panics.

mod coverage;
mod discover;
mod file;
pub mod junit;
mod matching;
mod render;
mod run;
mod schema;
pub mod text;

#[cfg(test)]
mod tests;

pub use coverage::{PackCoverage, RuleCoverage};
pub use discover::{SuiteFile, discover, load_suite};
pub use file::{
    Case, Expect, Expected, PACK_TEST_SCHEMA, PathExpect, RuleExpect, SubmissionRef, TestFile,
};
pub use matching::Mismatch;
pub use run::{CaseResult, CaseStatus, Filter, NotRun, RunOptions, RunResult, run, run_paths};
pub use schema::PACK_TEST_SCHEMA_JSON;
