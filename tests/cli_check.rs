//! `recert check` as a batch tool: several files, params overrides, -o.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::recert;

#[test]
fn several_files_give_json_lines_and_the_worst_exit_code() {
    let run = recert(&[
        "check",
        "examples/eee-abs-housing.yaml",
        "examples/eee-missing-data.yaml",
        "examples/eee-wt-percent.yaml",
        "--at",
        "2026-11-20",
        "--format",
        "json",
    ]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    let verdicts: Vec<String> = lines
        .iter()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["verdict"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        verdicts,
        ["pass", "incomplete", "fail"],
        "in the order given"
    );
    assert_eq!(run.code, 1, "fail outranks incomplete");
}

#[test]
fn an_invalid_file_in_a_batch_is_reported_and_the_rest_still_run() {
    let run = recert(&[
        "check",
        "examples/eee-abs-housing.yaml",
        "tests/fixtures/invalid/unknown-unit.yaml",
        "--at",
        "2026-11-20",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 2);
    // One record per input: the invalid one says so, with its diagnostics.
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[0]["verdict"], "pass");
    assert_eq!(lines[1]["verdict"], "invalid");
    assert_eq!(
        lines[1]["submission"]["file"],
        "tests/fixtures/invalid/unknown-unit.yaml"
    );
    assert_eq!(lines[1]["diagnostics"][0]["code"], "unknown-unit");
    assert!(
        run.stderr.contains("unknown-unit.yaml:15:"),
        "{}",
        run.stderr
    );
}

#[test]
fn params_overrides_change_the_limit_and_are_recorded() {
    let base = [
        "check",
        "examples/eee-wt-percent.yaml",
        "--at",
        "2026-11-20",
        "--format",
        "json",
    ];
    let default: serde_json::Value = serde_json::from_str(&recert(&base).stdout).unwrap();
    let mut args = base.to_vec();
    args.extend(["--params", "tests/fixtures/params/stricter-lead.yaml"]);
    let run = recert(&args);
    let stricter: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();

    let lead = |report: &serde_json::Value| -> Vec<(String, String)> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "rohs-lead")
            .map(|f| {
                (
                    f["outcome"].as_str().unwrap().to_owned(),
                    f["expected"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    // 500 and 900 mg/kg: both pass at 1000, the 900 fails at 500.
    assert_eq!(
        lead(&default),
        [
            ("pass".into(), "≤ 1000 mg/kg".into()),
            ("pass".into(), "≤ 1000 mg/kg".into())
        ]
    );
    assert_eq!(
        lead(&stricter),
        [
            ("pass".into(), "≤ 500 mg/kg".into()),
            ("fail".into(), "≤ 500 mg/kg".into())
        ]
    );
    assert_eq!(
        stricter["params"],
        serde_json::json!([{"pack": "eu-eee-substances", "name": "lead_max", "default": 1000, "value": 500.0, "unit": "mg/kg"}])
    );
}

#[test]
fn an_unknown_param_is_an_error_that_names_it() {
    let run = recert(&[
        "check",
        "examples/eee-wt-percent.yaml",
        "--params",
        "tests/fixtures/params/unknown-param.yaml",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error[unknown-param]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown-param.yaml:2:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("lead_max"),
        "the known params are listed: {}",
        run.stderr
    );
}

#[test]
fn output_goes_to_a_file_with_dash_o() {
    let dir = std::env::temp_dir().join(format!("recert-o-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.md");
    let run = recert(&[
        "check",
        "examples/eee-abs-housing.yaml",
        "--format",
        "markdown",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("# recert report: PASS")
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_future_date_previews_rules_not_yet_in_force() {
    let at = |date: &str| -> serde_json::Value {
        let run = recert(&[
            "check",
            "examples/packaging-pet-bottle-pass.yaml",
            "--at",
            date,
            "--format",
            "json",
        ]);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let outcome = |report: &serde_json::Value, rule: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["outcome"].as_str().unwrap().to_owned())
            .collect()
    };
    for date in ["2026-11-20", "2030-06-01"] {
        assert_eq!(
            outcome(&at(date), "ppwr-rc-2040-beverage-bottle"),
            ["not-in-force"],
            "{date}"
        );
    }
    // From 2040 it is evaluated (the bottle's 2030-level share misses it).
    let from_2040 = outcome(&at("2040-01-01"), "ppwr-rc-2040-beverage-bottle");
    assert!(
        !from_2040.is_empty() && from_2040.iter().all(|o| o != "not-in-force"),
        "{from_2040:?}"
    );
}

/// A battery submission whose casing's post-consumer share is `share`.
fn battery_with_share(dir: &std::path::Path, share: &str) -> String {
    let text = std::fs::read_to_string(
        common::repo().join("rules/fixtures/eu-batteries/ev-nmc-mercury-missing.yaml"),
    )
    .unwrap()
    .replace("post_consumer: 25 %", &format!("post_consumer: {share}"));
    let path = dir.join(format!("share-{}.yaml", share.replace([' ', '%'], "")));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn a_share_written_as_a_fraction_is_warned_about_in_validate_and_check() {
    let dir = common::fresh_dir("recert-fraction");
    let fraction = battery_with_share(&dir, "0.25");
    for args in [
        vec!["validate", fraction.as_str()],
        vec!["check", fraction.as_str(), "--at", "2026-11-20"],
    ] {
        let run = recert(&args);
        assert!(
            run.stderr.contains("warning[share-as-fraction]")
                && run
                    .stderr
                    .contains("`post_consumer` is 0.25 %, while every other share of the submission is above 1 %: did you mean 25 %?")
                && run.stderr.contains("at /components/1/recycled/post_consumer"),
            "{args:?}: {}",
            run.stderr
        );
        // A warning: the submission stays valid.
        assert_ne!(run.code, 2, "{args:?}");
    }
    let zh = recert(&[
        "check",
        fraction.as_str(),
        "--at",
        "2026-11-20",
        "--lang",
        "zh",
    ]);
    assert!(zh.stderr.contains("是否应为 25 %"), "{}", zh.stderr);
    // Written as a percentage, or with every share small, nothing is said.
    for share in ["25 %", "25"] {
        let path = battery_with_share(&dir, share);
        let run = recert(&["validate", &path]);
        assert!(!run.stderr.contains("share-as-fraction"), "{}", run.stderr);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_negative_share_or_one_above_100_percent_is_refused() {
    // `-35` for a minimum recycled share was accepted: every share passed.
    let run = recert(&[
        "check",
        "examples/eee-wt-percent.yaml",
        "--params",
        "tests/fixtures/params/negative-share.yaml",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn a_pack_whose_share_param_defaults_below_zero_is_refused() {
    let text = std::fs::read_to_string(common::repo().join("rules/eu-packaging.yaml")).unwrap();
    let from = "  rc_2030_other_min:\n    value: 35\n";
    assert!(text.contains(from));
    let dir = common::fresh_dir("recert-negative-default");
    let path = dir.join("eu-packaging.yaml");
    std::fs::write(
        &path,
        text.replace(from, "  rc_2030_other_min:\n    value: -35\n"),
    )
    .unwrap();
    let run = recert(&[
        "check",
        "examples/eee-wt-percent.yaml",
        "--packs",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "`rc_2030_other_min` of pack `eu-packaging` is -35 %: a quantity in % cannot be negative"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("eu-packaging.yaml:112:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_misspelt_substance_is_a_warning_and_with_strict_an_error() {
    // `total_flourine: 900 mg/kg` under a food-contact component passed
    // silently (spelled right, it fails at 900 > 50 mg/kg).
    let file = "tests/fixtures/names/misspelt-substance.yaml";
    let validate = recert(&["validate", file]);
    assert_eq!(validate.code, 0, "{}", validate.stderr);
    assert!(
        validate
            .stdout
            .contains("valid (SUB-2026-000311, 1 warning)")
    );
    insta::assert_snapshot!("unknown-names-validate", validate.stderr);
    let strict = recert(&["validate", "--strict", file]);
    assert_eq!(strict.code, 2, "{}", strict.stderr);
    assert!(
        strict.stdout.contains("invalid (1 problem)"),
        "{}",
        strict.stdout
    );
    assert!(
        strict.stderr.contains(
            "error[unknown-name]: no loaded pack or plugin reads the substance `total_flourine`"
        ),
        "{}",
        strict.stderr
    );

    let check = recert(&["check", file, "--format", "json"]);
    assert!(
        check.stderr.contains("warning[unknown-name]")
            && check.stderr.contains("did you mean `total_fluorine`?"),
        "{}",
        check.stderr
    );
    serde_json::from_str::<serde_json::Value>(&check.stdout).unwrap();
    let strict = recert(&["check", "--strict", file]);
    assert_eq!(strict.code, 2, "{}", strict.stderr);
    assert!(strict.stdout.is_empty(), "{}", strict.stdout);
    assert!(
        strict.stderr.contains("error[unknown-name]")
            && strict.stderr.contains(
                "misspelt-substance.yaml:52:7 at /components/0/substances/total_flourine"
            ),
        "{}",
        strict.stderr
    );
}

#[test]
fn unknown_names_are_told_in_the_language_asked_for() {
    let file = "tests/fixtures/names/misspelt-substance.yaml";
    let validate = recert(&["validate", "--lang", "zh", file]);
    assert_eq!(validate.code, 0, "{}", validate.stderr);
    insta::assert_snapshot!("unknown-names-validate-zh", validate.stderr);
    let check = recert(&["check", "--lang", "zh", "--strict", file]);
    assert_eq!(check.code, 2, "{}", check.stderr);
    assert!(
        check.stderr.contains(
            "error[unknown-name]: 已加载的规则包和插件均未读取物质 `total_flourine`：该物质未经检查"
        ) && check.stderr.contains("help: 是否应为 `total_fluorine`？"),
        "{}",
        check.stderr
    );
    // English stays the default.
    let check = recert(&["check", "--format", "json", file]);
    assert!(
        check
            .stderr
            .contains("help: did you mean `total_fluorine`?"),
        "{}",
        check.stderr
    );
}

#[test]
fn names_read_by_packs_and_plugins_are_known() {
    // The bundled examples use only names that packs or plugins read.
    for example in [
        "examples/eee-abs-housing.yaml",
        "examples/battery-casing-hb.yaml",
        "examples/battery-ev-pass.yaml",
        "examples/packaging-shrink-film-fail.yaml",
    ] {
        let run = recert(&["validate", "--strict", example]);
        assert_eq!(run.code, 0, "{example}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{example}: {}", run.stderr);
    }
}
