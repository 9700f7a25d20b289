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
//! For each such component, one finding at `/components/<i>` (or at the
//! field that decided it):
//! - `flammability` missing, or not a UL 94 class → `error` (incomplete),
//!   never `pass`;
//! - the class is compared with the required one as UL 94 ranks them
//!   ([`FlammabilityClass::against`]): `HB` is the lowest class; within the
//!   20 mm test `V-2 < V-1 < V-0`, within the 500 W test `5VB < 5VA`. A
//!   class below the requirement → `fail`. A class from the other test (a
//!   `5VA` part against a `V-1` requirement, a `V-0` part against `5VB`)
//!   → `error`: the rating does not say how the part does in the test the
//!   requirement names, so the submission must state that class;
//! - a UL 94 class holds at the thickness it was rated at and above (K1:
//!   "rated per thickness"). So a class that meets the requirement is
//!   checked against the part: `properties.flammability_thickness` (the
//!   rating thickness) and `properties.wall_thickness` (the part's minimum
//!   wall) must both be stated (else `error`), and a wall thinner than the
//!   rating thickness → `fail`: the part does not carry the rating.
//!   Otherwise `pass`.
//!
//! Which batteries: all, unless `config.categories` lists the battery
//! categories the scheme covers (e.g. `[ev, lmt, industrial]`); a battery of
//! another category gets one `not-applicable` finding.
//!
//! `actual` reports the class, the thickness it was rated at, the wall
//! thickness (mm) and the casing's recycled content (`post_consumer`,
//! `pre_consumer`, %).
//!
//! The required class is the pack param `casing_flammability_min` (default
//! `V-1`). It is a param, not a regulation number: no EU act sets a class
//! for battery casings; the class is set by the certification scheme. The
//! default is what the cited source supports: UL 2580 asks at least V-1 for
//! polymeric battery enclosures (K15, TEXT-S, edition unconfirmed). The
//! rule's severity is the pack's (a param too, `warning` by default), so a
//! certification body raises both with `--params`.

use recert_plugin_sdk::view::{Component, MaterialClass, Sector};
use recert_plugin_sdk::{
    Finding, FlammabilityClass, Lang, Rating, RequestView, fmt_quantity, pointer::component,
    pointer::component_field,
};
use serde_json::Value;

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

/// Default of [`MIN_CLASS_PARAM`]: UL 2580's V-1 for polymeric enclosures
/// (K15); set by the certification scheme, not by a regulation (see the
/// module docs).
pub const DEFAULT_MIN_CLASS: FlammabilityClass = FlammabilityClass::V1;

/// Evaluates the rule.
pub fn evaluate(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
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

/// `parts` joined in one allocation. The texts a finding is made of are
/// written with this rather than `format!`: in the guest, `core::fmt`
/// costs a pass through its machinery per argument, and the texts were
/// most of the rule's own fuel.
fn cat(parts: &[&str]) -> String {
    let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        text.push_str(part);
    }
    text
}

/// Whether `c` is a plastic casing part.
fn is_casing(c: &Component<'_>, parts: &[String]) -> bool {
    if c.material.class != MaterialClass::Plastic {
        return false;
    }
    let Some(part) = c.part.as_deref() else {
        return false;
    };
    // `parts` are lower case: compared without a lower-case copy of `part`.
    let listed = |word: &str| parts.iter().any(|p| p.eq_ignore_ascii_case(word));
    part.split(['-', '_', ' ']).any(listed) || listed(part)
}

