//! Regulation (EU) 2023/1542 Art. 8: minimum recycled content of cobalt,
//! lead, lithium and nickel (STANDARDS B1, B3, B4, B5).
//!
//! One rule per metal (`eu-batt-rc-cobalt`, `-lead`, `-lithium`, `-nickel`),
//! each giving one finding at `/battery/recycled_content/<metal>`:
//!
//! 1. before 2031-08-18 → `not-in-force` (Art. 8(2), B3);
//! 2. out of scope → `not-applicable`. In scope (Art. 8(1)–(3), B1/B3): EV
//!    and SLI batteries, and industrial batteries above 2 kWh except those
//!    with exclusively external storage. Portable and LMT batteries are out
//!    (LMT: see `eu-batt-rc-lmt`). Batteries prepared for re-use, for
//!    repurposing, or remanufactured (`battery.second_life`) are out
//!    (Art. 8(4)). Category, or an industrial battery's capacity, not
//!    stated → `error`;
//! 3. the chemistry does not contain the metal → `not-applicable`; chemistry
//!    not stated or unknown → `error` (see [`crate::chemistry`]);
//! 4. share not declared → `error`; else `pass`/`fail` against the minimum
//!    of the phase in force: Art. 8(2) from 2031-08-18 (B3), Art. 8(3) from
//!    2036-08-18 (B4).
//!
//! The minimums and the 2 kWh scope limit come from the pack params (see
//! [`crate::metal`]); absent params fall back to the same numbers.
//!
//! `eu-batt-rc-lmt` reports LMT batteries against the Art. 8(3) minimums from
//! 2036-08-18. Whether LMT batteries are inside Art. 8(3) is unconfirmed (B4,
//! STANDARDS open item 1), so the pack gives it severity `warning` and this
//! rule never reports `error` (which would make the verdict incomplete).

use recert_plugin_sdk::view::{Battery, BatteryCategory, Sector};
use recert_plugin_sdk::{
    Effective, Finding, RequestView, Threshold, fmt_quantity, phase_at, pointer::pointer,
};

use crate::chemistry::metals_of;
use crate::metal::{Metal, PHASE_1_FROM, PHASE_2_FROM, Phase};

/// The regulation, as cited in findings.
pub const REGULATION: &str = "Regulation (EU) 2023/1542";

/// Pack param: industrial batteries are in scope above this capacity, kWh.
pub const INDUSTRIAL_CAPACITY_PARAM: &str = "industrial_capacity_above";

/// Default of [`INDUSTRIAL_CAPACITY_PARAM`]: "industrial batteries with a
/// capacity greater than 2 kWh", Art. 8(1)–(3) scope (STANDARDS B1, B3).
pub const INDUSTRIAL_CAPACITY_ABOVE: f64 = 2.0;

