//! The plugin host: one wasmtime `Engine` per process (epoch interruption,
//! pooling allocator), one `InstancePre` per plugin, and a fresh `Store` and
//! instance per call (a trap poisons an instance; a fresh one is cheap).

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use wasmtime::component::{Component, Linker};
use wasmtime::{
    Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, Trap,
    WasmBacktraceDetails,
};

use recert_plugin_abi::Finding;

use super::bindings;
use super::cache::ArtifactCache;
use super::error::{FailureKind, PluginError, PluginFailure};
use super::events::{HostEvent, HostObserver};
use super::inspect::{Inspection, check_api, inspect};
use super::sandbox::{Sandbox, TailPipe};
use super::types::{Limits, PluginFinding, PluginInfo, PluginRequest};
use super::validate;

/// How often the epoch advances; the time limit's granularity.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Pooling-allocator slots reserved per concurrent call.
const CORE_INSTANCES_PER_COMPONENT: u32 = 64;
const MEMORIES_PER_COMPONENT: u32 = 4;
const TABLES_PER_COMPONENT: u32 = 16;
const TABLE_ELEMENTS: usize = 1 << 18;
/// The pool does not cap memory below wasm32's 4 GiB: the per-call
/// [`Limits::memory_bytes`] is enforced by the store's limiter, which records
/// denials so that they are reported as a memory limit.
const POOL_MAX_MEMORY: u64 = 4 << 30;
/// At most this many bytes of a pooled linear memory (and of a table) that
/// a call dirtied are reset in place when it ends (Linux's `PAGEMAP_SCAN`
/// finds them), instead of being handed back to the kernel with `madvise`:
/// the next call on the slot takes no page faults for them, and no other
/// core's TLB is flushed (with two workers, every `madvise` interrupted the
/// other one). Only pages a guest touched stay resident: peak RSS of a
/// batch did not change.
const KEEP_RESIDENT: usize = 16 << 20;
const TABLE_KEEP_RESIDENT: usize = 1 << 20;

/// How the process-wide plugin host is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostConfig {
    /// Directory for compiled components (`None`: compile on every load).
    /// It must be writable only by the user running recert.
    pub cache_dir: Option<PathBuf>,
    /// How many plugin calls may run at once (sizes the pooling allocator;
    /// further calls wait for a free slot; 0 is taken as 1). Default: the
    /// number of CPUs.
    pub max_concurrency: u32,
    /// The largest component the host reads and compiles, in bytes (the
    /// operator's `--plugin-size-max`): compiling takes CPU and memory
    /// that grow with the size. Default [`MAX_PLUGIN_BYTES`](crate::MAX_PLUGIN_BYTES).
    pub max_component_bytes: u64,
}

impl Default for HostConfig {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        HostConfig {
            cache_dir: None,
            max_concurrency: u32::try_from(cpus).unwrap_or(u32::MAX),
            max_component_bytes: crate::MAX_PLUGIN_BYTES,
        }
    }
}

/// The plugin host: compiles, links and runs plugins. Make one per process
/// and share it (`Send + Sync`); the plugins it loads keep it alive.
pub struct PluginHost {
    inner: Arc<HostInner>,
}

struct HostInner {
    engine: Engine,
    linker: Linker<Sandbox>,
    cache: Option<ArtifactCache>,
    observer: Option<HostObserver>,
    slots: Slots,
    max_component_bytes: u64,
    _ticker: Ticker,
}

impl PluginHost {
    /// Starts the host: the engine, the allocator pool, the WASI linker and
    /// the epoch ticker thread (stopped when the host and all its plugins
    /// are dropped).
    pub fn new(config: HostConfig) -> Result<Self, PluginError> {
        Self::with_observer(config, None)
    }

