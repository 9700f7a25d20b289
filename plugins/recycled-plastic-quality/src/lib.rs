//! `recycled-plastic-quality`: recert's bundled recycled-plastic plugin.
//!
//! For every plastic component that claims recycled content (a `recycled`
//! block whose shares are not both zero), it checks that the claim is well
//! formed, that it is backed, and that the recyclate declares the properties
//! its standard asks. Rules (each cites its clause and the STANDARDS.md rows):
//!
//! | rule | checks | source |
//! | --- | --- | --- |
//! | `rpq-claim-definitions` | post- + pre-consumer ≤ 100 %; rework, regrind or scrap reclaimed in the same process is not pre-consumer (nor post-consumer) material | ISO 14021 §7.8.1.1; Q14, Q16 |
//! | `rpq-claim-chain-of-custody` | a chain-of-custody certificate of a known scheme valid on the evaluation date, or supplier lots with evidence | EN 15343 §1, ISO 22095 §3.3; Q9, Q15, Q16 |
//! | `rpq-scheme-minimum` | the minimum recycled content of the claim's scheme: GRS ≥ 20 %, RCS ≥ 5 % (pack params) | GRS 4.0, RCS; Q17, Q18 |
//! | `rpq-recyclate-properties` | melt flow rate, density, ash, moisture/volatiles (intrinsic viscosity instead of melt flow rate for PET) declared, and within the limits the certification body sets (pack params, no defaults) | GB/T 40006.1 §4–§7, GB/T 40006.9; EN 15344, EN 15348; GB/T 40006.x §5; Q1, Q2, Q5, Q6, Q10, Q11, Q12 |
//! | `rpq-recyclate-limits-unset` | which of those limits the certification body has not set (information) | Q6, Q11 |
//!
//! See the modules for scope, data and outcome decisions.

pub mod claim;
pub mod properties;

#[cfg(test)]
mod test_support;

use recert_plugin_sdk::view::{Component, MaterialClass, Recycled};
use recert_plugin_sdk::{Finding, Plugin, PluginInfo, Request, RequestView, RuleInfo};

/// The plugin's id.
pub const ID: &str = "recycled-plastic-quality";

/// The plugin.
pub struct RecycledPlasticQuality;

impl Plugin for RecycledPlasticQuality {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            ID,
            env!("CARGO_PKG_VERSION"),
            "Recycled-plastic claims (ISO 14021, chain of custody) and recyclate property declarations (GB/T 40006, EN 15344/15345/15348)",
        )
        // Q14 (ISO 14021 definitions, TEXT-S; clause number MEM), Q16 (UL 2809 mass-ratio claim).
        .rule(RuleInfo::new(
            "rpq-claim-definitions",
            "Recycled-content claim consistent with the ISO 14021 definitions",
            "再生料含量声明符合 ISO 14021 定义",
            claim::ISO_14021,
            "§7.8.1.1 pre-consumer and post-consumer material; rework, regrind and scrap reclaimed within the same process excluded (Q14, Q16)",
        ))
        // Q9 (EN 15343 traceability), Q15 (ISO 22095 models), Q16 (UL 2809).
        .rule(RuleInfo::new(
            "rpq-claim-chain-of-custody",
            "Recycled-content claim backed by a valid chain-of-custody certificate or by lots with evidence",
            "再生料含量声明有有效的产销监管链证书或批次证据支持",
            claim::CHAIN_OF_CUSTODY_STANDARD,
            "EN 15343 §1 traceability and conformity assessment; ISO 22095 §3.3 chain-of-custody models (Q9, Q15, Q16)",
        ))
        // Q17 (GRS ≥ 20 %), Q18 (RCS ≥ 5 %); both TEXT-S, open item 15.
        .rule(RuleInfo::new(
            "rpq-scheme-minimum",
            "Minimum recycled content of the claim's certification scheme (GRS, RCS)",
            "认证方案要求的最低再生料含量（GRS、RCS）",
            claim::SCHEME_STANDARD,
            "GRS 4.0: at least 20 % recycled content (Q17); RCS: at least 5 % recycled material (Q18)",
        ))
        // Q1, Q2, Q5 (GB/T 40006), Q10, Q11, Q12 (EN 15344 family).
        .rule(RuleInfo::new(
            "rpq-recyclate-properties",
            "Recyclate properties declared for its polymer, within the limits the certification body sets",
            "再生塑料按其树脂种类申报性能，并符合认证机构设定的限值",
            properties::STANDARD,
            "GB/T 40006.1-2021 §4-§7, GB/T 40006.9-2021 §1 (intrinsic viscosity, PET); EN 15344 §1-2 (EN ISO 1133, EN 12099); limits of GB/T 40006.x §5 and EN 15344 Tables 1/2 set by the certification body (Q1, Q2, Q5, Q6, Q10, Q11, Q12)",
        ))
        // Q6, Q11: the limits were not retrieved; the certification body sets them.
        .rule(RuleInfo::new(
            "rpq-recyclate-limits-unset",
            "Recyclate limits the certification body has not set (information)",
            "认证机构未设定的再生塑料性能限值（参考）",
            properties::STANDARD,
            "GB/T 40006.x §5 tables, EN 15344 Tables 1/2: limit values not retrieved (Q6, Q11)",
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
            "rpq-claim-definitions" => claim::evaluate_definitions(req),
            "rpq-claim-chain-of-custody" => claim::evaluate_chain_of_custody(req),
            "rpq-scheme-minimum" => claim::evaluate_scheme_minimum(req),
            "rpq-recyclate-properties" => properties::evaluate_properties(req),
            "rpq-recyclate-limits-unset" => properties::evaluate_limits_unset(req),
            other => Err(format!("{ID} does not implement rule `{other}`")),
        }
    }
}

