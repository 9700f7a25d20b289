//! `recert check FILES...`: evaluate submissions and write reports.
//!
//! Submissions are evaluated in parallel, a bounded batch at a time, and
//! their reports written in the order of the files given, so memory does not
//! grow with the number of files.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use recert_engine::eval::{self, Evaluation, Options, PluginRunner};
use recert_engine::load;
use recert_engine::parallel;
use recert_engine::report::batch::{BatchCounts, InvalidRecord, Tally};
use recert_engine::report::document::{Document, Entry, Located};
use recert_engine::report::{self, RenderOptions, Report};
use recert_engine::{Code, Diagnostics, Lang};

use crate::args::{ColorArg, LangArg, NameArgs, PackArgs, PluginArgs};
use crate::compressed::CompressedSource;
use crate::exit::Exit;
use crate::format::{Format, Formats, Render};
use crate::inputs::{Input, Inputs};
use crate::output::{print_diagnostics, print_warnings, reported, use_color, write_output};
use crate::{packset, plugins};

/// `recert check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Submissions: files (YAML or JSON), folders (their `*.yaml`, `*.yml`
    /// and `*.json` files, recursively, in name order), JSON Lines streams
    /// (`*.jsonl`: one submission per line, named `FILE#LINE`), or `-` for
    /// standard input (JSON if it starts with `{`, else YAML; a stream with
    /// --jsonl). Several inputs make a batch: one record per input, in
    /// order, an input that cannot be evaluated included (verdict `invalid`).
    #[arg(required_unless_present = "files_from", value_name = "INPUTS")]
    pub files: Vec<PathBuf>,

    /// Also check the inputs listed in FILE, one path a line (`-`: read
    /// the list from standard input), after those named.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,

    /// Read every file named (and `-`) as JSON Lines: one submission per line.
    #[arg(long = "jsonl")]
    pub json_lines: bool,

    /// Evaluate on N threads; 0 (the default): one per core. The output
    /// is the same, byte for byte, for any N.
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
    pub jobs: usize,

    /// Write the batch's summary to FILE as JSON (`recert schema summary`):
    /// counts by verdict, the rules failed by the most submissions, counts
    /// per pack. `-` prints it as text on stderr, as on a terminal.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,

    /// No progress and no summary on stderr (for scripts); diagnostics and
    /// warnings are still printed.
    #[arg(short, long)]
    pub quiet: bool,

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

    /// Sign each report with the Ed25519 private key in KEY (`recert
    /// keygen`): a `signature` over the report's canonical JSON (RFC 8785),
    /// which `recert verify` checks. JSON reports only (--format json); in a
    /// batch, every record is signed.
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,

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
    (
        Format::Html,
        "One self-contained page to read, hand over and print on A4 (no network, no script); \
         several inputs give one document, a section per submission, streamed as they come",
    ),
    (
        Format::Sarif,
        "SARIF 2.1.0, for code-scanning views: a result per finding that is not a pass, at its line and column; one log for the whole batch, written when every input is checked",
    ),
    (
        Format::Junit,
        "JUnit XML, for CI: a test suite per submission, a case per rule; one document for the whole batch, written when every input is checked",
    ),
]);

/// The size from which a submission's text is held compressed while it is
/// evaluated (see [`CompressedSource`]).
const COMPRESS_FROM: usize = 1 << 20;

pub fn run(args: &CheckArgs) -> Exit {
    // A single submission is loaded, evaluated and written on one thread
    // (with the stack evaluation needs), so that what one step frees the
    // next reuses: glibc keeps a heap per thread. A report too large
    // to hold is made twice (see `eval::evaluate_bounded`); on two threads
    // the two passes kept two heaps, 120 MB and 103 MB for the 16 MB
    // submission of tests/memory.rs.
    if is_batch(args) {
        run_on(args, parallel::threads(args.jobs))
    } else {
        parallel::with_large_stack(|| run_on(args, 1))
    }
}

