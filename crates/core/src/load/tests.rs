//! Tests of loading: bad-input fixtures, the examples, diagnostics.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::units::Dimension;
use super::*;
use crate::diagnostic::Diagnostic;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn load_file(path: &str) -> Result<Submission, Diagnostics> {
    load_submission(&Source::read(&repo(path))?)
}

fn yaml(text: &str) -> Result<Submission, Diagnostics> {
    load_submission(&Source::from_text("t.yaml", text, Format::Yaml))
}

/// The only diagnostic of a failed load.
fn single(result: Result<Submission, Diagnostics>) -> Diagnostic {
    let diagnostics = result.expect_err("the load must fail");
    assert_eq!(diagnostics.0.len(), 1, "{diagnostics}");
    diagnostics.0.into_iter().next().unwrap()
}

fn fixture(name: &str) -> Diagnostic {
    single(load_file(&format!("tests/fixtures/invalid/{name}")))
}

fn assert_at(d: &Diagnostic, code: &str, pointer: &str, line: Option<usize>) {
    assert_eq!(d.code, code, "{d}");
    assert_eq!(d.location.pointer, pointer, "{d}");
    assert_eq!(d.location.line, line, "{d}");
    assert!(d.location.file.ends_with(".yaml") || d.location.file.ends_with(".json"));
}

const MINIMAL: &str = "\
schema: recert.submission/v1
id: T-1
applicant:
  name: Test Co.
product:
  sector: electrical-electronic
  markets: [EU]
components:
  - id: C1
    material:
      class: plastic
    mass: 1 kg
";

// ---- bad-input fixtures ----

#[test]
fn malformed_yaml() {
    let d = fixture("malformed.yaml");
    assert_eq!(d.code, "yaml-syntax", "{d}");
    assert_eq!(d.location.pointer, "");
    // The flow list opened on line 7 is still open when `components:` comes.
    assert_eq!(d.location.line, Some(8), "{d}");
    assert!(d.location.column.is_some());
}

#[test]
fn duplicate_key_yaml() {
    let d = fixture("duplicate-key.yaml");
    assert_at(
        &d,
        "duplicate-key",
        "/components/0/substances/lead",
        Some(17),
    );
    assert!(d.message.contains("`lead`"), "{d}");
}

#[test]
fn duplicate_key_json() {
    let d = fixture("duplicate-key.json");
    assert_at(
        &d,
        "duplicate-key",
        "/components/0/substances/lead",
        Some(13),
    );
}

#[test]
fn alias_bomb() {
    let start = std::time::Instant::now();
    let d = fixture("alias-bomb.yaml");
    assert_eq!(d.code, "alias-limit", "{d}");
    assert!(d.location.line.is_some(), "{d}");
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn too_deep_json() {
    let d = fixture("too-deep.json");
    assert_eq!(d.code, "too-deep", "{d}");
    // The 65th level: the top level, `x`, and 63 nested lists.
    let expected = format!("/x{}", "/0".repeat(63));
    assert_eq!(d.location.pointer, expected);
    assert_eq!(d.location.line, Some(1));
}

#[test]
fn too_deep_yaml() {
    let text = format!("a: {}{}\n", "[".repeat(70), "]".repeat(70));
    let d = single(yaml(&text));
    assert_eq!(d.code, "too-deep", "{d}");
    assert_eq!(d.location.line, Some(1));
}

#[test]
fn wrong_schema_version() {
    let d = fixture("wrong-schema.yaml");
    assert_at(&d, "wrong-schema-version", "/schema", Some(1));
    assert!(d.message.contains("`recert.submission/v2`"), "{d}");
    assert!(d.message.contains("`recert.submission/v1`"), "{d}");
}

#[test]
fn unknown_sector() {
    let d = fixture("unknown-sector.yaml");
    assert_at(&d, "schema", "/product/sector", Some(6));
    assert_eq!(
        d.message,
        "`sector` must be one of packaging, automotive, electrical-electronic, battery, \
         textile, construction, other (found `cars`)"
    );
}

#[test]
fn missing_mass() {
    let d = fixture("missing-mass.yaml");
    assert_at(&d, "schema", "/components/1", Some(14));
    assert_eq!(
        d.message,
        "missing required field `mass` in `components[1]`"
    );
}

#[test]
fn unknown_unit() {
    let d = fixture("unknown-unit.yaml");
    assert_at(
        &d,
        "unknown-unit",
        "/components/0/substances/lead",
        Some(15),
    );
    assert!(d.message.contains("unknown unit `kgs`"), "{d}");
    assert!(d.help.as_deref().unwrap_or_default().contains("mg/kg"));
}

#[test]
fn wrong_dimension() {
    let d = fixture("wrong-dimension.yaml");
    assert_at(
        &d,
        "wrong-dimension",
        "/components/0/substances/lead",
        Some(15),
    );
    assert!(
        d.message
            .contains("`kg` is a mass, expected a concentration"),
        "{d}"
    );
}

#[test]
fn share_over_100() {
    let d = fixture("share-over-100.yaml");
    assert_at(
        &d,
        "out-of-range",
        "/components/0/recycled/post_consumer",
        Some(15),
    );
    assert!(d.message.contains("share above 100 %"), "{d}");
}

#[test]
fn negative_mass() {
    let d = fixture("negative-mass.yaml");
    assert_at(&d, "negative", "/components/0/mass", Some(13));
}

#[test]
fn bad_credit_code() {
    let d = fixture("bad-credit-code.yaml");
    assert_at(&d, "invalid-credit-code", "/applicant/credit_code", Some(5));
    assert!(d.message.contains("call for `3`"), "{d}");
}

#[test]
fn diagnostics_render_file_line_and_path() {
    let d = fixture("unknown-unit.yaml");
    let text = d.to_string();
    assert!(
        text.contains("unknown-unit.yaml:15:13: unknown-unit:"),
        "{text}"
    );
    assert!(
        text.ends_with("(at /components/0/substances/lead)"),
        "{text}"
    );
}

// ---- the examples ----

const EXAMPLES: &[&str] = &[
    "packaging-pet-bottle-pass.yaml",
    "packaging-shrink-film-fail.yaml",
    "eee-abs-housing.yaml",
    "eee-wt-percent.yaml",
    "eee-missing-data.yaml",
    "eee-10-components.json",
];

/// Every submission in the repository that is meant to be valid: the
/// examples, the packs' fixtures (rules/fixtures, every pack) and the CLI
/// tests' fixtures outside `invalid/`. New optional fields must leave each of
/// them valid, and fixtures that use them must load.
#[test]
fn every_valid_submission_in_the_repository_loads() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "invalid") {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["examples", "rules/fixtures", "tests/fixtures"] {
        walk(&repo(dir), &mut files);
    }
    let mut count = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        // A submission names its format on a top-level line; packs, pack
        // tests (inline submissions too) and params files do not.
        let submission = text.lines().any(|l| {
            l == "schema: recert.submission/v1"
                || l.trim() == "\"schema\": \"recert.submission/v1\","
        });
        if !submission {
            continue;
        }
        let source = Source::read(&path).unwrap();
        if let Err(e) = load_submission(&source) {
            panic!("{}:\n{e}", path.display());
        }
        count += 1;
    }
    assert!(count > 100, "{count}");
}

