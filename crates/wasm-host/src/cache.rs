//! The compiled-artifact cache: one file per (component, engine
//! configuration), so the second `recert check` does not recompile.
//!
//! Why files of our own rather than wasmtime's `cache` feature: that feature
//! brings a zstd C build, a TOML configuration file and a background cleanup
//! thread; this is one directory, `Component::serialize` and
//! `Component::deserialize` (about a millisecond).
//!
//! A file is named `<sha256 of the wasm>-<hash of the engine's compatibility
//! key>.cwasm` and is written beside its final name and renamed into place,
//! so a reader never sees half a file.
//!
//! # Nothing is loaded that this cache did not make
//!
//! Loading an artifact is `unsafe` in wasmtime: it is native code, run as
//! is. This is the one place in the host allowed to say `unsafe`
//! (`unsafe_code` is denied in the workspace's lints; the only other
//! exception is the plugin SDK's generated guest bindings). A file name proves nothing (anyone who can write the folder can copy
//! another plugin's artifact under the pinned plugin's name, and flipped
//! bytes in the code crash the process), so every artifact carries a tag:
//! HMAC-SHA256, keyed with a secret of this cache, over the sha256 of the
//! wasm it was compiled from, the engine key and the artifact's bytes. The
//! file is `MAGIC`, the 32-byte tag, then the artifact. The tag is checked
//! (in constant time) before `Component::deserialize`; on any mismatch the
//! artifact is never loaded: the wasm is compiled again and the file
//! replaced.
//!
//! The key is 32 random bytes in the file `key` in the cache folder, made on
//! first use with mode 0600. The folder is created with mode 0700.
//!
//! # A folder others can write is refused, not repaired
//!
//! Before using the folder the cache checks (on Unix) that the folder
//! belongs to the user running recert and is not writable by group or
//! others, and that the key file is a regular file of that user that group
//! and others can neither read nor write. If not, the cache is not used for
//! the whole process (every plugin is compiled, as without a cache) and the
//! embedder is told once ([`HostEvent::CacheRefused`]). recert never changes
//! the permissions of a folder it finds: it cannot tell whether it made it,
//! and a key that others could read or replace proves nothing; the operator
//! fixes the folder (`chmod 700 DIR`, or remove it and let recert make it).
//!
//! Not defended here: a process of the same user (it can read the key) and
//! parent folders that others can write (they can replace the whole folder;
//! the owner and mode checks then refuse it unless they made it look right).
//!
//! Cache failures are never fatal: an unreadable, stale or forged artifact
//! is recompiled and replaced, and a cache that cannot be written is skipped.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

use super::events::{HostEvent, HostObserver};

/// The start of every artifact file: the format of what follows.
const MAGIC: &[u8; 8] = b"rcwasm1\n";
/// The length of the tag after [`MAGIC`].
const TAG_BYTES: usize = 32;
/// The length of the key.
const KEY_BYTES: usize = 32;
/// The key file, in the cache folder.
const KEY_FILE: &str = "key";
/// The largest artifact read (a component of the largest accepted size
/// compiles to a few times its size).
const MAX_ARTIFACT_BYTES: u64 = 512 * 1024 * 1024;

type HmacSha256 = Hmac<Sha256>;

/// Where compiled components are kept.
pub(crate) struct ArtifactCache {
    dir: PathBuf,
    engine_key: String,
    observer: Option<HostObserver>,
    /// The key, read or made on first use; `None`: the cache is not used.
    key: OnceLock<Option<[u8; KEY_BYTES]>>,
}

impl ArtifactCache {
    /// A cache in `dir` for components compiled by `engine`; nothing is
    /// touched on disk until it is first used.
    pub(crate) fn new(
        dir: PathBuf,
        engine: &Engine,
        observer: Option<HostObserver>,
    ) -> ArtifactCache {
        let mut hasher = Sha256Hasher(Sha256::new());
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let digest = hasher.0.finalize();
        let engine_key = recert_core::sha256::sha256_hex(&digest)
            .get(..16)
            .unwrap_or_default()
            .to_owned();
        ArtifactCache {
            dir,
            engine_key,
            observer,
            key: OnceLock::new(),
        }
    }

