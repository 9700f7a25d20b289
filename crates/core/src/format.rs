//! The formats recert writes its reports and listings in, and the one way to
//! write each: [`Render::render`].
//!
//! Every command that writes a report or a listing takes `--format` with the
//! formats of its output ([`Render::FORMATS`]); one output, one `render`.

use std::fmt;

/// A format of a report or a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// For people: a terminal or a log.
    Text,
    /// For programs. Each output's JSON is a wire format, documented on the
    /// type it is made from.
    Json,
    /// For documents, tickets and pull requests.
    Markdown,
    /// JUnit XML, for CI systems.
    Junit,
    /// SARIF 2.1.0 (JSON), for code-scanning views.
    Sarif,
    /// One self-contained HTML document, to read in a browser and print on A4.
    Html,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Sarif,
        Format::Html,
    ];

    /// `text`, `json`, `markdown`, `junit`, `sarif` or `html`, as `--format` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
            Format::Sarif => "sarif",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Something recert writes in one of several formats: a report, lint
/// findings, pack test results, a listing.
pub trait Render {
    /// What it is, for errors: `a report`.
    const WHAT: &'static str;

    /// The formats it can be written in.
    const FORMATS: &'static [Format];

    /// What rendering needs besides the format (`()` when nothing).
    type Options;

    /// The output in `format`: text that ends with a newline, ready to be
    /// written as it is. Fails for a format not in [`Render::FORMATS`].
    fn render(&self, format: Format, options: &Self::Options) -> Result<String, RenderError>;
}

/// Why an output could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The output has no such format.
    #[error("{what} cannot be written as {format}")]
    Unsupported {
        /// The output ([`Render::WHAT`]).
        what: &'static str,
        /// The format asked for.
        format: Format,
    },
    /// The output could not be serialized.
    #[error("cannot write JSON: {0}")]
    Json(String),
    /// The output could not be written as XML.
    #[error("cannot write XML: {0}")]
    Xml(String),
}

impl RenderError {
    /// `R` cannot be written as `format`.
    pub fn unsupported<R: Render + ?Sized>(format: Format) -> Self {
        RenderError::Unsupported {
            what: R::WHAT,
            format,
        }
    }
}

/// `value` as JSON indented by two spaces, with a final newline: the layout
/// of recert's JSON outputs.
pub fn pretty_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, RenderError> {
    match serde_json::to_string_pretty(value) {
        Ok(text) => Ok(text + "\n"),
        Err(error) => Err(RenderError::Json(error.to_string())),
    }
}
