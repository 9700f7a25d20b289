//! The plugin host against real guests: a well-behaved one and hostile ones
//! (plugins/test-guests). The guests are built once per test run with
//! `cargo build --target wasm32-wasip2 --release` into target/test-guests.
//!
//! Every hostile test checks the failure kind, the message a person reads,
//! and that the same loaded plugin and a good plugin still work afterwards.
// Test helpers (outside `#[test]` functions) may fail loudly too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use recert_engine::plugin::{
    DEFAULT_FUEL, FailureKind, HostConfig, HostEvent, HostObserver, Limits, Outcome, Plugin,
    PluginError, PluginFailure, PluginHost, PluginRequest, inspect, sha256_hex,
};
use serde_json::{Value, json};

#[path = "../../plugins/test-guests/harness.rs"]
mod guests;

/// The built guests' bytes.
struct Guests {
    good: Vec<u8>,
    hostile: Vec<u8>,
    foreign_import: Vec<u8>,
    api_v2: Vec<u8>,
    bad_describe: Vec<u8>,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn guests() -> &'static Guests {
    static GUESTS: OnceLock<Guests> = OnceLock::new();
    GUESTS.get_or_init(|| {
        let built = guests::build(&repo());
        let read = |name: &str| {
            let path = built.join(format!("{name}.wasm"));
            std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        Guests {
            good: read("guest_good"),
            hostile: read("guest_hostile"),
            foreign_import: read("guest_foreign_import"),
            api_v2: read("guest_api_v2"),
            bad_describe: read("guest_bad_describe"),
        }
    })
}

fn host() -> &'static PluginHost {
    static HOST: OnceLock<PluginHost> = OnceLock::new();
    HOST.get_or_init(|| {
        PluginHost::new(HostConfig {
            cache_dir: None,
            max_concurrency: 4,
            ..HostConfig::default()
        })
        .unwrap()
    })
}

fn good() -> &'static Plugin {
    static GOOD: OnceLock<Plugin> = OnceLock::new();
    GOOD.get_or_init(|| {
        host()
            .load("good", &guests().good, &Limits::default())
            .unwrap()
    })
}

fn hostile() -> &'static Plugin {
    static HOSTILE: OnceLock<Plugin> = OnceLock::new();
    HOSTILE.get_or_init(|| {
        host()
            .load("hostile", &guests().hostile, &Limits::default())
            .unwrap()
    })
}

/// A submission with `n` components: even ones plastic with 10, 30, 50 … %
/// post-consumer content, odd ones steel.
fn submission(n: usize) -> String {
    let components: Vec<Value> = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                json!({
                    "id": format!("C{i}"),
                    "name": "housing",
                    "material": {"class": "plastic", "polymer": "PP"},
                    "mass": 0.5,
                    "recycled": {"post_consumer": 10 + 10 * i, "pre_consumer": 5},
                    "substances": {"lead": 20, "cadmium": 2}
                })
            } else {
                json!({
                    "id": format!("C{i}"),
                    "name": "frame",
                    "material": {"class": "steel"},
                    "mass": 1.5
                })
            }
        })
        .collect();
    json!({
        "schema": "recert.submission/v1",
        "id": "SUB-1",
        "applicant": {"name": "ACME", "country": "CN"},
        "product": {"name": "Door trim panel", "sector": "automotive", "markets": ["CN", "EU"]},
        "components": components
    })
    .to_string()
}

fn request<'a>(rule: &'a str, submission: &'a str) -> PluginRequest<'a> {
    PluginRequest {
        rule,
        submission_json: submission,
        config_json: r#"{"min": 25}"#,
        evaluation_date: "2026-11-28",
        lang: "en",
    }
}

/// Runs hostile rule `rule` and returns its failure.
fn hostile_failure(rule: &str, limits: &Limits) -> PluginFailure {
    let submission = submission(2);
    match hostile().evaluate(&request(rule, &submission), limits) {
        Ok(findings) => panic!("rule `{rule}` should fail, gave {findings:?}"),
        Err(failure) => {
            assert_eq!(failure.plugin, "hostile");
            assert_eq!(failure.version, "0.6.6");
            assert_eq!(failure.rule, rule);
            failure
        }
    }
}