#[test]
fn every_example_loads() {
    // These, and any other example in the folder.
    let mut names: Vec<String> = std::fs::read_dir(repo("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".json"))
        .collect();
    for name in EXAMPLES {
        assert!(names.iter().any(|n| n == name), "{name} is missing");
    }
    names.sort();
    for name in &names {
        let path = format!("examples/{name}");
        let submission = load_file(&path).unwrap_or_else(|e| panic!("{name}:\n{e}"));
        assert!(!submission.id.is_empty());
        assert!(submission.file.ends_with(name.as_str()));
    }
}

#[test]
fn yaml_examples_point_editors_at_the_schema() {
    for name in EXAMPLES.iter().filter(|n| n.ends_with(".yaml")) {
        let text = std::fs::read_to_string(repo(&format!("examples/{name}"))).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schemas/submission.schema.json\n"),
            "{name}"
        );
    }
}

#[test]
fn examples_are_valid_under_the_published_schema() {
    // The schema as editors see it (quantity patterns included) accepts
    // every example too.
    let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    for entry in std::fs::read_dir(repo("examples")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.display();
        let source = Source::read(&path).unwrap();
        let value = parse_document(&source).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

#[test]
fn wt_percent_example_converts() {
    let s = load_file("examples/eee-wt-percent.yaml").unwrap();
    let enc = &s.normalized["components"][0]["substances"];
    assert_eq!(enc["lead"], json!(500.0));
    assert_eq!(enc["cadmium"], json!(200.0));
    assert_eq!(enc["mercury"], json!(2.0));
    assert_eq!(enc["chromium_vi"], json!(10.0));
    assert_eq!(enc["dehp"], json!(40.0));
    assert_eq!(
        s.normalized["components"][1]["substances"]["lead"],
        json!(900.0)
    );
    assert_eq!(s.normalized["components"][0]["mass"], json!(0.034));
    assert_eq!(s.normalized["product"]["mass"], json!(0.112));
    // What was written in another unit is kept, by pointer...
    assert_eq!(
        s.written.get("/components/0/substances/lead"),
        Some("0.05 wt%")
    );
    assert_eq!(s.written.get("/product/mass"), Some("112 g"));
    assert_eq!(
        s.written.get("/components/0/substances/mercury"),
        Some("2 ppm")
    );
    // ...what was written in the canonical unit, or not at all, is not.
    assert_eq!(s.written.get("/components/0/recycled/post_consumer"), None);
    assert_eq!(
        s.written
            .get("/components/0/properties/flammability_thickness"),
        None
    );
    assert_eq!(s.written.get("/components/0/substances/nickel"), None);
}

#[test]
fn pet_bottle_example_converts() {
    let s = load_file("examples/packaging-pet-bottle-pass.yaml").unwrap();
    let body = &s.normalized["components"][0];
    assert_eq!(body["mass"], json!(0.0118));
    assert_eq!(body["recycled"]["post_consumer"], json!(50.0));
    assert_eq!(
        body["recycled"]["certificate"]["valid_until"],
        json!("2027-12-31")
    );
    // Intrinsic viscosity is a quantity (dL/g), shown as written.
    assert_eq!(body["properties"]["intrinsic_viscosity"], json!(0.8));
    assert_eq!(
        s.written
            .get("/components/0/properties/intrinsic_viscosity"),
        Some("0.80 dl/g")
    );
    assert_eq!(s.normalized["product"]["food_contact"], json!(true));
}

#[test]
fn missing_data_example_keeps_the_gaps() {
    let s = load_file("examples/eee-missing-data.yaml").unwrap();
    let cord = &s.normalized["components"][2]["substances"];
    assert!(cord.get("cadmium").is_none());
    assert!(cord.get("dehp").is_none());
    assert_eq!(cord["lead"], json!(40.0));
}

#[test]
fn ten_component_example_is_about_4_kb() {
    let source = Source::read(&repo("examples/eee-10-components.json")).unwrap();
    assert!((3_500..5_000).contains(&source.text.len()));
    let s = load_submission(&source).unwrap();
    assert_eq!(
        s.normalized["components"].as_array().map(<[_]>::len),
        Some(10)
    );
    for c in s.normalized["components"].as_array().unwrap() {
        assert_eq!(c["substances"].as_object().map(|m| m.len()), Some(10));
    }
}

// ---- the submission value ----

#[test]
fn digest_is_sha256_of_the_compact_sorted_json() {
    let s = load_file("examples/eee-abs-housing.yaml").unwrap();
    let bytes = serde_json::to_vec(&s.normalized).unwrap();
    let expected: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(s.sha256, expected);
    // Keys are sorted (serde_json without `preserve_order`), so the digest
    // does not depend on the order fields were written in.
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with("{\"applicant\":"), "{text}");
    let reordered = MINIMAL.replace(
        "schema: recert.submission/v1\nid: T-1\n",
        "id: T-1\nschema: recert.submission/v1\n",
    );
    assert_ne!(reordered, MINIMAL);
    assert_eq!(
        yaml(&reordered).unwrap().sha256,
        yaml(MINIMAL).unwrap().sha256
    );
}

#[test]
fn yaml_and_json_of_the_same_submission_are_the_same() {
    let from_yaml = yaml(MINIMAL).unwrap();
    let original = parse_document(&Source::from_text("t.yaml", MINIMAL, Format::Yaml)).unwrap();
    let json_text = serde_json::to_string(&original).unwrap();
    let from_json = load_submission(&Source::from_text("t.json", json_text, Format::Json)).unwrap();
    assert_eq!(from_yaml.normalized, from_json.normalized);
    assert_eq!(from_yaml.sha256, from_json.sha256);
    assert_eq!(from_json.normalized["components"][0]["mass"], json!(1.0));
    assert!(from_json.normalized["components"][0]["mass"].is_f64());
}

#[test]
fn from_value_has_no_lines() {
    let value = json!({
        "schema": "recert.submission/v1", "id": "T", "applicant": {},
        "product": {"sector": "other", "markets": ["EU"]},
        "components": [{"id": "C1", "material": {"class": "glass"}, "mass": "2 t"}]
    });
    let s = submission_from_value("inline", value.clone()).unwrap();
    assert_eq!(s.normalized["components"][0]["mass"], json!(2000.0));
    assert_eq!(s.file, "inline");
    let mut bad = value;
    bad["components"][0]["mass"] = json!("2 tons");
    let d = single(submission_from_value("inline", bad));
    assert_eq!(d.code, "unknown-unit");
    assert_eq!(d.location.file, "inline");
    assert_eq!(d.location.pointer, "/components/0/mass");
    assert_eq!(d.location.line, None);
}

// ---- checks and messages ----

#[test]
fn all_errors_are_collected() {
    let text = "\
schema: recert.submission/v1
id: ''
applicant:
  credit_code: 91350100M000100Y4A
product:
  sector: electrical-electronic
  markets: [EU]
  colour: red
components:
  - id: C1
    material: {class: plastic}
    mass: 1 kgs
  - id: C1
    material: {class: plastic}
    mass: 2 kg
    substances: {lead: 5 kg}
";
    let diagnostics = yaml(text).unwrap_err();
    let found: Vec<(&str, &str, Option<usize>)> = diagnostics
        .iter()
        .map(|d| (d.code.name(), d.location.pointer.as_str(), d.location.line))
        .collect();
    assert_eq!(
        found,
        [
            ("schema", "/id", Some(2)),
            ("invalid-credit-code", "/applicant/credit_code", Some(4)),
            ("schema", "/product/colour", Some(8)),
            ("unknown-unit", "/components/0/mass", Some(12)),
            ("duplicate-id", "/components/1/id", Some(13)),
            ("wrong-dimension", "/components/1/substances/lead", Some(16)),
        ],
        "{diagnostics}"
    );
}

#[test]
fn unknown_fields_suggest_the_right_one() {
    let text = MINIMAL.replace(
        "  markets: [EU]\n",
        "  markets: [EU]\n  foodcontact: true\n",
    );
    let d = single(yaml(&text));
    assert_eq!(d.location.pointer, "/product/foodcontact");
    assert_eq!(d.message, "unknown field `foodcontact` in `product`");
    assert_eq!(d.help.as_deref(), Some("did you mean `food_contact`?"));
    assert_eq!(d.location.line, Some(8));
}

#[test]
fn packaging_requires_food_contact() {
    let text = MINIMAL.replace("electrical-electronic", "packaging");
    let d = single(yaml(&text));
    assert_at(&d, "schema", "/product", Some(6));
    assert_eq!(
        d.message,
        "missing required field `food_contact` in `product`"
    );
    assert!(d.help.as_deref().unwrap_or_default().contains("packaging"));
    let with = text.replace(
        "  markets: [EU]\n",
        "  markets: [EU]\n  food_contact: false\n",
    );
    assert!(yaml(&with).is_ok());
}

#[test]
fn battery_sector_requires_battery() {
    let text = MINIMAL.replace("electrical-electronic", "battery");
    let d = single(yaml(&text));
    assert_eq!(d.code, "schema");
    assert_eq!(d.location.pointer, "");
    assert_eq!(
        d.message,
        "missing required field `battery` in the submission"
    );
    let with = format!(
        "{text}battery:\n  category: ev\n  capacity: 75000 Wh\n  recycled_content:\n    cobalt: 18 %\n    lithium: 7\n"
    );
    let s = yaml(&with).unwrap();
    assert_eq!(s.normalized["battery"]["capacity"], json!(75.0));
    assert_eq!(
        s.normalized["battery"]["recycled_content"]["cobalt"],
        json!(18.0)
    );
    assert_eq!(
        s.normalized["battery"]["recycled_content"]["lithium"],
        json!(7.0)
    );
    let over = with.replace("cobalt: 18 %", "cobalt: 118 %");
    let d = single(yaml(&over));
    assert_eq!(d.code, "out-of-range");
    assert_eq!(d.location.pointer, "/battery/recycled_content/cobalt");
}

#[test]
fn recycled_shares_add_up_to_at_most_100() {
    let text =
        format!("{MINIMAL}    recycled:\n      post_consumer: 80 %\n      pre_consumer: 30\n");
    let d = single(yaml(&text));
    assert_at(&d, "out-of-range", "/components/0/recycled", Some(14));
    assert!(d.message.contains("110 %"), "{d}");
    let fine = text.replace("pre_consumer: 30", "pre_consumer: 20");
    assert!(yaml(&fine).is_ok());
}

#[test]
fn properties_convert_or_stay_as_written() {
    let text = format!(
        "{MINIMAL}    properties:\n      melt_flow_rate: 12 g/10min\n      ash: 1.2 %\n      density: 910 kg/m3\n      tensile_strength: 0.024 GPa\n      flammability: V-0\n      flammability_thickness: 0.2 cm\n      colour: grey\n      yellowness: 3.1\n"
    );
    let s = yaml(&text).unwrap();
    let p = &s.normalized["components"][0]["properties"];
    assert_eq!(p["melt_flow_rate"], json!(12.0));
    assert_eq!(p["ash"], json!(1.2));
    assert_eq!(p["density"], json!(0.91));
    assert_eq!(p["tensile_strength"], json!(24.0));
    assert_eq!(p["flammability"], json!("V-0"));
    assert_eq!(p["flammability_thickness"], json!(2.0));
    assert_eq!(p["colour"], json!("grey"));
    assert_eq!(p["yellowness"], json!(3.1));
    let bad = text.replace("ash: 1.2 %", "ash: 1.2 ppm");
    let d = single(yaml(&bad));
    assert_eq!(d.code, "wrong-dimension");
    assert_eq!(d.location.pointer, "/components/0/properties/ash");
}

#[test]
fn type_errors_say_what_was_found() {
    let text = MINIMAL.replace(
        "  markets: [EU]\n",
        "  markets: [EU]\n  food_contact: yes\n",
    );
    let d = single(yaml(&text));
    assert_eq!(d.location.pointer, "/product/food_contact");
    assert_eq!(
        d.message,
        "`food_contact` must be true or false (found the string `yes`)"
    );
}

#[test]
fn yaml_is_read_as_yaml_1_2() {
    // Norway is not `false`, and leading zeros are not numbers.
    let text = MINIMAL
        .replace("  markets: [EU]", "  markets: [NO, EU]")
        .replace("id: T-1", "id: '0017'")
        .replace("  name: Test Co.", "  name: Test Co.\n  country: NO");
    let s = yaml(&text).unwrap();
    assert_eq!(s.normalized["product"]["markets"][0], json!("NO"));
    assert_eq!(s.normalized["applicant"]["country"], json!("NO"));
}

#[test]
fn dates_are_checked() {
    let text = MINIMAL.replace("id: T-1\n", "id: T-1\ndate: 2026-02-30\n");
    let d = single(yaml(&text));
    assert_at(&d, "schema", "/date", Some(3));
    assert!(d.message.contains("YYYY-MM-DD"), "{d}");
}

#[test]
fn not_a_mapping() {
    let d = single(yaml("- a\n- b\n"));
    assert_eq!(d.code, "schema");
    assert!(d.message.contains("found a list"), "{d}");
    let d = single(yaml(""));
    assert!(d.message.contains("empty document"), "{d}");
}

#[test]
fn missing_schema_field_is_a_schema_error() {
    let text = MINIMAL.replace("schema: recert.submission/v1\n", "");
    let d = single(yaml(&text));
    assert_at(&d, "schema", "", Some(1));
    assert_eq!(
        d.message,
        "missing required field `schema` in the submission"
    );
}

#[test]
fn one_yaml_document_only() {
    let text = format!("{MINIMAL}---\n{MINIMAL}");
    let d = single(yaml(&text));
    assert_eq!(d.code, "multiple-documents", "{d}");
    assert!(d.location.line.is_some());
}

#[test]
fn non_finite_numbers_are_rejected() {
    let text = MINIMAL.replace("mass: 1 kg", "mass: .nan");
    let d = single(yaml(&text));
    assert_eq!(d.code, "non-finite", "{d}");
    assert_eq!(d.location.line, Some(12));
    assert_eq!(d.location.pointer, "/components/0/mass", "{d}");
    let json_text = r#"{"schema": "recert.submission/v1", "x": 1e999}"#;
    let d = single(load_submission(&Source::from_text(
        "t.json",
        json_text,
        Format::Json,
    )));
    assert_eq!(d.code, "non-finite", "{d}");
    assert_eq!(d.location.pointer, "/x", "{d}");
    assert!(d.message.contains("`1e999`"), "{d}");
}

#[test]
fn json_syntax_errors_have_a_position() {
    let d = single(load_submission(&Source::from_text(
        "t.json",
        "{\n  \"id\": \"x\",\n  \"a\": [1, 2,]\n}",
        Format::Json,
    )));
    assert_eq!(d.code, "json-syntax");
    assert_eq!(d.location.line, Some(3));
    assert!(!d.message.contains(" at line "), "{d}");
}

#[test]
fn duplicate_keys_anywhere() {
    let d = single(yaml("a: 1\nb:\n  - x: 1\n    x: 2\n"));
    assert_at(&d, "duplicate-key", "/b/0/x", Some(4));
    let d = single(load_submission(&Source::from_text(
        "t.json",
        r#"{"a": {"k~/": 1, "k~/": 2}}"#,
        Format::Json,
    )));
    assert_eq!(d.code, "duplicate-key");
    assert_eq!(d.location.pointer, "/a/k~0~1");
}

#[test]
fn parse_document_keeps_numbers_and_strings() {
    let v = parse_document(&Source::from_text(
        "t.yaml",
        "a: 1\nb: -2\nc: 1.5\nd: 'x'\ne: ~\nf: [true, false]\ng: 18446744073709551615\n",
        Format::Yaml,
    ))
    .unwrap();
    assert_eq!(
        v,
        json!({"a": 1, "b": -2, "c": 1.5, "d": "x", "e": null, "f": [true, false], "g": 18446744073709551615u64})
    );
}

// ---- the schema agrees with the engine ----

/// The pattern of a quantity's definition: its units, and for a
/// concentration also the forms of a result below the detection limit.
fn schema_pattern(dimension: Dimension) -> String {
    let units: Vec<&str> = dimension.units().collect();
    let quantity = format!(
        "[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)? ?({})",
        units.join("|")
    );
    if dimension == Dimension::Concentration {
        format!("^(< ?{quantity}|(n\\.d\\.|N\\.D\\.|nd|ND) \\(LOD {quantity}\\)|{quantity})$")
    } else {
        format!("^{quantity}$")
    }
}

#[test]
fn schema_quantity_patterns_match_the_units_table() {
    let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA).unwrap();
    assert_eq!(
        schema["$id"],
        json!("https://recert.dev/schemas/submission.schema.json")
    );
    let defs = [
        ("mass", Dimension::Mass),
        ("share", Dimension::Share),
        ("concentration", Dimension::Concentration),
        ("energy", Dimension::Energy),
        ("melt_flow_rate", Dimension::MeltFlowRate),
        ("density", Dimension::Density),
        ("length", Dimension::Length),
        ("strength", Dimension::Strength),
        ("intrinsic_viscosity", Dimension::IntrinsicViscosity),
    ];
    for (name, dimension) in defs {
        let expected = schema_pattern(dimension);
        assert_eq!(schema["$defs"][name]["pattern"], json!(expected), "{name}");
        assert_eq!(schema["$defs"][name]["minimum"], json!(0), "{name}");
    }
    assert_eq!(schema["$defs"]["share"]["maximum"], json!(100));
}

#[test]
fn every_dimension_has_one_quantity_definition_in_the_schema() {
    // A quantity definition names its dimension with `x-recert-quantity`;
    // its pattern lists exactly the units the engine converts.
    let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA).unwrap();
    let mut seen = Vec::new();
    for (name, def) in schema["$defs"].as_object().unwrap() {
        let Some(id) = def.get("x-recert-quantity") else {
            continue;
        };
        let dimension = Dimension::from_id(id.as_str().unwrap())
            .unwrap_or_else(|| panic!("/$defs/{name}: unknown dimension {id}"));
        let expected = schema_pattern(dimension);
        assert_eq!(def["pattern"], json!(expected), "{name}");
        assert_eq!(def["minimum"], json!(0), "{name}");
        assert_eq!(def["type"], json!(["number", "string"]), "{name}");
        assert!(!seen.contains(&dimension), "{name}: a second {dimension}");
        seen.push(dimension);
    }
    for dimension in Dimension::ALL {
        assert!(seen.contains(&dimension), "no definition for {dimension}");
        assert_eq!(Dimension::from_id(dimension.id()), Some(dimension));
    }
}

