//! Writes N varied submissions as JSON Lines to stdout, for
//! `scripts/bench-batch.sh`: a third each electrical-electronic, packaging
//! and battery, 10 components each, with dates, masses, recycled shares and
//! substance results varied (some fail, some are incomplete), from the
//! examples `eee-10-components.json`, `packaging-pet-bottle-pass.yaml` and
//! `battery-ev-pass.yaml`.
//!
//! ```sh
//! cargo run -p recert-engine --example batch_corpus -- 20000 > corpus.jsonl
//! ```

// `value["key"] = ...` on a JSON object inserts; the templates are objects.
#![allow(clippy::indexing_slicing)]

use std::io::Write;
use std::path::Path;

use recert_engine::load::{self, Source};
use serde_json::{Value, json};

/// A small deterministic generator (xorshift64*), so that every run of
/// the benchmark checks the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `[low, high)`.
    fn between(&mut self, low: f64, high: f64) -> f64 {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        low + unit * (high - low)
    }
}

fn template(name: &str) -> Result<Value, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    let source = Source::read(&path).map_err(|d| format!("{name}: {d:?}"))?;
    let submission = load::load_submission(&source).map_err(|d| format!("{name}: {d:?}"))?;
    Ok(submission.normalized)
}

/// `number` × `factor`, rounded to 4 significant-ish decimals.
fn scaled(value: &Value, factor: f64) -> Value {
    match value.as_f64() {
        Some(n) => json!(((n * factor) * 10_000.0).round() / 10_000.0),
        None => value.clone(),
    }
}

fn vary(template: &Value, i: usize, rng: &mut Rng) -> Value {
    let mut s = template.clone();
    s["id"] = json!(format!("SUB-BENCH-{i:07}"));
    let year = 2024 + rng.next() % 8;
    let month = 1 + rng.next() % 12;
    let day = 1 + rng.next() % 28;
    s["date"] = json!(format!("{year}-{month:02}-{day:02}"));
    let base = s["components"].as_array().cloned().unwrap_or_default();
    if base.is_empty() {
        return s;
    }
    let components: Vec<Value> = base
        .iter()
        .cycle()
        .take(10)
        .enumerate()
        .map(|(k, c)| {
            let mut c = c.clone();
            c["id"] = json!(format!("C{:02}", k + 1));
            if let Some(mass) = c.get("mass") {
                c["mass"] = scaled(mass, rng.between(0.5, 1.5));
            }
            if let Some(Value::Object(recycled)) = c.get_mut("recycled") {
                // Together at most 90 %, each at least 2 % (not a fraction).
                for (share, high) in [("post_consumer", 60.0), ("pre_consumer", 30.0)] {
                    if recycled.contains_key(share) {
                        let value = (rng.between(2.0, high) * 10.0).round() / 10.0;
                        recycled.insert(share.to_owned(), json!(value));
                    }
                }
            }
            if let Some(Value::Object(substances)) = c.get_mut("substances") {
                // Now and then a result well above what the example says.
                let factor = if rng.next().is_multiple_of(10) {
                    40.0
                } else {
                    1.0
                };
                for value in substances.values_mut() {
                    *value = scaled(value, factor * rng.between(0.2, 2.0));
                }
                // Now and then a result missing: incomplete.
                if rng.next().is_multiple_of(25) {
                    let first = substances.keys().next().cloned();
                    if let Some(first) = first {
                        substances.remove(&first);
                    }
                }
            }
            c
        })
        .collect();
    s["components"] = Value::Array(components);
    s
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let templates = match [
        "eee-10-components.json",
        "packaging-pet-bottle-pass.yaml",
        "battery-ev-pass.yaml",
    ]
    .map(template)
    .into_iter()
    .collect::<Result<Vec<_>, _>>()
    {
        Ok(templates) => templates,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(2);
        }
    };
    let mut rng = Rng(seed.max(1));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (i, template) in templates.iter().cycle().take(n).enumerate() {
        let submission = vary(template, i, &mut rng);
        if writeln!(out, "{submission}").is_err() {
            return;
        }
    }
    let _ = out.flush();
}
