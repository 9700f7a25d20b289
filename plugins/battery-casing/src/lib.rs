//! `battery-casing`: recert's bundled battery plugin.
//!
//! Rules (each cites its clause and the STANDARDS.md row):
//!
//! | rule | checks | source |
//! | --- | --- | --- |
//! | `eu-batt-rc-cobalt` | recycled cobalt ≥ 16 % (2031), 26 % (2036) | Reg. (EU) 2023/1542 Art. 8(2)(a), 8(3); B3, B4 |
//! | `eu-batt-rc-lead` | recycled lead ≥ 85 % (2031, 2036) | Art. 8(2)(b), 8(3); B3, B4 |
//! | `eu-batt-rc-lithium` | recycled lithium ≥ 6 % (2031), 12 % (2036) | Art. 8(2)(c), 8(3); B3, B4 |
//! | `eu-batt-rc-nickel` | recycled nickel ≥ 6 % (2031), 15 % (2036) | Art. 8(2)(d), 8(3); B3, B4 |
//! | `eu-batt-rc-lmt` | LMT batteries against the 2036 minimums (scope unconfirmed; warning only) | Art. 8(3); B4 |
//! | `eu-batt-casing-flammability` | plastic casing parts rated at least the scheme's class (default V-1, UL 2580), at a rating thickness no greater than the part's wall | UL 94 §8/§9; K1–K6, K15 |
//! | `cn-lead-acid-recycled-lead` | recycled lead share of lead-acid batteries (information) | 发改环资〔2025〕1681号; A7, K18 |
//!
//! See the modules for scope, data and outcome decisions.

pub mod casing;
pub mod chemistry;
pub mod lead_acid;
pub mod metal;
pub mod recycled_content;

#[cfg(test)]
mod test_support;

use recert_plugin_sdk::{Finding, Plugin, PluginInfo, Request, RequestView, RuleInfo};

use metal::Metal;
use recycled_content::REGULATION;

/// The plugin's id.
pub const ID: &str = "battery-casing";

/// The plugin.
pub struct BatteryCasing;

/// Standard cited by the casing rule.
const FLAMMABILITY_STANDARD: &str = "UL 94 (≡ IEC 60695-11-10, GB/T 2408)";

impl Plugin for BatteryCasing {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            ID,
            env!("CARGO_PKG_VERSION"),
            "EU battery recycled content (Reg. (EU) 2023/1542 Art. 8), casing flammability, recycled lead in lead-acid batteries",
        )
        // Art. 8(2)(a)-(d) and 8(3); STANDARDS B3, B4.
        .rule(RuleInfo::new(
            "eu-batt-rc-cobalt",
            "Minimum recycled cobalt",
            "回收钴最低含量",
            REGULATION,
            "Art. 8(2)(a), 8(3) (B3, B4)",
        ))
        .rule(RuleInfo::new(
            "eu-batt-rc-lead",
            "Minimum recycled lead",
            "回收铅最低含量",
            REGULATION,
            "Art. 8(2)(b), 8(3) (B3, B4)",
        ))
        .rule(RuleInfo::new(
            "eu-batt-rc-lithium",
            "Minimum recycled lithium",
            "回收锂最低含量",
            REGULATION,
            "Art. 8(2)(c), 8(3) (B3, B4)",
        ))
        .rule(RuleInfo::new(
            "eu-batt-rc-nickel",
            "Minimum recycled nickel",
            "回收镍最低含量",
            REGULATION,
            "Art. 8(2)(d), 8(3) (B3, B4)",
        ))
        // B4: LMT inclusion in Art. 8(3) is unconfirmed (STANDARDS open item 1).
        .rule(RuleInfo::new(
            "eu-batt-rc-lmt",
            "LMT batteries against the 2036 minimum recycled content (scope unconfirmed)",
            "LMT 电池对照 2036 年回收含量最低要求（适用范围未确认）",
            REGULATION,
            "Art. 8(3) (B4; LMT scope unconfirmed)",
        ))
        // K1-K6 (class order), K15 (UL 2580: V-1 for polymeric enclosures).
        .rule(RuleInfo::new(
            "eu-batt-casing-flammability",
            "Flammability class of plastic battery casing parts",
            "电池塑料外壳部件阻燃等级",
            FLAMMABILITY_STANDARD,
            "UL 94 §8 (V-0, V-1, V-2), §9 (5VB, 5VA); class required by the certification scheme (K1-K6, K15)",
        ))
        // A7, K18: "high proportion" of recycled lead, no percentage.
        .rule(RuleInfo::new(
            "cn-lead-acid-recycled-lead",
            "Recycled lead in lead-acid batteries (information)",
            "铅酸蓄电池再生铅比例（参考）",
            lead_acid::ACTION_PLAN,
            "Batteries: high proportion of recycled lead in positive and negative plates (A7, K18)",
        ))
    }

    fn evaluate(req: &Request) -> Result<Vec<Finding>, String> {
        Self::evaluate_view(&req.view()?)
    }

    // The rules read the borrowed view of the submission: reading it is
    // most of a call (see engine/benches/plugin.rs).
    const READS_VIEW: bool = true;

    fn evaluate_view(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
        match req.rule.as_str() {
            "eu-batt-rc-cobalt" => recycled_content::evaluate_metal(req, Metal::Cobalt),
            "eu-batt-rc-lead" => recycled_content::evaluate_metal(req, Metal::Lead),
            "eu-batt-rc-lithium" => recycled_content::evaluate_metal(req, Metal::Lithium),
            "eu-batt-rc-nickel" => recycled_content::evaluate_metal(req, Metal::Nickel),
            "eu-batt-rc-lmt" => recycled_content::evaluate_lmt(req),
            "eu-batt-casing-flammability" => casing::evaluate(req),
            "cn-lead-acid-recycled-lead" => lead_acid::evaluate(req),
            other => Err(format!("battery-casing does not implement rule `{other}`")),
        }
    }
}

recert_plugin_sdk::export!(BatteryCasing);

/// The `not-applicable` finding, about the whole submission, for a product
/// that is not a battery.
pub(crate) fn not_a_battery(req: &RequestView<'_>) -> Finding {
    req.not_applicable("")
        .message("The product is not a battery.", "产品不是电池。")
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use recert_plugin_sdk::Lang;
    use serde_json::json;

    #[test]
    fn describes_every_rule_it_evaluates() {
        let info = BatteryCasing::describe();
        assert_eq!(
            (info.id.as_str(), info.version.as_str()),
            ("battery-casing", "1.1.0")
        );
        assert_eq!(info.rules.len(), 7);
        for r in &info.rules {
            // Every declared rule is dispatched (an unknown one would be Err).
            let f = run(
                &r.id,
                ev_nmc(18.0, 7.0, 7.0),
                json!({}),
                "2032-01-01",
                Lang::En,
            );
            assert!(!f.is_empty(), "{}", r.id);
            assert!(!r.reference.clause.is_empty() && !r.title_zh.is_empty());
        }
    }

    #[test]
    fn undeclared_rule_is_refused() {
        let e = run_err(
            "eu-batt-rc-copper",
            ev_nmc(18.0, 7.0, 7.0),
            json!({}),
            "2032-01-01",
        );
        assert!(e.contains("eu-batt-rc-copper"), "{e}");
    }
}
