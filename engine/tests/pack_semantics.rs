//! What the pack format means, rule by rule: strict bounds, bounds computed
//! from the product, applicability before the effective window, severity and
//! start dates from params, and the `not-covered` verdict.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use recert_engine::eval::{self, Options};
use recert_engine::load::{self, Format, Source};
use recert_engine::pack::{self, PackSet, PackSource, ParamsFile};
use recert_engine::report::{Outcome, Report, Severity, Verdict};
use recert_engine::{Diagnostics, Lang};

/// A pack with one standard; `params` and `rules` are YAML blocks.
fn pack_text(applies_to: &str, params: &str, rules: &str) -> String {
    format!(
        "schema: recert.pack/v1
id: demo
version: 1.0.0
title: {{ en: Demo, zh: 演示 }}
standards:
  - id: ppwr
    title: {{ en: PPWR, zh: PPWR }}
applies_to: \"{applies_to}\"
params:
{params}
rules:
{rules}"
    )
}

fn compile(pack: &str, params: Option<&str>) -> Result<PackSet, Diagnostics> {
    let overrides = params
        .map(|text| ParamsFile::parse(Source::from_text("params.yaml", text, Format::Yaml)))
        .transpose()?;
    pack::compile(
        &[PackSource {
            name: "demo.yaml".to_owned(),
            text: pack.to_owned(),
            dir: None,
        }],
        overrides.as_ref(),
    )
}

