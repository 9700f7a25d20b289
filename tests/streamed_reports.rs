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
