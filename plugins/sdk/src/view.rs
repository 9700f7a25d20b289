//! A borrowed view of a normalized `recert.submission/v1`: the same fields
//! as [`crate::submission`], read straight from the request's JSON text.
//!
//! Text is a [`Cow<str>`] that borrows from the request (it is copied only
//! when the JSON escapes a character in it), so reading a submission
//! allocates little beyond the lists themselves. What no rule of the
//! bundled plugins reads is not built: `substances` is kept as its JSON
//! text and read on demand ([`Substances::get`]); the open maps'
//! other entries (`properties`, `battery.recycled_content`) are skipped,
//! and like any field not modelled here stay reachable through
//! [`crate::RequestView::raw_submission`].
//!
//! A plugin reads this view by setting [`crate::Plugin::READS_VIEW`] and
//! implementing [`crate::Plugin::evaluate_view`]. Quantities, vocabularies
//! (`Other` for a value this SDK does not know) and optionality are as in
//! [`crate::submission`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::Date;
pub use crate::submission::{BatteryCategory, MaterialClass, SecondLife, Sector};

/// Text borrowed from the input when it can be.
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    Text::deserialize(d).map(|t| t.0)
}

fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    Option::<Text<'de>>::deserialize(d).map(|t| t.map(|t| t.0))
}

fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Cow<'de, str>>, D::Error> {
    Vec::<Text<'de>>::deserialize(d).map(|v| v.into_iter().map(|t| t.0).collect())
}

/// A whole submission.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Submission<'a> {
    /// `recert.submission/v1`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub schema: Option<Cow<'a, str>>,
    /// The submission's id.
    #[serde(default, borrow, deserialize_with = "text")]
    pub id: Cow<'a, str>,
    /// When the submission was made.
    #[serde(default)]
    pub date: Option<Date>,
    /// Who submits.
    #[serde(default, borrow)]
    pub applicant: Option<Applicant<'a>>,
    /// The product.
    #[serde(borrow)]
    pub product: Product<'a>,
    /// The bill of materials, in order; finding paths index into it.
    #[serde(default, borrow)]
    pub components: Vec<Component<'a>>,
    /// Battery data; present when `product.sector` is `battery`.
    #[serde(default, borrow)]
    pub battery: Option<Battery<'a>>,
    /// Documents behind the claims.
    #[serde(default, borrow)]
    pub evidence: Vec<Evidence<'a>>,
    /// The JSON text this view borrows from.
    #[serde(skip)]
    pub(crate) text: &'a str,
}

impl<'a> Submission<'a> {
    /// Reads a normalized submission from its JSON text.
    pub fn from_json(text: &'a str) -> Result<Submission<'a>, serde_json::Error> {
        let mut view: Submission<'a> = serde_json::from_str(text)?;
        view.text = text;
        Ok(view)
    }

    /// The JSON text this view was read from.
    pub fn json(&self) -> &'a str {
        self.text
    }
}

/// The applicant.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Applicant<'a> {
    /// Legal name.
    #[serde(default, borrow, deserialize_with = "text")]
    pub name: Cow<'a, str>,
    /// Unified Social Credit Code (China), if given.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub credit_code: Option<Cow<'a, str>>,
    /// ISO 3166-1 alpha-2 country.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub country: Option<Cow<'a, str>>,
}