/// [`run`] on `threads` threads (1: on this one, when it has a large stack).
fn run_on(args: &CheckArgs, threads: usize) -> Exit {
    let mut named = crate::inputs::all(&args.files, args.packs.params.as_ref());
    named.extend(args.files_from.as_deref());
    if let Err(message) = crate::inputs::check_usage(&named, args.output.as_deref()) {
        crate::output::note(format_args!("error: {message}"));
        return Exit::Invalid;
    }
    if args.sign.is_some() && args.format != Format::Json {
        crate::output::note(format_args!(
            "error: --sign signs JSON reports only, not --format {}: add --format json (`recert verify` reads the JSON report)",
            args.format.name()
        ));
        return Exit::Invalid;
    }
    let key = match args.sign.as_deref().map(signing_key) {
        None => None,
        Some(Ok(key)) => Some(key),
        Some(Err(diagnostics)) => {
            print_diagnostics(&diagnostics);
            return Exit::Invalid;
        }
    };
    let Some(packs) = reported(packset::load(&args.packs)) else {
        return Exit::Invalid;
    };
    let registry = match plugins::host(&args.plugins, &packs) {
        Ok(registry) => registry,
        Err(exit) => return exit,
    };
    let date = args.at.unwrap_or_else(|| jiff::Zoned::now().date());
    let lang = Lang::from(args.lang);
    let options = Options {
        date,
        lang,
        plugins: registry.as_ref().map(|r| r as &dyn PluginRunner),
    };
    let color = use_color(args.color, args.output.is_some());
    let batch = is_batch(args);
    // SARIF and JUnit: one document for every input, written at the end.
    let whole = matches!(args.format, Format::Sarif | Format::Junit);
    let render_options = RenderOptions {
        color,
        json_lines: batch,
        html_section: batch,
    };
    // Clap let through only a report's formats, in which a report always renders.
    let render = |report: &Report| -> String {
        report
            .render(args.format, &render_options)
            .unwrap_or_default()
    };
    let known = KnownNames {
        strict: args.names.strict,
        names: recert_engine::names::KnownNames::new(&packs),
    };
    let one = |input: &Input| -> Outcome {
        let source = std::sync::Arc::new(input.read()?);
        let submission = load::load_shared(std::sync::Arc::clone(&source))?;
        let unknown = known
            .names
            .check(&submission, Some(&source), known.strict, options.lang);
        if known.strict && !unknown.is_empty() {
            return Err(Diagnostics(unknown));
        }
        let mut warnings = load::share_warnings(&submission, Some(&source), options.lang);
        warnings.extend(unknown);
        // A report too large to hold is written as its findings are made
        // again (a signature needs the whole report; SARIF and JUnit are
        // one document for the whole run, held until its end).
        let max_held = if whole || key.is_some() {
            usize::MAX
        } else {
            eval::MAX_HELD_FINDINGS
        };
        // A large text (16 MB at most) is held compressed while the
        // submission is evaluated, and given back, once, for the lines
        // fixes name.
        let mut submission = submission;
        let mut source = Some(source);
        let compressed = match &source {
            Some(text) if max_held != usize::MAX && text.text.len() >= COMPRESS_FROM => {
                let compressed = CompressedSource::new(text);
                (submission.source, source) = (None, None);
                Some(compressed)
            }
            _ => None,
        };
        let source_again = || compressed.as_ref()?.source();
        let evaluation = eval::evaluate_bounded_reading_again(
            &packs,
            &submission,
            &options,
            max_held,
            &source_again,
        );
        let mut report = match evaluation {
            Evaluation::Whole(report) => report,
            Evaluation::Streamed(streamed) => {
                // Making the findings again needs no source text (the
                // lines fixes name were found): 16 MB at most, not held
                // while the report is written.
                drop(source);
                submission.source = None;
                return Ok(Evaluated {
                    verdict: streamed.report.verdict,
                    tally: Tally::with_failed(&streamed.report, streamed.failed.clone()),
                    report: Rendered::Streamed(Box::new((*streamed, submission))),
                    warnings,
                });
            }
        };
        if let Some(key) = &key {
            report.sign(key).map_err(|e| {
                Diagnostics::one(recert_engine::Diagnostic::new(
                    Code::Internal,
                    recert_engine::Location::new(input.name(), ""),
                    format!("cannot sign the report: {e}"),
                ))
            })?;
        }
        let (verdict, tally) = (report.verdict, Tally::of(&report));
        // In a batch, reports are rendered by the workers; a single report is
        // written out as it is rendered, never held whole as text (the JSON
        // report of a submission with 100 000 components is over a gigabyte).
        let report = if whole {
            let stream_line = match input {
                Input::Line { name, .. } => name
                    .rsplit_once('#')
                    .and_then(|(_, line)| line.parse().ok()),
                _ => None,
            };
            // Held: SARIF and JUnit reports are held whole.
            let Some(source) = source else {
                return Err(Diagnostics::one(recert_engine::Diagnostic::new(
                    Code::Internal,
                    recert_engine::Location::new(input.name(), ""),
                    "the submission's text was not held for its report",
                )));
            };
            Rendered::Located(Box::new(Located::new(*report, &source, stream_line)))
        } else if batch {
            Rendered::Text(render(&report))
        } else {
            Rendered::Later(report)
        };
        Ok(Evaluated {
            verdict,
            report,
            warnings,
            tally,
        })
    };

    let mut out = match Output::open(args.output.as_deref()) {
        Ok(out) => out,
        Err(exit) => return exit,
    };
    // A batch's HTML is one document, streamed: its start, each
    // submission's section as it comes, its end.
    let html_document = batch && args.format == Format::Html;
    if html_document {
        out.write(&report::html::document_start(lang, None));
    }
    let progress = Progress::new(args, batch);
    let mut exit = Exit::Ok;
    let mut counts = BatchCounts::default();
    let mut first = true;
    let mut entries: Vec<Entry> = Vec::new();
    let inputs = Inputs::new(&args.files, args.files_from.as_deref(), args.json_lines);
    parallel::stream(inputs, threads, threads * 16, one, |input, result| {
        let result = result.unwrap_or_else(|| {
            Err(Diagnostics::one(recert_engine::Diagnostic::new(
                Code::Internal,
                recert_engine::Location::new(input.name(), ""),
                "the evaluation of this input did not finish",
            )))
        });
        let text = match result {
            Ok(done) => {
                progress.suspend(|| print_warnings(&done.warnings));
                exit = exit.worst(Exit::from(done.verdict));
                counts.add(&done.tally);
                match done.report {
                    Rendered::Text(text) => Some(text),
                    Rendered::Located(located) => {
                        entries.push(Entry::Report(located));
                        None
                    }
                    Rendered::Later(report) => {
                        out.write_with(|w| report.render_to(args.format, &render_options, w));
                        None
                    }
                    Rendered::Streamed(streamed) => {
                        let (streamed, submission) = &*streamed;
                        let mut replay = |emit: &mut dyn FnMut(report::Finding) -> bool| {
                            streamed.replay(&packs, submission, &options, emit)
                        };
                        separate(&mut out, &mut first, batch, args.format);
                        out.write_with(|w| {
                            streamed.report.write_streamed(
                                args.format,
                                &render_options,
                                &mut replay,
                                w,
                            )
                        });
                        None
                    }
                }
            }
            Err(diagnostics) => {
                progress.suspend(|| print_diagnostics(&diagnostics));
                exit = Exit::Invalid;
                counts.add(&Tally::invalid());
                if whole {
                    entries.push(Entry::Invalid(InvalidRecord::new(
                        input.name(),
                        diagnostics,
                    )));
                    progress.inc();
                    return;
                }
                // Alone, an invalid input has no report; in a batch, a record.
                batch.then(|| {
                    let mut record = InvalidRecord::new(input.name(), diagnostics);
                    if let Some(key) = &key
                        && let Err(e) = record.sign(key)
                    {
                        crate::output::note(format_args!("error: cannot sign the record: {e}"));
                    }
                    record.render(args.format, lang, color)
                })
            }
        };
        if let Some(text) = text {
            separate(&mut out, &mut first, batch, args.format);
            out.write(&text);
        }
        progress.inc();
    });
    progress.finish();
    if whole {
        let document = Document {
            packs: &packs,
            lang,
            entries,
        };
        match document.render(args.format, &()) {
            Ok(text) => out.write(&text),
            Err(error) => {
                crate::output::note(format_args!("error: {error}"));
                exit = Exit::Invalid;
            }
        }
    }
    if html_document {
        out.write(report::html::DOCUMENT_END);
    }
    exit = exit.worst(out.finish());

    let summary = counts.summary();
    let summary_to_stderr = args.summary.as_deref().is_some_and(crate::inputs::is_stdin);
    if batch && !args.quiet && (summary_to_stderr || std::io::stderr().is_terminal()) {
        crate::output::note(summary.to_text(lang, 10).trim_end());
    }
    if let Some(path) = args
        .summary
        .as_deref()
        .filter(|p| !crate::inputs::is_stdin(p))
    {
        exit = exit.worst(write_output(Some(path), &summary.to_json()));
    }
    exit
}

