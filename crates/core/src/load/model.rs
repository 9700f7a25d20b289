//! The submission model as normalization needs it, read from the published
//! schema.
//!
//! `schemas/submission.schema.json` is the one place that says which field
//! holds a quantity of which dimension. A quantity definition carries the
//! keyword `"x-recert-quantity"` with the name of its dimension
//! ([`Dimension::id`]):
//!
//! ```json
//! "$defs": { "mass": { "x-recert-quantity": "mass", "pattern": "...", ... } }
//! ```
//!
//! and a field is a quantity of that dimension when its schema is, or
//! `$ref`s, such a definition (`"mass": {"$ref": "#/$defs/mass"}`). The same
//! holds for the entries of an open map: every substance is a concentration
//! because `substances` has `"additionalProperties": {"$ref":
//! "#/$defs/concentration"}`, and a lab result of a known name has the
//! dimension its entry under `properties` gives it, while any other lab
//! result (`additionalProperties` without the keyword) is kept as written.
//! An open map whose `propertyNames` pattern is `^[a-z][a-z0-9_]*$` has its
//! names checked by the normalizer.
//!
//! [`Model::from_schema`] walks the schema once, when the schema is compiled,
//! into a table of the objects that hold a quantity (directly or below):
//! normalizing a submission then looks each key up in the table of the
//! object it is in. Objects with nothing to convert (`applicant`, `material`,
//! `evidence[]`, ...) are not in the table, so their entries are copied
//! without a lookup.

use serde_json::Value;

use super::locate::pointer_escape;
use super::units::Dimension;

/// The schema keyword that makes a definition a quantity of a dimension.
pub const QUANTITY_KEYWORD: &str = "x-recert-quantity";

/// The `propertyNames` pattern of open maps whose names are checked.
const SNAKE_CASE: &str = "^[a-z][a-z0-9_]*$";

/// Where the components' recycled-content claim is: the normalizer checks
/// that its post- and pre-consumer shares add up to at most 100 %.
const RECYCLED: (&str, &str) = ("/components", "/recycled");

/// How deep the walk goes before it calls the schema recursive.
const MAX_DEPTH: usize = 32;

/// An index into [`Model::nodes`].
pub(crate) type NodeId = usize;

/// What normalization does with one entry of an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    /// Copy as is.
    Copy,
    /// An object with something to convert.
    Object(NodeId),
    /// A list whose items are objects with something to convert.
    List(NodeId),
    /// A quantity of this dimension.
    Quantity(Dimension),
}

/// Where an object of the model is in a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum At {
    /// At a fixed pointer (`/battery/recycled_content`; `""` for the root).
    Fixed(String),
    /// In each item of the list at `list`, at `rest` from the item
    /// (`/components`, `/recycled`; `rest` is empty for the item itself).
    Item {
        /// The pointer of the list.
        list: String,
        /// The pointer from an item to the object.
        rest: String,
    },
}

/// An object with something to convert.
#[derive(Debug)]
pub(crate) struct Node {
    /// Where it is.
    pub(crate) at: At,
    /// Its fields that are quantities or hold some (the others are copied).
    fields: Vec<(Box<str>, Entry)>,
    /// What any other name is (`additionalProperties`).
    other: Entry,
    /// Whether its names are open snake_case names the normalizer checks.
    pub(crate) open_names: bool,
}

impl Node {
    /// What the entry `key` is. Called for every entry of every object the
    /// normalizer walks: the first bytes are compared before the calls to
    /// `memcmp`, which names of the same length mostly do not need.
    pub(crate) fn entry(&self, key: &str) -> Entry {
        let key = key.as_bytes();
        self.fields
            .iter()
            .find(|(name, _)| {
                let name = name.as_bytes();
                name.len() == key.len() && name.first() == key.first() && name == key
            })
            .map_or(self.other, |(_, entry)| *entry)
    }

    /// The JSON pointer of `key` in this object, in item `index` of its list
    /// (ignored for an object at a fixed place).
    pub(crate) fn pointer(&self, index: usize, key: &str) -> String {
        let key = pointer_escape(key);
        match &self.at {
            At::Fixed(at) => format!("{at}/{key}"),
            At::Item { list, rest } => format!("{list}/{index}{rest}/{key}"),
        }
    }
}

/// The objects of a submission that hold quantities, read from the schema.
#[derive(Debug)]
pub(crate) struct Model {
    nodes: Vec<Node>,
    root: NodeId,
    /// The components' recycled-content claim ([`RECYCLED`]).
    recycled: Option<NodeId>,
}

