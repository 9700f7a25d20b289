//! Plugins through the CLI: the bundled battery plugin in `recert check`, the
//! compiled-plugin cache, limits from packs and the command line, plugins
//! that fail, packs whose plugins cannot be loaded, and the author tooling
//! (`recert plugin new`, `build`, `inspect`) end to end.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::{Run, recert, recert_in, recert_in_env, repo};
use serde_json::Value;

#[path = "../plugins/test-guests/harness.rs"]
mod guests;

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("plugins-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr))
}

/// The findings of `rule` in a JSON report.
fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn outcomes(report: &Value, rule: &str) -> Vec<String> {
    findings(report, rule)
        .iter()
        .map(|f| f["outcome"].as_str().unwrap().to_owned())
        .collect()
}

fn check_json(file: &str, at: &str) -> (i32, Value) {
    let out = recert(&["check", file, "--at", at, "--format", "json"]);
    (out.code, json(&out))
}

// ---- The bundled battery plugin ---------------------------------------------

#[test]
fn battery_examples_run_the_bundled_plugin() {
    let (exit, report) = check_json("examples/battery-ev-pass.yaml", "2032-01-01");
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(report["verdict"], "pass");
    for rule in [
        "eu-batt-rc-cobalt",
        "eu-batt-rc-lithium",
        "eu-batt-rc-nickel",
    ] {
        assert_eq!(outcomes(&report, rule), ["pass"], "{rule}");
    }
    // The report pins the plugin that ran by the digest of its component.
    // (recycled-plastic-quality runs too: the casing claims recycled plastic.)
    let bundled = recert_bundled_plugins::get("battery-casing").unwrap();
    let plugins = report["plugins"].as_array().unwrap();
    let ids: Vec<&str> = plugins.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["battery-casing", "recycled-plastic-quality"]);
    assert_eq!(plugins[0]["version"], "1.1.0");
    assert_eq!(
        plugins[0]["sha256"],
        recert_engine::plugin::sha256_hex(bundled.wasm)
    );

    let (exit, report) = check_json("examples/battery-ev-cobalt-fail.yaml", "2032-01-01");
    assert_eq!(exit, 1, "{report:#}");
    assert_eq!(report["verdict"], "fail");
    let cobalt = findings(&report, "eu-batt-rc-cobalt");
    assert_eq!(cobalt.len(), 1);
    assert_eq!(cobalt[0]["outcome"], "fail");
    assert_eq!(cobalt[0]["path"], "/battery/recycled_content/cobalt");
    assert_eq!(cobalt[0]["expected"], "≥ 16 %");
    // Before Art. 8 applies the same battery passes: the minimum is not in force.
    let (exit, report) = check_json("examples/battery-ev-cobalt-fail.yaml", "2030-06-01");
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(report["verdict"], "pass");
    assert_eq!(outcomes(&report, "eu-batt-rc-cobalt"), ["not-in-force"]);

    // Incomplete: its PP case claims recycled content without a chain of
    // custody or recyclate properties (recycled-plastic-quality).
    let (exit, report) = check_json("examples/battery-lead-acid-sli.yaml", "2032-01-01");
    assert_eq!(exit, 3, "{report:#}");
    assert_eq!(outcomes(&report, "eu-batt-rc-lead"), ["pass"]);
    assert_eq!(outcomes(&report, "eu-batt-rc-cobalt"), ["not-applicable"]);

    // An HB casing misses the scheme's V-1, which is a warning by default
    // (no EU act sets the class): reported, never a failed verdict.
    let (exit, report) = check_json("examples/battery-casing-hb.yaml", "2032-01-01");
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(report["verdict"], "pass");
    let casing = findings(&report, "eu-batt-casing-flammability");
    assert!(
        casing.iter().any(|f| f["outcome"] == "fail"
            && f["severity"] == "warning"
            && f["expected"] == "≥ V-1"),
        "{casing:?}"
    );
    assert!(
        report["summary"]["fail_warning"].as_u64() >= Some(1),
        "{report:#}"
    );
}

