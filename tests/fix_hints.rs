//! What a failing or unevaluated finding says would make it pass (`fix`),
//! in English and Chinese: a share, a substance, missing data and a plugin
//! finding; and a missing value named by component and file line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{recert, repo};
use serde_json::Value;

/// The report of `example` as JSON.
fn report(example: &str, at: &str, lang: &str) -> Value {
    let path = format!("examples/{example}");
    let run = recert(&[
        "check", &path, "--at", at, "--format", "json", "--lang", lang,
    ]);
    assert!(run.stderr.is_empty(), "{example}: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// `rule path: fix` for every finding of `rules` that has a fix, in both languages.
fn fixes(example: &str, at: &str, rules: &[&str]) -> String {
    let mut out = String::new();
    for lang in ["en", "zh"] {
        let report = report(example, at, lang);
        for f in report["findings"].as_array().unwrap() {
            let rule = f["rule"].as_str().unwrap();
            if !rules.contains(&rule) {
                continue;
            }
            let Some(fix) = f["fix"].as_str() else {
                continue;
            };
            out.push_str(&format!(
                "[{lang}] {rule} {}\n  found: {}\n  fix: {fix}\n",
                f["path"].as_str().unwrap(),
                f.get("actual").map_or("-".to_owned(), |a| a.to_string()),
            ));
        }
    }
    assert!(!out.is_empty(), "{example}: no fix for {rules:?}");
    out
}

#[test]
fn a_share_says_how_much_recycled_mass_is_missing_and_where_it_could_come_from() {
    insta::assert_snapshot!(fixes(
        "packaging-shrink-film-fail.yaml",
        "2041-01-01",
        &["ppwr-rc-2040-other"]
    ));
}

#[test]
fn a_substance_says_the_limit_and_the_component() {
    insta::assert_snapshot!(fixes(
        "eee-wt-percent.yaml",
        "2026-11-20",
        &["rohs-cadmium"]
    ));
}

#[test]
fn missing_data_says_what_to_measure_for_which_component_and_where() {
    insta::assert_snapshot!(fixes(
        "eee-missing-data.yaml",
        "2026-11-20",
        &["rohs-cadmium", "rohs-dehp"]
    ));
}

#[test]
fn plugin_findings_carry_units_and_their_fix() {
    insta::assert_snapshot!(fixes(
        "battery-ev-cobalt-fail.yaml",
        "2032-01-01",
        &["eu-batt-rc-cobalt"]
    ));
    insta::assert_snapshot!(
        "plugin_casing",
        fixes(
            "battery-casing-hb.yaml",
            "2032-01-01",
            &["eu-batt-casing-flammability"]
        )
    );
}

#[test]
fn a_missing_value_names_the_component_by_id_and_name_and_the_yaml_line() {
    let report = report("eee-missing-data.yaml", "2026-11-20", "en");
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "rohs-cadmium" && f["outcome"] == "error")
        .unwrap();
    assert_eq!(finding["path"], "/components/2/substances/cadmium");
    let fix = finding["fix"].as_str().unwrap();
    assert!(fix.contains("K3 (supply cord sheath)"), "{fix}");
    assert!(fix.contains("`substances.cadmium`"), "{fix}");
    // The line is that of the component's `substances:`, where the value goes.
    let text = std::fs::read_to_string(repo().join("examples/eee-missing-data.yaml")).unwrap();
    let line = text
        .lines()
        .enumerate()
        .skip_while(|(_, l)| !l.contains("id: K3"))
        .find(|(_, l)| l.trim_start().starts_with("substances:"))
        .map(|(i, _)| i + 1)
        .unwrap();
    assert!(fix.contains(&format!("(under line {line})")), "{fix}");
}

#[test]
fn a_passing_finding_has_no_fix() {
    let report = report("packaging-pet-bottle-pass.yaml", "2026-11-20", "en");
    for f in report["findings"].as_array().unwrap() {
        if f["outcome"] == "pass" || f["outcome"] == "not-applicable" {
            assert!(f.get("fix").is_none(), "{f}");
        }
    }
}
