//! `eu-batt-casing-flammability`: flammability class of a battery's plastic
//! casing parts (STANDARDS K1–K6, K15).
//!
//! Which components: `material.class` is `plastic` and `part` names a casing
//! part. A part names a casing part when one of its words (split on `-`, `_`
//! and spaces, any case) is in [`DEFAULT_PARTS`] — `casing`, `housing`,
//! `enclosure`, `cover`, `lid`, `tray`, `frame` — so `top-cover` and
//! `cell-frame` count. A pack may replace the list with `config.parts`.
//! Metal casings are not rated under UL 94 and are not checked.
//!
//! For each such component, one finding at `/components/<i>`:
//! - `flammability` missing, or not a UL 94 class → `error` (incomplete),
//!   never `pass`;
//! - else `pass` if the class ranks at or above the required class in
//!   `HB < V-2 < V-1 < V-0 < 5VB < 5VA` (K1–K6), else `fail` (a casing rated
//!   HB fails any V or 5V requirement).
//!
//! Which batteries: all, unless `config.categories` lists the battery
//! categories the scheme covers (e.g. `[ev, lmt, industrial]`); a battery of
//! another category gets one `not-applicable` finding.
//!
//! `actual` reports the class, the thickness it was rated at
//! (`flammability_thickness`, mm; UL 94 rates per thickness, K1) and the
//! casing's recycled content (`post_consumer`, `pre_consumer`, %).
//!
//! The required class is the pack param `casing_flammability_min` (default
//! `V-0`). It is a param, not a regulation number: the class is set by the
//! certification scheme (e.g. UL 2580 asks at least V-1 for polymeric EV
//! battery enclosures, K15, edition unconfirmed).

use recert_plugin_sdk::submission::{Component, MaterialClass, Sector};
use recert_plugin_sdk::{
    Finding, FlammabilityClass, Request, fmt_quantity, pointer::component, pointer::component_field,
};
use serde_json::{Map, Value, json};

/// Parts that make up a battery's casing, unless `config.parts` says otherwise.
pub const DEFAULT_PARTS: [&str; 7] = [
    "casing",
    "housing",
    "enclosure",
    "cover",
    "lid",
    "tray",
    "frame",
];

/// Pack param with the required class.
pub const MIN_CLASS_PARAM: &str = "casing_flammability_min";

/// Default of [`MIN_CLASS_PARAM`]; set by the certification scheme, not by a
/// regulation (see the module docs).
pub const DEFAULT_MIN_CLASS: FlammabilityClass = FlammabilityClass::V0;

/// Evaluates the rule.
pub fn evaluate(req: &Request) -> Result<Vec<Finding>, String> {
    let required = match req.config.params().string(MIN_CLASS_PARAM)? {
        None => DEFAULT_MIN_CLASS,
        Some(text) => FlammabilityClass::parse(text).ok_or_else(|| {
            format!("param {MIN_CLASS_PARAM}: `{text}` is not one of HB, V-2, V-1, V-0, 5VB, 5VA")
        })?,
    };
    let parts: Vec<String> = match req.config.get_as::<Vec<String>>("parts")? {
        Some(list) => list.iter().map(|p| p.trim().to_ascii_lowercase()).collect(),
        None => DEFAULT_PARTS.iter().map(|p| (*p).to_owned()).collect(),
    };
    let sub = &req.submission;
    if sub.product.sector != Sector::Battery && sub.battery.is_none() {
        return Ok(vec![crate::not_a_battery(req)]);
    }
    if let Some(categories) = req.config.get_as::<Vec<String>>("categories")? {
        let category = sub.battery.as_ref().and_then(|b| b.category);
        let covered = category.is_some_and(|c| {
            categories
                .iter()
                .any(|k| k.trim().eq_ignore_ascii_case(c.as_str()))
        });
        if !covered {
            let list = categories.join(", ");
            let have = category.map_or("not stated", |c| c.as_str());
            return Ok(vec![
                req.not_applicable("/battery/category")
                    .actual(have)
                    .message(
                        format!("Battery category {have}: the casing requirement covers {list}."),
                        format!("电池类别 {have}：外壳要求适用于 {list}。"),
                    )
                    .build(),
            ]);
        }
    }
    let findings: Vec<Finding> = sub
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| is_casing(c, &parts))
        .map(|(i, c)| check(req, i, c, required))
        .collect();
    if findings.is_empty() {
        let list = parts.join(", ");
        return Ok(vec![
            req.not_applicable("/components")
                .message(
                    format!("No plastic casing component (part: {list}) is declared."),
                    format!("未申报塑料外壳部件（part：{list}）。"),
                )
                .build(),
        ]);
    }
    Ok(findings)
}

