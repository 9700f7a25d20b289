//! `recert test`: run pack tests.

use std::path::PathBuf;

use clap::Args;
use recert_authoring::packtest::{self, Filter, RunOptions, RunResult};

use crate::args::PluginArgs;
use crate::exit::Exit;
use crate::format::{Format, Formats, Render};
use crate::output::{note, print_diagnostics, write_output};
use crate::plugins;

/// Run pack tests (`*.test.yaml`): what each pack must decide for given submissions.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  recert test                                   # every *.test.yaml under rules/
  recert test rules/eu-packaging.test.yaml --case 'heavy-metal'
  recert test rules/ --rule rohs-lead
  recert test my-packs/ --coverage --format junit -o pack-tests.xml

Each NAME.test.yaml names the pack it tests by id; the pack is looked up among
the packs in the test file's folder (NAME.yaml beside it), then in --packs DIR.
The format is documented in docs/pack-format.md (\"Pack tests\") and
`recert schema pack-test`.

Exit codes: 0 every case passed, 1 a case failed (or, with --coverage, a rule
lacks an outcome), 2 invalid test files, packs or submissions, or no case
matched the filters.")]
pub struct TestArgs {
    /// Test files, or folders searched recursively for `*.test.yaml`.
    #[arg(value_name = "PATH", default_value = "rules/")]
    pub paths: Vec<PathBuf>,

    /// Also look for the packs under test in DIR; may repeat.
    #[arg(long = "packs", value_name = "DIR")]
    pub packs: Vec<PathBuf>,

    /// Only the tests of the pack with this id.
    #[arg(long, value_name = "ID")]
    pub pack: Option<String>,

    /// Only the cases that state an expectation for this rule.
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,

    /// Only the cases whose name contains TEXT (case-insensitive).
    #[arg(long = "case", value_name = "TEXT")]
    pub case: Option<String>,

    /// Also check that the cases saw every rule pass and fail, and every rule
    /// with an `effective` window not in force; a gap fails the run.
    #[arg(long)]
    pub coverage: bool,

    /// Output format.
    #[arg(long, value_parser = FORMATS, default_value = "text")]
    pub format: Format,

    /// Write the output to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub plugins: PluginArgs,
}

/// Output formats of `recert test`.
pub(crate) const FORMATS: Formats = Formats(&[
    (
        Format::Text,
        "A line per case, a diff per failure, `N passed, N failed` last",
    ),
    (Format::Junit, "JUnit XML, for CI systems"),
]);

pub fn run(args: &TestArgs) -> Exit {
    // Plugins are loaded when a pack under test first needs them; a pack
    // whose plugin cannot be loaded does not load, and its diagnostics make
    // the run exit 2.
    let overrides = match plugins::limits(&args.plugins) {
        Ok(overrides) => overrides,
        Err(message) => {
            crate::output::note(format_args!("error: {message}"));
            return Exit::Invalid;
        }
    };
    let registry = plugins::registry(&args.plugins, overrides);
    let filter = Filter {
        pack: args.pack.clone(),
        rule: args.rule.clone(),
        case: args.case.clone(),
    };
    let options = RunOptions {
        plugins: Some(&registry),
        filter: &filter,
        coverage: args.coverage,
        threads: 0,
    };
    let result = packtest::run_paths(&args.paths, &args.packs, &options);
    print_diagnostics(&result.diagnostics);
    let nothing_ran = result.cases.is_empty() && result.not_run.is_empty();
    if nothing_ran && result.diagnostics.is_empty() {
        note(if filter.is_empty() {
            "error: the test files hold no case".to_owned()
        } else {
            format!("error: no case matches {}", describe(&filter))
        });
        return Exit::Invalid;
    }
    let text = match result.render(args.format, &()) {
        Ok(text) => text,
        Err(error) => {
            note(format_args!("error: {error}"));
            return Exit::Invalid;
        }
    };
    write_output(args.output.as_deref(), &text).worst(exit_of(&result))
}

fn exit_of(result: &RunResult) -> Exit {
    if !result.diagnostics.is_empty() {
        Exit::Invalid
    } else if result.failed() > 0 {
        Exit::Fail
    } else {
        Exit::Ok
    }
}

fn describe(filter: &Filter) -> String {
    let mut parts = Vec::new();
    if let Some(pack) = &filter.pack {
        parts.push(format!("--pack {pack}"));
    }
    if let Some(rule) = &filter.rule {
        parts.push(format!("--rule {rule}"));
    }
    if let Some(case) = &filter.case {
        parts.push(format!("--case {case:?}"));
    }
    parts.join(" ")
}
