//! [`Doc`]: a normalized submission in memory, compact.
//!
//! `serde_json::Value` keeps an object in a `BTreeMap`, whose leaf node
//! takes some 630 bytes however few its entries; a component has four
//! objects of one to six entries. A `Doc` object is a boxed slice of
//! (key, value) pairs sorted by key (the order of `serde_json`'s map, so
//! iteration, serialization and digests are the same), with keys shared
//! (the same dozen names repeat in every component): 40 bytes an entry.
//! Strings are `EcoString`s (up to 15 bytes inline, which most of a
//! submission's are: ids, names, classes, codes), numbers `serde_json::Number` as parsed, lists
//! boxed slices. The read API follows `serde_json::Value`'s.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use ecow::EcoString;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};

use super::locate::pointer_tokens;

/// A key of an object, shared by every object that has it.
pub type Key = Arc<str>;

/// A JSON value, compact: see the module documentation.
#[derive(Clone, PartialEq, Default)]
pub enum Doc {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as parsed.
    Number(Number),
    /// A string.
    String(EcoString),
    /// A list.
    Array(Box<[Doc]>),
    /// An object, its keys sorted.
    Object(DocMap),
}

/// An object: its entries sorted by key, each key once.
#[derive(Clone, PartialEq, Default)]
pub struct DocMap(Box<[(Key, Doc)]>);

impl DocMap {
    /// An object of `entries`, which are sorted by key here; of two entries
    /// with the same key the last is kept (as `serde_json::Map` does).
    pub fn from_entries(mut entries: Vec<(Key, Doc)>) -> Self {
        sort_entries(&mut entries);
        DocMap(entries.into_boxed_slice())
    }

    /// [`DocMap::from_entries`] taking the entries out of `scratch`, which
    /// keeps its capacity for the next object: the object takes one
    /// allocation of its exact size, where a list grown entry by entry and
    /// shrunk to fit took three or four (a parse builds some sixty objects
    /// per 3 kB submission).
    pub(crate) fn from_scratch(scratch: &mut Vec<(Key, Doc)>) -> Self {
        sort_entries(scratch);
        DocMap(take_exact(scratch))
    }

    /// The value of `key`. An object of at most `SCANNED_KEYS` (16) entries,
    /// as a component and its materials are, compares its keys in turn,
    /// length first: a binary search's comparisons of whole keys cost
    /// some 170 instructions a lookup and this some 50 (callgrind over
    /// `engine/benches/corpus.rs`). Keys are unique, so both find the same
    /// entry.
    pub fn get(&self, key: &str) -> Option<&Doc> {
        if self.0.len() <= SCANNED_KEYS {
            return self.0.iter().find(|(k, _)| **k == *key).map(|(_, v)| v);
        }
        self.index_of(key)
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }

    /// The value of `key`, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Doc> {
        let i = self.index_of(key).ok()?;
        self.0.get_mut(i).map(|(_, v)| v)
    }

    /// The index of `key` among the entries (`Err`: where it would go).
    #[inline]
    pub(crate) fn index_of(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| key_order(k, key))
    }

    /// Whether the object has `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Doc)> + Clone + '_ {
        self.0.iter().map(|(k, v)| (&**k, v))
    }

    /// The entries with their shared keys, in key order.
    pub fn entries(&self) -> &[(Key, Doc)] {
        &self.0
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.0.iter().map(|(k, _)| &**k)
    }

    /// The values, in key order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Doc> + '_ {
        self.0.iter().map(|(_, v)| v)
    }

    /// As a `serde_json` map.
    pub fn to_map(&self) -> serde_json::Map<String, Value> {
        self.0
            .iter()
            .map(|(k, v)| ((**k).to_owned(), v.to_value()))
            .collect()
    }
}

/// The items of `scratch` in a slice of their exact size, `scratch` left
/// empty with its capacity. Moved in one copy (`append`): collecting a
/// `drain(..)` moved them one by one through the stack, a twentieth of the
/// time of loading a submission (`perf`, corpus bench, `load_only`).
pub(crate) fn take_exact<T>(scratch: &mut Vec<T>) -> Box<[T]> {
    let mut exact = Vec::with_capacity(scratch.len());
    exact.append(scratch);
    exact.into_boxed_slice()
}

/// Entries of an object that [`DocMap::get`] compares in turn rather than
/// searches.
const SCANNED_KEYS: usize = 16;

