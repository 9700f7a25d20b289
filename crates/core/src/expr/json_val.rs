//! The submission as CEL values, converted on access.
//!
//! The submission's top level becomes a [`JsonMap`]: the object and a cell
//! per entry for the value's CEL form, made the first time it is read and
//! kept (the variables `components`, `product`, ... are handed out by
//! reference). Every object under it becomes a [`DocObj`], which keeps
//! nothing: a lookup is a binary search that converts the value it finds,
//! each time, and hands it out as its own. A list is converted when it is
//! read, each element a box (a component is a pointer and an empty cell);
//! a copy (which CEL's comprehensions make of every element they visit) is
//! a pointer. An expression that reads three fields of a component
//! converts three fields, not the component. Strings borrow the
//! submission's text; numbers are CEL `double`s, always (CEL's own JSON
//! mapping: `5` is `5.0`, never a `uint`).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use cel::ExecutionError;
use cel::common::traits::{self, Container, Indexer, Iterable, Sizer, Zeroer};
use cel::common::types::{
    CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelOptional, CelString,
    CelUInt, Kind, MAP_TYPE, Type,
};
use cel::common::value::{CowVal, Val};
use serde_json::Value as Json;

use crate::load::{Doc, DocMap};

/// Converts a submission's value into a CEL value that borrows its strings.
pub(crate) fn to_val<'a>(json: &'a Doc) -> Box<dyn Val + 'a> {
    match json {
        Doc::Null => Box::new(CelNull),
        Doc::Bool(b) => Box::new(CelBool::from(*b)),
        Doc::Number(n) => Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN))),
        Doc::String(s) => Box::new(CelString::from(&**s)),
        Doc::Array(items) => Box::new(CelList::from(items.iter().map(to_val).collect::<Vec<_>>())),
        Doc::Object(map) => Box::new(DocObj::new(map)),
    }
}

/// Converts a JSON value into a CEL value that owns everything (for params,
/// converted once when a pack is compiled).
pub(crate) fn to_owned_val(json: &Json) -> Box<dyn Val + 'static> {
    match json {
        Json::Null => Box::new(CelNull),
        Json::Bool(b) => Box::new(CelBool::from(*b)),
        Json::Number(n) => Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN))),
        Json::String(s) => Box::new(CelString::from(s.clone())),
        Json::Array(items) => Box::new(CelList::from(
            items.iter().map(to_owned_val).collect::<Vec<_>>(),
        )),
        Json::Object(map) => Box::new(CelMap::from(
            map.iter()
                .map(|(k, v)| (CelMapKey::from(k.clone()), to_owned_val(v)))
                .collect::<HashMap<_, _>>(),
        )),
    }
}

/// The submission's top-level object as a CEL `map(string, dyn)`,
/// converted on access, each value once.
#[derive(Debug, Clone)]
pub(crate) struct JsonMap<'a> {
    inner: Arc<Converted<'a>>,
}