/// Why the submission schema does not give a model the normalizer can use
/// (a defect of the embedded schema, found when it is compiled).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ModelError {
    /// The schema declares no quantity at all.
    #[error("the submission schema has no quantity")]
    NoQuantity,
    /// A local `$ref` points nowhere.
    #[error("`$ref` `{0}` does not resolve")]
    UnresolvedRef(String),
    /// `$ref`s or objects nest deeper than the walk follows.
    #[error("the submission schema nests too deep")]
    TooDeep,
    /// The quantity keyword names no known dimension.
    #[error("{at}: `{keyword}` is {value}, not a dimension ({known})", keyword = QUANTITY_KEYWORD)]
    UnknownDimension {
        /// Where, as `describe` writes it.
        at: String,
        /// The keyword's value as written.
        value: String,
        /// The dimensions there are.
        known: String,
    },
    /// Quantities where the normalizer cannot name their place.
    #[error("{at}: {what}")]
    Unsupported {
        /// Where, as `describe` writes it.
        at: String,
        /// What is not supported: "a list of quantities is not supported", ...
        what: &'static str,
    },
}

impl Model {
    /// Reads the model from the submission schema `schema`; why not, when
    /// it uses a dimension the engine does not know or puts quantities
    /// where their place cannot be named (a list in a list, a list of bare
    /// quantities, an object under an open name).
    pub(crate) fn from_schema(schema: &Value) -> Result<Model, ModelError> {
        let mut builder = Builder {
            schema,
            nodes: Vec::new(),
        };
        let root = builder
            .object(schema, At::Fixed(String::new()), 0)?
            .ok_or(ModelError::NoQuantity)?;
        let recycled = builder.nodes.iter().position(|node| {
            matches!(&node.at, At::Item { list, rest } if (list.as_str(), rest.as_str()) == RECYCLED)
        });
        Ok(Model {
            nodes: builder.nodes,
            root,
            recycled,
        })
    }

    /// The top level of a submission.
    pub(crate) fn root(&self) -> NodeId {
        self.root
    }

    /// The components' recycled-content claim, if the model has one.
    pub(crate) fn recycled(&self) -> Option<NodeId> {
        self.recycled
    }

    /// The object `id`.
    pub(crate) fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id)
    }

    /// Every quantity field as a path (`components[].recycled.post_consumer`,
    /// `*` for any name of an open map) with its dimension, by name (an
    /// open map's `*` after its named entries).
    pub(crate) fn quantity_fields(&self) -> Vec<(String, Dimension)> {
        let mut out = Vec::new();
        self.collect(self.root, "", &mut out);
        out
    }

    fn collect(&self, id: NodeId, path: &str, out: &mut Vec<(String, Dimension)>) {
        let Some(node) = self.node(id) else {
            return;
        };
        let join = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        let entries = node
            .fields
            .iter()
            .map(|(name, entry)| (join(name), *entry))
            .chain(std::iter::once((join("*"), node.other)));
        for (here, entry) in entries {
            match entry {
                Entry::Copy => {}
                Entry::Object(inner) => self.collect(inner, &here, out),
                Entry::List(item) => self.collect(item, &format!("{here}[]"), out),
                Entry::Quantity(dimension) => out.push((here, dimension)),
            }
        }
    }
}

struct Builder<'s> {
    schema: &'s Value,
    nodes: Vec<Node>,
}

impl<'s> Builder<'s> {
    /// `node` with its `$ref`s (local ones, `#/...`) followed.
    fn resolve(&self, mut node: &'s Value) -> Result<&'s Value, ModelError> {
        for _ in 0..MAX_DEPTH {
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
                return Ok(node);
            };
            node = reference
                .strip_prefix('#')
                .and_then(|pointer| self.schema.pointer(pointer))
                .ok_or_else(|| ModelError::UnresolvedRef(reference.to_owned()))?;
        }
        Err(ModelError::TooDeep)
    }

