//! `recert test`: the bundled packs pass their own tests with full coverage,
//! broken test files are reported, and mistakes in a pack make it fail.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::{Run, fresh_dir, recert, repo};

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or("")
}

// ---- The bundled packs --------------------------------------------------------

#[test]
fn bundled_packs_pass_their_tests_with_full_coverage() {
    let out = recert(&["test", "rules/", "--coverage"]);
    let text = &out.stdout;
    assert_eq!(out.code, 0, "{text}\n{}", out.stderr);
    let last = last_line(text);
    assert!(
        last.contains(" passed, 0 failed"),
        "last line: {last}\n{text}"
    );
    assert!(!text.contains("FAIL"), "{text}");
    for pack in [
        "eu-packaging",
        "eu-eee-substances",
        "eu-batteries",
        "food-contact",
        "recycled-plastic-quality",
        "traceability",
        "eu-vehicles",
        "textile-claims",
        "cn-market",
    ] {
        assert!(
            text.contains(&format!("ok   {pack} › coverage: ")),
            "{pack}\n{text}"
        );
    }
    // The plugin host runs the battery pack's plugin rules: nothing is skipped.
    let skipped: Vec<&str> = text.lines().filter(|l| l.starts_with("skip ")).collect();
    assert!(skipped.is_empty(), "skipped:\n{}", skipped.join("\n"));
    assert!(!out.stderr.contains("no plugin host"), "{}", out.stderr);
}

#[test]
fn the_default_path_is_rules() {
    let default = recert(&["test"]);
    let explicit = recert(&["test", "rules/"]);
    assert_eq!(default.code, 0, "{}", default.stderr);
    assert_eq!(default.stdout, explicit.stdout);
}

#[test]
fn junit_output_has_a_suite_per_pack() {
    let out = recert(&["test", "rules/", "--coverage", "--format", "junit"]);
    let xml = &out.stdout;
    assert_eq!(out.code, 0, "{xml}\n{}", out.stderr);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        "{xml}"
    );
    for pack in [
        "eu-packaging",
        "eu-eee-substances",
        "eu-batteries",
        "food-contact",
        "recycled-plastic-quality",
        "traceability",
        "eu-vehicles",
        "textile-claims",
        "cn-market",
    ] {
        assert!(
            xml.contains(&format!("<testsuite name=\"{pack}\" ")),
            "{pack}\n{xml}"
        );
    }
    assert!(!xml.contains("<failure"), "{xml}");
    assert!(xml.trim_end().ends_with("</testsuites>"));
}

