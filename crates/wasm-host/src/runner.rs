//! Plugins for evaluation: [`PluginRegistry`] implements
//! [`recert_core::eval::PluginRunner`] on top of the host.
//!
//! A pack names its plugins (`plugins: [{ id, path?, sha256? }]`): a bundled
//! one by id, or a `.wasm` file by path (resolved against the pack's folder),
//! optionally pinned by digest. [`PluginRegistry::prepare`] loads each one
//! once per process (compiled, or taken from the artifact cache), and refuses
//! the pack, with a diagnostic at the pack's `file:line`, when a file cannot
//! be read, a pin does not match, a plugin is not a valid recert plugin, it
//! describes itself under another id, or a rule of the pack delegates to it a
//! rule its `describe()` does not declare.
//!
//! Each call runs under the pack's `limits`, overridden by
//! [`LimitOverrides`] (the command line). A call that fails becomes the
//! rule's outcome `error` with the cause; the registry and the plugin stay
//! usable. A pack that was not prepared beforehand (e.g. one `recert test`
//! discovers) is prepared on its first call; if that fails, its plugin rules
//! are outcome `error` with the diagnostics as the cause.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::Duration;

use super::{
    FailureKind, HostConfig, HostEvent, HostObserver, Limits, Plugin, PluginError, PluginHost,
};
use recert_core::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use recert_core::eval::{self, PluginOutput, PluginRunner};
use recert_core::load::{self, Format, Source};
use recert_core::pack::{Pack, PackSet, PluginLimits, PluginRef, RuleKind};
use recert_core::report;

/// A plugin shipped inside the program (the CLI passes
/// `recert_bundled_plugins::bundled()`), which packs name by id alone.
#[derive(Clone)]
pub struct BundledWasm {
    /// The id packs use (`plugins: [{ id: battery-casing }]`).
    pub id: String,
    /// The component's bytes.
    pub wasm: Cow<'static, [u8]>,
}

impl std::fmt::Debug for BundledWasm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BundledWasm")
            .field("id", &self.id)
            .field("wasm", &format_args!("<{} bytes>", self.wasm.len()))
            .finish()
    }
}

/// The operator's limits (the command line and environment): per-call
/// values that override every pack's `limits`, and ceilings that a pack's
/// `limits` may stay under but never exceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitOverrides {
    /// Largest memory of one call, in bytes (`None`: the pack's, or the default).
    pub memory_bytes: Option<u64>,
    /// Wall time of one call, the safety net behind fuel (`None`: the
    /// pack's, or the default).
    pub time: Option<Duration>,
    /// Fuel of one call (`None`: [`crate::DEFAULT_FUEL`]). Packs cannot set it.
    pub fuel: Option<u64>,
    /// The most memory a pack may give a call. Default [`MEMORY_CEILING`].
    pub memory_max: u64,
    /// The most wall time a pack may give a call. Default [`TIME_CEILING`].
    pub time_max: Duration,
    /// The fuel of all the plugin calls of one submission together
    /// (`None`: unbounded). Default [`SUBMISSION_FUEL`].
    pub submission_fuel: Option<u64>,
}

/// The default budget of all the plugin calls of one submission: ten calls'
/// worth of the default fuel.
pub const SUBMISSION_FUEL: u64 = 10 * crate::DEFAULT_FUEL;

/// The default ceiling on a pack's `limits: { memory }`: 256 MiB.
pub const MEMORY_CEILING: u64 = 256 << 20;
/// The default ceiling on a pack's `limits: { time }`: 10 s.
pub const TIME_CEILING: Duration = Duration::from_secs(10);

impl Default for LimitOverrides {
    fn default() -> Self {
        LimitOverrides {
            memory_bytes: None,
            time: None,
            fuel: None,
            memory_max: MEMORY_CEILING,
            time_max: TIME_CEILING,
            submission_fuel: Some(SUBMISSION_FUEL),
        }
    }
}

/// A pack's limit lowered to the operator's ceiling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lowered {
    /// `memory` or `time`, as the pack writes it.
    pub limit: &'static str,
    /// What the pack asked for, e.g. "600 s".
    pub asked: String,
    /// The ceiling that applies instead, e.g. "10 s".
    pub ceiling: String,
}

