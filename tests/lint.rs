//! `recert lint`: the bundled packs are clean, and mistakes in a copied pack
//! are caught with `file:line:col`, the right level and exit code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::PathBuf;

use common::{fresh_dir, recert, recert_in, repo};

/// A fresh folder with copies of bundled packs (and their tests), the pack
/// named `pack` changed by `edit`.
fn copied(pack: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = fresh_dir("recert-lint-test");
    let text = std::fs::read_to_string(repo().join(format!("rules/{pack}.yaml"))).unwrap();
    std::fs::write(dir.join(format!("{pack}.yaml")), edit(text)).unwrap();
    std::fs::copy(
        repo().join(format!("rules/{pack}.test.yaml")),
        dir.join(format!("{pack}.test.yaml")),
    )
    .unwrap();
    dir
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn the_bundled_packs_and_their_tests_lint_clean() {
    let run = recert(&["lint"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "", "no findings expected");
    assert!(
        run.stderr
            .contains("9 packs, 9 test files: 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_renamed_field_is_caught_with_its_place_and_a_suggestion() {
    // Mutation: `product.sector` renamed `product.sectr` in the applies_to of
    // a copy of the packaging pack.
    let dir = copied("eu-packaging", |t| {
        t.replace(
            "product.sector == 'packaging'",
            "product.sectr == 'packaging'",
        )
    });
    let file = dir.join("eu-packaging.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = line_of(&text, "product.sectr");
    // The column of the misspelt field itself.
    let column = text.lines().nth(line - 1).unwrap().find("sectr").unwrap() + 1;
    let run = recert_in(&dir, &["lint", "eu-packaging.yaml"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let expected = format!(
        "eu-packaging.yaml:{line}:{column}: unknown-field: `product.sectr`: `product` has no field `sectr`, so a valid submission never has it (at /applies_to)"
    );
    assert!(run.stdout.starts_with(&expected), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("  help: did you mean `product.sector`?"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("1 error, 0 warnings"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_misspelt_element_field_in_a_comprehension_is_an_error() {
    let dir = copied("eu-batteries", |t| {
        t.replace(
            "sum(components.map(c, c.substances.mercury * c.mass))",
            "sum(components.map(c, c.substances.mercury * c.weight))",
        )
    });
    let run = recert_in(&dir, &["lint", "."]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("unknown-field: `components[].weight`: a component has no field `weight`"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_output_carries_levels_codes_and_places() {
    let dir = copied("eu-eee-substances", |t| {
        t.replace(
            "      en: Lead in each homogeneous material\n      zh: 各均质材料中的铅",
            "      en: Lead in each homogeneous material\n      zh: Lead in each homogeneous material",
        )
        .replace("must not exceed {limit} by weight", "must not exceed {limt} by weight")
    });
    let run = recert_in(&dir, &["lint", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let get = |code: &str| {
        findings
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("no {code}: {}", run.stdout))
    };
    assert_eq!(get("untranslated")["level"], "warning");
    assert_eq!(get("unknown-placeholder")["level"], "error");
    assert_eq!(
        get("unknown-placeholder")["help"],
        "did you mean `{limit}`?"
    );
    assert_eq!(
        get("unknown-placeholder")["location"]["pointer"],
        "/rules/0/message/en"
    );
    assert!(get("untranslated")["location"]["line"].as_u64().unwrap() > 1);
    assert!(json["errors"].as_u64().unwrap() >= 1);
    assert_eq!(json["packs"], 1);
    assert_eq!(json["tests"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn warnings_alone_exit_0_unless_denied() {
    let dir = copied("eu-eee-substances", |t| {
        t.replace(
            "      zh: 各均质材料中的铅\n",
            "      zh: Lead in each homogeneous material\n",
        )
    });
    let run = recert_in(&dir, &["lint", "."]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(": untranslated: warning: "),
        "{}",
        run.stdout
    );
    let run = recert_in(&dir, &["lint", ".", "--deny-warnings"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_plugin_pin_that_does_not_match_is_an_error() {
    let dir = copied("eu-batteries", |t| {
        t.replace(
            "  - id: battery-casing\n",
            "  - id: battery-casing\n    sha256: 0000000000000000000000000000000000000000000000000000000000000000\n",
        )
    });
    let run = recert_in(&dir, &["lint", "."]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("plugin-digest-mismatch: the pack pins plugin `battery-casing`"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rule_ids_of_a_new_pack_must_not_collide_with_the_bundled_ones() {
    let dir = copied("eu-eee-substances", |t| {
        t.replace("id: eu-eee-substances\n", "id: acme-eee\n")
    });
    std::fs::remove_file(dir.join("eu-eee-substances.test.yaml")).unwrap();
    let run = recert_in(&dir, &["lint", "."]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("duplicate-rule-id: rule id `rohs-lead` is already defined at rules/eu-eee-substances.yaml:"),
        "{}",
        run.stdout
    );
    // For packs always run without the bundled ones, that is no problem.
    let run = recert_in(&dir, &["lint", ".", "--no-bundled"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_test_file_naming_a_rule_the_pack_lacks_is_an_error() {
    let dir = copied("eu-packaging", |t| t);
    let test = dir.join("eu-packaging.test.yaml");
    let text = std::fs::read_to_string(&test).unwrap();
    std::fs::write(
        &test,
        text.replacen("ppwr-heavy-metals:", "ppwr-heavy-metal:", 1),
    )
    .unwrap();
    let run = recert_in(&dir, &["lint"]);
    // The default path is `rules`, which does not exist here.
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let run = recert_in(&dir, &["lint", "."]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("eu-packaging.test.yaml:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("unknown-rule: case ")
            && run.stdout.contains("did you mean `ppwr-heavy-metals`?"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unreadable_input_exits_2() {
    let run = recert(&["lint", "no/such/folder"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("file-not-found"), "{}", run.stderr);
}

/// A `when` that tests whether a measurement is present would make a product
/// without the lab result not applicable, so it would pass unchecked: lint
/// warns, with the code, the place, the reason and the fix.
#[test]
fn a_when_that_tests_a_measurements_presence_is_a_warning() {
    let dir = fresh_dir("recert-lint-presence");
    let pack = "# yaml-language-server: $schema=../schemas/rule-pack.schema.json
schema: recert.pack/v1
id: acme-pfas
version: 1.0.0
title: { en: PFAS in food-contact packaging, zh: 食品接触包装中的全氟和多氟烷基物质 }
standards:
  - id: ppwr
    title: { en: PPWR, zh: 欧盟包装和包装废弃物法规 }
applies_to: product.sector == 'packaging'
rules:
  - id: acme-pfas-total
    title: { en: Total PFAS, zh: 总全氟和多氟烷基物质 }
    message: { en: 'Total PFAS must be below {limit}.', zh: '总全氟和多氟烷基物质必须低于 {limit}。' }
    severity: error
    reference: { standard: ppwr, clause: Art. 5(5) }
    for_each: components
    when: product.food_contact && has(component.substances.pfas_total)
    check:
      value: component.substances.pfas_total
      below: 50
      unit: mg/kg
";
    std::fs::write(dir.join("acme-pfas.yaml"), pack).unwrap();
    let run = recert_in(&dir, &["lint", ".", "--no-bundled"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let line = line_of(pack, "    when:");
    assert!(
        run.stdout.contains(&format!(
            "acme-pfas.yaml:{line}:11: when-tests-measurement: warning: rule `acme-pfas-total`: `when` tests whether the measured value `component.substances.pfas_total` is present"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("help: missing data must give outcome `error`"),
        "{}",
        run.stdout
    );
    let fixed = pack.replace(" && has(component.substances.pfas_total)", "");
    std::fs::write(dir.join("acme-pfas.yaml"), fixed).unwrap();
    let run = recert_in(&dir, &["lint", ".", "--no-bundled", "--deny-warnings"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_function_or_an_invalid_regex_is_an_error() {
    // Both passed lint and failed every evaluation at run time.
    let when = "e.clause.startsWith('Art. 2(4)'))\"";
    let dir = copied("eu-eee-substances", |t| {
        t.replacen(when, "e.clause.startWith('Art. 2(4)'))\"", 1)
            .replacen(when, "e.clause.matches('^Art. 2(4'))\"", 1)
    });
    let run = recert_in(&dir, &["lint", "eu-eee-substances.yaml"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    insta::assert_snapshot!(run.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}
