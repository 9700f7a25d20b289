//! docs/authoring.md, followed literally: its `file=PATH` blocks are written
//! and its `step` blocks run, in the order the guide gives them, in an empty
//! folder. Every step must exit as the guide says (0, or `exit=N`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use common::{Run, fresh_dir, recert_in, repo};

/// A fenced block of the guide.
#[derive(Debug)]
struct Block {
    /// The info string's words after the language (`file=...`, `step`, `exit=1`).
    attributes: Vec<String>,
    /// The language (`yaml`, `sh`, `text`).
    lang: String,
    text: String,
    /// 1-based line of the opening fence.
    line: usize,
}

impl Block {
    fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find_map(|a| a.strip_prefix(key)?.strip_prefix('='))
    }

    fn is_step(&self) -> bool {
        self.attributes.iter().any(|a| a == "step")
    }
}

/// The fenced blocks of a Markdown text (``` fences, not nested).
fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in markdown.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                let mut words = info.split_whitespace().map(str::to_owned);
                open = Some(Block {
                    lang: words.next().unwrap_or_default(),
                    attributes: words.collect(),
                    text: String::new(),
                    line: n + 1,
                });
            }
            (Some(_), Some("")) => found.push(open.take().unwrap()),
            (Some(block), _) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "an unclosed code block in the guide");
    found
}

/// Runs one command line of a step in `dir`: `recert ...` (with an optional
/// `> FILE`) or `mkdir -p DIR...`. Nothing else is allowed in the guide, so
/// that what it tells a reader to type is what is tested.
fn run_line(dir: &Path, line: &str) -> Run {
    let (command, redirect) = match line.split_once(" > ") {
        Some((command, file)) => (command, Some(file.trim())),
        None => (line, None),
    };
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["mkdir", "-p", dirs @ ..] => {
            for d in dirs {
                std::fs::create_dir_all(dir.join(d)).unwrap();
            }
            Run {
                code: 0,
                stdout: String::new(),
                stderr: String::new(),
            }
        }
        ["recert", args @ ..] => {
            let run = recert_in(dir, args);
            if let Some(file) = redirect {
                std::fs::write(dir.join(file), &run.stdout).unwrap();
            }
            run
        }
        _ => panic!("the guide's steps may only run `recert` and `mkdir -p`: `{line}`"),
    }
}

#[test]
fn the_guide_works_as_written() {
    let guide = std::fs::read_to_string(repo().join("docs/authoring.md")).unwrap();
    let blocks = blocks(&guide);
    let dir = fresh_dir("recert-authoring-guide");
    let mut ran: Vec<(String, Run)> = Vec::new();
    let mut files = Vec::new();
    for block in &blocks {
        if let Some(path) = block.attribute("file") {
            let target = dir.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, &block.text).unwrap();
            files.push(path.to_owned());
        } else if block.is_step() {
            let expected: i32 = block.attribute("exit").map_or(0, |c| c.parse().unwrap());
            for line in block.text.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let run = run_line(&dir, line);
                assert_eq!(
                    run.code, expected,
                    "docs/authoring.md:{}: `{line}` exited {} (the guide says {expected})\n{}\n{}",
                    block.line, run.code, run.stdout, run.stderr
                );
                ran.push((line.to_owned(), run));
            }
        }
    }

    // The guide writes a pack, its tests and fixtures, and takes them
    // through lint, test and check.
    for file in [
        "my-pack/acme-grs.yaml",
        "my-pack/acme-grs.test.yaml",
        "my-pack/fixtures/jacket.yaml",
    ] {
        assert!(files.iter().any(|f| f == file), "no block writes {file}");
    }
    let find = |prefix: &str| -> &Run {
        &ran.iter()
            .find(|(line, _)| line.starts_with(prefix))
            .unwrap_or_else(|| panic!("the guide never runs `{prefix}`"))
            .1
    };
    let lint = find("recert lint my-pack/");
    assert!(
        lint.stdout.is_empty(),
        "the example pack lints clean:\n{}",
        lint.stdout
    );
    let test = find("recert test my-pack/ --coverage");
    assert!(
        test.stdout.contains(
            "ok   acme-grs › coverage: 3 rules seen to pass and fail, 3 with an effective window also not in force"
        ),
        "{}",
        test.stdout
    );
    assert!(
        test.stdout.contains("7 passed, 0 failed"),
        "{}",
        test.stdout
    );
    assert!(guide.contains("7 passed, 0 failed"));
    let pass = find("recert check --packs my-pack/ my-pack/fixtures/jacket.yaml");
    assert!(pass.stdout.starts_with("Verdict: PASS"), "{}", pass.stdout);
    let fail = find("recert check --packs my-pack/ my-pack/fixtures/socks.yaml");
    assert!(fail.stdout.starts_with("Verdict: FAIL"), "{}", fail.stdout);
    let explain = find("recert explain acme-grs-content");
    assert!(
        explain.stdout.contains("≥ 20 % (`grs_min_content`)"),
        "{}",
        explain.stdout
    );
    assert!(dir.join("my-pack/docs/acme-grs.zh.md").is_file());

    // Each file's first line points its editor at the schema step 1 saved.
    for (file, schema) in [
        ("my-pack/acme-grs.yaml", "rule-pack"),
        ("my-pack/acme-grs.test.yaml", "pack-test"),
        ("my-pack/fixtures/jacket.yaml", "submission"),
    ] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let reference = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# yaml-language-server: $schema="))
            .unwrap_or_else(|| panic!("{file} does not name its schema"));
        let target = path
            .parent()
            .unwrap()
            .join(reference)
            .canonicalize()
            .unwrap();
        assert_eq!(
            target,
            dir.join(format!("schemas/{schema}.schema.json"))
                .canonicalize()
                .unwrap()
        );
        assert!(std::fs::metadata(&target).unwrap().len() > 1000);
    }

    // The lint output the guide shows is what lint says of that typo.
    let shown = blocks
        .iter()
        .find(|b| b.lang == "text" && b.text.starts_with("my-pack/acme-grs.yaml:"))
        .expect("the guide shows lint output");
    let pack = dir.join("my-pack/acme-grs.yaml");
    let text = std::fs::read_to_string(&pack).unwrap();
    std::fs::write(&pack, text.replace("product.sector ==", "product.sectr ==")).unwrap();
    let lint = run_line(&dir, "recert lint my-pack/");
    assert_eq!(lint.code, 1, "{}", lint.stdout);
    assert_eq!(lint.stdout, shown.text);

    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn blocks_are_read_with_their_attributes() {
    let markdown = "text\n```yaml file=a/b.yaml\nx: 1\n```\n\n```sh step exit=1\nrecert x\n```\n";
    let found = blocks(markdown);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].attribute("file"), Some("a/b.yaml"));
    assert_eq!(found[0].text, "x: 1\n");
    assert!(found[1].is_step());
    assert_eq!(found[1].attribute("exit"), Some("1"));
    assert_eq!(found[1].line, 6);
}
