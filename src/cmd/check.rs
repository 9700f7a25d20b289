//! `recert check FILES...`: evaluate submissions and write reports.
//!
//! Submissions are evaluated in parallel, a bounded batch at a time, and
//! their reports written in the order of the files given, so memory does not
//! grow with the number of files.

use std::path::PathBuf;

use clap::Args;
use recert_engine::eval::{self, Options, PluginRunner};
use recert_engine::load;
use recert_engine::pack::PackSet;
use recert_engine::parallel;
use recert_engine::report::{self, RenderOptions, Report};
use recert_engine::{Code, Diagnostics, Lang};

use crate::args::{ColorArg, LangArg, NameArgs, PackArgs, PluginArgs};
use crate::exit::Exit;
use crate::format::{Format, Formats, Render};
use crate::output::{
    print_diagnostics, print_warnings, reported, use_color, write_output, write_output_with,
};
use crate::{packset, plugins};

/// `recert check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Submission files (YAML or JSON); `-` reads one from standard input
    /// (JSON if it starts with `{`, else YAML).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub packs: PackArgs,

    #[command(flatten)]
    pub names: NameArgs,

    /// Report format.
    #[arg(long, value_parser = FORMATS, default_value = "text")]
    pub format: Format,

    /// Language of the report.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,

    /// Evaluate as of this date (YYYY-MM-DD), e.g. to preview rules that start in 2031.
    /// Default: today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<jiff::civil::Date>,

    /// Write the report to FILE instead of stdout (never one of the input files).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Colour in the text report.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    // Last: its options are listed under their own heading.
    #[command(flatten)]
    pub plugins: PluginArgs,
}

/// The formats of a report.
pub(crate) const FORMATS: Formats = Formats(&[
    (
        Format::Text,
        "For a terminal: verdict first, failures first",
    ),
    (
        Format::Json,
        "The report schema (`recert schema report`); several files give JSON Lines",
    ),
    (Format::Markdown, "For documents and pull requests"),
]);

pub fn run(args: &CheckArgs) -> Exit {
    let inputs = crate::inputs::all(&args.files, args.packs.params.as_ref());
    if let Err(message) = crate::inputs::check_usage(&inputs, args.output.as_deref()) {
        crate::output::note(format_args!("error: {message}"));
        return Exit::Invalid;
    }
    let Some(packs) = reported(packset::load(&args.packs)) else {
        return Exit::Invalid;
    };
    let overrides = match plugins::limits(&args.plugins) {
        Ok(overrides) => overrides,
        Err(message) => {
            crate::output::note(format_args!("error: {message}"));
            return Exit::Invalid;
        }
    };
    let Some(registry) = reported(plugins::prepared(&args.plugins, overrides, &packs)) else {
        return Exit::Invalid;
    };
    let date = args.at.unwrap_or_else(|| jiff::Zoned::now().date());
    let options = Options {
        date,
        lang: Lang::from(args.lang),
        plugins: registry.as_ref().map(|r| r as &dyn PluginRunner),
    };
    let color = use_color(args.color, args.output.is_some());
    let several = args.files.len() > 1;
    let render_options = RenderOptions {
        color,
        json_lines: several,
    };
    // One report is written out as it is rendered, not held as text first
    // (the JSON report of a submission with 100 000 components is over a
    // gigabyte); several are rendered in parallel and written in order.
    let written = std::sync::Mutex::new(None);
    // Clap let through only a report's formats, in which a report always renders.
    let render = |report: &Report| -> String {
        if !several {
            let exit = write_output_with(args.output.as_deref(), |out| {
                report.render_to(args.format, &render_options, out)
            });
            if let Ok(mut slot) = written.lock() {
                *slot = Some(exit);
            }
            return String::new();
        }
        report
            .render(args.format, &render_options)
            .unwrap_or_default()
    };

    let known = KnownNames {
        strict: args.names.strict,
        names: recert_engine::names::KnownNames::new(&packs),
    };
    let mut exit = Exit::Ok;
    let mut out = String::new();
    let threads = parallel::threads(0);
    for (batch_index, batch) in args.files.chunks(threads * 8).enumerate() {
        let results = evaluate_batch(batch, &packs, &known, &options, threads, &render);
        for (i, result) in results.into_iter().enumerate() {
            match result {
                Ok((verdict, text, warnings)) => {
                    print_warnings(&warnings);
                    exit = exit.worst(Exit::from(verdict));
                    if several && args.format != Format::Json && (batch_index > 0 || i > 0) {
                        out.push_str(separator(args.format));
                    }
                    out.push_str(&text);
                }
                Err(diagnostics) => {
                    print_diagnostics(&diagnostics);
                    exit = Exit::Invalid;
                }
            }
        }
        if args.output.is_none() {
            exit = exit.worst(write_output(None, &out));
            out.clear();
        }
    }
    match written.into_inner().ok().flatten() {
        Some(written) => exit = exit.worst(written),
        None => {
            if let Some(path) = &args.output {
                exit = exit.worst(write_output(Some(path), &out));
            }
        }
    }
    exit
}

fn separator(format: Format) -> &'static str {
    match format {
        Format::Markdown => "\n---\n\n",
        _ => "\n",
    }
}

/// The verdict, the rendered report and the warnings about the submission
/// (a share written as a fraction, names no pack reads), or why the file
/// cannot be evaluated.
type Outcome = Result<(report::Verdict, String, Vec<recert_engine::Diagnostic>), Diagnostics>;

/// The names the packs read, and whether an unknown one is an error.
struct KnownNames {
    strict: bool,
    names: recert_engine::names::KnownNames,
}

/// Evaluates `files` on up to `threads` threads; results in the order of `files`.
fn evaluate_batch(
    files: &[PathBuf],
    packs: &PackSet,
    known: &KnownNames,
    options: &Options<'_>,
    threads: usize,
    render: &(dyn Fn(&Report) -> String + Sync),
) -> Vec<Outcome> {
    let one = |path: &PathBuf| -> Outcome {
        let source = crate::inputs::read(path)?;
        let submission = load::load_submission(&source)?;
        let unknown = known
            .names
            .check(&submission, Some(&source), known.strict, options.lang);
        if known.strict && !unknown.is_empty() {
            return Err(Diagnostics(unknown));
        }
        let mut warnings = load::share_warnings(&submission, Some(&source), options.lang);
        warnings.extend(unknown);
        let report = eval::evaluate(packs, &submission, options);
        Ok((report.verdict, render(&report), warnings))
    };
    let results = parallel::map(files, threads, one);
    results
        .into_iter()
        .zip(files)
        .map(|(result, path)| {
            result.unwrap_or_else(|| {
                Err(Diagnostics::one(recert_engine::Diagnostic::new(
                    Code::Internal,
                    recert_engine::Location::new(path.display().to_string(), ""),
                    "the evaluation of this file did not finish",
                )))
            })
        })
        .collect()
}
