//! `recert lint`'s output: one line per finding (text), or one JSON object.

use serde::Serialize;

use recert_core::Code;
use recert_core::format::{Format, Render, RenderError, pretty_json};

use super::{Finding, Level, LintReport};

impl Render for LintReport {
    const WHAT: &'static str = "a lint report";
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json];
    type Options = ();

    /// Text: `file:line:col: code: message` per finding (see [`Finding`]'s
    /// `Display`), each followed by `  help: ...` when it has help. JSON:
    /// [`JsonReport`], indented.
    fn render(&self, format: Format, _: &()) -> Result<String, RenderError> {
        match format {
            Format::Text => {
                let mut text = String::new();
                for finding in &self.findings {
                    text.push_str(&finding.to_string());
                    text.push('\n');
                    if let Some(help) = &finding.diagnostic.help {
                        text.push_str("  help: ");
                        text.push_str(&recert_core::untrusted::text(help));
                        text.push('\n');
                    }
                }
                Ok(text)
            }
            Format::Json => pretty_json(&JsonReport::new(self)),
            _ => Err(RenderError::unsupported::<Self>(format)),
        }
    }
}

/// `recert lint --format json`: a wire format, read by CI scripts and
/// editors. Keys are written in alphabetical order, as they always were;
/// add a field only where it keeps that order.
///
/// ```json
/// { "errors": 1, "findings": [ ... ], "packs": 3, "tests": 3, "warnings": 0 }
/// ```
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// How many findings are errors.
    pub errors: usize,
    /// Every finding, by file, then line and column.
    pub findings: Vec<JsonFinding<'a>>,
    /// How many packs were checked.
    pub packs: usize,
    /// How many pack test files were checked.
    pub tests: usize,
    /// How many findings are warnings.
    pub warnings: usize,
}

/// One finding in [`JsonReport`].
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    /// The diagnostic's code, by its kebab-case name, e.g. `unknown-field`.
    pub code: Code,
    /// How to fix it, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    /// `error` or `warning`.
    pub level: Level,
    /// Where.
    pub location: JsonLocation<'a>,
    /// What is wrong.
    pub message: &'a str,
}

/// Where a [`JsonFinding`] is.
#[derive(Debug, Serialize)]
pub struct JsonLocation<'a> {
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The file as the user named it.
    pub file: &'a str,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// JSON Pointer to the value in the file; left out for the whole file.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub pointer: &'a str,
}

impl<'a> JsonReport<'a> {
    /// The JSON of `report`.
    pub fn new(report: &'a LintReport) -> Self {
        JsonReport {
            errors: report.count(Level::Error),
            findings: report.findings.iter().map(JsonFinding::new).collect(),
            packs: report.packs,
            tests: report.tests,
            warnings: report.count(Level::Warning),
        }
    }
}

impl<'a> JsonFinding<'a> {
    fn new(finding: &'a Finding) -> Self {
        let d = &finding.diagnostic;
        JsonFinding {
            code: d.code,
            help: d.help.as_deref(),
            level: finding.level,
            location: JsonLocation {
                column: d.location.column,
                file: &d.location.file,
                line: d.location.line,
                pointer: &d.location.pointer,
            },
            message: &d.message,
        }
    }
}
