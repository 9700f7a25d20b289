//! Properties of loading and evaluating any submission, valid or not:
//! random valid submissions and random mutations of them (values, units,
//! names, structure) never panic, give a verdict whose exit code is 0-4,
//! never report a value that is not a finite number, and the two ways of
//! loading a submission (from text, as `recert check` and `recert validate`
//! do, and from a value, as pack tests do) agree on whether it is valid.
//!
//! Runs in-process through the library. The default case count keeps the
//! run to a few seconds; for a longer run set `RECERT_PROPTEST_CASES`, e.g.
//! `RECERT_PROPTEST_CASES=5000 cargo test -p recert-engine --test properties`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use proptest::prelude::*;
use recert_engine::Lang;
use recert_engine::eval::{self, Options};
use recert_engine::load::{self, Format, Source};
use recert_engine::pack::{self, PackSet};
use recert_engine::report::{Report, Verdict};
use serde_json::{Value, json};

/// The bundled packs, compiled once.
fn packs() -> &'static PackSet {
    static PACKS: OnceLock<PackSet> = OnceLock::new();
    PACKS.get_or_init(|| pack::compile(&pack::bundled_sources(), None).unwrap())
}

fn cases() -> u32 {
    std::env::var("RECERT_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

/// The exit code `recert check` gives for `verdict`.
fn exit_code(verdict: Verdict) -> i32 {
    match verdict {
        Verdict::Pass => 0,
        Verdict::Fail => 1,
        Verdict::Incomplete => 3,
        Verdict::NotCovered => 4,
    }
}

const SECTORS: &[&str] = &["packaging", "electrical-electronic", "battery", "textile"];
const CLASSES: &[&str] = &["plastic", "paper", "metal", "glass", "textile", "other"];
const SUBSTANCES: &[&str] = &[
    "lead",
    "mercury",
    "cadmium",
    "chromium_vi",
    "pbb",
    "pbde",
    "dehp",
    "total_fluorine",
    "cobalt",
    "nickel",
    "lithium",
];
const UNITS: &[&str] = &[
    "kg", "g", "mg", "t", "mg/kg", "ppm", "%", "wt%", "µg/g", "kgs", "", "lb", "m", "°C",
];

/// A submission that follows the schema (or nearly: the generator does not
/// know every cross-field rule, and need not).
fn submission() -> impl Strategy<Value = Value> {
    let component = (
        prop::sample::select(CLASSES),
        1u32..5000,
        0u32..=100,
        prop::collection::btree_map(prop::sample::select(SUBSTANCES), 0u32..2000, 0..4),
    );
    (
        prop::sample::select(SECTORS),
        prop::collection::vec(component, 1..6),
        any::<bool>(),
    )
        .prop_map(|(sector, components, food_contact)| {
            let components: Vec<Value> = components
                .into_iter()
                .enumerate()
                .map(|(i, (class, grams, share, substances))| {
                    let substances: serde_json::Map<String, Value> = substances
                        .into_iter()
                        .map(|(name, v)| (name.to_owned(), json!(format!("{v} mg/kg"))))
                        .collect();
                    json!({
                        "id": format!("C{i}"),
                        "name": format!("part {i}"),
                        "material": { "class": class },
                        "mass": format!("{grams} g"),
                        "recycled": { "post_consumer": format!("{share} %") },
                        "substances": substances,
                    })
                })
                .collect();
            json!({
                "schema": "recert.submission/v1",
                "id": "P-1",
                "applicant": { "name": "Acme" },
                "product": {
                    "name": "Thing",
                    "sector": sector,
                    "markets": ["EU", "CN"],
                    "food_contact": food_contact,
                },
                "components": components,
            })
        })
}

/// One change to a submission, at the node that `at` picks.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the value with another.
    Value(Value),
    /// Give a quantity another unit (or number).
    Unit(String, f64),
    /// Rename the key of the value.
    Name(String),
    /// Remove it.
    Remove,
    /// Wrap it in a list.
    Wrap,
}

fn mutation() -> impl Strategy<Value = (usize, Mutation)> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop::num::f64::NORMAL.prop_map(|n| json!(n)),
        Just(json!(0)),
        Just(json!(-1)),
        "[a-z_ %/.0-9-]{0,12}".prop_map(Value::String),
        Just(json!({})),
        Just(json!([])),
    ];
    let kind = prop_oneof![
        leaf.prop_map(Mutation::Value),
        (
            prop::sample::select(UNITS),
            prop_oneof![
                Just(0.0),
                Just(-5.0),
                Just(1e300),
                Just(1e-300),
                -1000.0..1000.0f64
            ]
        )
            .prop_map(|(u, n)| Mutation::Unit(u.to_owned(), n)),
        "[a-z_]{1,14}|[A-Z][a-z]{0,5}|".prop_map(Mutation::Name),
        Just(Mutation::Remove),
        Just(Mutation::Wrap),
    ];
    (any::<usize>(), kind)
}