/// The private key of `--sign KEY`.
pub(crate) fn signing_key(
    path: &std::path::Path,
) -> Result<report::signature::SigningKey, Diagnostics> {
    let fail = |code: Code, message: String| {
        Diagnostics::one(recert_engine::Diagnostic::new(
            code,
            recert_engine::Location::new(path.display().to_string(), ""),
            message,
        ))
    };
    let source = recert_engine::load::Source::read(path)?;
    report::signature::read_private_key(&source.text)
        .map_err(|e| fail(Code::InvalidKey, format!("{}: {e}", path.display())))
}

/// Whether the inputs make a batch (one record per input, JSON Lines for
/// `--format json`): more than one path, a folder, a JSON Lines stream or
/// a `--files-from` list. A single submission file gives a single report.
fn is_batch(args: &CheckArgs) -> bool {
    args.files.len() > 1
        || args.files_from.is_some()
        || args.json_lines
        || args
            .files
            .iter()
            .any(|p| crate::inputs::is_json_lines(p) || (!crate::inputs::is_stdin(p) && p.is_dir()))
}

/// Writes what goes before a report of a batch in `format`: nothing
/// before the first (`first` is then cleared), nor between JSON Lines.
fn separate(out: &mut Output, first: &mut bool, batch: bool, format: Format) {
    if !std::mem::replace(first, false) && batch && format != Format::Json {
        out.write(separator(format));
    }
}

