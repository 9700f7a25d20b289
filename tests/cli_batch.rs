//! `recert check` over a batch: folders, standard input, JSON Lines streams
//! and `--files-from`, one record per input in input order (invalid and
//! unreadable inputs included), the same output on any number of threads,
//! and a summary whose counts are the records'.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::{fresh_dir, recert, recert_stdin, repo};
use serde_json::Value;

fn copy(from: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(repo().join(from), to).unwrap();
}

/// A folder of submissions (valid, invalid, a file that is not one, a
/// hidden one) and a JSON Lines stream of three lines (valid, not a
/// submission, not JSON) and a blank line.
fn corpus() -> (PathBuf, PathBuf) {
    let dir = fresh_dir("recert-batch");
    let folder = dir.join("in");
    copy("examples/eee-wt-percent.yaml", &folder.join("b.yaml"));
    copy("examples/eee-abs-housing.yaml", &folder.join("a.yml"));
    copy(
        "tests/fixtures/invalid/unknown-unit.yaml",
        &folder.join("sub/c.yaml"),
    );
    copy(
        "examples/eee-missing-data.yaml",
        &folder.join("sub/d.json.txt"),
    );
    copy(
        "examples/eee-missing-data.yaml",
        &folder.join(".hidden/e.yaml"),
    );
    let one_line: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("examples/eee-10-components.json")).unwrap(),
    )
    .unwrap();
    let stream = dir.join("stream.jsonl");
    std::fs::write(
        &stream,
        format!("{one_line}\n\n{{\"schema\": \"nope\"}}\nnot json\n"),
    )
    .unwrap();
    (folder, stream)
}

fn records(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn files_and_verdicts(records: &[Value]) -> Vec<(String, String)> {
    records
        .iter()
        .map(|r| {
            (
                r["submission"]["file"].as_str().unwrap().to_owned(),
                r["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_batch_of_folders_stdin_and_json_lines_gives_one_record_per_input_in_order() {
    let (folder, stream) = corpus();
    let summary = folder.parent().unwrap().join("summary.json");
    let stdin = std::fs::read(repo().join("examples/eee-missing-data.yaml")).unwrap();
    let run = |jobs: &str| {
        recert_stdin(
            &[
                "check",
                folder.to_str().unwrap(),
                stream.to_str().unwrap(),
                "tests/fixtures/no-such-file.yaml",
                "-",
                "--at",
                "2026-11-20",
                "--format",
                "json",
                "--summary",
                summary.to_str().unwrap(),
                "-j",
                jobs,
            ],
            &stdin,
        )
    };
    let four = run("4");
    let records = records(&four.stdout);
    let f = |p: &Path| p.display().to_string();
    let s = f(&stream);
    assert_eq!(
        files_and_verdicts(&records),
        [
            (f(&folder.join("a.yml")), "pass".to_owned()),
            (f(&folder.join("b.yaml")), "fail".to_owned()),
            (f(&folder.join("sub/c.yaml")), "invalid".to_owned()),
            (format!("{s}#1"), "incomplete".to_owned()),
            (format!("{s}#3"), "invalid".to_owned()),
            (format!("{s}#4"), "invalid".to_owned()),
            (
                "tests/fixtures/no-such-file.yaml".to_owned(),
                "invalid".to_owned()
            ),
            ("<stdin>".to_owned(), "incomplete".to_owned()),
        ],
        "{}",
        four.stderr
    );
    assert_eq!(records[2]["diagnostics"][0]["code"], "unknown-unit");
    assert_eq!(records[6]["diagnostics"][0]["code"], "file-not-found");
    assert_eq!(four.code, 2, "an invalid input outranks the rest");

    // Every record follows the report schema, the invalid ones included.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    for record in &records {
        let errors: Vec<String> = validator
            .iter_errors(record)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{record}");
    }
    let mut not_a_report = records[0].clone();
    not_a_report["verdict"] = "invalid".into();
    assert!(!validator.is_valid(&not_a_report));

    // The summary counts what the records say.
    let counted: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(counted["inputs"], records.len());
    for verdict in ["pass", "fail", "incomplete", "not-covered", "invalid"] {
        let n = records.iter().filter(|r| r["verdict"] == verdict).count();
        assert_eq!(counted["verdicts"][verdict], n, "{verdict}");
    }
    let summary_schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/batch-summary.schema.json")).unwrap(),
    )
    .unwrap();
    assert!(jsonschema::draft202012::is_valid(&summary_schema, &counted));
    let cadmium = counted["failed_rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "rohs-cadmium")
        .unwrap();
    assert_eq!(cadmium["pack"], "eu-eee-substances");
    assert_eq!(cadmium["submissions"], 1);

    // One thread or four: the same bytes.
    let one = run("1");
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(one.code, four.code);
}

#[test]
fn files_from_reads_a_list_and_text_output_accounts_for_every_input() {
    let (folder, _) = corpus();
    let list = format!(
        "{}\n\n{}\nexamples/eee-abs-housing.yaml\n",
        folder.join("sub/c.yaml").display(),
        folder.join("b.yaml").display()
    );
    let run = recert_stdin(
        &[
            "check",
            "examples/eee-missing-data.yaml",
            "--files-from",
            "-",
            "--at",
            "2026-11-20",
            "--summary",
            "-",
        ],
        list.as_bytes(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let verdicts: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("Verdict: "))
        .collect();
    assert_eq!(verdicts.len(), 4, "{}", run.stdout);
    assert!(verdicts[0].starts_with("Verdict: INCOMPLETE"));
    assert!(verdicts[1].starts_with("Verdict: INVALID"));
    assert!(verdicts[2].starts_with("Verdict: FAIL"));
    assert!(verdicts[3].starts_with("Verdict: PASS"));
    assert!(
        run.stdout.contains("error[unknown-unit]"),
        "the invalid input's record says why: {}",
        run.stdout
    );
    // `--summary -`: the summary on stderr, as on a terminal.
    assert!(
        run.stderr
            .contains("4 inputs: 1 PASS · 1 FAIL · 1 INCOMPLETE · 0 NOT COVERED · 1 INVALID"),
        "{}",
        run.stderr
    );
}

#[test]
fn quiet_or_not_a_terminal_prints_no_summary_or_progress() {
    let run = recert(&[
        "check",
        "examples/eee-abs-housing.yaml",
        "examples/eee-wt-percent.yaml",
        "--at",
        "2026-11-20",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "", "stderr is not a terminal here");
    let quiet = recert(&[
        "check",
        "examples/eee-abs-housing.yaml",
        "examples/eee-wt-percent.yaml",
        "--at",
        "2026-11-20",
        "--format",
        "json",
        "--summary",
        "-",
        "--quiet",
    ]);
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.stdout, run.stdout);
}

#[test]
fn help_teaches_the_batch_options() {
    let help = recert(&["check", "--help"]).stdout;
    for option in [
        "--jobs <N>",
        "--files-from <FILE>",
        "--jsonl",
        "--summary <FILE>",
        "--quiet",
        "folders",
        "JSON Lines",
        "invalid",
    ] {
        assert!(help.contains(option), "{option}:\n{help}");
    }
    let schema = recert(&["schema", "summary"]);
    assert_eq!(schema.code, 0);
    assert!(schema.stdout.contains("recert.batch-summary/v1"));
}
