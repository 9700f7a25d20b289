//! Declared but unused: params, standards, plugins; and per-component rules
//! that never look at the component.

use std::collections::HashSet;

use serde_json::Value as Json;

use super::scan::{self, Seg};
use super::{Level, Out, PackCx, rule_id};
use recert_core::diagnostic::{Code, Diagnostic};

/// The CEL fields of a rule.
const RULE_CEL: &[&str] = &["when", "assert", "actual"];

/// Checks what the pack declares against what its rules use.
pub(crate) fn check(cx: &PackCx<'_>, out: &mut Out) {
    let json = cx.json;
    let mut cel: Vec<&str> = Vec::new();
    cel.extend(json.get("applies_to").and_then(Json::as_str));
    let mut bounds: Vec<&str> = Vec::new();
    let mut params_named: Vec<&str> = Vec::new();
    let mut cited: HashSet<&str> = HashSet::new();
    let mut plugins_used: HashSet<&str> = HashSet::new();
    for (pointer, rule) in cx.rules() {
        let mut own: Vec<&str> = RULE_CEL
            .iter()
            .filter_map(|f| rule.get(*f).and_then(Json::as_str))
            .collect();
        if let Some(check) = rule.get("check") {
            own.extend(check.get("value").and_then(Json::as_str));
            // A bound is `params.NAME` or CEL: read as CEL, both name their params.
            let written = ["min", "max", "below", "above"]
                .iter()
                .filter_map(|b| check.get(*b).and_then(Json::as_str));
            bounds.extend(written.clone());
            own.extend(written);
        }
        // `severity: params.NAME`, `effective.from_param.param`.
        bounds.extend(rule.get("severity").and_then(Json::as_str));
        if let Some(name) = rule
            .get("effective")
            .and_then(|e| e.get("from_param"))
            .and_then(|f| f.get("param"))
            .and_then(Json::as_str)
        {
            params_named.push(name);
        }
        cited.extend(
            rule.get("reference")
                .and_then(|r| r.get("standard"))
                .and_then(Json::as_str),
        );
        plugins_used.extend(rule.get("plugin").and_then(Json::as_str));
        if rule.get("for_each").and_then(Json::as_str) == Some("components")
            && rule.get("plugin").is_none()
            && !own.iter().any(|src| mentions(src, "component"))
        {
            out.push(
                Level::Warning,
                Diagnostic::new(
                    Code::ForEachUnused,
                    cx.locate(&format!("{pointer}/for_each")),
                    format!(
                        "rule `{}` runs once per component but never reads `component`: every component gets the same outcome",
                        rule_id(rule)
                    ),
                )
                .with_help("read the component's fields (`component.substances.lead`), or drop `for_each`"),
            );
        }
        cel.extend(own);
    }

    // Params: plugin rules receive them all, so only a pack without plugin
    // rules can tell that a param is unused.
    if plugins_used.is_empty()
        && let Some(params) = json.get("params").and_then(Json::as_object)
    {
        let mut used: HashSet<String> = HashSet::new();
        for source in &cel {
            for path in scan::paths(source) {
                if path.root == "params"
                    && let Some(Seg::Field(name, _)) = path.segs.first()
                {
                    used.insert(name.clone());
                }
            }
        }
        for bound in &bounds {
            for path in scan::paths(bound) {
                if path.root == "params"
                    && let Some(Seg::Field(name, _)) = path.segs.first()
                {
                    used.insert(name.clone());
                }
            }
        }
        for name in &params_named {
            used.insert((*name).to_owned());
        }
        for bound in &bounds {
            if let Some(name) = bound.strip_prefix("params.") {
                used.insert(name.to_owned());
            }
        }
        for name in params.keys() {
            if !used.contains(name) {
                out.push(
                    Level::Warning,
                    Diagnostic::new(
                        Code::UnusedParam,
                        cx.locate(&format!("/params/{name}")),
                        format!("param `{name}` is not used by any rule"),
                    )
                    .with_help(
                        "use it as `params.NAME` (in CEL, or as a `check` bound), or remove it",
                    ),
                );
            }
        }
    }

    if let Some(standards) = json.get("standards").and_then(Json::as_array) {
        for (i, standard) in standards.iter().enumerate() {
            let Some(id) = standard.get("id").and_then(Json::as_str) else {
                continue;
            };
            if !cited.contains(id) {
                out.push(
                    Level::Warning,
                    Diagnostic::new(
                        Code::UnusedStandard,
                        cx.locate(&format!("/standards/{i}/id")),
                        format!("standard `{id}` is not cited by any rule's `reference`"),
                    ),
                );
            }
        }
    }

    if let Some(plugins) = json.get("plugins").and_then(Json::as_array) {
        for (i, plugin) in plugins.iter().enumerate() {
            let Some(id) = plugin.get("id").and_then(Json::as_str) else {
                continue;
            };
            if !plugins_used.contains(id) {
                out.push(
                    Level::Warning,
                    Diagnostic::new(
                        Code::UnusedPlugin,
                        cx.locate(&format!("/plugins/{i}/id")),
                        format!("plugin `{id}` is not used by any rule; it is still loaded"),
                    ),
                );
            }
        }
    }
}

/// Whether `word` appears in `source` as a whole word.
fn mentions(source: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    source.match_indices(word).any(|(at, _)| {
        let before = source.get(..at).and_then(|s| s.chars().next_back());
        let after = source.get(at + word.len()..).and_then(|s| s.chars().next());
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}
