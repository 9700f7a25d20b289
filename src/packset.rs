//! Loading the packs a command runs: the bundled ones, `--packs DIR`, `--params FILE`.

use std::path::Path;

use recert_engine::load::{Format, Source};
use recert_engine::pack::{self, PackSet, PackSource, ParamsFile};
use recert_engine::{Diagnostic, Diagnostics, Location};

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
            "no-packs",
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
        return Ok(vec![read_pack(dir)?]);
    }
    let entries = std::fs::read_dir(dir).map_err(|error| {
        Diagnostics::one(Diagnostic::new(
            "file-not-found",
            Location::new(dir.display().to_string(), ""),
            format!("cannot read pack folder: {error}"),
        ))
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| is_pack_file(p))
        .collect();
    paths.sort();
    paths.iter().map(|p| read_pack(p)).collect()
}

/// Whether `path` names a pack (not a pack test file).
pub fn is_pack_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.ends_with(".yaml") || name.ends_with(".yml"))
        && !name.ends_with(".test.yaml")
        && !name.ends_with(".test.yml")
        && path.is_file()
}

fn read_pack(path: &Path) -> Result<PackSource, Diagnostics> {
    let source = Source::read(path)?;
    debug_assert_eq!(source.format, Format::Yaml);
    Ok(PackSource {
        name: source.name,
        text: source.text,
        dir: path.parent().map(Path::to_path_buf),
    })
}
