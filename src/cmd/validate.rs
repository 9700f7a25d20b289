//! `recert validate FILES...`: schema and units, no rules.

use std::path::PathBuf;

use clap::Args;
use recert_engine::load;

use crate::exit::Exit;
use crate::output::{note, print_diagnostics, write_output};

/// `recert validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Submission files (YAML or JSON); `-` reads one from standard input
    /// (JSON if it starts with `{`, else YAML).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
}

pub fn run(args: &ValidateArgs) -> Exit {
    let inputs = crate::inputs::all(&args.files, None);
    if let Err(message) = crate::inputs::check_usage(&inputs, None) {
        note(format_args!("error: {message}"));
        return Exit::Invalid;
    }
    let mut exit = Exit::Ok;
    let mut out = String::new();
    for path in &args.files {
        let name = crate::inputs::name(path);
        match crate::inputs::read(path).and_then(|source| load::load_submission(&source)) {
            Ok(submission) => {
                out.push_str(&format!("{name}: valid ({})\n", submission.id));
            }
            Err(diagnostics) => {
                print_diagnostics(&diagnostics);
                out.push_str(&format!(
                    "{name}: invalid ({} problem{})\n",
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
