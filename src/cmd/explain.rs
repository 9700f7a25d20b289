//! `recert explain RULE_ID`: one rule's documentation.

use clap::Args;

use crate::exit::Exit;

#[derive(Debug, Args)]
pub struct ExplainArgs {}

pub fn run(_args: &ExplainArgs) -> Exit {
    crate::output::note("not implemented yet");
    Exit::Invalid
}
