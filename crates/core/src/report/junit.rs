//! JUnit XML (`recert check --format junit`), as CI test reporters read it.
//!
//! One `<testsuites>` for the command; one `<testsuite>` per submission
//! (named by its file, with the verdict, the submission's id and digests,
//! the evaluation date, the engine and each pack with its version and
//! digest as `<properties>`); one `<testcase>` per rule of the loaded packs
//! and submission (`classname` the pack, `name` the rule), which is:
//!
//! - a `<failure>` (`type`: the rule's severity) when it failed at one or
//!   more places;
//! - else an `<error>` (`type` `not-evaluated`) when it could not be
//!   evaluated somewhere (the verdict is then incomplete, never pass);
//! - else passed when it passed somewhere;
//! - else `<skipped>`: not applicable to the product, or not in force on the
//!   date of evaluation (with the dates).
//!
//! The `message` attribute is the finding's text (or the rule's title and
//! how many places); the element's text lists each place: the JSON pointer
//! with the file, line and column of the value, the requirement, the value
//! found, the requirement as written and the clause, or why it could not
//! be evaluated. An input that could not be read or is not a valid
//! submission is a `<testsuite>` of its own with one `<error>` case (`type`
//! `invalid`) holding its diagnostics, so a run is never green when an input
//! was not checked.
//!
//! The layout validates against the JUnit schema Jenkins' xUnit plugin
//! publishes (`junit-10.xsd`; `tests/schemas/`). Every attribute and text is
//! escaped by the XML writer (`quick-xml`), after the characters XML 1.0
//! cannot hold at all are replaced ([`untrusted::xml`](crate::untrusted::xml)).

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::document::{Document, Entry, Located, Position, finding_text, reference_text};
use super::{EngineInfo, Finding, Outcome, Severity, Strings};
use crate::catalog::Catalog;
use crate::format::RenderError;
use crate::untrusted::xml;

/// The document as JUnit XML, with a final newline.
pub fn render(document: &Document<'_>) -> Result<String, RenderError> {
    let suites: Vec<Suite<'_>> = document.entries.iter().map(Suite::of).collect();
    let mut totals = Counts::default();
    for suite in &suites {
        totals.add(suite.counts());
    }
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    write(&mut writer, &suites, totals, document)
        .map_err(|error| RenderError::Xml(error.to_string()))?;
    let mut text = String::from_utf8(writer.into_inner())
        .map_err(|error| RenderError::Xml(error.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn write(
    writer: &mut Writer<Vec<u8>>,
    suites: &[Suite<'_>],
    totals: Counts,
    document: &Document<'_>,
) -> io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let (tests, failures, errors) = (
        totals.tests.to_string(),
        totals.failures.to_string(),
        totals.errors.to_string(),
    );
    writer
        .create_element("testsuites")
        .with_attribute(("name", "recert check"))
        .with_attribute(("tests", tests.as_str()))
        .with_attribute(("failures", failures.as_str()))
        .with_attribute(("errors", errors.as_str()))
        .write_inner_content(|w| {
            for suite in suites {
                suite.write(w, document)?;
            }
            Ok(())
        })?;
    Ok(())
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }
}

/// What a case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Failed(Severity),
    Error,
    Passed,
    Skipped,
}

/// One rule's findings in one report.
struct Case<'a> {
    pack: &'a str,
    rule: &'a str,
    /// The findings, each with its position.
    findings: Vec<(&'a Finding, Option<Position>)>,
}

impl Case<'_> {
    fn status(&self) -> Status {
        let has = |outcome: Outcome| self.findings.iter().any(|(f, _)| f.outcome == outcome);
        if let Some((f, _)) = self
            .findings
            .iter()
            .find(|(f, _)| f.outcome == Outcome::Fail)
        {
            Status::Failed(f.severity)
        } else if has(Outcome::Error) {
            Status::Error
        } else if has(Outcome::Pass) {
            Status::Passed
        } else {
            Status::Skipped
        }
    }
}

enum Suite<'a> {
    Report {
        located: &'a Located,
        cases: Vec<Case<'a>>,
    },
    Invalid(&'a super::batch::InvalidRecord),
}