    /// [`PluginHost::new`], telling `observer` what the host is doing
    /// (a plugin compiling, a cache folder refused): see [`HostEvent`].
    pub fn with_observer(
        config: HostConfig,
        observer: Option<HostObserver>,
    ) -> Result<Self, PluginError> {
        let host_err = |e: wasmtime::Error| PluginError::Host(format!("{e:#}"));
        let concurrency = config.max_concurrency.max(1);
        let mut pool = PoolingAllocationConfig::new();
        pool.total_component_instances(concurrency)
            .max_core_instances_per_component(CORE_INSTANCES_PER_COMPONENT)
            .total_core_instances(concurrency.saturating_mul(CORE_INSTANCES_PER_COMPONENT))
            .max_memories_per_component(MEMORIES_PER_COMPONENT)
            .total_memories(concurrency.saturating_mul(MEMORIES_PER_COMPONENT))
            .max_tables_per_component(TABLES_PER_COMPONENT)
            .total_tables(concurrency.saturating_mul(TABLES_PER_COMPONENT))
            .table_elements(TABLE_ELEMENTS)
            .total_stacks(concurrency)
            .max_memory_size(usize::try_from(POOL_MAX_MEMORY).unwrap_or(usize::MAX));
        // Without `PAGEMAP_SCAN` (Linux before 6.7, other systems), keeping
        // memory resident means `memset`ting its first bytes whether the
        // call touched them or not, which can cost more than it saves.
        if PoolingAllocationConfig::is_pagemap_scan_available() {
            pool.linear_memory_keep_resident(KEEP_RESIDENT)
                .table_keep_resident(TABLE_KEEP_RESIDENT)
                .pagemap_scan(Enabled::Yes);
        }
        let mut wasm = Config::new();
        // Fuel is the deterministic budget; the epoch deadline is the
        // wall-clock safety net behind it.
        wasm.consume_fuel(true)
            .epoch_interruption(true)
            .parallel_compilation(true)
            .wasm_backtrace_max_frames(NonZeroUsize::new(32))
            // Not from the environment (WASMTIME_BACKTRACE_DETAILS): the
            // same input gives the same messages everywhere.
            .wasm_backtrace_details(WasmBacktraceDetails::Disable)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        let engine = Engine::new(&wasm).map_err(host_err)?;
        let mut linker = Linker::new(&engine);
        super::sandbox::add_to_linker(&mut linker).map_err(host_err)?;
        let ticker = Ticker::start(engine.clone())
            .map_err(|e| PluginError::Host(format!("cannot start the epoch thread: {e}")))?;
        let cache = config
            .cache_dir
            .map(|dir| ArtifactCache::new(dir, &engine, observer.clone()));
        Ok(PluginHost {
            inner: Arc::new(HostInner {
                engine,
                linker,
                cache,
                observer,
                slots: Slots::new(concurrency),
                max_component_bytes: config.max_component_bytes,
                _ticker: ticker,
            }),
        })
    }

    /// Loads a plugin: reads its API version from its exports before
    /// anything else (a plugin for `recert:plugin@2.x` is refused with
    /// "built for plugin API 2.0.0; this recert supports 1.x"), compiles it
    /// (or loads it from the cache), links it against WASI with the
    /// deny-everything context (an import recert does not provide is
    /// refused, naming it), and calls `describe()` in the sandbox under
    /// `limits`. `name` is how the caller refers to it (pack reference or
    /// file name) and appears in errors.
    pub fn load(&self, name: &str, wasm: &[u8], limits: &Limits) -> Result<Plugin, PluginError> {
        let inspection = inspect(name, wasm)?;
        self.load_inspected(name, wasm, &inspection, limits)
    }

