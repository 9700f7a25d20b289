//! `recert check --format sarif` and `--format junit`: the documents CI and
//! code-scanning tools read, checked against their published schemas
//! (tests/schemas/, see its README), located at the value in the file, and
//! well-formed whatever the submission says.
//!
//! The JUnit files are validated with `xmllint --schema` (Debian package
//! `libxml2-utils`). Without it those checks print a notice and pass, unless
//! `RECERT_REQUIRE_TOOLS=1` (as `.ci/run` sets), when they fail.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::PathBuf;

use common::{fresh_dir, recert, redact, repo};
use serde_json::Value as Json;

const AT: &str = "2026-11-20";

/// Every bundled example, in name order.
fn examples() -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.strip_prefix(repo()).unwrap().to_path_buf())
        .collect();
    all.sort();
    assert!(all.len() > 10, "{all:?}");
    all
}

fn check(inputs: &[&str], format: &str, lang: &str) -> common::Run {
    let mut args = vec!["check"];
    args.extend(inputs);
    args.extend(["--at", AT, "--format", format, "--lang", lang, "--quiet"]);
    recert(&args)
}

fn sarif_validator() -> jsonschema::Validator {
    let mut schema: Json = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    // The published schema's `language` patterns (of `run` and
    // `toolComponent`) have a stray `]` (`...-[a-zA-Z]{2}]?$`): a literal `]`
    // in ECMA-262 (Annex B), but the crate checks the schema against its
    // meta-schema, where a pattern must be a `regex` with no stray bracket.
    // The same patterns with the `]` escaped, here in memory (the file
    // stays as published).
    fn escape_stray_bracket(value: &mut Json, count: &mut usize) {
        match value {
            Json::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if key == "pattern" && value == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                        *value = Json::from(r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$");
                        *count += 1;
                    } else {
                        escape_stray_bracket(value, count);
                    }
                }
            }
            Json::Array(items) => items
                .iter_mut()
                .for_each(|v| escape_stray_bracket(v, count)),
            _ => {}
        }
    }
    let mut count = 0;
    escape_stray_bracket(&mut schema, &mut count);
    assert_eq!(count, 2);
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(validator: &jsonschema::Validator, text: &str, what: &str) -> Json {
    let log: Json = serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: {e}\n{text}"));
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
    log
}

/// Validates `xml` against the Jenkins JUnit schema with xmllint; false
/// (after a notice) when xmllint is missing and not required.
fn assert_valid_junit(xml: &str, what: &str) -> bool {
    let dir = fresh_dir("recert-junit");
    let file = dir.join("junit.xml");
    std::fs::write(&file, xml).unwrap();
    let xsd = repo().join("tests/schemas/junit-10.xsd");
    let run = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&file)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match run {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if std::env::var("RECERT_REQUIRE_TOOLS").as_deref() == Ok("1") {
                panic!("xmllint is required (RECERT_REQUIRE_TOOLS=1): install libxml2-utils");
            }
            eprintln!(
                "notice: xmllint not found (Debian package libxml2-utils): {what} not validated against junit-10.xsd"
            );
            false
        }
        Err(error) => panic!("cannot run xmllint: {error}"),
        Ok(output) => {
            assert!(
                output.status.success(),
                "{what}: not valid against junit-10.xsd:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            true
        }
    }
}

/// Parses `xml` with quick-xml (end names checked, every reference
/// resolved): the attribute values and texts, unescaped, in document order.
fn xml_values(xml: &str) -> Vec<String> {
    use quick_xml::XmlVersion;
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut values = Vec::new();
    let mut text = String::new();
    let mut elements = 0usize;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed: {e}\n{xml}"));
        if !matches!(event, Event::Text(_) | Event::GeneralRef(_)) && !text.trim().is_empty() {
            values.push(std::mem::take(&mut text));
        }
        match event {
            Event::Start(e) | Event::Empty(e) => {
                text.clear();
                for attr in e.attributes() {
                    let attr = attr.unwrap();
                    let value = attr.normalized_value(XmlVersion::Explicit1_0).unwrap();
                    values.push(value.into_owned());
                }
                elements += 1;
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref().unwrap() {
                Some(c) => text.push(c),
                None => {
                    let name = r.xml10_content();
                    text.push_str(resolve_predefined_entity(&name).unwrap());
                }
            },
            Event::CData(_) => panic!("no CDATA expected"),
            Event::Eof => break,
            _ => text.clear(),
        }
    }
    assert!(elements > 0);
    values
}

