//! The JSON report: the contract of `schemas/report.schema.json`.
//!
//! serde_json writes the report around its findings; the findings, most
//! of a report's bytes, are written here, each rule's texts from the JSON
//! made once for all its findings (`RuleJson`). The bytes are those of
//! `serde_json::to_string_pretty(&report)` (or `to_string`), field by field.

use std::cell::RefCell;
use std::io::{self, Write};

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use super::message::Part;
use super::{ActualSlot, Finding, FindingPath, Report, RuleTexts};

/// The report as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> String {
    let mut bytes = Vec::new();
    match serialize(report, List::Held(&report.findings), &mut bytes, false) {
        Ok(()) => super::render::into_string(bytes),
        Err(e) => format!("{{\"error\": \"cannot serialize the report: {e}\"}}\n"),
    }
}

/// The report on one line, with a final newline (a line of JSON Lines).
pub(crate) fn render_line(report: &Report) -> String {
    let mut bytes = Vec::new();
    match serialize(report, List::Held(&report.findings), &mut bytes, true) {
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
    write_with(report, List::Held(&report.findings), out, lines)
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
    write_with(report, List::Replayed(replay), out, lines)
}

fn write_with(
    report: &Report,
    findings: List<'_, '_>,
    out: &mut dyn Write,
    lines: bool,
) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    serialize(report, findings, &mut out, lines)?;
    out.flush()
}

/// A report's findings: held, or made again as they are written.
enum List<'r, 'a> {
    Held(&'r [Finding]),
    Replayed(&'r mut Replay<'a>),
}

/// Writes the report with `findings`, pretty or on one line (`lines`),
/// with a final newline.
fn serialize<W: Write>(
    report: &Report,
    findings: List<'_, '_>,
    out: W,
    lines: bool,
) -> io::Result<()> {
    let out = Shared(RefCell::new(out));
    let findings = Findings {
        out: &out,
        list: RefCell::new(findings),
        pretty: !lines,
        failed: RefCell::new(None),
    };
    let serialized = if lines {
        report.serialize_with(&mut serde_json::Serializer::new(&out), &findings)
    } else {
        report.serialize_with(&mut serde_json::Serializer::pretty(&out), &findings)
    };
    // The writer's own error, as it gave it (`BrokenPipe`, ...), rather
    // than as serde's.
    if let Some(error) = findings.failed.into_inner() {
        return Err(error);
    }
    serialized?;
    let mut out = out.0.into_inner();
    out.write_all(b"\n")
}

/// The writer serde_json writes the report to, shared with [`Findings`],
/// which writes the findings to it directly.
struct Shared<W>(RefCell<W>);

impl<W: Write> Shared<W> {
    fn borrow(&self) -> io::Result<std::cell::RefMut<'_, W>> {
        self.0
            .try_borrow_mut()
            .map_err(|_| io::Error::other("the report's writer is in use"))
    }
}

impl<W: Write> Write for &Shared<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.borrow()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.borrow()?.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.borrow()?.flush()
    }
}

/// The report's `findings`, serialized by being written to the writer
/// serde_json writes to: serde_json writes `[`, and nothing before `]`
/// for a sequence given no element of its own (it writes straight to its
/// writer, holding nothing back), so the findings are written in between
/// with the separators and indentation it would write; the bytes are its
/// own (`tests::the_writer_writes_the_bytes_serde_json_writes_for_the_report`).
struct Findings<'o, 'r, 'a, W> {
    out: &'o Shared<W>,
    list: RefCell<List<'r, 'a>>,
    pretty: bool,
    /// The writer's error, if it failed.
    failed: RefCell<Option<io::Error>>,
}

impl<W: Write> Serialize for Findings<'_, '_, '_, W> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let seq = serializer.serialize_seq(None)?;
        let written = self.write_all();
        let written = match written {
            Ok(result) => result,
            Err(error) => {
                let text = error.to_string();
                if let Ok(mut failed) = self.failed.try_borrow_mut() {
                    *failed = Some(error);
                }
                return Err(S::Error::custom(text));
            }
        };
        written.map_err(S::Error::custom)?;
        seq.end()
    }
}

impl<W: Write> Findings<'_, '_, '_, W> {
    /// Writes the findings after serde_json's `[`, and what it would write
    /// before its `]`: an error of the writer, or of a replay.
    fn write_all(&self) -> io::Result<Result<(), String>> {
        let mut out = self.out.borrow()?;
        let mut list = self
            .list
            .try_borrow_mut()
            .map_err(|_| io::Error::other("the findings are being written already"))?;
        let mut writer = FindingWriter {
            pretty: self.pretty,
            count: 0,
            scratch: Vec::new(),
            text: String::new(),
        };
        let made = match &mut *list {
            List::Held(findings) => {
                for finding in *findings {
                    writer.write(&mut *out, finding)?;
                }
                Ok(())
            }
            List::Replayed(replay) => {
                let mut failed = None;
                let made = (*replay)(&mut |finding| match writer.write(&mut *out, &finding) {
                    Ok(()) => true,
                    Err(error) => {
                        failed = Some(error);
                        false
                    }
                });
                if let Some(error) = failed {
                    return Err(error);
                }
                made
            }
        };
        if made.is_ok() && self.pretty && writer.count > 0 {
            // What serde_json's pretty printer writes before the `]` of a
            // list with elements.
            out.write_all(b"\n  ")?;
        }
        Ok(made)
    }
}

