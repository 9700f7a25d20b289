//! Evaluation: a compiled [`PackSet`] over one submission gives a [`Report`].
//!
//! For each pack: `applies_to`; for each rule: (once, or once per component)
//! `when`, then the effective window, then the check, assertion or plugin.
//! Anything that cannot be evaluated is outcome `error` with its cause, never
//! a pass. The submission is converted for CEL at most once; rule texts were
//! prepared when the packs were compiled, so a finding costs a few reference
//! counts and, only where needed, a formatted message.

mod fix;
mod guards;
mod plugins;
mod sink;

use std::sync::Arc;

use jiff::civil::Date;
use serde_json::Value as Json;

use crate::expr::{EvalError, Expr, Params, RootContext, Scope, SubmissionData};
use crate::lang::Lang;
use crate::load::{Doc, DocMap, Source, Submission};
use crate::number::{format_number, quantity_text};
use crate::pack::{BoundValue, Check, Pack, PackSet, Rule, RuleKind, expected_text};
use crate::report::batch::FailedRules;
use crate::report::message::Message;
use crate::report::{
    Actual, Coverage, Detail, EngineInfo, Evidence, Finding, FindingPath, Outcome, PackCoverage,
    PackInfo, PluginInfo, REPORT_SCHEMA, Report, Strings, SubmissionInfo, Summary, ValueBound,
};

use plugins::{KeptCall, PluginCalls};
pub use plugins::{PluginFinding, PluginOutput, PluginRequest, PluginRunner};
use sink::Sink;

/// How to evaluate.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// The evaluation date: rules outside their effective window are not in force.
    pub date: Date,
    /// The language of titles and messages.
    pub lang: Lang,
    /// Runs plugin rules; without it, they are outcome `error`.
    pub plugins: Option<&'a dyn PluginRunner>,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("date", &self.date)
            .field("lang", &self.lang)
            .field("plugins", &self.plugins.is_some())
            .finish()
    }
}

/// Evaluates every pack of `packs` over `submission`.
pub fn evaluate(packs: &PackSet, submission: &Submission, options: &Options<'_>) -> Report {
    let sink = Sink::Hold {
        limit: usize::MAX,
        counted: None,
    };
    evaluate_into(packs, submission, options, sink, PluginCalls::Made, &|| {
        None
    })
    .0
}

/// The findings a report holds by default before it is made in two
/// passes (see [`evaluate_bounded`]): some 7 MB of findings (their list
/// stays within 2^16 entries), those of a submission of about 1 700
/// components checked against every bundled pack.
pub const MAX_HELD_FINDINGS: usize = 50_000;

/// A report with its findings, or one too large to hold them.
#[derive(Debug)]
pub enum Evaluation {
    /// The report, with every finding.
    Whole(Box<Report>),
    /// The report without its findings: write it with
    /// [`Report::write_streamed`] (JSON, text, Markdown, HTML) and
    /// [`Streamed::replay`], which makes them again as they are written.
    Streamed(Box<Streamed>),
}

/// A report too large to hold, without its findings.
#[derive(Debug)]
pub struct Streamed {
    /// The report; `findings` is empty, `summary` and `verdict` count them all.
    pub report: Report,
    /// The rules that failed, for the summary of a batch.
    pub failed: FailedRules,
    /// The lines of the pointers the findings' fixes name, found once in
    /// the source text when the findings were counted: making them again
    /// needs no source text (the caller may drop it).
    lines: fix::KnownLines,
    /// What the first pass's plugin calls gave, when it kept them all.
    plugin_calls: Option<Vec<KeptCall>>,
}

/// [`evaluate`], holding at most `max_held` findings: a report with more
/// is [`Evaluation::Streamed`], its findings counted and dropped as they
/// are made, so that memory does not grow with the number of findings.
pub fn evaluate_bounded(
    packs: &PackSet,
    submission: &Submission,
    options: &Options<'_>,
    max_held: usize,
) -> Evaluation {
    evaluate_bounded_reading_again(packs, submission, options, max_held, &|| None)
}

/// [`evaluate_bounded`] over a submission that need not hold its source
/// text while it is evaluated: when it does not (`submission.source` is
/// `None`), `source_again` gives the text again, once, when the lines the
/// fixes of missing values name are looked for (at the end of the
/// evaluation, or of its first pass; `None`: they name no line). A
/// submission's text is as large as its file (16 MB for the 100 000
/// components of `tests/memory.rs`) and is needed for those lines only.
pub fn evaluate_bounded_reading_again(
    packs: &PackSet,
    submission: &Submission,
    options: &Options<'_>,
    max_held: usize,
    source_again: &dyn Fn() -> Option<Arc<Source>>,
) -> Evaluation {
    let sink = Sink::Hold {
        limit: max_held,
        counted: None,
    };
    let calls = PluginCalls::Kept {
        calls: Vec::new(),
        bytes: 0,
    };
    match evaluate_into(packs, submission, options, sink, calls, source_again) {
        (report, Sink::Hold { counted: None, .. }, ..) => Evaluation::Whole(Box::new(report)),
        (
            mut report,
            Sink::Hold {
                counted: Some(counted),
                ..
            }
            | Sink::Emit { counted, .. },
            places,
            calls,
        ) => {
            report.summary = counted.summary;
            report.verdict = counted.summary.verdict();
            report.findings = Vec::new();
            let source = match (&submission.source, places.is_empty()) {
                (Some(source), _) => Some(Arc::clone(source)),
                (None, false) => source_again(),
                (None, true) => None,
            };
            let lines = fix::KnownLines::find(source.as_deref(), places);
            Evaluation::Streamed(Box::new(Streamed {
                report,
                failed: counted.failed,
                lines,
                plugin_calls: calls.into_kept(),
            }))
        }
    }
}

