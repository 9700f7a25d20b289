//! What the server loads once and every request reads: the packs and the
//! plugins, and the one way to evaluate a request body into report bytes.

use recert_engine::eval::{self, Options, PluginRunner};
use recert_engine::format::{Format, Render};
use recert_engine::load::{self, Source};
use recert_engine::pack::PackSet;
use recert_engine::plugin::PluginRegistry;
use recert_engine::report::RenderOptions;
use recert_engine::{Diagnostics, Lang};

/// The name a request body goes by in diagnostics, where the CLI names the file.
pub const BODY_NAME: &str = "request body";

/// The packs, params and plugins, loaded at start and shared by every request.
pub struct Service {
    /// The compiled packs, with the operator's params.
    pub packs: PackSet,
    /// The plugin host (`None`: no pack needs one).
    pub plugins: Option<PluginRegistry>,
}

/// One evaluation asked for: the body and the query's `at`, `lang`, `format`.
#[derive(Debug, Clone)]
pub struct Request {
    /// The submission, YAML or JSON.
    pub body: String,
    /// The evaluation date.
    pub at: jiff::civil::Date,
    /// The report's language.
    pub lang: Lang,
    /// The report's format.
    pub format: Format,
}

/// A request evaluated: the report's bytes as `recert check` writes them.
#[derive(Debug)]
pub struct Evaluated {
    /// The rendered report.
    pub body: String,
    /// The report's verdict, e.g. `pass`.
    pub verdict: recert_engine::report::Verdict,
}

impl Service {
    /// Evaluates `request` into the report `recert check --format F --lang L
    /// --at D` writes for the same text, or the diagnostics of a body that
    /// is not a valid submission.
    pub fn evaluate(&self, request: &Request) -> Result<Evaluated, Diagnostics> {
        let format = load::Format::sniff(&request.body);
        let source = Source::from_text(BODY_NAME, request.body.as_str(), format);
        let submission = load::load_submission(&source)?;
        let options = Options {
            date: request.at,
            lang: request.lang,
            plugins: self.plugins.as_ref().map(|r| r as &dyn PluginRunner),
        };
        let report = eval::evaluate(&self.packs, &submission, &options);
        let render = RenderOptions {
            color: false,
            json_lines: false,
            html_section: false,
        };
        // Only a report's formats reach here (the route refuses the others).
        let body = report.render(request.format, &render).unwrap_or_default();
        Ok(Evaluated {
            body,
            verdict: report.verdict,
        })
    }
}