    /// [`PluginHost::load`] of a component already inspected (`inspection`
    /// is what [`inspect`] said about `wasm`).
    fn load_inspected(
        &self,
        name: &str,
        wasm: &[u8],
        inspection: &Inspection,
        limits: &Limits,
    ) -> Result<Plugin, PluginError> {
        check_api(name, inspection)?;
        let host = &self.inner;
        let component = self.compile(name, wasm, &inspection.sha256)?;
        let instance_pre = host.linker.instantiate_pre(&component).map_err(|e| {
            let reason = format!("{e:#}");
            match unsupported_import(inspection, &reason) {
                Some(import) => PluginError::UnsupportedImport {
                    name: name.to_owned(),
                    import,
                },
                None => PluginError::Compile {
                    name: name.to_owned(),
                    reason,
                },
            }
        })?;
        let pre = bindings::PluginPre::new(instance_pre).map_err(|e| PluginError::Compile {
            name: name.to_owned(),
            reason: format!("its `recert:plugin/rules` export does not match plugin API 1: {e:#}"),
        })?;
        // `describe` runs with the clock at the Unix epoch: it must not depend
        // on anything but the plugin itself.
        let (answer, _fuel) = run(host, &pre, limits, Duration::ZERO, |store, plugin| {
            plugin.recert_plugin_rules().call_describe(store)
        });
        let answer = answer.map_err(|kind| PluginError::Describe {
            name: name.to_owned(),
            kind,
        })?;
        let answer = PluginInfo::from(answer);
        let size = validate::info_size(&answer);
        if size > limits.max_output_bytes {
            return Err(PluginError::InvalidInfo {
                name: name.to_owned(),
                reason: format!(
                    "its description is {size} bytes, more than the {} byte output limit",
                    limits.max_output_bytes
                ),
            });
        }
        let info = validate::info(answer).map_err(|reason| PluginError::InvalidInfo {
            name: name.to_owned(),
            reason: reason.to_string(),
        })?;
        Ok(Plugin {
            inner: Arc::new(PluginInner {
                host: Arc::clone(&self.inner),
                pre,
                info,
                sha256: inspection.sha256.clone(),
            }),
        })
    }

    /// [`inspect`] plus what `describe()` says (the plugin is loaded to ask it).
    pub fn inspect(
        &self,
        name: &str,
        wasm: &[u8],
        limits: &Limits,
    ) -> Result<Inspection, PluginError> {
        let (inspection, plugin) = self.inspect_and_load(name, wasm, limits)?;
        plugin?;
        Ok(inspection)
    }

    /// [`inspect`], then [`PluginHost::load`] without inspecting again. Fails
    /// only when `wasm` is not a component; otherwise gives the inspection
    /// (with [`Inspection::info`] when the plugin loaded) and the outcome of
    /// loading, so that a component that cannot be loaded is still shown.
    pub fn inspect_and_load(
        &self,
        name: &str,
        wasm: &[u8],
        limits: &Limits,
    ) -> Result<(Inspection, Result<Plugin, PluginError>), PluginError> {
        let mut inspection = inspect(name, wasm)?;
        let plugin = self.load_inspected(name, wasm, &inspection, limits);
        if let Ok(plugin) = &plugin {
            inspection.info = Some(plugin.info().clone());
        }
        Ok((inspection, plugin))
    }

    /// The component for `wasm`, from the cache or freshly compiled (and cached).
    fn compile(&self, name: &str, wasm: &[u8], sha256: &str) -> Result<Component, PluginError> {
        let host = &self.inner;
        // A budget on compiling: a large component takes minutes of CPU and
        // hundreds of MiB to compile (the file reader caps plugin files the
        // same way; this also covers bytes given in memory). Checked before
        // the cache, so that the answer does not depend on what it holds.
        let size = u64::try_from(wasm.len()).unwrap_or(u64::MAX);
        if size > host.max_component_bytes {
            return Err(PluginError::Compile {
                name: name.to_owned(),
                reason: format!(
                    "it is {size} bytes; recert compiles components of at most {} (--plugin-size-max)",
                    crate::runner::bytes_in_words(host.max_component_bytes)
                ),
            });
        }
        if let Some(component) = host
            .cache
            .as_ref()
            .and_then(|c| c.get(&host.engine, sha256))
        {
            return Ok(component);
        }
        if let Some(observer) = &host.observer {
            observer(&HostEvent::Compiling {
                name,
                bytes: wasm.len(),
            });
        }
        let component = Component::new(&host.engine, wasm).map_err(|e| PluginError::Compile {
            name: name.to_owned(),
            reason: format!("{e:#}"),
        })?;
        if let Some(cache) = &host.cache {
            cache.put(&component, sha256);
        }
        Ok(component)
    }
}

