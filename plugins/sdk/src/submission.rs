//! Typed view of a normalized `recert.submission/v1` (see SUBMISSION-V1).
//!
//! recert validates a submission against its JSON Schema and converts every
//! quantity to its canonical unit *before* a plugin sees it, so every quantity
//! here is an `f64`: masses in kg, shares in % (0–100), concentrations in
//! mg/kg, energy in kWh, thickness in mm, density in g/cm3, strength in MPa,
//! melt flow rate in g/10min.
//!
//! The structs tolerate unknown fields (a later v1.x may add optional ones) and
//! make every optional field an `Option`. Closed vocabularies (sector, material
//! class, battery category) map values this SDK does not know to an `Other`
//! variant instead of failing. Fields not modelled here are still reachable
//! through [`crate::Request::raw_submission`].

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::Date;

/// `Deserialize` for a struct of known optional fields plus `other`, a map
/// of every other key. Written by hand because `#[serde(flatten)]` buffers
/// the whole map before reading it, which made parsing a submission in a
/// plugin several times slower (these structs occur once per component).
macro_rules! known_fields_and_other {
    ($ty:ident, $what:literal, { $($field:ident),* $(,)? }) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Fields;
                impl<'de> serde::de::Visitor<'de> for Fields {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a map of ", $what))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$ty, A::Error> {
                        let mut out = $ty::default();
                        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                            match key.as_ref() {
                                $(stringify!($field) => out.$field = map.next_value()?,)*
                                _ => {
                                    out.other.insert(key.into_owned(), map.next_value()?);
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                deserializer.deserialize_map(Fields)
            }
        }
    };
}

/// A map key, borrowed from the input when it can be.
pub(crate) struct Key<'de>(pub(crate) std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A whole submission.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Submission {
    /// `recert.submission/v1`.
    #[serde(default)]
    pub schema: Option<String>,
    /// The submission's id.
    #[serde(default)]
    pub id: String,
    /// When the submission was made.
    #[serde(default)]
    pub date: Option<Date>,
    /// Who submits.
    #[serde(default)]
    pub applicant: Option<Applicant>,
    /// The product.
    pub product: Product,
    /// The bill of materials, in order; finding paths index into it.
    #[serde(default)]
    pub components: Vec<Component>,
    /// Battery data; present when `product.sector` is `battery`.
    #[serde(default)]
    pub battery: Option<Battery>,
    /// Documents behind the claims.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// The applicant.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Applicant {
    /// Legal name.
    #[serde(default)]
    pub name: String,
    /// Unified Social Credit Code (China), if given.
    #[serde(default)]
    pub credit_code: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    #[serde(default)]
    pub country: Option<String>,
}

/// The product.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Product {
    /// Product name.
    #[serde(default)]
    pub name: String,
    /// Sector; selects the applicable packs.
    pub sector: Sector,
    /// Free-text, sector-specific category (e.g. `ev-battery`).
    #[serde(default)]
    pub category: Option<String>,
    /// Vehicle category of EU type approval (`M1`, `N1`, `L`, ...), for a
    /// submission that is a whole vehicle.
    #[serde(default)]
    pub vehicle_type: Option<String>,
    /// Markets: ISO alpha-2 codes or `EU`.
    #[serde(default)]
    pub markets: Vec<String>,
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
    /// Consumer-facing recycled-content labels: `GRS`, `RCS-100`,
    /// `RCS-blended`.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Exemptions the applicant claims; each pack decides which it accepts.
    #[serde(default)]
    pub exemptions: Vec<Exemption>,
}

/// `product.exemptions[]`: an exemption or scope exclusion the applicant
/// claims. A claim is not proof; a rule that applies one says so.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Exemption {
    /// The act, by number: `2025/40`, `2011/65/EU`, `2023/1542`, ...
    pub regulation: String,
    /// The clause as the act numbers it: `Art. 7(4)(f)`.
    pub clause: String,
    /// Why the product qualifies, in words.
    #[serde(default)]
    pub reason: Option<String>,
}

impl Product {
    /// Whether `market` (e.g. `"EU"`, `"CN"`) is among the markets.
    pub fn sold_in(&self, market: &str) -> bool {
        self.markets.iter().any(|m| m.eq_ignore_ascii_case(market))
    }
}

