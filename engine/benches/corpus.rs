//! The engine over a varied corpus, next to a plain parse of the same text.
//!
//! The `evaluate` bench times one document again and again; users check many
//! different ones. This bench generates 300 submissions (a third each
//! electrical-electronic, packaging and battery, ten components, varied
//! shares, lab values, markets and evaluation dates: `support/corpus.rs`) and
//! times, per submission:
//! - `parse`: `serde_json::from_str::<Value>` of the text, the baseline;
//! - `check`: from the text to the finished report (the source made of the
//!   text with its file digest, as `recert check` makes it; strict parse,
//!   schema, units, the normalized digest, every bundled pack; plugins are
//!   not run: their call is timed by the `plugin` bench);
//! - `check_and_render`: the same and the JSON report written;
//! - `load_only` and `evaluate_only`: the two halves of `check`;
//! - `check_four` and `evaluate_four`: `check` and `evaluate_only` with the
//!   four rule families of issue 13's side-by-side measurement (3.03 × a
//!   parse there) instead of every bundled pack: the 24 rules of
//!   [`FOUR_FAMILIES`], cut out of the bundled packs by id.
//!
//! Run: `cargo bench -p recert-engine --bench corpus`. On a busy machine set
//! `RECERT_BENCH_ROUNDS=<n>`: the jobs then run in turn, `n` rounds over the
//! corpus, so that the load slows them alike, and the medians per
//! submission and the ratios to `parse` are printed;
//! `RECERT_BENCH_JOBS=parse,check_four` runs only those (for a profile).
//! `RECERT_BENCH_REPORTS=1` prints, per submission, the SHA-256 of its JSON
//! report under every pack and under the four families: `diff` the output
//! of two builds to show that a change left every report byte as it was.
//!
//! Measured on the quiet 2-core machine after the two rounds below
//! (`RECERT_BENCH_ROUNDS=40`, medians per submission): parse 22.4 µs,
//! load_only 39.7 µs (1.77 × parse), evaluate_only 144.0 µs, check
//! 193.4 µs (8.63 ×), check_and_render 397.9 µs; the four families:
//! evaluate_four 19.5 µs, check_four 60.5 µs (2.70 ×; the target
//! is 1.5 ×).
//!
//! Measured on the quiet 2-core machine before issue 13's four-family case
//! (`RECERT_BENCH_ROUNDS=40`, medians per submission, every bundled pack:
//! 131 rules): parse 22.3 µs, load_only 42.3 µs (1.90 × parse; 48.1 µs
//! before the compact document), evaluate_only 163.9 µs, check 208.7 µs
//! (9.36 ×), check_and_render 473.4 µs.
//!
//! The four families, before and after one-allocation objects, the wider
//! table of recent keys, first-byte key comparison and the share fix read
//! in place (commits `418e196`, `22bad54`). The machine was shared with
//! other builds (load average 7 to 13), so old and new bench binaries ran
//! alternately, 5 runs each of `RECERT_BENCH_ROUNDS=20`, and the figures
//! are the medians of the runs' medians per submission (× parse):
//!
//! | job | run A old | run A new | run B old | run B new |
//! | --- | --- | --- | --- | --- |
//! | parse | 40.5 µs | 41.0 µs | 33.8 µs | 34.0 µs |
//! | load_only | 84.5 (2.09 ×) | 75.5 (1.84 ×) | 65.5 (1.94 ×) | 63.5 (1.87 ×) |
//! | evaluate_four | 53.1 (1.31 ×) | 32.7 (0.80 ×) | 40.2 (1.19 ×) | 32.9 (0.97 ×) |
//! | check_four | 153.3 (3.79 ×) | 121.8 (2.98 ×) | 109.3 (3.23 ×) | 103.5 (3.05 ×) |
//! | check (131 rules) | 496.1 (12.3 ×) | 409.2 (10.0 ×) | 350.0 (10.3 ×) | 338.3 (9.96 ×) |
//!
//! Instructions (deterministic; `valgrind --tool=callgrind
//! --toggle-collect='corpus::jobs::*'`, `RECERT_BENCH_ROUNDS=1`, one job at
//! a time, 300 submissions), old → new: parse 95.5 M → 94.3 M, load_only
//! 194.8 M → 181.2 M (−7 %; SHA-256 runs without SHA-NI under valgrind,
//! which inflates the digest), evaluate_four 59.9 M → 53.6 M (−11 %),
//! check_four 251.6 M → 236.3 M (−6 %). The four families stay near 3 × a
//! parse: loading is about 58 % of `check_four` (the parse with unit
//! conversion 42 %, the digest 10 %, the schema 4 %, dropping the
//! submission 5 %), evaluation 38 % (the rules 16 %, guards 5 %, findings
//! 4 %, coverage 3 %, evidence 3 %, dropping the report 3 %; `perf record
//! --call-graph dwarf`).
//!
//! Evaluation, round 2 (commits after `b3c89e6`: guard results in short
//! lists instead of SipHash maps with a copied source per guard; the
//! evidence list copies a component's id only when it has evidence; coverage
//! copies the fields `applies_to` reads once per pack, not per market;
//! component labels joined without `format!`; the components looked up
//! once per pack, not per rule). Instructions, as above
//! (`valgrind --tool=callgrind --toggle-collect='corpus::jobs::*'`,
//! `RECERT_BENCH_ROUNDS=1 RECERT_BENCH_JOBS=<job>`, 300 submissions; both
//! builds with the same `RECERT_BUILD_REVISION`, so that
//! `RECERT_BENCH_REPORTS=1` gives the same listing):
//!
//! | job | before | guards | + evidence, coverage | + labels | + components |
//! | --- | --- | --- | --- | --- | --- |
//! | check_four | 238.2 M | 234.9 M | 233.4 M | 232.3 M | 232.1 M (−2.6 %) |
//! | of which `evaluate` | 49.3 M | 45.8 M | 44.3 M | 43.2 M | 43.0 M (−13 %) |
//! | check (131 rules) | 564.1 M | 546.0 M | 543.5 M | 540.9 M | 538.8 M (−4.5 %) |
//! | of which `evaluate` | 357.6 M | 339.4 M | 337.0 M | 334.3 M | 332.3 M (−7.1 %) |
//!
//! Timed (before the components change), old and new binaries alternately, 3 runs each of
//! `RECERT_BENCH_ROUNDS=20 RECERT_BENCH_JOBS=parse,check_four,evaluate_four,check`
//! on the machine under load (load average 11: medians moved by up to 40 %
//! between runs, so the fastest rounds are given, µs per submission, old →
//! new): parse 20.1 → 20.1, evaluate_four 19.0 → 17.5, check_four 56.6 →
//! 54.8 (2.81 × → 2.72 × parse), check 198.8 → 186.1. Left in evaluation
//! (`check_four`, callgrind, inclusive): the checks' values 8.1 M and the
//! guards 7.8 M (evaluating their expressions), `Finding::new` 3.1 M (2.0 M
//! of it the box of each check finding's `Actual`), the evidence list's
//! copied strings 4.1 M, dropping the report 4.8 M.
//!
//! Evaluation, round 3 (commits `bb2b800` to `b6fcdad`): the rules of the
//! traceability and China-market packs evaluated without the `cel` crate
//! (`size()` compared with an integer, `hasValue()`, `join()`,
//! `upperAscii()`, `lowerAscii()`, `replace()`, a map literal as a rule's
//! whole `actual`; of two failed `&&`/`||` operands the right one's error,
//! as the crate gives it), a small object's fields found by comparing keys
//! in turn (length first) instead of a binary search, a check's number held
//! in its finding instead of a box (and the finding made from the number),
//! the evidence's texts in one string, a loop's list reserved up front, a
//! pack's version and the date written without copies. Instructions, as
//! above (`valgrind --tool=callgrind --toggle-collect='corpus::jobs::*'`,
//! `RECERT_BENCH_ROUNDS=1 RECERT_BENCH_JOBS=<job>`, 300 submissions, both
//! builds with `RECERT_BUILD_REVISION=x`; `RECERT_BENCH_REPORTS=1` gives the
//! same listing), before (`ccf6468`) → after:
//!
//! | job | before | after |
//! | --- | --- | --- |
//! | parse | 94.3 M | 93.5 M |
//! | check_four | 231.1 M (2.45 × parse) | 213.4 M (2.28 ×; −7.6 %) |
//! | of which `evaluate` | 43.2 M | 27.5 M (−36 %) |
//! | evaluate_four (with dropping the report) | 48.1 M | 29.1 M (−39 %) |
//! | check (131 rules) | 527.1 M | 334.9 M (−36 %) |
//! | of which `evaluate` | 322.7 M | 134.2 M (−58 %) |
//!
//! Timed on the machine shared with other builds (load average 4), old and
//! new bench binaries alternately, 5 runs each of `RECERT_BENCH_ROUNDS=20
//! RECERT_BENCH_JOBS=parse,evaluate_four,check_four,check`, medians of the
//! runs' medians per submission (× parse), old → new: parse 20.7 → 20.7 µs,
//! evaluate_four 18.3 (0.89 ×) → 12.4 µs (0.60 ×), check_four 56.4
//! (2.72 ×) → 49.4 µs (2.38 ×), check 171.2 (8.30 ×) → 102.8 µs (4.93 ×).
//! Evaluation is now 13 % of `check_four`'s instructions (27.5 M, and 2.3 M
//! dropping the report): the rest of the way to issue 13's 1.5 × is on the
//! loading side (`load_submission` 174.0 M, dropping the submission 9.6 M).
//!
//! Loading, round 3 (issue 13), and the bench made honest about the file
//! digest:
//! - Strings of a document are `ecow::EcoString` (up to 15 bytes inline:
//!   ids, names, classes, codes), and each thread keeps its table of keys
//!   from one document to the next (bounded: 4096 names). Parsing a
//!   submission took 201.5 allocations on average; it takes 81.8 (heaptrack
//!   over `RECERT_BENCH_ROUNDS=10 RECERT_BENCH_JOBS=load_only`, the stacks
//!   under `parse_shaped`).
//!   Instructions (callgrind, as above): load_only 181.3 M → 162.5 M,
//!   check_four 231.1 M → 211.2 M.
//! - `check`, `check_four`, `check_and_render` and `load_only` now make the
//!   source from the text inside the timed loop (`from_text`: the copy and
//!   the file's SHA-256, which `recert check` pays for every file), and
//!   share it with the submission (`load::load_shared`, as `check` does).
//!   That adds about 3.9 µs to each.
//!
//! With this bench, before this stop (`ccf6468`) → after the loading and
//! evaluation rounds 3 (`dafb073`), old and new bench binaries alternately,
//! 6 runs each of `RECERT_BENCH_ROUNDS=20
//! RECERT_BENCH_JOBS=parse,load_only,evaluate_four,check_four,check`, on a
//! machine whose other tenants moved the medians by up to 20 %, so the
//! fastest rounds are given, µs per submission (× parse): parse 20.0 →
//! 20.4; load_only 38.6 (1.93 ×) → 31.2 (1.53 ×); evaluate_four 17.6 →
//! 10.7; check_four 57.9 (2.90 ×) → 43.0 (2.11 ×); check 171.8 (8.59 ×) →
//! 92.4 (4.53 ×). Every report byte is the same (`RECERT_BENCH_REPORTS=1`,
//! both builds with `RECERT_BUILD_REVISION=x`). Instructions (callgrind, as
//! above; SHA-256 now runs twice per submission in software under
//! valgrind): load_only 277.5 M → 259.2 M, evaluate_four 48.1 M → 28.7 M,
//! check_four 327.4 M → 289.1 M, check 623.4 M → 409.5 M.
//!
//! Loading, round 4 (issue 13): a schema node's field found comparing first
//! bytes before `memcmp`; the component fields of "value as written" in a
//! short list instead of two SipHash maps, and its texts inline
//! (`EcoString`); an object's entries and a list's items moved into their
//! exact slice with one copy instead of a `drain(..)` collected one by one
//! (4.4 % of `load_only`'s time in `perf`). Figures for rounds 4 of loading
//! and evaluation together are below ("Round 4, together"). Tried and left
//! out: floats of a few decimal places written into the digest as digits
//! and a point (the bytes `serde_json` writes, compared by a test): 19 %
//! fewer instructions in `write_number`, the same time (the exactness
//! check waits on a division), and a copy of the formatter's work to keep
//! in step; `#[inline(always)]` on inserting an entry (its wide copy of the
//! key and value stalls; inlining moved the stall into the parser); a
//! `repr(C, u8)` `Doc` (a quarter of the parser's own share gone in `perf`,
//! but the fastest rounds the same, old and new alternately, 8 runs each).
//! What is left in loading (`perf`, `load_only`): the two SHA-256 16 %, the
//! parser with the tree built in it 12 % and its key and string reading
//! 7 %, inserting an entry 6.6 %, `Keys::key` 4.5 % (two thirds of it the
//! atomic increment of the shared key's count), the quantity parser 5 %,
//! writing the digest 8 %, dropping the document 3.7 %, the schema 3 %.
//!
//! Evaluation, round 4 (issue 13): one cost budget per pack, reset for each
//! rule, instead of an `Arc` allocated per rule; whether a guard reads
//! `component` known once, not by comparing its variables per component; a
//! map literal's value built by insertion, not collected and sorted; a rule
//! not in force asks its guard through the pack's guard results, as a rule
//! in force does (the 2030 and 2040 recycled-share rules of the packaging
//! pack share their guards, and one of the two windows is always out of
//! force: each such guard ran twice). The `cel` crate still runs 46 times
//! over the 300 submissions under every pack (0.95 M instructions, 0.2 %
//! of `check`): no form is left whose move to the direct evaluator would
//! show. Figures for rounds 4 of loading and evaluation together are below
//! ("Round 4, together"). Tried and dropped: `sum(list.filter(...).map(...))`
//! added up as the map goes, without its two lists (evaluate_four 28.16 M →
//! 27.69 M instructions, about 0.3 µs a submission, for 150 lines that must
//! charge the budget and fail exactly as the lists do); every loop over a
//! filter's elements without its list (`.all`, `.exists`): more
//! instructions, each element read twice; the length of a filter counted
//! without its list: 0.1 M of `check`. What is left in evaluation (`check`,
//! callgrind, inclusive): the rules' `actual` values 24.9 M (14.0 M
//! evaluating them, 10.8 M turning them into `serde_json` values, objects
//! copied whole), dropping the report 15.9 M (6.5 M of it those values),
//! guards 31.0 M, assertions 13.6 M; in `evaluate_four` the packaging
//! guards, whose sums filter the components again and again.
//!
//! Round 4, together (loading and evaluation as above, and the JSON writer
//! writing the findings itself, each rule's texts escaped once: see
//! `crates/core/src/report/json.rs`), `0de5a11` against the merge, both
//! built with `RECERT_BUILD_REVISION=x`; the `RECERT_BENCH_REPORTS=1`
//! listing is the same byte for byte. Instructions (callgrind, as above),
//! before → after: load_only 258.2 M → 250.6 M (−3.0 %), evaluate_four
//! 28.34 M → 27.99 M, check_four 287.7 M → 279.8 M (−2.8 %), check 410.8 M
//! → 395.6 M (−3.7 %); check_and_render 1 405 M → 589 M (−58 %). Timed,
//! the two binaries alternately, 6 runs each of `RECERT_BENCH_ROUNDS=20
//! RECERT_BENCH_JOBS=parse,load_only,evaluate_four,check_four,check,check_and_render`,
//! on the machine shared with other tenants (the parse's median moved
//! between 25 and 30 µs from run to run), the fastest rounds in µs per
//! submission (× that build's parse): parse 22.3 → 21.7; load_only 31.9
//! (1.43 ×) → 30.7 (1.42 ×); evaluate_four 11.2 → 11.1; check_four 44.4
//! (1.99 ×) → 42.8 (1.98 ×); check 99.0 (4.44 ×) → 94.6 (4.36 ×);
//! check_and_render 328.0 → 150.4.

