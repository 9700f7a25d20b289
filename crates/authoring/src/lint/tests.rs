use std::path::PathBuf;

use super::*;
use recert_core::load::Source;

/// A small pack that lints clean; tests change one thing in it.
const GOOD: &str = r#"schema: recert.pack/v1
id: demo
version: 1.0.0
title: { en: Demo pack, zh: 演示规则包 }
standards:
  - id: rohs
    title: { en: RoHS, zh: RoHS 指令 }
applies_to: product.sector == 'electrical-electronic'
params:
  lead_max: { value: 1000, unit: mg/kg }
rules:
  - id: demo-lead
    title: { en: Lead, zh: 铅 }
    message: { en: "Lead at most {limit} ({component}).", zh: "铅不得超过 {limit}（{component}）。" }
    severity: error
    reference: { standard: rohs, clause: Annex II }
    for_each: components
    when: component.material.class == 'metal'
    check:
      value: component.substances.lead
      max: params.lead_max
"#;

fn lint_text(text: &str) -> LintReport {
    lint_with(text, &LintOptions::default())
}

fn lint_with(text: &str, options: &LintOptions) -> LintReport {
    let input = LintInput {
        packs: vec![PackSource {
            name: "demo.yaml".to_owned(),
            text: text.to_owned(),
            dir: None,
        }],
        tests: Vec::new(),
    };
    lint(&input, options)
}

/// (level, code, line) of every finding.
fn codes(report: &LintReport) -> Vec<(Level, &'static str, Option<usize>)> {
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.level,
                f.diagnostic.code.name(),
                f.diagnostic.location.line,
            )
        })
        .collect()
}

fn find<'a>(report: &'a LintReport, code: &str) -> &'a Finding {
    report
        .findings
        .iter()
        .find(|f| f.diagnostic.code == code)
        .unwrap_or_else(|| panic!("no `{code}` in {:#?}", report.findings))
}

#[test]
fn a_good_pack_is_clean() {
    let report = lint_text(GOOD);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert!(!report.has_errors());
}

#[test]
fn a_renamed_field_is_an_error_with_a_suggestion() {
    let report =
        lint_text(&GOOD.replace("applies_to: product.sector", "applies_to: product.sectr"));
    let f = find(&report, "unknown-field");
    assert_eq!(f.level, Level::Error);
    assert_eq!(f.diagnostic.location.line, Some(8));
    assert_eq!(f.diagnostic.location.column, Some(21));
    assert!(
        f.diagnostic.message.contains("`product.sectr`"),
        "{}",
        f.diagnostic.message
    );
    assert_eq!(
        f.diagnostic
            .help
            .as_deref()
            .map(|h| h.starts_with("did you mean `product.sector`?")),
        Some(true),
        "{:?}",
        f.diagnostic.help
    );
    assert_eq!(
        f.to_string(),
        "demo.yaml:8:21: unknown-field: `product.sectr`: `product` has no field `sectr`, so a valid submission never has it (at /applies_to)"
    );
    assert!(report.has_errors());
}

#[test]
fn fields_in_has_optional_and_filtered_lists_are_checked() {
    let report = lint_text(&GOOD.replace(
        "when: component.material.class == 'metal'",
        "when: >-\n      has(component.substance)\n      && components.filter(c, c.recyled.?post_consumer.orValue(0.0) > 0.0).map(c, c.mas).size() > 0\n      && product.?food_contat.orValue(false)",
    ));
    let found: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.diagnostic.code == "unknown-field")
        .map(|f| f.diagnostic.message.as_str())
        .collect();
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found.iter().any(|m| m.contains("`component.substance`")));
    assert!(found.iter().any(|m| m.contains("`components[].recyled`")));
    assert!(found.iter().any(|m| m.contains("`components[].mas`")));
    assert!(found.iter().any(|m| m.contains("`product.food_contat`")));
    // Located on the line where each is written, inside the block scalar.
    let lines: Vec<Option<usize>> = report
        .findings
        .iter()
        .filter(|f| f.diagnostic.code == "unknown-field")
        .map(|f| f.diagnostic.location.line)
        .collect();
    assert_eq!(lines, [Some(19), Some(20), Some(20), Some(21)]);
}

