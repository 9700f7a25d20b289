//! The cost of checking one submission, next to the cost of merely parsing it.
//!
//! `parse`: `serde_json::from_str::<Value>` of the submission text.
//! `check`: the whole job from the same text: parse (strict), validate against
//! the submission schema, normalize units, hash, evaluate every bundled pack.
//! `check_and_render`: the same, plus the JSON report.
//! The target: `check` at most 2.5 x `parse`.
//!
//! Run: `cargo bench -p recert-engine --bench evaluate`

#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use recert_engine::eval::{self, Options};
use recert_engine::load::{self, Format, Source};
use recert_engine::{Lang, pack, report};

const SUBMISSION: &str = include_str!("../../examples/eee-10-components.json");

fn bench(c: &mut Criterion) {
    let packs = pack::compile(&pack::bundled_sources(), None).expect("bundled packs compile");
    let options = Options {
        date: jiff::civil::date(2026, 11, 28),
        lang: Lang::En,
        plugins: None,
    };
    let source = Source::from_text("eee-10-components.json", SUBMISSION, Format::Json);

    let mut group = c.benchmark_group("submission");
    group.bench_function("parse", |b| {
        b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(black_box(SUBMISSION)).ok()))
    });
    group.bench_function("check", |b| {
        b.iter(|| {
            let submission = load::load_submission(black_box(&source)).expect("valid");
            black_box(eval::evaluate(&packs, &submission, &options))
        })
    });
    group.bench_function("load_only", |b| {
        b.iter(|| black_box(load::load_submission(black_box(&source)).expect("valid")))
    });
    let loaded = load::load_submission(&source).expect("valid");
    group.bench_function("evaluate_only", |b| {
        b.iter(|| black_box(eval::evaluate(&packs, black_box(&loaded), &options)))
    });
    group.bench_function("check_and_render", |b| {
        b.iter(|| {
            let submission = load::load_submission(black_box(&source)).expect("valid");
            let report = eval::evaluate(&packs, &submission, &options);
            black_box(report::json::render(&report))
        })
    });
    group.finish();

    c.bench_function("compile_bundled_packs", |b| {
        b.iter(|| black_box(pack::compile(&pack::bundled_sources(), None).expect("compile")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
