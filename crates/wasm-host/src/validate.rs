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
            FailureKind::UndeclaredRule(excerpt(&f.rule))
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
            return Err(InfoError::DuplicateRule(excerpt(&rule.id)));
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

/// Properties of the checks on what a plugin returns, over random findings
/// and `describe()` answers: they never panic, what they accept is well
/// formed, what they reject is said in a bounded, plain message. The default
/// case count keeps the run short; `RECERT_PROPTEST_CASES=100000 cargo test
/// -p recert-wasm-host validate::properties` runs longer.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use recert_plugin_abi::{Outcome, Reference, RuleInfo};
    use serde_json::Value;

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: std::env::var("RECERT_PROPTEST_CASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(256),
            // What a failure finds becomes a named test below, not a file.
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    /// The longest message a rejection may give: values are quoted as excerpts.
    const MESSAGE_MAX: usize = 400;

    fn declared() -> PluginInfo {
        PluginInfo {
            id: "p".into(),
            version: "1.0.0".into(),
            title: String::new(),
            rules: ["r1", "r2"]
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

    /// Text a hostile plugin might send: control and bidi characters, quotes,
    /// long runs.
    fn text(max: usize) -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::string::string_regex(&format!(".{{0,{max}}}")).unwrap(),
            proptest::string::string_regex(&format!(
                "[a-z0-9 \\x00-\\x1f\\x7f\\u{{1b}}\\u{{202e}}\\u{{2066}}\"'`<>\\[\\]()#*_~/\\\\]{{0,{max}}}"
            ))
            .unwrap(),
            (1..5000usize).prop_map(|n| "x".repeat(n)),
        ]
    }

    fn rule() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("r1".to_owned()),
            Just("r2".to_owned()),
            Just(String::new()),
            text(40),
        ]
    }

    fn path() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "/components/[0-9]{1,3}(/substances/[a-z_]{1,12})?",
            "(/[a-z0-9~]{0,6}){0,5}",
            text(60),
        ]
    }

    fn actual() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![
            "-?[0-9]{1,6}(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,4})?",
            Just("NaN".to_owned()),
            Just("Infinity".to_owned()),
            Just("1e400".to_owned()),
            Just("-1e309".to_owned()),
            "\"[^\"\\\\]{0,20}\"",
            "[\\[\\]{}\",:0-9a-z .eE+-]{0,40}",
            text(40),
        ])
    }

    fn outcome() -> impl Strategy<Value = Outcome> {
        prop_oneof![
            Just(Outcome::Pass),
            Just(Outcome::Fail),
            Just(Outcome::NotApplicable),
            Just(Outcome::NotInForce),
            Just(Outcome::Error),
        ]
    }

    fn finding() -> impl Strategy<Value = Finding> {
        (
            rule(),
            outcome(),
            path(),
            actual(),
            proptest::option::of(text(40)),
            text(80),
        )
            .prop_map(|(rule, outcome, path, actual, expected, message)| Finding {
                rule,
                outcome,
                path,
                actual,
                expected,
                message,
                reference: None,
            })
    }

    fn numbers_finite(value: &Value) -> bool {
        match value {
            Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
            Value::Array(items) => items.iter().all(numbers_finite),
            Value::Object(map) => map.values().all(numbers_finite),
            _ => true,
        }
    }

    fn plain(message: &str) -> Result<(), TestCaseError> {
        prop_assert!(!message.is_empty());
        prop_assert!(
            message.chars().count() <= MESSAGE_MAX,
            "{} characters: {message:?}",
            message.chars().count()
        );
        // No Rust internals (`Malformed("…")`, `ParseError { … }`).
        let internal = message.contains("Malformed(") || message.contains("Error {");
        prop_assert!(!internal, "{}", message);
        Ok(())
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn findings_are_checked_without_panic(sent in proptest::collection::vec(finding(), 0..6)) {
            let info = declared();
            let size = findings_size(&sent);
            prop_assert!(size >= sent.len() * FINDING_OVERHEAD);
            match findings(sent.clone(), "r1", &info) {
                Ok(accepted) => {
                    prop_assert_eq!(accepted.len(), sent.len());
                    for (f, s) in accepted.iter().zip(&sent) {
                        prop_assert_eq!(f.rule.as_str(), "r1");
                        prop_assert!(info.declares(&f.rule));
                        prop_assert!(check_pointer(&f.path).is_ok(), "{:?}", f.path);
                        prop_assert_eq!(&f.path, &s.path);
                        prop_assert_eq!(f.actual.is_some(), s.actual.is_some());
                        if let Some(actual) = &f.actual {
                            prop_assert!(numbers_finite(actual), "{actual}");
                        }
                    }
                }
                Err(kind) => plain(&kind.to_string())?,
            }
        }

        #[test]
        fn describe_answers_are_checked_without_panic(
            id in prop_oneof![Just("p".to_owned()), "[a-z0-9_-]{1,12}", text(60)],
            version in prop_oneof![
                Just("1.0.0".to_owned()),
                "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(-[a-z0-9.]{1,8})?(\\+[a-z0-9]{1,8})?",
                text(60),
            ],
            rules in proptest::collection::vec(rule(), 0..5),
        ) {
            let mut answer = declared();
            answer.id = id;
            answer.version = version;
            for (rule, slot) in rules.into_iter().zip(answer.rules.clone().iter().cycle()) {
                answer.rules.push(RuleInfo { id: rule, ..slot.clone() });
            }
            match info(answer) {
                Ok(checked) => {
                    prop_assert!(!checked.id.is_empty());
                    prop_assert!(semver::Version::parse(&checked.version).is_ok());
                    let mut seen = std::collections::BTreeSet::new();
                    for rule in &checked.rules {
                        prop_assert!(!rule.id.is_empty());
                        prop_assert!(!rule.id.chars().any(|c| c.is_whitespace() || c.is_control()));
                        prop_assert!(seen.insert(rule.id.clone()), "twice: {}", rule.id);
                    }
                }
                Err(error) => plain(&error.to_string())?,
            }
        }
    }

    /// Found by `findings_are_checked_without_panic`: a finding for an
    /// undeclared rule with a 5 000-character id was quoted in full.
    #[test]
    fn an_undeclared_rule_is_quoted_as_an_excerpt() {
        let long = "x".repeat(5000);
        let sent = Finding {
            rule: long.clone(),
            outcome: Outcome::Fail,
            path: String::new(),
            actual: None,
            expected: None,
            message: String::new(),
            reference: None,
        };
        let message = findings(vec![sent], "r1", &declared())
            .unwrap_err()
            .to_string();
        assert!(message.chars().count() <= MESSAGE_MAX, "{message}");
        assert!(message.contains("xxxxxxxx…"), "{message}");
    }

    /// Found by `describe_answers_are_checked_without_panic`: a rule id
    /// declared twice was quoted in full.
    #[test]
    fn a_rule_declared_twice_is_quoted_as_an_excerpt() {
        let mut answer = declared();
        let long = "y".repeat(5000);
        for rule in &mut answer.rules {
            rule.id.clone_from(&long);
        }
        let message = info(answer).unwrap_err().to_string();
        assert!(message.chars().count() <= MESSAGE_MAX, "{message}");
    }
}
