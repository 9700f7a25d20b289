//! Plugin host costs: a call on a fresh instance (the target is at most
//! 150 µs median for a realistic plugin on a 10-component submission), and
//! loading a plugin from a warm artifact cache versus compiling it.
//!
//! `cargo bench -p recert-engine --bench plugin`. The guests are built first
//! (`cargo build --target wasm32-wasip2 --release` in plugins/test-guests,
//! into target/test-guests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use recert_engine::plugin::{HostConfig, Limits, PluginHost, PluginRequest};
use serde_json::{Value, json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn guest(name: &str) -> Vec<u8> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target_dir = repo().join("target/test-guests");
    let status = Command::new(cargo)
        .current_dir(repo().join("plugins/test-guests"))
        .args([
            "build",
            "--target",
            "wasm32-wasip2",
            "--release",
            "--target-dir",
        ])
        .arg(&target_dir)
        .status()
        .expect("run cargo");
    assert!(status.success(), "building the test guests failed");
    std::fs::read(target_dir.join(format!("wasm32-wasip2/release/{name}.wasm"))).unwrap()
}

/// A realistic submission of `n` components (about 200 bytes of JSON each).
fn submission(n: usize) -> String {
    let components: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "id": format!("C{i}"),
                "name": "housing",
                "part": "housing",
                "material": {"class": if i % 3 == 2 { "steel" } else { "plastic" }, "polymer": "PC/ABS"},
                "mass": 0.25,
                "recycled": {"post_consumer": 5 * i, "pre_consumer": 5, "source": "weee",
                             "certificate": {"scheme": "GRS", "number": "GRS-1", "valid_until": "2027-06-30"}},
                "properties": {"melt_flow_rate": 12, "ash": 1.2, "flammability": "V-0"},
                "substances": {"lead": 20, "cadmium": 2, "mercury": 0.5, "chromium_vi": 1}
            })
        })
        .collect();
    json!({
        "schema": "recert.submission/v1",
        "id": "SUB-2026-000123",
        "applicant": {"name": "ACME", "country": "CN"},
        "product": {"name": "Monitor", "sector": "electrical-electronic", "markets": ["CN", "EU"]},
        "components": components
    })
    .to_string()
}

fn benches(c: &mut Criterion) {
    let good = guest("guest_good");
    let hostile = guest("guest_hostile");
    let limits = Limits::default();
    let host = PluginHost::new(HostConfig::default()).unwrap();
    let plugin = host.load("good", &good, &limits).unwrap();
    let trivial = host.load("hostile", &hostile, &limits).unwrap();
    let submission = submission(10);
    let request = PluginRequest {
        rule: "min-post-consumer",
        submission_json: &submission,
        config_json: r#"{"min": 25, "params": {}}"#,
        evaluation_date: "2026-11-28",
        lang: "en",
    };
    assert_eq!(plugin.evaluate(&request, &limits).unwrap().len(), 10);

    let mut group = c.benchmark_group("plugin");
    group.bench_function("evaluate fresh instance, 10 components", |b| {
        b.iter(|| black_box(plugin.evaluate(black_box(&request), &limits).unwrap()))
    });
    let ok = PluginRequest {
        rule: "ok",
        ..request
    };
    group.bench_function("evaluate fresh instance, trivial guest", |b| {
        b.iter(|| black_box(trivial.evaluate(black_box(&ok), &limits).unwrap()))
    });

    let cache_dir = repo().join(format!("target/bench-plugin-cache-{}", std::process::id()));
    let cached = PluginHost::new(HostConfig {
        cache_dir: Some(cache_dir.clone()),
        ..HostConfig::default()
    })
    .unwrap();
    cached.load("good", &good, &limits).unwrap();
    group.bench_function("load, warm cache", |b| {
        b.iter(|| black_box(cached.load("good", black_box(&good), &limits).unwrap()))
    });
    group.sample_size(10);
    group.bench_function("load, cold compile", |b| {
        b.iter(|| black_box(host.load("good", black_box(&good), &limits).unwrap()))
    });
    group.finish();
    let _ = std::fs::remove_dir_all(cache_dir);
}

criterion_group!(plugin, benches);
criterion_main!(plugin);
