//! The JSON report: the contract of `schemas/report.schema.json`.

use std::cell::RefCell;
use std::io::{self, Write};

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use super::{Finding, Report, RuleTexts};

/// The report as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> String {
    let mut bytes = Vec::new();
    match serialize(report, &Held(&report.findings, true), &mut bytes, false) {
        Ok(()) => super::render::into_string(bytes),
        Err(e) => format!("{{\"error\": \"cannot serialize the report: {e}\"}}\n"),
    }
}

/// The report on one line, with a final newline (a line of JSON Lines).
pub(crate) fn render_line(report: &Report) -> String {
    let mut bytes = Vec::new();
    match serialize(report, &Held(&report.findings, false), &mut bytes, true) {
        Ok(()) => super::render::into_string(bytes),
        Err(_) => String::from("\n"),
    }
}

/// Writes the report to `out` as it is serialized, never held whole as
/// text (the report of a submission with 100 000 components is over a
/// gigabyte of JSON): pretty-printed, or on one line (`lines`, for JSON
/// Lines); with a final newline either way. The bytes are those of
/// [`render`] (or of the one-line form).
pub fn write(report: &Report, out: &mut dyn Write, lines: bool) -> io::Result<()> {
    write_with(report, &Held(&report.findings, !lines), out, lines)
}

/// Makes a report's findings again, in order, handing each to the sink
/// given; the sink answers `false` to stop. `Err` says why the findings
/// could not be made (they differ from those the report counted).
pub type Replay<'a> = dyn FnMut(&mut dyn FnMut(Finding) -> bool) -> Result<(), String> + 'a;

/// Writes a report whose findings are not held (a report too large to
/// hold: see [`eval::evaluate_bounded`](crate::eval::evaluate_bounded)):
/// `replay` makes them again and each is written as it is made, then
/// dropped. The bytes are those [`write()`] gives for the report with its
/// findings. An error of `replay` is an error of the write: the output
/// is then incomplete.
pub fn write_streamed(
    report: &Report,
    replay: &mut Replay<'_>,
    out: &mut dyn Write,
    lines: bool,
) -> io::Result<()> {
    write_with(report, &Replayed(RefCell::new(replay), !lines), out, lines)
}

fn write_with<F: Serialize + ?Sized>(
    report: &Report,
    findings: &F,
    out: &mut dyn Write,
    lines: bool,
) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    serialize(report, findings, &mut out, lines)?;
    out.flush()
}

/// Writes the report with `findings` (a [`Held`] or a [`Replayed`], whose
/// findings are written with their rules' texts as [`RuleJson`], which
/// only serde_json's serializer writes as text: the one serializer here),
/// pretty or on one line (`lines`), with a final newline.
fn serialize<W: Write, F: Serialize + ?Sized>(
    report: &Report,
    findings: &F,
    mut out: W,
    lines: bool,
) -> io::Result<()> {
    if lines {
        report.serialize_with(&mut serde_json::Serializer::new(&mut out), findings)?;
    } else {
        report.serialize_with(&mut serde_json::Serializer::pretty(&mut out), findings)?;
    }
    out.write_all(b"\n")
}

/// The indentation of a reference's fields in a pretty report (the
/// report, its findings, a finding, its reference: four levels of
/// serde_json's two spaces), less that of the object written alone.
const REFERENCE_INDENT: &str = "      ";

/// A rule's texts as JSON text, each escaped once for all the rule's
/// findings (they were escaped again for each finding, a quarter of the
/// instructions of a batch of reports: the texts of a rule are most of a
/// finding's bytes). A string literal is written alike in a pretty and a
/// compact report; the reference, an object, is held in both forms, the
/// pretty one indented for where a finding's reference is in a report.
///
/// Serialized, a [`RawValue`] is text only for serde_json's serializer;
/// any other (`serde_json::to_value`, YAML, ...) would see a struct. So
/// only this module's writer ([`serialize`]) writes them, through
/// [`Written`]: a finding serialized by itself writes its texts as strings.
#[derive(Debug)]
pub(crate) struct RuleJson {
    pub(crate) pack: Box<RawValue>,
    pub(crate) rule: Box<RawValue>,
    pub(crate) title: Box<RawValue>,
    /// The message made once ([`super::message::Message::fixed`]).
    pub(crate) message: Box<RawValue>,
    pub(crate) expected: Option<Box<RawValue>>,
    /// Compact, then pretty.
    reference: [Box<RawValue>; 2],
}

