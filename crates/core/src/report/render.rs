//! A report in the format asked for: the one entry point to the renderers.

use super::{Report, html, json, markdown, text};
use crate::format::{Format, Render, RenderError};

/// What rendering a report needs besides the format.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Text: use ANSI colours.
    pub color: bool,
    /// JSON: one line (for JSON Lines, one report per line) instead of
    /// indented.
    pub json_lines: bool,
    /// HTML: only the report's `<section>`, for a document of several
    /// (between [`html::document_start`] and [`html::DOCUMENT_END`]).
    pub html_section: bool,
}

impl Report {
    /// Writes the report in `format` to `out`, as [`Render::render`] would
    /// render it; JSON is written as it is serialized, never held whole.
    pub fn render_to(
        &self,
        format: Format,
        options: &RenderOptions,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match format {
            Format::Json => json::write(self, out, options.json_lines),
            _ => {
                let text = self
                    .render(format, options)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                out.write_all(text.as_bytes())
            }
        }
    }
}

impl Render for Report {
    const WHAT: &'static str = "a report";
    const FORMATS: &'static [Format] =
        &[Format::Text, Format::Json, Format::Markdown, Format::Html];
    type Options = RenderOptions;

    fn render(&self, format: Format, options: &RenderOptions) -> Result<String, RenderError> {
        Ok(match format {
            Format::Text => text::render(
                self,
                text::TextOptions {
                    color: options.color,
                },
            ),
            Format::Json if options.json_lines => {
                let mut line = serde_json::to_string(self).unwrap_or_default();
                line.push('\n');
                line
            }
            Format::Json => json::render(self),
            Format::Markdown => markdown::render(self),
            Format::Html if options.html_section => html::section(self),
            Format::Html => html::render(self),
            Format::Junit | Format::Sarif => return Err(RenderError::unsupported::<Self>(format)),
        })
    }
}