#[test]
fn every_example_is_valid_sarif_and_junit() {
    let validator = sarif_validator();
    let examples = examples();
    // Each alone, in English.
    for example in &examples {
        let example = example.to_str().unwrap();
        let sarif = check(&[example], "sarif", "en");
        let log = assert_valid_sarif(&validator, &sarif.stdout, example);
        assert_eq!(log["runs"][0]["artifacts"][0]["location"]["uri"], example);
        let junit = check(&[example], "junit", "en");
        assert_eq!(junit.code, sarif.code, "{example}: {}", junit.stderr);
        assert!(!xml_values(&junit.stdout).is_empty());
        assert_valid_junit(&junit.stdout, example);
    }
    // All together, in Chinese: one document each.
    let all: Vec<&str> = examples.iter().map(|p| p.to_str().unwrap()).collect();
    let sarif = check(&all, "sarif", "zh");
    let log = assert_valid_sarif(&validator, &sarif.stdout, "all examples (zh)");
    assert_eq!(
        log["runs"][0]["artifacts"].as_array().unwrap().len(),
        all.len()
    );
    let junit = check(&all, "junit", "zh");
    assert_eq!(junit.code, sarif.code);
    assert_eq!(junit.stdout.matches("<testsuite ").count(), all.len());
    assert!(!xml_values(&junit.stdout).is_empty());
    assert_valid_junit(&junit.stdout, "all examples (zh)");
}

#[test]
fn a_batch_is_one_document_with_every_input() {
    let dir = fresh_dir("recert-sarif-batch");
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "schema: recert.submission/v1\nid: X\nproduct: [\n").unwrap();
    let stream = dir.join("two.jsonl");
    let one = std::fs::read_to_string(repo().join("examples/eee-10-components.json")).unwrap();
    let one: Json = serde_json::from_str(&one).unwrap();
    std::fs::write(&stream, format!("{one}\n{one}\n")).unwrap();
    let (broken, stream) = (broken.to_str().unwrap(), stream.to_str().unwrap());
    let inputs = [
        "examples/eee-wt-percent.yaml",
        broken,
        stream,
        "examples/packaging-pet-bottle-pass.yaml",
    ];

    let run = check(&inputs, "sarif", "en");
    assert_eq!(run.code, 2, "{}", run.stderr);
    let log = assert_valid_sarif(&sarif_validator(), &run.stdout, "batch");
    assert_eq!(log["runs"].as_array().unwrap().len(), 1);
    let sarif_run = &log["runs"][0];
    let uris: Vec<&str> = sarif_run["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["location"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        uris,
        [
            "examples/eee-wt-percent.yaml",
            &format!("file://{stream}"),
            "examples/packaging-pet-bottle-pass.yaml"
        ]
    );
    // The stream's lines are not the stream: no digest for it.
    assert!(sarif_run["artifacts"][1].get("hashes").is_none());
    let submissions = sarif_run["properties"]["submissions"].as_array().unwrap();
    let verdicts: Vec<&str> = submissions
        .iter()
        .map(|s| s["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        ["fail", "invalid", "incomplete", "incomplete", "pass"]
    );
    assert_eq!(sarif_run["properties"]["verdict"], "invalid");
    let invocation = &sarif_run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert!(!notes.is_empty());
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        format!("file://{broken}")
    );
    // Every result points at its artifact.
    for result in sarif_run["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        let index = location["artifactLocation"]["index"].as_u64().unwrap() as usize;
        assert_eq!(location["artifactLocation"]["uri"], uris[index]);
    }

    let run = check(&inputs, "junit", "en");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_valid_junit(&run.stdout, "batch");
    assert_eq!(run.stdout.matches("<testsuite ").count(), 5);
    assert!(run.stdout.contains("type=\"invalid\""), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("name=\"{stream}#2\"")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_invalid_single_input_still_gives_a_document() {
    let dir = fresh_dir("recert-sarif-invalid");
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "schema: recert.submission/v1\nid: [\n").unwrap();
    let broken = broken.to_str().unwrap();
    let run = check(&[broken], "sarif", "en");
    assert_eq!(run.code, 2);
    let log = assert_valid_sarif(&sarif_validator(), &run.stdout, "invalid");
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    let run = check(&[broken], "junit", "en");
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("errors=\"1\""), "{}", run.stdout);
    assert_valid_junit(&run.stdout, "invalid");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The text at a 1-based line and column (in characters).
fn at(text: &str, line: u64, column: u64) -> String {
    let line = text.lines().nth(line as usize - 1).unwrap();
    line.chars().skip(column as usize - 1).collect()
}

