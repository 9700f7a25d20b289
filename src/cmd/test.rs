//! `recert test`: run pack tests.

use clap::Args;

use crate::exit::Exit;

#[derive(Debug, Args)]
pub struct TestArgs {}

pub fn run(_args: &TestArgs) -> Exit {
    crate::output::note("not implemented yet");
    Exit::Invalid
}
