//! Numbers a rule cannot judge: a computation that gives NaN or an infinity
//! (a mass-weighted mean over components that weigh nothing) is outcome
//! `error` with its cause, never a pass or a fail, and no finding shows a
//! number that is not finite.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use recert_engine::Lang;
use recert_engine::eval::{self, Options};
use recert_engine::load::{self, Format, Source};
use recert_engine::pack::{self, PackSet, PackSource};
use recert_engine::report::{Outcome, Report};

fn compile_bundled(name: &str, text: &str) -> PackSet {
    pack::compile(
        &[PackSource {
            name: name.to_owned(),
            text: text.to_owned(),
            dir: None,
        }],
        None,
    )
    .unwrap()
}

fn run(packs: &PackSet, submission: &str, date: &str, lang: Lang) -> Report {
    let source = Source::from_text("t.yaml", submission, Format::Yaml);
    let submission = load::load_submission(&source).unwrap();
    eval::evaluate(
        packs,
        &submission,
        &Options {
            date: date.parse().unwrap(),
            lang,
            plugins: None,
        },
    )
}

/// Every finding's `actual`, where it is a number, is a finite one, and
/// the JSON report never holds `null` for one.
fn assert_actuals_finite(report: &Report) {
    for finding in &report.findings {
        if let Some(actual) = finding.actual() {
            assert!(
                !actual.value.is_null(),
                "{}: actual is null",
                finding.rule()
            );
            if let Some(n) = actual.value.as_number() {
                assert!(n.as_f64().is_some_and(f64::is_finite), "{}", finding.rule());
            }
        }
    }
}

/// A portable battery whose components all weigh 0.
fn weightless_battery(mass: &str) -> String {
    format!(
        "schema: recert.submission/v1
id: T-0
applicant: {{ name: Acme }}
product: {{ name: Cell, sector: battery, category: portable, markets: [EU] }}
components:
  - id: C1
    name: cell
    material: {{ class: other }}
    mass: {mass}
    substances: {{ mercury: 1 mg/kg, cadmium: 1 mg/kg, lead: 1 mg/kg }}
  - id: C2
    name: wrap
    material: {{ class: plastic, polymer: PET }}
    mass: {mass}
    substances: {{ mercury: 1 mg/kg, cadmium: 1 mg/kg, lead: 1 mg/kg }}
battery: {{ category: portable, chemistry: alkaline }}
"
    )
}

#[test]
fn zero_total_mass_is_an_error_with_its_cause_not_a_verdict() {
    let packs = compile_bundled(
        "eu-batteries.yaml",
        include_str!("../../rules/eu-batteries.yaml"),
    );
    let report = run(&packs, &weightless_battery("0 kg"), "2025-01-01", Lang::En);
    for rule in [
        "eu-batt-annex1-mercury",
        "eu-batt-annex1-cadmium",
        "eu-batt-annex1-lead",
    ] {
        let finding = report.findings.iter().find(|f| f.rule() == rule).unwrap();
        assert_eq!(finding.outcome, Outcome::Error, "{rule}");
        assert!(finding.actual().is_none(), "{rule}");
        let reason = finding.reason().unwrap();
        assert!(
            reason.contains("the components' total mass is 0"),
            "{rule}: {reason}"
        );
    }
    assert_actuals_finite(&report);
    let zh = run(&packs, &weightless_battery("0 kg"), "2025-01-01", Lang::Zh);
    let finding = zh
        .findings
        .iter()
        .find(|f| f.rule() == "eu-batt-annex1-mercury")
        .unwrap();
    assert!(
        finding.reason().as_deref().unwrap().contains("总质量为 0"),
        "{:?}",
        finding.reason()
    );
    // With a mass, the same battery gets a verdict.
    let report = run(&packs, &weightless_battery("10 g"), "2025-01-01", Lang::En);
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule() == "eu-batt-annex1-mercury")
        .unwrap();
    assert_eq!(finding.outcome, Outcome::Pass);
}

/// A pack of one rule; `rule` is the rule's body after `id`.
fn one_rule(rule: &str) -> PackSet {
    compile_bundled(
        "demo.yaml",
        &format!(
            "schema: recert.pack/v1
id: demo
version: 1.0.0
title: {{ en: Demo, zh: 演示 }}
standards:
  - id: s
    title: {{ en: S, zh: S }}
rules:
  - id: demo-rule
    title: {{ en: Demo, zh: 演示 }}
    message: {{ en: Demo., zh: 演示。 }}
    severity: error
    reference: {{ standard: s, clause: '1' }}
{rule}"
        ),
    )
}

