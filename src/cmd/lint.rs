//! `recert lint`: check packs before they run.

use clap::Args;

use crate::exit::Exit;

#[derive(Debug, Args)]
pub struct LintArgs {}

pub fn run(_args: &LintArgs) -> Exit {
    crate::output::note("not implemented yet");
    Exit::Invalid
}
