//! The recycled-content claim: its definitions, its chain of custody and the
//! minimum of its certification scheme.
//!
//! **`rpq-claim-definitions`** (ISO 14021, Q14; UL 2809 mass-ratio claim,
//! Q16). One finding per claiming component:
//! - neither `post_consumer` nor `pre_consumer` stated → `error`;
//! - post- plus pre-consumer above 100 % → `fail` (the loader already
//!   refuses such a submission; the rule checks it again for plugins' own
//!   callers);
//! - `recycled.source` says the material is rework, regrind or scrap
//!   reclaimed within the same process ([`IN_PROCESS_SOURCES`]) and a share
//!   is claimed → `fail`: ISO 14021 excludes it from pre-consumer material,
//!   and it is not post-consumer material either;
//! - otherwise `pass`.
//!
//! **`rpq-claim-chain-of-custody`** (EN 15343 §1, Q9; ISO 22095 §3.3, Q15;
//! UL 2809, Q16). One finding per claiming component:
//! - `recycled.certificate` of a known scheme ([`KNOWN_SCHEMES`], or the
//!   rule's `config.schemes`): no `valid_until` → `error`; `valid_until`
//!   on or after the evaluation date → `pass`; before it (expired) → `fail`,
//!   unless the claim is also traced to lots with evidence (the other
//!   backing the rule accepts): then `pass` at `recycled/lots`, naming the
//!   expired certificate;
//! - no certificate, or one of an unknown scheme or without a scheme:
//!   `recycled.lots` and at least one `evidence[]` document → `pass`
//!   (submission v1 does not link a document to a lot, so any document
//!   counts; the certification body reviews them); lots without evidence, or
//!   neither → `error` (incomplete), never `pass`;
//! - `recycled.chain_of_custody: book-and-claim` → `error`: a book-and-claim
//!   certificate is an administrative flow not connected to the physical
//!   flow (ISO 22095 §3.3.5), so it cannot show the share of *this
//!   component's mass* the claim states; the claim needs a physical model.
//!   Mass balance is accepted (the share holds on average, §3.3.4) and said
//!   so in the message.
//!
//! **`rpq-scheme-minimum`** (GRS, Q17; RCS, Q18; both TEXT-S and STANDARDS
//! open item 15, so the pack makes it a warning). Components whose
//! certificate is GRS or RCS: the claimed share (post- plus pre-consumer)
//! at least the pack params `grs_min` / `rcs_min` (20 % and 5 %) → `pass`,
//! below → `fail`, no share → `error`. Other schemes set no minimum here
//! (UL 2809 decides case by case, Q16) → `not-applicable`. GRS's 50 % for
//! consumer-facing labels is not checked: a submission does not say whether
//! the product is labelled.

use recert_plugin_sdk::view::{Certificate, Component, Recycled};
use recert_plugin_sdk::{
    Finding, RequestView, fmt_quantity, pointer::component, pointer::component_field,
};
use serde_json::{Value, json};

use crate::{claiming, no_claim};

/// Standard cited by `rpq-claim-definitions`.
pub const ISO_14021: &str = "ISO 14021:2016 (self-declared environmental claims)";

/// Standards cited by `rpq-claim-chain-of-custody`.
pub const CHAIN_OF_CUSTODY_STANDARD: &str =
    "EN 15343:2007 (traceability of recycled plastics); ISO 22095:2020 (chain of custody)";

/// Standards cited by `rpq-scheme-minimum`.
pub const SCHEME_STANDARD: &str =
    "Global Recycled Standard (GRS) 4.0; Recycled Claim Standard (RCS)";

/// `recycled.source` values that mean rework, regrind or scrap reclaimed
/// within the same process (ISO 14021: not pre-consumer material). Compared
/// after [`normalize_word`] (lower case, `_` and spaces as `-`).
pub const IN_PROCESS_SOURCES: [&str; 7] = [
    "rework",
    "regrind",
    "in-house-scrap",
    "in-house-regrind",
    "in-process-scrap",
    "same-process-scrap",
    "same-process-regrind",
];

