//! EU: Commission Regulation (EU) 2022/1616 on recycled plastic food-contact
//! materials (STANDARDS F1-F12).
//!
//! - `fcm-eu-authorised-process` (F1, F2, F4, F5, F7): from 10 Jul 2023 (F7)
//!   recycled plastic in a food-contact article must come from an authorised
//!   recycling process. Each component with recycled plastic is classed by
//!   its technology: post-consumer mechanical PET recycling or a closed and
//!   controlled product loop (`recycled.closed_loop`) are the suitable
//!   technologies of Annex I (F4); anything else (mechanical PP, PE, PS,
//!   dissolution, use behind a functional barrier) is a novel technology
//!   (Chapter IV, F5). Either way the component passes only with the
//!   process's authorisation, `recycled.process.authorisation` with scheme
//!   `EU-2022/1616` and its register number; without one it fails; a scheme
//!   without a number is `error`. Complete chemical recycling back to
//!   monomers (`technology: chemical`) is outside 2022/1616 (F3):
//!   `not-applicable` here, reported by `fcm-eu-chemical-recycling`. A
//!   component with no technology and no authorisation is `error`: only the
//!   technology tells whether 2022/1616 applies.
//! - `fcm-eu-chemical-recycling` (F3, F6; information): a component made
//!   by chemical recycling is reported (`fail`, for the pack's `info`
//!   severity) as outside 2022/1616 and governed by Reg. (EU) 10/2011.
//!   Submission v1 does not say whether a chemical process goes back to the
//!   monomers; the message says that a process which does not is a novel
//!   technology (F5). Other components `pass` (inside 2022/1616).
//! - `fcm-eu-functional-barrier` (F5, F11, F12; warning): a recycled layer
//!   behind a functional barrier ([`crate::scope::is_behind_barrier`])
//!   needs its own evidence: functional-barrier use is a novel technology
//!   (F5), and non-authorised substances behind the barrier must be non-CMR
//!   and migrate at most 0.01 mg/kg (F11, confirmed from the predecessor
//!   rule only). With the register number of the process (F5) it `pass`es
//!   with the migration still to be shown; without, it `fail`s. Nothing
//!   here is a hard threshold: F11's article numbers and F12 are
//!   unconfirmed, so the pack gives the rule `warning`.

use recert_plugin_sdk::{Date, Effective, Finding, RequestView};

use crate::scope::{self, Target, describe_authorisation, has_number, no_share};

/// The regulation, as cited in rule references.
pub const REGULATION: &str = "Commission Regulation (EU) 2022/1616";

/// The scheme of an authorisation under 2022/1616.
pub const SCHEME: &str = "EU-2022/1616";

/// Entry into force of 2022/1616 (F1).
pub const IN_FORCE: Date = Date::ymd(2022, 10, 10);

/// From this day only recycled plastic from authorised processes may be
/// placed on the market (F7).
pub const AUTHORISATION_CUTOFF: Date = Date::ymd(2023, 7, 10);

/// The market.
const EU: &str = "EU";

/// What the authorisation rule asks for (en, zh).
const EXPECTED: (&str, &str) = (
    "an authorised recycling process (EU-2022/1616 register number)",
    "经授权的回收工艺（EU-2022/1616 登记号）",
);

/// How 2022/1616 classes a component's recycling technology.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Technology {
    /// Annex I (1): post-consumer mechanical PET recycling.
    MechanicalPet,
    /// Annex I (2): a product loop in a closed and controlled chain.
    ClosedLoop,
    /// Chemical recycling: outside 2022/1616 when back to monomers (F3).
    Chemical,
    /// Not in Annex I: a novel technology (F5), described (en, zh).
    Novel(String, String),
    /// Not declared.
    Unknown,
}

