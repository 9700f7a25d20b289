//! Writes N varied submissions as JSON Lines to stdout, for
//! `scripts/bench-batch.sh`: the corpus the `corpus` bench times (a third
//! each electrical-electronic, packaging and battery, ten components, varied
//! shares, lab values with units, markets and dates;
//! `benches/support/corpus.rs`). The same seed gives the same lines.
//!
//! ```sh
//! cargo run --release -p recert-engine --example batch_corpus -- 20000 > corpus.jsonl
//! recert check corpus.jsonl --format json --at 2031-09-01 > reports.jsonl
//! ```
//!
//! Arguments: how many submissions (default 1000) and the seed (default 2026).

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // Generated one at a time: a million submissions are 3 GB of text.
    for generated in corpus::generated(count, seed) {
        // One line each: the pretty-printed text, compacted.
        let line = serde_json::from_str::<serde_json::Value>(&generated.text)
            .map(|v| v.to_string())
            .unwrap_or_default();
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
    let _ = out.flush();
}