recert_plugin_sdk::export!(RecycledPlasticQuality);

/// Whether `c` is a plastic component that claims recycled content: it has
/// a `recycled` block and its shares are not both zero (a block without any
/// share counts: the claim rule reports it as incomplete).
pub fn claims_recycled_plastic(c: &Component) -> bool {
    c.material.class == MaterialClass::Plastic
        && c.recycled
            .as_ref()
            .is_some_and(|r| r.total().is_none_or(|t| t > 0.0))
}

/// The plastic components that claim recycled content, with their indexes.
pub(crate) fn claiming<'a>(
    req: &'a RequestView<'a>,
) -> impl Iterator<Item = (usize, &'a Component<'a>, &'a Recycled<'a>)> {
    req.submission
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| claims_recycled_plastic(c))
        .filter_map(|(i, c)| c.recycled.as_ref().map(|r| (i, c, r)))
}

/// The `not-applicable` finding when no component claims recycled plastic.
pub(crate) fn no_claim(req: &RequestView<'_>) -> Finding {
    req.not_applicable("/components")
        .message(
            "No plastic component claims recycled content.",
            "没有塑料部件声明再生料含量。",
        )
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
        let info = RecycledPlasticQuality::describe();
        assert_eq!(info.id, ID);
        assert_eq!(info.rules.len(), 5);
        for r in &info.rules {
            let f = run(&r.id, abs_housing(), json!({}), "2026-11-20", Lang::En);
            assert!(!f.is_empty(), "{}", r.id);
            assert!(!r.title_zh.is_empty());
            // Every clause names its STANDARDS.md rows, e.g. "(Q14, Q16)".
            assert!(r.reference.clause.contains("(Q"), "{}", r.reference.clause);
        }
    }

    #[test]
    fn undeclared_rule_is_refused() {
        let e = run_err("rpq-other", abs_housing(), json!({}), "2026-11-20");
        assert!(e.contains("rpq-other"), "{e}");
    }

    #[test]
    fn a_product_without_recycled_plastic_is_not_applicable() {
        let sub = without(abs_housing(), "/components/0/recycled");
        for r in RecycledPlasticQuality::describe().rules {
            let f = run(&r.id, sub.clone(), json!({}), "2026-11-20", Lang::En);
            assert_eq!(f.len(), 1, "{}", r.id);
            assert_eq!(f[0].outcome, recert_plugin_sdk::Outcome::NotApplicable);
        }
        // Zero shares are no claim.
        let zero = with(
            abs_housing(),
            "/components/0/recycled",
            json!({"post_consumer": 0.0, "pre_consumer": 0.0}),
        );
        let f = run(
            "rpq-claim-definitions",
            zero,
            json!({}),
            "2026-11-20",
            Lang::En,
        );
        assert_eq!(f[0].outcome, recert_plugin_sdk::Outcome::NotApplicable);
    }
}