impl LimitOverrides {
    /// The limits of a call for a pack: the defaults, then the pack's
    /// `limits` (each lowered to its ceiling), then the operator's values.
    pub fn apply(&self, pack: &PluginLimits) -> Limits {
        self.apply_reporting(pack).0
    }

    /// [`LimitOverrides::apply`], and which of the pack's limits were
    /// lowered to a ceiling (a value the operator sets replaces the pack's
    /// and is not reported).
    pub fn apply_reporting(&self, pack: &PluginLimits) -> (Limits, Vec<Lowered>) {
        let defaults = Limits::default();
        let mut lowered = Vec::new();
        let memory = match (self.memory_bytes, pack.memory_bytes) {
            (Some(operator), _) => operator,
            (None, Some(asked)) if asked > self.memory_max => {
                lowered.push(Lowered {
                    limit: "memory",
                    asked: crate::error::human_bytes(asked),
                    ceiling: crate::error::human_bytes(self.memory_max),
                });
                self.memory_max
            }
            (None, Some(asked)) => asked,
            (None, None) => defaults.memory_bytes.min(self.memory_max),
        };
        let time = match (self.time, pack.time) {
            (Some(operator), _) => operator,
            (None, Some(asked)) if asked > self.time_max => {
                lowered.push(Lowered {
                    limit: "time",
                    asked: crate::error::human_duration(asked),
                    ceiling: crate::error::human_duration(self.time_max),
                });
                self.time_max
            }
            (None, Some(asked)) => asked,
            (None, None) => defaults.time.min(self.time_max),
        };
        let limits = Limits {
            memory_bytes: memory,
            time,
            fuel: self.fuel.unwrap_or(defaults.fuel),
            max_output_bytes: defaults.max_output_bytes,
        };
        (limits, lowered)
    }
}

/// Where a plugin's bytes come from; plugins are loaded once per origin.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Origin {
    Bundled(String),
    File(PathBuf),
}

/// The plugins of one prepared pack, by the id the pack uses, or why the
/// pack's plugins cannot run.
type PackPlugins = Result<HashMap<String, Plugin>, PackPluginsError>;

/// Why the plugins of a pack cannot run.
#[derive(Debug, Clone, thiserror::Error)]
enum PackPluginsError {
    /// Preparing the pack found problems (its diagnostics, joined by `; `).
    #[error("the plugins of pack `{pack}` cannot run: {problems}")]
    CannotRun { pack: String, problems: String },
    /// The pack was not prepared.
    #[error("the plugins of pack `{0}` could not be prepared")]
    NotPrepared(String),
}

/// Prepared packs: sha256 of the pack's text -> (its file, its plugins).
type PreparedPacks = HashMap<String, Vec<(String, Arc<PackPlugins>)>>;

/// Loads the plugins packs name and runs their rules. Share one per process
/// (`Send + Sync`); it starts the plugin host on first use.
pub struct PluginRegistry {
    config: HostConfig,
    host: OnceLock<Result<PluginHost, PluginError>>,
    bundled: Vec<BundledWasm>,
    overrides: LimitOverrides,
    observer: Option<HostObserver>,
    /// Folders outside a pack's own that its plugin paths may lead to.
    allowed_dirs: Vec<PathBuf>,
    /// Every plugin loaded so far (or why it could not be), by origin.
    loaded: Mutex<HashMap<Origin, Result<Plugin, LoadProblem>>>,
    /// Every pack prepared so far.
    packs: RwLock<PreparedPacks>,
}

impl std::fmt::Debug for PluginRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginRegistry")
            .field("config", &self.config)
            .field("bundled", &self.bundled)
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

/// Why a plugin could not be loaded: a diagnostic code and a sentence.
#[derive(Debug, Clone)]
struct LoadProblem {
    code: Code,
    message: String,
    help: Option<String>,
}

impl PluginRegistry {
    /// A registry whose host is set up with `config` (cache folder,
    /// concurrency) when the first plugin is loaded; `bundled` are the
    /// plugins packs may name by id alone.
    pub fn new(config: HostConfig, bundled: Vec<BundledWasm>, overrides: LimitOverrides) -> Self {
        PluginRegistry {
            config,
            host: OnceLock::new(),
            bundled,
            overrides,
            observer: None,
            allowed_dirs: Vec::new(),
            loaded: Mutex::new(HashMap::new()),
            packs: RwLock::new(HashMap::new()),
        }
    }

