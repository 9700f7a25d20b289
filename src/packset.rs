//! Loading the packs a command runs: the bundled ones, `--packs DIR`, `--params FILE`.

use std::path::Path;

use recert_engine::load::Source;
use recert_engine::pack::{self, PackSet, PackSource, ParamsFile};
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
        sources.extend(read_dir(dir)?);
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

/// Every pack in `dir`: `*.yaml` and `*.yml`, not `*.test.yaml`, sorted by name.
/// A file path is read as one pack.
pub fn read_dir(dir: &Path) -> Result<Vec<PackSource>, Diagnostics> {
    if dir.is_file() {
        return Ok(vec![PackSource::read(dir)?]);
    }
    let entries = std::fs::read_dir(dir).map_err(|error| {
        Diagnostics::one(Diagnostic::new(
            Code::FileNotFound,
            Location::new(dir.display().to_string(), ""),
            format!("cannot read pack folder: {error}"),
        ))
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| pack::is_pack_file(p) && p.is_file())
        .collect();
    paths.sort();
    paths.iter().map(|p| PackSource::read(p)).collect()
}