fn separator(format: Format) -> &'static str {
    match format {
        Format::Markdown => "\n---\n\n",
        // Sections follow each other; each starts a page when printed.
        Format::Html => "",
        _ => "\n",
    }
}

/// A submission evaluated: its verdict, rendered report, the warnings
/// about it (a share written as a fraction, names no pack reads) and what
/// the summary counts of it.
struct Evaluated {
    verdict: report::Verdict,
    report: Rendered,
    warnings: Vec<recert_engine::Diagnostic>,
    tally: Tally,
}

/// A report rendered by the worker (in a batch), to be written as it is
/// rendered (a single report), located in its file for the document of
/// the whole run (SARIF, JUnit), or a report too large to hold, with
/// the submission its findings are made again from as it is written.
enum Rendered {
    Text(String),
    Later(Box<Report>),
    Located(Box<Located>),
    Streamed(Box<(eval::Streamed, load::Submission)>),
}

/// An evaluated submission, or why the input cannot be evaluated.
type Outcome = Result<Evaluated, Diagnostics>;

/// The names the packs read, and whether an unknown one is an error.
struct KnownNames {
    strict: bool,
    names: recert_engine::names::KnownNames,
}

/// Where reports go, one at a time: `-o FILE` or stdout. After a write
/// error (a closed pipe included) nothing more is written.
struct Output {
    /// `None` after an error.
    writer: Option<std::io::BufWriter<Box<dyn Write>>>,
    /// `-o FILE`, or `None` for stdout.
    path: Option<PathBuf>,
    exit: Exit,
}

impl Output {
    fn open(path: Option<&std::path::Path>) -> Result<Output, Exit> {
        let writer: Box<dyn Write> = match path {
            Some(path) => match std::fs::File::create(path) {
                Ok(file) => Box::new(file),
                Err(error) => {
                    crate::output::note(format_args!(
                        "error: cannot write {}: {error}",
                        path.display()
                    ));
                    return Err(Exit::Invalid);
                }
            },
            None => Box::new(std::io::stdout()),
        };
        Ok(Output {
            writer: Some(std::io::BufWriter::new(writer)),
            path: path.map(std::path::Path::to_path_buf),
            exit: Exit::Ok,
        })
    }

    fn write(&mut self, text: &str) {
        self.write_with(|writer| writer.write_all(text.as_bytes()));
    }

    /// Writes with `write`, which may write in many pieces.
    fn write_with(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        if let Some(writer) = &mut self.writer
            && let Err(error) = write(writer)
        {
            self.exit = crate::output::write_failed(self.path.as_deref(), &error);
            self.writer = None;
        }
    }

    fn finish(mut self) -> Exit {
        if let Some(mut writer) = self.writer.take()
            && let Err(error) = writer.flush()
        {
            self.exit = crate::output::write_failed(self.path.as_deref(), &error);
        }
        self.exit
    }
}

/// The progress of a batch on stderr, when it is a terminal (and not
/// `--quiet`): a bar with count, rate and time left when the number of
/// inputs is known (files named one by one), else the count and rate.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(args: &CheckArgs, batch: bool) -> Progress {
        if !batch || args.quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let known = args.files_from.is_none()
            && !args.json_lines
            && args
                .files
                .iter()
                .all(|p| !crate::inputs::is_json_lines(p) && !p.is_dir());
        let (bar, template) = if known {
            (
                indicatif::ProgressBar::new(args.files.len() as u64),
                "{bar:30} {pos}/{len} · {rate} · {eta} left",
            )
        } else {
            (
                indicatif::ProgressBar::new_spinner(),
                "{spinner} {pos} · {rate} · {elapsed}",
            )
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                },
            ));
        }
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        Progress(Some(bar))
    }

    fn inc(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Runs `f` (which prints to stderr) with the bar out of the way.
    fn suspend(&self, f: impl FnOnce()) {
        match &self.0 {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
