//! Strict parsing of JSON and YAML text into a `serde_json::Value`.
//!
//! Both syntaxes go through one `DeserializeSeed` that builds the value the
//! way `serde_json::Value`'s own visitor does, and in the same pass rejects a
//! repeated key in any mapping (JSON included: `serde_json::Value` would keep
//! the last one silently), nesting deeper than [`MAX_DEPTH`] and non-finite
//! numbers. The path of the current node is a linked list on the stack, so
//! the happy path allocates nothing beyond the tree itself; the JSON pointer
//! is only written when there is an error to report.
//!
//! YAML is read as YAML 1.2 (core schema: `yes`/`no`/`on`/`off` are strings,
//! `007` and `1_000` stay strings), one document only, with serde-saphyr's
//! budget limiting alias expansion (billion laughs) and unknown tags rejected.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::locate::{LocateTarget, locate_all, pointer_escape};
use super::source::{Format, MAX_INPUT_BYTES, Source};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};

/// The deepest nesting of mappings and lists accepted (the document's top
/// level is level 1).
pub const MAX_DEPTH: usize = 64;

/// The most events alias expansion may replay in one YAML document.
const MAX_ALIAS_REPLAY: usize = 100_000;

/// The most values (mappings, lists, scalars) of a YAML document: one per
/// byte of the size limit. A JSON document has fewer values than bytes, so
/// whatever is within the size limit as JSON is within it as YAML too.
const MAX_YAML_NODES: usize = MAX_INPUT_BYTES as usize;

/// The most parser events of a YAML document: two per value (a mapping or
/// a list starts and ends).
const MAX_YAML_EVENTS: usize = 2 * MAX_YAML_NODES + 16;

/// Strict parse of a JSON or YAML document into a `serde_json::Value`.
///
/// Rejects duplicate keys (code `duplicate-key`), nesting deeper than 64
/// levels (`too-deep`), excessive alias expansion (`alias-limit`), more than
/// one YAML document (`multiple-documents`), non-finite numbers
/// (`non-finite`), text over [`MAX_INPUT_BYTES`] (`too-large`) and syntax
/// errors (`json-syntax`, `yaml-syntax`). Errors carry line and column.
pub fn parse_document(source: &Source) -> Result<Value, Diagnostics> {
    parse_shaped(source, Plain)
}

/// [`parse_document`], with `shape` seeing every node as it is built (the
/// submission loader converts quantities while parsing: see
/// [`normalize`](super::normalize)).
pub(crate) fn parse_shaped<S: Shape>(source: &Source, shape: S) -> Result<Value, Diagnostics> {
    let len = u64::try_from(source.text.len()).unwrap_or(u64::MAX);
    if len > MAX_INPUT_BYTES {
        // Text that did not come through `Source::read` (standard input).
        return Err(super::source::too_large(&source.name, len));
    }
    let failure = Cell::new(None);
    let inside = Cell::new(None);
    let seed = Strict {
        depth: 0,
        path: None,
        failure: &failure,
        inside: &inside,
        shape,
    };
    let result = match source.format {
        Format::Json => parse_json(&source.text, seed),
        Format::Yaml => parse_yaml(&source.text, seed),
    };
    match result {
        Ok(value) => Ok(value),
        Err(error) => Err(Diagnostics::one(match failure.take() {
            Some(f) => failure_diagnostic(source, f, error.position),
            None => {
                // A number that is not finite is named by its path too; a
                // syntax error has only its line and column.
                let pointer = match error.code {
                    Code::NonFinite => inside.take().unwrap_or_default(),
                    _ => String::new(),
                };
                syntax_diagnostic(source, error, pointer)
            }
        })),
    }
}

/// A parser's error, reduced to what a diagnostic needs.
struct ParseError {
    code: Code,
    message: String,
    /// 1-based line and column, when the parser knew them.
    position: Option<(usize, usize)>,
}

