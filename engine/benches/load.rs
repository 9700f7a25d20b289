//! Loading a 10-component JSON submission against a plain `serde_json` parse
//! of the same text (the baseline the engine's time budget is measured in).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use recert_engine::load::{Format, Source, load_submission, parse_document};

fn example() -> Source {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/eee-10-components.json");
    match Source::read(&path) {
        Ok(source) => source,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    }
}

fn load(c: &mut Criterion) {
    let source = example();
    assert_eq!(source.format, Format::Json);
    assert!(load_submission(&source).is_ok(), "the example must load");
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
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
