//! From pack files to a [`PackSet`]: every check that can be made before a
//! submission is seen.

use std::collections::HashMap;

use jiff::civil::Date;
use serde_json::Value as Json;

use super::file::{CheckFile, ForEach, PACK_SCHEMA, PackFile, RuleFile, SeverityFile};
use super::limits;
use super::params::ParamsFile;
use super::{
    Bound, BoundValue, Check, CheckAt, Fix, FromParam, Pack, PackSet, PackSource, Param,
    PluginLimits, PluginRef, Reference, Rule, RuleKind, Standard, Window,
};
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::expr::{Expr, ExprEnv, Params, Scope, SubmissionData};
use crate::lang::{Lang, Text};
use crate::load::{self, Format, Source};
use crate::number::{format_number, quantity_text};
use crate::report::ParamOverride;
use crate::report::Strings;
use crate::report::message::Message;
use crate::report::{ReferenceInfo, RuleTexts, Severity};
use crate::sha256::sha256_hex;
use std::sync::Arc;

/// Compiles pack sources, with `overrides` applied to their params.
///
/// Returns every problem found across all packs, located at file:line:col.
pub fn compile(
    sources: &[PackSource],
    overrides: Option<&ParamsFile>,
) -> Result<PackSet, Diagnostics> {
    // Every expression of the set compiles on one thread with a large stack.
    crate::parallel::with_large_stack(|| compile_here(sources, overrides))
}

fn compile_here(
    sources: &[PackSource],
    overrides: Option<&ParamsFile>,
) -> Result<PackSet, Diagnostics> {
    let env = ExprEnv::new().map_err(|message| {
        Diagnostics::one(Diagnostic::new(
            Code::Internal,
            Location::default(),
            format!("cannot set up CEL: {message}"),
        ))
    })?;
    let mut diagnostics = Diagnostics::default();
    let mut packs = Vec::with_capacity(sources.len());
    // rule id -> (file, pointer) of its first definition
    let mut rule_ids: HashMap<String, (String, String)> = HashMap::new();
    let mut pack_ids: HashMap<String, String> = HashMap::new();

    for pack_source in sources {
        let source = Source::from_text(&pack_source.name, &pack_source.text, Format::Yaml);
        let mut cx = Compiler {
            env: &env,
            source: &source,
            diagnostics: Diagnostics::default(),
            overrides,
        };
        if let Some(pack) = cx.pack(pack_source, overrides) {
            if let Some(first) = pack_ids.get(&pack.id) {
                cx.error(
                    Code::DuplicatePackId,
                    "/id",
                    format!("pack id `{}` is already used by {first}", pack.id),
                );
            } else {
                pack_ids.insert(pack.id.clone(), pack_source.name.clone());
            }
            for rule in &pack.rules {
                match rule_ids.get(&rule.id) {
                    Some((file, pointer)) => {
                        let first = load::locate(
                            &Source::from_text(file, text_of(sources, file), Format::Yaml),
                            pointer,
                        );
                        cx.error(
                            Code::DuplicateRuleId,
                            &format!("{}/id", rule.pointer),
                            format!(
                                "rule id `{}` is already defined at {}; rule ids must be unique across all loaded packs",
                                rule.id,
                                first.file_line()
                            ),
                        );
                    }
                    None => {
                        rule_ids.insert(
                            rule.id.clone(),
                            (pack_source.name.clone(), format!("{}/id", rule.pointer)),
                        );
                    }
                }
            }
            packs.push(pack);
        }
        diagnostics.0.extend(cx.diagnostics.0);
    }

    if let Some(overrides) = overrides {
        for diagnostic in overrides.unknown_packs(packs.iter().map(|p| p.id.as_str())) {
            diagnostics.push(diagnostic);
        }
    }
    diagnostics.into_result(PackSet { env, packs })
}

/// Why the value of `pack`'s param `name` cannot be a quantity in `unit`:
/// every quantity a param has a unit for (a share, a concentration, a mass,
/// an energy) is at least 0, and a share at most 100 %.
fn out_of_range(pack: &str, name: &str, value: &Json, unit: Option<&str>) -> Option<String> {
    let unit = unit?;
    let number = value.as_f64()?;
    let shown = format!("{} {unit}", crate::number::format_number(number));
    if number < 0.0 {
        Some(format!(
            "`{name}` of pack `{pack}` is {shown}: a quantity in {unit} cannot be negative"
        ))
    } else if unit == "%" && number > 100.0 {
        Some(format!(
            "`{name}` of pack `{pack}` is {shown}: a share cannot be more than 100 %"
        ))
    } else {
        None
    }
}

