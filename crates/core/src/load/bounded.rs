//! Reading a file recert did not write, safely: regular files only, never
//! more than a cap, and never blocking on a FIFO.
//!
//! Every file recert reads (submissions, packs, pack tests, plugin
//! components, compiled artifacts) goes through [`read_bounded`]: a path to
//! `/dev/zero`, a FIFO, a directory or a symlink to one of them is refused
//! without reading a byte, and a file that grows while it is read stops at
//! `cap + 1` bytes.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// There is no such file.
    NotFound,
    /// It is not a regular file; says what it is ("a directory", "a FIFO").
    NotAFile(&'static str),
    /// It is larger than the cap: its size (at least `cap + 1`).
    TooLarge(u64),
    /// Any other failure to open or read it.
    Io(io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::NotAFile(what) => write!(f, "it is {what}, not a regular file"),
            ReadError::TooLarge(len) => write!(f, "it is {len} bytes or more"),
            ReadError::Io(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::NotFound {
            ReadError::NotFound
        } else {
            ReadError::Io(error)
        }
    }
}

/// The bytes of the regular file at `path` (symlinks followed), at most
/// `cap` of them. The file is opened without blocking (a FIFO with no writer
/// does not hang the open), and what was opened is checked, not the path:
/// a path swapped for a device between a check and the open is still refused.
pub fn read_bounded(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    read_opened(file, &meta, cap)
}

/// The regular file at `path` (symlinks followed), opened for reading
/// without blocking, and its metadata (of the opened file, not the path).
pub fn open_regular(path: &Path) -> Result<(fs::File, fs::Metadata), ReadError> {
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind(&meta)));
    }
    Ok((file, meta))
}

/// At most `cap` bytes of `file` (opened by [`open_regular`], which gave `meta`).
pub fn read_opened(file: fs::File, meta: &fs::Metadata, cap: u64) -> Result<Vec<u8>, ReadError> {
    if meta.len() > cap {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The size may change after `metadata`: never read more than the cap allows.
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > cap {
        return Err(ReadError::TooLarge(len));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of
    // waiting for a writer. It has no effect on reading a regular file.
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    fs::File::open(path)
}

/// What a file that is not a regular file is, in words.
fn kind(meta: &fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Why a file named by a pack may not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confinement {
    /// The pack gave an absolute path.
    Absolute,
    /// The path (after `..` and symlinks) leads outside the pack's folder.
    Outside,
}

impl std::fmt::Display for Confinement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Confinement::Absolute => "it is an absolute path",
            Confinement::Outside => "it leads outside the pack's folder",
        })
    }
}

/// Checks that `resolved`, a path a pack in folder `base` names (already
/// joined to `base`), stays inside `base`: not absolute, and, with `..` and
/// symlinks resolved, under `base`. A path under one of `allowed` (folders
/// the operator allows) is accepted wherever it is. A file that does not
/// exist passes when it would be inside (reading it then says it is missing).
pub fn confine(
    resolved: &Path,
    base: &Path,
    allowed: &[std::path::PathBuf],
) -> Result<(), Confinement> {
    let real = fs::canonicalize(resolved).ok();
    let target = real.as_deref().unwrap_or(resolved);
    if allowed.iter().any(|dir| {
        let dir = fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
        target.starts_with(&dir)
    }) {
        return Ok(());
    }
    // Joining an absolute path to the folder gives the absolute path.
    let Ok(relative) = resolved.strip_prefix(base) else {
        return Err(Confinement::Absolute);
    };
    if relative.has_root() {
        return Err(Confinement::Absolute);
    }
    let base = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    match (real, fs::canonicalize(base)) {
        (Some(real), Ok(base)) if real.starts_with(&base) => Ok(()),
        (Some(_), _) => Err(Confinement::Outside),
        (None, _)
            if relative
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir)) =>
        {
            Err(Confinement::Outside)
        }
        (None, _) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("recert-bounded-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn reads_a_regular_file_up_to_the_cap() {
        let path = temp("ok.bin");
        fs::write(&path, b"12345").unwrap();
        assert_eq!(read_bounded(&path, 5).unwrap(), b"12345");
        assert!(matches!(
            read_bounded(&path, 4),
            Err(ReadError::TooLarge(5))
        ));
    }

    #[test]
    fn refuses_what_is_not_a_regular_file() {
        assert!(matches!(
            read_bounded(&std::env::temp_dir(), 10),
            Err(ReadError::NotAFile("a directory"))
        ));
        assert!(matches!(
            read_bounded(Path::new("/nonexistent/recert/x"), 10),
            Err(ReadError::NotFound)
        ));
    }

    #[test]
    fn confines_paths_to_the_pack_folder_unless_allowed() {
        let base = temp("pack");
        fs::create_dir_all(base.join("plugins")).unwrap();
        fs::write(base.join("plugins/p.wasm"), b"x").unwrap();
        fs::write(temp("outside.wasm"), b"x").unwrap();
        let ok = |p: &str| confine(&base.join(p), &base, &[]);
        assert_eq!(ok("plugins/p.wasm"), Ok(()));
        assert_eq!(ok("plugins/../plugins/p.wasm"), Ok(()));
        assert_eq!(ok("plugins/missing.wasm"), Ok(()));
        assert_eq!(ok("../outside.wasm"), Err(Confinement::Outside));
        assert_eq!(ok("../missing.wasm"), Err(Confinement::Outside));
        assert_eq!(ok("/dev/zero"), Err(Confinement::Absolute));
        let relative_base = Path::new("");
        assert_eq!(
            confine(Path::new("/dev/zero"), relative_base, &[]),
            Err(Confinement::Absolute)
        );
        assert_eq!(confine(Path::new("x.wasm"), relative_base, &[]), Ok(()));
        // Allowed by the operator.
        assert_eq!(
            confine(
                Path::new("/dev/zero"),
                &base,
                &[Path::new("/dev").to_path_buf()]
            ),
            Ok(())
        );
        assert_eq!(
            confine(&base.join("../outside.wasm"), &base, &[temp("")]),
            Ok(())
        );
        #[cfg(unix)]
        {
            let link = base.join("plugins/link.wasm");
            let _ = fs::remove_file(&link);
            std::os::unix::fs::symlink(temp("outside.wasm"), &link).unwrap();
            assert_eq!(ok("plugins/link.wasm"), Err(Confinement::Outside));
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_fifos_and_symlinks_to_them_without_blocking() {
        assert!(matches!(
            read_bounded(Path::new("/dev/zero"), 10),
            Err(ReadError::NotAFile("a character device"))
        ));
        let link = temp("zero-link");
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            read_bounded(&link, 10),
            Err(ReadError::NotAFile("a character device"))
        ));
        let fifo = temp("fifo");
        let _ = fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // No writer: a blocking open would hang here.
        assert!(matches!(
            read_bounded(&fifo, 10),
            Err(ReadError::NotAFile("a FIFO"))
        ));
    }
}