/// A JSON object and what of it has been converted: the submission's top
/// level, a few pointers and a cell per entry.
#[derive(Debug)]
struct Converted<'a> {
    /// The object; its entries are sorted by key.
    map: &'a DocMap,
    /// Each entry's value as CEL, made the first time it is read.
    vals: Box<[OnceLock<Box<dyn Val + 'a>>]>,
    /// The keys as CEL strings, made the first time they are iterated.
    keys: OnceLock<Box<[CelString<'a>]>>,
}

impl<'a> JsonMap<'a> {
    /// Wraps a JSON object; converts nothing yet.
    pub(crate) fn from_json(map: &'a DocMap) -> Self {
        JsonMap {
            inner: Arc::new(Converted {
                map,
                vals: (0..map.len()).map(|_| OnceLock::new()).collect(),
                keys: OnceLock::new(),
            }),
        }
    }

    /// The value of entry `i`, converted the first time it is asked for.
    fn val(&self, i: usize) -> Option<&(dyn Val + 'a)> {
        let (_, json) = self.inner.map.entries().get(i)?;
        let cell = self.inner.vals.get(i)?;
        Some(cell.get_or_init(|| to_val(json)).as_ref())
    }

    /// The value at `key`, converted the first time it is asked for.
    pub(crate) fn find(&self, key: &str) -> Option<&(dyn Val + 'a)> {
        self.val(self.inner.map.index_of(key).ok()?)
    }

    /// The keys, as CEL strings.
    fn keys(&self) -> &[CelString<'a>] {
        self.inner.keys.get_or_init(|| {
            self.inner
                .map
                .entries()
                .iter()
                .map(|(k, _)| CelString::from(&**k))
                .collect()
        })
    }

    fn key_of(key: &dyn Val) -> Result<&str, ExecutionError> {
        key.downcast_ref::<CelString>()
            .map(|s| s.inner())
            .ok_or_else(|| ExecutionError::UnexpectedType {
                got: key.get_type().name().to_owned(),
                want: "string map key".to_owned(),
            })
    }
}

impl Val for JsonMap<'_> {
    fn get_type(&self) -> &Type {
        &MAP_TYPE
    }

    fn cel_type() -> &'static Type
    where
        Self: Sized,
    {
        &MAP_TYPE
    }

    fn as_container(&self) -> Option<&dyn Container> {
        Some(self)
    }

    fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
    where
        Self: 'w,
    {
        Some(self)
    }

    fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
    where
        Self: 'w,
    {
        Some(self)
    }

    fn as_sizer(&self) -> Option<&dyn Sizer> {
        Some(self)
    }

    fn as_zeroer(&self) -> Option<&dyn Zeroer> {
        Some(self)
    }

    fn equals(&self, other: &dyn Val) -> bool {
        // Through the traits rather than a downcast, so that it works for any map.
        let (Some(size), Some(indexer)) = (other.as_sizer(), other.as_indexer()) else {
            return false;
        };
        other.get_type().kind() == Kind::Map
            && *size.size().inner() == i64::try_from(self.inner.map.len()).unwrap_or(-1)
            && self.keys().iter().enumerate().all(|(i, key)| {
                self.val(i).is_some_and(|mine| {
                    indexer
                        .get(key)
                        .is_ok_and(|theirs| mine.equals(theirs.as_ref()))
                })
            })
    }

    fn clone_as_boxed<'w>(&self) -> Box<dyn Val + 'w>
    where
        Self: 'w,
    {
        Box::new(self.clone())
    }
}

impl Container for JsonMap<'_> {
    fn contains(&self, key: &dyn Val) -> Result<bool, ExecutionError> {
        Ok(self.find(Self::key_of(key)?).is_some())
    }
}