impl<'a> Suite<'a> {
    fn of(entry: &'a Entry) -> Suite<'a> {
        let located = match entry {
            Entry::Invalid(record) => return Suite::Invalid(record),
            Entry::Report(located) => located.as_ref(),
        };
        // A rule's findings are next to each other, in pack and rule order.
        let mut cases: Vec<Case<'a>> = Vec::new();
        for (finding, position) in located.report.findings.iter().zip(&located.positions) {
            match cases.last_mut() {
                Some(case) if case.rule == finding.rule() => {
                    case.findings.push((finding, *position));
                }
                _ => cases.push(Case {
                    pack: finding.pack(),
                    rule: finding.rule(),
                    findings: vec![(finding, *position)],
                }),
            }
        }
        Suite::Report { located, cases }
    }

    fn counts(&self) -> Counts {
        match self {
            Suite::Invalid(_) => Counts {
                tests: 1,
                errors: 1,
                ..Counts::default()
            },
            Suite::Report { cases, .. } => {
                let mut counts = Counts {
                    tests: cases.len(),
                    ..Counts::default()
                };
                for case in cases {
                    match case.status() {
                        Status::Failed(_) => counts.failures += 1,
                        Status::Error => counts.errors += 1,
                        Status::Skipped => counts.skipped += 1,
                        Status::Passed => {}
                    }
                }
                counts
            }
        }
    }

    fn write(&self, w: &mut Writer<Vec<u8>>, document: &Document<'_>) -> io::Result<()> {
        let counts = self.counts();
        let (tests, failures, errors, skipped) = (
            counts.tests.to_string(),
            counts.failures.to_string(),
            counts.errors.to_string(),
            counts.skipped.to_string(),
        );
        let name = match self {
            Suite::Report { located, .. } => located.report.submission.file.as_str(),
            Suite::Invalid(record) => record.submission.file.as_str(),
        };
        let name = xml(name);
        let element = w
            .create_element("testsuite")
            .with_attribute(("name", name.as_ref()))
            .with_attribute(("tests", tests.as_str()))
            .with_attribute(("failures", failures.as_str()))
            .with_attribute(("errors", errors.as_str()))
            .with_attribute(("skipped", skipped.as_str()));
        match self {
            Suite::Invalid(record) => {
                let b = &Catalog::get(document.lang).batch;
                let details: Vec<String> = record
                    .diagnostics
                    .iter()
                    .map(|d| format!("{}: {}: {}", d.location, d.code, d.message))
                    .collect();
                element.write_inner_content(|w| {
                    properties(w, &[("verdict", record.verdict.to_owned())])?;
                    w.create_element("testcase")
                        .with_attribute(("name", name.as_ref()))
                        .with_attribute(("classname", "invalid"))
                        .write_inner_content(|w| {
                            w.create_element("error")
                                .with_attribute(("message", xml(b.invalid_meaning).as_ref()))
                                .with_attribute(("type", "invalid"))
                                .write_text_content(BytesText::new(&xml(&details.join("\n"))))?;
                            Ok(())
                        })?;
                    Ok(())
                })?;
            }
            Suite::Report { located, cases } => {
                let report = &located.report;
                let engine = EngineInfo::default();
                let mut props = vec![
                    ("verdict", report.verdict.as_str().to_owned()),
                    ("submission.id", report.submission.id.clone()),
                    ("submission.sha256", report.submission.sha256.clone()),
                ];
                if let Some(digest) = &report.submission.file_sha256 {
                    props.push(("submission.file_sha256", digest.clone()));
                }
                if let Some(product) = &report.submission.product {
                    props.push(("submission.product", product.clone()));
                }
                props.push(("evaluation_date", report.evaluation_date.clone()));
                props.push(("engine", format!("{} {}", engine.name, engine.version)));
                let packs: Vec<(String, String)> = report
                    .packs
                    .iter()
                    .map(|p| {
                        (
                            format!("pack.{}", p.id),
                            format!("{} sha256:{}", p.version, p.sha256),
                        )
                    })
                    .collect();
                let plugins: Vec<(String, String)> = report
                    .plugins
                    .iter()
                    .map(|p| {
                        (
                            format!("plugin.{}", p.id),
                            format!("{} sha256:{}", p.version, p.sha256),
                        )
                    })
                    .collect();
                element.write_inner_content(|w| {
                    let mut all: Vec<(&str, String)> = props.clone();
                    all.extend(
                        packs
                            .iter()
                            .chain(&plugins)
                            .map(|(k, v)| (k.as_str(), v.clone())),
                    );
                    properties(w, &all)?;
                    for case in cases {
                        write_case(w, case, located, document)?;
                    }
                    Ok(())
                })?;
            }
        }
        Ok(())
    }
}

fn properties(w: &mut Writer<Vec<u8>>, props: &[(&str, String)]) -> io::Result<()> {
    w.create_element("properties").write_inner_content(|w| {
        for (name, value) in props {
            w.create_element("property")
                .with_attribute(("name", xml(name).as_ref()))
                .with_attribute(("value", xml(value).as_ref()))
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_case(
    w: &mut Writer<Vec<u8>>,
    case: &Case<'_>,
    located: &Located,
    document: &Document<'_>,
) -> io::Result<()> {
    let s = Strings::get(document.lang);
    let element = w
        .create_element("testcase")
        .with_attribute(("name", xml(case.rule).as_ref()))
        .with_attribute(("classname", xml(case.pack).as_ref()));
    let status = case.status();
    let (tag, kind, shown): (&str, &str, Vec<Outcome>) = match status {
        Status::Passed => {
            element.write_empty()?;
            return Ok(());
        }
        Status::Failed(severity) => (
            "failure",
            severity_name(severity),
            vec![Outcome::Fail, Outcome::Error],
        ),
        Status::Error => ("error", "not-evaluated", vec![Outcome::Error]),
        Status::Skipped => (
            "skipped",
            "not-applicable",
            vec![Outcome::NotInForce, Outcome::NotApplicable],
        ),
    };
    let places: Vec<&(&Finding, Option<Position>)> = case
        .findings
        .iter()
        .filter(|(f, _)| shown.contains(&f.outcome))
        .collect();
    let message = match places.as_slice() {
        [(first, _), ..] if status == Status::Skipped => skipped_text(first, s),
        [(only, _)] => finding_text(only, s),
        [(first, _), ..] => format!(
            "{}{}{} {}{}",
            first.title(),
            s.open,
            places.len(),
            s.places,
            s.close
        ),
        [] => String::new(),
    };
    let kind = if status == Status::Skipped
        && places.iter().any(|(f, _)| f.outcome == Outcome::NotInForce)
    {
        "not-in-force"
    } else {
        kind
    };
    let body = if status == Status::Skipped {
        String::new()
    } else {
        places
            .iter()
            .map(|(f, at)| place(f, *at, located, s))
            .collect::<Vec<_>>()
            .join("\n")
    };
    element.write_inner_content(|w| {
        let child = w
            .create_element(tag)
            .with_attribute(("message", xml(&message).as_ref()))
            .with_attribute(("type", kind));
        // A finding's fix hint is in the message and in each place of the
        // body (`finding_text`).
        if body.is_empty() {
            child.write_empty()?;
        } else {
            child.write_text_content(BytesText::new(&xml(&body)))?;
        }
        Ok(())
    })?;
    Ok(())
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// One place of a case: where (pointer, file, line and column), what, and
/// the clause.
fn place(finding: &Finding, at: Option<Position>, located: &Located, s: &Strings) -> String {
    let pointer = finding.path.to_string();
    let mut text = if pointer.is_empty() {
        s.whole.to_owned()
    } else {
        pointer
    };
    match at {
        Some(at) => text.push_str(&format!(
            " ({}:{}:{})",
            located.artifact.file, at.line, at.column
        )),
        None => text.push_str(&format!(" ({})", located.report.submission.file)),
    }
    text.push_str("\n  ");
    text.push_str(&finding_text(finding, s));
    text.push_str("\n  ");
    text.push_str(s.clause);
    text.push_str(s.colon);
    text.push_str(&reference_text(finding.reference(), s));
    text
}

/// Why a case is skipped: not applicable, or not in force (with the dates).
fn skipped_text(finding: &Finding, s: &Strings) -> String {
    match (finding.outcome, finding.in_force()) {
        (Outcome::NotInForce, Some(window)) => {
            format!("{}{}{window}{}", s.outcomes.not_in_force, s.open, s.close)
        }
        (Outcome::NotInForce, None) => s.outcomes.not_in_force.to_owned(),
        _ => s.outcomes.not_applicable.to_owned(),
    }
}
