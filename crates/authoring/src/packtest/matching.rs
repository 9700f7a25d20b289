//! Comparing a case's expectations with the findings of the pack under test.

use super::file::{Expect, Expected};
use serde_json::Value as Json;

use recert_core::number::format_number;
use recert_core::report::{Actual, Finding, Outcome, Severity, Verdict};

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The rule; `None` for the verdict.
    pub rule: Option<String>,
    /// The path of the finding (or of the expectation, when no finding is there).
    pub path: Option<String>,
    /// What the test expects.
    pub expected: String,
    /// What the pack concluded (`no finding` when there is none).
    pub actual: String,
    /// The finding's reason (outcome `error`), the value against the
    /// requirement, or what decided the verdict.
    pub reason: Option<String>,
}

/// What a comparison found.
#[derive(Debug, Default)]
pub(crate) struct Comparison {
    /// Differences, verdict first, then rules in the pack's order.
    pub mismatches: Vec<Mismatch>,
    /// (rule, actual outcome) of every finding an expectation looked at,
    /// for coverage.
    pub observed: Vec<(String, Outcome)>,
}

/// Whether `path` is `prefix` or below it, by whole JSON Pointer segments:
/// `/components/1` covers `/components/1/substances/lead`, not `/components/10`.
pub(crate) fn path_within(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// Compares `expect` with `findings` (the pack's findings only) and the
/// verdict computed from them. `rule_order` is the pack's rules, in order.
pub(crate) fn compare(
    expect: &Expect,
    findings: &[&Finding],
    verdict: Verdict,
    rule_order: &[&str],
) -> Comparison {
    let mut out = Comparison::default();
    if let Some(expected) = expect.verdict
        && expected != verdict
    {
        out.mismatches.push(Mismatch {
            rule: None,
            path: None,
            expected: expected.to_string(),
            actual: verdict.to_string(),
            reason: why(verdict, findings),
        });
    }
    let mut rules: Vec<_> = expect.rules.iter().collect();
    rules.sort_by_key(|r| {
        rule_order
            .iter()
            .position(|id| *id == r.rule)
            .unwrap_or(usize::MAX)
    });
    for rule in rules {
        let of_rule: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| f.rule() == rule.rule)
            .collect();
        match &rule.expected {
            Expected::All(outcome) => {
                if of_rule.is_empty() {
                    out.mismatches
                        .push(no_finding(&rule.rule, None, *outcome, None));
                }
                for finding in &of_rule {
                    out.observed.push((rule.rule.clone(), finding.outcome));
                    if finding.outcome != *outcome {
                        out.mismatches.push(differs(&rule.rule, finding, *outcome));
                    }
                }
            }
            Expected::At(list) => {
                for entry in list {
                    let selected: Vec<&&Finding> = of_rule
                        .iter()
                        .filter(|f| path_within(&f.path.to_string(), &entry.path))
                        .collect();
                    if selected.is_empty() {
                        let elsewhere: Vec<String> = of_rule
                            .iter()
                            .map(|f| display_path(&f.path.to_string()))
                            .collect();
                        let hint = if elsewhere.is_empty() {
                            None
                        } else {
                            Some(format!(
                                "the rule's findings are at {}",
                                join_limited(&elsewhere, 6)
                            ))
                        };
                        out.mismatches.push(no_finding(
                            &rule.rule,
                            Some(&entry.path),
                            entry.outcome,
                            hint,
                        ));
                    }
                    for finding in selected {
                        out.observed.push((rule.rule.clone(), finding.outcome));
                        if finding.outcome != entry.outcome {
                            out.mismatches
                                .push(differs(&rule.rule, finding, entry.outcome));
                        }
                    }
                }
            }
        }
    }
    out
}

fn no_finding(rule: &str, path: Option<&str>, expected: Outcome, hint: Option<String>) -> Mismatch {
    Mismatch {
        rule: Some(rule.to_owned()),
        path: path.map(display_path),
        expected: expected.to_string(),
        actual: "no finding".to_owned(),
        reason: hint,
    }
}

fn differs(rule: &str, finding: &Finding, expected: Outcome) -> Mismatch {
    Mismatch {
        rule: Some(rule.to_owned()),
        path: Some(display_path(&finding.path.to_string())),
        expected: expected.to_string(),
        actual: finding.outcome.to_string(),
        reason: match finding.outcome {
            Outcome::Error => finding.reason().map(std::borrow::Cow::into_owned),
            Outcome::Fail | Outcome::Pass => finding.actual().map(|actual| {
                let actual = show_actual(&actual);
                match &finding.expected() {
                    Some(required) => format!("found {actual}, required {required}"),
                    None => format!("found {actual}"),
                }
            }),
            _ => None,
        },
    }
}

/// `1350 mg/kg`, and how the submission wrote it when that differs
/// (`500 mg/kg (written 0.05 %)`).
fn show_actual(actual: &Actual) -> String {
    let mut text = match &actual.value {
        Json::Number(n) => n.as_f64().map_or_else(|| n.to_string(), format_number),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    };
    if let Some(unit) = &actual.unit {
        text.push(' ');
        text.push_str(unit);
    }
    if let Some(written) = &actual.written
        && *written != text
    {
        text = format!("{text} (written {written})");
    }
    text
}

/// `/components/1`, or `(whole submission)` for the root.
fn display_path(path: &str) -> String {
    if path.is_empty() {
        "(whole submission)".to_owned()
    } else {
        path.to_owned()
    }
}

/// Why the verdict is what it is: the findings that decided it.
fn why(verdict: Verdict, findings: &[&Finding]) -> Option<String> {
    let decisive: Vec<String> = match verdict {
        Verdict::Pass => return None,
        Verdict::NotCovered => {
            return Some("no rule of the pack applied: every finding is not-applicable".to_owned());
        }
        Verdict::Fail => findings
            .iter()
            .filter(|f| f.outcome == Outcome::Fail && f.severity == Severity::Error)
            .map(|f| at(f))
            .collect(),
        Verdict::Incomplete => findings
            .iter()
            .filter(|f| f.outcome == Outcome::Error)
            .map(|f| at(f))
            .collect(),
    };
    let what = match verdict {
        Verdict::Fail => "failed",
        _ => "could not be evaluated",
    };
    Some(format!("{what}: {}", join_limited(&decisive, 4)))
}

fn at(finding: &Finding) -> String {
    let path = finding.path.to_string();
    if path.is_empty() {
        finding.rule().to_string()
    } else {
        format!("{} at {path}", finding.rule())
    }
}

fn join_limited(items: &[String], max: usize) -> String {
    let mut shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let more = items.len().saturating_sub(max);
    let tail;
    if more > 0 {
        tail = format!("and {more} more");
        shown.push(&tail);
    }
    shown.join(", ")
}
