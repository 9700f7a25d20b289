//! `recert docs` and `recert explain`: the committed pages of the bundled
//! packs are up to date, a changed threshold makes them stale, and one rule
//! can be explained in either language.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::PathBuf;

use common::{fresh_dir, recert, repo};

/// Copies every bundled pack and test file into a fresh folder.
fn copy_rules() -> PathBuf {
    let dir = fresh_dir("recert-docs-test");
    for entry in std::fs::read_dir(repo().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

#[test]
fn the_committed_pack_pages_are_up_to_date() {
    let run = recert(&["docs", "--check"]);
    assert_eq!(
        run.code, 0,
        "docs/packs/ is stale: run `recert docs` (cargo run -- docs) and commit the pages\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("19 pages in docs/packs are up to date"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_changed_threshold_makes_the_committed_pages_stale() {
    // Mutation: the RoHS lead limit of a copied pack goes from 1000 to 500
    // mg/kg; checked against the pages committed for the original.
    let dir = copy_rules();
    let pack = dir.join("eu-eee-substances.yaml");
    let text = std::fs::read_to_string(&pack).unwrap();
    let changed = text.replacen(
        "  lead_max:\n    value: 1000\n",
        "  lead_max:\n    value: 500\n",
        1,
    );
    assert_ne!(changed, text, "the threshold was not found");
    std::fs::write(&pack, changed).unwrap();
    let run = recert(&["docs", dir.to_str().unwrap(), "--check", "-o", "docs/packs"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let stale: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("stale: "))
        .collect();
    assert_eq!(
        stale,
        [
            "stale: docs/packs/eu-eee-substances.md (out of date)",
            "stale: docs/packs/eu-eee-substances.zh.md (out of date)",
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("2 of 19 pages are stale"),
        "{}",
        run.stderr
    );
    // Writing fixes it, and the new page states the new limit.
    let out = dir.join("pages");
    let run = recert(&["docs", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(out.join("eu-eee-substances.md")).unwrap();
    assert!(page.contains("| `lead_max` | 500 | mg/kg |"), "{page}");
    assert!(page.contains("≤ 500 mg/kg (`lead_max`)"));
    let run = recert(&[
        "docs",
        dir.to_str().unwrap(),
        "--check",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_pack_that_does_not_compile_exits_2() {
    let dir = copy_rules();
    let pack = dir.join("eu-packaging.yaml");
    let text = std::fs::read_to_string(&pack).unwrap();
    std::fs::write(
        &pack,
        text.replace("max: params.heavy_metals_sum_max", "max: params.nope"),
    )
    .unwrap();
    let run = recert(&["docs", dir.to_str().unwrap(), "--check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("unknown-param"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explain_prints_one_rule_in_either_language() {
    let run = recert(&["explain", "rohs-cadmium"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("# `rohs-cadmium`: Cadmium in each homogeneous material\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("- **Requirement**: ≤ 100 mg/kg (`cadmium_max`)")
    );
    assert!(run.stdout.contains("## Examples"));
    assert!(
        run.stdout
            .contains("| fan heater fails every RoHS substance in some component |")
    );
    // The same section as on the pack's page.
    let page = std::fs::read_to_string(repo().join("docs/packs/eu-eee-substances.md")).unwrap();
    assert!(page.contains("- **Requirement**: ≤ 100 mg/kg (`cadmium_max`)"));

    let run = recert(&["explain", "rohs-cadmium", "--lang", "zh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("# `rohs-cadmium`：各均质材料中的镉\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("- **要求**：≤ 100 mg/kg（`cadmium_max`）"),
        "{}",
        run.stdout
    );
}

#[test]
fn explain_suggests_a_rule_for_a_typo() {
    let run = recert(&["explain", "rohs-cadmum"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no loaded pack has a rule `rohs-cadmum`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `rohs-cadmium`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_reads_packs_given_with_packs() {
    let dir = copy_rules();
    let pack = dir.join("eu-eee-substances.yaml");
    let text = std::fs::read_to_string(&pack).unwrap();
    std::fs::write(
        &pack,
        text.replacen("    value: 100\n", "    value: 50\n", 1),
    )
    .unwrap();
    let run = recert(&["explain", "rohs-cadmium", "--packs", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("≤ 50 mg/kg (`cadmium_max`)"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explain_codes_lists_every_diagnostic_code() {
    let run = recert(&["explain", "--codes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("explain_codes", run.stdout);
    // A rule and --codes do not go together; one of them is needed.
    assert_eq!(recert(&["explain", "rohs-cadmium", "--codes"]).code, 2);
    assert_eq!(recert(&["explain"]).code, 2);
}
