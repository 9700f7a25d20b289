//! Reading submissions: text to a validated, unit-normalized JSON document,
//! held compact ([`Doc`]).
//!
//! [`Source::read`] (size limit, UTF-8) → [`parse_document`] (strict JSON or
//! YAML: duplicate keys, alias bombs and deep nesting rejected) → JSON Schema
//! validation against `schemas/submission.schema.json` → unit normalization
//! ([`units`]) and the checks a schema cannot express (unique component ids,
//! the credit code's check character via [`uscc`], recycled shares adding up
//! to at most 100 %). Every error is a [`Diagnostic`] naming the file, the
//! JSON path and, where the text is at hand, line and column; all errors of a
//! document are reported together.
//!
//! Only the happy path is fast; finding line and column re-reads the text, and
//! only happens when there is an error to report.

pub mod bounded;
mod digest;
mod doc;
mod doc_schema;
mod fraction;
mod locate;
mod model;
mod normalize;
mod parse;
mod schema;
pub mod schema_errors;
mod source;
pub mod units;
pub mod uscc;

#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};

pub use bounded::{Confinement, ReadError, confine, open_regular, read_bounded, read_opened};
pub use doc::{Doc, DocIndex, DocMap, Key};
pub use fraction::share_warnings;
pub use locate::pointer_escape;
pub(crate) use locate::{LocateTarget, locate_all, pointer_tokens};
pub use locate::{locate, locate_key, locate_key_lines, locate_keys};
pub use normalize::Written;
pub use parse::{MAX_DEPTH, parse_doc, parse_document};
pub use schema::{SCHEMA_VERSION, SUBMISSION_SCHEMA};
use std::sync::Arc;

pub use source::{Format, MAX_INPUT_BYTES, STDIN_NAME, Source};

/// A validated, normalized submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The file it came from (the source's name).
    pub file: String,
    /// The submission's `id`.
    pub id: String,
    /// The document with every quantity converted to a plain number in its
    /// canonical unit (see [`units`]); what rules and plugins see. Held
    /// compact ([`Doc`]); `normalized.to_value()` gives a
    /// `serde_json::Value`.
    pub normalized: Doc,
    /// The quantities written as strings (`"0.05 %"`), for "value as written"
    /// in reports.
    pub written: Written,
    /// Lowercase hex SHA-256 of `serde_json::to_vec(&normalized)` (compact,
    /// keys sorted): the same for the same content in JSON or YAML, with
    /// the same quantities in any unit.
    pub sha256: String,
    /// Lowercase hex SHA-256 of the file's bytes as given (`sha256sum`);
    /// `None` for a submission that came as a value (inline in a pack test).
    pub file_sha256: Option<String>,
    /// The text it was read from, to locate a finding's place in it (the
    /// line where a missing value goes); `None` for a submission that came
    /// as a value, or whose text its holder dropped (`recert check` does,
    /// between the passes of a report too large to hold: see
    /// [`eval::Streamed`](crate::eval::Streamed)).
    pub source: Option<Arc<Source>>,
}

/// Loads a submission from source text: parse, validate, normalize. The
/// submission keeps a copy of the source; [`load_shared`] shares it instead.
pub fn load_submission(source: &Source) -> Result<Submission, Diagnostics> {
    let mut submission = load_text(source)?;
    submission.source = Some(Arc::new(source.clone()));
    Ok(submission)
}

/// [`load_submission`] keeping `source` itself rather than a copy of its
/// text (up to 16 MiB, held as long as the submission is).
pub fn load_shared(source: Arc<Source>) -> Result<Submission, Diagnostics> {
    let mut submission = load_text(&source)?;
    submission.source = Some(source);
    Ok(submission)
}

/// Parses, validates and normalizes `source`; the submission comes without
/// its source.
fn load_text(source: &Source) -> Result<Submission, Diagnostics> {
    // Quantities are converted while parsing (see `normalize::Normalizing`).
    let model = &schema::compiled()
        .map_err(|e| internal(&source.name, &e.to_string()))?
        .model;
    let found = normalize::Found::new();
    let doc: Doc = parse::parse_shaped(source, normalize::Normalizing::submission(&found, model))?;
    build(&source.name, Some(source), doc, Some(found))
}

/// Validates and normalizes an already parsed submission (inline submissions
/// of pack tests); `file` names it in diagnostics, which have no line numbers.
pub fn submission_from_value(file: &str, value: Value) -> Result<Submission, Diagnostics> {
    build(file, None, Doc::from_value(value), None)
}

/// Every quantity field of a submission as the schema declares it (see
/// `schemas/submission.schema.json`, keyword `x-recert-quantity`): its path
/// (`components[].recycled.post_consumer`, with `*` for any name of an open
/// map such as `components[].substances.*`) and its dimension, by name.
/// Empty only if the embedded schema does not compile, which
/// the tests rule out.
pub fn quantity_fields() -> Vec<(String, units::Dimension)> {
    schema::compiled()
        .map(|c| c.model.quantity_fields())
        .unwrap_or_default()
}

