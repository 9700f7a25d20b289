//! The recyclate's declared properties and the limits the certification body
//! sets for them.
//!
//! Which components: plastic components that claim recycled content, of a
//! polymer a recyclate standard in STANDARDS.md covers ([`standard_for`]):
//! PE (GB/T 40006.2, EN 15344), PP (GB/T 40006.3, EN 15345), ABS
//! (GB/T 40006.5), PS (GB/T 40006.6, EN 15342), PC (GB/T 40006.7), PA
//! (GB/T 40006.8), PET (GB/T 40006.9, EN 15348). A blend (PC/ABS) or another
//! polymer (PVC, PMMA, other) is `not-applicable`: no part covers it. A
//! component without a polymer is `error`: the part cannot be chosen.
//!
//! **`rpq-recyclate-properties`** (Q1, Q2, Q5, Q6, Q10, Q11, Q12): the
//! recyclate declares melt flow rate (EN ISO 1133), density, ash and
//! moisture/volatiles (EN 12099, `properties.moisture`); for PET, intrinsic
//! viscosity (GB/T 40006.9, capillary viscometer;
//! `properties.intrinsic_viscosity`, dL/g) in place of the melt flow rate,
//! which neither PET source names. The numeric limits of GB/T 40006.x §5 and
//! EN 15344 Tables 1/2 were not retrieved (STANDARDS open items 8, 9), so
//! every limit is a pack param without a value ([`LIMITS`]) that the
//! certification body sets with `--params`; one set applies to every
//! recyclate the pack checks, each limit only to the polymers that declare
//! its property. Per component: a declared value outside a limit that is set
//! → `fail` at that property; else a property not declared → `error`
//! (incomplete) at the first missing field, naming all; else `pass`, saying
//! which limits were checked, or that none was set.
//!
//! **`rpq-recyclate-limits-unset`** (information): per component, the
//! limits of its polymer that are not set → `fail` (the pack makes it
//! `info`, so the report says which declared values were not checked
//! against a limit); all set → `pass`.

use recert_plugin_sdk::view::Component;
use recert_plugin_sdk::{
    Finding, RequestView, fmt_number, fmt_quantity, pointer::component, pointer::component_field,
};
use serde_json::{Map, Value, json};

use crate::{claiming, no_claim};

/// Standards cited by the property rules.
pub const STANDARD: &str = "GB/T 40006.1-2021 and its polymer parts (recycled plastics); EN 15344 (PE), EN 15345 (PP), EN 15348 (PET) recyclates";

/// A property a recyclate declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Property {
    /// `melt_flow_rate`, g/10min (EN ISO 1133).
    MeltFlowRate,
    /// `density`, g/cm3.
    Density,
    /// `ash`, %.
    Ash,
    /// `moisture`, % (moisture/volatiles, EN 12099).
    Moisture,
    /// `intrinsic_viscosity`, dL/g (PET).
    IntrinsicViscosity,
}

impl Property {
    /// The field under `properties`.
    pub fn field(self) -> &'static str {
        match self {
            Property::MeltFlowRate => "melt_flow_rate",
            Property::Density => "density",
            Property::Ash => "ash",
            Property::Moisture => "moisture",
            Property::IntrinsicViscosity => "intrinsic_viscosity",
        }
    }

    /// Canonical unit.
    pub fn unit(self) -> &'static str {
        match self {
            Property::MeltFlowRate => "g/10min",
            Property::Density => "g/cm3",
            Property::Ash | Property::Moisture => "%",
            Property::IntrinsicViscosity => "dL/g",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Property::MeltFlowRate => "melt flow rate",
            Property::Density => "density",
            Property::Ash => "ash",
            Property::Moisture => "moisture/volatiles",
            Property::IntrinsicViscosity => "intrinsic viscosity",
        }
    }

    fn name_zh(self) -> &'static str {
        match self {
            Property::MeltFlowRate => "熔体流动速率",
            Property::Density => "密度",
            Property::Ash => "灰分",
            Property::Moisture => "水分及挥发物",
            Property::IntrinsicViscosity => "特性黏度",
        }
    }

    /// The declared value, in its canonical unit.
    pub fn value(self, c: &Component<'_>) -> Option<f64> {
        let p = &c.properties;
        match self {
            Property::MeltFlowRate => p.melt_flow_rate,
            Property::Density => p.density,
            Property::Ash => p.ash,
            Property::Moisture => p.moisture,
            Property::IntrinsicViscosity => p.intrinsic_viscosity,
        }
    }
}

