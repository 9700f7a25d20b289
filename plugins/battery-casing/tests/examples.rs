//! The battery examples in `examples/` give the outcomes their comments
//! promise, for the rules this plugin implements (run as the pack runs them).

mod common;

use common::{outcome_of, pack, params, plugin_rules};
use recert_plugin_sdk::Date;

/// (example, date, rule, outcome every finding of the rule must have)
const EXPECT: &[(&str, &str, &str, &str)] = &[
    (
        "battery-ev-pass.yaml",
        "2032-01-01",
        "eu-batt-rc-cobalt",
        "pass",
    ),
    (
        "battery-ev-pass.yaml",
        "2032-01-01",
        "eu-batt-rc-lithium",
        "pass",
    ),
    (
        "battery-ev-pass.yaml",
        "2032-01-01",
        "eu-batt-rc-nickel",
        "pass",
    ),
    (
        "battery-ev-pass.yaml",
        "2032-01-01",
        "eu-batt-rc-lead",
        "not-applicable",
    ),
    (
        "battery-ev-pass.yaml",
        "2032-01-01",
        "eu-batt-casing-flammability",
        "pass",
    ),
    (
        "battery-ev-pass.yaml",
        "2032-01-01",
        "cn-lead-acid-recycled-lead",
        "not-applicable",
    ),
    (
        "battery-ev-pass.yaml",
        "2036-08-18",
        "eu-batt-rc-cobalt",
        "fail",
    ),
    (
        "battery-ev-cobalt-fail.yaml",
        "2032-01-01",
        "eu-batt-rc-cobalt",
        "fail",
    ),
    (
        "battery-ev-cobalt-fail.yaml",
        "2032-01-01",
        "eu-batt-rc-lithium",
        "pass",
    ),
    (
        "battery-ev-cobalt-fail.yaml",
        "2030-01-01",
        "eu-batt-rc-cobalt",
        "not-in-force",
    ),
    (
        "battery-ev-cobalt-fail.yaml",
        "2030-01-01",
        "eu-batt-casing-flammability",
        "pass",
    ),
    (
        "battery-lead-acid-sli.yaml",
        "2032-01-01",
        "eu-batt-rc-lead",
        "pass",
    ),
    (
        "battery-lead-acid-sli.yaml",
        "2032-01-01",
        "eu-batt-rc-cobalt",
        "not-applicable",
    ),
    (
        "battery-lead-acid-sli.yaml",
        "2032-01-01",
        "cn-lead-acid-recycled-lead",
        "pass",
    ),
    (
        "battery-lead-acid-sli.yaml",
        "2032-01-01",
        "eu-batt-casing-flammability",
        "not-applicable",
    ),
    (
        "battery-casing-hb.yaml",
        "2032-01-01",
        "eu-batt-casing-flammability",
        "fail",
    ),
    (
        "battery-casing-hb.yaml",
        "2032-01-01",
        "eu-batt-rc-cobalt",
        "pass",
    ),
];

#[test]
fn examples_give_the_promised_outcomes() {
    let pack = pack();
    let rules = plugin_rules(&pack);
    let params = params(&pack);
    for (file, at, rule, want) in EXPECT {
        let sub = common::normalized_submission(&common::repo().join("examples").join(file));
        let r = &rules[*rule];
        let got = outcome_of(rule, r, &sub, &params, Date::parse(at).unwrap());
        assert!(
            got.iter().all(|(_, o)| o == want),
            "{file} at {at}: {rule}: want {want}, got {got:?}"
        );
    }
}

#[test]
fn examples_start_with_the_schema_line() {
    for file in [
        "battery-ev-pass.yaml",
        "battery-ev-cobalt-fail.yaml",
        "battery-lead-acid-sli.yaml",
        "battery-casing-hb.yaml",
    ] {
        let text = std::fs::read_to_string(common::repo().join("examples").join(file)).unwrap();
        assert_eq!(
            text.lines().next(),
            Some("# yaml-language-server: $schema=../schemas/submission.schema.json"),
            "{file}"
        );
        let sub = common::yaml(&common::repo().join("examples").join(file));
        assert_eq!(sub["schema"], "recert.submission/v1", "{file}");
    }
}
