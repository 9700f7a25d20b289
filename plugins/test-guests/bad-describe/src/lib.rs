//! A test plugin whose `describe()` panics: the host must refuse it at load
//! with the panic message, and stay usable.

wit_bindgen::generate!({ path: "../../wit", world: "plugin" });

use exports::recert::plugin::rules::{Finding, Guest, PluginInfo, Request};

struct BadDescribe;

impl Guest for BadDescribe {
    fn describe() -> PluginInfo {
        panic!("no rules today")
    }

    fn evaluate(_request: Request) -> Result<Vec<Finding>, String> {
        Ok(Vec::new())
    }
}

export!(BadDescribe);
