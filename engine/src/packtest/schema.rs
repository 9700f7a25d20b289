//! The pack-test JSON Schema (`schemas/pack-test.schema.json`), checked before
//! the typed parse, with messages a pack author understands.

use std::sync::LazyLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value as Json;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::{self, Source};

/// The schema text, as `recert schema pack-test` prints it.
pub const PACK_TEST_SCHEMA_JSON: &str = include_str!("../../../schemas/pack-test.schema.json");

/// The schema the engine checks with: the published one, except that an inline
/// submission is only required to be a mapping here. The submission loader
/// validates it afterwards, with its own (better) messages and unit checks.
static VALIDATOR: LazyLock<Result<(Validator, Json), String>> = LazyLock::new(|| {
    let published: Json = serde_json::from_str(PACK_TEST_SCHEMA_JSON).map_err(|e| e.to_string())?;
    let mut schema = published.clone();
    if let Some(inline) = schema.pointer_mut("/$defs/inline_submission") {
        *inline = serde_json::json!({ "type": "object" });
    }
    let validator = jsonschema::draft202012::new(&schema).map_err(|e| e.to_string())?;
    Ok((validator, published))
});

/// Every schema violation of `json`, located in `source`.
pub(crate) fn validate(source: &Source, json: &Json) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let (validator, published) = match VALIDATOR.as_ref() {
        Ok(compiled) => (&compiled.0, &compiled.1),
        Err(message) => {
            diagnostics.push(Diagnostic::new(
                "internal",
                Location::new(&source.name, ""),
                format!("the embedded pack-test schema does not compile: {message}"),
            ));
            return diagnostics;
        }
    };
    if validator.is_valid(json) {
        return diagnostics;
    }
    let mut issues = Vec::new();
    for error in validator.iter_errors(json) {
        explain(&error, published, &mut issues);
    }
    issues.sort();
    issues.dedup();
    for (pointer, message, help) in issues {
        let diagnostic = Diagnostic::new("schema", locate_key(source, &pointer), message);
        diagnostics.push(match help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        });
    }
    diagnostics
        .0
        .sort_by_key(|d| (d.location.line, d.location.column));
    diagnostics
}

/// (pointer, message, help)
type Issue = (String, String, Option<String>);

fn explain(error: &ValidationError<'_>, schema: &Json, issues: &mut Vec<Issue>) {
    let pointer = error.instance_path().as_str().to_owned();
    let instance = error.instance();
    let field = field_label(&pointer);
    let mut push =
        |message: String, help: Option<String>| issues.push((pointer.clone(), message, help));
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            push(
                format!("missing required field `{name}` in {}", container(&pointer)),
                None,
            );
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed = allowed_fields(schema, error.schema_path().as_str());
            for name in unexpected {
                let help = match closest(name, &allowed) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("allowed here: {}", allowed.join(", ")),
                };
                issues.push((
                    format!("{pointer}/{}", escape(name)),
                    format!("unknown field `{name}` in {}", container(&pointer)),
                    Some(help),
                ));
            }
        }
        ValidationErrorKind::Enum { options } => {
            let list = options
                .as_array()
                .map(|o| o.iter().map(show_plain).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            push(
                format!("`{field}` must be one of {list} (found {})", show(instance)),
                None,
            );
        }
        ValidationErrorKind::Constant { expected_value } => push(
            format!(
                "`{field}` must be {} (found {})",
                show(expected_value),
                show(instance)
            ),
            (pointer == "/schema").then(|| {
                "the first line of a pack test is `schema: recert.pack-test/v1`".to_owned()
            }),
        ),
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => type_name(t.as_str()).to_owned(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| type_name(t.as_str()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            push(
                format!(
                    "`{field}` must be {expected} (found {})",
                    describe(instance)
                ),
                None,
            );
        }
        ValidationErrorKind::Pattern { pattern } => {
            let what = if pattern.contains("[0-9]{4}-") {
                "a date written YYYY-MM-DD"
            } else if pattern.starts_with("^[a-z0-9]") {
                "an id of lower-case letters, digits and dashes"
            } else if pattern.starts_with("^(/") {
                "a JSON Pointer starting with `/`, e.g. `/components/0`, or empty for the whole submission"
            } else if pattern.starts_with("^[a-z][a-z0-9_]") {
                "a param name (lower-case snake_case)"
            } else {
                ""
            };
            if what.is_empty() {
                push(
                    format!(
                        "`{field}` does not match `{pattern}` (found {})",
                        show(instance)
                    ),
                    None,
                );
            } else {
                push(
                    format!("`{field}` must be {what} (found {})", show(instance)),
                    None,
                );
            }
        }
        ValidationErrorKind::PropertyNames { error: inner } => {
            let name = inner.instance().as_str().unwrap_or_default().to_owned();
            issues.push((
                format!("{pointer}/{}", escape(&name)),
                format!("`{name}` is not a valid name in {}", container(&pointer)),
                Some(if pointer.ends_with("/params") {
                    "param names are lower-case snake_case, as in the pack's `params`".to_owned()
                } else {
                    "rule ids are lower-case letters, digits and dashes".to_owned()
                }),
            ));
        }
        ValidationErrorKind::MinItems { .. } => push(format!("`{field}` must not be empty"), None),
        ValidationErrorKind::MinProperties { .. } if pointer.ends_with("/expect") => push(
            "`expect` must say something: a `verdict`, `rules`, or both".to_owned(),
            None,
        ),
        ValidationErrorKind::MinProperties { .. } => {
            push(format!("`{field}` must not be empty"), None)
        }
        ValidationErrorKind::MinLength { .. } => push(format!("`{field}` must not be empty"), None),
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            // Explain the alternative whose type matched: its errors are the
            // real ones. When none matched, say what is accepted.
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
                        explain(inner, schema, issues);
                    }
                }
                None => {
                    let what = if pointer.contains("/submission") {
                        "a file name or a mapping (the submission itself)"
                    } else if pointer.contains("/expect/rules/") {
                        "an outcome (pass, fail, not-applicable, not-in-force, error) or a list of `{ path, outcome }`"
                    } else {
                        "a value of another type"
                    };
                    push(
                        format!("`{field}` must be {what} (found {})", describe(instance)),
                        None,
                    );
                }
            }
        }
        _ => push(format!("`{field}`: {}", error.masked()), None),
    }
}

