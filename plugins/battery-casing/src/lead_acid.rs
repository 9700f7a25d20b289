//! `cn-lead-acid-recycled-lead`: the recycled lead share of a lead-acid
//! battery, reported against China's Action Plan for Promoting the
//! Application of Recycled Materials (发改环资〔2025〕1681号), which asks
//! lead-acid battery makers to use a "high proportion" of recycled lead in the
//! positive and negative plates (STANDARDS A7, K18).
//!
//! The plan sets no percentage, so nothing here can fail a product: the pack
//! gives the rule severity `info`; the finding is `pass` when a share is
//! declared (with the share as `actual`) and `fail` when none is, and never
//! `error`. The EU's 85 % (Art. 8, B3/B4/K18) is checked by `eu-batt-rc-lead`.

use recert_plugin_sdk::{Finding, RequestView, fmt_quantity, pointer::pointer};

/// The Action Plan, as cited in findings.
pub const ACTION_PLAN: &str = "《再生材料应用推广行动方案》（发改环资〔2025〕1681号）";

/// What the plan asks for, as `expected` (en, zh).
const EXPECTED: (&str, &str) = ("a high proportion (no % set)", "高比例（未规定百分比）");

/// Evaluates the rule.
pub fn evaluate(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    let battery = req.submission.battery.as_ref();
    let chemistry = battery.and_then(|b| b.chemistry.as_deref());
    let is_lead_acid = chemistry.is_some_and(|c| c.trim().eq_ignore_ascii_case("lead-acid"));
    let Some(battery) = battery.filter(|_| is_lead_acid) else {
        return Ok(vec![
            req.not_applicable("/battery/chemistry")
                .message("Not a lead-acid battery.", "不是铅酸蓄电池。")
                .build(),
        ]);
    };
    let path = pointer(&["battery", "recycled_content", "lead"]);
    let share = battery.recycled_content.as_ref().and_then(|rc| rc.lead);
    let finding = match share {
        Some(v) => {
            let have = fmt_quantity(v, "%");
            req.pass(path).actual(v).message(
                format!("Recycled lead is {have} of the lead in the battery. The Action Plan asks lead-acid battery makers for a high proportion of recycled lead in the plates and sets no percentage; reported for information."),
                format!("再生铅占电池中铅的 {have}。《再生材料应用推广行动方案》要求铅酸蓄电池企业在正负极板中使用高比例再生铅，未规定具体比例；仅供参考。"),
            )
        }
        None => req.fail(path).message(
            "No recycled lead share is declared (battery.recycled_content.lead); the Action Plan asks lead-acid battery makers for a high proportion of recycled lead.",
            "未申报再生铅比例（battery.recycled_content.lead）；《再生材料应用推广行动方案》要求铅酸蓄电池企业使用高比例再生铅。",
        ),
    };
    let expected = req.lang.pick(EXPECTED.0, EXPECTED.1);
    Ok(vec![finding.expected(expected).build()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use recert_plugin_sdk::{Lang, Outcome};
    use serde_json::json;

    const RULE: &str = "cn-lead-acid-recycled-lead";

    #[test]
    fn reports_the_share_for_information() {
        let f = run(RULE, lead_acid_sli(88.0), json!({}), "2026-01-01", Lang::En);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].outcome, f[0].actual.clone()),
            (Outcome::Pass, Some(json!(88.0)))
        );
        assert_eq!(f[0].expected.as_deref(), Some(EXPECTED.0));
        assert!(f[0].message.contains("88 %"));
        // Even a low share is only information: the plan sets no number.
        let f = run(RULE, lead_acid_sli(10.0), json!({}), "2026-01-01", Lang::En);
        assert_eq!(f[0].outcome, Outcome::Pass);
    }

    #[test]
    fn no_share_is_reported_never_an_error() {
        let s = without(lead_acid_sli(88.0), "/battery/recycled_content/lead");
        let f = run(RULE, s, json!({}), "2026-01-01", Lang::Zh);
        assert_eq!(f[0].outcome, Outcome::Fail);
        assert!(f[0].message.contains("未申报再生铅比例"));
        assert_eq!(f[0].expected.as_deref(), Some("高比例（未规定百分比）"));
    }

    #[test]
    fn other_chemistries_are_not_applicable() {
        let f = run(
            RULE,
            ev_nmc(1.0, 1.0, 1.0),
            json!({}),
            "2026-01-01",
            Lang::En,
        );
        assert_eq!(f[0].outcome, Outcome::NotApplicable);
        let s = without(lead_acid_sli(88.0), "/battery");
        let f = run(RULE, s, json!({}), "2026-01-01", Lang::En);
        assert_eq!(f[0].outcome, Outcome::NotApplicable);
    }
}
