//! Replays `rules/eu-batteries.test.yaml` natively for the rules this plugin
//! implements, and checks that the pack and the plugin agree on rule ids and
//! on every param default. The engine's own pack test runner is the full
//! test; this one keeps the plugin and the pack from drifting apart without
//! building the engine.
//!
//! What the engine does before calling a plugin is emulated for what this
//! pack uses: `applies_to` (checked to be the expected expression), the
//! `effective.from` date, and params overrides. Plugin rules with a `when`
//! guard (CEL) are skipped here.

mod common;

use battery_casing::{BatteryCasing, casing, metal::Metal, metal::Phase, recycled_content};
use common::{APPLIES_TO, applies, outcome_of, pack, params, plugin_rules};
use recert_plugin_sdk::{Date, Plugin};
use serde_json::{Value, json};

#[test]
fn pack_cases_agree_with_the_plugin() {
    let pack = pack();
    assert_eq!(
        pack["applies_to"], APPLIES_TO,
        "update applies() in this test"
    );
    let rules = plugin_rules(&pack);
    let defaults = params(&pack);
    let tests = common::yaml(&common::repo().join("rules/eu-batteries.test.yaml"));
    assert_eq!(tests["pack"], "eu-batteries");
    let mut checked = 0;
    for case in tests["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let file = common::repo()
            .join("rules")
            .join(case["submission"].as_str().unwrap());
        let sub = common::normalized_submission(&file);
        let at = Date::parse(case["at"].as_str().unwrap()).unwrap();
        let mut params = defaults.clone();
        if let Some(over) = case["params"].as_object() {
            for (k, v) in over {
                assert!(params.contains_key(k), "{name}: unknown param {k}");
                params.insert(k.clone(), v.clone());
            }
        }
        for (rule, expected) in case["expect"]["rules"].as_object().unwrap() {
            let Some(r) = rules.get(rule) else { continue };
            if r.when && applies(&sub) {
                continue;
            }
            let got = outcome_of(rule, r, &sub, &params, at);
            match expected {
                Value::String(outcome) => {
                    for (path, o) in &got {
                        assert_eq!(o, outcome, "{name}: {rule} at {path:?}: {got:?}");
                    }
                }
                Value::Array(list) => {
                    for e in list {
                        let want = (
                            e["path"].as_str().unwrap().to_owned(),
                            e["outcome"].as_str().unwrap().to_owned(),
                        );
                        assert!(
                            got.contains(&want),
                            "{name}: {rule}: want {want:?}, got {got:?}"
                        );
                    }
                }
                other => panic!("{name}: {rule}: unexpected {other}"),
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 40,
        "only {checked} plugin expectations were replayed"
    );
}

#[test]
fn pack_uses_exactly_the_declared_rules() {
    let pack = pack();
    let in_pack: Vec<String> = plugin_rules(&pack).into_keys().collect();
    let mut declared: Vec<String> = BatteryCasing::describe()
        .rules
        .into_iter()
        .map(|r| r.id)
        .collect();
    declared.sort();
    assert_eq!(in_pack, declared);
    assert_eq!(pack["plugins"], json!([{"id": "battery-casing"}]));
}

#[test]
fn pack_params_equal_the_plugin_defaults() {
    let p = params(&pack());
    for phase in [Phase::One, Phase::Two] {
        for metal in Metal::ALL {
            let name = metal.param(phase);
            assert_eq!(p[&name].as_f64(), Some(metal.default_min(phase)), "{name}");
        }
    }
    assert_eq!(
        p[recycled_content::INDUSTRIAL_CAPACITY_PARAM].as_f64(),
        Some(recycled_content::INDUSTRIAL_CAPACITY_ABOVE)
    );
    assert_eq!(
        p[casing::MIN_CLASS_PARAM],
        casing::DEFAULT_MIN_CLASS.as_str()
    );
}

#[test]
fn every_text_s_rule_is_marked_secondary() {
    // Every row this pack cites (B, K, A) is TEXT-S in STANDARDS.md.
    // The category consistency checks rest on the Art. 3 definitions, which
    // have no row in the table: they may only warn, never fail a verdict.
    const NO_ROW: [&str; 2] = [
        "eu-batt-category-portable-mass",
        "eu-batt-category-lmt-mass",
    ];
    for r in pack()["rules"].as_array().unwrap() {
        assert_eq!(r["verification"], "secondary", "{}", r["id"]);
        if NO_ROW.contains(&r["id"].as_str().unwrap()) {
            assert_eq!(r["severity"], "warning", "{}", r["id"]);
        } else {
            assert!(r["reference"]["row"].is_string(), "{}", r["id"]);
        }
    }
}
