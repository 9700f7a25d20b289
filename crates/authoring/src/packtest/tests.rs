//! Tests of the pack test runner: the file format, matching, running,
//! coverage and the renderers.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::matching::path_within;
use super::*;
use recert_core::eval::{PluginFinding, PluginOutput, PluginRequest, PluginRunner};
use recert_core::load::{Format, Source};
use recert_core::pack::PackSource;
use recert_core::report::{Outcome, PluginInfo, Verdict};

const PACK: &str = r#"
schema: recert.pack/v1
id: demo
version: 1.0.0
title: { en: Demo, zh: 演示 }
standards:
  - id: std
    title: { en: A standard, zh: 标准 }
applies_to: product.sector == 'electrical-electronic'
params:
  lead_max: { value: 1000, unit: mg/kg }
rules:
  - id: demo-lead
    title: { en: Lead, zh: 铅 }
    message: { en: "Lead at most {expected}.", zh: "铅不超过 {expected}。" }
    severity: error
    reference: { standard: std, clause: "1" }
    for_each: components
    check: { value: component.substances.lead, max: params.lead_max }
  - id: demo-cadmium
    title: { en: Cadmium, zh: 镉 }
    message: { en: "Cadmium at most {expected}.", zh: "镉不超过 {expected}。" }
    severity: error
    reference: { standard: std, clause: "2" }
    effective: { from: 2030-01-01 }
    for_each: components
    check: { value: component.substances.cadmium, max: 100 }
"#;

const PLUGIN_PACK: &str = r#"
schema: recert.pack/v1
id: demo-plugged
version: 1.0.0
title: { en: Demo, zh: 演示 }
standards:
  - id: std
    title: { en: A standard, zh: 标准 }
plugins:
  - id: demo-plugin
rules:
  - id: demo-by-plugin
    title: { en: By plugin, zh: 插件 }
    message: { en: "Decided by a plugin.", zh: "由插件判定。" }
    severity: error
    reference: { standard: std, clause: "3" }
    plugin: demo-plugin
  - id: demo-plain
    title: { en: Plain, zh: 普通 }
    message: { en: "Always true.", zh: "恒真。" }
    severity: error
    reference: { standard: std, clause: "4" }
    assert: "true"
"#;

/// A submission with two components: lead 500 and 1500 mg/kg; the second
/// has no cadmium result.
fn submission() -> serde_json::Value {
    json!({
        "schema": "recert.submission/v1",
        "id": "T-1",
        "applicant": { "name": "Test Co.", "country": "CN" },
        "product": { "name": "Lamp", "sector": "electrical-electronic", "markets": ["EU"] },
        "components": [
            { "id": "C1", "name": "housing", "material": { "class": "plastic", "polymer": "PP" },
              "mass": "100 g", "substances": { "lead": "500 mg/kg", "cadmium": "10 mg/kg" } },
            { "id": "C2", "name": "cable", "material": { "class": "plastic", "polymer": "PVC" },
              "mass": "50 g", "substances": { "lead": "1500 mg/kg" } }
        ]
    })
}

/// A test file whose cases all use the inline [`submission`].
fn test_yaml(header: &str, cases: &str) -> String {
    let inline = serde_json::to_string(&submission()).unwrap_or_default();
    let cases = cases.replace("SUBMISSION", &inline);
    format!("schema: recert.pack-test/v1\n{header}cases:\n{cases}")
}

fn parse(text: &str) -> Result<TestFile, recert_core::Diagnostics> {
    TestFile::parse(
        Source::from_text("t.test.yaml", text, Format::Yaml),
        Path::new("dir"),
    )
}

fn suite_of(pack: &str, text: &str) -> Vec<SuiteFile> {
    let test = parse(text).unwrap_or_else(|e| panic!("{e}"));
    vec![SuiteFile {
        test,
        pack: PackSource {
            name: "demo.yaml".to_owned(),
            text: pack.to_owned(),
            dir: None,
        },
    }]
}

fn run_suite(suite: &[SuiteFile], plugins: Option<&dyn PluginRunner>, coverage: bool) -> RunResult {
    let filter = Filter::default();
    run(
        suite,
        &RunOptions {
            plugins,
            filter: &filter,
            coverage,
            threads: 2,
        },
    )
}

fn status<'a>(result: &'a RunResult, name: &str) -> &'a CaseStatus {
    &result
        .cases
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"))
        .status
}

