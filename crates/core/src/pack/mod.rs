//! Rule packs: parse, check and compile `recert.pack/v1` files.
//!
//! [`compile`] takes pack sources and a params override file and
//! gives compiled packs, or every problem found, each located at
//! `file:line:col`. Checks, in order: the YAML (duplicate keys, alias bombs),
//! the pack JSON Schema, then meaning: unique ids, CEL that compiles and uses
//! only known variables and params, ordered effective windows, references to
//! declared standards and plugins. Every CEL expression is compiled here, once.

mod compile;
mod discover;
mod file;
pub mod limits;
mod params;
mod schema;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;
use serde_json::Value as Json;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostics;
use crate::expr::{Expr, ExprEnv, Params};
use crate::lang::{Lang, Text};
use crate::report::{RuleTexts, Severity};

pub use crate::report::{ParamOverride, Verification};
pub use discover::{files_in, read_dir};
pub use file::PACK_SCHEMA;
pub use params::ParamsFile;
pub use schema::{EmbeddedSchema, PACK_SCHEMA_JSON, SchemaError};

/// A compiled set of packs, ready to evaluate any number of submissions.
#[derive(Debug)]
pub struct PackSet {
    pub(crate) env: ExprEnv,
    packs: Vec<Pack>,
}

impl PackSet {
    /// The packs, in the order given.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// The rule with `id`, and its pack.
    pub fn rule(&self, id: &str) -> Option<(&Pack, &Rule)> {
        self.packs
            .iter()
            .find_map(|pack| pack.rules.iter().find(|r| r.id == id).map(|r| (pack, r)))
    }

    /// The CEL environment the packs were compiled with.
    pub fn expr_env(&self) -> &ExprEnv {
        &self.env
    }
}

/// A compiled pack.
#[derive(Debug)]
pub struct Pack {
    /// Stable id.
    pub id: String,
    /// Semver.
    pub version: semver::Version,
    /// Title.
    pub title: Text,
    /// Longer description, if any.
    pub description: Option<Text>,
    /// Lowercase hex sha256 of the pack file's bytes.
    pub sha256: String,
    /// The file it was read from, as named to the user.
    pub file: String,
    /// The standards it cites.
    pub standards: Vec<Standard>,
    /// When the pack applies (CEL), if not always.
    pub applies_to: Option<Expr>,
    /// Its params, with overrides applied.
    pub params: Vec<Param>,
    /// The overrides that were applied.
    pub overrides: Vec<ParamOverride>,
    /// The plugins it uses.
    pub plugins: Vec<PluginRef>,
    /// Per-call plugin limits the pack asks for.
    pub limits: PluginLimits,
    /// Its rules, in file order.
    pub rules: Vec<Rule>,
    pub(crate) param_values: Params,
    /// `version` as text, written once when compiled: every report names it.
    pub(crate) version_text: String,
}

impl Pack {
    /// The version as text (`1.2.0`), as `semver` writes it.
    pub fn version_text(&self) -> &str {
        &self.version_text
    }

    /// The params as CEL evaluation sees them.
    pub fn params_values(&self) -> &Params {
        &self.param_values
    }

    /// The standard with `id`.
    pub fn standard(&self, id: &str) -> Option<&Standard> {
        self.standards.iter().find(|s| s.id == id)
    }
}

/// A standard a pack cites.
#[derive(Debug, Clone)]
pub struct Standard {
    /// Local id, referenced by rules.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Where to read it.
    pub url: Option<String>,
    /// How sure the authors are of its text.
    pub verification: Option<Verification>,
}

/// A named constant of a pack.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name (`params.NAME` in CEL).
    pub name: String,
    /// Value in effect (after overrides).
    pub value: Json,
    /// The pack's own value.
    pub default: Json,
    /// Canonical unit, if a quantity.
    pub unit: Option<String>,
    /// Title.
    pub title: Option<Text>,
    /// STANDARDS.md row id.
    pub row: Option<String>,
    /// How sure the authors are of the value.
    pub verification: Option<Verification>,
}

/// A plugin a pack uses.
#[derive(Debug, Clone)]
pub struct PluginRef {
    /// The plugin's id.
    pub id: String,
    /// Where its `.wasm` is, resolved against the pack's folder; `None` for a
    /// bundled plugin.
    pub path: Option<std::path::PathBuf>,
    /// The sha256 the pack pins, if any.
    pub sha256: Option<String>,
}

