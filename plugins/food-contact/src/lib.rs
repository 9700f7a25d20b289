//! `food-contact`: recert's bundled plugin for recycled plastic in contact
//! with food.
//!
//! Rules (each cites its clause and the STANDARDS.md rows in `describe`):
//!
//! | rule | checks | source |
//! | --- | --- | --- |
//! | `fcm-eu-authorised-process` | recycled plastic from a process authorised under 2022/1616 (suitable technology: post-consumer mechanical PET, closed and controlled loop; any other: novel technology), from 10 Jul 2023 | Reg. (EU) 2022/1616 Art. 1, Annex I, Chapter IV; F1, F2, F4, F5, F7-F10 |
//! | `fcm-eu-chemical-recycling` | chemical recycling back to monomers is outside 2022/1616, under Reg. 10/2011 (information) | F3, F6 |
//! | `fcm-eu-functional-barrier` | a recycled layer behind a functional barrier needs its own evidence (warning) | F5, F11, F12 |
//! | `fcm-us-fda-nol` | an FDA No Objection Letter for the process; its maximum share and Conditions of Use, when declared | FDA guidance (2021); U1-U5 |
//! | `fcm-cn-recycled-plastic` | no rule authorises recycled plastic for food contact in China | C1-C6 |
//! | `fcm-cn-action-plan` | the Action Plan promotes recycled content only in non-food-contact packaging (information) | C7 |
//!
//! Every rule applies to products with `product.food_contact: true` placed
//! on its market; see [`scope`] for the components and [`eu`], [`us`],
//! [`cn`] for the decisions. Markets without a rule are left to the pack's
//! `applies_to`, so the report lists them as not covered.

pub mod cn;
pub mod eu;
pub mod scope;
pub mod us;

#[cfg(test)]
mod test_support;

use recert_plugin_sdk::{Finding, Plugin, PluginInfo, Request, RequestView, RuleInfo};

/// The plugin's id.
pub const ID: &str = "food-contact";

/// The plugin.
pub struct FoodContact;

impl Plugin for FoodContact {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            ID,
            env!("CARGO_PKG_VERSION"),
            "Recycled plastic in food contact: EU Reg. (EU) 2022/1616, US FDA No Objection Letters, China",
        )
        .rule(RuleInfo::new(
            "fcm-eu-authorised-process",
            "Recycled plastic in food contact from an authorised process (EU)",
            "食品接触材料中的再生塑料须来自授权工艺（欧盟）",
            eu::REGULATION,
            "Art. 1, Annex I (suitable technologies), Chapter IV (novel technologies); authorised processes only from 10 Jul 2023 (F1, F2, F4, F5, F7, F8, F9, F10)",
        ))
        .rule(RuleInfo::new(
            "fcm-eu-chemical-recycling",
            "Chemically recycled plastic: outside Reg. (EU) 2022/1616 (information)",
            "化学回收塑料：不属于 (EU) 2022/1616 范围（参考）",
            "Commission Regulation (EU) 2022/1616; Regulation (EU) No 10/2011",
            "Scope: complete chemical recycling back to monomers is governed by Reg. 10/2011 (F3, F6)",
        ))
        .rule(RuleInfo::new(
            "fcm-eu-functional-barrier",
            "Recycled layer behind a functional barrier needs its own evidence",
            "功能阻隔层后的再生塑料层须有单独证明",
            "Commission Regulation (EU) 2022/1616; Regulation (EU) No 10/2011",
            "Chapter IV (functional-barrier use is a novel technology); functional barrier: non-CMR, migration ≤ 0.01 mg/kg (F5, F11; F11 article numbers and F12 unconfirmed)",
        ))
        .rule(RuleInfo::new(
            "fcm-us-fda-nol",
            "Recycled plastic in food contact covered by an FDA No Objection Letter (US)",
            "食品接触材料中的再生塑料须有 FDA 无异议函（美国）",
            us::GUIDANCE,
            "No Objection Letters: Conditions of Use (A-H) and maximum recycled share (U1, U2, U3, U5; U4 unconfirmed, not used)",
        ))
        .rule(RuleInfo::new(
            "fcm-cn-recycled-plastic",
            "No recycled plastic in food contact (China)",
            "食品接触材料不得使用再生塑料（中国）",
            cn::STATUS,
            "Status: no rule authorises recycled plastic for food contact (C1; C2-C6: GB 4806.1-2016, GB 4806.7-2023, recycled-plastic clause unconfirmed)",
        ))
        .rule(RuleInfo::new(
            "fcm-cn-action-plan",
            "Recycled content promoted in non-food-contact packaging only (China, information)",
            "再生料仅在非食品接触包装中推广（中国，参考）",
            cn::ACTION_PLAN,
            "Packaging: recycled content in non-food-contact packaging (C7)",
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
            "fcm-eu-authorised-process" => eu::authorised_process(req),
            "fcm-eu-chemical-recycling" => eu::chemical_recycling(req),
            "fcm-eu-functional-barrier" => eu::functional_barrier(req),
            "fcm-us-fda-nol" => us::evaluate(req),
            "fcm-cn-recycled-plastic" => cn::recycled_plastic(req),
            "fcm-cn-action-plan" => cn::action_plan(req),
            other => Err(format!("food-contact does not implement rule `{other}`")),
        }
    }
}

recert_plugin_sdk::export!(FoodContact);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use recert_plugin_sdk::Lang;
    use serde_json::json;

    #[test]
    fn describes_every_rule_it_evaluates_with_clause_and_rows() {
        let info = FoodContact::describe();
        assert_eq!((info.id.as_str(), info.version.as_str()), (ID, "1.0.0"));
        assert_eq!(info.rules.len(), 6);
        for r in &info.rules {
            let f = run(&r.id, rpet_bottle(), json!({}), "2026-01-01", Lang::En);
            assert!(!f.is_empty(), "{}", r.id);
            assert!(!r.reference.standard.is_empty() && !r.title_zh.is_empty());
            // The clause names the STANDARDS rows it rests on.
            let clause = &r.reference.clause;
            assert!(
                ["(F", "(U", "(C"].iter().any(|p| clause.contains(p)),
                "{}: {clause}",
                r.id
            );
        }
    }

    #[test]
    fn undeclared_rule_is_refused() {
        let e = run_err("fcm-jp-recycled", rpet_bottle(), json!({}), "2026-01-01");
        assert!(e.contains("fcm-jp-recycled"), "{e}");
    }
}