/// The same hostile plugin and the good plugin still work.
fn assert_still_works() {
    let submission = submission(2);
    let ok = hostile()
        .evaluate(&request("ok", &submission), &Limits::default())
        .unwrap();
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].message, "fine");
    assert_eq!(ok[0].actual, Some(json!(42)));
    let findings = good()
        .evaluate(
            &request("min-post-consumer", &submission),
            &Limits::default(),
        )
        .unwrap();
    assert_eq!(findings.len(), 2);
}

#[test]
fn the_host_and_plugins_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<PluginHost>();
    shareable::<Plugin>();
    shareable::<PluginFailure>();
    shareable::<PluginError>();
}

#[test]
fn a_good_plugin_describes_itself() {
    let info = good().info();
    assert_eq!(info.id, "good");
    assert_eq!(info.version, "1.2.3");
    let ids: Vec<&str> = info.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["min-post-consumer", "sandbox-probe"]);
    let rule = info.find_rule("min-post-consumer").unwrap();
    assert_eq!(rule.title_zh, "消费后再生料最低含量");
    assert_eq!(rule.reference.clause, "4.1");
    assert_eq!(good().sha256(), sha256_hex(&guests().good));
    assert_eq!(good().sha256().len(), 64);
    assert_ne!(good().sha256(), hostile().sha256());
}

#[test]
fn a_good_plugin_evaluates_every_component() {
    let submission = submission(4);
    let findings = good()
        .evaluate(
            &request("min-post-consumer", &submission),
            &Limits::default(),
        )
        .unwrap();
    assert_eq!(findings.len(), 4);
    // C0: 10 % < 25 %; C1 steel; C2: 30 %; C3 steel.
    assert_eq!(findings[0].outcome, Outcome::Fail);
    assert_eq!(findings[0].path, "/components/0/recycled/post_consumer");
    assert_eq!(findings[0].actual, Some(json!(10.0)));
    assert_eq!(findings[0].expected.as_deref(), Some(">= 25 %"));
    assert_eq!(
        findings[0].message,
        "component C0 has only 10 % post-consumer content, below 25 %"
    );
    assert_eq!(
        findings[0].reference.as_ref().map(|r| r.clause.as_str()),
        Some("4.1(a)")
    );
    assert_eq!(findings[1].outcome, Outcome::NotApplicable);
    assert_eq!(findings[1].path, "/components/1");
    assert_eq!(findings[1].actual, Some(json!("steel")));
    assert_eq!(findings[2].outcome, Outcome::Pass);
    assert!(findings.iter().all(|f| f.rule == "min-post-consumer"));

    let zh = PluginRequest {
        lang: "zh",
        ..request("min-post-consumer", &submission)
    };
    let findings = good().evaluate(&zh, &Limits::default()).unwrap();
    assert_eq!(
        findings[0].message,
        "部件 C0 的消费后再生料含量仅为 10 %，低于 25 %"
    );
}

#[test]
fn the_sandbox_grants_nothing_and_is_deterministic() {
    let submission = submission(1);
    let probe = |date: &'static str| {
        let req = PluginRequest {
            evaluation_date: date,
            ..request("sandbox-probe", &submission)
        };
        let findings = good().evaluate(&req, &Limits::default()).unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].message, format!("evaluated for {date}"));
        findings
    };
    let first = probe("2026-11-28");
    let second = probe("2026-11-28");
    assert_eq!(
        first, second,
        "the same request must give the same findings"
    );
    let seen = first[0].actual.clone().unwrap();
    // Midnight UTC of the evaluation date.
    assert_eq!(seen["wall_clock_nanos"], json!("1795824000000000000"));
    // Sleeping moves the virtual monotonic clock exactly, and returns at once.
    assert_eq!(seen["slept_nanos"], json!("50000000"));
    assert_eq!(seen["env_count"], json!(0));
    assert_eq!(seen["args_count"], json!(0));
    assert_eq!(seen["read_root"], json!(false));
    assert_eq!(seen["read_dot"], json!(false));
    assert_eq!(seen["open_etc_passwd"], json!(false));
    assert_eq!(seen["tcp_connect"], json!(false));
    assert_eq!(seen["stdin"], json!(0), "stdin is empty");

    let other_day = probe("2031-09-01");
    let other = other_day[0].actual.clone().unwrap();
    assert_eq!(other["wall_clock_nanos"], json!("1945987200000000000"));
    assert_eq!(other["hash_of_constant"], seen["hash_of_constant"]);
}

