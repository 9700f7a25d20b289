//! Editor support: every bundled pack, pack test file, fixture and example
//! names its JSON Schema on its first line (for the YAML language server) and
//! validates against that published schema; and the schemas describe every
//! field an author types, so completion shows what it means.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Resolves the schemas' relative `$ref`s (`submission.schema.json`) to the
/// files in `schemas/`; nothing is fetched from the network.
struct SchemaFiles;

impl jsonschema::Retrieve for SchemaFiles {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Json, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .strip_prefix("https://recert.dev/schemas/")
            .ok_or_else(|| format!("not a recert schema: {}", uri.as_str()))?;
        let text = std::fs::read_to_string(repo().join("schemas").join(name))?;
        Ok(serde_json::from_str(&text)?)
    }
}

fn schema_json(name: &str) -> Json {
    let text = std::fs::read_to_string(repo().join("schemas").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validator(name: &str) -> jsonschema::Validator {
    jsonschema::options()
        .with_retriever(SchemaFiles)
        .build(&schema_json(name))
        .unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

/// A YAML or JSON file as JSON, read the way recert reads it.
fn document(path: &Path) -> Json {
    let source = recert_engine::load::Source::read(path).unwrap();
    recert_engine::load::parse_document(&source)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if recursive {
                files(&path, true, out);
            }
        } else {
            out.push(path);
        }
    }
    out.sort();
}

fn name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap()
}

/// Every file that must name and satisfy a schema, with that schema.
fn authored_files() -> Vec<(PathBuf, &'static str)> {
    let mut found = Vec::new();
    let mut rules = Vec::new();
    files(&repo().join("rules"), false, &mut rules);
    for path in rules {
        let file = name(&path);
        if file.ends_with(".test.yaml") {
            found.push((path, "pack-test.schema.json"));
        } else if file.ends_with(".yaml") {
            found.push((path, "rule-pack.schema.json"));
        }
    }
    for dir in ["rules/fixtures", "examples"] {
        let mut submissions = Vec::new();
        files(&repo().join(dir), true, &mut submissions);
        for path in submissions {
            let file = name(&path);
            if file.ends_with(".yaml") || file.ends_with(".yml") || file.ends_with(".json") {
                found.push((path, "submission.schema.json"));
            }
        }
    }
    found
}

#[test]
fn there_are_files_of_every_kind() {
    let found = authored_files();
    for schema in [
        "rule-pack.schema.json",
        "pack-test.schema.json",
        "submission.schema.json",
    ] {
        let n = found.iter().filter(|(_, s)| *s == schema).count();
        assert!(n >= 3, "only {n} files for {schema}");
    }
    assert!(
        found
            .iter()
            .any(|(p, _)| p.starts_with(repo().join("examples")))
    );
    assert!(
        found
            .iter()
            .any(|(p, _)| p.starts_with(repo().join("rules/fixtures")))
    );
}

