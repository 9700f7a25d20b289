//! `fcm-us-fda-nol`: recycled plastic in food contact in the US needs an FDA
//! No Objection Letter for its recycling process (STANDARDS U1-U5).
//!
//! FDA's guidance (U1, July 2021) is non-binding; in practice FDA reviews
//! each recycling process and issues a No Objection Letter (NOL) stating
//! the Conditions of Use (A-H) and the maximum recycled share the resin may
//! be used at (U5). So the pack lets a certification body set the rule's
//! severity (param `us_nol_severity`, default `error`).
//!
//! For each plastic component of a food-contact product for the US that
//! contains recycled plastic (primary, secondary or tertiary recycling, U2):
//! - no `recycled.process.authorisation` with scheme `FDA-NOL` → `fail`;
//!   the scheme without a letter number → `error`;
//! - `max_share` declared: the component's recycled share (post- plus
//!   pre-consumer) above it → `fail`;
//! - `conditions` (the letter's Conditions of Use) declared: the
//!   component's `intended_conditions` must be declared (else `error`) and
//!   each among them (else `fail`);
//! - otherwise `pass`. What the letter does not declare is not checked, and
//!   the message says so.
//!
//! The 0.5 ppb dietary threshold (U3) is what FDA checks when it issues a
//! letter; the 220 ppb PET surrogate figure (U4) is unconfirmed and not used.

use recert_plugin_sdk::{Finding, RequestView, fmt_quantity};
use serde_json::json;

use crate::scope::{self, has_number, no_share};

/// The guidance, as cited in rule references.
pub const GUIDANCE: &str = "FDA, Use of Recycled Plastics in Food Packaging (Chemistry Considerations): Guidance for Industry (July 2021)";

/// The scheme of an FDA No Objection Letter.
pub const SCHEME: &str = "FDA-NOL";

