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

use std::sync::LazyLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::Value;

use super::Issue;
use super::locate::pointer_escape;

/// The submission schema as published (JSON Schema 2020-12).
pub const SUBMISSION_SCHEMA: &str = include_str!("../../../schemas/submission.schema.json");

/// The `schema` value of a v1 submission.
pub const SCHEMA_VERSION: &str = "recert.submission/v1";

/// `$defs` the engine checks itself (see the module documentation).
const ENGINE_CHECKED_DEFS: &[&str] = &[
    "mass",
    "share",
    "concentration",
    "energy",
    "melt_flow_rate",
    "density",
    "length",
    "strength",
    "credit_code",
];

pub(crate) struct Compiled {
    validator: Validator,
    /// The published schema, to look up allowed field names.
    schema: Value,
}

static COMPILED: LazyLock<Result<Compiled, String>> = LazyLock::new(compile);

fn compile() -> Result<Compiled, String> {
    let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA)
        .map_err(|e| format!("the embedded submission schema is not JSON: {e}"))?;
    let validator = jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&engine_schema(&schema))
        .map_err(|e| format!("the embedded submission schema does not compile: {e}"))?;
    Ok(Compiled { validator, schema })
}

/// The published schema without what the engine checks itself.
fn engine_schema(schema: &Value) -> Value {
    let mut engine_schema = schema.clone();
    if let Some(defs) = engine_schema
        .get_mut("$defs")
        .and_then(Value::as_object_mut)
    {
        for name in ENGINE_CHECKED_DEFS {
            defs.insert((*name).to_owned(), Value::Bool(true));
        }
        // Open name maps: the normalizing walk checks their names (a regex
        // per substance name is half the cost of validation).
        for path in ["/substances", "/battery/properties/recycled_content"] {
            if let Some(map) = defs_pointer_mut(defs, path) {
                map.remove("propertyNames");
                // Every value is a quantity, which the schema leaves to the
                // engine (`true`): "a mapping" is all there is to check, and
                // the validator would still visit each entry (10 % of the
                // validation of a 10-component submission).
                if only_engine_checked_values(map) {
                    map.remove("properties");
                    map.remove("additionalProperties");
                }
            }
        }
    }
    engine_schema
}

/// Whether every property of the object schema `map`, and every other
/// property it allows, is a `$ref` to a definition the engine checks.
fn only_engine_checked_values(map: &serde_json::Map<String, Value>) -> bool {
    let engine_checked = |schema: &Value| {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .is_some_and(|name| ENGINE_CHECKED_DEFS.contains(&name))
    };
    let properties = map.get("properties").and_then(Value::as_object);
    properties.is_none_or(|p| p.values().all(engine_checked))
        && map.get("additionalProperties").is_some_and(engine_checked)
}

fn defs_pointer_mut<'a>(
    defs: &'a mut serde_json::Map<String, Value>,
    path: &str,
) -> Option<&'a mut serde_json::Map<String, Value>> {
    let mut segments = path.split('/').skip(1);
    let first = segments.next()?;
    let mut node = defs.get_mut(first)?;
    for segment in segments {
        node = node.get_mut(segment)?;
    }
    node.as_object_mut()
}

/// The compiled schema, or why it could not be compiled (a build defect).
pub(crate) fn compiled() -> Result<&'static Compiled, &'static str> {
    COMPILED.as_ref().map_err(String::as_str)
}

impl Compiled {
    /// Whether `doc` is valid (the fast check; [`Compiled::check`] explains).
    pub(crate) fn is_valid(&self, doc: &Value) -> bool {
        self.validator.is_valid(doc)
    }

    /// Validates `doc`, adding an issue per schema violation.
    pub(crate) fn check(&self, doc: &Value, issues: &mut Vec<Issue>) {
        if self.validator.is_valid(doc) {
            return;
        }
        for error in self.validator.iter_errors(doc) {
            self.explain(&error, issues);
        }
    }