/// Sorts `entries` by key; of two entries with the same key the last is
/// kept (as `serde_json::Map` does).
fn sort_entries(entries: &mut Vec<(Key, Doc)>) {
    if !entries.is_sorted_by(|a, b| key_order(&a.0, &b.0).is_lt()) {
        // Stable: of equal keys the last comes last, and is kept.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
    }
}

/// The order of two keys, as `str` orders them. Looking a key up in an
/// object compares it with a few keys of the object, which mostly differ in
/// their first byte: comparing that byte first spares about half the calls
/// to `memcmp`, which were a tenth of the instructions of evaluating the
/// rules (`callgrind`, corpus bench, `evaluate_four`: 5.9 M of 55.6 M, then
/// 3.1 M).
#[inline]
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match a.first().cmp(&b.first()) {
        std::cmp::Ordering::Equal => a.cmp(b),
        order => order,
    }
}

impl Doc {
    /// The value at `key` of an object, or item `index` of a list.
    pub fn get<I: DocIndex>(&self, index: I) -> Option<&Doc> {
        index.index_into(self)
    }

    /// The value at JSON pointer `pointer` (as `serde_json::Value::pointer`).
    pub fn pointer(&self, pointer: &str) -> Option<&Doc> {
        let mut target = self;
        for token in pointer_tokens(pointer)? {
            target = match target {
                Doc::Object(map) => map.get(&token)?,
                Doc::Array(items) => items.get(array_index(&token)?)?,
                _ => return None,
            };
        }
        Some(target)
    }

    /// The value at JSON pointer `pointer`, to change.
    pub fn pointer_mut(&mut self, pointer: &str) -> Option<&mut Doc> {
        let mut target = self;
        for token in pointer_tokens(pointer)? {
            target = match target {
                Doc::Object(map) => map.get_mut(&token)?,
                Doc::Array(items) => items.get_mut(array_index(&token)?)?,
                _ => return None,
            };
        }
        Some(target)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Doc::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as `f64`, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Doc::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The number as `u64`, if it is one.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Doc::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The number as `i64`, if it is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Doc::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Doc::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_array(&self) -> Option<&[Doc]> {
        match self {
            Doc::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The entries, if this is an object.
    pub fn as_object(&self) -> Option<&DocMap> {
        match self {
            Doc::Object(map) => Some(map),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Doc::Null)
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Doc::Object(_))
    }

    /// Whether this is a list.
    pub fn is_array(&self) -> bool {
        matches!(self, Doc::Array(_))
    }

    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Doc::String(_))
    }

    /// Whether this is a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Doc::Number(_))
    }

    /// Whether this is a number held as a float.
    pub fn is_f64(&self) -> bool {
        matches!(self, Doc::Number(n) if n.is_f64())
    }

    /// Whether this is a boolean.
    pub fn is_boolean(&self) -> bool {
        matches!(self, Doc::Bool(_))
    }

    /// The same value as a `serde_json::Value`.
    pub fn to_value(&self) -> Value {
        match self {
            Doc::Null => Value::Null,
            Doc::Bool(b) => Value::Bool(*b),
            Doc::Number(n) => Value::Number(n.clone()),
            Doc::String(s) => Value::String(s.to_string()),
            Doc::Array(items) => Value::Array(items.iter().map(Doc::to_value).collect()),
            Doc::Object(map) => Value::Object(map.to_map()),
        }
    }

    /// The same value from a `serde_json::Value` (keys shared within it).
    pub fn from_value(value: Value) -> Doc {
        Doc::from_value_with(value, &mut Keys::default())
    }

    fn from_value_with(value: Value, keys: &mut Keys) -> Doc {
        match value {
            Value::Null => Doc::Null,
            Value::Bool(b) => Doc::Bool(b),
            Value::Number(n) => Doc::Number(n),
            Value::String(s) => Doc::String(s.into()),
            Value::Array(items) => Doc::Array(
                items
                    .into_iter()
                    .map(|v| Doc::from_value_with(v, keys))
                    .collect(),
            ),
            // A `Map` iterates in key order, each key once.
            Value::Object(map) => Doc::Object(DocMap(
                map.into_iter()
                    .map(|(k, v)| (keys.key(&k), Doc::from_value_with(v, keys)))
                    .collect(),
            )),
        }
    }
}

