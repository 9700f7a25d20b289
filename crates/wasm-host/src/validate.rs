//! Checks what a plugin returned before the engine trusts it: the output is
//! bounded, every finding is for the requested (and declared) rule, `path` is
//! a JSON Pointer and `actual` is JSON.

use recert_plugin_abi::Finding;

use super::error::FailureKind;
use super::types::{PluginFinding, PluginInfo};

/// What each finding costs on top of its strings, in bytes (so that a
/// million empty findings are not free).
pub(crate) const FINDING_OVERHEAD: usize = 64;

/// Bytes of output in `findings`: every string plus [`FINDING_OVERHEAD`] each.
pub(crate) fn findings_size(findings: &[Finding]) -> usize {
    findings.iter().fold(0usize, |total, f| {
        let reference = f
            .reference
            .as_ref()
            .map_or(0, |r| r.standard.len() + r.clause.len());
        total
            .saturating_add(FINDING_OVERHEAD)
            .saturating_add(f.rule.len())
            .saturating_add(f.path.len())
            .saturating_add(f.actual.as_ref().map_or(0, String::len))
            .saturating_add(f.expected.as_ref().map_or(0, String::len))
            .saturating_add(f.message.len())
            .saturating_add(reference)
    })
}

/// Bytes of output in a `describe()` answer, counted like findings.
pub(crate) fn info_size(info: &PluginInfo) -> usize {
    info.rules.iter().fold(
        info.id.len() + info.version.len() + info.title.len(),
        |total, r| {
            total
                .saturating_add(FINDING_OVERHEAD)
                .saturating_add(r.id.len() + r.title_en.len() + r.title_zh.len())
                .saturating_add(r.reference.standard.len() + r.reference.clause.len())
        },
    )
}

/// Checks the findings of a call for `rule` and parses their `actual`.
pub(crate) fn findings(
    findings: Vec<Finding>,
    rule: &str,
    info: &PluginInfo,
) -> Result<Vec<PluginFinding>, FailureKind> {
    findings
        .into_iter()
        .enumerate()
        .map(|(i, f)| finding(i, f, rule, info))
        .collect()
}

fn finding(
    index: usize,
    f: Finding,
    rule: &str,
    info: &PluginInfo,
) -> Result<PluginFinding, FailureKind> {
    let n = index + 1;
    if f.rule != rule {
        return Err(if !info.declares(&f.rule) {
            FailureKind::UndeclaredRule(f.rule)
        } else {
            FailureKind::Malformed(format!(
                "finding {n} is for rule `{}`, but rule `{rule}` was requested",
                f.rule
            ))
        });
    }
    if let Err(reason) = check_pointer(&f.path) {
        return Err(FailureKind::Malformed(format!(
            "finding {n} has path `{}`, which is not a JSON Pointer: {reason}",
            excerpt(&f.path)
        )));
    }
    f.try_map_actual(|text| {
        serde_json::from_str(&text).map_err(|e| {
            FailureKind::Malformed(format!(
                "finding {n} has an `actual` that is not JSON (`{}`): {e}",
                excerpt(&text)
            ))
        })
    })
}

/// `Ok` for "" and for RFC 6901 pointers ("/a/b~1c"); why not, otherwise.
pub(crate) fn check_pointer(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Ok(());
    }
    if !path.starts_with('/') {
        return Err("it must be empty or start with `/`");
    }
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return Err("`~` must be followed by `0` or `1`");
        }
    }
    Ok(())
}

/// At most 80 characters of `text`, for messages.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or_default()),
        None => text.to_owned(),
    }
}

/// What is wrong with a `describe()` answer; values are shown as excerpts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum InfoError {
    #[error("id `{0}` must be non-empty lowercase letters, digits, `-` or `_`")]
    Id(String),
    #[error("version `{version}` is not a semantic version: {reason}")]
    Version { version: String, reason: String },
    #[error("rule id `{0}` must be non-empty and without spaces")]
    RuleId(String),
    #[error("rule `{0}` is declared twice")]
    DuplicateRule(String),
}

