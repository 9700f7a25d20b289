//! Records the source revision recert is built from, for `engine.revision`
//! in every report: `RECERT_BUILD_REVISION` if set (release builds, builds
//! from a source archive), else the git commit of this source tree with
//! `-dirty` when tracked files differ from it, else `unknown`.
//!
//! The script runs again when the variable changes, when HEAD moves (a
//! commit, a checkout) or when this crate's sources change; the `-dirty`
//! mark is that of the tree at that moment. A release is built from a clean
//! checkout or with `RECERT_BUILD_REVISION` set.

use std::path::{Path, PathBuf};
use std::process::Command;

const VARIABLE: &str = "RECERT_BUILD_REVISION";

fn main() {
    println!("cargo:rerun-if-env-changed={VARIABLE}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src");
    let given = std::env::var(VARIABLE)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    let revision = given
        .or_else(git_revision)
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=RECERT_REVISION={revision}");
}

/// The commit of the tree this crate is in, `-dirty` if a tracked file
/// differs from it; `None` without git, or when this crate's files are not
/// tracked by the repository around them (a copy from a registry).
fn git_revision() -> Option<String> {
    let here = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    watch_head(&here);
    git(&here, &["ls-files", "--error-unmatch", "build.rs"])?;
    let commit = git(&here, &["rev-parse", "--verify", "HEAD"])?;
    // A tree whose state cannot be read is not known to be clean.
    let clean = git(&here, &["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|changes| changes.is_empty());
    Some(if clean {
        commit
    } else {
        format!("{commit}-dirty")
    })
}

/// Runs the script again when HEAD or the branch it is on moves.
fn watch_head(here: &Path) {
    let mut files = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(here, &["rev-parse", "--symbolic-full-name", "HEAD"])
        .filter(|name| name.starts_with("refs/"))
    {
        files.push(branch);
    }
    for file in files {
        if let Some(path) = git(here, &["rev-parse", "--git-path", &file]) {
            let path = here.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}

/// The trimmed output of `git ARGS` in `dir`, if it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8(output.stdout).ok()?.trim().to_owned())
}