impl From<Value> for Doc {
    fn from(value: Value) -> Self {
        Doc::from_value(value)
    }
}

impl From<&Doc> for Value {
    fn from(doc: &Doc) -> Self {
        doc.to_value()
    }
}

impl From<f64> for Doc {
    fn from(n: f64) -> Self {
        Number::from_f64(n).map_or(Doc::Null, Doc::Number)
    }
}

impl PartialEq<Value> for Doc {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Doc::Null, Value::Null) => true,
            (Doc::Bool(a), Value::Bool(b)) => a == b,
            (Doc::Number(a), Value::Number(b)) => a == b,
            (Doc::String(a), Value::String(b)) => **a == **b,
            (Doc::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (Doc::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((ka, va), (kb, vb))| ka == kb && va == vb)
            }
            _ => false,
        }
    }
}

fn array_index(token: &str) -> Option<usize> {
    // As serde_json: no sign, no leading zero.
    if token.starts_with('+') || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

/// What [`Doc::get`] takes: a key or an index.
pub trait DocIndex {
    /// The value this indexes in `doc`.
    fn index_into(self, doc: &Doc) -> Option<&Doc>;
}

impl DocIndex for &str {
    fn index_into(self, doc: &Doc) -> Option<&Doc> {
        doc.as_object()?.get(self)
    }
}

impl DocIndex for &String {
    fn index_into(self, doc: &Doc) -> Option<&Doc> {
        doc.as_object()?.get(self)
    }
}

impl DocIndex for usize {
    fn index_into(self, doc: &Doc) -> Option<&Doc> {
        doc.as_array()?.get(self)
    }
}

/// The keys of a document being built, each kept once; and the lists that
/// the objects and lists being built fill, kept for the next ones.
pub(crate) struct Keys {
    all: HashSet<Key>,
    /// The last key seen of each slot (by length and first two and last two
    /// bytes): the same few names repeat in every component, and comparing
    /// one costs less than hashing it (a sixth of the parse). With the 64
    /// slots of a hash of length, first and last byte, names of one
    /// component took the same slot (`dehp` and `dibp`, `source` and
    /// `scheme`) and evicted each other in every component.
    recent: Vec<Option<Key>>,
    /// Emptied lists of entries (see [`DocMap::from_scratch`]): one for each
    /// level of nesting.
    pub(crate) entries: Vec<Vec<(Key, Doc)>>,
    /// Emptied lists of items, likewise.
    pub(crate) items: Vec<Vec<Doc>>,
}

/// Slots of [`Keys::recent`].
const RECENT: usize = 256;

/// Keys in a submission's first table of keys, before it grows.
const KEYS_RESERVED: usize = 64;

impl Default for Keys {
    fn default() -> Self {
        Keys {
            all: HashSet::with_capacity(KEYS_RESERVED),
            recent: vec![None; RECENT],
            entries: Vec::new(),
            items: Vec::new(),
        }
    }
}

/// Names a thread keeps from one document to the next, at most: past this
/// many (a batch of submissions each with names of its own), the table
/// starts again empty.
const KEPT_NAMES: usize = 4096;

/// Capacity of a scratch list kept for the next document, at most (a list
/// of a hundred thousand components is not kept once the document is done).
const KEPT_SCRATCH: usize = 1024;

thread_local! {
    /// This thread's table of keys, between documents: the same few dozen
    /// names fill every submission of a batch, and finding a name in the
    /// table costs less than sharing it anew (an allocation per name per
    /// document, and a table to set up).
    static THREAD_KEYS: Cell<Option<Keys>> = const { Cell::new(None) };
}

impl Keys {
    /// The table this thread kept from its last document, or a new one.
    pub(crate) fn of_thread() -> Keys {
        THREAD_KEYS.with(Cell::take).unwrap_or_default()
    }

    /// Keeps this table for the thread's next document: its names, unless
    /// there are more than [`KEPT_NAMES`], and its scratch lists of no more
    /// than [`KEPT_SCRATCH`] entries.
    pub(crate) fn keep_for_thread(mut self) {
        if self.all.len() > KEPT_NAMES {
            self = Keys::default();
        }
        self.entries.retain(|list| list.capacity() <= KEPT_SCRATCH);
        self.items.retain(|list| list.capacity() <= KEPT_SCRATCH);
        THREAD_KEYS.with(|slot| slot.set(Some(self)));
    }

    /// The shared key `name`.
    pub(crate) fn key(&mut self, name: &str) -> Key {
        let bytes = name.as_bytes();
        let byte = |i: usize| u64::from(bytes.get(i).copied().unwrap_or(0));
        let last = bytes.len().saturating_sub(1);
        let word = bytes.len() as u64
            | byte(0) << 8
            | byte(1) << 16
            | byte(last.saturating_sub(1)) << 24
            | byte(last) << 32;
        // Fibonacci hashing: the top bits of the product.
        let slot = (word.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize % RECENT;
        if let Some(Some(key)) = self.recent.get(slot)
            && **key == *name
        {
            return Arc::clone(key);
        }
        // An empty slot: no key of this slot was seen, this one neither.
        let seen = self.recent.get(slot).is_some_and(Option::is_some);
        let found = if seen { self.all.get(name) } else { None };
        let key = match found {
            Some(key) => Arc::clone(key),
            None => {
                let key: Key = Arc::from(name);
                self.all.insert(Arc::clone(&key));
                key
            }
        };
        if let Some(recent) = self.recent.get_mut(slot) {
            *recent = Some(Arc::clone(&key));
        }
        key
    }
}

impl Serialize for Doc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Doc::Null => serializer.serialize_unit(),
            Doc::Bool(b) => serializer.serialize_bool(*b),
            Doc::Number(n) => n.serialize(serializer),
            Doc::String(s) => serializer.serialize_str(s),
            Doc::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Doc::Object(map) => map.serialize(serializer),
        }
    }
}