    /// The artifact file for a component whose bytes hash to `wasm_sha256`.
    pub(crate) fn path(&self, wasm_sha256: &str) -> PathBuf {
        self.dir
            .join(format!("{wasm_sha256}-{}.cwasm", self.engine_key))
    }

    /// The cache's key, or `None` when the cache is not to be used.
    fn key(&self) -> Option<&[u8; KEY_BYTES]> {
        self.key
            .get_or_init(|| match open_key(&self.dir) {
                Ok(key) => key,
                Err(Refused(reason)) => {
                    if let Some(observer) = &self.observer {
                        observer(&HostEvent::CacheRefused {
                            dir: &self.dir,
                            reason: &reason,
                        });
                    }
                    None
                }
            })
            .as_ref()
    }

    /// The tag of `artifact`, compiled from the wasm whose sha256 is `wasm_sha256`.
    /// (`None` only if HMAC refused the key, which it does not for any length.)
    fn mac(&self, key: &[u8; KEY_BYTES], wasm_sha256: &str, artifact: &[u8]) -> Option<HmacSha256> {
        let mut mac = HmacSha256::new_from_slice(key).ok()?;
        // Fixed-length fields, each preceded by its length: no two different
        // inputs give the same message.
        for field in [
            b"recert compiled artifact v1".as_slice(),
            wasm_sha256.as_bytes(),
            self.engine_key.as_bytes(),
        ] {
            mac.update(&u64::try_from(field.len()).unwrap_or(u64::MAX).to_le_bytes());
            mac.update(field);
        }
        mac.update(artifact);
        Some(mac)
    }

    /// The cached component, if there is one this cache made for this wasm
    /// and engine (its tag checks out).
    pub(crate) fn get(&self, engine: &Engine, wasm_sha256: &str) -> Option<Component> {
        let key = self.key()?;
        // Read into memory rather than `deserialize_file`'s mmap: a file
        // truncated under an mmap (another process, a cleanup) would crash
        // this process with SIGBUS.
        let bytes =
            recert_core::load::read_bounded(&self.path(wasm_sha256), MAX_ARTIFACT_BYTES).ok()?;
        let rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let tag = rest.get(..TAG_BYTES)?;
        let artifact = rest.get(TAG_BYTES..)?;
        self.mac(key, wasm_sha256, artifact)?
            .verify_slice(tag)
            .ok()?;
        // SAFETY: the tag proves that `put` below wrote these bytes, with this
        // cache's secret key, from a component this engine configuration
        // compiled from the wasm whose sha256 is `wasm_sha256`. wasmtime
        // also checks that they were made by this version and configuration.
        #[allow(unsafe_code)] // The host's one `unsafe`: see the module doc.
        unsafe { Component::deserialize(engine, artifact) }.ok()
    }

    /// Stores `component`; failures are ignored (the cache is an optimisation).
    pub(crate) fn put(&self, component: &Component, wasm_sha256: &str) {
        let Some(key) = self.key() else {
            return;
        };
        let Ok(artifact) = component.serialize() else {
            return;
        };
        let Some(mac) = self.mac(key, wasm_sha256, &artifact) else {
            return;
        };
        let tag = mac.finalize().into_bytes();
        let mut bytes = Vec::with_capacity(MAGIC.len() + TAG_BYTES + artifact.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&tag);
        bytes.extend_from_slice(&artifact);
        let path = self.path(wasm_sha256);
        let temp = self.temp_name(&format!("{wasm_sha256}-{}", self.engine_key));
        if write_private(&temp, &bytes).is_err() || std::fs::rename(&temp, &path).is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }

    /// A file name in the folder unique per process and call, so concurrent
    /// writers never share a file.
    fn temp_name(&self, stem: &str) -> PathBuf {
        temp_in(&self.dir, stem)
    }
}