/// Chain-of-custody schemes known to the rule, compared after
/// [`normalize_scheme`] (upper case, without spaces, `-` and `_`), with the
/// name reports use. The Chinese ones: CQC's environmental protection
/// products (Type II) certification, whose rules (CQC51-020304-2024) certify
/// self-declared claims such as recycled content against GB 24021-2024 /
/// ISO 14021:2024; and China Environmental Labelling (中国环境标志), certified
/// against the 环境标志产品技术要求 (HJ standards), under either name.
pub const KNOWN_SCHEMES: [(&str, &str); 10] = [
    ("GRS", "GRS"),
    ("RCS", "RCS"),
    ("ISCCPLUS", "ISCC PLUS"),
    ("UL2809", "UL 2809"),
    ("EN15343", "EN 15343"),
    ("RECYCLASS", "RecyClass"),
    ("EUCERTPLAST", "EuCertPlast"),
    ("CQCTYPEII", "CQC Type II"),
    (
        "CHINAENVIRONMENTALLABELLING",
        "China Environmental Labelling",
    ),
    ("中国环境标志", "中国环境标志"),
];

/// Pack param: GRS minimum recycled content, % (Q17).
pub const GRS_MIN_PARAM: &str = "grs_min";
/// Pack param: RCS minimum recycled material, % (Q18).
pub const RCS_MIN_PARAM: &str = "rcs_min";

/// `Rework` → `rework`, `in_house scrap` → `in-house-scrap`.
pub fn normalize_word(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect()
}

