//! The narrow interface between evaluation and whatever runs plugins.
//!
//! Evaluation knows nothing of WebAssembly: it hands a [`PluginRequest`] to a
//! [`PluginRunner`] and turns what comes back into findings, checking that a
//! plugin only speaks for the rule it was asked about.

use std::sync::Arc;

use recert_plugin_abi::{Finding, Request};
use serde_json::Value as Json;

use crate::load::{Doc, pointer_tokens};

use super::Run;
use crate::diagnostic::Diagnostics;
use crate::pack::{Pack, Rule};
use crate::report::{Actual, Detail, FindingPath, Outcome, PluginInfo, ReferenceInfo};

/// One plugin call: one rule over one submission, and where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct PluginRequest<'a> {
    /// The pack the rule belongs to.
    pub pack: &'a Pack,
    /// The plugin's id, as the pack names it.
    pub plugin: &'a str,
    /// What the plugin is asked: the rule, the normalized submission and the
    /// rule's config (with the pack's params under `params`) as JSON text,
    /// the evaluation date and the report's language.
    pub call: Request<'a>,
    /// What is left of the submission's plugin budget (the fuel of all its
    /// plugin calls together); `None` when the runner sets none.
    pub budget_left: Option<u64>,
}

/// One finding as a plugin reports it, its `actual` parsed; its rule must be
/// the one requested.
pub type PluginFinding = Finding<Json>;

/// What a plugin call gave.
#[derive(Debug, Clone)]
pub struct PluginOutput {
    /// Who answered, for the report's provenance.
    pub plugin: PluginInfo,
    /// Its findings, or why there are none (outcome `error` for the rule).
    pub findings: Result<Vec<PluginFinding>, String>,
    /// How much of the submission's plugin budget the call used.
    pub spent: u64,
}

/// Runs plugin rules. The engine's WebAssembly host implements it; tests may
/// implement it with plain Rust.
pub trait PluginRunner: Sync {
    /// Evaluates one rule with one plugin. `Err` means the plugin could not be
    /// found or loaded (outcome `error` for the rule).
    fn run(&self, request: &PluginRequest<'_>) -> Result<PluginOutput, String>;

    /// The budget of all the plugin calls of one submission together (the
    /// sum of [`PluginOutput::spent`]); once it is spent, the submission's
    /// remaining plugin rules are outcome `error`. The default sets none.
    fn submission_budget(&self) -> Option<u64> {
        None
    }

    /// Loads and checks the plugins `pack` names before any of its rules
    /// runs, so that a plugin that cannot be loaded is bad input located in
    /// the pack (as `recert check` reports it), not an `error` per rule. The
    /// default loads nothing and finds nothing wrong.
    fn prepare(&self, _pack: &Pack) -> Result<(), Diagnostics> {
        Ok(())
    }
}

/// Whether a finding may name `path`: it is in the submission, or it leads
/// to a field missing from an object the submission has (a missing value
/// is reported where it should be), or the finding is an `error` (missing
/// data). A component or list item the submission does not have, or a field
/// under a plain value, is not a place in the submission.
fn path_in(submission: &Doc, path: &str, outcome: Outcome) -> bool {
    if outcome == Outcome::Error {
        return true;
    }
    let Some(tokens) = pointer_tokens(path) else {
        return false;
    };
    let mut here = submission;
    for token in tokens {
        let next = match here {
            Doc::Object(map) => match map.get(&token) {
                Some(next) => next,
                // A field the object lacks: the rest is where it should be.
                None => return true,
            },
            Doc::Array(items) => match token.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(next) => next,
                None => return false,
            },
            _ => return false,
        };
        here = next;
    }
    true
}

/// A plugin's `actual`, and what would make the finding pass: the object
/// `{"value": 12, "unit": "%", "written": "12 %", "fix": "..."}` (every key
/// optional; `value` a number, string or boolean) is a value like those of
/// YAML rules and the finding's fix; anything else is shown as it is.
fn actual_of(value: Json) -> (Option<Actual>, Option<String>) {
    if let Json::Object(map) = &value {
        let only_known = !map.is_empty()
            && map
                .keys()
                .all(|k| matches!(k.as_str(), "value" | "unit" | "written" | "fix"));
        let scalar = map
            .get("value")
            .is_none_or(|v| v.is_number() || v.is_string() || v.is_boolean());
        if only_known && scalar {
            let fix = map.get("fix").and_then(Json::as_str).map(str::to_owned);
            let actual = map.get("value").map(|value| Actual {
                value: value.clone(),
                unit: map.get("unit").and_then(Json::as_str).map(Arc::from),
                written: map.get("written").and_then(Json::as_str).map(str::to_owned),
                bound: None,
            });
            if actual.is_some() || fix.is_some() {
                return (actual, fix);
            }
        }
    }
    (
        Some(Actual {
            value,
            unit: None,
            written: None,
            bound: None,
        }),
        None,
    )
}

