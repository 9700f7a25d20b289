//! The pack JSON Schema (`schemas/rule-pack.schema.json`), checked before anything else.

use std::sync::LazyLock;

use serde_json::Value as Json;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::{self, Source};

/// The schema text, as `recert schema pack` prints it.
pub const PACK_SCHEMA_JSON: &str = include_str!("../../../schemas/rule-pack.schema.json");

static VALIDATOR: LazyLock<Result<jsonschema::Validator, String>> = LazyLock::new(|| {
    let schema: Json = serde_json::from_str(PACK_SCHEMA_JSON).map_err(|e| e.to_string())?;
    jsonschema::draft202012::new(&schema).map_err(|e| e.to_string())
});

/// Every schema violation of `json`, located in `source`.
pub(crate) fn validate(source: &Source, json: &Json) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let validator = match VALIDATOR.as_ref() {
        Ok(validator) => validator,
        Err(message) => {
            diagnostics.push(Diagnostic::new(
                "internal",
                Location::new(&source.name, ""),
                format!("the embedded pack schema does not compile: {message}"),
            ));
            return diagnostics;
        }
    };
    if validator.is_valid(json) {
        return diagnostics;
    }
    for error in validator.iter_errors(json) {
        let pointer = error.instance_path().as_str().to_owned();
        diagnostics.push(Diagnostic::new(
            "schema",
            load::locate(source, &pointer),
            error.to_string(),
        ));
    }
    diagnostics
}