fn check(
    req: &RequestView<'_>,
    index: usize,
    c: &Component<'_>,
    required: FlammabilityClass,
) -> Finding {
    let label = c.label();
    let props = &c.properties;
    let actual = actual(c, req.lang);
    // Made only for the findings that show it (not for a class that meets
    // the requirement, whose finding states the wall too).
    let expected = || cat(&["≥ ", required.as_str()]);
    // Only the request's language is written: each text costs the plugin
    // about as much as reading a component.
    let rc = recycled_text(c, req.lang);
    let Some(text) = props.flammability.as_deref() else {
        return req
            .error(component_field(index, &["properties", "flammability"]))
            .actual(actual)
            .expected(expected())
            .fix_with(
                || format!("Declare properties.flammability of casing component {label} (with properties.flammability_thickness and properties.wall_thickness), from the UL 94 test report of its material."),
                || format!("请依据材料的 UL 94 检测报告，申报外壳部件 {label} 的 properties.flammability（以及 properties.flammability_thickness 和 properties.wall_thickness）。"),
            )
            .message_with(
                || format!("Casing component {label} has no flammability class (properties.flammability); {required} or better is required.{rc}"),
                || format!("外壳部件 {label} 未提供阻燃等级（properties.flammability）；要求 {required} 或更高。{rc}"),
            )
            .build();
    };
    let Some(class) = FlammabilityClass::parse(text) else {
        return req
            .error(component_field(index, &["properties", "flammability"]))
            .actual(actual)
            .expected(expected())
            .message_with(
                || format!("Casing component {label}: `{text}` is not a UL 94 class (HB, V-2, V-1, V-0, 5VB, 5VA)."),
                || format!("外壳部件 {label}：`{text}` 不是 UL 94 阻燃等级（HB、V-2、V-1、V-0、5VB、5VA）。"),
            )
            .build();
    };
    match class.against(required) {
        Rating::Below => req
            .fail(component(index))
            .actual(actual)
            .expected(expected())
            .fix_with(
                || format!("Make casing component {label} of a material rated {required} or better (e.g. a flame-retardant grade of its recyclate) at a thickness no greater than its minimum wall, and declare the class and rating thickness from the UL 94 test report."),
                || format!("外壳部件 {label} 须改用阻燃等级不低于 {required} 的材料（例如阻燃级再生料），且其测试厚度不大于部件最小壁厚；并依据 UL 94 检测报告申报阻燃等级和测试厚度。"),
            )
            .message_with(
                || format!("Casing component {label} is rated {class}{}, below the required {required}.{rc}", rating_thickness(props.flammability_thickness, Lang::En)),
                || format!("外壳部件 {label} 阻燃等级为 {class}{}，低于要求的 {required}。{rc}", rating_thickness(props.flammability_thickness, Lang::Zh)),
            )
            .build(),
        Rating::OtherTest => req
            .error(component_field(index, &["properties", "flammability"]))
            .actual(actual)
            .expected(expected())
            .message_with(
                || format!(
                    "Casing component {label} is rated {class}, a class of another UL 94 test than the required {required} (5VA/5VB: 500 W flame, §9; V-0/V-1/V-2: 20 mm flame, §8); one does not imply the other. State the part's class in the test of the requirement.{rc}"
                ),
                || format!(
                    "外壳部件 {label} 的阻燃等级为 {class}，与要求的 {required} 不属于同一项 UL 94 试验（5VA/5VB 为 500 W 火焰试验，§9；V-0/V-1/V-2 为 20 mm 火焰试验，§8），二者不能互相替代。请提供该部件在要求所对应试验中的等级。{rc}"
                ),
            )
            .build(),
        Rating::Meets => thickness(req, index, c, &label, class, required, actual, &rc),
    }
}

