//! The plain data types of the recert plugin interface, `recert:plugin@1.0.0`.
//!
//! The WIT file `plugins/wit/plugin.wit` is the contract on the wire; this
//! crate is its one Rust mirror, shared by everyone who speaks it:
//!
//! - the plugin host (`recert-wasm-host`) converts wit-bindgen's generated
//!   types to and from these in one module, and hands them to the core;
//! - the core (`recert-core`) takes a [`Request`] in its plugin runner
//!   interface and turns each [`Finding`] into a report finding; its report
//!   vocabulary ([`Outcome`], [`Severity`]) is this one;
//! - the guest SDK (`recert-plugin-sdk`) gives these types to plugin authors
//!   and converts them to its own generated bindings.
//!
//! | WIT | here |
//! | --- | --- |
//! | `enum outcome` | [`Outcome`] |
//! | `enum severity` | [`Severity`] |
//! | `record reference` | [`Reference`] |
//! | `record rule-info` | [`RuleInfo`] |
//! | `record plugin-info` | [`PluginInfo`] |
//! | `record request` | [`Request`] (borrowed; `submission` and `config` are JSON text) |
//! | `record finding` | [`Finding`] (generic in how `actual`, a JSON value, is held) |
//!
//! The crate depends on nothing but `serde` (feature `serde`, for
//! `Serialize`/`Deserialize` in the report's spelling), so it builds for any
//! target, `wasm32-wasip2` and `wasm32-unknown-unknown` included. The host's
//! tests check that the WIT file and these enums agree case by case.
#![warn(missing_docs)]

use std::fmt;

/// Formats `value` as people write it, in reports and in plugins' findings:
/// at most 2 decimals from 1 up (`14.29`, not `14.2941`), 3 significant
/// digits below 1 (`0.025`, `0.000123`), and no trailing zeros.
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value == value.trunc() && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = if magnitude >= 0 {
        2
    } else {
        (2 - magnitude).clamp(0, 12) as usize
    };
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    if text == "-0" { "0".to_owned() } else { text }
}

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// What a rule concluded at one place: the report's vocabulary, and the WIT
/// `enum outcome` (`pass`, `fail`, `not-applicable`, `not-in-force`, `error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Outcome {
    /// The requirement is met.
    Pass,
    /// The requirement is not met.
    Fail,
    /// The rule or its pack does not apply to this product or component.
    NotApplicable,
    /// The rule is not in force on the evaluation date.
    NotInForce,
    /// The rule could not be evaluated: missing data, a plugin failure...
    Error,
}

impl Outcome {
    /// `pass`, `fail`, `not-applicable`, `not-in-force`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not-applicable",
            Outcome::NotInForce => "not-in-force",
            Outcome::Error => "error",
        }
    }

    /// All outcomes, in report order.
    pub const ALL: [Outcome; 5] = [
        Outcome::Fail,
        Outcome::Error,
        Outcome::Pass,
        Outcome::NotInForce,
        Outcome::NotApplicable,
    ];
}

impl std::str::FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown outcome `{s}`; one of pass, fail, not-applicable, not-in-force, error"
                )
            })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a failed rule matters: the WIT `enum severity`; `error` fails
/// the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Severity {
    /// A failure fails the verdict.
    Error,
    /// Reported; never fails the verdict.
    Warning,
    /// Reported for information.
    Info,
}

impl Severity {
    /// `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// All severities, most severe first.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];
}

/// A clause of a standard (WIT `record reference`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Reference {
    /// The standard, e.g. `Regulation (EU) 2023/1542`.
    pub standard: String,
    /// The clause, e.g. `Art. 8(2)(a)`.
    pub clause: String,
}

impl Reference {
    /// A reference to `clause` of `standard`.
    pub fn new(standard: impl Into<String>, clause: impl Into<String>) -> Reference {
        Reference {
            standard: standard.into(),
            clause: clause.into(),
        }
    }
}

/// A rule a plugin implements (WIT `record rule-info`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct RuleInfo {
    /// Stable id, unique within the plugin; a pack rule that delegates to the
    /// plugin uses it as its own id.
    pub id: String,
    /// Title in English.
    pub title_en: String,
    /// Title in Chinese.
    pub title_zh: String,
    /// The clause the rule checks.
    pub reference: Reference,
}

impl RuleInfo {
    /// A rule `id` with its titles and the clause it checks.
    pub fn new(id: &str, title_en: &str, title_zh: &str, standard: &str, clause: &str) -> RuleInfo {
        RuleInfo {
            id: id.to_owned(),
            title_en: title_en.to_owned(),
            title_zh: title_zh.to_owned(),
            reference: Reference::new(standard, clause),
        }
    }
}