const MEAN: &str =
    "sum(components.map(c, c.substances.mercury * c.mass)) / sum(components.map(c, c.mass))";

#[test]
fn nan_in_an_assert_is_not_a_missing_overload() {
    for assert in [
        format!("{MEAN} <= 5.0"),
        format!("{MEAN} > 5.0"),
        format!("5.0 >= {MEAN}"),
        format!("!({MEAN} < 5.0)"),
    ] {
        let packs = one_rule(&format!("    assert: \"{assert}\"\n"));
        let report = run(&packs, &weightless_battery("0 kg"), "2025-01-01", Lang::En);
        let finding = &report.findings[0];
        assert_eq!(finding.outcome, Outcome::Error, "{assert}");
        let reason = finding.reason().unwrap();
        assert!(!reason.contains("overload"), "{assert}: {reason}");
        assert!(
            reason.contains("gives no finite number") && reason.contains("total mass is 0"),
            "{assert}: {reason}"
        );
    }
}

#[test]
fn an_infinite_actual_or_bound_is_an_error() {
    // An `actual` that is 1/0.
    let packs = one_rule(
        "    assert: \"true\"\n    actual: \"sum(components.map(c, c.substances.lead)) / sum(components.map(c, c.mass))\"\n",
    );
    let report = run(&packs, &weightless_battery("0 kg"), "2025-01-01", Lang::En);
    assert_eq!(report.findings[0].outcome, Outcome::Error);
    assert_actuals_finite(&report);
    // A check whose value is 1/0, and one whose computed bound is.
    for check in [
        "      value: \"1.0 / sum(components.map(c, c.mass))\"\n      max: 5",
        "      value: \"1.0\"\n      max: \"1.0 / sum(components.map(c, c.mass))\"",
    ] {
        let packs = one_rule(&format!("    check:\n{check}\n"));
        let report = run(&packs, &weightless_battery("0 kg"), "2025-01-01", Lang::En);
        let finding = &report.findings[0];
        assert_eq!(finding.outcome, Outcome::Error, "{check}");
        assert!(
            finding
                .reason()
                .as_deref()
                .unwrap()
                .contains("no finite number"),
            "{check}: {:?}",
            finding.reason()
        );
        assert_actuals_finite(&report);
    }
}

// ---- results below the detection limit ----

/// A one-component submission whose substance `x` is written `x`.
fn one_substance(x: &str) -> String {
    format!(
        "schema: recert.submission/v1
id: T-1
applicant: {{ name: Acme }}
product: {{ name: Panel, sector: electrical-electronic, markets: [EU] }}
components:
  - id: C1
    name: panel
    material: {{ class: plastic, polymer: ABS }}
    mass: 1 kg
    substances: {{ x: '{x}' }}
"
    )
}

fn check_rule(value: &str, side: &str) -> PackSet {
    one_rule(&format!(
        "    for_each: components\n    check:\n      value: \"{value}\"\n      {side}\n      unit: mg/kg\n"
    ))
}

fn outcome_of(packs: &PackSet, x: &str) -> (Outcome, Option<String>) {
    let report = run(packs, &one_substance(x), "2026-01-01", Lang::En);
    assert_actuals_finite(&report);
    let finding = &report.findings[0];
    (
        finding.outcome,
        finding.reason().map(std::borrow::Cow::into_owned),
    )
}

#[test]
fn a_bound_against_a_lower_limit_fails_or_cannot_decide() {
    let min5 = check_rule("component.substances.x", "min: 5");
    // Below 2, so below 5.
    assert_eq!(outcome_of(&min5, "< 2 mg/kg").0, Outcome::Fail);
    assert_eq!(outcome_of(&min5, "n.d. (LOD 5 mg/kg)").0, Outcome::Fail);
    // Below 10: anything from 0 to 10.
    let (outcome, reason) = outcome_of(&min5, "< 10 mg/kg");
    assert_eq!(outcome, Outcome::Error);
    assert!(reason.unwrap().contains("more sensitive method"));
    // Any result is at least 0.
    let min0 = check_rule("component.substances.x", "min: 0");
    assert_eq!(outcome_of(&min0, "< 10 mg/kg").0, Outcome::Pass);
    let above0 = check_rule("component.substances.x", "above: 0");
    assert_eq!(outcome_of(&above0, "< 10 mg/kg").0, Outcome::Error);
}