#[test]
fn every_schema_property_has_a_description() {
    fn walk(node: &Value, path: &str, missing: &mut Vec<String>) {
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let here = format!("{path}/properties/{name}");
                let described = prop.get("description").is_some() || prop.get("$ref").is_some();
                if !described {
                    missing.push(here.clone());
                }
                walk(prop, &here, missing);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(child) = node.get(key).filter(|c| c.is_object()) {
                walk(child, &format!("{path}/{key}"), missing);
            }
        }
        if let Some(defs) = node.get("$defs").and_then(Value::as_object) {
            for (name, def) in defs {
                if def.get("description").is_none() {
                    missing.push(format!("/$defs/{name}"));
                }
                walk(def, &format!("/$defs/{name}"), missing);
            }
        }
    }
    let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA).unwrap();
    let mut missing = Vec::new();
    walk(&schema, "", &mut missing);
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn closed_objects_reject_unknown_fields() {
    let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA).unwrap();
    for def in [
        "applicant",
        "product",
        "component",
        "material",
        "recycled",
        "battery",
        "evidence",
    ] {
        assert_eq!(
            schema["$defs"][def]["additionalProperties"],
            json!(false),
            "{def}"
        );
    }
    assert_eq!(schema["additionalProperties"], json!(false));
}

#[test]
fn substance_names_are_snake_case() {
    let text = format!("{MINIMAL}    substances:\n      Lead: 5 mg/kg\n");
    let d = single(yaml(&text));
    assert_at(&d, "schema", "/components/0/substances/Lead", Some(14));
    assert_eq!(d.message, "the name `Lead` is not allowed here");
}

