//! Unit normalization and the checks JSON Schema cannot express.
//!
//! Which field has which dimension is read from the published schema (see
//! [`model`](super::model)): a field whose schema is, or `$ref`s, a
//! definition with `"x-recert-quantity": "<dimension>"` is converted to that
//! dimension's canonical unit ([`units`]); `recert schema submission` shows
//! them, and [`quantity_fields`](super::quantity_fields) lists them. Every
//! substance is a concentration; a lab result (`properties`) of a name the
//! schema lists has the dimension given there, and any other lab result,
//! whose dimension the format does not fix, is kept exactly as written (a
//! string stays a string), so a rule that wants a number from one of them
//! sees the text and fails loudly rather than comparing a guess. The
//! recycled shares of a component add up to at most 100 %.
//!
//! Quantities are converted in place, visiting each entry once with one
//! look-up in the table of the object it is in; a quantity written as a
//! string (`"0.05 %"`) leaves that string in [`Written`], so reports can
//! show the value as written without a copy of the whole document. The walk
//! tolerates any shape, because it also runs on documents the schema
//! rejected, so that one pass reports every error.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use ecow::EcoString;

use serde_json::{Map, Number, Value};

use super::Issue;
use super::doc::Doc;
use super::locate::pointer_escape;
use super::model::{At, Entry, Model, NodeId};
use super::parse::Shape;
use super::schema_errors::show;
use super::units::{self, Dimension};
use super::uscc;
use crate::Code;

/// Where in the document a node is, as far as normalization cares.
#[derive(Clone, Copy)]
enum Place {
    /// An object of the model, in item `index` of its list (0 when it is
    /// not in a list).
    Object(NodeId, usize),
    /// A list whose items are the object `item` of the model.
    List(NodeId),
}

impl Place {
    /// The place of an entry `entry` of an object in item `index` of its
    /// list, when it is walked.
    fn inner(entry: Entry, index: usize) -> Option<Place> {
        match entry {
            Entry::Object(node) => Some(Place::Object(node, index)),
            Entry::List(item) => Some(Place::List(item)),
            Entry::Copy | Entry::Quantity(_) => None,
        }
    }
}

/// The quantities a submission wrote as strings, for "value as written":
/// `/components/0/substances/lead` → `0.05 %`.
///
/// Component fields are kept per component, so a report finds the value of
/// a finding without building its pointer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Per component index: (field under the component, e.g. `substances/lead`, text).
    components: Vec<Vec<(Arc<str>, EcoString)>>,
    /// Everything else, by pointer.
    other: Vec<(String, EcoString)>,
    /// While the document is read: the component fields named so far, by
    /// object and key, each made once (100 000 components that write their
    /// mass as `"12 g"` share one `mass`).
    fields: FieldNames,
}

/// The component fields of [`Written::fields`]: the first [`FEW_FIELDS`] in
/// a list compared in turn (a submission names a dozen: hashing the object
/// and the key with SipHash twice for each quantity cost more than the rest
/// of keeping it), any further ones in maps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct FieldNames {
    /// (object, key, field).
    few: Vec<(NodeId, Box<str>, Arc<str>)>,
    /// By object and key, past the first [`FEW_FIELDS`].
    many: HashMap<NodeId, HashMap<Box<str>, Arc<str>>>,
}

/// Fields in [`FieldNames::few`], at most.
const FEW_FIELDS: usize = 32;

#[cfg(test)]
impl FieldNames {
    fn is_empty(&self) -> bool {
        self.few.is_empty() && self.many.is_empty()
    }
}

impl Written {
    /// The string written at `pointer`, if the quantity there was a string.
    pub fn get(&self, pointer: &str) -> Option<&str> {
        if let Some(rest) = pointer.strip_prefix("/components/") {
            let (index, field) = rest.split_once('/')?;
            return self.component(index.parse().ok()?, field);
        }
        self.other
            .iter()
            .find(|(p, _)| p == pointer)
            .map(|(_, w)| w.as_str())
    }