/// `product.sector`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "kebab-case")]
pub enum Sector {
    /// Packaging.
    Packaging,
    /// Automotive.
    Automotive,
    /// Electrical and electronic equipment.
    ElectricalElectronic,
    /// Batteries.
    Battery,
    /// Textiles.
    Textile,
    /// Construction.
    Construction,
    /// `other`, or a value this SDK does not know.
    #[serde(other)]
    Other,
}

/// One entry of the bill of materials.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Component {
    /// Unique within the submission.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Role of the part, e.g. `casing`, `housing`, `frame`.
    #[serde(default)]
    pub part: Option<String>,
    /// What the part does, from the schema's list: `structural`, `housing`,
    /// `moving`, `trim`, `casing` or `other`; `None` when not declared.
    #[serde(default)]
    pub part_role: Option<String>,
    /// What it is made of.
    pub material: Material,
    /// Mass, kg (required by the schema; `None` only if a host omitted it).
    #[serde(default)]
    pub mass: Option<f64>,
    /// Recycled-content claim; `None` means none is claimed.
    #[serde(default)]
    pub recycled: Option<Recycled>,
    /// Lab results.
    #[serde(default)]
    pub properties: Properties,
    /// Measured concentrations, mg/kg, by substance name.
    #[serde(default)]
    pub substances: BTreeMap<String, f64>,
}

impl Component {
    /// `"C3 (PC/ABS housing)"`: the id and, if any, the name, for messages.
    pub fn label(&self) -> String {
        component_label(&self.id, self.name.as_deref())
    }
}

/// `"C3 (PC/ABS housing)"` from a component's id and name (none, or empty:
/// the id alone); the owned and the borrowed view's `label`.
pub(crate) fn component_label(id: &str, name: Option<&str>) -> String {
    // Pushed, not `format!`ted: cheaper in a guest.
    let mut label = String::from(id);
    if let Some(name) = name.filter(|n| !n.is_empty()) {
        label.reserve(name.len() + 3);
        label.push_str(" (");
        label.push_str(name);
        label.push(')');
    }
    label
}

/// `components[].material`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Material {
    /// Material class.
    pub class: MaterialClass,
    /// Polymer, for plastics (PET, PE-HD, PP, ABS, PC/ABS, ...).
    #[serde(default)]
    pub polymer: Option<String>,
    /// Fibre, for `class: fibre` (polyester, polyamide, cotton, wool,
    /// cashmere, viscose, acrylic, elastane, other).
    #[serde(default)]
    pub fibre: Option<String>,
    /// Made wholly or partly from biomass (absent = false).
    #[serde(default)]
    pub bio_based: Option<bool>,
    /// Grade.
    #[serde(default)]
    pub grade: Option<String>,
}

/// `components[].material.class`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "kebab-case")]
pub enum MaterialClass {
    /// Plastic.
    Plastic,
    /// Steel.
    Steel,
    /// Aluminium.
    Aluminium,
    /// Copper.
    Copper,
    /// Lead.
    Lead,
    /// Glass.
    Glass,
    /// Paper.
    Paper,
    /// Fibre.
    Fibre,
    /// Rubber.
    Rubber,
    /// `other`, or a value this SDK does not know.
    #[serde(other)]
    Other,
}

/// `components[].recycled`: the recycled-content claim.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Recycled {
    /// Post-consumer share of the component's mass, %.
    #[serde(default)]
    pub post_consumer: Option<f64>,
    /// Pre-consumer share of the component's mass, %.
    #[serde(default)]
    pub pre_consumer: Option<f64>,
    /// Where the recyclate comes from (packaging, weee, batteries, ...).
    #[serde(default)]
    pub source: Option<String>,
    /// Share of the post-consumer recycled content recycled from
    /// end-of-life vehicles or parts removed during use, %.
    #[serde(default)]
    pub from_end_of_life_vehicles: Option<f64>,
    /// Recovered from the same product category.
    #[serde(default)]
    pub closed_loop: Option<bool>,
    /// Recycling technology.
    #[serde(default)]
    pub technology: Option<String>,
    /// The recycling process.
    #[serde(default)]
    pub process: Option<Process>,
    /// Chain-of-custody certificate.
    #[serde(default)]
    pub certificate: Option<Certificate>,
    /// Supplier lot ids.
    #[serde(default)]
    pub lots: Vec<String>,
    /// ISO 22095 chain-of-custody model as written: `identity-preserved`,
    /// `segregated`, `controlled-blending`, `mass-balance`, `book-and-claim`.
    #[serde(default)]
    pub chain_of_custody: Option<String>,
}