#[test]
fn an_infinite_loop_ends_by_fuel_not_by_the_clock() {
    // Fuel, not the 1 s safety net: had the clock stopped the loop, the
    // failure would be a `TimeLimit` (no bound on the elapsed time here: on
    // a loaded machine the fuel takes longer to burn, and the kind says it).
    let failure = hostile_failure("loop", &Limits::default());
    assert_eq!(
        failure.kind,
        FailureKind::FuelLimit {
            limit: DEFAULT_FUEL
        }
    );
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 ran out of its fuel budget of 100000000 instructions"
    );
    assert_still_works();
}

#[test]
fn the_wall_clock_is_a_safety_net_and_says_so() {
    let limits = Limits {
        time: Duration::from_millis(300),
        fuel: u64::MAX / 4,
        ..Limits::default()
    };
    let start = Instant::now();
    let failure = hostile_failure("loop", &limits);
    let elapsed = start.elapsed();
    assert_eq!(failure.kind, FailureKind::TimeLimit { limit: limits.time });
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 was stopped by the wall-clock safety net after 300 ms; its fuel budget was not exhausted"
    );
    assert!(elapsed >= limits.time, "cut off early: {elapsed:?}");
    // The loop's fuel would last for hours: stopping within seconds is the
    // safety net at work. The margin is for a loaded machine, where the
    // epoch ticker and this thread wait for a core.
    assert!(
        elapsed < limits.time + Duration::from_secs(3),
        "cut off late: {elapsed:?}"
    );
    assert_still_works();
}

/// Runs the busy rule under `limits` `copies` times at once; the outcome
/// and the fuel of each.
fn busy(limits: &Limits, copies: usize) -> Vec<(Result<Vec<Value>, String>, u64)> {
    let submission = submission(2);
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..copies)
            .map(|_| {
                scope.spawn(|| {
                    let (result, fuel) =
                        hostile().evaluate_metered(&request("busy", &submission), limits);
                    let result = result
                        .map(|f| f.into_iter().map(|f| json!(f.actual)).collect())
                        .map_err(|e| e.to_string());
                    (result, fuel)
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    })
}

#[test]
fn a_busy_plugin_gives_the_same_outcome_alone_and_four_at_a_time() {
    let alone = busy(&Limits::default(), 1);
    let (outcome, fuel) = alone[0].clone();
    assert!(outcome.is_ok(), "{outcome:?}");
    assert!(fuel > 5_000_000 && fuel < DEFAULT_FUEL / 2, "{fuel}");
    for run in busy(&Limits::default(), 4) {
        assert_eq!(run, alone[0], "the same outcome and the same fuel");
    }
    // A budget short of what it needs fails the same way everywhere.
    let short = Limits {
        fuel: fuel / 2,
        ..Limits::default()
    };
    let alone = busy(&short, 1);
    assert_eq!(
        alone[0].0,
        Err(format!(
            "plugin `hostile` 0.6.6 ran out of its fuel budget of {} instructions",
            fuel / 2
        ))
    );
    for run in busy(&short, 4) {
        assert_eq!(run.0, alone[0].0);
    }
    assert_still_works();
}

#[test]
fn memory_growth_stops_at_the_limit() {
    let limits = Limits {
        memory_bytes: 16 << 20,
        ..Limits::default()
    };
    let failure = hostile_failure("memory", &limits);
    assert_eq!(
        failure.kind,
        FailureKind::MemoryLimit {
            limit_bytes: 16 << 20
        }
    );
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 exceeded its 16 MiB memory limit"
    );
    assert_still_works();
}

#[test]
fn one_big_allocation_past_the_default_limit_is_refused() {
    let failure = hostile_failure("big-initial-alloc", &Limits::default());
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 exceeded its 64 MiB memory limit"
    );
    assert_still_works();
}

#[test]
fn a_stack_overflow_is_reported_as_such() {
    let failure = hostile_failure("stack", &Limits::default());
    assert_eq!(failure.kind, FailureKind::StackOverflow, "{failure}");
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 overflowed its stack (unbounded recursion?)"
    );
    assert_still_works();
}

#[test]
fn a_shadow_stack_overflow_is_reported_as_a_stack_overflow() {
    // Rust keeps big locals on a stack in linear memory; running out of it is
    // an out-of-bounds access deep in a recursion, not a wasm stack overflow.
    let failure = hostile_failure("shadow-stack", &Limits::default());
    assert_eq!(failure.kind, FailureKind::StackOverflow, "{failure}");
    assert_still_works();
}

