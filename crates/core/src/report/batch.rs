//! A batch of submissions (`recert check` over several inputs): the record
//! of an input that could not be evaluated, and the summary of the batch.
//!
//! Every input of a batch gets a record, so that counts always match
//! inputs: a [`Report`], or an [`InvalidRecord`] (verdict `invalid`, with
//! the diagnostics) for an input that could not be read or is not a valid
//! submission. The [`BatchSummary`] counts them (`--summary FILE`, schema
//! `schemas/batch-summary.schema.json`, `recert schema summary`).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::{Finding, Outcome, REPORT_SCHEMA, Report, Severity, Strings, Verdict};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostics;
use crate::format::Format;
use crate::lang::Lang;
use crate::untrusted::{MarkdownCode, Text};

/// The `verdict` of an [`InvalidRecord`].
pub const INVALID: &str = "invalid";

/// The value of `schema` in a [`BatchSummary`].
pub const SUMMARY_SCHEMA: &str = "recert.batch-summary/v1";

/// The JSON Schema of a batch summary, as `recert schema summary` prints it.
pub const SUMMARY_SCHEMA_JSON: &str = include_str!("../../../../schemas/batch-summary.schema.json");

/// The record of an input of a batch that could not be read or is not a
/// valid submission: in JSON Lines, a line in place of its report, with
/// `verdict` `invalid` and the diagnostics (`schemas/report.schema.json`
/// describes both kinds of line).
#[derive(Debug, Clone, Serialize)]
pub struct InvalidRecord {
    /// Always [`REPORT_SCHEMA`].
    pub schema: &'static str,
    /// Always [`INVALID`].
    pub verdict: &'static str,
    /// The input, as the command line or the folder named it.
    pub submission: InvalidInput,
    /// Why it could not be evaluated: at least one.
    pub diagnostics: Diagnostics,
    /// Its signature, as a report's (`recert check --sign`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<super::signature::Signature>,
}

/// The input an [`InvalidRecord`] is about.
#[derive(Debug, Clone, Serialize)]
pub struct InvalidInput {
    /// The file (`<stdin>` for standard input, `FILE#LINE` for a line of a
    /// JSON Lines stream).
    pub file: String,
}

impl InvalidRecord {
    /// The record of `file`, with its `diagnostics`.
    pub fn new(file: impl Into<String>, diagnostics: Diagnostics) -> InvalidRecord {
        InvalidRecord {
            schema: REPORT_SCHEMA,
            verdict: INVALID,
            submission: InvalidInput { file: file.into() },
            diagnostics,
            signature: None,
        }
    }

    /// Signs the record with `key`, as [`Report::sign`] signs a report.
    pub fn sign(
        &mut self,
        key: &super::signature::SigningKey,
    ) -> Result<(), super::signature::SignError> {
        self.signature = None;
        let value = serde_json::to_value(&*self)
            .map_err(|e| super::signature::SignError::Canonical(e.to_string()))?;
        self.signature = Some(super::signature::sign(&value, key)?);
        Ok(())
    }

    /// The record in `format` (JSON: one line), in `lang`.
    pub fn render(&self, format: Format, lang: Lang, color: bool) -> String {
        let s = Strings::get(lang);
        let b = &Catalog::get(lang).batch;
        let mut out = String::new();
        match format {
            Format::Markdown => {
                let _ = writeln!(out, "# {}{}{}\n", s.report, s.colon, b.invalid);
                let _ = writeln!(
                    out,
                    "**{}{}{}** — {}\n",
                    s.verdict, s.colon, b.invalid, b.invalid_meaning
                );
                let _ = writeln!(
                    out,
                    "{}{}{}\n",
                    b.input,
                    s.colon,
                    MarkdownCode(&self.submission.file)
                );
                for d in &self.diagnostics {
                    let _ = writeln!(
                        out,
                        "- `{}`: {} ({})",
                        d.code,
                        crate::untrusted::markdown(&d.message),
                        MarkdownCode(&d.location.to_string())
                    );
                }
            }
            Format::Text => {
                let word = if color {
                    format!("\x1b[1;31m{}\x1b[0m", b.invalid)
                } else {
                    b.invalid.to_owned()
                };
                let _ = writeln!(
                    out,
                    "{}{}{word} — {}",
                    s.verdict, s.colon, b.invalid_meaning
                );
                let _ = writeln!(out, "{}{}{}", b.input, s.colon, Text(&self.submission.file));
                for d in &self.diagnostics {
                    let _ = writeln!(out, "  error[{}]: {}", d.code, Text(&d.message));
                    let _ = writeln!(out, "    --> {}", d.location);
                }
            }
            Format::Html => {
                out = super::html::invalid_section(&self.submission.file, &self.diagnostics, lang);
            }
            _ => {
                out = serde_json::to_string(self).unwrap_or_default();
                out.push('\n');
            }
        }
        out
    }
}

