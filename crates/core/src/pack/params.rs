//! Params overrides (`--params FILE`) and the quantities params are written in.
//!
//! ```yaml
//! eu-eee-substances:      # pack id
//!   lead_max: 500         # in the param's unit, or a quantity: "0.05 %"
//! ```

use serde_json::Value as Json;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::load::{self, Source, units};

/// A parsed params override file.
#[derive(Debug, Clone)]
pub struct ParamsFile {
    source: Source,
    packs: serde_json::Map<String, Json>,
}

impl ParamsFile {
    /// Reads an override file: a mapping of pack id to a mapping of param name to value.
    pub fn parse(source: Source) -> Result<ParamsFile, Diagnostics> {
        let json = load::parse_document(&source)?;
        let Json::Object(packs) = json else {
            return Err(Diagnostics::one(Diagnostic::new(
                Code::InvalidParams,
                load::locate(&source, ""),
                "a params file is a mapping of pack id to a mapping of param name to value",
            )));
        };
        let mut diagnostics = Diagnostics::default();
        for (pack, params) in &packs {
            if !params.is_object() {
                diagnostics.push(Diagnostic::new(
                    Code::InvalidParams,
                    load::locate(&source, &format!("/{pack}")),
                    format!("`{pack}` must be a mapping of param name to value"),
                ));
            }
        }
        diagnostics.into_result(ParamsFile { source, packs })
    }

    /// An empty override file (overrides nothing).
    pub fn empty() -> ParamsFile {
        ParamsFile {
            source: Source::from_text("<none>", "", load::Format::Yaml),
            packs: serde_json::Map::new(),
        }
    }

    /// Adds or replaces an override (used by pack tests).
    pub fn set(&mut self, pack: &str, name: &str, value: Json) {
        let params = self
            .packs
            .entry(pack.to_owned())
            .or_insert_with(|| Json::Object(serde_json::Map::new()));
        if let Json::Object(params) = params {
            params.insert(name.to_owned(), value);
        }
    }

    /// The overriding value of `pack`'s param `name`, converted to `unit`.
    pub(crate) fn value_for(
        &self,
        pack: &str,
        name: &str,
        unit: Option<&str>,
    ) -> Option<Result<Json, Diagnostic>> {
        let value = self.packs.get(pack)?.get(name)?;
        let pointer = format!("/{pack}/{name}");
        Some(match (value, unit) {
            (Json::String(_), Some(unit)) => quantity_in(value, unit)
                .map_err(|error| self.error(Code::InvalidParam, &pointer, error.to_string())),
            (Json::Number(_), _) | (Json::Bool(_), None) | (Json::String(_), None) => Ok(value.clone()),
            _ => Err(self.error(
                Code::InvalidParam,
                &pointer,
                format!("`{name}` of pack `{pack}`: a param is a number or a quantity such as \"0.05 %\""),
            )),
        })
    }

    /// Whether the file overrides `pack`'s param `name`.
    pub(crate) fn overrides(&self, pack: &str, name: &str) -> bool {
        self.packs.get(pack).and_then(|p| p.get(name)).is_some()
    }

    /// A diagnostic located at the override of `pack`'s param `name`.
    pub(crate) fn error_at(
        &self,
        pack: &str,
        name: &str,
        code: Code,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.error(code, &format!("/{pack}/{name}"), message)
    }

    /// Diagnostics for pack ids that no loaded pack has.
    pub(crate) fn unknown_packs<'a>(
        &self,
        loaded: impl Iterator<Item = &'a str> + Clone,
    ) -> Vec<Diagnostic> {
        self.packs
            .keys()
            .filter(|id| !loaded.clone().any(|l| l == id.as_str()))
            .map(|id| {
                let known: Vec<&str> = loaded.clone().collect();
                self.error(
                    Code::UnknownPack,
                    &format!("/{id}"),
                    format!(
                        "no loaded pack has id `{id}` (loaded: {})",
                        known.join(", ")
                    ),
                )
            })
            .collect()
    }

    /// Diagnostics for params of `pack` that it does not declare.
    pub(crate) fn unknown_params<'a>(
        &self,
        pack: &str,
        declared: impl Iterator<Item = &'a String> + Clone,
    ) -> Vec<Diagnostic> {
        let Some(Json::Object(params)) = self.packs.get(pack) else {
            return Vec::new();
        };
        params
            .keys()
            .filter(|name| !declared.clone().any(|d| d == *name))
            .map(|name| {
                let known: Vec<&str> = declared.clone().map(String::as_str).collect();
                self.error(
                    Code::UnknownParam,
                    &format!("/{pack}/{name}"),
                    format!(
                        "pack `{pack}` has no param `{name}` (its params: {})",
                        known.join(", ")
                    ),
                )
            })
            .collect()
    }

    fn error(&self, code: Code, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, load::locate(&self.source, pointer), message)
    }
}

/// Why a param's quantity cannot be converted to its unit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum QuantityInError {
    /// The param's unit is not one recert converts.
    #[error("`{value}` is not a number (the param's unit `{unit}` is not one recert converts)")]
    UnknownUnit { value: Json, unit: String },
    /// The quantity cannot be read in the unit's dimension.
    #[error(transparent)]
    Quantity(#[from] units::QuantityError),
    /// The converted number is not finite.
    #[error("`{0}` is not a finite number")]
    NotFinite(Json),
}

/// A quantity string (`"0.05 %"`) converted to `unit`'s canonical unit, as JSON.
pub(crate) fn quantity_in(value: &Json, unit: &str) -> Result<Json, QuantityInError> {
    let Some(dimension) = units::Dimension::from_unit(unit) else {
        // Callers convert strings only: a number needs no unit.
        return Err(QuantityInError::UnknownUnit {
            value: value.clone(),
            unit: unit.to_owned(),
        });
    };
    let number = units::parse_quantity(value, dimension)?;
    serde_json::Number::from_f64(number)
        .map(Json::Number)
        .ok_or_else(|| QuantityInError::NotFinite(value.clone()))
}
