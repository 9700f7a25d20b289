//! The pack-test JSON Schema (`schemas/pack-test.schema.json`), checked before
//! the typed parse, with messages a pack author understands.

use std::sync::LazyLock;

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value as Json;

use recert_core::diagnostic::Diagnostics;
use recert_core::load::Source;
use recert_core::load::schema_errors::{Document, Explained};
use recert_core::pack::{EmbeddedSchema, SchemaError};

/// The schema text, as `recert schema pack-test` prints it.
pub const PACK_TEST_SCHEMA_JSON: &str = include_str!("../../../../schemas/pack-test.schema.json");

/// The schema the engine checks with: the published one, except that an inline
/// submission is only required to be a mapping here. The submission loader
/// validates it afterwards, with its own (better) messages and unit checks.
static VALIDATOR: LazyLock<Result<EmbeddedSchema, SchemaError>> = LazyLock::new(|| {
    EmbeddedSchema::compile(PACK_TEST_SCHEMA_JSON, |schema| {
        if let Some(inline) = schema.pointer_mut("/$defs/inline_submission") {
            *inline = serde_json::json!({ "type": "object" });
        }
    })
});

/// Every schema violation of `json`, located in `source`.
pub(crate) fn validate(source: &Source, json: &Json) -> Diagnostics {
    EmbeddedSchema::validate(
        &VALIDATOR,
        "pack-test",
        source,
        json,
        |published| Document {
            name: "the test file",
            schema: published,
            pattern_words,
            name_help: |pointer| {
                if pointer.ends_with("/params") {
                    "param names are lower-case snake_case, as in the pack's `params`"
                } else {
                    "rule ids are lower-case letters, digits and dashes"
                }
            },
            alternatives: |pointer| {
                if pointer.contains("/submission") {
                    "a file name or a mapping (the submission itself)"
                } else if pointer.contains("/expect/rules/") {
                    "an outcome (pass, fail, not-applicable, not-in-force, error) or a list of `{ path, outcome }`"
                } else {
                    "a value of another type"
                }
            },
        },
        add_help,
    )
}

/// Help that only a pack test needs: the first line, and what an empty
/// `expect` is missing.
fn add_help(error: &ValidationError<'_>, explained: &mut Explained) {
    let pointer = error.instance_path().as_str();
    match error.kind() {
        ValidationErrorKind::Constant { .. } if pointer == "/schema" => {
            explained.help =
                Some("the first line of a pack test is `schema: recert.pack-test/v1`".to_owned());
        }
        ValidationErrorKind::MinProperties { .. } if pointer.ends_with("/expect") => {
            explained.message =
                "`expect` must say something: a `verdict`, `rules`, or both".to_owned();
        }
        _ => {}
    }
}

/// Words for the patterns of the pack-test schema.
fn pattern_words(pattern: &str, _pointer: &str) -> Option<&'static str> {
    if pattern.contains("[0-9]{4}-") {
        Some("a date written YYYY-MM-DD")
    } else if pattern.starts_with("^[a-z0-9]") {
        Some("an id of lower-case letters, digits and dashes")
    } else if pattern.starts_with("^(/") {
        Some(
            "a JSON Pointer starting with `/`, e.g. `/components/0`, or empty for the whole submission",
        )
    } else if pattern.starts_with("^[a-z][a-z0-9_]") {
        Some("a param name (lower-case snake_case)")
    } else {
        None
    }
}
