//! Builds the test guests of this folder for the tests and benches that run
//! them: engine/tests/plugin_host.rs, engine/benches/plugin.rs and
//! tests/plugins_cli.rs include this file with `#[path = "..."] mod guests;`.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Builds the guests once per process (`cargo build --target wasm32-wasip2
/// --release` into `REPO/target/test-guests`) and returns the folder that
/// holds their `.wasm` files.
pub fn build(repo: &Path) -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let target_dir = repo.join("target/test-guests");
        let output = Command::new(cargo)
            .current_dir(repo.join("plugins/test-guests"))
            .args([
                "build",
                "--target",
                "wasm32-wasip2",
                "--release",
                "--target-dir",
            ])
            .arg(&target_dir)
            .output()
            .expect("run cargo");
        assert!(
            output.status.success(),
            "building the test guests failed (is the wasm32-wasip2 target installed?):\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        target_dir.join("wasm32-wasip2/release")
    })
}