/// The product.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Product<'a> {
    /// Product name.
    #[serde(default, borrow, deserialize_with = "text")]
    pub name: Cow<'a, str>,
    /// Sector; selects the applicable packs.
    pub sector: Sector,
    /// Free-text, sector-specific category (e.g. `ev-battery`).
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub category: Option<Cow<'a, str>>,
    /// Vehicle category of EU type approval (`M1`, `N1`, `L`, ...).
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub vehicle_type: Option<Cow<'a, str>>,
    /// Markets: ISO alpha-2 codes or `EU`.
    #[serde(default, borrow, deserialize_with = "texts")]
    pub markets: Vec<Cow<'a, str>>,
    /// Product mass, kg.
    #[serde(default)]
    pub mass: Option<f64>,
    /// Food contact (absent = false).
    #[serde(default)]
    pub food_contact: Option<bool>,
    /// Contact-sensitive packaging (PPWR).
    #[serde(default)]
    pub contact_sensitive: Option<bool>,
    /// Single-use beverage bottle.
    #[serde(default)]
    pub single_use_beverage_bottle: Option<bool>,
    /// Consumer-facing recycled-content labels.
    #[serde(default, borrow, deserialize_with = "texts")]
    pub labels: Vec<Cow<'a, str>>,
    /// Exemptions the applicant claims.
    #[serde(default, borrow)]
    pub exemptions: Vec<Exemption<'a>>,
}

impl Product<'_> {
    /// Whether `market` (e.g. `"EU"`, `"CN"`) is among the markets.
    pub fn sold_in(&self, market: &str) -> bool {
        self.markets.iter().any(|m| m.eq_ignore_ascii_case(market))
    }
}

/// `product.exemptions[]`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Exemption<'a> {
    /// The act, by number: `2025/40`, `2011/65/EU`, `2023/1542`, ...
    #[serde(borrow, deserialize_with = "text")]
    pub regulation: Cow<'a, str>,
    /// The clause as the act numbers it: `Art. 7(4)(f)`.
    #[serde(borrow, deserialize_with = "text")]
    pub clause: Cow<'a, str>,
    /// Why the product qualifies, in words.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub reason: Option<Cow<'a, str>>,
}

/// One entry of the bill of materials.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Component<'a> {
    /// Unique within the submission.
    #[serde(default, borrow, deserialize_with = "text")]
    pub id: Cow<'a, str>,
    /// Name.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub name: Option<Cow<'a, str>>,
    /// Role of the part, e.g. `casing`, `housing`, `frame`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub part: Option<Cow<'a, str>>,
    /// What the part does (`structural`, `housing`, `moving`, `trim`,
    /// `casing`, `other`); `None` when not declared.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub part_role: Option<Cow<'a, str>>,
    /// What it is made of.
    #[serde(borrow)]
    pub material: Material<'a>,
    /// Mass, kg.
    #[serde(default)]
    pub mass: Option<f64>,
    /// Recycled-content claim; `None` means none is claimed.
    #[serde(default, borrow)]
    pub recycled: Option<Recycled<'a>>,
    /// Lab results.
    #[serde(default, borrow)]
    pub properties: Properties<'a>,
    /// Measured concentrations, mg/kg, by substance name.
    #[serde(default, borrow)]
    pub substances: Substances<'a>,
}

impl Component<'_> {
    /// `"C3 (PC/ABS housing)"`: the id and, if any, the name, for messages.
    pub fn label(&self) -> String {
        crate::submission::component_label(&self.id, self.name.as_deref())
    }
}

/// `components[].material`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Material<'a> {
    /// Material class.
    pub class: MaterialClass,
    /// Polymer, for plastics.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub polymer: Option<Cow<'a, str>>,
    /// Fibre, for `class: fibre`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub fibre: Option<Cow<'a, str>>,
    /// Made wholly or partly from biomass (absent = false).
    #[serde(default)]
    pub bio_based: Option<bool>,
    /// Grade.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub grade: Option<Cow<'a, str>>,
}

