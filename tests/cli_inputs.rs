//! Where submissions come from and where reports go: `-` for standard input,
//! `-o` never overwriting an input, the digests of what was read, and
//! messages in plain words (no Rust types, huge values shortened, JSON path
//! named).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{fresh_dir, recert, recert_stdin, repo};
use sha2::{Digest, Sha256};

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn dash_reads_the_submission_from_standard_input() {
    for example in [
        "examples/eee-abs-housing.yaml",
        "examples/eee-10-components.json",
    ] {
        let bytes = std::fs::read(repo().join(example)).unwrap();
        let run = recert_stdin(&["validate", "-"], &bytes);
        assert_eq!(run.code, 0, "{example}: {}", run.stderr);
        assert!(run.stdout.starts_with("<stdin>: valid ("), "{}", run.stdout);

        let from_stdin = recert_stdin(
            &["check", "-", "--format", "json", "--at", "2026-06-01"],
            &bytes,
        );
        let from_file = recert(&["check", example, "--format", "json", "--at", "2026-06-01"]);
        assert_eq!(from_stdin.code, from_file.code, "{}", from_stdin.stderr);
        let stdin_report: serde_json::Value = serde_json::from_str(&from_stdin.stdout).unwrap();
        let file_report: serde_json::Value = serde_json::from_str(&from_file.stdout).unwrap();
        assert_eq!(stdin_report["submission"]["file"], "<stdin>");
        assert_eq!(stdin_report["findings"], file_report["findings"]);
        assert_eq!(
            stdin_report["submission"]["file_sha256"],
            file_report["submission"]["file_sha256"]
        );
    }
    // Errors name it `<stdin>`.
    let run = recert_stdin(&["validate", "-"], b"schema: recert.submission/v1\nid: [\n");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--> <stdin>:"), "{}", run.stderr);
    assert!(run.stdout.starts_with("<stdin>: invalid"), "{}", run.stdout);
    // Only once.
    let run = recert_stdin(&["validate", "-", "-"], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("only once"), "{}", run.stderr);
}