/// Conditions of Use as letters, upper case, sorted, without duplicates.
fn letters<S: AsRef<str>>(list: &[S]) -> Vec<String> {
    let mut out: Vec<String> = list
        .iter()
        .map(|c| c.as_ref().trim().to_ascii_uppercase())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Evaluates the rule.
pub fn evaluate(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    let targets = match scope::targets(req, "US") {
        Ok(t) => t,
        Err(na) => return Ok(vec![*na]),
    };
    let mut out = Vec::new();
    for t in &targets {
        let Some(share) = t.share else {
            out.push(no_share(req, t));
            continue;
        };
        let label = t.component.label();
        let path = t.path(&["recycled", "process", "authorisation"]);
        let Some(letter) = t.authorisation_of(SCHEME) else {
            let given = t
                .authorisation()
                .map(scope::describe_authorisation)
                .unwrap_or_else(|| req.text("no authorisation declared", "未申报授权"));
            out.push(
                req.fail(path)
                    .actual(given)
                    .expected(req.text("an FDA No Objection Letter for the recycling process", "回收工艺取得 FDA 无异议函"))
                    .message(
                        format!("{label} contains recycled plastic, but no FDA No Objection Letter for its recycling process is declared (recycled.process.authorisation, scheme FDA-NOL). FDA reviews each recycling process for food-contact use and states its Conditions of Use and maximum recycled share in the letter."),
                        format!("{label} 含有再生塑料，但未申报其回收工艺的 FDA 无异议函（recycled.process.authorisation，scheme 为 FDA-NOL）。FDA 逐一审查用于食品接触的回收工艺，并在无异议函中规定使用条件和最高再生料比例。"),
                    )
                    .build(),
            );
            continue;
        };
        if !has_number(letter) {
            out.push(
                req.error(path)
                    .actual(SCHEME)
                    .expected(req.text("the No Objection Letter's number", "无异议函编号"))
                    .message(
                        format!("{label} names an FDA No Objection Letter without its number; the number is needed to check the letter in FDA's inventory."),
                        format!("{label} 申报了 FDA 无异议函但未给出编号；须提供编号以便在 FDA 清单中核对。"),
                    )
                    .build(),
            );
            continue;
        }
        let number = letter.number.as_deref().unwrap_or("").trim();
        // The letter's maximum recycled share.
        if let Some(max) = letter.max_share
            && share > max
        {
            out.push(
                req.fail(t.path(&["recycled"]))
                    .actual(json!({"value": share, "unit": "%"}))
                    .expected(format!("≤ {}", fmt_quantity(max, "%")))
                    .message(
                        format!("{label} contains {} recycled plastic; FDA No Objection Letter {number} allows at most {}.", fmt_quantity(share, "%"), fmt_quantity(max, "%")),
                        format!("{label} 的再生塑料比例为 {}；FDA 无异议函 {number} 允许的最高比例为 {}。", fmt_quantity(share, "%"), fmt_quantity(max, "%")),
                    )
                    .build(),
            );
            continue;
        }
        // The letter's Conditions of Use.
        let allowed = letters(&letter.conditions);
        let intended = letters(&letter.intended_conditions);
        let cond_path = path.clone() + "/intended_conditions";
        if !allowed.is_empty() {
            let allowed_text = allowed.join(", ");
            let expected = req.lang.pick(
                "within the letter's Conditions of Use",
                "在无异议函规定的使用条件内",
            );
            if intended.is_empty() {
                out.push(
                    req.error(cond_path)
                        .expected(format!("{expected} ({allowed_text})"))
                        .message(
                            format!("FDA No Objection Letter {number} allows Conditions of Use {allowed_text}, but {label} does not declare the conditions it is used under (intended_conditions)."),
                            format!("FDA 无异议函 {number} 允许的使用条件为 {allowed_text}，但 {label} 未申报其实际使用条件（intended_conditions）。"),
                        )
                        .build(),
                );
                continue;
            }
            let outside: Vec<&String> = intended.iter().filter(|c| !allowed.contains(c)).collect();
            if !outside.is_empty() {
                let outside_text = outside
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(
                    req.fail(cond_path)
                        .actual(intended.join(", "))
                        .expected(format!("{expected} ({allowed_text})"))
                        .message(
                            format!("{label} is used under Conditions of Use {outside_text}, which FDA No Objection Letter {number} does not cover (it allows {allowed_text})."),
                            format!("{label} 的使用条件 {outside_text} 不在 FDA 无异议函 {number} 的范围内（该函允许 {allowed_text}）。"),
                        )
                        .build(),
                );
                continue;
            }
        }
        let mut checked_en = Vec::new();
        let mut checked_zh = Vec::new();
        if let Some(max) = letter.max_share {
            checked_en.push(format!(
                "recycled share {} within the letter's {}",
                fmt_quantity(share, "%"),
                fmt_quantity(max, "%")
            ));
            checked_zh.push(format!(
                "再生塑料比例 {} 未超过该函规定的 {}",
                fmt_quantity(share, "%"),
                fmt_quantity(max, "%")
            ));
        } else {
            checked_en.push(
                "the letter's maximum recycled share is not declared (max_share), not checked"
                    .to_owned(),
            );
            checked_zh.push("未申报该函的最高再生料比例（max_share），未核查".to_owned());
        }
        if allowed.is_empty() {
            checked_en.push(
                "its Conditions of Use are not declared (conditions), not checked".to_owned(),
            );
            checked_zh.push("未申报该函的使用条件（conditions），未核查".to_owned());
        } else {
            checked_en.push(format!(
                "Conditions of Use {} within {}",
                intended.join(", "),
                allowed.join(", ")
            ));
            checked_zh.push(format!(
                "使用条件 {} 在 {} 范围内",
                intended.join(", "),
                allowed.join(", ")
            ));
        }
        out.push(
            req.pass(path)
                .actual(scope::describe_authorisation(letter))
                .expected(req.text("an FDA No Objection Letter for the recycling process", "回收工艺取得 FDA 无异议函"))
                .message(
                    format!("{label}: recycling process covered by FDA No Objection Letter {number}; {}.", checked_en.join("; ")),
                    format!("{label}：回收工艺已取得 FDA 无异议函 {number}；{}。", checked_zh.join("；")),
                )
                .build(),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use recert_plugin_sdk::{Lang, Outcome};
    use serde_json::{Value, json};

    const RULE: &str = "fcm-us-fda-nol";
    const AUTH: &str = "/components/0/recycled/process/authorisation";

    fn milk_bottle(letter: Value) -> Value {
        let s = with(rpet_bottle(), "/product/markets", json!(["US"]));
        let s = with(s, "/components/0/material/polymer", json!("PE-HD"));
        with(s, "/components/0/recycled/process/authorisation", letter)
    }

    #[test]
    fn a_letter_within_its_share_and_conditions_passes() {
        let s = milk_bottle(
            json!({"scheme": "FDA-NOL", "number": "NOL 123", "max_share": 50.0,
                                  "conditions": ["C", "D", "E", "F", "G"], "intended_conditions": ["e", "F"]}),
        );
        let f = run(RULE, s, json!({}), "2026-01-01", Lang::En);
        assert_eq!((f[0].path.as_str(), f[0].outcome), (AUTH, Outcome::Pass));
        assert!(
            f[0].message.contains("50 % within the letter's 50 %"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("E, F within C, D, E, F, G"),
            "{}",
            f[0].message
        );
        // Undeclared limits are not checked, and the message says so.
        let f = run(
            RULE,
            milk_bottle(json!({"scheme": "FDA-NOL", "number": "1"})),
            json!({}),
            "2026-01-01",
            Lang::Zh,
        );
        assert_eq!(f[0].outcome, Outcome::Pass);
        assert!(f[0].message.contains("未核查"), "{}", f[0].message);
    }

    #[test]
    fn no_letter_too_much_or_other_conditions_fail() {
        assert_eq!(
            outcomes(
                RULE,
                milk_bottle(json!({"scheme": "EU-2022/1616", "number": "R1"}))
            ),
            one(AUTH, Outcome::Fail)
        );
        let f = run(
            RULE,
            milk_bottle(json!({"scheme": "FDA-NOL", "number": "1", "max_share": 15.0})),
            json!({}),
            "2026-01-01",
            Lang::En,
        );
        assert_eq!(
            (f[0].path.as_str(), f[0].outcome),
            ("/components/0/recycled", Outcome::Fail)
        );
        assert_eq!(f[0].expected.as_deref(), Some("≤ 15 %"));
        let s = milk_bottle(
            json!({"scheme": "FDA-NOL", "number": "1", "conditions": ["C", "D"], "intended_conditions": ["A", "C"]}),
        );
        let f = run(RULE, s, json!({}), "2026-01-01", Lang::En);
        assert_eq!(f[0].outcome, Outcome::Fail);
        assert!(
            f[0].message.contains("Conditions of Use A,")
                || f[0].message.contains("Conditions of Use A "),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn what_cannot_be_checked_is_an_error() {
        assert_eq!(
            outcomes(RULE, milk_bottle(json!({"scheme": "FDA-NOL"}))),
            one(AUTH, Outcome::Error)
        );
        let s = milk_bottle(json!({"scheme": "FDA-NOL", "number": "1", "conditions": ["C"]}));
        assert_eq!(
            outcomes(RULE, s),
            one(
                "/components/0/recycled/process/authorisation/intended_conditions",
                Outcome::Error
            )
        );
        let s = without(
            milk_bottle(json!({})),
            "/components/0/recycled/post_consumer",
        );
        assert_eq!(
            outcomes(RULE, s),
            one("/components/0/recycled", Outcome::Error)
        );
    }

    #[test]
    fn other_markets_are_not_applicable() {
        let s = with(milk_bottle(json!({})), "/product/markets", json!(["EU"]));
        assert_eq!(
            outcomes(RULE, s),
            one("/product/markets", Outcome::NotApplicable)
        );
    }
}