/// Whether `c` is a plastic casing part.
fn is_casing(c: &Component, parts: &[String]) -> bool {
    if c.material.class != MaterialClass::Plastic {
        return false;
    }
    let Some(part) = &c.part else { return false };
    let part = part.to_ascii_lowercase();
    part.split(['-', '_', ' '])
        .any(|word| parts.iter().any(|p| p == word))
        || parts.contains(&part)
}

fn check(req: &Request, index: usize, c: &Component, required: FlammabilityClass) -> Finding {
    let label = c.label();
    let props = &c.properties;
    let actual = actual(c);
    let expected = format!("≥ {required}");
    let thickness_en = props
        .flammability_thickness
        .map_or(" (rating thickness not stated)".to_owned(), |t| {
            format!(" at {}", fmt_quantity(t, "mm"))
        });
    let thickness_zh = props
        .flammability_thickness
        .map_or("（未说明测试厚度）".to_owned(), |t| {
            format!("（厚度 {}）", fmt_quantity(t, "mm"))
        });
    let (rc_en, rc_zh) = recycled_text(c);
    let Some(text) = props.flammability.as_deref() else {
        return req
            .error(component_field(index, &["properties", "flammability"]))
            .actual(actual)
            .expected(expected)
            .message(
                format!("Casing component {label} has no flammability class (properties.flammability); {required} or better is required.{rc_en}"),
                format!("外壳部件 {label} 未提供阻燃等级（properties.flammability）；要求 {required} 或更高。{rc_zh}"),
            )
            .build();
    };
    let Some(class) = FlammabilityClass::parse(text) else {
        return req
            .error(component_field(index, &["properties", "flammability"]))
            .actual(actual)
            .expected(expected)
            .message(
                format!("Casing component {label}: `{text}` is not a UL 94 class (HB, V-2, V-1, V-0, 5VB, 5VA)."),
                format!("外壳部件 {label}：`{text}` 不是 UL 94 阻燃等级（HB、V-2、V-1、V-0、5VB、5VA）。"),
            )
            .build();
    };
    let builder = if class.meets(required) {
        req.pass(component(index)).message(
            format!("Casing component {label} is rated {class}{thickness_en}; {required} or better is required.{rc_en}"),
            format!("外壳部件 {label} 阻燃等级为 {class}{thickness_zh}；要求 {required} 或更高。{rc_zh}"),
        )
    } else {
        req.fail(component(index)).message(
            format!("Casing component {label} is rated {class}{thickness_en}, below the required {required}.{rc_en}"),
            format!("外壳部件 {label} 阻燃等级为 {class}{thickness_zh}，低于要求的 {required}。{rc_zh}"),
        )
    };
    builder.actual(actual).expected(expected).build()
}

/// The finding's `actual`: class as written, rating thickness, recycled shares.
fn actual(c: &Component) -> Value {
    let mut recycled = Map::new();
    if let Some(r) = &c.recycled {
        if let Some(v) = r.post_consumer {
            recycled.insert("post_consumer".into(), json!(v));
        }
        if let Some(v) = r.pre_consumer {
            recycled.insert("pre_consumer".into(), json!(v));
        }
    }
    json!({
        "flammability": c.properties.flammability,
        "flammability_thickness": c.properties.flammability_thickness,
        "recycled": recycled,
    })
}

