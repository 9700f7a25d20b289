//! Loading the packs a command runs: the bundled ones, `--packs DIR`, `--params FILE`.

use recert_engine::load::Source;
use recert_engine::pack::{self, PackSet, ParamsFile};
use recert_engine::{Code, Diagnostic, Diagnostics, Location};

use crate::args::PackArgs;

/// Compiles the packs `args` asks for.
pub fn load(args: &PackArgs) -> Result<PackSet, Diagnostics> {
    let mut sources = if args.no_bundled {
        Vec::new()
    } else {
        pack::bundled_sources()
    };
    for dir in &args.packs {
        sources.extend(pack::read_dir(dir)?);
    }
    if sources.is_empty() {
        return Err(Diagnostics::one(Diagnostic::new(
            Code::NoPacks,
            Location::default(),
            "no packs to run: --no-bundled was given without --packs DIR",
        )));
    }
    let overrides = match &args.params {
        Some(path) => Some(ParamsFile::parse(Source::read(path)?)?),
        None => None,
    };
    pack::compile(&sources, overrides.as_ref())
}
