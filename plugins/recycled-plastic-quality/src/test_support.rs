//! Submissions and helpers shared by the unit tests.

use recert_plugin_sdk::{Finding, Lang, testing};
use serde_json::{Value, json};

use crate::RecycledPlasticQuality;

/// A normalized monitor whose ABS rear housing has 30 % post-consumer
/// recyclate from WEEE under a UL 2809 certificate valid until 2027-05-31,
/// with every recyclate property declared, and one evidence document.
pub fn abs_housing() -> Value {
    json!({
        "schema": "recert.submission/v1",
        "id": "T-ABS",
        "applicant": {"name": "T", "country": "CN"},
        "product": {"name": "Monitor", "sector": "electrical-electronic", "markets": ["EU", "CN"]},
        "components": [
            {"id": "HSG", "name": "rear housing", "part": "housing",
             "material": {"class": "plastic", "polymer": "ABS"}, "mass": 1.35,
             "recycled": {"post_consumer": 30.0, "source": "weee",
                          "certificate": {"scheme": "UL2809", "number": "ECVP-1", "valid_until": "2027-05-31"}},
             "properties": {"melt_flow_rate": 18.0, "density": 1.18, "ash": 1.2, "moisture": 0.1}},
            {"id": "STD", "name": "stand", "material": {"class": "steel"}, "mass": 0.6},
        ],
        "evidence": [{"id": "E1", "kind": "certificate", "title": "UL 2809 ECVP-1"}]
    })
}

/// `v` with the value at JSON Pointer `at` set to `to` (parents created).
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
    testing::evaluate::<RecycledPlasticQuality>(rule, sub, config, date, lang).unwrap()
}

/// Runs `rule` and expects `Err`.
pub fn run_err(rule: &str, sub: Value, config: Value, date: &str) -> String {
    testing::evaluate::<RecycledPlasticQuality>(rule, sub, config, date, Lang::En).unwrap_err()
}
