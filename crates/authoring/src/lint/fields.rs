//! Field paths in CEL against the submission schema.
//!
//! Every path an expression reads ([`Expr::field_paths`],
//! [`Expr::element_paths`], and what [`super::scan`] finds in `has()`, `.?`
//! and chained macros) is walked through `schemas/submission.schema.json`. A
//! field that a structure with `additionalProperties: false` does not have
//! can never be present in a valid submission: the rule would always be
//! `error` (or its `has()` always false), so it is an error, with the closest
//! known field as a suggestion. Open maps (`substances`, `properties`,
//! `battery.recycled_content`) accept any snake_case name.

use serde_json::Value as Json;

use super::scan::{self, Seg};
use super::{Level, Out, PackCx, rule_id};
use recert_core::diagnostic::{Code, Diagnostic, Location};
use recert_core::expr::{self, ExprEnv, FieldPath};
use recert_core::load;
use recert_core::suggest::closest;

/// The published submission schema, for walking field paths.
pub(crate) struct SubmissionSchema {
    root: Json,
}

/// Why a path cannot be in a valid submission.
#[derive(Debug, PartialEq)]
pub(crate) enum Problem {
    /// `at` has no field `field`; `known` are the fields it has.
    Unknown {
        at: String,
        field: String,
        known: Vec<String>,
    },
    /// `at` is not an object (`kind` says what it is), so it has no `field`.
    NotObject {
        at: String,
        field: String,
        kind: String,
    },
    /// `at` is an open map whose names are snake_case; `field` is not.
    BadName { at: String, field: String },
    /// `at` is not a list, yet its elements are read.
    NotList { at: String, kind: String },
}

impl SubmissionSchema {
    /// The embedded schema; `None` if it does not parse (a build error).
    pub fn load() -> Option<SubmissionSchema> {
        serde_json::from_str(load::SUBMISSION_SCHEMA)
            .ok()
            .map(|root| SubmissionSchema { root })
    }

    /// `node` with `$ref`s followed.
    fn resolve<'a>(&'a self, mut node: &'a Json) -> &'a Json {
        for _ in 0..16 {
            match node
                .get("$ref")
                .and_then(Json::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|pointer| self.root.pointer(pointer))
            {
                Some(target) => node = target,
                None => break,
            }
        }
        node
    }

    /// The schema of a variable: the whole submission, a component, or the
    /// top-level field of the schema a variable is named after (`product`,
    /// `battery`, ...); `None` for other names, among them the variables
    /// that are not part of the submission (`params`, which compile checks,
    /// and `evaluation_date`).
    fn variable(&self, name: &str) -> Option<&Json> {
        match name {
            "submission" => Some(&self.root),
            "component" => self.root.pointer("/properties/components/items"),
            _ if expr::VARIABLES.contains(&name) => self.root.get("properties")?.get(name),
            _ => None,
        }
    }

