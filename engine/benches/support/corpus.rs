//! A varied corpus of generated submissions, for benchmarks: a third each
//! electrical-electronic, packaging and battery, ten components each, about
//! 3 kB of JSON, with shares, lab values, dates and markets drawn from a
//! seeded generator (the same seed gives the same corpus on any machine).
//!
//! Used by the `corpus` bench (the engine on the corpus, next to a plain
//! parse of the same text) and by the `generate-corpus` example, which
//! writes it to files for timing the CLI:
//! `cargo run --release -p recert-engine --example generate-corpus -- 2000 corpus/`.

// Indexing is by `SplitMix::below(len)`, always in bounds.
#![allow(clippy::indexing_slicing)]

use serde_json::{Value, json};

/// One generated submission.
pub struct Generated {
    /// A file name for it: `00042-packaging.json`.
    pub name: String,
    /// The submission as JSON text.
    pub text: String,
    /// The evaluation date to check it at (`YYYY-MM-DD`), varied so that
    /// rules in and out of force are both exercised.
    #[allow(dead_code)] // read by the bench, not by the example
    pub date: &'static str,
}

/// `count` submissions from `seed`.
pub fn corpus(count: usize, seed: u64) -> Vec<Generated> {
    let mut rng = SplitMix(seed);
    (0..count).map(|i| generate(i, &mut rng)).collect()
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
        product["food_contact"] = json!(rng.below(4) == 0);
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
                "cobalt": format!("{:.1} %", rng.unit() * 30.0),
                "lithium": format!("{:.1} %", rng.unit() * 15.0),
                "nickel": format!("{:.1} %", rng.unit() * 20.0),
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
    let mut substances = json!({
        "lead": format!("{:.1} mg/kg", rng.unit() * 1_200.0),
        "cadmium": format!("{:.2} mg/kg", rng.unit() * 110.0),
        "mercury": format!("{:.2} mg/kg", rng.unit() * 5.0),
        "chromium_vi": format!("{:.2} mg/kg", rng.unit() * 50.0),
    });
    if sector == "electrical-electronic" {
        for name in ["pbb", "pbde", "dehp", "bbp", "dbp", "dibp"] {
            substances[name] = json!(format!("{:.1} mg/kg", rng.unit() * 1_100.0));
        }
    }
    if sector == "packaging" {
        substances["pfas_individual_max"] = json!(format!("{:.1} ppb", rng.unit() * 30.0));
        substances["pfas_sum"] = json!(format!("{:.0} ppb", rng.unit() * 300.0));
        substances["total_fluorine"] = json!(format!("{:.0} mg/kg", rng.unit() * 60.0));
    }
    let mut component = json!({
        "id": format!("C{:02}", index + 1),
        "name": format!("part {}", index + 1),
        "material": material,
        "mass": mass,
        "substances": substances,
    });
    if rng.below(2) == 0 {
        let valid_until = ["2026-06-30", "2031-12-31"][rng.below(2)];
        component["recycled"] = json!({
            "post_consumer": format!("{:.0} %", rng.unit() * 60.0),
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