#[test]
fn a_trap_names_the_trap_and_the_guest_functions() {
    let failure = hostile_failure("unreachable", &Limits::default());
    let FailureKind::Trap {
        message,
        stderr_tail,
    } = &failure.kind
    else {
        panic!("expected a trap, got {failure}");
    };
    assert!(
        message.starts_with(
            "wasm trap: wasm `unreachable` instruction executed in `guest_hostile::trap_here`"
        ),
        "{message}"
    );
    assert_eq!(stderr_tail, "");
    assert!(
        failure
            .to_string()
            .starts_with("plugin `hostile` 0.6.6 crashed: wasm trap: "),
        "{failure}"
    );
    assert_still_works();
}

#[test]
fn a_panic_carries_its_message() {
    let failure = hostile_failure("panic", &Limits::default());
    assert_eq!(
        failure.kind,
        FailureKind::Panicked {
            message: "the gauge is broken: reading 42".into()
        }
    );
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 panicked: the gauge is broken: reading 42"
    );
    assert_still_works();
}

#[test]
fn a_panic_after_flooding_stderr_still_carries_its_message() {
    let failure = hostile_failure("flood-then-panic", &Limits::default());
    assert_eq!(
        failure.kind,
        FailureKind::Panicked {
            message: "after the flood".into()
        }
    );
    assert_still_works();
}

#[test]
fn an_error_returned_by_the_plugin_is_its_message() {
    let failure = hostile_failure("err", &Limits::default());
    assert_eq!(
        failure.kind,
        FailureKind::ReturnedError("the submission has no battery section".into())
    );
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 could not evaluate the rule: the submission has no battery section"
    );
    assert_still_works();
}

#[test]
fn malformed_findings_are_rejected() {
    let failure = hostile_failure("bad-path", &Limits::default());
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 returned a malformed finding: finding 1 has path `components/1`, which is not a JSON Pointer: it must be empty or start with `/`"
    );
    let failure = hostile_failure("bad-pointer-escape", &Limits::default());
    assert!(
        matches!(&failure.kind, FailureKind::Malformed(m) if m.contains("`~` must be followed by `0` or `1`")),
        "{failure}"
    );
    let failure = hostile_failure("bad-actual", &Limits::default());
    assert!(
        matches!(&failure.kind, FailureKind::Malformed(m) if m.starts_with("finding 1 has an `actual` that is not JSON (`{not json`)")),
        "{failure}"
    );
    assert_still_works();
}

#[test]
fn oversized_output_is_rejected() {
    let failure = hostile_failure("huge", &Limits::default());
    assert!(
        matches!(failure.kind, FailureKind::OutputTooLarge { bytes, limit: 1048576 } if bytes > 2 << 20),
        "{failure}"
    );
    assert!(
        failure
            .to_string()
            .ends_with("of output, more than its 1 MiB limit"),
        "{failure}"
    );
    // Many empty findings are not free either.
    let failure = hostile_failure("many", &Limits::default());
    assert!(
        matches!(failure.kind, FailureKind::OutputTooLarge { .. }),
        "{failure}"
    );
    assert_still_works();
}

#[test]
fn findings_for_undeclared_rules_are_rejected() {
    let failure = hostile_failure("undeclared", &Limits::default());
    assert_eq!(
        failure.kind,
        FailureKind::UndeclaredRule("not-declared".into())
    );
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 reported a finding for rule `not-declared`, which it does not declare"
    );
    assert_still_works();
}

#[test]
fn requests_for_rules_the_plugin_lacks_or_bad_dates_run_nothing() {
    let failure = hostile_failure("no-such-rule", &Limits::default());
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 does not implement rule `no-such-rule`"
    );
    let submission = submission(1);
    let bad_date = PluginRequest {
        evaluation_date: "28.11.2026",
        ..request("ok", &submission)
    };
    let failure = hostile()
        .evaluate(&bad_date, &Limits::default())
        .unwrap_err();
    assert!(
        matches!(&failure.kind, FailureKind::InvalidRequest(m) if m.contains("`28.11.2026`")),
        "{failure}"
    );
    assert_still_works();
}