    /// Tells `observer` what the host does (a plugin compiling, a cache
    /// folder refused); the library itself never prints.
    pub fn with_observer(mut self, observer: HostObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Lets packs name plugin files under `dirs` (the operator's choice:
    /// `--allow-plugin-path`). Otherwise a plugin path must stay inside its
    /// pack's folder: not absolute, and not leading out of it through `..`
    /// or a symlink.
    pub fn with_allowed_plugin_dirs(mut self, dirs: Vec<PathBuf>) -> Self {
        self.allowed_dirs = dirs;
        self
    }

    /// The limits a call for `pack` runs under.
    pub fn limits(&self, pack: &Pack) -> Limits {
        self.overrides.apply(&pack.limits)
    }

    /// Prepares every pack of `packs` that names plugins (see
    /// [`PluginRegistry::prepare`]); all problems of all packs together.
    pub fn prepare_all(&self, packs: &PackSet) -> Result<(), Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        for pack in packs.packs() {
            if let Err(more) = self.prepare(pack) {
                diagnostics.0.extend(more.0);
            }
        }
        diagnostics.into_result(())
    }

    /// Loads the plugins `pack` names and checks them against the pack: the
    /// file is readable, the pin matches, the component is a plugin for this
    /// API, it describes itself under the id the pack uses, and it declares
    /// every rule the pack delegates to it. Problems are located in the pack
    /// file. Preparing a pack again returns the first answer.
    pub fn prepare(&self, pack: &Pack) -> Result<(), Diagnostics> {
        if pack.plugins.is_empty() {
            return Ok(());
        }
        if let Some(known) = self.prepared(pack) {
            return match known.as_ref() {
                Ok(_) => Ok(()),
                Err(error) => Err(Diagnostics::one(Diagnostic::new(
                    Code::InvalidPlugin,
                    Location::new(pack.file.clone(), "/plugins"),
                    error.to_string(),
                ))),
            };
        }
        let result = self.check_pack(pack);
        let state = match &result {
            Ok(plugins) => Ok(plugins.clone()),
            Err(diagnostics) => Err(PackPluginsError::CannotRun {
                pack: pack.id.clone(),
                problems: diagnostics
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        };
        let mut packs = self.packs.write().unwrap_or_else(PoisonError::into_inner);
        let same_text = packs.entry(pack.sha256.clone()).or_default();
        // Another thread may have prepared it meanwhile; the first answer stays.
        if !same_text.iter().any(|(file, _)| *file == pack.file) {
            same_text.push((pack.file.clone(), Arc::new(state)));
        }
        result.map(|_| ())
    }

    /// The plugins that `prepare` found for this pack, if it ran.
    fn prepared(&self, pack: &Pack) -> Option<Arc<PackPlugins>> {
        let packs = self.packs.read().unwrap_or_else(PoisonError::into_inner);
        packs
            .get(&pack.sha256)?
            .iter()
            .find(|(file, _)| *file == pack.file)
            .map(|(_, state)| Arc::clone(state))
    }

    fn check_pack(&self, pack: &Pack) -> Result<HashMap<String, Plugin>, Diagnostics> {
        let (limits, lowered) = self.overrides.apply_reporting(&pack.limits);
        if let Some(observer) = &self.observer {
            for l in &lowered {
                observer(&HostEvent::LimitLowered {
                    pack: &pack.id,
                    file: &pack.file,
                    limit: l.limit,
                    asked: &l.asked,
                    ceiling: &l.ceiling,
                });
            }
        }
        let mut diagnostics = Diagnostics::default();
        let mut locator = Locator::new(pack);
        let mut plugins = HashMap::new();
        for (index, plugin_ref) in pack.plugins.iter().enumerate() {
            let at = |field: &str| format!("/plugins/{index}/{field}");
            let origin = match &plugin_ref.path {
                Some(path) => Origin::File(path.clone()),
                None => Origin::Bundled(plugin_ref.id.clone()),
            };
            let field = if plugin_ref.path.is_some() {
                "path"
            } else {
                "id"
            };
            if let Origin::File(path) = &origin {
                let folder = std::path::Path::new(&pack.file)
                    .parent()
                    .unwrap_or(std::path::Path::new(""));
                if let Err(why) = load::confine(path, folder, &self.allowed_dirs) {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::PluginPathRefused,
                            locator.locate(&at("path")),
                            format!(
                                "plugin `{}` is not read from {}: {why}",
                                plugin_ref.id,
                                path.display()
                            ),
                        )
                        .with_help(
                            "a pack's plugin files must be inside the pack's folder; to allow another folder, run with `--allow-plugin-path DIR`",
                        ),
                    );
                    continue;
                }
            }
            let plugin = match self.load(&origin, plugin_ref, &limits) {
                Ok(plugin) => plugin,
                Err(problem) => {
                    let mut d =
                        Diagnostic::new(problem.code, locator.locate(&at(field)), problem.message);
                    if let Some(help) = problem.help {
                        d = d.with_help(help);
                    }
                    diagnostics.push(d);
                    continue;
                }
            };
            if let Some(pin) = &plugin_ref.sha256
                && !pin.eq_ignore_ascii_case(plugin.sha256())
            {
                diagnostics.push(
                    Diagnostic::new(
                        Code::PluginSha256Mismatch,
                        locator.locate(&at("sha256")),
                        format!(
                            "plugin `{}` ({}) has sha256 {}, but the pack pins {pin}; the pack is not loaded",
                            plugin_ref.id,
                            describe_origin(&origin),
                            plugin.sha256()
                        ),
                    )
                    .with_help(
                        "if the plugin was rebuilt on purpose, update the pin (`recert plugin inspect FILE.wasm` prints the digest)",
                    ),
                );
                continue;
            }
            let info = plugin.info();
            if info.id != plugin_ref.id {
                diagnostics.push(Diagnostic::new(
                    Code::PluginIdMismatch,
                    locator.locate(&at("id")),
                    format!(
                        "the pack names plugin `{}`, but {} describes itself as `{}` {}",
                        plugin_ref.id,
                        describe_origin(&origin),
                        info.id,
                        info.version
                    ),
                ));
                continue;
            }
            plugins.insert(plugin_ref.id.clone(), plugin);
        }
        for rule in &pack.rules {
            let RuleKind::Plugin { plugin, .. } = &rule.kind else {
                continue;
            };
            let Some(loaded) = plugins.get(plugin) else {
                continue;
            };
            let info = loaded.info();
            if !info.declares(&rule.id) {
                let declared: Vec<String> =
                    info.rules.iter().map(|r| format!("`{}`", r.id)).collect();
                diagnostics.push(
                    Diagnostic::new(
                        Code::UndeclaredPluginRule,
                        locator.locate(&format!("{}/id", rule.pointer)),
                        format!(
                            "rule `{}` delegates to plugin `{}` {}, which does not declare it",
                            rule.id, info.id, info.version
                        ),
                    )
                    .with_help(if declared.is_empty() {
                        "the plugin declares no rules".to_owned()
                    } else {
                        format!("the plugin declares {}", declared.join(", "))
                    }),
                );
            }
        }
        diagnostics.into_result(plugins)
    }

    /// The plugin from `origin`, loaded once.
    fn load(
        &self,
        origin: &Origin,
        plugin_ref: &PluginRef,
        limits: &Limits,
    ) -> Result<Plugin, LoadProblem> {
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = loaded.get(origin) {
            return known.clone();
        }
        let result = self.load_new(origin, plugin_ref, limits);
        loaded.insert(origin.clone(), result.clone());
        result
    }

    fn load_new(
        &self,
        origin: &Origin,
        plugin_ref: &PluginRef,
        limits: &Limits,
    ) -> Result<Plugin, LoadProblem> {
        let problem = |code, message: String| LoadProblem {
            code,
            message,
            help: None,
        };
        let (name, wasm): (String, Cow<'_, [u8]>) = match origin {
            Origin::Bundled(id) => match self.bundled.iter().find(|b| b.id == *id) {
                Some(b) => (id.clone(), Cow::Borrowed(b.wasm.as_ref())),
                None => {
                    let known: Vec<String> =
                        self.bundled.iter().map(|b| format!("`{}`", b.id)).collect();
                    return Err(LoadProblem {
                        code: Code::UnknownPlugin,
                        message: format!(
                            "plugin `{}` is not bundled with recert (bundled: {})",
                            plugin_ref.id,
                            if known.is_empty() {
                                "none".to_owned()
                            } else {
                                known.join(", ")
                            }
                        ),
                        help: Some(
                            "to use a plugin of your own, give its `.wasm` file: `path: plugins/NAME.wasm` (relative to the pack)".to_owned(),
                        ),
                    });
                }
            },
            Origin::File(path) => match load::read_bounded(path, self.config.max_component_bytes) {
                Ok(bytes) => (path.display().to_string(), Cow::Owned(bytes)),
                Err(load::ReadError::NotFound) => {
                    return Err(LoadProblem {
                        code: Code::PluginNotFound,
                        message: format!(
                            "cannot read plugin `{}` from {}: no such file",
                            plugin_ref.id,
                            path.display()
                        ),
                        help: Some(
                            "`path` is relative to the pack file; build the plugin first (`recert plugin build DIR` prints where its .wasm is)".to_owned(),
                        ),
                    });
                }
                Err(error) => {
                    return Err(LoadProblem {
                        code: Code::PluginUnreadable,
                        message: format!(
                            "cannot read plugin `{}` from {}: {}",
                            plugin_ref.id,
                            path.display(),
                            plugin_file_error(&error, self.config.max_component_bytes)
                        ),
                        help: None,
                    });
                }
            },
        };
        let host = self
            .host
            .get_or_init(|| PluginHost::with_observer(self.config.clone(), self.observer.clone()))
            .as_ref()
            .map_err(|error| problem(Code::PluginHost, error.to_string()))?;
        host.load(&name, &wasm, limits)
            .map_err(|error| problem(Code::InvalidPlugin, error.to_string()))
    }

    /// The plugins of `pack`, preparing it first if needed.
    fn plugins_of(&self, pack: &Pack) -> Arc<PackPlugins> {
        if let Some(known) = self.prepared(pack) {
            return known;
        }
        // Records the answer (errors included) for the next call.
        let _ = self.prepare(pack);
        self.prepared(pack)
            .unwrap_or_else(|| Arc::new(Err(PackPluginsError::NotPrepared(pack.id.clone()))))
    }
}

impl PluginRunner for PluginRegistry {
    fn prepare(&self, pack: &Pack) -> Result<(), Diagnostics> {
        PluginRegistry::prepare(self, pack)
    }

