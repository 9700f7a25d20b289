//! The reports of one `recert check` run as one document: SARIF ([`sarif`](super::sarif))
//! and JUnit XML ([`junit`](super::junit)).
//!
//! Text, JSON and Markdown write one report per submission, as each is
//! evaluated. A SARIF log and a JUnit file are one document for the whole
//! run: they hold every submission (and every input that could not be
//! evaluated), so they are written once all are evaluated. Each submission
//! is kept as a [`Located`] report: the report and, for each finding the
//! document shows, the line and column of its value in the submission file
//! (found by [`load::locate`](crate::load::locate), for JSON and YAML).

use super::Report;
use super::batch::InvalidRecord;
use crate::format::{Format, Render, RenderError};
use crate::lang::Lang;
use crate::load::{LocateTarget, Source, locate_all};
use crate::pack::PackSet;
use crate::report::Outcome;

/// A line and a column in a submission file, both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The line.
    pub line: usize,
    /// The column, in characters.
    pub column: usize,
}

/// The file a submission was read from, as the document names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// The file as the user named it (for a line of a JSON Lines stream,
    /// the stream, without `#LINE`).
    pub file: String,
    /// Lowercase hex sha256 of the file's bytes; `None` for a line of a
    /// stream (the report's `file_sha256` is that of the line).
    pub sha256: Option<String>,
    /// The line of the stream the submission is on (`FILE#LINE`), if it is one.
    pub stream_line: Option<usize>,
    /// Its media type: `application/json`, `application/yaml`, or
    /// `application/jsonl` for a JSON Lines stream.
    pub media_type: &'static str,
}

/// A report, with where each finding's value is in the submission file.
#[derive(Debug, Clone)]
pub struct Located {
    /// The report.
    pub report: Report,
    /// The file.
    pub artifact: Artifact,
    /// For each finding (same order), its position; `None` for a pass or a
    /// not-applicable finding (the documents do not place them) or when the
    /// text has no such node.
    pub positions: Vec<Option<Position>>,
}

impl Located {
    /// Locates the findings of `report`, made from `source`, in one pass
    /// over its text. `stream_line`: the line of a JSON Lines stream
    /// `source` is (its name then is `FILE#LINE`); positions are then in
    /// the stream file.
    pub fn new(report: Report, source: &Source, stream_line: Option<usize>) -> Located {
        let placed = |outcome: Outcome| !matches!(outcome, Outcome::Pass | Outcome::NotApplicable);
        let pointers: Vec<String> = report
            .findings
            .iter()
            .filter(|f| placed(f.outcome))
            .map(|f| f.path.to_string())
            .collect();
        let targets: Vec<LocateTarget<'_>> = pointers
            .iter()
            .map(|pointer| LocateTarget {
                pointer,
                occurrence: 0,
            })
            .collect();
        let mut found = locate_all(source, &targets).into_iter();
        let positions = report
            .findings
            .iter()
            .map(|f| {
                if !placed(f.outcome) {
                    return None;
                }
                let location = found.next()?;
                let (line, column) = (location.line?, location.column?);
                Some(match stream_line {
                    // The stream's line holds the whole submission.
                    Some(at) => Position { line: at, column },
                    None => Position { line, column },
                })
            })
            .collect();
        let artifact = match stream_line {
            Some(_) => Artifact {
                file: source
                    .name
                    .rsplit_once('#')
                    .map_or(source.name.as_str(), |(file, _)| file)
                    .to_owned(),
                sha256: None,
                stream_line,
                media_type: "application/jsonl",
            },
            None => Artifact {
                file: source.name.clone(),
                sha256: Some(source.sha256.clone()),
                stream_line: None,
                media_type: match source.format {
                    crate::load::Format::Json => "application/json",
                    crate::load::Format::Yaml => "application/yaml",
                },
            },
        };
        Located {
            report,
            artifact,
            positions,
        }
    }
}

/// One input of the run: a report, or the record of an input that could
/// not be evaluated.
#[derive(Debug, Clone)]
pub enum Entry {
    /// A submission evaluated.
    Report(Box<Located>),
    /// An input that could not be read or is not a valid submission.
    Invalid(InvalidRecord),
}

