//! The words of the text and Markdown renderers; the texts of each language
//! are in the [`catalog`](crate::catalog).

use crate::catalog::Catalog;
use crate::lang::Lang;

use super::{Outcome, Severity, Verdict};

/// Labels used by the text and Markdown renderers.
#[derive(Debug)]
pub struct Strings {
    /// "recert report".
    pub report: &'static str,
    /// "Verdict".
    pub verdict: &'static str,
    /// "Submission".
    pub submission: &'static str,
    /// "Product".
    pub product: &'static str,
    /// "sha256 of the normalized content" (the report's `submission.sha256`).
    pub sha256_normalized: &'static str,
    /// "sha256 of the file" (the report's `submission.file_sha256`).
    pub sha256_file: &'static str,
    /// "Evaluated as of".
    pub evaluated_at: &'static str,
    /// "Engine".
    pub engine: &'static str,
    /// "Found".
    pub found: &'static str,
    /// "Required".
    pub required: &'static str,
    /// "Clause".
    pub clause: &'static str,
    /// "Where".
    pub place: &'static str,
    /// "Rule".
    pub rule: &'static str,
    /// "Reason".
    pub reason: &'static str,
    /// "To fix": what would make a finding pass.
    pub fix: &'static str,
    /// "whole submission".
    pub whole: &'static str,
    /// "Packs".
    pub packs: &'static str,
    /// "Plugins".
    pub plugins: &'static str,
    /// "Params overridden".
    pub params: &'static str,
    /// "applies" / "does not apply".
    pub applies: (&'static str, &'static str),
    /// "Version".
    pub version: &'static str,
    /// "secondary source".
    pub secondary: &'static str,
    /// "(N places)".
    pub places: &'static str,
    /// "default".
    pub default: &'static str,
    /// "value".
    pub value: &'static str,
    /// "each component".
    pub each_component: &'static str,
    /// ": " or "：".
    pub colon: &'static str,
    /// ", " or "，".
    pub comma: &'static str,
    /// "(" or "（".
    pub open: &'static str,
    /// ")" or "）".
    pub close: &'static str,
    /// "pack does not apply".
    pub pack_not_applicable: &'static str,
    /// "rules".
    pub rules: &'static str,
    /// "warning", "warnings": failures of `warning` or `info` rules, in the summary line.
    pub warnings_word: (&'static str, &'static str),
    /// The heading of failed `warning` and `info` rules (they never fail the verdict).
    pub warnings_section: &'static str,
    /// "Coverage".
    pub coverage: &'static str,
    /// "no pack covers it".
    pub no_pack: &'static str,
    /// "sector".
    pub sector: &'static str,
    /// A bound computed per product, in words ("the limit that applies to the product").
    pub computed_limit: &'static str,
    /// "PASS", "FAIL", "INCOMPLETE", "NOT COVERED".
    pub verdicts: PerVerdict,
    /// What each verdict means, in one sentence.
    pub verdict_meanings: PerVerdict,
    /// Section headings for findings of each outcome.
    pub sections: PerOutcome,
    /// Each outcome in a few words, for tables.
    pub outcomes: PerOutcome,
    /// Each severity in words.
    pub severities: PerSeverity,
}

/// A text per verdict.
#[derive(Debug)]
pub struct PerVerdict {
    /// Pass.
    pub pass: &'static str,
    /// Fail.
    pub fail: &'static str,
    /// Incomplete.
    pub incomplete: &'static str,
    /// Not covered: no rule of any pack applied.
    pub not_covered: &'static str,
}

/// A text per outcome.
#[derive(Debug)]
pub struct PerOutcome {
    /// Fail.
    pub fail: &'static str,
    /// Error: could not be evaluated.
    pub error: &'static str,
    /// Pass.
    pub pass: &'static str,
    /// Not in force on the date of evaluation.
    pub not_in_force: &'static str,
    /// Not applicable.
    pub not_applicable: &'static str,
}

/// A text per severity.
#[derive(Debug)]
pub struct PerSeverity {
    /// Error.
    pub error: &'static str,
    /// Warning.
    pub warning: &'static str,
    /// Info.
    pub info: &'static str,
}

impl PerVerdict {
    fn get(&self, verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::Pass => self.pass,
            Verdict::Fail => self.fail,
            Verdict::Incomplete => self.incomplete,
            Verdict::NotCovered => self.not_covered,
        }
    }
}

impl PerOutcome {
    fn get(&self, outcome: Outcome) -> &'static str {
        match outcome {
            Outcome::Fail => self.fail,
            Outcome::Error => self.error,
            Outcome::Pass => self.pass,
            Outcome::NotInForce => self.not_in_force,
            Outcome::NotApplicable => self.not_applicable,
        }
    }
}

impl Strings {
    /// The labels in `lang`.
    pub fn get(lang: Lang) -> &'static Strings {
        &Catalog::get(lang).report
    }

    /// The verdict in words.
    pub fn verdict_word(&self, verdict: Verdict) -> &'static str {
        self.verdicts.get(verdict)
    }

    /// What the verdict means, in one sentence.
    pub fn verdict_meaning(&self, verdict: Verdict) -> &'static str {
        self.verdict_meanings.get(verdict)
    }

    /// A section heading for findings of `outcome`.
    pub fn section(&self, outcome: Outcome) -> &'static str {
        self.sections.get(outcome)
    }

    /// An outcome in a few words, for tables.
    pub fn outcome_word(&self, outcome: Outcome) -> &'static str {
        self.outcomes.get(outcome)
    }

    /// `1 failed · 3 warnings · 0 not evaluated · 20 passed · 2 not in force · 25 not applicable`:
    /// failures of `error` severity are "failed", the others warnings.
    pub fn summary_line(&self, summary: &super::Summary) -> String {
        let mut parts = vec![format!(
            "{} {}",
            summary.fail_error,
            self.outcome_word(Outcome::Fail)
        )];
        let warnings = summary.fail - summary.fail_error;
        let (one, many) = self.warnings_word;
        parts.push(format!(
            "{warnings} {}",
            if warnings == 1 { one } else { many }
        ));
        parts.extend(
            [
                (summary.error, Outcome::Error),
                (summary.pass, Outcome::Pass),
                (summary.not_in_force, Outcome::NotInForce),
                (summary.not_applicable, Outcome::NotApplicable),
            ]
            .iter()
            .map(|(count, outcome)| format!("{count} {}", self.outcome_word(*outcome))),
        );
        parts.join(" · ")
    }

    /// A severity in words.
    pub fn severity_word(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Error => self.severities.error,
            Severity::Warning => self.severities.warning,
            Severity::Info => self.severities.info,
        }
    }
}
impl Strings {
    /// `sector packaging · EU: eu-packaging · CN: no pack covers it`.
    pub fn coverage_line(&self, coverage: &super::Coverage) -> String {
        let mut parts = vec![format!(
            "{} {}",
            self.sector,
            coverage.sector.as_deref().unwrap_or("—")
        )];
        for market in &coverage.markets {
            let packs: Vec<&str> = coverage
                .packs
                .iter()
                .filter(|p| p.markets.contains(market))
                .map(|p| p.id.as_str())
                .collect();
            let by = if packs.is_empty() {
                self.no_pack.to_owned()
            } else {
                packs.join(self.comma)
            };
            parts.push(format!("{market}{}{by}", self.colon));
        }
        parts.join(" · ")
    }
}
