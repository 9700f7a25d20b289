//! Phases of one requirement: `effective` windows that overlap or leave a gap.
//!
//! A requirement that changes over time is written as several rules, one per
//! phase (`pops-pbde-until-2025`, `-from-2025-12-30`, `-from-2027-12-30`), that
//! check the same value under the same guard with successive windows. Two
//! such rules in force on the same day both judge the product (one of them
//! with the wrong limit); a day between two windows is checked by none.
//! `until` is the first day *no longer* in force, so `until: 2025-12-29`
//! followed by `from: 2025-12-30` leaves 29 December out: the classic slip.
//!
//! Rules are phases of one requirement when they have the same `check.value`
//! (or `assert`), `when` and `for_each`, and at least one of them has a window
//! (a law that replaces another, as PPWR replaces Directive 94/62/EC, is such
//! a succession even though the cited standard changes). Rules without any
//! window, or with the very same window (two tiers of one value, such as a
//! certification minimum and a higher label minimum), are parallel checks, not
//! phases. An empty window (`from` not before `until`) is an error.

use jiff::civil::Date;
use serde_json::Value as Json;

use super::{Level, Out, PackCx, rule_id};
use recert_core::diagnostic::{Code, Diagnostic};

/// One rule as a phase.
struct Phase<'a> {
    id: &'a str,
    pointer: String,
    from: Option<Date>,
    until: Option<Date>,
}

/// Checks the windows of rules that are phases of one requirement.
pub(crate) fn check(cx: &PackCx<'_>, out: &mut Out) {
    let mut groups: Vec<(String, Vec<Phase<'_>>)> = Vec::new();
    for (pointer, rule) in cx.rules() {
        let Some(key) = key(rule) else { continue };
        let effective = rule.get("effective");
        let date = |field: &str| -> Result<Option<Date>, ()> {
            match effective.and_then(|e| e.get(field)).and_then(Json::as_str) {
                None => Ok(None),
                Some(text) => text.parse::<Date>().map(Some).map_err(|_| ()),
            }
        };
        let (Ok(from), Ok(until)) = (date("from"), date("until")) else {
            continue;
        };
        if let (Some(from), Some(until)) = (from, until)
            && from >= until
        {
            // The pack compiler reports this too, unless the pack stopped at
            // a schema error; the same words, so the two are one finding.
            out.push(
                Level::Error,
                Diagnostic::new(
                    Code::EmptyWindow,
                    cx.locate(&format!("{pointer}/effective")),
                    format!(
                        "rule `{}` is in force from {from} until {until}: `until` must come after `from`",
                        rule_id(rule)
                    ),
                ),
            );
            continue;
        }
        let phase = Phase {
            id: rule_id(rule),
            pointer,
            from,
            until,
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, phases)) => phases.push(phase),
            None => groups.push((key, vec![phase])),
        }
    }
    for (_, mut phases) in groups {
        if phases.len() < 2 {
            continue;
        }
        // Earliest start first; no start is the earliest.
        phases.sort_by_key(|p| (p.from.is_some(), p.from));
        for pair in phases.windows(2) {
            let [first, next] = pair else { continue };
            let bounded = |p: &Phase<'_>| p.from.is_some() || p.until.is_some();
            // The same window twice: parallel requirements (a lower and a
            // higher tier), not phases.
            if (!bounded(first) && !bounded(next))
                || (first.from == next.from && first.until == next.until)
            {
                continue;
            }
            let overlap = match (first.until, next.from) {
                (None, _) | (_, None) => true,
                (Some(until), Some(from)) => until > from,
            };
            let at = format!("{}/effective", next.pointer);
            if overlap {
                let day = match (next.from, first.from) {
                    (Some(a), Some(b)) => a.max(b).to_string(),
                    (Some(a), None) | (None, Some(a)) => a.to_string(),
                    (None, None) => "every day".to_owned(),
                };
                out.push(
                    Level::Warning,
                    Diagnostic::new(
                        Code::OverlappingWindows,
                        locate_or_rule(cx, &at, &next.pointer),
                        format!(
                            "rules `{}` ({}) and `{}` ({}) check the same value under the same guard and are both in force on {day}",
                            first.id,
                            window(first),
                            next.id,
                            window(next)
                        ),
                    )
                    .with_help("phases of one requirement need windows that follow each other: the `until` of one is the `from` of the next"),
                );
            } else if let (Some(until), Some(from)) = (first.until, next.from)
                && until < from
            {
                let last = from.yesterday().unwrap_or(from);
                let days = if last == until {
                    format!("on {until}")
                } else {
                    format!("from {until} to {last}")
                };
                out.push(
                    Level::Warning,
                    Diagnostic::new(
                        Code::WindowGap,
                        locate_or_rule(cx, &at, &next.pointer),
                        format!(
                            "no rule checks this {days}: `{}` is in force {} and `{}` {}",
                            first.id,
                            window(first),
                            next.id,
                            window(next)
                        ),
                    )
                    .with_help(format!(
                        "`until` is the first day no longer in force; if the phases follow each other, write `until: {from}` in `{}`",
                        first.id
                    )),
                );
            }
        }
    }
}

fn locate_or_rule(cx: &PackCx<'_>, pointer: &str, rule: &str) -> recert_core::diagnostic::Location {
    let location = cx.locate(pointer);
    if location.line.is_some() {
        location
    } else {
        cx.locate(rule)
    }
}

/// `from 2030-01-01 until 2040-01-01`, `always`.
fn window(phase: &Phase<'_>) -> String {
    match (phase.from, phase.until) {
        (Some(from), Some(until)) => format!("from {from} until {until}"),
        (Some(from), None) => format!("from {from}"),
        (None, Some(until)) => format!("until {until}"),
        (None, None) => "always".to_owned(),
    }
}

/// What makes two rules phases of one requirement; `None` for plugin rules
/// (a plugin tells its rules apart by id).
fn key(rule: &Json) -> Option<String> {
    if rule.get("plugin").is_some() {
        return None;
    }
    let value = rule
        .get("check")
        .and_then(|c| c.get("value"))
        .or_else(|| rule.get("assert"))
        .and_then(Json::as_str)?;
    let text = |v: Option<&Json>| v.and_then(Json::as_str).map(squash).unwrap_or_default();
    Some(format!(
        "{}\u{0}{}\u{0}{}",
        squash(value),
        text(rule.get("when")),
        text(rule.get("for_each")),
    ))
}

/// The text without its whitespace, so that line breaks do not matter.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
