//! `recert plugin new|build|inspect`: plugin author tooling.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use clap::{Args, Subcommand};
use recert_engine::format::{RenderError, pretty_json};
use recert_engine::plugin::{HostConfig, Inspection, Limits, PluginHost, inspect, sha256_hex};
use recert_engine::untrusted::Text;
use serde::Serialize;
use serde_json::Value;

use crate::exit::Exit;
use crate::format::{Format, Formats, Render};
use crate::output::{note, write_output};

/// The guest SDK of the recert source tree this binary was built from.
const SOURCE_SDK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/plugins/sdk");

#[path = "../../plugins/wasm_target.rs"]
mod wasm_target;
use wasm_target::TARGET;

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Create a plugin crate from a template: the plugin with one example
    /// rule and native tests, a pack that uses it, pack tests and an example
    /// submission.
    #[command(after_help = "Examples:
  recert plugin new acme-recycled
  recert plugin new acme-recycled --dir plugins/acme --sdk ../recert/plugins/sdk

Then, in the new folder:
  cargo test                 # the plugin's logic, natively
  recert plugin build .      # the WebAssembly component, its path and sha256
  recert test pack/ --allow-plugin-path target  # the pack's tests, through the plugin")]
    New(NewArgs),

    /// Build a plugin crate into a WebAssembly component; print its path and sha256.
    ///
    /// Runs `cargo build --target wasm32-wasip2 --release` in DIR. The
    /// target is installed once with `rustup target add wasm32-wasip2`.
    #[command(after_help = "Examples:
  recert plugin build .
  recert plugin build plugins/acme --format json

Exit codes: 0 built, 1 the build failed, 2 DIR is not a crate or the target is missing.")]
    Build(BuildArgs),

    /// Show what a plugin component is: plugin API version, id, version,
    /// declared rules, imports, exports and sha256.
    ///
    /// The component is loaded in the sandbox to ask its `describe()`, as
    /// `recert check` would; nothing else runs.
    #[command(after_help = "Examples:
  recert plugin inspect target/wasm32-wasip2/release/acme_recycled.wasm
  recert plugin inspect plugin.wasm --format json

Exit codes: 0 a valid plugin, 2 not a component, or not a plugin recert can load (the reason is printed).")]
    Inspect(InspectArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The plugin's id and crate name: lowercase letters, digits and `-`,
    /// starting with a letter (e.g. `acme-recycled`). Rule ids start with it.
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Create the crate in DIR (default: ./NAME). It must not exist or be empty.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// The `plugins/sdk` folder of a recert source tree, for the SDK
    /// dependency. Default: the source tree recert was built from, if it is
    /// still there.
    #[arg(long, value_name = "PATH")]
    pub sdk: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The plugin crate (the folder with its Cargo.toml).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Output format.
    #[arg(long, value_parser = FORMATS, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The component (`.wasm`).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Output format.
    #[arg(long, value_parser = FORMATS, default_value = "text")]
    pub format: Format,
}

/// Output formats of `recert plugin build` and `inspect`.
pub(crate) const FORMATS: Formats =
    Formats(&[(Format::Text, "For people"), (Format::Json, "JSON")]);

pub fn run(command: PluginCommand) -> Exit {
    match command {
        PluginCommand::New(args) => new(&args),
        PluginCommand::Build(args) => build(&args),
        PluginCommand::Inspect(args) => inspect_file(&args),
    }
}

// ---- new ---------------------------------------------------------------

/// The template, one file per entry: (path in the new crate, text).
const TEMPLATE: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("plugin_template/Cargo.toml.in")),
    (".gitignore", include_str!("plugin_template/gitignore.in")),
    ("README.md", include_str!("plugin_template/README.md.in")),
    ("src/lib.rs", include_str!("plugin_template/lib.rs.in")),
    (
        "wit/plugin.wit",
        include_str!("../../plugins/wit/plugin.wit"),
    ),
    (
        "pack/{{name}}.yaml",
        include_str!("plugin_template/pack.yaml.in"),
    ),
    (
        "pack/{{name}}.test.yaml",
        include_str!("plugin_template/pack.test.yaml.in"),
    ),
    (
        "examples/submission.yaml",
        include_str!("plugin_template/submission.yaml.in"),
    ),
];

