//! `recert lint`: everything that can be caught in a pack before it runs.
//!
//! [`lint`] takes the packs and pack test files [`collect`] found and gives a
//! [`LintReport`]: a list of [`Finding`]s, each a [`Diagnostic`] at
//! `file:line:col` with a [`Level`].
//!
//! What is checked, and at which level:
//!
//! - **Errors** are mistakes that make a pack refuse to load, or make a rule
//!   give a wrong or meaningless result:
//!   - everything [`pack::compile`] checks (YAML, the pack schema, semver, CEL
//!     syntax and variables, unknown params and standards, duplicate ids,
//!     dates and empty windows, bounds), also across the linted packs and
//!     the packs they are loaded with (the bundled ones);
//!   - a field path a CEL expression reads that no valid submission can have
//!     (`product.sectr`, `component.substance.lead`, a field of a number),
//!     with a suggestion; open maps (`substances`, `properties`,
//!     `battery.recycled_content`) accept any snake_case name;
//!   - `component` read outside a `for_each: components` rule;
//!   - a message placeholder that is unknown (`{limt}`) or that the rule can
//!     never fill (`{limit}`/`{expected}` in a plugin rule, or in an assert
//!     without `expected`): it would show in reports as written;
//!   - a plugin that is neither bundled nor a file, a file that is missing or
//!     not a plugin component of this API version, a `sha256` pin that does not
//!     match the file;
//!   - in pack test files: their own format errors, rule ids and params the
//!     pack does not have, and `not-in-force` expected of a rule that has no
//!     `effective` window.
//! - **Warnings** are things that are probably wrong but cannot break a run:
//!   a text that is blank or the same in English and Chinese (or in the wrong
//!   script), placeholders that differ between the two languages, `{actual}`
//!   or `{component}` where they can only show a dash or "each component",
//!   rules that check the same thing under the same guard with overlapping
//!   windows or with a gap between their windows (`until` is exclusive),
//!   params, standards and plugins nothing uses, a `for_each: components`
//!   rule that never reads `component`, a `when` that tests whether a
//!   measured value (a substance, a property, a recycled share) is present
//!   (missing data must be `error`, not `not-applicable`), and a test file
//!   whose pack was not among those linted.
//!
//! The report is written as text or JSON by `Render::render` (see
//! [`JsonReport`] for the JSON). Nothing here prints or exits; the caller
//! decides what a warning means.

mod fields;
mod files;
mod packtests;
mod placeholders;
mod plugins;
mod presence;
mod render;
mod scan;
mod texts;
mod usage;
mod windows;

#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::fmt;

use serde_json::Value as Json;

use recert_core::diagnostic::{Code, Diagnostic, Location};
use recert_core::load::{self, Format, Source};
use recert_core::pack::{self, PackSource};

pub use files::{LintInput, TestSource, collect};
pub use render::{JsonFinding, JsonLocation, JsonReport};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The pack is broken or a rule cannot give a meaningful result.
    Error,
    /// Probably a mistake; the pack still runs.
    Warning,
}

impl Level {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// One problem found by lint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// Error or warning.
    pub level: Level,
    /// What and where.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

impl fmt::Display for Finding {
    /// `file:line:col: code: message` for an error, and
    /// `file:line:col: code: warning: message` for a warning.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.level {
            Level::Error => write!(f, "{}", self.diagnostic),
            Level::Warning => {
                let mut shown = self.diagnostic.clone();
                shown.message = format!("warning: {}", shown.message);
                write!(f, "{shown}")
            }
        }
    }
}

/// A plugin bundled with recert, as lint needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundledPlugin {
    /// Its id.
    pub id: String,
    /// Lowercase hex sha256 of its component.
    pub sha256: String,
}

/// What lint knows besides the files it checks.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// The bundled plugins. `None`: unknown, so a plugin named without a
    /// `path` is not checked.
    pub bundled_plugins: Option<Vec<BundledPlugin>>,
    /// Packs the linted ones are loaded with at run time (the bundled packs):
    /// their pack and rule ids must not collide with the linted ones. A pack
    /// here with the id of a linted pack is taken to be an older version of it
    /// and left out.
    pub loaded_with: Vec<PackSource>,
    /// Folders outside a pack's own where its plugin files may be (the
    /// operator's `--allow-plugin-path`).
    pub allowed_plugin_dirs: Vec<std::path::PathBuf>,
}

/// The result of a lint run.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LintReport {
    /// Every finding, by file (in the order given), then line and column.
    pub findings: Vec<Finding>,
    /// How many packs were checked.
    pub packs: usize,
    /// How many pack test files were checked.
    pub tests: usize,
}

impl LintReport {
    /// How many findings have `level`.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.level == Level::Error)
    }
}

/// Lints packs and pack test files.
pub fn lint(input: &LintInput, options: &LintOptions) -> LintReport {
    // Every expression compiles on one thread with a large stack.
    recert_core::parallel::with_large_stack(|| lint_here(input, options))
}