fn parse_json<S: Shape>(text: &str, seed: Strict<'_, S>) -> Result<Value, ParseError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = seed.deserialize(&mut de).map_err(|e| json_error(text, e))?;
    de.end().map_err(|e| json_error(text, e))?;
    Ok(value)
}

fn json_error(source: &str, e: serde_json::Error) -> ParseError {
    let position = (e.line() > 0).then(|| (e.line(), e.column().max(1)));
    // serde_json appends " at line L column C"; the location says it already.
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_owned(),
        None => text,
    };
    let offset = position.and_then(|(line, column)| byte_offset(source, line, column));
    // A number too large for a double (`1e400`), or NaN and Infinity, which
    // JSON does not have: say so, quoting the number (shortened).
    if message == "number out of range" {
        let number = offset.map_or("", |end| number_ending_at(source, end));
        return ParseError {
            code: Code::NonFinite,
            message: format!(
                "{} is too large for a 64-bit floating-point number",
                quote(number)
            ),
            position,
        };
    }
    if message == "expected value"
        && let Some(word) = offset.and_then(|at| non_finite_word(source, at))
    {
        return ParseError {
            code: Code::NonFinite,
            message: format!("`{word}` is not a finite number (JSON has no NaN or infinity)"),
            position,
        };
    }
    ParseError {
        code: Code::JsonSyntax,
        message,
        position,
    }
}

/// The byte offset of 1-based `line` and `column` (serde_json counts bytes).
fn byte_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    Some(start + column.saturating_sub(1))
}

/// The number whose last character is at or just before byte `end`.
fn number_ending_at(text: &str, end: usize) -> &str {
    let bytes = text.as_bytes();
    let is_number = |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-');
    let mut stop = end.min(bytes.len());
    // serde_json points at the last digit or just after it.
    while stop < bytes.len() && bytes.get(stop).copied().is_some_and(is_number) {
        stop += 1;
    }
    let mut start = stop;
    while start > 0 && bytes.get(start - 1).copied().is_some_and(is_number) {
        start -= 1;
    }
    text.get(start..stop).unwrap_or_default()
}

/// `NaN`, `Infinity` or `-Infinity` where serde_json expected a value (at
/// byte `at`, or just before it).
fn non_finite_word(text: &str, at: usize) -> Option<&'static str> {
    ["-Infinity", "Infinity", "NaN", "-NaN", "inf", "-inf", "nan"]
        .into_iter()
        .find(|word| {
            [at, at.saturating_sub(1)]
                .iter()
                .any(|&i| text.get(i..).is_some_and(|rest| rest.starts_with(word)))
        })
}

/// Text quoted from the input, in backticks, at most [`QUOTE_CHARS`]
/// characters of it: a longer one (a number of 5 000 digits) is cut, and
/// its length given.
pub(crate) fn quote(text: &str) -> String {
    let count = text.chars().count();
    if count <= QUOTE_CHARS {
        return format!("`{text}`");
    }
    let head: String = text.chars().take(QUOTE_CHARS).collect();
    format!("`{head}…` ({count} characters)")
}

/// The most characters of a value quoted in a message.
const QUOTE_CHARS: usize = 20;

fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options.underscored_numbers_as_strings = true;
    options.reject_unsupported_tags = true;
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::Reject;
    options.with_snippet = false;
    options.alias_limits.max_total_replayed_events = MAX_ALIAS_REPLAY;
    let mut budget = serde_saphyr::Budget::default();
    // Our own depth check comes first and names the path; this is a backstop.
    budget.max_depth = MAX_DEPTH + 2;
    budget.max_documents = 1;
    budget.max_nodes = MAX_YAML_NODES;
    budget.max_events = MAX_YAML_EVENTS;
    options.budget = Some(budget);
    options
}

fn parse_yaml<S: Shape>(text: &str, seed: Strict<'_, S>) -> Result<Value, ParseError> {
    serde_saphyr::with_deserializer_from_str_with_options(text, yaml_options(), |de| {
        seed.deserialize(de)
    })
    .map_err(yaml_error)
}