fn new(args: &NewArgs) -> Exit {
    match create(args) {
        Ok(dir) => {
            let shown = dir.display();
            let text = format!(
                "Created plugin `{name}` in {shown}\n\nNext:\n  cd {shown}\n  cargo test                # the plugin's logic, natively\n  recert plugin build .     # the component: its path and sha256\n  recert test pack/ --allow-plugin-path target  # the pack's tests, through the plugin\n  recert check examples/submission.yaml --packs pack/ --no-bundled --at 2030-01-01 --allow-plugin-path target\n",
                name = args.name
            );
            write_output(None, &text)
        }
        Err(message) => {
            note(format!("error: {message}"));
            Exit::Invalid
        }
    }
}

fn create(args: &NewArgs) -> Result<PathBuf, String> {
    let name = args.name.as_str();
    check_name(name)?;
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from(name));
    if dir.exists() {
        let empty = std::fs::read_dir(&dir)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(format!(
                "{} already exists and is not an empty folder; choose another NAME or --dir",
                dir.display()
            ));
        }
    }
    let sdk = sdk_dir(args.sdk.as_deref())?;
    let vars = [
        ("{{name}}", name.to_owned()),
        ("{{crate}}", name.replace('-', "_")),
        ("{{type}}", type_name(name)),
        ("{{rule}}", format!("{name}-min-recycled")),
        ("{{sdk}}", toml_escape(&sdk.display().to_string())),
    ];
    let fill = |text: &str| {
        vars.iter().fold(text.to_owned(), |text, (key, value)| {
            text.replace(key, value)
        })
    };
    let write = |relative: &str, text: &str| -> Result<(), String> {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    for (path, text) in TEMPLATE {
        write(&fill(path), &fill(text))?;
    }
    // The versions recert's own plugins were built and tested with; cargo
    // drops what the plugin does not use. Also lets it build offline.
    if let Some(lock) = sdk
        .parent()
        .and_then(Path::parent)
        .map(|root| root.join("Cargo.lock"))
        && let Ok(text) = std::fs::read_to_string(lock)
    {
        write("Cargo.lock", &text)?;
    }
    Ok(dir)
}

/// Crate names, plugin ids and rule-id prefixes in one: `acme-recycled`.
fn check_name(name: &str) -> Result<(), String> {
    let valid = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(format!(
            "`{name}` cannot name a plugin: use lowercase letters, digits and `-` (at most 64), starting with a letter, e.g. `acme-recycled`"
        ));
    }
    const RESERVED: &[&str] = &["std", "core", "alloc", "test", "self", "crate"];
    if RESERVED.contains(&name) {
        return Err(format!(
            "`{name}` is the name of a Rust built-in crate; choose another, e.g. `acme-{name}`"
        ));
    }
    Ok(())
}

/// `acme-recycled` -> `AcmeRecycled`.
fn type_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split('-').filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

fn toml_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The SDK folder to depend on, as an absolute path.
fn sdk_dir(given: Option<&Path>) -> Result<PathBuf, String> {
    let (dir, from_flag) = match given {
        Some(dir) => (dir.to_path_buf(), true),
        None => (PathBuf::from(SOURCE_SDK), false),
    };
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml"));
    let is_sdk = manifest
        .as_deref()
        .is_ok_and(|m| m.contains("name = \"recert-plugin-sdk\""));
    if !is_sdk {
        return Err(if from_flag {
            format!(
                "{} is not the recert plugin SDK (its Cargo.toml should name `recert-plugin-sdk`); give the `plugins/sdk` folder of a recert source tree",
                dir.display()
            )
        } else {
            format!(
                "the recert source tree this binary was built from is not here any more ({} is missing); give --sdk PATH, the `plugins/sdk` folder of a recert source tree",
                dir.display()
            )
        });
    }
    std::fs::canonicalize(&dir).map_err(|e| format!("{}: {e}", dir.display()))
}

// ---- build -------------------------------------------------------------

