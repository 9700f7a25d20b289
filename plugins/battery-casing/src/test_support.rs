//! Submissions and helpers shared by the unit tests.

use recert_plugin_sdk::{Finding, Lang, testing};
use serde_json::{Value, json};

use crate::BatteryCasing;

/// A normalized NMC EV battery: cells (no recycled claim), a PC/ABS casing
/// (25 % post-, 5 % pre-consumer; no properties), an aluminium tray.
pub fn ev_nmc(cobalt: f64, lithium: f64, nickel: f64) -> Value {
    json!({
        "schema": "recert.submission/v1",
        "id": "T-EV",
        "applicant": {"name": "T", "country": "CN"},
        "product": {"name": "EV pack", "sector": "battery", "category": "ev-battery", "markets": ["EU"]},
        "components": [
            {"id": "C1", "name": "cells", "part": "cell", "material": {"class": "other"}, "mass": 300.0},
            {"id": "C2", "name": "upper casing", "part": "casing",
             "material": {"class": "plastic", "polymer": "PC/ABS"}, "mass": 12.0,
             "recycled": {"post_consumer": 25.0, "pre_consumer": 5.0}},
        ],
        "battery": {"category": "ev", "chemistry": "li-ion-nmc", "capacity": 75.0,
                    "recycled_content": {"cobalt": cobalt, "lithium": lithium, "nickel": nickel}}
    })
}

/// A normalized lead-acid SLI battery with `lead` % recycled lead.
pub fn lead_acid_sli(lead: f64) -> Value {
    json!({
        "schema": "recert.submission/v1",
        "id": "T-SLI",
        "applicant": {"name": "T", "country": "CN"},
        "product": {"name": "Starter battery", "sector": "battery", "markets": ["EU", "CN"]},
        "components": [
            {"id": "C1", "name": "plates", "material": {"class": "lead"}, "mass": 10.0},
            {"id": "C2", "name": "case", "part": "casing", "material": {"class": "plastic", "polymer": "PP"},
             "mass": 1.5, "properties": {"flammability": "HB"}},
        ],
        "battery": {"category": "sli", "chemistry": "lead-acid", "capacity": 0.72,
                    "recycled_content": {"lead": lead}}
    })
}

/// `v` with the value at JSON Pointer `at` set to `to` (parents created;
/// an index one past the end of an array appends).
pub fn with(mut v: Value, at: &str, to: Value) -> Value {
    let mut cur = &mut v;
    let parts: Vec<&str> = at.split('/').skip(1).collect();
    for (i, key) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        cur = match cur {
            Value::Array(a) => {
                let idx: usize = key.parse().unwrap();
                if idx == a.len() {
                    a.push(json!({}));
                }
                &mut a[idx]
            }
            Value::Object(o) => o.entry(key.to_string()).or_insert(json!({})),
            other => panic!("cannot descend into {other} at {at}"),
        };
        if last {
            *cur = to;
            break;
        }
    }
    v
}

/// `v` without the value at JSON Pointer `at`.
pub fn without(mut v: Value, at: &str) -> Value {
    let (parent, key) = at.rsplit_once('/').unwrap();
    if let Some(Value::Object(o)) = v.pointer_mut(parent) {
        o.remove(key);
    }
    v
}

/// Runs `rule` through the SDK's dispatch (the host's checks) and unwraps.
pub fn run(rule: &str, sub: Value, config: Value, date: &str, lang: Lang) -> Vec<Finding> {
    testing::evaluate::<BatteryCasing>(rule, sub, config, date, lang).unwrap()
}

/// Runs `rule` and expects `Err`.
pub fn run_err(rule: &str, sub: Value, config: Value, date: &str) -> String {
    testing::evaluate::<BatteryCasing>(rule, sub, config, date, Lang::En).unwrap_err()
}
