//! Submission files as the command line names them: `-` is standard input,
//! and a report never overwrites a file it was made from.

use std::path::{Path, PathBuf};

use recert_engine::Diagnostics;
use recert_engine::load::Source;

/// The argument that stands for standard input.
pub const STDIN_ARG: &str = "-";

/// Whether `path` is `-` (standard input).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN_ARG
}

/// What diagnostics and listings call `path`: `<stdin>` for `-`.
pub fn name(path: &Path) -> String {
    if is_stdin(path) {
        recert_engine::load::STDIN_NAME.to_owned()
    } else {
        path.display().to_string()
    }
}

/// The submission at `path`, or standard input for `-` (named `<stdin>`).
pub fn read(path: &Path) -> Result<Source, Diagnostics> {
    if is_stdin(path) {
        Source::read_stdin()
    } else {
        Source::read(path)
    }
}

/// The usage errors of the inputs of a command writing to `output`:
/// standard input named more than once, or `output` being one of `inputs`
/// (the same file, by any path: the report would overwrite it).
pub fn check_usage(inputs: &[&Path], output: Option<&Path>) -> Result<(), String> {
    if inputs.iter().filter(|p| is_stdin(p)).count() > 1 {
        return Err("standard input (`-`) can be read only once".to_owned());
    }
    if let Some(output) = output
        && let Some(input) = inputs
            .iter()
            .find(|input| !is_stdin(input) && same_file(input, output))
    {
        return Err(format!(
            "-o {} names the input file {}: the report would overwrite it; write it to another file",
            output.display(),
            input.display()
        ));
    }
    Ok(())
}

/// Whether `a` and `b` are the same existing file: the same device and
/// inode on Unix (hard links and symlinks included), else the same
/// canonical path.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Every file of `files` as a path, with `extra` (e.g. `--params`).
pub fn all<'a>(files: &'a [PathBuf], extra: Option<&'a PathBuf>) -> Vec<&'a Path> {
    files.iter().chain(extra).map(PathBuf::as_path).collect()
}
