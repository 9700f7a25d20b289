//! `recert keygen FILE`: a new Ed25519 key pair for signing reports.
//!
//! The private key goes to FILE as PKCS#8 PEM (`BEGIN PRIVATE KEY`),
//! readable by its owner only on Unix (mode 0600); the public key to
//! `FILE.pub` as SubjectPublicKeyInfo PEM (`BEGIN PUBLIC KEY`). Both are the
//! forms OpenSSL reads and writes (`openssl pkey -in FILE -pubout`). Neither
//! file is overwritten without `--force`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use recert_engine::report::signature;
use recert_engine::{Code, Diagnostic, Diagnostics, Location};

use crate::exit::Exit;
use crate::output::{reported, write_output};

/// `recert keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The private key's file (PKCS#8 PEM, mode 0600 on Unix); the public
    /// key is written next to it, as FILE.pub (SubjectPublicKeyInfo PEM).
    #[arg(value_name = "FILE")]
    pub key: PathBuf,

    /// Replace key files that exist (their old keys are lost).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &KeygenArgs) -> Exit {
    match reported(generate(args)) {
        Some((public, key_id)) => write_output(
            None,
            &format!(
                "private key: {}\npublic key:  {}\nkey id:      {key_id}\n",
                args.key.display(),
                public.display()
            ),
        ),
        None => Exit::Invalid,
    }
}

/// The public key's path: the private key's with `.pub` added.
pub fn public_path(private: &Path) -> PathBuf {
    let mut name = private.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// Writes the key pair; the public key's path and the key's id.
fn generate(args: &KeygenArgs) -> Result<(PathBuf, String), Diagnostics> {
    let public_file = public_path(&args.key);
    let fail = |code: Code, path: &Path, message: String| {
        Diagnostics::one(Diagnostic::new(
            code,
            Location::new(path.display().to_string(), ""),
            message,
        ))
    };
    if !args.force {
        for path in [&args.key, &public_file] {
            if path.exists() || path.is_symlink() {
                return Err(fail(
                    Code::KeyExists,
                    path,
                    format!(
                        "{} exists: recert keygen does not overwrite a key (--force replaces it, and its old key is lost)",
                        path.display()
                    ),
                ));
            }
        }
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| {
        fail(
            Code::Internal,
            &args.key,
            format!("no random numbers from the operating system: {e}"),
        )
    })?;
    let key = signature::key_from_seed(&seed);
    let public = key.verifying_key();
    let internal = |e: signature::SignError| fail(Code::Internal, &args.key, e.to_string());
    let private_pem = signature::private_key_pem(&key).map_err(internal)?;
    let public_pem = signature::public_key_pem(&public).map_err(internal)?;
    let cannot = |path: &Path, e: std::io::Error| {
        fail(
            Code::WriteFailed,
            path,
            format!("cannot write {}: {e}", path.display()),
        )
    };
    write_private(&args.key, private_pem.as_bytes(), args.force)
        .map_err(|e| cannot(&args.key, e))?;
    std::fs::write(&public_file, public_pem).map_err(|e| cannot(&public_file, e))?;
    Ok((public_file, signature::key_id(&public)))
}

/// Writes the private key to a new file only its owner can read (on Unix);
/// with `replace`, a file that exists is removed first, so that the new one
/// never inherits its permissions.
fn write_private(path: &Path, pem: &[u8], replace: bool) -> std::io::Result<()> {
    if replace {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(pem)?;
    file.sync_all()
}