/// Evaluates the Art. 8 minimum for `metal`.
pub fn evaluate_metal(req: &RequestView<'_>, metal: Metal) -> Result<Vec<Finding>, String> {
    let path = pointer(&["battery", "recycled_content", metal.key()]);
    let Some(battery) = &req.submission.battery else {
        return Ok(vec![no_battery(req)]);
    };
    let Some(&(_, phase)) = phase_at(req.date, &Phase::ALL) else {
        let min = req
            .config
            .params()
            .number_or(&metal.param(Phase::One), metal.default_min(Phase::One))?;
        return Ok(vec![
            req.not_in_force(&path)
                .expected(Effective::from(PHASE_1_FROM).describe(req.lang))
                .message_with(
                    || format!(
                        "The minimum recycled {} share ({}) applies from {PHASE_1_FROM} (Art. 8(2)).",
                        metal.key(),
                        fmt_quantity(min, "%")
                    ),
                    || format!(
                        "回收{}最低含量（{}）自 {PHASE_1_FROM} 起适用（第 8(2) 条）。",
                        metal.zh(),
                        fmt_quantity(min, "%")
                    ),
                )
                .build(),
        ]);
    };
    if let Some(f) = scope(req, battery)? {
        return Ok(vec![f]);
    }
    if let Some(f) = contains(req, battery, metal)? {
        return Ok(vec![f]);
    }
    let min = req
        .config
        .params()
        .number_or(&metal.param(phase), metal.default_min(phase))?;
    let threshold = Threshold::at_least(min, "%");
    let share = battery
        .recycled_content
        .as_ref()
        .and_then(|rc| metal.share(rc));
    let clause = metal.clause(phase);
    let clause_zh = zh_clause(clause);
    let builder = req
        .check_threshold(&path, share, &threshold)
        .reference(REGULATION, clause);
    let (basis_en, basis_zh) = metal.basis();
    let need = fmt_quantity(min, "%");
    let from = phase.from();
    let builder = match share {
        None => builder
            .fix_with(
                || format!(
                    "Declare battery.recycled_content.{m}: the recycled {m} share {basis_en}, in %, backed by the Art. 8(1) documentation.",
                    m = metal.key()
                ),
                || format!(
                    "请申报 battery.recycled_content.{key}：回收{m}所占比例（{basis_zh}，%），并以第 8(1) 条所要求的技术文件为依据。",
                    m = metal.zh(),
                    key = metal.key()
                ),
            )
            .message_with(
            || format!(
                "No recycled {m} share is declared (battery.recycled_content.{m}); {REGULATION} {clause} requires at least {need} {basis_en} from {from}.",
                m = metal.key()
            ),
            || format!(
                "未申报回收{m}含量（battery.recycled_content.{key}）；法规 (EU) 2023/1542 {clause_zh}要求自 {from} 起不低于 {need}（{basis_zh}）。",
                m = metal.zh(),
                key = metal.key()
            ),
        ),
        Some(v) => {
            let ok = threshold.is_met_by(v);
            let have = fmt_quantity(v, "%");
            let gap = fmt_quantity(min - v, "%");
            let builder = if ok {
                builder
            } else {
                builder.fix_with(
                    || format!(
                        "Raise recycled {m} from {have} to at least {need} {basis_en} ({gap} more): e.g. source {m} compounds with recovered content for the active materials, and document the share (Art. 8(1)).",
                        m = metal.key()
                    ),
                    || format!(
                        "须将回收{m}比例（{basis_zh}）由 {have} 提高至不低于 {need}（尚差 {gap}）：例如为活性物质采购含回收{m}的原料，并按第 8(1) 条形成技术文件。",
                        m = metal.zh()
                    ),
                )
            };
            builder.message_with(
                || format!(
                    "Recycled {m} is {have} {basis_en}; {REGULATION} {clause} requires at least {need} from {from}{verdict}.",
                    m = metal.key(),
                    verdict = if ok { "" } else { ": below the minimum" }
                ),
                || format!(
                    "回收{m}含量为 {have}（{basis_zh}）；法规 (EU) 2023/1542 {clause_zh}要求自 {from} 起不低于 {need}{verdict}。",
                    m = metal.zh(),
                    verdict = if ok { "" } else { "，未达到最低要求" }
                ),
            )
        }
    };
    Ok(vec![builder.build()])
}

/// `Art. 8(2)(a)` as Chinese legal texts write it: `第 8(2)(a) 条`.
fn zh_clause(clause: &str) -> String {
    match clause.strip_prefix("Art. ") {
        Some(rest) => format!("第 {rest} 条"),
        None => clause.to_owned(),
    }
}

/// The finding when the submission has no battery block: `error` for a
/// battery submission (the data is missing), else `not-applicable`.
fn no_battery(req: &RequestView<'_>) -> Finding {
    if req.submission.product.sector == Sector::Battery {
        req.error("/battery")
            .message(
                "The submission is for a battery but has no battery data (battery).",
                "申报产品为电池，但缺少电池数据（battery）。",
            )
            .build()
    } else {
        crate::not_a_battery(req)
    }
}