/// The import named in a linking error, if it is one recert does not provide.
fn unsupported_import(inspection: &Inspection, reason: &str) -> Option<String> {
    let named = reason
        .split('`')
        .nth(1)
        .filter(|n| inspection.imports.iter().any(|i| i == n));
    named.map(str::to_owned).or_else(|| {
        inspection
            .imports
            .iter()
            .find(|i| !i.starts_with("wasi:"))
            .cloned()
    })
}

/// A loaded plugin; cheap to clone and share between threads.
#[derive(Clone)]
pub struct Plugin {
    inner: Arc<PluginInner>,
}

struct PluginInner {
    host: Arc<HostInner>,
    pre: bindings::PluginPre<Sandbox>,
    info: PluginInfo,
    sha256: String,
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("id", &self.inner.info.id)
            .field("version", &self.inner.info.version)
            .field("sha256", &self.inner.sha256)
            .finish_non_exhaustive()
    }
}

impl Plugin {
    /// What the plugin's `describe()` said (validated).
    pub fn info(&self) -> &PluginInfo {
        &self.inner.info
    }

    /// Lowercase hex sha256 of the plugin's `.wasm` bytes.
    pub fn sha256(&self) -> &str {
        &self.inner.sha256
    }

    /// Evaluates one rule on a fresh instance under `limits`, and checks the
    /// findings (requested and declared rule, JSON Pointer paths, JSON
    /// `actual`, bounded size). Any failure is a [`PluginFailure`] whose
    /// message names the plugin; the plugin stays usable.
    pub fn evaluate(
        &self,
        request: &PluginRequest<'_>,
        limits: &Limits,
    ) -> Result<Vec<PluginFinding>, PluginFailure> {
        self.evaluate_metered(request, limits).0
    }

    /// [`Plugin::evaluate`], and the fuel the call used (instantiation
    /// included; 0 when nothing ran).
    pub fn evaluate_metered(
        &self,
        request: &PluginRequest<'_>,
        limits: &Limits,
    ) -> (Result<Vec<PluginFinding>, PluginFailure>, u64) {
        let mut fuel = 0;
        let result = self.evaluate_counting(request, limits, &mut fuel);
        (result, fuel)
    }

    fn evaluate_counting(
        &self,
        request: &PluginRequest<'_>,
        limits: &Limits,
        fuel: &mut u64,
    ) -> Result<Vec<PluginFinding>, PluginFailure> {
        let info = &self.inner.info;
        let fail = |kind| PluginFailure {
            plugin: info.id.clone(),
            version: info.version.clone(),
            rule: request.rule.to_owned(),
            kind,
        };
        if !info.declares(request.rule) {
            return Err(fail(FailureKind::UnknownRule(request.rule.to_owned())));
        }
        let wall = midnight_utc(request.evaluation_date)
            .map_err(|error| fail(FailureKind::InvalidRequest(error.to_string())))?;
        let wit_request = bindings::exports::recert::plugin::rules::Request::from(request);
        let (answer, used) = run(
            &self.inner.host,
            &self.inner.pre,
            limits,
            wall,
            |store, plugin| {
                plugin
                    .recert_plugin_rules()
                    .call_evaluate(store, wit_request.clone())
            },
        );
        *fuel = used;
        let answer = answer
            .map_err(fail)?
            .map(|findings| findings.into_iter().map(Finding::from).collect::<Vec<_>>());
        // Findings or an error message, the answer is bounded the same way.
        let bytes = match &answer {
            Ok(findings) => validate::findings_size(findings),
            Err(message) => message.len(),
        };
        if bytes > limits.max_output_bytes {
            return Err(fail(FailureKind::OutputTooLarge {
                bytes,
                limit: limits.max_output_bytes,
            }));
        }
        match answer {
            Ok(findings) => validate::findings(findings, request.rule, info).map_err(fail),
            Err(message) => Err(fail(FailureKind::ReturnedError(message))),
        }
    }
}

