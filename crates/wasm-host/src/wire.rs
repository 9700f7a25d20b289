//! The one place where the bindings generated from `plugins/wit/plugin.wit`
//! meet the plugin interface's plain types (`recert-plugin-abi`): each
//! record and enum converted field by field, every enum both ways with an
//! exhaustive `match`, so a case added to or removed from either side does
//! not compile. The tests below also read the WIT file itself and check
//! that its case names are the ABI's spellings.
//!
//! Conversion only moves values; checking what a plugin returned is
//! `validate`'s job.

use recert_plugin_abi::{Finding, Outcome, PluginInfo, Reference, Request, RuleInfo, Severity};

use super::bindings::exports::recert::plugin::rules as wit;

impl From<wit::Outcome> for Outcome {
    fn from(o: wit::Outcome) -> Outcome {
        match o {
            wit::Outcome::Pass => Outcome::Pass,
            wit::Outcome::Fail => Outcome::Fail,
            wit::Outcome::NotApplicable => Outcome::NotApplicable,
            wit::Outcome::NotInForce => Outcome::NotInForce,
            wit::Outcome::Error => Outcome::Error,
        }
    }
}

impl From<Outcome> for wit::Outcome {
    fn from(o: Outcome) -> wit::Outcome {
        match o {
            Outcome::Pass => wit::Outcome::Pass,
            Outcome::Fail => wit::Outcome::Fail,
            Outcome::NotApplicable => wit::Outcome::NotApplicable,
            Outcome::NotInForce => wit::Outcome::NotInForce,
            Outcome::Error => wit::Outcome::Error,
        }
    }
}

impl From<wit::Severity> for Severity {
    fn from(s: wit::Severity) -> Severity {
        match s {
            wit::Severity::Error => Severity::Error,
            wit::Severity::Warning => Severity::Warning,
            wit::Severity::Info => Severity::Info,
        }
    }
}

impl From<Severity> for wit::Severity {
    fn from(s: Severity) -> wit::Severity {
        match s {
            Severity::Error => wit::Severity::Error,
            Severity::Warning => wit::Severity::Warning,
            Severity::Info => wit::Severity::Info,
        }
    }
}

impl From<wit::Reference> for Reference {
    fn from(r: wit::Reference) -> Reference {
        Reference {
            standard: r.standard,
            clause: r.clause,
        }
    }
}

impl From<wit::RuleInfo> for RuleInfo {
    fn from(r: wit::RuleInfo) -> RuleInfo {
        RuleInfo {
            id: r.id,
            title_en: r.title_en,
            title_zh: r.title_zh,
            reference: r.reference.into(),
        }
    }
}

impl From<wit::PluginInfo> for PluginInfo {
    fn from(info: wit::PluginInfo) -> PluginInfo {
        PluginInfo {
            id: info.id,
            version: info.version,
            title: info.title,
            rules: info.rules.into_iter().map(RuleInfo::from).collect(),
        }
    }
}

/// The request as the call's argument: its texts borrowed, not copied.
impl<'a> From<&Request<'a>> for wit::Request<'a> {
    fn from(r: &Request<'a>) -> wit::Request<'a> {
        wit::Request {
            rule: r.rule,
            submission: r.submission_json,
            config: r.config_json,
            evaluation_date: r.evaluation_date,
            lang: r.lang,
        }
    }
}

/// A finding as the plugin sent it: `actual` still JSON text.
impl From<wit::Finding> for Finding {
    fn from(f: wit::Finding) -> Finding {
        Finding {
            rule: f.rule,
            outcome: f.outcome.into(),
            path: f.path,
            actual: f.actual,
            expected: f.expected,
            message: f.message,
            reference: f.reference.map(Reference::from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The case names of `enum name` in interface `rules` of the WIT file.
    fn wit_cases(name: &str) -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../plugins/wit");
        let mut resolve = wit_parser::Resolve::default();
        let (package, _) = resolve.push_dir(dir).unwrap();
        let rules = resolve.packages[package].interfaces["rules"];
        let ty = resolve.interfaces[rules].types[name];
        match &resolve.types[ty].kind {
            wit_parser::TypeDefKind::Enum(e) => e.cases.iter().map(|c| c.name.clone()).collect(),
            other => panic!("`{name}` is not an enum in the WIT: {other:?}"),
        }
    }

    #[test]
    fn outcomes_agree_with_the_wit() {
        let cases = wit_cases("outcome");
        assert_eq!(cases.len(), Outcome::ALL.len(), "WIT outcomes: {cases:?}");
        for outcome in Outcome::ALL {
            let generated = wit::Outcome::from(outcome);
            // The generated enum lists the cases in the WIT's order.
            assert_eq!(cases[generated as usize], outcome.as_str());
            assert_eq!(Outcome::from(generated), outcome);
        }
    }

    #[test]
    fn severities_agree_with_the_wit() {
        let cases = wit_cases("severity");
        assert_eq!(
            cases.len(),
            Severity::ALL.len(),
            "WIT severities: {cases:?}"
        );
        for severity in Severity::ALL {
            let generated = wit::Severity::from(severity);
            assert_eq!(cases[generated as usize], severity.as_str());
            assert_eq!(Severity::from(generated), severity);
        }
    }
}