/// A packaging submission: one component with `substances` (YAML flow map).
fn packaging(substances: &str, extra_product: &str) -> String {
    format!(
        "schema: recert.submission/v1
id: T-1
applicant: {{ name: Acme }}
product: {{ name: Tray, sector: packaging, markets: [EU, CN], food_contact: true{extra_product} }}
components:
  - id: C1
    name: tray
    material: {{ class: plastic, polymer: PET }}
    mass: 20 g
    substances: {substances}
  - id: C2
    name: label
    material: {{ class: paper }}
    mass: 1 g
"
    )
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

/// (path, outcome) of each finding of `rule`.
fn outcomes(report: &Report, rule: &str) -> Vec<(String, Outcome)> {
    report
        .findings
        .iter()
        .filter(|f| f.rule() == rule)
        .map(|f| (f.path.to_string(), f.outcome))
        .collect()
}

const PFAS_RULE: &str = "  - id: demo-pfas
    title: { en: PFAS, zh: 全氟 }
    message: { en: 'PFAS must be below {limit} ({expected}).', zh: '全氟必须低于 {limit}（{expected}）。' }
    severity: error
    reference: { standard: ppwr, clause: Art. 5(5) }
    for_each: components
    when: component.material.class == 'plastic'
    check:
      value: component.substances.pfas
      below: params.pfas_limit
";

const PFAS_PARAM: &str = "  pfas_limit: { value: 0.025, unit: mg/kg }";

#[test]
fn below_is_strict_at_the_limit() {
    let packs = compile(
        &pack_text("'EU' in product.markets", PFAS_PARAM, PFAS_RULE),
        None,
    )
    .unwrap();
    for (value, outcome) in [
        ("0.025 mg/kg", Outcome::Fail),
        ("0.0249 mg/kg", Outcome::Pass),
        ("0.03 mg/kg", Outcome::Fail),
        ("25 ppb", Outcome::Fail),
    ] {
        let report = run(
            &packs,
            &packaging(&format!("{{ pfas: {value} }}"), ""),
            "2026-09-01",
            Lang::En,
        );
        let finding = report
            .findings
            .iter()
            .find(|f| f.rule() == "demo-pfas")
            .unwrap();
        assert_eq!(finding.outcome, outcome, "{value}");
        assert_eq!(finding.expected(), Some("< 0.025 mg/kg"));
        assert_eq!(
            finding.message(),
            "PFAS must be below 0.025 mg/kg (< 0.025 mg/kg)."
        );
    }
}

#[test]
fn max_stays_inclusive_and_above_is_strict() {
    let rule = |bounds: &str| {
        format!(
            "  - id: demo-lead
    title: {{ en: Lead, zh: 铅 }}
    message: {{ en: 'Lead {{expected}}.', zh: '铅 {{expected}}。' }}
    severity: error
    reference: {{ standard: ppwr, clause: Art. 5 }}
    for_each: components
    when: component.material.class == 'plastic'
    check:
      value: component.substances.lead
{bounds}"
        )
    };
    let cases = [
        (
            "      max: 100\n",
            "≤ 100",
            [Outcome::Pass, Outcome::Pass, Outcome::Fail],
        ),
        (
            "      above: 100\n",
            "> 100",
            [Outcome::Fail, Outcome::Fail, Outcome::Pass],
        ),
        (
            "      min: 100\n",
            "≥ 100",
            [Outcome::Fail, Outcome::Pass, Outcome::Pass],
        ),
        (
            "      above: 50\n      below: 101\n",
            "> 50, < 101",
            [Outcome::Pass, Outcome::Pass, Outcome::Fail],
        ),
    ];
    for (bounds, expected, want) in cases {
        let packs = compile(
            &pack_text("'EU' in product.markets", "  {}", &rule(bounds)),
            None,
        )
        .unwrap_or_else(|e| panic!("{bounds}: {e:?}"));
        for (value, outcome) in ["99", "100", "101"].into_iter().zip(want) {
            let report = run(
                &packs,
                &packaging(&format!("{{ lead: {value} mg/kg }}"), ""),
                "2026-09-01",
                Lang::En,
            );
            let finding = report
                .findings
                .iter()
                .find(|f| f.rule() == "demo-lead")
                .unwrap();
            assert_eq!(finding.outcome, outcome, "{bounds} {value}");
            assert_eq!(finding.expected(), Some(expected));
        }
    }
}

#[test]
fn conflicting_bounds_are_refused() {
    let rule = PFAS_RULE.replace(
        "      below: params.pfas_limit\n",
        "      below: params.pfas_limit\n      max: 1\n",
    );
    let errors = compile(
        &pack_text("'EU' in product.markets", PFAS_PARAM, &rule),
        None,
    )
    .unwrap_err();
    let text = errors.to_string();
    assert!(text.contains("`max` and `below` are both given"), "{text}");
    assert!(text.contains("demo.yaml:"), "{text}");
}

const SHARE_RULE: &str = "  - id: demo-share
    title: { en: Recycled share, zh: 再生含量 }
    message: { en: 'At least {limit} recycled plastic.', zh: '再生塑料不得低于 {limit}。' }
    severity: error
    reference: { standard: ppwr, clause: Art. 7(1) }
    check:
      value: components[0].recycled.post_consumer
      min: \"product.?single_use_beverage_bottle.orValue(false) ? params.bottle_min : params.other_min\"
";

const SHARE_PARAMS: &str =
    "  bottle_min: { value: 30, unit: '%' }\n  other_min: { value: 10, unit: '%' }";

fn with_share(share: &str, bottle: bool) -> String {
    packaging("{}", &format!(", single_use_beverage_bottle: {bottle}")).replace(
        "    substances: {}\n",
        &format!("    recycled: {{ post_consumer: {share} }}\n"),
    )
}

#[test]
fn a_bound_can_be_computed_from_the_product() {
    let packs = compile(
        &pack_text("'EU' in product.markets", SHARE_PARAMS, SHARE_RULE),
        None,
    )
    .unwrap();
    for (share, bottle, outcome, expected) in [
        ("20 %", true, Outcome::Fail, "≥ 30 %"),
        ("20 %", false, Outcome::Pass, "≥ 10 %"),
        ("30 %", true, Outcome::Pass, "≥ 30 %"),
    ] {
        let report = run(&packs, &with_share(share, bottle), "2026-09-01", Lang::En);
        let finding = report
            .findings
            .iter()
            .find(|f| f.rule() == "demo-share")
            .unwrap();
        assert_eq!(finding.outcome, outcome, "{share} {bottle}");
        assert_eq!(finding.expected(), Some(expected));
        let limit = expected.trim_start_matches("≥ ");
        assert_eq!(
            finding.message(),
            format!("At least {limit} recycled plastic.")
        );
        let json = serde_json::to_value(finding).unwrap();
        assert_eq!(json["expected"], expected);
    }
    let zh = run(&packs, &with_share("20 %", true), "2026-09-01", Lang::Zh);
    let finding = zh
        .findings
        .iter()
        .find(|f| f.rule() == "demo-share")
        .unwrap();
    assert_eq!(finding.message(), "再生塑料不得低于 30 %。");
}

#[test]
fn a_computed_bound_that_cannot_be_evaluated_is_an_error_naming_the_rule() {
    let rule = SHARE_RULE.replace(
        "product.?single_use_beverage_bottle.orValue(false)",
        "product.single_use_beverage_bottle",
    );
    let packs = compile(
        &pack_text("'EU' in product.markets", SHARE_PARAMS, &rule),
        None,
    )
    .unwrap();
    let submission = with_share("20 %", true).replace(", single_use_beverage_bottle: true", "");
    let report = run(&packs, &submission, "2026-09-01", Lang::En);
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule() == "demo-share")
        .unwrap();
    assert_eq!(finding.outcome, Outcome::Error);
    let reason = finding.reason().unwrap();
    assert!(reason.contains("rule `demo-share`"), "{reason}");
    assert!(reason.contains("bound `min`"), "{reason}");
    assert!(
        reason.contains("/product/single_use_beverage_bottle"),
        "{reason}"
    );
    assert_eq!(report.verdict, Verdict::Incomplete);
}