/// Runs `call` on a fresh instance of `pre` in a fresh sandbox under
/// `limits`; gives its result and the fuel it used.
fn run<R>(
    host: &HostInner,
    pre: &bindings::PluginPre<Sandbox>,
    limits: &Limits,
    wall: Duration,
    call: impl FnOnce(&mut Store<Sandbox>, &bindings::Plugin) -> wasmtime::Result<R>,
) -> (Result<R, FailureKind>, u64) {
    // Held until the store is dropped (declared first, dropped last), so the
    // pool never has more live instances than it has slots.
    let _slot = host.slots.acquire();
    let stderr = TailPipe::new();
    let mut store = Store::new(
        &host.engine,
        Sandbox::new(wall, limits.memory_bytes, stderr.clone()),
    );
    store.limiter(|sandbox| &mut sandbox.limiter);
    // Before instantiating: WASI guests run code during instantiation, and a
    // new store's deadline is "now".
    store.set_epoch_deadline(deadline_ticks(limits.time));
    store.epoch_deadline_trap();
    if let Err(e) = store.set_fuel(limits.fuel) {
        let reason = format!("cannot set the fuel budget: {e:#}");
        return (Err(FailureKind::Host(reason)), 0);
    }
    let result = match pre.instantiate(&mut store) {
        Ok(plugin) => call(&mut store, &plugin),
        Err(e) => Err(e),
    };
    let used = limits
        .fuel
        .saturating_sub(store.get_fuel().unwrap_or(limits.fuel));
    let result = result.map_err(|error| {
        classify(
            &error,
            store.data().limiter.denied.is_some(),
            &stderr.contents(),
            limits,
        )
    });
    (result, used)
}

/// Epoch ticks for `time`: the call is cut off between `time` and `time`
/// plus one tick. Capped (at centuries) because wasmtime adds the current
/// epoch to it.
fn deadline_ticks(time: Duration) -> u64 {
    const MAX_TICKS: u128 = 1 << 40;
    let ticks = time.as_nanos().div_ceil(EPOCH_TICK.as_nanos()) + 1;
    u64::try_from(ticks.min(MAX_TICKS)).unwrap_or(u64::MAX)
}

/// What a call's error means, most specific cause first.
fn classify(
    error: &wasmtime::Error,
    memory_denied: bool,
    stderr: &str,
    limits: &Limits,
) -> FailureKind {
    let trap = error.downcast_ref::<Trap>().copied();
    match trap {
        Some(Trap::OutOfFuel) => return FailureKind::FuelLimit { limit: limits.fuel },
        Some(Trap::Interrupt) => return FailureKind::TimeLimit { limit: limits.time },
        Some(Trap::StackOverflow) => return FailureKind::StackOverflow,
        _ => {}
    }
    if let Some(exit) = error.downcast_ref::<wasmtime_wasi::I32Exit>() {
        return FailureKind::Exited { code: exit.0 };
    }
    if memory_denied {
        return FailureKind::MemoryLimit {
            limit_bytes: limits.memory_bytes,
        };
    }
    if let Some(kind) = canonical_abi_limit(error) {
        return kind;
    }
    if let Some(message) = panic_message(stderr) {
        return FailureKind::Panicked { message };
    }
    let backtrace = error.downcast_ref::<wasmtime::WasmBacktrace>();
    if trap == Some(Trap::MemoryOutOfBounds) && backtrace.is_some_and(looks_recursive) {
        // A Rust guest's shadow stack lives in linear memory: overflowing it
        // is an out-of-bounds access deep in a recursion.
        return FailureKind::StackOverflow;
    }
    let message = match trap {
        Some(trap) => {
            let mut message = trap.to_string();
            if let Some(frames) = backtrace.map(guest_frames).filter(|f| !f.is_empty()) {
                message.push_str(" in ");
                message.push_str(&frames);
            }
            message
        }
        None => format!("{error:#}"),
    };
    FailureKind::Trap {
        message,
        stderr_tail: tail(stderr, 1024),
    }
}