    /// The node of the object schema `object` at `at`, `None` when it holds
    /// nothing to convert.
    fn object(
        &mut self,
        object: &'s Value,
        at: At,
        depth: usize,
    ) -> Result<Option<NodeId>, ModelError> {
        if depth > MAX_DEPTH {
            return Err(ModelError::TooDeep);
        }
        let object = self.resolve(object)?;
        let mut fields = Vec::new();
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, field) in properties {
                let entry = self.entry(field, child(&at, name), depth)?;
                if entry != Entry::Copy {
                    fields.push((Box::from(name.as_str()), entry));
                }
            }
        }
        let other = match object.get("additionalProperties") {
            Some(schema) if schema.is_object() => {
                match self.entry(schema, child(&at, "*"), depth)? {
                    entry @ (Entry::Copy | Entry::Quantity(_)) => entry,
                    Entry::Object(_) | Entry::List(_) => {
                        return Err(ModelError::Unsupported {
                            at: describe(&at),
                            what: "quantities under an open name are not supported",
                        });
                    }
                }
            }
            _ => Entry::Copy,
        };
        let open_names = object
            .pointer("/propertyNames/pattern")
            .and_then(Value::as_str)
            == Some(SNAKE_CASE);
        if fields.is_empty() && other == Entry::Copy && !open_names {
            return Ok(None);
        }
        self.nodes.push(Node {
            at,
            fields,
            other,
            open_names,
        });
        Ok(Some(self.nodes.len() - 1))
    }

    /// What the field of schema `field` at `at` is.
    fn entry(&mut self, field: &'s Value, at: At, depth: usize) -> Result<Entry, ModelError> {
        if depth > MAX_DEPTH {
            return Err(ModelError::TooDeep);
        }
        let resolved = self.resolve(field)?;
        let keyword = field
            .get(QUANTITY_KEYWORD)
            .or_else(|| resolved.get(QUANTITY_KEYWORD));
        if let Some(keyword) = keyword {
            let id = keyword.as_str().unwrap_or_default();
            return Dimension::from_id(id).map(Entry::Quantity).ok_or_else(|| {
                ModelError::UnknownDimension {
                    at: describe(&at),
                    value: keyword.to_string(),
                    known: Dimension::ALL.map(Dimension::id).join(", "),
                }
            });
        }
        if let Some(items) = resolved.get("items").filter(|i| i.is_object()) {
            let At::Fixed(list) = &at else {
                return match self.entry(items, at.clone(), depth + 1)? {
                    Entry::Copy => Ok(Entry::Copy),
                    _ => Err(ModelError::Unsupported {
                        at: describe(&at),
                        what: "quantities in a list in a list are not supported",
                    }),
                };
            };
            let item = At::Item {
                list: list.clone(),
                rest: String::new(),
            };
            if self.resolve(items)?.get(QUANTITY_KEYWORD).is_some() {
                return Err(ModelError::Unsupported {
                    at: describe(&at),
                    what: "a list of quantities is not supported",
                });
            }
            return Ok(self
                .object(items, item, depth + 1)?
                .map_or(Entry::Copy, Entry::List));
        }
        let is_object = resolved.get("properties").is_some()
            || resolved.get("additionalProperties").is_some()
            || resolved.get("type").and_then(Value::as_str) == Some("object");
        if is_object {
            return Ok(self
                .object(resolved, at, depth + 1)?
                .map_or(Entry::Copy, Entry::Object));
        }
        Ok(Entry::Copy)
    }
}

/// Where `name` is inside the object at `at`.
fn child(at: &At, name: &str) -> At {
    let name = pointer_escape(name);
    match at {
        At::Fixed(pointer) => At::Fixed(format!("{pointer}/{name}")),
        At::Item { list, rest } => At::Item {
            list: list.clone(),
            rest: format!("{rest}/{name}"),
        },
    }
}

