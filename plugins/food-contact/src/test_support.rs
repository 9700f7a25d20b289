//! Submissions and helpers shared by the unit tests.

use recert_plugin_sdk::{Finding, Lang, Outcome, testing};
use serde_json::{Value, json};

use crate::FoodContact;

/// A normalized food-contact rPET bottle for the EU, US and CN: body 50 %
/// post-consumer mechanically recycled PET from a process registered under
/// 2022/1616, virgin PP cap.
pub fn rpet_bottle() -> Value {
    json!({
        "schema": "recert.submission/v1",
        "id": "T-FCM",
        "applicant": {"name": "T", "country": "CN"},
        "product": {"name": "Water bottle", "sector": "packaging", "markets": ["EU", "US", "CN"],
                    "food_contact": true},
        "components": [
            {"id": "C1", "name": "bottle body", "part": "bottle-body",
             "material": {"class": "plastic", "polymer": "PET"}, "mass": 0.02,
             "recycled": {"post_consumer": 50.0, "source": "packaging", "technology": "mechanical",
                          "process": {"name": "rPET line 1",
                                      "authorisation": {"scheme": "EU-2022/1616", "number": "RECYC-EU-0001"}}}},
            {"id": "C2", "name": "cap", "part": "cap",
             "material": {"class": "plastic", "polymer": "PP"}, "mass": 0.002},
        ]
    })
}

/// `v` with the value at JSON Pointer `at` set to `to` (objects created).
pub fn with(mut v: Value, at: &str, to: Value) -> Value {
    let mut cur = &mut v;
    for key in at.split('/').skip(1) {
        cur = match cur {
            Value::Array(a) => &mut a[key.parse::<usize>().unwrap()],
            Value::Object(o) => o.entry(key.to_string()).or_insert(json!({})),
            other => panic!("cannot descend into {other} at {at}"),
        };
    }
    *cur = to;
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
    testing::evaluate::<FoodContact>(rule, sub, config, date, lang).unwrap()
}

/// Runs `rule` and expects `Err`.
pub fn run_err(rule: &str, sub: Value, config: Value, date: &str) -> String {
    testing::evaluate::<FoodContact>(rule, sub, config, date, Lang::En).unwrap_err()
}

/// The outcomes of `rule` over `sub` in English on 2026-01-01, with paths.
pub fn outcomes(rule: &str, sub: Value) -> Vec<(String, Outcome)> {
    run(rule, sub, json!({}), "2026-01-01", Lang::En)
        .into_iter()
        .map(|f| (f.path, f.outcome))
        .collect()
}

/// One `(path, outcome)`.
pub fn one(path: &str, outcome: Outcome) -> Vec<(String, Outcome)> {
    vec![(path.to_owned(), outcome)]
}
