//! A test plugin that imports an interface recert does not provide
//! (`recert:plugin/secret-host`): the host must refuse it at load.

wit_bindgen::generate!({ path: "wit", world: "plugin" });

use exports::recert::plugin::rules::{Finding, Guest, PluginInfo, Request};

struct Foreign;

impl Guest for Foreign {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "foreign-import".into(),
            version: "0.1.0".into(),
            title: recert::plugin::secret_host::leak(),
            rules: Vec::new(),
        }
    }

    fn evaluate(_request: Request) -> Result<Vec<Finding>, String> {
        Err(recert::plugin::secret_host::leak())
    }
}

export!(Foreign);