impl RuleJson {
    /// The JSON of `texts`; `None` if one cannot be serialized.
    pub(crate) fn of(texts: &RuleTexts) -> Option<RuleJson> {
        let raw = |text: &str| serde_json::value::to_raw_value(text).ok();
        let pretty = serde_json::to_string_pretty(&texts.reference)
            .ok()?
            .replace('\n', &format!("\n{REFERENCE_INDENT}"));
        Some(RuleJson {
            pack: raw(&texts.pack)?,
            rule: raw(&texts.rule)?,
            title: raw(&texts.title)?,
            message: raw(texts.message.fixed())?,
            expected: match &texts.expected {
                Some(expected) => Some(raw(expected)?),
                None => None,
            },
            reference: [
                serde_json::value::to_raw_value(&texts.reference).ok()?,
                RawValue::from_string(pretty).ok()?,
            ],
        })
    }

    /// The reference, as a pretty report writes it or on one line.
    pub(crate) fn reference(&self, pretty: bool) -> &RawValue {
        let [compact, indented] = &self.reference;
        if pretty { indented } else { compact }
    }
}

/// A finding as this module's writer writes it: see [`RuleJson`]; its
/// reference for a pretty report (`pretty`) or a line.
struct Written<'a>(&'a Finding, bool);

impl Serialize for Written<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Written(finding, pretty) = *self;
        finding.serialize_as(serializer, finding.rule_json().map(|json| (json, pretty)))
    }
}

/// A report's findings, held; written pretty or not.
struct Held<'a>(&'a [Finding], bool);

impl Serialize for Held<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Held(findings, pretty) = *self;
        serializer.collect_seq(findings.iter().map(|finding| Written(finding, pretty)))
    }
}

/// A report's findings, serialized as they are made again; written pretty or not.
struct Replayed<'r, 'a>(RefCell<&'r mut Replay<'a>>, bool);