impl Recycled {
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
pub struct Process {
    /// Process name.
    #[serde(default)]
    pub name: Option<String>,
    /// Food-contact authorisation of the process.
    #[serde(default)]
    pub authorisation: Option<Authorisation>,
}

/// `recycled.process.authorisation`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Authorisation {
    /// e.g. `EU-2022/1616`, `FDA-NOL`, `CN-GB4806`.
    #[serde(default)]
    pub scheme: Option<String>,
    /// Register or letter number.
    #[serde(default)]
    pub number: Option<String>,
    /// Highest recycled share of the article the authorisation allows, %
    /// (e.g. an FDA No Objection Letter's maximum PCR share).
    #[serde(default)]
    pub max_share: Option<f64>,
    /// Conditions of Use the authorisation allows (FDA letters: `A`-`H`).
    #[serde(default)]
    pub conditions: Vec<String>,
    /// Conditions of Use (`A`-`H`) under which the component is used.
    #[serde(default)]
    pub intended_conditions: Vec<String>,
}

/// `recycled.certificate`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Certificate {
    /// e.g. `GRS`, `RCS`, `UL2809`.
    #[serde(default)]
    pub scheme: Option<String>,
    /// Certificate number.
    #[serde(default)]
    pub number: Option<String>,
    /// Last day of validity.
    #[serde(default)]
    pub valid_until: Option<Date>,
}

/// `components[].properties`: lab results.
#[derive(Debug, Clone, Default)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Properties {
    /// g/10min.
    pub melt_flow_rate: Option<f64>,
    /// %.
    pub ash: Option<f64>,
    /// %.
    pub moisture: Option<f64>,
    /// g/cm3.
    pub density: Option<f64>,
    /// MPa.
    pub tensile_strength: Option<f64>,
    /// UL 94 / GB/T 2408 class as written (`HB`, `V-2`, `V-1`, `V-0`, `5VB`,
    /// `5VA`); parse it with [`crate::FlammabilityClass::parse`].
    pub flammability: Option<String>,
    /// Thickness at which the flammability class was obtained, mm.
    pub flammability_thickness: Option<f64>,
    /// The part's minimum wall thickness, mm.
    pub wall_thickness: Option<f64>,
    /// Intrinsic viscosity (PET recyclate), dL/g.
    pub intrinsic_viscosity: Option<f64>,
    /// Any other property, as JSON.
    #[cfg_attr(test, serde(rename = "*"))]
    pub other: BTreeMap<String, Value>,
}

known_fields_and_other!(Properties, "lab results (`properties`)", {
    melt_flow_rate,
    ash,
    moisture,
    density,
    tensile_strength,
    flammability,
    flammability_thickness,
    wall_thickness,
    intrinsic_viscosity,
});

/// `battery`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Battery {
    /// Category under Regulation (EU) 2023/1542.
    #[serde(default)]
    pub category: Option<BatteryCategory>,
    /// Chemistry as written, e.g. `li-ion-nmc`, `li-ion-lfp`, `lead-acid`.
    #[serde(default)]
    pub chemistry: Option<String>,
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

/// `battery.second_life` (Regulation (EU) 2023/1542 Art. 8(4)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "kebab-case")]
pub enum SecondLife {
    /// Prepared for re-use.
    Reused,
    /// Prepared for repurposing.
    Repurposed,
    /// Remanufactured.
    Remanufactured,
    /// A value this SDK does not know.
    #[serde(other)]
    Other,
}

impl SecondLife {
    /// The value as written in a submission.
    pub fn as_str(self) -> &'static str {
        match self {
            SecondLife::Reused => "reused",
            SecondLife::Repurposed => "repurposed",
            SecondLife::Remanufactured => "remanufactured",
            SecondLife::Other => "other",
        }
    }
}

