//! Reads a component's imports and exports without compiling it: the plugin
//! API version comes from the name of the `recert:plugin/rules@X.Y.Z` export,
//! so an old or new plugin gets a clear message before anything is linked.

use wasmtime::wasmparser::{ComponentExternName, Encoding, Parser, Payload};

use super::error::PluginError;
use super::types::PluginInfo;
use recert_core::sha256::sha256_hex;

/// The interface every plugin exports, without its version.
pub const RULES_INTERFACE: &str = "recert:plugin/rules";

/// The major version of the plugin API this host implements.
pub const SUPPORTED_MAJOR: u64 = 1;

/// What `recert plugin inspect` shows about a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// Lowercase hex sha256 of the component's bytes.
    pub sha256: String,
    /// Size of the component in bytes.
    pub size_bytes: usize,
    /// The plugin API version from the `recert:plugin/rules@…` export, if any.
    pub api_version: Option<String>,
    /// Every top-level import, e.g. `wasi:cli/environment@0.2.4`.
    pub imports: Vec<String>,
    /// Every top-level export, e.g. `recert:plugin/rules@1.0.0`.
    pub exports: Vec<String>,
    /// What `describe()` said; only when the plugin was also loaded
    /// ([`super::PluginHost::inspect`]).
    pub info: Option<PluginInfo>,
}

impl Inspection {
    /// Whether this recert supports the plugin API the component was built
    /// for (its major version is [`SUPPORTED_MAJOR`]); `None` when it
    /// exports no `recert:plugin/rules@…` interface (not a plugin).
    pub fn api_supported(&self) -> Option<bool> {
        let found = self.api_version.as_deref()?;
        let major = semver::Version::parse(found).map(|v| v.major).ok();
        Some(major == Some(SUPPORTED_MAJOR))
    }
}

/// Reads the imports, exports and API version of the component `wasm`
/// without compiling or running it. `name` only appears in errors.
///
/// Fails when the bytes are not a component. A component that is not a
/// plugin, or is built for another API version, is still inspected: see
/// [`Inspection::api_version`] and the API version check of loading.
pub fn inspect(name: &str, wasm: &[u8]) -> Result<Inspection, PluginError> {
    let not_component = |reason: String| PluginError::NotAComponent {
        name: name.to_owned(),
        reason,
    };
    if !Parser::is_component(wasm) {
        let reason = if Parser::is_core_wasm(wasm) {
            "it is a core WebAssembly module; build the plugin with `cargo build --target wasm32-wasip2` so that it is a component".to_owned()
        } else {
            "it does not start with the WebAssembly component header".to_owned()
        };
        return Err(not_component(reason));
    }
    let mut imports = Vec::new();
    let mut exports = Vec::new();
    // Depth 1 is the outer component; nested modules and components follow
    // inline between their own `Version` and `End`.
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| not_component(e.to_string()))? {
            Payload::Version { encoding, .. } => {
                if depth == 0 && encoding != Encoding::Component {
                    return Err(not_component("it is not a component".to_owned()));
                }
                depth += 1;
            }
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ComponentImportSection(reader) if depth == 1 => {
                for import in reader {
                    let import = import.map_err(|e| not_component(e.to_string()))?;
                    imports.push(full_name(&import.name));
                }
            }
            Payload::ComponentExportSection(reader) if depth == 1 => {
                for export in reader {
                    let export = export.map_err(|e| not_component(e.to_string()))?;
                    exports.push(full_name(&export.name));
                }
            }
            _ => {}
        }
    }
    let api_version = api_versions(&exports)
        .max_by_key(|v| (v.major == SUPPORTED_MAJOR, v.clone()))
        .map(|v| v.to_string());
    Ok(Inspection {
        sha256: sha256_hex(wasm),
        size_bytes: wasm.len(),
        api_version,
        imports,
        exports,
        info: None,
    })
}

/// The name with its version suffix, if it has one (`a:b/c@0.2` and `.1`
/// make `a:b/c@0.2.1`).
fn full_name(name: &ComponentExternName<'_>) -> String {
    match name.version_suffix {
        Some(suffix) if name.implements.is_none() && name.name.contains('@') => {
            format!("{}{suffix}", name.name)
        }
        _ => name.name.to_owned(),
    }
}

/// The versions of every `recert:plugin/rules@…` export.
fn api_versions(exports: &[String]) -> impl Iterator<Item = semver::Version> + '_ {
    exports.iter().filter_map(|e| {
        let (interface, version) = e.split_once('@')?;
        if interface != RULES_INTERFACE {
            return None;
        }
        semver::Version::parse(version).ok()
    })
}

/// Checks that the inspected component is a plugin for this host's API.
pub fn check_api(name: &str, inspection: &Inspection) -> Result<(), PluginError> {
    let Some(found) = &inspection.api_version else {
        return Err(PluginError::NotAPlugin {
            name: name.to_owned(),
            exports: inspection.exports.clone(),
        });
    };
    if inspection.api_supported() == Some(true) {
        Ok(())
    } else {
        Err(PluginError::ApiVersion {
            name: name.to_owned(),
            found: found.clone(),
            supported: format!("{SUPPORTED_MAJOR}.x"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_core_module_is_not_a_component() {
        let core = b"\0asm\x01\0\0\0";
        let err = inspect("m", core).unwrap_err();
        assert!(err.to_string().contains("core WebAssembly module"), "{err}");
    }

    #[test]
    fn garbage_is_not_a_component() {
        let err = inspect("g", b"hello").unwrap_err();
        assert!(matches!(err, PluginError::NotAComponent { .. }), "{err}");
    }

    #[test]
    fn the_api_version_comes_from_the_export_name() {
        let exports = vec![
            "wasi:cli/run@0.2.0".to_owned(),
            "recert:plugin/rules@2.1.0".to_owned(),
        ];
        let inspection = Inspection {
            sha256: String::new(),
            size_bytes: 0,
            api_version: api_versions(&exports).max().map(|v| v.to_string()),
            imports: Vec::new(),
            exports,
            info: None,
        };
        assert_eq!(inspection.api_supported(), Some(false));
        let err = check_api("p", &inspection).unwrap_err();
        assert_eq!(
            err.to_string(),
            "plugin `p` was built for plugin API 2.1.0; this recert supports 1.x"
        );
    }
}