/// Per-call limits a pack asks for its plugins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PluginLimits {
    /// Memory, bytes.
    pub memory_bytes: Option<u64>,
    /// Time.
    pub time: Option<std::time::Duration>,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable id, unique across loaded packs.
    pub id: String,
    /// Title.
    pub title: Text,
    /// The requirement in words; `{expected}`, `{actual}`, `{component}` are filled in.
    pub message: Text,
    /// Longer explanation, for docs.
    pub description: Option<Text>,
    /// What a failure means for the verdict (after params: see `severity_param`).
    pub severity: Severity,
    /// The param the severity comes from, when written `params.NAME`.
    pub severity_param: Option<String>,
    /// The clause it checks.
    pub reference: Reference,
    /// How sure the authors are of the requirement.
    pub verification: Option<Verification>,
    /// When it is in force (with a `from_param` start already computed).
    pub effective: Window,
    /// A start that depends on a date param, if any.
    pub from_param: Option<FromParam>,
    /// Whether it runs once per component.
    pub for_each_component: bool,
    /// Guard; false means not applicable.
    pub when: Option<Expr>,
    /// What it checks.
    pub kind: RuleKind,
    /// The JSON pointer of the rule in its pack file (for diagnostics).
    pub pointer: String,
    /// Texts prepared for findings, per language (`Lang::En`, `Lang::Zh`).
    pub(crate) texts: [Arc<RuleTexts>; 2],
    /// Where a check's value is, when it is a plain field.
    pub(crate) check_at: Option<CheckAt>,
    /// The unit of a check's value.
    pub(crate) unit: Option<Arc<str>>,
    /// What would make a failing finding pass (`fix`), if the pack says.
    pub fix: Option<Fix>,
}

/// A rule's `fix`: a template for what would make a failing finding pass
/// and, for a share taken over components by mass, the components
/// (`parts`) and the share of each (`share`, a field path in a component).
#[derive(Debug)]
pub struct Fix {
    /// The template, with `{component}`, `{actual}`, `{limit}`,
    /// `{expected}`, `{gap}`, `{missing}`, `{part}`, `{part_from}`, `{part_to}`.
    pub text: Text,
    /// The components the share is taken over, a CEL list.
    pub parts: Option<Expr>,
    /// The share of each, as paths under the component whose values add up
    /// (`recycled.post_consumer + recycled.pre_consumer`).
    pub share: Option<Vec<Vec<String>>>,
}

impl Rule {
    pub(crate) fn texts(&self, lang: Lang) -> &Arc<RuleTexts> {
        match lang {
            Lang::En => &self.texts[0],
            Lang::Zh => &self.texts[1],
        }
    }

    /// The field a check reads, under the component (`substances/lead`).
    pub(crate) fn check_field(&self) -> Option<&Arc<str>> {
        match &self.check_at {
            Some(CheckAt::ComponentField(field)) => Some(field),
            _ => None,
        }
    }

    /// The pointer a submission-wide check reads (`/battery/capacity`).
    pub(crate) fn check_pointer(&self) -> Option<&Arc<str>> {
        match &self.check_at {
            Some(CheckAt::Pointer(pointer)) => Some(pointer),
            _ => None,
        }
    }

    /// The unit of a check's value.
    pub(crate) fn unit(&self) -> Option<&Arc<str>> {
        self.unit.as_ref()
    }

    /// The message template in `lang`, as findings are made from it.
    pub(crate) fn message_template(&self, lang: Lang) -> String {
        let mut text = self.message.get(lang).to_owned();
        if let Some(note) = self
            .from_param
            .as_ref()
            .and_then(|f| f.provisional_note(lang))
        {
            text.push_str(&note);
        }
        text
    }

    /// Whether its start depends on a date param that is not yet set.
    pub fn is_provisional(&self) -> bool {
        self.from_param.as_ref().is_some_and(|f| f.date.is_none())
    }

    /// The severity of its findings: a provisional rule's are at most `warning`.
    pub fn finding_severity(&self) -> Severity {
        match self.severity {
            Severity::Error if self.is_provisional() => Severity::Warning,
            severity => severity,
        }
    }

    /// The requirement in words, in `lang`: `≤ 1000 mg/kg` for a check.
    pub fn expected(&self, lang: Lang) -> Option<&str> {
        self.texts(lang).expected.as_deref()
    }
}

/// A start that depends on a date param (`effective.from_param`): the rule
/// is in force from the later of `effective.from` and the param's date plus
/// the delay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromParam {
    /// The param.
    pub param: String,
    /// Its title, if any.
    pub title: Option<Text>,
    /// Years added to its date.
    pub add_years: u32,
    /// Months added to its date.
    pub add_months: u32,
    /// `effective.from`: the earliest start, whatever the param says.
    pub earliest: Option<Date>,
    /// The param's date; `None` while it is not set (the rule is provisional).
    pub date: Option<Date>,
}

impl FromParam {
    /// `3 years`, `3 年 6 个月`.
    pub fn delay_text(&self, lang: Lang) -> String {
        (Catalog::get(lang).in_force.delay)(self.add_years, self.add_months)
    }

