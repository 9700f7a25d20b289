//! Message placeholders: known, and fillable by the rule that uses them.
//!
//! A rule's message may use `{limit}`, `{expected}`, `{actual}` and
//! `{component}` (see `report/message.rs`). What the report does with each:
//!
//! | placeholder | filled with | left as written when |
//! | --- | --- | --- |
//! | `{limit}`, `{expected}` | the bound / requirement (`check`), `expected` (`assert`) | a plugin rule, an assert without `expected` |
//! | `{actual}` | the value found | never; shows `—` without a value (plugin rule, assert without `actual`) |
//! | `{component}` | the component's id and name | never; shows "each component" outside `for_each` |
//!
//! A placeholder left as written reaches reports as `{limit}`: an error. A
//! dash or "each component" in every finding is only odd: a warning.

use std::collections::BTreeSet;

use serde_json::Value as Json;

use super::{Level, Out, PackCx, rule_id};
use recert_core::diagnostic::{Code, Diagnostic};

/// The placeholders the report fills.
const KNOWN: &[&str] = &["limit", "expected", "actual", "component"];

/// The placeholders only a `fix` has: computed for a failed check.
const FIX_ONLY: &[&str] = &["gap", "missing", "part", "part_from", "part_to"];

/// Those of them that need `fix.parts` and `fix.share`.
const SHARE_ONLY: &[&str] = &["missing", "part", "part_from", "part_to"];

/// Checks the `fix` of every rule: its placeholders are known and can be
/// filled, both languages use the same ones, and the rule is one whose
/// findings get it (not a plugin rule: the plugin gives its own).
pub(crate) fn check_fixes(cx: &PackCx<'_>, out: &mut Out) {
    for (pointer, rule) in cx.rules() {
        let Some(fix) = rule.get("fix") else { continue };
        let id = rule_id(rule);
        if rule.get("plugin").is_some() {
            out.push(
                Level::Warning,
                Diagnostic::new(
                    Code::MisplacedField,
                    cx.locate(&format!("{pointer}/fix")),
                    format!("rule `{id}` is a plugin rule: its `fix` is never shown"),
                )
                .with_help("the plugin gives the fix of its own findings (the SDK's `fix`)"),
            );
            continue;
        }
        let check = rule.get("check").is_some();
        let share = fix.get("parts").is_some() && fix.get("share").is_some();
        let mut used = Vec::new();
        for lang in ["en", "zh"] {
            let Some(text) = fix.get(lang).and_then(Json::as_str) else {
                continue;
            };
            let at = format!("{pointer}/fix/{lang}");
            let names = placeholders(text);
            for name in &names {
                let problem = if !KNOWN.contains(&name.as_str())
                    && !FIX_ONLY.contains(&name.as_str())
                {
                    Some((
                        Code::UnknownPlaceholder,
                        format!("rule `{id}`: unknown placeholder `{{{name}}}` in `fix`; reports would show it as written"),
                        "a fix may use {limit}, {expected}, {actual}, {component}, {gap} and, with `parts` and `share`, {missing}, {part}, {part_from}, {part_to}".to_owned(),
                    ))
                } else if FIX_ONLY.contains(&name.as_str()) && !check {
                    Some((
                        Code::UnfillablePlaceholder,
                        format!(
                            "rule `{id}` has no `check`: `{{{name}}}` in `fix` cannot be computed"
                        ),
                        "only a failed check has a gap to its limit".to_owned(),
                    ))
                } else if SHARE_ONLY.contains(&name.as_str()) && !share {
                    Some((
                        Code::UnfillablePlaceholder,
                        format!("rule `{id}`: `{{{name}}}` in `fix` needs `fix.parts` and `fix.share`"),
                        "add `parts:` (the CEL list of components the share is taken over) and `share:` (the field of each, e.g. recycled.post_consumer)".to_owned(),
                    ))
                } else {
                    None
                };
                if let Some((code, message, help)) = problem {
                    out.push(
                        Level::Error,
                        Diagnostic::new(code, cx.locate(&at), message).with_help(help),
                    );
                }
            }
            used.push(names);
        }
        if let [en, zh] = used.as_slice()
            && en != zh
        {
            out.push(
                Level::Warning,
                Diagnostic::new(
                    Code::PlaceholderMismatch,
                    cx.locate(&format!("{pointer}/fix/zh")),
                    format!("the `fix` of rule `{id}` uses other placeholders in Chinese than in English"),
                )
                .with_help("both languages should say the same: use the same placeholders"),
            );
        }
    }
}