fn recycled_text(c: &Component) -> (String, String) {
    let r = c.recycled.as_ref();
    let shares = [
        (r.and_then(|r| r.post_consumer), "post-consumer", "消费后"),
        (r.and_then(|r| r.pre_consumer), "pre-consumer", "消费前"),
    ];
    let declared: Vec<_> = shares
        .iter()
        .filter_map(|(v, en, zh)| v.map(|v| (fmt_quantity(v, "%"), *en, *zh)))
        .collect();
    if declared.is_empty() {
        return (
            " No recycled content is claimed.".to_owned(),
            "未声明再生料含量。".to_owned(),
        );
    }
    let en: Vec<String> = declared
        .iter()
        .map(|(q, en, _)| format!("{q} {en}"))
        .collect();
    let zh: Vec<String> = declared
        .iter()
        .map(|(q, _, zh)| format!("{zh} {q}"))
        .collect();
    (
        format!(" Recycled content: {}.", en.join(", ")),
        format!("再生料含量：{}。", zh.join("，")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use recert_plugin_sdk::{Lang, Outcome};

    const RULE: &str = "eu-batt-casing-flammability";

    fn casing(flammability: Option<&str>) -> Value {
        let mut s = ev_nmc(18.0, 7.0, 7.0);
        s = with(
            s,
            "/components/1/properties",
            json!({"flammability_thickness": 2.0}),
        );
        match flammability {
            Some(f) => with(s, "/components/1/properties/flammability", json!(f)),
            None => s,
        }
    }

    fn at(s: Value) -> Vec<Finding> {
        run(RULE, s, json!({}), "2026-01-01", Lang::En)
    }

    #[test]
    fn v0_casing_passes_and_reports_thickness_and_recycled_content() {
        let f = at(casing(Some("V-0")));
        assert_eq!(f.len(), 1, "only the plastic casing is checked: {f:?}");
        let f = &f[0];
        assert_eq!(
            (f.outcome, f.path.as_str()),
            (Outcome::Pass, "/components/1")
        );
        assert_eq!(f.expected.as_deref(), Some("≥ V-0"));
        assert_eq!(
            f.actual,
            Some(json!({"flammability": "V-0", "flammability_thickness": 2.0,
                        "recycled": {"post_consumer": 25.0, "pre_consumer": 5.0}}))
        );
        assert!(f.message.contains("at 2 mm"), "{}", f.message);
        assert!(
            f.message
                .contains("Recycled content: 25 % post-consumer, 5 % pre-consumer."),
            "{}",
            f.message
        );
    }

    #[test]
    fn ranking_against_v0() {
        for (class, outcome) in [
            ("HB", Outcome::Fail),
            ("V-2", Outcome::Fail),
            ("V-1", Outcome::Fail),
            ("V-0", Outcome::Pass),
            ("5VB", Outcome::Pass),
            ("5VA", Outcome::Pass),
        ] {
            assert_eq!(at(casing(Some(class)))[0].outcome, outcome, "{class}");
        }
    }

    #[test]
    fn required_class_is_a_param() {
        let cfg = json!({"params": {"casing_flammability_min": "V-1"}});
        let f = run(
            RULE,
            casing(Some("V-1")),
            cfg.clone(),
            "2026-01-01",
            Lang::En,
        );
        assert_eq!(
            (f[0].outcome, f[0].expected.as_deref()),
            (Outcome::Pass, Some("≥ V-1"))
        );
        let f = run(RULE, casing(Some("HB")), cfg, "2026-01-01", Lang::En);
        assert_eq!(f[0].outcome, Outcome::Fail);
        let bad = json!({"params": {"casing_flammability_min": "V-9"}});
        assert!(run_err(RULE, casing(Some("V-0")), bad, "2026-01-01").contains("V-9"));
    }

    #[test]
    fn missing_or_unreadable_class_is_an_error() {
        let f = at(casing(None));
        assert_eq!(
            (f[0].outcome, f[0].path.as_str()),
            (Outcome::Error, "/components/1/properties/flammability")
        );
        let f = at(casing(Some("self-extinguishing")));
        assert_eq!(f[0].outcome, Outcome::Error);
        assert!(f[0].message.contains("not a UL 94 class"));
    }

    #[test]
    fn only_declared_recycled_shares_are_stated() {
        let s = without(casing(Some("V-0")), "/components/1/recycled/pre_consumer");
        let f = at(s);
        assert!(
            f[0].message
                .ends_with("Recycled content: 25 % post-consumer."),
            "{}",
            f[0].message
        );
        let s = without(casing(Some("V-0")), "/components/1/recycled");
        assert!(
            at(s)[0]
                .message
                .ends_with("No recycled content is claimed.")
        );
    }

    #[test]
    fn missing_thickness_is_said() {
        let s = without(
            casing(Some("V-0")),
            "/components/1/properties/flammability_thickness",
        );
        let f = at(s);
        assert_eq!(f[0].outcome, Outcome::Pass);
        assert!(f[0].message.contains("rating thickness not stated"));
        assert_eq!(
            f[0].actual.as_ref().unwrap()["flammability_thickness"],
            Value::Null
        );
    }

    #[test]
    fn which_parts_count() {
        let mut s = casing(Some("HB"));
        // A second plastic part named "top-cover" counts; a steel tray does not.
        s = with(
            s,
            "/components/2",
            json!({"id": "C3", "part": "top-cover", "mass": 1.0,
            "material": {"class": "plastic", "polymer": "PC"}, "properties": {"flammability": "5VA"}}),
        );
        s = with(
            s,
            "/components/3",
            json!({"id": "C4", "part": "tray", "mass": 9.0,
            "material": {"class": "steel"}}),
        );
        let f = at(s.clone());
        let got: Vec<_> = f.iter().map(|f| (f.path.as_str(), f.outcome)).collect();
        assert_eq!(
            got,
            [
                ("/components/1", Outcome::Fail),
                ("/components/2", Outcome::Pass)
            ]
        );
        let f = run(RULE, s, json!({"parts": ["lid"]}), "2026-01-01", Lang::En);
        assert_eq!(f[0].outcome, Outcome::NotApplicable);
    }

    #[test]
    fn no_casing_or_not_a_battery_is_not_applicable() {
        let s = with(casing(Some("V-0")), "/components/1/part", json!("label"));
        let f = at(s);
        assert_eq!(
            (f[0].outcome, f[0].path.as_str()),
            (Outcome::NotApplicable, "/components")
        );
        let s = without(
            with(casing(Some("HB")), "/product/sector", json!("automotive")),
            "/battery",
        );
        assert_eq!(at(s)[0].outcome, Outcome::NotApplicable);
    }

    #[test]
    fn categories_can_be_restricted() {
        let cfg = json!({"categories": ["ev", "industrial"]});
        let f = run(
            RULE,
            casing(Some("HB")),
            cfg.clone(),
            "2026-01-01",
            Lang::En,
        );
        assert_eq!(f[0].outcome, Outcome::Fail);
        let sli = lead_acid_sli(88.0);
        let f = run(RULE, sli.clone(), cfg, "2026-01-01", Lang::En);
        assert_eq!(
            (f[0].outcome, f[0].path.as_str()),
            (Outcome::NotApplicable, "/battery/category")
        );
        // Without the restriction the SLI battery's HB case is checked.
        assert_eq!(
            run(RULE, sli, json!({}), "2026-01-01", Lang::En)[0].outcome,
            Outcome::Fail
        );
    }

    #[test]
    fn chinese_message() {
        let f = run(RULE, casing(Some("HB")), json!({}), "2026-01-01", Lang::Zh);
        assert!(f[0].message.contains("低于要求的 V-0"), "{}", f[0].message);
    }
}
