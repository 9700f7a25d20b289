//! Shared by the integration tests: reading the repository's YAML files and a
//! test-only stand-in for recert's unit normalization.

// Test helpers: a failed read or a malformed file should stop the test.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use battery_casing::BatteryCasing;
use recert_plugin_sdk::{Date, Finding, Lang, testing};
use serde_json::{Map, Value};

/// The repository root (this crate is `plugins/battery-casing`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads a YAML file of the repository as JSON.
pub fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads a submission and converts `"<number> <unit>"` quantities to their
/// canonical units, as recert does before a plugin sees them. Only the units
/// the fixtures and examples use are known here; anything else is left as
/// written (names like "12 V 60 Ah starter battery" included).
pub fn normalized_submission(path: &Path) -> Value {
    let mut v = yaml(path);
    normalize(&mut v, false);
    v
}

fn normalize(v: &mut Value, in_substances: bool) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                normalize(child, in_substances || k == "substances");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| normalize(c, in_substances)),
        Value::String(s) => {
            if let Some(n) = quantity(s, in_substances) {
                *v = serde_json::json!(n);
            }
        }
        _ => {}
    }
}

fn quantity(text: &str, in_substances: bool) -> Option<f64> {
    let (num, unit) = text.trim().split_once(' ')?;
    let n: f64 = num.parse().ok()?;
    let factor = match unit.trim() {
        // Concentrations: 1 % = 10 000 mg/kg; shares: % as is.
        "%" if in_substances => 10_000.0,
        "%" | "mg/kg" | "ppm" | "kg" | "kWh" | "mm" | "g/cm3" => 1.0,
        "g" => 1e-3,
        "mg" => 1e-6,
        "t" => 1e3,
        "Wh" => 1e-3,
        "MWh" => 1e3,
        "cm" => 10.0,
        _ => return None,
    };
    Some(n * factor)
}

/// The pack's `applies_to`, emulated by [`applies`].
pub const APPLIES_TO: &str = "product.sector == 'battery' && 'EU' in product.markets";

/// A plugin rule of the pack.
pub struct PluginRule {
    /// `effective.from`.
    pub from: Option<Date>,
    /// Whether it has a `when` guard.
    pub when: bool,
    /// Its `config`.
    pub config: Map<String, Value>,
}

/// `rules/eu-batteries.yaml` as JSON.
pub fn pack() -> Value {
    yaml(&repo().join("rules/eu-batteries.yaml"))
}

/// The pack's rules that delegate to `battery-casing`, by id.
pub fn plugin_rules(pack: &Value) -> BTreeMap<String, PluginRule> {
    pack["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["plugin"] == "battery-casing")
        .map(|r| {
            let from = r["effective"]["from"]
                .as_str()
                .map(|d| Date::parse(d).unwrap());
            let config = r["config"].as_object().cloned().unwrap_or_default();
            let id = r["id"].as_str().unwrap().to_owned();
            (
                id,
                PluginRule {
                    from,
                    when: r.get("when").is_some(),
                    config,
                },
            )
        })
        .collect()
}

/// The pack's params: name -> default value.
pub fn params(pack: &Value) -> Map<String, Value> {
    pack["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["value"].clone()))
        .collect()
}

/// [`APPLIES_TO`] over a normalized submission.
pub fn applies(sub: &Value) -> bool {
    sub["product"]["sector"] == "battery"
        && sub["product"]["markets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "EU")
}

/// Runs recert's order for a plugin rule: pack scope, `effective`, then the
/// plugin (config plus params); returns (path, outcome) per finding.
pub fn outcome_of(
    rule: &str,
    r: &PluginRule,
    sub: &Value,
    params: &Map<String, Value>,
    at: Date,
) -> Vec<(String, String)> {
    if !applies(sub) {
        return vec![(String::new(), "not-applicable".into())];
    }
    if r.from.is_some_and(|f| at < f) {
        return vec![(String::new(), "not-in-force".into())];
    }
    let mut config = r.config.clone();
    config.insert("params".into(), Value::Object(params.clone()));
    let findings: Vec<Finding> = testing::evaluate::<BatteryCasing>(
        rule,
        sub.clone(),
        Value::Object(config),
        &at.to_string(),
        Lang::En,
    )
    .unwrap_or_else(|e| panic!("{rule}: {e}"));
    assert!(!findings.is_empty(), "{rule}: no findings");
    findings
        .into_iter()
        .map(|f| (f.path, f.outcome.as_str().to_owned()))
        .collect()
}

#[test]
fn normalizes_the_units_used() {
    assert_eq!(quantity("25 %", false), Some(25.0));
    assert_eq!(quantity("0.1 %", true), Some(1000.0));
    assert_eq!(quantity("20 g", false), Some(0.02));
    assert_eq!(quantity("2.4 Wh", false), Some(0.0024));
    assert_eq!(quantity("12 V 60 Ah starter battery", false), None);
    assert_eq!(quantity("V-0", false), None);
}