    /// What the param's date is, in words: its title, or `param NAME`.
    fn what(&self, lang: Lang) -> String {
        match &self.title {
            Some(title) => format!("{} (`{}`)", title.get(lang), self.param),
            None => (Catalog::get(lang).in_force.date_param)(&self.param),
        }
    }

    /// The start in words: `from 2030-01-01 or 3 years after X, whichever is later`.
    pub fn start_text(&self, lang: Lang) -> String {
        let from = self.earliest.map_or_else(String::new, |d| d.to_string());
        (Catalog::get(lang).in_force.start)(&from, &self.delay_text(lang), &self.what(lang))
    }

    /// The note a provisional rule's messages end with.
    pub(crate) fn provisional_note(&self, lang: Lang) -> Option<String> {
        if self.date.is_some() {
            return None;
        }
        Some((Catalog::get(lang).in_force.provisional_note)(
            &self.start_text(lang),
        ))
    }
}

/// Where a check's value is read from.
#[derive(Debug, Clone)]
pub(crate) enum CheckAt {
    /// A field of the current component, as a relative pointer (`substances/lead`).
    ComponentField(Arc<str>),
    /// An absolute pointer (`/battery/capacity`).
    Pointer(Arc<str>),
}

/// A clause of a standard, as a rule cites it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The standard's id in the pack.
    pub standard: String,
    /// The clause.
    pub clause: String,
    /// STANDARDS.md row id.
    pub row: Option<String>,
}

/// What a rule checks.
#[derive(Debug)]
// One per rule, made once: the size of the variants does not matter.
#[allow(clippy::large_enum_variant)]
pub enum RuleKind {
    /// A threshold.
    Check(Check),
    /// A CEL assertion.
    Assert {
        /// True means pass.
        assert: Expr,
        /// The value to report.
        actual: Option<Expr>,
        /// The requirement in words.
        expected: Option<Text>,
    },
    /// Delegated to a plugin.
    Plugin {
        /// The plugin's id.
        plugin: String,
        /// The rule's `config` with the pack's params under `params`, as JSON text.
        config_json: String,
    },
}

/// A threshold: `min <= value <= max`, each side inclusive (`min`, `max`)
/// or strict (`above`, `below`).
#[derive(Debug)]
pub struct Check {
    /// The value checked.
    pub value: Expr,
    /// Lower bound: `min` (inclusive) or `above` (strict).
    pub min: Option<Bound>,
    /// Upper bound: `max` (inclusive) or `below` (strict).
    pub max: Option<Bound>,
    /// Unit for display.
    pub unit: Option<String>,
    /// The requirement as text, e.g. `≤ 1000 mg/kg`, `< 0.025 mg/kg`; a bound
    /// that depends on the submission is shown as its expression.
    pub expected: String,
}

impl Check {
    /// Whether a bound depends on the submission (is computed per evaluation).
    pub fn has_computed_bound(&self) -> bool {
        [&self.min, &self.max]
            .into_iter()
            .flatten()
            .any(|b| b.number().is_none())
    }

    /// `{limit}` of a message: the bound alone (`1000 mg/kg`) when there is
    /// one, else the requirement; `None` when a bound depends on the submission.
    pub fn limit_text(&self) -> Option<String> {
        if self.has_computed_bound() {
            return None;
        }
        Some(match (&self.min, &self.max) {
            (Some(bound), None) | (None, Some(bound)) => crate::number::quantity_text(
                bound.number().unwrap_or(f64::NAN),
                self.unit.as_deref(),
            ),
            _ => self.expected.clone(),
        })
    }

    /// Whether `value` meets the bounds `min` and `max` (their values for this evaluation).
    pub(crate) fn test(&self, value: f64, min: Option<f64>, max: Option<f64>) -> bool {
        let strict = |b: &Option<Bound>| b.as_ref().is_some_and(|b| b.strict);
        let lower = min.is_none_or(|m| {
            if strict(&self.min) {
                value > m
            } else {
                value >= m
            }
        });
        let upper = max.is_none_or(|m| {
            if strict(&self.max) {
                value < m
            } else {
                value <= m
            }
        });
        lower && upper
    }

