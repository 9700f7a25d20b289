//! JSON Schema validation of a submission, with readable messages.
//!
//! The published schema (`schemas/submission.schema.json`) is embedded and
//! compiled once per process. The engine compiles it with the quantity
//! definitions and the credit code replaced by `true`: those values are
//! checked by [`units`](super::units) and [`uscc`](super::uscc), which give
//! better messages (the schema keeps its patterns for editors); likewise the
//! snake_case `propertyNames` of open name maps. Validation
//! runs the fast `is_valid` first and walks the detailed errors only for an
//! invalid document.

use std::sync::{LazyLock, OnceLock};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::Value;

use super::Issue;
use super::doc::Doc;
use super::doc_schema::DocJson;
use super::locate::pointer_escape;
use super::model::{Model, QUANTITY_KEYWORD};
use super::schema_errors::show;
use super::schema_errors::{Document, Explained};
use crate::Code;

/// The submission schema as published (JSON Schema 2020-12).
pub const SUBMISSION_SCHEMA: &str = include_str!("../../../../schemas/submission.schema.json");

/// The `schema` value of a v1 submission.
pub const SCHEMA_VERSION: &str = "recert.submission/v1";

/// `$defs` the engine checks itself besides the quantities (those with the
/// keyword `x-recert-quantity`, see [`model`](super::model)).
const ENGINE_CHECKED: &[&str] = &["credit_code"];

pub(crate) struct Compiled {
    /// The schema as the engine checks it, validating a [`Doc`].
    doc_validator: Validator<DocJson>,
    /// The same over a `serde_json::Value`, for the detailed errors of an
    /// invalid submission: compiled the first time one comes (`None` if
    /// it does not compile, which the tests rule out).
    validator: OnceLock<Option<Validator>>,
    /// The schema as the engine checks it.
    engine: Value,
    /// The published schema, to look up allowed field names.
    schema: Value,
    /// Which fields are quantities, read from the schema.
    pub(crate) model: Model,
}

/// Why the embedded submission schema cannot be used (a build defect).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CompileError {
    /// The schema text is not JSON.
    #[error("the embedded submission schema is not JSON: {0}")]
    NotJson(serde_json::Error),
    /// The schema is not a valid JSON Schema.
    #[error("the embedded submission schema does not compile: {0}")]
    Invalid(Box<ValidationError<'static>>),
    /// The schema's quantity declarations cannot be read.
    #[error("the embedded submission schema has no valid model: {0}")]
    Model(super::model::ModelError),
}

static COMPILED: LazyLock<Result<Compiled, CompileError>> = LazyLock::new(compile);

fn compile() -> Result<Compiled, CompileError> {
    let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA).map_err(CompileError::NotJson)?;
    let model = Model::from_schema(&schema).map_err(CompileError::Model)?;
    let engine = engine_schema(&schema);
    let doc_validator = jsonschema::options_for::<DocJson>()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&engine)
        .map_err(|e| CompileError::Invalid(Box::new(e)))?;
    Ok(Compiled {
        doc_validator,
        validator: OnceLock::new(),
        engine,
        schema,
        model,
    })
}

/// The names of the `$defs` the engine checks itself: the quantities and
/// [`ENGINE_CHECKED`].
fn engine_checked_defs(schema: &Value) -> Vec<String> {
    let defs = schema.get("$defs").and_then(Value::as_object);
    let quantities = defs
        .into_iter()
        .flatten()
        .filter(|(_, def)| def.get(QUANTITY_KEYWORD).is_some())
        .map(|(name, _)| name.clone());
    quantities
        .chain(ENGINE_CHECKED.iter().map(|name| (*name).to_owned()))
        .collect()
}

/// The published schema without what the engine checks itself.
fn engine_schema(schema: &Value) -> Value {
    let engine_checked = engine_checked_defs(schema);
    let mut engine_schema = schema.clone();
    if let Some(defs) = engine_schema
        .get_mut("$defs")
        .and_then(Value::as_object_mut)
    {
        for name in &engine_checked {
            defs.insert(name.clone(), Value::Bool(true));
        }
    }
    // Open name maps: the normalizing walk checks their names (a regex per
    // substance name is half the cost of validation).
    for path in open_maps(schema) {
        if let Some(map) = engine_schema
            .pointer_mut(&path)
            .and_then(Value::as_object_mut)
        {
            map.remove("propertyNames");
            // Every value is a quantity, which the schema leaves to the
            // engine (`true`): "a mapping" is all there is to check, and the
            // validator would still visit each entry (10 % of the validation
            // of a 10-component submission).
            if only_engine_checked_values(map, &engine_checked) {
                map.remove("properties");
                map.remove("additionalProperties");
            }
        }
    }
    engine_schema
}

/// The schema pointers of the objects in `$defs` (or nested in their
/// properties) whose names are snake_case, checked by the normalizer:
/// `/$defs/substances`, `/$defs/battery/properties/recycled_content`.
fn open_maps(schema: &Value) -> Vec<String> {
    fn visit(node: &Value, at: &str, out: &mut Vec<String>) {
        if node
            .pointer("/propertyNames/pattern")
            .and_then(Value::as_str)
            == Some("^[a-z][a-z0-9_]*$")
        {
            out.push(at.to_owned());
        }
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                visit(
                    property,
                    &format!("{at}/properties/{}", pointer_escape(name)),
                    out,
                );
            }
        }
    }
    let mut out = Vec::new();
    if let Some(defs) = schema.get("$defs").and_then(Value::as_object) {
        for (name, def) in defs {
            visit(def, &format!("/$defs/{}", pointer_escape(name)), &mut out);
        }
    }
    out
}

