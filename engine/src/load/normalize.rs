//! Unit normalization and the checks JSON Schema cannot express.
//!
//! Which field has which dimension:
//!
//! | field | dimension |
//! | --- | --- |
//! | `product.mass`, `components[].mass` | mass (kg) |
//! | `components[].recycled.post_consumer`, `.pre_consumer` | share (%), and their sum at most 100 % |
//! | `components[].properties.ash`, `.moisture` | share (%) |
//! | `components[].properties.melt_flow_rate` | melt flow rate (g/10min) |
//! | `components[].properties.density` | density (g/cm3) |
//! | `components[].properties.tensile_strength` | strength (MPa) |
//! | `components[].properties.flammability_thickness`, `.wall_thickness` | length (mm) |
//! | `components[].substances.*` | concentration (mg/kg) |
//! | `battery.capacity` | energy (kWh) |
//! | `battery.recycled_content.*` | share (%) |
//!
//! Other entries of `properties` are lab results whose dimension the format
//! does not fix: they are kept exactly as written (a string stays a string),
//! so a rule that wants a number from one of them sees the text and fails
//! loudly rather than comparing a guess.
//!
//! Quantities are converted in place, visiting each entry once without
//! lookups; a quantity written as a string (`"0.05 %"`) leaves that string
//! in [`Written`], so reports can show the value as written without a copy
//! of the whole document. The walk tolerates any shape, because it also runs
//! on documents the schema rejected, so that one pass reports every error.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use super::Issue;
use super::locate::pointer_escape;
use super::parse::Shape;
use super::schema_errors::show;
use super::units::{self, Dimension};
use super::uscc;

/// Where in the document a node is, as far as normalization cares.
#[derive(Clone, Copy)]
enum Place {
    Root,
    Product,
    Components,
    Component(usize),
    Recycled(usize),
    Properties(usize),
    Substances(usize),
    Battery,
    RecycledContent,
}

/// What to do with one entry of a mapping.
enum Entry {
    /// Copy as is.
    Copy,
    /// Descend into it.
    Walk(Place),
    /// Convert a quantity.
    Quantity(Dimension),
}

/// The dimension of a lab result with a fixed one.
fn property_dimension(name: &str) -> Option<Dimension> {
    Some(match name {
        "melt_flow_rate" => Dimension::MeltFlowRate,
        "ash" | "moisture" => Dimension::Share,
        "density" => Dimension::Density,
        "tensile_strength" => Dimension::Strength,
        "flammability_thickness" | "wall_thickness" => Dimension::Length,
        _ => return None,
    })
}

fn entry(place: Place, key: &str) -> Entry {
    match (place, key) {
        (Place::Root, "product") => Entry::Walk(Place::Product),
        (Place::Root, "components") => Entry::Walk(Place::Components),
        (Place::Root, "battery") => Entry::Walk(Place::Battery),
        (Place::Product | Place::Component(_), "mass") => Entry::Quantity(Dimension::Mass),
        (Place::Component(i), "recycled") => Entry::Walk(Place::Recycled(i)),
        (Place::Component(i), "properties") => Entry::Walk(Place::Properties(i)),
        (Place::Component(i), "substances") => Entry::Walk(Place::Substances(i)),
        (Place::Recycled(_), "post_consumer" | "pre_consumer") => Entry::Quantity(Dimension::Share),
        (Place::Properties(_), name) => {
            property_dimension(name).map_or(Entry::Copy, Entry::Quantity)
        }
        (Place::Substances(_), _) => Entry::Quantity(Dimension::Concentration),
        (Place::Battery, "capacity") => Entry::Quantity(Dimension::Energy),
        (Place::Battery, "recycled_content") => Entry::Walk(Place::RecycledContent),
        (Place::RecycledContent, _) => Entry::Quantity(Dimension::Share),
        _ => Entry::Copy,
    }
}

