//! Signed reports: `recert keygen`, `recert check --sign`, `recert verify`.
//!
//! `verify` accepts a report as signed and rejects, each with its own
//! message: a changed byte, a wrong key, a changed submission, a changed
//! pack; `keygen` never overwrites a key.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::{Run, fresh_dir, recert, recert_in};

const AT: &str = "2026-11-20";

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A key pair in `dir`: the private key's path.
fn keygen(dir: &Path, name: &str) -> PathBuf {
    let key = dir.join(name);
    let run = recert(&["keygen", s(&key)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    key
}

fn sha256_file(path: &Path) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn public(key: &Path) -> PathBuf {
    PathBuf::from(format!("{}.pub", key.display()))
}

/// A folder with a copy of the `eu-eee-substances` pack and of an example
/// submission, and the report of one over the other, signed with a new key.
struct Signed {
    dir: PathBuf,
    key: PathBuf,
    packs: PathBuf,
    submission: PathBuf,
    report: PathBuf,
}

fn signed(prefix: &str) -> Signed {
    let dir = fresh_dir(prefix);
    let key = keygen(&dir, "lab.key");
    let packs = dir.join("packs");
    std::fs::create_dir_all(&packs).unwrap();
    std::fs::copy(
        common::repo().join("rules/eu-eee-substances.yaml"),
        packs.join("eu-eee-substances.yaml"),
    )
    .unwrap();
    let submission = dir.join("product.yaml");
    std::fs::copy(
        common::repo().join("examples/eee-abs-housing.yaml"),
        &submission,
    )
    .unwrap();
    let report = dir.join("report.json");
    let run = recert(&[
        "check",
        s(&submission),
        "--no-bundled",
        "--packs",
        s(&packs),
        "--at",
        AT,
        "--format",
        "json",
        "--sign",
        s(&key),
        "-o",
        s(&report),
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    Signed {
        dir,
        key,
        packs,
        submission,
        report,
    }
}

fn verify(signed: &Signed, extra: &[&str]) -> Run {
    let mut args = vec!["verify", s(&signed.report)];
    args.extend_from_slice(extra);
    recert(&args)
}

#[test]
fn a_signed_report_verifies_with_its_key_and_its_files() {
    let signed = signed("recert-sign-ok");
    let text = std::fs::read_to_string(&signed.report).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let signature = &json["signature"];
    assert_eq!(signature["algorithm"], "Ed25519");
    assert_eq!(signature["canonicalization"], "RFC8785");
    assert_eq!(signature["key_id"].as_str().unwrap().len(), 64);
    // The signature is the report's last field: the rest is as unsigned.
    assert!(text.trim_end().ends_with("}\n}"), "{text}");

    // The schema describes the signature.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let key = public(&signed.key);
    let run = verify(
        &signed,
        &[
            "--key",
            s(&key),
            "--submission",
            s(&signed.submission),
            "--packs",
            s(&signed.packs),
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let id = signature["key_id"].as_str().unwrap();
    assert!(
        run.stdout.contains(&format!(
            "✓ signature valid: signed with the key given ({id})"
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("(sha256 of the file): digest matches"));
    assert!(
        run.stdout
            .contains("(sha256 of the normalized content): digest matches")
    );
    assert!(run.stdout.contains("✓ pack eu-eee-substances"));
    assert!(run.stdout.ends_with("VERIFIED\n"), "{}", run.stdout);

    // Without --key: the key the report carries, and a note that it is only that.
    let run = verify(&signed, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains(&format!("signed with key {id}")));
    assert!(run.stdout.contains("not who signed it"), "{}", run.stdout);

    // The same report on one line (JSON Lines) verifies too: the layout is not signed.
    let line = format!("{}\n", serde_json::to_string(&json).unwrap());
    std::fs::write(&signed.report, line).unwrap();
    assert_eq!(verify(&signed, &["--key", s(&key)]).code, 0);
    std::fs::remove_dir_all(&signed.dir).ok();
}

#[test]
fn one_changed_byte_in_the_report_is_refused() {
    let signed = signed("recert-sign-byte");
    let text = std::fs::read_to_string(&signed.report).unwrap();
    // One byte of the product's name (a layout byte would change nothing).
    let at = text
        .find("IPS monitor")
        .expect("the example changed: update this test");
    let mut bytes = text.into_bytes();
    bytes[at] = b'i';
    std::fs::write(&signed.report, &bytes).unwrap();
    let run = verify(&signed, &["--key", s(&public(&signed.key))]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "✗ the signature does not match the report: the report was changed after it was signed"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("NOT VERIFIED\n"));

    // In Chinese.
    let run = verify(&signed, &["--key", s(&public(&signed.key)), "--lang", "zh"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("签名与报告内容不符"), "{}", run.stdout);
    assert!(run.stdout.ends_with("核验未通过\n"));
    std::fs::remove_dir_all(&signed.dir).ok();
}

#[test]
fn a_wrong_key_is_refused() {
    let signed = signed("recert-sign-key");
    let other = keygen(&signed.dir, "other.key");
    let run = verify(&signed, &["--key", s(&public(&other))]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("✗ wrong key: the report was signed with key "),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("changed after it was signed"));
    std::fs::remove_dir_all(&signed.dir).ok();
}

#[test]
fn a_changed_submission_is_refused() {
    let signed = signed("recert-sign-submission");
    let yaml = std::fs::read_to_string(&signed.submission).unwrap();
    let changed = yaml.replacen("mass: 4.6 kg", "mass: 4.7 kg", 1);
    assert_ne!(changed, yaml, "the example changed: update this test");
    std::fs::write(&signed.submission, changed).unwrap();
    let run = verify(
        &signed,
        &[
            "--key",
            s(&public(&signed.key)),
            "--submission",
            s(&signed.submission),
        ],
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("✓ signature valid"), "{}", run.stdout);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&signed.report).unwrap()).unwrap();
    let expected = report["submission"]["file_sha256"].as_str().unwrap();
    let found = sha256_file(&signed.submission);
    assert!(
        run.stdout.contains(&format!(
            "✗ submission file {} (sha256 of the file): digest differs: the report records {expected}, the file has {found}",
            signed.submission.display()
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("(sha256 of the normalized content): digest differs")
    );
    std::fs::remove_dir_all(&signed.dir).ok();
}

#[test]
fn a_changed_pack_is_refused() {
    let signed = signed("recert-sign-pack");
    let pack = signed.packs.join("eu-eee-substances.yaml");
    let mut yaml = std::fs::read_to_string(&pack).unwrap();
    yaml.push_str("# changed\n");
    std::fs::write(&pack, yaml).unwrap();
    let run = verify(
        &signed,
        &[
            "--key",
            s(&public(&signed.key)),
            "--packs",
            s(&signed.packs),
        ],
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("✓ signature valid"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "✗ pack eu-eee-substances ({}): digest differs: the report records ",
            pack.display()
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&sha256_file(&pack)));
    std::fs::remove_dir_all(&signed.dir).ok();
}

#[test]
fn keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites() {
    let dir = fresh_dir("recert-keygen");
    let key = keygen(&dir, "k");
    let private = std::fs::read_to_string(&key).unwrap();
    let public_key = std::fs::read_to_string(public(&key)).unwrap();
    assert!(
        private.starts_with("-----BEGIN PRIVATE KEY-----\n"),
        "{private}"
    );
    assert!(
        public_key.starts_with("-----BEGIN PUBLIC KEY-----\n"),
        "{public_key}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let run = recert(&["keygen", s(&key)]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error[key-exists]"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&key).unwrap(), private);
    // The public key alone is not overwritten either.
    std::fs::remove_file(&key).unwrap();
    let run = recert(&["keygen", s(&key)]);
    assert_eq!(run.code, 2);
    assert!(!key.exists());
    assert_eq!(std::fs::read_to_string(public(&key)).unwrap(), public_key);

    let run = recert_in(&dir, &["keygen", "k", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_ne!(std::fs::read_to_string(public(&key)).unwrap(), public_key);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn signing_needs_json_and_a_private_key() {
    let dir = fresh_dir("recert-sign-usage");
    let key = keygen(&dir, "k");
    let run = recert(&["check", "examples/eee-abs-housing.yaml", "--sign", s(&key)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--sign signs JSON reports only"),
        "{}",
        run.stderr
    );
    let run = recert(&[
        "check",
        "examples/eee-abs-housing.yaml",
        "--format",
        "json",
        "--sign",
        s(&public(&key)),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error[invalid-key]"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn every_record_of_a_batch_is_signed_and_verified() {
    let dir = fresh_dir("recert-sign-batch");
    let key = keygen(&dir, "k");
    let missing = dir.join("missing.yaml");
    let run = recert(&[
        "check",
        "examples/eee-abs-housing.yaml",
        "examples/eee-wt-percent.yaml",
        s(&missing),
        "--at",
        AT,
        "--format",
        "json",
        "--sign",
        s(&key),
        "--quiet",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    for line in &lines {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["signature"]["algorithm"], "Ed25519", "{line}");
    }
    let reports = dir.join("reports.jsonl");
    std::fs::write(&reports, &run.stdout).unwrap();
    let run = recert(&["verify", s(&reports), "--key", s(&public(&key))]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("record 3\n  ✓ signature valid"),
        "{}",
        run.stdout
    );

    // An unsigned report is not verified; a file that is no report is bad input.
    let unsigned = recert(&["check", "examples/eee-abs-housing.yaml", "--format", "json"]);
    std::fs::write(&reports, &unsigned.stdout).unwrap();
    let run = recert(&["verify", s(&reports)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("✗ the report is not signed"),
        "{}",
        run.stdout
    );
    let run = recert(&["verify", "examples/eee-abs-housing.yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error["), "{}", run.stderr);
    std::fs::write(&reports, "{\"schema\": \"other\"}\n").unwrap();
    let run = recert(&["verify", s(&reports)]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error[not-a-report]"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).ok();
}