impl<'a> Indexer for JsonMap<'a> {
    fn get<'b, 'w>(&'b self, key: &dyn Val) -> Result<CowVal<'b, 'w>, ExecutionError>
    where
        Self: 'w,
    {
        let key = Self::key_of(key)?;
        match self.find(key) {
            Some(value) => Ok(CowVal::Borrowed(value)),
            None => Err(ExecutionError::no_such_key(key)),
        }
    }

    fn steal<'w>(self: Box<Self>, key: &dyn Val) -> Result<Box<dyn Val + 'w>, ExecutionError>
    where
        Self: 'w,
    {
        let key = Self::key_of(key)?;
        match self.find(key) {
            Some(value) => Ok(value.clone_as_boxed()),
            None => Err(ExecutionError::no_such_key(key)),
        }
    }
}

impl<'a> Iterable for JsonMap<'a> {
    fn iter<'b, 'w>(&'b self) -> Box<dyn traits::Iterator<'b, 'w> + 'b>
    where
        Self: 'w,
    {
        Box::new(KeyIter {
            keys: self.keys().iter(),
        })
    }
}

/// Iterates over a map's keys, as CEL comprehensions over maps do.
struct KeyIter<'b, 'a> {
    keys: std::slice::Iter<'b, CelString<'a>>,
}

impl<'b, 'a: 'w, 'w> traits::Iterator<'b, 'w> for KeyIter<'b, 'a> {
    fn next(&mut self) -> Option<&'b (dyn Val + 'w)> {
        self.keys.next().map(|key| key as &(dyn Val + 'w))
    }
}

impl Sizer for JsonMap<'_> {
    fn size(&self) -> CelInt {
        CelInt::from(i64::try_from(self.inner.map.len()).unwrap_or(i64::MAX))
    }
}

impl Zeroer for JsonMap<'_> {
    fn is_zero_value(&self) -> bool {
        self.inner.map.is_empty()
    }
}

/// A nested JSON object as a CEL `map(string, dyn)` that keeps nothing it
/// converts: each read converts the value it finds (a box; a string
/// borrows the submission's text) and hands it out as its own. A
/// component's form is then a pointer and an empty cell, however many of
/// its fields rules read: a caching form ([`JsonMap`]) of each of the
/// 100 000 components of `tests/memory.rs`, with the fields the
/// traceability pack reads converted and kept, took some 500 bytes a
/// component for as long as the pack ran. Only the submission's top level
/// caches (its variables are handed out by reference).
#[derive(Debug)]
pub(crate) struct DocObj<'a> {
    /// The object; its entries are sorted by key.
    map: &'a DocMap,
    /// The keys as CEL strings, made the first time they are iterated
    /// (an iteration hands out references).
    keys: OnceLock<Box<[CelString<'a>]>>,
}

impl<'a> DocObj<'a> {
    /// Wraps a JSON object; converts nothing.
    pub(crate) fn new(map: &'a DocMap) -> Self {
        DocObj {
            map,
            keys: OnceLock::new(),
        }
    }

    /// The value at `key`, converted now.
    fn find(&self, key: &str) -> Option<Box<dyn Val + 'a>> {
        let i = self.map.index_of(key).ok()?;
        let (_, json) = self.map.entries().get(i)?;
        Some(to_val(json))
    }

    /// The keys, as CEL strings.
    fn keys(&self) -> &[CelString<'a>] {
        self.keys.get_or_init(|| {
            self.map
                .entries()
                .iter()
                .map(|(k, _)| CelString::from(&**k))
                .collect()
        })
    }
}

impl Clone for DocObj<'_> {
    fn clone(&self) -> Self {
        DocObj::new(self.map)
    }
}

impl Val for DocObj<'_> {
    fn get_type(&self) -> &Type {
        &MAP_TYPE
    }

    fn cel_type() -> &'static Type
    where
        Self: Sized,
    {
        &MAP_TYPE
    }

    fn as_container(&self) -> Option<&dyn Container> {
        Some(self)
    }

    fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
    where
        Self: 'w,
    {
        Some(self)
    }

    fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
    where
        Self: 'w,
    {
        Some(self)
    }

    fn as_sizer(&self) -> Option<&dyn Sizer> {
        Some(self)
    }

    fn as_zeroer(&self) -> Option<&dyn Zeroer> {
        Some(self)
    }

    fn equals(&self, other: &dyn Val) -> bool {
        // Through the traits rather than a downcast, so that it works for any map.
        let (Some(size), Some(indexer)) = (other.as_sizer(), other.as_indexer()) else {
            return false;
        };
        other.get_type().kind() == Kind::Map
            && *size.size().inner() == i64::try_from(self.map.len()).unwrap_or(-1)
            && self.map.entries().iter().all(|(key, json)| {
                match indexer.get(&CelString::from(&**key)) {
                    Ok(theirs) => to_val(json).equals(theirs.as_ref()),
                    Err(_) => false,
                }
            })
    }

    fn clone_as_boxed<'w>(&self) -> Box<dyn Val + 'w>
    where
        Self: 'w,
    {
        Box::new(self.clone())
    }
}