    fn explain(&self, error: &ValidationError<'_>, issues: &mut Vec<Issue>) {
        let pointer = error.instance_path().as_str();
        let instance = error.instance();
        let field = field_label(pointer);
        let issue = |message: String| Issue::new("schema", pointer.to_owned(), message);
        let issue = match error.kind() {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let mut issue = issue(format!("missing required field `{name}`"));
                if error.schema_path().as_str().contains("/then/") {
                    issue.help = Some(match name {
                        "food_contact" => {
                            "`product.food_contact` is required when `product.sector` is `packaging`"
                                .to_owned()
                        }
                        "battery" => {
                            "`battery` is required when `product.sector` is `battery`".to_owned()
                        }
                        _ => format!("`{name}` is required for this kind of product"),
                    });
                }
                issue
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = self.allowed_fields(error.schema_path().as_str());
                for name in unexpected {
                    let mut issue = Issue::new(
                        "schema",
                        format!("{pointer}/{}", pointer_escape(name)),
                        format!("unknown field `{name}` in {}", container_label(pointer)),
                    );
                    issue.help = Some(match closest(name, &allowed) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("allowed here: {}", allowed.join(", ")),
                    });
                    issues.push(issue);
                }
                return;
            }
            ValidationErrorKind::Enum { options } => {
                let list = options
                    .as_array()
                    .map(|o| {
                        o.iter()
                            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                issue(format!(
                    "`{field}` must be one of {list} (found {})",
                    show(instance)
                ))
            }
            ValidationErrorKind::Constant { expected_value } => {
                if pointer == "/schema" {
                    wrong_version(instance)
                } else {
                    issue(format!(
                        "`{field}` must be {} (found {})",
                        show(expected_value),
                        show(instance)
                    ))
                }
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => type_name(t.as_str()).to_owned(),
                    TypeKind::Multiple(set) => set
                        .iter()
                        .map(|t| type_name(t.as_str()))
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                issue(format!(
                    "`{field}` must be {expected} (found {})",
                    describe_value(instance)
                ))
            }
            ValidationErrorKind::Format { format } => {
                let what = if format == "date" {
                    "a date written YYYY-MM-DD"
                } else {
                    format.as_str()
                };
                issue(format!(
                    "`{field}` must be {what} (found {})",
                    show(instance)
                ))
            }
            ValidationErrorKind::Pattern { pattern } => {
                let what = match pattern.as_str() {
                    "^[A-Z]{2}$" if pointer.contains("/markets/") => {
                        "an ISO 3166-1 alpha-2 country code in capitals (CN, DE, ...) or EU"
                    }
                    "^[A-Z]{2}$" => "an ISO 3166-1 alpha-2 country code in capitals (CN, DE, ...)",
                    "^[0-9a-fA-F]{64}$" => "64 hexadecimal characters (a SHA-256 digest)",
                    _ => "",
                };
                if what.is_empty() {
                    issue(format!(
                        "`{field}` does not match the pattern `{pattern}` (found {})",
                        show(instance)
                    ))
                } else {
                    issue(format!(
                        "`{field}` must be {what} (found {})",
                        show(instance)
                    ))
                }
            }
            ValidationErrorKind::PropertyNames { error: inner } => {
                let name = inner.instance().as_str().unwrap_or_default().to_owned();
                let mut issue = Issue::new(
                    "schema",
                    format!("{pointer}/{}", pointer_escape(&name)),
                    format!(
                        "the name `{name}` is not allowed in {}",
                        container_label(pointer)
                    ),
                );
                issue.help = Some(
                    "names here are lower-case snake_case, e.g. `lead`, `chromium_vi`".to_owned(),
                );
                issue
            }
            ValidationErrorKind::MinItems { limit } => {
                let entries = if *limit == 1 { "entry" } else { "entries" };
                issue(format!("`{field}` must list at least {limit} {entries}"))
            }
            ValidationErrorKind::MinLength { limit } if *limit == 1 => {
                issue(format!("`{field}` must not be empty"))
            }
            ValidationErrorKind::UniqueItems => {
                issue(format!("`{field}` lists the same entry more than once"))
            }
            ValidationErrorKind::Minimum { limit } => issue(format!(
                "`{field}` must be at least {limit} (found {})",
                show(instance)
            )),
            ValidationErrorKind::Maximum { limit } => issue(format!(
                "`{field}` must be at most {limit} (found {})",
                show(instance)
            )),
            _ => issue(format!("`{field}`: {}", error.masked())),
        };
        issues.push(issue);
    }

