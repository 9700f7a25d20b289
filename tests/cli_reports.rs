//! The reports of every example, as a person and a program read them.
//!
//! Snapshots (tests/snapshots/) cover the text, JSON and Markdown reports of
//! every example in English, and in Chinese for three; every JSON report is
//! checked against `schemas/report.schema.json`. Evaluation date fixed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{recert, redact, repo};

/// The examples, without the battery ones (they need plugins, see plugins_cli.rs).
const EXAMPLES: &[&str] = &[
    "packaging-pet-bottle-pass.yaml",
    "packaging-shrink-film-fail.yaml",
    "eee-abs-housing.yaml",
    "eee-abs-housing-expired-certificate.yaml",
    "eee-wt-percent.yaml",
    "eee-missing-data.yaml",
    "eee-10-components.json",
];

const AT: &str = "2026-11-20";

fn report(example: &str, format: &str, lang: &str) -> (i32, String) {
    let path = format!("examples/{example}");
    let run = recert(&[
        "check", &path, "--at", AT, "--format", format, "--lang", lang,
    ]);
    assert!(
        run.stderr.is_empty(),
        "{example}: nothing on stderr for a valid submission, got:\n{}",
        run.stderr
    );
    (run.code, run.stdout)
}

fn name(example: &str) -> &str {
    example.rsplit_once('.').map_or(example, |(stem, _)| stem)
}

#[test]
fn text_reports() {
    for example in EXAMPLES {
        let (_, text) = report(example, "text", "en");
        insta::assert_snapshot!(format!("text-en-{}", name(example)), redact(&text));
    }
}

#[test]
fn markdown_reports() {
    for example in EXAMPLES {
        let (_, text) = report(example, "markdown", "en");
        insta::assert_snapshot!(format!("markdown-en-{}", name(example)), redact(&text));
    }
}

#[test]
fn json_reports() {
    for example in EXAMPLES {
        let (_, text) = report(example, "json", "en");
        insta::assert_snapshot!(format!("json-en-{}", name(example)), redact(&text));
    }
}

#[test]
fn chinese_reports() {
    for example in [
        "eee-wt-percent.yaml",
        "packaging-shrink-film-fail.yaml",
        "eee-abs-housing-expired-certificate.yaml",
    ] {
        for format in ["text", "markdown", "json"] {
            let (_, text) = report(example, format, "zh");
            insta::assert_snapshot!(format!("{format}-zh-{}", name(example)), redact(&text));
        }
    }
}

#[test]
fn every_json_report_follows_the_report_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    for example in EXAMPLES {
        for lang in ["en", "zh"] {
            let (_, text) = report(example, "json", lang);
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{example} ({lang}): {errors:#?}");
        }
    }
}

#[test]
fn exit_codes_follow_the_verdict() {
    let cases = [
        ("packaging-pet-bottle-pass.yaml", 0, "pass"),
        ("packaging-shrink-film-fail.yaml", 1, "fail"),
        ("eee-abs-housing.yaml", 0, "pass"),
        ("eee-abs-housing-expired-certificate.yaml", 1, "fail"),
        ("eee-wt-percent.yaml", 1, "fail"),
        ("eee-missing-data.yaml", 3, "incomplete"),
        // The three recycled parts declare no chain of custody and no
        // recyclate properties (recycled-plastic-quality).
        ("eee-10-components.json", 3, "incomplete"),
    ];
    for (example, code, verdict) in cases {
        let (got, text) = report(example, "json", "en");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["verdict"], verdict, "{example}");
        assert_eq!(got, code, "{example}");
    }
}

