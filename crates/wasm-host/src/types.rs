//! The values that cross the plugin boundary, on the engine's side: the
//! types of `recert-plugin-abi` (the rest of the engine never sees the
//! generated bindings; `wire` converts them), and the host's own [`Limits`].

use std::time::Duration;

/// The default fuel of one call: 100 million instructions. The bundled
/// battery-casing plugin uses well under 1 % of it per call (a test holds
/// it to that), and an infinite loop spends it in a fraction of a second.
pub const DEFAULT_FUEL: u64 = 100_000_000;

/// Per-call limits of a plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest linear memory (and table storage) one call may use, in bytes.
    /// Default 64 MiB.
    pub memory_bytes: u64,
    /// Wall time for one call, instantiation included: only a safety net
    /// behind [`Limits::fuel`] (a blocking host call does not use fuel).
    /// Default 1 s. Enforced with epoch interruption, so a call is cut off
    /// between `time` and `time` plus one tick (10 ms).
    pub time: Duration,
    /// The deterministic budget of one call, instantiation included: wasmtime
    /// fuel, about one unit per WebAssembly instruction. The same plugin and
    /// request use the same fuel on every machine and under any load, so a
    /// call that runs out of it does so everywhere. Default
    /// [`DEFAULT_FUEL`].
    pub fuel: u64,
    /// Largest output of one call, in bytes: the text of every returned
    /// string plus 64 bytes per finding. Default 1 MiB.
    pub max_output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 64 << 20,
            time: Duration::from_secs(1),
            fuel: DEFAULT_FUEL,
            max_output_bytes: 1 << 20,
        }
    }
}

// The values that cross the plugin boundary are the plugin interface's own
// types, one definition shared with the core and the guest SDK.
pub use recert_core::eval::PluginFinding;
pub use recert_plugin_abi::Request as PluginRequest;
pub use recert_plugin_abi::{Outcome, PluginInfo, Reference, RuleInfo};