/// `components[].recycled`: the recycled-content claim.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Recycled<'a> {
    /// Post-consumer share of the component's mass, %.
    #[serde(default)]
    pub post_consumer: Option<f64>,
    /// Pre-consumer share of the component's mass, %.
    #[serde(default)]
    pub pre_consumer: Option<f64>,
    /// Where the recyclate comes from.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub source: Option<Cow<'a, str>>,
    /// Share of the post-consumer recycled content from end-of-life
    /// vehicles or parts removed during use, %.
    #[serde(default)]
    pub from_end_of_life_vehicles: Option<f64>,
    /// Recovered from the same product category.
    #[serde(default)]
    pub closed_loop: Option<bool>,
    /// Recycling technology.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub technology: Option<Cow<'a, str>>,
    /// The recycling process.
    #[serde(default, borrow)]
    pub process: Option<Process<'a>>,
    /// Chain-of-custody certificate.
    #[serde(default, borrow)]
    pub certificate: Option<Certificate<'a>>,
    /// Supplier lot ids.
    #[serde(default, borrow, deserialize_with = "texts")]
    pub lots: Vec<Cow<'a, str>>,
    /// ISO 22095 chain-of-custody model as written.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub chain_of_custody: Option<Cow<'a, str>>,
}

impl Recycled<'_> {
    /// Post- plus pre-consumer share, %, or `None` if neither is given.
    pub fn total(&self) -> Option<f64> {
        match (self.post_consumer, self.pre_consumer) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
        }
    }
}

/// `recycled.process`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Process<'a> {
    /// Process name.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub name: Option<Cow<'a, str>>,
    /// Food-contact authorisation of the process.
    #[serde(default, borrow)]
    pub authorisation: Option<Authorisation<'a>>,
}

/// `recycled.process.authorisation`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Authorisation<'a> {
    /// e.g. `EU-2022/1616`, `FDA-NOL`, `CN-GB4806`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub scheme: Option<Cow<'a, str>>,
    /// Register or letter number.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub number: Option<Cow<'a, str>>,
    /// Highest recycled share of the article the authorisation allows, %.
    #[serde(default)]
    pub max_share: Option<f64>,
    /// Conditions of Use the authorisation allows (FDA letters: `A`-`H`).
    #[serde(default, borrow, deserialize_with = "texts")]
    pub conditions: Vec<Cow<'a, str>>,
    /// Conditions of Use (`A`-`H`) under which the component is used.
    #[serde(default, borrow, deserialize_with = "texts")]
    pub intended_conditions: Vec<Cow<'a, str>>,
}

/// `recycled.certificate`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Certificate<'a> {
    /// e.g. `GRS`, `RCS`, `UL2809`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub scheme: Option<Cow<'a, str>>,
    /// Certificate number.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub number: Option<Cow<'a, str>>,
    /// Last day of validity.
    #[serde(default)]
    pub valid_until: Option<Date>,
}

/// `components[].properties`: lab results. Other properties than these are
/// skipped; read them from the raw submission.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Properties<'a> {
    /// g/10min.
    #[serde(default)]
    pub melt_flow_rate: Option<f64>,
    /// %.
    #[serde(default)]
    pub ash: Option<f64>,
    /// %.
    #[serde(default)]
    pub moisture: Option<f64>,
    /// g/cm3.
    #[serde(default)]
    pub density: Option<f64>,
    /// MPa.
    #[serde(default)]
    pub tensile_strength: Option<f64>,
    /// UL 94 / GB/T 2408 class as written; parse it with
    /// [`crate::FlammabilityClass::parse`].
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub flammability: Option<Cow<'a, str>>,
    /// Thickness at which the flammability class was obtained, mm.
    #[serde(default)]
    pub flammability_thickness: Option<f64>,
    /// The part's minimum wall thickness, mm.
    #[serde(default)]
    pub wall_thickness: Option<f64>,
    /// Intrinsic viscosity (PET recyclate), dL/g.
    #[serde(default)]
    pub intrinsic_viscosity: Option<f64>,
}

/// `components[].substances`: measured concentrations, mg/kg, by substance
/// name, kept as JSON text and read when asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Substances<'a> {
    raw: Option<&'a RawValue>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Substances<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Substances {
            raw: Option::<&'de RawValue>::deserialize(deserializer)?,
        })
    }
}

