//! Which Art. 8 metals a battery chemistry contains in its active materials
//! (lead: in the battery).
//!
//! Regulation (EU) 2023/1542 Art. 8 applies to batteries "that contain
//! cobalt, lead, lithium or nickel in active materials" (STANDARDS B1, B3),
//! and a minimum share is only required for a metal the battery contains.
//! Submission v1 has no list of metals, only `battery.chemistry` (free text,
//! e.g. `li-ion-nmc`), so the plugin decides from the chemistry with the table
//! below, which follows the cathode and electrolyte chemistry each name
//! denotes:
//!
//! | chemistry | active-material metals | because |
//! | --- | --- | --- |
//! | `li-ion-nmc`, `li-ion-nca`, `li-ion-ncma` | Co, Li, Ni | Li(Ni,Mn,Co)O2 / Li(Ni,Co,Al)O2 cathodes |
//! | `li-ion-lco` | Co, Li | LiCoO2 cathode |
//! | `li-ion-lfp`, `li-ion-lmfp`, `li-ion-lmo` | Li | LiFePO4 / LiMnFePO4 / LiMn2O4 cathodes |
//! | `lead-acid` | Pb | lead and lead dioxide plates |
//! | `nimh`, `ni-mh`, `nicd`, `ni-cd` | Ni | nickel hydroxide positive electrode |
//!
//! Names are compared case-insensitively after trimming. Any other chemistry
//! (`other`, `li-ion-lto` whose name says nothing about the cathode,
//! `sodium-ion`, ...) is *unknown*: the recycled-content rules report `error`
//! (incomplete), never `pass`, because the plugin cannot tell whether a
//! minimum applies. A pack can extend or override the table per rule with
//! `config.chemistries`, e.g. `{ "sodium-ion": [], "li-ion-lto": ["lithium",
//! "nickel", "cobalt"] }`.
//!
//! A declared share does not by itself mean the metal is present: the
//! SUBMISSION-V1 example declares `lead: 0 %` for an NMC battery.

use serde_json::Value;

use crate::metal::Metal;

/// The Art. 8 metals of `chemistry`, from `overrides` (the rule's
/// `config.chemistries`) first, then the built-in table; `Ok(None)` when the
/// chemistry is unknown.
pub fn metals_of(chemistry: &str, overrides: Option<&Value>) -> Result<Option<Vec<Metal>>, String> {
    let name = chemistry.trim().to_ascii_lowercase();
    if let Some(table) = overrides {
        let table = table
            .as_object()
            .ok_or("config.chemistries must be a mapping from chemistry to a list of metals")?;
        let entry = table
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(&name));
        if let Some((key, list)) = entry {
            return parse_list(key, list).map(Some);
        }
    }
    Ok(built_in(&name).map(<[Metal]>::to_vec))
}

fn parse_list(key: &str, list: &Value) -> Result<Vec<Metal>, String> {
    let items = list
        .as_array()
        .ok_or_else(|| format!("config.chemistries.{key} must be a list of metals"))?;
    items
        .iter()
        .map(|item| {
            item.as_str().and_then(Metal::from_key).ok_or_else(|| {
                format!(
                    "config.chemistries.{key}: {item} is not one of cobalt, lead, lithium, nickel"
                )
            })
        })
        .collect()
}

fn built_in(name: &str) -> Option<&'static [Metal]> {
    use Metal::*;
    Some(match name {
        "li-ion-nmc" | "li-ion-nca" | "li-ion-ncma" => &[Cobalt, Lithium, Nickel],
        "li-ion-lco" => &[Cobalt, Lithium],
        "li-ion-lfp" | "li-ion-lmfp" | "li-ion-lmo" => &[Lithium],
        "lead-acid" => &[Lead],
        "nimh" | "ni-mh" | "nicd" | "ni-cd" => &[Nickel],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Metal::*;
    use serde_json::json;

    #[test]
    fn built_in_table() {
        let m = |c| metals_of(c, None).unwrap();
        assert_eq!(m("li-ion-nmc"), Some(vec![Cobalt, Lithium, Nickel]));
        assert_eq!(m(" LI-ION-NCA "), Some(vec![Cobalt, Lithium, Nickel]));
        assert_eq!(m("li-ion-lfp"), Some(vec![Lithium]));
        assert_eq!(m("lead-acid"), Some(vec![Lead]));
        assert_eq!(m("nimh"), Some(vec![Nickel]));
        assert_eq!(m("other"), None);
        assert_eq!(m("li-ion-lto"), None);
        assert_eq!(m("sodium-ion"), None);
    }

    #[test]
    fn overrides_come_first() {
        let o = json!({"Sodium-Ion": [], "li-ion-lfp": ["lithium", "nickel"]});
        assert_eq!(metals_of("sodium-ion", Some(&o)).unwrap(), Some(vec![]));
        assert_eq!(
            metals_of("li-ion-lfp", Some(&o)).unwrap(),
            Some(vec![Lithium, Nickel])
        );
        assert_eq!(metals_of("lead-acid", Some(&o)).unwrap(), Some(vec![Lead]));
    }

    #[test]
    fn malformed_overrides_are_errors() {
        assert!(metals_of("x", Some(&json!([]))).is_err());
        assert!(metals_of("x", Some(&json!({"x": "cobalt"}))).is_err());
        let e = metals_of("x", Some(&json!({"x": ["copper"]}))).unwrap_err();
        assert!(e.contains("copper"), "{e}");
    }
}