/// Writes findings one after the other, as serde_json writes the elements
/// of a list at the report's `findings` (pretty: at depth two).
struct FindingWriter {
    pretty: bool,
    /// Findings written so far.
    count: usize,
    /// Room for a value written pretty, before it is indented.
    scratch: Vec<u8>,
    /// Room for a value in a message, before it is escaped.
    text: String,
}

/// Writes the key `$key` of a finding's field (not its first) and what
/// comes before it, as serde_json writes them (compact or pretty).
macro_rules! key {
    ($out:expr, $pretty:expr, $key:literal) => {
        $out.write_all(if $pretty {
            concat!(",\n      \"", $key, "\": ").as_bytes()
        } else {
            concat!(",\"", $key, "\":").as_bytes()
        })
    };
}

impl FindingWriter {
    /// Writes `finding` with its fields in the order of `Finding::serialize`.
    fn write<W: Write>(&mut self, out: &mut W, finding: &Finding) -> io::Result<()> {
        let (first, pretty) = (self.count == 0, self.pretty);
        self.count += 1;
        out.write_all(match (first, pretty) {
            (true, true) => b"\n    ",
            (false, true) => b",\n    ",
            (true, false) => b"",
            (false, false) => b",",
        })?;
        let Some(json) = finding.texts.json() else {
            return self.value(out, finding, b"\n    ");
        };
        let detail = finding.detail.as_deref();
        out.write_all(if pretty {
            b"{\n      \"pack\": "
        } else {
            b"{\"pack\":"
        })?;
        out.write_all(json.pack.as_bytes())?;
        key!(out, pretty, "rule")?;
        out.write_all(json.rule.as_bytes())?;
        key!(out, pretty, "outcome")?;
        string(out, finding.outcome.as_str())?;
        key!(out, pretty, "severity")?;
        string(out, finding.severity.as_str())?;
        key!(out, pretty, "title")?;
        out.write_all(json.title.as_bytes())?;
        key!(out, pretty, "message")?;
        let has_actual = !matches!(finding.actual, ActualSlot::None);
        match (
            detail.and_then(|d| d.message.as_deref()),
            &finding.component,
        ) {
            (Some(message), _) => string(out, message)?,
            (None, component)
                if finding
                    .texts
                    .message
                    .is_fixed_for(component.is_some(), has_actual) =>
            {
                out.write_all(json.message.as_bytes())?;
            }
            (None, Some(component)) if !json.parts.is_empty() => {
                self.message(out, &json.parts, component, finding)?;
            }
            (None, _) => string(out, &finding.message())?,
        }
        key!(out, pretty, "path")?;
        path(out, &finding.path)?;
        match &finding.actual {
            ActualSlot::None => {}
            ActualSlot::Number(n) => {
                key!(out, pretty, "actual")?;
                self.number(out, *n, json.unit.as_deref())?;
            }
            ActualSlot::Boxed(actual) => {
                key!(out, pretty, "actual")?;
                self.value(out, &**actual, b"\n      ")?;
            }
        }
        match detail.and_then(|d| d.expected.as_deref()) {
            Some(expected) => {
                key!(out, pretty, "expected")?;
                string(out, expected)?;
            }
            None => {
                if let Some(expected) = &json.expected {
                    key!(out, pretty, "expected")?;
                    out.write_all(expected.as_bytes())?;
                }
            }
        }
        key!(out, pretty, "reference")?;
        match detail.and_then(|d| d.reference.as_deref()) {
            Some(reference) => self.value(out, reference, b"\n      ")?,
            None => out.write_all(json.reference(pretty).as_bytes())?,
        }
        if let Some(reason) = finding.reason() {
            key!(out, pretty, "reason")?;
            string(out, &reason)?;
        }
        if let Some(fix) = finding.fix() {
            key!(out, pretty, "fix")?;
            string(out, &fix)?;
        }
        out.write_all(if pretty { b"\n    }" } else { b"}" })
    }