fn build(args: &BuildArgs) -> Exit {
    let dir = &args.dir;
    if !dir.join("Cargo.toml").is_file() {
        note(format!(
            "error: {} has no Cargo.toml; give the folder of a plugin crate (`recert plugin new NAME` makes one)",
            dir.display()
        ));
        return Exit::Invalid;
    }
    if let Err(message) = check_target(dir) {
        note(format!("error: {message}"));
        return Exit::Invalid;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    note(format!(
        "Building {} for {TARGET} (cargo build --target {TARGET} --release)",
        dir.display()
    ));
    let child = Command::new(cargo)
        .current_dir(dir)
        .args(["build", "--target", TARGET, "--release"])
        .arg("--message-format=json-render-diagnostics")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) => {
            note(format!("error: cannot run cargo: {error}"));
            return Exit::Invalid;
        }
    };
    let mut wasm = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            wasm.extend(components_in(&line));
        }
    }
    let status = match child.wait() {
        Ok(status) => status,
        Err(error) => {
            note(format!("error: cargo did not finish: {error}"));
            return Exit::Fail;
        }
    };
    if !status.success() {
        note(format!(
            "error: the build failed ({status}); cargo's messages are above"
        ));
        return Exit::Fail;
    }
    if wasm.is_empty() {
        note(
            "error: the build made no .wasm component; a plugin crate needs `crate-type = [\"cdylib\", \"rlib\"]` under [lib]",
        );
        return Exit::Fail;
    }
    let mut built = Vec::new();
    for path in wasm {
        match std::fs::read(&path) {
            Ok(bytes) => built.push((path, sha256_hex(&bytes), bytes.len())),
            Err(error) => {
                note(format!("error: cannot read {}: {error}", path.display()));
                return Exit::Fail;
            }
        }
    }
    let text = match Built(built).render(args.format, &()) {
        Ok(text) => text,
        Err(error) => {
            note(format!("error: {error}"));
            return Exit::Invalid;
        }
    };
    if args.format == Format::Text {
        note("Pin it in a pack: plugins: [{ id: ..., path: ..., sha256: <the digest above> }]");
    }
    write_output(None, &text)
}

/// The components a build made: path, sha256, size in bytes.
pub(crate) struct Built(Vec<(PathBuf, String, usize)>);

impl Render for Built {
    const WHAT: &'static str = "a list of built components";
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json];
    type Options = ();

    /// Text: `wasm:`, `sha256:`, `size:` lines per component. JSON: one
    /// [`JsonBuilt`], or a list of them when the build made several.
    fn render(&self, format: Format, _: &()) -> Result<String, RenderError> {
        match format {
            Format::Text => {
                let mut text = String::new();
                for (path, sha256, size) in &self.0 {
                    text.push_str(&format!(
                        "wasm:   {}\nsha256: {sha256}\nsize:   {size} bytes\n",
                        path.display()
                    ));
                }
                Ok(text)
            }
            Format::Json => {
                let items: Vec<JsonBuilt<'_>> = self
                    .0
                    .iter()
                    .map(|(path, sha256, size)| JsonBuilt {
                        sha256,
                        size_bytes: *size,
                        wasm: path.display().to_string(),
                    })
                    .collect();
                match items.as_slice() {
                    [one] => pretty_json(one),
                    _ => pretty_json(&items),
                }
            }
            _ => Err(RenderError::unsupported::<Self>(format)),
        }
    }
}

/// `recert plugin build --format json`: a wire format, for scripts that pin
/// the component in a pack. Keys in alphabetical order, as they always were.
#[derive(Serialize)]
struct JsonBuilt<'a> {
    /// Lowercase hex sha256 of the component: the pack's `sha256` pin.
    sha256: &'a str,
    /// The component's size.
    size_bytes: usize,
    /// The component's path.
    wasm: String,
}

/// The `.wasm` files of the cdylib targets in one line of cargo's JSON messages.
fn components_in(line: &str) -> Vec<PathBuf> {
    let Ok(message) = serde_json::from_str::<Value>(line) else {
        return Vec::new();
    };
    if message.get("reason").and_then(Value::as_str) != Some("compiler-artifact") {
        return Vec::new();
    }
    let is_cdylib = message
        .pointer("/target/kind")
        .and_then(Value::as_array)
        .is_some_and(|kinds| kinds.iter().any(|k| k == "cdylib"));
    if !is_cdylib {
        return Vec::new();
    }
    message
        .get("filenames")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|f| f.ends_with(".wasm"))
        .map(PathBuf::from)
        .collect()
}

/// Fails with the fix when the standard library for the target is missing.
fn check_target(dir: &Path) -> Result<(), String> {
    let has_core = wasm_target::installed(Some(dir))
        .map_err(|e| format!("cannot run rustc: {e}; is Rust installed (https://rustup.rs)?"))?;
    if has_core {
        Ok(())
    } else {
        Err(format!(
            "the {TARGET} target is not installed; install it with: rustup target add {TARGET}"
        ))
    }
}

// ---- inspect -----------------------------------------------------------