/// Classes the technology of `t`.
pub fn classify(req: &RequestView<'_>, t: &Target<'_>) -> Result<Technology, String> {
    let technology = t.technology();
    if technology.as_deref() == Some("chemical") {
        return Ok(Technology::Chemical);
    }
    if scope::is_behind_barrier(req, t.component)? {
        return Ok(Technology::Novel(
            "use of recycled plastic behind a functional barrier".to_owned(),
            "在功能阻隔层后使用再生塑料".to_owned(),
        ));
    }
    let polymer = t
        .component
        .material
        .polymer
        .as_deref()
        .map(str::trim)
        .unwrap_or("");
    let is_pet = polymer.eq_ignore_ascii_case("PET");
    let post = t.recycled.post_consumer.unwrap_or(0.0) > 0.0;
    Ok(match technology.as_deref() {
        Some("mechanical") if is_pet && post => Technology::MechanicalPet,
        _ if t.recycled.closed_loop == Some(true) => Technology::ClosedLoop,
        None => Technology::Unknown,
        Some("mechanical") => {
            let polymer = if polymer.is_empty() {
                "plastic"
            } else {
                polymer
            };
            let origin = if post {
                "post-consumer"
            } else {
                "pre-consumer"
            };
            let origin_zh = if post { "消费后" } else { "消费前" };
            Technology::Novel(
                format!("mechanical recycling of {origin} {polymer}"),
                format!("{origin_zh}{polymer}机械回收"),
            )
        }
        Some(other) => {
            let (en, zh) = technology_name(other);
            Technology::Novel(format!("{en} recycling"), format!("{zh}回收"))
        }
    })
}

/// `fcm-eu-authorised-process`.
pub fn authorised_process(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    if let Some(f) = req.gate(Effective::from(AUTHORISATION_CUTOFF), "") {
        return Ok(vec![f.build()]);
    }
    let targets = match scope::targets(req, EU) {
        Ok(t) => t,
        Err(na) => return Ok(vec![*na]),
    };
    let expected = req.lang.pick(EXPECTED.0, EXPECTED.1);
    let mut out = Vec::new();
    for t in &targets {
        if t.share.is_none() {
            out.push(no_share(req, t));
            continue;
        }
        let label = t.component.label();
        let technology = classify(req, t)?;
        if technology == Technology::Chemical {
            out.push(
                req.not_applicable(t.path(&["recycled", "technology"]))
                    .message(
                        format!("{label} is made by chemical recycling; plastic from complete chemical recycling back to the monomers is outside Reg. (EU) 2022/1616 (see fcm-eu-chemical-recycling)."),
                        format!("{label} 采用化学回收；完全化学回收至单体所得塑料不属于 (EU) 2022/1616 的范围（见 fcm-eu-chemical-recycling）。"),
                    )
                    .build(),
            );
            continue;
        }
        let (what_en, what_zh) = match &technology {
            Technology::MechanicalPet => (
                "post-consumer mechanical PET recycling, a suitable technology (Annex I)".to_owned(),
                "消费后 PET 机械回收，属于适用技术（附件 I）".to_owned(),
            ),
            Technology::ClosedLoop => (
                "recycling from a product loop in a closed and controlled chain, a suitable technology (Annex I)".to_owned(),
                "封闭受控链中的产品循环回收，属于适用技术（附件 I）".to_owned(),
            ),
            Technology::Novel(en, zh) => (
                format!("{en}, a novel technology (Chapter IV)"),
                format!("{zh}，属于新技术（第 IV 章）"),
            ),
            Technology::Chemical | Technology::Unknown => (
                "an undeclared technology".to_owned(),
                "未申报的回收技术".to_owned(),
            ),
        };
        let path = t.path(&["recycled", "process", "authorisation"]);
        let finding = match t.authorisation_of(SCHEME) {
            Some(a) if has_number(a) => {
                let number = a.number.as_deref().unwrap_or("").trim();
                req.pass(path)
                    .actual(describe_authorisation(a))
                    .message(
                        format!("The recycled plastic of {label} ({what_en}) comes from the process registered under EU-2022/1616 number {number}."),
                        format!("{label} 的再生塑料（{what_zh}）来自 EU-2022/1616 登记号为 {number} 的授权工艺。"),
                    )
            }
            Some(a) => req.error(path).actual(describe_authorisation(a)).message(
                format!("{label} names an EU-2022/1616 authorisation without its register number; the number is needed to check the process in the Union register."),
                format!("{label} 申报了 EU-2022/1616 授权但未给出登记号；须提供登记号以便在欧盟登记册中核对该工艺。"),
            ),
            None if technology == Technology::Unknown => req.error(t.path(&["recycled", "technology"])).message(
                format!("{label} declares neither its recycling technology nor an EU-2022/1616 authorisation. Declare recycled.technology: complete chemical recycling back to the monomers is outside Reg. (EU) 2022/1616, any other technology needs an authorised process."),
                format!("{label} 既未申报回收技术（recycled.technology），也未申报 EU-2022/1616 授权。完全化学回收至单体不属于 (EU) 2022/1616 的范围，其他技术均须采用授权工艺，请申报回收技术。"),
            ),
            None => {
                let given = t.authorisation().map(describe_authorisation);
                let builder = req.fail(path).actual(given.clone().unwrap_or_else(|| {
                    req.text("no authorisation declared", "未申报授权")
                }));
                builder.message(
                    format!("The recycled plastic of {label} ({what_en}) is not from a process authorised under Reg. (EU) 2022/1616: since 10 Jul 2023 only recycled plastic from authorised processes may be placed on the market in food-contact materials. Give the process's EU-2022/1616 register number (recycled.process.authorisation)."),
                    format!("{label} 的再生塑料（{what_zh}）并非来自 (EU) 2022/1616 授权工艺：自 2023-07-10 起，食品接触材料只能使用授权工艺生产的再生塑料。请申报该工艺的 EU-2022/1616 登记号（recycled.process.authorisation）。"),
                )
            }
        };
        out.push(finding.expected(expected).build());
    }
    Ok(out)
}

