//! `recert explain RULE_ID`: one rule's documentation.

use std::path::PathBuf;

use clap::Args;
use recert_authoring::docgen::DocSet;

use crate::args::LangArg;
use crate::exit::Exit;
use crate::output;

/// Print the documentation of one rule: its requirement, clause, window,
/// guard and the outcomes its pack's tests expect, as on its pack's page
/// (`recert docs`).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  recert explain rohs-lead
  recert explain ppwr-rc-2030-other --lang zh
  recert explain acme-grs-content --packs my-pack/

Exit codes: 0 printed, 2 no such rule, or invalid packs.")]
pub struct ExplainArgs {
    /// The rule's id.
    #[arg(value_name = "RULE_ID")]
    pub rule: String,

    /// Language.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,

    /// Also load the packs (and their test files) in DIR; may repeat. A pack
    /// with the id of a bundled pack replaces it.
    #[arg(long = "packs", value_name = "DIR")]
    pub packs: Vec<PathBuf>,

    /// Do not load the bundled packs (use only those from --packs).
    #[arg(long)]
    pub no_bundled: bool,
}

pub fn run(args: &ExplainArgs) -> Exit {
    let docs = if args.no_bundled {
        DocSet::load(&args.packs)
    } else {
        DocSet::bundled_and(&args.packs)
    };
    let Some(docs) = output::reported(docs) else {
        return Exit::Invalid;
    };
    match docs.explain(&args.rule, args.lang.into()) {
        Some(text) => output::write_output(None, &text),
        None => {
            output::note(format_args!(
                "error[unknown-rule]: no loaded pack has a rule `{}`",
                args.rule
            ));
            if let Some(best) = docs.suggest(&args.rule) {
                output::note(format_args!("  help: did you mean `{best}`?"));
            } else {
                output::note(
                    "  help: `recert packs` lists the rules; add your packs with --packs DIR",
                );
            }
            Exit::Invalid
        }
    }
}
