//! Whether the Rust standard library for the plugin target is installed.
//!
//! Shared as a source file (`#[path]`) by `plugins/bundled/build.rs` and
//! `recert plugin build` (`src/cmd/plugin.rs`): a build script cannot depend
//! on the CLI crate, and a crate of its own for one function is not worth it.
//! Each caller words its own error.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The target plugins are built for.
pub const TARGET: &str = "wasm32-wasip2";

/// Whether rustc (`$RUSTC`, else `rustc`, run in `dir` so that a toolchain
/// file there applies) has the standard library for [`TARGET`]; an error
/// when rustc cannot be run.
pub fn installed(dir: Option<&Path>) -> std::io::Result<bool> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let mut command = Command::new(rustc);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let out = command
        .args(["--print", "target-libdir", "--target", TARGET])
        .stdin(Stdio::null())
        .output()?;
    let libdir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    Ok(out.status.success()
        && std::fs::read_dir(&libdir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("libcore-"))
        }))
}
