//! The rule packs bundled with recert, as data.
//!
//! Each pack is compiled into the binary (so `recert check` works from any
//! folder) together with its test file (so `recert explain` shows a bundled
//! rule's examples). This crate holds text only: it depends on nothing, and
//! `recert-core` turns the texts into packs.

/// One bundled file: its name in `rules/` and its text.
#[derive(Debug, Clone, Copy)]
pub struct BundledFile {
    /// File name, e.g. `eu-packaging.yaml`.
    pub name: &'static str,
    /// The file's text.
    pub text: &'static str,
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(BundledFile { name: $name, text: include_str!(concat!("../", $name)) }),*]
    };
}

/// Every bundled pack. A test checks that this list and the `.yaml` packs in
/// `rules/` agree.
pub const PACKS: &[BundledFile] = bundled![
    "eu-packaging.yaml",
    "eu-eee-substances.yaml",
    "eu-batteries.yaml",
    "food-contact.yaml",
    "recycled-plastic-quality.yaml",
    "traceability.yaml",
    "eu-vehicles.yaml",
    "textile-claims.yaml",
    "cn-market.yaml",
];

/// The test file of every bundled pack. A test checks that this list and the
/// `*.test.yaml` files in `rules/` agree.
pub const TESTS: &[BundledFile] = bundled![
    "eu-packaging.test.yaml",
    "eu-eee-substances.test.yaml",
    "eu-batteries.test.yaml",
    "food-contact.test.yaml",
    "recycled-plastic-quality.test.yaml",
    "traceability.test.yaml",
    "eu-vehicles.test.yaml",
    "textile-claims.test.yaml",
    "cn-market.test.yaml",
];

/// The folder that bundled files are named from in diagnostics and reports.
pub const FOLDER: &str = "rules";