#[test]
fn results_point_at_the_value_in_the_yaml_file() {
    let example = "examples/eee-wt-percent.yaml";
    let run = check(&[example], "sarif", "en");
    let log: Json = serde_json::from_str(&run.stdout).unwrap();
    let text = std::fs::read_to_string(repo().join(example)).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let cadmium = results
        .iter()
        .find(|r| r["ruleId"] == "rohs-cadmium")
        .expect("the cadmium failure");
    let region = &cadmium["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(38), Some(16))
    );
    // Every failure with a value as written points at that value.
    let mut checked = 0;
    for result in results.iter().filter(|r| r["kind"] == "fail") {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        let written = &result["properties"]["actual"]["written"];
        if let (Some(line), Some(column), Some(written)) = (
            region["startLine"].as_u64(),
            region["startColumn"].as_u64(),
            written.as_str(),
        ) {
            assert!(
                at(&text, line, column).starts_with(written),
                "{}: {line}:{column} is {:?}, not {written:?}",
                result["ruleId"],
                at(&text, line, column)
            );
            checked += 1;
        }
    }
    assert!(checked >= 1);

    // JUnit names the same place.
    let run = check(&[example], "junit", "en");
    assert!(
        run.stdout
            .contains("/components/0/substances/cadmium (examples/eee-wt-percent.yaml:38:16)"),
        "{}",
        run.stdout
    );
}

#[test]
fn hostile_text_stays_text() {
    let hostile = "]]></x>&<\"'\u{1}\u{1b}[31m\u{b}\u{fffe} end";
    let dir = fresh_dir("recert-sarif-hostile");
    let example = std::fs::read_to_string(repo().join("examples/eee-wt-percent.yaml")).unwrap();
    // YAML cannot hold U+FFFE as it is, only escaped.
    let quoted = serde_json::to_string(hostile)
        .unwrap()
        .replace('\u{fffe}', "\\uFFFE");
    let text = example
        .replace("name: 65 W USB-C GaN charger", &format!("name: {quoted}"))
        .replace("    name: enclosure", &format!("    name: {quoted}"));
    assert_ne!(text, example);
    let file = dir.join("hostile.yaml");
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();

    let run = check(&[file], "junit", "en");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stdout.contains("]]></x>"));
    for c in ['\u{1}', '\u{1b}', '\u{b}', '\u{fffe}'] {
        assert!(!run.stdout.contains(c), "{c:?} in the output");
    }
    let values = xml_values(&run.stdout);
    let shown = "]]></x>&<\"'\u{fffd}\u{fffd}[31m\u{fffd}\u{fffd} end";
    assert!(values.iter().any(|v| v == shown), "{values:#?}");
    // In a message: "… (ENC <the name>)".
    assert!(
        values.iter().any(|v| v.contains(&format!("ENC {shown}"))),
        "{values:#?}"
    );
    assert_valid_junit(&run.stdout, "hostile");

    // SARIF is JSON: the text as it is, escaped by the JSON writer.
    let run = check(&[file], "sarif", "en");
    let log = assert_valid_sarif(&sarif_validator(), &run.stdout, "hostile");
    assert_eq!(
        log["runs"][0]["properties"]["submissions"][0]["product"],
        hostile
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The SARIF log, with only the rules its results name (the bundled packs
/// have about a hundred; the rest are the same for every log).
fn trimmed(mut log: Json) -> Json {
    let run = &mut log["runs"][0];
    let used: std::collections::BTreeSet<u64> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleIndex"].as_u64().unwrap())
        .collect();
    let rules = run["tool"]["driver"]["rules"].as_array_mut().unwrap();
    let kept: Vec<Json> = rules
        .iter()
        .enumerate()
        .filter(|(i, _)| used.contains(&(*i as u64)))
        .map(|(_, r)| r.clone())
        .collect();
    *rules = kept;
    log
}

#[test]
fn snapshots_of_a_failing_example() {
    let example = "examples/eee-wt-percent.yaml";
    for lang in ["en", "zh"] {
        let run = check(&[example], "sarif", lang);
        let log = trimmed(serde_json::from_str(&run.stdout).unwrap());
        insta::assert_snapshot!(
            format!("sarif-{lang}-eee-wt-percent"),
            redact(&serde_json::to_string_pretty(&log).unwrap())
        );
        let run = check(&[example], "junit", lang);
        insta::assert_snapshot!(format!("junit-{lang}-eee-wt-percent"), redact(&run.stdout));
    }
}

#[test]
fn help_says_they_are_whole_batch_documents() {
    let run = recert(&["check", "--help"]);
    for needle in [
        "sarif",
        "junit",
        "one log for the whole batch",
        "--format sarif",
    ] {
        assert!(run.stdout.contains(needle), "{needle}:\n{}", run.stdout);
    }
}