/// A class that meets the requirement holds only at the thickness it was
/// rated at and above: compare the part's wall with the rating thickness.
#[allow(clippy::too_many_arguments)]
fn thickness(
    req: &RequestView<'_>,
    index: usize,
    c: &Component<'_>,
    label: &str,
    class: FlammabilityClass,
    required: FlammabilityClass,
    actual: Value,
    rc: &str,
) -> Finding {
    let props = &c.properties;
    let (Some(rated), Some(wall)) = (props.flammability_thickness, props.wall_thickness) else {
        let field = if props.flammability_thickness.is_none() {
            "flammability_thickness"
        } else {
            "wall_thickness"
        };
        return req
            .error(component_field(index, &["properties", field]))
            .actual(actual)
            .expected(format!("≥ {required}, wall ≥ rating thickness"))
            .message_with(
                || format!(
                    "Casing component {label} is rated {class}, but a UL 94 class holds only at the thickness it was rated at and above: state properties.flammability_thickness (the rating thickness) and properties.wall_thickness (the part's minimum wall); {field} is missing.{rc}"
                ),
                || format!(
                    "外壳部件 {label} 阻燃等级为 {class}，但 UL 94 等级仅在其测试厚度及以上有效：请提供 properties.flammability_thickness（测试厚度）和 properties.wall_thickness（部件最小壁厚）；缺少 {field}。{rc}"
                ),
            )
            .build();
    };
    let rated_text = fmt_quantity(rated, "mm");
    let wall_text = fmt_quantity(wall, "mm");
    if wall < rated {
        return req
            .fail(component_field(index, &["properties", "wall_thickness"]))
            .actual(actual)
            .expected(format!("wall ≥ {rated_text} (the {class} rating thickness)"))
            .fix_with(
                || format!("Make the minimum wall of casing component {label} at least {rated_text}, or declare a {class} rating at a thickness no greater than {wall_text}."),
                || format!("须将外壳部件 {label} 的最小壁厚增至不小于 {rated_text}，或申报在不大于 {wall_text} 厚度下取得的 {class} 等级。"),
            )
            .message_with(
                || format!(
                    "Casing component {label} is rated {class} at {rated_text}, but its minimum wall is {wall_text}: a part thinner than its rating thickness does not carry the rating.{rc}"
                ),
                || format!(
                    "外壳部件 {label} 在 {rated_text} 厚度下评为 {class}，但其最小壁厚仅为 {wall_text}：部件薄于测试厚度时，该等级不适用。{rc}"
                ),
            )
            .build();
    }
    let (class, required) = (class.as_str(), required.as_str());
    req.pass(component(index))
        .actual(actual)
        .expected(cat(&["≥ ", required, ", wall ≥ rating thickness"]))
        .message_with(
            || {
                cat(&[
                    "Casing component ",
                    label,
                    " is rated ",
                    class,
                    " at ",
                    &rated_text,
                    " and its minimum wall is ",
                    &wall_text,
                    "; ",
                    required,
                    " or better is required.",
                    rc,
                ])
            },
            || {
                cat(&[
                    "外壳部件 ",
                    label,
                    " 在 ",
                    &rated_text,
                    " 厚度下评为 ",
                    class,
                    "，最小壁厚 ",
                    &wall_text,
                    "；要求 ",
                    required,
                    " 或更高。",
                    rc,
                ])
            },
        )
        .build()
}

/// The finding's `actual`, as a person reads it: the class as written, the
/// thickness it was rated at and the part's minimum wall (`V-1 at 2 mm, wall
/// 2.5 mm`); the recycled shares are in the message.
fn actual(c: &Component<'_>, lang: Lang) -> Value {
    let p = &c.properties;
    let class = p.flammability.as_deref();
    let rated = p.flammability_thickness.map(|t| fmt_quantity(t, "mm"));
    let wall = p.wall_thickness.map(|t| fmt_quantity(t, "mm"));
    let text = match lang {
        Lang::En => cat(&[
            class.unwrap_or("class not stated"),
            rated
                .as_ref()
                .map_or(" (rating thickness not stated)", |_| " at "),
            rated.as_deref().unwrap_or_default(),
            wall.as_ref()
                .map_or(", minimum wall not stated", |_| ", wall "),
            wall.as_deref().unwrap_or_default(),
        ]),
        Lang::Zh => cat(&[
            class.unwrap_or("未提供阻燃等级"),
            "（",
            rated.as_ref().map_or("未说明测试厚度", |_| "测试厚度 "),
            rated.as_deref().unwrap_or_default(),
            "，",
            wall.as_ref().map_or("未说明最小壁厚", |_| "最小壁厚 "),
            wall.as_deref().unwrap_or_default(),
            "）",
        ]),
    };
    Value::String(text)
}