/// Every node's JSON pointer, the root excepted.
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{at}/{}", load::pointer_escape(k));
                out.push(p.clone());
                pointers(v, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, &p, out);
            }
        }
        _ => {}
    }
}

fn apply(doc: &mut Value, (at, change): &(usize, Mutation)) {
    let mut all = Vec::new();
    pointers(doc, "", &mut all);
    let Some(pointer) = all.get(at % all.len().max(1)).cloned() else {
        return;
    };
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let key = last.replace("~1", "/").replace("~0", "~");
    let Some(parent) = doc.pointer_mut(parent) else {
        return;
    };
    match (change, parent) {
        (Mutation::Value(v), parent) => {
            if let Some(slot) = slot(parent, &key) {
                *slot = v.clone();
            }
        }
        (Mutation::Unit(unit, n), parent) => {
            if let Some(slot) = slot(parent, &key) {
                *slot = json!(format!("{n} {unit}"));
            }
        }
        (Mutation::Name(name), Value::Object(map)) => {
            if let Some(v) = map.remove(&key) {
                map.insert(name.clone(), v);
            }
        }
        (Mutation::Remove, Value::Object(map)) => {
            map.remove(&key);
        }
        (Mutation::Remove, Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        (Mutation::Wrap, parent) => {
            if let Some(slot) = slot(parent, &key) {
                *slot = json!([slot.take()]);
            }
        }
        _ => {}
    }
}

fn slot<'a>(parent: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    match parent {
        Value::Object(map) => map.get_mut(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    }
}

/// Loads `doc` both ways, evaluates it when valid, and checks the properties.
fn check(doc: &Value, format: Format) -> Result<(), TestCaseError> {
    let text = match format {
        Format::Json => serde_json::to_string_pretty(doc).unwrap(),
        // JSON is YAML (a flow mapping), read by the YAML parser.
        Format::Yaml => serde_json::to_string(doc).unwrap(),
    };
    let name = match format {
        Format::Json => "p.json",
        Format::Yaml => "p.yaml",
    };
    let from_text = load::load_submission(&Source::from_text(name, text, format));
    let from_value = load::submission_from_value(name, doc.clone());
    prop_assert_eq!(
        from_text.is_ok(),
        from_value.is_ok(),
        "from text: {:?}\nfrom value: {:?}",
        from_text.as_ref().err().map(ToString::to_string),
        from_value.as_ref().err().map(ToString::to_string)
    );
    if let Err(diagnostics) = &from_text {
        prop_assert!(!diagnostics.0.is_empty());
        for d in &diagnostics.0 {
            prop_assert!(!d.message.contains("Option<"), "{}", d.message);
        }
        return Ok(());
    }
    let submission = from_text.unwrap();
    prop_assert_eq!(&submission.normalized, &from_value.unwrap().normalized);
    let options = Options {
        date: jiff::civil::date(2031, 6, 1),
        lang: Lang::En,
        plugins: None,
    };
    let report: Report = eval::evaluate(packs(), &submission, &options);
    prop_assert!((0..=4).contains(&exit_code(report.verdict)));
    let json: Value = serde_json::from_str(&recert_engine::report::json::render(&report)).unwrap();
    for finding in json["findings"].as_array().unwrap() {
        if let Some(actual) = finding.get("actual") {
            let value = &actual["value"];
            prop_assert!(
                !value.is_null() && value.as_f64().is_none_or(f64::is_finite),
                "{} at {}: actual {}",
                finding["rule"],
                finding["path"],
                actual
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn valid_submissions_load_and_evaluate(doc in submission()) {
        check(&doc, Format::Json)?;
        check(&doc, Format::Yaml)?;
    }

    #[test]
    fn mutated_submissions_are_refused_or_evaluated(
        doc in submission(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut doc = doc;
        for m in &mutations {
            apply(&mut doc, m);
        }
        check(&doc, Format::Json)?;
    }
}