/// `battery.category`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "kebab-case")]
pub enum BatteryCategory {
    /// Portable battery.
    Portable,
    /// Light means of transport battery.
    Lmt,
    /// Starting, lighting and ignition battery.
    Sli,
    /// Industrial battery.
    Industrial,
    /// Electric vehicle battery.
    Ev,
    /// A value this SDK does not know.
    #[serde(other)]
    Other,
}

impl BatteryCategory {
    /// The value as written in a submission.
    pub fn as_str(self) -> &'static str {
        match self {
            BatteryCategory::Portable => "portable",
            BatteryCategory::Lmt => "lmt",
            BatteryCategory::Sli => "sli",
            BatteryCategory::Industrial => "industrial",
            BatteryCategory::Ev => "ev",
            BatteryCategory::Other => "other",
        }
    }
}

/// `battery.recycled_content`: share of each metal recovered from waste, %.
#[derive(Debug, Clone, Default)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct RecycledContent {
    /// Cobalt, of the cobalt in the active materials.
    pub cobalt: Option<f64>,
    /// Lithium, of the lithium in the active materials.
    pub lithium: Option<f64>,
    /// Nickel, of the nickel in the active materials.
    pub nickel: Option<f64>,
    /// Lead, of the lead in the battery.
    pub lead: Option<f64>,
    /// Any other metal, %.
    #[cfg_attr(test, serde(rename = "*"))]
    pub other: BTreeMap<String, Value>,
}

known_fields_and_other!(RecycledContent, "recycled shares (`recycled_content`)", {
    cobalt,
    lithium,
    nickel,
    lead,
});

