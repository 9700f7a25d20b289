//! The crates depend on each other in one direction only, and the core has
//! no WebAssembly runtime. Each crate's README says what it must not depend
//! on; this test holds them to it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

/// Each workspace crate and the workspace crates it may depend on (normal
/// dependencies; tests and benches may use more).
const ALLOWED: &[(&str, &[&str])] = &[
    ("recert-packs", &[]),
    ("recert-plugin-abi", &[]),
    ("recert-core", &["recert-packs", "recert-plugin-abi"]),
    ("recert-wasm-host", &["recert-core", "recert-plugin-abi"]),
    (
        "recert-authoring",
        &["recert-core", "recert-packs", "recert-wasm-host"],
    ),
    ("recert-engine", &["recert-core", "recert-wasm-host"]),
    ("recert-serve", &["recert-engine"]),
    ("recert-plugin-sdk", &["recert-plugin-abi"]),
    ("battery-casing", &["recert-plugin-sdk"]),
    ("food-contact", &["recert-plugin-sdk"]),
    ("recycled-plastic-quality", &["recert-plugin-sdk"]),
    ("recert-bundled-plugins", &[]),
    (
        "recert",
        &[
            "recert-core",
            "recert-engine",
            "recert-authoring",
            "recert-bundled-plugins",
            "recert-serve",
        ],
    ),
];

/// Crates that must never be in the core's dependency tree.
const NOT_IN_CORE: &[&str] = &["wasmtime", "wasmtime-wasi", "cranelift-codegen", "tokio"];

fn cargo(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Workspace crate → the workspace crates it depends on (normal kind).
fn workspace_edges() -> BTreeMap<String, BTreeSet<String>> {
    let metadata: Value = serde_json::from_str(&cargo(&[
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
        "--offline",
    ]))
    .unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let members: BTreeSet<&str> = packages
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    packages
        .iter()
        .map(|package| {
            let deps = package["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap())
                .filter(|name| members.contains(name))
                .map(str::to_owned)
                .collect();
            (package["name"].as_str().unwrap().to_owned(), deps)
        })
        .collect()
}

#[test]
fn crates_depend_only_in_the_allowed_direction() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    for (name, deps) in workspace_edges() {
        let Some(may) = allowed.get(name.as_str()) else {
            panic!("crate `{name}` is not in ALLOWED: say which crates it may depend on");
        };
        for dep in &deps {
            assert!(
                may.contains(&dep.as_str()),
                "`{name}` must not depend on `{dep}` (allowed: {may:?})"
            );
        }
    }
}

#[test]
fn the_core_has_no_webassembly_runtime() {
    let tree = cargo(&[
        "tree",
        "-p",
        "recert-core",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--offline",
    ]);
    let names: BTreeSet<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(
        names.contains("cel"),
        "unexpected `cargo tree` output:\n{tree}"
    );
    for banned in NOT_IN_CORE {
        assert!(
            !names.contains(banned),
            "recert-core depends on `{banned}`:\n{tree}"
        );
    }
}
