//! Arguments several subcommands share: where packs come from, how plugins
//! run, the report language and colour.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use recert_engine::pack::limits::LimitError;

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

/// What to do with a substance or property name that no loaded pack or
/// plugin reads.
#[derive(Debug, Args, Clone, Default)]
pub struct NameArgs {
    /// Make a substance or property name that no loaded pack or plugin reads
    /// (`unknown-name`, a typo such as `total_flourine`) an error (exit 2)
    /// instead of a warning: for certification bodies.
    #[arg(long)]
    pub strict: bool,
}

/// How plugin rules run: per-call limits and the compiled-plugin cache.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Plugins")]
pub struct PluginArgs {
    /// Memory one plugin call may use, e.g. `64MiB`, `512KiB`, `1GiB`.
    /// Overrides every pack's `limits: { memory }`; default 64MiB.
    #[arg(long, value_name = "SIZE", value_parser = parse_plugin_memory)]
    pub plugin_memory: Option<u64>,

    /// Wall time one plugin call may take, e.g. `1s`, `250ms`: a safety net
    /// behind the fuel budget (`--plugin-fuel`). A call that runs longer is
    /// stopped and its rule reported as `error`.
    /// Overrides every pack's `limits: { time }`; default 1s.
    #[arg(long, value_name = "TIME", value_parser = parse_plugin_time)]
    pub plugin_time: Option<std::time::Duration>,

    /// Fuel of one plugin call: about one unit per WebAssembly instruction,
    /// the same on every machine and under any load. A call that uses it up
    /// is stopped and its rule reported as `error`. Default 100000000; also
    /// $RECERT_PLUGIN_FUEL.
    #[arg(long, value_name = "N")]
    pub plugin_fuel: Option<u64>,

    /// Fuel of all the plugin calls of one submission together; once spent,
    /// the submission's remaining plugin rules are reported as `error`.
    /// Default 1000000000 (ten calls' worth); also
    /// $RECERT_PLUGIN_SUBMISSION_FUEL.
    #[arg(long, value_name = "N")]
    pub plugin_submission_fuel: Option<u64>,

    /// The most memory a pack's `limits: { memory }` may give a call; a pack
    /// asking for more gets this, with a warning. Default 256MiB; also
    /// $RECERT_PLUGIN_MEMORY_MAX.
    #[arg(long, value_name = "SIZE", value_parser = parse_plugin_memory)]
    pub plugin_memory_max: Option<u64>,

    /// The most wall time a pack's `limits: { time }` may give a call; a pack
    /// asking for more gets this, with a warning. Default 10s; also
    /// $RECERT_PLUGIN_TIME_MAX.
    #[arg(long, value_name = "TIME", value_parser = parse_plugin_time)]
    pub plugin_time_max: Option<std::time::Duration>,

    /// The largest plugin component recert reads and compiles, e.g. `16MiB`,
    /// `512KiB`: compiling takes CPU and memory that grow with the size.
    /// Default 16MiB; also $RECERT_PLUGIN_SIZE_MAX.
    #[arg(long, value_name = "SIZE", value_parser = parse_plugin_memory)]
    pub plugin_size_max: Option<u64>,

    /// Keep compiled plugins in DIR, so later runs do not compile them again.
    /// Default: $RECERT_CACHE_DIR if set, else $XDG_CACHE_HOME/recert, else
    /// ~/.cache/recert. The folder must be writable only by you.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    #[command(flatten)]
    pub plugin_paths: PluginPathArgs,
}

/// Where plugin files named by packs may be.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PluginPathArgs {
    /// Let packs name plugin files in DIR (repeatable). Otherwise a pack's
    /// plugin `path` must stay inside the pack's folder: no absolute path,
    /// no `..` or symlink leading out. Also read from $RECERT_ALLOW_PLUGIN_PATH
    /// (folders separated as in PATH).
    #[arg(long = "allow-plugin-path", value_name = "DIR")]
    pub allow_plugin_path: Vec<PathBuf>,
}

impl PluginPathArgs {
    /// The folders given on the command line, then those of the environment.
    pub fn allowed(&self) -> Vec<PathBuf> {
        let mut dirs = self.allow_plugin_path.clone();
        if let Some(value) = std::env::var_os("RECERT_ALLOW_PLUGIN_PATH") {
            dirs.extend(std::env::split_paths(&value).filter(|d| !d.as_os_str().is_empty()));
        }
        dirs
    }
}

impl PluginArgs {
    /// `--plugin-fuel`, else `$RECERT_PLUGIN_FUEL`.
    pub fn fuel(&self) -> Result<Option<u64>, String> {
        match self.plugin_fuel {
            Some(n) => Ok(Some(n)),
            None => from_env("RECERT_PLUGIN_FUEL", |t| {
                t.parse::<u64>().map_err(|e| e.to_string())
            }),
        }
    }

    /// `--plugin-submission-fuel`, else `$RECERT_PLUGIN_SUBMISSION_FUEL`.
    pub fn submission_fuel(&self) -> Result<Option<u64>, String> {
        match self.plugin_submission_fuel {
            Some(n) => Ok(Some(n)),
            None => from_env("RECERT_PLUGIN_SUBMISSION_FUEL", |t| {
                t.parse::<u64>().map_err(|e| e.to_string())
            }),
        }
    }

    /// `--plugin-memory-max`, else `$RECERT_PLUGIN_MEMORY_MAX`.
    pub fn memory_max(&self) -> Result<Option<u64>, String> {
        match self.plugin_memory_max {
            Some(n) => Ok(Some(n)),
            None => from_env("RECERT_PLUGIN_MEMORY_MAX", |t| {
                parse_plugin_memory(t).map_err(|e| e.to_string())
            }),
        }
    }

    /// `--plugin-size-max`, else `$RECERT_PLUGIN_SIZE_MAX`.
    pub fn size_max(&self) -> Result<Option<u64>, String> {
        match self.plugin_size_max {
            Some(n) => Ok(Some(n)),
            None => from_env("RECERT_PLUGIN_SIZE_MAX", |t| {
                parse_plugin_memory(t).map_err(|e| e.to_string())
            }),
        }
    }

    /// `--plugin-time-max`, else `$RECERT_PLUGIN_TIME_MAX`.
    pub fn time_max(&self) -> Result<Option<std::time::Duration>, String> {
        match self.plugin_time_max {
            Some(t) => Ok(Some(t)),
            None => from_env("RECERT_PLUGIN_TIME_MAX", |t| {
                parse_plugin_time(t).map_err(|e| e.to_string())
            }),
        }
    }
}

/// The value of environment variable `name`, parsed; `Err` names it.
fn from_env<T>(name: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    match std::env::var(name) {
        Ok(text) if !text.trim().is_empty() => parse(text.trim())
            .map(Some)
            .map_err(|e| format!("${name}=`{text}` is not usable: {e}")),
        _ => Ok(None),
    }
}

fn parse_plugin_memory(text: &str) -> Result<u64, LimitError> {
    recert_engine::pack::limits::parse_memory(text)
}

fn parse_plugin_time(text: &str) -> Result<std::time::Duration, LimitError> {
    recert_engine::pack::limits::parse_time(text)
}

/// The language of a report or listing.
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

/// When the text report is in colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}