/// Checks a `describe()` answer.
pub(crate) fn info(info: PluginInfo) -> Result<PluginInfo, InfoError> {
    if info.id.is_empty()
        || !info
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(InfoError::Id(excerpt(&info.id)));
    }
    if let Err(e) = semver::Version::parse(&info.version) {
        return Err(InfoError::Version {
            version: excerpt(&info.version),
            reason: e.to_string(),
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    for rule in &info.rules {
        if rule.id.is_empty() || rule.id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(InfoError::RuleId(excerpt(&rule.id)));
        }
        if !seen.insert(rule.id.as_str()) {
            return Err(InfoError::DuplicateRule(rule.id.clone()));
        }
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use recert_plugin_abi::{Outcome, Reference, RuleInfo};

    fn info_with(rules: &[&str]) -> PluginInfo {
        PluginInfo {
            id: "p".into(),
            version: "1.0.0".into(),
            title: String::new(),
            rules: rules
                .iter()
                .map(|id| RuleInfo {
                    id: (*id).into(),
                    title_en: String::new(),
                    title_zh: String::new(),
                    reference: Reference {
                        standard: String::new(),
                        clause: String::new(),
                    },
                })
                .collect(),
        }
    }

    fn sent_finding(rule: &str, path: &str, actual: Option<&str>) -> Finding {
        Finding {
            rule: rule.into(),
            outcome: Outcome::Fail,
            path: path.into(),
            actual: actual.map(Into::into),
            expected: Some(">= 16 %".into()),
            message: "m".into(),
            reference: None,
        }
    }

    #[test]
    fn pointers() {
        assert!(check_pointer("").is_ok());
        assert!(check_pointer("/").is_ok());
        assert!(check_pointer("/components/3/substances/lead").is_ok());
        assert!(check_pointer("/a~1b/c~0d").is_ok());
        assert!(check_pointer("components/3").is_err());
        assert!(check_pointer("/a~2").is_err());
        assert!(check_pointer("/a~").is_err());
    }

    #[test]
    fn a_good_finding_converts() {
        let info = info_with(&["r"]);
        let out = findings(
            vec![sent_finding("r", "/components/0", Some("12.5"))],
            "r",
            &info,
        )
        .unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].actual, Some(serde_json::json!(12.5)));
        assert_eq!(out[0].outcome, Outcome::Fail);
        assert_eq!(out[0].expected.as_deref(), Some(">= 16 %"));
    }

    #[test]
    fn wrong_rules_are_named() {
        let info = info_with(&["r", "s"]);
        let err = findings(vec![sent_finding("x", "", None)], "r", &info).unwrap_err();
        assert_eq!(err, FailureKind::UndeclaredRule("x".into()));
        let err = findings(vec![sent_finding("s", "", None)], "r", &info).unwrap_err();
        assert!(matches!(err, FailureKind::Malformed(m) if m.contains("rule `s`")));
    }

    #[test]
    fn actual_must_be_json() {
        let info = info_with(&["r"]);
        let err = findings(vec![sent_finding("r", "", Some("{oops"))], "r", &info).unwrap_err();
        assert!(
            matches!(&err, FailureKind::Malformed(m) if m.contains("finding 1 has an `actual` that is not JSON (`{oops`)")),
            "{err:?}"
        );
    }

    #[test]
    fn size_counts_strings_and_overhead() {
        let f = sent_finding("r", "/a", Some("1"));
        // 64 + "r" + "/a" + "1" + ">= 16 %" + "m"
        assert_eq!(findings_size(&[f]), 64 + 1 + 2 + 1 + 7 + 1);
    }

    #[test]
    fn info_is_checked() {
        let good = PluginInfo {
            id: "battery-casing".into(),
            version: "1.0.0".into(),
            title: "t".into(),
            rules: Vec::new(),
        };
        assert!(info(good.clone()).is_ok());
        let bad_version = PluginInfo {
            version: "one".into(),
            ..good.clone()
        };
        assert!(
            info(bad_version)
                .unwrap_err()
                .to_string()
                .contains("`one` is not a semantic version")
        );
        let bad_id = PluginInfo {
            id: "Battery Casing".into(),
            ..good
        };
        assert!(info(bad_id).is_err());
    }
}
