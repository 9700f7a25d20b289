//! The JSON report: the contract of `schemas/report.schema.json`.

use std::cell::RefCell;
use std::io::{self, Write};

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use super::{Finding, Report};

/// The report as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot serialize the report: {e}\"}}"));
    text.push('\n');
    text
}

/// Writes the report to `out` as it is serialized, never held whole as
/// text (the report of a submission with 100 000 components is over a
/// gigabyte of JSON): pretty-printed, or on one line (`lines`, for JSON
/// Lines); with a final newline either way. The bytes are those of
/// [`render`] (or of the one-line form).
pub fn write(report: &Report, out: &mut dyn Write, lines: bool) -> io::Result<()> {
    write_with(report, report.findings.as_slice(), out, lines)
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
    write_with(report, &Replayed(RefCell::new(replay)), out, lines)
}

fn write_with<F: Serialize + ?Sized>(
    report: &Report,
    findings: &F,
    out: &mut dyn Write,
    lines: bool,
) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    let serialized = if lines {
        report.serialize_with(&mut serde_json::Serializer::new(&mut out), findings)
    } else {
        report.serialize_with(&mut serde_json::Serializer::pretty(&mut out), findings)
    };
    serialized?;
    out.write_all(b"\n")?;
    out.flush()
}

/// A report's findings, serialized as they are made again.
struct Replayed<'r, 'a>(RefCell<&'r mut Replay<'a>>);

impl Serialize for Replayed<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut replay = self
            .0
            .try_borrow_mut()
            .map_err(|_| S::Error::custom("the findings are being written already"))?;
        let mut seq = serializer.serialize_seq(None)?;
        let mut failed = None;
        let made = (*replay)(&mut |finding| match seq.serialize_element(&finding) {
            Ok(()) => true,
            Err(error) => {
                failed = Some(error);
                false
            }
        });
        if let Some(error) = failed {
            return Err(error);
        }
        made.map_err(S::Error::custom)?;
        seq.end()
    }
}