impl Serialize for DocMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            out.serialize_entry(k, v)?;
        }
        out.end()
    }
}

impl fmt::Display for Doc {
    /// Compact JSON, as `serde_json::Value`'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Adapter<'a, 'b>(&'a mut fmt::Formatter<'b>);
        impl std::io::Write for Adapter<'_, '_> {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                // serde_json writes whole UTF-8 sequences.
                let text = std::str::from_utf8(buf).map_err(std::io::Error::other)?;
                self.0.write_str(text).map_err(std::io::Error::other)?;
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        serde_json::to_writer(Adapter(f), self).map_err(|_| fmt::Error)
    }
}

impl fmt::Debug for Doc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_value(), f)
    }
}

impl fmt::Debug for DocMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// What indexing finds where there is nothing (as `serde_json::Value`).
static NULL: Doc = Doc::Null;

impl std::ops::Index<&str> for Doc {
    type Output = Doc;
    /// The value of `key`, or `null` (as `serde_json::Value`, never a panic).
    fn index(&self, key: &str) -> &Doc {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Doc {
    type Output = Doc;
    /// Item `index`, or `null` (as `serde_json::Value`, never a panic).
    fn index(&self, index: usize) -> &Doc {
        self.get(index).unwrap_or(&NULL)
    }
}

impl PartialEq<Doc> for Value {
    fn eq(&self, other: &Doc) -> bool {
        other == self
    }
}

impl PartialEq<str> for Doc {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Doc {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<f64> for Doc {
    fn eq(&self, other: &f64) -> bool {
        self.as_f64() == Some(*other)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{Doc, key_order};
    use crate::load::{Format, Source, parse_doc};
    use std::sync::Arc;

    #[test]
    fn keys_are_ordered_as_strings_are() {
        let keys = [
            "",
            "a",
            "a\0",
            "ab",
            "abc",
            "b",
            "dehp",
            "dibp",
            "lead",
            "lead\0x",
            "é",
            "ée",
            "pfas_individual_max",
            "pfas_sum",
            "post_consumer",
        ];
        for a in keys {
            for b in keys {
                assert_eq!(key_order(a, b), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn a_parsed_document_shares_each_key_and_finds_a_repeated_one() {
        // Names that took one slot of the old table of recent keys, in
        // every component.
        let component =
            r#"{"dehp": 1, "dibp": 2, "source": "s", "scheme": "x", "cadmium": 3, "bbp": 4}"#;
        let text = format!("[{component}, {component}, {component}]");
        let doc = parse_doc(&Source::from_text("t.json", &text, Format::Json)).unwrap();
        let items = doc.as_array().unwrap();
        let first = items[0].as_object().unwrap().entries();
        for item in items {
            let entries = item.as_object().unwrap().entries();
            assert_eq!(entries.len(), 6);
            for ((a, _), (b, _)) in first.iter().zip(entries) {
                assert!(Arc::ptr_eq(a, b), "{a}");
            }
        }
        let repeated = r#"{"dehp": 1, "dibp": 2, "dehp": 3}"#;
        assert!(parse_doc(&Source::from_text("t.json", repeated, Format::Json)).is_err());
    }

    #[test]
    fn documents_parsed_on_one_thread_share_their_keys() {
        let parse =
            |text: &str| parse_doc(&Source::from_text("t.json", text, Format::Json)).unwrap();
        let first = parse(r#"{"lead": 1, "mercury": 2}"#);
        let second = parse(r#"{"mercury": 3, "lead": 4}"#);
        let keys = |doc: &Doc| doc.as_object().unwrap().entries().to_vec();
        for ((a, _), (b, _)) in keys(&first).iter().zip(&keys(&second)) {
            assert!(Arc::ptr_eq(a, b), "{a}");
        }
    }

    #[test]
    fn a_thread_keeps_a_bounded_table_of_keys() {
        let many: Vec<String> = (0..=super::KEPT_NAMES)
            .map(|i| format!("\"k{i}\": {i}"))
            .collect();
        let text = format!("{{{}}}", many.join(", "));
        parse_doc(&Source::from_text("t.json", &text, Format::Json)).unwrap();
        let kept = super::Keys::of_thread();
        assert!(kept.all.is_empty(), "{} names kept", kept.all.len());
        kept.keep_for_thread();
        parse_doc(&Source::from_text("t.json", r#"{"lead": 1}"#, Format::Json)).unwrap();
        let kept = super::Keys::of_thread();
        assert_eq!(kept.all.len(), 1);
    }

    #[test]
    fn a_key_is_found_as_a_binary_search_finds_it() {
        // Keys of one length, of other lengths, absent; objects scanned in
        // turn and objects searched (past 16 keys).
        for size in [0, 1, 3, 16, 17, 40] {
            let object: serde_json::Map<String, serde_json::Value> = (0..size)
                .map(|i| (format!("{}{i}", ["ab", "b", "abc"][i % 3]), i.into()))
                .collect();
            let doc = Doc::from_value(serde_json::Value::Object(object));
            let map = doc.as_object().unwrap();
            let searched = |key: &str| map.index_of(key).ok().map(|i| &map.entries()[i].1);
            for i in 0..size + 3 {
                for key in [
                    format!("ab{i}"),
                    format!("b{i}"),
                    format!("abc{i}"),
                    format!("x{i}"),
                ] {
                    assert_eq!(map.get(&key), searched(&key), "{size} keys, `{key}`");
                }
            }
            assert_eq!(map.get(""), None);
        }
    }

    #[test]
    fn short_strings_are_held_inline() {
        let doc = parse_doc(&Source::from_text(
            "t.json",
            r#"{"id": "C01", "name": "a name of more than fifteen bytes"}"#,
            Format::Json,
        ))
        .unwrap();
        let string = |key: &str| match doc.get(key) {
            Some(Doc::String(s)) => s.clone(),
            other => panic!("{other:?}"),
        };
        assert!(string("id").is_inline());
        assert!(!string("name").is_inline());
        assert_eq!(&*string("name"), "a name of more than fifteen bytes");
    }

    #[test]
    fn a_pointer_finds_what_serde_json_finds() {
        let value = serde_json::json!({
            "": 0, "a/b": 1, "m~n": 2, "list": [10, 11, {"k": "v"}], "x": {"y": null}
        });
        let doc = Doc::from_value(value.clone());
        for pointer in [
            "",
            "/",
            "/a~1b",
            "/m~0n",
            "/list",
            "/list/0",
            "/list/2/k",
            "/list/01",
            "/list/+1",
            "/list/3",
            "/x/y",
            "/x/y/z",
            "x",
            "/missing",
            "/list/-",
        ] {
            assert_eq!(
                doc.pointer(pointer).map(Doc::to_value),
                value.pointer(pointer).cloned(),
                "{pointer}"
            );
            let mut changed = doc.clone();
            assert_eq!(
                changed.pointer_mut(pointer).is_some(),
                value.pointer(pointer).is_some(),
                "{pointer}"
            );
        }
    }
}