#[test]
fn text_over_the_limit_is_refused() {
    let limit = usize::try_from(MAX_INPUT_BYTES).unwrap();
    let text = format!("a: \"{}\"\n", "x".repeat(limit));
    let d = single(yaml(&text));
    assert_eq!(d.code, "too-large");
}

// ---- normalizing while parsing gives what the walk gives ----

/// The reference: parse as written, then validate and normalize the value
/// with the separate walk (what `submission_from_value` does), with lines.
fn load_by_walk(source: &Source) -> Result<Submission, Diagnostics> {
    let value = parse_document(source)?;
    let mut submission = build(&source.name, Some(source), Doc::from_value(value), None)?;
    submission.source = Some(std::sync::Arc::new(source.clone()));
    Ok(submission)
}

fn assert_same_as_walk(source: &Source) {
    let fast = load_submission(source);
    let reference = load_by_walk(source);
    assert_eq!(fast, reference, "{}:\n{}", source.name, source.text);
}

/// A shared source is kept as it is, not copied (the text of a large
/// submission is 16 MiB); the submission is the same either way.
#[test]
fn a_shared_source_is_kept_not_copied() {
    let path = repo("examples").join("eee-abs-housing.yaml");
    let source = Arc::new(Source::read(&path).unwrap());
    let shared = load_shared(Arc::clone(&source)).unwrap();
    assert!(Arc::ptr_eq(shared.source.as_ref().unwrap(), &source));
    let copied = load_submission(&source).unwrap();
    assert!(!Arc::ptr_eq(copied.source.as_ref().unwrap(), &source));
    assert_eq!(shared, copied);
}

