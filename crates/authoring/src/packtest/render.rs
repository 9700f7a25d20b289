//! `recert test`'s output: text for a terminal ([`text`](super::text)) or
//! JUnit XML for CI ([`junit`](super::junit)).

use recert_core::format::{Format, Render, RenderError};

use super::{RunResult, junit, text};

impl Render for RunResult {
    const WHAT: &'static str = "a pack test run";
    const FORMATS: &'static [Format] = &[Format::Text, Format::Junit];
    type Options = ();

    fn render(&self, format: Format, _: &()) -> Result<String, RenderError> {
        match format {
            Format::Text => Ok(text::render(self)),
            Format::Junit => Ok(junit::render(self)),
            _ => Err(RenderError::unsupported::<Self>(format)),
        }
    }
}
