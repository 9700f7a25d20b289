//! `recert validate FILES...`: schema and units, no rules; substance and
//! property names that no loaded pack or plugin reads are warned about
//! (errors with `--strict`).

use std::path::PathBuf;

use clap::Args;
use recert_engine::Diagnostics;
use recert_engine::Lang;
use recert_engine::load;
use recert_engine::names::KnownNames;

use crate::args::{LangArg, NameArgs, PackArgs};
use crate::exit::Exit;
use crate::output::{note, print_diagnostics, print_warnings, reported, write_output};
use crate::packset;

/// `recert validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Submission files (YAML or JSON); `-` reads one from standard input
    /// (JSON if it starts with `{`, else YAML).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub names: NameArgs,

    /// Language of the warnings about names and shares.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,

    /// The packs whose names are known (the bundled ones unless told otherwise).
    #[command(flatten)]
    pub packs: PackArgs,
}

pub fn run(args: &ValidateArgs) -> Exit {
    let inputs = crate::inputs::all(&args.files, None);
    if let Err(message) = crate::inputs::check_usage(&inputs, None) {
        note(format_args!("error: {message}"));
        return Exit::Invalid;
    }
    let Some(packs) = reported(packset::load(&args.packs)) else {
        return Exit::Invalid;
    };
    let known = KnownNames::new(&packs);
    let mut exit = Exit::Ok;
    let mut out = String::new();
    for path in &args.files {
        let name = crate::inputs::name(path);
        let loaded = crate::inputs::read(path).and_then(|source| {
            let source = std::sync::Arc::new(source);
            let submission = load::load_shared(std::sync::Arc::clone(&source))?;
            let lang = Lang::from(args.lang);
            let unknown = known.check(&submission, Some(&source), args.names.strict, lang);
            if args.names.strict && !unknown.is_empty() {
                return Err(Diagnostics(unknown));
            }
            let mut warnings = load::share_warnings(&submission, Some(&source), lang);
            warnings.extend(unknown);
            Ok((submission, warnings))
        });
        match loaded {
            Ok((submission, warnings)) => {
                print_warnings(&warnings);
                let count = match warnings.len() {
                    0 => String::new(),
                    1 => ", 1 warning".to_owned(),
                    n => format!(", {n} warnings"),
                };
                out.push_str(&format!("{name}: valid ({}{count})\n", submission.id));
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
