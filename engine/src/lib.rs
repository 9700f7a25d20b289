//! The recert engine: the rule core (`recert-core`) with the WebAssembly
//! plugin host (`recert-wasm-host`), under one name.
//!
//! This crate adds no logic of its own. It is what an application that runs
//! packs *and* plugins depends on, and it holds the engine's benchmarks and
//! its integration tests across core and host. An application that only
//! evaluates YAML packs (or runs in a browser) depends on `recert-core`
//! alone, without wasmtime.
//!
//! Data flows one way: [`load`] reads and validates a submission and
//! normalizes its units; [`pack`] parses and compiles rule packs; [`eval`]
//! runs the applicable packs over a submission, plugin rules through
//! [`plugin`]; [`report`] is the result and its renderers.

pub use recert_core::{
    Code, Diagnostic, Diagnostics, Lang, Location, Text, catalog, diagnostic, eval, expr, format,
    lang, load, names, number, pack, parallel, report, sha256, suggest, untrusted,
};
pub use recert_wasm_host as plugin;