fn yaml_error(e: serde_saphyr::Error) -> ParseError {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let position = e.location().and_then(|l| {
        let line = usize::try_from(l.line()).ok()?;
        let column = usize::try_from(l.column()).ok()?;
        (line > 0).then_some((line, column.max(1)))
    });
    // Alias and snippet wrappers keep the original error inside.
    let mut inner = &e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let code = match inner {
        E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => Code::AliasLimit,
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => Code::TooDeep,
            B::Documents { .. } => Code::MultipleDocuments,
            B::Aliases { .. }
            | B::Anchors { .. }
            | B::AliasAnchorRatio { .. }
            | B::RecordedAnchorEvents { .. }
            | B::RecordedAnchorBytes { .. } => Code::AliasLimit,
            _ => Code::TooLarge,
        },
        E::MultipleDocuments { .. } => Code::MultipleDocuments,
        E::NonFiniteFloat { .. } => Code::NonFinite,
        _ => Code::YamlSyntax,
    };
    let text = inner.to_string();
    let detail = first_line(&text);
    let detail = detail
        .find(" at line ")
        .and_then(|i| detail.get(..i))
        .unwrap_or(detail);
    let message = match (code, inner) {
        (_, E::NonFiniteFloat { value, .. }) => format!("{} is not a finite number", quote(value)),
        (_, E::NullIntoString { .. }) => {
            "a key is empty or null (`~`): every key must be a name".to_owned()
        }
        (Code::AliasLimit, E::Budget { breach, .. }) => format!(
            "too much alias expansion (a YAML alias bomb?): {}",
            budget_message(breach)
        ),
        (_, E::Budget { breach, .. }) => budget_message(breach),
        (Code::AliasLimit, _) => {
            format!("too much alias expansion (a YAML alias bomb?): {detail}")
        }
        (Code::MultipleDocuments, _) => {
            "more than one YAML document: a submission is a single document (remove `---`)"
                .to_owned()
        }
        _ => detail.to_owned(),
    };
    ParseError {
        code,
        message,
        position,
    }
}

/// A breached YAML budget in words (its `Debug` form names Rust types).
pub(crate) fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Nodes { nodes } => format!(
            "the document has more than {} values (mappings, lists and scalars; {nodes} when it stopped counting): more than a submission within the size limit can hold",
            MAX_YAML_NODES
        ),
        B::Events { events } => format!(
            "the document has more than {} YAML events ({events} when it stopped counting): more than a submission within the size limit can hold",
            MAX_YAML_EVENTS
        ),
        B::Depth { depth } => format!("nesting deeper than {MAX_DEPTH} levels ({depth})"),
        B::Documents { .. } => {
            "more than one YAML document: a submission is a single document (remove `---`)"
                .to_owned()
        }
        B::Aliases { aliases } => format!("too many aliases ({aliases})"),
        B::Anchors { anchors } => format!("too many anchors ({anchors})"),
        B::ScalarBytes { total_scalar_bytes } => format!(
            "the document's texts add up to more than the size limit ({total_scalar_bytes} bytes)"
        ),
        B::MergeKeys { merge_keys } => format!("too many merge keys (`<<`, {merge_keys})"),
        _ => "the document is too large or too complex to read".to_owned(),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// What the seed found wrong, with the path, for the diagnostic.
struct Failure {
    code: Code,
    pointer: String,
    message: String,
    /// Which occurrence of `pointer` in the text is meant (1 = the second,
    /// for a repeated key).
    occurrence: usize,
}

fn failure_diagnostic(
    source: &Source,
    failure: Failure,
    position: Option<(usize, usize)>,
) -> Diagnostic {
    let target = LocateTarget {
        pointer: &failure.pointer,
        occurrence: failure.occurrence,
    };
    let mut location = locate_all(source, &[target])
        .into_iter()
        .next()
        .filter(|l| l.line.is_some())
        .unwrap_or_else(|| Location::new(source.name.clone(), failure.pointer.clone()));
    if location.line.is_none()
        && let Some((line, column)) = position
    {
        location = location.at(line, column);
    }
    Diagnostic::new(failure.code, location, failure.message)
}