fn mismatches<'a>(result: &'a RunResult, name: &str) -> &'a [Mismatch] {
    match status(result, name) {
        CaseStatus::Failed { mismatches, .. } => mismatches,
        other => panic!("{name}: expected a failure, got {other:?}"),
    }
}

// ---- The file format -------------------------------------------------------

#[test]
fn parses_the_documented_format() {
    let text = r#"# yaml-language-server: $schema=../schemas/pack-test.schema.json
schema: recert.pack-test/v1
pack: demo
at: 2026-11-20
cases:
  - name: from a file
    submission: fixtures/demo/lamp.yaml
    expect:
      verdict: fail
      rules:
        demo-lead: fail
  - name: inline, own date and params
    submission: { schema: recert.submission/v1, id: X }
    at: 2031-01-01
    params: { lead_max: 2000, other: "0.05 %" }
    expect:
      rules:
        demo-lead:
          - { path: /components/1, outcome: pass }
          - { path: "", outcome: pass }
"#;
    let file = parse(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file.pack, "demo");
    assert_eq!(
        file.at.map(|d| d.to_string()).as_deref(),
        Some("2026-11-20")
    );
    assert_eq!(file.cases.len(), 2);
    let first = &file.cases[0];
    assert_eq!(
        first.submission,
        SubmissionRef::File(PathBuf::from("dir/fixtures/demo/lamp.yaml"))
    );
    assert_eq!(first.line, Some(6));
    assert_eq!(first.expect.verdict, Some(Verdict::Fail));
    assert_eq!(first.expect.rules[0].expected, Expected::All(Outcome::Fail));
    assert_eq!(file.date_of(first), file.at);
    let second = &file.cases[1];
    assert!(matches!(second.submission, SubmissionRef::Inline(_)));
    assert_eq!(
        file.date_of(second).map(|d| d.to_string()).as_deref(),
        Some("2031-01-01")
    );
    assert_eq!(second.params.get("lead_max"), Some(&json!(2000)));
    assert_eq!(second.params.get("other"), Some(&json!("0.05 %")));
    assert_eq!(second.expect.verdict, None);
    assert_eq!(
        second.expect.rules[0].expected,
        Expected::At(vec![
            PathExpect {
                path: "/components/1".to_owned(),
                outcome: Outcome::Pass
            },
            PathExpect {
                path: String::new(),
                outcome: Outcome::Pass
            },
        ])
    );
    assert!(second.mentions("demo-lead") && !second.mentions("demo-cadmium"));
}

#[test]
fn the_bundled_test_files_parse() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let files = discover(std::slice::from_ref(&rules)).unwrap_or_else(|e| panic!("{e}"));
    assert!(files.len() >= 3, "{files:?}");
    for path in files {
        let source = Source::read(&path).unwrap_or_else(|e| panic!("{e}"));
        let dir = path.parent().unwrap_or(Path::new("."));
        let file = TestFile::parse(source, dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(!file.cases.is_empty());
    }
}

#[test]
fn schema_errors_name_the_line_and_suggest_the_field() {
    let text = "schema: recert.pack-test/v1\npack: demo\ncases:\n  - name: a\n    submission: x.yaml\n    expct:\n      verdict: pass\n";
    let errors = parse(text).unwrap_err();
    let unknown = errors
        .iter()
        .find(|d| d.message.contains("`expct`"))
        .unwrap_or_else(|| panic!("{errors}"));
    assert_eq!(unknown.code, "schema");
    assert_eq!(unknown.location.line, Some(6));
    assert_eq!(unknown.help.as_deref(), Some("did you mean `expect`?"));
    assert!(
        errors
            .iter()
            .any(|d| d.message == "missing required field `expect` in `cases[0]`"),
        "{errors}"
    );
}

#[test]
fn a_misspelt_outcome_is_explained_not_one_of() {
    let text = "schema: recert.pack-test/v1\npack: demo\ncases:\n  - name: a\n    submission: x.yaml\n    expect:\n      rules:\n        demo-lead: passs\n";
    let errors = parse(text).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors}");
    let d = &errors.0[0];
    assert_eq!(d.location.line, Some(8));
    assert!(
        d.message.contains(
            "must be an outcome (pass, fail, not-applicable, not-in-force, error) or a list"
        ),
        "{d}"
    );
    assert!(d.message.contains("`passs`"), "{d}");
}

