//! A test plugin built for a future plugin API (`recert:plugin@2.0.0`): the
//! host must refuse it at load with "built for plugin API 2.0.0".

wit_bindgen::generate!({ path: "wit", world: "plugin" });

use exports::recert::plugin::rules::{Finding, Guest, PluginInfo, Request};

struct V2;

impl Guest for V2 {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "api-v2".into(),
            version: "2.0.0".into(),
            title: "built for the next plugin API".into(),
            rules: Vec::new(),
        }
    }

    fn evaluate(_request: Request) -> Result<Vec<Finding>, String> {
        Ok(Vec::new())
    }
}

export!(V2);