#[test]
fn sleeping_does_not_block_the_host() {
    let submission = submission(1);
    let start = Instant::now();
    let findings = hostile()
        .evaluate(&request("sleep", &submission), &Limits::default())
        .unwrap();
    assert_eq!(findings[0].message, "woke up");
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn exit_is_a_failure_not_a_process_exit() {
    let failure = hostile_failure("exit", &Limits::default());
    // WASI 0.2's `exit` only tells success from failure: exit(3) arrives as 1.
    assert_eq!(failure.kind, FailureKind::Exited { code: 1 });
    assert_eq!(
        failure.to_string(),
        "plugin `hostile` 0.6.6 called exit(1) instead of returning findings"
    );
    assert_still_works();
}

#[test]
fn stdout_is_discarded() {
    let submission = submission(1);
    let findings = hostile()
        .evaluate(&request("stdout-flood", &submission), &Limits::default())
        .unwrap();
    assert_eq!(findings[0].message, "printed");
}

#[test]
fn an_import_the_host_does_not_provide_is_refused_at_load() {
    let err = host()
        .load("foreign", &guests().foreign_import, &Limits::default())
        .unwrap_err();
    assert_eq!(
        err,
        PluginError::UnsupportedImport {
            name: "foreign".into(),
            import: "recert:plugin/secret-host@1.0.0".into()
        }
    );
    assert!(
        err.to_string()
            .starts_with("plugin `foreign` imports `recert:plugin/secret-host@1.0.0`, which recert does not provide"),
        "{err}"
    );
    assert_still_works();
}

#[test]
fn a_plugin_for_another_api_version_is_refused_before_linking() {
    let err = host()
        .load("next", &guests().api_v2, &Limits::default())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "plugin `next` was built for plugin API 2.0.0; this recert supports 1.x"
    );
    assert_still_works();
}

#[test]
fn a_plugin_that_fails_to_describe_itself_is_refused_at_load() {
    let err = host()
        .load("bad", &guests().bad_describe, &Limits::default())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "plugin `bad` failed while describing itself: panicked: no rules today"
    );
    assert_still_works();
}

#[test]
fn bytes_that_are_not_a_component_are_refused() {
    let err = host()
        .load("core", b"\0asm\x01\0\0\0", &Limits::default())
        .unwrap_err();
    assert!(
        err.to_string().contains("is a core WebAssembly module"),
        "{err}"
    );
    let err = host()
        .load("text", b"not wasm at all", &Limits::default())
        .unwrap_err();
    assert!(matches!(err, PluginError::NotAComponent { .. }), "{err}");
}

#[test]
fn inspect_reads_imports_and_the_api_version_without_running() {
    let inspection = inspect("good.wasm", &guests().good).unwrap();
    assert_eq!(inspection.api_version.as_deref(), Some("1.0.0"));
    assert_eq!(inspection.exports, ["recert:plugin/rules@1.0.0"]);
    assert!(
        inspection
            .imports
            .iter()
            .any(|i| i.starts_with("wasi:cli/environment@0.2")),
        "{:?}",
        inspection.imports
    );
    assert!(inspection.imports.iter().all(|i| i.starts_with("wasi:")));
    assert_eq!(inspection.sha256, sha256_hex(&guests().good));
    assert_eq!(inspection.info, None);

    let foreign = inspect("foreign.wasm", &guests().foreign_import).unwrap();
    assert!(
        foreign
            .imports
            .contains(&"recert:plugin/secret-host@1.0.0".to_owned())
    );
    let v2 = inspect("v2.wasm", &guests().api_v2).unwrap();
    assert_eq!(v2.api_version.as_deref(), Some("2.0.0"));

    let full = host()
        .inspect("good.wasm", &guests().good, &Limits::default())
        .unwrap();
    assert_eq!(full.info.as_ref().map(|i| i.id.as_str()), Some("good"));
}

#[test]
fn calls_from_many_threads_share_the_pool() {
    // More threads than allocator slots (4): calls wait for a slot.
    let submission = submission(10);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    for _ in 0..5 {
                        let findings = good()
                            .evaluate(
                                &request("min-post-consumer", &submission),
                                &Limits::default(),
                            )
                            .unwrap();
                        assert_eq!(findings.len(), 10);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
    });
}