    /// The JSON Pointers of the quantities written as results below the
    /// detection limit (`< 2 mg/kg`): the submission holds the limit there.
    pub fn below_detection(&self) -> Vec<String> {
        let is_bound = |text: &str| units::below_detection_limit(text).is_some();
        let mut pointers: Vec<String> = self
            .components
            .iter()
            .enumerate()
            .flat_map(|(index, fields)| {
                fields
                    .iter()
                    .filter(|(_, text)| is_bound(text))
                    .map(move |(field, _)| format!("/components/{index}/{field}"))
            })
            .collect();
        pointers.extend(
            self.other
                .iter()
                .filter(|(_, text)| is_bound(text))
                .map(|(pointer, _)| pointer.clone()),
        );
        pointers
    }

    /// The string written at `field` (e.g. `substances/lead`) of component `index`.
    pub fn component(&self, index: usize, field: &str) -> Option<&str> {
        self.components
            .get(index)?
            .iter()
            .find(|(f, _)| **f == *field)
            .map(|(_, w)| w.as_str())
    }

    /// The component field `key` (escaped) of the object `node`, at `rest`
    /// from the component (`""` or `recycled`), shared with every other
    /// component that names it.
    fn field(&mut self, node: NodeId, rest: &str, key: &str) -> Arc<str> {
        let names = &mut self.fields;
        let known = names.few.iter().find(|(n, k, _)| {
            *n == node
                && k.len() == key.len()
                && k.as_bytes().first() == key.as_bytes().first()
                && **k == *key
        });
        if let Some((_, _, field)) = known {
            return Arc::clone(field);
        }
        if let Some(field) = names.many.get(&node).and_then(|m| m.get(key)) {
            return Arc::clone(field);
        }
        let escaped = pointer_escape(key);
        let field: Arc<str> = match rest {
            "" => Arc::from(escaped.as_ref()),
            _ => Arc::from(format!("{rest}/{escaped}")),
        };
        if names.few.len() < FEW_FIELDS {
            names.few.push((node, Box::from(key), Arc::clone(&field)));
        } else {
            names
                .many
                .entry(node)
                .or_default()
                .insert(Box::from(key), Arc::clone(&field));
        }
        field
    }

    /// Keeps `written`, the text of the quantity `key` at `place` (held
    /// inline when short, as most are: `12.5 kg`, `0.05 %`, `< 2 mg/kg`).
    fn push(&mut self, model: &Model, place: Place, key: &str, written: EcoString) {
        let Place::Object(node_id, index) = place else {
            return;
        };
        let Some(node) = model.node(node_id) else {
            return;
        };
        let field = match &node.at {
            At::Item { list, rest } if list == "/components" => match rest.strip_prefix('/') {
                Some(rest) => self.field(node_id, rest, key),
                None => self.field(node_id, "", key),
            },
            // `pointer` escapes the key itself.
            _ => {
                self.other.push((node.pointer(index, key), written));
                return;
            }
        };
        if self.components.len() <= index {
            self.components.resize_with(index + 1, Vec::new);
        }
        if let Some(fields) = self.components.get_mut(index) {
            fields.push((field, written));
        }
    }
}

/// What [`Normalizing`] found while the submission was parsed.
pub(crate) struct Found {
    /// False when the walk of [`normalize`] would report an issue.
    clean: Cell<bool>,
    /// The quantities converted from strings not in the canonical unit, in
    /// the order of the text.
    written: RefCell<Written>,
}

impl Found {
    /// Nothing found yet.
    pub(crate) fn new() -> Self {
        Found {
            clean: Cell::new(true),
            written: RefCell::new(Written::default()),
        }
    }

    /// Whether every quantity converted and every name and sum is valid: the
    /// parsed document is then the normalized one, and [`normalize`] would
    /// find nothing to report or convert.
    pub(crate) fn is_clean(&self) -> bool {
        self.clean.get()
    }