fn syntax_diagnostic(source: &Source, error: ParseError, pointer: String) -> Diagnostic {
    let mut location = Location::new(source.name.clone(), pointer);
    if let Some((line, column)) = error.position {
        location = location.at(line, column);
    }
    let help = match error.code {
        Code::YamlSyntax => Some(
            "this is not valid YAML: check indentation, quotes and brackets here and on the lines just before",
        ),
        Code::JsonSyntax => {
            Some("this is not valid JSON: check commas, quotes and brackets here and just before")
        }
        _ => None,
    };
    let diagnostic = Diagnostic::new(error.code, location, error.message);
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// What a [`Strict`] seed does to the nodes it builds, beyond building them:
/// nothing for [`parse_document`]; the submission loader converts quantities
/// in the same pass (no second walk, and a quantity written as a string is
/// read from the borrowed text, never allocated).
///
/// A shape describes one node; the seed asks it for the shape of each child.
pub(crate) trait Shape: Copy {
    /// The shape of the value of `key` in a mapping of this shape.
    fn entry(self, key: &str) -> Self;
    /// The shape of item `index` of a list of this shape.
    fn item(self, index: usize) -> Self;
    /// The value of a string node, the value of `key` when in a mapping;
    /// `None` keeps the string as written.
    fn string(self, key: Option<&str>, text: &str) -> Option<Value>;
    /// The value of a number node.
    fn number(self, number: Number) -> Number;
    /// A mapping node, once built.
    fn mapping(self, map: &Map<String, Value>);
    /// A list, a boolean or a null node.
    fn other(self);
}

/// The shape that builds the document as written.
#[derive(Clone, Copy)]
pub(crate) struct Plain;

impl Shape for Plain {
    #[inline]
    fn entry(self, _: &str) -> Self {
        Plain
    }
    #[inline]
    fn item(self, _: usize) -> Self {
        Plain
    }
    #[inline]
    fn string(self, _: Option<&str>, _: &str) -> Option<Value> {
        None
    }
    #[inline]
    fn number(self, number: Number) -> Number {
        number
    }
    #[inline]
    fn mapping(self, _: &Map<String, Value>) {}
    #[inline]
    fn other(self) {}
}

/// One step of the path to the node being built.
#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// The path to the node being built, innermost step first.
struct PathNode<'a> {
    parent: Option<&'a PathNode<'a>>,
    segment: Segment<'a>,
}

fn pointer_of(path: Option<&PathNode<'_>>) -> String {
    let mut segments = Vec::new();
    let mut node = path;
    while let Some(n) = node {
        segments.push(n.segment);
        node = n.parent;
    }
    let mut pointer = String::new();
    for segment in segments.iter().rev() {
        pointer.push('/');
        match segment {
            Segment::Key(k) => pointer.push_str(&pointer_escape(k)),
            Segment::Index(i) => pointer.push_str(&i.to_string()),
        }
    }
    pointer
}

/// Builds a `Value`, failing on duplicate keys, deep nesting and non-finite
/// numbers, and recording what failed in `failure`.
#[derive(Clone, Copy)]
struct Strict<'a, S> {
    /// Containers above this node.
    depth: usize,
    path: Option<&'a PathNode<'a>>,
    failure: &'a Cell<Option<Failure>>,
    /// The JSON pointer of the innermost node being read when the parser
    /// failed (a number out of range, a syntax error), for the diagnostic.
    inside: &'a Cell<Option<String>>,
    shape: S,
}