/// Where the value at `pointer` is, moved back to its key when the key is on
/// an earlier line (a mapping or list value starts on the line after its key,
/// and a person looks for the key).
pub(crate) fn locate_key(source: &Source, pointer: &str) -> Location {
    let mut location = load::locate(source, pointer);
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return location;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    if key.is_empty() || key.bytes().all(|b| b.is_ascii_digit()) {
        return location;
    }
    let (Some(line), Some(from)) = (location.line, load::locate(source, parent).line) else {
        return location;
    };
    // The key is between its mapping's first line and its value's line.
    let needles = [
        format!("{key}:"),
        format!("\"{key}\":"),
        format!("'{key}':"),
    ];
    let lines = source
        .text
        .lines()
        .enumerate()
        .take(line)
        .skip(from.saturating_sub(1));
    let mut found = None;
    for (index, text) in lines {
        if let Some(byte) = needles.iter().find_map(|n| text.find(n.as_str())) {
            let column = text.get(..byte).map_or(0, |t| t.chars().count()) + 1;
            found = Some((index + 1, column));
        }
    }
    if let Some((line, column)) = found {
        location.line = Some(line);
        location.column = Some(column);
    }
    location
}

/// The properties the schema object holding an `additionalProperties`
/// keyword at `schema_path` allows.
fn allowed_fields<'a>(schema: &'a Json, schema_path: &str) -> Vec<&'a str> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    schema
        .pointer(parent)
        .and_then(|s| s.get("properties"))
        .and_then(Json::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The field a pointer names: its last key, or `list[i]`.
fn field_label(pointer: &str) -> String {
    let mut segments = pointer.rsplit('/');
    let last = segments.next().unwrap_or_default();
    let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
    if pointer.is_empty() {
        "the test file".to_owned()
    } else if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}[{last}]", unescape(segments.next().unwrap_or_default()))
    } else {
        unescape(last)
    }
}

fn container(pointer: &str) -> String {
    if pointer.is_empty() {
        "the test file".to_owned()
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

fn describe(value: &Json) -> String {
    match value {
        Json::Null => "nothing".to_owned(),
        Json::Bool(_) | Json::Number(_) => format!("`{value}`"),
        Json::String(_) => format!("the string {}", show(value)),
        Json::Array(_) => "a list".to_owned(),
        Json::Object(_) => "a mapping".to_owned(),
    }
}

fn show_plain(value: &Json) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

fn show(value: &Json) -> String {
    const MAX: usize = 60;
    let text = match value {
        Json::Array(_) => return "a list".to_owned(),
        Json::Object(_) => return "a mapping".to_owned(),
        other => show_plain(other),
    };
    if text.chars().count() > MAX {
        format!("`{}…`", text.chars().take(MAX).collect::<String>())
    } else {
        format!("`{text}`")
    }
}

/// The candidate closest to `name`, when close enough to be a typo.
pub(crate) fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(name, c), *c))
        .filter(|(d, c)| *d > 0 && *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
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
