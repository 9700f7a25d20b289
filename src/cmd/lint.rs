//! `recert lint`: check packs before they run.

use std::path::PathBuf;

use clap::Args;
use recert_authoring::lint::{self, BundledPlugin, Level, LintOptions};
use recert_engine::pack;

use crate::exit::Exit;
use crate::format::{Format, Formats, Render};
use crate::output;

/// Check packs (and their test files) for mistakes before they run.
///
/// Errors: what `recert check` would refuse (YAML, the pack schema, CEL
/// syntax, unknown params, standards and plugins, duplicate ids, empty
/// windows), and what would make a rule wrong: a field no valid submission has
/// (`product.sectr`, with a suggestion), `component` outside `for_each`, a
/// message placeholder that cannot be filled, a plugin file that is missing or
/// does not match its sha256 pin; in test files, rule ids and params the pack
/// does not have. Warnings: untranslated texts, overlapping or gapped
/// `effective` windows of one requirement, unused params and standards, ...
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  recert lint
  recert lint my-pack/ --format json
  recert lint rules/eu-packaging.yaml --deny-warnings

Output: one line per finding, `file:line:col: code: message` (warnings say
`code: warning: message`), then its help. Exit codes: 0 no errors, 1 errors
(or warnings with --deny-warnings), 2 a path or file that cannot be read.")]
pub struct LintArgs {
    /// Packs, pack test files (`*.test.yaml`), or folders of them (their
    /// `*.yaml` files, not sub-folders).
    #[arg(value_name = "PATH", default_value = "rules")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_parser = FORMATS, default_value = "text")]
    pub format: Format,

    /// Do not check pack and rule ids against the bundled packs (for packs
    /// always run with `--no-bundled`).
    #[arg(long)]
    pub no_bundled: bool,

    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,

    #[command(flatten)]
    pub plugin_paths: crate::args::PluginPathArgs,
}

/// How findings are written.
pub(crate) const FORMATS: Formats = Formats(&[
    (
        Format::Text,
        "`file:line:col: code: message`, one a line, with help below",
    ),
    (
        Format::Json,
        "One JSON object: `findings` (level, code, message, location, help), counts",
    ),
]);

pub fn run(args: &LintArgs) -> Exit {
    let Some(input) = output::reported(lint::collect(&args.paths)) else {
        return Exit::Invalid;
    };
    let options = LintOptions {
        bundled_plugins: Some(
            recert_bundled_plugins::bundled()
                .iter()
                .map(|p| BundledPlugin {
                    id: p.id.to_owned(),
                    sha256: recert_engine::plugin::sha256_hex(p.wasm),
                })
                .collect(),
        ),
        loaded_with: if args.no_bundled {
            Vec::new()
        } else {
            pack::bundled_sources()
        },
        allowed_plugin_dirs: args.plugin_paths.allowed(),
    };
    let report = lint::lint(&input, &options);
    let (errors, warnings) = (report.count(Level::Error), report.count(Level::Warning));
    let text = match report.render(args.format, &()) {
        Ok(text) => text,
        Err(error) => {
            output::note(format_args!("error: {error}"));
            return Exit::Invalid;
        }
    };
    let written = output::write_output(None, &text);
    if written != Exit::Ok {
        return written;
    }
    output::note(format_args!(
        "{} {}, {} test {}: {errors} {}, {warnings} {}",
        report.packs,
        plural(report.packs, "pack", "packs"),
        report.tests,
        plural(report.tests, "file", "files"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    ));
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        Exit::Fail
    } else {
        Exit::Ok
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