#[path = "support/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group};
use recert_engine::eval::{self, Options};
use recert_engine::load::{self, Format, Source, Submission};
use recert_engine::pack::{PackSet, PackSource};
use recert_engine::{Lang, pack, report};

/// Submissions in the corpus.
const SIZE: usize = 300;

/// The rules of issue 13's side-by-side measurement, by pack: RoHS limits per
/// component, packaging heavy metals per component, the PPWR 2030 recycled
/// share with its four thresholds over the plastic components, and the
/// Batteries Regulation Art. 8 recycled content (plugin rules: without a
/// plugin host each is an `error` finding, as in the issue, whose battery
/// figure has no plugin call either).
const FOUR_FAMILIES: [(&str, &[&str]); 3] = [
    (
        "eu-eee-substances",
        &[
            "rohs-lead",
            "rohs-mercury",
            "rohs-cadmium",
            "rohs-chromium-vi",
            "rohs-pbb",
            "rohs-pbde",
            "rohs-dehp",
            "rohs-bbp",
            "rohs-dbp",
            "rohs-dibp",
        ],
    ),
    (
        "eu-packaging",
        &[
            "ppwd-heavy-metals",
            "ppwr-heavy-metals",
            "ppwr-rc-2030-contact-sensitive-pet",
            "ppwr-rc-2030-contact-sensitive-other",
            "ppwr-rc-2030-beverage-bottle",
            "ppwr-rc-2030-other",
        ],
    ),
    (
        "eu-batteries",
        &[
            "eu-batt-rc-cobalt",
            "eu-batt-rc-lead",
            "eu-batt-rc-lithium",
            "eu-batt-rc-nickel",
        ],
    ),
];

