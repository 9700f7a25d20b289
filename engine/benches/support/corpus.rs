//! A varied corpus of generated submissions, for benchmarks: a third each
//! electrical-electronic, packaging and battery, ten components each, about
//! 3 kB of JSON, with shares, lab values, dates and markets drawn from a
//! seeded generator (the same seed gives the same corpus on any machine).
//!
//! Used by the `corpus` bench (the engine on the corpus, next to a plain
//! parse of the same text) and by the `batch_corpus` example, which writes
//! it as JSON Lines for timing the CLI (`scripts/bench-batch.sh`):
//! `cargo run --release -p recert-engine --example batch_corpus -- 2000 > corpus.jsonl`.

// Indexing is by `SplitMix::below(len)`, always in bounds.
#![allow(clippy::indexing_slicing)]

use serde_json::{Value, json};

/// One generated submission.
pub struct Generated {
    /// A name for it: `00042-packaging.json`.
    #[allow(dead_code)] // read by the bench, not by the example
    pub name: String,
    /// The submission as JSON text.
    pub text: String,
    /// The evaluation date to check it at (`YYYY-MM-DD`), varied so that
    /// rules in and out of force are both exercised.
    #[allow(dead_code)] // read by the bench; the CLI takes one `--at` per batch
    pub date: &'static str,
}

/// `count` submissions from `seed`.
#[allow(dead_code)] // used by the bench; the example streams
pub fn corpus(count: usize, seed: u64) -> Vec<Generated> {
    generated(count, seed).collect()
}

/// [`corpus`] one submission at a time, so that a million of them can be
/// written without holding them all.
pub fn generated(count: usize, seed: u64) -> impl Iterator<Item = Generated> {
    let mut rng = SplitMix(seed);
    (0..count).map(move |i| generate(i, &mut rng))
}

/// The evaluation dates drawn from: before and after the 2030, 2031 and 2036 thresholds.
const CATEGORIES: [&str; 3] = ["housing", "bottle", "pack"];
const DATES: [&str; 4] = ["2026-11-28", "2030-06-01", "2031-09-01", "2036-09-01"];
const MARKETS: [&[&str]; 4] = [&["EU"], &["CN"], &["EU", "CN"], &["EU", "US", "CN"]];

fn generate(index: usize, rng: &mut SplitMix) -> Generated {
    let sector = ["electrical-electronic", "packaging", "battery"][index % 3];
    let markets = MARKETS[rng.below(MARKETS.len())];
    let date = DATES[rng.below(DATES.len())];
    let components: Vec<Value> = (0..10).map(|c| component(sector, c, rng)).collect();
    let mut product = json!({
        "name": format!("generated {sector} product {index}"),
        "sector": sector,
        "category": CATEGORIES[index % 3],
        "markets": markets,
        "mass": format!("{:.1} kg", 1.0 + rng.unit() * 20.0),
    });
    if sector == "packaging" {
        product["food_contact"] = json!(rng.below(10) == 0);
    }
    let mut submission = json!({
        "schema": "recert.submission/v1",
        "id": format!("GEN-{index:06}"),
        "date": "2026-11-20",
        "applicant": {"name": "Generated Manufacturing Co.", "country": "CN"},
        "product": product,
        "components": components,
        "evidence": [{
            "id": "E1",
            "kind": "lab-report",
            "title": "Heavy metals by ICP-MS",
            "sha256": format!("{:064x}", u128::from(rng.next()) << 64 | u128::from(rng.next())),
        }],
    });
    if sector == "battery" {
        let category = ["ev", "industrial", "sli", "lmt", "portable"][rng.below(5)];
        submission["battery"] = json!({
            "category": category,
            "chemistry": if category == "sli" { "lead-acid" } else { "li-ion-nmc" },
            "capacity": format!("{} kWh", 1 + rng.below(90)),
            "recycled_content": {
                "cobalt": format!("{:.1} %", 5.0 + rng.unit() * 25.0),
                "lithium": format!("{:.1} %", 2.0 + rng.unit() * 13.0),
                "nickel": format!("{:.1} %", 2.0 + rng.unit() * 18.0),
                "lead": format!("{:.1} %", 70.0 + rng.unit() * 25.0),
            },
        });
    }
    Generated {
        name: format!("{index:05}-{sector}.json"),
        text: serde_json::to_string_pretty(&submission).unwrap_or_default(),
        date,
    }
}

fn component(sector: &str, index: usize, rng: &mut SplitMix) -> Value {
    let class = match sector {
        "packaging" => ["plastic", "plastic", "plastic", "paper", "aluminium"][rng.below(5)],
        "battery" => ["other", "plastic", "aluminium", "steel", "copper"][rng.below(5)],
        _ => [
            "plastic",
            "plastic",
            "steel",
            "copper",
            "aluminium",
            "glass",
        ][rng.below(6)],
    };
    let mut material = json!({"class": class});
    if class == "plastic" {
        material["polymer"] = json!(["PET", "PE-HD", "PP", "ABS", "PC/ABS"][rng.below(5)]);
    }
    let mass = if rng.below(2) == 0 {
        format!("{:.0} g", 5.0 + rng.unit() * 900.0)
    } else {
        format!("{:.2} kg", 0.01 + rng.unit() * 3.0)
    };
    // Packaging's four heavy metals share a limit of 100 mg/kg in sum.
    let scale = if sector == "packaging" { 0.2 } else { 1.0 };
    let mut substances = json!({
        "lead": lab(rng, 200.0 * scale, 1_500.0, "mg/kg"),
        "cadmium": lab(rng, 20.0 * scale, 150.0, "mg/kg"),
        "mercury": lab(rng, 2.0 * scale, 1_200.0, "mg/kg"),
        "chromium_vi": lab(rng, 30.0 * scale, 1_500.0, "mg/kg"),
    });
    if sector == "electrical-electronic" {
        for name in ["pbb", "pbde", "dehp", "bbp", "dbp", "dibp"] {
            substances[name] = json!(lab(rng, 300.0, 1_500.0, "mg/kg"));
        }
    }
    if sector == "packaging" {
        substances["pfas_individual_max"] = json!(lab(rng, 20.0, 40.0, "ppb"));
        substances["pfas_sum"] = json!(lab(rng, 200.0, 400.0, "ppb"));
        substances["total_fluorine"] = json!(lab(rng, 40.0, 80.0, "mg/kg"));
    }
    let mut component = json!({
        "id": format!("C{:02}", index + 1),
        "name": format!("part {}", index + 1),
        "material": material,
        "mass": mass,
        "substances": substances,
    });
    if rng.below(2) == 0 {
        let valid_until = if rng.below(10) == 0 {
            "2026-06-30"
        } else {
            "2036-12-31"
        };
        component["recycled"] = json!({
            "post_consumer": format!("{:.0} %", 2.0 + rng.unit() * 58.0),
            "source": "packaging",
            "technology": "mechanical",
            "certificate": {
                "scheme": "GRS",
                "number": format!("GRS-{}", rng.below(100_000)),
                "valid_until": valid_until,
            },
        });
    }
    component
}

/// A lab result with its unit: usually up to `typical`, one time in 300
/// `outlier` (over most limits), so that some submissions fail.
fn lab(rng: &mut SplitMix, typical: f64, outlier: f64, unit: &str) -> String {
    let value = if rng.below(300) == 0 {
        outlier
    } else {
        rng.unit() * typical
    };
    format!("{value:.2} {unit}")
}

/// Sebastiano Vigna's SplitMix64: small, seeded, the same on every machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}
