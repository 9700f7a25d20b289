//! `recert docs`: generate pack documentation.

use clap::Args;

use crate::exit::Exit;

#[derive(Debug, Args)]
pub struct DocsArgs {}

pub fn run(_args: &DocsArgs) -> Exit {
    crate::output::note("not implemented yet");
    Exit::Invalid
}