/// What the summary needs of one input, made where its report is (so that
/// the report itself need not be kept).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// The verdict; `None` for an invalid input.
    verdict: Option<Verdict>,
    /// The packs that applied.
    applied: Vec<String>,
    /// The rules with at least one failed finding, with their severity.
    failed: Vec<(String, String, Severity)>,
}

/// The rules with at least one failed finding, with their severity, in
/// the order of their first failure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailedRules(Vec<(String, String, Severity)>);

impl FailedRules {
    /// Notes `finding`, if it failed.
    pub fn note(&mut self, finding: &Finding) {
        if finding.outcome == Outcome::Fail
            && !self
                .0
                .iter()
                .any(|(pack, rule, _)| pack == finding.pack() && rule == finding.rule())
        {
            self.0.push((
                finding.pack().to_owned(),
                finding.rule().to_owned(),
                finding.severity,
            ));
        }
    }
}

impl Tally {
    /// The tally of `report`.
    pub fn of(report: &Report) -> Tally {
        let mut failed = FailedRules::default();
        for f in &report.findings {
            failed.note(f);
        }
        Tally::with_failed(report, failed)
    }

    /// The tally of `report` whose failed rules are `failed` (a report
    /// whose findings are not held: see
    /// [`Evaluation::Streamed`](crate::eval::Evaluation::Streamed)).
    pub fn with_failed(report: &Report, failed: FailedRules) -> Tally {
        Tally {
            verdict: Some(report.verdict),
            applied: report
                .packs
                .iter()
                .filter(|p| p.applies)
                .map(|p| p.id.clone())
                .collect(),
            failed: failed.0,
        }
    }

    /// The tally of an input that could not be evaluated.
    pub fn invalid() -> Tally {
        Tally::default()
    }
}

/// The counts of a batch, added up one input at a time.
#[derive(Debug, Clone, Default)]
pub struct BatchCounts {
    verdicts: VerdictCounts,
    rules: BTreeMap<(String, String), (Severity, usize)>,
    packs: BTreeMap<String, PackCounts>,
}

impl BatchCounts {
    /// Counts one input.
    pub fn add(&mut self, tally: &Tally) {
        let v = &mut self.verdicts;
        match tally.verdict {
            Some(Verdict::Pass) => v.pass += 1,
            Some(Verdict::Fail) => v.fail += 1,
            Some(Verdict::Incomplete) => v.incomplete += 1,
            Some(Verdict::NotCovered) => v.not_covered += 1,
            None => v.invalid += 1,
        }
        for pack in &tally.applied {
            self.pack(pack).applied += 1;
        }
        let mut failed_packs: Vec<&str> = Vec::new();
        for (pack, rule, severity) in &tally.failed {
            let entry = self
                .rules
                .entry((pack.clone(), rule.clone()))
                .or_insert((*severity, 0));
            entry.1 += 1;
            if *severity == Severity::Error && !failed_packs.contains(&pack.as_str()) {
                failed_packs.push(pack);
            }
        }
        for pack in failed_packs {
            self.pack(pack).failed += 1;
        }
    }