/// Lines alone are the lines of `locate_keys`, for a key on its value's
/// line, on an earlier one, and in a document written on one line.
#[test]
fn key_lines_are_the_lines_of_located_keys() {
    let yaml_text = "a:\n  b:\n    c: 1\n  d: {e: 2}\nf: [1, 2]\n";
    let json_text = r#"{"a":{"b":{"c":1},"d":{"e":2}},"f":[1,2]}"#;
    let pointers = ["/a/b", "/a/b/c", "/a/d", "/a/d/e", "/f/1", "/a/x", "/f"];
    for source in [
        Source::from_text("t.yaml", yaml_text, Format::Yaml),
        Source::from_text("t.json", json_text, Format::Json),
    ] {
        let lines: Vec<Option<usize>> = locate_keys(&source, &pointers)
            .into_iter()
            .map(|l| l.line)
            .collect();
        assert_eq!(
            locate_key_lines(&source, &pointers),
            lines,
            "{}",
            source.name
        );
        assert!(lines.iter().all(Option::is_some), "{lines:?}");
    }
}

/// Pointers all in the text are looked up in a sorted list of them (not
/// with a search each): the lines are still those of `locate_keys`, for
/// repeated keys (the first), escaped keys, list items, the document
/// itself, pointers given twice or out of order; and with one pointer not
/// in the text (through an alias), those of its nearest ancestor.
#[test]
fn key_lines_of_pointers_in_the_text_are_the_lines_of_located_keys() {
    let yaml_text = "a:\n  b:\n    c: 1\n  b:\n    c: 2\n  \"x/y\":\n    \"m~n\": 3\nl:\n  - k:\n      v: 1\n  - {k: {v: 2}}\nr: &r\n  s:\n    t: 1\nq: *r\n";
    let json_text = r#"{"a":{"b":{"c":1},"x/y":{"m~n":3}},"l":[{"k":{"v":1}},{"k":{"v":2}}]}"#;
    let present = [
        "/l/1/k",
        "/a/b/c",
        "/a/x~1y/m~0n",
        "/a/b",
        "",
        "/l/0/k/v",
        "/a/b/c",
        "/l/1",
        "/a",
    ];
    for (source, extra) in [
        (
            Source::from_text("t.yaml", yaml_text, Format::Yaml),
            "/r/s/t",
        ),
        (
            Source::from_text("t.json", json_text, Format::Json),
            "/l/1/k/v",
        ),
    ] {
        let mut with_absent = present.to_vec();
        with_absent.push(extra);
        if source.name == "t.yaml" {
            with_absent.push("/q/s");
        }
        for pointers in [&present[..], &with_absent[..]] {
            let lines: Vec<Option<usize>> = locate_keys(&source, pointers)
                .into_iter()
                .map(|l| l.line)
                .collect();
            assert_eq!(
                locate_key_lines(&source, pointers),
                lines,
                "{}: {pointers:?}",
                source.name
            );
        }
    }
    let yaml = Source::from_text("t.yaml", yaml_text, Format::Yaml);
    // The first `b`, its key's line; a key on a line of its own above its value.
    assert_eq!(
        locate_key_lines(&yaml, &["/a/b", "/a/b/c", "/l/0/k", "/q/s"]),
        [Some(2), Some(3), Some(9), Some(15)]
    );
}