    /// The strings written, in the order [`normalize`] gives them (which
    /// visits keys in sorted order).
    pub(crate) fn into_written(self) -> Written {
        let mut written = self.written.into_inner();
        written.fields = FieldNames::default();
        // Each list holds the fields of one place, all named in snake_case
        // when the document is clean (open names are checked; the others are
        // fixed), so sorting the escaped pointers sorts by key, which is the
        // order of the walk (keys of a `Map` are sorted). A list of a
        // document that is not clean may differ in order, but such a
        // document is not loaded.
        for fields in &mut written.components {
            fields.sort_by(|a, b| a.0.cmp(&b.0));
        }
        written.other.sort_by(|a, b| a.0.cmp(&b.0));
        written
    }

    fn unclean(&self) {
        self.clean.set(false);
    }
}

/// The [`Shape`] that normalizes a submission while it is parsed: the same
/// conversions as [`normalize`], node by node as the parser builds them, so
/// that a quantity string is converted from the borrowed text (no `String`
/// allocated and freed) and there is no second walk.
///
/// A quantity that does not convert, a name that is not snake_case and
/// recycled shares over 100 % are left as written and mark the document as
/// not clean: the loader then runs [`normalize`] on the parsed document,
/// which reports exactly what it would have reported on the text as written
/// (a converted quantity converts again to itself, without an issue).
#[derive(Clone, Copy)]
pub(crate) struct Normalizing<'a> {
    role: Role,
    found: &'a Found,
    model: &'a Model,
}

/// What normalization does with a node.
#[derive(Clone, Copy)]
enum Role {
    /// Nothing, nor with its children.
    Plain,
    /// Descend into it, as [`walk`] does.
    Walk(Place),
    /// Convert the quantity, which is an entry of a mapping at `Place`.
    Quantity(Dimension, Place),
}

impl<'a> Normalizing<'a> {
    /// The shape of a submission's top level, as `model` describes it.
    pub(crate) fn submission(found: &'a Found, model: &'a Model) -> Self {
        Normalizing {
            role: Role::Walk(Place::Object(model.root(), 0)),
            found,
            model,
        }
    }

    fn with(self, role: Role) -> Self {
        Normalizing { role, ..self }
    }
}

impl Shape for Normalizing<'_> {
    fn entry(self, key: &str) -> Self {
        // `walk` visits the entries of a mapping at an object's place only.
        let Role::Walk(place @ Place::Object(node, index)) = self.role else {
            return self.with(Role::Plain);
        };
        let Some(node) = self.model.node(node) else {
            return self.with(Role::Plain);
        };
        if node.open_names && !is_snake_case(key) {
            self.found.unclean();
        }
        let entry = node.entry(key);
        self.with(match entry {
            Entry::Quantity(dimension) => Role::Quantity(dimension, place),
            _ => Place::inner(entry, index).map_or(Role::Plain, Role::Walk),
        })
    }

    fn item(self, index: usize) -> Self {
        self.with(match self.role {
            Role::Walk(Place::List(item)) => Role::Walk(Place::Object(item, index)),
            _ => Role::Plain,
        })
    }

    fn string(self, key: Option<&str>, text: &str) -> Option<Number> {
        let Role::Quantity(dimension, place) = self.role else {
            return None;
        };
        let converted = units::parse_quantity_text(text, dimension)
            .ok()
            .and_then(|(number, canonical)| Some((Number::from_f64(number)?, canonical)));
        let Some((n, canonical)) = converted else {
            self.found.unclean();
            return None;
        };
        // What `is_canonical` says of a text that converted, without parsing
        // the number again (see the test `canonical_unit_is_canonical_text`).
        if !canonical {
            self.found.written.borrow_mut().push(
                self.model,
                place,
                key.unwrap_or_default(),
                EcoString::from(text),
            );
        }
        Some(n)
    }

    fn number(self, number: Number) -> Number {
        let Role::Quantity(dimension, _) = self.role else {
            return number;
        };
        match units::parse_quantity(&Value::Number(number.clone()), dimension)
            .ok()
            .and_then(Number::from_f64)
        {
            Some(n) => n,
            None => {
                self.found.unclean();
                number
            }
        }
    }

    fn mapping(self, number: &dyn Fn(&str) -> Option<f64>) {
        match self.role {
            Role::Quantity(..) => self.found.unclean(),
            Role::Walk(Place::Object(node, _))
                if self.model.recycled() == Some(node) && shares_over_100(number).is_some() =>
            {
                self.found.unclean();
            }
            _ => {}
        }
    }

    fn other(self) {
        if let Role::Quantity(..) = self.role {
            self.found.unclean();
        }
    }
}