    fn pack(&mut self, id: &str) -> &mut PackCounts {
        self.packs
            .entry(id.to_owned())
            .or_insert_with(|| PackCounts {
                pack: id.to_owned(),
                applied: 0,
                failed: 0,
            })
    }

    /// The summary of the inputs counted so far.
    pub fn summary(&self) -> BatchSummary {
        let mut failed_rules: Vec<FailedRule> = self
            .rules
            .iter()
            .map(|((pack, rule), (severity, count))| FailedRule {
                pack: pack.clone(),
                rule: rule.clone(),
                severity: *severity,
                submissions: *count,
            })
            .collect();
        // Most failed first; ties by pack and rule (the map's order, kept by a stable sort).
        failed_rules.sort_by_key(|r| std::cmp::Reverse(r.submissions));
        let v = &self.verdicts;
        BatchSummary {
            schema: SUMMARY_SCHEMA,
            inputs: v.pass + v.fail + v.incomplete + v.not_covered + v.invalid,
            verdicts: self.verdicts.clone(),
            failed_rules,
            packs: self.packs.values().cloned().collect(),
        }
    }
}

/// The summary of a batch (`--summary FILE`): `schemas/batch-summary.schema.json`.
#[derive(Debug, Clone, Serialize)]
pub struct BatchSummary {
    /// Always [`SUMMARY_SCHEMA`].
    pub schema: &'static str,
    /// How many inputs: one record each in the output.
    pub inputs: usize,
    /// How many records of each verdict; they add up to `inputs`.
    pub verdicts: VerdictCounts,
    /// Every rule that failed at least once, by the number of submissions
    /// that failed it (most first; ties by pack and rule).
    pub failed_rules: Vec<FailedRule>,
    /// Every pack that applied to at least one submission, by id.
    pub packs: Vec<PackCounts>,
}

/// How many records of each verdict.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerdictCounts {
    /// Pass.
    pub pass: usize,
    /// Fail.
    pub fail: usize,
    /// Incomplete.
    pub incomplete: usize,
    /// Not covered.
    #[serde(rename = "not-covered")]
    pub not_covered: usize,
    /// Inputs that could not be read or are not valid submissions.
    pub invalid: usize,
}

/// A rule and how many submissions failed it.
#[derive(Debug, Clone, Serialize)]
pub struct FailedRule {
    /// The pack's id.
    pub pack: String,
    /// The rule's id.
    pub rule: String,
    /// The rule's severity (a failed `warning` does not fail the verdict).
    pub severity: Severity,
    /// The submissions with at least one failed finding of the rule.
    pub submissions: usize,
}

/// A pack's counts.
#[derive(Debug, Clone, Serialize)]
pub struct PackCounts {
    /// The pack's id.
    pub pack: String,
    /// The submissions it applied to.
    pub applied: usize,
    /// The submissions that failed at least one of its `error`-severity rules.
    pub failed: usize,
}

impl BatchSummary {
    /// The summary as JSON, indented.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }

