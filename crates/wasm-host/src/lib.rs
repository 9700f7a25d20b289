//! The plugin host: runs rule plugins (WebAssembly components exporting
//! `recert:plugin/rules@1.x`, see `plugins/wit/plugin.wit`) in a sandbox.
//!
//! - [`PluginHost`]: one per process. Owns the wasmtime engine (epoch
//!   interruption, pooling allocator), the WASI linker and an epoch ticker.
//! - [`PluginHost::load`]: checks the API version in the component's export
//!   names, compiles (or takes the compiled artifact from the cache), links,
//!   and calls `describe()`; gives a [`Plugin`].
//! - [`Plugin::evaluate`]: one rule over one submission on a fresh instance,
//!   under [`Limits`] (memory, time, output size); findings are validated.
//!   Every failure is a [`PluginFailure`]: the rule's outcome is `error`, the
//!   host and the plugin stay usable.
//! - [`inspect`]: a component's imports, exports and API version without
//!   running it (`recert plugin inspect`).
//! - [`PluginRegistry`] ([`runner`]): what evaluation calls. Loads the
//!   plugins packs name (bundled or by path, pins checked), checks them
//!   against the packs, and runs plugin rules under the packs' limits.
//!
//! The sandbox grants nothing: no files, environment, arguments or network;
//! stdin empty, stdout discarded, stderr kept (its tail explains panics and
//! traps); clocks fixed to the evaluation date and randomness seeded, so the
//! same input always gives the same findings.

mod bindings {
    #![allow(
        missing_docs,
        clippy::all,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )]
    wasmtime::component::bindgen!({
        path: "../../plugins/wit",
        world: "plugin",
        // A request's texts are lent to the call, not copied: the submission
        // of a large file is megabytes, held once already.
        ownership: Borrowing { duplicate_if_necessary: false },
    });
}
mod cache;
mod error;
mod events;
mod host;
mod inspect;
pub mod runner;
mod sandbox;
mod types;
mod validate;
mod wire;

/// The largest plugin file (a WebAssembly component) recert reads: files
/// are refused above it before they are compiled (16 MiB).
pub const MAX_PLUGIN_BYTES: u64 = 16 * 1024 * 1024;

/// Reads the plugin file at `path`: a regular file (not a device, a FIFO or
/// a symlink to one) of at most [`MAX_PLUGIN_BYTES`]; the error says why not.
pub fn read_plugin_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    recert_core::load::read_bounded(path, MAX_PLUGIN_BYTES)
        .map_err(|error| runner::plugin_file_error(&error, MAX_PLUGIN_BYTES))
}

pub use error::{FailureKind, PluginError, PluginFailure};
pub use events::{HostEvent, HostObserver};
pub use host::{EPOCH_TICK, HostConfig, Plugin, PluginHost};
pub use inspect::{Inspection, RULES_INTERFACE, SUPPORTED_MAJOR, inspect};
pub use recert_core::sha256::sha256_hex;
pub use runner::{
    BundledWasm, LimitOverrides, Lowered, MEMORY_CEILING, PluginRegistry, SUBMISSION_FUEL,
    TIME_CEILING, plugin_file_error,
};
pub use types::{
    DEFAULT_FUEL, Limits, Outcome, PluginFinding, PluginInfo, PluginRequest, Reference, RuleInfo,
};