#[test]
fn open_maps_accept_any_snake_case_name() {
    let report = lint_text(&GOOD.replace("substances.lead", "substances.antimony_trioxide"));
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn component_outside_for_each_is_an_error() {
    let report = lint_text(&GOOD.replace("    for_each: components\n", ""));
    let f = find(&report, "component-outside-for-each");
    assert_eq!(f.level, Level::Error);
    assert!(f.diagnostic.message.contains("demo-lead"));
}

#[test]
fn compile_errors_and_lint_checks_are_reported_together() {
    let report = lint_text(
        &GOOD
            .replace("max: params.lead_max", "max: params.lead_maxx")
            .replace("zh: 铅 }", "zh: Lead }"),
    );
    let codes = codes(&report);
    assert!(
        codes.contains(&(Level::Error, "unknown-param", Some(21))),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(Level::Warning, "untranslated", Some(13))),
        "{codes:?}"
    );
}

#[test]
fn texts_blank_same_or_in_the_wrong_script_are_warnings() {
    let report = lint_text(
        &GOOD
            .replace("title: { en: Lead, zh: 铅 }", "title: { en: 铅, zh: Lead }")
            .replace(
                "title: { en: Demo pack, zh: 演示规则包 }",
                "title: { en: Demo pack, zh: \" \" }",
            ),
    );
    let codes = codes(&report);
    assert!(
        codes.contains(&(Level::Warning, "empty-text", Some(4))),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(Level::Warning, "wrong-language", Some(13))),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(Level::Warning, "untranslated", Some(13))),
        "{codes:?}"
    );
    assert!(!report.has_errors());
    let same = lint_text(&GOOD.replace("zh: 演示规则包", "zh: Demo pack"));
    assert!(
        find(&same, "untranslated")
            .diagnostic
            .message
            .contains("the same")
    );
}

#[test]
fn placeholders_unknown_or_unfillable() {
    let report = lint_text(&GOOD.replace("at most {limit}", "at most {limt}"));
    let f = find(&report, "unknown-placeholder");
    assert_eq!(f.level, Level::Error);
    assert_eq!(
        f.diagnostic.help.as_deref(),
        Some("did you mean `{limit}`?")
    );
    // The two languages now differ too.
    assert_eq!(find(&report, "placeholder-mismatch").level, Level::Warning);

    let assert_rule = GOOD.replace(
        "check:\n      value: component.substances.lead\n      max: params.lead_max\n",
        "assert: component.substances.lead <= params.lead_max\n",
    );
    let report = lint_text(&assert_rule);
    assert_eq!(find(&report, "unfillable-placeholder").level, Level::Error);
    let fixed = assert_rule.replace(
        "    assert:",
        "    expected: { en: at most 1000 mg/kg, zh: 不超过 1000 mg/kg }\n    assert:",
    );
    assert!(
        lint_text(&fixed).findings.is_empty(),
        "{:#?}",
        lint_text(&fixed).findings
    );

    let no_each = GOOD
        .replace("    for_each: components\n", "")
        .replace(
            "when: component.material.class == 'metal'",
            "when: has(product.name)",
        )
        .replace("value: component.substances.lead", "value: product.mass");
    let report = lint_text(&no_each);
    assert_eq!(find(&report, "unfilled-placeholder").level, Level::Warning);
    assert!(!report.has_errors(), "{:#?}", report.findings);
}