#[test]
fn the_same_submission_gives_byte_identical_reports() {
    let args = [
        "check",
        "examples/battery-casing-hb.yaml",
        "examples/battery-ev-pass.yaml",
        "--at",
        "2032-01-01",
        "--format",
        "json",
    ];
    let first = recert(&args);
    let second = recert(&args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(!first.stdout.is_empty());
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn a_submission_without_plugin_rules_in_force_names_no_plugin() {
    // A paper bag: no battery, and no plastic that claims recycled content.
    let (exit, report) = check_json(
        "rules/fixtures/eu-packaging/greaseproof-paper-bag.yaml",
        "2026-11-28",
    );
    assert!(exit == 0 || exit == 1, "{report:#}");
    assert_eq!(report["plugins"], Value::Array(Vec::new()), "{report:#}");
}

// ---- The compiled-plugin cache ----------------------------------------------

fn cwasm_files(dir: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "cwasm"))
                .map(|p| {
                    let modified = p.metadata().unwrap().modified().unwrap();
                    (p, modified)
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn the_second_run_takes_the_compiled_plugin_from_the_cache() {
    let dir = scratch("cache");
    let cache = dir.join("cache");
    let cache_arg = cache.to_str().unwrap();
    let run = || {
        recert(&[
            "check",
            "examples/battery-ev-pass.yaml",
            "--at",
            "2032-01-01",
            "--cache-dir",
            cache_arg,
        ])
    };
    let first = run();
    assert_eq!(first.code, 0, "{}", first.stderr);
    // One artifact per bundled plugin the bundled packs name, each named by
    // its component's digest.
    let cached = cwasm_files(&cache);
    let bundled = recert_bundled_plugins::bundled();
    assert_eq!(cached.len(), bundled.len(), "{cached:?}");
    for plugin in bundled {
        let digest = recert_engine::plugin::sha256_hex(plugin.wasm);
        assert!(
            cached.iter().any(|(path, _)| path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&digest)),
            "{}: {cached:?}",
            plugin.id
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = cache.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "the cache of native code is private");
    }

    // Not compiled again: the artifact is neither rewritten nor duplicated.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = run();
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(cwasm_files(&cache), cached);

    // RECERT_CACHE_DIR is the default when --cache-dir is not given.
    let from_env = dir.join("from-env");
    let out = recert_in_env(
        repo(),
        &[
            "check",
            "examples/battery-ev-pass.yaml",
            "--at",
            "2032-01-01",
        ],
        &[("RECERT_CACHE_DIR", &from_env)],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(cwasm_files(&from_env).len(), bundled.len());
}

#[cfg(unix)]
#[test]
fn a_cache_folder_others_can_write_is_not_used_with_one_warning() {
    use std::os::unix::fs::PermissionsExt;
    let cache = scratch("open-cache");
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = recert(&[
        "check",
        "examples/battery-ev-pass.yaml",
        "--at",
        "2032-01-01",
        "--cache-dir",
        cache.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "warning: not using the plugin cache {}: the folder has mode 0777: it can be written by other users; every plugin is compiled on every run until the folder is private to you (chmod 700, or remove it and recert makes it)\n",
            cache.display()
        )
    );
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 0);
}

#[test]
fn the_operator_caps_the_size_of_a_component_to_compile() {
    // The cache holds the battery plugin compiled already: the cap applies
    // all the same, so the answer does not depend on the cache.
    let warm = recert(&[
        "check",
        "examples/battery-ev-pass.yaml",
        "--at",
        "2032-01-01",
    ]);
    assert_eq!(warm.code, 0, "{}", warm.stderr);
    let args = [
        "check",
        "examples/battery-ev-pass.yaml",
        "--at",
        "2032-01-01",
    ];
    let flag = recert(&[&args[..], &["--plugin-size-max", "1KiB"]].concat());
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("recert-cache");
    let env = recert_in_env(
        repo(),
        &args,
        &[
            ("RECERT_PLUGIN_SIZE_MAX", Path::new("1KiB")),
            ("RECERT_CACHE_DIR", &cache),
        ],
    );
    for out in [&flag, &env] {
        assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains(
                "recert compiles components of at most 1024 bytes (1 KiB) (--plugin-size-max)"
            ),
            "{}",
            out.stderr
        );
    }
    // Raised above the default, the bundled plugin runs as before.
    let raised = recert(&[&args[..], &["--plugin-size-max", "64MiB"]].concat());
    assert_eq!(raised.code, 0, "{}", raised.stderr);
    let bad = recert_in_env(
        repo(),
        &args,
        &[("RECERT_PLUGIN_SIZE_MAX", Path::new("lots"))],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("$RECERT_PLUGIN_SIZE_MAX"),
        "{}",
        bad.stderr
    );
}

#[test]
fn an_unusable_cache_folder_is_reported_once() {
    let dir = scratch("unusable-cache");
    let file = dir.join("a-file");
    std::fs::write(&file, b"not a folder").unwrap();
    // A file where the folder should be, and a folder that cannot be made
    // under it (refused even for root).
    for (cache, why) in [
        (file.clone(), "it is a file, not a folder"),
        (file.join("sub"), "it cannot be created"),
    ] {
        let out = recert(&[
            "check",
            "examples/battery-ev-pass.yaml",
            "--at",
            "2032-01-01",
            "--cache-dir",
            cache.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let prefix = format!(
            "warning: not using the plugin cache {}: {why}",
            cache.display()
        );
        assert!(out.stderr.starts_with(&prefix), "{}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains("--cache-dir"), "{}", out.stderr);
    }
}

// ---- Plugins that fail, limits ------------------------------------------------

/// The test guests of plugins/test-guests, built once per test run.
fn guest(name: &str) -> PathBuf {
    guests::build(repo()).join(format!("{name}.wasm"))
}

/// A pack that delegates `rules` to the plugin at `wasm`.
fn plugin_pack(id: &str, plugin: &str, wasm: &Path, extra: &str, rules: &[&str]) -> String {
    let mut pack = format!(
        "schema: recert.pack/v1
id: {id}
version: 1.0.0
title: {{ en: Plugin test pack, zh: 插件测试规则包 }}
standards:
  - id: none
    title: {{ en: None, zh: 无 }}
plugins:
  - id: {plugin}
    path: {}
{extra}rules:
",
        wasm.display()
    );
    for rule in rules {
        pack.push_str(&format!(
            "  - id: {rule}
    title: {{ en: Rule {rule}, zh: 规则 {rule} }}
    message: {{ en: Rule {rule}., zh: 规则 {rule}。 }}
    severity: error
    reference: {{ standard: none, clause: '0' }}
    plugin: {plugin}
"
        ));
    }
    pack
}

#[test]
fn a_failing_plugin_makes_its_rules_errors_and_the_verdict_incomplete() {
    let dir = scratch("hostile");
    let wasm = guest("guest_hostile");
    let pack = plugin_pack(
        "hostile-pack",
        "hostile",
        &wasm,
        "limits:\n  time: 2 s\n",
        &["ok", "loop", "panic", "err"],
    );
    std::fs::write(dir.join("hostile.yaml"), pack).unwrap();
    let out = recert(&[
        "check",
        "examples/battery-ev-pass.yaml",
        "--at",
        "2032-01-01",
        "--packs",
        dir.to_str().unwrap(),
        "--plugin-time",
        "500ms",
        "--plugin-fuel",
        "1000000000000",
        "--plugin-submission-fuel",
        "1000000000000",
        "--format",
        "json",
    ]);
    let report = json(&out);
    assert_eq!(out.code, 3, "{report:#}");
    assert_eq!(report["verdict"], "incomplete");
    assert_eq!(outcomes(&report, "ok"), ["pass"]);
    let reason = |rule: &str| {
        let f = findings(&report, rule);
        assert_eq!(f.len(), 1, "{rule}: {f:?}");
        assert_eq!(f[0]["outcome"], "error", "{rule}");
        f[0].to_string()
    };
    // The command line's 500 ms overrides the pack's 2 s (and a fuel budget
    // too large to run out leaves the wall clock to stop the loop). It
    // applies to the bundled plugins too: much less, and a loaded machine
    // can stop one of theirs.
    let timed_out = reason("loop");
    assert!(
        timed_out.contains("plugin `hostile` 0.6.6 was stopped by the wall-clock safety net after 500 ms; its fuel budget was not exhausted"),
        "{timed_out}"
    );
    let panicked = reason("panic");
    assert!(
        panicked.contains("panicked: the gauge is broken: reading 42"),
        "{panicked}"
    );
    let err = reason("err");
    assert!(
        err.contains("the submission has no battery section"),
        "{err}"
    );
    // The other packs ran as usual, through the same host.
    assert_eq!(outcomes(&report, "eu-batt-rc-cobalt"), ["pass"]);
    let ids: Vec<&str> = report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["battery-casing", "hostile", "recycled-plastic-quality"]
    );
}

/// Runs `check` on examples/battery-ev-pass.yaml at 2032-01-01 with the
/// packs in `dir` only (`--no-bundled`), and `extra` arguments.
fn check_packs_only(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "check",
        "examples/battery-ev-pass.yaml",
        "--at",
        "2032-01-01",
        "--packs",
        dir.to_str().unwrap(),
        "--no-bundled",
    ];
    args.extend_from_slice(extra);
    recert(&args)
}

#[test]
fn a_hostile_describe_title_is_shown_safely_by_plugin_inspect() {
    let wasm = guest("guest_hostile");
    let out = recert(&["plugin", "inspect", wasm.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
    assert!(!out.stdout.contains('\r'), "{}", out.stdout);
    assert!(
        !out.stdout.lines().any(|l| l.starts_with("## Verdict")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "title:   A plugin that misbehaves on request\u{241b}[2J\u{240d}\u{2424}## Verdict"
        ),
        "{}",
        out.stdout
    );
    // JSON keeps the text as it is, escaped by JSON.
    let out = recert(&[
        "plugin",
        "inspect",
        wasm.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("\\u001b[2J\\r\\n## Verdict"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_packs_limits_apply_without_command_line_limits() {
    let dir = scratch("pack-limits");
    let pack = plugin_pack(
        "limited-pack",
        "hostile",
        &guest("guest_hostile"),
        "limits:\n  time: 150 ms\n  memory: 16 MiB\n",
        &["loop", "memory"],
    );
    std::fs::write(dir.join("limited.yaml"), pack).unwrap();
    let out = check_packs_only(
        &dir,
        &[
            "--format",
            "json",
            "--plugin-fuel",
            "1000000000000",
            "--plugin-submission-fuel",
            "1000000000000",
        ],
    );
    let report = json(&out);
    assert_eq!(out.code, 3, "{report:#}");
    let text = report["findings"].to_string();
    assert!(
        text.contains("stopped by the wall-clock safety net after 150 ms"),
        "{text}"
    );
    assert!(text.contains("exceeded its 16 MiB memory limit"), "{text}");

    // And the command line overrides the memory limit too.
    let out = check_packs_only(&dir, &["--format", "json", "--plugin-memory", "8MiB"]);
    let text = json(&out)["findings"].to_string();
    assert!(text.contains("exceeded its 8 MiB memory limit"), "{text}");
}

#[test]
fn a_pack_asking_for_more_than_the_operators_ceiling_gets_the_ceiling() {
    // Fuel enough to reach the memory and time limits.
    const FUEL: &str = "1000000000000";
    let greedy = |name: &str, rule: &str| {
        let dir = scratch(name);
        let pack = plugin_pack(
            "greedy-pack",
            "hostile",
            &guest("guest_hostile"),
            "limits:\n  time: 600 s\n  memory: 4 GiB\n",
            &[rule],
        );
        std::fs::write(dir.join("greedy.yaml"), pack).unwrap();
        dir
    };
    let dir = greedy("greedy-memory", "memory");
    // The default ceilings: 256 MiB and 10 s.
    let out = check_packs_only(
        &dir,
        &[
            "--format",
            "json",
            "--plugin-fuel",
            FUEL,
            "--plugin-submission-fuel",
            FUEL,
        ],
    );
    let text = json(&out)["findings"].to_string();
    assert!(text.contains("exceeded its 256 MiB memory limit"), "{text}");
    assert!(
        out.stderr.contains("warning: pack `greedy-pack` (")
            && out
                .stderr
                .contains("asks for 4 GiB of memory per plugin call, more than the operator's ceiling; 256 MiB applies (--plugin-memory-max)")
            && out
                .stderr
                .contains("asks for 600 s of time per plugin call, more than the operator's ceiling; 10 s applies (--plugin-time-max)"),
        "{}",
        out.stderr
    );
    // Lower ceilings from the command line, and from the environment.
    let out = check_packs_only(
        &dir,
        &[
            "--format",
            "json",
            "--plugin-memory-max",
            "32MiB",
            "--plugin-fuel",
            FUEL,
            "--plugin-submission-fuel",
            FUEL,
        ],
    );
    let text = json(&out)["findings"].to_string();
    assert!(text.contains("exceeded its 32 MiB memory limit"), "{text}");
    let looping = greedy("greedy-time", "loop");
    let out = check_packs_only(
        &looping,
        &[
            "--format",
            "json",
            "--plugin-time-max",
            "200ms",
            "--plugin-fuel",
            FUEL,
            "--plugin-submission-fuel",
            FUEL,
        ],
    );
    let text = json(&out)["findings"].to_string();
    assert!(
        text.contains("stopped by the wall-clock safety net after 200 ms"),
        "{text}"
    );
    let args = [
        "check",
        "examples/battery-ev-pass.yaml",
        "--at",
        "2032-01-01",
        "--packs",
        dir.to_str().unwrap(),
        "--no-bundled",
        "--format",
        "json",
        "--plugin-fuel",
        FUEL,
        "--plugin-submission-fuel",
        FUEL,
    ];
    let out = recert_in_env(
        repo(),
        &args,
        &[("RECERT_PLUGIN_MEMORY_MAX", Path::new("16MiB"))],
    );
    assert!(
        out.stdout.contains("exceeded its 16 MiB memory limit"),
        "{}",
        out.stdout
    );
    let out = recert_in_env(
        repo(),
        &args,
        &[("RECERT_PLUGIN_TIME_MAX", Path::new("forever"))],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("$RECERT_PLUGIN_TIME_MAX=`forever` is not usable"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_submissions_plugin_budget_stops_its_remaining_plugin_rules() {
    let dir = scratch("submission-budget");
    let rules: Vec<String> = (0..50).map(|i| format!("busy-{i}")).collect();
    let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
    let pack = plugin_pack("busy-pack", "hostile", &guest("guest_hostile"), "", &rules);
    std::fs::write(dir.join("busy.yaml"), pack).unwrap();
    // One busy call uses about 38 million instructions: a budget of 200
    // million runs five of them and stops the sixth.
    let budget = ["--format", "json", "--plugin-submission-fuel", "200000000"];
    let start = std::time::Instant::now();
    let out = check_packs_only(&dir, &budget);
    let elapsed = start.elapsed();
    let report = json(&out);
    assert_eq!(out.code, 3, "{report:#}");
    assert_eq!(report["verdict"], "incomplete");
    let all: Vec<&Value> = report["findings"].as_array().unwrap().iter().collect();
    assert_eq!(all.len(), 50);
    let passed = all.iter().filter(|f| f["outcome"] == "pass").count();
    let stopped = all
        .iter()
        .filter(|f| f.to_string().contains("was stopped: the submission's plugin budget is spent (200000000 instructions across all its plugin calls)"))
        .count();
    let not_run = all
        .iter()
        .filter(|f| {
            f.to_string()
                .contains("was not run: the submission's plugin budget is spent")
        })
        .count();
    assert_eq!((passed, stopped, not_run), (5, 1, 44), "{report:#}");
    assert!(elapsed < std::time::Duration::from_secs(20), "{elapsed:?}");
    // The same again: the budget is deterministic.
    let again = json(&check_packs_only(&dir, &budget));
    assert_eq!(again["findings"], report["findings"]);
}

#[test]
fn a_finding_at_a_path_the_submission_lacks_is_an_error() {
    let dir = scratch("ghost-path");
    let pack = plugin_pack(
        "ghost-pack",
        "hostile",
        &guest("guest_hostile"),
        "",
        &["ghost-path", "ok"],
    );
    std::fs::write(dir.join("ghost.yaml"), pack).unwrap();
    let out = check_packs_only(&dir, &["--format", "json"]);
    let report = json(&out);
    assert_eq!(out.code, 3, "{report:#}");
    assert_eq!(outcomes(&report, "ok"), ["pass"]);
    let ghost = findings(&report, "ghost-path");
    assert_eq!(ghost.len(), 1, "{ghost:?}");
    assert_eq!(ghost[0]["outcome"], "error");
    assert!(
        ghost[0].to_string().contains("plugin `hostile` 0.6.6 reported a finding at `/components/99/mass`, which is not in the submission"),
        "{}",
        ghost[0]
    );
}

#[test]
fn the_bundled_plugin_needs_under_one_percent_of_the_default_fuel() {
    // 1 % of the default budget per call still gives the same reports.
    for example in [
        "battery-ev-pass",
        "battery-ev-cobalt-fail",
        "battery-casing-hb",
        "battery-lead-acid-sli",
    ] {
        let file = format!("examples/{example}.yaml");
        let plain = recert(&["check", &file, "--at", "2032-01-01", "--format", "json"]);
        let frugal = recert(&[
            "check",
            &file,
            "--at",
            "2032-01-01",
            "--format",
            "json",
            "--plugin-fuel",
            "1000000",
        ]);
        assert_eq!(plain.code, frugal.code, "{example}");
        assert_eq!(
            json(&plain)["findings"],
            json(&frugal)["findings"],
            "{example}"
        );
        assert!(!frugal.stdout.contains("fuel budget"), "{example}");
    }
}

#[test]
fn bad_limits_on_the_command_line_are_usage_errors() {
    let out = recert(&[
        "check",
        "examples/battery-ev-pass.yaml",
        "--plugin-time",
        "1 minute",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown time unit"), "{}", out.stderr);
    let out = recert(&[
        "check",
        "examples/battery-ev-pass.yaml",
        "--plugin-memory",
        "64MB",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("use B, KiB, MiB or GiB"),
        "{}",
        out.stderr
    );
}

// ---- Packs whose plugins cannot be loaded ------------------------------------

/// Runs `check` with the packs in `dir` only; returns (exit, stderr).
fn check_with_packs(dir: &Path) -> (i32, String) {
    let out = check_packs_only(dir, &[]);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    (out.code, out.stderr)
}

#[test]
fn a_pin_mismatch_refuses_the_pack_at_its_line() {
    let dir = scratch("pin");
    let wasm = guest("guest_good");
    let bytes = std::fs::read(&wasm).unwrap();
    let digest = recert_engine::plugin::sha256_hex(&bytes);
    let rules = ["min-post-consumer"];
    let pinned = |sha: &str| {
        plugin_pack("pinned", "good", &wasm, "", &rules).replacen(
            &format!("    path: {}\n", wasm.display()),
            &format!("    path: {}\n    sha256: {sha}\n", wasm.display()),
            1,
        )
    };
    let wrong = "0".repeat(64);
    std::fs::write(dir.join("pinned.yaml"), pinned(&wrong)).unwrap();
    let (exit, err) = check_with_packs(&dir);
    assert_eq!(exit, 2, "{err}");
    assert!(err.contains("error[plugin-sha256-mismatch]"), "{err}");
    assert!(
        err.contains(&format!("has sha256 {digest}, but the pack pins {wrong}")),
        "{err}"
    );
    let file = dir.join("pinned.yaml");
    assert!(
        err.contains(&format!("--> {}:11:", file.display())),
        "the line of `sha256:`\n{err}"
    );

    // The right pin (in capitals, too) loads.
    std::fs::write(dir.join("pinned.yaml"), pinned(&digest.to_uppercase())).unwrap();
    let out = check_packs_only(&dir, &["--format", "json"]);
    let report = json(&out);
    assert_ne!(out.code, 2, "{}", out.stderr);
    assert_eq!(report["plugins"][0]["sha256"], digest.as_str());
}

#[test]
fn rules_the_plugin_does_not_declare_are_refused_at_load() {
    let dir = scratch("undeclared");
    let pack = plugin_pack(
        "undeclared-pack",
        "good",
        &guest("guest_good"),
        "",
        &["min-post-consumer", "no-such-rule"],
    );
    std::fs::write(dir.join("p.yaml"), pack).unwrap();
    let (exit, err) = check_with_packs(&dir);
    assert_eq!(exit, 2, "{err}");
    assert!(
        err.contains(
            "error[undeclared-plugin-rule]: rule `no-such-rule` delegates to plugin `good`"
        ),
        "{err}"
    );
    assert!(err.contains("p.yaml:"), "{err}");
    assert!(
        err.contains("help: the plugin declares `min-post-consumer`"),
        "{err}"
    );
}

#[test]
fn unloadable_plugins_are_refused_with_the_reason() {
    let cases: [(&str, String, &str); 4] = [
        (
            "missing file",
            plugin_pack("p", "good", Path::new("/nonexistent/x.wasm"), "", &["r"]),
            "error[plugin-not-found]: cannot read plugin `good` from /nonexistent/x.wasm",
        ),
        (
            "not bundled",
            plugin_pack("p", "acme", Path::new("x"), "", &["r"]).replace("    path: x\n", ""),
            "error[unknown-plugin]: plugin `acme` is not bundled with recert (bundled: `battery-casing`, `food-contact`, `recycled-plastic-quality`)",
        ),
        (
            "another API",
            plugin_pack("p", "v2", &guest("guest_api_v2"), "", &["r"]),
            "was built for plugin API 2.0.0; this recert supports 1.x",
        ),
        (
            "another id",
            plugin_pack("p", "other", &guest("guest_good"), "", &["r"]),
            "error[plugin-id-mismatch]: the pack names plugin `other`, but",
        ),
    ];
    for (what, pack, expected) in cases {
        let dir = scratch(&format!("unloadable-{}", what.replace(' ', "-")));
        std::fs::write(dir.join("p.yaml"), pack).unwrap();
        let (exit, err) = check_with_packs(&dir);
        assert_eq!(exit, 2, "{what}: {err}");
        assert!(err.contains(expected), "{what}: {err}");
        assert!(err.contains(" --> "), "{what}: located\n{err}");
    }
}

#[test]
fn a_pack_test_whose_plugin_cannot_be_loaded_is_bad_input() {
    // As `recert check` refuses the pack, `recert test` does: exit 2 and the
    // reason at the pack's line, not a failed case that only says
    // "could not be evaluated".
    let dir = scratch("test-unloadable");
    let pack = plugin_pack("p", "good", Path::new("/nonexistent/x.wasm"), "", &["r"]);
    std::fs::write(dir.join("p.yaml"), pack).unwrap();
    let submission = repo().join("examples/eee-abs-housing.yaml");
    std::fs::write(
        dir.join("p.test.yaml"),
        format!(
            "schema: recert.pack-test/v1\npack: p\ncases:\n  - name: one\n    at: 2030-01-01\n    submission: {}\n    expect: {{ verdict: pass }}\n",
            submission.display()
        ),
    )
    .unwrap();
    let out = recert_in(&dir, &["test", "."]);
    let err = &out.stderr;
    assert_eq!(out.code, 2, "{}\n{err}", out.stdout);
    assert!(
        err.contains("error[plugin-not-found]: cannot read plugin `good` from /nonexistent/x.wasm"),
        "{err}"
    );
    assert!(err.contains("p.yaml:10:"), "located in the pack: {err}");
    assert!(
        out.stdout.contains("pack `p` (./p.yaml) does not load"),
        "{}",
        out.stdout
    );
}

// ---- Author tooling ---------------------------------------------------------

#[test]
fn plugin_new_build_and_check_end_to_end() {
    let dir = scratch("new");
    let out = recert_in(&dir, &["plugin", "new", "acme-recycled"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("recert plugin build ."),
        "{}",
        out.stdout
    );
    let krate = dir.join("acme-recycled");
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "src/lib.rs",
        "wit/plugin.wit",
        "pack/acme-recycled.yaml",
        "pack/acme-recycled.test.yaml",
        "examples/submission.yaml",
        "README.md",
    ] {
        assert!(krate.join(file).is_file(), "{file}");
    }
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    let sdk = std::fs::canonicalize(repo().join("plugins/sdk")).unwrap();
    assert!(
        manifest.contains(&format!(
            "recert-plugin-sdk = {{ path = \"{}\" }}",
            sdk.display()
        )),
        "{manifest}"
    );
    // A second `new` into the same folder is refused.
    let again = recert_in(&dir, &["plugin", "new", "acme-recycled"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);

    // Build it; the target folder is kept between test runs.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plugin-template-target");
    let out = recert_in_env(
        &krate,
        &["plugin", "build", ".", "--format", "json"],
        &[("CARGO_TARGET_DIR", &target)],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let built = json(&out);
    let wasm = PathBuf::from(built["wasm"].as_str().unwrap());
    assert!(
        wasm.ends_with("wasm32-wasip2/release/acme_recycled.wasm"),
        "{wasm:?}"
    );
    let bytes = std::fs::read(&wasm).unwrap();
    let digest = recert_engine::plugin::sha256_hex(&bytes);
    assert_eq!(built["sha256"], digest.as_str());
    assert_eq!(built["size_bytes"], bytes.len());

    // A pack of our own that pins the component by path and digest.
    let packs = dir.join("packs");
    std::fs::create_dir_all(&packs).unwrap();
    let template = std::fs::read_to_string(krate.join("pack/acme-recycled.yaml")).unwrap();
    let pack = template
        .replace(
            "path: ../target/wasm32-wasip2/release/acme_recycled.wasm",
            &format!("path: {}", wasm.display()),
        )
        .replace("    # sha256: 0123...", &format!("    sha256: {digest}"));
    assert_ne!(pack, template);
    std::fs::write(packs.join("acme.yaml"), pack).unwrap();
    let check = |file: &str| {
        recert_in(
            &krate,
            &[
                "check",
                file,
                "--packs",
                packs.to_str().unwrap(),
                "--no-bundled",
                "--at",
                "2030-01-01",
                "--format",
                "json",
            ],
        )
    };
    let out = check("examples/submission.yaml");
    let report = json(&out);
    assert_eq!(out.code, 0, "{report:#}\n{}", out.stderr);
    let found = findings(&report, "acme-recycled-min-recycled");
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["outcome"], "pass");
    assert_eq!(found[0]["path"], "/components/0");
    assert_eq!(found[0]["expected"], "≥ 25 %");
    assert!(
        report["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "acme-recycled" && p["sha256"] == digest.as_str()),
        "{report:#}"
    );

    // A submission below the minimum fails on the plugin's finding.
    let low = std::fs::read_to_string(krate.join("examples/submission.yaml"))
        .unwrap()
        .replace("post_consumer: 25 %", "post_consumer: 5 %");
    std::fs::write(krate.join("examples/low.yaml"), low).unwrap();
    let out = check("examples/low.yaml");
    let report = json(&out);
    assert_eq!(out.code, 1, "{report:#}");
    assert_eq!(outcomes(&report, "acme-recycled-min-recycled"), ["fail"]);

    // The template's own pack tests pass through the built plugin.
    let pack_dir = krate.join("pack");
    let test_pack = std::fs::read_to_string(pack_dir.join("acme-recycled.yaml"))
        .unwrap()
        .replace(
            "path: ../target/wasm32-wasip2/release/acme_recycled.wasm",
            &format!("path: {}", wasm.display()),
        );
    std::fs::write(pack_dir.join("acme-recycled.yaml"), test_pack).unwrap();
    let out = recert_in(&krate, &["test", "pack/", "--coverage"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.ends_with("3 passed, 0 failed\n"),
        "{}",
        out.stdout
    );

    // inspect shows what describe() declares.
    let out = recert_in(
        &krate,
        &[
            "plugin",
            "inspect",
            wasm.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let inspected = json(&out);
    assert_eq!(inspected["id"], "acme-recycled");
    assert_eq!(inspected["version"], "0.1.0");
    assert_eq!(inspected["api_version"], "1.0.0");
    assert_eq!(inspected["sha256"], digest.as_str());
    assert_eq!(inspected["rules"][0]["id"], "acme-recycled-min-recycled");
}

#[test]
fn plugin_new_refuses_bad_names_and_sdks() {
    let dir = scratch("new-bad");
    let out = recert_in(&dir, &["plugin", "new", "Acme_Plugin"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot name a plugin"),
        "{}",
        out.stderr
    );
    let out = recert_in(&dir, &["plugin", "new", "acme", "--sdk", "/nonexistent"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not the recert plugin SDK"),
        "{}",
        out.stderr
    );
    assert!(!dir.join("acme").exists(), "nothing is written on error");
}

#[test]
fn plugin_build_explains_what_is_missing() {
    let dir = scratch("build-bad");
    let out = recert_in(&dir, &["plugin", "build", "."]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("has no Cargo.toml"), "{}", out.stderr);

    // A toolchain without the target: the fix is named.
    std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    let fake_rustc = dir.join("rustc");
    std::fs::write(&fake_rustc, "#!/bin/sh\necho /nonexistent/lib\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake_rustc, std::fs::Permissions::from_mode(0o755)).unwrap();
        let out = recert_in_env(&dir, &["plugin", "build", "."], &[("RUSTC", &fake_rustc)]);
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains("rustup target add wasm32-wasip2"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn plugin_inspect_shows_the_component() {
    let wasm = guest("guest_good");
    let out = recert(&["plugin", "inspect", wasm.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    let digest = recert_engine::plugin::sha256_hex(&std::fs::read(&wasm).unwrap());
    assert!(text.contains(&format!("sha256:  {digest}")), "{text}");
    assert!(
        text.contains("API:     recert:plugin/rules@1.0.0 (supported)"),
        "{text}"
    );
    assert!(text.contains("id:      good"), "{text}");
    assert!(text.contains("  min-post-consumer  "), "{text}");
    assert!(text.contains("imports ("), "{text}");

    // Another API version: what can be read is shown, and why it cannot load.
    let v2 = guest("guest_api_v2");
    let out = recert(&[
        "plugin",
        "inspect",
        v2.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 2);
    let inspected = json(&out);
    assert_eq!(inspected["api_version"], "2.0.0");
    assert_eq!(inspected["api_supported"], false);
    assert!(
        inspected["error"]
            .as_str()
            .unwrap()
            .contains("built for plugin API 2.0.0"),
        "{inspected:#}"
    );
    assert!(out.stderr.contains("built for plugin API 2.0.0"));

    // Not a component at all.
    let dir = scratch("inspect");
    std::fs::write(dir.join("x.wasm"), b"hello").unwrap();
    let out = recert(&["plugin", "inspect", dir.join("x.wasm").to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not a WebAssembly component"),
        "{}",
        out.stderr
    );
}

// ---- Plugin files: regular files only, inside the pack's folder ------------------

/// Runs `recert ARGS` in the repository with plugin paths confined to their
/// pack's folder (no `RECERT_ALLOW_PLUGIN_PATH`), and fails if it takes more
/// than 60 s: a command that blocks on a FIFO or reads `/dev/zero` forever
/// must not hang the test run.
fn recert_confined(args: &[&str]) -> Run {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_recert"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .env(
            "RECERT_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("recert-cache"),
        )
        .env_remove("RECERT_ALLOW_PLUGIN_PATH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("recert {args:?} still runs after 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `check` with only the packs of `dir`, confined, and `extra` arguments.
fn check_confined(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "check",
        "examples/battery-ev-pass.yaml",
        "--at",
        "2032-01-01",
        "--packs",
        dir.to_str().unwrap(),
        "--no-bundled",
    ];
    args.extend_from_slice(extra);
    recert_confined(&args)
}

#[cfg(unix)]
#[test]
fn a_plugin_path_to_dev_zero_or_a_fifo_is_refused_at_once() {
    let dir = scratch("special-files");
    let fifo = dir.join("fifo.wasm");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.wasm")).unwrap();
    let pack = dir.join("p.yaml");
    std::fs::write(
        dir.join("p.test.yaml"),
        format!(
            "schema: recert.pack-test/v1\npack: p\ncases:\n  - name: one\n    at: 2030-01-01\n    submission: {}\n    expect: {{ verdict: pass }}\n",
            repo().join("examples/eee-abs-housing.yaml").display()
        ),
    )
    .unwrap();
    let located = format!("--> {}:10:", pack.display());
    let cases: [(&str, &[&str], &str, &str); 4] = [
        (
            "fifo.wasm",
            &[],
            "error[plugin-unreadable]",
            "fifo.wasm: it is a FIFO, not a regular file",
        ),
        (
            "/dev/zero",
            &[],
            "error[plugin-path-refused]",
            "plugin `good` is not read from /dev/zero: it is an absolute path",
        ),
        (
            "zero.wasm",
            &[],
            "error[plugin-path-refused]",
            "zero.wasm: it leads outside the pack's folder",
        ),
        (
            "/dev/zero",
            &["--allow-plugin-path", "/dev"],
            "error[plugin-unreadable]",
            "/dev/zero: it is a character device, not a regular file",
        ),
    ];
    for (path, extra, code, message) in cases {
        std::fs::write(
            &pack,
            plugin_pack("p", "good", Path::new(path), "", &["min-post-consumer"]),
        )
        .unwrap();
        let out = check_confined(&dir, extra);
        assert_eq!(out.code, 2, "{path}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{path}: {}", out.stdout);
        for expected in [code, message, &located] {
            assert!(out.stderr.contains(expected), "{path}: {}", out.stderr);
        }
        // `recert test` refuses the pack the same way.
        let mut test = vec!["test", dir.to_str().unwrap()];
        test.extend_from_slice(extra);
        let out = recert_confined(&test);
        assert_eq!(out.code, 2, "{path}: {}", out.stderr);
        assert!(out.stderr.contains(message), "{path}: {}", out.stderr);
        // `recert lint` reports it at the same line.
        let mut lint = vec!["lint", "--no-bundled", pack.to_str().unwrap()];
        lint.extend_from_slice(extra);
        let out = recert_confined(&lint);
        assert_eq!(out.code, 1, "{path}: {}", out.stdout);
        assert!(
            out.stdout.contains(&format!(
                "{}:10:11: {}",
                pack.display(),
                code.trim_start_matches("error[").trim_end_matches(']')
            )),
            "{path}: {}",
            out.stdout
        );
    }
    // `recert plugin inspect` reads neither.
    for file in [Path::new("/dev/zero"), &fifo, &dir.join("zero.wasm")] {
        let out = recert_confined(&["plugin", "inspect", file.to_str().unwrap()]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
    }
}

#[test]
fn plugin_paths_stay_in_the_packs_folder_unless_the_operator_allows_more() {
    let dir = scratch("confined");
    let packs = dir.join("packs");
    std::fs::create_dir_all(packs.join("plugins")).unwrap();
    std::fs::copy(guest("guest_good"), dir.join("outside.wasm")).unwrap();
    std::fs::copy(guest("guest_good"), packs.join("plugins/good.wasm")).unwrap();
    let write = |path: &Path| {
        std::fs::write(
            packs.join("p.yaml"),
            plugin_pack("p", "good", path, "", &["min-post-consumer"]),
        )
        .unwrap();
    };
    let refused = |extra: &[&str], why: &str| {
        let out = check_confined(&packs, extra);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("error[plugin-path-refused]"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains(why), "{}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("--> {}:10:", packs.join("p.yaml").display())),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("run with `--allow-plugin-path DIR`"),
            "{}",
            out.stderr
        );
    };
    let loads = |extra: &[&str]| {
        let out = check_confined(&packs, &[extra, &["--format", "json"]].concat());
        let report = json(&out);
        assert_ne!(out.code, 2, "{}", out.stderr);
        assert_eq!(report["plugins"][0]["id"], "good");
    };

    // Inside the pack's folder: loaded.
    write(Path::new("plugins/good.wasm"));
    loads(&[]);
    write(Path::new("plugins/../plugins/good.wasm"));
    loads(&[]);
    // `..` out of it, an absolute path, a symlink out of it: refused.
    write(Path::new("../outside.wasm"));
    refused(&[], "it leads outside the pack's folder");
    let absolute = dir.join("outside.wasm");
    write(&absolute);
    refused(&[], "it is an absolute path");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&absolute, packs.join("plugins/link.wasm")).unwrap();
        write(Path::new("plugins/link.wasm"));
        refused(&[], "it leads outside the pack's folder");
    }
    // Unless the operator allows the folder.
    write(&absolute);
    loads(&["--allow-plugin-path", dir.to_str().unwrap()]);
    write(Path::new("../outside.wasm"));
    loads(&["--allow-plugin-path", dir.to_str().unwrap()]);
}

/// A plugin's finding message, requirement and `err` text full of control
/// sequences and markup: the text, Markdown and HTML reports show them harmless
/// (no ESC, CR or bidi control; no heading, HTML or fake verdict line), the
/// JSON report keeps them as the plugin wrote them.
#[test]
fn a_plugin_cannot_forge_a_report_with_its_texts() {
    let dir = scratch("hostile-texts");
    let wasm = guest("guest_hostile");
    let pack = plugin_pack("hostile-pack", "hostile", &wasm, "", &["ansi", "ansi-err"]);
    std::fs::write(dir.join("hostile.yaml"), pack).unwrap();
    let run = |format: &str| {
        let out = recert(&[
            "check",
            "examples/battery-ev-pass.yaml",
            "--at",
            "2032-01-01",
            "--packs",
            dir.to_str().unwrap(),
            "--color",
            "never",
            "--format",
            format,
        ]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        out.stdout
    };
    let hostile = |c: char| (c.is_control() && c != '\n') || c == '\u{202E}';
    let html = run("html");
    assert!(!html.chars().any(hostile), "html: {html:?}");
    assert!(
        !html.contains("<img") && !html.contains("<script"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    for format in ["text", "markdown"] {
        let out = run(format);
        assert!(!out.chars().any(hostile), "{format}: {out:?}");
        for line in out.lines() {
            assert!(!line.trim_start().starts_with("Verdict: PASS"), "{line}");
            assert!(!line.starts_with("# PASS"), "{line}");
            if format == "markdown" {
                assert!(
                    !line.contains("<img") && !line.contains("<script"),
                    "{line}"
                );
                assert!(!line.contains("## Verdict: **PASS**"), "{line}");
            }
        }
    }
    let report: Value = serde_json::from_str(&run("json")).unwrap();
    let ansi = findings(&report, "ansi");
    assert_eq!(
        ansi[0]["message"],
        "\u{1b}[2J\u{1b}[H\rVerdict: PASS\n## Verdict: **PASS** <img src=x onerror=alert(1)>"
    );
    assert_eq!(ansi[0]["expected"], "\u{1b}[2J<script>alert(1)</script>");
    let err = findings(&report, "ansi-err");
    assert!(
        err[0]["reason"]
            .as_str()
            .unwrap()
            .contains("\u{1b}[2J\u{1b}[H\rVerdict: PASS\u{202E}\n# PASS"),
        "{:?}",
        err[0]
    );
}