/// The JSON pointer of `key` inside `place`.
fn pointer(place: Place, key: &str) -> String {
    let key = pointer_escape(key);
    match place {
        Place::Root => format!("/{key}"),
        Place::Product => format!("/product/{key}"),
        Place::Components => format!("/components/{key}"),
        Place::Component(i) => format!("/components/{i}/{key}"),
        Place::Recycled(i) => format!("/components/{i}/recycled/{key}"),
        Place::Properties(i) => format!("/components/{i}/properties/{key}"),
        Place::Substances(i) => format!("/components/{i}/substances/{key}"),
        Place::Battery => format!("/battery/{key}"),
        Place::RecycledContent => format!("/battery/recycled_content/{key}"),
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
    components: Vec<Vec<(String, String)>>,
    /// Everything else, by pointer.
    other: Vec<(String, String)>,
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

    /// The string written at `field` (e.g. `substances/lead`) of component `index`.
    pub fn component(&self, index: usize, field: &str) -> Option<&str> {
        self.components
            .get(index)?
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, w)| w.as_str())
    }

    fn push(&mut self, place: Place, key: &str, written: String) {
        let (index, field) = match place {
            Place::Component(i) => (i, pointer_escape(key).into_owned()),
            Place::Recycled(i) => (i, format!("recycled/{}", pointer_escape(key))),
            Place::Properties(i) => (i, format!("properties/{}", pointer_escape(key))),
            Place::Substances(i) => (i, format!("substances/{}", pointer_escape(key))),
            // `pointer` escapes the key itself.
            _ => {
                self.other.push((pointer(place, key), written));
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
    /// The shape of a submission's top level.
    pub(crate) fn submission(found: &'a Found) -> Self {
        Normalizing {
            role: Role::Walk(Place::Root),
            found,
        }
    }

    fn with(self, role: Role) -> Self {
        Normalizing { role, ..self }
    }
}

impl Shape for Normalizing<'_> {
    fn entry(self, key: &str) -> Self {
        // `walk` visits the entries of a mapping at any place but `Components`.
        let Role::Walk(place) = self.role else {
            return self.with(Role::Plain);
        };
        if matches!(place, Place::Substances(_) | Place::RecycledContent) && !is_snake_case(key) {
            self.found.unclean();
        }
        self.with(match entry(place, key) {
            Entry::Copy => Role::Plain,
            Entry::Walk(inner) => Role::Walk(inner),
            Entry::Quantity(dimension) => Role::Quantity(dimension, place),
        })
    }

    fn item(self, index: usize) -> Self {
        self.with(match self.role {
            Role::Walk(Place::Components) => Role::Walk(Place::Component(index)),
            _ => Role::Plain,
        })
    }

    fn string(self, key: Option<&str>, text: &str) -> Option<Value> {
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
            self.found
                .written
                .borrow_mut()
                .push(place, key.unwrap_or_default(), text.to_owned());
        }
        Some(Value::Number(n))
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

    fn mapping(self, map: &Map<String, Value>) {
        match self.role {
            Role::Quantity(..) => self.found.unclean(),
            Role::Walk(Place::Recycled(_)) if recycled_sum_over_100(map).is_some() => {
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
/// unit; an issue for each quantity that is not valid (left as written).
pub(crate) fn normalize(doc: &mut Value, issues: &mut Vec<Issue>) -> Written {
    let mut written = Written::default();
    walk(doc, Place::Root, issues, &mut written);
    written
}

fn walk(value: &mut Value, place: Place, issues: &mut Vec<Issue>, written: &mut Written) {
    match (value, place) {
        (Value::Array(items), Place::Components) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, Place::Component(i), issues, written);
            }
        }
        (Value::Object(map), _) if !matches!(place, Place::Components) => {
            walk_map(map, place, issues, written);
        }
        _ => {}
    }
}

fn walk_map(
    map: &mut Map<String, Value>,
    place: Place,
    issues: &mut Vec<Issue>,
    written: &mut Written,
) {
    let names_are_open = matches!(place, Place::Substances(_) | Place::RecycledContent);
    for (key, value) in map.iter_mut() {
        if names_are_open && !is_snake_case(key) {
            let mut issue = Issue::new(
                "schema",
                pointer(place, key),
                format!("the name `{key}` is not allowed here"),
            );
            issue.help =
                Some("names here are lower-case snake_case, e.g. `lead`, `chromium_vi`".to_owned());
            issues.push(issue);
        }
        match entry(place, key) {
            Entry::Copy => {}
            Entry::Walk(inner) => walk(value, inner, issues, written),
            Entry::Quantity(dimension) => {
                if let Some(text) = convert(value, dimension, issues, || pointer(place, key)) {
                    written.push(place, key, text);
                }
            }
        }
    }
    if let Place::Recycled(i) = place {
        check_recycled_sum(i, map, issues);
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
    let share = |key: &str| recycled.get(key).and_then(Value::as_f64);
    // Only when both converted (a failed one is still a string).
    let (post, pre) = (share("post_consumer")?, share("pre_consumer")?);
    (post + pre > 100.0 + 1e-9).then_some((post, pre))
}

fn check_recycled_sum(i: usize, recycled: &Map<String, Value>, issues: &mut Vec<Issue>) {
    if let Some((post, pre)) = recycled_sum_over_100(recycled) {
        let mut issue = Issue::new(
            "out-of-range",
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
pub(crate) fn check_identities(doc: &Value, issues: &mut Vec<Issue>) {
    if let Some(components) = doc.get("components").and_then(Value::as_array) {
        let ids: Vec<Option<&str>> = components
            .iter()
            .map(|c| c.get("id").and_then(Value::as_str))
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
                    "duplicate-id",
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
            Some(code) => uscc::check(code).err(),
            None => Some(format!(
                "a Unified Social Credit Code is a string of 18 characters, found {}",
                show(code)
            )),
        };
        if let Some(message) = problem {
            let mut issue = Issue::new(
                "invalid-credit-code",
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