#[test]
fn fix_placeholders_are_known_and_computable() {
    let with_fix = |en: &str, zh: &str| {
        GOOD.replace(
            "    check:\n",
            &format!("    fix: {{ en: \"{en}\", zh: \"{zh}\" }}\n    check:\n"),
        )
    };
    let good = with_fix(
        "Lower lead to {limit} in {component}.",
        "将{component}中铅降至 {limit}。",
    );
    assert!(
        lint_text(&good).findings.is_empty(),
        "{:#?}",
        lint_text(&good).findings
    );
    let report = lint_text(&with_fix("Lower it by {gapp}.", "降低 {gapp}。"));
    assert_eq!(find(&report, "unknown-placeholder").level, Level::Error);
    let report = lint_text(&with_fix("Add {missing}.", "增加 {missing}。"));
    let f = find(&report, "unfillable-placeholder");
    assert!(
        f.diagnostic.message.contains("fix.parts"),
        "{}",
        f.diagnostic.message
    );
    let report = lint_text(&with_fix("Lower it by {gap}.", "降低。"));
    assert_eq!(find(&report, "placeholder-mismatch").level, Level::Warning);
}

#[test]
fn placeholders_in_plugin_rules() {
    let text = GOOD
        .replace(
            "rules:\n",
            "plugins:\n  - id: battery-casing\nrules:\n",
        )
        .replace(
            "    when: component.material.class == 'metal'\n    check:\n      value: component.substances.lead\n      max: params.lead_max\n",
            "    plugin: battery-casing\n",
        )
        .replace("    for_each: components\n", "");
    let report = lint_text(&text);
    let f = find(&report, "unfillable-placeholder");
    assert!(
        f.diagnostic.message.contains("plugin rule"),
        "{}",
        f.diagnostic.message
    );
    // {component} is fine in a plugin rule: plugins report components.
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.diagnostic.code != "unfilled-placeholder")
    );
}