#[test]
fn a_bound_of_params_only_is_checked_and_computed_when_compiled() {
    let rule = SHARE_RULE.replace(
        "\"product.?single_use_beverage_bottle.orValue(false) ? params.bottle_min : params.other_min\"",
        "\"params.bottle_min / 2.0\"",
    );
    let packs = compile(
        &pack_text("'EU' in product.markets", SHARE_PARAMS, &rule),
        None,
    )
    .unwrap();
    let (_, rule) = packs.rule("demo-share").unwrap();
    assert_eq!(rule.expected(Lang::En), Some("≥ 15 %"));

    let rule = SHARE_RULE.replace(
        "\"product.?single_use_beverage_bottle.orValue(false) ? params.bottle_min : params.other_min\"",
        "\"params.bottle_min > 1.0\"",
    );
    let errors = compile(
        &pack_text("'EU' in product.markets", SHARE_PARAMS, &rule),
        None,
    )
    .unwrap_err();
    assert!(
        errors.to_string().contains("does not give a number"),
        "{errors}"
    );

    let rule = SHARE_RULE.replace("params.other_min", "params.other_minimum");
    let errors = compile(
        &pack_text("'EU' in product.markets", SHARE_PARAMS, &rule),
        None,
    )
    .unwrap_err();
    assert!(
        errors.to_string().contains("params.other_minimum"),
        "{errors}"
    );
}

const WINDOWED_RULE: &str = "  - id: demo-lmt
    title: { en: LMT only, zh: 仅轻型交通工具 }
    message: { en: 'Lead {expected}.', zh: '铅 {expected}。' }
    severity: error
    reference: { standard: ppwr, clause: Art. 8 }
    effective: { from: 2030-01-01 }
    when: product.?category.orValue('') == 'lmt'
    check:
      value: components[0].substances.lead
      max: 100
  - id: demo-per-component
    title: { en: Paper only, zh: 仅纸 }
    message: { en: 'Lead {expected}.', zh: '铅 {expected}。' }
    severity: error
    reference: { standard: ppwr, clause: Art. 8 }
    effective: { from: 2030-01-01 }
    for_each: components
    when: component.material.class == 'glass'
    check:
      value: component.substances.lead
      max: 100
  - id: demo-plastic
    title: { en: Plastic, zh: 塑料 }
    message: { en: 'Lead {expected}.', zh: '铅 {expected}。' }
    severity: error
    reference: { standard: ppwr, clause: Art. 8 }
    effective: { from: 2030-01-01 }
    for_each: components
    when: component.material.class == 'plastic'
    check:
      value: component.substances.lead
      max: 100
";

#[test]
fn a_rule_that_does_not_apply_is_not_applicable_on_every_date() {
    let packs = compile(
        &pack_text("'EU' in product.markets", "  {}", WINDOWED_RULE),
        None,
    )
    .unwrap();
    let submission = packaging("{ lead: 5 mg/kg }", "");
    let na = |n: usize| -> Vec<(String, Outcome)> {
        (0..n)
            .map(|i| (format!("/components/{i}"), Outcome::NotApplicable))
            .collect()
    };
    for date in ["2029-12-31", "2030-01-01"] {
        let report = run(&packs, &submission, date, Lang::En);
        assert_eq!(
            outcomes(&report, "demo-lmt"),
            [(String::new(), Outcome::NotApplicable)],
            "{date}"
        );
        assert_eq!(outcomes(&report, "demo-per-component"), na(2), "{date}");
    }
    // A rule that applies to some component is not in force before its window,
    // once for the whole submission.
    let before = run(&packs, &submission, "2029-12-31", Lang::En);
    assert_eq!(
        outcomes(&before, "demo-plastic"),
        [(String::new(), Outcome::NotInForce)]
    );
    let after = run(&packs, &submission, "2030-01-01", Lang::En);
    assert_eq!(
        outcomes(&after, "demo-plastic"),
        [
            ("/components/0/substances/lead".to_owned(), Outcome::Pass),
            ("/components/1".to_owned(), Outcome::NotApplicable)
        ]
    );
    // Applicable, outside its window: not in force.
    let lmt = packaging("{ lead: 5 mg/kg }", ", category: lmt");
    let report = run(&packs, &lmt, "2029-12-31", Lang::En);
    assert_eq!(
        outcomes(&report, "demo-lmt"),
        [(String::new(), Outcome::NotInForce)]
    );
}