/// `None` if the battery is in Art. 8 scope, else the finding that says why
/// not (or why it cannot be told).
fn scope(req: &RequestView<'_>, battery: &Battery<'_>) -> Result<Option<Finding>, String> {
    let category_path = "/battery/category";
    let out =
        |path: &str, en: String, zh: String| Some(req.not_applicable(path).message(en, zh).build());
    if let Some(f) = second_life(req, battery) {
        return Ok(Some(f));
    }
    Ok(match battery.category {
        None => Some(
            req.error(category_path)
                .message(
                    "The battery category is not stated; Art. 8 scope depends on it.",
                    "未说明电池类别；第 8 条的适用范围取决于类别。",
                )
                .build(),
        ),
        Some(BatteryCategory::Other) => Some(
            req.error(category_path)
                .message(
                    "The battery category is not one of portable, lmt, sli, industrial, ev.",
                    "电池类别不属于 portable、lmt、sli、industrial、ev 之一。",
                )
                .build(),
        ),
        Some(BatteryCategory::Ev | BatteryCategory::Sli) => None,
        Some(BatteryCategory::Portable) => out(
            category_path,
            "Art. 8 minimum recycled content applies to EV, SLI and industrial batteries, not to portable batteries.".into(),
            "第 8 条回收含量最低要求适用于电动汽车、SLI 和工业电池，不适用于便携式电池。".into(),
        ),
        Some(BatteryCategory::Lmt) => out(
            category_path,
            "Art. 8(2) applies to EV, SLI and industrial batteries, not to LMT batteries; whether LMT batteries fall under the 2036 minimums is unconfirmed (see rule eu-batt-rc-lmt).".into(),
            "第 8(2) 条适用于电动汽车、SLI 和工业电池，不适用于轻型交通工具（LMT）电池；LMT 电池是否适用 2036 年最低要求尚未确认（见规则 eu-batt-rc-lmt）。".into(),
        ),
        Some(BatteryCategory::Industrial) => {
            let above = req
                .config
                .params()
                .number_or(INDUSTRIAL_CAPACITY_PARAM, INDUSTRIAL_CAPACITY_ABOVE)?;
            let limit = fmt_quantity(above, "kWh");
            match battery.capacity {
                None => Some(
                    req.error("/battery/capacity")
                        .expected(format!("> {limit}"))
                        .message(
                            format!("The capacity of the industrial battery is not stated; Art. 8 applies to industrial batteries above {limit}."),
                            format!("未说明工业电池的容量；第 8 条适用于容量大于 {limit} 的工业电池。"),
                        )
                        .build(),
                ),
                Some(c) if c <= above => {
                    let have = fmt_quantity(c, "kWh");
                    out(
                        "/battery/capacity",
                        format!("Industrial battery of {have}: Art. 8 applies only above {limit}."),
                        format!("工业电池容量为 {have}：第 8 条仅适用于容量大于 {limit} 的工业电池。"),
                    )
                }
                Some(_) if battery.external_storage == Some(true) => out(
                    "/battery/external_storage",
                    "Industrial battery with exclusively external storage: excluded from Art. 8 minimum recycled content.".into(),
                    "仅具有外部储能的工业电池：不适用第 8 条回收含量最低要求。".into(),
                ),
                Some(_) => None,
            }
        }
    })
}

/// Art. 8(4): the minimums do not apply to batteries prepared for re-use,
/// prepared for repurposing, or remanufactured (`battery.second_life`;
/// STANDARDS B3, TEXT-S: not read in the Official Journal). The finding
/// names the claim so a reviewer checks the evidence behind it.
fn second_life(req: &RequestView<'_>, battery: &Battery<'_>) -> Option<Finding> {
    let kind = battery.second_life?.as_str();
    Some(
        req.not_applicable("/battery/second_life")
            .actual(kind)
            .message(
                format!("The battery is declared {kind} (battery.second_life): Art. 8(4) excludes batteries prepared for re-use, prepared for repurposing, or remanufactured from the Art. 8 minimum recycled content. The claim must be backed by evidence."),
                format!("申报该电池为 {kind}（battery.second_life）：第 8(4) 条规定，经再使用准备、再利用准备或再制造的电池不适用第 8 条回收含量最低要求。该声明须有证据支持。"),
            )
            .build(),
    )
}

