//! Guest SDK for recert plugins (WIT package `recert:plugin@1.0.0`).
//!
//! A plugin is a type that implements [`Plugin`], exported with
//! [`export!`](crate::export):
//!
//! ```
//! use recert_plugin_sdk::{Finding, Plugin, PluginInfo, Request, RuleInfo, Threshold};
//!
//! struct Demo;
//!
//! impl Plugin for Demo {
//!     fn describe() -> PluginInfo {
//!         PluginInfo::new("demo", "1.0.0", "Demo plugin").rule(RuleInfo::new(
//!             "demo-capacity",
//!             "Capacity at least 1 kWh",
//!             "容量至少 1 kWh",
//!             "Demo standard",
//!             "§1",
//!         ))
//!     }
//!
//!     fn evaluate(req: &Request) -> Result<Vec<Finding>, String> {
//!         let capacity = req.submission.battery.as_ref().and_then(|b| b.capacity);
//!         let f = req.check_threshold("/battery/capacity", capacity, &Threshold::at_least(1.0, "kWh"));
//!         Ok(vec![f.message("Battery capacity.", "电池容量。").build()])
//!     }
//! }
//!
//! recert_plugin_sdk::export!(Demo);
//! # fn main() {}
//! ```
//!
//! The Component Model glue (wit-bindgen) is compiled only for
//! `target_arch = "wasm32"`; on any other target `export!` expands to nothing,
//! so the same crate builds and unit-tests natively (`cargo test`), calling
//! [`testing::evaluate`] or `Plugin::evaluate` directly.
//!
//! Nothing in the interface depends on this SDK: the WIT in `plugins/wit/` is
//! the contract, and any language with Component Model tooling can implement it.

#![deny(unsafe_code)]

// Lets the generated export glue name this crate as `::recert_plugin_sdk`
// both from plugin crates and from inside the SDK itself.
extern crate self as recert_plugin_sdk;

mod checks;
mod date;
mod finding;
pub mod pointer;
mod request;
pub mod submission;
pub mod view;

pub use checks::{
    Effective, FlammabilityClass, Rating, Threshold, Ul94Test, fmt_number, fmt_quantity, phase_at,
};
pub use date::{Date, DateError};
pub use finding::{Finding, FindingBuilder};
pub use recert_plugin_abi::{Outcome, PluginInfo, Reference, RuleInfo};
pub use request::{Config, Lang, Params, Request, RequestView};
pub use submission::Submission;

/// The version of the WIT package this SDK implements.
pub const WIT_VERSION: &str = "1.0.0";

/// What a plugin implements. Both functions are associated functions (no
/// `self`): recert calls each on a fresh instance, so a plugin keeps no state
/// between calls.
pub trait Plugin {
    /// Describes the plugin; must not depend on anything but the plugin itself.
    fn describe() -> PluginInfo;

    /// Evaluates `req.rule` over `req.submission`. Return findings for what
    /// could be concluded (missing data is an `error` finding at its path);
    /// return `Err` only when the rule as a whole cannot be evaluated (e.g. a
    /// malformed config). recert reports `Err` as outcome `error`.
    fn evaluate(req: &Request) -> Result<Vec<Finding>, String>;

    /// Whether the WebAssembly export reads each request into the borrowed
    /// view ([`RequestView`], [`crate::view`]) and calls
    /// [`Plugin::evaluate_view`] (`true`), or into the owned [`Request`] and
    /// calls [`Plugin::evaluate`] (`false`, the default). The view copies
    /// no text and builds nothing a rule does not read: reading the
    /// submission is most of a typical call.
    const READS_VIEW: bool = false;

    /// Evaluates `req.rule` over the borrowed view of the submission; the
    /// same contract as [`Plugin::evaluate`]. The default reads the
    /// submission again into the owned [`Request`] and calls
    /// [`Plugin::evaluate`]. A plugin that implements this sets
    /// [`Plugin::READS_VIEW`] and can serve [`Plugin::evaluate`] with
    /// `Self::evaluate_view(&req.view()?)`.
    fn evaluate_view(req: &RequestView<'_>) -> Result<Vec<Finding>, String> {
        Self::evaluate(&req.to_owned_request()?)
    }
}

/// Runs `P::evaluate` with the checks recert's host applies, so mistakes show
/// up in native tests rather than as `error` findings in a report: the rule
/// must be declared by `describe`, every finding must be for the requested
/// rule, and a path must be `""` or start with `/`.
pub fn dispatch<P: Plugin>(req: &Request) -> Result<Vec<Finding>, String> {
    if !P::describe().declares(&req.rule) {
        return Err(format!(
            "this plugin does not implement rule `{}`",
            req.rule
        ));
    }
    evaluate_checked::<P>(req)
}

