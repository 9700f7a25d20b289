//! Finding packs in folders: the one listing that `--packs DIR`, `recert
//! lint` and `recert test` share.

use std::io;
use std::path::{Path, PathBuf};

use super::{PackSource, is_pack_file};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};

/// The files directly in `dir` that `keep` accepts (e.g. [`is_pack_file`]),
/// sorted by path. Sub-folders are not read.
pub fn files_in(dir: &Path, keep: impl Fn(&Path) -> bool) -> io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| keep(p) && p.is_file())
        .collect();
    found.sort();
    Ok(found)
}

/// Every pack in `dir`: `*.yaml` and `*.yml`, not `*.test.yaml`, sorted by
/// name (`--packs DIR`). A file path is read as one pack.
///
/// Codes: `file-not-found` (a folder that cannot be read), and those of
/// [`PackSource::read`].
pub fn read_dir(dir: &Path) -> Result<Vec<PackSource>, Diagnostics> {
    if dir.is_file() {
        return Ok(vec![PackSource::read(dir)?]);
    }
    let paths = files_in(dir, is_pack_file).map_err(|error| {
        Diagnostics::one(Diagnostic::new(
            Code::FileNotFound,
            Location::new(dir.display().to_string(), ""),
            format!("cannot read pack folder: {error}"),
        ))
    })?;
    paths.iter().map(|p| PackSource::read(p)).collect()
}