impl Container for DocObj<'_> {
    fn contains(&self, key: &dyn Val) -> Result<bool, ExecutionError> {
        Ok(self.map.index_of(JsonMap::key_of(key)?).is_ok())
    }
}

impl<'a> Indexer for DocObj<'a> {
    fn get<'b, 'w>(&'b self, key: &dyn Val) -> Result<CowVal<'b, 'w>, ExecutionError>
    where
        Self: 'w,
    {
        let key = JsonMap::key_of(key)?;
        match self.find(key) {
            Some(value) => Ok(CowVal::Owned(value)),
            None => Err(ExecutionError::no_such_key(key)),
        }
    }

    fn steal<'w>(self: Box<Self>, key: &dyn Val) -> Result<Box<dyn Val + 'w>, ExecutionError>
    where
        Self: 'w,
    {
        let key = JsonMap::key_of(key)?;
        self.find(key)
            .ok_or_else(|| ExecutionError::no_such_key(key))
    }
}

impl<'a> Iterable for DocObj<'a> {
    fn iter<'b, 'w>(&'b self) -> Box<dyn traits::Iterator<'b, 'w> + 'b>
    where
        Self: 'w,
    {
        Box::new(KeyIter {
            keys: self.keys().iter(),
        })
    }
}

impl Sizer for DocObj<'_> {
    fn size(&self) -> CelInt {
        CelInt::from(i64::try_from(self.map.len()).unwrap_or(i64::MAX))
    }
}

impl Zeroer for DocObj<'_> {
    fn is_zero_value(&self) -> bool {
        self.map.is_empty()
    }
}

/// A CEL number (double, int or uint) as `f64`; `None` for anything else.
pub(crate) fn as_f64(val: &dyn Val) -> Option<f64> {
    if let Some(d) = val.downcast_ref::<CelDouble>() {
        return Some(*d.inner());
    }
    if let Some(i) = val.downcast_ref::<CelInt>() {
        return Some(*i.inner() as f64);
    }
    val.downcast_ref::<CelUInt>().map(|u| *u.inner() as f64)
}

/// Converts a CEL result back to JSON, for reports (`actual`) and plugins.
///
/// Returns `None` for values JSON has no form for (types, functions, bytes).
pub(crate) fn to_json(val: &dyn Val) -> Option<Json> {
    if let Some(b) = val.downcast_ref::<CelBool>() {
        return Some(Json::Bool(*b.inner()));
    }
    if let Some(n) = as_f64(val) {
        return serde_json::Number::from_f64(n).map(Json::Number);
    }
    if let Some(s) = val.downcast_ref::<CelString>() {
        return Some(Json::String(s.inner().to_owned()));
    }
    if val.downcast_ref::<CelNull>().is_some() {
        return Some(Json::Null);
    }
    if val.get_type().kind() == Kind::Map {
        // Any map (ours or a literal): its string keys, then each key's value.
        let indexer = val.as_indexer()?;
        let mut keys = val.as_iterable()?.iter();
        let mut out = serde_json::Map::new();
        while let Some(key) = keys.next() {
            let name = key.downcast_ref::<CelString>()?.inner().to_owned();
            let value = indexer.get(key).ok()?;
            out.insert(name, to_json(value.as_ref())?);
        }
        return Some(Json::Object(out));
    }
    if let Some(opt) = val.downcast_ref::<CelOptional>() {
        return match opt.inner() {
            Some(inner) => to_json(inner),
            None => Some(Json::Null),
        };
    }
    if let Some(iterable) = val.as_iterable() {
        // Lists (any list type): the elements in order.
        let mut items = Vec::new();
        let mut iter = iterable.iter();
        while let Some(item) = iter.next() {
            items.push(to_json(item)?);
        }
        return Some(Json::Array(items));
    }
    None
}