#[test]
fn filters_select_cases() {
    let out = recert(&["test", "rules/", "--rule", "rohs-cadmium"]);
    let text = &out.stdout;
    assert_eq!(out.code, 0, "{text}");
    let cases: Vec<&str> = text.lines().filter(|l| l.starts_with("ok ")).collect();
    assert!(!cases.is_empty());
    assert!(
        cases
            .iter()
            .all(|l| l.starts_with("ok   eu-eee-substances › ")),
        "{text}"
    );

    let out = recert(&[
        "test",
        "rules/",
        "--pack",
        "eu-packaging",
        "--case",
        "GLASS JAR",
    ]);
    let text = &out.stdout;
    assert_eq!(out.code, 0, "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("ok ")).count(),
        3,
        "{text}"
    );
    assert_eq!(last_line(text), "3 passed, 0 failed");

    let out = recert(&["test", "rules/", "--case", "no case is called this"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no case matches --case"),
        "{}",
        out.stderr
    );
}

// ---- Broken test files ------------------------------------------------------------

fn fixture(name: &str) -> String {
    format!("tests/fixtures/packtest/{name}.test.yaml")
}

#[test]
fn a_wrong_expectation_fails_with_a_diff() {
    let out = recert(&["test", &fixture("failing"), "--packs", "rules"]);
    let text = &out.stdout;
    assert_eq!(out.code, 1, "{text}\n{}", out.stderr);
    assert!(
        text.contains("ok   eu-eee-substances › correct expectations"),
        "{text}"
    );
    assert!(
        text.contains(
            "FAIL eu-eee-substances › the cable's lead is expected to pass, but it fails"
        ),
        "{text}"
    );
    assert!(
        text.contains("tests/fixtures/packtest/failing.test.yaml:13"),
        "{text}"
    );
    let diff = text
        .lines()
        .find(|l| l.trim_start().starts_with("rohs-lead "))
        .unwrap_or_else(|| panic!("{text}"));
    let cells: Vec<&str> = diff.split_whitespace().collect();
    assert_eq!(
        &cells[..4],
        ["rohs-lead", "/components/1/substances/lead", "pass", "fail"],
        "{diff}"
    );
    assert!(
        diff.ends_with("found 1450 mg/kg, required ≤ 1000 mg/kg"),
        "{diff}"
    );
    assert_eq!(last_line(text), "1 passed, 1 failed");
}

#[test]
fn a_case_without_a_date_fails() {
    let out = recert(&["test", &fixture("no-date"), "--packs", "rules"]);
    let text = &out.stdout;
    assert_eq!(out.code, 1, "{text}");
    assert!(text.contains("no evaluation date"), "{text}");
    assert_eq!(last_line(text), "0 passed, 1 failed");
}

#[test]
fn a_misspelt_rule_is_an_invalid_test_file() {
    let out = recert(&["test", &fixture("unknown-rule"), "--packs", "rules"]);
    let err = &out.stderr;
    assert_eq!(out.code, 2, "{err}");
    assert!(
        err.contains("error[unknown-rule]: pack `eu-eee-substances` has no rule `rohs-leed`"),
        "{err}"
    );
    assert!(
        err.contains("--> tests/fixtures/packtest/unknown-rule.test.yaml:9:9"),
        "{err}"
    );
    assert!(err.contains("did you mean `rohs-lead`?"), "{err}");
    assert_eq!(last_line(&out.stdout), "0 passed, 1 failed");
}

#[test]
fn a_schema_error_names_file_and_line() {
    let out = recert(&["test", &fixture("schema-error"), "--packs", "rules"]);
    let err = &out.stderr;
    assert_eq!(out.code, 2, "{err}");
    assert!(
        err.contains("error[schema]: unknown field `expct` in `cases[0]`"),
        "{err}"
    );
    assert!(
        err.contains("--> tests/fixtures/packtest/schema-error.test.yaml:7:5"),
        "{err}"
    );
    assert!(err.contains("did you mean `expect`?"), "{err}");
    assert!(
        out.stdout
            .starts_with("FAIL tests/fixtures/packtest/schema-error.test.yaml")
    );
}

#[test]
fn a_missing_submission_file_is_invalid_input() {
    let out = recert(&["test", &fixture("missing-fixture"), "--packs", "rules"]);
    let err = &out.stderr;
    assert_eq!(out.code, 2, "{err}");
    assert!(err.contains("error[file-not-found]"), "{err}");
    assert!(err.contains("missing-fixture.test.yaml:6"), "{err}");
}

#[test]
fn inline_submissions_and_a_default_date_work() {
    let out = recert(&["test", &fixture("inline"), "--packs", "rules"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(last_line(&out.stdout), "1 passed, 0 failed");
}

#[test]
fn a_test_file_needs_its_pack() {
    // Without --packs the bundled packs are not beside these test files.
    let out = recert(&["test", &fixture("inline")]);
    let err = &out.stderr;
    assert_eq!(out.code, 2, "{err}");
    assert!(
        err.contains("error[pack-not-found]: no pack with id `eu-eee-substances`"),
        "{err}"
    );
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    let out = recert(&["test", "no/such/folder"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no/such/folder"), "{}", out.stderr);
}

// ---- Mistakes in a bundled pack make `recert test` fail ---------------------------------

/// A copy of `rules/` (packs, tests, fixtures) in a fresh temporary folder.
struct RulesCopy {
    dir: PathBuf,
}

impl RulesCopy {
    fn new() -> RulesCopy {
        let dir = fresh_dir("recert-pack-tests");
        copy_dir(&repo().join("rules"), &dir);
        RulesCopy { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Replaces `from` by `to` in `file`, exactly once.
    fn replace(&self, file: &str, from: &str, to: &str) {
        let path = self.path(file);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(text.matches(from).count(), 1, "`{from}` in {file}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{e}"));
    }

    fn test(&self, test_file: &str) -> Run {
        let path = self.path(test_file);
        recert(&["test", path.to_str().unwrap_or_default()])
    }
}

impl Drop for RulesCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

#[test]
fn the_unchanged_copy_passes() {
    // The mutations below fail because of the mutation, not the copy.
    let copy = RulesCopy::new();
    for file in ["eu-eee-substances.test.yaml", "eu-packaging.test.yaml"] {
        let out = copy.test(file);
        assert_eq!(out.code, 0, "{file}\n{}\n{}", out.stdout, out.stderr);
    }
}

#[test]
fn mutation_a_raised_threshold_fails_the_tests() {
    // RoHS lead: 1000 mg/kg (0.1 %) becomes 10000 mg/kg.
    let copy = RulesCopy::new();
    copy.replace(
        "eu-eee-substances.yaml",
        "  lead_max:\n    value: 1000\n",
        "  lead_max:\n    value: 10000\n",
    );
    let out = copy.test("eu-eee-substances.test.yaml");
    let text = &out.stdout;
    assert_eq!(out.code, 1, "{text}\n{}", out.stderr);
    assert!(
        text.contains(
            "FAIL eu-eee-substances › fan heater fails every RoHS substance in some component"
        ),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.contains("rohs-lead")
            && l.contains("fail")
            && l.contains("required ≤ 10000 mg/kg")),
        "{text}"
    );
    assert!(!last_line(text).contains(" 0 failed"), "{text}");
}

#[test]
fn mutation_a_renamed_field_fails_the_tests() {
    // The lead check reads `component.substances.led`, a field no submission has.
    let copy = RulesCopy::new();
    copy.replace(
        "eu-eee-substances.yaml",
        "value: component.substances.lead\n",
        "value: component.substances.led\n",
    );
    let out = copy.test("eu-eee-substances.test.yaml");
    let text = &out.stdout;
    assert_eq!(out.code, 1, "{text}\n{}", out.stderr);
    assert!(
        text.lines().any(|l| l.contains("rohs-lead")
            && l.contains("/components/0/substances/led")
            && l.contains("error")
            && l.contains("missing `/components/0/substances/led`")),
        "{text}"
    );
}

#[test]
fn mutation_a_dropped_reference_makes_the_pack_invalid() {
    // A rule without the clause it checks does not load: exit 2, located.
    let copy = RulesCopy::new();
    copy.replace(
        "eu-packaging.yaml",
        "    reference: { standard: ppwd, clause: Art. 11(1), row: P8 }\n",
        "",
    );
    let out = copy.test("eu-packaging.test.yaml");
    let err = &out.stderr;
    assert_eq!(out.code, 2, "{}\n{err}", out.stdout);
    assert!(err.contains("reference"), "{err}");
    assert!(err.contains("eu-packaging.yaml:"), "{err}");
    let text = &out.stdout;
    assert!(text.contains("does not load"), "{text}");
    assert!(!last_line(text).contains(" 0 failed"), "{text}");
}