    /// The summary for a terminal, in `lang`: the counts by verdict, the
    /// `top` rules failed by the most submissions, the counts per pack.
    pub fn to_text(&self, lang: Lang, top: usize) -> String {
        let s = Strings::get(lang);
        let b = &Catalog::get(lang).batch;
        let v = &self.verdicts;
        let mut out = String::new();
        let counts = [
            (v.pass, s.verdict_word(Verdict::Pass)),
            (v.fail, s.verdict_word(Verdict::Fail)),
            (v.incomplete, s.verdict_word(Verdict::Incomplete)),
            (v.not_covered, s.verdict_word(Verdict::NotCovered)),
            (v.invalid, b.invalid),
        ]
        .iter()
        .map(|(n, word)| format!("{n} {word}"))
        .collect::<Vec<_>>()
        .join(" · ");
        let _ = writeln!(out, "{}{}{counts}", (b.inputs)(self.inputs), s.colon);
        if !self.failed_rules.is_empty() {
            let _ = writeln!(out, "{}{}", b.most_failed, s.colon.trim_end());
            for r in self.failed_rules.iter().take(top) {
                let _ = writeln!(
                    out,
                    "  {}  {}/{}{}{}{}",
                    (b.submissions)(r.submissions),
                    Text(&r.pack),
                    Text(&r.rule),
                    s.open,
                    s.severity_word(r.severity),
                    s.close
                );
            }
            if self.failed_rules.len() > top {
                let _ = writeln!(out, "  {}", (b.more_rules)(self.failed_rules.len() - top));
            }
        }
        if !self.packs.is_empty() {
            let _ = writeln!(out, "{}{}", b.per_pack, s.colon.trim_end());
            for p in &self.packs {
                let _ = writeln!(
                    out,
                    "  {}{}{}",
                    Text(&p.pack),
                    s.colon,
                    (b.pack_counts)(p.applied, p.failed)
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic, Location};

    fn tally(verdict: Verdict, applied: &[&str], failed: &[(&str, &str, Severity)]) -> Tally {
        Tally {
            verdict: Some(verdict),
            applied: applied.iter().map(|p| (*p).to_owned()).collect(),
            failed: failed
                .iter()
                .map(|(p, r, s)| ((*p).to_owned(), (*r).to_owned(), *s))
                .collect(),
        }
    }

    #[test]
    fn counts_add_up_and_rules_come_most_failed_first() {
        let mut counts = BatchCounts::default();
        counts.add(&tally(
            Verdict::Fail,
            &["a", "b"],
            &[("b", "z", Severity::Error), ("a", "w", Severity::Warning)],
        ));
        counts.add(&tally(
            Verdict::Pass,
            &["a"],
            &[("a", "w", Severity::Warning)],
        ));
        counts.add(&tally(
            Verdict::Fail,
            &["b"],
            &[("b", "y", Severity::Error)],
        ));
        counts.add(&Tally::invalid());
        let summary = counts.summary();
        assert_eq!(summary.inputs, 4);
        assert_eq!(
            (
                summary.verdicts.pass,
                summary.verdicts.fail,
                summary.verdicts.invalid
            ),
            (1, 2, 1)
        );
        let rules: Vec<(&str, &str, usize)> = summary
            .failed_rules
            .iter()
            .map(|r| (r.pack.as_str(), r.rule.as_str(), r.submissions))
            .collect();
        assert_eq!(rules, [("a", "w", 2), ("b", "y", 1), ("b", "z", 1)]);
        let packs: Vec<(&str, usize, usize)> = summary
            .packs
            .iter()
            .map(|p| (p.pack.as_str(), p.applied, p.failed))
            .collect();
        // A failed warning does not count as a failure of its pack.
        assert_eq!(packs, [("a", 2, 0), ("b", 2, 2)]);
        let text = summary.to_text(Lang::En, 2);
        assert!(
            text.starts_with(
                "4 inputs: 1 PASS · 2 FAIL · 0 INCOMPLETE · 0 NOT COVERED · 1 INVALID\n"
            )
        );
        assert!(text.contains("… and 1 more rule"), "{text}");
        assert!(summary.to_text(Lang::Zh, 10).starts_with("共 4 份输入："));
    }

    #[test]
    fn an_invalid_record_is_one_json_line_with_its_diagnostics() {
        let record = InvalidRecord::new(
            "in/a.yaml",
            Diagnostics::one(Diagnostic::new(
                Code::FileNotFound,
                Location::new("in/a.yaml", ""),
                "no such file: in/a.yaml",
            )),
        );
        let line = record.render(Format::Json, Lang::En, false);
        assert_eq!(line.lines().count(), 1);
        let json: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(json["verdict"], "invalid");
        assert_eq!(json["submission"]["file"], "in/a.yaml");
        assert_eq!(json["diagnostics"][0]["code"], "file-not-found");
        let text = record.render(Format::Text, Lang::En, false);
        assert!(text.starts_with("Verdict: INVALID — "), "{text}");
        assert!(text.contains("error[file-not-found]"));
    }
}
