//! The pack JSON Schema (`schemas/rule-pack.schema.json`), checked before
//! anything else, with messages a pack author understands.

use std::sync::LazyLock;

use jsonschema::{ValidationError, Validator};
use serde_json::Value as Json;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::Source;
use crate::load::schema_errors::{self, Document, Explained};

/// The schema text, as `recert schema pack` prints it.
pub const PACK_SCHEMA_JSON: &str = include_str!("../../../../schemas/rule-pack.schema.json");

static VALIDATOR: LazyLock<Result<EmbeddedSchema, SchemaError>> =
    LazyLock::new(|| EmbeddedSchema::compile(PACK_SCHEMA_JSON, |_| {}));

/// Every schema violation of `json`, located in `source`.
pub(crate) fn validate(source: &Source, json: &Json) -> Diagnostics {
    EmbeddedSchema::validate(
        &VALIDATOR,
        "pack",
        source,
        json,
        |schema| Document {
            name: "the pack",
            schema,
            pattern_words,
            name_help: |_| "param names are lower-case snake_case, e.g. `max_lead`",
            alternatives: |_| "a value of another type",
        },
        |_, _| {},
    )
}

/// A JSON Schema (2020-12) embedded in recert, compiled once: what checks a
/// pack or a pack test before its typed parse.
#[derive(Debug)]
pub struct EmbeddedSchema {
    /// What checks.
    validator: Validator,
    /// The schema as published, where messages look up the allowed names.
    published: Json,
}

/// Why an embedded schema does not compile: an error in recert itself.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The schema text is not JSON.
    #[error(transparent)]
    NotJson(#[from] serde_json::Error),
    /// The schema is not a valid JSON Schema.
    #[error(transparent)]
    Invalid(Box<ValidationError<'static>>),
}

impl EmbeddedSchema {
    /// Compiles the schema `text` after `adapt` has changed what checks (the
    /// published schema stays as written, for messages).
    pub fn compile(text: &str, adapt: impl FnOnce(&mut Json)) -> Result<Self, SchemaError> {
        let published: Json = serde_json::from_str(text)?;
        let mut schema = published.clone();
        adapt(&mut schema);
        let validator = jsonschema::draft202012::new(&schema)
            .map_err(|error| SchemaError::Invalid(Box::new(error)))?;
        Ok(EmbeddedSchema {
            validator,
            published,
        })
    }

    /// Every violation of `compiled` (the embedded `what` schema) by `json`,
    /// in the words of `document`, located in `source`; `add_help` may add
    /// to what each violation says. A schema that does not compile is one
    /// `internal` diagnostic.
    pub fn validate<'a>(
        compiled: &'a Result<EmbeddedSchema, SchemaError>,
        what: &str,
        source: &Source,
        json: &Json,
        document: impl FnOnce(&'a Json) -> Document<'a>,
        mut add_help: impl FnMut(&ValidationError<'_>, &mut Explained),
    ) -> Diagnostics {
        let schema = match compiled {
            Ok(schema) => schema,
            Err(error) => {
                return Diagnostics::one(Diagnostic::new(
                    Code::Internal,
                    Location::new(&source.name, ""),
                    format!("the embedded {what} schema does not compile: {error}"),
                ));
            }
        };
        if schema.validator.is_valid(json) {
            return Diagnostics::default();
        }
        let document = document(&schema.published);
        let mut explained = Vec::new();
        for error in schema.validator.iter_errors(json) {
            let from = explained.len();
            document.explain(&error, &mut explained);
            for added in explained.get_mut(from..).unwrap_or_default() {
                add_help(&error, added);
            }
        }
        schema_errors::located(source, explained)
    }
}

/// Words for the patterns of the pack schema.
fn pattern_words(pattern: &str, _pointer: &str) -> Option<&'static str> {
    match pattern {
        "^[a-z0-9][a-z0-9-]*$" => Some("an id of lower-case letters, digits and dashes"),
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" => Some("a date written YYYY-MM-DD"),
        "^[0-9a-fA-F]{64}$" => Some("64 hexadecimal characters (a SHA-256 digest)"),
        p if p.starts_with("^params\\.") => Some("a number or `params.NAME`, a param of this pack"),
        p if p.ends_with("(B|KiB|MiB|GiB)$") => Some("a size such as `64 MiB`"),
        p if p.ends_with("(s|ms)$") => Some("a duration such as `1 s` or `500 ms`"),
        p if p.starts_with("^(0|[1-9]") => Some("a semantic version such as `1.2.0`"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Format};

    fn messages(yaml: &str) -> Vec<String> {
        let source = Source::from_text("p.yaml", yaml, Format::Yaml);
        let json = load::parse_document(&source).unwrap();
        validate(&source, &json)
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {}{}",
                    d.location.line.unwrap_or(0),
                    d.location.column.unwrap_or(0),
                    d.message,
                    d.help
                        .as_deref()
                        .map(|h| format!(" ({h})"))
                        .unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn a_pack_author_reads_fields_not_keywords() {
        let found = messages(
            "schema: recert.pack/v1\nid: Bad_Id\nversion: 1.0\ntitle: {en: x, zh: x}\nrules:\n  - id: r1\n    titel: {en: x, zh: x}\n",
        );
        assert!(
            found
                .iter()
                .any(|m| m.starts_with("2:1 `id` must be an id of lower-case letters")),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|m| m.starts_with("7:5 unknown field `titel` in `rules[0]`")
                    && m.contains("did you mean `title`?")),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .all(|m| !m.contains("oneOf") && !m.contains("is not valid under")),
            "{found:#?}"
        );
    }
}