impl Substances<'_> {
    /// Every substance and its concentration, mg/kg; `Err` when the JSON is
    /// not a map of numbers.
    pub fn to_map(&self) -> Result<BTreeMap<String, f64>, String> {
        match self.raw {
            None => Ok(BTreeMap::new()),
            Some(raw) => serde_json::from_str(raw.get()).map_err(|e| format!("substances: {e}")),
        }
    }

    /// The concentration of `name`, mg/kg, if measured (and a number).
    pub fn get(&self, name: &str) -> Option<f64> {
        let raw = self.raw?;
        let map: BTreeMap<Cow<'_, str>, Option<f64>> = serde_json::from_str(raw.get()).ok()?;
        map.get(name).copied().flatten()
    }

    /// Whether no substance is listed.
    pub fn is_empty(&self) -> bool {
        self.raw.is_none_or(|raw| {
            let text = raw.get().trim();
            text == "{}" || text == "null"
        })
    }
}

/// `battery`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Battery<'a> {
    /// Category under Regulation (EU) 2023/1542.
    #[serde(default)]
    pub category: Option<BatteryCategory>,
    /// Chemistry as written, e.g. `li-ion-nmc`, `li-ion-lfp`, `lead-acid`.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub chemistry: Option<Cow<'a, str>>,
    /// Capacity, kWh.
    #[serde(default)]
    pub capacity: Option<f64>,
    /// Industrial battery with exclusively external storage.
    #[serde(default)]
    pub external_storage: Option<bool>,
    /// Recycled share of each metal, %.
    #[serde(default)]
    pub recycled_content: Option<RecycledContent>,
    /// Prepared for re-use, repurposing, or remanufactured (Art. 8(4)).
    #[serde(default)]
    pub second_life: Option<SecondLife>,
    /// Declared carbon footprint, kg CO2e per kWh (Art. 7).
    #[serde(default)]
    pub carbon_footprint: Option<f64>,
}

/// `battery.recycled_content`: share of each metal recovered from waste, %.
/// Other metals are skipped; read them from the raw submission.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct RecycledContent {
    /// Cobalt, of the cobalt in the active materials.
    #[serde(default)]
    pub cobalt: Option<f64>,
    /// Lithium, of the lithium in the active materials.
    #[serde(default)]
    pub lithium: Option<f64>,
    /// Nickel, of the nickel in the active materials.
    #[serde(default)]
    pub nickel: Option<f64>,
    /// Lead, of the lead in the battery.
    #[serde(default)]
    pub lead: Option<f64>,
}

/// `evidence[]`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Evidence<'a> {
    /// Id.
    #[serde(default, borrow, deserialize_with = "text")]
    pub id: Cow<'a, str>,
    /// lab-report, certificate, declaration, invoice, other.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub kind: Option<Cow<'a, str>>,
    /// Title.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub title: Option<Cow<'a, str>>,
    /// SHA-256 of the document, hex.
    #[serde(default, borrow, deserialize_with = "opt_text")]
    pub sha256: Option<Cow<'a, str>>,
}

