//! The test files of the bundled packs, compiled in so that `recert explain`
//! shows a bundled rule's examples from any folder.

use super::test_source;
use crate::lint::TestSource;

/// (file name, text) of the test file of every bundled pack. A test checks
/// that this list and the `*.test.yaml` files in `rules/` agree.
pub(crate) const BUNDLED_TESTS: &[(&str, &str)] = &[
    (
        "eu-packaging.test.yaml",
        include_str!("../../../rules/eu-packaging.test.yaml"),
    ),
    (
        "eu-eee-substances.test.yaml",
        include_str!("../../../rules/eu-eee-substances.test.yaml"),
    ),
    (
        "eu-batteries.test.yaml",
        include_str!("../../../rules/eu-batteries.test.yaml"),
    ),
];

/// The bundled test files, named `rules/NAME.test.yaml`.
pub(crate) fn tests() -> Vec<TestSource> {
    BUNDLED_TESTS
        .iter()
        .map(|(name, text)| test_source(&format!("rules/{name}"), text))
        .collect()
}
