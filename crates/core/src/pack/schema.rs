//! The pack JSON Schema (`schemas/rule-pack.schema.json`), checked before
//! anything else, with messages a pack author understands.

use std::sync::LazyLock;

use serde_json::Value as Json;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::Source;
use crate::load::schema_errors::{self, Document};

/// The schema text, as `recert schema pack` prints it.
pub const PACK_SCHEMA_JSON: &str = include_str!("../../../../schemas/rule-pack.schema.json");

static VALIDATOR: LazyLock<Result<(jsonschema::Validator, Json), String>> = LazyLock::new(|| {
    let schema: Json = serde_json::from_str(PACK_SCHEMA_JSON).map_err(|e| e.to_string())?;
    let validator = jsonschema::draft202012::new(&schema).map_err(|e| e.to_string())?;
    Ok((validator, schema))
});

/// Every schema violation of `json`, located in `source`.
pub(crate) fn validate(source: &Source, json: &Json) -> Diagnostics {
    let (validator, schema) = match VALIDATOR.as_ref() {
        Ok(compiled) => (&compiled.0, &compiled.1),
        Err(message) => {
            return Diagnostics::one(Diagnostic::new(
                Code::Internal,
                Location::new(&source.name, ""),
                format!("the embedded pack schema does not compile: {message}"),
            ));
        }
    };
    if validator.is_valid(json) {
        return Diagnostics::default();
    }
    let document = Document {
        name: "the pack",
        schema,
        pattern_words,
        name_help: |_| "param names are lower-case snake_case, e.g. `max_lead`",
        alternatives: |_| "a value of another type",
    };
    let mut explained = Vec::new();
    for error in validator.iter_errors(json) {
        document.explain(&error, &mut explained);
    }
    schema_errors::located(source, explained)
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