    /// The message of a finding about `component`, as
    /// `message::render` puts it together (with a component, its parts one
    /// after the other), from the parts of the template escaped once.
    fn message<W: Write>(
        &mut self,
        out: &mut W,
        parts: &[JsonPart],
        component: &str,
        finding: &Finding,
    ) -> io::Result<()> {
        out.write_all(b"\"")?;
        for part in parts {
            match part {
                JsonPart::Text(text) => out.write_all(text.as_bytes())?,
                JsonPart::Component => escape(out, component)?,
                JsonPart::Actual => match finding.actual() {
                    Some(actual) => {
                        use std::fmt::Write as _;
                        let mut text = std::mem::take(&mut self.text);
                        text.clear();
                        let _ = write!(text, "{actual}");
                        let escaped = escape(out, &text);
                        self.text = text;
                        escaped?;
                    }
                    None => out.write_all("—".as_bytes())?,
                },
            }
        }
        out.write_all(b"\"")
    }

    /// A check's value held as a number, as `Actual` serializes it:
    /// `{"value": n, "unit": unit}` (`unit`: its JSON).
    fn number<W: Write>(&self, out: &mut W, n: f64, unit: Option<&str>) -> io::Result<()> {
        let pretty = self.pretty;
        out.write_all(if pretty {
            b"{\n        \"value\": "
        } else {
            b"{\"value\":"
        })?;
        serde_json::to_writer(&mut *out, &serde_json::Number::from_f64(n))?;
        if let Some(unit) = unit {
            out.write_all(if pretty {
                b",\n        \"unit\": "
            } else {
                b",\"unit\":"
            })?;
            out.write_all(unit.as_bytes())?;
        }
        out.write_all(if pretty { b"\n      }" } else { b"}" })
    }

    /// `value` as serde_json writes it, pretty at the depth whose line
    /// break and indentation is `newline` (its lines, but the first, are
    /// indented by what follows the break).
    fn value<W: Write, T: Serialize + ?Sized>(
        &mut self,
        out: &mut W,
        value: &T,
        newline: &[u8],
    ) -> io::Result<()> {
        if !self.pretty {
            return Ok(serde_json::to_writer(&mut *out, value)?);
        }
        self.scratch.clear();
        serde_json::to_writer_pretty(&mut self.scratch, value)?;
        // A line break in serde_json's output is between values, never in
        // a string (where it is written `\n`).
        let mut lines = self.scratch.split(|&b| b == b'\n');
        if let Some(line) = lines.next() {
            out.write_all(line)?;
        }
        for line in lines {
            out.write_all(newline)?;
            out.write_all(line)?;
        }
        Ok(())
    }
}

/// `text` as a JSON string.
fn string<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    escape(out, text)?;
    out.write_all(b"\"")
}

/// A finding's path, as its `Display` writes it, as a JSON string.
fn path<W: Write>(out: &mut W, path: &FindingPath) -> io::Result<()> {
    match path {
        FindingPath::Root => out.write_all(b"\"\""),
        FindingPath::Component { index, field } => {
            out.write_all(b"\"/components/")?;
            out.write_all(itoa::Buffer::new().format(*index).as_bytes())?;
            if let Some(field) = field {
                out.write_all(b"/")?;
                escape(out, field)?;
            }
            out.write_all(b"\"")
        }
        FindingPath::Pointer(pointer) => string(out, pointer),
    }
}

/// Writes `text` escaped as serde_json escapes the contents of a string:
/// `"` and `\\` behind a backslash, control characters as `\\n`, `\\t`,
/// ..., or `\\u00XX` (lowercase hex); any other character as it is.
fn escape<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    // What is written is bytes[start..]; bytes[start..i] need no escape.
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        // Eight bytes at a time while none needs escaping (most texts).
        if let Some(chunk) = bytes.get(i..i + 8)
            && let Ok(word) = <[u8; 8]>::try_from(chunk)
            && !needs_escape(u64::from_le_bytes(word))
        {
            i += 8;
            continue;
        }
        let Some(&byte) = bytes.get(i) else {
            break;
        };
        let escaped: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x09 => b"\\t",
            0x0A => b"\\n",
            0x0C => b"\\f",
            0x0D => b"\\r",
            0x00..=0x1F => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let digit = |n: u8| HEX.get(usize::from(n)).copied().unwrap_or(b'0');
                &[b'\\', b'u', b'0', b'0', digit(byte >> 4), digit(byte & 0xF)]
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.write_all(bytes.get(start..i).unwrap_or_default())?;
        out.write_all(escaped)?;
        i += 1;
        start = i;
    }
    out.write_all(bytes.get(start..).unwrap_or_default())
}

/// Whether one of the eight bytes of `word` needs escaping: is below
/// 0x20, `"` or `\\` (the test for a zero byte, on the word and on it
/// with each byte xored with `"` and `\\`; exact for "any").
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    (below(word, 0x20) | below(quote, 1) | below(backslash, 1)) & HIGH != 0
}