    fn run(&self, request: &eval::PluginRequest<'_>) -> Result<PluginOutput, String> {
        let plugins = self.plugins_of(request.pack);
        let plugins = plugins.as_ref().as_ref().map_err(ToString::to_string)?;
        let plugin = plugins.get(request.plugin).ok_or_else(|| {
            format!(
                "plugin `{}` is not one of the plugins pack `{}` names",
                request.plugin, request.pack.id
            )
        })?;
        let mut limits = self.limits(request.pack);
        // A call gets no more fuel than the submission has left; if that is
        // what stops it, the submission's budget is spent.
        let capped = request.budget_left.filter(|left| *left < limits.fuel);
        if let Some(left) = capped {
            limits.fuel = left;
        }
        let info = plugin.info();
        let (findings, spent) = plugin.evaluate_metered(&request.call, &limits);
        let findings = findings.map_err(|mut failure| {
            if let (Some(_), FailureKind::FuelLimit { .. }) = (capped, &failure.kind) {
                failure.kind = FailureKind::SubmissionBudget {
                    budget: self.overrides.submission_fuel.unwrap_or_default(),
                };
            }
            failure.to_string()
        });
        Ok(PluginOutput {
            plugin: report::PluginInfo {
                id: info.id.clone(),
                version: info.version.clone(),
                sha256: plugin.sha256().to_owned(),
            },
            findings,
            spent,
        })
    }