/// A limit the certification body may set: its param, property and side.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Pack param name.
    pub param: &'static str,
    /// The property it bounds.
    pub property: Property,
    /// `true`: a minimum (value ≥ limit); `false`: a maximum (value ≤ limit).
    pub min: bool,
}

/// Every limit param (pack params without a default value; Q6, Q11).
pub const LIMITS: [Limit; 7] = [
    Limit {
        param: "mfr_min",
        property: Property::MeltFlowRate,
        min: true,
    },
    Limit {
        param: "mfr_max",
        property: Property::MeltFlowRate,
        min: false,
    },
    Limit {
        param: "density_min",
        property: Property::Density,
        min: true,
    },
    Limit {
        param: "density_max",
        property: Property::Density,
        min: false,
    },
    Limit {
        param: "ash_max",
        property: Property::Ash,
        min: false,
    },
    Limit {
        param: "moisture_max",
        property: Property::Moisture,
        min: false,
    },
    Limit {
        param: "intrinsic_viscosity_min",
        property: Property::IntrinsicViscosity,
        min: true,
    },
];

/// The recyclate standards of a polymer (as written in `material.polymer`),
/// `None` when no standard in STANDARDS.md covers it.
pub fn standard_for(polymer: &str) -> Option<&'static str> {
    let p = polymer.trim().to_ascii_uppercase();
    Some(match p.as_str() {
        "PE" | "PE-HD" | "PE-LD" | "PE-LLD" | "HDPE" | "LDPE" | "LLDPE" => {
            "GB/T 40006.2-2021, EN 15344"
        }
        "PP" => "GB/T 40006.3-2021, EN 15345",
        "ABS" => "GB/T 40006.5",
        "PS" | "PS-I" | "HIPS" => "GB/T 40006.6, EN 15342",
        "PC" => "GB/T 40006.7",
        "PA" | "PA6" | "PA66" | "PA-6" | "PA-66" => "GB/T 40006.8",
        "PET" => "GB/T 40006.9-2021, EN 15348",
        _ => return None,
    })
}

/// The properties a recyclate of `polymer` declares.
pub fn required(polymer: &str) -> &'static [Property] {
    if polymer.trim().eq_ignore_ascii_case("PET") {
        &[
            Property::IntrinsicViscosity,
            Property::Density,
            Property::Ash,
            Property::Moisture,
        ]
    } else {
        &[
            Property::MeltFlowRate,
            Property::Density,
            Property::Ash,
            Property::Moisture,
        ]
    }
}

/// Which components the property rules check, and how.
enum Scope<'a> {
    /// A covered polymer: its standards and required properties.
    Covered(&'static str, &'static [Property]),
    /// A polymer no standard covers.
    NotCovered(&'a str),
    /// No polymer stated.
    NoPolymer,
}

fn scope<'a>(c: &'a Component<'a>) -> Scope<'a> {
    match c.material.polymer.as_deref().map(str::trim) {
        None | Some("") => Scope::NoPolymer,
        Some(p) => match standard_for(p) {
            Some(std) => Scope::Covered(std, required(p)),
            None => Scope::NotCovered(p),
        },
    }
}

fn declared(c: &Component<'_>, props: &[Property]) -> Value {
    let mut map = Map::new();
    for p in props {
        if let Some(v) = p.value(c) {
            map.insert(p.field().to_owned(), json!(v));
        }
    }
    Value::Object(map)
}

fn not_covered(req: &RequestView<'_>, i: usize, c: &Component<'_>, polymer: &str) -> Finding {
    let label = c.label();
    req.not_applicable(component_field(i, &["material", "polymer"]))
        .actual(polymer)
        .message(
            format!(
                "Component {label}: no GB/T 40006 part or EN recyclate standard covers {polymer}."
            ),
            format!("部件 {label}：GB/T 40006 各部分及 EN 再生料标准均不涵盖 {polymer}。"),
        )
        .build()
}

fn no_polymer(req: &RequestView<'_>, i: usize, c: &Component<'_>) -> Finding {
    let label = c.label();
    req.error(component_field(i, &["material", "polymer"]))
        .message(
            format!("Component {label} claims recycled plastic but states no polymer (material.polymer), so the recyclate standard that applies cannot be chosen."),
            format!("部件 {label} 声明含再生塑料，但未说明树脂种类（material.polymer），无法确定适用的再生料标准。"),
        )
        .build()
}