fn temp_in(dir: &Path, stem: &str) -> PathBuf {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    dir.join(format!(
        ".{stem}.{}.{}.tmp",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Why the cache folder is not used (a sentence).
struct Refused(String);

/// The key of the cache in `dir`, made (with the folder) if there is none.
/// `Ok(None)`: no random key could be had; `Err`: the folder cannot be
/// made, is not a folder, cannot be written or is not safe to use (the
/// embedder is told why, once).
fn open_key(dir: &Path) -> Result<Option<[u8; KEY_BYTES]>, Refused> {
    if let Err(e) = create_private_dir(dir) {
        let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "it is a file, not a folder".to_owned()
        } else {
            format!("it cannot be created ({e})")
        };
        return Err(Refused(why));
    }
    let meta = std::fs::metadata(dir).map_err(|e| Refused(format!("it cannot be read ({e})")))?;
    if !meta.is_dir() {
        return Err(Refused("it is not a folder".to_owned()));
    }
    check_private(&meta, "the folder", 0o022)?;
    let path = dir.join(KEY_FILE);
    match read_key(&path)? {
        Some(key) => Ok(Some(key)),
        None => make_key(dir, &path),
    }
}

/// The key in `path`; `Ok(None)` when there is no such file.
fn read_key(path: &Path) -> Result<Option<[u8; KEY_BYTES]>, Refused> {
    let refused = |why: String| Refused(format!("its key file {}: {why}", path.display()));
    let (file, meta) = match recert_core::load::open_regular(path) {
        Ok(opened) => opened,
        Err(recert_core::load::ReadError::NotFound) => return Ok(None),
        Err(e) => return Err(refused(format!("cannot be used: {e}"))),
    };
    // Readable by others is as bad as writable: whoever knows the key can
    // make artifacts that pass the check.
    check_private(&meta, "the key file", 0o077)?;
    let bytes = recert_core::load::read_opened(file, &meta, KEY_BYTES as u64)
        .map_err(|e| refused(format!("cannot be read: {e}")))?;
    <[u8; KEY_BYTES]>::try_from(bytes.as_slice())
        .map(Some)
        .map_err(|_| refused(format!("is not {KEY_BYTES} bytes long")))
}

/// Makes the key file of `dir` (mode 0600). Two processes may race: the key
/// is written to a file of its own and linked into place only if there is
/// none yet, so both end up with the same key.
fn make_key(dir: &Path, path: &Path) -> Result<Option<[u8; KEY_BYTES]>, Refused> {
    let mut key = [0u8; KEY_BYTES];
    if getrandom::fill(&mut key).is_err() {
        return Ok(None);
    }
    let temp = temp_in(dir, KEY_FILE);
    if let Err(e) = write_private(&temp, &key) {
        let _ = std::fs::remove_file(&temp);
        return Err(Refused(format!("it cannot be written ({e})")));
    }
    let linked = std::fs::hard_link(&temp, path);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(Some(key)),
        // Another process made one meanwhile: use it.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_key(path),
        Err(_) => Ok(None),
    }
}

/// Writes a new file readable and writable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)
}

/// Refuses `meta` (of `what`) unless the current user owns it and none of
/// the permission bits in `forbidden` are set.
#[cfg(unix)]
fn check_private(meta: &std::fs::Metadata, what: &str, forbidden: u32) -> Result<(), Refused> {
    use std::os::unix::fs::MetadataExt;
    let user = rustix::process::geteuid().as_raw();
    if meta.uid() != user {
        return Err(Refused(format!(
            "{what} belongs to user {}, not to the user running recert ({user})",
            meta.uid()
        )));
    }
    let mode = meta.mode() & 0o777;
    if mode & forbidden != 0 {
        let who = if forbidden & 0o044 != 0 {
            "read or written"
        } else {
            "written"
        };
        return Err(Refused(format!(
            "{what} has mode {mode:04o}: it can be {who} by other users"
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_: &std::fs::Metadata, _: &str, _: u32) -> Result<(), Refused> {
    Ok(())
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