    fn submission_budget(&self) -> Option<u64> {
        self.overrides.submission_fuel
    }
}

/// Why a plugin file was not read (with `cap` the largest size allowed), in words.
pub fn plugin_file_error(error: &load::ReadError, cap: u64) -> String {
    match error {
        load::ReadError::TooLarge(len) => format!(
            "it is {len} bytes or more; the limit for a plugin is {}",
            bytes_in_words(cap)
        ),
        other => other.to_string(),
    }
}

/// `16777216 bytes (16 MiB)`, `1024 bytes (1 KiB)`, `1000 bytes`.
pub(crate) fn bytes_in_words(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{bytes} bytes ({} MiB)", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{bytes} bytes ({} KiB)", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

fn describe_origin(origin: &Origin) -> String {
    match origin {
        Origin::Bundled(id) => format!("the bundled plugin `{id}`"),
        Origin::File(path) => path.display().to_string(),
    }
}

/// Finds lines in a pack's file, read only when a diagnostic needs one.
struct Locator<'a> {
    pack: &'a Pack,
    source: Option<Option<Source>>,
}

impl<'a> Locator<'a> {
    fn new(pack: &'a Pack) -> Self {
        Locator { pack, source: None }
    }

    /// `file:line:col` of `pointer` in the pack, or the file alone when its
    /// text is not at hand.
    fn locate(&mut self, pointer: &str) -> Location {
        let pack = self.pack;
        let source = self.source.get_or_insert_with(|| pack_source(pack));
        match source {
            Some(source) => load::locate(source, pointer),
            None => Location::new(pack.file.clone(), pointer),
        }
    }
}

/// The text the pack was compiled from: its file, or the bundled copy, as
/// long as its digest is the pack's.
fn pack_source(pack: &Pack) -> Option<Source> {
    let same = |text: &str| super::sha256_hex(text.as_bytes()) == pack.sha256;
    if let Ok(source) = Source::read(std::path::Path::new(&pack.file))
        && same(&source.text)
    {
        return Some(Source::from_text(
            pack.file.clone(),
            source.text,
            Format::Yaml,
        ));
    }
    recert_core::pack::bundled_sources()
        .into_iter()
        .find(|s| same(&s.text))
        .map(|s| Source::from_text(pack.file.clone(), s.text, Format::Yaml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_merge_defaults_pack_and_overrides() {
        let pack = PluginLimits {
            memory_bytes: Some(32 << 20),
            time: Some(Duration::from_millis(500)),
        };
        let none = LimitOverrides::default();
        assert_eq!(none.apply(&PluginLimits::default()), Limits::default());
        let from_pack = none.apply(&pack);
        assert_eq!(from_pack.memory_bytes, 32 << 20);
        assert_eq!(from_pack.time, Duration::from_millis(500));
        let cli = LimitOverrides {
            memory_bytes: Some(128 << 20),
            ..LimitOverrides::default()
        };
        let merged = cli.apply(&pack);
        assert_eq!(merged.memory_bytes, 128 << 20);
        assert_eq!(merged.time, Duration::from_millis(500));
    }

    #[test]
    fn a_pack_cannot_raise_the_ceilings() {
        let greedy = PluginLimits {
            memory_bytes: Some(4 << 30),
            time: Some(Duration::from_secs(600)),
        };
        let (limits, lowered) = LimitOverrides::default().apply_reporting(&greedy);
        assert_eq!(limits.memory_bytes, MEMORY_CEILING);
        assert_eq!(limits.time, TIME_CEILING);
        assert_eq!(
            lowered,
            vec![
                Lowered {
                    limit: "memory",
                    asked: "4 GiB".into(),
                    ceiling: "256 MiB".into()
                },
                Lowered {
                    limit: "time",
                    asked: "600 s".into(),
                    ceiling: "10 s".into()
                },
            ]
        );
        let operator = LimitOverrides {
            memory_max: 32 << 20,
            time_max: Duration::from_millis(200),
            ..LimitOverrides::default()
        };
        let (limits, _) = operator.apply_reporting(&PluginLimits::default());
        assert_eq!(limits.memory_bytes, 32 << 20);
        assert_eq!(limits.time, Duration::from_millis(200));
        let (limits, lowered) = operator.apply_reporting(&PluginLimits {
            memory_bytes: Some(16 << 20),
            time: Some(Duration::from_millis(100)),
        });
        assert_eq!(limits.memory_bytes, 16 << 20, "a pack may lower");
        assert_eq!(limits.time, Duration::from_millis(100));
        assert!(lowered.is_empty());
    }
}