const CASING: &str = "  - id: demo-casing
    title: { en: Casing, zh: 外壳 }
    message: { en: 'Flammability {expected}.', zh: '阻燃 {expected}。' }
    severity: params.casing_severity
    reference: { standard: ppwr, clause: K15 }
    for_each: components
    when: component.material.class == 'plastic'
    check:
      value: component.substances.lead
      max: 1
";

#[test]
fn a_severity_can_be_a_param() {
    let params = "  casing_severity: { value: warning }";
    let pack = pack_text("'EU' in product.markets", params, CASING);
    let submission = packaging("{ lead: 5 mg/kg }", "");

    let packs = compile(&pack, None).unwrap();
    let report = run(&packs, &submission, "2026-09-01", Lang::En);
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule() == "demo-casing")
        .unwrap();
    assert_eq!(
        (finding.outcome, finding.severity),
        (Outcome::Fail, Severity::Warning)
    );
    assert_eq!(report.verdict, Verdict::Pass);

    let packs = compile(&pack, Some("demo: { casing_severity: error }")).unwrap();
    let report = run(&packs, &submission, "2026-09-01", Lang::En);
    assert_eq!(report.verdict, Verdict::Fail);

    let errors = compile(&pack, Some("demo:\n  casing_severity: fatal\n")).unwrap_err();
    let text = errors.to_string();
    assert!(text.contains("params.yaml:2"), "{text}");
    assert!(text.contains("`casing_severity`"), "{text}");
    assert!(text.contains("error, warning, info"), "{text}");

    let errors = compile(
        &pack_text(
            "'EU' in product.markets",
            "  casing_severity: { value: 3 }",
            CASING,
        ),
        None,
    )
    .unwrap_err();
    let text = errors.to_string();
    assert!(text.contains("demo.yaml:"), "{text}");
    assert!(text.contains("`casing_severity`"), "{text}");
}

const ART7_PARAM: &str = "  art7_act_date:
    value: null
    title: { en: entry into force of the implementing act, zh: 实施法案生效之日 }";

const ART7_RULE: &str = "  - id: demo-art7
    title: { en: Recycled content, zh: 再生含量 }
    message: { en: 'At least {limit} recycled plastic.', zh: '再生塑料不得低于 {limit}。' }
    severity: error
    reference: { standard: ppwr, clause: Art. 7(1) }
    effective:
      from: 2030-01-01
      from_param: { param: art7_act_date, add_years: 3 }
      until: 2040-01-01
    check:
      value: components[0].recycled.post_consumer
      min: 30
      unit: '%'
";

#[test]
fn a_start_from_an_unknown_date_param_is_provisional() {
    let packs = compile(
        &pack_text("'EU' in product.markets", ART7_PARAM, ART7_RULE),
        None,
    )
    .unwrap();
    let submission = with_share("20 %", true);
    let before = run(&packs, &submission, "2029-12-31", Lang::En);
    assert_eq!(
        outcomes(&before, "demo-art7"),
        [(String::new(), Outcome::NotInForce)]
    );

    let report = run(&packs, &submission, "2030-01-01", Lang::En);
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule() == "demo-art7")
        .unwrap();
    assert_eq!(
        (finding.outcome, finding.severity),
        (Outcome::Fail, Severity::Warning)
    );
    assert_eq!(report.verdict, Verdict::Pass);
    let message = finding.message();
    assert!(
        message.starts_with("At least 30 % recycled plastic. (Provisional:"),
        "{message}"
    );
    assert!(
        message.contains("from 2030-01-01 or 3 years after entry into force of the implementing act (`art7_act_date`), whichever is later"),
        "{message}"
    );
    assert_eq!(
        finding.in_force(),
        Some("provisionally from 2030-01-01, before 2040-01-01")
    );

    let zh = run(&packs, &submission, "2030-01-01", Lang::Zh);
    let finding = zh
        .findings
        .iter()
        .find(|f| f.rule() == "demo-art7")
        .unwrap();
    assert!(finding.message().contains("暂定"), "{}", finding.message());
    assert!(finding.message().contains("3 年"), "{}", finding.message());
}

