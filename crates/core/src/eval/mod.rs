//! Evaluation: a compiled [`PackSet`] over one submission gives a [`Report`].
//!
//! For each pack: `applies_to`; for each rule: the effective window, then
//! (once, or once per component) `when`, then the check, assertion or plugin.
//! Anything that cannot be evaluated is outcome `error` with its cause, never
//! a pass. The submission is converted for CEL at most once; rule texts were
//! prepared when the packs were compiled, so a finding costs a few reference
//! counts and, only where needed, a formatted message.

mod plugins;

use std::sync::Arc;

use jiff::civil::Date;
use serde_json::Value as Json;

use crate::expr::{EvalError, Params, RootContext, Scope, SubmissionData};
use crate::lang::Lang;
use crate::load::Submission;
use crate::pack::{Pack, PackSet, Rule, RuleKind};
use crate::report::{
    Actual, EngineInfo, Finding, FindingPath, Outcome, PackInfo, PluginInfo, REPORT_SCHEMA, Report,
    SubmissionInfo, Summary,
};

pub use plugins::{PluginFinding, PluginOutput, PluginRequest, PluginRunner};

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
    let date = options.date.to_string();
    let data = SubmissionData::new(&submission.normalized, &date);
    let root = packs.expr_env().context();
    let mut run = Run {
        options,
        root: &root,
        data: &data,
        submission,
        date: &date,
        findings: Vec::with_capacity(
            packs.packs().iter().map(|p| p.rules.len()).sum::<usize>()
                * submission
                    .normalized
                    .get("components")
                    .and_then(Json::as_array)
                    .map_or(1, |c| c.len().max(1)),
        ),
        plugins_used: Vec::new(),
        submission_text: None,
        labels: Vec::new(),
    };
    let mut pack_infos = Vec::with_capacity(packs.packs().len());
    for pack in packs.packs() {
        let applies = run.pack(pack);
        pack_infos.push(PackInfo {
            id: pack.id.clone(),
            version: pack.version.to_string(),
            sha256: pack.sha256.clone(),
            title: pack.title.get(options.lang).to_owned(),
            applies,
        });
    }
    let findings = run.findings;
    let summary = Summary::of(&findings);
    let mut plugins = run.plugins_used;
    plugins.sort_by(|a, b| a.id.cmp(&b.id));
    plugins.dedup();
    Report {
        schema: REPORT_SCHEMA,
        verdict: summary.verdict(),
        submission: SubmissionInfo {
            id: submission.id.clone(),
            sha256: submission.sha256.clone(),
            file: submission.file.clone(),
            product: submission
                .normalized
                .pointer("/product/name")
                .and_then(Json::as_str)
                .map(str::to_owned),
        },
        evaluation_date: date.clone(),
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
        findings,
    }
}

/// The state of one evaluation.
struct Run<'r, 'a> {
    options: &'r Options<'r>,
    root: &'r RootContext,
    data: &'r SubmissionData<'a>,
    submission: &'a Submission,
    date: &'r str,
    findings: Vec<Finding>,
    plugins_used: Vec<PluginInfo>,
    submission_text: Option<Arc<str>>,
    labels: Vec<Option<Arc<str>>>,
}

impl Run<'_, '_> {
    /// Evaluates a pack; returns whether it applies.
    fn pack(&mut self, pack: &Pack) -> bool {
        let params: &Params = pack.params_values();
        let scope = Scope::new(self.root, self.data, params);
        if let Some(applies_to) = &pack.applies_to {
            match applies_to.eval_bool(&scope) {
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
        for rule in &pack.rules {
            if !rule.effective.contains(date) {
                self.push(rule, Outcome::NotInForce, FindingPath::Root, None, None);
                continue;
            }
            if let RuleKind::Plugin {
                plugin,
                config_json,
            } = &rule.kind
            {
                self.plugin(pack, rule, plugin, config_json);
                continue;
            }
            if rule.for_each_component {
                let components = self
                    .submission
                    .normalized
                    .get("components")
                    .and_then(Json::as_array);
                let Some(components) = components else {
                    self.push(
                        rule,
                        Outcome::Error,
                        FindingPath::Root,
                        None,
                        Some(self.texts().no_components.to_owned()),
                    );
                    continue;
                };
                for (index, component) in components.iter().enumerate() {
                    let scope = scope.with_component(index, component);
                    self.rule(rule, &scope, Some(index));
                }
            } else {
                self.rule(rule, &scope, None);
            }
        }
        true
    }

    /// Evaluates `when` and the check or assertion of a rule in one scope.
    fn rule(&mut self, rule: &Rule, scope: &Scope<'_, '_>, component: Option<usize>) {
        let place = match component {
            Some(index) => FindingPath::Component { index, field: None },
            None => FindingPath::Root,
        };
        if let Some(when) = &rule.when {
            match when.eval_bool(scope) {
                Ok(true) => {}
                Ok(false) => {
                    self.push(rule, Outcome::NotApplicable, place, None, None);
                    return;
                }
                Err(error) => {
                    let reason = (self.texts().when_unknown)(&self.explain(&error));
                    self.push(rule, Outcome::Error, place, None, Some(reason));
                    return;
                }
            }
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
                match check.value.eval_number(scope) {
                    Ok(value) => {
                        let pass = check.min.as_ref().is_none_or(|min| value >= min.value)
                            && check.max.as_ref().is_none_or(|max| value <= max.value);
                        let actual = Actual {
                            value: serde_json::Number::from_f64(value)
                                .map_or(Json::Null, Json::Number),
                            unit: rule.unit().cloned(),
                            written: self.written(&path),
                        };
                        let outcome = if pass { Outcome::Pass } else { Outcome::Fail };
                        self.push(rule, outcome, path, Some(actual), None);
                    }
                    Err(error) => {
                        let reason = self.explain(&error);
                        self.push(rule, Outcome::Error, path, None, Some(reason));
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
                        }),
                        Err(error) => {
                            let reason = self.explain(&error);
                            self.push(rule, Outcome::Error, place, None, Some(reason));
                            return;
                        }
                    },
                    None => None,
                };
                match assert.eval_bool(scope) {
                    Ok(pass) => {
                        let outcome = if pass { Outcome::Pass } else { Outcome::Fail };
                        self.push(rule, outcome, place, actual, None);
                    }
                    Err(error) => {
                        let reason = self.explain(&error);
                        self.push(rule, Outcome::Error, place, actual, Some(reason));
                    }
                }
            }
            RuleKind::Plugin { .. } => {}
        }
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
                .and_then(Json::as_array)
                .map_or(0, Vec::len);
            self.labels = vec![None; count];
        }
        let slot = self.labels.get_mut(index)?;
        if slot.is_none() {
            let component = self.submission.normalized.get("components")?.get(index)?;
            let id = component.get("id").and_then(Json::as_str).unwrap_or("?");
            *slot = Some(Arc::from(
                match component.get("name").and_then(Json::as_str) {
                    Some(name) => format!("{id} {name}"),
                    None => id.to_owned(),
                },
            ));
        }
        slot.clone()
    }

    /// A reason a person understands, in the report's language.
    fn explain(&self, error: &EvalError) -> String {
        match error {
            EvalError::Missing { pointer } => (self.texts().missing)(pointer),
            EvalError::Type(message) => (self.texts().type_error)(message),
        }
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
            rule.severity,
            outcome,
            path,
            actual,
            reason,
            component,
        ));
    }
}