/// `ISCC PLUS`, `iscc-plus` → `ISCCPLUS`.
pub fn normalize_scheme(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether `source` names in-process rework, regrind or scrap.
pub fn is_in_process(source: &str) -> bool {
    let s = normalize_word(source);
    IN_PROCESS_SOURCES.contains(&s.as_str())
}

fn shares_actual(r: &Recycled<'_>) -> Value {
    present(&[
        ("post_consumer", json!(r.post_consumer)),
        ("pre_consumer", json!(r.pre_consumer)),
        ("source", json!(r.source)),
    ])
}

/// An object of the entries that are not null and not an empty list.
fn present(entries: &[(&str, Value)]) -> Value {
    let map: serde_json::Map<String, Value> = entries
        .iter()
        .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    Value::Object(map)
}

/// Evaluates `rpq-claim-definitions`.
pub fn evaluate_definitions(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    let findings: Vec<Finding> = claiming(req)
        .map(|(i, c, r)| definitions(req, i, c, r))
        .collect();
    Ok(if findings.is_empty() {
        vec![no_claim(req)]
    } else {
        findings
    })
}

fn definitions(req: &RequestView<'_>, i: usize, c: &Component<'_>, r: &Recycled<'_>) -> Finding {
    let label = c.label();
    let actual = shares_actual(r);
    let Some(total) = r.total() else {
        return req
            .error(component_field(i, &["recycled", "post_consumer"]))
            .actual(actual)
            .expected(req.text("post_consumer and/or pre_consumer stated", "须说明 post_consumer 和/或 pre_consumer"))
            .message(
                format!("Component {label} claims recycled content but states neither a post-consumer nor a pre-consumer share."),
                format!("部件 {label} 声明含再生料，但未说明消费后回收料或消费前回收料比例。"),
            )
            .build();
    };
    if total > 100.0 {
        return req
            .fail(component(i))
            .actual(actual)
            .expected(req.text("post-consumer + pre-consumer ≤ 100 %", "消费后 + 消费前回收料 ≤ 100 %"))
            .message(
                format!("Component {label}: post- and pre-consumer shares add up to {}, more than the component's mass.", fmt_quantity(total, "%")),
                format!("部件 {label}：消费后与消费前回收料比例之和为 {}，超过部件质量。", fmt_quantity(total, "%")),
            )
            .build();
    }
    if let Some(source) = r.source.as_deref().filter(|s| is_in_process(s)) {
        let pre = r.pre_consumer.unwrap_or(0.0);
        let post = r.post_consumer.unwrap_or(0.0);
        let claimed = if pre > 0.0 {
            format!("a pre-consumer share of {}", fmt_quantity(pre, "%"))
        } else {
            format!("a post-consumer share of {}", fmt_quantity(post, "%"))
        };
        let claimed_zh = if pre > 0.0 {
            format!("消费前回收料 {}", fmt_quantity(pre, "%"))
        } else {
            format!("消费后回收料 {}", fmt_quantity(post, "%"))
        };
        let field = if pre > 0.0 {
            "pre_consumer"
        } else {
            "post_consumer"
        };
        return req
            .fail(component_field(i, &["recycled", field]))
            .actual(actual)
            .expected(req.text("no recycled share from rework, regrind or scrap reclaimed within the same process", "不得将同一工艺内回用的返工料、回料或边角料计为再生料"))
            .message(
                format!("Component {label} claims {claimed} from `{source}`: rework, regrind and scrap generated in a process and reclaimed within the same process are not pre-consumer material under ISO 14021, nor post-consumer material; they do not count as recycled content."),
                format!("部件 {label} 声明来源为 `{source}` 的{claimed_zh}：按 ISO 14021，在同一工艺中产生并可在该工艺中回用的返工料、回料（水口料）和边角料不属于消费前回收料，也不属于消费后回收料，不计入再生料含量。"),
            )
            .build();
    }
    req.pass(component(i))
        .actual(actual)
        .expected(req.text("post-consumer + pre-consumer ≤ 100 %; no in-process rework or regrind", "消费后 + 消费前回收料 ≤ 100 %；不含同一工艺内回用的返工料或回料"))
        .message(
            format!("Component {label}: {} recycled content, none of it declared as in-process rework or regrind.", fmt_quantity(total, "%")),
            format!("部件 {label}：再生料含量 {}，未申报为同一工艺内回用的返工料或回料。", fmt_quantity(total, "%")),
        )
        .build()
}

/// The display name of a known scheme, `None` for another.
fn known_scheme(req: &RequestView<'_>, scheme: &str) -> Result<Option<String>, String> {
    let key = normalize_scheme(scheme);
    if let Some(list) = req.config.get_as::<Vec<String>>("schemes")? {
        return Ok(list
            .iter()
            .find(|s| normalize_scheme(s) == key)
            .map(|s| s.trim().to_owned()));
    }
    Ok(KNOWN_SCHEMES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, name)| (*name).to_owned()))
}

fn scheme_list(req: &RequestView<'_>) -> Result<String, String> {
    Ok(match req.config.get_as::<Vec<String>>("schemes")? {
        Some(list) => list.join(", "),
        None => KNOWN_SCHEMES
            .iter()
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join(", "),
    })
}

fn certificate_actual(
    cert: Option<&Certificate<'_>>,
    r: &Recycled<'_>,
    model: Option<&str>,
) -> Value {
    present(&[
        ("scheme", json!(cert.and_then(|c| c.scheme.clone()))),
        ("number", json!(cert.and_then(|c| c.number.clone()))),
        (
            "valid_until",
            json!(cert.and_then(|c| c.valid_until).map(|d| d.to_string())),
        ),
        ("lots", json!(r.lots)),
        ("chain_of_custody", json!(model)),
    ])
}

/// Evaluates `rpq-claim-chain-of-custody`.
pub fn evaluate_chain_of_custody(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    let mut findings = Vec::new();
    for (i, c, r) in claiming(req) {
        findings.push(chain_of_custody(req, i, c, r)?);
    }
    Ok(if findings.is_empty() {
        vec![no_claim(req)]
    } else {
        findings
    })
}