/// `evidence[]`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Evidence {
    /// Id.
    #[serde(default)]
    pub id: String,
    /// lab-report, certificate, declaration, invoice, other.
    #[serde(default)]
    pub kind: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// SHA-256 of the document, hex.
    #[serde(default)]
    pub sha256: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn full() -> Value {
        json!({
            "schema": "recert.submission/v1",
            "id": "SUB-1",
            "date": "2026-11-20",
            "applicant": {"name": "ACME", "country": "CN"},
            "product": {"name": "Pack", "sector": "battery", "markets": ["EU", "cn"], "mass": 450.0},
            "components": [{
                "id": "C1", "name": "lid", "part": "casing",
                "material": {"class": "plastic", "polymer": "PC/ABS"},
                "mass": 12.5,
                "recycled": {"post_consumer": 25.0, "pre_consumer": 5.0,
                             "certificate": {"scheme": "GRS", "number": "X", "valid_until": "2027-06-30"}},
                "properties": {"flammability": "V-0", "flammability_thickness": 2.0, "gloss": "high"},
                "substances": {"lead": 20.0, "mercury": 0.5},
                "future_field": {"anything": true}
            }],
            "battery": {"category": "ev", "chemistry": "li-ion-nmc", "capacity": 75.0,
                        "recycled_content": {"cobalt": 18.0, "lithium": 7.0, "nickel": 7.0, "manganese": 3.0}},
            "evidence": [{"id": "E1", "kind": "lab-report"}]
        })
    }

    #[test]
    fn reads_the_optional_v1_additions() {
        let mut v = full();
        v["product"]["exemptions"] = json!([
            {"regulation": "2025/40", "clause": "Art. 7(4)(f)", "reason": "UN 3H1 jerrycan"},
            {"regulation": "2011/65/EU", "clause": "Art. 2(4)(d)"}
        ]);
        v["components"][0]["properties"]["wall_thickness"] = json!(2.5);
        v["battery"]["second_life"] = json!("repurposed");
        v["battery"]["carbon_footprint"] = json!(61.5);
        let s: Submission = serde_json::from_value(v).unwrap();
        let e = &s.product.exemptions;
        assert_eq!(
            (e[0].regulation.as_str(), e[0].clause.as_str()),
            ("2025/40", "Art. 7(4)(f)")
        );
        assert_eq!(e[0].reason.as_deref(), Some("UN 3H1 jerrycan"));
        assert_eq!(e[1].reason, None);
        let c = &s.components[0];
        assert_eq!(c.properties.wall_thickness, Some(2.5));
        assert!(!c.properties.other.contains_key("wall_thickness"));
        let b = s.battery.unwrap();
        assert_eq!(b.second_life, Some(SecondLife::Repurposed));
        assert_eq!(b.second_life.unwrap().as_str(), "repurposed");
        assert_eq!(b.carbon_footprint, Some(61.5));
        // Absent, they are empty: every v1 document stays readable.
        let s: Submission = serde_json::from_value(full()).unwrap();
        assert!(s.product.exemptions.is_empty());
        assert_eq!(s.battery.unwrap().second_life, None);
    }

    #[test]
    fn reads_a_normalized_submission() {
        let s: Submission = serde_json::from_value(full()).unwrap();
        assert_eq!(s.product.sector, Sector::Battery);
        assert!(s.product.sold_in("CN") && s.product.sold_in("eu") && !s.product.sold_in("US"));
        let c = &s.components[0];
        assert_eq!(c.material.class, MaterialClass::Plastic);
        assert_eq!(c.properties.flammability.as_deref(), Some("V-0"));
        assert_eq!(c.properties.other.get("gloss"), Some(&json!("high")));
        assert_eq!(c.substances.get("mercury"), Some(&0.5));
        let r = c.recycled.as_ref().unwrap();
        assert_eq!(r.total(), Some(30.0));
        assert_eq!(
            r.certificate.as_ref().unwrap().valid_until,
            Some(Date::ymd(2027, 6, 30))
        );
        let b = s.battery.unwrap();
        assert_eq!(b.category, Some(BatteryCategory::Ev));
        let rc = b.recycled_content.unwrap();
        assert_eq!((rc.cobalt, rc.lead), (Some(18.0), None));
        assert_eq!(rc.other.get("manganese"), Some(&json!(3.0)));
        assert_eq!(c.label(), "C1 (lid)");
    }

    #[test]
    fn text_and_value_read_the_same() {
        let from_text: Submission = serde_json::from_str(&full().to_string()).unwrap();
        let c = &from_text.components[0];
        assert_eq!(c.properties.flammability_thickness, Some(2.0));
        assert_eq!(c.properties.other.len(), 1);
        assert_eq!(c.properties.other.get("gloss"), Some(&json!("high")));
        let rc = from_text.battery.unwrap().recycled_content.unwrap();
        assert_eq!((rc.cobalt, rc.nickel), (Some(18.0), Some(7.0)));
        assert_eq!(rc.other.get("manganese"), Some(&json!(3.0)));
        // A known field of the wrong type is an error naming it, as before.
        let mut v = full();
        v["components"][0]["properties"]["flammability_thickness"] = json!("thick");
        let err = serde_json::from_str::<Submission>(&v.to_string()).unwrap_err();
        assert!(err.to_string().contains("invalid type: string"), "{err}");
        // `null` is absent.
        v["components"][0]["properties"]["flammability_thickness"] = Value::Null;
        let s: Submission = serde_json::from_value(v).unwrap();
        assert_eq!(s.components[0].properties.flammability_thickness, None);
        // Not a map.
        let mut v = full();
        v["battery"]["recycled_content"] = json!([1]);
        let err = serde_json::from_value::<Submission>(v).unwrap_err();
        assert!(
            err.to_string().contains("a map of recycled shares"),
            "{err}"
        );
    }

    #[test]
    fn unknown_vocabulary_maps_to_other() {
        let mut v = full();
        v["product"]["sector"] = json!("toys");
        v["components"][0]["material"]["class"] = json!("wood");
        v["battery"]["category"] = json!("stationary");
        let s: Submission = serde_json::from_value(v).unwrap();
        assert_eq!(s.product.sector, Sector::Other);
        assert_eq!(s.components[0].material.class, MaterialClass::Other);
        assert_eq!(s.battery.unwrap().category, Some(BatteryCategory::Other));
    }

    #[test]
    fn recycled_total_is_none_without_shares() {
        assert_eq!(Recycled::default().total(), None);
        let only_pre = Recycled {
            pre_consumer: Some(4.0),
            ..Recycled::default()
        };
        assert_eq!(only_pre.total(), Some(4.0));
    }
}