#[test]
fn a_start_from_a_known_date_param_is_binding_from_the_later_date() {
    let params = Some("demo: { art7_act_date: 2028-06-15 }");
    let packs = compile(
        &pack_text("'EU' in product.markets", ART7_PARAM, ART7_RULE),
        params,
    )
    .unwrap();
    let submission = with_share("20 %", true);
    let (_, rule) = packs.rule("demo-art7").unwrap();
    assert_eq!(rule.effective.from, Some("2031-06-15".parse().unwrap()));
    assert!(!rule.is_provisional());

    let before = run(&packs, &submission, "2031-06-14", Lang::En);
    assert_eq!(
        outcomes(&before, "demo-art7"),
        [(String::new(), Outcome::NotInForce)]
    );
    let from = run(&packs, &submission, "2031-06-15", Lang::En);
    let finding = from
        .findings
        .iter()
        .find(|f| f.rule() == "demo-art7")
        .unwrap();
    assert_eq!(
        (finding.outcome, finding.severity),
        (Outcome::Fail, Severity::Error)
    );
    assert_eq!(finding.message(), "At least 30 % recycled plastic.");
    assert_eq!(from.verdict, Verdict::Fail);

    // An act in force early: 2030-01-01 is the later date.
    let early = compile(
        &pack_text("'EU' in product.markets", ART7_PARAM, ART7_RULE),
        Some("demo: { art7_act_date: 2025-01-01 }"),
    )
    .unwrap();
    let (_, rule) = early.rule("demo-art7").unwrap();
    assert_eq!(rule.effective.from, Some("2030-01-01".parse().unwrap()));

    let errors = compile(
        &pack_text("'EU' in product.markets", ART7_PARAM, ART7_RULE),
        Some("demo: { art7_act_date: soon }"),
    )
    .unwrap_err();
    let text = errors.to_string();
    assert!(text.contains("params.yaml:1"), "{text}");
    assert!(text.contains("YYYY-MM-DD"), "{text}");
}

#[test]
fn a_product_no_rule_applies_to_is_not_covered() {
    let packs = compile(
        &pack_text("'EU' in product.markets", PFAS_PARAM, PFAS_RULE),
        None,
    )
    .unwrap();
    let textile = "schema: recert.submission/v1
id: T-2
applicant: { name: Acme }
product: { name: Scarf, sector: textile, markets: [EU] }
components:
  - { id: C1, material: { class: fibre }, mass: 100 g }
";
    // The pack applies (to the EU market) but none of its rules does.
    let report = run(&packs, textile, "2026-09-01", Lang::En);
    assert_eq!(report.verdict, Verdict::NotCovered);
    assert_eq!(report.coverage.sector.as_deref(), Some("textile"));
    assert_eq!(report.coverage.packs[0].markets, ["EU"]);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.outcome == Outcome::NotApplicable)
    );

    // No pack applies.

    let outside = compile(
        &pack_text(
            "product.sector == 'packaging' && 'EU' in product.markets",
            PFAS_PARAM,
            PFAS_RULE,
        ),
        None,
    )
    .unwrap();
    let report = run(&outside, textile, "2026-09-01", Lang::En);
    assert_eq!(report.verdict, Verdict::NotCovered);
    assert!(report.coverage.packs.is_empty());
    assert_eq!(report.coverage.uncovered_markets, ["EU"]);

    // Packaging on EU and CN: the pack covers the EU only.
    let report = run(
        &outside,
        &packaging("{ pfas: 0.01 mg/kg }", ""),
        "2026-09-01",
        Lang::En,
    );
    assert_eq!(report.verdict, Verdict::Pass);
    assert_eq!(report.coverage.packs.len(), 1);
    assert_eq!(report.coverage.packs[0].markets, ["EU"]);
    assert_eq!(report.coverage.uncovered_markets, ["CN"]);
}
