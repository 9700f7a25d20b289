//! China: no rule authorises recycled plastic for food contact (STANDARDS
//! C1-C7).
//!
//! - `fcm-cn-recycled-plastic` (C1; C2-C6 cited): no regulation or standard
//!   currently authorises recycled (post-consumer) plastic, rPET included,
//!   for food-contact materials in China (C1, TEXT-S from several
//!   consistent sources); STANDARDS says to treat any recycled-content
//!   food-contact claim for the China market as not permitted. Each plastic
//!   component of a food-contact product for CN: recycled content above 0 %
//!   → `fail`; none claimed (or 0 %) → `pass`; a claim without a share →
//!   `error`. A declared `CN-GB4806` authorisation does not change this:
//!   whether GB 4806.7-2023 has a recycled-plastic clause is unconfirmed
//!   (C5), and the message says so for the certification body to check.
//! - `fcm-cn-action-plan` (C7; information): the 2025 Action Plan promotes
//!   recycled content only in non-food-contact packaging (cartons, shrink
//!   film, bags, foam fillers). Each component with recycled plastic is
//!   reported (`fail`, for the pack's `info` severity) as outside what the
//!   plan promotes; components without recycled content `pass`.

use recert_plugin_sdk::{Finding, RequestView, fmt_quantity};
use serde_json::json;

use crate::scope::{self, Target, no_share};

/// The status of recycled plastic in food contact in China, as cited.
pub const STATUS: &str =
    "China: food-contact materials, GB 4806.1-2016 and GB 4806.7-2023 (status of recycled plastic)";

/// The Action Plan, as cited.
pub const ACTION_PLAN: &str = "《再生材料应用推广行动方案》（发改环资〔2025〕1681号）";

const CN: &str = "CN";

