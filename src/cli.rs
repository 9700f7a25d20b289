//! The command line, as clap reads it. Help texts here are the user's manual.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Checks products against the standards for recycled materials.
///
/// recert reads a product submission (a bill of materials with recycled-content
/// claims, lab results and evidence), runs the applicable rule packs and writes a
/// report: pass, fail or incomplete, and for every rule the value found, the
/// requirement and the clause of the standard.
#[derive(Debug, Parser)]
#[command(
    name = "recert",
    version,
    propagate_version = true,
    after_help = "Examples:
  recert check examples/eee-abs-housing.yaml
  recert check product.yaml --at 2031-09-01 --lang zh
  recert check batch/*.json --format json -o reports.jsonl
  recert validate product.yaml
  recert packs

Exit codes: 0 pass, 1 fail, 2 invalid input or usage, 3 incomplete."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate submissions against the rule packs and write a report.
    ///
    /// Every bundled pack is loaded; each applies only to the products it is
    /// written for (e.g. packaging placed on the EU market). The verdict is
    /// `fail` if any error-severity rule fails, else `incomplete` if anything
    /// could not be evaluated (missing data, a plugin failure), else `pass`.
    #[command(after_help = "Examples:
  recert check examples/packaging-pet-bottle-pass.yaml
  recert check examples/battery-ev-pass.yaml --at 2032-01-01
  recert check product.yaml --format markdown --lang zh -o report.md
  recert check product.yaml --params stricter-limits.yaml
  recert check product.yaml --plugin-time 250ms --plugin-memory 32MiB

Exit codes: 0 pass, 1 fail, 2 invalid input or usage, 3 incomplete.
With several files the worst wins: 2, then 1, then 3.")]
    Check(CheckArgs),

    /// Check submissions against the submission schema and units, without rules.
    #[command(after_help = "Exit codes: 0 all valid, 2 at least one is invalid.")]
    Validate(ValidateArgs),

    /// Print a JSON Schema (2020-12): submission, pack, pack-test or report.
    ///
    /// Point your editor at them for completion and validation, e.g. with a
    /// first line `# yaml-language-server: $schema=schemas/submission.schema.json`.
    Schema(SchemaArgs),

    /// List the packs and their rules.
    Packs(PacksArgs),

    /// Run pack tests (`*.test.yaml`): what each pack must decide for given submissions.
    Test(crate::cmd::test::TestArgs),

    /// Check packs for mistakes before they run: schema, CEL, params, references, field names.
    Lint(crate::cmd::lint::LintArgs),

    /// Generate Markdown documentation for packs, in English and Chinese.
    Docs(crate::cmd::docs::DocsArgs),

    /// Print the documentation of one rule.
    Explain(crate::cmd::explain::ExplainArgs),

    /// Write, build and inspect WebAssembly plugins.
    #[command(subcommand)]
    Plugin(crate::cmd::plugin::PluginCommand),
}

/// Where packs come from.
#[derive(Debug, Args, Clone)]
pub struct PackArgs {
    /// Also load the packs in DIR (every `*.yaml` except `*.test.yaml`); may repeat.
    #[arg(long = "packs", value_name = "DIR")]
    pub packs: Vec<PathBuf>,

    /// Do not load the bundled packs (use only those from --packs).
    #[arg(long)]
    pub no_bundled: bool,

    /// Override pack params from a YAML file: `PACK_ID: {PARAM: VALUE}`.
    #[arg(long, value_name = "FILE")]
    pub params: Option<PathBuf>,
}

/// How plugin rules run: per-call limits and the compiled-plugin cache.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Plugins")]
pub struct PluginArgs {
    /// Memory one plugin call may use, e.g. `64MiB`, `512KiB`, `1GiB`.
    /// Overrides every pack's `limits: { memory }`; default 64MiB.
    #[arg(long, value_name = "SIZE", value_parser = parse_plugin_memory)]
    pub plugin_memory: Option<u64>,

    /// Wall time one plugin call may take, e.g. `1s`, `250ms`. A call that
    /// runs longer is stopped and its rule reported as `error`.
    /// Overrides every pack's `limits: { time }`; default 1s.
    #[arg(long, value_name = "TIME", value_parser = parse_plugin_time)]
    pub plugin_time: Option<std::time::Duration>,

    /// Keep compiled plugins in DIR, so later runs do not compile them again.
    /// Default: $RECERT_CACHE_DIR if set, else $XDG_CACHE_HOME/recert, else
    /// ~/.cache/recert. The folder must be writable only by you.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

fn parse_plugin_memory(text: &str) -> Result<u64, String> {
    recert_engine::plugin::runner::parse_memory(text)
}

fn parse_plugin_time(text: &str) -> Result<std::time::Duration, String> {
    recert_engine::plugin::runner::parse_time(text)
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Submission files (YAML or JSON).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub packs: PackArgs,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Language of the report.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,

    /// Evaluate as of this date (YYYY-MM-DD), e.g. to preview rules that start in 2031.
    /// Default: today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<jiff::civil::Date>,

    /// Write the report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Colour in the text report.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    // Last: its options are listed under their own heading.
    #[command(flatten)]
    pub plugins: PluginArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Submission files (YAML or JSON).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema.
    #[arg(value_enum)]
    pub name: SchemaName,
}

#[derive(Debug, Args)]
pub struct PacksArgs {
    #[command(flatten)]
    pub packs: PackArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,

    /// Language of titles.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a terminal: verdict first, failures first.
    Text,
    /// The report schema (`recert schema report`); several files give JSON Lines.
    Json,
    /// For documents and pull requests.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Text,
    /// JSON.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Simplified Chinese (简体中文).
    Zh,
}

impl From<LangArg> for recert_engine::Lang {
    fn from(lang: LangArg) -> Self {
        match lang {
            LangArg::En => recert_engine::Lang::En,
            LangArg::Zh => recert_engine::Lang::Zh,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaName {
    /// A product submission (`recert.submission/v1`).
    Submission,
    /// A rule pack (`recert.pack/v1`).
    Pack,
    /// A pack test file (`recert.pack-test/v1`).
    PackTest,
    /// A report (`recert.report/v1`).
    Report,
}