/// [`dispatch`] without asking `describe` whether the rule is declared:
/// what the WebAssembly export runs, since recert's host refuses a rule the
/// plugin did not declare before it calls the plugin. Building the
/// description took 4 % of a battery-casing call's fuel and 12 % of a
/// food-contact one's.
pub(crate) fn evaluate_checked<P: Plugin>(req: &Request) -> Result<Vec<Finding>, String> {
    checked(req, P::evaluate(req)?)
}

/// [`evaluate_checked`] for a plugin that reads the borrowed view.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn evaluate_view_checked<P: Plugin>(
    req: &RequestView<'_>,
) -> Result<Vec<Finding>, String> {
    checked(req, P::evaluate_view(req)?)
}

/// The host's checks on the findings of `req`.
fn checked<S>(req: &Request<S>, findings: Vec<Finding>) -> Result<Vec<Finding>, String> {
    for f in &findings {
        if f.rule != req.rule {
            return Err(format!(
                "plugin returned a finding for rule `{}` while evaluating `{}`",
                f.rule, req.rule
            ));
        }
        if !(f.path.is_empty() || f.path.starts_with('/')) {
            return Err(format!("finding path `{}` is not a JSON Pointer", f.path));
        }
    }
    Ok(findings)
}

/// Helpers for native unit tests of plugins.
pub mod testing {
    use serde_json::Value;

    use crate::{Date, Finding, Lang, Plugin, Request};

    /// Evaluates `rule` over `submission` (normalized JSON) with `config` on
    /// `date` (`YYYY-MM-DD`) in `lang`, through [`crate::dispatch`].
    pub fn evaluate<P: Plugin>(
        rule: &str,
        submission: Value,
        config: Value,
        date: &str,
        lang: Lang,
    ) -> Result<Vec<Finding>, String> {
        let date = Date::parse(date).map_err(|e| e.to_string())?;
        let req = Request::new(rule, submission, config, date, lang)?;
        crate::dispatch::<P>(&req)
    }
}

// The generated bindings are `unsafe` FFI; nothing else in the SDK is.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
#[allow(unsafe_code)]
pub mod __guest;

/// Exports a [`Plugin`] as the component's `recert:plugin/rules@1.0.0`.
/// Call it once, at the top level of the plugin crate. Expands to nothing
/// when not compiling for `wasm32`.
#[macro_export]
macro_rules! export {
    ($plugin:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            type RecertPluginExport = $crate::__guest::Adapter<$plugin>;
            $crate::__guest::export_plugin_world!(
                RecertPluginExport with_types_in $crate::__guest::bindings
            );
        };
    };
}

/// Compiles the README's examples as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Echo;

    impl Plugin for Echo {
        fn describe() -> PluginInfo {
            PluginInfo::new("echo", "1.0.0", "test")
                .rule(RuleInfo::new("good", "Good", "好", "S", "1"))
                .rule(RuleInfo::new("wrong-rule", "W", "W", "S", "1"))
                .rule(RuleInfo::new("bad-path", "B", "B", "S", "1"))
        }

        fn evaluate(req: &Request) -> Result<Vec<Finding>, String> {
            Ok(match req.rule.as_str() {
                "good" => vec![req.pass("/product").message("ok", "好").build()],
                "wrong-rule" => vec![
                    FindingBuilder::new("other", Outcome::Pass, String::new(), req.lang).build(),
                ],
                _ => vec![req.pass("product").build()],
            })
        }
    }

    fn run(rule: &str) -> Result<Vec<Finding>, String> {
        testing::evaluate::<Echo>(
            rule,
            json!({"product": {"sector": "other"}}),
            json!({}),
            "2030-01-01",
            Lang::En,
        )
    }

    #[test]
    fn dispatch_applies_the_host_checks() {
        assert_eq!(run("good").unwrap()[0].message, "ok");
        assert!(
            run("undeclared")
                .unwrap_err()
                .contains("does not implement")
        );
        assert!(run("wrong-rule").unwrap_err().contains("for rule `other`"));
        assert!(run("bad-path").unwrap_err().contains("JSON Pointer"));
    }

    #[test]
    fn plugin_info_declares() {
        let info = Echo::describe();
        assert!(info.declares("good") && !info.declares("nope"));
        assert_eq!(info.rules[0].reference.standard, "S");
    }
}