impl Streamed {
    /// Makes the report's findings again, from the packs, submission and
    /// options it was evaluated with, in order, handing each to `emit` with
    /// its fix text; `emit` answers `false` to stop. `Err` when they are not
    /// those the report counts (which a deterministic evaluation never
    /// gives: a plugin's wall-clock limit is the one thing that could).
    pub fn replay(
        &self,
        packs: &PackSet,
        submission: &Submission,
        options: &Options<'_>,
        emit: &mut dyn FnMut(Finding) -> bool,
    ) -> Result<(), String> {
        self.replay_in_chunks(packs, submission, options, emit, sink::CHUNK)
    }

    /// [`Streamed::replay`], handing out the findings `chunk` at a time.
    fn replay_in_chunks(
        &self,
        packs: &PackSet,
        submission: &Submission,
        options: &Options<'_>,
        emit: &mut dyn FnMut(Finding) -> bool,
        chunk: usize,
    ) -> Result<(), String> {
        let sink = Sink::Emit {
            emit,
            chunk,
            lines: &self.lines,
            counted: sink::Counted::default(),
            stopped: false,
        };
        let calls = match &self.plugin_calls {
            Some(calls) => PluginCalls::Replayed { calls, next: 0 },
            None => PluginCalls::Made,
        };
        match evaluate_into(packs, submission, options, sink, calls, &|| None).1 {
            Sink::Emit { stopped: true, .. } => Ok(()),
            Sink::Emit { counted, .. } if counted.summary == self.report.summary => Ok(()),
            _ => Err(
                "the findings made while writing the report differ from those it counts: evaluate the submission again"
                    .to_owned(),
            ),
        }
    }
}

/// Evaluates into `sink`, its plugin calls `calls`; gives the report (its
/// findings those `sink` held), the sink, the pointers the fixes of
/// findings not held name, and the plugin calls. Fixes find their lines
/// in the submission's text, or, when it holds none, in `source_again`'s.
fn evaluate_into<'s>(
    packs: &PackSet,
    submission: &Submission,
    options: &Options<'_>,
    sink: Sink<'s>,
    calls: PluginCalls<'s>,
    source_again: &dyn Fn() -> Option<Arc<Source>>,
) -> (Report, Sink<'s>, Vec<Box<str>>, PluginCalls<'s>) {
    let date = options.date.to_string();
    // Results below the detection limit hold their limit; the same
    // submission with each of them at 0 gives the other end of what a
    // value computed from them can be.
    let below_detection = submission.written.below_detection();
    let lowest = (!below_detection.is_empty()).then(|| {
        let mut lowest = submission.normalized.clone();
        for pointer in &below_detection {
            if let Some(slot) = lowest.pointer_mut(pointer) {
                *slot = Doc::from(0.0);
            }
        }
        lowest
    });
    let root = packs.expr_env().context();
    let mut run = Run {
        options,
        root: &root,
        lowest: lowest.as_ref(),
        submission,
        date: &date,
        findings: Vec::with_capacity(findings_estimate(packs, submission)),
        guards: guards::GuardResults::default(),
        plugins_used: Vec::new(),
        plugin_budget: options.plugins.and_then(|p| p.submission_budget()),
        submission_text: None,
        labels: Vec::new(),
        label_scratch: String::new(),
        missing: Vec::new(),
        missing_texts: fix::MissingTexts::default(),
        sink,
        plugin_calls: calls,
        source_again,
    };
    let mut pack_infos = Vec::with_capacity(packs.packs().len());
    // The plugin input (as large as the submission) is made once, and
    // dropped after the last pack that calls a plugin.
    let last_calling_plugins = packs.packs().iter().rposition(calls_plugins);
    for (i, pack) in packs.packs().iter().enumerate() {
        let applies = run.pack(pack);
        if Some(i) == last_calling_plugins {
            run.submission_text = None;
        }
        pack_infos.push(PackInfo {
            id: pack.id.clone(),
            version: pack.version_text().to_owned(),
            sha256: pack.sha256.clone(),
            title: pack.title.get(options.lang).to_owned(),
            applies,
        });
    }
    let coverage = coverage(packs, submission, &pack_infos, &root, &date);
    run.settle(true);
    // The run borrows the date; taken apart, it gives the date back to the report.
    let Run {
        findings,
        plugins_used: mut plugins,
        sink,
        missing_texts,
        plugin_calls,
        ..
    } = run;
    let summary = Summary::of(&findings);
    plugins.sort_by(|a, b| a.id.cmp(&b.id));
    plugins.dedup();
    let report = Report {
        schema: REPORT_SCHEMA,
        verdict: summary.verdict(),
        submission: SubmissionInfo {
            id: submission.id.clone(),
            sha256: submission.sha256.clone(),
            file_sha256: submission.file_sha256.clone(),
            file: submission.file.clone(),
            product: submission
                .normalized
                .get("product")
                .and_then(|product| product.get("name"))
                .and_then(Doc::as_str)
                .map(str::to_owned),
        },
        evaluation_date: date,
        lang: options.lang,
        engine: EngineInfo::default(),
        summary,
        packs: pack_infos,
        plugins,
        params: packs
            .packs()
            .iter()
            .flat_map(|p| p.overrides.iter().cloned())
            .collect(),
        coverage,
        findings,
        signature: None,
        evidence: Evidence::of(&submission.normalized),
    };
    (report, sink, missing_texts.into_places(), plugin_calls)
}

/// Whether a rule of `pack` is a plugin rule.
fn calls_plugins(pack: &Pack) -> bool {
    pack.rules
        .iter()
        .any(|rule| matches!(rule.kind, RuleKind::Plugin { .. }))
}