criterion_group!(benches, bench);

fn main() {
    if std::env::var_os("RECERT_BENCH_REPORTS").is_some() {
        reports();
        return;
    }
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

/// The corpus, compiled packs, and each submission's source, options and load.
struct Fixture {
    packs: PackSet,
    /// The bundled packs cut down to [`FOUR_FAMILIES`].
    four: PackSet,
    /// Each source is shared with its submission, as `recert check` does
    /// ([`load::load_shared`]): the text is read once and not copied.
    items: Vec<(Arc<Source>, Options<'static>, Submission)>,
}

fn fixture() -> Fixture {
    let packs = pack::compile(&pack::bundled_sources(), None)
        .unwrap_or_else(|e| exit(&format!("bundled packs: {e:?}")));
    let four = pack::compile(&four_families(), None)
        .unwrap_or_else(|e| exit(&format!("four families: {e:?}")));
    let rules: usize = four.packs().iter().map(|p| p.rules.len()).sum();
    let wanted: usize = FOUR_FAMILIES.iter().map(|(_, ids)| ids.len()).sum();
    if rules != wanted {
        exit(&format!(
            "four families: {rules} rules found, {wanted} named"
        ));
    }
    let items = corpus::corpus(SIZE, 2026)
        .into_iter()
        .map(|generated| {
            let source = Arc::new(Source::from_text(
                &generated.name,
                &generated.text,
                Format::Json,
            ));
            let options = Options {
                date: generated
                    .date
                    .parse()
                    .unwrap_or_else(|_| exit("a corpus date does not parse")),
                lang: Lang::En,
                plugins: None,
            };
            let loaded = load::load_shared(Arc::clone(&source))
                .unwrap_or_else(|e| exit(&format!("{}: {e:?}", generated.name)));
            (source, options, loaded)
        })
        .collect();
    Fixture { packs, four, items }
}

/// A source of `source`'s text, made as `recert check` makes one from the
/// text it read: the text copied into it and its SHA-256 computed (the
/// report's `file_sha256`). The jobs that start from the text start here.
fn from_text(source: &Source) -> Arc<Source> {
    Arc::new(Source::from_text(
        source.name.as_str(),
        source.text.as_str(),
        source.format,
    ))
}

/// The bundled packs of [`FOUR_FAMILIES`], each with only the rules named
/// there (params, standards and plugins kept), written as JSON, which a pack
/// file may be (YAML reads it).
fn four_families() -> Vec<PackSource> {
    pack::bundled_sources()
        .into_iter()
        .filter_map(|source| {
            let parsed =
                load::parse_document(&Source::from_text(&source.name, &source.text, Format::Yaml))
                    .unwrap_or_else(|e| exit(&format!("{}: {e:?}", source.name)));
            let id = parsed.get("id").and_then(serde_json::Value::as_str)?;
            let (_, keep) = FOUR_FAMILIES.iter().find(|(pack, _)| *pack == id)?;
            let mut parsed = parsed.clone();
            if let Some(serde_json::Value::Array(rules)) = parsed.get_mut("rules") {
                rules.retain(|rule| {
                    rule.get("id")
                        .and_then(serde_json::Value::as_str)
                        .is_some_and(|id| keep.contains(&id))
                });
            }
            Some(PackSource {
                text: parsed.to_string(),
                ..source
            })
        })
        .collect()
}

fn exit(message: &str) -> ! {
    eprintln!("corpus bench: {message}");
    std::process::exit(2)
}

/// A named job over the whole corpus.
type Job<'f> = (&'static str, Box<dyn Fn() + 'f>);

/// The jobs, each over the whole corpus.
fn jobs(fixture: &Fixture) -> Vec<Job<'_>> {
    let Fixture { packs, four, items } = fixture;
    vec![
        (
            "parse",
            Box::new(move || {
                for (source, _, _) in items {
                    let _ = black_box(serde_json::from_str::<serde_json::Value>(black_box(
                        &source.text,
                    )));
                }
            }),
        ),
        (
            "check",
            Box::new(move || {
                for (source, options, _) in items {
                    if let Ok(submission) = load::load_shared(from_text(black_box(source))) {
                        black_box(eval::evaluate(packs, &submission, options));
                    }
                }
            }),
        ),
        (
            "check_and_render",
            Box::new(move || {
                for (source, options, _) in items {
                    if let Ok(submission) = load::load_shared(from_text(black_box(source))) {
                        let report = eval::evaluate(packs, &submission, options);
                        black_box(report::json::render(&report));
                    }
                }
            }),
        ),
        (
            "check_four",
            Box::new(move || {
                for (source, options, _) in items {
                    if let Ok(submission) = load::load_shared(from_text(black_box(source))) {
                        black_box(eval::evaluate(four, &submission, options));
                    }
                }
            }),
        ),
        (
            "evaluate_four",
            Box::new(move || {
                for (_, options, loaded) in items {
                    black_box(eval::evaluate(four, black_box(loaded), options));
                }
            }),
        ),
        (
            "load_only",
            Box::new(move || {
                for (source, _, _) in items {
                    let _ = black_box(load::load_shared(from_text(black_box(source))));
                }
            }),
        ),
        (
            "evaluate_only",
            Box::new(move || {
                for (_, options, loaded) in items {
                    black_box(eval::evaluate(packs, black_box(loaded), options));
                }
            }),
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let fixture = fixture();
    let mut group = c.benchmark_group(format!("corpus of {SIZE}"));
    for (name, job) in jobs(&fixture) {
        group.bench_function(name, |b| b.iter(&job));
    }
    group.finish();
}

/// `RECERT_BENCH_REPORTS=1`: per submission, the SHA-256 of its JSON report
/// over every bundled pack and over the four families, to compare two
/// builds' output byte for byte (`diff` the two listings).
fn reports() {
    let fixture = fixture();
    for (source, options, _) in &fixture.items {
        let submission = load::load_shared(Arc::clone(source))
            .unwrap_or_else(|e| exit(&format!("{}: {e:?}", source.name)));
        let all = report::json::render(&eval::evaluate(&fixture.packs, &submission, options));
        let four = report::json::render(&eval::evaluate(&fixture.four, &submission, options));
        println!(
            "{} {} {}",
            source.name,
            recert_engine::sha256::sha256_hex(all.as_bytes()),
            recert_engine::sha256::sha256_hex(four.as_bytes())
        );
    }
}

/// The jobs in turn, round after round; per job the fastest and the median
/// round per submission, and the medians' ratios to `parse`.
fn interleaved(rounds: u32) {
    let fixture = fixture();
    // `RECERT_BENCH_JOBS=parse,load_only`: only those (for a profile of one).
    let only = std::env::var("RECERT_BENCH_JOBS").ok();
    let jobs: Vec<Job<'_>> = jobs(&fixture)
        .into_iter()
        .filter(|(name, _)| {
            only.as_deref()
                .is_none_or(|only| only.split(',').any(|n| n == *name))
        })
        .collect();
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); jobs.len()];
    for _ in 0..rounds {
        for ((_, job), times) in jobs.iter().zip(&mut times) {
            let start = std::time::Instant::now();
            job();
            times.push(start.elapsed().as_secs_f64() * 1e6 / SIZE as f64);
        }
    }
    let mut parse = f64::NAN;
    for ((name, _), times) in jobs.iter().zip(&mut times) {
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
        let min = times.first().copied().unwrap_or(f64::NAN);
        if *name == "parse" {
            parse = median;
        }
        println!(
            "{name:<17} min {min:8.2} µs  median {median:8.2} µs  × parse {:.2}",
            median / parse
        );
    }
}