    /// The property names the schema object holding `schema_path` (an
    /// `additionalProperties` keyword) allows.
    fn allowed_fields(&self, schema_path: &str) -> Vec<&str> {
        let parent = schema_path
            .strip_suffix("/additionalProperties")
            .unwrap_or(schema_path);
        self.schema
            .pointer(parent)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }
}

/// The issue for a `schema` field that is not `recert.submission/v1`.
pub(crate) fn wrong_version(found: &Value) -> Issue {
    let mut issue = Issue::new(
        "wrong-schema-version",
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

/// The field a pointer names, for messages: its last key, or `list[i]`.
pub(crate) fn field_label(pointer: &str) -> String {
    let mut segments = pointer.rsplit('/');
    let last = segments.next().unwrap_or_default();
    let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
    if pointer.is_empty() {
        "the submission".to_owned()
    } else if last.bytes().all(|b| b.is_ascii_digit()) {
        let parent = segments.next().unwrap_or_default();
        format!("{}[{last}]", unescape(parent))
    } else {
        unescape(last)
    }
}

fn container_label(pointer: &str) -> String {
    if pointer.is_empty() {
        "the submission".to_owned()
    } else {
        format!("`{}`", field_label(pointer))
    }
}

fn type_name(t: &str) -> &'static str {
    match t {
        "object" => "a mapping",
        "array" => "a list",
        "string" => "a string",
        "number" => "a number",
        "integer" => "an integer",
        "boolean" => "true or false",
        "null" => "null",
        _ => "a value of another type",
    }
}

/// "a string `abc`", "a list", ... for the value found.
fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) | Value::Number(_) => format!("`{value}`"),
        Value::String(_) => format!("the string {}", show(value)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

/// A short rendering of a value in backquotes.
pub(crate) fn show(value: &Value) -> String {
    const MAX: usize = 60;
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Array(_) => return "a list".to_owned(),
        Value::Object(_) => return "a mapping".to_owned(),
        other => other.to_string(),
    };
    if text.chars().count() > MAX {
        let cut: String = text.chars().take(MAX).collect();
        format!("`{cut}…`")
    } else {
        format!("`{text}`")
    }
}

/// The allowed name closest to `name`, when it is close enough to be a typo.
fn closest<'a>(name: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    allowed
        .iter()
        .map(|a| (edit_distance(&lower, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let substitute = previous.get(j).map_or(usize::MAX, |p| p + cost);
            let delete = previous.get(j + 1).map_or(usize::MAX, |p| p + 1);
            let insert = current.get(j).map_or(usize::MAX, |p| p + 1);
            if let Some(slot) = current.get_mut(j + 1) {
                *slot = substitute.min(delete).min(insert);
            }
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(field_label(""), "the submission");
        assert_eq!(field_label("/product/sector"), "sector");
        assert_eq!(field_label("/product/markets/1"), "markets[1]");
        assert_eq!(field_label("/components/0/substances/a~1b"), "a/b");
    }

    #[test]
    fn typos_find_their_field() {
        let allowed = ["food_contact", "contact_sensitive", "mass", "markets"];
        assert_eq!(closest("foodcontact", &allowed), Some("food_contact"));
        assert_eq!(closest("Mass", &allowed), Some("mass"));
        assert_eq!(closest("colour", &allowed), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_schema_compiles() {
        assert!(compiled().is_ok(), "{:?}", compiled().err());
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
