//! Readable messages for JSON Schema violations, shared by the three kinds of
//! document recert validates against a schema: submissions, packs and pack
//! tests.
//!
//! The `jsonschema` crate's own messages name schema keywords ("is not valid
//! under any of the schemas listed in the 'oneOf' keyword"); a person filling
//! in a submission or writing a pack wants the field, what it must be and what
//! was found, and for an unknown field the one they probably meant. What
//! differs between the documents (their name, the words for their patterns,
//! the help for their open names) is a [`Document`].

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use super::locate::{locate_keys, pointer_escape, pointer_unescape};
use super::source::Source;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::suggest::closest;

/// One violation in words: where, what, and how to fix it when there is more
/// to say than the message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Explained {
    /// JSON Pointer of the offending value (for an unknown field, the field).
    pub pointer: String,
    /// What is wrong, in words.
    pub message: String,
    /// How to fix it, when there is more to say than the message.
    pub help: Option<String>,
}

/// What the messages need to know about the kind of document validated.
pub struct Document<'a> {
    /// How messages name the whole document: "the submission".
    pub name: &'static str,
    /// The published schema, where the allowed names of a mapping are read.
    pub schema: &'a Value,
    /// Words for a value that must match `pattern` at `pointer` ("a date
    /// written YYYY-MM-DD"), when there are better ones than the pattern.
    pub pattern_words: fn(pattern: &str, pointer: &str) -> Option<&'static str>,
    /// The help for a name that the mapping at `pointer` does not allow.
    pub name_help: fn(pointer: &str) -> &'static str,
    /// What a value at `pointer` that fits none of its alternatives
    /// (`oneOf`, `anyOf`) may be.
    pub alternatives: fn(pointer: &str) -> &'static str,
}

impl Document<'_> {
    /// Adds to `out` the violation `error` in words (several for a mapping
    /// with several unknown fields; those of the alternative meant, for a
    /// value that fits none).
    pub fn explain(&self, error: &ValidationError<'_>, out: &mut Vec<Explained>) {
        let pointer = error.instance_path().as_str();
        let instance = error.instance();
        let field = self.field_label(pointer);
        let mut push = |message: String| {
            out.push(Explained {
                pointer: pointer.to_owned(),
                message,
                help: None,
            });
        };
        match error.kind() {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                push(format!(
                    "missing required field `{name}` in {}",
                    self.container_label(pointer)
                ));
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = self.allowed_fields(error.schema_path().as_str());
                for name in unexpected {
                    let help = match closest(name, allowed.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("allowed here: {}", allowed.join(", ")),
                    };
                    out.push(Explained {
                        pointer: format!("{pointer}/{}", pointer_escape(name)),
                        message: format!(
                            "unknown field `{name}` in {}",
                            self.container_label(pointer)
                        ),
                        help: Some(help),
                    });
                }
            }
            ValidationErrorKind::Enum { options } => {
                let list = options
                    .as_array()
                    .map(|o| o.iter().map(show_plain).collect::<Vec<_>>().join(", "))
                    .unwrap_or_default();
                push(format!(
                    "`{field}` must be one of {list} (found {})",
                    show(instance)
                ));
            }
            ValidationErrorKind::Constant { expected_value } => push(format!(
                "`{field}` must be {} (found {})",
                show(expected_value),
                show(instance)
            )),
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => type_name(t.as_str()).to_owned(),
                    TypeKind::Multiple(set) => set
                        .iter()
                        .map(|t| type_name(t.as_str()))
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                push(format!(
                    "`{field}` must be {expected} (found {})",
                    describe(instance)
                ));
            }
            ValidationErrorKind::Format { format } => {
                let what = if format == "date" {
                    "a date written YYYY-MM-DD"
                } else {
                    format.as_str()
                };
                push(format!(
                    "`{field}` must be {what} (found {})",
                    show(instance)
                ));
            }
            ValidationErrorKind::Pattern { pattern } => {
                push(match (self.pattern_words)(pattern, pointer) {
                    Some(what) => format!("`{field}` must be {what} (found {})", show(instance)),
                    None => format!(
                        "`{field}` does not match the pattern `{pattern}` (found {})",
                        show(instance)
                    ),
                });
            }
            ValidationErrorKind::PropertyNames { error: inner } => {
                let name = inner.instance().as_str().unwrap_or_default();
                out.push(Explained {
                    pointer: format!("{pointer}/{}", pointer_escape(name)),
                    message: format!(
                        "the name `{name}` is not allowed in {}",
                        self.container_label(pointer)
                    ),
                    help: Some((self.name_help)(pointer).to_owned()),
                });
            }
            ValidationErrorKind::MinItems { limit } => push(if *limit <= 1 {
                format!("`{field}` must not be empty")
            } else {
                format!("`{field}` must list at least {limit} entries")
            }),
            ValidationErrorKind::MinProperties { .. } | ValidationErrorKind::MinLength { .. } => {
                push(format!("`{field}` must not be empty"));
            }
            ValidationErrorKind::UniqueItems => {
                push(format!("`{field}` lists the same entry more than once"));
            }
            ValidationErrorKind::Minimum { limit } => push(format!(
                "`{field}` must be at least {limit} (found {})",
                show(instance)
            )),
            ValidationErrorKind::Maximum { limit } => push(format!(
                "`{field}` must be at most {limit} (found {})",
                show(instance)
            )),
            ValidationErrorKind::OneOfNotValid { context }
            | ValidationErrorKind::AnyOf { context } => {
                // The alternative whose type matched holds the real errors;
                // when none matched, say what is accepted.
                let matched = context.iter().find(|branch| {
                    !branch.iter().any(|e| {
                        e.instance_path().as_str() == pointer
                            && matches!(
                                e.kind(),
                                ValidationErrorKind::Type { .. }
                                    | ValidationErrorKind::Enum { .. }
                                    | ValidationErrorKind::Constant { .. }
                            )
                    })
                });
                match matched {
                    Some(branch) => {
                        for inner in branch {
                            self.explain(inner, out);
                        }
                    }
                    None => push(format!(
                        "`{field}` must be {} (found {})",
                        (self.alternatives)(pointer),
                        describe(instance)
                    )),
                }
            }
            _ => push(format!("`{field}`: {}", error.masked())),
        }
    }

    /// The field a pointer names: its last key, or `list[i]`; the document's
    /// name for the empty pointer.
    pub fn field_label(&self, pointer: &str) -> String {
        field_label(pointer, self.name)
    }

    /// The mapping a pointer names, for "in ...": `` `product` `` or the
    /// document's name.
    fn container_label(&self, pointer: &str) -> String {
        if pointer.is_empty() {
            self.name.to_owned()
        } else {
            format!("`{}`", self.field_label(pointer))
        }
    }

    /// The property names the schema object holding an
    /// `additionalProperties` keyword at `schema_path` allows.
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