/// `None` if the battery's chemistry contains `metal`, else the finding.
fn contains(
    req: &RequestView<'_>,
    battery: &Battery<'_>,
    metal: Metal,
) -> Result<Option<Finding>, String> {
    let Some(chemistry) = battery.chemistry.as_deref() else {
        return Ok(Some(
            req.error("/battery/chemistry")
                .message(
                    format!("The battery chemistry is not stated, so it cannot be told whether a minimum recycled {} share applies.", metal.key()),
                    format!("未说明电池化学体系，无法判断是否适用回收{}最低含量要求。", metal.zh()),
                )
                .build(),
        ));
    };
    Ok(match metals_of(chemistry, req.config.get("chemistries"))? {
        None => Some(
            req.error("/battery/chemistry")
                .actual(chemistry)
                .message(
                    format!("Chemistry `{chemistry}` is not one this plugin knows, so it cannot tell whether the battery contains {} in its active materials.", metal.key()),
                    format!("本插件不识别化学体系 `{chemistry}`，无法判断电池活性物质中是否含{}。", metal.zh()),
                )
                .build(),
        ),
        Some(metals) if !metals.contains(&metal) => Some(
            req.not_applicable("/battery/chemistry")
                .actual(chemistry)
                .message(
                    format!("A {chemistry} battery contains no {} in its active materials.", metal.key()),
                    format!("{chemistry} 电池的活性物质中不含{}。", metal.zh()),
                )
                .build(),
        ),
        Some(_) => None,
    })
}