fn text_of<'a>(sources: &'a [PackSource], name: &str) -> &'a str {
    sources
        .iter()
        .find(|s| s.name == name)
        .map_or("", |s| s.text.as_str())
}

struct Compiler<'a> {
    env: &'a ExprEnv,
    source: &'a Source,
    diagnostics: Diagnostics,
    overrides: Option<&'a ParamsFile>,
}

impl Compiler<'_> {
    /// An error about the value of `pack`'s param `name`: located at its
    /// override in the `--params` file when it is overridden, else at the
    /// param in the pack.
    fn param_error(&mut self, pack: &str, name: &str, message: String) {
        match self.overrides.filter(|o| o.overrides(pack, name)) {
            Some(overrides) => {
                let diagnostic = overrides.error_at(pack, name, Code::InvalidParam, message);
                self.diagnostics.push(diagnostic);
            }
            None => self.error(
                Code::InvalidParam,
                &format!("/params/{name}/value"),
                message,
            ),
        }
    }

    /// `severity: params.NAME`: the param's value, which must be a severity.
    fn severity_param(
        &mut self,
        pack: &str,
        rule: &str,
        text: &str,
        pointer: &str,
        params: &[Param],
    ) -> Option<Severity> {
        let Some(name) = text.strip_prefix("params.") else {
            self.error(
                Code::InvalidSeverity,
                pointer,
                format!("`severity` is error, warning, info or `params.NAME`, found `{text}`"),
            );
            return None;
        };
        let Some(param) = params.iter().find(|p| p.name == name) else {
            self.error(
                Code::UnknownParam,
                pointer,
                format!("`{text}` is not a param of this pack"),
            );
            return None;
        };
        match param.value.as_str() {
            Some("error") => Some(Severity::Error),
            Some("warning") => Some(Severity::Warning),
            Some("info") => Some(Severity::Info),
            _ => {
                self.param_error(
                    pack,
                    name,
                    format!(
                        "param `{name}` of pack `{pack}` is {}, but rule `{rule}` takes its severity from it: it must be one of error, warning, info",
                        param.value
                    ),
                );
                None
            }
        }
    }

    fn error(&mut self, code: Code, pointer: &str, message: impl Into<String>) {
        let location = load::locate(self.source, pointer);
        self.diagnostics
            .push(Diagnostic::new(code, location, message));
    }

    fn pack(&mut self, pack_source: &PackSource, overrides: Option<&ParamsFile>) -> Option<Pack> {
        let json = match load::parse_document(self.source) {
            Ok(json) => json,
            Err(errors) => {
                self.diagnostics.0.extend(errors.0);
                return None;
            }
        };
        if let Some(found) = json.get("schema").and_then(Json::as_str)
            && found != PACK_SCHEMA
        {
            self.error(
                Code::WrongSchemaVersion,
                "/schema",
                format!("`schema` is `{found}`; this recert reads `{PACK_SCHEMA}`"),
            );
            return None;
        }
        let schema_errors = super::schema::validate(self.source, &json);
        if !schema_errors.is_empty() {
            self.diagnostics.0.extend(schema_errors.0);
            return None;
        }
        let file: PackFile = match serde_json::from_value(json) {
            Ok(file) => file,
            Err(error) => {
                self.error(Code::Schema, "", format!("not a valid pack: {error}"));
                return None;
            }
        };
        let version = match semver::Version::parse(&file.version) {
            Ok(v) => v,
            Err(error) => {
                self.error(
                    Code::InvalidVersion,
                    "/version",
                    format!(
                        "`version` `{}` is not semver (e.g. 1.2.0): {error}",
                        file.version
                    ),
                );
                return None;
            }
        };

        let standards: Vec<Standard> = file
            .standards
            .iter()
            .map(|s| Standard {
                id: s.id.clone(),
                title: s.title.clone(),
                url: s.url.clone(),
                verification: s.verification,
            })
            .collect();
        let mut seen = HashMap::new();
        for (i, s) in standards.iter().enumerate() {
            if seen.insert(s.id.as_str(), i).is_some() {
                self.error(
                    Code::DuplicateStandardId,
                    &format!("/standards/{i}/id"),
                    format!("standard id `{}` appears twice in this pack", s.id),
                );
            }
        }

        let (params, applied) = self.params(&file, overrides);
        let param_values = Params::new(Json::Object(
            params
                .iter()
                .map(|p| (p.name.clone(), p.value.clone()))
                .collect(),
        ));
        let applies_to = file
            .applies_to
            .as_deref()
            .and_then(|src| self.expr(src, "/applies_to", &params));

        let plugins: Vec<PluginRef> = file
            .plugins
            .iter()
            .map(|p| PluginRef {
                id: p.id.clone(),
                path: p.path.as_ref().map(|path| match &pack_source.dir {
                    Some(dir) => dir.join(path),
                    None => std::path::PathBuf::from(path),
                }),
                sha256: p.sha256.as_ref().map(|s| s.to_ascii_lowercase()),
            })
            .collect();
        let limits = self.limits(&file);

        let mut rules = Vec::with_capacity(file.rules.len());
        let mut local_ids = HashMap::new();
        for (i, rule_file) in file.rules.iter().enumerate() {
            let pointer = format!("/rules/{i}");
            if let Some(first) = local_ids.insert(rule_file.id.clone(), i) {
                self.error(
                    Code::DuplicateRuleId,
                    &format!("{pointer}/id"),
                    format!(
                        "rule id `{}` is already used by rule {} of this pack",
                        rule_file.id, first
                    ),
                );
                continue;
            }
            if let Some(rule) = self.rule(
                &file.id,
                rule_file,
                &pointer,
                &standards,
                &params,
                &plugins,
                &param_values,
            ) {
                rules.push(rule);
            }
        }

        let sha256 = sha256_hex(pack_source.text.as_bytes());
        Some(Pack {
            id: file.id,
            version_text: version.to_string(),
            version,
            title: file.title,
            description: file.description,
            sha256,
            file: pack_source.name.clone(),
            standards,
            applies_to,
            params,
            overrides: applied,
            plugins,
            limits,
            rules,
            param_values,
        })
    }

    fn params(
        &mut self,
        file: &PackFile,
        overrides: Option<&ParamsFile>,
    ) -> (Vec<Param>, Vec<ParamOverride>) {
        let mut applied = Vec::new();
        let mut params = Vec::with_capacity(file.params.len());
        for (name, p) in &file.params {
            let pointer = format!("/params/{name}");
            let default = match (&p.value, &p.unit) {
                (Json::String(_), Some(unit)) => match super::params::quantity_in(&p.value, unit) {
                    Ok(v) => v,
                    Err(error) => {
                        self.error(
                            Code::InvalidParam,
                            &format!("{pointer}/value"),
                            error.to_string(),
                        );
                        continue;
                    }
                },
                (value, _) => value.clone(),
            };
            if let Some(message) = out_of_range(&file.id, name, &default, p.unit.as_deref()) {
                self.error(Code::InvalidParam, &format!("{pointer}/value"), message);
            }
            let mut value = default.clone();
            if let Some(overrides) = overrides {
                match overrides.value_for(&file.id, name, p.unit.as_deref()) {
                    Some(Ok(new_value)) => {
                        if let Some(message) =
                            out_of_range(&file.id, name, &new_value, p.unit.as_deref())
                        {
                            self.diagnostics.push(overrides.error_at(
                                &file.id,
                                name,
                                Code::InvalidParam,
                                message,
                            ));
                        }
                        applied.push(ParamOverride {
                            pack: file.id.clone(),
                            name: name.clone(),
                            default: default.clone(),
                            value: new_value.clone(),
                            unit: p.unit.clone(),
                        });
                        value = new_value;
                    }
                    Some(Err(diagnostic)) => self.diagnostics.push(diagnostic),
                    None => {}
                }
            }
            params.push(Param {
                name: name.clone(),
                value,
                default,
                unit: p.unit.clone(),
                title: p.title.clone(),
                row: p.row.clone(),
                verification: p.verification,
            });
        }
        if let Some(overrides) = overrides {
            for diagnostic in overrides.unknown_params(&file.id, file.params.keys()) {
                self.diagnostics.push(diagnostic);
            }
        }
        (params, applied)
    }

    fn limits(&mut self, file: &PackFile) -> PluginLimits {
        let mut limits = PluginLimits::default();
        if let Some(l) = &file.limits {
            if let Some(memory) = &l.memory {
                match limits::parse_memory(memory) {
                    Ok(bytes) => limits.memory_bytes = Some(bytes),
                    Err(error) => {
                        self.error(Code::InvalidLimit, "/limits/memory", error.to_string())
                    }
                }
            }
            if let Some(time) = &l.time {
                match limits::parse_time(time) {
                    Ok(duration) => limits.time = Some(duration),
                    Err(error) => self.error(Code::InvalidLimit, "/limits/time", error.to_string()),
                }
            }
        }
        limits
    }

    /// Compiles one expression; checks that every `params.NAME` exists.
    fn expr(&mut self, source: &str, pointer: &str, params: &[Param]) -> Option<Expr> {
        match self.env.compile(source) {
            Ok(expr) => {
                let mut ok = true;
                for path in expr.field_paths() {
                    if path.root() == "params" {
                        match path.segments().first() {
                            Some(name) if params.iter().any(|p| &p.name == name) => {}
                            Some(name) => {
                                let known: Vec<&str> =
                                    params.iter().map(|p| p.name.as_str()).collect();
                                self.error(
                                    Code::UnknownParam,
                                    pointer,
                                    format!(
                                        "`params.{name}` is not a param of this pack (its params: {})",
                                        if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                                    ),
                                );
                                ok = false;
                            }
                            None => {}
                        }
                    }
                }
                ok.then_some(expr)
            }
            Err(error) => {
                let mut location = load::locate(self.source, pointer);
                // A block scalar (`>-`) starts on the line after its key.
                if let Some(line) = location.line {
                    let block = self
                        .source
                        .text
                        .lines()
                        .nth(line.saturating_sub(1))
                        .is_some_and(|l| {
                            let t = l.trim_end();
                            t.ends_with('>')
                                || t.ends_with(">-")
                                || t.ends_with('|')
                                || t.ends_with("|-")
                        });
                    location.line = Some(line + usize::from(block) + error.line.saturating_sub(1));
                    location.column = match (block, error.line, location.column) {
                        // A plain or quoted scalar on the key's line: point at the error itself.
                        (false, 1, Some(start)) => {
                            let quoted = self
                                .source
                                .text
                                .lines()
                                .nth(line.saturating_sub(1))
                                .and_then(|l| l.chars().nth(start.saturating_sub(1)))
                                .is_some_and(|c| c == '"' || c == '\'');
                            Some(start + usize::from(quoted) + error.column.saturating_sub(1))
                        }
                        _ => None,
                    };
                }
                if error.too_large {
                    let field = load::schema_errors::field_label(pointer, "the pack");
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::CelTooLarge,
                            location,
                            format!("CEL: `{field}`: {}", error.message),
                        )
                        .with_help(
                            "split the expression into several rules or simplify it".to_owned(),
                        ),
                    );
                    return None;
                }
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::CelSyntax,
                        location,
                        format!(
                            "CEL: {} (at column {} of the expression)",
                            error.message, error.column
                        ),
                    )
                    .with_help(format!("the expression: {}", source.trim())),
                );
                None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn rule(
        &mut self,
        pack_id: &str,
        file: &RuleFile,
        pointer: &str,
        standards: &[Standard],
        params: &[Param],
        plugins: &[PluginRef],
        param_values: &Params,
    ) -> Option<Rule> {
        let errors_before = self.diagnostics.0.len();
        let standard = standards.iter().find(|s| s.id == file.reference.standard);
        if standard.is_none() {
            let known: Vec<&str> = standards.iter().map(|s| s.id.as_str()).collect();
            self.error(
                Code::UnknownStandard,
                &format!("{pointer}/reference/standard"),
                format!(
                    "rule `{}` cites standard `{}`, which the pack's `standards` does not list (it lists: {})",
                    file.id,
                    file.reference.standard,
                    known.join(", ")
                ),
            );
        }
        let (effective, from_param) = self.window(pack_id, file, pointer, params);
        let severity = match &file.severity {
            SeverityFile::Fixed(severity) => Some(*severity),
            SeverityFile::Param(text) => self.severity_param(
                pack_id,
                &file.id,
                text,
                &format!("{pointer}/severity"),
                params,
            ),
        };
        let when = file
            .when
            .as_deref()
            .and_then(|src| self.expr(src, &format!("{pointer}/when"), params));

        let kinds = [
            file.check.is_some(),
            file.assert.is_some(),
            file.plugin.is_some(),
        ];
        match kinds.iter().filter(|k| **k).count() {
            1 => {}
            0 => self.error(
                Code::RuleKind,
                pointer,
                format!("rule `{}` needs one of `check`, `assert` or `plugin`", file.id),
            ),
            _ => self.error(
                Code::RuleKind,
                pointer,
                format!(
                    "rule `{}` has more than one of `check`, `assert` and `plugin`; give exactly one",
                    file.id
                ),
            ),
        }
        let kind = if let Some(check) = &file.check {
            self.check(check, &format!("{pointer}/check"), params, param_values)
                .map(RuleKind::Check)
        } else if let Some(assert) = &file.assert {
            let assert = self.expr(assert, &format!("{pointer}/assert"), params);
            let actual = match &file.actual {
                Some(src) => Some(self.expr(src, &format!("{pointer}/actual"), params)?),
                None => None,
            };
            assert.map(|assert| RuleKind::Assert {
                assert,
                actual,
                expected: file.expected.clone(),
            })
        } else if let Some(plugin) = &file.plugin {
            if !plugins.iter().any(|p| &p.id == plugin) {
                self.error(
                    Code::UnknownPlugin,
                    &format!("{pointer}/plugin"),
                    format!(
                        "rule `{}` uses plugin `{plugin}`, which the pack's `plugins` does not list",
                        file.id
                    ),
                );
            }
            let mut config = match &file.config {
                Some(Json::Object(map)) => map.clone(),
                Some(Json::Null) | None => serde_json::Map::new(),
                Some(_) => {
                    self.error(
                        Code::InvalidConfig,
                        &format!("{pointer}/config"),
                        "`config` must be a mapping",
                    );
                    serde_json::Map::new()
                }
            };
            config.insert("params".to_owned(), param_values.json().clone());
            Some(RuleKind::Plugin {
                plugin: plugin.clone(),
                config_json: Json::Object(config).to_string(),
            })
        } else {
            None
        };
        if file.check.is_none()
            && file.assert.is_none()
            && (file.actual.is_some() || file.expected.is_some())
        {
            self.error(
                Code::MisplacedField,
                pointer,
                format!(
                    "rule `{}`: `actual` and `expected` go with `assert`",
                    file.id
                ),
            );
        }

        let fix = match &file.fix {
            Some(fix) => {
                let parts = match &fix.parts {
                    Some(src) => self.expr(src, &format!("{pointer}/fix/parts"), params),
                    None => None,
                };
                let min_check =
                    matches!(&kind, Some(RuleKind::Check(c)) if c.min.is_some() && c.max.is_none());
                if (fix.parts.is_some() || fix.share.is_some())
                    && (fix.parts.is_none() || fix.share.is_none() || !min_check)
                {
                    self.error(
                        Code::MisplacedField,
                        &format!("{pointer}/fix"),
                        format!(
                            "rule `{}`: `fix.parts` and `fix.share` go together, with a `check` that has only a lower bound (`min` or `above`)",
                            file.id
                        ),
                    );
                }
                Some(Fix {
                    text: Text {
                        en: fix.en.clone(),
                        zh: crate::lang::unfold_chinese(&fix.zh),
                    },
                    parts,
                    share: fix.share.as_deref().map(|s| {
                        s.split('+')
                            .map(|path| path.trim().split('.').map(str::to_owned).collect())
                            .collect()
                    }),
                })
            }
            None => None,
        };
        if self.diagnostics.0.len() > errors_before {
            return None;
        }
        let kind = kind?;
        let severity = severity?;
        let (check_at, unit) = match &kind {
            RuleKind::Check(check) => {
                (check_at(&check.value), check.unit.as_deref().map(Arc::from))
            }
            _ => (None, None),
        };
        let texts = [Lang::En, Lang::Zh].map(|lang| {
            let (expected, limit) = match &kind {
                RuleKind::Check(check) => {
                    let limit = check
                        .limit_text()
                        .unwrap_or_else(|| Strings::get(lang).computed_limit.to_owned());
                    let expected = if check.has_computed_bound() {
                        computed_expected(check, lang)
                    } else {
                        check.expected.clone()
                    };
                    (Some(expected), Some(limit))
                }
                RuleKind::Assert { expected, .. } => {
                    let text = expected.as_ref().map(|t| t.get(lang).to_owned());
                    (text.clone(), text)
                }
                RuleKind::Plugin { .. } => (None, None),
            };
            let mut template = file.message.get(lang).to_owned();
            if let Some(note) = from_param.as_ref().and_then(|f| f.provisional_note(lang)) {
                template.push_str(&note);
            }
            let mut in_force = window_text(&effective, lang);
            if let (Some(text), true) = (
                &mut in_force,
                from_param.as_ref().is_some_and(|f| f.date.is_none()),
            ) {
                // `provisionally from 2030-01-01`, `暂定自 2030-01-01 起`.
                text.insert_str(0, Catalog::get(lang).in_force.provisionally);
            }
            Arc::new(RuleTexts {
                pack: Arc::from(pack_id),
                rule: Arc::from(file.id.as_str()),
                title: file.title.get(lang).to_owned(),
                message: Message::new(
                    &template,
                    expected.as_deref(),
                    limit.as_deref(),
                    Strings::get(lang).each_component,
                ),
                expected,
                reference: ReferenceInfo {
                    standard: standard.map_or_else(
                        || file.reference.standard.clone(),
                        |s| s.title.get(lang).to_owned(),
                    ),
                    clause: file.reference.clause.clone(),
                    url: standard.and_then(|s| s.url.clone()),
                    row: file.reference.row.clone(),
                    verification: file.verification.or(standard.and_then(|s| s.verification)),
                },
                in_force,
                fix: fix.as_ref().map(|f| f.text.get(lang).to_owned()),
                unit: unit.clone(),
                json: std::sync::OnceLock::new(),
            })
        });
        Some(Rule {
            id: file.id.clone(),
            title: file.title.clone(),
            message: file.message.clone(),
            description: file.description.clone(),
            severity,
            severity_param: match &file.severity {
                SeverityFile::Param(text) => text.strip_prefix("params.").map(str::to_owned),
                SeverityFile::Fixed(_) => None,
            },
            reference: Reference {
                standard: file.reference.standard.clone(),
                clause: file.reference.clause.clone(),
                row: file.reference.row.clone(),
            },
            verification: file.verification,
            effective,
            from_param,
            for_each_component: file.for_each == Some(ForEach::Components),
            when,
            kind,
            pointer: pointer.to_owned(),
            texts,
            check_at,
            unit,
            fix,
        })
    }

    fn window(
        &mut self,
        pack: &str,
        file: &RuleFile,
        pointer: &str,
        params: &[Param],
    ) -> (Window, Option<FromParam>) {
        let Some(effective) = &file.effective else {
            return (Window::default(), None);
        };
        let mut date = |value: &Option<String>, field: &str| -> Option<Date> {
            let text = value.as_ref()?;
            match text.parse::<Date>() {
                Ok(date) => Some(date),
                Err(_) => {
                    self.error(
                        Code::InvalidDate,
                        &format!("{pointer}/effective/{field}"),
                        format!("`{field}` must be a date YYYY-MM-DD, found `{text}`"),
                    );
                    None
                }
            }
        };
        let mut window = Window {
            from: date(&effective.from, "from"),
            until: date(&effective.until, "until"),
        };
        let earliest = window.from;
        let mut from_param = None;
        if let Some(start) = &effective.from_param {
            let at = format!("{pointer}/effective/from_param");
            match params.iter().find(|p| p.name == start.param) {
                None => self.error(
                    Code::UnknownParam,
                    &format!("{at}/param"),
                    format!("`{}` is not a param of this pack", start.param),
                ),
                Some(param) => {
                    let date = match &param.value {
                        Json::Null => Some(None),
                        Json::String(text) => text.parse::<Date>().ok().map(Some),
                        _ => None,
                    };
                    match date {
                        None => self.param_error(
                            pack,
                            &start.param,
                            format!(
                                "param `{}` of pack `{pack}` is {}, but rule `{}` starts from it: it must be a date YYYY-MM-DD, or null while unknown",
                                start.param, param.value, file.id
                            ),
                        ),
                        Some(date) => {
                            let span = jiff::Span::new()
                                .try_years(i64::from(start.add_years))
                                .and_then(|s| s.try_months(i64::from(start.add_months)));
                            let start_date = match (date, span) {
                                (None, _) => None,
                                (Some(d), Ok(span)) => d.checked_add(span).ok(),
                                (Some(_), Err(_)) => None,
                            };
                            if date.is_some() && start_date.is_none() {
                                self.error(
                                    Code::InvalidDate,
                                    &at,
                                    format!("the start of rule `{}` is out of range", file.id),
                                );
                            }
                            if let Some(start_date) = start_date {
                                window.from = Some(window.from.map_or(start_date, |f| f.max(start_date)));
                            }
                            if window.from.is_none() {
                                self.error(
                                    Code::InvalidDate,
                                    &format!("{pointer}/effective"),
                                    format!("rule `{}`: `from_param` needs `from`, the earliest start", file.id),
                                );
                            }
                            from_param = Some(FromParam {
                                param: start.param.clone(),
                                title: param.title.clone(),
                                add_years: start.add_years,
                                add_months: start.add_months,
                                earliest,
                                date: start_date,
                            });
                        }
                    }
                }
            }
        }
        if let (Some(from), Some(until)) = (window.from, window.until)
            && from >= until
        {
            self.error(
                    Code::EmptyWindow,
                    &format!("{pointer}/effective"),
                    format!(
                        "rule `{}` is in force from {from} until {until}: `until` must come after `from`",
                        file.id
                    ),
                );
        }
        (window, from_param)
    }

    fn check(
        &mut self,
        check: &CheckFile,
        pointer: &str,
        params: &[Param],
        param_values: &Params,
    ) -> Option<Check> {
        let value = self.expr(&check.value, &format!("{pointer}/value"), params);
        let mut side = |inclusive: (&Option<Json>, &str), strict: (&Option<Json>, &str)| match (
            inclusive.0,
            strict.0,
        ) {
            (Some(_), Some(_)) => {
                self.error(
                    Code::CheckBounds,
                    pointer,
                    format!(
                        "`{}` and `{}` are both given: give one of them",
                        inclusive.1, strict.1
                    ),
                );
                None
            }
            (Some(raw), None) => {
                let at = format!("{pointer}/{}", inclusive.1);
                self.bound(raw, &at, params, param_values, false).map(Some)
            }
            (None, Some(raw)) => {
                let at = format!("{pointer}/{}", strict.1);
                self.bound(raw, &at, params, param_values, true).map(Some)
            }
            (None, None) => Some(None),
        };
        let min = side((&check.min, "min"), (&check.above, "above"));
        let max = side((&check.max, "max"), (&check.below, "below"));
        if [&check.min, &check.max, &check.below, &check.above]
            .iter()
            .all(|b| b.is_none())
        {
            self.error(
                Code::CheckBounds,
                pointer,
                "`check` needs a bound: `min` or `above`, `max` or `below`, or one of each",
            );
            return None;
        }
        let (min, max) = (min?, max?);
        let unit = check.unit.clone().or_else(|| {
            [&min, &max]
                .into_iter()
                .flatten()
                .filter_map(|b| b.param.clone())
                .chain(
                    [&check.min, &check.above, &check.max, &check.below]
                        .into_iter()
                        .flatten()
                        .filter_map(Json::as_str)
                        .flat_map(params_read),
                )
                .find_map(|name| params.iter().find(|p| p.name == name)?.unit.clone())
        });
        if let (Some(lo), Some(hi)) = (&min, &max)
            && let (Some(l), Some(h)) = (lo.number(), hi.number())
            && (l > h || (l == h && (lo.strict || hi.strict)))
        {
            self.error(
                Code::CheckBounds,
                pointer,
                format!(
                    "the lower bound ({}) is not below the upper bound ({}): nothing can pass",
                    format_number(l),
                    format_number(h)
                ),
            );
        }
        let expected = expected_text(
            min.as_ref().map(|b| (b.strict, bound_text(b))),
            max.as_ref().map(|b| (b.strict, bound_text(b))),
            unit.as_deref(),
        );
        Some(Check {
            value: value?,
            min,
            max,
            unit,
            expected,
        })
    }

    /// A bound: a number, `params.NAME`, or a CEL expression giving a number.
    /// An expression that reads only params is evaluated here, once; one that
    /// reads the submission is evaluated per finding. `None` on error.
    fn bound(
        &mut self,
        raw: &Json,
        pointer: &str,
        params: &[Param],
        param_values: &Params,
        strict: bool,
    ) -> Option<Bound> {
        if let Some(value) = raw.as_f64() {
            return Some(Bound {
                value: BoundValue::Number(value),
                param: None,
                strict,
            });
        }
        let Some(text) = raw.as_str() else {
            self.error(
                Code::CheckBounds,
                pointer,
                "a bound is a number, `params.NAME` or a CEL expression giving a number",
            );
            return None;
        };
        let name = text.trim().strip_prefix("params.").filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if let Some(name) = name {
            return match params.iter().find(|p| p.name == name) {
                Some(param) => match param.value.as_f64() {
                    Some(value) => Some(Bound {
                        value: BoundValue::Number(value),
                        param: Some(name.to_owned()),
                        strict,
                    }),
                    None => {
                        self.error(
                            Code::CheckBounds,
                            pointer,
                            format!("param `{name}` is not a number, so it cannot be a bound"),
                        );
                        None
                    }
                },
                None => {
                    self.error(
                        Code::UnknownParam,
                        pointer,
                        format!("`{text}` is not a param of this pack"),
                    );
                    None
                }
            };
        }
        let expr = self.expr(text, pointer, params)?;
        if expr.variables().iter().any(|v| v != "params") {
            return Some(Bound {
                value: BoundValue::Expr(Box::new(expr)),
                param: None,
                strict,
            });
        }
        // Only params: its value is known now.
        let empty = crate::load::Doc::Object(crate::load::DocMap::default());
        let data = SubmissionData::new(&empty, "1970-01-01");
        let root = self.env.context();
        let scope = Scope::new(&root, &data, param_values);
        match expr.eval_number(&scope) {
            Ok(value) => Some(Bound {
                value: BoundValue::Number(value),
                param: None,
                strict,
            }),
            Err(error) => {
                self.error(
                    Code::CheckBounds,
                    pointer,
                    format!(
                        "the bound `{}` does not give a number: {error}",
                        text.trim()
                    ),
                );
                None
            }
        }
    }
}

