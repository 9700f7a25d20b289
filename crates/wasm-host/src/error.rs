//! What can go wrong loading a plugin ([`PluginError`]) and running one
//! ([`PluginFailure`]). Every message is a sentence a person understands.

use std::fmt;
use std::time::Duration;

/// A plugin could not be loaded (or the host could not start).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PluginError {
    /// The plugin host could not be set up (engine, allocator, linker).
    #[error("the plugin host could not start: {0}")]
    Host(String),
    /// The bytes are not a WebAssembly component.
    #[error("plugin `{name}` is not a WebAssembly component: {reason}")]
    NotAComponent {
        /// The name the plugin was loaded under.
        name: String,
        /// What is wrong with the bytes.
        reason: String,
    },
    /// The component does not export `recert:plugin/rules`.
    #[error(
        "plugin `{name}` is not a recert plugin: it does not export `recert:plugin/rules` (it exports: {})",
        list_or_none(exports)
    )]
    NotAPlugin {
        /// The name the plugin was loaded under.
        name: String,
        /// What it exports instead.
        exports: Vec<String>,
    },
    /// The component was built for another major version of the plugin API.
    #[error("plugin `{name}` was built for plugin API {found}; this recert supports {supported}")]
    ApiVersion {
        /// The name the plugin was loaded under.
        name: String,
        /// The version in its export name, e.g. "2.0.0".
        found: String,
        /// What this host supports, e.g. "1.x".
        supported: String,
    },
    /// The component imports something the sandbox does not provide.
    #[error(
        "plugin `{name}` imports `{import}`, which recert does not provide (plugins may import only WASI 0.2 interfaces, and get no files, network or environment through them)"
    )]
    UnsupportedImport {
        /// The name the plugin was loaded under.
        name: String,
        /// The import, e.g. "acme:net/http@1.0.0".
        import: String,
    },
    /// Compiling or linking the component failed.
    #[error("plugin `{name}` could not be compiled: {reason}")]
    Compile {
        /// The name the plugin was loaded under.
        name: String,
        /// The compiler's or linker's message.
        reason: String,
    },
    /// `describe()` failed in the sandbox.
    #[error("plugin `{name}` failed while describing itself: {kind}")]
    Describe {
        /// The name the plugin was loaded under.
        name: String,
        /// How it failed.
        kind: FailureKind,
    },
    /// `describe()` returned something unusable.
    #[error("plugin `{name}` describes itself wrongly: {reason}")]
    InvalidInfo {
        /// The name the plugin was loaded under.
        name: String,
        /// What is wrong, e.g. "version `one` is not semver".
        reason: String,
    },
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "nothing".to_owned()
    } else {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// An evaluation that produced no findings: the rule's outcome is `error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginFailure {
    /// The plugin's id, from `describe()`.
    pub plugin: String,
    /// The plugin's version, from `describe()`.
    pub version: String,
    /// The rule that was requested.
    pub rule: String,
    /// What went wrong.
    pub kind: FailureKind,
}

impl fmt::Display for PluginFailure {
    /// "plugin `battery-casing` 1.0.0 ran out of its fuel budget of 100000000 instructions".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "plugin `{}` {} {}", self.plugin, self.version, self.kind)
    }
}

impl std::error::Error for PluginFailure {}

