//! Every rule recert ships cites where its requirement comes from: each rule
//! of each bundled pack has `reference.clause` and `reference.row` (the row
//! of the project's domain standards table), and each rule a bundled plugin
//! describes names its clause with the rows in brackets, e.g.
//! `Art. 8(2)(a), 8(3) (B3, B4)`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{fresh_dir, recert};
use serde_json::Value;

/// Rules with no row in the standards table, each with the reason. Keep it
/// short: a rule belongs here only when no row covers its source.
const NO_ROW: &[(&str, &str)] = &[
    // Art. 3(1) definitions of a portable (≤ 5 kg) and an LMT (≤ 25 kg)
    // battery: the table has no row for the definitions (secondary summaries
    // only), and the rules are consistency warnings, not requirements.
    (
        "eu-batt-category-portable-mass",
        "Art. 3(1) definition, no row",
    ),
    ("eu-batt-category-lmt-mass", "Art. 3(1) definition, no row"),
];

/// Whether `token` is a row id of the table: one or two capitals and digits
/// (`B3`, `Q14`, `K15`).
fn is_row_id(token: &str) -> bool {
    let letters = token.chars().take_while(char::is_ascii_uppercase).count();
    let rest = &token[letters..];
    (1..=2).contains(&letters) && !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
}

/// Whether `clause` has a bracketed group that names a row id:
/// `(B3, B4)`, `(K1-K6, K15)`, `(B4; LMT scope unconfirmed)`.
fn cites_a_row(clause: &str) -> bool {
    clause.split('(').skip(1).any(|group| {
        let inside = group.split(')').next().unwrap_or("");
        inside
            .split([',', ';', ' ', '-', '–'])
            .any(|t| is_row_id(t.trim()))
    })
}

#[test]
fn row_ids_are_recognised() {
    for clause in [
        "Art. 8(2)(a), 8(3) (B3, B4)",
        "UL 94 §8 (V-0, V-1, V-2), §9 (5VB, 5VA); class required by the certification scheme (K1-K6, K15)",
        "Art. 8(3) (B4; LMT scope unconfirmed)",
        "GRS 4.0 (Q17)",
    ] {
        assert!(cites_a_row(clause), "{clause}");
    }
    for clause in [
        "Art. 8(2)(a), 8(3)",
        "UL 94 §8 (V-0, V-1, V-2), §9 (5VB, 5VA)",
        "Art. 3(1) (portable battery)",
        "",
    ] {
        assert!(!cites_a_row(clause), "{clause}");
    }
}

#[test]
fn every_rule_of_every_bundled_pack_cites_its_clause_and_row() {
    let run = recert(&["packs", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let packs: Value = serde_json::from_str(&run.stdout).unwrap();
    let mut missing = Vec::new();
    let mut rules = 0;
    for pack in packs.as_array().unwrap() {
        for rule in pack["rules"].as_array().unwrap() {
            rules += 1;
            let id = rule["id"].as_str().unwrap();
            let reference = &rule["reference"];
            let clause = reference["clause"].as_str().unwrap_or("");
            if clause.trim().is_empty() {
                missing.push(format!("{}: {id} has no reference.clause", pack["id"]));
            }
            let row = reference["row"].as_str().unwrap_or("");
            let exempt = NO_ROW.iter().any(|(r, _)| *r == id);
            if exempt {
                assert!(row.is_empty(), "{id} has row {row}: take it off NO_ROW");
            } else if !is_row_id(row) {
                missing.push(format!(
                    "{}: {id} has no reference.row (a STANDARDS.md row id), got {row:?}",
                    pack["id"]
                ));
            }
        }
    }
    assert!(rules > 50, "only {rules} rules seen");
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn every_rule_a_bundled_plugin_describes_cites_its_clause_and_rows() {
    let dir = fresh_dir("references");
    let plugins = recert_bundled_plugins::bundled();
    assert!(plugins.len() >= 2, "{plugins:?}");
    let mut missing = Vec::new();
    for plugin in plugins {
        let file = dir.join(format!("{}.wasm", plugin.id));
        std::fs::write(&file, plugin.wasm).unwrap();
        let run = recert(&[
            "plugin",
            "inspect",
            file.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(run.code, 0, "{}: {}", plugin.id, run.stderr);
        let info: Value = serde_json::from_str(&run.stdout).unwrap();
        let rules = info["rules"].as_array().unwrap();
        assert!(!rules.is_empty(), "{}", plugin.id);
        for rule in rules {
            let clause = rule["reference"]["clause"].as_str().unwrap_or("");
            if !cites_a_row(clause) {
                missing.push(format!(
                    "{}: {} cites {clause:?}, without a STANDARDS.md row id in brackets",
                    plugin.id, rule["id"]
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