impl<S: Shape> Strict<'_, S> {
    /// The key this node is the value of, when its parent is a mapping.
    fn key(&self) -> Option<&str> {
        match self.path {
            Some(PathNode {
                segment: Segment::Key(key),
                ..
            }) => Some(key),
            _ => None,
        }
    }

    fn fail<E: de::Error>(&self, failure: Failure) -> E {
        let error = E::custom(&failure.message);
        self.failure.set(Some(failure));
        error
    }

    /// Records that the parser failed inside the node at `path` (the
    /// innermost node records first).
    fn failed_inside(&self, path: Option<&PathNode<'_>>) {
        let inside = self.inside.take();
        self.inside
            .set(Some(inside.unwrap_or_else(|| pointer_of(path))));
    }

    fn enter<E: de::Error>(&self) -> Result<(), E> {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(Failure {
                code: Code::TooDeep,
                pointer: pointer_of(self.path),
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                occurrence: 0,
            }));
        }
        Ok(())
    }
}

impl<'de, S: Shape> DeserializeSeed<'de> for Strict<'_, S> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S: Shape> Visitor<'de> for Strict<'_, S> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        self.shape.other();
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(self.shape.number(v.into())))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(self.shape.number(v.into())))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        if let Ok(i) = i64::try_from(v) {
            return self.visit_i64(i);
        }
        if let Ok(u) = u64::try_from(v) {
            return self.visit_u64(u);
        }
        #[allow(clippy::cast_precision_loss)]
        self.visit_f64(v as f64)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        if let Ok(u) = u64::try_from(v) {
            return self.visit_u64(u);
        }
        #[allow(clippy::cast_precision_loss)]
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        match Number::from_f64(v) {
            Some(n) => Ok(Value::Number(self.shape.number(n))),
            None => Err(self.fail(Failure {
                code: Code::NonFinite,
                pointer: pointer_of(self.path),
                message: format!("`{v}` is not a finite number"),
                occurrence: 0,
            })),
        }
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(self
            .shape
            .string(self.key(), v)
            .unwrap_or_else(|| Value::String(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(self
            .shape
            .string(self.key(), &v)
            .unwrap_or(Value::String(v)))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(self.fail(Failure {
            code: Code::YamlSyntax,
            pointer: pointer_of(self.path),
            message: "binary values are not supported".to_owned(),
            occurrence: 0,
        }))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        self.shape.other();
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        self.shape.other();
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        loop {
            let node = PathNode {
                parent: self.path,
                segment: Segment::Index(items.len()),
            };
            let child = Strict {
                depth: self.depth + 1,
                path: Some(&node),
                failure: self.failure,
                inside: self.inside,
                shape: self.shape.item(items.len()),
            };
            match seq.next_element_seed(child) {
                Ok(Some(value)) => items.push(value),
                Ok(None) => break,
                Err(e) => {
                    self.failed_inside(Some(&node));
                    return Err(e);
                }
            }
        }
        self.shape.other();
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut map = Map::new();
        loop {
            let key = match access.next_key::<String>() {
                Ok(Some(key)) => key,
                Ok(None) => break,
                Err(e) => {
                    self.failed_inside(self.path);
                    return Err(e);
                }
            };
            match map.entry(key) {
                serde_json::map::Entry::Vacant(entry) => {
                    let value = {
                        let node = PathNode {
                            parent: self.path,
                            segment: Segment::Key(entry.key()),
                        };
                        let read = access.next_value_seed(Strict {
                            depth: self.depth + 1,
                            path: Some(&node),
                            failure: self.failure,
                            inside: self.inside,
                            shape: self.shape.entry(entry.key()),
                        });
                        match read {
                            Ok(value) => value,
                            Err(e) => {
                                self.failed_inside(Some(&node));
                                return Err(e);
                            }
                        }
                    };
                    entry.insert(value);
                }
                serde_json::map::Entry::Occupied(entry) => {
                    let node = PathNode {
                        parent: self.path,
                        segment: Segment::Key(entry.key()),
                    };
                    let pointer = pointer_of(Some(&node));
                    return Err(self.fail(Failure {
                        code: Code::DuplicateKey,
                        message: format!(
                            "duplicate key `{}`: a key may appear only once in a mapping",
                            entry.key()
                        ),
                        pointer,
                        occurrence: 1,
                    }));
                }
            }
        }
        self.shape.mapping(&map);
        Ok(Value::Object(map))
    }
}