fn chain_of_custody(
    req: &RequestView<'_>,
    i: usize,
    c: &Component<'_>,
    r: &Recycled<'_>,
) -> Result<Finding, String> {
    let label = c.label();
    let model = r.chain_of_custody.as_deref();
    let cert = r.certificate.as_ref();
    let actual = certificate_actual(cert, r, model);
    let expected = req.text(
        "a chain-of-custody certificate of a known scheme valid on the evaluation date, or supplier lots with evidence",
        "在评估日期有效的已知方案产销监管链证书，或附证据的供应商批次",
    );
    if model == Some("book-and-claim") {
        return Ok(req
            .error(component_field(i, &["recycled", "chain_of_custody"]))
            .actual(actual)
            .expected(expected.clone())
            .message(
                format!("Component {label}: the claim rests on book and claim, whose administrative flow is not connected to the physical flow (ISO 22095 §3.3.5); it cannot show the recycled share of this component's mass. Give a certificate under identity preserved, segregated, controlled blending or mass balance."),
                format!("部件 {label}：该声明基于“账簿与声明”（book and claim）模式，其管理流与实物流不相连（ISO 22095 §3.3.5），无法证明本部件质量中的再生料比例。请提供身份保持、隔离、受控混合或质量平衡模式下的证书。"),
            )
            .build());
    }
    let date = req.date;
    let (mb_en, mb_zh) = if model == Some("mass-balance") {
        (
            " Under mass balance the share holds on average over the certified period, not in each part (ISO 22095 §3.3.4).",
            "质量平衡模式下，该比例仅在认证期内平均成立，不代表每个部件（ISO 22095 §3.3.4）。",
        )
    } else {
        ("", "")
    };
    let mut scheme_note = (String::new(), String::new());
    if let Some(cert) = cert {
        let scheme = cert.scheme.as_deref().unwrap_or("");
        let number = cert.number.as_deref().unwrap_or("(no number)");
        match known_scheme(req, scheme)? {
            Some(name) => {
                let Some(until) = cert.valid_until else {
                    return Ok(req
                        .error(component_field(i, &["recycled", "certificate", "valid_until"]))
                        .actual(actual)
                        .expected(expected)
                        .message(
                            format!("Component {label}: the {name} certificate {number} states no end of validity (valid_until), so its validity on {date} cannot be checked."),
                            format!("部件 {label}：{name} 证书 {number} 未注明有效期截止日（valid_until），无法确认其在 {date} 是否有效。"),
                        )
                        .build());
                };
                if until < date {
                    if r.lots.is_empty() || req.submission.evidence.is_empty() {
                        return Ok(req
                            .fail(component_field(i, &["recycled", "certificate", "valid_until"]))
                            .actual(actual)
                            .expected(req.text(&format!("valid on {date}, or supplier lots with evidence"), &format!("{date} 有效，或附证据的供应商批次")))
                            .message(
                                format!("Component {label}: the {name} certificate {number} covering the recycled-content claim expired on {until}, before the evaluation date {date}, and the claim is not traced to supplier lots with evidence instead."),
                                format!("部件 {label}：覆盖再生料含量声明的 {name} 证书 {number} 已于 {until} 到期，早于评估日期 {date}，且该声明也未追溯至附有证据的供应商批次。"),
                            )
                            .build());
                    }
                    scheme_note = (
                        format!(
                            " The {name} certificate {number} expired on {until}, before {date}: renew it."
                        ),
                        format!("{name} 证书 {number} 已于 {until} 到期，早于 {date}，请续期。"),
                    );
                } else {
                    return Ok(req
                        .pass(component(i))
                        .actual(actual)
                        .expected(req.text(&format!("valid on {date}"), &format!("{date} 有效")))
                        .message(
                            format!("Component {label}: the claim is covered by the {name} certificate {number}, valid until {until}.{mb_en}"),
                            format!("部件 {label}：该声明由 {name} 证书 {number} 覆盖，有效期至 {until}。{mb_zh}"),
                        )
                        .build());
                }
            }
            None => {
                let list = scheme_list(req)?;
                scheme_note = if scheme.is_empty() {
                    (
                        format!(" The certificate {number} names no scheme."),
                        format!("证书 {number} 未注明认证方案。"),
                    )
                } else {
                    (
                        format!(
                            " `{scheme}` is not a chain-of-custody scheme the rule knows ({list}); the certification body assesses it."
                        ),
                        format!(
                            "`{scheme}` 不是本规则认可的产销监管链方案（{list}），由认证机构评估。"
                        ),
                    )
                };
            }
        }
    }
    let (note_en, note_zh) = scheme_note;
    let evidence = req.submission.evidence.len();
    if !r.lots.is_empty() && evidence > 0 {
        let lots = r.lots.join(", ");
        return Ok(req
            .pass(component_field(i, &["recycled", "lots"]))
            .actual(actual)
            .expected(expected)
            .message(
                format!("Component {label}: the claim is traced to supplier lots {lots}, with {evidence} evidence document(s) in the submission (EN 15343 traceability; the certification body reviews them).{note_en}{mb_en}"),
                format!("部件 {label}：该声明可追溯至供应商批次 {lots}，申报材料附有 {evidence} 份证据文件（EN 15343 可追溯性；由认证机构审核）。{note_zh}{mb_zh}"),
            )
            .build());
    }
    if !r.lots.is_empty() {
        return Ok(req
            .error("/evidence")
            .actual(actual)
            .expected(expected)
            .message(
                format!("Component {label}: the claim names supplier lots but the submission holds no evidence document (evidence[]) behind them.{note_en}"),
                format!("部件 {label}：该声明列出了供应商批次，但申报材料中没有支持这些批次的证据文件（evidence[]）。{note_zh}"),
            )
            .build());
    }
    Ok(req
        .error(component_field(i, &["recycled", "certificate"]))
        .actual(actual)
        .expected(expected)
        .message(
            format!("Component {label}: the recycled-content claim is backed neither by a chain-of-custody certificate of a known scheme nor by supplier lots with evidence.{note_en}"),
            format!("部件 {label}：该再生料含量声明既无已知方案的产销监管链证书，也无附证据的供应商批次支持。{note_zh}"),
        )
        .build())
}

