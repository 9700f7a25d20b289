//! The packs compiled into recert, so `recert check` works from any folder.

use super::PackSource;

/// (file name, text) of every bundled pack. A test checks that this list and
/// the `.yaml` packs in `rules/` agree.
const BUNDLED: &[(&str, &str)] = &[
    (
        "eu-packaging.yaml",
        include_str!("../../../rules/eu-packaging.yaml"),
    ),
    (
        "eu-eee-substances.yaml",
        include_str!("../../../rules/eu-eee-substances.yaml"),
    ),
    (
        "eu-batteries.yaml",
        include_str!("../../../rules/eu-batteries.yaml"),
    ),
];

/// The bundled packs, named `rules/NAME.yaml` in diagnostics and reports.
pub fn bundled_sources() -> Vec<PackSource> {
    BUNDLED
        .iter()
        .map(|(name, text)| PackSource {
            name: format!("rules/{name}"),
            text: (*text).to_owned(),
            dir: None,
        })
        .collect()
}