#[cfg(test)]
impl serde::Serialize for Substances<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_map()
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// `value` without the owned types' catch-all entries (`"*"`), which the
    /// view does not build.
    fn without_other(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("*");
                map.values_mut().for_each(without_other);
            }
            Value::Array(items) => items.iter_mut().for_each(without_other),
            _ => {}
        }
    }

    /// Every field of the published schema reads the same in the view as
    /// in the owned types (`schemas/submission.schema.json`, one of each).
    #[test]
    fn the_view_reads_every_field_as_the_owned_types_do() {
        let document = crate::submission::schema_agrees::every_field();
        let text = document.to_string();
        let owned: crate::Submission = serde_json::from_str(&text).unwrap();
        let view = Submission::from_json(&text).unwrap();
        let mut expected = serde_json::to_value(&owned).unwrap();
        without_other(&mut expected);
        let read = serde_json::to_value(&view).unwrap();
        assert_eq!(read, expected);
        // Not vacuous: the document has components with substances and
        // the view read them.
        assert!(!view.components.is_empty());
        assert!(!view.components[0].substances.is_empty());
        assert_eq!(view.json(), text);
    }

    fn sample() -> Value {
        json!({
            "id": "S\"1",
            "product": {"name": "Pack", "sector": "battery", "markets": ["EU", "cn"]},
            "components": [{
                "id": "C1", "name": "café\tlid", "part": "casing",
                "material": {"class": "plastic", "polymer": "PC/ABS"},
                "properties": {"flammability": "V-0", "gloss": "high", "wall_thickness": 2.5},
                "substances": {"lead": 20.0, "mercury": 0.5, "note": null},
                "future_field": {"anything": [1, 2]}
            }, {
                "id": "C2", "material": {"class": "wood"}, "substances": {}
            }],
            "battery": {"category": "ev", "recycled_content": {"cobalt": 18.0, "manganese": 3.0}}
        })
    }

    #[test]
    fn text_is_borrowed_unless_escaped() {
        let text = sample().to_string();
        let s = Submission::from_json(&text).unwrap();
        assert_eq!(s.id, "S\"1");
        assert!(matches!(s.id, Cow::Owned(_)));
        let c = &s.components[0];
        assert!(matches!(c.id, Cow::Borrowed("C1")));
        assert!(matches!(c.part, Some(Cow::Borrowed("casing"))));
        assert_eq!(c.name.as_deref(), Some("café\tlid"));
        assert!(matches!(c.name, Some(Cow::Owned(_))));
        assert_eq!(c.label(), "C1 (café\tlid)");
        assert!(s.product.sold_in("CN") && !s.product.sold_in("US"));
        assert_eq!(s.components[1].material.class, MaterialClass::Other);
    }

    #[test]
    fn substances_are_read_on_demand() {
        let text = sample().to_string();
        let s = Submission::from_json(&text).unwrap();
        let (c1, c2) = (&s.components[0].substances, &s.components[1].substances);
        assert_eq!(c1.get("mercury"), Some(0.5));
        assert_eq!(c1.get("cadmium"), None);
        assert_eq!(c1.get("note"), None);
        assert!(!c1.is_empty() && c2.is_empty());
        assert!(c1.to_map().unwrap_err().contains("substances"));
        assert_eq!(c2.to_map().unwrap().len(), 0);
        let none = Substances::default();
        assert!(none.is_empty() && none.get("lead").is_none());
        let mut v = sample();
        v["components"][0]["substances"] = json!({"lead": 20.0});
        let text = v.to_string();
        let s = Submission::from_json(&text).unwrap();
        let map = s.components[0].substances.to_map().unwrap();
        assert_eq!(map.get("lead"), Some(&20.0));
    }

    #[test]
    fn other_entries_are_skipped_and_wrong_types_are_errors() {
        let text = sample().to_string();
        let s = Submission::from_json(&text).unwrap();
        let c = &s.components[0];
        assert_eq!(c.properties.wall_thickness, Some(2.5));
        assert_eq!(c.properties.flammability.as_deref(), Some("V-0"));
        let rc = s.battery.unwrap().recycled_content.unwrap();
        assert_eq!((rc.cobalt, rc.lead), (Some(18.0), None));
        let mut v = sample();
        v["components"][0]["properties"]["wall_thickness"] = json!("thick");
        let text = v.to_string();
        let err = Submission::from_json(&text).unwrap_err();
        assert!(err.to_string().contains("invalid type: string"), "{err}");
        v["components"][0]["properties"]["wall_thickness"] = Value::Null;
        let text = v.to_string();
        let s = Submission::from_json(&text).unwrap();
        assert_eq!(s.components[0].properties.wall_thickness, None);
    }
}