fn lint_here(input: &LintInput, options: &LintOptions) -> LintReport {
    let mut out = Out::default();
    let schema = fields::SubmissionSchema::load();
    let env = recert_core::expr::ExprEnv::new().ok();

    let mut parsed: Vec<packtests::PackIds> = Vec::new();
    for pack_source in &input.packs {
        let compiled = pack::compile(std::slice::from_ref(pack_source), None);
        if let Err(diagnostics) = &compiled {
            for d in diagnostics {
                out.push(Level::Error, d.clone());
            }
        }
        let source = Source::from_text(&pack_source.name, &pack_source.text, Format::Yaml);
        // Lint-only checks read the document itself, so that they run even
        // when the pack does not compile: one pass shows every problem.
        let Ok(json) = load::parse_document(&source) else {
            continue;
        };
        if !json.is_object() {
            continue;
        }
        let cx = PackCx {
            source: &source,
            json: &json,
            dir: pack_source.dir.as_deref(),
        };
        texts::check(&cx, &mut out);
        placeholders::check(&cx, &mut out);
        placeholders::check_fixes(&cx, &mut out);
        if let (Some(schema), Some(env)) = (&schema, &env) {
            fields::check(&cx, schema, env, &mut out);
        }
        windows::check(&cx, &mut out);
        plugins::check(&cx, options, &mut out);
        usage::check(&cx, &mut out);
        presence::check(&cx, &mut out);
        parsed.push(packtests::PackIds::of(&json, pack_source));
    }

    cross_pack(input, &parsed, options, &mut out);

    for test in &input.tests {
        packtests::check(test, &parsed, &mut out);
    }

    LintReport {
        findings: out.finish(input),
        packs: input.packs.len(),
        tests: input.tests.len(),
    }
}

/// Pack and rule ids that collide across files: compiles the linted packs
/// together with those they are loaded with. `parsed`: what the linted packs
/// that parse name.
fn cross_pack(
    input: &LintInput,
    parsed: &[packtests::PackIds],
    options: &LintOptions,
    out: &mut Out,
) {
    let linted_ids: Vec<String> = parsed.iter().filter_map(|p| p.id.clone()).collect();
    let mut sources = not_replaced(&options.loaded_with, &linted_ids);
    let companions = sources.len();
    sources.extend(input.packs.iter().cloned());
    if sources.len() < 2 {
        return;
    }
    let Err(diagnostics) = pack::compile(&sources, None) else {
        return;
    };
    let linted: HashSet<&str> = sources
        .iter()
        .skip(companions)
        .map(|p| p.name.as_str())
        .collect();
    for d in diagnostics.iter() {
        if matches!(d.code, Code::DuplicatePackId | Code::DuplicateRuleId)
            && linted.contains(d.location.file.as_str())
        {
            out.push(Level::Error, d.clone());
        }
    }
}

/// The packs of `companions` whose id is none of `ids`: a pack given with
/// the id of a companion is taken to be a newer version of it, and replaces it.
pub(crate) fn not_replaced(companions: &[PackSource], ids: &[String]) -> Vec<PackSource> {
    companions
        .iter()
        .filter(|p| pack::id_of(&p.text).is_none_or(|id| !ids.contains(&id)))
        .cloned()
        .collect()
}

/// One pack being linted.
pub(crate) struct PackCx<'a> {
    /// Its text.
    pub source: &'a Source,
    /// Its document.
    pub json: &'a Json,
    /// Its folder (plugin paths are relative to it).
    pub dir: Option<&'a std::path::Path>,
}

impl PackCx<'_> {
    /// Where `pointer` is.
    pub fn locate(&self, pointer: &str) -> Location {
        load::locate(self.source, pointer)
    }

    /// The rules, with their JSON pointers.
    pub fn rules(&self) -> impl Iterator<Item = (String, &Json)> {
        self.json
            .get("rules")
            .and_then(Json::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .enumerate()
            .map(|(i, rule)| (format!("/rules/{i}"), rule))
    }
}

/// A rule's `id`, or `?`.
pub(crate) fn rule_id(rule: &Json) -> &str {
    rule.get("id").and_then(Json::as_str).unwrap_or("?")
}

/// The findings being collected.
#[derive(Default)]
pub(crate) struct Out {
    findings: Vec<Finding>,
}

impl Out {
    /// Adds a finding.
    pub fn push(&mut self, level: Level, diagnostic: Diagnostic) {
        self.findings.push(Finding { level, diagnostic });
    }

    /// Sorted by the order the files were given, then by line and column;
    /// without repeats.
    fn finish(self, input: &LintInput) -> Vec<Finding> {
        let order: Vec<&str> = input
            .packs
            .iter()
            .map(|p| p.name.as_str())
            .chain(input.tests.iter().map(|t| t.source.name.as_str()))
            .collect();
        let rank = |file: &str| order.iter().position(|f| *f == file).unwrap_or(usize::MAX);
        let mut findings = self.findings;
        findings.sort_by(|a, b| {
            let (la, lb) = (&a.diagnostic.location, &b.diagnostic.location);
            rank(&la.file)
                .cmp(&rank(&lb.file))
                .then_with(|| la.file.cmp(&lb.file))
                .then_with(|| la.line.unwrap_or(0).cmp(&lb.line.unwrap_or(0)))
                .then_with(|| la.column.unwrap_or(0).cmp(&lb.column.unwrap_or(0)))
                .then_with(|| a.level.cmp(&b.level))
        });
        let mut seen = HashSet::new();
        findings.retain(|f| {
            seen.insert((
                f.diagnostic.location.file.clone(),
                f.diagnostic.location.line,
                f.diagnostic.location.column,
                f.diagnostic.code,
                f.diagnostic.message.clone(),
            ))
        });
        findings
    }
}