/// The explained violations as `schema` diagnostics located in `source` (a
/// field at its key), without repeats, in the order of the text.
pub fn located(source: &Source, mut explained: Vec<Explained>) -> Diagnostics {
    explained.sort();
    explained.dedup();
    let pointers: Vec<&str> = explained.iter().map(|e| e.pointer.as_str()).collect();
    let locations = locate_keys(source, &pointers);
    let mut diagnostics: Vec<Diagnostic> = explained
        .iter()
        .zip(locations)
        .map(|(e, location)| {
            let diagnostic = Diagnostic::new(Code::Schema, location, e.message.clone());
            match &e.help {
                Some(help) => diagnostic.with_help(help.clone()),
                None => diagnostic,
            }
        })
        .collect();
    diagnostics.sort_by_key(|d| (d.location.line, d.location.column));
    Diagnostics::capped(&source.name, diagnostics)
}

/// The field a pointer names: its last key, or `list[i]`; `document` for the
/// empty pointer.
pub fn field_label(pointer: &str, document: &str) -> String {
    let mut segments = pointer.rsplit('/');
    let last = segments.next().unwrap_or_default();
    if pointer.is_empty() {
        document.to_owned()
    } else if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        format!(
            "{}[{last}]",
            pointer_unescape(segments.next().unwrap_or_default())
        )
    } else {
        pointer_unescape(last).into_owned()
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

/// What was found, in words: "the string `abc`", "a list", "`12`".
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) | Value::Number(_) => format!("`{value}`"),
        Value::String(_) => format!("the string {}", show(value)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

fn show_plain(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// A short rendering of a value in backquotes, cut after 60 characters.
pub fn show(value: &Value) -> String {
    const MAX: usize = 60;
    let text = match value {
        Value::Array(_) => return "a list".to_owned(),
        Value::Object(_) => return "a mapping".to_owned(),
        other => show_plain(other),
    };
    if text.chars().count() > MAX {
        format!("`{}…`", text.chars().take(MAX).collect::<String>())
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document(schema: &Value) -> Document<'_> {
        Document {
            name: "the thing",
            schema,
            pattern_words: |pattern, _| (pattern == "^[A-Z]{2}$").then_some("a country code"),
            name_help: |_| "names are snake_case",
            alternatives: |_| "a name or a mapping",
        }
    }

    fn explain(schema: &Value, instance: &Value) -> Vec<Explained> {
        let validator = jsonschema::draft202012::new(schema).unwrap();
        let doc = document(schema);
        let mut out = Vec::new();
        for error in validator.iter_errors(instance) {
            doc.explain(&error, &mut out);
        }
        out.sort();
        out
    }

    fn messages(schema: &Value, instance: &Value) -> Vec<String> {
        explain(schema, instance)
            .into_iter()
            .map(|e| format!("{}: {}", e.pointer, e.message))
            .collect()
    }

    #[test]
    fn labels() {
        let schema = json!({});
        let doc = document(&schema);
        assert_eq!(doc.field_label(""), "the thing");
        assert_eq!(doc.field_label("/product/sector"), "sector");
        assert_eq!(doc.field_label("/product/markets/1"), "markets[1]");
        assert_eq!(doc.field_label("/components/0/substances/a~1b"), "a/b");
    }

    #[test]
    fn unknown_fields_get_the_closest_allowed_name() {
        let schema = json!({
            "type": "object",
            "properties": {"sector": {}, "markets": {}},
            "additionalProperties": false
        });
        let found = explain(&schema, &json!({"sectr": 1, "colour": 2}));
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].pointer, "/colour");
        assert_eq!(found[0].message, "unknown field `colour` in the thing");
        assert_eq!(
            found[0].help.as_deref(),
            Some("allowed here: markets, sector")
        );
        assert_eq!(found[1].pointer, "/sectr");
        assert_eq!(found[1].help.as_deref(), Some("did you mean `sector`?"));
    }

    #[test]
    fn values_are_named_with_what_was_found() {
        let schema = json!({
            "type": "object",
            "properties": {
                "sector": {"enum": ["battery", "packaging"]},
                "mass": {"type": "number", "minimum": 0, "maximum": 10},
                "code": {"type": "string", "pattern": "^[A-Z]{2}$"},
                "other": {"type": "string", "pattern": "^x$"},
                "list": {"type": "array", "minItems": 1, "uniqueItems": true},
                "pair": {"type": "array", "minItems": 2},
                "version": {"const": "v1"},
                "name": {"type": ["string", "null"]}
            },
            "required": ["id"]
        });
        let instance = json!({
            "sector": "batteries", "mass": -1, "code": "de", "other": "y",
            "list": [], "pair": [1], "version": "v2", "name": 3
        });
        assert_eq!(
            messages(&schema, &instance),
            [
                ": missing required field `id` in the thing",
                "/code: `code` must be a country code (found `de`)",
                "/list: `list` must not be empty",
                "/mass: `mass` must be at least 0 (found `-1`)",
                "/name: `name` must be null or a string (found `3`)",
                "/other: `other` does not match the pattern `^x$` (found `y`)",
                "/pair: `pair` must list at least 2 entries",
                "/sector: `sector` must be one of battery, packaging (found `batteries`)",
                "/version: `version` must be `v1` (found `v2`)",
            ]
        );
    }

    #[test]
    fn alternatives_explain_the_one_meant_or_what_is_accepted() {
        let schema = json!({
            "type": "object",
            "properties": {
                "submission": {"oneOf": [
                    {"type": "string"},
                    {"type": "object", "properties": {"id": {"type": "string"}}}
                ]}
            }
        });
        assert_eq!(
            messages(&schema, &json!({"submission": {"id": 5}})),
            ["/submission/id: `id` must be a string (found `5`)"]
        );
        assert_eq!(
            messages(&schema, &json!({"submission": [1]})),
            ["/submission: `submission` must be a name or a mapping (found a list)"]
        );
    }

    #[test]
    fn more_than_a_hundred_are_cut_to_a_count() {
        let text: String = (0..150).map(|i| format!("x{i:03}: 1\n")).collect();
        let source = Source::from_text("p.yaml", &text, crate::load::Format::Yaml);
        let explained = (0..150)
            .map(|i| Explained {
                pointer: format!("/x{i:03}"),
                message: format!("unknown field `x{i:03}`"),
                help: None,
            })
            .collect();
        let diagnostics = located(&source, explained).0;
        assert_eq!(diagnostics.len(), 101);
        assert_eq!(diagnostics[99].location.line, Some(100));
        assert_eq!(diagnostics[100].code, Code::MoreErrors);
        assert_eq!(
            diagnostics[100].message,
            "and 50 more errors (only the first 100 are shown)"
        );
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(100);
        let shown = show(&json!(long));
        assert_eq!(shown.chars().count(), 63);
        assert!(shown.ends_with("…`"));
    }
}