/// One finding per plastic component of a food-contact product for CN.
fn each(
    req: &RequestView<'_>,
    recycled: impl Fn(&Target<'_>, f64) -> Finding,
    virgin: impl Fn(usize, String) -> Finding,
) -> Vec<Finding> {
    let components = match scope::plastic_components(req, CN) {
        Ok(c) => c,
        Err(na) => return vec![*na],
    };
    if components.is_empty() {
        return vec![
            req.not_applicable("/components")
                .message(
                    "The product has no plastic component.",
                    "产品没有塑料部件。",
                )
                .build(),
        ];
    }
    components
        .into_iter()
        .map(|p| match p.target {
            Some(t) => match t.share {
                None => no_share(req, &t),
                Some(s) if s > 0.0 => recycled(&t, s),
                Some(_) => virgin(p.index, p.component.label()),
            },
            None => virgin(p.index, p.component.label()),
        })
        .collect()
}

/// The post- and pre-consumer shares, as ` (30 % post-consumer, 5 %
/// pre-consumer)` (en, zh), or empty when only one kind is declared as 0.
fn breakdown(t: &Target<'_>) -> (String, String) {
    let mut en = Vec::new();
    let mut zh = Vec::new();
    if let Some(post) = t.recycled.post_consumer.filter(|v| *v > 0.0) {
        en.push(format!("{} post-consumer", fmt_quantity(post, "%")));
        zh.push(format!("消费后回收料 {}", fmt_quantity(post, "%")));
    }
    if let Some(pre) = t.recycled.pre_consumer.filter(|v| *v > 0.0) {
        en.push(format!("{} pre-consumer", fmt_quantity(pre, "%")));
        zh.push(format!("消费前回收料 {}", fmt_quantity(pre, "%")));
    }
    if en.is_empty() {
        return (String::new(), String::new());
    }
    (
        format!(" ({})", en.join(", ")),
        format!("（其中{}）", zh.join("，")),
    )
}

/// `fcm-cn-recycled-plastic`.
pub fn recycled_plastic(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    let expected = req.text(
        "no recycled plastic (none is authorised for food contact in China)",
        "不含再生塑料（中国尚未批准再生塑料用于食品接触）",
    );
    Ok(each(
        req,
        |t, share| {
            let label = t.component.label();
            let have = fmt_quantity(share, "%");
            let (of_en, of_zh) = breakdown(t);
            let gb = t
                .authorisation_of("CN-GB4806")
                .map(scope::describe_authorisation);
            let (note_en, note_zh) = match gb {
                Some(a) => (
                    format!(
                        " The declared authorisation {a} does not change this: whether GB 4806.7-2023 contains any provision for recycled plastic is unconfirmed; check the document."
                    ),
                    format!(
                        "申报的授权 {a} 不改变此结论：GB 4806.7-2023 是否包含再生塑料条款尚未确认，请核查该文件。"
                    ),
                ),
                None => (String::new(), String::new()),
            };
            req.fail(t.path(&["recycled"]))
                .actual(json!({"value": share, "unit": "%"}))
                .expected(expected.clone())
                .message(
                    format!("{label} contains {have} recycled plastic{of_en}. No regulation or national food-safety standard in China currently authorises recycled plastic, rPET included, for food-contact materials, so it cannot be placed on the China market in contact with food.{note_en}"),
                    format!("{label} 含 {have} 再生塑料{of_zh}。中国目前没有任何法规或食品安全国家标准批准再生塑料（包括 rPET）用于食品接触材料，因此不能作为食品接触材料在中国市场销售。{note_zh}"),
                )
                .build()
        },
        |index, label| {
            req.pass(recert_plugin_sdk::pointer::component(index))
                .expected(expected.clone())
                .message(
                    format!("{label} declares no recycled content."),
                    format!("{label} 未申报再生料。"),
                )
                .build()
        },
    ))
}

/// `fcm-cn-action-plan`.
pub fn action_plan(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    let expected = req.text(
        "recycled content in non-food-contact packaging",
        "非食品接触包装中使用再生料",
    );
    Ok(each(
        req,
        |t, share| {
            let label = t.component.label();
            let have = fmt_quantity(share, "%");
            req.fail(t.path(&["recycled"]))
                .actual(json!({"value": share, "unit": "%"}))
                .expected(expected.clone())
                .message(
                    format!("{label} contains {have} recycled plastic in a food-contact product. China's Action Plan for Promoting the Application of Recycled Materials promotes recycled content only in non-food-contact packaging (cartons, shrink film, bags, foam fillers); it does not support this use. For information."),
                    format!("{label} 在食品接触产品中含 {have} 再生塑料。《再生材料应用推广行动方案》仅推广在非食品接触包装（纸箱、收缩膜、包装袋、泡沫填充物）中使用再生料，不支持此类用途。仅供参考。"),
                )
                .build()
        },
        |index, label| {
            req.pass(recert_plugin_sdk::pointer::component(index))
                .expected(expected.clone())
                .message(
                    format!("{label} declares no recycled content."),
                    format!("{label} 未申报再生料。"),
                )
                .build()
        },
    ))
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use recert_plugin_sdk::{Lang, Outcome};
    use serde_json::json;

    const RULE: &str = "fcm-cn-recycled-plastic";
    const PLAN: &str = "fcm-cn-action-plan";

    #[test]
    fn recycled_plastic_fails_virgin_plastic_passes() {
        for rule in [RULE, PLAN] {
            assert_eq!(
                outcomes(rule, rpet_bottle()),
                vec![
                    ("/components/0/recycled".to_owned(), Outcome::Fail),
                    ("/components/1".to_owned(), Outcome::Pass)
                ],
                "{rule}"
            );
        }
        let f = run(RULE, rpet_bottle(), json!({}), "2026-01-01", Lang::Zh);
        assert!(
            f[0].message.contains("含 50 % 再生塑料") && f[0].message.contains("食品接触材料"),
            "{}",
            f[0].message
        );
        let f = run(PLAN, rpet_bottle(), json!({}), "2026-01-01", Lang::Zh);
        assert!(f[0].message.contains("非食品接触包装"), "{}", f[0].message);
        // Pre-consumer recycled content is recycled content too.
        let s = without(rpet_bottle(), "/components/0/recycled/post_consumer");
        let s = with(s, "/components/0/recycled/pre_consumer", json!(10.0));
        assert_eq!(outcomes(RULE, s)[0].1, Outcome::Fail);
        let s = with(
            rpet_bottle(),
            "/components/0/recycled/post_consumer",
            json!(0.0),
        );
        assert_eq!(outcomes(RULE, s)[0].1, Outcome::Pass);
    }

    #[test]
    fn a_gb4806_authorisation_does_not_change_it_but_is_named() {
        let s = with(
            rpet_bottle(),
            "/components/0/recycled/process/authorisation",
            json!({"scheme": "CN-GB4806", "number": "X-1"}),
        );
        let f = run(RULE, s, json!({}), "2026-01-01", Lang::En);
        assert_eq!(f[0].outcome, Outcome::Fail);
        assert!(
            f[0].message.contains("CN-GB4806 X-1") && f[0].message.contains("unconfirmed"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn a_claim_without_share_is_an_error_and_scope_is_checked() {
        let s = without(rpet_bottle(), "/components/0/recycled/post_consumer");
        assert_eq!(
            outcomes(RULE, s)[0],
            ("/components/0/recycled".to_owned(), Outcome::Error)
        );
        let s = with(rpet_bottle(), "/product/markets", json!(["EU"]));
        assert_eq!(
            outcomes(PLAN, s),
            one("/product/markets", Outcome::NotApplicable)
        );
        let s = with(
            rpet_bottle(),
            "/components",
            json!([{"id": "G", "material": {"class": "glass"}, "mass": 0.3}]),
        );
        assert_eq!(
            outcomes(RULE, s),
            one("/components", Outcome::NotApplicable)
        );
    }
}