/// `eu-batt-rc-lmt`: an LMT battery against the Art. 8(3) minimums, from
/// 2036-08-18, one finding per metal its chemistry contains. Never `error`.
pub fn evaluate_lmt(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    let Some(battery) = &req.submission.battery else {
        return Ok(vec![crate::not_a_battery(req)]);
    };
    if let Some(f) = req.gate(Effective::from(PHASE_2_FROM), "/battery/recycled_content") {
        return Ok(vec![
            f.message(
                format!("The Art. 8(3) minimums, whose application to LMT batteries is unconfirmed, start on {PHASE_2_FROM}."),
                format!("第 8(3) 条最低要求自 {PHASE_2_FROM} 起适用，其是否适用于 LMT 电池尚未确认。"),
            )
            .build(),
        ]);
    }
    if battery.category != Some(BatteryCategory::Lmt) {
        return Ok(vec![
            req.not_applicable("/battery/category")
                .message("Not an LMT battery.", "不是轻型交通工具（LMT）电池。")
                .build(),
        ]);
    }
    if let Some(f) = second_life(req, battery) {
        return Ok(vec![f]);
    }
    let metals = match battery.chemistry.as_deref() {
        None => None,
        Some(c) => metals_of(c, req.config.get("chemistries"))?,
    };
    let Some(metals) = metals.filter(|m| !m.is_empty()) else {
        return Ok(vec![
            req.not_applicable("/battery/chemistry")
                .message(
                    "The chemistry is not stated, not known to this plugin, or contains none of cobalt, lead, lithium, nickel: nothing to report.",
                    "化学体系未说明、本插件不识别或不含钴、铅、锂、镍：无可报告内容。",
                )
                .build(),
        ]);
    };
    let params = req.config.params();
    let mut findings = Vec::new();
    for metal in metals {
        let path = pointer(&["battery", "recycled_content", metal.key()]);
        let min = params.number_or(&metal.param(Phase::Two), metal.default_min(Phase::Two))?;
        let threshold = Threshold::at_least(min, "%");
        let need = fmt_quantity(min, "%");
        let share = battery
            .recycled_content
            .as_ref()
            .and_then(|rc| metal.share(rc));
        let (basis_en, basis_zh) = metal.basis();
        let builder = match share {
            Some(v) if threshold.is_met_by(v) => req.pass(&path).quantity(v, "%"),
            Some(v) => {
                let (en, zh) = threshold.fix(v);
                req.fail(&path).quantity(v, "%").fix(en, zh)
            }
            None => req.fail(&path),
        }
        .expected(threshold.expected())
        .reference(REGULATION, Metal::clause(metal, Phase::Two));
        let have_en = share.map_or("not declared".to_owned(), |v| {
            format!("{} {basis_en}", fmt_quantity(v, "%"))
        });
        let have_zh = share.map_or("未申报".to_owned(), |v| {
            format!("{}（{basis_zh}）", fmt_quantity(v, "%"))
        });
        findings.push(
            builder
                .message(
                    format!(
                        "LMT battery: recycled {m} {have_en}. If Art. 8(3) applies to LMT batteries (unconfirmed), it requires at least {need}.",
                        m = metal.key()
                    ),
                    format!(
                        "LMT 电池：回收{m}含量 {have_zh}。若第 8(3) 条适用于 LMT 电池（尚未确认），要求不低于 {need}。",
                        m = metal.zh()
                    ),
                )
                .build(),
        );
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use recert_plugin_sdk::{Lang, Outcome};
    use serde_json::{Value, json};

    fn rule(m: Metal) -> String {
        format!("eu-batt-rc-{}", m.key())
    }

    fn one(rule: &str, sub: Value, date: &str) -> Finding {
        let mut f = run(rule, sub, json!({}), date, Lang::En);
        assert_eq!(f.len(), 1, "{f:?}");
        f.remove(0)
    }

    #[test]
    fn nmc_ev_passes_in_2032() {
        for m in [Metal::Cobalt, Metal::Lithium, Metal::Nickel] {
            let f = one(&rule(m), ev_nmc(18.0, 7.0, 7.0), "2032-01-01");
            assert_eq!(f.outcome, Outcome::Pass, "{f:?}");
            assert_eq!(f.path, format!("/battery/recycled_content/{}", m.key()));
            assert_eq!(f.reference.unwrap().clause, m.clause(Phase::One));
        }
        let f = one("eu-batt-rc-cobalt", ev_nmc(18.0, 7.0, 7.0), "2032-01-01");
        assert_eq!(f.actual, Some(json!({"value": 18.0, "unit": "%"})));
        assert_eq!(f.expected.as_deref(), Some("≥ 16 %"));
    }

    #[test]
    fn second_life_batteries_are_excluded_by_art_8_4() {
        for kind in ["reused", "repurposed", "remanufactured"] {
            // Shares far below the minimums: excluded, not failed.
            let s = with(ev_nmc(1.0, 1.0, 1.0), "/battery/second_life", json!(kind));
            for m in [Metal::Cobalt, Metal::Lithium, Metal::Nickel] {
                let f = one(&rule(m), s.clone(), "2037-01-01");
                assert_eq!(
                    (f.outcome, f.path.as_str()),
                    (Outcome::NotApplicable, "/battery/second_life"),
                    "{kind} {m:?}"
                );
                assert!(f.message.contains("Art. 8(4)"), "{}", f.message);
            }
            let lmt = with(s.clone(), "/battery/category", json!("lmt"));
            let f = one("eu-batt-rc-lmt", lmt, "2037-01-01");
            assert_eq!(f.outcome, Outcome::NotApplicable, "{kind}");
        }
    }

    #[test]
    fn cobalt_below_16_fails_on_the_first_day() {
        let f = one("eu-batt-rc-cobalt", ev_nmc(12.0, 7.0, 7.0), "2031-08-18");
        assert_eq!(f.outcome, Outcome::Fail);
        assert!(f.message.contains("below the minimum"), "{}", f.message);
        assert!(f.message.contains("at least 16 %"), "{}", f.message);
    }

    #[test]
    fn not_in_force_before_2031_08_18() {
        let f = one("eu-batt-rc-cobalt", ev_nmc(12.0, 7.0, 7.0), "2031-08-17");
        assert_eq!(f.outcome, Outcome::NotInForce);
        assert_eq!(f.expected.as_deref(), Some("from 2031-08-18"));
        // Even out of scope, the date comes first (as the pack's `effective`).
        let f = one(
            "eu-batt-rc-cobalt",
            with(
                ev_nmc(1.0, 1.0, 1.0),
                "/battery/category",
                json!("portable"),
            ),
            "2030-01-01",
        );
        assert_eq!(f.outcome, Outcome::NotInForce);
    }

    #[test]
    fn phase_two_raises_the_minimums_from_2036_08_18() {
        // 18 % cobalt meets 16 % but not 26 %; 7 % lithium meets 6 % but not 12 %.
        let s = ev_nmc(18.0, 7.0, 15.0);
        assert_eq!(
            one("eu-batt-rc-cobalt", s.clone(), "2036-08-17").outcome,
            Outcome::Pass
        );
        let f = one("eu-batt-rc-cobalt", s.clone(), "2036-08-18");
        assert_eq!(f.outcome, Outcome::Fail);
        assert_eq!(f.expected.as_deref(), Some("≥ 26 %"));
        assert_eq!(f.reference.unwrap().clause, "Art. 8(3)");
        assert_eq!(
            one("eu-batt-rc-lithium", s.clone(), "2036-08-18").outcome,
            Outcome::Fail
        );
        assert_eq!(
            one("eu-batt-rc-nickel", s, "2036-08-18").outcome,
            Outcome::Pass
        );
    }

    #[test]
    fn missing_share_is_an_error_never_a_pass() {
        let s = with(
            ev_nmc(18.0, 7.0, 7.0),
            "/battery/recycled_content",
            json!({"cobalt": 18.0}),
        );
        let f = one("eu-batt-rc-nickel", s.clone(), "2032-01-01");
        assert_eq!(f.outcome, Outcome::Error);
        assert_eq!(f.path, "/battery/recycled_content/nickel");
        assert_eq!(f.expected.as_deref(), Some("≥ 6 %"));
        let s = without(s, "/battery/recycled_content");
        assert_eq!(
            one("eu-batt-rc-cobalt", s, "2032-01-01").outcome,
            Outcome::Error
        );
    }

    #[test]
    fn metals_follow_the_chemistry() {
        let lfp = with(
            ev_nmc(0.0, 7.0, 0.0),
            "/battery/chemistry",
            json!("li-ion-lfp"),
        );
        let f = one("eu-batt-rc-cobalt", lfp.clone(), "2032-01-01");
        assert_eq!(
            (f.outcome, f.path.as_str()),
            (Outcome::NotApplicable, "/battery/chemistry")
        );
        assert_eq!(
            one("eu-batt-rc-nickel", lfp.clone(), "2032-01-01").outcome,
            Outcome::NotApplicable
        );
        assert_eq!(
            one("eu-batt-rc-lithium", lfp.clone(), "2032-01-01").outcome,
            Outcome::Pass
        );
        // The example's `lead: 0 %` on an NMC battery is not a lead requirement.
        let nmc = with(
            ev_nmc(18.0, 7.0, 7.0),
            "/battery/recycled_content/lead",
            json!(0.0),
        );
        assert_eq!(
            one("eu-batt-rc-lead", nmc, "2032-01-01").outcome,
            Outcome::NotApplicable
        );
    }

    #[test]
    fn unknown_or_missing_chemistry_is_an_error() {
        let other = with(
            ev_nmc(18.0, 7.0, 7.0),
            "/battery/chemistry",
            json!("sodium-ion"),
        );
        let f = one("eu-batt-rc-cobalt", other.clone(), "2032-01-01");
        assert_eq!(
            (f.outcome, f.path.as_str()),
            (Outcome::Error, "/battery/chemistry")
        );
        // ... unless the pack's config says what it contains.
        let cfg = json!({"chemistries": {"sodium-ion": []}});
        let f = run("eu-batt-rc-cobalt", other, cfg, "2032-01-01", Lang::En);
        assert_eq!(f[0].outcome, Outcome::NotApplicable);
        let none = without(ev_nmc(18.0, 7.0, 7.0), "/battery/chemistry");
        assert_eq!(
            one("eu-batt-rc-cobalt", none, "2032-01-01").outcome,
            Outcome::Error
        );
    }

    #[test]
    fn lead_acid_sli_needs_85_percent_lead() {
        let f = one("eu-batt-rc-lead", lead_acid_sli(88.0), "2032-01-01");
        assert_eq!(f.outcome, Outcome::Pass);
        assert_eq!(f.reference.as_ref().unwrap().clause, "Art. 8(2)(b)");
        assert!(
            f.message.contains("of the lead in the battery"),
            "{}",
            f.message
        );
        let f = one("eu-batt-rc-lead", lead_acid_sli(80.0), "2037-01-01");
        assert_eq!(
            (f.outcome, f.expected.as_deref()),
            (Outcome::Fail, Some("≥ 85 %"))
        );
        assert_eq!(
            one("eu-batt-rc-cobalt", lead_acid_sli(88.0), "2032-01-01").outcome,
            Outcome::NotApplicable
        );
    }

    #[test]
    fn scope_by_category() {
        let cat = |c: &str| with(ev_nmc(1.0, 1.0, 1.0), "/battery/category", json!(c));
        for c in ["portable", "lmt"] {
            let f = one("eu-batt-rc-cobalt", cat(c), "2032-01-01");
            assert_eq!(
                (f.outcome, f.path.as_str()),
                (Outcome::NotApplicable, "/battery/category"),
                "{c}"
            );
        }
        assert_eq!(
            one("eu-batt-rc-cobalt", cat("sli"), "2032-01-01").outcome,
            Outcome::Fail
        );
        assert_eq!(
            one("eu-batt-rc-cobalt", cat("ev"), "2032-01-01").outcome,
            Outcome::Fail
        );
        assert_eq!(
            one("eu-batt-rc-cobalt", cat("stationary"), "2032-01-01").outcome,
            Outcome::Error
        );
        let none = without(ev_nmc(1.0, 1.0, 1.0), "/battery/category");
        assert_eq!(
            one("eu-batt-rc-cobalt", none, "2032-01-01").outcome,
            Outcome::Error
        );
    }

    #[test]
    fn industrial_scope_above_2_kwh_without_external_storage() {
        let ind = |cap: Option<f64>, ext: Option<bool>| {
            let mut s = with(
                ev_nmc(1.0, 1.0, 1.0),
                "/battery/category",
                json!("industrial"),
            );
            s = match cap {
                Some(c) => with(s, "/battery/capacity", json!(c)),
                None => without(s, "/battery/capacity"),
            };
            match ext {
                Some(e) => with(s, "/battery/external_storage", json!(e)),
                None => s,
            }
        };
        let o = |s| one("eu-batt-rc-cobalt", s, "2032-01-01");
        assert_eq!(o(ind(Some(2.0), None)).outcome, Outcome::NotApplicable);
        assert_eq!(o(ind(Some(2.0), None)).path, "/battery/capacity");
        assert_eq!(o(ind(Some(2.5), None)).outcome, Outcome::Fail);
        assert_eq!(o(ind(Some(2.5), Some(false))).outcome, Outcome::Fail);
        let f = o(ind(Some(500.0), Some(true)));
        assert_eq!(
            (f.outcome, f.path.as_str()),
            (Outcome::NotApplicable, "/battery/external_storage")
        );
        assert_eq!(o(ind(None, None)).outcome, Outcome::Error);
        // The 2 kWh limit is a pack param.
        let cfg = json!({"params": {"industrial_capacity_above": 3.0}});
        let f = run(
            "eu-batt-rc-cobalt",
            ind(Some(2.5), None),
            cfg,
            "2032-01-01",
            Lang::En,
        );
        assert_eq!(f[0].outcome, Outcome::NotApplicable);
    }

    #[test]
    fn minimums_come_from_params() {
        let cfg = json!({"params": {"rc_cobalt_min_2031": {"value": 20, "unit": "%"}}});
        let f = run(
            "eu-batt-rc-cobalt",
            ev_nmc(18.0, 7.0, 7.0),
            cfg,
            "2032-01-01",
            Lang::En,
        );
        assert_eq!(
            (f[0].outcome, f[0].expected.as_deref()),
            (Outcome::Fail, Some("≥ 20 %"))
        );
        let bad = json!({"params": {"rc_cobalt_min_2031": "lots"}});
        let e = run_err(
            "eu-batt-rc-cobalt",
            ev_nmc(18.0, 7.0, 7.0),
            bad,
            "2032-01-01",
        );
        assert!(e.contains("rc_cobalt_min_2031"), "{e}");
    }

    #[test]
    fn no_battery_block() {
        let s = without(ev_nmc(1.0, 1.0, 1.0), "/battery");
        let f = one("eu-batt-rc-cobalt", s.clone(), "2032-01-01");
        assert_eq!((f.outcome, f.path.as_str()), (Outcome::Error, "/battery"));
        let s = with(s, "/product/sector", json!("automotive"));
        assert_eq!(
            one("eu-batt-rc-cobalt", s, "2032-01-01").outcome,
            Outcome::NotApplicable
        );
    }

    #[test]
    fn messages_in_chinese() {
        let f = run(
            "eu-batt-rc-cobalt",
            ev_nmc(12.0, 7.0, 7.0),
            json!({}),
            "2032-01-01",
            Lang::Zh,
        );
        assert!(
            f[0].message.contains("回收钴含量为 12 %"),
            "{}",
            f[0].message
        );
    }

    fn lmt(co: Option<f64>) -> Value {
        let s = with(ev_nmc(1.0, 13.0, 15.0), "/battery/category", json!("lmt"));
        match co {
            Some(c) => with(s, "/battery/recycled_content/cobalt", json!(c)),
            None => without(s, "/battery/recycled_content/cobalt"),
        }
    }

    #[test]
    fn lmt_is_reported_from_2036_and_never_errors() {
        assert_eq!(
            one("eu-batt-rc-lmt", lmt(Some(30.0)), "2036-08-17").outcome,
            Outcome::NotInForce
        );
        let f = run(
            "eu-batt-rc-lmt",
            lmt(Some(30.0)),
            json!({}),
            "2036-08-18",
            Lang::En,
        );
        let by_metal: Vec<_> = f.iter().map(|f| (f.path.as_str(), f.outcome)).collect();
        assert_eq!(
            by_metal,
            [
                ("/battery/recycled_content/cobalt", Outcome::Pass),
                ("/battery/recycled_content/lithium", Outcome::Pass),
                ("/battery/recycled_content/nickel", Outcome::Pass),
            ]
        );
        let f = run(
            "eu-batt-rc-lmt",
            lmt(None),
            json!({}),
            "2037-01-01",
            Lang::En,
        );
        assert_eq!(f[0].outcome, Outcome::Fail);
        assert!(f[0].message.contains("not declared"));
        assert!(f.iter().all(|f| f.outcome != Outcome::Error));
        let f = run(
            "eu-batt-rc-lmt",
            lmt(Some(20.0)),
            json!({}),
            "2037-01-01",
            Lang::En,
        );
        assert_eq!(f[0].outcome, Outcome::Fail);
        assert!(f[0].message.contains("unconfirmed"));
        // Not an LMT battery, or an unknown chemistry: not applicable.
        assert_eq!(
            one("eu-batt-rc-lmt", ev_nmc(1.0, 1.0, 1.0), "2037-01-01").outcome,
            Outcome::NotApplicable
        );
        let odd = with(lmt(None), "/battery/chemistry", json!("other"));
        assert_eq!(
            one("eu-batt-rc-lmt", odd, "2037-01-01").outcome,
            Outcome::NotApplicable
        );
    }
}
