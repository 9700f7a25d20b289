//! Bad input: exit code 2, and a message that names the place (file, line and
//! column, JSON path) — never a panic, never a report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::recert;

/// Checks `recert check FILE` exits 2 with the code, `file:line` and pointer named.
fn rejects(file: &str, code: &str, line: usize, pointer: &str) -> String {
    let run = recert(&["check", file]);
    assert_eq!(run.code, 2, "{file}: exit code; stderr:\n{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "{file}: no report on stdout, got:\n{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(&format!("error[{code}]")),
        "{file}: code `{code}` in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("{file}:{line}:")),
        "{file}: line {line} in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(pointer),
        "{file}: pointer `{pointer}` in:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
    run.stderr
}

const INVALID: &str = "tests/fixtures/invalid";

#[test]
fn malformed_yaml_names_line_and_column() {
    let stderr = rejects(&format!("{INVALID}/malformed.yaml"), "yaml-syntax", 8, "");
    assert!(stderr.contains("malformed.yaml:8:11"), "{stderr}");
}

#[test]
fn a_duplicate_key_is_rejected_not_silently_replaced() {
    rejects(
        &format!("{INVALID}/duplicate-key.yaml"),
        "duplicate-key",
        17,
        "/components/0/substances/lead",
    );
    rejects(
        &format!("{INVALID}/duplicate-key.json"),
        "duplicate-key",
        13,
        "/components/0/substances/lead",
    );
}

#[test]
fn an_alias_bomb_is_stopped() {
    let started = std::time::Instant::now();
    rejects(&format!("{INVALID}/alias-bomb.yaml"), "alias-limit", 6, "");
    // Stopped by a budget, not by running out of memory: a debug build on a
    // loaded CI machine still answers within seconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn too_deep_nesting_is_rejected() {
    rejects(&format!("{INVALID}/too-deep.json"), "too-deep", 1, "/x/0/0");
}

#[test]
fn a_wrong_schema_string_is_named() {
    let stderr = rejects(
        &format!("{INVALID}/wrong-schema.yaml"),
        "wrong-schema-version",
        1,
        "/schema",
    );
    assert!(stderr.contains("recert.submission/v2") && stderr.contains("recert.submission/v1"));
}

#[test]
fn an_unknown_sector_lists_the_sectors() {
    let stderr = rejects(
        &format!("{INVALID}/unknown-sector.yaml"),
        "schema",
        6,
        "/product/sector",
    );
    assert!(stderr.contains("`cars`") && stderr.contains("electrical-electronic"));
}

#[test]
fn a_missing_required_field_is_named() {
    let stderr = rejects(
        &format!("{INVALID}/missing-mass.yaml"),
        "schema",
        14,
        "/components/1",
    );
    assert!(stderr.contains("missing required field `mass`"));
}

#[test]
fn unit_errors_name_the_unit() {
    let stderr = rejects(
        &format!("{INVALID}/unknown-unit.yaml"),
        "unknown-unit",
        15,
        "/components/0/substances/lead",
    );
    assert!(stderr.contains("`kgs`"));
    let stderr = rejects(
        &format!("{INVALID}/wrong-dimension.yaml"),
        "wrong-dimension",
        15,
        "/components/0/substances/lead",
    );
    assert!(stderr.contains("`kg` is a mass, expected a concentration"));
}

#[test]
fn out_of_range_quantities_are_rejected() {
    rejects(
        &format!("{INVALID}/share-over-100.yaml"),
        "out-of-range",
        15,
        "/components/0/recycled/post_consumer",
    );
    rejects(
        &format!("{INVALID}/negative-mass.yaml"),
        "negative",
        13,
        "/components/0/mass",
    );
}

#[test]
fn a_credit_code_with_a_wrong_check_character_is_rejected() {
    rejects(
        &format!("{INVALID}/bad-credit-code.yaml"),
        "invalid-credit-code",
        5,
        "/applicant/credit_code",
    );
}

#[test]
fn a_missing_file_is_named() {
    let run = recert(&["check", "no/such/submission.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error[file-not-found]")
            && run.stderr.contains("no/such/submission.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_pack_with_a_cel_syntax_error_names_file_line_and_column() {
    let run = recert(&[
        "check",
        "examples/eee-abs-housing.yaml",
        "--packs",
        "tests/fixtures/packs/cel-syntax-error.yaml",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("error[cel-syntax]"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("tests/fixtures/packs/cel-syntax-error.yaml:20:52 at /rules/0/when"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_rule_id_used_by_two_packs_names_both_places() {
    let run = recert(&[
        "check",
        "examples/eee-abs-housing.yaml",
        "--packs",
        "tests/fixtures/packs/duplicate-rule-id.yaml",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[duplicate-rule-id]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("tests/fixtures/packs/duplicate-rule-id.yaml:10:9"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("rules/eu-eee-substances.yaml:"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        recert(&[
            "check",
            "examples/eee-abs-housing.yaml",
            "--at",
            "2026-13-01"
        ])
        .code,
        2
    );
    assert_eq!(recert(&["check"]).code, 2);
    assert_eq!(recert(&["check", "x.yaml", "--format", "pdf"]).code, 2);
}

#[test]
fn validate_reports_every_file() {
    let run = recert(&[
        "validate",
        "examples/eee-abs-housing.yaml",
        &format!("{INVALID}/unknown-unit.yaml"),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("examples/eee-abs-housing.yaml: valid"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("unknown-unit.yaml: invalid"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("error[unknown-unit]"));
}

#[test]
fn error_messages_read_well() {
    // One snapshot of the whole message, for a person's eyes.
    let run = recert(&["check", &format!("{INVALID}/wrong-dimension.yaml")]);
    insta::assert_snapshot!(run.stderr);
}

/// An error message quotes the submission: what it quotes cannot send a
/// control sequence to the terminal nor start a line of its own.
#[test]
fn a_quoted_value_cannot_take_over_the_terminal() {
    let stderr = rejects(
        &format!("{INVALID}/hostile-unit.yaml"),
        "unknown-unit",
        13,
        "/components/0/mass",
    );
    assert!(
        !stderr
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202E}'),
        "{stderr:?}"
    );
    assert!(
        stderr.lines().all(|l| !l.starts_with("Verdict")),
        "{stderr}"
    );
    assert!(stderr.contains("␛[2J␛[H␍kg␤Verdict: PASS"), "{stderr}");
}

#[test]
fn a_pack_expression_too_big_for_the_parser_is_refused_at_its_line() {
    // 15 000 terms, or 200 nested brackets, overflowed the parser's stack
    // and aborted `check` and `lint` with no report.
    let pack =
        std::fs::read_to_string(common::repo().join("tests/fixtures/packs/cel-syntax-error.yaml"))
            .unwrap();
    let dir = common::fresh_dir("recert-cel-limits");
    let terms = vec!["1.0"; 15_000].join(" + ");
    let nested = format!("{}true{}", "([".repeat(100), "])".repeat(100));
    for (name, when, limit) in [
        ("terms.yaml", terms.as_str(), "the limit is 16384 bytes"),
        ("nested.yaml", nested.as_str(), "the limit is 32 levels"),
    ] {
        let text = pack.replace(
            "when: component.material.class == 'plastic' &&",
            &format!("when: \"{when} > 0.0\""),
        );
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let path = path.to_str().unwrap();
        let check = recert(&["check", "examples/eee-abs-housing.yaml", "--packs", path]);
        assert_eq!(check.code, 2, "{}", check.stderr);
        assert!(check.stdout.is_empty(), "{}", check.stdout);
        assert!(
            check.stderr.contains("error[cel-too-large]"),
            "{}",
            check.stderr
        );
        // `recert lint` lists its findings on stdout and exits 1.
        let lint = recert(&["lint", path]);
        assert_eq!(lint.code, 1, "{}", lint.stderr);
        assert!(lint.stdout.contains("cel-too-large"), "{}", lint.stdout);
        for text in [&check.stderr, &lint.stdout] {
            assert!(text.contains(&format!("{name}:20:")), "{text}");
            assert!(text.contains("CEL: `when`:"), "{text}");
            assert!(text.contains(limit), "{text}");
        }
    }
}

#[test]
fn thousands_of_schema_errors_are_capped_with_a_count() {
    // 20 000 unknown fields: the first 100 in the order of the text, then
    // one line with the rest counted (locating them was quadratic).
    let mut component =
        String::from("{\"id\": \"C1\", \"mass\": \"1 kg\", \"material\": {\"class\": \"steel\"}");
    for i in 0..20_000 {
        component.push_str(&format!(",\n  \"x{i:05}\": 1"));
    }
    component.push('}');
    let text = format!(
        "{{\"schema\": \"recert.submission/v1\", \"id\": \"S1\",\n\
         \"product\": {{\"name\": \"P\", \"sector\": \"electrical-electronic\", \"markets\": [\"EU\"]}},\n\
         \"components\": [{component}]}}\n"
    );
    let dir = common::fresh_dir("recert-many-errors");
    let path = dir.join("many.json");
    std::fs::write(&path, text).unwrap();
    let run = recert(&["validate", path.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("error[schema]").count(),
        100,
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("error[").count(), 101);
    assert!(run.stderr.contains("unknown field `x00000`"));
    assert!(
        run.stderr
            .contains("many.json:4:13 at /components/0/x00000"),
        "{}",
        run.stderr
    );
    // The missing `applicant` comes first, at line 1.
    assert!(run.stderr.contains("missing required field `applicant`"));
    assert!(run.stderr.contains("unknown field `x00098`"));
    assert!(!run.stderr.contains("unknown field `x00099`"));
    assert!(
        run.stderr
            .contains("error[more-errors]: and 19901 more errors (only the first 100 are shown)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_rule_too_costly_to_evaluate_ends_quickly_with_error() {
    // Three nested `all()` over 2 000 components ran for minutes, and text
    // built over the components in a loop over them took a minute and a
    // gigabyte: each rule's evaluation has a cost budget.
    let mut components = Vec::new();
    for i in 0..2_000 {
        components.push(format!(
            "{{\"id\": \"C{i}\", \"mass\": \"1 kg\", \"material\": {{\"class\": \"steel\"}}}}"
        ));
    }
    let text = format!(
        "{{\"schema\": \"recert.submission/v1\", \"id\": \"S1\", \"date\": \"2026-09-22\",\n\
         \"applicant\": {{\"name\": \"A\", \"country\": \"DE\"}},\n\
         \"product\": {{\"name\": \"P\", \"sector\": \"electrical-electronic\", \"markets\": [\"EU\"]}},\n\
         \"components\": [{}]}}",
        components.join(",\n")
    );
    let dir = common::fresh_dir("recert-cel-cost");
    let path = dir.join("many.json");
    std::fs::write(&path, text).unwrap();
    let started = std::time::Instant::now();
    let run = recert(&[
        "check",
        path.to_str().unwrap(),
        "--packs",
        "tests/fixtures/packs/cel-cost.yaml",
        "--format",
        "json",
    ]);
    let elapsed = started.elapsed();
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["verdict"], "incomplete");
    for rule in ["cel-cost-nested-loops", "cel-cost-string-building"] {
        let finding = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule}: {}", run.stdout));
        assert_eq!(finding["outcome"], "error", "{finding}");
        let reason = finding["reason"].as_str().unwrap();
        assert!(
            reason.contains("more than 1000000 list elements, the limit for one rule"),
            "{reason}"
        );
    }
    // A few seconds of CPU in a release build; far more in a debug build on a busy machine.
    assert!(elapsed.as_secs() < 300, "took {elapsed:?}");
}