/// A piece of a message template ([`super::message::Part`]), its text
/// escaped as in a JSON string (without the quotes).
#[derive(Debug)]
enum JsonPart {
    Text(String),
    Component,
    Actual,
}

/// A rule's texts as JSON string literals, each escaped once for all the
/// rule's findings (they were escaped again for each finding, a quarter
/// of the instructions of a batch of reports: the texts of a rule are
/// most of a finding's bytes). A string literal is written alike in a
/// pretty and a compact report; the reference, an object, is held in
/// both forms, the pretty one indented for where a finding's reference is.
#[derive(Debug)]
pub(crate) struct RuleJson {
    pack: String,
    rule: String,
    title: String,
    /// The message made once ([`super::message::Message::fixed`]).
    message: String,
    expected: Option<String>,
    /// The unit of a check's value.
    unit: Option<String>,
    /// The message's parts (none for a message the same for every finding).
    parts: Vec<JsonPart>,
    /// Compact, then pretty.
    reference: [String; 2],
}

/// The parts of `message`, escaped; none for a message the same for
/// every finding.
fn json_parts(message: &super::message::Message) -> Option<Vec<JsonPart>> {
    let super::message::Message::Parts { parts, .. } = message else {
        return Some(Vec::new());
    };
    parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => {
                let mut escaped = Vec::with_capacity(text.len());
                escape(&mut escaped, text).ok()?;
                String::from_utf8(escaped).ok().map(JsonPart::Text)
            }
            Part::Component => Some(JsonPart::Component),
            Part::Actual => Some(JsonPart::Actual),
        })
        .collect()
}

impl RuleJson {
    /// The JSON of `texts`; `None` if one cannot be serialized.
    pub(crate) fn of(texts: &RuleTexts) -> Option<RuleJson> {
        let literal = |text: &str| serde_json::to_string(text).ok();
        let pretty = serde_json::to_string_pretty(&texts.reference)
            .ok()?
            .replace('\n', "\n      ");
        Some(RuleJson {
            pack: literal(&texts.pack)?,
            rule: literal(&texts.rule)?,
            title: literal(&texts.title)?,
            message: literal(texts.message.fixed())?,
            expected: match &texts.expected {
                Some(expected) => Some(literal(expected)?),
                None => None,
            },
            unit: match &texts.unit {
                Some(unit) => Some(literal(unit)?),
                None => None,
            },
            parts: json_parts(&texts.message)?,
            reference: [serde_json::to_string(&texts.reference).ok()?, pretty],
        })
    }

    /// The reference, as a pretty report writes it or on one line.
    fn reference(&self, pretty: bool) -> &str {
        let [compact, indented] = &self.reference;
        if pretty { indented } else { compact }
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
    const HOSTILE: &str = "a \"quoted\" \\ back\nline\ttab\u{1}\u{8}\u{c}\r\u{1f}\u{7f} é 铅 </b> a long run of plain text \"";

    fn hostile_texts(message: &str, unit: Option<&str>) -> Arc<RuleTexts> {
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
            unit: unit.map(Arc::from),
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
        let fixed = hostile_texts("fixed {expected}", None);
        let parts = hostile_texts("{component} has {actual} \"(q)\"", Some("mg\"kg"));
        let component = Some(Arc::from("C\"9 \\ x\u{2}"));
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
        let at = |path: FindingPath, value: Option<f64>, unit: Option<&str>| {
            let actual = value.map(|n| crate::report::Actual {
                value: serde_json::json!(n),
                unit: unit.map(Arc::from),
                written: None,
                bound: None,
            });
            Finding::new(
                &parts,
                Severity::Warning,
                Outcome::Pass,
                path,
                actual,
                None,
                Some(Arc::from("C\"1")),
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
            at(FindingPath::Root, Some(0.5), None),
            at(FindingPath::Root, Some(-7.0), Some("mg\"kg")),
            at(
                FindingPath::Component {
                    index: 12,
                    field: Some(Arc::from("substances/le\"ad\n")),
                },
                Some(1e21),
                None,
            ),
            at(
                FindingPath::Component {
                    index: 0,
                    field: None,
                },
                None,
                None,
            ),
            at(FindingPath::Pointer("/x/\"y\\".to_owned()), None, None),
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

    /// The writer writes outcomes and severities by their `as_str`: the
    /// words serde gives them, for every one.
    #[test]
    fn outcomes_and_severities_are_written_as_serde_names_them() {
        for outcome in Outcome::ALL {
            let mut written = Vec::new();
            string(&mut written, outcome.as_str()).unwrap();
            assert_eq!(written, serde_json::to_vec(&outcome).unwrap());
        }
        for severity in Severity::ALL {
            let mut written = Vec::new();
            string(&mut written, severity.as_str()).unwrap();
            assert_eq!(written, serde_json::to_vec(&severity).unwrap());
        }
    }
}
