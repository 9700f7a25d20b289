//! What the host tells its embedder while it works. The library never
//! prints: a program that wants a progress line or a warning passes a
//! [`HostObserver`] (the CLI prints them on stderr).

use std::path::Path;
use std::sync::Arc;

/// Something the embedder may want to show.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum HostEvent<'a> {
    /// The compiled-artifact cache folder is not used for this process (the
    /// host compiles every plugin instead): `reason` says why, e.g. it is
    /// writable by other users. Sent at most once per host.
    CacheRefused {
        /// The cache folder.
        dir: &'a Path,
        /// Why, in a sentence.
        reason: &'a str,
    },
    /// A plugin is being compiled (no usable compiled artifact): this takes
    /// from a fraction of a second to minutes for a large component.
    Compiling {
        /// How the caller refers to the plugin.
        name: &'a str,
        /// The component's size.
        bytes: usize,
    },
    /// A pack's `limits` asked for more than the operator's ceiling; the
    /// ceiling applies. Sent once per pack and limit.
    LimitLowered {
        /// The pack's id.
        pack: &'a str,
        /// The pack's file.
        file: &'a str,
        /// `memory` or `time`.
        limit: &'a str,
        /// What the pack asked for, e.g. "600 s".
        asked: &'a str,
        /// The ceiling that applies, e.g. "10 s".
        ceiling: &'a str,
    },
}

/// Receives [`HostEvent`]s; called on the thread that does the work.
pub type HostObserver = Arc<dyn Fn(&HostEvent<'_>) + Send + Sync>;