impl Run<'_, '_, '_> {
    /// Evaluates a rule delegated to a plugin.
    pub(super) fn plugin(&mut self, pack: &Pack, rule: &Rule, plugin: &str, config_json: &str) {
        let Some(runner) = self.options.plugins else {
            self.plugin_error(
                rule,
                format!("plugin `{plugin}` is not available: this run has no plugin host"),
            );
            return;
        };
        if self.plugin_budget == Some(0) {
            self.plugin_error(
                rule,
                format!(
                    "plugin `{plugin}` was not run: the submission's plugin budget is spent (its earlier plugin calls used all of it)"
                ),
            );
            return;
        }
        let result = match self.plugin_calls.replayed(&rule.id) {
            Some(result) => result,
            None => {
                let submission_json = self.submission_json();
                let request = PluginRequest {
                    pack,
                    plugin,
                    call: Request {
                        rule: &rule.id,
                        submission_json: &submission_json,
                        config_json,
                        evaluation_date: self.date,
                        lang: self.options.lang.code(),
                    },
                    budget_left: self.plugin_budget,
                };
                let result = runner.run(&request);
                self.plugin_calls
                    .record(&rule.id, &result, submission_json.len());
                result
            }
        };
        let output = match result {
            Ok(output) => output,
            Err(reason) => {
                self.plugin_error(rule, reason);
                return;
            }
        };
        if let Some(left) = &mut self.plugin_budget {
            *left = left.saturating_sub(output.spent);
        }
        let who = format!("plugin `{}` {}", output.plugin.id, output.plugin.version);
        self.plugins_used.push(output.plugin);
        let findings = match output.findings {
            Ok(findings) if findings.is_empty() => {
                self.plugin_error(
                    rule,
                    format!("{who} returned no finding for rule `{}`", rule.id),
                );
                return;
            }
            Ok(findings) => findings,
            Err(reason) => {
                self.plugin_error(rule, reason);
                return;
            }
        };
        for finding in findings {
            if finding.rule != rule.id {
                self.plugin_error(
                    rule,
                    format!(
                        "{who} reported a finding for rule `{}` when asked about `{}`",
                        finding.rule, rule.id
                    ),
                );
                continue;
            }
            if !path_in(&self.submission.normalized, &finding.path, finding.outcome) {
                self.plugin_error(
                    rule,
                    format!(
                        "{who} reported a finding at `{}`, which is not in the submission",
                        finding.path
                    ),
                );
                continue;
            }
            let path = if finding.path.is_empty() {
                FindingPath::Root
            } else {
                FindingPath::Pointer(finding.path)
            };
            let (actual, fix) = finding.actual.map_or((None, None), actual_of);
            let reason = (finding.outcome == Outcome::Error).then(|| finding.message.clone());
            self.push(rule, finding.outcome, path, actual, reason);
            if let Some(last) = self.findings.last_mut() {
                let reference = finding.reference.map(|r| ReferenceInfo {
                    standard: r.standard,
                    clause: r.clause,
                    ..last.reference().clone()
                });
                last.set_detail(Detail {
                    message: Some(finding.message),
                    expected: finding.expected,
                    reference: reference.map(Box::new),
                    fix: fix.filter(|_| matches!(finding.outcome, Outcome::Fail | Outcome::Error)),
                });
            }
        }
    }

    /// One finding for the whole rule: it could not be evaluated, and why.
    fn plugin_error(&mut self, rule: &Rule, reason: String) {
        self.push(rule, Outcome::Error, FindingPath::Root, None, Some(reason));
    }

    /// The normalized submission as JSON text, made once per evaluation.
    /// (An `Arc<String>`: `Arc<str>` from a `String` copies the text, as
    /// large as the submission.) Written into room for as many bytes as
    /// the source text has, which it seldom exceeds: grown by doubling, the
    /// text of a 16 MB submission took 32 MB. Without its source text (a
    /// submission given as a value, or one whose text was dropped once its
    /// findings were counted), the room is measured: a pass of the writer
    /// that stores nothing.
    fn submission_json(&mut self) -> Arc<String> {
        let submission = self.submission;
        self.submission_text
            .get_or_insert_with(|| {
                let normalized = &submission.normalized;
                let room = submission
                    .source
                    .as_ref()
                    .map_or_else(|| json_len(normalized), |source| source.text.len());
                let mut text = String::with_capacity(room);
                // Writing to a `String` cannot fail.
                let _ = std::fmt::Write::write_fmt(&mut text, format_args!("{normalized}"));
                Arc::new(text)
            })
            .clone()
    }
}

