//! Strict parsing of JSON and YAML text into a `serde_json::Value` (packs,
//! params, test files) or the compact [`Doc`] (submissions).
//!
//! Both syntaxes go through one `DeserializeSeed` that builds the value the
//! way `serde_json::Value`'s own visitor does (a [`Tree`] says how), and in
//! the same pass rejects a repeated key in any mapping (JSON included:
//! `serde_json::Value` would keep the last one silently), nesting deeper
//! than [`MAX_DEPTH`] and non-finite numbers. The path of the current node is a linked list on the stack, so
//! the happy path allocates nothing beyond the tree itself; the JSON pointer
//! is only written when there is an error to report.
//!
//! YAML is read as YAML 1.2 (core schema: `yes`/`no`/`on`/`off` are strings,
//! `007` and `1_000` stay strings), one document only, with serde-saphyr's
//! budget limiting alias expansion (billion laughs) and unknown tags rejected.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::doc::{Doc, DocMap, Key, Keys, take_exact};
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

/// [`parse_document`] into the compact [`Doc`].
pub fn parse_doc(source: &Source) -> Result<Doc, Diagnostics> {
    parse_shaped(source, Plain)
}

/// [`parse_document`], with `shape` seeing every node as it is built (the
/// submission loader converts quantities while parsing: see
/// [`normalize`](super::normalize)).
pub(crate) fn parse_shaped<T: Tree, S: Shape>(source: &Source, shape: S) -> Result<T, Diagnostics> {
    let len = u64::try_from(source.text.len()).unwrap_or(u64::MAX);
    if len > MAX_INPUT_BYTES {
        // Text that did not come through `Source::read` (standard input).
        return Err(super::source::too_large(&source.name, len));
    }
    let failure = Cell::new(None);
    let inside = Cell::new(None);
    let keys = RefCell::new(Keys::of_thread());
    let seed = Strict {
        depth: 0,
        path: None,
        failure: &failure,
        inside: &inside,
        keys: &keys,
        shape,
        tree: PhantomData,
    };
    let result = match source.format {
        Format::Json => parse_json(&source.text, seed),
        Format::Yaml => parse_yaml(&source.text, seed),
    };
    keys.into_inner().keep_for_thread();
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

fn parse_json<T: Tree, S: Shape>(text: &str, seed: Strict<'_, T, S>) -> Result<T, ParseError> {
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

fn parse_yaml<T: Tree, S: Shape>(text: &str, seed: Strict<'_, T, S>) -> Result<T, ParseError> {
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
    /// The number a string node stands for, the value of `key` when in a
    /// mapping; `None` keeps the string as written.
    fn string(self, key: Option<&str>, text: &str) -> Option<Number>;
    /// The value of a number node.
    fn number(self, number: Number) -> Number;
    /// A mapping node, once built: `number` gives the number of a key.
    fn mapping(self, number: &dyn Fn(&str) -> Option<f64>);
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
    fn string(self, _: Option<&str>, _: &str) -> Option<Number> {
        None
    }
    #[inline]
    fn number(self, number: Number) -> Number {
        number
    }
    #[inline]
    fn mapping(self, _: &dyn Fn(&str) -> Option<f64>) {}
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

/// What a [`Strict`] seed builds: `serde_json::Value` ([`parse_document`])
/// or the compact [`Doc`] (submissions).
pub(crate) trait Tree: Sized {
    /// A mapping being built.
    type Building;
    /// A key of a mapping.
    type Key: AsRef<str>;
    fn null() -> Self;
    fn bool(b: bool) -> Self;
    fn number(n: Number) -> Self;
    fn str(s: &str) -> Self;
    fn string(s: String) -> Self;
    /// A list to fill with the items of a list (`size`: as many as the
    /// parser says there are).
    fn items(size: Option<usize>, _: &RefCell<Keys>) -> Vec<Self> {
        Vec::with_capacity(size.unwrap_or(0).min(256))
    }
    fn array(items: Vec<Self>, keys: &RefCell<Keys>) -> Self;
    fn key(name: &str, keys: &RefCell<Keys>) -> Self::Key;
    fn start(size: Option<usize>, keys: &RefCell<Keys>) -> Self::Building;
    /// Whether the mapping being built has `key` already.
    fn contains(map: &Self::Building, key: &Self::Key) -> bool;
    fn insert(map: &mut Self::Building, key: Self::Key, value: Self);
    /// The number of `key` in a mapping being built.
    fn number_of(map: &Self::Building, key: &str) -> Option<f64>;
    fn finish(map: Self::Building, keys: &RefCell<Keys>) -> Self;
}

impl Tree for Value {
    type Building = Map<String, Value>;
    type Key = String;
    fn null() -> Self {
        Value::Null
    }
    fn bool(b: bool) -> Self {
        Value::Bool(b)
    }
    fn number(n: Number) -> Self {
        Value::Number(n)
    }
    fn str(s: &str) -> Self {
        Value::String(s.to_owned())
    }
    fn string(s: String) -> Self {
        Value::String(s)
    }
    fn array(items: Vec<Self>, _: &RefCell<Keys>) -> Self {
        Value::Array(items)
    }
    fn key(name: &str, _: &RefCell<Keys>) -> String {
        name.to_owned()
    }
    fn start(_: Option<usize>, _: &RefCell<Keys>) -> Self::Building {
        Map::new()
    }
    fn contains(map: &Self::Building, key: &String) -> bool {
        map.contains_key(key)
    }
    fn insert(map: &mut Self::Building, key: String, value: Self) {
        map.insert(key, value);
    }
    fn number_of(map: &Self::Building, key: &str) -> Option<f64> {
        map.get(key).and_then(Value::as_f64)
    }
    fn finish(map: Self::Building, _: &RefCell<Keys>) -> Self {
        Value::Object(map)
    }
}

/// A mapping of a [`Doc`] being built: its entries as they come, and past a
/// few of them, a set of its keys (to find a repeated key in linear time).
pub(crate) struct DocBuilding {
    entries: Vec<(Key, Doc)>,
    seen: Option<HashSet<Key>>,
}

/// Entries of a mapping compared one by one for a repeated key; a larger
/// mapping keeps a set of its keys.
const LINEAR_KEYS: usize = 16;

impl Tree for Doc {
    type Building = DocBuilding;
    type Key = Key;
    fn null() -> Self {
        Doc::Null
    }
    fn bool(b: bool) -> Self {
        Doc::Bool(b)
    }
    fn number(n: Number) -> Self {
        Doc::Number(n)
    }
    fn str(s: &str) -> Self {
        Doc::String(s.into())
    }
    fn string(s: String) -> Self {
        Doc::String(s.into())
    }
    /// An emptied list kept by an earlier list of the document, if any.
    fn items(size: Option<usize>, keys: &RefCell<Keys>) -> Vec<Self> {
        let mut items = keys.borrow_mut().items.pop().unwrap_or_default();
        items.reserve(size.unwrap_or(0).min(256));
        items
    }
    /// The items in a list of their exact size, taking one allocation;
    /// `items`, emptied, is kept for the next list.
    fn array(mut items: Vec<Self>, keys: &RefCell<Keys>) -> Self {
        let array = Doc::Array(take_exact(&mut items));
        keys.borrow_mut().items.push(items);
        array
    }
    fn key(name: &str, keys: &RefCell<Keys>) -> Key {
        keys.borrow_mut().key(name)
    }
    /// A mapping filling an emptied list of entries kept by an earlier one.
    fn start(size: Option<usize>, keys: &RefCell<Keys>) -> DocBuilding {
        let mut entries = keys.borrow_mut().entries.pop().unwrap_or_default();
        entries.reserve(size.unwrap_or(0).min(LINEAR_KEYS));
        DocBuilding {
            entries,
            seen: None,
        }
    }
    /// The keys of a document are shared (see [`Keys`]): the same name is
    /// the same key, so a repeated key is found by address.
    fn contains(map: &DocBuilding, key: &Key) -> bool {
        match &map.seen {
            Some(seen) => seen.contains(key),
            None => map.entries.iter().any(|(k, _)| Arc::ptr_eq(k, key)),
        }
    }
    fn insert(map: &mut DocBuilding, key: Key, value: Self) {
        if let Some(seen) = &mut map.seen {
            seen.insert(Arc::clone(&key));
        } else if map.entries.len() >= LINEAR_KEYS {
            let mut seen: HashSet<Key> = map.entries.iter().map(|(k, _)| Arc::clone(k)).collect();
            seen.insert(Arc::clone(&key));
            map.seen = Some(seen);
        }
        map.entries.push((key, value));
    }
    fn number_of(map: &DocBuilding, key: &str) -> Option<f64> {
        map.entries
            .iter()
            .find(|(k, _)| &**k == key)
            .and_then(|(_, v)| v.as_f64())
    }
    fn finish(mut map: DocBuilding, keys: &RefCell<Keys>) -> Self {
        let object = Doc::Object(DocMap::from_scratch(&mut map.entries));
        keys.borrow_mut().entries.push(map.entries);
        object
    }
}

/// Builds a `T`, failing on duplicate keys, deep nesting and non-finite
/// numbers, and recording what failed in `failure`.
struct Strict<'a, T, S> {
    /// Containers above this node.
    depth: usize,
    path: Option<&'a PathNode<'a>>,
    failure: &'a Cell<Option<Failure>>,
    /// The JSON pointer of the innermost node being read when the parser
    /// failed (a number out of range, a syntax error), for the diagnostic.
    inside: &'a Cell<Option<String>>,
    /// The keys of the document so far, each kept once (for a `Doc`).
    keys: &'a RefCell<Keys>,
    shape: S,
    tree: PhantomData<fn() -> T>,
}

impl<T, S: Copy> Clone for Strict<'_, T, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, S: Copy> Copy for Strict<'_, T, S> {}

impl<T: Tree, S: Shape> Strict<'_, T, S> {
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

impl<'de, T: Tree, S: Shape> DeserializeSeed<'de> for Strict<'_, T, S> {
    type Value = T;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Reads a mapping's key as a `T::Key` without allocating a `String` first
/// (a key shared by the whole document, for a `Doc`).
struct KeySeed<'a, T> {
    keys: &'a RefCell<Keys>,
    tree: PhantomData<fn() -> T>,
}

impl<'de, T: Tree> DeserializeSeed<'de> for KeySeed<'_, T> {
    type Value = T::Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<T::Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, T: Tree> Visitor<'de> for KeySeed<'_, T> {
    type Value = T::Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E>(self, v: &str) -> Result<T::Key, E> {
        Ok(T::key(v, self.keys))
    }
}

impl<'de, T: Tree, S: Shape> Visitor<'de> for Strict<'_, T, S> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<T, E> {
        self.shape.other();
        Ok(T::bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<T, E> {
        Ok(T::number(self.shape.number(v.into())))
    }

    fn visit_u64<E>(self, v: u64) -> Result<T, E> {
        Ok(T::number(self.shape.number(v.into())))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
        if let Ok(i) = i64::try_from(v) {
            return self.visit_i64(i);
        }
        if let Ok(u) = u64::try_from(v) {
            return self.visit_u64(u);
        }
        #[allow(clippy::cast_precision_loss)]
        self.visit_f64(v as f64)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<T, E> {
        if let Ok(u) = u64::try_from(v) {
            return self.visit_u64(u);
        }
        #[allow(clippy::cast_precision_loss)]
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        match Number::from_f64(v) {
            Some(n) => Ok(T::number(self.shape.number(n))),
            None => Err(self.fail(Failure {
                code: Code::NonFinite,
                pointer: pointer_of(self.path),
                message: format!("`{v}` is not a finite number"),
                occurrence: 0,
            })),
        }
    }

    fn visit_str<E>(self, v: &str) -> Result<T, E> {
        Ok(match self.shape.string(self.key(), v) {
            Some(n) => T::number(n),
            None => T::str(v),
        })
    }

    fn visit_string<E>(self, v: String) -> Result<T, E> {
        Ok(match self.shape.string(self.key(), &v) {
            Some(n) => T::number(n),
            None => T::string(v),
        })
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<T, E> {
        Err(self.fail(Failure {
            code: Code::YamlSyntax,
            pointer: pointer_of(self.path),
            message: "binary values are not supported".to_owned(),
            occurrence: 0,
        }))
    }

    fn visit_none<E>(self) -> Result<T, E> {
        self.shape.other();
        Ok(T::null())
    }

    fn visit_unit<E>(self) -> Result<T, E> {
        self.shape.other();
        Ok(T::null())
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        self.enter()?;
        let mut items = T::items(seq.size_hint(), self.keys);
        loop {
            let node = PathNode {
                parent: self.path,
                segment: Segment::Index(items.len()),
            };
            let child = Strict {
                depth: self.depth + 1,
                path: Some(&node),
                shape: self.shape.item(items.len()),
                ..self
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
        Ok(T::array(items, self.keys))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<T, A::Error> {
        self.enter()?;
        let mut map = T::start(access.size_hint(), self.keys);
        loop {
            let seed = KeySeed::<T> {
                keys: self.keys,
                tree: PhantomData,
            };
            let key = match access.next_key_seed(seed) {
                Ok(Some(key)) => key,
                Ok(None) => break,
                Err(e) => {
                    self.failed_inside(self.path);
                    return Err(e);
                }
            };
            let node = PathNode {
                parent: self.path,
                segment: Segment::Key(key.as_ref()),
            };
            if T::contains(&map, &key) {
                let pointer = pointer_of(Some(&node));
                return Err(self.fail(Failure {
                    code: Code::DuplicateKey,
                    message: format!(
                        "duplicate key `{}`: a key may appear only once in a mapping",
                        key.as_ref()
                    ),
                    pointer,
                    occurrence: 1,
                }));
            }
            let read = access.next_value_seed(Strict {
                depth: self.depth + 1,
                path: Some(&node),
                shape: self.shape.entry(key.as_ref()),
                ..self
            });
            let value = match read {
                Ok(value) => value,
                Err(e) => {
                    self.failed_inside(Some(&node));
                    return Err(e);
                }
            };
            T::insert(&mut map, key, value);
        }
        self.shape.mapping(&|key| T::number_of(&map, key));
        Ok(T::finish(map, self.keys))
    }
}