impl Serialize for Replayed<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut replay = self
            .0
            .try_borrow_mut()
            .map_err(|_| S::Error::custom("the findings are being written already"))?;
        let mut seq = serializer.serialize_seq(None)?;
        let mut failed = None;
        let pretty = self.1;
        let made = (*replay)(
            &mut |finding| match seq.serialize_element(&Written(&finding, pretty)) {
                Ok(()) => true,
                Err(error) => {
                    failed = Some(error);
                    false
                }
            },
        );
        if let Some(error) = failed {
            return Err(error);
        }
        made.map_err(S::Error::custom)?;
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::{Arc, OnceLock};

    use super::*;
    use crate::eval::{self, Options};
    use crate::lang::Lang;
    use crate::load::{Format, Source};
    use crate::report::{Detail, FindingPath, Outcome, ReferenceInfo, Severity, message};

    /// Texts a JSON string must escape: quotes, backslashes, controls, and
    /// characters it must not (non-ASCII, `/`).
    const HOSTILE: &str = "a \"quoted\" \\ back\nline\ttab\u{1} é 铅 </b>";

    fn hostile_texts(message: &str) -> Arc<RuleTexts> {
        Arc::new(RuleTexts {
            pack: Arc::from("p\"k"),
            rule: Arc::from("r\\1"),
            title: HOSTILE.to_owned(),
            message: message::Message::new(message, Some(HOSTILE), None, "each \"one\""),
            expected: Some(HOSTILE.to_owned()),
            reference: ReferenceInfo {
                standard: HOSTILE.to_owned(),
                clause: "§ 4\n(b)".to_owned(),
                url: Some("https://x/\"".to_owned()),
                row: None,
                verification: Some(super::super::Verification::Secondary),
            },
            in_force: None,
            fix: None,
            unit: None,
            json: OnceLock::new(),
        })
    }

    /// A report of the bundled packs, with findings of rules whose texts
    /// need escaping: fixed, per component, with a plugin's own texts.
    fn report(lang: Lang) -> Report {
        let packs = crate::pack::compile(&crate::pack::bundled_sources(), None).unwrap();
        let text = r#"{"schema":"recert.submission/v1","id":"S\"1","date":"2026-11-20","applicant":{"name":"A","country":"CN"},"product":{"name":"n\n","sector":"electrical-electronic","category":"air-purifier","markets":["CN","EU"],"mass":"10 kg"},"components":[{"id":"C1","name":"\"lid\"","material":{"class":"plastic","polymer":"PP"},"mass":"1 kg","substances":{"lead":"2000 mg/kg"}},{"id":"C2","name":"b","material":{"class":"plastic","polymer":"PP"},"mass":"1 kg","recycled":{"post_consumer":"30 %"}}]}"#;
        let source = Source::from_text("s.json", text, Format::Json);
        let submission = crate::load::load_submission(&source).unwrap();
        let options = Options {
            date: jiff::civil::date(2031, 9, 1),
            lang,
            plugins: None,
        };
        let mut report = eval::evaluate(&packs, &submission, &options);
        let fixed = hostile_texts("fixed {expected}");
        let parts = hostile_texts("{component} has {actual} \"(q)\"");
        let component = Some(Arc::from("C\"9 \\ x"));
        let made = |texts: &Arc<RuleTexts>, component: Option<Arc<str>>| {
            Finding::new(
                texts,
                Severity::Error,
                Outcome::Fail,
                FindingPath::Root,
                None,
                Some(HOSTILE.to_owned()),
                component,
            )
        };
        let mut own = made(&fixed, None);
        own.set_detail(Detail {
            message: Some(HOSTILE.to_owned()),
            expected: Some("≤ \"1\"".to_owned()),
            reference: Some(Box::new(ReferenceInfo {
                standard: "plugin\t".to_owned(),
                clause: "1".to_owned(),
                url: None,
                row: Some("R\"".to_owned()),
                verification: None,
            })),
            fix: Some(HOSTILE.to_owned()),
        });
        report.findings.extend([
            made(&fixed, None),
            made(&fixed, component.clone()),
            made(&parts, None),
            made(&parts, component),
            own,
        ]);
        report
    }

    #[test]
    fn the_writer_writes_the_bytes_serde_json_writes_for_the_report() {
        for lang in [Lang::En, Lang::Zh] {
            let report = report(lang);
            assert!(report.findings.len() > 5);
            let pretty = serde_json::to_string_pretty(&report).unwrap() + "\n";
            let line = serde_json::to_string(&report).unwrap() + "\n";
            // Twice: the rules' JSON made, then reused.
            for _ in 0..2 {
                let mut written = Vec::new();
                write(&report, &mut written, false).unwrap();
                assert_eq!(String::from_utf8(written).unwrap(), pretty);
                let mut written = Vec::new();
                write(&report, &mut written, true).unwrap();
                assert_eq!(String::from_utf8(written).unwrap(), line);
                assert_eq!(render(&report), pretty);
                assert_eq!(render_line(&report), line);
            }
            let mut replay = |emit: &mut dyn FnMut(Finding) -> bool| {
                for finding in &report.findings {
                    emit(finding.clone());
                }
                Ok(())
            };
            for (lines, expected) in [(false, &pretty), (true, &line)] {
                let mut written = Vec::new();
                write_streamed(&report, &mut replay, &mut written, lines).unwrap();
                assert_eq!(&String::from_utf8(written).unwrap(), expected);
            }
        }
    }
}