/// What a plugin call gave: its output, or why the runner could not run it.
pub(super) type CallResult = Result<PluginOutput, String>;

/// A plugin call of a report's first pass, kept for its second.
#[derive(Debug)]
pub(super) struct KeptCall {
    /// The rule it was for.
    rule: String,
    result: CallResult,
}

/// The plugin calls of an evaluation: made, or, when a report is made in
/// two passes, made by the first and given again to the second from what
/// the first kept. A second call would need the plugin input again (the
/// normalized submission as JSON, as large as the submission) and the
/// sandbox's memory: some 25 MB at once for the 16 MB submission of
/// `tests/memory.rs`, more than anything else the second pass holds. What
/// a call gives is kept only while all that is kept takes no more room
/// than the plugin input did; past that, the second pass calls the
/// plugins again. Either way the findings are those of the first pass:
/// a plugin is deterministic (fixed clocks, a fuel budget), and the
/// second pass checks that it counted what the first did.
#[derive(Debug)]
pub(super) enum PluginCalls<'s> {
    /// Made, not kept.
    Made,
    /// Made and kept, `bytes` in all (about).
    Kept { calls: Vec<KeptCall>, bytes: usize },
    /// Made; too much to keep.
    TooLarge,
    /// Given again from `calls`, in order, the next one `next`; a call
    /// they do not have (which a deterministic evaluation never asks for)
    /// is made.
    Replayed { calls: &'s [KeptCall], next: usize },
}

impl PluginCalls<'_> {
    /// The result of the call for `rule`, when it is given again.
    fn replayed(&mut self, rule: &str) -> Option<CallResult> {
        let PluginCalls::Replayed { calls, next } = self else {
            return None;
        };
        let call = calls.get(*next).filter(|call| call.rule == rule)?;
        *next += 1;
        Some(call.result.clone())
    }

    /// Keeps `result`, the call for `rule`, if what is kept stays within
    /// `room` bytes (the plugin input's length).
    fn record(&mut self, rule: &str, result: &CallResult, room: usize) {
        let PluginCalls::Kept { calls, bytes } = self else {
            return;
        };
        *bytes = bytes.saturating_add(size_of::<KeptCall>() + rule.len() + result_bytes(result));
        if *bytes > room {
            *self = PluginCalls::TooLarge;
            return;
        }
        calls.push(KeptCall {
            rule: rule.to_owned(),
            result: result.clone(),
        });
    }

    /// The calls kept, if all were.
    pub(super) fn into_kept(self) -> Option<Vec<KeptCall>> {
        match self {
            PluginCalls::Kept { calls, .. } => Some(calls),
            _ => None,
        }
    }
}

/// About the bytes `result` holds.
fn result_bytes(result: &CallResult) -> usize {
    let output = match result {
        Ok(output) => output,
        Err(reason) => return reason.len(),
    };
    let info = &output.plugin;
    let findings = match &output.findings {
        Ok(findings) => findings
            .iter()
            .map(|f| {
                size_of::<PluginFinding>()
                    + f.rule.len()
                    + f.path.len()
                    + f.message.len()
                    + f.expected.as_ref().map_or(0, String::len)
                    + f.reference
                        .as_ref()
                        .map_or(0, |r| r.standard.len() + r.clause.len())
                    + f.actual.as_ref().map_or(0, json_bytes)
            })
            .sum(),
        Err(reason) => reason.len(),
    };
    info.id.len() + info.version.len() + info.sha256.len() + findings
}

/// About the bytes a JSON value holds.
fn json_bytes(value: &Json) -> usize {
    size_of::<Json>()
        + match value {
            Json::String(s) => s.len(),
            Json::Array(items) => items.iter().map(json_bytes).sum(),
            Json::Object(map) => map.iter().map(|(k, v)| k.len() + 32 + json_bytes(v)).sum(),
            _ => 0,
        }
}

/// The length of `doc` as JSON text, written nowhere.
pub(super) fn json_len(doc: &Doc) -> usize {
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut count = Count(0);
    // Counting cannot fail.
    let _ = std::fmt::Write::write_fmt(&mut count, format_args!("{doc}"));
    count.0
}
