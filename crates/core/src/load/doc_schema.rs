//! [`Doc`] as a JSON representation `jsonschema` validates directly
//! (`jsonschema::json::Json`), so that a valid submission is checked
//! without a `serde_json::Value` of it. Only the fast `is_valid` runs on
//! it; the detailed errors of an invalid submission come from its
//! `serde_json::Value`, as they always did.

use std::borrow::Cow;

use jsonschema::JsonType;
use jsonschema::json::{Array, Json, Node, NodeIdentity, Object, cmp};
use serde_json::Value;

use super::doc::{Doc, DocMap, Key};

/// The [`Doc`] representation for `jsonschema`.
pub(crate) struct DocJson;

impl Json for DocJson {
    type Node<'a> = &'a Doc;
    type PreparedKey = String;
    type StringBuffer = ();

    // A lookup is a binary search over a few entries.
    const KEYS_PER_LOOKUP: usize = 2;
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(&Doc) -> T) -> T {
        f(&Doc::String(string.into()))
    }
}

impl<'a> Node<'a, DocJson> for &'a Doc {
    type Object = &'a DocMap;
    type Array = &'a [Doc];
    type Number = &'a serde_json::Number;

    fn as_object(&self) -> Option<&'a DocMap> {
        match self {
            Doc::Object(map) => Some(map),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Doc]> {
        match self {
            Doc::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match self {
            Doc::String(s) => Some(Cow::Borrowed(s)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<&'a serde_json::Number> {
        match self {
            Doc::Number(n) => Some(n),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self {
            Doc::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Doc::Null)
    }

    fn json_type(&self) -> JsonType {
        match self {
            Doc::Null => JsonType::Null,
            Doc::Bool(_) => JsonType::Boolean,
            Doc::Number(_) => JsonType::Number,
            Doc::String(_) => JsonType::String,
            Doc::Array(_) => JsonType::Array,
            Doc::Object(_) => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &Value) -> bool {
        equals(self, expected)
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(Doc::to_value(self))
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Doc>(self) as usize))
    }
}

/// JSON Schema equality (`const`, `enum`): numbers compare by value.
fn equals(doc: &Doc, expected: &Value) -> bool {
    match (doc, expected) {
        (Doc::Null, Value::Null) => true,
        (Doc::Bool(a), Value::Bool(b)) => a == b,
        (Doc::Number(a), Value::Number(b)) => cmp::equal_numbers(a, b),
        (Doc::String(a), Value::String(b)) => **a == **b,
        (Doc::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equals(x, y))
        }
        (Doc::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| equals(value, other)))
        }
        _ => false,
    }
}

/// The members of a [`DocMap`], in key order.
pub(crate) struct Members<'a>(std::slice::Iter<'a, (Key, Doc)>);

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, &'a Doc);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(key, value)| (&**key, value))
    }
}

impl<'a> Object<'a, DocJson> for &'a DocMap {
    type Node = &'a Doc;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        DocMap::len(self)
    }

    fn get(&self, key: &String) -> Option<&'a Doc> {
        DocMap::get(self, key)
    }

    fn members(&self) -> Members<'a> {
        Members(self.entries().iter())
    }
}

impl<'a> Array<'a, DocJson> for &'a [Doc] {
    type Node = &'a Doc;
    type ElementsIter = std::slice::Iter<'a, Doc>;

    fn len(&self) -> usize {
        <[Doc]>::len(self)
    }

    fn elements(&self) -> std::slice::Iter<'a, Doc> {
        self.iter()
    }
}