    /// Whether a value known only to lie in `[low, high)` meets the bounds
    /// (a value computed from results below the detection limit: `high`
    /// with each such result at its limit, `low` with each at 0; the true
    /// value is below `high`, since each result is below its limit).
    /// `Some(true)`: every value of the range meets them; `Some(false)`:
    /// none does; `None`: the range does not decide.
    pub(crate) fn test_range(
        &self,
        low: f64,
        high: f64,
        min: Option<f64>,
        max: Option<f64>,
    ) -> Option<bool> {
        let strict = |b: &Option<Bound>| b.as_ref().is_some_and(|b| b.strict);
        // Each side: Some(true) met by the whole range, Some(false) by none of it.
        let lower = min.map(|m| {
            let met_by_low = if strict(&self.min) { low > m } else { low >= m };
            if met_by_low {
                Some(true)
            } else if high <= m {
                Some(false)
            } else {
                None
            }
        });
        let upper = max.map(|m| {
            let missed_by_low = if strict(&self.max) { low >= m } else { low > m };
            if high <= m {
                Some(true)
            } else if missed_by_low {
                Some(false)
            } else {
                None
            }
        });
        let sides = [lower.unwrap_or(Some(true)), upper.unwrap_or(Some(true))];
        if sides.contains(&Some(false)) {
            Some(false)
        } else if sides.contains(&None) {
            None
        } else {
            Some(true)
        }
    }
}

/// One side of a threshold.
#[derive(Debug)]
pub struct Bound {
    /// Its value: a number known when the pack is compiled, or an expression.
    pub value: BoundValue,
    /// The param it comes from, when written `params.NAME`.
    pub param: Option<String>,
    /// Strict: `below`/`above` (value must differ from the bound), rather than `max`/`min`.
    pub strict: bool,
}

impl Bound {
    /// The number, when known before any submission is seen.
    pub fn number(&self) -> Option<f64> {
        match &self.value {
            BoundValue::Number(n) => Some(*n),
            BoundValue::Expr(_) => None,
        }
    }
}

/// The value of a bound.
#[derive(Debug)]
pub enum BoundValue {
    /// A number (written as one, a param, or an expression of params only).
    Number(f64),
    /// A CEL expression that reads the submission, evaluated per finding.
    Expr(Box<Expr>),
}

/// A window of dates: `from` inclusive, `until` exclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    /// First day in force.
    pub from: Option<Date>,
    /// First day no longer in force.
    pub until: Option<Date>,
}

impl Window {
    /// Whether `date` is inside.
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|from| date >= from) && self.until.is_none_or(|until| date < until)
    }

    /// Whether there is any bound.
    pub fn is_bounded(&self) -> bool {
        self.from.is_some() || self.until.is_some()
    }
}

impl fmt::Display for Window {
    /// `from 2031-08-18`, `until 2026-08-12`, `2030-01-01 to 2040-01-01`, `always`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.until) {
            (Some(from), Some(until)) => write!(f, "{from} – {until}"),
            (Some(from), None) => write!(f, "from {from}"),
            (None, Some(until)) => write!(f, "until {until}"),
            (None, None) => f.write_str("always"),
        }
    }
}

/// A pack's text and the name to call it by.
#[derive(Debug, Clone)]
pub struct PackSource {
    /// The file as named to the user (`rules/eu-packaging.yaml`).
    pub name: String,
    /// The YAML.
    pub text: String,
    /// The folder relative plugin paths are resolved against; `None` for bundled packs.
    pub dir: Option<std::path::PathBuf>,
}

impl PackSource {
    /// Reads the pack file at `path`; its folder is the one beside it.
    ///
    /// Fails as [`Source::read`](crate::load::Source::read) does.
    pub fn read(path: &Path) -> Result<PackSource, Diagnostics> {
        let source = crate::load::Source::read(path)?;
        Ok(PackSource {
            name: source.name,
            text: source.text,
            dir: path.parent().map(Path::to_path_buf),
        })
    }
}

/// A pack's `id`, read without compiling it: `None` when the text does not
/// parse or has no string `id`.
pub fn id_of(text: &str) -> Option<String> {
    let source = crate::load::Source::from_text("", text, crate::load::Format::Yaml);
    let json = crate::load::parse_document(&source).ok()?;
    json.get("id").and_then(Json::as_str).map(str::to_owned)
}

/// Whether `path` names a pack test file (`*.test.yaml`, `*.test.yml`).
pub fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".test.yaml") || name.ends_with(".test.yml")
}

/// Whether `path` names a pack: `*.yaml` or `*.yml`, not a test file.
pub fn is_pack_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.ends_with(".yaml") || name.ends_with(".yml")) && !is_test_file(path)
}

pub use compile::compile;
pub(crate) use compile::expected_text;

/// The bundled packs (crate `recert-packs`), named `rules/NAME.yaml` in
/// diagnostics and reports.
pub fn bundled_sources() -> Vec<PackSource> {
    recert_packs::PACKS
        .iter()
        .map(|file| PackSource {
            name: format!("{}/{}", recert_packs::FOLDER, file.name),
            text: file.text.to_owned(),
            dir: None,
        })
        .collect()
}
