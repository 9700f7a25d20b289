//! Reports too large to hold (more findings than `eval::MAX_HELD_FINDINGS`)
//! are written as their findings are made again, in every format but
//! SARIF and JUnit; their bytes are those of the report held whole (the
//! renderers' own tests compare them: `report::render`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use recert_engine as recert_core;

/// In a batch, a report too large to hold takes its place among the
/// others, with the separator of the format before it as any report.
#[test]
fn a_streamed_report_in_a_batch_is_one_report_among_the_others() {
    // 2000 components: more findings than a report holds (tests/memory.rs).
    let dir = common::fresh_dir("streamed-batch");
    let large = dir.join("a-large.json");
    std::fs::write(&large, common::large_submission(2000)).unwrap();
    let small = dir.join("b-small.json");
    std::fs::write(&small, common::large_submission(2)).unwrap();
    let (large, small) = (large.to_str().unwrap(), small.to_str().unwrap());
    let check = |files: &[&str], format: &str| {
        let mut args = vec!["check", "--at", "2026-12-01", "--format", format, "-q"];
        args.extend_from_slice(files);
        let run = common::recert(&args);
        // Incomplete: the components give no value for most substances.
        assert_eq!(run.code, 3, "{}", run.stderr);
        run.stdout
    };
    for (format, separator) in [("text", "\n"), ("markdown", "\n---\n\n")] {
        let alone = check(&[large], format);
        assert!(
            alone.lines().count() > recert_core::eval::MAX_HELD_FINDINGS,
            "{format}"
        );
        for (first, second) in [(large, small), (small, large)] {
            let batch = check(&[first, second], format);
            let expected = format!(
                "{}{separator}{}",
                check(&[first], format),
                check(&[second], format)
            );
            assert!(batch == expected, "{format}: {first} then {second}");
        }
    }
}

/// A text of 1 MiB or more is held compressed while the submission is
/// evaluated and given back for the lines fixes name: from standard input
/// (which cannot be read again) as from a file, the report is the same,
/// its fixes with their lines.
#[test]
fn a_large_text_from_standard_input_gives_the_report_of_the_file() {
    // 7000 components: 1.2 MB of JSON.
    let text = common::large_submission(7000);
    assert!(text.len() > 1 << 20, "{} bytes", text.len());
    let dir = common::fresh_dir("streamed-stdin");
    let file = dir.join("large.json");
    std::fs::write(&file, &text).unwrap();
    let file = file.to_str().unwrap();
    let args = ["check", "--at", "2026-12-01", "--format", "json", "-q"];
    let from_file = common::recert(&[&args[..], &[file]].concat());
    let from_stdin = common::recert_stdin(&[&args[..], &["-"]].concat(), text.as_bytes());
    for run in [&from_file, &from_stdin] {
        // Incomplete: the components give no value for most substances.
        assert_eq!(run.code, 3, "{}", run.stderr);
    }
    assert!(
        from_file.stdout.contains("under line "),
        "no fix names a line"
    );
    let named = |report: &str, name: &str| report.replace(&format!("\"file\": {name:?}"), "");
    assert!(
        named(&from_stdin.stdout, "<stdin>") == named(&from_file.stdout, file),
        "the reports differ beyond the file's name"
    );
}
