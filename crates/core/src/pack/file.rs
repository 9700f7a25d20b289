//! The pack file as written: the serde model of `recert.pack/v1`.
//!
//! `schemas/rule-pack.schema.json` is the same contract for editors and is
//! checked first; this model is what the compiler reads afterwards. Field
//! docs here are the reference (`docs/pack-format.md` explains them).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value as Json;

use crate::lang::Text;
use crate::report::{Severity, Verification};

/// The value of `schema` in every pack.
pub const PACK_SCHEMA: &str = "recert.pack/v1";

/// A pack file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PackFile {
    /// Checked before deserializing (see `compile`).
    #[serde(rename = "schema")]
    pub _schema: String,
    pub id: String,
    pub version: String,
    pub title: Text,
    #[serde(default)]
    pub description: Option<Text>,
    pub standards: Vec<StandardFile>,
    #[serde(default)]
    pub applies_to: Option<String>,
    #[serde(default)]
    pub params: BTreeMap<String, ParamFile>,
    #[serde(default)]
    pub plugins: Vec<PluginFile>,
    #[serde(default)]
    pub limits: Option<LimitsFile>,
    pub rules: Vec<RuleFile>,
}

/// A standard the pack cites.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StandardFile {
    pub id: String,
    pub title: Text,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub verification: Option<Verification>,
}

/// A named constant.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParamFile {
    pub value: Json,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub row: Option<String>,
    #[serde(default)]
    pub verification: Option<Verification>,
}

/// A plugin the pack uses.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PluginFile {
    pub id: String,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
}

/// Per-call plugin limits, as quantities (`64 MiB`, `1 s`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LimitsFile {
    #[serde(default)]
    pub memory: Option<String>,
    #[serde(default)]
    pub time: Option<String>,
}

/// A rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    pub id: String,
    pub title: Text,
    pub message: Text,
    #[serde(default)]
    pub description: Option<Text>,
    pub severity: SeverityFile,
    pub reference: ReferenceFile,
    #[serde(default)]
    pub verification: Option<Verification>,
    #[serde(default)]
    pub effective: Option<EffectiveFile>,
    #[serde(default)]
    pub for_each: Option<ForEach>,
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub check: Option<CheckFile>,
    #[serde(default)]
    pub assert: Option<String>,
    #[serde(default)]
    pub actual: Option<String>,
    #[serde(default)]
    pub expected: Option<Text>,
    #[serde(default)]
    pub plugin: Option<String>,
    #[serde(default)]
    pub config: Option<Json>,
    #[serde(default)]
    pub fix: Option<FixFile>,
}

/// What would make a failing finding pass: a template in both languages
/// and, for a share taken over components by mass, which components and
/// which share of each.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FixFile {
    pub en: String,
    pub zh: String,
    #[serde(default)]
    pub parts: Option<String>,
    #[serde(default)]
    pub share: Option<String>,
}

/// A rule's severity: one, or `params.NAME` naming a param that holds one.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum SeverityFile {
    Fixed(Severity),
    Param(String),
}

/// What a rule iterates over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ForEach {
    Components,
}

/// A clause of a standard.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReferenceFile {
    pub standard: String,
    pub clause: String,
    #[serde(default)]
    pub row: Option<String>,
}

/// The dates a rule is in force.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EffectiveFile {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub from_param: Option<FromParamFile>,
}

/// A start that depends on a date param: the later of `from` and the
/// param's date plus a delay.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FromParamFile {
    pub param: String,
    #[serde(default)]
    pub add_years: u32,
    #[serde(default)]
    pub add_months: u32,
}

/// A threshold check.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckFile {
    pub value: String,
    #[serde(default)]
    pub min: Option<Json>,
    #[serde(default)]
    pub max: Option<Json>,
    #[serde(default)]
    pub below: Option<Json>,
    #[serde(default)]
    pub above: Option<Json>,
    #[serde(default)]
    pub unit: Option<String>,
}
