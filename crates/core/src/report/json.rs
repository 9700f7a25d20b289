//! The JSON report: the contract of `schemas/report.schema.json`.

use std::io::{self, Write};

use super::Report;

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
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    if lines {
        serde_json::to_writer(&mut out, report)?;
    } else {
        serde_json::to_writer_pretty(&mut out, report)?;
    }
    out.write_all(b"\n")?;
    out.flush()
}