/// The params an expression's text names (`params.NAME`), in order.
fn params_read(text: &str) -> Vec<String> {
    text.match_indices("params.")
        .filter(|(at, _)| {
            !text[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        })
        .map(|(at, word)| {
            text[at + word.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

/// The requirement in words when a bound depends on the submission:
/// `≥ the limit that applies to the product`.
fn computed_expected(check: &Check, lang: Lang) -> String {
    let side = |bound: &Bound| {
        let text = match &bound.value {
            BoundValue::Number(n) => quantity_text(*n, check.unit.as_deref()),
            BoundValue::Expr(_) => Strings::get(lang).computed_limit.to_owned(),
        };
        (bound.strict, text)
    };
    expected_text(
        check.min.as_ref().map(side),
        check.max.as_ref().map(side),
        None,
    )
}

/// A bound's value as the requirement shows it: the number, or the expression.
fn bound_text(bound: &Bound) -> String {
    match &bound.value {
        BoundValue::Number(n) => format_number(*n),
        BoundValue::Expr(expr) => format!("({})", expr.source().trim()),
    }
}

/// A window in words: `from 2030-01-01`, `2030-01-01 to 2040-01-01`, `before 2026-08-12`.
fn window_text(window: &Window, lang: Lang) -> Option<String> {
    let words = &Catalog::get(lang).in_force;
    Some(match (window.from, window.until) {
        (None, None) => return None,
        (Some(from), None) => (words.from)(&from.to_string()),
        (None, Some(until)) => (words.before)(&until.to_string()),
        (Some(from), Some(until)) => (words.from_before)(&from.to_string(), &until.to_string()),
    })
}

/// Where a check's value is, when the value is a plain field path.
fn check_at(value: &Expr) -> Option<CheckAt> {
    let path = value.as_field_path()?;
    let escaped: Vec<String> = path
        .segments()
        .iter()
        .map(|s| load::pointer_escape(s).into_owned())
        .collect();
    match path.root() {
        "component" if !escaped.is_empty() => {
            Some(CheckAt::ComponentField(Arc::from(escaped.join("/"))))
        }
        "component" | "params" | "evaluation_date" => None,
        "submission" => Some(CheckAt::Pointer(Arc::from(format!(
            "/{}",
            escaped.join("/")
        )))),
        top => {
            let mut pointer = format!("/{top}");
            for s in &escaped {
                pointer.push('/');
                pointer.push_str(s);
            }
            Some(CheckAt::Pointer(Arc::from(pointer)))
        }
    }
}

/// `≤ 1000 mg/kg`, `< 0.025 mg/kg`, `≥ 16 %`, `10 – 20 %`, `> 10 %, ≤ 20 %`:
/// each bound is (strict, its number as text).
pub(crate) fn expected_text(
    min: Option<(bool, String)>,
    max: Option<(bool, String)>,
    unit: Option<&str>,
) -> String {
    let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
    let lower = |strict: bool| if strict { ">" } else { "≥" };
    let upper = |strict: bool| if strict { "<" } else { "≤" };
    match (min, max) {
        (Some((false, lo)), Some((false, hi))) => format!("{lo} – {hi}{unit}"),
        (Some((ls, lo)), Some((us, hi))) => {
            format!("{} {lo}{unit}, {} {hi}{unit}", lower(ls), upper(us))
        }
        (Some((strict, lo)), None) => format!("{} {lo}{unit}", lower(strict)),
        (None, Some((strict, hi))) => format!("{} {hi}{unit}", upper(strict)),
        (None, None) => String::new(),
    }
}