#[test]
fn a_bound_against_an_upper_limit_below_at_and_above() {
    for (side, x, expected) in [
        ("max: 5", "< 2 mg/kg", Outcome::Pass),
        ("max: 5", "< 5 mg/kg", Outcome::Pass),
        ("max: 5", "< 8 mg/kg", Outcome::Error),
        // `below` is strict, and so is `<`: below 5 meets "below 5".
        ("below: 5", "< 5 mg/kg", Outcome::Pass),
        ("below: 5", "n.d. (LOD 5 mg/kg)", Outcome::Pass),
        ("below: 5", "< 0.0006 %", Outcome::Error),
        // A measured 5 does not.
        ("below: 5", "5 mg/kg", Outcome::Fail),
    ] {
        let packs = check_rule("component.substances.x", side);
        assert_eq!(outcome_of(&packs, x).0, expected, "{side} {x}");
    }
}

#[test]
fn a_value_that_falls_as_a_result_rises_is_not_bounded() {
    let packs = check_rule("100.0 - component.substances.x", "max: 99");
    let (outcome, reason) = outcome_of(&packs, "< 2 mg/kg");
    assert_eq!(outcome, Outcome::Error);
    assert!(
        reason
            .unwrap()
            .contains("does not grow with the concentrations"),
        "not monotone"
    );
}

#[test]
fn an_assertion_that_a_bound_does_not_decide_is_an_error() {
    for (assert, expected) in [
        ("component.substances.x <= 5.0", Outcome::Pass),
        ("component.substances.x > 5.0", Outcome::Fail),
        ("component.substances.x >= 1.0", Outcome::Error),
    ] {
        let packs = one_rule(&format!(
            "    for_each: components\n    assert: \"{assert}\"\n"
        ));
        let (outcome, reason) = outcome_of(&packs, "< 2 mg/kg");
        assert_eq!(outcome, expected, "{assert}");
        if expected == Outcome::Error {
            assert!(reason.unwrap().contains("below the detection limit"));
        }
    }
}

#[test]
fn the_report_shows_the_bound_as_written_and_flags_it() {
    let packs = check_rule("component.substances.x", "max: 5");
    for (x, shown) in [
        ("< 2 mg/kg", "< 2 mg/kg"),
        ("n.d. (LOD 2 mg/kg)", "< 2 mg/kg (n.d. (LOD 2 mg/kg))"),
        ("< 0.0002 %", "< 2 mg/kg (< 0.0002 %)"),
    ] {
        let report = run(&packs, &one_substance(x), "2026-01-01", Lang::En);
        let actual = report.findings[0].actual().unwrap();
        assert_eq!(actual.to_string(), shown);
        let json = serde_json::to_value(actual).unwrap();
        assert_eq!(json["bound"], "below-detection", "{json}");
        assert_eq!(json["value"], 2.0, "{json}");
        assert_eq!(json["written"], x, "{json}");
    }
    // A measured value carries no flag.
    let report = run(&packs, &one_substance("2 mg/kg"), "2026-01-01", Lang::En);
    let json = serde_json::to_value(report.findings[0].actual().unwrap()).unwrap();
    assert!(json.get("bound").is_none(), "{json}");
    // In Chinese, the reason asks for a more sensitive method.
    let report = run(&packs, &one_substance("< 8 mg/kg"), "2026-01-01", Lang::Zh);
    let reason = report.findings[0].reason().unwrap();
    assert!(
        reason.contains("检出限") && reason.contains("更灵敏"),
        "{reason}"
    );
}

#[test]
fn validation_accepts_both_forms_and_names_a_malformed_one() {
    for x in [
        "< 2 mg/kg",
        "<2 ppm",
        "n.d. (LOD 2 mg/kg)",
        "ND (LOD 0.1 %)",
    ] {
        let source = Source::from_text("t.yaml", one_substance(x), Format::Yaml);
        assert!(load::load_submission(&source).is_ok(), "{x}");
    }
    for x in ["n.d.", "<= 2 mg/kg", "n.d. (2 mg/kg)"] {
        let source = Source::from_text("t.yaml", one_substance(x), Format::Yaml);
        let diagnostics = load::load_submission(&source).unwrap_err();
        let text = format!("{diagnostics:?}");
        assert!(
            text.contains("/components/0/substances/x") && text.contains("`n.d. (LOD 2 mg/kg)`"),
            "{x}: {text}"
        );
    }
}