/// `fcm-eu-chemical-recycling`.
pub fn chemical_recycling(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    if let Some(f) = req.gate(Effective::from(IN_FORCE), "") {
        return Ok(vec![f.build()]);
    }
    let targets = match scope::targets(req, EU) {
        Ok(t) => t,
        Err(na) => return Ok(vec![*na]),
    };
    let expected = req.text(
        "recycled plastic inside Reg. (EU) 2022/1616",
        "属于 (EU) 2022/1616 范围的再生塑料",
    );
    let mut out = Vec::new();
    for t in &targets {
        if t.share.is_none() {
            out.push(no_share(req, t));
            continue;
        }
        let label = t.component.label();
        let path = t.path(&["recycled", "technology"]);
        let technology = t.technology();
        let finding = match technology.as_deref() {
            Some("chemical") => req.fail(path).actual("chemical").message(
                format!("{label} is made by chemical recycling. Plastic from complete chemical recycling back to the monomers is outside Reg. (EU) 2022/1616 and is governed by Reg. (EU) 10/2011 like virgin plastic: its compliance rests on 10/2011, not on a 2022/1616 authorisation. A chemical process that does not go back to the monomers is a novel technology under 2022/1616."),
                format!("{label} 采用化学回收。完全化学回收至单体所得塑料不属于 (EU) 2022/1616 的范围，与原生塑料一样受 (EU) 10/2011 管辖：其合规依据为 10/2011，而非 2022/1616 的授权。未回收至单体的化学回收工艺属于 2022/1616 下的新技术。"),
            ),
            Some(other) => {
                let (en, zh) = technology_name(other);
                req.pass(path).actual(other).message(
                    format!("{label} is made by {en} recycling, inside Reg. (EU) 2022/1616."),
                    format!("{label} 采用{zh}回收，属于 (EU) 2022/1616 的范围。"),
                )
            }
            None => match t.authorisation_of(SCHEME) {
                Some(a) => req.pass(t.path(&["recycled", "process", "authorisation"])).actual(describe_authorisation(a)).message(
                    format!("{label} comes from a process authorised under Reg. (EU) 2022/1616."),
                    format!("{label} 来自 (EU) 2022/1616 授权工艺。"),
                ),
                None => req.error(path).message(
                    format!("{label} does not declare its recycling technology (recycled.technology), so it cannot be told whether it is inside Reg. (EU) 2022/1616 or, from complete chemical recycling, governed by Reg. (EU) 10/2011."),
                    format!("{label} 未申报回收技术（recycled.technology），无法判断其属于 (EU) 2022/1616 的范围，还是作为完全化学回收产物受 (EU) 10/2011 管辖。"),
                ),
            },
        };
        out.push(finding.expected(expected.clone()).build());
    }
    Ok(out)
}