/// ` at 2.5 mm` / `（厚度 2.5 mm）`, the rating thickness in a message.
fn rating_thickness(thickness: Option<f64>, lang: Lang) -> String {
    match (lang, thickness) {
        (Lang::En, None) => " (rating thickness not stated)".to_owned(),
        (Lang::En, Some(t)) => format!(" at {}", fmt_quantity(t, "mm")),
        (Lang::Zh, None) => "（未说明测试厚度）".to_owned(),
        (Lang::Zh, Some(t)) => format!("（厚度 {}）", fmt_quantity(t, "mm")),
    }
}

/// The recycled shares of `c` as the end of a message in `lang`.
fn recycled_text(c: &Component<'_>, lang: Lang) -> String {
    let r = c.recycled.as_ref();
    let shares = [
        (r.and_then(|r| r.post_consumer), "post-consumer", "消费后"),
        (r.and_then(|r| r.pre_consumer), "pre-consumer", "消费前"),
    ];
    let mut text = String::new();
    for (value, en, zh) in shares {
        let Some(value) = value else { continue };
        let q = fmt_quantity(value, "%");
        let first = text.is_empty();
        match lang {
            Lang::En => {
                text.push_str(if first { " Recycled content: " } else { ", " });
                text.push_str(&q);
                text.push(' ');
                text.push_str(en);
            }
            Lang::Zh => {
                text.push_str(if first { "再生料含量：" } else { "，" });
                text.push_str(zh);
                text.push(' ');
                text.push_str(&q);
            }
        }
    }
    match (lang, text.is_empty()) {
        (Lang::En, true) => " No recycled content is claimed.".to_owned(),
        (Lang::Zh, true) => "未声明再生料含量。".to_owned(),
        (Lang::En, false) => text + ".",
        (Lang::Zh, false) => text + "。",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use recert_plugin_sdk::{Lang, Outcome};
    use serde_json::json;

    const RULE: &str = "eu-batt-casing-flammability";

    #[test]
    fn casing_parts_by_word_in_any_case() {
        let part = |name: &str| {
            let json =
                format!(r#"{{"id": "C", "part": "{name}", "material": {{"class": "plastic"}}}}"#);
            let c: Component<'_> = serde_json::from_str(&json).unwrap();
            let defaults: Vec<String> = DEFAULT_PARTS.iter().map(|p| (*p).to_owned()).collect();
            let custom = vec!["top cover".to_owned()];
            (is_casing(&c, &defaults), is_casing(&c, &custom))
        };
        assert_eq!(part("Top_Cover"), (true, false));
        assert_eq!(part("CELL-FRAME"), (true, false));
        assert_eq!(part("covering"), (false, false));
        assert_eq!(part("Top Cover"), (true, true));
        assert_eq!(part("top-lid"), (true, false));
    }

    /// The texts `actual` and the end of a message state, in both
    /// languages, with and without each value.
    #[test]
    fn actual_and_recycled_texts() {
        let full = r#"{"id": "C2", "name": "lid", "material": {"class": "plastic"},
            "properties": {"flammability": "V-0", "flammability_thickness": 2.0, "wall_thickness": 2.5},
            "recycled": {"post_consumer": 25.0, "pre_consumer": 5.0}}"#;
        let bare =
            r#"{"id": "C3", "material": {"class": "plastic"}, "recycled": {"pre_consumer": 7.5}}"#;
        let none = r#"{"id": "C4", "material": {"class": "plastic"}}"#;
        let read = |json| serde_json::from_str::<Component<'_>>(json).unwrap();
        let (full, bare, none) = (read(full), read(bare), read(none));
        assert_eq!(actual(&full, Lang::En), json!("V-0 at 2 mm, wall 2.5 mm"));
        assert_eq!(
            actual(&full, Lang::Zh),
            json!("V-0（测试厚度 2 mm，最小壁厚 2.5 mm）")
        );
        assert_eq!(
            actual(&bare, Lang::En),
            json!("class not stated (rating thickness not stated), minimum wall not stated")
        );
        assert_eq!(
            actual(&bare, Lang::Zh),
            json!("未提供阻燃等级（未说明测试厚度，未说明最小壁厚）")
        );
        assert_eq!(
            recycled_text(&full, Lang::En),
            " Recycled content: 25 % post-consumer, 5 % pre-consumer."
        );
        assert_eq!(
            recycled_text(&full, Lang::Zh),
            "再生料含量：消费后 25 %，消费前 5 %。"
        );
        assert_eq!(
            recycled_text(&bare, Lang::En),
            " Recycled content: 7.5 % pre-consumer."
        );
        assert_eq!(recycled_text(&bare, Lang::Zh), "再生料含量：消费前 7.5 %。");
        assert_eq!(
            recycled_text(&none, Lang::En),
            " No recycled content is claimed."
        );
        assert_eq!(recycled_text(&none, Lang::Zh), "未声明再生料含量。");
        assert_eq!(
            (full.label(), bare.label()),
            ("C2 (lid)".to_owned(), "C3".to_owned())
        );
    }

    /// The EV battery with its casing rated `flammability` at 2 mm and a
    /// 2.5 mm minimum wall.
    fn casing(flammability: Option<&str>) -> Value {
        let mut s = ev_nmc(18.0, 7.0, 7.0);
        s = with(
            s,
            "/components/1/properties",
            json!({"flammability_thickness": 2.0, "wall_thickness": 2.5}),
        );
        match flammability {
            Some(f) => with(s, "/components/1/properties/flammability", json!(f)),
            None => s,
        }
    }

    fn at(s: Value) -> Vec<Finding> {
        run(RULE, s, json!({}), "2026-01-01", Lang::En)
    }

    fn requiring(class: &str, s: Value) -> Vec<Finding> {
        let cfg = json!({"params": {"casing_flammability_min": class}});
        run(RULE, s, cfg, "2026-01-01", Lang::En)
    }

    #[test]
    fn v0_casing_passes_and_reports_thicknesses_and_recycled_content() {
        let f = at(casing(Some("V-0")));
        assert_eq!(f.len(), 1, "only the plastic casing is checked: {f:?}");
        let f = &f[0];
        assert_eq!(
            (f.outcome, f.path.as_str()),
            (Outcome::Pass, "/components/1")
        );
        assert_eq!(
            f.expected.as_deref(),
            Some("≥ V-1, wall ≥ rating thickness")
        );
        assert_eq!(f.actual, Some(json!("V-0 at 2 mm, wall 2.5 mm")));
        assert!(f.message.contains("at 2 mm"), "{}", f.message);
        assert!(
            f.message.contains("minimum wall is 2.5 mm"),
            "{}",
            f.message
        );
        assert!(
            f.message
                .contains("Recycled content: 25 % post-consumer, 5 % pre-consumer."),
            "{}",
            f.message
        );
    }

    #[test]
    fn default_requirement_is_v1_as_ul_2580_asks() {
        assert_eq!(DEFAULT_MIN_CLASS, FlammabilityClass::V1);
        for (class, outcome) in [
            ("HB", Outcome::Fail),
            ("V-2", Outcome::Fail),
            ("V-1", Outcome::Pass),
            ("V-0", Outcome::Pass),
            // The 500 W test says nothing about the 20 mm test V-1 names.
            ("5VB", Outcome::Error),
            ("5VA", Outcome::Error),
        ] {
            assert_eq!(at(casing(Some(class)))[0].outcome, outcome, "{class}");
        }
        let f = &at(casing(Some("5VA")))[0];
        assert_eq!(f.path, "/components/1/properties/flammability");
        assert!(
            f.message.contains("one does not imply the other"),
            "{}",
            f.message
        );
    }

    #[test]
    fn required_class_is_a_param_and_5v_ranks_within_its_test() {
        let f = requiring("V-0", casing(Some("V-1")));
        assert_eq!(
            (f[0].outcome, f[0].expected.as_deref()),
            (Outcome::Fail, Some("≥ V-0"))
        );
        for (class, outcome) in [
            ("HB", Outcome::Fail),
            ("V-0", Outcome::Error),
            ("5VB", Outcome::Pass),
            ("5VA", Outcome::Pass),
        ] {
            assert_eq!(
                requiring("5VB", casing(Some(class)))[0].outcome,
                outcome,
                "{class}"
            );
        }
        assert_eq!(
            requiring("5VA", casing(Some("5VB")))[0].outcome,
            Outcome::Fail
        );
        let bad = json!({"params": {"casing_flammability_min": "V-9"}});
        assert!(run_err(RULE, casing(Some("V-0")), bad, "2026-01-01").contains("V-9"));
    }

    #[test]
    fn a_part_thinner_than_its_rating_thickness_does_not_carry_the_rating() {
        let thin = with(
            casing(Some("V-0")),
            "/components/1/properties/wall_thickness",
            json!(1.5),
        );
        let f = at(thin);
        assert_eq!(
            (f[0].outcome, f[0].path.as_str()),
            (Outcome::Fail, "/components/1/properties/wall_thickness")
        );
        assert_eq!(
            f[0].expected.as_deref(),
            Some("wall ≥ 2 mm (the V-0 rating thickness)")
        );
        assert!(
            f[0].message.contains("does not carry the rating"),
            "{}",
            f[0].message
        );
        // Exactly the rating thickness is enough.
        let equal = with(
            casing(Some("V-0")),
            "/components/1/properties/wall_thickness",
            json!(2.0),
        );
        assert_eq!(at(equal)[0].outcome, Outcome::Pass);
        // A class below the requirement fails whatever the thickness.
        let hb = with(
            casing(Some("HB")),
            "/components/1/properties/wall_thickness",
            json!(9.0),
        );
        assert_eq!(at(hb)[0].outcome, Outcome::Fail);
    }

    #[test]
    fn missing_thicknesses_are_errors_never_passes() {
        let s = without(
            casing(Some("V-0")),
            "/components/1/properties/wall_thickness",
        );
        let f = at(s);
        assert_eq!(
            (f[0].outcome, f[0].path.as_str()),
            (Outcome::Error, "/components/1/properties/wall_thickness")
        );
        let s = without(
            casing(Some("V-0")),
            "/components/1/properties/flammability_thickness",
        );
        let f = at(s);
        assert_eq!(
            (f[0].outcome, f[0].path.as_str()),
            (
                Outcome::Error,
                "/components/1/properties/flammability_thickness"
            )
        );
        assert_eq!(
            f[0].actual,
            Some(json!("V-0 (rating thickness not stated), wall 2.5 mm"))
        );
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
    fn which_parts_count() {
        let mut s = casing(Some("HB"));
        // A second plastic part named "top-cover" counts; a steel tray does not.
        s = with(
            s,
            "/components/2",
            json!({"id": "C3", "part": "top-cover", "mass": 1.0,
            "material": {"class": "plastic", "polymer": "PC"},
            "properties": {"flammability": "V-0", "flammability_thickness": 1.5, "wall_thickness": 1.5}}),
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
    fn chinese_messages() {
        let f = run(RULE, casing(Some("HB")), json!({}), "2026-01-01", Lang::Zh);
        assert!(f[0].message.contains("低于要求的 V-1"), "{}", f[0].message);
        let thin = with(
            casing(Some("V-0")),
            "/components/1/properties/wall_thickness",
            json!(1.5),
        );
        let f = run(RULE, thin, json!({}), "2026-01-01", Lang::Zh);
        assert!(f[0].message.contains("该等级不适用"), "{}", f[0].message);
    }
}
