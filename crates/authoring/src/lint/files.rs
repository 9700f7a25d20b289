//! Which files lint reads: packs and pack test files under the paths given.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use recert_core::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use recert_core::load::{Format, Source};
use recert_core::pack::{PackSource, files_in, is_pack_file, is_test_file};

/// A pack test file to lint.
#[derive(Debug, Clone)]
pub struct TestSource {
    /// Its text.
    pub source: Source,
    /// Its folder (submission files are relative to it).
    pub dir: PathBuf,
}

/// What lint reads.
#[derive(Debug, Clone, Default)]
pub struct LintInput {
    /// The packs.
    pub packs: Vec<PackSource>,
    /// The pack test files.
    pub tests: Vec<TestSource>,
}

/// Reads the files under `paths`. A file is a pack, or a pack test file when
/// it is named `*.test.yaml`; a folder gives the `*.yaml` files directly in
/// it, as `--packs DIR` does (sub-folders, such as fixtures, are not read).
///
/// Fails, with codes `file-not-found`, `file-unreadable`, `not-utf8`,
/// `too-large` or `nothing-to-lint`, when a path or a file cannot be read:
/// such input is not a pack lint can judge.
pub fn collect(paths: &[PathBuf]) -> Result<LintInput, Diagnostics> {
    let mut input = LintInput::default();
    let mut diagnostics = Diagnostics::default();
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        match std::fs::metadata(path) {
            Err(error) => diagnostics.push(Diagnostic::new(
                Code::FileNotFound,
                Location::new(name.clone(), ""),
                format!("cannot read {name}: {error}"),
            )),
            Ok(meta) if meta.is_dir() => {
                match files_in(path, |p| is_pack_file(p) || is_test_file(p)) {
                    Ok(found) => {
                        if found.is_empty() {
                            diagnostics.push(Diagnostic::new(
                                Code::NothingToLint,
                                Location::new(name.clone(), ""),
                                format!("no packs (`*.yaml`) in {name}"),
                            ));
                        }
                        files.extend(found);
                    }
                    Err(error) => diagnostics.push(Diagnostic::new(
                        Code::FileUnreadable,
                        Location::new(name.clone(), ""),
                        format!("cannot read the folder {name}: {error}"),
                    )),
                }
            }
            Ok(_) => files.push(path.clone()),
        }
    }
    let mut seen = HashSet::new();
    files.retain(|p| seen.insert(p.clone()));
    for path in files {
        if is_test_file(&path) {
            match Source::read(&path) {
                Ok(source) => input.tests.push(TestSource {
                    source: Source::from_text(source.name, source.text, Format::Yaml),
                    dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
                }),
                Err(errors) => diagnostics.0.extend(errors.0),
            }
        } else {
            match PackSource::read(&path) {
                Ok(pack) => input.packs.push(pack),
                Err(errors) => diagnostics.0.extend(errors.0),
            }
        }
    }
    diagnostics.into_result(input)
}