/// `fcm-eu-functional-barrier`.
pub fn functional_barrier(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    if let Some(f) = req.gate(Effective::from(IN_FORCE), "") {
        return Ok(vec![f.build()]);
    }
    let targets = match scope::targets(req, EU) {
        Ok(t) => t,
        Err(na) => return Ok(vec![*na]),
    };
    let expected = req.text(
        "the novel technology's register entry and evidence that migration through the barrier is ≤ 0.01 mg/kg (non-CMR substances)",
        "新技术的登记号，以及透过阻隔层的迁移量 ≤ 0.01 mg/kg（非 CMR 物质）的证明",
    );
    let mut out = Vec::new();
    for t in &targets {
        if t.share.is_none() {
            out.push(no_share(req, t));
            continue;
        }
        let label = t.component.label();
        if !scope::is_behind_barrier(req, t.component)? {
            out.push(
                req.not_applicable(t.path(&["part"]))
                    .message(
                        format!("{label} is not declared as a layer behind a functional barrier."),
                        format!("{label} 未申报为功能阻隔层后的材料层。"),
                    )
                    .build(),
            );
            continue;
        }
        let path = t.path(&["recycled", "process", "authorisation"]);
        let finding = match t.authorisation_of(SCHEME).filter(|a| has_number(a)) {
            Some(a) => req.pass(path).actual(describe_authorisation(a)).message(
                format!("{label} is a recycled layer behind a functional barrier, from the process registered under {}. The finished article must still show that substances behind the barrier are not CMR and migrate at most 0.01 mg/kg, and meet the migration limits of Reg. (EU) 10/2011: check that evidence.", describe_authorisation(a)),
                format!("{label} 为功能阻隔层后的再生塑料层，来自登记号为 {} 的工艺。成品仍须证明阻隔层后的物质不属于 CMR 物质且迁移量不超过 0.01 mg/kg，并符合 (EU) 10/2011 的迁移限量：请核查相关证明。", describe_authorisation(a)),
            ),
            None => req.fail(path).actual(t.authorisation().map(describe_authorisation).unwrap_or_else(|| req.text("no authorisation declared", "未申报授权"))).message(
                format!("{label} is a recycled layer behind a functional barrier. Functional-barrier use is a novel technology under Reg. (EU) 2022/1616 (Chapter IV) and needs its own evidence: the register entry of the technology and proof that substances behind the barrier are not CMR and migrate at most 0.01 mg/kg. None is declared."),
                format!("{label} 为功能阻隔层后的再生塑料层。在 (EU) 2022/1616 下，功能阻隔层用途属于新技术（第 IV 章），须有单独的证明：该技术的登记号，以及阻隔层后物质不属于 CMR 物质且迁移量不超过 0.01 mg/kg 的证明。申报中均未提供。"),
            ),
        };
        out.push(finding.expected(expected.clone()).build());
    }
    Ok(out)
}