#[test]
fn every_example_and_fixture_loads_as_by_the_walk() {
    let mut count = 0;
    for dir in ["examples", "tests/fixtures/invalid"] {
        for entry in std::fs::read_dir(repo(dir)).unwrap() {
            let path = entry.unwrap().path();
            if let Ok(source) = Source::read(&path) {
                assert_same_as_walk(&source);
                count += 1;
            }
        }
    }
    assert!(count > 15, "{count}");
}

#[test]
fn quantities_of_every_kind_load_as_by_the_walk() {
    let battery = "battery:\n  category: ev\n  recycled_content: {nickel: 4 %, cobalt: 0.18e2 %, lithium: 7}\n  capacity: 75000 Wh\n";
    let component = "  - id: C2\n    material: {class: steel}\n    mass: 2500 g\n    substances: {mercury: 2 ppm, lead: 0.05 wt%, cadmium: 10 mg/kg, dehp: 40, zinc: 1 g/kg}\n    recycled: {pre_consumer: 20 %, post_consumer: 30.0 %}\n    properties: {yellowness: 5 kg, density: 910 kg/m3, ash: 1.2, tensile_strength: 24 MPa, colour: grey}\n";
    let valid = format!("{MINIMAL}{component}{battery}").replace(
        "sector: electrical-electronic",
        "sector: battery\n  mass: 112 g",
    );
    let cases: Vec<String> = vec![
        valid.clone(),
        // Invalid quantities of every kind, alone and together.
        valid.replace("mass: 2500 g", "mass: 2500 gs"),
        valid.replace("mass: 2500 g", "mass: -1"),
        valid.replace("mass: 2500 g", "mass: ~"),
        valid.replace("mass: 2500 g", "mass: [1, kg]"),
        valid.replace("mass: 2500 g", "mass: {value: 1 kg}"),
        valid.replace("mass: 2500 g", "mass: true"),
        valid.replace("mass: 2500 g", "mass: 1e999 kg"),
        valid.replace("lead: 0.05 wt%", "lead: 5 kg"),
        valid.replace("lead: 0.05 wt%", "Lead: 5 kg"),
        valid.replace("lead: 0.05 wt%", "Lead: 5 mg/kg"),
        valid.replace("lead: 0.05 wt%", "lead: {value: 5}"),
        valid.replace("nickel: 4 %", "nickel: [4 %]"),
        valid.replace("nickel: 4 %", "Nickel: 104 %"),
        valid.replace("pre_consumer: 20 %", "pre_consumer: 80 %"),
        valid.replace("pre_consumer: 20 %", "pre_consumer: 180"),
        valid
            .replace("pre_consumer: 20 %", "pre_consumer: 80 %")
            .replace("ash: 1.2", "ash: 1.2 ppm")
            .replace("id: C2", "id: C1"),
        // Shapes the schema rejects: the walk copes, and so must the parse.
        valid.replace("components:\n", "components:\n  - [1 kg]\n"),
        valid.replace("substances: {", "substances: [{"),
        valid.replace("  sector: battery", "  sector: batteries"),
        valid.replace("schema: recert.submission/v1", "schema: other"),
        "- mass: 1 kg\n".to_owned(),
        "components: {C1: {mass: 1 kgs}}\nproduct: [{mass: 1 kgs}]\n".to_owned(),
        // Aliases point diagnostics at the alias.
        format!(
            "{MINIMAL}    substances: &s {{lead: 5 kgs, Cd: 1 kg}}\n  - id: C2\n    material: {{class: steel}}\n    mass: 2 kg\n    substances: *s\n"
        ),
    ];
    for (i, text) in cases.iter().enumerate() {
        let source = Source::from_text(format!("case-{i}.yaml"), text.as_str(), Format::Yaml);
        assert_same_as_walk(&source);
        // The same document as JSON, when it is one.
        if let Ok(value) = parse_document(&source) {
            let json = serde_json::to_string_pretty(&value).unwrap();
            assert_same_as_walk(&Source::from_text(
                format!("case-{i}.json"),
                json,
                Format::Json,
            ));
        }
    }
    // The valid case converts, and keeps what was written in the walk's order.
    let s = yaml(&valid).unwrap();
    assert_eq!(
        s.normalized["components"][1]["substances"]["lead"],
        json!(500.0)
    );
    assert_eq!(
        s.normalized["components"][1]["properties"]["yellowness"],
        json!("5 kg")
    );
    assert_eq!(
        s.written.get("/components/1/substances/zinc"),
        Some("1 g/kg")
    );
    assert_eq!(s.written.get("/battery/capacity"), Some("75000 Wh"));
    // `0.18e2 %` is 18 written in the canonical unit: nothing to keep.
    assert_eq!(s.written.get("/battery/recycled_content/cobalt"), None);
    assert_eq!(s.written.get("/battery/recycled_content/nickel"), None);
    assert_eq!(s.written.get("/product/mass"), Some("112 g"));
    assert_eq!(s.written.get("/components/1/substances/cadmium"), None);
    assert!(yaml(&cases[1]).is_err() && yaml(&cases[14]).is_err());
}

