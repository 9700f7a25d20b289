//! Loading a 10-component JSON submission against a plain `serde_json` parse
//! of the same text (the baseline the engine's time budget is measured in),
//! and the parts of a load on their own: the strict parse, serializing and
//! hashing the normalized document, dropping it.
//!
//! On a busy machine timings wander. With `RECERT_BENCH_ROUNDS=<n>` set, the
//! bench runs instead the jobs of the `submission/` group of the `evaluate`
//! bench (parse, load_only, evaluate_only, check), and the strict parse
//! alone (`parse_document`), in turn, `n` batches of
//! each, so that a busy machine slows them alike, and prints the fastest and
//! the median batch of each and the check/parse ratio:
//! `RECERT_BENCH_ROUNDS=100 target/release/deps/load-<hash>`.

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group};
use recert_engine::eval::{self, Options};
use recert_engine::load::{Format, Source, load_submission, parse_document};
use recert_engine::{Lang, pack};
use sha2::{Digest, Sha256};

fn example() -> Source {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/eee-10-components.json");
    or_exit(Source::read(&path))
}

/// The value, or the error printed and the bench ended.
fn or_exit<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    }
}

fn load(c: &mut Criterion) {
    let source = example();
    assert_eq!(source.format, Format::Json);
    let loaded = or_exit(load_submission(&source));
    let mut group = c.benchmark_group("load");
    group.bench_function("serde_json::from_str::<Value>", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&source.text)))
    });
    group.bench_function("parse_document", |b| {
        b.iter(|| parse_document(black_box(&source)))
    });
    group.bench_function("load_submission", |b| {
        b.iter(|| load_submission(black_box(&source)))
    });
    // The digest's parts: what the serialization and the hash cost apart.
    group.bench_function("to_vec(normalized)", |b| {
        b.iter(|| serde_json::to_vec(black_box(&loaded.normalized)))
    });
    let bytes = serde_json::to_vec(&loaded.normalized).unwrap_or_default();
    group.bench_function("sha256(normalized bytes)", |b| {
        b.iter(|| Sha256::digest(black_box(&bytes)))
    });
    group.bench_function("drop(submission)", |b| {
        b.iter_batched(|| loaded.clone(), drop, BatchSize::SmallInput)
    });
    group.finish();
}

criterion_group!(benches, load);

fn main() {
    if let Some(rounds) = std::env::var("RECERT_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
    {
        interleaved(rounds);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

/// The jobs of the target, timed in turn, batch by batch, so that a
/// busy machine slows them alike: per job, the fastest batch and the median
/// batch, per iteration, and the ratios of the medians to `parse`.
fn interleaved(rounds: u32) {
    const BATCH: u32 = 200;
    let source = example();
    let packs = or_exit(pack::compile(&pack::bundled_sources(), None));
    let options = Options {
        date: jiff::civil::date(2026, 11, 28),
        lang: Lang::En,
        plugins: None,
    };
    let loaded = or_exit(load_submission(&source));
    let jobs: [(&str, &dyn Fn()); 5] = [
        ("parse", &|| {
            let _ = black_box(serde_json::from_str::<serde_json::Value>(black_box(
                &source.text,
            )));
        }),
        ("load_only", &|| {
            let _ = black_box(load_submission(black_box(&source)));
        }),
        ("evaluate_only", &|| {
            black_box(eval::evaluate(&packs, black_box(&loaded), &options));
        }),
        ("check", &|| {
            if let Ok(submission) = load_submission(black_box(&source)) {
                black_box(eval::evaluate(&packs, &submission, &options));
            }
        }),
        ("parse_document", &|| {
            let _ = black_box(parse_document(black_box(&source)));
        }),
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); jobs.len()];
    for _ in 0..rounds {
        for ((_, job), times) in jobs.iter().zip(&mut times) {
            let start = std::time::Instant::now();
            for _ in 0..BATCH {
                job();
            }
            times.push(start.elapsed().as_secs_f64() * 1e6 / f64::from(BATCH));
        }
    }
    let mut medians = Vec::new();
    for ((name, _), times) in jobs.iter().zip(&mut times) {
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
        let min = times.first().copied().unwrap_or(f64::NAN);
        medians.push(median);
        println!("{name:<14} min {min:7.2} µs  median {median:7.2} µs");
    }
    if let [parse, _, _, check, ..] = medians[..] {
        println!("check/parse    {:.2} (medians)", check / parse);
    }
}