/// A technology's name in messages (en, zh).
fn technology_name(technology: &str) -> (String, String) {
    match technology {
        "mechanical" => ("mechanical".to_owned(), "机械".to_owned()),
        "dissolution" => ("dissolution".to_owned(), "溶解".to_owned()),
        "chemical" => ("chemical".to_owned(), "化学".to_owned()),
        "other" => ("other".to_owned(), "其他".to_owned()),
        other => (other.to_owned(), other.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use recert_plugin_sdk::{Lang, Outcome};
    use serde_json::json;

    const AUTH: &str = "fcm-eu-authorised-process";
    const CHEM: &str = "fcm-eu-chemical-recycling";
    const BARRIER: &str = "fcm-eu-functional-barrier";
    const C1_AUTH: &str = "/components/0/recycled/process/authorisation";

    fn pp_tray(technology: &str) -> serde_json::Value {
        let s = with(rpet_bottle(), "/components/0/material/polymer", json!("PP"));
        let s = with(s, "/components/0/recycled/technology", json!(technology));
        without(s, "/components/0/recycled/process")
    }

    #[test]
    fn authorised_mechanical_pet_passes() {
        let f = run(AUTH, rpet_bottle(), json!({}), "2026-01-01", Lang::En);
        assert_eq!(f.len(), 1, "the virgin cap is not a target");
        assert_eq!((f[0].path.as_str(), f[0].outcome), (C1_AUTH, Outcome::Pass));
        assert_eq!(f[0].actual, Some(json!("EU-2022/1616 RECYC-EU-0001")));
        assert!(
            f[0].message.contains("suitable technology"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn without_an_authorisation_every_technology_but_chemical_fails() {
        let s = without(rpet_bottle(), "/components/0/recycled/process");
        assert_eq!(outcomes(AUTH, s), one(C1_AUTH, Outcome::Fail));
        // Mechanical PP is a novel technology: fails unless authorised.
        let f = run(
            AUTH,
            pp_tray("mechanical"),
            json!({}),
            "2026-01-01",
            Lang::Zh,
        );
        assert_eq!(f[0].outcome, Outcome::Fail);
        assert!(
            f[0].message.contains("新技术") && f[0].message.contains("授权工艺"),
            "{}",
            f[0].message
        );
        // ... and passes with the register entry of the novel technology.
        let s = with(
            pp_tray("mechanical"),
            "/components/0/recycled/process",
            json!({"authorisation": {"scheme": "eu-2022/1616", "number": "NT-7"}}),
        );
        let f = run(AUTH, s, json!({}), "2026-01-01", Lang::En);
        assert_eq!(f[0].outcome, Outcome::Pass);
        assert!(
            f[0].message.contains("novel technology"),
            "{}",
            f[0].message
        );
        // An FDA letter does not authorise for the EU.
        let s = with(
            rpet_bottle(),
            "/components/0/recycled/process/authorisation",
            json!({"scheme": "FDA-NOL", "number": "123"}),
        );
        let f = run(AUTH, s, json!({}), "2026-01-01", Lang::En);
        assert_eq!(
            (f[0].outcome, f[0].actual.clone()),
            (Outcome::Fail, Some(json!("FDA-NOL 123")))
        );
    }

    #[test]
    fn closed_loop_is_a_suitable_technology() {
        let s = with(
            pp_tray("mechanical"),
            "/components/0/recycled/closed_loop",
            json!(true),
        );
        let f = run(AUTH, s.clone(), json!({}), "2026-01-01", Lang::En);
        assert_eq!(f[0].outcome, Outcome::Fail);
        assert!(
            f[0].message.contains("closed and controlled"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn chemical_recycling_is_outside_and_reported_for_information() {
        let s = pp_tray("chemical");
        assert_eq!(
            outcomes(AUTH, s.clone()),
            one("/components/0/recycled/technology", Outcome::NotApplicable)
        );
        let f = run(CHEM, s, json!({}), "2026-01-01", Lang::En);
        assert_eq!(f[0].outcome, Outcome::Fail);
        assert!(f[0].message.contains("10/2011"), "{}", f[0].message);
        assert_eq!(
            outcomes(CHEM, rpet_bottle()),
            one("/components/0/recycled/technology", Outcome::Pass)
        );
    }

    #[test]
    fn missing_data_is_an_error_never_a_pass() {
        // Neither technology nor authorisation.
        let s = without(pp_tray("mechanical"), "/components/0/recycled/technology");
        assert_eq!(
            outcomes(AUTH, s.clone()),
            one("/components/0/recycled/technology", Outcome::Error)
        );
        assert_eq!(
            outcomes(CHEM, s),
            one("/components/0/recycled/technology", Outcome::Error)
        );
        // A scheme without its number.
        let s = without(
            rpet_bottle(),
            "/components/0/recycled/process/authorisation/number",
        );
        assert_eq!(outcomes(AUTH, s), one(C1_AUTH, Outcome::Error));
        // A claim without a share.
        let s = without(rpet_bottle(), "/components/0/recycled/post_consumer");
        for rule in [AUTH, CHEM, BARRIER] {
            assert_eq!(
                outcomes(rule, s.clone()),
                one("/components/0/recycled", Outcome::Error),
                "{rule}"
            );
        }
    }

    #[test]
    fn dates_f1_and_f7() {
        let f = run(AUTH, rpet_bottle(), json!({}), "2023-07-09", Lang::En);
        assert_eq!(f[0].outcome, Outcome::NotInForce);
        assert_eq!(
            run(AUTH, rpet_bottle(), json!({}), "2023-07-10", Lang::En)[0].outcome,
            Outcome::Pass
        );
        assert_eq!(
            run(CHEM, rpet_bottle(), json!({}), "2022-10-09", Lang::En)[0].outcome,
            Outcome::NotInForce
        );
        assert_eq!(
            run(CHEM, rpet_bottle(), json!({}), "2022-10-10", Lang::En)[0].outcome,
            Outcome::Pass
        );
        assert!(
            Date::new(2022, 10, 10) == Some(IN_FORCE)
                && Date::new(2023, 7, 10) == Some(AUTHORISATION_CUTOFF)
        );
    }

    #[test]
    fn functional_barrier_layer_needs_its_own_evidence() {
        assert_eq!(
            outcomes(BARRIER, rpet_bottle()),
            one("/components/0/part", Outcome::NotApplicable)
        );
        let layer = with(
            pp_tray("mechanical"),
            "/components/0/part",
            json!("behind-functional-barrier"),
        );
        let f = run(BARRIER, layer.clone(), json!({}), "2026-01-01", Lang::En);
        assert_eq!((f[0].path.as_str(), f[0].outcome), (C1_AUTH, Outcome::Fail));
        assert!(f[0].message.contains("0.01 mg/kg"), "{}", f[0].message);
        // The authorisation rule treats barrier use as a novel technology.
        let f = run(AUTH, layer.clone(), json!({}), "2026-01-01", Lang::En);
        assert!(
            f[0].message.contains("functional barrier"),
            "{}",
            f[0].message
        );
        let registered = with(
            layer,
            "/components/0/recycled/process",
            json!({"authorisation": {"scheme": "EU-2022/1616", "number": "NT-9"}}),
        );
        assert_eq!(
            outcomes(BARRIER, registered.clone()),
            one(C1_AUTH, Outcome::Pass)
        );
        // The pack may name its own parts.
        let f = run(
            BARRIER,
            registered,
            json!({"barrier_parts": ["core-layer"]}),
            "2026-01-01",
            Lang::En,
        );
        assert_eq!(f[0].outcome, Outcome::NotApplicable);
    }

    #[test]
    fn scope_food_contact_market_and_recycled_plastic() {
        let s = with(rpet_bottle(), "/product/food_contact", json!(false));
        assert_eq!(
            outcomes(AUTH, s),
            one("/product/food_contact", Outcome::NotApplicable)
        );
        let s = without(rpet_bottle(), "/product/food_contact");
        assert_eq!(outcomes(AUTH, s)[0].1, Outcome::NotApplicable);
        let s = with(rpet_bottle(), "/product/markets", json!(["US"]));
        assert_eq!(
            outcomes(AUTH, s),
            one("/product/markets", Outcome::NotApplicable)
        );
        let s = with(
            rpet_bottle(),
            "/components/0/recycled/post_consumer",
            json!(0.0),
        );
        assert_eq!(
            outcomes(AUTH, s),
            one("/components", Outcome::NotApplicable)
        );
        // Recycled glass or paper is not recycled plastic.
        let s = with(
            rpet_bottle(),
            "/components/0/material",
            json!({"class": "glass"}),
        );
        assert_eq!(
            outcomes(AUTH, s),
            one("/components", Outcome::NotApplicable)
        );
    }
}