/// wasmtime's copy limits (a string or list too large to move between the
/// guest and the host) and its handle limits, which are errors, not traps.
fn canonical_abi_limit(error: &wasmtime::Error) -> Option<FailureKind> {
    const COPY: [&str; 3] = [
        "too large to copy into wasm",
        "size overflow copying",
        "byte length too large",
    ];
    const HANDLES: [&str; 3] = [
        "resource table has no free keys",
        "cannot allocate another handle",
        "too many active lends",
    ];
    error.chain().find_map(|cause| {
        let text = cause.to_string();
        if COPY.iter().any(|c| text.contains(c)) {
            Some(FailureKind::OutputTooLargeToCopy)
        } else if HANDLES.iter().any(|h| text.contains(h)) {
            Some(FailureKind::HandleLimit)
        } else {
            None
        }
    })
}

/// The message of the last Rust panic in `stderr`
/// ("thread '…' panicked at src/lib.rs:3:5:\nMESSAGE\nnote: …").
fn panic_message(stderr: &str) -> Option<String> {
    let start = stderr.rfind("panicked at ")?;
    let after = stderr.get(start..)?;
    let (_location, rest) = after.split_once('\n')?;
    let message: Vec<&str> = rest
        .lines()
        .take_while(|line| !line.starts_with("note: "))
        .collect();
    let message = message.join("\n").trim().to_owned();
    Some(if message.is_empty() {
        "(no message)".to_owned()
    } else {
        tail(&message, 1024)
    })
}

/// Whether the innermost frames are all the same function.
fn looks_recursive(backtrace: &wasmtime::WasmBacktrace) -> bool {
    let frames = backtrace.frames();
    frames.len() >= 16
        && frames
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.func_index() == b.func_index()))
}

/// "`f` <- `g` <- `h`": the innermost named guest functions.
fn guest_frames(backtrace: &wasmtime::WasmBacktrace) -> String {
    backtrace
        .frames()
        .iter()
        .filter_map(|f| f.func_name())
        .take(3)
        .map(|n| format!("`{}`", demangle(n)))
        .collect::<Vec<_>>()
        .join(" <- ")
}

/// `_ZN13guest_hostile7recurse17h0123456789abcdefE` -> `guest_hostile::recurse`
/// (Rust's legacy mangling, which wasm32 guests use); anything else as is.
fn demangle(name: &str) -> String {
    let Some(mut rest) = name.strip_prefix("_ZN").and_then(|n| n.strip_suffix('E')) else {
        return name.to_owned();
    };
    let mut parts = Vec::new();
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let len = rest.get(..digits).and_then(|d| d.parse::<usize>().ok());
        let part = len.and_then(|len| rest.get(digits..digits + len));
        let (Some(len), Some(part)) = (len, part) else {
            return name.to_owned();
        };
        parts.push(part);
        rest = rest.get(digits + len..).unwrap_or_default();
    }
    if parts
        .last()
        .is_some_and(|hash| hash.len() == 17 && hash.starts_with('h'))
    {
        parts.pop();
    }
    parts.join("::")
}

/// The last `max` bytes of `text` (on a char boundary), trimmed.
fn tail(text: &str, max: usize) -> String {
    let text = text.trim();
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    match text.get(start..) {
        Some(t) if start > 0 => format!("…{t}"),
        Some(t) => t.to_owned(),
        None => String::new(),
    }
}

/// An evaluation date that is not `YYYY-MM-DD` on or after 1970-01-01.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("evaluation date `{0}` is not a date YYYY-MM-DD on or after 1970-01-01")]
struct DateError(String);

/// Midnight UTC of `date` (`YYYY-MM-DD`), as time since the Unix epoch.
fn midnight_utc(date: &str) -> Result<Duration, DateError> {
    let bytes = date.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    let parsed = if shaped {
        date.parse::<jiff::civil::Date>().ok()
    } else {
        None
    };
    let seconds = parsed
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp().as_second());
    match seconds.and_then(|s| u64::try_from(s).ok()) {
        Some(s) => Ok(Duration::from_secs(s)),
        None => Err(DateError(date.to_owned())),
    }
}

/// Counts free allocator slots; a call waits for one.
struct Slots {
    free: Mutex<u32>,
    freed: Condvar,
}