#[test]
fn every_yaml_file_names_its_schema_on_the_first_line() {
    let mut wrong = Vec::new();
    for (path, schema) in authored_files() {
        if name(&path).ends_with(".json") {
            // JSON has no comments; editors map JSON files to schemas in
            // their settings (`json.schemas`).
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap_or("");
        let Some(reference) = first.strip_prefix("# yaml-language-server: $schema=") else {
            wrong.push(format!("{}: first line is `{first}`", path.display()));
            continue;
        };
        // The reference is relative to the file and must reach the schema
        // in the repository.
        let target = path.parent().unwrap().join(reference.trim());
        let expected = repo().join("schemas").join(schema);
        match (target.canonicalize(), expected.canonicalize()) {
            (Ok(target), Ok(expected)) if target == expected => {}
            _ => wrong.push(format!(
                "{}: names `{reference}`, which is not schemas/{schema}",
                path.display()
            )),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_file_validates_against_its_published_schema() {
    let validators = [
        ("rule-pack.schema.json", validator("rule-pack.schema.json")),
        ("pack-test.schema.json", validator("pack-test.schema.json")),
        (
            "submission.schema.json",
            validator("submission.schema.json"),
        ),
    ];
    let mut invalid = Vec::new();
    let mut checked = 0;
    for (path, schema) in authored_files() {
        let (_, validator) = validators.iter().find(|(n, _)| *n == schema).unwrap();
        let json = document(&path);
        for error in validator.iter_errors(&json) {
            invalid.push(format!(
                "{} at {}: {error}",
                path.display(),
                error.instance_path().as_str()
            ));
        }
        checked += 1;
    }
    assert!(invalid.is_empty(), "{}", invalid.join("\n"));
    assert!(checked > 40, "{checked}");
}

#[test]
fn the_published_schemas_reject_what_they_should() {
    // The validators are not vacuous: a typo in a pack, a misspelt outcome in
    // a test and a wrong unit in a submission are refused.
    let pack = validator("rule-pack.schema.json");
    let mut json = document(&repo().join("rules/eu-packaging.yaml"));
    json["rules"][0]["severty"] = Json::from("error");
    assert!(!pack.is_valid(&json));

    let test = validator("pack-test.schema.json");
    let mut json = document(&repo().join("rules/eu-packaging.test.yaml"));
    json["cases"][0]["expect"]["verdict"] = Json::from("passed");
    assert!(!test.is_valid(&json));
    // An inline submission is checked against the submission schema.
    json = document(&repo().join("rules/eu-packaging.test.yaml"));
    json["cases"][0]["submission"] = serde_json::json!({ "schema": "recert.submission/v1" });
    assert!(!test.is_valid(&json));

    let submission = validator("submission.schema.json");
    let mut json = document(&repo().join("examples/eee-abs-housing.yaml"));
    json["components"][0]["mass"] = Json::from("12 kgs");
    assert!(!submission.is_valid(&json));
}

/// Fields without a description, known and reported; remove an entry once the
/// schema describes it (the test fails until then, so the list stays true).
const KNOWN_GAPS: &[&str] = &[];

#[test]
fn the_authoring_schemas_describe_every_field() {
    let mut missing = Vec::new();
    for name in [
        "submission.schema.json",
        "rule-pack.schema.json",
        "pack-test.schema.json",
    ] {
        let root = schema_json(name);
        undescribed(&root, &root, "", &mut |pointer| {
            missing.push(format!("{name} {pointer}"));
        });
    }
    assert_eq!(
        missing, KNOWN_GAPS,
        "fields completion would show without a description"
    );
}

/// Calls `report` with the pointer of every property schema (under
/// `properties`, outside conditional `if`/`then`/`else` constraints) that has
/// no `description`, neither itself nor through its `$ref`. Walks the schema
/// keywords that hold schemas.
fn undescribed(root: &Json, schema: &Json, pointer: &str, report: &mut dyn FnMut(&str)) {
    if let Some(Json::Object(properties)) = schema.get("properties") {
        for (property, sub) in properties {
            let here = format!("{pointer}/properties/{property}");
            if !described(root, sub) {
                report(&here);
            }
            undescribed(root, sub, &here, report);
        }
    }
    for key in ["$defs", "patternProperties"] {
        if let Some(Json::Object(defs)) = schema.get(key) {
            for (name, sub) in defs {
                undescribed(root, sub, &format!("{pointer}/{key}/{name}"), report);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(sub) = schema.get(key).filter(|s| s.is_object()) {
            undescribed(root, sub, &format!("{pointer}/{key}"), report);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Json::Array(list)) = schema.get(key) {
            for (i, sub) in list.iter().enumerate() {
                undescribed(root, sub, &format!("{pointer}/{key}/{i}"), report);
            }
        }
    }
}

fn described(root: &Json, schema: &Json) -> bool {
    if schema.get("description").is_some() {
        return true;
    }
    match schema
        .get("$ref")
        .and_then(Json::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| root.pointer(p))
    {
        Some(target) => described(root, target),
        None => false,
    }
}