/// Converts every quantity of the submission `doc` in place to its canonical
/// unit, as `model` describes the submission; an issue for each quantity
/// that is not valid (left as written).
pub(crate) fn normalize(doc: &mut Value, model: &Model, issues: &mut Vec<Issue>) -> Written {
    let mut written = Written::default();
    let mut walker = Walker {
        model,
        issues,
        written: &mut written,
    };
    walker.walk(doc, Place::Object(model.root(), 0));
    written.fields = FieldNames::default();
    written
}

/// The walk of [`normalize`].
struct Walker<'a> {
    model: &'a Model,
    issues: &'a mut Vec<Issue>,
    written: &'a mut Written,
}

impl Walker<'_> {
    fn walk(&mut self, value: &mut Value, place: Place) {
        match (value, place) {
            (Value::Array(items), Place::List(item)) => {
                for (i, value) in items.iter_mut().enumerate() {
                    self.walk(value, Place::Object(item, i));
                }
            }
            (Value::Object(map), Place::Object(node, index)) => self.walk_map(map, node, index),
            _ => {}
        }
    }

    fn walk_map(&mut self, map: &mut Map<String, Value>, id: NodeId, index: usize) {
        let model = self.model;
        let Some(node) = model.node(id) else {
            return;
        };
        let place = Place::Object(id, index);
        for (key, value) in map.iter_mut() {
            if node.open_names && !is_snake_case(key) {
                let mut issue = Issue::new(
                    Code::Schema,
                    node.pointer(index, key),
                    format!("the name `{key}` is not allowed here"),
                );
                issue.help = Some(
                    "names here are lower-case snake_case, e.g. `lead`, `chromium_vi`".to_owned(),
                );
                self.issues.push(issue);
            }
            let entry = node.entry(key);
            if let Entry::Quantity(dimension) = entry {
                if let Some(text) =
                    convert(value, dimension, self.issues, || node.pointer(index, key))
                {
                    self.written.push(model, place, key, text.into());
                }
            } else if let Some(inner) = Place::inner(entry, index) {
                self.walk(value, inner);
            }
        }
        if model.recycled() == Some(id) {
            check_recycled_sum(index, map, self.issues);
        }
    }
}

