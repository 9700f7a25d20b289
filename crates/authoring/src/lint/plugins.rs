//! Plugin references: each resolves to a bundled plugin or to a plugin file
//! whose pinned digest matches.

use std::collections::HashMap;

use serde_json::Value as Json;

use super::{Level, LintOptions, Out, PackCx};
use recert_core::diagnostic::{Code, Diagnostic};
use recert_wasm_host as plugin;

/// Checks the pack's `plugins`.
pub(crate) fn check(cx: &PackCx<'_>, options: &LintOptions, out: &mut Out) {
    let Some(list) = cx.json.get("plugins").and_then(Json::as_array) else {
        return;
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, entry) in list.iter().enumerate() {
        let pointer = format!("/plugins/{i}");
        let Some(id) = entry.get("id").and_then(Json::as_str) else {
            continue;
        };
        if let Some(first) = seen.insert(id, i) {
            out.push(
                Level::Error,
                Diagnostic::new(
                    Code::DuplicatePluginId,
                    cx.locate(&format!("{pointer}/id")),
                    format!("plugin `{id}` is listed twice (also as plugin {first})"),
                ),
            );
            continue;
        }
        let pin = entry
            .get("sha256")
            .and_then(Json::as_str)
            .map(str::to_ascii_lowercase);
        match entry.get("path").and_then(Json::as_str) {
            None => bundled(cx, options, out, &pointer, id, pin.as_deref()),
            Some(path) => file(cx, options, out, &pointer, id, path, pin.as_deref()),
        }
    }
}

/// A plugin named by id only must be bundled.
fn bundled(
    cx: &PackCx<'_>,
    options: &LintOptions,
    out: &mut Out,
    pointer: &str,
    id: &str,
    pin: Option<&str>,
) {
    let Some(known) = &options.bundled_plugins else {
        return;
    };
    let Some(found) = known.iter().find(|p| p.id == id) else {
        let ids: Vec<&str> = known.iter().map(|p| p.id.as_str()).collect();
        let mut diagnostic = Diagnostic::new(
            Code::PluginNotFound,
            cx.locate(&format!("{pointer}/id")),
            format!(
                "plugin `{id}` has no `path` and is not bundled with recert (bundled: {})",
                if ids.is_empty() {
                    "none".to_owned()
                } else {
                    ids.join(", ")
                }
            ),
        );
        diagnostic = match recert_core::suggest::closest(id, ids.iter().copied()) {
            Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
            None => diagnostic
                .with_help("a plugin of your own needs `path:` (its .wasm, relative to the pack)"),
        };
        out.push(Level::Error, diagnostic);
        return;
    };
    if let Some(pin) = pin
        && pin != found.sha256
    {
        out.push(
            Level::Error,
            Diagnostic::new(
                Code::PluginDigestMismatch,
                cx.locate(&format!("{pointer}/sha256")),
                format!(
                    "the pack pins plugin `{id}` to sha256 {pin}, but the bundled plugin's is {}",
                    found.sha256
                ),
            )
            .with_help("the pack was written for another build of the plugin; update the pin only after checking the new plugin"),
        );
    }
}

/// A plugin file: it exists, is a plugin component, and matches its pin.
fn file(
    cx: &PackCx<'_>,
    options: &LintOptions,
    out: &mut Out,
    pointer: &str,
    id: &str,
    path: &str,
    pin: Option<&str>,
) {
    let resolved = match cx.dir {
        Some(dir) => dir.join(path),
        None => std::path::PathBuf::from(path),
    };
    let shown = resolved.display().to_string();
    let at = format!("{pointer}/path");
    if let Some(dir) = cx.dir
        && let Err(why) = recert_core::load::confine(&resolved, dir, &options.allowed_plugin_dirs)
    {
        out.push(
            Level::Error,
            Diagnostic::new(
                Code::PluginPathRefused,
                cx.locate(&at),
                format!("plugin `{id}` is not read from {shown}: {why}"),
            )
            .with_help("a pack's plugin files must be inside the pack's folder; to allow another folder, run with `--allow-plugin-path DIR`"),
        );
        return;
    }
    let bytes = match recert_core::load::read_bounded(&resolved, plugin::MAX_PLUGIN_BYTES) {
        Ok(bytes) => bytes,
        Err(recert_core::load::ReadError::NotFound) => {
            out.push(
                Level::Error,
                Diagnostic::new(
                    Code::PluginNotFound,
                    cx.locate(&at),
                    format!("plugin `{id}`: cannot read {shown}: no such file"),
                )
                .with_help("`path` is relative to the pack's folder"),
            );
            return;
        }
        Err(error) => {
            let why = plugin::plugin_file_error(&error, plugin::MAX_PLUGIN_BYTES);
            out.push(
                Level::Error,
                Diagnostic::new(
                    Code::PluginUnreadable,
                    cx.locate(&at),
                    format!("plugin `{id}`: cannot read {shown}: {why}"),
                ),
            );
            return;
        }
    };
    let digest = plugin::sha256_hex(&bytes);
    if let Some(pin) = pin
        && pin != digest
    {
        out.push(
            Level::Error,
            Diagnostic::new(
                Code::PluginDigestMismatch,
                cx.locate(&format!("{pointer}/sha256")),
                format!("the pack pins plugin `{id}` to sha256 {pin}, but {shown} has {digest}"),
            )
            .with_help("the file changed since the pack pinned it; update the pin only after checking the new plugin"),
        );
    }
    match plugin::inspect(id, &bytes) {
        Err(error) => out.push(
            Level::Error,
            Diagnostic::new(Code::NotAPlugin, cx.locate(&at), error.to_string()),
        ),
        Ok(inspection) => {
            let problem = match (&inspection.api_version, inspection.api_supported()) {
                (Some(_), Some(true)) => None,
                (Some(found), _) => Some(format!(
                    "{shown} was built for plugin API {found}; this recert supports {}.x",
                    plugin::SUPPORTED_MAJOR
                )),
                (None, _) => Some(format!(
                    "{shown} does not export `{}@…`: it is a component, but not a recert plugin",
                    plugin::RULES_INTERFACE
                )),
            };
            if let Some(problem) = problem {
                out.push(
                    Level::Error,
                    Diagnostic::new(
                        Code::NotAPlugin,
                        cx.locate(&at),
                        format!("plugin `{id}`: {problem}"),
                    ),
                );
            }
        }
    }
}
