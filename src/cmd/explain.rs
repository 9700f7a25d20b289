//! `recert explain RULE_ID`: one rule's documentation; `recert explain
//! --codes`: what each diagnostic code means.

use std::path::PathBuf;

use clap::Args;
use recert_authoring::docgen::DocSet;
use recert_engine::Code;

use crate::args::LangArg;
use crate::exit::Exit;
use crate::output;

/// Print the documentation of one rule: its requirement, clause, window,
/// guard and the outcomes its pack's tests expect, as on its pack's page
/// (`recert docs`). With --codes, list the diagnostic codes instead.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  recert explain rohs-lead
  recert explain ppwr-rc-2030-other --lang zh
  recert explain acme-grs-content --packs my-pack/
  recert explain --codes

Exit codes: 0 printed, 2 no such rule, or invalid packs.")]
pub struct ExplainArgs {
    /// The rule's id.
    #[arg(value_name = "RULE_ID", required_unless_present = "codes")]
    pub rule: Option<String>,

    /// List every diagnostic code (`error[CODE]`, the `code` of lint and of
    /// JSON output) with what it means, instead of explaining a rule.
    #[arg(long, conflicts_with_all = ["rule", "packs", "no_bundled"])]
    pub codes: bool,

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
    let (false, Some(rule)) = (args.codes, args.rule.as_deref()) else {
        // --codes (clap requires one of the two).
        return output::write_output(None, &codes());
    };
    let docs = if args.no_bundled {
        DocSet::load(&args.packs)
    } else {
        DocSet::bundled_and(&args.packs)
    };
    let Some(docs) = output::reported(docs) else {
        return Exit::Invalid;
    };
    match docs.explain(rule, args.lang.into()) {
        Some(text) => output::write_output(None, &text),
        None => {
            output::note(format_args!(
                "error[{}]: no loaded pack has a rule `{rule}`",
                Code::UnknownRule
            ));
            if let Some(best) = docs.suggest(rule) {
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

/// Every diagnostic code and what it means, one a line, the names aligned.
fn codes() -> String {
    let width = Code::ALL.iter().map(|c| c.name().len()).max().unwrap_or(0);
    let mut text = String::new();
    for code in Code::ALL {
        text.push_str(&format!("{:width$}  {}\n", code.name(), code.description()));
    }
    text
}
