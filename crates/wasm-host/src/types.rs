//! The values that cross the plugin boundary, on the engine's side.
//!
//! These mirror the records of `plugins/wit/plugin.wit` but are plain engine
//! types: the rest of the engine never sees the generated bindings.

use std::time::Duration;

/// Per-call limits of a plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest linear memory (and table storage) one call may use, in bytes.
    /// Default 64 MiB.
    pub memory_bytes: u64,
    /// Wall time for one call, instantiation included. Default 1 s. Enforced
    /// with epoch interruption, so a call is cut off between `time` and
    /// `time` plus one tick (10 ms).
    pub time: Duration,
    /// Largest output of one call, in bytes: the text of every returned
    /// string plus 64 bytes per finding. Default 1 MiB.
    pub max_output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 64 << 20,
            time: Duration::from_secs(1),
            max_output_bytes: 1 << 20,
        }
    }
}

/// What a finding concluded: the report's own vocabulary.
pub use recert_core::report::Outcome;

/// A clause of a standard.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The standard, e.g. "Regulation (EU) 2023/1542".
    pub standard: String,
    /// The clause, e.g. "Art. 8(2)(a)".
    pub clause: String,
}

/// A rule a plugin declares in `describe()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable id, unique within the plugin.
    pub id: String,
    /// Title in English.
    pub title_en: String,
    /// Title in Chinese.
    pub title_zh: String,
    /// The clause the rule checks.
    pub reference: Reference,
}

/// Who a plugin is and what it implements, from its `describe()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    /// Stable id, e.g. "battery-casing".
    pub id: String,
    /// Semver of the plugin (checked to parse).
    pub version: String,
    /// One-line description.
    pub title: String,
    /// Every rule it may report findings for.
    pub rules: Vec<RuleInfo>,
}

impl PluginInfo {
    /// The declared rule with this id, if any.
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// One evaluation: one rule over one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PluginRequest<'a> {
    /// The rule to evaluate; must be declared by the plugin.
    pub rule: &'a str,
    /// The normalized submission as JSON text.
    pub submission_json: &'a str,
    /// The pack rule's `config` as JSON text (`{}` when absent), with the
    /// pack's params under `params`.
    pub config_json: &'a str,
    /// The evaluation date, `YYYY-MM-DD`; the guest's clocks show its midnight UTC.
    pub evaluation_date: &'a str,
    /// The report language, "en" or "zh".
    pub lang: &'a str,
}

/// One validated finding a plugin reported.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginFinding {
    /// The rule: always the requested one.
    pub rule: String,
    /// What the finding concluded.
    pub outcome: Outcome,
    /// JSON Pointer into the submission ("" for the whole); checked to be well formed.
    pub path: String,
    /// The value checked, parsed from the plugin's JSON text.
    pub actual: Option<serde_json::Value>,
    /// The requirement in words, e.g. ">= 16 %".
    pub expected: Option<String>,
    /// Why, in the requested language.
    pub message: String,
    /// A more precise clause than the rule's, if the plugin gave one.
    pub reference: Option<Reference>,
}
