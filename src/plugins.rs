//! The plugin host of `check` and `test`: the bundled plugins, the
//! compiled-plugin cache folder and the limits given on the command line.

use std::borrow::Cow;
use std::path::PathBuf;

use recert_engine::Diagnostics;
use recert_engine::pack::PackSet;
use recert_engine::plugin::{
    BundledWasm, HostConfig, HostEvent, HostObserver, LimitOverrides, PluginRegistry,
};

use crate::args::PluginArgs;

/// The operator's plugin limits: the command line, then the environment
/// (`RECERT_PLUGIN_FUEL`, `RECERT_PLUGIN_SUBMISSION_FUEL`,
/// `RECERT_PLUGIN_MEMORY_MAX`, `RECERT_PLUGIN_TIME_MAX`,
/// `RECERT_PLUGIN_SIZE_MAX`), then the defaults. `Err` names a malformed
/// variable.
pub fn limits(args: &PluginArgs) -> Result<LimitOverrides, String> {
    let defaults = LimitOverrides::default();
    // Read by `registry`; a malformed $RECERT_PLUGIN_SIZE_MAX is refused here.
    args.size_max()?;
    Ok(LimitOverrides {
        memory_bytes: args.plugin_memory,
        time: args.plugin_time,
        fuel: args.fuel()?,
        memory_max: args.memory_max()?.unwrap_or(defaults.memory_max),
        time_max: args.time_max()?.unwrap_or(defaults.time_max),
        submission_fuel: args.submission_fuel()?.or(defaults.submission_fuel),
    })
}

/// A registry of the bundled plugins, with the cache folder of `args` and
/// the operator's `overrides`. Nothing is loaded (and no host started) until
/// a pack needs it.
pub fn registry(args: &PluginArgs, overrides: LimitOverrides) -> PluginRegistry {
    let bundled = recert_bundled_plugins::bundled()
        .iter()
        .map(|p| BundledWasm {
            id: p.id.to_owned(),
            wasm: Cow::Borrowed(p.wasm),
        })
        .collect();
    let config = HostConfig {
        cache_dir: cache_dir(args),
        max_component_bytes: args
            .size_max()
            .ok()
            .flatten()
            .unwrap_or(recert_engine::plugin::MAX_PLUGIN_BYTES),
        ..HostConfig::default()
    };
    PluginRegistry::new(config, bundled, overrides)
        .with_observer(observer())
        .with_allowed_plugin_dirs(args.plugin_paths.allowed())
}

/// What the host reports, on stderr: a refused cache folder always (once),
/// the progress line of a compiling plugin only on a terminal (so that logs
/// and captured output stay the same whether the cache was warm or cold).
fn observer() -> HostObserver {
    use std::io::IsTerminal;
    let progress = std::io::stderr().is_terminal();
    std::sync::Arc::new(move |event: &HostEvent<'_>| match event {
        HostEvent::CacheRefused { dir, reason } => crate::output::note(format_args!(
            "warning: not using the plugin cache {}: {reason}; every plugin is compiled on every run until {}",
            dir.display(),
            if reason.contains("by other users") || reason.contains("belongs to user") {
                "the folder is private to you (chmod 700, or remove it and recert makes it)"
            } else {
                "--cache-dir (or $RECERT_CACHE_DIR) names a folder you can write"
            }
        )),
        HostEvent::Compiling { name, bytes } if progress => crate::output::note(format_args!(
            "compiling plugin {name} ({} KiB) for the first time…",
            bytes.div_ceil(1024)
        )),
        HostEvent::LimitLowered {
            pack,
            file,
            limit,
            asked,
            ceiling,
        } => crate::output::note(format_args!(
            "warning: pack `{pack}` ({file}) asks for {asked} of {limit} per plugin call, more than the operator's ceiling; {ceiling} applies (--plugin-{limit}-max)"
        )),
        _ => {}
    })
}

/// The plugin host of a command that runs `packs` (`check`, `serve`): the
/// operator's limits ([`limits`]), then the registry ([`prepared`]). `Err`:
/// what was wrong has been printed; the command exits with it.
pub fn host(
    args: &PluginArgs,
    packs: &PackSet,
) -> Result<Option<PluginRegistry>, crate::exit::Exit> {
    let overrides = limits(args).map_err(|message| {
        crate::output::note(format_args!("error: {message}"));
        crate::exit::Exit::Invalid
    })?;
    crate::output::reported(prepared(args, overrides, packs)).ok_or(crate::exit::Exit::Invalid)
}

/// The registry for `packs` with every plugin they name loaded and checked,
/// or `None` when no pack names a plugin (no host is started then).
pub fn prepared(
    args: &PluginArgs,
    overrides: LimitOverrides,
    packs: &PackSet,
) -> Result<Option<PluginRegistry>, Diagnostics> {
    if packs.packs().iter().all(|p| p.plugins.is_empty()) {
        return Ok(None);
    }
    let registry = registry(args, overrides);
    registry.prepare_all(packs)?;
    Ok(Some(registry))
}

/// `--cache-dir`, else `$RECERT_CACHE_DIR`, else the user's cache folder
/// (`$XDG_CACHE_HOME/recert`, `~/.cache/recert`; on macOS
/// `~/Library/Caches/recert`; on Windows `%LOCALAPPDATA%\recert`).
/// `None` (compile every time) when there is no home folder.
pub fn cache_dir(args: &PluginArgs) -> Option<PathBuf> {
    if let Some(dir) = &args.cache_dir {
        return Some(dir.clone());
    }
    if let Some(dir) = env_dir("RECERT_CACHE_DIR") {
        return Some(dir);
    }
    user_cache_dir().map(|dir| dir.join("recert"))
}

/// A folder from an environment variable, when set and not empty.
fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

#[cfg(windows)]
fn user_cache_dir() -> Option<PathBuf> {
    env_dir("LOCALAPPDATA")
}

#[cfg(target_os = "macos")]
fn user_cache_dir() -> Option<PathBuf> {
    env_dir("HOME").map(|h| h.join("Library").join("Caches"))
}

#[cfg(not(any(windows, target_os = "macos")))]
fn user_cache_dir() -> Option<PathBuf> {
    // The XDG base directory spec ignores relative paths.
    env_dir("XDG_CACHE_HOME")
        .filter(|d| d.is_absolute())
        .or_else(|| env_dir("HOME").map(|h| h.join(".cache")))
}
