//! One module per subcommand.

pub mod check;
pub mod docs;
pub mod explain;
pub mod keygen;
pub mod lint;
pub mod packs;
pub mod plugin;
pub mod schema;
pub mod serve;
pub mod test;
pub mod validate;
pub mod verify;

use crate::cli::{Cli, Command};
use crate::exit::Exit;

/// Runs the command line.
pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Packs(args) => packs::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Docs(args) => docs::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Plugin(command) => plugin::run(command),
        Command::Keygen(args) => keygen::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Serve(args) => serve::run(&args),
    }
}
