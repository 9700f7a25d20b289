//! `recert plugin new|build|inspect`: plugin author tooling.

use clap::Subcommand;

use crate::exit::Exit;

#[derive(Debug, Subcommand)]
pub enum PluginCommand {}

pub fn run(command: PluginCommand) -> Exit {
    match command {}
}
