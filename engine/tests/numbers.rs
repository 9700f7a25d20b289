//! Numbers a rule cannot judge: a computation that gives NaN or an infinity
//! (a mass-weighted mean over components that weigh nothing) is outcome
//! `error` with its cause, never a pass or a fail, and no finding shows a
//! number that is not finite.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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
        if let Some(actual) = &finding.actual {
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
        assert!(finding.actual.is_none(), "{rule}");
        let reason = finding.reason.as_deref().unwrap();
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
        finding.reason.as_deref().unwrap().contains("总质量为 0"),
        "{:?}",
        finding.reason
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
        let reason = finding.reason.as_deref().unwrap();
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
                .reason
                .as_deref()
                .unwrap()
                .contains("no finite number"),
            "{check}: {:?}",
            finding.reason
        );
        assert_actuals_finite(&report);
    }
}
