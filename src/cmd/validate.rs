//! `recert validate FILES...`: schema and units, no rules.

use std::path::PathBuf;

use clap::Args;
use recert_engine::Lang;
use recert_engine::load::{self, Source};

use crate::exit::Exit;
use crate::output::{note, print_diagnostics, print_warnings, write_output};

/// `recert validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Submission files (YAML or JSON).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
}

pub fn run(args: &ValidateArgs) -> Exit {
    let mut exit = Exit::Ok;
    let mut out = String::new();
    for path in &args.files {
        let loaded = Source::read(path).and_then(|source| {
            let submission = load::load_submission(&source)?;
            let warnings = load::share_warnings(&submission, Some(&source), Lang::En);
            Ok((submission, warnings))
        });
        match loaded {
            Ok((submission, warnings)) => {
                print_warnings(&warnings);
                out.push_str(&format!("{}: valid ({})\n", path.display(), submission.id));
            }
            Err(diagnostics) => {
                print_diagnostics(&diagnostics);
                out.push_str(&format!(
                    "{}: invalid ({} problem{})\n",
                    path.display(),
                    diagnostics.0.len(),
                    if diagnostics.0.len() == 1 { "" } else { "s" }
                ));
                exit = Exit::Invalid;
            }
        }
    }
    if exit == Exit::Invalid {
        note("");
    }
    exit.worst(write_output(None, &out))
}