fn inspect_file(args: &InspectArgs) -> Exit {
    let name = args.file.display().to_string();
    // A regular file of at most MAX_PLUGIN_BYTES: `/dev/zero` or a FIFO is
    // refused at once, without reading.
    let bytes = match recert_engine::plugin::read_plugin_file(&args.file) {
        Ok(bytes) => bytes,
        Err(error) => {
            note(format!("error: cannot read {name}: {error}"));
            return Exit::Invalid;
        }
    };
    // Loaded to ask `describe()`; not cached: inspecting a file must leave
    // nothing behind.
    let inspected = match PluginHost::new(HostConfig {
        cache_dir: None,
        max_concurrency: 1,
        ..HostConfig::default()
    }) {
        Ok(host) => host
            .inspect_and_load(&name, &bytes, &Limits::default())
            .map(|(inspection, loaded)| (inspection, loaded.err())),
        // Without a host the component is still shown, with why it was not loaded.
        Err(host_error) => inspect(&name, &bytes).map(|inspection| (inspection, Some(host_error))),
    };
    let (inspection, error) = match inspected {
        Ok((inspection, error)) => (inspection, error.map(|e| e.to_string())),
        Err(error) => {
            note(format!("error: {error}"));
            return Exit::Invalid;
        }
    };
    let inspected = Inspected {
        file: &name,
        inspection: &inspection,
        error: error.as_deref(),
    };
    let written = match inspected.render(args.format, &()) {
        Ok(text) => write_output(None, &text),
        Err(error) => {
            note(format!("error: {error}"));
            Exit::Invalid
        }
    };
    match error {
        Some(error) => {
            note(format!("error: {error}"));
            Exit::Invalid
        }
        None => written,
    }
}

fn api_support(inspection: &Inspection) -> &'static str {
    match inspection.api_supported() {
        Some(true) => "supported",
        Some(false) => "not supported by this recert",
        None => "not a recert plugin",
    }
}

fn inspection_text(name: &str, inspection: &Inspection) -> String {
    let mut out = String::new();
    // Everything but the labels comes from the component: shown through
    // `Text`, without its control characters.
    let mut line = |label: &str, value: &str| out.push_str(&format!("{label:<9}{}\n", Text(value)));
    line("file:", name);
    line("sha256:", &inspection.sha256);
    line("size:", &format!("{} bytes", inspection.size_bytes));
    line(
        "API:",
        &match &inspection.api_version {
            Some(v) => format!("recert:plugin/rules@{v} ({})", api_support(inspection)),
            None => format!("none ({})", api_support(inspection)),
        },
    );
    if let Some(info) = &inspection.info {
        line("id:", &info.id);
        line("version:", &info.version);
        line("title:", &info.title);
        out.push_str(&format!("rules ({}):\n", info.rules.len()));
        for rule in &info.rules {
            out.push_str(&format!(
                "  {}  {} / {}\n      {}, {}\n",
                Text(&rule.id),
                Text(&rule.title_en),
                Text(&rule.title_zh),
                Text(&rule.reference.standard),
                Text(&rule.reference.clause)
            ));
        }
    }
    out.push_str(&format!("imports ({}):\n", inspection.imports.len()));
    for import in &inspection.imports {
        out.push_str(&format!("  {}\n", Text(import)));
    }
    out.push_str(&format!("exports ({}):\n", inspection.exports.len()));
    for export in &inspection.exports {
        out.push_str(&format!("  {}\n", Text(export)));
    }
    out
}

/// A component as `recert plugin inspect` shows it.
pub(crate) struct Inspected<'a> {
    /// The file as given.
    file: &'a str,
    inspection: &'a Inspection,
    /// Why it cannot be loaded, if it cannot.
    error: Option<&'a str>,
}

impl Render for Inspected<'_> {
    const WHAT: &'static str = "a plugin inspection";
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json];
    type Options = ();

    /// Text: a `label: value` line each, then the rules, imports and
    /// exports. JSON: [`JsonInspection`], indented.
    fn render(&self, format: Format, _: &()) -> Result<String, RenderError> {
        match format {
            Format::Text => Ok(inspection_text(self.file, self.inspection)),
            Format::Json => pretty_json(&JsonInspection::new(self)),
            _ => Err(RenderError::unsupported::<Self>(format)),
        }
    }
}