/// The types above against the published schema,
/// `schemas/submission.schema.json`, the one place a submission's fields are
/// declared: a document with every field the schema names, read into a
/// [`Submission`] and written back, has the same fields, no more and no
/// fewer. A field added to the schema fails here until it has its typed
/// field above (named entries of an open map, such as `properties` or
/// `recycled_content`, included: the catch-all `other` does not count); a
/// field here that the schema does not have fails too.
#[cfg(test)]
pub(crate) mod schema_agrees {
    use std::collections::BTreeSet;

    use serde_json::{Value, json};

    use super::Submission;

    fn published() -> Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schemas/submission.schema.json"
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
        while let Some(pointer) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            node = root.pointer(pointer).unwrap();
        }
        node
    }

    /// A normalized value for the schema `node`, with every field it names.
    fn sample(root: &Value, node: &Value) -> Value {
        let node = resolve(root, node);
        if node.get("x-recert-quantity").is_some() {
            // Normalized: a number in the canonical unit.
            return json!(1.5);
        }
        for keyword in ["const", "enum", "examples"] {
            if let Some(value) = node.get(keyword) {
                return value.get(0).unwrap_or(value).clone();
            }
        }
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            return properties
                .iter()
                .map(|(name, field)| (name.clone(), sample(root, field)))
                .collect();
        }
        if let Some(items) = node.get("items") {
            return json!([sample(root, items)]);
        }
        match node.get("type").and_then(Value::as_str) {
            Some("boolean") => json!(true),
            Some("object") => json!({}),
            _ => json!("text"),
        }
    }

    /// Every field path of `value`: `/components/[]/recycled/post_consumer`.
    fn paths(value: &Value, at: &str, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (name, inner) in map {
                    let here = format!("{at}/{name}");
                    paths(inner, &here, out);
                    out.insert(here);
                }
            }
            Value::Array(items) => {
                for item in items {
                    paths(item, &format!("{at}/[]"), out);
                }
            }
            _ => {}
        }
    }

    /// A normalized document with every field of the published schema.
    pub(crate) fn every_field() -> Value {
        let schema = published();
        sample(&schema, &schema)
    }

    /// The fields `schema` has and the SDK does not, and the other way
    /// round.
    fn differences(schema: &Value) -> (Vec<String>, Vec<String>) {
        let document = sample(schema, schema);
        let typed: Submission = serde_json::from_value(document.clone()).unwrap();
        let written = serde_json::to_value(&typed).unwrap();
        let (mut declared, mut modelled) = (BTreeSet::new(), BTreeSet::new());
        paths(&document, "", &mut declared);
        paths(&written, "", &mut modelled);
        // The catch-all `other` of an open map.
        modelled.retain(|path| !path.contains("/*"));
        (
            declared.difference(&modelled).cloned().collect(),
            modelled.difference(&declared).cloned().collect(),
        )
    }

    #[test]
    fn the_sdk_types_have_every_field_of_the_schema_and_no_other() {
        let (missing, extra) = differences(&published());
        assert!(
            missing.is_empty(),
            "fields of schemas/submission.schema.json without a typed field in \
             plugins/sdk/src/submission.rs: {missing:?}"
        );
        assert!(
            extra.is_empty(),
            "fields of plugins/sdk/src/submission.rs that \
             schemas/submission.schema.json does not have: {extra:?}"
        );
    }

    #[test]
    fn a_field_added_to_the_schema_only_is_found() {
        let mut schema = published();
        schema["$defs"]["battery"]["properties"]["not_in_the_sdk"] =
            json!({"$ref": "#/$defs/mass"});
        schema["$defs"]["properties"]["properties"]["gloss"] = json!({"type": "string"});
        schema["$defs"]["evidence"]["properties"]
            .as_object_mut()
            .unwrap()
            .remove("title");
        let (missing, extra) = differences(&schema);
        assert_eq!(
            missing,
            ["/battery/not_in_the_sdk", "/components/[]/properties/gloss"]
        );
        assert_eq!(extra, ["/evidence/[]/title"]);
    }
}