#[test]
fn a_bad_path_entry_is_explained_in_place() {
    let text = "schema: recert.pack-test/v1\npack: demo\ncases:\n  - name: a\n    submission: x.yaml\n    expect:\n      rules:\n        demo-lead:\n          - { path: /components/0, outcome: ok }\n          - { path: components/1, outcome: pass }\n";
    let errors = parse(text).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|d| d.location.line == Some(9) && d.message.contains("`outcome` must be one of")),
        "{errors}"
    );
    assert!(
        errors
            .iter()
            .any(|d| d.location.line == Some(10) && d.message.contains("JSON Pointer")),
        "{errors}"
    );
}

#[test]
fn wrong_schema_dates_names_and_empty_expectations() {
    let errors = parse("schema: recert.pack/v1\npack: demo\ncases: []\n").unwrap_err();
    assert!(
        errors
            .iter()
            .any(|d| d.location.pointer == "/schema" && d.help.is_some()),
        "{errors}"
    );
    assert!(
        errors
            .iter()
            .any(|d| d.message == "`cases` must not be empty"),
        "{errors}"
    );

    let errors = parse("schema: recert.pack-test/v1\npack: demo\nat: 2026-02-30\ncases:\n  - { name: a, submission: x.yaml, expect: {} }\n  - { name: a, submission: x.yaml, expect: { verdict: pass } }\n")
        .unwrap_err();
    assert!(
        errors
            .iter()
            .any(|d| d.message.contains("`expect` must say something")),
        "{errors}"
    );
    // Shape errors stop before the meaning is checked.
    assert!(!errors.iter().any(|d| d.code == "invalid-date"), "{errors}");

    let errors = parse("schema: recert.pack-test/v1\npack: demo\nat: 2026-02-30\ncases:\n  - { name: a, submission: x.yaml, expect: { verdict: pass } }\n  - { name: a, submission: x.yaml, expect: { verdict: fail } }\n")
        .unwrap_err();
    let date = errors
        .iter()
        .find(|d| d.code == "invalid-date")
        .unwrap_or_else(|| panic!("{errors}"));
    assert_eq!(date.location.line, Some(3));
    let dup = errors
        .iter()
        .find(|d| d.code == "duplicate-case-name")
        .unwrap_or_else(|| panic!("{errors}"));
    assert_eq!(dup.location.line, Some(6));
}

#[test]
fn duplicate_keys_are_rejected() {
    let errors =
        parse("schema: recert.pack-test/v1\npack: demo\npack: other\ncases: []\n").unwrap_err();
    assert_eq!(errors.0[0].code, "duplicate-key", "{errors}");
}

