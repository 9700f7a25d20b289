//! Builds every bundled plugin as a WebAssembly component and embeds it.
//!
//! For each entry of [`PLUGINS`] this runs, in a target directory of its own
//! (`<target-dir>/wasm-plugins`, so it never waits on the outer build's lock):
//!
//! ```text
//! cargo build --locked --target wasm32-wasip2 --profile plugin -p <crate>
//! ```
//!
//! and copies `<crate>.wasm` into `OUT_DIR`, where `src/lib.rs` embeds it with
//! `include_bytes!`. The `plugin` profile (opt-level 3, LTO, one codegen
//! unit, panic = abort, DWARF stripped but function names kept) is defined in
//! the workspace `Cargo.toml`.
//!
//! Environment: the outer build's `RUSTFLAGS` are meant for the host and are
//! not passed on (set `CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS` for the guests);
//! cargo's home folder is remapped to `/cargo` in the components, so their
//! digests do not depend on where the build ran;
//! `CARGO_NET_OFFLINE` and cargo config files apply as usual; the jobserver is
//! shared, so the nested build does not oversubscribe the machine.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A plugin compiled into recert: its id and its crate, a folder of `plugins/`.
struct Plugin {
    id: &'static str,
    krate: &'static str,
}

/// The bundled plugins.
const PLUGINS: &[Plugin] = &[
    Plugin {
        id: "battery-casing",
        krate: "battery-casing",
    },
    Plugin {
        id: "food-contact",
        krate: "food-contact",
    },
    Plugin {
        id: "recycled-plastic-quality",
        krate: "recycled-plastic-quality",
    },
];

#[path = "../wasm_target.rs"]
mod wasm_target;
use wasm_target::TARGET;

const PROFILE: &str = "plugin";

fn main() {
    if let Err(message) = build() {
        for line in message.lines() {
            println!("cargo::error={line}");
        }
        std::process::exit(1);
    }
}

fn var(name: &str) -> Result<OsString, String> {
    env::var_os(name).ok_or_else(|| format!("{name} is not set (is this run by cargo?)"))
}