/// Who a plugin is and what it implements: the answer of its `describe()`
/// (WIT `record plugin-info`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct PluginInfo {
    /// Stable id, e.g. `battery-casing`.
    pub id: String,
    /// Semver of the plugin (the host checks that it parses).
    pub version: String,
    /// One-line description.
    pub title: String,
    /// Every rule it may report findings for; the host rejects findings for
    /// any other rule id.
    pub rules: Vec<RuleInfo>,
}

impl PluginInfo {
    /// A plugin with no rules yet; add them with [`PluginInfo::rule`].
    pub fn new(id: &str, version: &str, title: &str) -> PluginInfo {
        PluginInfo {
            id: id.to_owned(),
            version: version.to_owned(),
            title: title.to_owned(),
            rules: Vec::new(),
        }
    }

    /// Adds a rule.
    pub fn rule(mut self, rule: RuleInfo) -> PluginInfo {
        self.rules.push(rule);
        self
    }

    /// The declared rule with this id, if any.
    pub fn find_rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Whether `id` is one of the declared rules.
    pub fn declares(&self, id: &str) -> bool {
        self.find_rule(id).is_some()
    }
}

/// One evaluation: one rule over one submission (WIT `record request`),
/// borrowed from whoever makes the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Request<'a> {
    /// The rule to evaluate; one the plugin declares.
    pub rule: &'a str,
    /// The normalized submission (`recert.submission/v1`, every quantity a
    /// number in its canonical unit) as JSON text (WIT `submission`).
    pub submission_json: &'a str,
    /// The pack rule's `config` as JSON text (`{}` when absent), with the
    /// pack's params under the key `params` (WIT `config`).
    pub config_json: &'a str,
    /// The evaluation date, `YYYY-MM-DD`; the guest's clocks show its
    /// midnight UTC.
    pub evaluation_date: &'a str,
    /// The report language, `en` or `zh`.
    pub lang: &'a str,
}

/// One conclusion about one place in the submission (WIT `record finding`).
///
/// `actual` is a JSON value. On the wire it is JSON text, the default
/// `Finding<String>`; the host parses (and so checks) it, and the core and
/// the SDK hold it as a parsed value, `Finding<serde_json::Value>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Finding<Json = String> {
    /// The rule, as requested.
    pub rule: String,
    /// What the finding concluded.
    pub outcome: Outcome,
    /// JSON Pointer into the submission, e.g. `/components/3`; `""` for the
    /// whole submission.
    pub path: String,
    /// The value checked (a number, string or object), if any.
    pub actual: Option<Json>,
    /// The requirement in words, e.g. `≥ 16 %`.
    pub expected: Option<String>,
    /// Why, in the requested language.
    pub message: String,
    /// A more precise clause than the rule's, if any.
    pub reference: Option<Reference>,
}

impl<Json> Finding<Json> {
    /// The same finding with `actual` converted by `convert` (e.g. JSON text
    /// parsed into a value); the first error stops it.
    pub fn try_map_actual<To, E>(
        self,
        convert: impl FnOnce(Json) -> Result<To, E>,
    ) -> Result<Finding<To>, E> {
        Ok(Finding {
            actual: self.actual.map(convert).transpose()?,
            rule: self.rule,
            outcome: self.outcome,
            path: self.path,
            expected: self.expected,
            message: self.message,
            reference: self.reference,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_spelled_as_in_the_report() {
        assert_eq!(Outcome::NotInForce.as_str(), "not-in-force");
        assert_eq!(Outcome::NotApplicable.to_string(), "not-applicable");
        for outcome in Outcome::ALL {
            assert_eq!(outcome.as_str().parse::<Outcome>(), Ok(outcome));
        }
        assert!(
            "passed"
                .parse::<Outcome>()
                .unwrap_err()
                .starts_with("unknown outcome `passed`")
        );
    }

    #[test]
    fn plugin_info_finds_its_rules() {
        let info = PluginInfo::new("p", "1.0.0", "P")
            .rule(RuleInfo::new("a", "A", "甲", "S", "1"))
            .rule(RuleInfo::new("b", "B", "乙", "S", "2"));
        assert!(info.declares("b") && !info.declares("c"));
        assert_eq!(
            info.find_rule("b").map(|r| r.reference.clause.as_str()),
            Some("2")
        );
    }

    #[test]
    fn actual_maps_and_stops_at_the_first_error() {
        let finding = Finding {
            rule: "r".to_owned(),
            outcome: Outcome::Fail,
            path: String::new(),
            actual: Some("12".to_owned()),
            expected: None,
            message: "m".to_owned(),
            reference: Some(Reference::new("S", "1")),
        };
        let parsed = finding.clone().try_map_actual(|t| t.parse::<u32>());
        assert_eq!(parsed.map(|f| f.actual), Ok(Some(12)));
        let bad = Finding {
            actual: Some("x".to_owned()),
            ..finding
        };
        assert!(bad.try_map_actual(|t| t.parse::<u32>()).is_err());
    }
}
