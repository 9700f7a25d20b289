//! The compiled-artifact cache: one file per (component, engine
//! configuration), so the second `recert check` does not recompile.
//!
//! Why files of our own rather than wasmtime's `cache` feature: that feature
//! brings a zstd C build, a TOML configuration file and a background cleanup
//! thread; this is one directory, `Component::serialize` and
//! `Component::deserialize` (about a millisecond).
//!
//! A file is named `<sha256 of the wasm>-<hash of the engine's compatibility
//! key>.cwasm`, and only this host writes there (the file is written beside
//! its final name and renamed into place, so a reader never sees half a
//! file). Loading an artifact is `unsafe` in wasmtime because it is native
//! code: recert never loads an artifact it did not make itself from the
//! `.wasm` (never one supplied with a plugin), and wasmtime checks the
//! version and configuration recorded in the file. The directory must be
//! writable only by the user running recert, as for any cache of executable
//! code; it is created with mode 0700.
//!
//! Cache failures are never fatal: an unreadable or stale artifact is
//! recompiled and replaced, and a cache that cannot be written is skipped.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Where compiled components are kept.
pub(crate) struct ArtifactCache {
    dir: PathBuf,
    engine_key: String,
}

impl ArtifactCache {
    /// A cache in `dir` for components compiled by `engine`.
    pub(crate) fn new(dir: PathBuf, engine: &Engine) -> ArtifactCache {
        let mut hasher = Sha256Hasher(Sha256::new());
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let digest = hasher.0.finalize();
        let engine_key = recert_core::sha256::sha256_hex(&digest)
            .get(..16)
            .unwrap_or_default()
            .to_owned();
        ArtifactCache { dir, engine_key }
    }

    /// The artifact file for a component whose bytes hash to `wasm_sha256`.
    pub(crate) fn path(&self, wasm_sha256: &str) -> PathBuf {
        self.dir
            .join(format!("{wasm_sha256}-{}.cwasm", self.engine_key))
    }

    /// The cached component, if there is a usable one.
    pub(crate) fn get(&self, engine: &Engine, wasm_sha256: &str) -> Option<Component> {
        // Read into memory rather than `deserialize_file`'s mmap: a file
        // truncated under an mmap (another process, a cleanup) would crash
        // this process with SIGBUS.
        let bytes = std::fs::read(self.path(wasm_sha256)).ok()?;
        // SAFETY: the file was written by `put` below from a component this
        // engine compiled from the wasm whose sha256 is in its name; nobody
        // else's artifacts are ever placed here. wasmtime checks that the
        // bytes were made by this wasmtime version and configuration.
        unsafe { Component::deserialize(engine, &bytes) }.ok()
    }

    /// Stores `component`; failures are ignored (the cache is an optimisation).
    pub(crate) fn put(&self, component: &Component, wasm_sha256: &str) {
        let Ok(bytes) = component.serialize() else {
            return;
        };
        if create_private_dir(&self.dir).is_err() {
            return;
        }
        let path = self.path(wasm_sha256);
        // Unique per process and call, so concurrent writers never share a file.
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let temp = self.dir.join(format!(
            ".{wasm_sha256}-{}.{}.{}.tmp",
            self.engine_key,
            std::process::id(),
            WRITES.fetch_add(1, Ordering::Relaxed)
        ));
        if std::fs::write(&temp, bytes).is_err() || std::fs::rename(&temp, &path).is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Feeds a `Hash` into sha256, so the key is the same in every process.
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        // Not used: the key is the full digest.
        0
    }
}