#[test]
fn windows_overlapping_or_with_a_gap() {
    let second = r#"  - id: demo-lead-2030
    title: { en: Lead from 2030, zh: 2030 年起的铅 }
    message: { en: "Lead at most {limit} ({component}).", zh: "铅不得超过 {limit}（{component}）。" }
    severity: error
    reference: { standard: rohs, clause: Annex II }
    effective: { from: 2030-01-01 }
    for_each: components
    when: component.material.class == 'metal'
    check:
      value: component.substances.lead
      max: params.lead_max
"#;
    let first = GOOD.replace(
        "    for_each: components\n",
        "    effective: { until: 2030-01-02 }\n    for_each: components\n",
    );
    let report = lint_text(&format!("{first}{second}"));
    let f = find(&report, "overlapping-windows");
    assert_eq!(f.level, Level::Warning);
    assert!(
        f.diagnostic.message.contains("2030-01-01"),
        "{}",
        f.diagnostic.message
    );

    let gap = GOOD.replace(
        "    for_each: components\n",
        "    effective: { until: 2029-12-31 }\n    for_each: components\n",
    );
    let report = lint_text(&format!("{gap}{second}"));
    let f = find(&report, "window-gap");
    assert!(
        f.diagnostic
            .message
            .contains("no rule checks this on 2029-12-31"),
        "{}",
        f.diagnostic.message
    );
    assert!(
        f.diagnostic
            .help
            .as_deref()
            .unwrap_or("")
            .contains("until: 2030-01-01")
    );

    // Two tiers of one value in force together (certification and label
    // minimums) are not phases.
    let tier = second.replace("demo-lead-2030", "demo-lead-tier").replace(
        "effective: { from: 2030-01-01 }",
        "effective: { until: 2030-01-02 }",
    );
    let report = lint_text(&format!("{first}{tier}"));
    assert!(report.findings.is_empty(), "{:#?}", report.findings);

    let exact = GOOD.replace(
        "    for_each: components\n",
        "    effective: { until: 2030-01-01 }\n    for_each: components\n",
    );
    let report = lint_text(&format!("{exact}{second}"));
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn unused_declarations_are_warnings() {
    let text = GOOD
        .replace(
            "  lead_max: { value: 1000, unit: mg/kg }\n",
            "  lead_max: { value: 1000, unit: mg/kg }\n  cadmium_max: { value: 100, unit: mg/kg }\n",
        )
        .replace(
            "standards:\n",
            "standards:\n  - id: pops\n    title: { en: POPs, zh: 持久性有机污染物 }\n",
        );
    let report = lint_text(&text);
    let codes = codes(&report);
    assert!(codes.iter().any(|c| c.1 == "unused-param"), "{codes:?}");
    assert!(codes.iter().any(|c| c.1 == "unused-standard"), "{codes:?}");
    assert!(!report.has_errors());
}

#[test]
fn plugins_must_resolve_and_match_their_pin() {
    let dir = std::env::temp_dir().join(format!("recert-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("fake.wasm"), b"not wasm").unwrap();
    let text = GOOD.replace(
        "rules:\n",
        "plugins:\n  - id: batery-casing\n  - id: acme\n    path: fake.wasm\n    sha256: 0000000000000000000000000000000000000000000000000000000000000000\n  - id: gone\n    path: missing.wasm\nrules:\n",
    );
    let options = LintOptions {
        bundled_plugins: Some(vec![BundledPlugin {
            id: "battery-casing".to_owned(),
            sha256: "ab".repeat(32),
        }]),
        loaded_with: Vec::new(),
        ..LintOptions::default()
    };
    let input = LintInput {
        packs: vec![PackSource {
            name: "demo.yaml".to_owned(),
            text,
            dir: Some(dir.clone()),
        }],
        tests: Vec::new(),
    };
    let report = lint(&input, &options);
    let messages: Vec<(&str, &str)> = report
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .map(|f| (f.diagnostic.code.name(), f.diagnostic.message.as_str()))
        .collect();
    assert!(
        messages
            .iter()
            .any(|(c, m)| *c == "plugin-not-found" && m.contains("batery-casing")),
        "{messages:#?}"
    );
    assert_eq!(
        find(&report, "plugin-not-found").diagnostic.help.as_deref(),
        Some("did you mean `battery-casing`?")
    );
    assert!(
        messages.iter().any(|(c, m)| *c == "plugin-digest-mismatch"
            && m.contains(&recert_wasm_host::sha256_hex(b"not wasm"))),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|(c, _)| *c == "not-a-plugin"),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|(c, m)| *c == "plugin-not-found" && m.contains("missing.wasm")),
        "{messages:#?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ids_colliding_with_the_packs_loaded_alongside() {
    let other = PackSource {
        name: "rules/other.yaml".to_owned(),
        text: GOOD.replace("id: demo\n", "id: other\n"),
        dir: None,
    };
    let options = LintOptions {
        bundled_plugins: None,
        loaded_with: vec![other],
        ..LintOptions::default()
    };
    let report = lint_with(GOOD, &options);
    let f = find(&report, "duplicate-rule-id");
    assert_eq!(f.diagnostic.location.file, "demo.yaml");
    assert!(
        f.diagnostic.message.contains("rules/other.yaml"),
        "{}",
        f.diagnostic.message
    );

    // A pack loaded alongside with the linted pack's own id is an older
    // version of it: no collision.
    let same = PackSource {
        name: "rules/demo.yaml".to_owned(),
        text: GOOD.to_owned(),
        dir: None,
    };
    let options = LintOptions {
        bundled_plugins: None,
        loaded_with: vec![same],
        ..LintOptions::default()
    };
    assert!(lint_with(GOOD, &options).findings.is_empty());
}

#[test]
fn the_bundled_packs_have_no_errors() {
    let input = LintInput {
        packs: recert_core::pack::bundled_sources(),
        tests: Vec::new(),
    };
    let report = lint(&input, &LintOptions::default());
    let errors: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn test_files_name_rules_and_params_the_pack_has() {
    let test = r#"schema: recert.pack-test/v1
pack: demo
at: 2026-01-01
cases:
  - name: one
    submission: x.yaml
    params: { lead_mx: 10 }
    expect:
      rules:
        demo-leed: pass
        demo-lead: not-in-force
"#;
    let input = LintInput {
        packs: vec![PackSource {
            name: "demo.yaml".to_owned(),
            text: GOOD.to_owned(),
            dir: Some(PathBuf::from("")),
        }],
        tests: vec![TestSource {
            source: Source::from_text("demo.test.yaml", test, recert_core::load::Format::Yaml),
            dir: PathBuf::from(""),
        }],
    };
    let report = lint(&input, &LintOptions::default());
    let codes = codes(&report);
    assert!(
        codes.contains(&(Level::Error, "unknown-param", Some(7))),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(Level::Error, "unknown-rule", Some(10))),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(Level::Error, "impossible-outcome", Some(11))),
        "{codes:?}"
    );
    assert_eq!(
        find(&report, "unknown-rule").diagnostic.help.as_deref(),
        Some("did you mean `demo-lead`?")
    );

    let elsewhere = test.replace("pack: demo", "pack: elsewhere");
    let input = LintInput {
        packs: Vec::new(),
        tests: vec![TestSource {
            source: Source::from_text("demo.test.yaml", elsewhere, recert_core::load::Format::Yaml),
            dir: PathBuf::from(""),
        }],
    };
    assert_eq!(
        find(&lint(&input, &LintOptions::default()), "pack-not-linted").level,
        Level::Warning
    );
}

#[test]
fn warnings_say_so_in_the_text_line() {
    let report = lint_text(&GOOD.replace("zh: 演示规则包", "zh: Demo pack"));
    let line = find(&report, "untranslated").to_string();
    assert!(
        line.starts_with("demo.yaml:4:") && line.contains(": untranslated: warning: "),
        "{line}"
    );
}

#[test]
fn collect_reads_folders_and_refuses_what_it_cannot_read() {
    let dir = std::env::temp_dir().join(format!("recert-lint-collect-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("fixtures")).unwrap();
    std::fs::write(dir.join("a.yaml"), GOOD).unwrap();
    std::fs::write(dir.join("a.test.yaml"), "schema: x").unwrap();
    std::fs::write(dir.join("notes.txt"), "x").unwrap();
    std::fs::write(dir.join("fixtures/s.yaml"), "x: 1").unwrap();
    let input = collect(std::slice::from_ref(&dir)).unwrap();
    assert_eq!(input.packs.len(), 1);
    assert_eq!(input.tests.len(), 1);
    let err = collect(&[dir.join("nope.yaml")]).unwrap_err();
    assert_eq!(err.0[0].code, "file-not-found");
    let given = collect(&[dir.join("notes.txt"), dir.join("fixtures")]).unwrap();
    assert_eq!(given.packs.len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_empty_window_is_one_error_even_beside_a_schema_error() {
    let empty = GOOD.replace(
        "    for_each: components\n",
        "    effective: { from: 2030-01-01, until: 2030-01-01 }\n    for_each: components\n",
    );
    let report = lint_text(&empty);
    let windows: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.diagnostic.code == "empty-window")
        .collect();
    assert_eq!(windows.len(), 1, "{:#?}", report.findings);
    assert_eq!(windows[0].level, Level::Error);
    // With a schema error the compiler stops early; lint still says it.
    let report = lint_text(&empty.replace("    severity: error\n", ""));
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.diagnostic.code == "schema")
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.diagnostic.code == "empty-window")
    );
}

#[test]
fn a_per_component_rule_that_ignores_the_component_is_a_warning() {
    let text = GOOD
        .replace(
            "when: component.material.class == 'metal'",
            "when: has(product.name)",
        )
        .replace("value: component.substances.lead", "value: product.mass");
    let report = lint_text(&text);
    let f = find(&report, "for-each-unused");
    assert_eq!(f.level, Level::Warning);
    assert_eq!(f.diagnostic.location.line, Some(17));
}
