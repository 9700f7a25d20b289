//! Coverage: which outcomes of each rule the tests have seen.
//!
//! A rule is covered when the cases that ran checked at least one finding of
//! it with actual outcome `pass` and one with actual outcome `fail`; a rule
//! with an `effective` window (a phase-in or phase-out) also needs one
//! `not-in-force`. Only findings that an expectation looked at count: a rule
//! a case does not mention is not exercised by it, whatever it concluded.

use std::collections::BTreeSet;

use recert_core::report::Outcome;

/// The coverage of one pack.
#[derive(Debug, Clone, PartialEq)]
pub struct PackCoverage {
    /// The pack's id.
    pub pack: String,
    /// Its file.
    pub file: String,
    /// Every rule measured, in pack order.
    pub rules: Vec<RuleCoverage>,
    /// Why coverage was not measured (e.g. cases were skipped), if so.
    pub skipped: Option<String>,
}

impl PackCoverage {
    /// `Some(true)` when every rule is covered, `None` when not measured.
    pub fn is_complete(&self) -> Option<bool> {
        if self.skipped.is_some() {
            return None;
        }
        Some(self.rules.iter().all(|r| r.missing().is_empty()))
    }

    /// The rules that lack an outcome.
    pub fn gaps(&self) -> impl Iterator<Item = &RuleCoverage> {
        self.rules.iter().filter(|r| !r.missing().is_empty())
    }
}

/// The coverage of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCoverage {
    /// The rule's id.
    pub rule: String,
    /// The outcomes it needs: `pass`, `fail`, and `not-in-force` when it has
    /// an `effective` window.
    pub needs: Vec<Outcome>,
    /// The outcomes the tests saw.
    pub seen: BTreeSet<Outcome>,
}

impl RuleCoverage {
    /// The outcomes needed and not seen.
    pub fn missing(&self) -> Vec<Outcome> {
        self.needs
            .iter()
            .copied()
            .filter(|o| !self.seen.contains(o))
            .collect()
    }
}

/// The coverage of `rules` of a pack, from `(rule, outcome)` pairs observed.
pub(crate) fn measure(
    pack: &str,
    file: &str,
    rules: &[&str],
    windowed: &[String],
    observed: &[(String, Outcome)],
    skipped: Option<String>,
) -> PackCoverage {
    let rules = rules
        .iter()
        .map(|rule| {
            let mut needs = vec![Outcome::Pass, Outcome::Fail];
            if windowed.iter().any(|w| w == rule) {
                needs.push(Outcome::NotInForce);
            }
            RuleCoverage {
                rule: (*rule).to_owned(),
                needs,
                seen: observed
                    .iter()
                    .filter(|(r, _)| r == rule)
                    .map(|(_, o)| *o)
                    .collect(),
            }
        })
        .collect();
    PackCoverage {
        pack: pack.to_owned(),
        file: file.to_owned(),
        rules,
        skipped,
    }
}
