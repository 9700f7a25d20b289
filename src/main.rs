//! `recert`: checks products against the standards for recycled materials.
//!
//! Each subcommand lives in its own module under `cmd/`; they are thin: read
//! input, call the engine, write output, pick the exit code.

mod args;
mod cli;
mod cmd;
mod compressed;
mod exit;
mod format;
mod inputs;
mod output;
mod packset;
mod plugins;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = cmd::run(cli);
    ExitCode::from(code as u8)
}