/// Evaluates `rpq-scheme-minimum`.
pub fn evaluate_scheme_minimum(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    let params = req.config.params();
    let grs = params.number(GRS_MIN_PARAM)?;
    let rcs = params.number(RCS_MIN_PARAM)?;
    let mut findings = Vec::new();
    for (i, c, r) in claiming(req) {
        let label = c.label();
        let scheme = r
            .certificate
            .as_ref()
            .and_then(|c| c.scheme.as_deref())
            .unwrap_or("");
        let (name, min, row) = match normalize_scheme(scheme).as_str() {
            "GRS" => ("GRS", grs, "Q17"),
            "RCS" => ("RCS", rcs, "Q18"),
            _ => {
                let shown = if scheme.is_empty() { "none" } else { scheme };
                findings.push(
                    req.not_applicable(component(i))
                        .actual(shown)
                        .message(
                            format!("Component {label}: certificate scheme {shown}; only GRS and RCS set a minimum recycled content here."),
                            format!("部件 {label}：证书方案为 {shown}；此处仅 GRS 和 RCS 规定了最低再生料含量。"),
                        )
                        .build(),
                );
                continue;
            }
        };
        let Some(min) = min else {
            findings.push(
                req.not_applicable(component(i))
                    .message(
                        format!("Component {label}: the {name} minimum ({row}) is not set by the pack's params; not checked."),
                        format!("部件 {label}：包参数未设定 {name} 最低含量（{row}），不予检查。"),
                    )
                    .build(),
            );
            continue;
        };
        let expected = format!("≥ {}", fmt_quantity(min, "%"));
        let Some(total) = r.total() else {
            findings.push(
                req.error(component_field(i, &["recycled", "post_consumer"]))
                    .expected(expected)
                    .message(
                        format!("Component {label}: the {name} claim states no recycled share."),
                        format!("部件 {label}：{name} 声明未说明再生料比例。"),
                    )
                    .build(),
            );
            continue;
        };
        let builder = if total >= min {
            req.pass(component(i))
        } else {
            req.fail(component(i))
        };
        let verb_en = if total >= min { "meets" } else { "is below" };
        let verb_zh = if total >= min { "达到" } else { "低于" };
        findings.push(
            builder
                .actual(json!(total))
                .expected(expected)
                .message(
                    format!("Component {label}: {} recycled content {verb_en} the {name} minimum of {}.", fmt_quantity(total, "%"), fmt_quantity(min, "%")),
                    format!("部件 {label}：再生料含量 {} {verb_zh} {name} 最低要求 {}。", fmt_quantity(total, "%"), fmt_quantity(min, "%")),
                )
                .build(),
        );
    }
    Ok(if findings.is_empty() {
        vec![no_claim(req)]
    } else {
        findings
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use recert_plugin_sdk::{Lang, Outcome};
    use serde_json::json;

    const DATE: &str = "2026-11-20";

    fn one(rule: &str, sub: Value, date: &str) -> Finding {
        let f = run(rule, sub, json!({}), date, Lang::En);
        assert_eq!(f.len(), 1, "{f:?}");
        f.into_iter().next().unwrap()
    }

    #[test]
    fn in_process_spellings() {
        for s in [
            "rework",
            "Regrind",
            "in_house scrap",
            "same-process-scrap",
            " IN-PROCESS-SCRAP ",
        ] {
            assert!(is_in_process(s), "{s}");
        }
        for s in ["production-scrap", "weee", "packaging", "post-industrial"] {
            assert!(!is_in_process(s), "{s}");
        }
    }

    #[test]
    fn definitions_pass_fail_error() {
        let f = one("rpq-claim-definitions", abs_housing(), DATE);
        assert_eq!(f.outcome, Outcome::Pass, "{}", f.message);
        // Regrind claimed as pre-consumer fails.
        let sub = with(
            with(
                abs_housing(),
                "/components/0/recycled/pre_consumer",
                json!(10.0),
            ),
            "/components/0/recycled/source",
            json!("regrind"),
        );
        let f = one("rpq-claim-definitions", sub, DATE);
        assert_eq!(f.outcome, Outcome::Fail);
        assert_eq!(f.path, "/components/0/recycled/pre_consumer");
        assert!(f.message.contains("not pre-consumer"), "{}", f.message);
        // Post-consumer from in-house scrap fails too, at its field.
        let sub = with(
            abs_housing(),
            "/components/0/recycled/source",
            json!("in-house-scrap"),
        );
        let f = one("rpq-claim-definitions", sub, DATE);
        assert_eq!(
            (f.outcome, f.path.as_str()),
            (Outcome::Fail, "/components/0/recycled/post_consumer")
        );
        // Production scrap from another process stays pre-consumer.
        let sub = with(
            with(
                abs_housing(),
                "/components/0/recycled/pre_consumer",
                json!(10.0),
            ),
            "/components/0/recycled/source",
            json!("production-scrap"),
        );
        assert_eq!(
            one("rpq-claim-definitions", sub, DATE).outcome,
            Outcome::Pass
        );
        // Above 100 %.
        let sub = with(
            abs_housing(),
            "/components/0/recycled/pre_consumer",
            json!(80.0),
        );
        assert_eq!(
            one("rpq-claim-definitions", sub, DATE).outcome,
            Outcome::Fail
        );
        // Exactly 100 % passes.
        let sub = with(
            abs_housing(),
            "/components/0/recycled/pre_consumer",
            json!(70.0),
        );
        assert_eq!(
            one("rpq-claim-definitions", sub, DATE).outcome,
            Outcome::Pass
        );
        // No share at all: incomplete.
        let sub = with(
            abs_housing(),
            "/components/0/recycled",
            json!({"source": "weee"}),
        );
        assert_eq!(
            one("rpq-claim-definitions", sub, DATE).outcome,
            Outcome::Error
        );
    }

    #[test]
    fn certificate_valid_on_both_sides_of_valid_until() {
        // valid_until 2027-05-31: valid on that day, expired the day after.
        let f = one("rpq-claim-chain-of-custody", abs_housing(), "2027-05-31");
        assert_eq!(f.outcome, Outcome::Pass, "{}", f.message);
        let f = one("rpq-claim-chain-of-custody", abs_housing(), "2027-06-01");
        assert_eq!(f.outcome, Outcome::Fail);
        assert_eq!(f.path, "/components/0/recycled/certificate/valid_until");
        assert!(f.message.contains("expired on 2027-05-31"), "{}", f.message);
        let zh = run(
            "rpq-claim-chain-of-custody",
            abs_housing(),
            json!({}),
            "2027-06-01",
            Lang::Zh,
        );
        assert!(
            zh[0].message.contains("已于 2027-05-31 到期"),
            "{}",
            zh[0].message
        );
        // Lots with evidence back the claim instead, and the certificate is
        // named as expired.
        let sub = with(abs_housing(), "/components/0/recycled/lots", json!(["L1"]));
        let f = one("rpq-claim-chain-of-custody", sub.clone(), "2027-06-01");
        assert_eq!(
            (f.outcome, f.path.as_str()),
            (Outcome::Pass, "/components/0/recycled/lots")
        );
        assert!(f.message.contains("expired on 2027-05-31"), "{}", f.message);
        // ... but not without evidence.
        let f = one(
            "rpq-claim-chain-of-custody",
            with(sub, "/evidence", json!([])),
            "2027-06-01",
        );
        assert_eq!(f.outcome, Outcome::Fail);
    }

    #[test]
    fn certificate_without_end_date_is_incomplete() {
        let sub = without(
            abs_housing(),
            "/components/0/recycled/certificate/valid_until",
        );
        assert_eq!(
            one("rpq-claim-chain-of-custody", sub, DATE).outcome,
            Outcome::Error
        );
    }

    #[test]
    fn scheme_spellings_and_unknown_schemes() {
        for s in ["ISCC PLUS", "iscc-plus", "UL 2809", "en15343", "RecyClass"] {
            let sub = with(
                abs_housing(),
                "/components/0/recycled/certificate/scheme",
                json!(s),
            );
            assert_eq!(
                one("rpq-claim-chain-of-custody", sub, DATE).outcome,
                Outcome::Pass,
                "{s}"
            );
        }
        // An unknown scheme without lots: incomplete, naming the known ones.
        let sub = with(
            abs_housing(),
            "/components/0/recycled/certificate/scheme",
            json!("ACME"),
        );
        let f = one("rpq-claim-chain-of-custody", sub.clone(), DATE);
        assert_eq!(f.outcome, Outcome::Error);
        assert!(
            f.message.contains("`ACME`") && f.message.contains("GRS"),
            "{}",
            f.message
        );
        // ... backed by lots with evidence: pass, saying so.
        let sub = with(sub, "/components/0/recycled/lots", json!(["L1", "L2"]));
        let f = one("rpq-claim-chain-of-custody", sub, DATE);
        assert_eq!(
            (f.outcome, f.path.as_str()),
            (Outcome::Pass, "/components/0/recycled/lots")
        );
        assert!(
            f.message.contains("L1, L2") && f.message.contains("`ACME`"),
            "{}",
            f.message
        );
        // A pack may list its own schemes.
        let f = run(
            "rpq-claim-chain-of-custody",
            abs_housing(),
            json!({"schemes": ["GRS"]}),
            DATE,
            Lang::En,
        );
        assert_eq!(f[0].outcome, Outcome::Error, "{}", f[0].message);
    }

    #[test]
    fn chinese_schemes_are_known() {
        for s in [
            "CQC Type II",
            "cqc-type-ii",
            "China Environmental Labelling",
            "中国环境标志",
        ] {
            let sub = with(
                abs_housing(),
                "/components/0/recycled/certificate/scheme",
                json!(s),
            );
            let f = one("rpq-claim-chain-of-custody", sub, DATE);
            assert_eq!(f.outcome, Outcome::Pass, "{s}: {}", f.message);
        }
    }

    #[test]
    fn lots_need_evidence_and_nothing_is_incomplete() {
        let no_cert = without(abs_housing(), "/components/0/recycled/certificate");
        let f = one("rpq-claim-chain-of-custody", no_cert.clone(), DATE);
        assert_eq!(
            (f.outcome, f.path.as_str()),
            (Outcome::Error, "/components/0/recycled/certificate")
        );
        let lots = with(no_cert, "/components/0/recycled/lots", json!(["L1"]));
        assert_eq!(
            one("rpq-claim-chain-of-custody", lots.clone(), DATE).outcome,
            Outcome::Pass
        );
        let f = one(
            "rpq-claim-chain-of-custody",
            with(lots, "/evidence", json!([])),
            DATE,
        );
        assert_eq!((f.outcome, f.path.as_str()), (Outcome::Error, "/evidence"));
    }

    #[test]
    fn book_and_claim_cannot_back_a_physical_share() {
        let sub = with(
            abs_housing(),
            "/components/0/recycled/chain_of_custody",
            json!("book-and-claim"),
        );
        let f = one("rpq-claim-chain-of-custody", sub, DATE);
        assert_eq!(f.outcome, Outcome::Error);
        assert!(f.message.contains("§3.3.5"), "{}", f.message);
        let sub = with(
            abs_housing(),
            "/components/0/recycled/chain_of_custody",
            json!("mass-balance"),
        );
        let f = one("rpq-claim-chain-of-custody", sub, DATE);
        assert_eq!(f.outcome, Outcome::Pass);
        assert!(f.message.contains("on average"), "{}", f.message);
    }

    #[test]
    fn scheme_minimums() {
        let params = json!({"params": {"grs_min": {"value": 20.0}, "rcs_min": {"value": 5.0}}});
        let grs = |share: f64| {
            let sub = with(
                with(
                    abs_housing(),
                    "/components/0/recycled/certificate/scheme",
                    json!("GRS"),
                ),
                "/components/0/recycled/post_consumer",
                json!(share),
            );
            run("rpq-scheme-minimum", sub, params.clone(), DATE, Lang::En)[0].outcome
        };
        assert_eq!(grs(20.0), Outcome::Pass);
        assert_eq!(grs(19.9), Outcome::Fail);
        let sub = with(
            with(
                abs_housing(),
                "/components/0/recycled/certificate/scheme",
                json!("RCS"),
            ),
            "/components/0/recycled/post_consumer",
            json!(4.0),
        );
        assert_eq!(
            run("rpq-scheme-minimum", sub, params.clone(), DATE, Lang::En)[0].outcome,
            Outcome::Fail
        );
        // UL 2809 sets its minimum case by case.
        let f = run(
            "rpq-scheme-minimum",
            abs_housing(),
            params.clone(),
            DATE,
            Lang::En,
        );
        assert_eq!(f[0].outcome, Outcome::NotApplicable);
        // No share with a GRS certificate: incomplete.
        let sub = with(
            with(
                abs_housing(),
                "/components/0/recycled",
                json!({"certificate": {"scheme": "GRS"}}),
            ),
            "/components/0/recycled/source",
            json!("weee"),
        );
        assert_eq!(
            run("rpq-scheme-minimum", sub, params, DATE, Lang::En)[0].outcome,
            Outcome::Error
        );
    }
}