#[test]
fn the_report_never_overwrites_an_input_file() {
    let dir = fresh_dir("recert-inputs-o");
    let original = std::fs::read(repo().join("examples/eee-abs-housing.yaml")).unwrap();
    let input = dir.join("product.yaml");
    std::fs::write(&input, &original).unwrap();
    let hard = dir.join("hard-link.yaml");
    std::fs::hard_link(&input, &hard).unwrap();
    let params = dir.join("params.yaml");
    std::fs::write(&params, "{}\n").unwrap();
    let mut outputs = vec![
        input.clone(),
        hard.clone(),
        dir.join(".").join("product.yaml"),
    ];
    #[cfg(unix)]
    {
        let link = dir.join("link.yaml");
        std::os::unix::fs::symlink(&input, &link).unwrap();
        outputs.push(link);
    }
    for output in &outputs {
        let run = recert(&[
            "check",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 2, "{}: {}", output.display(), run.stderr);
        assert!(run.stderr.contains("would overwrite"), "{}", run.stderr);
        assert_eq!(std::fs::read(&input).unwrap(), original);
    }
    // The params file is an input too.
    let run = recert(&[
        "check",
        input.to_str().unwrap(),
        "--params",
        params.to_str().unwrap(),
        "-o",
        params.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&params).unwrap(), "{}\n");
    // Another file is fine.
    let report = dir.join("report.txt");
    let run = recert(&[
        "check",
        input.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("Verdict")
    );
}

#[test]
fn the_report_gives_the_digest_of_the_file_and_of_the_normalized_content() {
    let example = "examples/eee-abs-housing.yaml";
    let bytes = std::fs::read(repo().join(example)).unwrap();
    let run = recert(&["check", example, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let submission = &report["submission"];
    assert_eq!(submission["file_sha256"], sha256_hex(&bytes).as_str());
    assert_ne!(submission["sha256"], submission["file_sha256"]);
    // The normalized digest does not change with the file's layout; the
    // file's does.
    let dir = fresh_dir("recert-inputs-sha");
    let reformatted = dir.join("product.yaml");
    std::fs::write(
        &reformatted,
        format!("# a comment\n{}", String::from_utf8_lossy(&bytes)),
    )
    .unwrap();
    let run = recert(&["check", reformatted.to_str().unwrap(), "--format", "json"]);
    let other: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(other["submission"]["sha256"], submission["sha256"]);
    assert_ne!(
        other["submission"]["file_sha256"],
        submission["file_sha256"]
    );
    let markdown = recert(&["check", example, "--format", "markdown"]);
    assert!(
        markdown.stdout.contains(&format!(
            "| sha256 of the file | `{}` |",
            sha256_hex(&bytes)
        )),
        "{}",
        markdown.stdout
    );
}

#[test]
fn non_finite_numbers_are_named_with_their_path_and_shortened() {
    let dir = fresh_dir("recert-inputs-nan");
    let huge = format!("1{}", "0".repeat(5000));
    let cases = [
        (
            "nan.json",
            "{\"schema\": \"recert.submission/v1\", \"id\": \"x\", \"product\": {\"mass\": NaN}}"
                .to_owned(),
            "`NaN`",
        ),
        (
            "big.json",
            "{\"schema\": \"recert.submission/v1\", \"id\": \"x\", \"product\": {\"mass\": 1e400}}"
                .to_owned(),
            "`1e400`",
        ),
        (
            "huge.json",
            format!(
                "{{\"schema\": \"recert.submission/v1\", \"id\": \"x\", \"product\": {{\"mass\": {huge}}}}}"
            ),
            "(5001 characters)",
        ),
        (
            "huge.yaml",
            format!("schema: recert.submission/v1\nid: x\nproduct:\n  mass: {huge}\n"),
            "(5001 characters)",
        ),
        (
            "nan.yaml",
            "schema: recert.submission/v1\nid: x\nproduct:\n  mass: .nan\n".to_owned(),
            "`.nan`",
        ),
    ];
    for (name, text, quoted) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let run = recert(&["validate", path.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains("error[non-finite]"),
            "{name}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("at /product/mass"),
            "{name}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(quoted), "{name}: {}", run.stderr);
        assert!(run.stderr.len() < 400, "{name}: {}", run.stderr);
    }
}

/// What no message may contain: Rust types and struct dumps.
fn assert_plain(what: &str, text: &str) {
    for internal in [
        "Option<",
        "ParseError {",
        "ExprContext",
        "Context`",
        "ContextAll",
        "budget breached",
        "Nodes {",
        " { ",
    ] {
        assert!(!text.contains(internal), "{what}: `{internal}` in:\n{text}");
    }
}

#[test]
fn messages_about_bad_submissions_are_in_plain_words() {
    let dir = fresh_dir("recert-inputs-plain");
    let inputs: Vec<(&str, String)> = vec![
        ("null-key.yaml", "schema: recert.submission/v1\n~: 1\n".into()),
        ("empty-key.yaml", "schema: recert.submission/v1\n: 1\n".into()),
        ("complex-key.yaml", "? [a]\n: 1\n".into()),
        ("binary.yaml", "!!binary x: 1\n".into()),
        ("tag.yaml", "id: !foo x\n".into()),
        ("tab.yaml", "id:\n\t- x\n".into()),
        ("two.yaml", "id: x\n---\nid: y\n".into()),
        ("anchor.yaml", "a: &x [1]\nb: *y\n".into()),
        ("merge.yaml", "a: {<<: 1}\n".into()),
        ("bool.yaml", "schema: recert.submission/v1\nid: yes\n".into()),
        ("list.yaml", "- 1\n- 2\n".into()),
        ("str.yaml", "just text\n".into()),
        ("trailing.json", "{\"a\": 1,}".into()),
        ("bare.json", "{a: 1}".into()),
        ("nul.json", "{\"a\": \"\\u0000\"}".into()),
        ("lone.json", "{\"a\": \"\\ud800\"}".into()),
        ("inf.json", "{\"a\": -Infinity}".into()),
        ("types.json", "{\"schema\": \"recert.submission/v1\", \"id\": 1, \"product\": [], \"components\": {}}".into()),
    ];
    for (name, text) in inputs {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        for command in ["validate", "check"] {
            let run = recert(&[command, path.to_str().unwrap()]);
            assert_eq!(run.code, 2, "{name}: {}", run.stderr);
            assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
            assert_plain(name, &run.stderr);
        }
    }
}

#[test]
fn messages_about_bad_expressions_are_in_plain_words() {
    let pack =
        std::fs::read_to_string(repo().join("tests/fixtures/packs/cel-syntax-error.yaml")).unwrap();
    let dir = fresh_dir("recert-inputs-cel");
    let expressions = [
        "1 ? 2",
        "a[",
        "--",
        "a.b.c(",
        "{1:2",
        "1 +",
        "!!",
        "a.all(x,",
        "1 in",
        "has(",
        "has(a)",
        "[1,2",
        "'abc",
        "a.()",
        "1..2",
        "0x",
        "r'",
        "?",
        ":",
        "[",
        "{",
        "(",
        "component.(",
        "1 ? : 2",
        "-",
        "!",
        ".",
        "a.b.",
        "a[1",
        "{'a': }",
        "f(,)",
    ];
    for (i, expression) in expressions.iter().enumerate() {
        let folder = dir.join(format!("p{i}"));
        std::fs::create_dir_all(&folder).unwrap();
        let text = pack.replace(
            "    when: component.material.class == 'plastic' &&",
            &format!("    when: {}", serde_json::to_string(expression).unwrap()),
        );
        let path = folder.join("pack.yaml");
        std::fs::write(&path, text).unwrap();
        let lint = recert(&["lint", path.to_str().unwrap()]);
        assert_ne!(lint.code, 0, "{expression}: {}{}", lint.stdout, lint.stderr);
        assert_plain(expression, &format!("{}{}", lint.stdout, lint.stderr));
        let check = recert(&[
            "check",
            "examples/eee-abs-housing.yaml",
            "--packs",
            folder.to_str().unwrap(),
        ]);
        assert_eq!(check.code, 2, "{expression}: {}", check.stderr);
        assert_plain(expression, &check.stderr);
    }
}