#[test]
fn the_artifact_cache_is_used_and_survives_corruption() {
    let dir = repo().join(format!("target/test-plugin-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = || HostConfig {
        cache_dir: Some(dir.clone()),
        max_concurrency: 1,
        ..HostConfig::default()
    };
    let wasm = &guests().good;
    let cold = Instant::now();
    let first = PluginHost::new(config()).unwrap();
    first.load("good", wasm, &Limits::default()).unwrap();
    let cold = cold.elapsed();
    let artifacts = cwasm_files(&dir);
    assert_eq!(artifacts.len(), 1, "{artifacts:?}");
    let artifact = &artifacts[0];
    let file_name = artifact.file_name().unwrap().to_str().unwrap();
    assert!(
        file_name.starts_with(&sha256_hex(wasm)) && file_name.ends_with(".cwasm"),
        "{file_name}"
    );

    // A second host (as in a second `recert check`) loads without compiling.
    let warm = Instant::now();
    let second = PluginHost::new(config()).unwrap();
    let plugin = second.load("good", wasm, &Limits::default()).unwrap();
    let warm = warm.elapsed();
    assert!(warm * 3 < cold, "warm {warm:?} vs cold {cold:?}");
    let submission = submission(2);
    assert_eq!(
        plugin
            .evaluate(
                &request("min-post-consumer", &submission),
                &Limits::default()
            )
            .unwrap()
            .len(),
        2
    );

    // A damaged artifact is recompiled and replaced, not trusted.
    std::fs::write(artifact, b"garbage").unwrap();
    let third = PluginHost::new(config()).unwrap();
    let plugin = third.load("good", wasm, &Limits::default()).unwrap();
    assert_eq!(plugin.info().id, "good");
    assert!(std::fs::metadata(artifact).unwrap().len() > 1000);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The compiled artifacts in cache folder `dir`.
fn cwasm_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "cwasm"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// A fresh cache folder for one test (made by the host, mode 0700).
fn fresh_cache(name: &str) -> PathBuf {
    let dir = repo().join(format!(
        "target/test-plugin-cache-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A host with the cache in `dir`, and the events it reports.
fn cached_host(dir: &Path) -> (PluginHost, Arc<Mutex<Vec<String>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    let observer: HostObserver = Arc::new(move |event: &HostEvent<'_>| {
        seen.lock().unwrap().push(match event {
            HostEvent::CacheRefused { dir, reason } => {
                format!("refused {}: {reason}", dir.display())
            }
            HostEvent::Compiling { name, .. } => format!("compiling {name}"),
            _ => "other".to_owned(),
        });
    });
    let host = PluginHost::with_observer(
        HostConfig {
            cache_dir: Some(dir.to_path_buf()),
            max_concurrency: 1,
            ..HostConfig::default()
        },
        Some(observer),
    )
    .unwrap();
    (host, events)
}

/// Loads the good guest through `host` and checks that it is the good guest
/// that runs: its id, and its own findings.
fn assert_runs_the_good_guest(host: &PluginHost) {
    let plugin = host
        .load("good", &guests().good, &Limits::default())
        .unwrap();
    assert_eq!(plugin.info().id, "good");
    assert_eq!(plugin.sha256(), sha256_hex(&guests().good));
    let submission = submission(2);
    let findings = plugin
        .evaluate(
            &request("min-post-consumer", &submission),
            &Limits::default(),
        )
        .unwrap();
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert_eq!(findings[0].outcome, Outcome::Fail, "10 % < 25 %");
}

#[test]
fn another_plugins_artifact_under_the_pinned_plugins_name_is_not_run() {
    let dir = fresh_cache("swap");
    let (first, _) = cached_host(&dir);
    first
        .load("good", &guests().good, &Limits::default())
        .unwrap();
    first
        .load("hostile", &guests().hostile, &Limits::default())
        .unwrap();
    let good_artifact = dir.join(
        cwasm_files(&dir)
            .iter()
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with(&sha256_hex(&guests().good))
            })
            .unwrap(),
    );
    let hostile_artifact = cwasm_files(&dir)
        .into_iter()
        .find(|p| *p != good_artifact)
        .unwrap();
    let hostile_bytes = std::fs::read(&hostile_artifact).unwrap();
    std::fs::copy(&hostile_artifact, &good_artifact).unwrap();

    // A second run: the swapped file is not loaded; the good guest is
    // compiled again and its artifact replaced.
    let (second, events) = cached_host(&dir);
    assert_runs_the_good_guest(&second);
    assert_eq!(*events.lock().unwrap(), ["compiling good"]);
    assert_ne!(std::fs::read(&good_artifact).unwrap(), hostile_bytes);

    // An artifact made by another cache (another key) is not trusted either.
    let other = fresh_cache("swap-other");
    let (third, _) = cached_host(&other);
    third
        .load("hostile", &guests().hostile, &Limits::default())
        .unwrap();
    let foreign = cwasm_files(&other).pop().unwrap();
    std::fs::copy(&foreign, &good_artifact).unwrap();
    let (fourth, events) = cached_host(&dir);
    assert_runs_the_good_guest(&fourth);
    assert_eq!(*events.lock().unwrap(), ["compiling good"]);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&other);
}

#[test]
fn a_corrupted_artifact_is_recompiled_not_run() {
    let dir = fresh_cache("corrupt");
    let (first, _) = cached_host(&dir);
    first
        .load("good", &guests().good, &Limits::default())
        .unwrap();
    let artifact = cwasm_files(&dir).pop().unwrap();
    let mut bytes = std::fs::read(&artifact).unwrap();
    // Overwrite code in the middle of the file (the first bytes are headers
    // that wasmtime checks itself): run as is, this crashes the process.
    let middle = bytes.len() / 2;
    for byte in &mut bytes[middle - 2048..middle + 2048] {
        *byte = 0xCC;
    }
    std::fs::write(&artifact, &bytes).unwrap();

    let (second, events) = cached_host(&dir);
    assert_runs_the_good_guest(&second);
    assert_eq!(*events.lock().unwrap(), ["compiling good"]);
    assert_ne!(std::fs::read(&artifact).unwrap(), bytes, "replaced");

    // The replacement is used as is by the next run.
    let (third, events) = cached_host(&dir);
    assert_runs_the_good_guest(&third);
    assert!(events.lock().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_cache_folder_or_key_others_can_write_is_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fresh_cache("open");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let (host, events) = cached_host(&dir);
    assert_runs_the_good_guest(&host);
    host.load("hostile", &guests().hostile, &Limits::default())
        .unwrap();
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
    assert_eq!(
        *events.lock().unwrap(),
        [
            format!(
                "refused {}: the folder has mode 0777: it can be written by other users",
                dir.display()
            ),
            "compiling good".to_owned(),
            "compiling hostile".to_owned(),
        ],
        "one warning, then every plugin compiled"
    );
    // Not repaired: the operator decides.
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o777);

    // A private folder whose key others can read is refused too.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let (host, _) = cached_host(&dir);
    assert_runs_the_good_guest(&host);
    assert_eq!(cwasm_files(&dir).len(), 1, "used once private");
    let key = dir.join("key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (host, events) = cached_host(&dir);
    assert_runs_the_good_guest(&host);
    let events = events.lock().unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events[0].ends_with("the key file has mode 0644: it can be read or written by other users"),
        "{events:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_component_above_the_size_cap_is_not_compiled() {
    // The good guest with a custom section that takes it over 16 MiB: still
    // a valid plugin component, refused before compiling.
    let mut wasm = guests().good.clone();
    let cap = usize::try_from(recert_engine::plugin::MAX_PLUGIN_BYTES).unwrap();
    let name = b"padding";
    let payload = cap - wasm.len() + 1;
    let mut size = name.len() + 1 + payload;
    wasm.push(0); // custom section
    loop {
        let byte = u8::try_from(size & 0x7f).unwrap();
        size >>= 7;
        wasm.push(if size == 0 { byte } else { byte | 0x80 });
        if size == 0 {
            break;
        }
    }
    wasm.push(u8::try_from(name.len()).unwrap());
    wasm.extend_from_slice(name);
    wasm.resize(wasm.len() + payload, 0);
    assert!(inspect("big", &wasm).is_ok(), "a valid component");
    let (host, events) = cached_host(&fresh_cache("big"));
    let error = match host.load("big", &wasm, &Limits::default()) {
        Err(error) => error.to_string(),
        Ok(_) => panic!("loaded"),
    };
    assert!(
        error.starts_with("plugin `big` could not be compiled: it is 16777")
            && error
                .ends_with("bytes; recert compiles components of at most 16777216 bytes (16 MiB) (--plugin-size-max)"),
        "{error}"
    );
    assert!(events.lock().unwrap().is_empty(), "not compiled");
}