/// Every input of one run, with the packs they were checked against: what
/// a SARIF log or a JUnit file is made from.
#[derive(Debug)]
pub struct Document<'a> {
    /// The packs (their rules are the SARIF log's rules).
    pub packs: &'a PackSet,
    /// The language of titles and messages.
    pub lang: Lang,
    /// The inputs, in order.
    pub entries: Vec<Entry>,
}

impl Render for Document<'_> {
    const WHAT: &'static str = "the reports of a run";
    const FORMATS: &'static [Format] = &[Format::Sarif, Format::Junit];
    type Options = ();

    fn render(&self, format: Format, _: &()) -> Result<String, RenderError> {
        match format {
            Format::Sarif => super::sarif::render(self),
            Format::Junit => super::junit::render(self),
            _ => Err(RenderError::unsupported::<Self>(format)),
        }
    }
}

/// What a SARIF result or a JUnit case says of a finding, in the report's
/// language: the requirement and the value found (a failure), why it could
/// not be evaluated (an error), or when the rule is in force.
///
/// The one place SARIF and JUnit say what a finding is: a finding's fix
/// hint ([`Finding::fix`](super::Finding::fix)) follows the outcome's part.
pub(crate) fn finding_text(finding: &super::Finding, s: &super::Strings) -> String {
    let message = finding.message();
    let mut text = message.clone().into_owned();
    match finding.outcome {
        Outcome::Fail => {
            let mut parts = Vec::new();
            if let Some(actual) = finding.actual() {
                parts.push(format!("{}{}{actual}", s.found, s.colon));
            }
            if let Some(expected) = finding.expected() {
                parts.push(format!("{}{}{expected}", s.required, s.colon));
            }
            if !parts.is_empty() {
                text.push_str(s.open);
                text.push_str(&parts.join(s.comma));
                text.push_str(s.close);
            }
        }
        Outcome::Error => {
            text.push_str(" — ");
            text.push_str(s.outcomes.error);
            // A plugin may give the reason as the message: said once.
            if let Some(reason) = finding.reason().filter(|r| **r != *message) {
                text.push_str(s.colon);
                text.push_str(&reason);
            }
        }
        Outcome::NotInForce => {
            text.push_str(" — ");
            text.push_str(s.outcomes.not_in_force);
            if let Some(window) = finding.in_force() {
                text.push_str(s.open);
                text.push_str(window);
                text.push_str(s.close);
            }
        }
        Outcome::Pass | Outcome::NotApplicable => {}
    }
    if let Some(fix) = finding.fix() {
        text.push_str(" — ");
        text.push_str(s.fix);
        text.push_str(s.colon);
        text.push_str(&fix);
    }
    text
}

/// `Standard, clause (secondary source)`, in the report's language.
pub(crate) fn reference_text(reference: &super::ReferenceInfo, s: &super::Strings) -> String {
    let mut text = format!("{}{}{}", reference.standard, s.comma, reference.clause);
    if reference.verification == Some(super::Verification::Secondary) {
        text.push_str(s.open);
        text.push_str(s.secondary);
        text.push_str(s.close);
    }
    text
}

/// The verdict of the whole run: `invalid` if an input could not be
/// evaluated, else the worst verdict of the submissions (as the exit code:
/// fail, incomplete, not-covered, pass); `None` when there is no input.
pub(crate) fn run_verdict(entries: &[Entry]) -> Option<&'static str> {
    use super::Verdict;
    let rank = |v: Verdict| match v {
        Verdict::Fail => 3,
        Verdict::Incomplete => 2,
        Verdict::NotCovered => 1,
        Verdict::Pass => 0,
    };
    let mut worst: Option<Verdict> = None;
    for entry in entries {
        match entry {
            Entry::Invalid(_) => return Some(super::batch::INVALID),
            Entry::Report(located) => {
                let v = located.report.verdict;
                if worst.is_none_or(|w| rank(v) > rank(w)) {
                    worst = Some(v);
                }
            }
        }
    }
    worst.map(Verdict::as_str)
}