fn names(props: &[Property], zh: bool) -> String {
    props
        .iter()
        .map(|p| if zh { p.name_zh() } else { p.name_en() })
        .collect::<Vec<_>>()
        .join(if zh { "、" } else { ", " })
}

fn finish(req: &RequestView<'_>, findings: Vec<Finding>) -> Vec<Finding> {
    if findings.is_empty() {
        vec![no_claim(req)]
    } else {
        findings
    }
}

/// Evaluates `rpq-recyclate-properties`.
pub fn evaluate_properties(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    let mut findings = Vec::new();
    for (i, c, _) in claiming(req) {
        let label = c.label();
        let (std, props) = match scope(c) {
            Scope::Covered(std, props) => (std, props),
            Scope::NotCovered(p) => {
                findings.push(not_covered(req, i, c, p));
                continue;
            }
            Scope::NoPolymer => {
                findings.push(no_polymer(req, i, c));
                continue;
            }
        };
        let limits = set_limits(req, props)?;
        let mut expected = req.text(
            &format!("{} declared", names(props, false)),
            &format!("申报{}", names(props, true)),
        );
        if !limits.is_empty() {
            let list = limits
                .iter()
                .map(|(l, v)| limit_text(l, *v))
                .collect::<Vec<_>>()
                .join("; ");
            expected = format!("{expected}; {list}");
        }
        let actual = declared(c, props);
        let missing: Vec<Property> = props
            .iter()
            .copied()
            .filter(|p| p.value(c).is_none())
            .collect();
        let outside: Vec<(Limit, f64, f64)> = limits
            .iter()
            .filter_map(|(l, limit)| {
                let v = l.property.value(c)?;
                let out = if l.min { v < *limit } else { v > *limit };
                out.then_some((*l, *limit, v))
            })
            .collect();
        let finding = if let Some((first, _, _)) = outside.first() {
            let list = outside
                .iter()
                .map(|(l, limit, v)| {
                    format!(
                        "{} {} (limit {})",
                        l.property.field(),
                        fmt_quantity(*v, l.property.unit()),
                        limit_text(l, *limit)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            req.fail(component_field(i, &["properties", first.property.field()]))
                .actual(actual)
                .expected(expected)
                .message(
                    format!("Component {label}: the recyclate is outside the limits the certification body set: {list}."),
                    format!("部件 {label}：再生料性能超出认证机构设定的限值：{list}。"),
                )
        } else if let Some(first) = missing.first() {
            req.error(component_field(i, &["properties", first.field()]))
                .actual(actual)
                .expected(expected)
                .message(
                    format!("Component {label}: the recyclate does not declare {} ({std} ask a recyclate to state them).", names(&missing, false)),
                    format!("部件 {label}：再生料未申报{}（{std} 要求再生料说明这些性能）。", names(&missing, true)),
                )
        } else {
            let (checked_en, checked_zh) = if limits.is_empty() {
                (
                    "no limit is set by the certification body, so none is checked".to_owned(),
                    "认证机构未设定限值，未比对限值".to_owned(),
                )
            } else {
                let list = limits
                    .iter()
                    .map(|(l, v)| limit_text(l, *v))
                    .collect::<Vec<_>>()
                    .join("; ");
                (
                    format!("within the limits the certification body set ({list})"),
                    format!("符合认证机构设定的限值（{list}）"),
                )
            };
            req.pass(component(i))
                .actual(actual)
                .expected(expected)
                .message(
                    format!(
                        "Component {label}: the recyclate declares {} ({std}); {checked_en}.",
                        names(props, false)
                    ),
                    format!(
                        "部件 {label}：再生料已申报{}（{std}）；{checked_zh}。",
                        names(props, true)
                    ),
                )
        };
        findings.push(finding.build());
    }
    Ok(finish(req, findings))
}

/// The limits set in the params, with their values, for `props`.
fn set_limits(req: &RequestView<'_>, props: &[Property]) -> Result<Vec<(Limit, f64)>, String> {
    let params = req.config.params();
    let mut out = Vec::new();
    for l in LIMITS.iter().filter(|l| props.contains(&l.property)) {
        match params.get(l.param) {
            None | Some(Value::Null) => {}
            Some(v) => {
                let n = v
                    .as_f64()
                    .ok_or_else(|| format!("param {} must be a number", l.param))?;
                out.push((*l, n));
            }
        }
    }
    Ok(out)
}

fn limit_text(l: &Limit, value: f64) -> String {
    format!(
        "{} {} {} {}",
        l.property.field(),
        if l.min { "≥" } else { "≤" },
        fmt_number(value),
        l.property.unit()
    )
}

/// Evaluates `rpq-recyclate-limits-unset`.
pub fn evaluate_limits_unset(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
    let params = req.config.params();
    let mut findings = Vec::new();
    for (i, c, _) in claiming(req) {
        let label = c.label();
        let props = match scope(c) {
            Scope::Covered(_, props) => props,
            Scope::NotCovered(p) => {
                findings.push(not_covered(req, i, c, p));
                continue;
            }
            Scope::NoPolymer => {
                findings.push(
                    req.not_applicable(component_field(i, &["material", "polymer"]))
                        .message(
                            format!("Component {label}: no polymer stated (see rpq-recyclate-properties)."),
                            format!("部件 {label}：未说明树脂种类（见 rpq-recyclate-properties）。"),
                        )
                        .build(),
                );
                continue;
            }
        };
        let unset: Vec<&str> = LIMITS
            .iter()
            .filter(|l| props.contains(&l.property))
            .filter(|l| matches!(params.get(l.param), None | Some(Value::Null)))
            .map(|l| l.param)
            .collect();
        let finding = if unset.is_empty() {
            req.pass(component(i)).message(
                format!(
                    "Component {label}: every recyclate limit is set by the certification body."
                ),
                format!("部件 {label}：认证机构已设定全部再生料性能限值。"),
            )
        } else {
            let list = unset.join(", ");
            req.fail(component(i))
                .actual(json!(unset))
                .expected(req.text("every limit set by the certification body", "认证机构设定全部限值"))
                .message(
                    format!("Component {label}: no limit is set for {list}; the standards' limit values were not retrieved (GB/T 40006.x §5, EN 15344 Tables 1/2), so the declared values are not checked against them. A certification body sets them with --params."),
                    format!("部件 {label}：未设定 {list} 的限值；相关标准的限值（GB/T 40006.x §5、EN 15344 表 1/2）尚未获取，申报值未与之比对。认证机构可通过 --params 设定。"),
                )
        };
        findings.push(finding.build());
    }
    Ok(finish(req, findings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use recert_plugin_sdk::{Lang, Outcome};
    use serde_json::json;

    const DATE: &str = "2026-11-20";

    fn outcome(rule: &str, sub: Value, config: Value) -> (Outcome, String, String) {
        let f = run(rule, sub, config, DATE, Lang::En);
        assert_eq!(f.len(), 1, "{f:?}");
        (f[0].outcome, f[0].path.clone(), f[0].message.clone())
    }

    fn limits(pairs: &[(&str, f64)]) -> Value {
        let mut params = Map::new();
        for (k, v) in pairs {
            params.insert((*k).to_owned(), json!({"value": v}));
        }
        params.insert("ash_max_unused".to_owned(), json!({"value": null}));
        json!({"params": params})
    }

    #[test]
    fn polymers_and_their_parts() {
        assert_eq!(standard_for("pe-hd"), Some("GB/T 40006.2-2021, EN 15344"));
        assert_eq!(standard_for("PET"), Some("GB/T 40006.9-2021, EN 15348"));
        assert_eq!(standard_for("PC/ABS"), None);
        assert_eq!(standard_for("PVC"), None);
        assert!(required("PET").contains(&Property::IntrinsicViscosity));
        assert!(!required("PET").contains(&Property::MeltFlowRate));
        assert!(required("PP").contains(&Property::MeltFlowRate));
    }

    #[test]
    fn declared_pass_and_missing_is_incomplete() {
        let (o, _, m) = outcome("rpq-recyclate-properties", abs_housing(), json!({}));
        assert_eq!(o, Outcome::Pass, "{m}");
        let sub = without(
            without(abs_housing(), "/components/0/properties/ash"),
            "/components/0/properties/moisture",
        );
        let (o, path, m) = outcome("rpq-recyclate-properties", sub, json!({}));
        assert_eq!(
            (o, path.as_str()),
            (Outcome::Error, "/components/0/properties/ash")
        );
        assert!(
            m.contains("ash, moisture/volatiles") && m.contains("GB/T 40006.5"),
            "{m}"
        );
    }

    #[test]
    fn pet_needs_intrinsic_viscosity() {
        let pet = with(
            abs_housing(),
            "/components/0/material/polymer",
            json!("PET"),
        );
        let (o, path, _) = outcome("rpq-recyclate-properties", pet.clone(), json!({}));
        assert_eq!(
            (o, path.as_str()),
            (
                Outcome::Error,
                "/components/0/properties/intrinsic_viscosity"
            )
        );
        let pet = with(
            pet,
            "/components/0/properties/intrinsic_viscosity",
            json!(0.78),
        );
        assert_eq!(
            outcome("rpq-recyclate-properties", pet, json!({})).0,
            Outcome::Pass
        );
    }

    #[test]
    fn uncovered_polymer_and_no_polymer() {
        let blend = with(
            abs_housing(),
            "/components/0/material/polymer",
            json!("PC/ABS"),
        );
        for rule in ["rpq-recyclate-properties", "rpq-recyclate-limits-unset"] {
            assert_eq!(
                outcome(rule, blend.clone(), json!({})).0,
                Outcome::NotApplicable,
                "{rule}"
            );
        }
        let none = without(abs_housing(), "/components/0/material/polymer");
        assert_eq!(
            outcome("rpq-recyclate-properties", none.clone(), json!({})).0,
            Outcome::Error
        );
        assert_eq!(
            outcome("rpq-recyclate-limits-unset", none, json!({})).0,
            Outcome::NotApplicable
        );
    }

    #[test]
    fn limits_unset_are_not_checked_and_said_so() {
        let (o, _, m) = outcome("rpq-recyclate-properties", abs_housing(), json!({}));
        assert_eq!(o, Outcome::Pass);
        assert!(m.contains("none is checked"), "{m}");
        let (o, _, m) = outcome("rpq-recyclate-limits-unset", abs_housing(), json!({}));
        assert_eq!(o, Outcome::Fail);
        assert!(
            m.contains("mfr_min, mfr_max, density_min, density_max, ash_max, moisture_max"),
            "{m}"
        );
        // intrinsic_viscosity_min concerns PET only.
        assert!(!m.contains("intrinsic"), "{m}");
        let all = limits(&[
            ("mfr_min", 1.0),
            ("mfr_max", 50.0),
            ("density_min", 1.0),
            ("density_max", 1.2),
            ("ash_max", 2.0),
            ("moisture_max", 0.2),
        ]);
        assert_eq!(
            outcome("rpq-recyclate-limits-unset", abs_housing(), all).0,
            Outcome::Pass
        );
    }

    #[test]
    fn limits_below_at_and_above() {
        // abs_housing declares ash 1.2 %.
        let at = |max: f64| {
            outcome(
                "rpq-recyclate-properties",
                abs_housing(),
                limits(&[("ash_max", max)]),
            )
            .0
        };
        assert_eq!(at(1.2), Outcome::Pass);
        assert_eq!(at(1.3), Outcome::Pass);
        assert_eq!(at(1.1), Outcome::Fail);
        // MFR 18 g/10min against a minimum.
        let min = |v: f64| {
            outcome(
                "rpq-recyclate-properties",
                abs_housing(),
                limits(&[("mfr_min", v)]),
            )
            .0
        };
        assert_eq!(min(18.0), Outcome::Pass);
        assert_eq!(min(18.5), Outcome::Fail);
        // A limit on a value not declared: incomplete.
        let sub = without(abs_housing(), "/components/0/properties/moisture");
        let (o, path, _) = outcome(
            "rpq-recyclate-properties",
            sub,
            limits(&[("moisture_max", 0.2)]),
        );
        assert_eq!(
            (o, path.as_str()),
            (Outcome::Error, "/components/0/properties/moisture")
        );
        // PET against its intrinsic viscosity minimum.
        let pet = with(
            with(
                abs_housing(),
                "/components/0/material/polymer",
                json!("PET"),
            ),
            "/components/0/properties/intrinsic_viscosity",
            json!(0.72),
        );
        let (o, path, m) = outcome(
            "rpq-recyclate-properties",
            pet,
            limits(&[("intrinsic_viscosity_min", 0.75), ("mfr_min", 99.0)]),
        );
        assert_eq!(
            (o, path.as_str()),
            (
                Outcome::Fail,
                "/components/0/properties/intrinsic_viscosity"
            ),
            "{m}"
        );
        assert!(m.contains("0.72 dL/g") && !m.contains("melt"), "{m}");
    }
}