/// A problem found while validating, before it is located in the text.
#[derive(Debug)]
pub(crate) struct Issue {
    code: Code,
    pointer: String,
    message: String,
    help: Option<String>,
}

impl Issue {
    fn new(code: Code, pointer: String, message: String) -> Self {
        Issue {
            code,
            pointer,
            message,
            help: None,
        }
    }
}

/// Validates and normalizes `original`; `parsed` is what normalization found
/// when it ran while parsing (quantities in `original` are then converted
/// already, except those that did not convert).
///
/// A clean document is checked against the schema a piece at a time (see
/// [`schema::Compiled::is_valid_doc`]); any other is converted to a
/// `serde_json::Value` whole, checked and normalized as such, and converted
/// back: the error path, where memory matters less than the messages.
fn build(
    file: &str,
    source: Option<&Source>,
    original: Doc,
    parsed: Option<normalize::Found>,
) -> Result<Submission, Diagnostics> {
    let compiled = schema::compiled().map_err(|e| internal(file, &e.to_string()))?;
    if !original.is_object() {
        let issue = Issue::new(
            Code::Schema,
            String::new(),
            format!(
                "a submission is a mapping of fields (`schema`, `id`, `product`, ...), found {}",
                top_level_kind(&original)
            ),
        );
        return Err(diagnostics(file, source, vec![issue]));
    }
    if let Some(found) = original.get("schema")
        && found.as_str() != Some(SCHEMA_VERSION)
    {
        // Another version's fields mean other things: say only that.
        return Err(diagnostics(
            file,
            source,
            vec![schema::wrong_version(&found.to_value())],
        ));
    }
    let mut issues = Vec::new();
    let (normalized, written) = match parsed {
        // The fast path: converted while parsing, nothing to report there.
        // The schema gives the same answer for the converted document as for
        // the original: it leaves every quantity to the engine (`true`).
        Some(found) if found.is_clean() && compiled.is_valid_doc(&original) => {
            (original, found.into_written())
        }
        parsed => {
            let mut normalized = original.to_value();
            drop(original);
            compiled.check(&normalized, &mut issues);
            // After a conversion while parsing, this finds the issues (a
            // converted quantity converts again to itself, silently) and
            // nothing to add to what was written.
            let written = normalize::normalize(&mut normalized, &compiled.model, &mut issues);
            (
                Doc::from_value(normalized),
                parsed.map_or(written, normalize::Found::into_written),
            )
        }
    };
    normalize::check_identities(&normalized, &mut issues);
    if !issues.is_empty() {
        return Err(diagnostics(file, source, issues));
    }
    let id = normalized
        .get("id")
        .and_then(Doc::as_str)
        .unwrap_or_default()
        .to_owned();
    // JSON without a backslash has no string that needs an escape.
    let plain_strings =
        source.is_some_and(|s| s.format == Format::Json && !s.text.as_bytes().contains(&b'\\'));
    let sha256 = digest::digest(&normalized, plain_strings);
    Ok(Submission {
        file: file.to_owned(),
        id,
        normalized,
        written,
        sha256,
        file_sha256: source.map(|s| s.sha256.clone()),
        // Set by the caller, who has the source to share or copy.
        source: None,
    })
}

/// The embedded schema does not compile (a build defect).
fn internal(file: &str, error: &str) -> Diagnostics {
    Diagnostics::one(Diagnostic::new(
        Code::Internal,
        Location::new(file, ""),
        error,
    ))
}

fn top_level_kind(value: &Doc) -> &'static str {
    match value {
        Doc::Null => "an empty document",
        Doc::Bool(_) => "a boolean",
        Doc::Number(_) => "a number",
        Doc::String(_) => "a string",
        Doc::Array(_) => "a list",
        Doc::Object(_) => "a mapping",
    }
}

/// Turns issues into diagnostics, with line and column when the text is at
/// hand, ordered by position.
fn diagnostics(file: &str, source: Option<&Source>, issues: Vec<Issue>) -> Diagnostics {
    let locations: Vec<Location> = match source {
        Some(source) => {
            let targets: Vec<locate::LocateTarget<'_>> = issues
                .iter()
                .map(|i| locate::LocateTarget {
                    pointer: &i.pointer,
                    occurrence: 0,
                })
                .collect();
            locate::locate_all(source, &targets)
        }
        None => issues
            .iter()
            .map(|i| Location::new(file, i.pointer.clone()))
            .collect(),
    };
    let mut list: Vec<Diagnostic> = issues
        .into_iter()
        .zip(locations)
        .map(|(issue, location)| {
            let diagnostic = Diagnostic::new(issue.code, location, issue.message);
            match issue.help {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic,
            }
        })
        .collect();
    list.sort_by_key(|d| {
        (
            d.location.line.unwrap_or(usize::MAX),
            d.location.column.unwrap_or(usize::MAX),
        )
    });
    Diagnostics::capped(file, list)
}