/// `recert plugin inspect --format json`: a wire format, for scripts that
/// check components before they are pinned in a pack. One object; keys in
/// alphabetical order, as they always were. `id`, `rules`, `title` and
/// `version` (from the plugin's `describe()`) are there when the plugin
/// loaded; `error` (why not, or `null`) when it did not.
#[derive(Serialize)]
struct JsonInspection<'a> {
    /// Whether this recert supports the plugin API the component was built for.
    api_supported: bool,
    /// The plugin API version it exports (`1.0.0`), or `null`: not a plugin.
    api_version: Option<&'a str>,
    /// Why the plugin did not load.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Option<&'a str>>,
    /// Every top-level export.
    exports: &'a [String],
    /// The file as given.
    file: &'a str,
    /// The plugin's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    /// Every top-level import.
    imports: &'a [String],
    /// The rules it declares.
    #[serde(skip_serializing_if = "Option::is_none")]
    rules: Option<Vec<JsonPluginRule<'a>>>,
    /// Lowercase hex sha256 of the component.
    sha256: &'a str,
    /// The component's size.
    size_bytes: usize,
    /// The plugin's one-line description.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    /// The plugin's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
}

/// A rule in [`JsonInspection`].
#[derive(Serialize)]
struct JsonPluginRule<'a> {
    id: &'a str,
    reference: JsonPluginReference<'a>,
    title: JsonTitle<'a>,
}

/// The clause of a [`JsonPluginRule`].
#[derive(Serialize)]
struct JsonPluginReference<'a> {
    clause: &'a str,
    standard: &'a str,
}

/// The title of a [`JsonPluginRule`] in English and Chinese.
#[derive(Serialize)]
struct JsonTitle<'a> {
    en: &'a str,
    zh: &'a str,
}

impl<'a> JsonInspection<'a> {
    fn new(inspected: &Inspected<'a>) -> Self {
        let inspection = inspected.inspection;
        let info = inspection.info.as_ref();
        JsonInspection {
            api_supported: inspection.api_supported() == Some(true),
            api_version: inspection.api_version.as_deref(),
            error: match info {
                Some(_) => None,
                None => Some(inspected.error),
            },
            exports: &inspection.exports,
            file: inspected.file,
            id: info.map(|i| i.id.as_str()),
            imports: &inspection.imports,
            rules: info.map(|i| {
                i.rules
                    .iter()
                    .map(|r| JsonPluginRule {
                        id: &r.id,
                        reference: JsonPluginReference {
                            clause: &r.reference.clause,
                            standard: &r.reference.standard,
                        },
                        title: JsonTitle {
                            en: &r.title_en,
                            zh: &r.title_zh,
                        },
                    })
                    .collect()
            }),
            sha256: &inspection.sha256,
            size_bytes: inspection.size_bytes,
            title: info.map(|i| i.title.as_str()),
            version: info.map(|i| i.version.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(check_name("acme-recycled").is_ok());
        assert!(check_name("acme2").is_ok());
        for bad in [
            "Acme", "1acme", "acme-", "ac me", "", "test", "acme.x", "acme_x",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn type_names_are_camel_case() {
        assert_eq!(type_name("acme-recycled-x2"), "AcmeRecycledX2");
        assert_eq!(type_name("a"), "A");
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_escape(r#"C:\x\"y"#), r#"C:\\x\\\"y"#);
    }

    #[test]
    fn only_cdylib_wasm_artifacts_are_components() {
        let cdylib = r#"{"reason":"compiler-artifact","target":{"kind":["cdylib","rlib"]},"filenames":["/t/a.wasm","/t/liba.rlib"]}"#;
        assert_eq!(components_in(cdylib), vec![PathBuf::from("/t/a.wasm")]);
        let dep = r#"{"reason":"compiler-artifact","target":{"kind":["lib"]},"filenames":["/t/libserde.rlib"]}"#;
        assert!(components_in(dep).is_empty());
        assert!(components_in("not json").is_empty());
        assert!(components_in(r#"{"reason":"build-finished","success":true}"#).is_empty());
    }

    #[test]
    fn every_template_placeholder_is_known() {
        let known = ["{{name}}", "{{crate}}", "{{type}}", "{{rule}}", "{{sdk}}"];
        for (path, text) in TEMPLATE {
            let mut rest = *text;
            while let Some(start) = rest.find("{{") {
                let end = rest[start..]
                    .find("}}")
                    .map_or(rest.len(), |e| start + e + 2);
                let placeholder = &rest[start..end];
                assert!(known.contains(&placeholder), "{path}: {placeholder}");
                rest = &rest[end..];
            }
        }
    }
}
