//! `recert docs`: generate pack documentation.

use std::path::PathBuf;

use clap::Args;
use recert_authoring::docgen::{self, DocSet};

use crate::exit::Exit;
use crate::output;

/// Generate Markdown pages for packs: one per pack and language
/// (`ID.md`, `ID.zh.md`) and an index (`README.md`).
///
/// Each page gives the pack's standards (with links and how they were
/// verified), what it applies to, its params, and every rule: requirement,
/// clause, window, guard, and the outcomes the pack's tests expect of it.
/// Pages depend only on the packs and their tests, so `--check` can tell when
/// the committed pages are out of date.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  recert docs
  recert docs my-pack/ -o my-pack/docs
  recert docs --check

Exit codes: 0 written (or, with --check, up to date), 1 --check found stale
pages, 2 invalid packs or test files, or a folder that cannot be written.")]
pub struct DocsArgs {
    /// Packs and their test files, or folders of them (their `*.yaml` files).
    #[arg(value_name = "PATH", default_value = "rules")]
    pub paths: Vec<PathBuf>,

    /// The folder to write the pages to.
    #[arg(short, long, value_name = "DIR", default_value = "docs/packs")]
    pub output: PathBuf,

    /// Write nothing; exit 1 naming the pages in DIR that are missing or
    /// differ from what would be generated.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &DocsArgs) -> Exit {
    let Some(docs) = output::reported(DocSet::load(&args.paths)) else {
        return Exit::Invalid;
    };
    let pages = docs.pages();
    if args.check {
        let stale = docgen::stale(&args.output, &pages);
        if stale.is_empty() {
            output::note(format_args!(
                "{} pages in {} are up to date",
                pages.len(),
                args.output.display()
            ));
            return Exit::Ok;
        }
        for page in &stale {
            output::note(format_args!(
                "stale: {} ({})",
                page.path.display(),
                page.reason.as_str()
            ));
        }
        let paths: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        output::note(format_args!(
            "{} of {} pages are stale; regenerate them with `recert docs {} -o {}`",
            stale.len(),
            pages.len(),
            paths.join(" "),
            args.output.display()
        ));
        return Exit::Fail;
    }
    match docgen::write(&args.output, &pages) {
        Ok(changes) => {
            for change in &changes {
                let verb = match change.reason {
                    docgen::StaleReason::Missing => "created",
                    docgen::StaleReason::Differs => "updated",
                    docgen::StaleReason::Extra => "removed",
                };
                output::note(format_args!("{verb} {}", change.path.display()));
            }
            output::note(format_args!(
                "{} pages in {}, {} changed",
                pages.len(),
                args.output.display(),
                changes.len()
            ));
            Exit::Ok
        }
        Err(diagnostics) => {
            output::print_diagnostics(&diagnostics);
            Exit::Invalid
        }
    }
}