#[test]
fn reports_record_the_digests_of_submission_and_packs() {
    let (_, text) = report("eee-abs-housing.yaml", "json", "en");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    for pack in json["packs"].as_array().unwrap() {
        let id = pack["id"].as_str().unwrap();
        let bytes = std::fs::read(repo().join(format!("rules/{id}.yaml"))).unwrap();
        assert_eq!(pack["sha256"], sha256_hex(&bytes), "pack {id}");
    }
    let digest = json["submission"]["sha256"].as_str().unwrap();
    assert_eq!(digest.len(), 64);
    // The digest is of the normalized JSON: the same product written in other
    // units has the same digest.
    let yaml = std::fs::read_to_string(repo().join("examples/eee-abs-housing.yaml")).unwrap();
    let grams = yaml.replacen("mass: 4.6 kg", "mass: 4600 g", 1);
    assert_ne!(grams, yaml, "the example changed: update this test");
    let dir = std::env::temp_dir().join(format!("recert-digest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("grams.yaml");
    std::fs::write(&path, grams).unwrap();
    let run = recert(&[
        "check",
        path.to_str().unwrap(),
        "--at",
        AT,
        "--format",
        "json",
    ]);
    let other: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(other["submission"]["sha256"], digest);
    std::fs::remove_dir_all(dir).ok();
}

/// Snapshots show `[revision]` (`common::redact`); the revision itself is
/// checked here: the report names the exact build, in every format.
#[test]
fn engine_records_its_build() {
    let (_, text) = report("eee-abs-housing.yaml", "json", "en");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let revision = json["engine"]["revision"].as_str().unwrap();
    assert!(!revision.is_empty());
    assert_eq!(revision, recert_engine::report::ENGINE_REVISION);
    let commit = revision.strip_suffix("-dirty").unwrap_or(revision);
    assert!(
        revision == "unknown"
            || std::env::var_os("RECERT_BUILD_REVISION").is_some()
            || (commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "a git commit, the value set at build time or `unknown`: {revision}"
    );
    for format in ["text", "markdown", "html"] {
        let (_, text) = report("eee-abs-housing.yaml", format, "en");
        assert!(text.contains(&format!("({revision})")), "{format}:\n{text}");
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_same_submission_gives_the_same_report() {
    let (_, first) = report("eee-wt-percent.yaml", "json", "en");
    let (_, second) = report("eee-wt-percent.yaml", "json", "en");
    assert_eq!(first, second);
}

/// The battery examples run the bundled WebAssembly plugin; each at the date
/// that shows what it is for.
const BATTERIES: &[(&str, &str, i32)] = &[
    ("battery-ev-pass.yaml", "2032-01-01", 0),
    ("battery-ev-cobalt-fail.yaml", "2032-01-01", 1),
    ("battery-ev-cobalt-fail.yaml", "2030-06-01", 0),
    // The PP case claims 60 % recycled content with no chain of custody and
    // no recyclate properties (recycled-plastic-quality): incomplete.
    ("battery-lead-acid-sli.yaml", "2032-01-01", 3),
    ("battery-casing-hb.yaml", "2026-11-20", 0),
];

#[test]
fn battery_reports() {
    for (example, at, code) in BATTERIES {
        let path = format!("examples/{example}");
        for format in ["text", "json"] {
            let run = recert(&["check", &path, "--at", at, "--format", format]);
            assert_eq!(run.code, *code, "{example} at {at}: {}", run.stderr);
            assert!(run.stderr.is_empty(), "{example}: {}", run.stderr);
            insta::assert_snapshot!(
                format!("{format}-en-{}-{at}", name(example)),
                redact(&run.stdout)
            );
        }
    }
}

/// The food-contact examples run the bundled `food-contact` plugin (and the
/// PPWR rules of eu-packaging where they are for the EU); each comment
/// header says why the verdict is what the cited rules imply. Text reports in
/// English and Chinese.
const FOOD_CONTACT: &[(&str, i32)] = &[
    ("food-rpet-bottle-eu.yaml", 0),
    ("food-pp-tray-eu-cn.yaml", 1),
    ("food-rhdpe-milk-us.yaml", 0),
    ("packaging-pe-shrink-film-recycled.yaml", 0),
];

#[test]
fn food_contact_reports() {
    for (example, code) in FOOD_CONTACT {
        let path = format!("examples/{example}");
        for lang in ["en", "zh"] {
            let run = recert(&["check", &path, "--at", AT, "--lang", lang]);
            assert_eq!(run.code, *code, "{example} ({lang}): {}", run.stderr);
            assert!(run.stderr.is_empty(), "{example}: {}", run.stderr);
            insta::assert_snapshot!(
                format!("text-{lang}-{}-{AT}", name(example)),
                redact(&run.stdout)
            );
        }
    }
}

/// The PE shrink film under a mass-balance claim (traceability pack): the
/// verdict passes, and the warnings say that mass balance governs the claim
/// and that PPWR Art. 7 leaves its calculation to an implementing act not
/// yet adopted. Text reports in English and Chinese.
#[test]
fn mass_balance_shrink_film_reports() {
    let example = "packaging-pe-shrink-film-mass-balance.yaml";
    let path = format!("examples/{example}");
    for lang in ["en", "zh"] {
        let run = recert(&["check", &path, "--at", AT, "--lang", lang]);
        assert_eq!(run.code, 0, "{example} ({lang}): {}", run.stderr);
        assert!(run.stderr.is_empty(), "{example}: {}", run.stderr);
        assert!(
            run.stdout.contains("trace-mass-balance-ppwr"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("trace-coc-model"), "{}", run.stdout);
        insta::assert_snapshot!(
            format!("text-{lang}-{}-{AT}", name(example)),
            redact(&run.stdout)
        );
    }
}

/// The sector examples: a car part (eu-vehicles, recycled-plastic-quality)
/// and a textile product on both sides of the GRS label's 50 %
/// (textile-claims); each comment header says why the verdict is what the
/// cited rules imply. Text reports in English and Chinese.
const SECTORS: &[(&str, i32)] = &[
    ("automotive-door-trim-expired-certificate.yaml", 1),
    ("textile-jacket-grs-label.yaml", 0),
    ("textile-jacket-grs-label-below-50.yaml", 0),
];

#[test]
fn sector_reports() {
    for (example, code) in SECTORS {
        let path = format!("examples/{example}");
        for lang in ["en", "zh"] {
            let run = recert(&["check", &path, "--at", AT, "--lang", lang]);
            assert_eq!(run.code, *code, "{example} ({lang}): {}", run.stderr);
            assert!(run.stderr.is_empty(), "{example}: {}", run.stderr);
            insta::assert_snapshot!(
                format!("text-{lang}-{}-{AT}", name(example)),
                redact(&run.stdout)
            );
        }
    }
    // Below the label's 50 % the GRS minimum is a warning, not a failure.
    let run = recert(&[
        "check",
        "examples/textile-jacket-grs-label-below-50.yaml",
        "--at",
        AT,
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let grs = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "textile-grs-minimum")
        .unwrap();
    assert_eq!(grs["outcome"], "fail");
    assert_eq!(grs["severity"], "warning");
}

/// The examples for the Chinese market run cn-market (and eu-batteries with
/// its plugin for the battery also sold in the EU); each comment header says
/// why the verdict is what the cited rules imply. Text reports in English and
/// Chinese.
const CN_MARKET: &[(&str, i32)] = &[
    ("eee-laptop-charger-cn.yaml", 0),
    ("battery-ev-eu-cn.yaml", 0),
];

#[test]
fn cn_market_reports() {
    for (example, code) in CN_MARKET {
        let path = format!("examples/{example}");
        for lang in ["en", "zh"] {
            let run = recert(&["check", &path, "--at", AT, "--lang", lang]);
            assert_eq!(run.code, *code, "{example} ({lang}): {}", run.stderr);
            assert!(run.stderr.is_empty(), "{example}: {}", run.stderr);
            // The China pack applies (its line in the list of packs).
            let line = run
                .stdout
                .lines()
                .find(|l| l.trim_start().starts_with("cn-market 1.0.0"))
                .unwrap();
            assert!(
                !line.ends_with("does not apply") && !line.ends_with("不适用"),
                "{example}: {line}"
            );
            insta::assert_snapshot!(
                format!("text-{lang}-{}-{AT}", name(example)),
                redact(&run.stdout)
            );
        }
    }
}

/// A report with one failure and three warnings (two `warning`, one `info`):
/// the warnings are counted and listed apart, and the verdict is decided by
/// the failure alone.
#[test]
fn warnings_are_counted_and_shown_apart_from_failures() {
    for format in ["text", "markdown"] {
        for lang in ["en", "zh"] {
            let run = recert(&[
                "check",
                "tests/fixtures/warnings/scarf.yaml",
                "--no-bundled",
                "--packs",
                "tests/fixtures/warnings/packs",
                "--at",
                AT,
                "--format",
                format,
                "--lang",
                lang,
            ]);
            assert_eq!(run.code, 1, "{}", run.stderr);
            insta::assert_snapshot!(format!("{format}-{lang}-warnings"), redact(&run.stdout));
        }
    }
    let run = recert(&[
        "check",
        "tests/fixtures/warnings/scarf.yaml",
        "--no-bundled",
        "--packs",
        "tests/fixtures/warnings/packs",
        "--at",
        AT,
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let summary = &json["summary"];
    assert_eq!(
        (
            &summary["fail"],
            &summary["fail_error"],
            &summary["fail_warning"],
            &summary["fail_info"]
        ),
        (
            &serde_json::json!(4),
            &serde_json::json!(1),
            &serde_json::json!(2),
            &serde_json::json!(1)
        )
    );
}

/// A construction product: no bundled pack covers it. Not a pass: the
/// verdict is `not-covered`, exit code 4, in every format and language, and
/// the coverage says the EU market is covered by no pack.
#[test]
fn a_product_no_pack_covers_is_not_covered_and_exits_4() {
    let args = |format: &'static str, lang: &'static str| {
        [
            "check",
            "tests/fixtures/construction-panel.yaml",
            "--at",
            AT,
            "--format",
            format,
            "--lang",
            lang,
        ]
    };
    let run = recert(&args("json", "en"));
    assert_eq!(run.code, 4, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["verdict"], "not-covered");
    assert_eq!(
        json["coverage"],
        serde_json::json!({
            "sector": "construction",
            "markets": ["EU"],
            "packs": [],
            "uncovered_markets": ["EU"]
        })
    );
    for (format, lang, words) in [
        (
            "text",
            "en",
            [
                "NOT COVERED",
                "Coverage: sector construction · EU: no pack covers it",
            ],
        ),
        (
            "text",
            "zh",
            ["未覆盖", "覆盖范围：行业 construction · EU：没有规则包覆盖"],
        ),
        (
            "markdown",
            "en",
            [
                "NOT COVERED",
                "| Coverage | sector construction · EU: no pack covers it |",
            ],
        ),
        (
            "markdown",
            "zh",
            [
                "未覆盖",
                "| 覆盖范围 | 行业 construction · EU：没有规则包覆盖 |",
            ],
        ),
    ] {
        let run = recert(&args(format, lang));
        assert_eq!(run.code, 4, "{format} {lang}");
        for word in words {
            assert!(
                run.stdout.contains(word),
                "{format} {lang}: `{word}` in\n{}",
                run.stdout
            );
        }
    }
    // In a batch, not covered ranks below incomplete and above pass.
    let batch = |other: &str| {
        recert(&[
            "check",
            "tests/fixtures/construction-panel.yaml",
            other,
            "--at",
            AT,
            "--format",
            "json",
        ])
        .code
    };
    assert_eq!(
        batch("examples/eee-abs-housing.yaml"),
        4,
        "not covered outranks pass"
    );
    assert_eq!(
        batch("examples/eee-missing-data.yaml"),
        3,
        "incomplete outranks not covered"
    );
    assert_eq!(
        batch("examples/eee-wt-percent.yaml"),
        1,
        "fail outranks not covered"
    );
}

/// Texts a submission or a pack wrote, full of control sequences and markup
/// (tests/fixtures/hostile): the text report carries no control or bidi
/// character (even a fake "Verdict: PASS" line cannot be drawn), the Markdown
/// report no heading, HTML, link or table cell of theirs, and the JSON report
/// keeps each string as it was written.
#[test]
fn untrusted_texts_cannot_forge_a_report() {
    let run_as = |format: &str, lang: &str| {
        let run = recert(&[
            "check",
            "tests/fixtures/hostile/submission.yaml",
            "--no-bundled",
            "--packs",
            "tests/fixtures/hostile/packs",
            "--at",
            AT,
            "--color",
            "never",
            "--format",
            format,
            "--lang",
            lang,
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        run.stdout
    };
    let hostile = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    };
    for lang in ["en", "zh"] {
        let text = run_as("text", lang);
        assert!(!text.chars().any(hostile), "{text:?}");
        // Their newlines are shown, not followed: no line of theirs.
        assert!(
            text.lines()
                .all(|l| !l.trim_start().starts_with("Verdict: PASS")),
            "{text}"
        );
        assert!(
            text.starts_with("Verdict: FAIL") || text.starts_with("结论：不通过"),
            "{text}"
        );

        let md = run_as("markdown", lang);
        assert!(!md.chars().any(hostile), "{md:?}");
        for line in md.lines() {
            // Only the report's own headings, and none that claims a verdict.
            assert!(!line.contains("Verdict: **PASS**"), "{line}");
            assert!(!line.starts_with('#') || !line.contains("PASS"), "{line}");
            assert!(!line.contains('<'), "HTML in {line}");
            assert!(
                !line.replace("\\]", "").contains("](javascript:"),
                "a link in {line}"
            );
            if line.starts_with('|') {
                // Every row of a table has as many cells as its header: an
                // unescaped `|` would add one.
                let cells = line.replace("\\|", "").matches('|').count();
                assert!([3, 5, 6].contains(&cells), "{cells} cells in {line}");
            }
        }
    }

    // JSON: the raw strings, byte for byte.
    let json: serde_json::Value = serde_json::from_str(&run_as("json", "en")).unwrap();
    assert_eq!(
        json["submission"]["product"],
        "\u{1b}[2J\u{1b}[H\rVerdict: PASS\n## Verdict: **PASS** \u{202E} | <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))\u{0}"
    );
    let finding = &json["findings"][0];
    assert_eq!(
        finding["title"],
        "\u{1b}[2J\u{1b}[H\rVerdict: PASS | <img src=x onerror=alert(1)>"
    );
    assert_eq!(
        finding["message"],
        "## Verdict: **PASS**\n## Verdict: **PASS**\r\u{1b}[2K<script>alert(1)</script> [x](javascript:alert(1)) a|b \u{202E}dne\u{0}"
    );
    assert_eq!(
        json["packs"][0]["title"],
        "\u{1b}[2J\u{1b}[HVerdict: PASS\r<script>alert(1)</script>"
    );
}