/// `/components/*/recycled`, for errors in the schema.
fn describe(at: &At) -> String {
    match at {
        At::Fixed(pointer) => pointer.clone(),
        At::Item { list, rest } => format!("{list}/*{rest}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model(schema: &Value) -> Result<Model, String> {
        Model::from_schema(schema).map_err(|e| e.to_string())
    }

    #[test]
    fn the_published_schema_gives_every_quantity_field() {
        let schema: Value = serde_json::from_str(super::super::SUBMISSION_SCHEMA).unwrap();
        let fields = model(&schema).unwrap().quantity_fields();
        let shown: Vec<String> = fields
            .iter()
            .map(|(p, d)| format!("{p}: {}", d.id()))
            .collect();
        // The fields of the schema as published; a field added later needs
        // no line here.
        for expected in [
            "battery.capacity: energy",
            "battery.recycled_content.cobalt: share",
            "battery.recycled_content.lead: share",
            "battery.recycled_content.lithium: share",
            "battery.recycled_content.nickel: share",
            "battery.recycled_content.*: share",
            "components[].mass: mass",
            "components[].properties.ash: share",
            "components[].properties.density: density",
            "components[].properties.flammability_thickness: length",
            "components[].properties.melt_flow_rate: melt_flow_rate",
            "components[].properties.moisture: share",
            "components[].properties.tensile_strength: strength",
            "components[].recycled.post_consumer: share",
            "components[].recycled.pre_consumer: share",
            "components[].substances.bbp: concentration",
            "components[].substances.cadmium: concentration",
            "components[].substances.chromium_vi: concentration",
            "components[].substances.dbp: concentration",
            "components[].substances.dehp: concentration",
            "components[].substances.dibp: concentration",
            "components[].substances.lead: concentration",
            "components[].substances.mercury: concentration",
            "components[].substances.pbb: concentration",
            "components[].substances.pbde: concentration",
            "components[].substances.*: concentration",
            "product.mass: mass",
        ] {
            assert!(shown.iter().any(|s| s == expected), "{expected}: {shown:?}");
        }
        // Every use of a quantity definition is a field of the model: none
        // is left unconverted.
        fn uses(node: &Value, schema: &Value) -> usize {
            let here = node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| schema.pointer(r.strip_prefix('#')?))
                .is_some_and(|def| def.get(QUANTITY_KEYWORD).is_some());
            let inner: usize = match node {
                Value::Object(map) => map.values().map(|v| uses(v, schema)).sum(),
                Value::Array(items) => items.iter().map(|v| uses(v, schema)).sum(),
                _ => 0,
            };
            usize::from(here) + inner
        }
        assert_eq!(uses(&schema, &schema), fields.len());
    }

    #[test]
    fn objects_without_quantities_are_left_out() {
        let schema: Value = serde_json::from_str(super::super::SUBMISSION_SCHEMA).unwrap();
        let model = model(&schema).unwrap();
        let root = model.node(model.root()).unwrap();
        assert_eq!(root.entry("applicant"), Entry::Copy);
        assert_eq!(root.entry("evidence"), Entry::Copy);
        assert_eq!(root.entry("anything"), Entry::Copy);
        let Entry::List(component) = root.entry("components") else {
            panic!("components")
        };
        let component = model.node(component).unwrap();
        assert_eq!(component.entry("material"), Entry::Copy);
        assert_eq!(component.pointer(3, "mass"), "/components/3/mass");
        let Entry::Object(substances) = component.entry("substances") else {
            panic!("substances")
        };
        let substances = model.node(substances).unwrap();
        assert!(substances.open_names);
        assert_eq!(
            substances.pointer(2, "a/b"),
            "/components/2/substances/a~1b"
        );
        let Entry::Object(properties) = component.entry("properties") else {
            panic!("properties")
        };
        let properties = model.node(properties).unwrap();
        assert!(!properties.open_names);
        assert_eq!(properties.entry("gloss"), Entry::Copy);
        assert_eq!(
            properties.entry("density"),
            Entry::Quantity(Dimension::Density)
        );
    }

    #[test]
    fn a_field_declares_its_dimension_once() {
        let schema = json!({
            "properties": {
                "a": {"$ref": "#/$defs/m"},
                "b": {"x-recert-quantity": "length", "type": ["number", "string"]},
                "c": {"type": "object", "properties": {"d": {"$ref": "#/$defs/m"}}},
                "e": {"type": "array", "items": {"type": "object", "properties": {"f": {"$ref": "#/$defs/m"}}}},
                "g": {"type": "string"}
            },
            "$defs": {"m": {"x-recert-quantity": "mass"}}
        });
        let model = model(&schema).unwrap();
        let fields: Vec<String> = model
            .quantity_fields()
            .iter()
            .map(|(p, d)| format!("{p}: {}", d.id()))
            .collect();
        assert_eq!(fields, ["a: mass", "b: length", "c.d: mass", "e[].f: mass"]);
    }

    #[test]
    fn what_cannot_be_normalized_is_refused() {
        for (schema, error) in [
            (
                json!({"properties": {"a": {"x-recert-quantity": "weight"}}}),
                "/a: `x-recert-quantity` is \"weight\", not a dimension",
            ),
            (
                json!({"properties": {"a": {"items": {"x-recert-quantity": "mass"}}}}),
                "/a: a list of quantities",
            ),
            (
                json!({"properties": {"a": {"items": {"properties": {"b": {"items": {"properties": {"c": {"x-recert-quantity": "mass"}}}}}}}}}),
                "/a/*/b: quantities in a list in a list",
            ),
            (
                json!({"additionalProperties": {"properties": {"c": {"x-recert-quantity": "mass"}}}}),
                ": quantities under an open name",
            ),
            (
                json!({"properties": {"a": {"$ref": "#/$defs/none"}}}),
                "does not resolve",
            ),
            (
                json!({"properties": {"a": {"type": "string"}}}),
                "no quantity",
            ),
        ] {
            let found = model(&schema).unwrap_err();
            assert!(found.contains(error), "{found}");
        }
    }
}