/// How a plugin call failed. Displayed as a predicate ("exceeded its 1 s
/// time limit") that follows the plugin's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The call used up its fuel budget (the deterministic limit).
    FuelLimit {
        /// The budget that applied.
        limit: u64,
    },
    /// The call used up what was left of its submission's plugin budget.
    SubmissionBudget {
        /// The budget of the whole submission.
        budget: u64,
    },
    /// The call ran past its wall-clock time limit (the safety net behind
    /// fuel) and was interrupted before it used up its fuel.
    TimeLimit {
        /// The limit that applied.
        limit: Duration,
    },
    /// The guest asked for more memory than its limit.
    MemoryLimit {
        /// The limit that applied, in bytes.
        limit_bytes: u64,
    },
    /// The guest overflowed its stack (usually unbounded recursion).
    StackOverflow,
    /// The guest panicked; the message is taken from its stderr.
    Panicked {
        /// The panic message.
        message: String,
    },
    /// The guest trapped for another reason.
    Trap {
        /// The trap, e.g. "wasm trap: integer divide by zero".
        message: String,
        /// The end of what the guest wrote to stderr (may be empty).
        stderr_tail: String,
    },
    /// The guest called `exit` instead of returning.
    Exited {
        /// The exit status it gave.
        code: i32,
    },
    /// `evaluate` returned `err`: the plugin could not evaluate the rule.
    ReturnedError(String),
    /// A finding broke the interface's rules (bad path, `actual` not JSON...).
    Malformed(String),
    /// The output was larger than the limit.
    OutputTooLarge {
        /// Bytes returned (strings plus 64 per finding).
        bytes: usize,
        /// The limit that applied.
        limit: usize,
    },
    /// The output hit wasmtime's copy limits (a string or list too large to
    /// move out of the guest).
    OutputTooLargeToCopy,
    /// The guest ran out of resource handles (it opened too many without
    /// closing them).
    HandleLimit,
    /// A finding named a rule the plugin did not declare in `describe()`.
    UndeclaredRule(String),
    /// The request named a rule the plugin does not declare (nothing was run).
    UnknownRule(String),
    /// The request itself was unusable (nothing was run).
    InvalidRequest(String),
    /// The host failed for a reason not attributable to the guest.
    Host(String),
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailureKind::FuelLimit { limit } => {
                write!(f, "ran out of its fuel budget of {limit} instructions")
            }
            FailureKind::SubmissionBudget { budget } => write!(
                f,
                "was stopped: the submission's plugin budget is spent ({budget} instructions across all its plugin calls)"
            ),
            FailureKind::TimeLimit { limit } => write!(
                f,
                "was stopped by the wall-clock safety net after {}; its fuel budget was not exhausted",
                human_duration(*limit)
            ),
            FailureKind::MemoryLimit { limit_bytes } => {
                write!(f, "exceeded its {} memory limit", human_bytes(*limit_bytes))
            }
            FailureKind::StackOverflow => {
                f.write_str("overflowed its stack (unbounded recursion?)")
            }
            FailureKind::Panicked { message } => write!(f, "panicked: {message}"),
            FailureKind::Trap {
                message,
                stderr_tail,
            } => {
                write!(f, "crashed: {message}")?;
                if !stderr_tail.is_empty() {
                    write!(f, "; its stderr ended with: {stderr_tail}")?;
                }
                Ok(())
            }
            FailureKind::Exited { code } => {
                write!(f, "called exit({code}) instead of returning findings")
            }
            FailureKind::ReturnedError(message) => {
                write!(f, "could not evaluate the rule: {message}")
            }
            FailureKind::Malformed(reason) => write!(f, "returned a malformed finding: {reason}"),
            FailureKind::OutputTooLarge { bytes, limit } => write!(
                f,
                "returned {} of output, more than its {} limit",
                human_bytes(*bytes as u64),
                human_bytes(*limit as u64)
            ),
            FailureKind::OutputTooLargeToCopy => {
                f.write_str("returned output too large: more than the host can copy out of it")
            }
            FailureKind::HandleLimit => f.write_str(
                "ran out of resource handles: it opened more streams or other resources than the sandbox allows without closing them",
            ),
            FailureKind::UndeclaredRule(rule) => write!(
                f,
                "reported a finding for rule `{rule}`, which it does not declare"
            ),
            FailureKind::UnknownRule(rule) => {
                write!(f, "does not implement rule `{rule}`")
            }
            FailureKind::InvalidRequest(reason) => {
                write!(f, "was not run: invalid request: {reason}")
            }
            FailureKind::Host(reason) => {
                write!(f, "could not be run (plugin host error): {reason}")
            }
        }
    }
}

/// "1 s", "250 ms", "1.5 s".
pub(crate) fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms >= 1000 && ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else if ms >= 1000 {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{ms} ms")
    }
}

/// "64 MiB", "1 KiB", "1.5 MiB", "10 bytes".
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size {
            return if n.is_multiple_of(size) {
                format!("{} {unit}", n / size)
            } else {
                format!("{:.1} {unit}", n as f64 / size as f64)
            };
        }
    }
    format!("{n} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_reads_as_a_sentence() {
        let failure = PluginFailure {
            plugin: "battery-casing".into(),
            version: "1.0.0".into(),
            rule: "casing".into(),
            kind: FailureKind::TimeLimit {
                limit: Duration::from_secs(1),
            },
        };
        assert_eq!(
            failure.to_string(),
            "plugin `battery-casing` 1.0.0 was stopped by the wall-clock safety net after 1 s; its fuel budget was not exhausted"
        );
    }

    #[test]
    fn sizes_and_durations_are_human() {
        assert_eq!(human_bytes(64 << 20), "64 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(10), "10 bytes");
        assert_eq!(human_duration(Duration::from_millis(250)), "250 ms");
        assert_eq!(human_duration(Duration::from_millis(1500)), "1.5 s");
    }
}