#[test]
fn the_digest_of_json_with_and_without_escapes() {
    let sha256_of_to_vec = |value: &Value| -> String {
        Sha256::digest(serde_json::to_vec(value).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let original = parse_document(&Source::from_text("t.yaml", MINIMAL, Format::Yaml)).unwrap();
    let plain = serde_json::to_string(&original)
        .unwrap()
        .replace("Test Co.", "Test \u{7f} 苏州 </a> µg/g 'x'");
    let escaped = serde_json::to_string(&original)
        .unwrap()
        .replace("Test Co.", r#"T\u0065st \"Co.\" \\ \t \n \u0001 \/ \u00e9"#)
        .replace(
            r#""mass":"1 kg""#,
            r#""mass":"1 kg","properties":{"a\"b":"\\","c\nd":1}"#,
        );
    for text in [plain, escaped] {
        let s = load_submission(&Source::from_text("t.json", text.as_str(), Format::Json))
            .unwrap_or_else(|e| panic!("{text}\n{e}"));
        assert_eq!(
            s.sha256,
            sha256_of_to_vec(&s.normalized.to_value()),
            "{text}"
        );
    }
}

#[test]
fn duplicate_ids_name_the_first_use_in_few_and_many_components() {
    for count in [5, 40] {
        let components: Vec<Value> = (0..count)
            .map(|i| {
                // C0, C1, C2, C0, C1, C2, ... and one without an id.
                let mut c =
                    json!({"id": format!("C{}", i % 3), "material": {"class": "glass"}, "mass": 1});
                if i == 1 {
                    c.as_object_mut().unwrap().remove("id");
                }
                c
            })
            .collect();
        let value = json!({
            "schema": "recert.submission/v1", "id": "T", "applicant": {},
            "product": {"sector": "other", "markets": ["EU"]},
            "components": components,
        });
        let diagnostics = submission_from_value("inline", value).unwrap_err();
        let found: Vec<(&str, String)> = diagnostics
            .iter()
            .filter(|d| d.code == "duplicate-id")
            .map(|d| {
                (
                    d.location.pointer.as_str(),
                    d.help.clone().unwrap_or_default(),
                )
            })
            .collect();
        // Component 1 has no id (a schema error), so C1 is first used at 4.
        let expected: Vec<(String, String)> = (3..count)
            .filter(|i| *i != 4)
            .map(|i| {
                let first = match i % 3 {
                    0 => 0,
                    1 => 4,
                    _ => 2,
                };
                (format!("/components/{i}/id"), format!("it is also the id of /components/{first}; component ids are unique within a submission"))
            })
            .collect();
        let expected: Vec<(&str, String)> = expected
            .iter()
            .map(|(p, h)| (p.as_str(), h.clone()))
            .collect();
        assert_eq!(found, expected, "{count} components");
    }
}

/// A YAML submission with more values than serde-saphyr's default budget
/// (250 000 nodes), but well within the size limit: accepted, as the same
/// data written as JSON is.
#[test]
fn a_large_yaml_submission_within_the_size_limit_is_accepted() {
    let mut text = MINIMAL.to_owned();
    for i in 0..30_000 {
        text.push_str(&format!(
            "  - id: X{i}\n    material: {{class: plastic}}\n    mass: 1 g\n    substances: {{lead: 1 mg/kg, cadmium: 1 mg/kg}}\n"
        ));
    }
    assert!(text.len() < usize::try_from(MAX_INPUT_BYTES).unwrap() / 4);
    let submission = yaml(&text).unwrap_or_else(|d| panic!("{d}"));
    let components = submission.normalized["components"].as_array().unwrap();
    assert_eq!(components.len(), 30_001);
    let json = serde_json::to_string(&submission.normalized).unwrap();
    let as_json = load_submission(&Source::from_text("t.json", json, Format::Json)).unwrap();
    assert_eq!(as_json.sha256, submission.sha256);
}

/// A breached YAML budget reads in words, not as a Rust value.
#[test]
fn a_breached_yaml_budget_is_explained_in_words() {
    use serde_saphyr::budget::BudgetBreach;
    for breach in [
        BudgetBreach::Nodes { nodes: 250_001 },
        BudgetBreach::Events { events: 9 },
        BudgetBreach::ScalarBytes {
            total_scalar_bytes: 9,
        },
    ] {
        let message = super::parse::budget_message(&breach);
        assert!(!message.contains('{'), "{message}");
        assert!(!message.contains("budget"), "{message}");
    }
}