impl Slots {
    fn new(n: u32) -> Slots {
        Slots {
            free: Mutex::new(n),
            freed: Condvar::new(),
        }
    }

    fn acquire(&self) -> Slot<'_> {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
        Slot(self)
    }
}

struct Slot<'a>(&'a Slots);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut free = self.0.free.lock().unwrap_or_else(|p| p.into_inner());
        *free += 1;
        self.0.freed.notify_one();
    }
}

/// The thread that advances the engine's epoch every [`EPOCH_TICK`].
struct Ticker {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    fn start(engine: Engine) -> std::io::Result<Ticker> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("recert-plugin-epoch".to_owned())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EPOCH_TICK) {
                    engine.increment_epoch();
                }
            })?;
        Ok(Ticker {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        // Dropping the sender wakes the thread, which then returns.
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_round_up_and_add_a_tick() {
        assert_eq!(deadline_ticks(Duration::from_secs(1)), 101);
        assert_eq!(deadline_ticks(Duration::from_millis(15)), 3);
        assert_eq!(deadline_ticks(Duration::ZERO), 1);
        assert_eq!(deadline_ticks(Duration::MAX), 1 << 40);
    }

    #[test]
    fn copy_and_handle_limits_read_plainly() {
        let limits = Limits::default();
        let copy = wasmtime::Error::msg("string length of 3000000000 too large to copy into wasm")
            .context("error while executing at wasm backtrace: 0: 0x1f - _ZN5guest4main17h0123456789abcdefE");
        let kind = classify(&copy, false, "", &limits);
        assert_eq!(kind, FailureKind::OutputTooLargeToCopy);
        assert_eq!(
            kind.to_string(),
            "returned output too large: more than the host can copy out of it"
        );
        let handles = wasmtime::Error::msg(
            "cannot allocate another handle: store handle limit exceeded",
        )
        .context(
            "error while executing at wasm backtrace: 0: 0x2a - _ZN5guest4open17h0123456789abcdefE",
        );
        let kind = classify(&handles, false, "", &limits);
        assert_eq!(kind, FailureKind::HandleLimit);
        assert!(!kind.to_string().contains("_ZN"), "{kind}");
        let table = wasmtime::Error::msg("resource table has no free keys");
        assert_eq!(
            classify(&table, false, "", &limits),
            FailureKind::HandleLimit
        );
    }

    #[test]
    fn evaluation_dates() {
        assert_eq!(
            midnight_utc("2026-11-28"),
            Ok(Duration::from_secs(1_795_824_000))
        );
        assert_eq!(midnight_utc("1970-01-01"), Ok(Duration::ZERO));
        assert!(midnight_utc("2026-1-28").is_err());
        assert!(midnight_utc("2026-02-30").is_err());
        assert!(midnight_utc("1969-12-31").is_err());
    }

    #[test]
    fn panic_messages_come_from_stderr() {
        let stderr = "noise\nthread '<unnamed>' panicked at src/lib.rs:85:23:\nthe gauge is broken: reading 42\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            panic_message(stderr).as_deref(),
            Some("the gauge is broken: reading 42")
        );
        assert_eq!(panic_message("no panic here"), None);
    }

    #[test]
    fn rust_names_are_demangled() {
        assert_eq!(
            demangle("_ZN13guest_hostile7recurse17h71d49e25f3d67a69E"),
            "guest_hostile::recurse"
        );
        assert_eq!(demangle("cabi_realloc"), "cabi_realloc");
        assert_eq!(demangle("_ZN99shortE"), "_ZN99shortE");
    }

    #[test]
    fn tails_are_bounded() {
        assert_eq!(tail("  short \n", 10), "short");
        assert_eq!(tail("abcdef", 3), "…def");
        assert_eq!(tail("ééé", 3), "…é");
    }

    #[test]
    fn slots_are_returned() {
        let slots = Slots::new(1);
        drop(slots.acquire());
        let _again = slots.acquire();
        assert_eq!(*slots.free.lock().unwrap(), 0);
    }
}