/// `^[a-z][a-z0-9_]*$`.
fn is_snake_case(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Post- and pre-consumer shares when they add up to more than 100 %.
fn recycled_sum_over_100(recycled: &Map<String, Value>) -> Option<(f64, f64)> {
    shares_over_100(&|key| recycled.get(key).and_then(Value::as_f64))
}

/// [`recycled_sum_over_100`], `share` giving the number of a key.
fn shares_over_100(share: &dyn Fn(&str) -> Option<f64>) -> Option<(f64, f64)> {
    // Only when both converted (a failed one is still a string).
    let (post, pre) = (share("post_consumer")?, share("pre_consumer")?);
    (post + pre > 100.0 + 1e-9).then_some((post, pre))
}

fn check_recycled_sum(i: usize, recycled: &Map<String, Value>, issues: &mut Vec<Issue>) {
    if let Some((post, pre)) = recycled_sum_over_100(recycled) {
        let mut issue = Issue::new(
            Code::OutOfRange,
            format!("/components/{i}/recycled"),
            format!(
                "post-consumer {post} % plus pre-consumer {pre} % is {} %, more than the component's whole mass",
                ((post + pre) * 1e9).round() / 1e9
            ),
        );
        issue.help = Some(
            "both shares are of the same component's mass; together they are at most 100 %"
                .to_owned(),
        );
        issues.push(issue);
    }
}

/// Replaces a quantity by its canonical number, returning the string it was
/// written as, if any; on error leaves it as written and adds an issue at
/// `pointer()`.
fn convert(
    value: &mut Value,
    dimension: Dimension,
    issues: &mut Vec<Issue>,
    pointer: impl FnOnce() -> String,
) -> Option<String> {
    let error = match units::parse_quantity(value, dimension) {
        // `parse_quantity` only returns finite numbers.
        Ok(number) => match Number::from_f64(number) {
            Some(n) => {
                return match std::mem::replace(value, Value::Number(n)) {
                    // "12 mg/kg" for 12 mg/kg says nothing the number does not.
                    Value::String(text) if !is_canonical(&text, number, dimension) => Some(text),
                    _ => None,
                };
            }
            None => units::QuantityError::NotFinite,
        },
        Err(error) => error,
    };
    let pointer = pointer();
    let field = super::schema_errors::field_label(&pointer, "the submission");
    let mut issue = Issue::new(
        error.code(),
        pointer,
        format!("`{field}` is {}: {error}", show(value)),
    );
    issue.help = Some(units::accepted_units(dimension));
    issues.push(issue);
    None
}

/// Whether `text` is `number` written in the canonical unit (`"12 mg/kg"`).
fn is_canonical(text: &str, number: f64, dimension: Dimension) -> bool {
    text.trim()
        .strip_suffix(dimension.canonical_unit())
        .and_then(|n| n.trim().parse::<f64>().ok())
        .is_some_and(|n| n == number)
}

/// Component ids are unique; a credit code has a valid check character.
pub(crate) fn check_identities(doc: &Doc, issues: &mut Vec<Issue>) {
    if let Some(components) = doc.get("components").and_then(Doc::as_array) {
        let ids: Vec<Option<&str>> = components
            .iter()
            .map(|c| c.get("id").and_then(Doc::as_str))
            .collect();
        // A few components are compared pairwise: cheaper than hashing.
        let mut first_seen: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            let Some(id) = *id else {
                continue;
            };
            let first = if ids.len() <= 32 {
                ids.iter().take(i).position(|other| *other == Some(id))
            } else {
                let first = first_seen.get(id).copied();
                first_seen.entry(id).or_insert(i);
                first
            };
            if let Some(first) = first {
                let mut issue = Issue::new(
                    Code::DuplicateId,
                    format!("/components/{i}/id"),
                    format!("component id `{id}` is used more than once"),
                );
                issue.help = Some(format!(
                    "it is also the id of /components/{first}; component ids are unique within a submission"
                ));
                issues.push(issue);
            }
        }
    }
    if let Some(code) = doc.get("applicant").and_then(|a| a.get("credit_code")) {
        let problem = match code.as_str() {
            Some(code) => uscc::check(code).err().map(|e| e.to_string()),
            None => Some(format!(
                "a Unified Social Credit Code is a string of 18 characters, found {}",
                show(&code.to_value())
            )),
        };
        if let Some(message) = problem {
            let mut issue = Issue::new(
                Code::InvalidCreditCode,
                "/applicant/credit_code".to_owned(),
                message,
            );
            issue.help = Some(
                "check the code on the business licence (营业执照), or leave `credit_code` out"
                    .to_owned(),
            );
            issues.push(issue);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_unit_is_canonical_text() {
        // For every text that converts, "written in the canonical unit" (what
        // the parse-time conversion asks) is what `is_canonical` says.
        let numbers = [
            "0", "12", "-0", "0.5", "1.10", "007", "1e3", "2.5E-2", "1e-400", "0e999", "100",
        ];
        let mut checked = 0;
        for dimension in Dimension::ALL {
            for unit in Dimension::ALL.iter().flat_map(|d| d.units()) {
                for number in numbers {
                    for text in [format!("{number} {unit}"), format!("{number}{unit}")] {
                        let Ok((n, canonical)) = units::parse_quantity_text(&text, dimension)
                        else {
                            continue;
                        };
                        assert_eq!(canonical, is_canonical(&text, n, dimension), "{text}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 300, "{checked}");
    }

    #[test]
    fn component_fields_as_written_are_named_once() {
        use crate::load::{Format, Source, load_submission, parse_document};
        let mut text = String::from(
            "schema: recert.submission/v1\nid: S\ndate: 2026-11-20\napplicant: {name: A, country: CN}\nproduct: {name: p, sector: electrical-electronic, category: air-purifier, markets: [EU], mass: 1 kg}\ncomponents:\n",
        );
        for i in 0..3 {
            text.push_str(&format!(
                "  - {{id: C{i}, material: {{class: plastic}}, mass: {i}0 g, recycled: {{post_consumer: 30 %}}, substances: {{lead: {i} %}}}}\n"
            ));
        }
        let source = Source::from_text("s.yaml", &text, Format::Yaml);
        // Converted while parsing, and by the walk over a parsed document.
        let parsed = load_submission(&source).unwrap().written;
        let mut doc = parse_document(&source).unwrap();
        let model = &super::super::schema::compiled().unwrap().model;
        let mut issues = Vec::new();
        let walked = normalize(&mut doc, model, &mut issues);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(parsed, walked);
        for written in [parsed, walked] {
            assert!(
                written.fields.is_empty(),
                "names are kept only while reading"
            );
            for i in 0..3 {
                let mass = format!("{i}0 g");
                assert_eq!(written.component(i, "mass"), Some(mass.as_str()));
                // Written in the canonical unit: nothing to keep.
                assert_eq!(written.component(i, "recycled/post_consumer"), None);
                let lead = format!("{i} %");
                assert_eq!(
                    written.get(&format!("/components/{i}/substances/lead")),
                    Some(lead.as_str())
                );
            }
            // One `mass` and one `substances/lead` for all components.
            let first = written.components.first().unwrap();
            for fields in &written.components {
                assert_eq!(fields.len(), 2);
                for ((a, _), (b, _)) in first.iter().zip(fields) {
                    assert!(Arc::ptr_eq(a, b), "{a} is made once per component");
                }
            }
        }
    }

    /// Past the first few fields, the others are kept by map, and named once
    /// too.
    #[test]
    fn many_component_fields_as_written_are_named_once() {
        use crate::load::{Format, Source, load_submission};
        let mut text = String::from(
            "schema: recert.submission/v1\nid: S\ndate: 2026-11-20\napplicant: {name: A, country: CN}\nproduct: {name: p, sector: electrical-electronic, category: air-purifier, markets: [EU], mass: 1 kg}\ncomponents:\n",
        );
        let names = 2 * FEW_FIELDS;
        for i in 0..3 {
            let substances: Vec<String> =
                (0..names).map(|n| format!("s{n}: {i}.{n} ppb")).collect();
            text.push_str(&format!(
                "  - {{id: C{i}, material: {{class: plastic}}, mass: {i}0 g, substances: {{{}}}}}\n",
                substances.join(", ")
            ));
        }
        let source = Source::from_text("s.yaml", &text, Format::Yaml);
        let written = load_submission(&source).unwrap().written;
        for i in 0..3 {
            assert_eq!(
                written.component(i, "mass"),
                Some(format!("{i}0 g").as_str())
            );
            for n in 0..names {
                assert_eq!(
                    written.component(i, &format!("substances/s{n}")),
                    Some(format!("{i}.{n} ppb").as_str())
                );
            }
        }
        let first = written.components.first().unwrap();
        for fields in &written.components {
            assert_eq!(fields.len(), names + 1);
            for ((a, _), (b, _)) in first.iter().zip(fields) {
                assert!(Arc::ptr_eq(a, b), "{a} is made once per component");
            }
        }
    }

    #[test]
    fn snake_case_names() {
        assert!(is_snake_case("lead"));
        assert!(is_snake_case("chromium_vi"));
        assert!(is_snake_case("pfas_total2"));
        assert!(!is_snake_case("Lead"));
        assert!(!is_snake_case("chromium-vi"));
        assert!(!is_snake_case("_x"));
        assert!(!is_snake_case(""));
    }
}