    /// Walks `steps` from the variable `root`.
    pub fn walk(&self, root: &str, steps: &[Step<'_>]) -> Result<(), Problem> {
        let Some(mut node) = self.variable(root) else {
            return Ok(());
        };
        let mut at = root.to_owned();
        for step in steps {
            node = self.resolve(node);
            if node == &Json::Bool(true) {
                return Ok(());
            }
            let kind = kind_of(node);
            match step {
                Step::Elem => {
                    if !kind.is_empty() && !kind.contains(&"array") {
                        return Err(Problem::NotList {
                            at,
                            kind: describe(&kind),
                        });
                    }
                    match node.get("items") {
                        Some(items) => node = items,
                        None => return Ok(()),
                    }
                    at.push_str("[]");
                }
                Step::Field(field) => {
                    if !kind.is_empty() && !kind.contains(&"object") {
                        return Err(Problem::NotObject {
                            at,
                            field: (*field).to_owned(),
                            kind: describe(&kind),
                        });
                    }
                    if let Some(next) = node.get("properties").and_then(|p| p.get(*field)) {
                        node = next;
                    } else {
                        match node.get("additionalProperties") {
                            Some(Json::Bool(false)) => {
                                let known = node
                                    .get("properties")
                                    .and_then(Json::as_object)
                                    .map(|p| p.keys().cloned().collect())
                                    .unwrap_or_default();
                                return Err(Problem::Unknown {
                                    at,
                                    field: (*field).to_owned(),
                                    known,
                                });
                            }
                            additional => {
                                let snake = node
                                    .pointer("/propertyNames/pattern")
                                    .and_then(Json::as_str)
                                    == Some("^[a-z][a-z0-9_]*$");
                                if snake && !is_snake_case(field) {
                                    return Err(Problem::BadName {
                                        at,
                                        field: (*field).to_owned(),
                                    });
                                }
                                match additional {
                                    Some(schema) if schema.is_object() => node = schema,
                                    _ => return Ok(()),
                                }
                            }
                        }
                    }
                    at.push('.');
                    at.push_str(field);
                }
            }
        }
        Ok(())
    }
}

/// One step of a path being walked.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    /// A field.
    Field(&'a str),
    /// An element of a list.
    Elem,
}

fn is_snake_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The JSON types a schema node allows (empty when it does not say).
fn kind_of(node: &Json) -> Vec<&str> {
    match node.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(list)) => list.iter().filter_map(Json::as_str).collect(),
        _ if node.get("properties").is_some() => vec!["object"],
        _ if node.get("enum").is_some() || node.get("const").is_some() => {
            let values = node
                .get("enum")
                .and_then(Json::as_array)
                .cloned()
                .or_else(|| node.get("const").map(|c| vec![c.clone()]))
                .unwrap_or_default();
            if values.iter().all(Json::is_string) {
                vec!["string"]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// "a number or a string", "a list", ...
fn describe(kind: &[&str]) -> String {
    let words: Vec<&str> = kind
        .iter()
        .map(|k| match *k {
            "number" | "integer" => "a number",
            "string" => "a string",
            "boolean" => "true or false",
            "array" => "a list",
            "object" => "an object",
            _ => "null",
        })
        .collect();
    words.join(" or ")
}

/// Checks the field paths of every expression of the pack.
pub(crate) fn check(cx: &PackCx<'_>, schema: &SubmissionSchema, env: &ExprEnv, out: &mut Out) {
    if let Some(source) = cx.json.get("applies_to").and_then(Json::as_str) {
        expression(cx, schema, env, out, source, "/applies_to", Scope::Pack);
    }
    for (pointer, rule) in cx.rules() {
        let scope = if rule.get("for_each").and_then(Json::as_str) == Some("components") {
            Scope::ForEach
        } else {
            Scope::Rule(rule_id(rule).to_owned())
        };
        let check = rule.get("check");
        let fields = [
            ("when", rule.get("when")),
            ("assert", rule.get("assert")),
            ("actual", rule.get("actual")),
            ("check/value", check.and_then(|c| c.get("value"))),
            ("check/min", check.and_then(|c| c.get("min"))),
            ("check/max", check.and_then(|c| c.get("max"))),
            ("check/below", check.and_then(|c| c.get("below"))),
            ("check/above", check.and_then(|c| c.get("above"))),
        ];
        for (field, value) in fields {
            if let Some(source) = value.and_then(Json::as_str) {
                expression(
                    cx,
                    schema,
                    env,
                    out,
                    source,
                    &format!("{pointer}/{field}"),
                    scope.clone(),
                );
            }
        }
    }
}

/// Where an expression is, for `component`.
#[derive(Clone)]
enum Scope {
    /// `applies_to`.
    Pack,
    /// A rule with `for_each: components`.
    ForEach,
    /// Another rule, by id.
    Rule(String),
}

fn expression(
    cx: &PackCx<'_>,
    schema: &SubmissionSchema,
    env: &ExprEnv,
    out: &mut Out,
    source: &str,
    pointer: &str,
    scope: Scope,
) {
    // A syntax error is reported by the pack compiler.
    let Ok(expr) = env.compile(source) else {
        return;
    };
    let mut reported: Vec<String> = Vec::new();
    let mut report = |out: &mut Out, key: String, diagnostic: Diagnostic| {
        if !reported.contains(&key) {
            reported.push(key);
            out.push(Level::Error, diagnostic);
        }
    };

    // Both would fail every evaluation with "undeclared reference" or a
    // regex error, at run time.
    for (name, suggestion) in env.unknown_functions(&expr) {
        let word = name.rsplit('.').next().unwrap_or(&name);
        let location = locate_token(cx, pointer, source, word);
        let mut diagnostic = Diagnostic::new(
            Code::UnknownFunction,
            location,
            format!("`{name}` is not a function of CEL or recert; every evaluation would fail"),
        );
        if let Some(suggestion) = suggestion {
            diagnostic = diagnostic.with_help(format!("did you mean `{suggestion}`?"));
        }
        report(out, format!("function {name}"), diagnostic);
    }
    for (pattern, reason) in expr.invalid_regexes() {
        let location = locate_token(cx, pointer, source, "matches");
        report(
            out,
            format!("regex {pattern}"),
            Diagnostic::new(
                Code::InvalidRegex,
                location,
                format!(
                    "`{pattern}` given to `matches` is not a valid regular expression: {reason}"
                ),
            ),
        );
    }

    let uses_component = expr.field_paths().iter().any(|p| p.root() == "component")
        || expr
            .element_paths()
            .iter()
            .any(|p| p.list.root() == "component");
    if uses_component && !matches!(scope, Scope::ForEach) {
        let (message, help) = match &scope {
            Scope::Pack => (
                "`applies_to` reads `component`, which is only defined in rules with `for_each: components`".to_owned(),
                "to look at the components here, iterate them: `components.exists(c, c.material.class == 'plastic')`".to_owned(),
            ),
            Scope::Rule(id) => (
                format!(
                    "rule `{id}` reads `component` but has no `for_each: components`; `component` is undefined there"
                ),
                "add `for_each: components`, or iterate: `components.all(c, ...)`".to_owned(),
            ),
            Scope::ForEach => (String::new(), String::new()),
        };
        let location = locate_token(cx, pointer, source, "component");
        report(
            out,
            "component".to_owned(),
            Diagnostic::new(Code::ComponentOutsideForEach, location, message).with_help(help),
        );
    }

    for path in expr.field_paths() {
        if path.root() == "evaluation_date" && !path.segments().is_empty() {
            report(
                out,
                path.to_string(),
                Diagnostic::new(
                    Code::UnknownField,
                    locate_token(cx, pointer, source, "evaluation_date"),
                    format!("`{path}`: `evaluation_date` is a string (YYYY-MM-DD) and has no fields"),
                )
                .with_help("compare it as a string: `component.recycled.certificate.valid_until >= evaluation_date`"),
            );
            continue;
        }
        let steps: Vec<Step<'_>> = path.segments().iter().map(|s| Step::Field(s)).collect();
        if let Err(problem) = schema.walk(path.root(), &steps) {
            let (key, diagnostic) = diagnose(cx, pointer, source, &problem, Some(path));
            report(out, key, diagnostic);
        }
    }
    for element in expr.element_paths() {
        let mut steps: Vec<Step<'_>> = element
            .list
            .segments()
            .iter()
            .map(|s| Step::Field(s))
            .collect();
        steps.push(Step::Elem);
        steps.extend(element.segments.iter().map(|s| Step::Field(s)));
        if let Err(problem) = schema.walk(element.list.root(), &steps) {
            let (key, diagnostic) = diagnose(cx, pointer, source, &problem, None);
            report(out, key, diagnostic);
        }
    }
    for path in scan::paths(source) {
        let steps: Vec<Step<'_>> = path
            .segs
            .iter()
            .map(|s| match s {
                Seg::Field(f, _) => Step::Field(f),
                Seg::Elem => Step::Elem,
            })
            .collect();
        if let Err(problem) = schema.walk(&path.root, &steps) {
            let (key, diagnostic) = diagnose(cx, pointer, source, &problem, None);
            report(out, key, diagnostic);
        }
    }
}

/// The finding for a problem, and a key that identifies it within one
/// expression (the same typo found two ways is reported once).
fn diagnose(
    cx: &PackCx<'_>,
    pointer: &str,
    source: &str,
    problem: &Problem,
    path: Option<&FieldPath>,
) -> (String, Diagnostic) {
    let written = |at: &str, field: &str| {
        let shown = format!("{at}.{field}");
        match path {
            Some(path) if path.to_string().starts_with(&shown) => path.to_string(),
            _ => shown,
        }
    };
    match problem {
        Problem::Unknown { at, field, known } => {
            let location = locate_token(cx, pointer, source, field);
            let mut diagnostic = Diagnostic::new(
                Code::UnknownField,
                location,
                format!(
                    "`{}`: {} has no field `{field}`, so a valid submission never has it",
                    written(at, field),
                    name_of(at)
                ),
            );
            let list = known.join(", ");
            diagnostic = match closest(field, known.iter().map(String::as_str)) {
                Some(best) => diagnostic.with_help(format!(
                    "did you mean `{at}.{best}`? (the fields of {}: {list})",
                    name_of(at)
                )),
                None => diagnostic.with_help(format!("the fields of {}: {list}", name_of(at))),
            };
            (format!("{at}.{field}"), diagnostic)
        }
        Problem::NotObject { at, field, kind } => (
            format!("{at}.{field}"),
            Diagnostic::new(
                Code::UnknownField,
                locate_token(cx, pointer, source, field),
                format!("`{}`: `{at}` is {kind}, it has no field `{field}`", written(at, field)),
            ),
        ),
        Problem::BadName { at, field } => (
            format!("{at}.{field}"),
            Diagnostic::new(
                Code::UnknownField,
                locate_token(cx, pointer, source, field),
                format!(
                    "`{at}.{field}`: the names in `{at}` are snake_case (`^[a-z][a-z0-9_]*$`), so `{field}` is never there"
                ),
            )
            .with_help(format!("write it `{}`", field.to_ascii_lowercase())),
        ),
        Problem::NotList { at, kind } => (
            format!("{at}[]"),
            Diagnostic::new(
                Code::UnknownField,
                locate_token(cx, pointer, source, at.rsplit(['.', ']']).next().unwrap_or(at)),
                format!("`{at}` is {kind}, not a list, yet the expression iterates it"),
            ),
        ),
    }
}

/// "`product`", "a component (`components[]`)".
fn name_of(at: &str) -> String {
    match at {
        "component" | "components[]" => "a component".to_owned(),
        _ => format!("`{at}`"),
    }
}

/// Where `token` (a field name or variable, as a whole word) is first written
/// in the expression at `pointer`, as `file:line:col`; the expression's own
/// location when it cannot be found. Works for plain, quoted and block
/// scalars: the text is searched from the expression's line on.
fn locate_token(cx: &PackCx<'_>, pointer: &str, source: &str, token: &str) -> Location {
    let location = cx.locate(pointer);
    let Some(line) = location.line else {
        return location;
    };
    // Lines the expression may span: its own lines plus a block header.
    let span = source.lines().count() + 2;
    for (n, text) in cx
        .source
        .text
        .lines()
        .enumerate()
        .skip(line.saturating_sub(1))
        .take(span)
    {
        let from = if n + 1 == line {
            location.column.unwrap_or(1).saturating_sub(1)
        } else {
            0
        };
        if let Some(column) = find_word(text, token, from) {
            return Location {
                line: Some(n + 1),
                column: Some(column),
                ..location
            };
        }
    }
    location
}

/// The 1-based character column of `word` in `line`, as a whole word, at or
/// after character `from`.
fn find_word(line: &str, word: &str, from: usize) -> Option<usize> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for (index, (byte, _)) in chars.iter().enumerate().skip(from) {
        let rest = line.get(*byte..)?;
        if !rest.starts_with(word) {
            continue;
        }
        let before = index
            .checked_sub(1)
            .and_then(|i| chars.get(i))
            .is_some_and(|(_, c)| is_word(*c));
        let after = rest
            .get(word.len()..)
            .and_then(|r| r.chars().next())
            .is_some_and(is_word);
        if !before && !after {
            return Some(index + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(root: &str, path: &str) -> Result<(), Problem> {
        let schema = SubmissionSchema::load().unwrap();
        let steps: Vec<Step<'_>> = path
            .split('.')
            .filter(|s| !s.is_empty())
            .map(|s| {
                if s == "[]" {
                    Step::Elem
                } else {
                    Step::Field(s)
                }
            })
            .collect();
        schema.walk(root, &steps)
    }

    #[test]
    fn fixed_structures_know_their_fields() {
        assert_eq!(walk("product", "sector"), Ok(()));
        assert_eq!(
            walk("component", "recycled.certificate.valid_until"),
            Ok(())
        );
        assert_eq!(walk("components", "[].material.class"), Ok(()));
        assert_eq!(
            walk("submission", "battery.recycled_content.cobalt"),
            Ok(())
        );
        match walk("product", "sectr") {
            Err(Problem::Unknown { at, field, known }) => {
                assert_eq!((at.as_str(), field.as_str()), ("product", "sectr"));
                assert!(known.contains(&"sector".to_owned()));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            walk("component", "substance.lead"),
            Err(Problem::Unknown { .. })
        ));
    }

    #[test]
    fn every_quantity_field_of_the_model_is_known() {
        // The normalizer's quantities and the linter's fields come from the
        // same schema: a quantity field added there is known here.
        let fields = load::quantity_fields();
        assert!(fields.len() > 20, "{fields:?}");
        for (path, _) in fields {
            let path = path.replace('*', "any_name").replace("[]", ".[]");
            assert_eq!(walk("submission", &path), Ok(()), "{path}");
        }
    }

    #[test]
    fn open_maps_take_any_snake_case_name() {
        assert_eq!(walk("component", "substances.antimony"), Ok(()));
        assert_eq!(walk("component", "properties.odour_grade"), Ok(()));
        assert_eq!(walk("battery", "recycled_content.manganese"), Ok(()));
        assert!(matches!(
            walk("component", "substances.Lead"),
            Err(Problem::BadName { .. })
        ));
    }

    #[test]
    fn scalars_and_lists_have_no_fields() {
        assert!(matches!(
            walk("component", "mass.value"),
            Err(Problem::NotObject { .. })
        ));
        assert!(matches!(
            walk("components", "mass"),
            Err(Problem::NotObject { kind, .. }) if kind == "a list"
        ));
        assert!(matches!(
            walk("product", "sector.[]"),
            Err(Problem::NotList { .. })
        ));
    }

    #[test]
    fn words_are_found_whole() {
        assert_eq!(find_word("a.sectr + b.sector", "sector", 0), Some(13));
        assert_eq!(find_word("a.sectr + b.sector", "sectr", 0), Some(3));
        assert_eq!(find_word("x.lead_max lead", "lead", 0), Some(12));
        assert_eq!(find_word("产品.sector", "sector", 0), Some(4));
    }
}