fn build() -> Result<(), String> {
    let manifest_dir = PathBuf::from(var("CARGO_MANIFEST_DIR")?);
    let plugins_dir = manifest_dir
        .parent()
        .ok_or("plugins/bundled has no parent folder")?
        .to_path_buf();
    let workspace = plugins_dir
        .parent()
        .ok_or("plugins/ has no parent folder")?
        .to_path_buf();
    let out_dir = PathBuf::from(var("OUT_DIR")?);

    rerun_if_changed(&plugins_dir, &workspace);
    check_target()?;

    let target_dir = match env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir.join("wasm-plugins"),
        Some(dir) => workspace.join(dir).join("wasm-plugins"),
        None => workspace.join("target").join("wasm-plugins"),
    };

    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("build")
        .arg("--locked")
        .arg("--target")
        .arg(TARGET)
        .arg("--profile")
        .arg(PROFILE)
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir);
    for p in PLUGINS {
        cmd.arg("-p").arg(p.krate);
    }
    // Host flags and wrappers of the outer build must not reach the guests
    // (`-C target-cpu=native`, coverage instrumentation, clippy-driver).
    for name in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
    ] {
        cmd.env_remove(name);
    }
    // Intermediate files also go to our own folder.
    cmd.env("CARGO_BUILD_BUILD_DIR", &target_dir);
    // Reproducible components: the panic locations of dependencies would embed
    // this machine's cargo home (workspace paths are already relative), and
    // the report pins every plugin by digest.
    let mut flags = vec![format!(
        "--remap-path-prefix={}=/cargo",
        cargo_home()?.display()
    )];
    if let Some(user) = env::var_os("CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS") {
        flags.extend(user.to_string_lossy().split_whitespace().map(str::to_owned));
    }
    cmd.env("CARGO_ENCODED_RUSTFLAGS", flags.join("\u{1f}"));

    let status = cmd
        .status()
        .map_err(|e| format!("could not run cargo to build the bundled plugins: {e}"))?;
    if !status.success() {
        return Err(format!(
            "building the bundled plugins for {TARGET} failed ({status}); the nested build's messages are under `--- stderr` below.\n\
             Without network access, fetch the guest dependencies once online: cargo fetch --target {TARGET}\n\
             If the `{PROFILE}` profile is missing, add [profile.{PROFILE}] to the workspace Cargo.toml (see plugins/README.md)."
        ));
    }

    let artifacts = target_dir.join(TARGET).join(PROFILE);
    let mut table = String::from(
        "/// Every bundled plugin (generated by build.rs).\nstatic BUNDLED: &[BundledPlugin] = &[\n",
    );
    for p in PLUGINS {
        let built = artifacts.join(format!("{}.wasm", p.krate.replace('-', "_")));
        let wasm = fs::read(&built).map_err(|e| format!("{}: {e}", built.display()))?;
        // A component (layer 1) starts with `\0asm` and version 0x0d 0x00 0x01 0x00;
        // a core module would have 0x01 0x00 0x00 0x00.
        if wasm.get(0..8) != Some(&[0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]) {
            return Err(format!(
                "{} is not a WebAssembly component; the {TARGET} target should emit one",
                built.display()
            ));
        }
        let copy = out_dir.join(format!("{}.wasm", p.id));
        fs::write(&copy, &wasm).map_err(|e| format!("{}: {e}", copy.display()))?;
        table.push_str(&format!(
            "    BundledPlugin {{ id: {id:?}, wasm: include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{id}.wasm\")) }},\n",
            id = p.id
        ));
    }
    table.push_str("];\n");
    let generated = out_dir.join("bundled.rs");
    fs::write(&generated, table).map_err(|e| format!("{}: {e}", generated.display()))?;
    Ok(())
}

/// Cargo's home folder: `CARGO_HOME`, else `~/.cargo`.
fn cargo_home() -> Result<PathBuf, String> {
    if let Some(home) = env::var_os("CARGO_HOME") {
        return Ok(PathBuf::from(home));
    }
    env::var_os("HOME")
        .or_else(|| env::var_os("USERPROFILE"))
        .map(|h| PathBuf::from(h).join(".cargo"))
        .ok_or_else(|| "neither CARGO_HOME nor HOME is set".to_owned())
}

/// Rebuild when a plugin, the SDK, the WIT, the lock file or the profile changes.
fn rerun_if_changed(plugins_dir: &Path, workspace: &Path) {
    let mut paths = vec![
        plugins_dir.join("wit"),
        plugins_dir.join("sdk").join("src"),
        plugins_dir.join("sdk").join("Cargo.toml"),
        workspace.join("crates").join("plugin-abi").join("src"),
        workspace
            .join("crates")
            .join("plugin-abi")
            .join("Cargo.toml"),
        workspace.join("Cargo.toml"),
        workspace.join("Cargo.lock"),
    ];
    for p in PLUGINS {
        paths.push(plugins_dir.join(p.krate).join("src"));
        paths.push(plugins_dir.join(p.krate).join("Cargo.toml"));
    }
    for path in paths {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    for name in [
        "CARGO_TARGET_DIR",
        "CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS",
        "CARGO_NET_OFFLINE",
    ] {
        println!("cargo::rerun-if-env-changed={name}");
    }
}

/// Fails with the fix when the standard library for the target is missing.
fn check_target() -> Result<(), String> {
    let has_core = wasm_target::installed(None).map_err(|e| format!("could not run rustc: {e}"))?;
    if has_core {
        Ok(())
    } else {
        Err(format!(
            "the {TARGET} target is not installed; recert compiles its bundled plugins for it.\n\
             Install it with: rustup target add {TARGET}"
        ))
    }
}