/// Checks the messages of every rule.
pub(crate) fn check(cx: &PackCx<'_>, out: &mut Out) {
    for (pointer, rule) in cx.rules() {
        let id = rule_id(rule);
        let kind = if rule.get("plugin").is_some() {
            Kind::Plugin
        } else if rule.get("assert").is_some() {
            Kind::Assert {
                expected: rule.get("expected").is_some(),
                actual: rule.get("actual").is_some(),
            }
        } else {
            Kind::Check
        };
        let for_each = rule.get("for_each").and_then(Json::as_str) == Some("components");
        let Some(message) = rule.get("message") else {
            continue;
        };
        let mut used: Vec<(&str, BTreeSet<String>)> = Vec::new();
        for lang in ["en", "zh"] {
            let Some(text) = message.get(lang).and_then(Json::as_str) else {
                continue;
            };
            let at = format!("{pointer}/message/{lang}");
            let names = placeholders(text);
            for name in &names {
                if let Some((level, message, help)) = problem(name, kind, for_each, id) {
                    out.push(
                        level,
                        Diagnostic::new(placeholder_code(level, name), cx.locate(&at), message)
                            .with_help(help),
                    );
                }
            }
            used.push((lang, names));
        }
        if let [(_, en), (_, zh)] = used.as_slice()
            && en != zh
        {
            let list = |set: &BTreeSet<String>| {
                if set.is_empty() {
                    "none".to_owned()
                } else {
                    set.iter()
                        .map(|n| format!("{{{n}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            out.push(
                Level::Warning,
                Diagnostic::new(
                    Code::PlaceholderMismatch,
                    cx.locate(&format!("{pointer}/message/zh")),
                    format!(
                        "the message of rule `{id}` uses {} in English but {} in Chinese",
                        list(en),
                        list(zh)
                    ),
                )
                .with_help("both languages should say the same: use the same placeholders"),
            );
        }
    }
}

/// What kind of rule a message belongs to.
#[derive(Clone, Copy)]
enum Kind {
    Check,
    Assert { expected: bool, actual: bool },
    Plugin,
}

fn placeholder_code(level: Level, name: &str) -> Code {
    match (level, KNOWN.contains(&name)) {
        (_, false) => Code::UnknownPlaceholder,
        (Level::Error, true) => Code::UnfillablePlaceholder,
        (Level::Warning, true) => Code::UnfilledPlaceholder,
    }
}

/// The problem with `{name}` in a message of this kind of rule, if any.
fn problem(name: &str, kind: Kind, for_each: bool, id: &str) -> Option<(Level, String, String)> {
    if !KNOWN.contains(&name) {
        let help = match recert_core::suggest::closest(name, KNOWN.iter().copied()) {
            Some(best) => format!("did you mean `{{{best}}}`?"),
            None => "the placeholders are {limit}, {expected}, {actual} and {component}".to_owned(),
        };
        return Some((
            Level::Error,
            format!(
                "rule `{id}`: unknown placeholder `{{{name}}}`; reports would show it as written"
            ),
            help,
        ));
    }
    match (name, kind) {
        ("limit" | "expected", Kind::Plugin) => Some((
            Level::Error,
            format!(
                "rule `{id}` is a plugin rule: `{{{name}}}` cannot be filled and would show as written"
            ),
            "the plugin states the requirement in its own findings; write the requirement in words, or name the param".to_owned(),
        )),
        ("limit" | "expected", Kind::Assert { expected: false, .. }) => Some((
            Level::Error,
            format!(
                "rule `{id}` has no `expected`: `{{{name}}}` cannot be filled and would show as written"
            ),
            "add `expected: {en: ..., zh: ...}` to the rule".to_owned(),
        )),
        ("actual", Kind::Plugin) => Some((
            Level::Warning,
            format!("rule `{id}` is a plugin rule: `{{actual}}` shows `—` in its own findings"),
            "plugins write their own messages; the rule's message is shown when the plugin fails".to_owned(),
        )),
        ("actual", Kind::Assert { actual: false, .. }) => Some((
            Level::Warning,
            format!("rule `{id}` has no `actual`: `{{actual}}` always shows `—`"),
            "add `actual:` (a CEL expression giving the value to report)".to_owned(),
        )),
        ("component", Kind::Check | Kind::Assert { .. }) if !for_each => Some((
            Level::Warning,
            format!(
                "rule `{id}` does not run per component: `{{component}}` always shows \"each component\""
            ),
            "use `for_each: components`, or leave `{component}` out".to_owned(),
        )),
        _ => None,
    }
}

/// The placeholder-like names (`{lowercase_name}`) in a message, as the report
/// reads them: from a `{` to the next `}`.
pub(crate) fn placeholders(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = rest.get(start + 1..).unwrap_or("");
        let Some(end) = after.find('}') else { break };
        let name = after.get(..end).unwrap_or("");
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        {
            names.insert(name.to_owned());
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    names
}