/// Whether every property of the object schema `map`, and every other
/// property it allows, is a `$ref` to a definition the engine checks.
fn only_engine_checked_values(map: &serde_json::Map<String, Value>, defs: &[String]) -> bool {
    let engine_checked = |schema: &Value| {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .is_some_and(|name| defs.iter().any(|d| d == name))
    };
    let properties = map.get("properties").and_then(Value::as_object);
    properties.is_none_or(|p| p.values().all(engine_checked))
        && map.get("additionalProperties").is_some_and(engine_checked)
}

/// The compiled schema, or why it could not be compiled (a build defect).
pub(crate) fn compiled() -> Result<&'static Compiled, &'static CompileError> {
    COMPILED.as_ref()
}

impl Compiled {
    /// Whether `doc` is valid (the fast check; [`Compiled::check`]
    /// explains), read as it is.
    pub(crate) fn is_valid_doc(&self, doc: &Doc) -> bool {
        self.doc_validator.is_valid(doc)
    }

    /// Validates `doc`, adding an issue per schema violation.
    pub(crate) fn check(&self, doc: &Value, issues: &mut Vec<Issue>) {
        let validator = self.validator.get_or_init(|| {
            jsonschema::options()
                .with_draft(Draft::Draft202012)
                .should_validate_formats(true)
                .build(&self.engine)
                .ok()
        });
        let Some(validator) = validator else {
            issues.push(Issue::new(
                Code::Internal,
                String::new(),
                "the embedded submission schema does not compile".to_owned(),
            ));
            return;
        };
        if validator.is_valid(doc) {
            return;
        }
        let document = Document {
            name: "the submission",
            schema: &self.schema,
            pattern_words,
            name_help: |_| "names here are lower-case snake_case, e.g. `lead`, `chromium_vi`",
            alternatives: |_| "a value of another type",
        };
        for error in validator.iter_errors(doc) {
            explain(&document, &error, issues);
        }
    }
}

/// The violation `error` as issues: [`Document::explain`], but a wrong
/// `schema` string is [`wrong_version`], and a field required by the
/// product's sector says so.
fn explain(document: &Document<'_>, error: &ValidationError<'_>, issues: &mut Vec<Issue>) {
    if let ValidationErrorKind::Constant { .. } = error.kind()
        && error.instance_path().as_str() == "/schema"
    {
        issues.push(wrong_version(error.instance()));
        return;
    }
    let mut explained = Vec::new();
    document.explain(error, &mut explained);
    for Explained {
        pointer,
        message,
        mut help,
    } in explained
    {
        if let ValidationErrorKind::Required { property } = error.kind()
            && error.schema_path().as_str().contains("/then/")
        {
            help = Some(match property.as_str().unwrap_or_default() {
                "food_contact" => {
                    "`product.food_contact` is required when `product.sector` is `packaging`"
                        .to_owned()
                }
                "battery" => "`battery` is required when `product.sector` is `battery`".to_owned(),
                name => format!("`{name}` is required for this kind of product"),
            });
        }
        let mut issue = Issue::new(Code::Schema, pointer, message);
        issue.help = help;
        issues.push(issue);
    }
}

/// Words for the patterns of the submission schema.
fn pattern_words(pattern: &str, pointer: &str) -> Option<&'static str> {
    match pattern {
        "^[A-Z]{2}$" if pointer.contains("/markets/") => {
            Some("an ISO 3166-1 alpha-2 country code in capitals (CN, DE, ...) or EU")
        }
        "^[A-Z]{2}$" => Some("an ISO 3166-1 alpha-2 country code in capitals (CN, DE, ...)"),
        "^[0-9a-fA-F]{64}$" => Some("64 hexadecimal characters (a SHA-256 digest)"),
        _ => None,
    }
}

/// The issue for a `schema` field that is not `recert.submission/v1`.
pub(crate) fn wrong_version(found: &Value) -> Issue {
    let mut issue = Issue::new(
        Code::WrongSchemaVersion,
        "/schema".to_owned(),
        format!(
            "unsupported submission format {}: expected `{SCHEMA_VERSION}`",
            show(found)
        ),
    );
    issue.help = Some(format!(
        "this engine reads `schema: {SCHEMA_VERSION}` submissions"
    ));
    issue
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_compiles() {
        assert!(compiled().is_ok(), "{:?}", compiled().err());
    }

    #[test]
    fn the_engine_checks_the_quantities_and_open_names_itself() {
        let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA).unwrap();
        assert_eq!(
            engine_checked_defs(&schema),
            [
                "concentration",
                "density",
                "energy",
                "intrinsic_viscosity",
                "length",
                "mass",
                "melt_flow_rate",
                "share",
                "strength",
                "credit_code"
            ]
        );
        assert_eq!(
            open_maps(&schema),
            [
                "/$defs/battery/properties/recycled_content",
                "/$defs/substances"
            ]
        );
    }

    #[test]
    fn open_quantity_maps_are_left_to_the_engine() {
        let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA).unwrap();
        let engine = engine_schema(&schema);
        for (path, kept) in [
            ("/$defs/substances", "lead"),
            ("/$defs/battery/properties/recycled_content", "cobalt"),
        ] {
            let published = schema.pointer(path).unwrap();
            assert!(published["properties"][kept].is_object(), "{path}");
            assert!(published["additionalProperties"].is_object(), "{path}");
            let reduced = engine.pointer(path).unwrap();
            assert_eq!(reduced["type"], "object", "{path}");
            for keyword in ["properties", "additionalProperties", "propertyNames"] {
                assert!(reduced.get(keyword).is_none(), "{path} keeps {keyword}");
            }
        }
        // A closed object keeps its properties, quantities or not.
        let component = &engine["$defs"]["component"];
        assert!(component["properties"]["mass"].is_object());
        assert_eq!(component["additionalProperties"], false);
        assert_eq!(engine["$defs"]["mass"], true);
    }
}