#[test]
fn the_published_schema_is_2020_12_with_its_id_and_refers_to_the_submission_schema() {
    let schema: serde_json::Value = serde_json::from_str(PACK_TEST_SCHEMA_JSON).unwrap_or_default();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(
        schema["$id"],
        "https://recert.dev/schemas/pack-test.schema.json"
    );
    assert_eq!(schema["properties"]["schema"]["const"], PACK_TEST_SCHEMA);
    assert_eq!(
        schema["$defs"]["inline_submission"]["$ref"],
        "submission.schema.json"
    );
    // The outcomes it lists are the report's.
    let outcomes: Vec<&str> = schema["$defs"]["outcome"]["enum"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let mut report: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
    report.sort_unstable();
    let mut listed = outcomes.clone();
    listed.sort_unstable();
    assert_eq!(listed, report);
}

// ---- Matching ----------------------------------------------------------------

#[test]
fn paths_match_by_whole_segments() {
    assert!(path_within("/components/1", "/components/1"));
    assert!(path_within(
        "/components/1/substances/lead",
        "/components/1"
    ));
    assert!(!path_within("/components/10", "/components/1"));
    assert!(!path_within("/components/1", "/components/1/substances"));
    assert!(path_within("/battery/capacity", ""));
    assert!(path_within("", ""));
    assert!(!path_within("", "/components/0"));
}

// ---- Running -------------------------------------------------------------------

#[test]
fn cases_pass_fail_and_explain() {
    let text = test_yaml(
        "pack: demo\nat: 2026-11-20\n",
        r#"  - name: as expected
    submission: SUBMISSION
    expect:
      verdict: fail
      rules:
        demo-lead:
          - { path: /components/0, outcome: pass }
          - { path: /components/1, outcome: fail }
        demo-cadmium: not-in-force
  - name: wrong outcomes
    submission: SUBMISSION
    expect:
      verdict: pass
      rules:
        demo-lead: pass
        demo-cadmium:
          - { path: /components/5, outcome: not-in-force }
  - name: missing data is an error with its reason
    submission: SUBMISSION
    at: 2030-01-01
    expect:
      rules:
        demo-cadmium:
          - { path: /components/1, outcome: pass }
"#,
    );
    let result = run_suite(&suite_of(PACK, &text), None, false);
    assert!(result.diagnostics.is_empty(), "{}", result.diagnostics);
    assert_eq!(status(&result, "as expected"), &CaseStatus::Passed);

    let wrong = mismatches(&result, "wrong outcomes");
    assert_eq!(wrong.len(), 3, "{wrong:#?}");
    assert_eq!(wrong[0].rule, None);
    assert_eq!(
        (wrong[0].expected.as_str(), wrong[0].actual.as_str()),
        ("pass", "fail")
    );
    assert_eq!(
        wrong[0].reason.as_deref(),
        Some("failed: demo-lead at /components/1/substances/lead")
    );
    assert_eq!(wrong[1].rule.as_deref(), Some("demo-lead"));
    assert_eq!(
        wrong[1].path.as_deref(),
        Some("/components/1/substances/lead")
    );
    assert_eq!(
        (wrong[1].expected.as_str(), wrong[1].actual.as_str()),
        ("pass", "fail")
    );
    assert_eq!(
        wrong[1].reason.as_deref(),
        Some("found 1500 mg/kg, required ≤ 1000 mg/kg")
    );
    assert_eq!(wrong[2].rule.as_deref(), Some("demo-cadmium"));
    assert_eq!(wrong[2].path.as_deref(), Some("/components/5"));
    assert_eq!(wrong[2].actual, "no finding");
    assert_eq!(
        wrong[2].reason.as_deref(),
        Some("the rule's findings are at (whole submission)")
    );

    let error = mismatches(&result, "missing data is an error with its reason");
    assert_eq!(error.len(), 1, "{error:#?}");
    assert_eq!(error[0].actual, "error");
    assert!(
        error[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("/components/1/substances/cadmium")),
        "{error:#?}"
    );
    assert_eq!(
        (result.passed(), result.failed(), result.skipped()),
        (1, 2, 0)
    );
}

#[test]
fn a_case_without_a_date_fails_with_a_clear_message() {
    let text = test_yaml(
        "pack: demo\n",
        "  - name: no date\n    submission: SUBMISSION\n    expect: { verdict: fail }\n",
    );
    let result = run_suite(&suite_of(PACK, &text), None, false);
    match status(&result, "no date") {
        CaseStatus::Failed {
            message: Some(message),
            mismatches,
        } => {
            assert!(message.contains("no evaluation date"), "{message}");
            assert!(mismatches.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert!(result.diagnostics.is_empty());
}

#[test]
fn unknown_rules_and_params_are_errors_in_the_test_file() {
    let text = test_yaml(
        "pack: demo\nat: 2026-11-20\n",
        r#"  - name: typo in a rule
    submission: SUBMISSION
    expect:
      rules:
        demo-leed: pass
  - name: typo in a param
    submission: SUBMISSION
    params: { lead_mx: 10 }
    expect: { verdict: fail }
  - name: fine
    submission: SUBMISSION
    expect: { verdict: fail }
"#,
    );
    let result = run_suite(&suite_of(PACK, &text), None, false);
    let rule = result
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-rule")
        .unwrap_or_else(|| panic!("{}", result.diagnostics));
    assert_eq!(rule.location.file, "t.test.yaml");
    assert_eq!(rule.location.line, Some(9));
    assert_eq!(rule.help.as_deref(), Some("did you mean `demo-lead`?"));
    let param = result
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-param")
        .unwrap_or_else(|| panic!("{}", result.diagnostics));
    assert_eq!(param.location.line, Some(12));
    assert_eq!(param.help.as_deref(), Some("did you mean `lead_max`?"));
    assert!(matches!(
        status(&result, "typo in a rule"),
        CaseStatus::Invalid(_)
    ));
    assert!(matches!(
        status(&result, "typo in a param"),
        CaseStatus::Invalid(_)
    ));
    assert_eq!(status(&result, "fine"), &CaseStatus::Passed);
    assert_eq!(result.failed(), 2);
}

#[test]
fn params_override_and_packs_compile_once_per_params_set() {
    let text = test_yaml(
        "pack: demo\nat: 2026-11-20\n",
        r#"  - name: default
    submission: SUBMISSION
    expect: { rules: { demo-lead: [ { path: /components/1, outcome: fail } ] } }
  - name: looser
    submission: SUBMISSION
    params: { lead_max: 2000 }
    expect: { verdict: pass, rules: { demo-lead: pass } }
  - name: looser again, as a quantity
    submission: SUBMISSION
    params: { lead_max: "0.2 %" }
    expect: { verdict: pass }
  - name: looser once more
    submission: SUBMISSION
    params: { lead_max: 2000 }
    expect: { verdict: pass }
  - name: bad value
    submission: SUBMISSION
    params: { lead_max: "lots" }
    expect: { verdict: pass }
"#,
    );
    let result = run_suite(&suite_of(PACK, &text), None, false);
    for name in [
        "default",
        "looser",
        "looser again, as a quantity",
        "looser once more",
    ] {
        assert_eq!(status(&result, name), &CaseStatus::Passed, "{name}");
    }
    // The default, 2000, "0.2 %" and "lots": four compilations for five cases.
    assert_eq!(result.compilations, 4);
    assert!(matches!(
        status(&result, "bad value"),
        CaseStatus::Invalid(_)
    ));
    let bad = result
        .diagnostics
        .iter()
        .next()
        .unwrap_or_else(|| panic!("no diagnostic"));
    assert_eq!(bad.location.file, "t.test.yaml", "{bad}");
    assert_eq!(bad.location.pointer, "/cases/4/params/lead_max", "{bad}");
    assert!(bad.location.line.is_some());
}

#[test]
fn an_invalid_inline_submission_is_located_in_the_test_file() {
    let text = "schema: recert.pack-test/v1\npack: demo\nat: 2026-11-20\ncases:\n  - name: bad\n    submission:\n      schema: recert.submission/v1\n      id: X\n    expect: { verdict: pass }\n";
    let result = run_suite(&suite_of(PACK, text), None, false);
    assert!(matches!(status(&result, "bad"), CaseStatus::Invalid(_)));
    let d = result
        .diagnostics
        .iter()
        .next()
        .unwrap_or_else(|| panic!("no diagnostic"));
    assert_eq!(d.location.file, "t.test.yaml");
    assert!(d.location.pointer.starts_with("/cases/0/submission"), "{d}");
    assert!(d.location.line.is_some(), "{d}");
}

#[test]
fn a_missing_submission_file_names_the_case() {
    let text = "schema: recert.pack-test/v1\npack: demo\nat: 2026-11-20\ncases:\n  - name: missing\n    submission: no-such-file.yaml\n    expect: { verdict: pass }\n";
    let result = run_suite(&suite_of(PACK, text), None, false);
    let d = result
        .diagnostics
        .iter()
        .next()
        .unwrap_or_else(|| panic!("no diagnostic"));
    assert_eq!(d.code, "file-not-found");
    assert_eq!(d.location.line, Some(6));
    assert!(d.message.contains("dir/no-such-file.yaml"), "{d}");
}

#[test]
fn filters_select_packs_rules_and_names() {
    let text = test_yaml(
        "pack: demo\nat: 2026-11-20\n",
        r#"  - name: Lead only
    submission: SUBMISSION
    expect: { rules: { demo-lead: [ { path: /components/0, outcome: pass } ] } }
  - name: cadmium only
    submission: SUBMISSION
    expect: { rules: { demo-cadmium: not-in-force } }
"#,
    );
    let suite = suite_of(PACK, &text);
    let names = |filter: Filter| -> Vec<String> {
        let options = RunOptions {
            plugins: None,
            filter: &filter,
            coverage: false,
            threads: 1,
        };
        run(&suite, &options)
            .cases
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(
        names(Filter {
            rule: Some("demo-cadmium".into()),
            ..Filter::default()
        }),
        ["cadmium only"]
    );
    assert_eq!(
        names(Filter {
            case: Some("LEAD".into()),
            ..Filter::default()
        }),
        ["Lead only"]
    );
    assert!(
        names(Filter {
            pack: Some("other".into()),
            ..Filter::default()
        })
        .is_empty()
    );
    assert_eq!(names(Filter::default()).len(), 2);
}

struct FakePlugin;

impl PluginRunner for FakePlugin {
    fn run(&self, request: &PluginRequest<'_>) -> Result<PluginOutput, String> {
        Ok(PluginOutput {
            plugin: PluginInfo {
                id: request.plugin.to_owned(),
                version: "1.0.0".to_owned(),
                sha256: "0".repeat(64),
            },
            findings: Ok(vec![PluginFinding {
                rule: request.call.rule.to_owned(),
                outcome: Outcome::Fail,
                path: "/components/0".to_owned(),
                actual: None,
                expected: None,
                message: "no".to_owned(),
                reference: None,
            }]),
            spent: 0,
        })
    }
}

#[test]
fn plugin_cases_are_skipped_without_a_host_and_run_with_one() {
    let text = test_yaml(
        "pack: demo-plugged\nat: 2026-11-20\n",
        r#"  - name: plugin rule
    submission: SUBMISSION
    expect: { rules: { demo-by-plugin: [ { path: /components/0, outcome: fail } ] } }
  - name: verdict
    submission: SUBMISSION
    expect: { verdict: fail }
  - name: plain rule only
    submission: SUBMISSION
    expect: { rules: { demo-plain: pass } }
"#,
    );
    let suite = suite_of(PLUGIN_PACK, &text);
    let without = run_suite(&suite, None, true);
    assert!(matches!(
        status(&without, "plugin rule"),
        CaseStatus::Skipped(_)
    ));
    assert!(matches!(
        status(&without, "verdict"),
        CaseStatus::Skipped(_)
    ));
    assert_eq!(status(&without, "plain rule only"), &CaseStatus::Passed);
    assert_eq!(without.coverage[0].is_complete(), None);
    assert_eq!(
        (without.passed(), without.failed(), without.skipped()),
        (1, 0, 3)
    );

    let with = run_suite(&suite, Some(&FakePlugin), false);
    for case in &with.cases {
        assert_eq!(case.status, CaseStatus::Passed, "{}", case.name);
    }
}

// ---- Coverage ------------------------------------------------------------------

#[test]
fn coverage_needs_pass_fail_and_not_in_force_for_windowed_rules() {
    let text = test_yaml(
        "pack: demo\nat: 2026-11-20\n",
        r#"  - name: lead passes and fails
    submission: SUBMISSION
    expect: { rules: { demo-lead: [ { path: /components/0, outcome: pass }, { path: /components/1, outcome: fail } ] } }
  - name: cadmium not in force
    submission: SUBMISSION
    expect: { rules: { demo-cadmium: not-in-force } }
  - name: cadmium passes, an outcome the case does not check does not count
    submission: SUBMISSION
    at: 2030-01-01
    expect: { rules: { demo-cadmium: [ { path: /components/0, outcome: pass } ] } }
"#,
    );
    let result = run_suite(&suite_of(PACK, &text), None, true);
    assert_eq!(result.coverage.len(), 1);
    let coverage = &result.coverage[0];
    assert_eq!(coverage.pack, "demo");
    assert_eq!(coverage.is_complete(), Some(false));
    let gaps: Vec<(&str, Vec<Outcome>)> = coverage
        .gaps()
        .map(|g| (g.rule.as_str(), g.missing()))
        .collect();
    assert_eq!(gaps, [("demo-cadmium", vec![Outcome::Fail])]);
    let lead = &coverage.rules[0];
    assert_eq!(lead.needs, [Outcome::Pass, Outcome::Fail]);
    assert_eq!(
        coverage.rules[1].needs,
        [Outcome::Pass, Outcome::Fail, Outcome::NotInForce]
    );
    // Three cases passed; the coverage failed.
    assert_eq!((result.passed(), result.failed()), (3, 1));
    let text = text::render(&result);
    assert!(
        text.contains("FAIL demo › coverage: 1 of 2 rules lack an outcome"),
        "{text}"
    );
    assert!(text.contains("demo-cadmium  fail"), "{text}");
    assert!(text.ends_with("3 passed, 1 failed\n"), "{text}");
}

// ---- Output --------------------------------------------------------------------

#[test]
fn text_has_a_line_per_case_a_diff_and_the_closing_line() {
    let text = test_yaml(
        "pack: demo\nat: 2026-11-20\n",
        r#"  - name: good
    submission: SUBMISSION
    expect: { verdict: fail }
  - name: bad
    submission: SUBMISSION
    expect: { rules: { demo-lead: pass } }
"#,
    );
    let result = run_suite(&suite_of(PACK, &text), None, false);
    let out = text::render(&result);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "ok   demo › good");
    assert_eq!(lines[1], "FAIL demo › bad");
    assert_eq!(lines[2], "       t.test.yaml:8");
    assert_eq!(
        lines[3],
        "       rule       path                           expected  actual"
    );
    assert_eq!(
        lines[4],
        "       demo-lead  /components/1/substances/lead  pass      fail    found 1500 mg/kg, required ≤ 1000 mg/kg"
    );
    assert_eq!(lines.last(), Some(&"1 passed, 1 failed"));
}

#[test]
fn junit_groups_by_pack_and_escapes() {
    let text = test_yaml(
        "pack: demo\n",
        r#"  - name: good <&> "quoted"
    submission: SUBMISSION
    at: 2026-11-20
    expect: { verdict: fail }
  - name: bad
    submission: SUBMISSION
    at: 2026-11-20
    expect: { rules: { demo-lead: pass } }
  - name: no date
    submission: SUBMISSION
    expect: { verdict: pass }
"#,
    );
    let result = run_suite(&suite_of(PACK, &text), None, true);
    let xml = junit::render(&result);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"recert test\" tests=\"4\" failures=\"3\" errors=\"0\" skipped=\"0\">"), "{xml}");
    assert!(
        xml.contains("<testsuite name=\"demo\" tests=\"4\" failures=\"3\""),
        "{xml}"
    );
    assert!(xml.contains("<testcase name=\"good &lt;&amp;&gt; &quot;quoted&quot;\" classname=\"demo\" file=\"t.test.yaml\" line=\"4\"/>"), "{xml}");
    assert!(
        xml.contains("<failure message=\"no evaluation date"),
        "{xml}"
    );
    assert!(xml.contains("<failure message=\"1 expectation did not hold\" type=\"mismatch\">t.test.yaml:8&#10;rule "), "{xml}");
    assert!(
        xml.contains("<testcase name=\"coverage\" classname=\"demo\""),
        "{xml}"
    );
    assert!(xml.ends_with("</testsuites>\n"));
    // Balanced elements.
    for tag in ["testsuites", "testsuite", "testcase", "failure"] {
        let open =
            xml.matches(&format!("<{tag} ")).count() + xml.matches(&format!("<{tag}>")).count();
        let self_closed = xml
            .match_indices(&format!("<{tag} "))
            .filter(|(i, _)| {
                xml[*i..]
                    .split('>')
                    .next()
                    .is_some_and(|t| t.ends_with('/'))
            })
            .count();
        let close = xml.matches(&format!("</{tag}>")).count();
        assert_eq!(open - self_closed, close, "{tag}: {xml}");
    }
}

#[test]
fn xml_escaping_covers_markup_and_forbidden_characters() {
    assert_eq!(junit::escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
    assert_eq!(junit::escape("x\ny\tz\r"), "x&#10;y&#9;z&#13;");
    assert_eq!(
        junit::escape("bell\u{7}\u{1b}[0m\u{ffff}"),
        "bell\u{fffd}\u{fffd}[0m\u{fffd}"
    );
    assert_eq!(junit::escape("铅 ≤ 1000 mg/kg"), "铅 ≤ 1000 mg/kg");
}

// ---- Finding files and packs ------------------------------------------------------

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("recert-packtest-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn finds_test_files_recursively_and_their_packs_beside_them() {
    let root = temp_dir("discover");
    let nested = root.join("a/b");
    std::fs::create_dir_all(&nested).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(root.join(".hidden")).unwrap_or_else(|e| panic!("{e}"));
    let inline = serde_json::to_string(&submission()).unwrap_or_default();
    let test = format!(
        "schema: recert.pack-test/v1\npack: demo\nat: 2026-11-20\ncases:\n  - name: one\n    submission: {inline}\n    expect: {{ verdict: fail }}\n"
    );
    std::fs::write(nested.join("demo.yaml"), PACK).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(nested.join("demo.test.yaml"), &test).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join(".hidden/x.test.yaml"), "not: read").unwrap_or_else(|e| panic!("{e}"));
    // A test whose pack is elsewhere, and one whose pack id is misspelt.
    std::fs::write(root.join("far.test.yaml"), &test).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        root.join("typo.test.yaml"),
        test.replace("pack: demo", "pack: dmeo"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // A submission beside it whose id is that misspelling is not a pack.
    std::fs::write(
        root.join("lamp.yaml"),
        "schema: recert.submission/v1\nid: dmeo\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));

    let found = discover(std::slice::from_ref(&root)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        found,
        [
            nested.join("demo.test.yaml"),
            root.join("far.test.yaml"),
            root.join("typo.test.yaml")
        ]
    );

    let (suite, errors) = load_suite(std::slice::from_ref(&root), &[]);
    assert_eq!(suite.len(), 1);
    assert_eq!(
        suite[0].pack.name,
        nested.join("demo.yaml").display().to_string()
    );
    assert_eq!(errors.0.len(), 2, "{errors}");
    assert!(
        errors.iter().all(|d| d.code == "pack-not-found"),
        "{errors}"
    );
    let typo = errors
        .iter()
        .find(|d| d.location.file.ends_with("typo.test.yaml"))
        .unwrap_or_else(|| panic!("{errors}"));
    assert_eq!(typo.location.line, Some(2));

    // --packs finds the pack of the far test; the misspelt one gets a suggestion.
    let (suite, errors) = load_suite(std::slice::from_ref(&root), std::slice::from_ref(&nested));
    assert_eq!(suite.len(), 2);
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert_eq!(errors.0[0].help.as_deref(), Some("did you mean `demo`?"));

    let filter = Filter::default();
    let options = RunOptions {
        plugins: None,
        filter: &filter,
        coverage: false,
        threads: 0,
    };
    let result = run_paths(std::slice::from_ref(&root), &[], &options);
    assert_eq!(result.cases.len(), 1);
    assert_eq!(result.not_run.len(), 2);
    assert_eq!((result.passed(), result.failed()), (1, 2));
    assert!(text::render(&result).starts_with("FAIL "));

    let missing = discover(&[root.join("nope")]).unwrap_err();
    assert_eq!(missing.0[0].code, "file-not-found");
    let empty = temp_dir("empty");
    assert_eq!(
        discover(std::slice::from_ref(&empty)).unwrap_err().0[0].code,
        "no-tests"
    );
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&empty);
}

#[test]
fn the_bundled_packs_pass_their_tests_with_full_coverage() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let filter = Filter::default();
    let options = RunOptions {
        plugins: None,
        filter: &filter,
        coverage: true,
        threads: 0,
    };
    let result = run_paths(std::slice::from_ref(&rules), &[], &options);
    assert!(result.diagnostics.is_empty(), "{}", result.diagnostics);
    assert_eq!(result.failed(), 0, "{}", text::render(&result));
    // Without a plugin host only the packs without plugin rules are measured.
    for coverage in &result.coverage {
        if !["eu-batteries", "food-contact", "recycled-plastic-quality"]
            .contains(&coverage.pack.as_str())
        {
            assert_eq!(coverage.is_complete(), Some(true), "{}", coverage.pack);
        }
    }
    assert!(result.passed() >= 40);
}

#[test]
fn the_published_schema_accepts_the_test_files_and_checks_inline_submissions() {
    // As an editor sees it: the inline submission checked against the
    // submission schema it refers to.
    let published: serde_json::Value =
        serde_json::from_str(PACK_TEST_SCHEMA_JSON).unwrap_or_default();
    let submission_schema: serde_json::Value =
        serde_json::from_str(recert_core::load::SUBMISSION_SCHEMA).unwrap_or_default();
    let registry = jsonschema::Registry::new()
        .add(
            "https://recert.dev/schemas/submission.schema.json",
            submission_schema,
        )
        .and_then(|r| r.prepare())
        .unwrap_or_else(|e| panic!("{e}"));
    let validator = jsonschema::options()
        .with_registry(&registry)
        .build(&published)
        .unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = discover(&[root.join("rules")]).unwrap_or_else(|e| panic!("{e}"));
    files.push(root.join("tests/fixtures/packtest/inline.test.yaml"));
    for path in &files {
        let source = Source::read(path).unwrap_or_else(|e| panic!("{e}"));
        let json = recert_core::load::parse_document(&source).unwrap_or_else(|e| panic!("{e}"));
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
    let mut bad = submission();
    bad["product"]["sector"] = json!("toys");
    let file = json!({
        "schema": PACK_TEST_SCHEMA, "pack": "demo",
        "cases": [{ "name": "a", "submission": bad, "expect": { "verdict": "pass" } }]
    });
    assert!(!validator.is_valid(&file));
}

#[test]
fn text_output_shows_control_characters_of_a_case_name() {
    let result = RunResult {
        cases: vec![CaseResult {
            pack: "demo".to_owned(),
            file: "t.test.yaml".to_owned(),
            name: "\u{1b}[2J\u{1b}[H\rall ok\u{202E}".to_owned(),
            line: Some(3),
            status: CaseStatus::Failed {
                message: Some("\u{1b}[1A\u{1b}[2Kok".to_owned()),
                mismatches: Vec::new(),
            },
        }],
        ..RunResult::default()
    };
    let out = text::render(&result);
    assert!(
        !out.chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202E}'),
        "{out:?}"
    );
    assert!(
        out.starts_with("FAIL demo › ␛[2J␛[H␍all ok\\u{202E}\n"),
        "{out}"
    );
}