/// The most findings reserved up front: enough for any submission of a few
/// hundred components, whose findings then take one allocation; a larger one
/// grows its list as findings come (reserving rules × components findings
/// took gigabytes of address space for 100 000 components, most of it never
/// used: most rules apply to few of a submission's components).
const MAX_FINDINGS_RESERVED: usize = 16 * 1024;

/// The findings of `submission` if every rule of every pack made one per
/// component, at most [`MAX_FINDINGS_RESERVED`].
fn findings_estimate(packs: &PackSet, submission: &Submission) -> usize {
    let rules: usize = packs.packs().iter().map(|p| p.rules.len()).sum();
    let components = submission
        .normalized
        .get("components")
        .and_then(Doc::as_array)
        .map_or(1, |c| c.len().max(1));
    rules.saturating_mul(components).min(MAX_FINDINGS_RESERVED)
}

/// The submission's sector and markets, and which applying pack covers
/// which market: a pack covers a market when its `applies_to` holds for the
/// submission with that market alone (a pack whose `applies_to` does not read
/// `product.markets` covers them all).
fn coverage(
    packs: &PackSet,
    submission: &Submission,
    infos: &[PackInfo],
    root: &RootContext,
    date: &str,
) -> Coverage {
    let product = submission.normalized.get("product");
    let sector = product
        .and_then(|p| p.get("sector"))
        .and_then(Doc::as_str)
        .map(str::to_owned);
    let markets: Vec<String> = product
        .and_then(|p| p.get("markets"))
        .and_then(Doc::as_array)
        .map(|m| {
            m.iter()
                .filter_map(Doc::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut covered = Vec::new();
    for (pack, info) in packs.packs().iter().zip(infos) {
        if !info.applies {
            continue;
        }
        let by_market = pack.applies_to.as_ref().is_some_and(|applies_to| {
            applies_to.field_paths().iter().any(|path| {
                let segments = path.segments();
                match path.root() {
                    "product" => segments.first().is_some_and(|s| s == "markets"),
                    "submission" => {
                        segments.first().is_some_and(|s| s == "product")
                            && segments.get(1).is_some_and(|s| s == "markets")
                    }
                    _ => false,
                }
            }) || applies_to.variables().iter().any(|v| v == "submission")
        });
        let pack_markets = match (&pack.applies_to, by_market) {
            (Some(applies_to), true) => {
                // One copy of the fields read per pack, its markets replaced
                // for each market in turn.
                let mut one = fields_read(applies_to, &submission.normalized);
                markets
                    .iter()
                    .filter(|market| {
                        let market = Doc::String(market.as_str().into());
                        match markets_slot(&mut one) {
                            // The list of the market before: its one item replaced.
                            Some(Doc::Array(items)) if items.len() == 1 => {
                                if let Some(item) = items.first_mut() {
                                    *item = market;
                                }
                            }
                            Some(slot) => *slot = Doc::Array(Box::new([market])),
                            None => {}
                        }
                        let data = SubmissionData::new(&one, date);
                        let scope = Scope::new(root, &data, pack.params_values());
                        matches!(applies_to.eval_bool(&scope), Ok(true))
                    })
                    .cloned()
                    .collect()
            }
            _ => markets.clone(),
        };
        covered.push(PackCoverage {
            id: pack.id.clone(),
            markets: pack_markets,
        });
    }
    let uncovered_markets = markets
        .iter()
        .filter(|m| !covered.iter().any(|p| p.markets.contains(m)))
        .cloned()
        .collect();
    Coverage {
        sector,
        markets,
        packs: covered,
        uncovered_markets,
    }
}

/// `product.markets` of a submission (what `pointer_mut("/product/markets")`
/// finds, without parsing the pointer).
fn markets_slot(submission: &mut Doc) -> Option<&mut Doc> {
    let Doc::Object(root) = submission else {
        return None;
    };
    let Doc::Object(product) = root.get_mut("product")? else {
        return None;
    };
    product.get_mut("markets")
}

/// The top-level fields of `submission` that `expr` reads (all of them when
/// it reads `submission` itself), so that a variant of the submission costs
/// a copy of those fields, not of the whole document.
fn fields_read(expr: &Expr, submission: &Doc) -> Doc {
    let variables = expr.variables();
    let Doc::Object(all) = submission else {
        return submission.clone();
    };
    if variables.iter().any(|v| v == "submission") {
        return submission.clone();
    }
    Doc::Object(DocMap::from_entries(
        all.entries()
            .iter()
            .filter(|(key, _)| variables.iter().any(|v| **v == **key))
            .cloned()
            .collect(),
    ))
}

/// `12 %`: a number already formatted, with its unit.
fn quantity_text_of(number: &str, unit: Option<&str>) -> String {
    match unit {
        Some(unit) => format!("{number} {unit}"),
        None => number.to_owned(),
    }
}

/// The state of one evaluation.
struct Run<'r, 'a, 's> {
    options: &'r Options<'r>,
    root: &'r RootContext,
    /// The submission with every result below the detection limit at 0,
    /// when it has such results (the submission holds them at their limit).
    /// (Converted for CEL per rule that reads it: only such submissions pay.)
    lowest: Option<&'r Doc>,
    submission: &'a Submission,
    date: &'r str,
    findings: Vec<Finding>,
    /// Results of the current pack's guards that do not read `component`.
    guards: guards::GuardResults<'r>,
    plugins_used: Vec<PluginInfo>,
    /// What is left of the submission's plugin budget (`None`: unbounded).
    plugin_budget: Option<u64>,
    submission_text: Option<Arc<String>>,
    labels: Vec<Option<Arc<str>>>,
    /// Where a label is put together before it is shared (see [`Run::label`]).
    label_scratch: String,
    /// Findings of missing values, whose fix is made once their lines are
    /// found, all in one pass over the text.
    missing: Vec<fix::Missing>,
    /// The texts the findings of missing values repeat, each once.
    missing_texts: fix::MissingTexts,
    /// Where the findings go.
    sink: Sink<'s>,
    /// The plugin calls: made, kept, or given again.
    plugin_calls: PluginCalls<'s>,
    /// The submission's text, when it holds none (see
    /// [`evaluate_bounded_reading_again`]).
    source_again: &'r dyn Fn() -> Option<Arc<Source>>,
}

impl<'r> Run<'r, '_, '_> {
    /// Evaluates a pack; returns whether it applies.
    fn pack(&mut self, pack: &'r Pack) -> bool {
        self.guards.clear();
        let params: &Params = pack.params_values();
        // The submission's CEL form is made as rules read it, and kept for
        // the pack only: kept for every pack, that of a submission of
        // 100 000 components took 50 MB.
        let data = SubmissionData::new(&self.submission.normalized, self.date);
        let scope = Scope::new(self.root, &data, params);
        if let Some(applies_to) = &pack.applies_to {
            // A pack whose rules all go to plugins, unguarded, reads the
            // CEL form for `applies_to` alone: made for it and dropped
            // before the plugins run (the form of `components` is a map of
            // some 200 bytes per component before any value is read, 20 MB
            // for 100 000, else held while each plugin call holds its own
            // copies of the submission).
            let rules_read_cel = pack
                .rules
                .iter()
                .any(|rule| rule.when.is_some() || !matches!(rule.kind, RuleKind::Plugin { .. }));
            let applies = if rules_read_cel {
                applies_to.eval_bool(&scope)
            } else {
                let alone = SubmissionData::new(&self.submission.normalized, self.date);
                applies_to.eval_bool(&Scope::new(self.root, &alone, params))
            };
            match applies {
                Ok(true) => {}
                Ok(false) => {
                    for rule in &pack.rules {
                        self.push(rule, Outcome::NotApplicable, FindingPath::Root, None, None);
                    }
                    return false;
                }
                Err(error) => {
                    let reason =
                        (self.texts().pack_applies_unknown)(&pack.id, &self.explain(&error));
                    for rule in &pack.rules {
                        self.push(
                            rule,
                            Outcome::Error,
                            FindingPath::Root,
                            None,
                            Some(reason.clone()),
                        );
                    }
                    return true;
                }
            }
        }
        let date = self.options.date;
        // Looked up once per pack, not once per rule.
        let submission = self.submission;
        let components = submission
            .normalized
            .get("components")
            .and_then(Doc::as_array);
        // Each rule has a cost budget of its own, shared by its components:
        // one scope for the pack's rules, its budget renewed for each.
        let mut rule_scope = scope.with_new_budget();
        for rule in &pack.rules {
            rule_scope.renew_budget();
            let scope = &rule_scope;
            // Applicability first, then the window: a rule whose `when`
            // excludes the product is not applicable on every date.
            let in_force = rule.effective.contains(date);
            match (&rule.kind, rule.for_each_component, components) {
                (RuleKind::Plugin { .. }, ..) | (_, false, _) => {
                    if !in_force {
                        // Through the pack's guard results, as in force: the
                        // rules of two windows share their guards (the 2030
                        // and 2040 recycled shares), one of them not in force.
                        let outcome = match rule.when.as_ref().map(|w| self.guard(w, scope)) {
                            Some(Ok(false)) => Outcome::NotApplicable,
                            _ => Outcome::NotInForce,
                        };
                        self.push(rule, outcome, FindingPath::Root, None, None);
                    } else if let RuleKind::Plugin {
                        plugin,
                        config_json,
                    } = &rule.kind
                    {
                        if self.when(rule, scope, FindingPath::Root) {
                            self.plugin(pack, rule, plugin, config_json);
                        }
                    } else {
                        self.rule(rule, scope, None);
                    }
                }
                (_, true, None) => {
                    let (outcome, reason) = if in_force {
                        (Outcome::Error, Some(self.texts().no_components.to_owned()))
                    } else {
                        (Outcome::NotInForce, None)
                    };
                    self.push(rule, outcome, FindingPath::Root, None, reason);
                }
                (_, true, Some(components)) if !in_force => {
                    // One finding for the whole submission when the rule applies
                    // to some component (or that cannot be told); else, as on
                    // any date, not applicable to each.
                    let excluded = components.iter().enumerate().all(|(index, component)| {
                        let scope = scope.with_component(index, component);
                        rule.when
                            .as_ref()
                            .is_some_and(|w| matches!(self.guard(w, &scope), Ok(false)))
                    });
                    if !components.is_empty() && excluded {
                        for index in 0..components.len() {
                            let place = FindingPath::Component { index, field: None };
                            self.push(rule, Outcome::NotApplicable, place, None, None);
                            self.settle(false);
                        }
                    } else {
                        self.push(rule, Outcome::NotInForce, FindingPath::Root, None, None);
                    }
                }
                (_, true, Some(components)) => {
                    for (index, component) in components.iter().enumerate() {
                        let scope = scope.with_component(index, component);
                        self.rule(rule, &scope, Some(index));
                        self.settle(false);
                    }
                }
            }
            self.settle(false);
        }
        true
    }

    /// The value of a guard (`when`) in `scope`; a guard that does not read
    /// `component` is evaluated once per pack.
    fn guard(&mut self, when: &'r Expr, scope: &Scope<'_, '_>) -> Result<bool, EvalError> {
        if when.reads_component() {
            return when.eval_bool(scope);
        }
        self.guards.get_or_evaluate(when, || when.eval_bool(scope))
    }

    /// Evaluates a rule's `when`: true when it holds (or there is none);
    /// otherwise the finding (`not-applicable`, or `error` with the cause) is recorded.
    fn when(&mut self, rule: &'r Rule, scope: &Scope<'_, '_>, place: FindingPath) -> bool {
        let Some(when) = &rule.when else {
            return true;
        };
        match self.guard(when, scope) {
            Ok(true) => true,
            Ok(false) => {
                self.push(rule, Outcome::NotApplicable, place, None, None);
                false
            }
            Err(error) => {
                let reason = (self.texts().when_unknown)(&self.explain(&error));
                self.push(rule, Outcome::Error, place, None, Some(reason));
                self.missing_fix(&error, false);
                false
            }
        }
    }

    /// Evaluates `when` and the check or assertion of a rule in one scope.
    fn rule(&mut self, rule: &'r Rule, scope: &Scope<'_, '_>, component: Option<usize>) {
        let place = match component {
            Some(index) => FindingPath::Component { index, field: None },
            None => FindingPath::Root,
        };
        if !self.when(rule, scope, place.clone()) {
            return;
        }
        match &rule.kind {
            RuleKind::Check(check) => {
                let path = match (component, rule.check_field(), rule.check_pointer()) {
                    (Some(index), Some(field), _) => FindingPath::Component {
                        index,
                        field: Some(Arc::clone(field)),
                    },
                    (None, _, Some(pointer)) => FindingPath::Pointer(pointer.to_string()),
                    _ => place,
                };
                let mut bounds = [None, None];
                for (slot, (bound, side)) in bounds
                    .iter_mut()
                    .zip([(&check.min, "min"), (&check.max, "max")])
                {
                    let Some(bound) = bound else { continue };
                    *slot = match &bound.value {
                        BoundValue::Number(n) => Some(*n),
                        BoundValue::Expr(expr) => match expr.eval_number(scope) {
                            Ok(n) => Some(n),
                            Err(error) => {
                                let side = match (side, bound.strict) {
                                    ("min", false) => "min",
                                    ("min", true) => "above",
                                    (_, false) => "max",
                                    (_, true) => "below",
                                };
                                let reason = (self.texts().bound_unknown)(
                                    &rule.id,
                                    side,
                                    &self.explain(&error),
                                );
                                self.push(rule, Outcome::Error, path, None, Some(reason));
                                self.missing_fix(&error, false);
                                return;
                            }
                        },
                    };
                }
                match check.value.eval_number(scope) {
                    Ok(value) => {
                        // The value with results below the detection limit at
                        // 0, when it differs: the value is then only known to
                        // be below `value`, and at least that.
                        let lowest = match self.lowest.map(|json| {
                            let data = SubmissionData::new(json, self.date);
                            check.value.eval_number(&scope.over(&data))
                        }) {
                            Some(Ok(low)) if low != value => Some(low),
                            Some(Err(error)) => {
                                let reason = self.explain(&error);
                                self.push(rule, Outcome::Error, path, None, Some(reason));
                                self.missing_fix(&error, true);
                                return;
                            }
                            _ => None,
                        };
                        let written = self.written(&path);
                        let bound = lowest.map(|_| ValueBound::BelowDetection);
                        let (outcome, reason) = match lowest {
                            None => (Some(check.test(value, bounds[0], bounds[1])), None),
                            Some(low) if low > value => (
                                None,
                                Some((self.texts().below_detection_not_monotone)(
                                    check.value.source(),
                                )),
                            ),
                            Some(low) => (check.test_range(low, value, bounds[0], bounds[1]), None),
                        };
                        let outcome = match outcome {
                            Some(true) => Outcome::Pass,
                            Some(false) => Outcome::Fail,
                            None => Outcome::Error,
                        };
                        let reason = reason.or_else(|| {
                            (outcome == Outcome::Error).then(|| {
                                let limit = [bounds[0], bounds[1]]
                                    .into_iter()
                                    .flatten()
                                    .map(|b| quantity_text(b, check.unit.as_deref()))
                                    .collect::<Vec<_>>()
                                    .join(", ");
                                let actual = Actual {
                                    value: serde_json::Number::from_f64(value)
                                        .map_or(Json::Null, Json::Number),
                                    unit: rule.unit().cloned(),
                                    written: written.clone(),
                                    bound,
                                };
                                (self.texts().below_detection_undecided)(
                                    &actual.to_string(),
                                    &limit,
                                )
                            })
                        });
                        let component = path.component().and_then(|i| self.label(i));
                        self.findings.push(Finding::new_check(
                            rule.texts(self.options.lang),
                            rule.finding_severity(),
                            outcome,
                            path,
                            value,
                            written,
                            bound,
                            reason,
                            component,
                        ));
                        if check.has_computed_bound() {
                            self.computed_detail(rule, check, bounds);
                        }
                        if outcome == Outcome::Fail {
                            self.check_fix(rule, check, bounds, value, scope);
                        }
                    }
                    Err(error) => {
                        let reason = self.explain(&error);
                        self.push(rule, Outcome::Error, path, None, Some(reason));
                        self.missing_fix(&error, true);
                    }
                }
            }
            RuleKind::Assert { assert, actual, .. } => {
                let actual = match actual {
                    Some(expr) => match expr.eval(scope) {
                        Ok(value) => Some(Actual {
                            value,
                            unit: None,
                            written: None,
                            bound: None,
                        }),
                        Err(error) => {
                            let reason = self.explain(&error);
                            self.push(rule, Outcome::Error, place, None, Some(reason));
                            self.missing_fix(&error, true);
                            return;
                        }
                    },
                    None => None,
                };
                match assert.eval_bool(scope) {
                    Ok(pass) => {
                        // With results below the detection limit at 0 instead
                        // of at their limit, the assertion must say the same:
                        // else it depends on what the lab could not measure.
                        let same = self.lowest.is_none_or(|json| {
                            let data = SubmissionData::new(json, self.date);
                            matches!(assert.eval_bool(&scope.over(&data)), Ok(p) if p == pass)
                        });
                        if !same {
                            let reason = self.texts().below_detection_assert.to_owned();
                            self.push(rule, Outcome::Error, place, actual, Some(reason));
                            return;
                        }
                        let outcome = if pass { Outcome::Pass } else { Outcome::Fail };
                        self.push(rule, outcome, place, actual, None);
                        if !pass {
                            self.assert_fix(rule);
                        }
                    }
                    Err(error) => {
                        let reason = self.explain(&error);
                        self.push(rule, Outcome::Error, place, actual, Some(reason));
                        self.missing_fix(&error, true);
                    }
                }
            }
            RuleKind::Plugin { .. } => {}
        }
    }

    /// The requirement and message of the last finding, with the bounds as
    /// computed for it.
    fn computed_detail(&mut self, rule: &Rule, check: &Check, bounds: [Option<f64>; 2]) {
        let lang = self.options.lang;
        let side = |bound: &Option<crate::pack::Bound>, value: Option<f64>| {
            bound
                .as_ref()
                .zip(value)
                .map(|(b, v)| (b.strict, format_number(v)))
        };
        let min = side(&check.min, bounds[0]);
        let max = side(&check.max, bounds[1]);
        let limit = match (&min, &max) {
            (Some((_, n)), None) | (None, Some((_, n))) => {
                Some(quantity_text_of(n, check.unit.as_deref()))
            }
            _ => None,
        };
        let expected = expected_text(min, max, check.unit.as_deref());
        let Some(last) = self.findings.last_mut() else {
            return;
        };
        let template = rule.message_template(lang);
        let message = Message::new(
            &template,
            Some(&expected),
            Some(limit.as_deref().unwrap_or(&expected)),
            Strings::get(lang).each_component,
        );
        let text = message
            .render(last.component_label(), last.actual().as_deref())
            .into_owned();
        last.set_detail(Detail {
            message: Some(text),
            expected: Some(expected),
            reference: None,
            fix: None,
        });
    }

    /// The value as the submission wrote it, when it wrote it in another
    /// unit (`"0.05 %"` for 500 mg/kg).
    fn written(&self, path: &FindingPath) -> Option<String> {
        let written = &self.submission.written;
        let text = match path {
            FindingPath::Component {
                index,
                field: Some(field),
            } => written.component(*index, field)?,
            FindingPath::Pointer(pointer) => written.get(pointer)?,
            _ => return None,
        };
        Some(text.to_owned())
    }

    /// `C3 housing`: a component's id and name, for messages; made once per component.
    fn label(&mut self, index: usize) -> Option<Arc<str>> {
        if self.labels.is_empty() {
            let count = self
                .submission
                .normalized
                .get("components")
                .and_then(Doc::as_array)
                .map_or(0, <[Doc]>::len);
            self.labels = vec![None; count];
        }
        let slot = self.labels.get_mut(index)?;
        if slot.is_none() {
            let component = self.submission.normalized.get("components")?.get(index)?;
            let id = component.get("id").and_then(Doc::as_str).unwrap_or("?");
            // Joined in a buffer kept for the run, then copied once into
            // the shared text: one allocation per label (`format!`, or a
            // `String` of its own turned into an `Arc`, cost two).
            *slot = Some(match component.get("name").and_then(Doc::as_str) {
                Some(name) => {
                    let label = &mut self.label_scratch;
                    label.clear();
                    label.push_str(id);
                    label.push(' ');
                    label.push_str(name);
                    Arc::from(label.as_str())
                }
                None => Arc::from(id),
            });
        }
        slot.clone()
    }

    /// A reason a person understands, in the report's language.
    fn explain(&self, error: &EvalError) -> String {
        match error {
            EvalError::Missing { pointer } => (self.texts().missing)(pointer),
            EvalError::Type(message) => (self.texts().type_error)(message),
            EvalError::NotFinite { expression } => {
                (self.texts().not_finite)(expression, self.zero_total_mass())
            }
            EvalError::Budget(crate::expr::cost::Exceeded::Iterations) => {
                (self.texts().over_iterations)(&crate::expr::cost::MAX_ITERATIONS.to_string())
            }
            EvalError::Budget(crate::expr::cost::Exceeded::Bytes) => (self.texts().over_bytes)(
                &(crate::expr::cost::MAX_BYTES_BUILT / (1024 * 1024)).to_string(),
            ),
        }
    }

    /// Whether the submission's components all state a mass and the masses
    /// add up to 0: the cause of a mass-weighted value that is 0/0.
    fn zero_total_mass(&self) -> bool {
        let Some(components) = self
            .submission
            .normalized
            .get("components")
            .and_then(Doc::as_array)
            .filter(|c| !c.is_empty())
        else {
            return false;
        };
        components
            .iter()
            .map(|c| c.get("mass").and_then(Doc::as_f64))
            .try_fold(0.0, |total, mass| Some(total + mass?))
            == Some(0.0)
    }

    /// The reasons of the report's language.
    fn texts(&self) -> &'static crate::catalog::Eval {
        &crate::catalog::Catalog::get(self.options.lang).eval
    }

    /// Records a finding with the rule's texts in the report's language.
    fn push(
        &mut self,
        rule: &Rule,
        outcome: Outcome,
        path: FindingPath,
        actual: Option<Actual>,
        reason: Option<String>,
    ) {
        let component = path.component().and_then(|i| self.label(i));
        self.findings.push(Finding::new(
            rule.texts(self.options.lang),
            rule.finding_severity(),
            outcome,
            path,
            actual,
            reason,
            component,
        ));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::load::{Format, Source};
    use plugins::json_len;

    /// A submission of `n` plastic components, each with a mass and a lead
    /// content written in other units than the canonical ones.
    fn components(n: usize) -> Submission {
        let mut text = String::from(
            "schema: recert.submission/v1\nid: S\ndate: 2026-11-20\napplicant: {name: A, country: CN}\nproduct: {name: p, sector: electrical-electronic, category: air-purifier, markets: [CN, EU], mass: 1 kg}\ncomponents:\n",
        );
        for i in 0..n {
            text.push_str(&format!(
                "  - {{id: C{i}, name: p{i}, material: {{class: plastic, polymer: PP}}, mass: 10 g, recycled: {{post_consumer: 30 %}}, substances: {{lead: 0.001 %}}}}\n"
            ));
        }
        crate::load::load_submission(&Source::from_text("s.yaml", &text, Format::Yaml)).unwrap()
    }

    /// The bundled packs.
    fn bundled() -> PackSet {
        crate::pack::compile(&crate::pack::bundled_sources(), None).unwrap()
    }

    /// Options on `date` in `lang`, without plugins.
    fn options(date: Date, lang: Lang) -> Options<'static> {
        Options {
            date,
            lang,
            plugins: None,
        }
    }

    /// The JSON report of `submission`, held whole and streamed: holding
    /// at most `max_held` findings, making them again `chunk` at a time.
    fn whole_and_streamed(
        submission: &Submission,
        lang: Lang,
        lines: bool,
        max_held: usize,
        chunk: usize,
    ) -> (String, String) {
        let (packs, options) = (bundled(), options(jiff::civil::date(2031, 9, 1), lang));
        let whole = evaluate(&packs, submission, &options);
        let mut expected = Vec::new();
        crate::report::json::write(&whole, &mut expected, lines).unwrap();
        let Evaluation::Streamed(streamed) =
            evaluate_bounded(&packs, submission, &options, max_held)
        else {
            panic!("{} findings held", whole.findings.len());
        };
        let report = &streamed.report;
        assert!(report.findings.is_empty());
        assert_eq!(report.summary, whole.summary);
        assert_eq!(report.verdict, whole.verdict);
        let tally = |f| crate::report::batch::Tally::with_failed(&whole, f);
        assert_eq!(
            format!("{:?}", tally(streamed.failed.clone())),
            format!("{:?}", crate::report::batch::Tally::of(&whole))
        );
        // Made again without the source text, as `recert check` does: the
        // lines fixes name were found when the findings were counted.
        let mut without_text = submission.clone();
        without_text.source = None;
        let mut again = |emit: &mut dyn FnMut(Finding) -> bool| {
            streamed.replay_in_chunks(&packs, &without_text, &options, emit, chunk)
        };
        let mut written = Vec::new();
        crate::report::json::write_streamed(report, &mut again, &mut written, lines).unwrap();
        (
            String::from_utf8(expected).unwrap(),
            String::from_utf8(written).unwrap(),
        )
    }

    #[test]
    fn a_streamed_report_has_the_bytes_of_the_whole_one() {
        // Components with values missing: their findings' fix texts are
        // made per chunk, with the lines of the fields in the text.
        let submission = components(40);
        for (lang, lines, chunk) in [(Lang::En, false, 7), (Lang::Zh, true, 1000)] {
            let (whole, streamed) = whole_and_streamed(&submission, lang, lines, 50, chunk);
            assert!(
                lang != Lang::En || whole.contains("under line "),
                "no fix with a line"
            );
            assert_eq!(whole, streamed, "{lang:?}");
        }
    }

    /// Answers every plugin call with one failing finding whose message
    /// is `message_len` bytes long, and counts the calls.
    struct Counting {
        calls: std::sync::atomic::AtomicUsize,
        message_len: usize,
    }

    impl PluginRunner for Counting {
        fn run(&self, request: &PluginRequest<'_>) -> Result<PluginOutput, String> {
            self.calls
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(PluginOutput {
                plugin: PluginInfo {
                    id: request.plugin.to_owned(),
                    version: "1.0.0".to_owned(),
                    sha256: "0".repeat(64),
                },
                findings: Ok(vec![PluginFinding {
                    rule: request.call.rule.to_owned(),
                    outcome: Outcome::Fail,
                    path: "/components/1".to_owned(),
                    actual: Some(serde_json::json!({"value": 3, "unit": "%"})),
                    expected: Some("at least 5 %".to_owned()),
                    message: "m".repeat(self.message_len),
                    reference: None,
                }]),
                spent: 0,
            })
        }
    }

    #[test]
    fn the_second_pass_gives_the_plugin_calls_of_the_first_again_when_they_are_small() {
        let packs = bundled();
        let submission = components(40);
        let input = json_len(&submission.normalized);
        // Small outputs are kept (no second call); outputs larger than the
        // plugin input are not (each call is made again).
        for (message_len, calls_again) in [(10, false), (input, true)] {
            let runner = Counting {
                calls: std::sync::atomic::AtomicUsize::new(0),
                message_len,
            };
            let options = Options {
                plugins: Some(&runner),
                ..options(jiff::civil::date(2026, 12, 1), Lang::En)
            };
            let whole = evaluate(&packs, &submission, &options);
            let calls = runner.calls.swap(0, std::sync::atomic::Ordering::Relaxed);
            assert!(calls > 0, "no plugin rule ran");
            let mut expected = Vec::new();
            crate::report::json::write(&whole, &mut expected, false).unwrap();
            let Evaluation::Streamed(streamed) =
                evaluate_bounded(&packs, &submission, &options, 50)
            else {
                panic!("held");
            };
            assert_eq!(
                runner.calls.swap(0, std::sync::atomic::Ordering::Relaxed),
                calls
            );
            let mut again = |emit: &mut dyn FnMut(Finding) -> bool| {
                streamed.replay(&packs, &submission, &options, emit)
            };
            let mut written = Vec::new();
            crate::report::json::write_streamed(&streamed.report, &mut again, &mut written, false)
                .unwrap();
            let made_again = runner.calls.load(std::sync::atomic::Ordering::Relaxed);
            assert_eq!(made_again, if calls_again { calls } else { 0 });
            assert!(
                String::from_utf8_lossy(&written).contains("at least 5 %"),
                "no plugin finding"
            );
            assert!(expected == written, "the streamed report differs");
        }
    }

    /// The JSON report of `evaluation`, its findings made again over `submission`.
    fn written(
        evaluation: Evaluation,
        packs: &PackSet,
        submission: &Submission,
        options: &Options<'_>,
    ) -> String {
        let mut out = Vec::new();
        match evaluation {
            Evaluation::Whole(report) => crate::report::json::write(&report, &mut out, true),
            Evaluation::Streamed(streamed) => {
                let mut again = |emit: &mut dyn FnMut(Finding) -> bool| {
                    streamed.replay(packs, submission, options, emit)
                };
                crate::report::json::write_streamed(&streamed.report, &mut again, &mut out, true)
            }
        }
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_submission_without_its_text_reads_it_again_once_for_the_lines_of_fixes() {
        let (packs, options) = (bundled(), options(jiff::civil::date(2031, 9, 1), Lang::En));
        let submission = components(40);
        let mut without = submission.clone();
        without.source = None;
        for max_held in [usize::MAX, 50] {
            let held = evaluate_bounded(&packs, &submission, &options, max_held);
            let expected = written(held, &packs, &submission, &options);
            assert!(expected.contains("under line "), "no fix with a line");
            let reads = std::cell::Cell::new(0);
            let again = || {
                reads.set(reads.get() + 1);
                submission.source.clone()
            };
            let evaluation =
                evaluate_bounded_reading_again(&packs, &without, &options, max_held, &again);
            assert_eq!(reads.get(), 1, "held {max_held}");
            assert_eq!(written(evaluation, &packs, &without, &options), expected);
            // Not given again: the fixes name no line.
            let evaluation =
                evaluate_bounded_reading_again(&packs, &without, &options, max_held, &|| None);
            let text = written(evaluation, &packs, &without, &options);
            assert!(!text.contains("under line "), "held {max_held}");
        }
    }

    #[test]
    fn a_report_within_the_bound_is_held_whole() {
        let (packs, options) = (bundled(), options(jiff::civil::date(2026, 12, 1), Lang::En));
        let submission = components(3);
        let whole = evaluate(&packs, &submission, &options);
        let held = whole.findings.len();
        match evaluate_bounded(&packs, &submission, &options, held) {
            Evaluation::Whole(report) => assert_eq!(report.findings.len(), held),
            Evaluation::Streamed(_) => panic!("{held} findings is within the bound"),
        }
        assert!(matches!(
            evaluate_bounded(&packs, &submission, &options, held - 1),
            Evaluation::Streamed(_)
        ));
    }

    #[test]
    fn findings_made_again_that_differ_are_an_error() {
        let (packs, options) = (bundled(), options(jiff::civil::date(2026, 12, 1), Lang::En));
        let submission = components(3);
        let Evaluation::Streamed(mut streamed) = evaluate_bounded(&packs, &submission, &options, 0)
        else {
            panic!("held");
        };
        let mut made = 0;
        assert_eq!(
            streamed.replay(&packs, &submission, &options, &mut |_| {
                made += 1;
                true
            }),
            Ok(())
        );
        assert_eq!(made, streamed.report.summary.total);
        streamed.report.summary.pass += 1;
        let error = streamed
            .replay(&packs, &submission, &options, &mut |_| true)
            .unwrap_err();
        assert!(error.contains("differ"), "{error}");
    }

    #[test]
    fn a_finding_is_small() {
        // A report holds a finding per rule and component: 3 million for
        // 100 000 components. Its value is held in it when a check's number
        // in the rule's unit, else boxed; a reason's text is boxed.
        assert!(size_of::<Finding>() <= 104, "{}", size_of::<Finding>());
    }

    #[test]
    fn findings_are_not_reserved_per_rule_and_component() {
        let packs = bundled();
        let rules: usize = packs.packs().iter().map(|p| p.rules.len()).sum();
        let submission = components(400);
        assert!(rules * 400 > MAX_FINDINGS_RESERVED, "{rules}");
        let options = options(jiff::civil::date(2026, 12, 1), Lang::En);
        let report = evaluate(&packs, &submission, &options);
        let findings = &report.findings;
        assert!(findings.len() > 400, "{}", findings.len());
        assert!(findings.capacity() < rules * 400, "{rules} rules");
        assert!(
            findings.capacity() <= MAX_FINDINGS_RESERVED.max(2 * findings.len()),
            "{} reserved for {} findings",
            findings.capacity(),
            findings.len()
        );
        // The value as written is still found for each component.
        let lead = findings
            .iter()
            .filter(|f| f.rule() == "rohs-lead")
            .filter_map(|f| f.actual()?.written.clone())
            .collect::<Vec<_>>();
        assert_eq!(lead.len(), 400);
        assert!(lead.iter().all(|w| w == "0.001 %"), "{lead:?}");
    }
}
