//! The sandbox one plugin call runs in: a WASI 0.2 context that grants
//! nothing, deterministic clocks and randomness, a memory limiter that
//! records its denials, and a bounded stderr that keeps the tail.
//!
//! WASI is linked in full (a Rust guest imports a std-dependent set of
//! interfaces), and capabilities are denied in the context instead:
//! - no preopened directories, no environment, no arguments, no network
//!   (TCP, UDP and name lookup off), stdin empty, stdout discarded;
//! - the wall clock shows midnight UTC of the evaluation date;
//! - the monotonic clock is virtual: it starts at 0 and only moves when the
//!   guest sleeps, and sleeping returns at once. (wasmtime-wasi's own clock
//!   sleeps for real, and a guest sleeping `Duration::MAX` would block the
//!   host thread forever: epoch interruption cannot stop a blocked host
//!   call);
//! - both random generators are seeded with constants.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use rand::SeedableRng as _;
use wasmtime::component::{HasData, Linker, Resource, ResourceTable};
use wasmtime::{ResourceLimiter, Result};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::bindings::clocks::monotonic_clock;
use wasmtime_wasi::p2::{DynPollable, OutputStream, Pollable, StreamResult, subscribe};
use wasmtime_wasi::{
    HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView,
};

/// How much of the guest's stderr is kept (the last bytes).
pub(crate) const STDERR_CAPACITY: usize = 64 << 10;

/// Largest table (function references) a guest may grow to, in elements.
const TABLE_ELEMENTS_LIMIT: usize = 1 << 20;

/// Largest single request for random bytes.
const MAX_RANDOM_BYTES: u64 = 1 << 20;

/// Seeds of the deterministic generators: same input, same report.
const SECURE_SEED: u64 = 0x7265_6365_7274_0001;
const INSECURE_SEED: u64 = 0x7265_6365_7274_0002;
const INSECURE_SEED_128: u128 = 0x7265_6365_7274_2d73_6565_642d_0003;

/// The data of one call's `Store`.
pub(crate) struct Sandbox {
    wasi: WasiCtx,
    table: ResourceTable,
    /// Nanoseconds on the virtual monotonic clock.
    monotonic_now: u64,
    /// Enforces the memory limit and remembers denials.
    pub(crate) limiter: Limiter,
}

impl Sandbox {
    /// A sandbox whose wall clock shows `wall_time` (since the Unix epoch),
    /// whose memory is limited to `memory_bytes`, and whose stderr goes to `stderr`.
    pub(crate) fn new(wall_time: Duration, memory_bytes: u64, stderr: TailPipe) -> Sandbox {
        let mut builder = WasiCtxBuilder::new();
        builder
            .stderr(stderr)
            .wall_clock(FixedWallClock(wall_time))
            .monotonic_clock(FixedMonotonicClock)
            .secure_random(rand::rngs::StdRng::seed_from_u64(SECURE_SEED))
            .insecure_random(rand::rngs::StdRng::seed_from_u64(INSECURE_SEED))
            .insecure_random_seed(INSECURE_SEED_128)
            .max_random_size(MAX_RANDOM_BYTES)
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false);
        Sandbox {
            wasi: builder.build(),
            table: ResourceTable::new(),
            monotonic_now: 0,
            limiter: Limiter::new(memory_bytes),
        }
    }
}

impl WasiView for Sandbox {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// Links all of WASI 0.2 (sync) into `linker`, with the virtual monotonic clock.
pub(crate) fn add_to_linker(linker: &mut Linker<Sandbox>) -> Result<()> {
    wasmtime_wasi::p2::add_to_linker_sync(linker)?;
    linker.allow_shadowing(true);
    monotonic_clock::add_to_linker::<Sandbox, VirtualTime>(linker, |s| VirtualClock {
        now: &mut s.monotonic_now,
        table: &mut s.table,
    })?;
    linker.allow_shadowing(false);
    Ok(())
}

/// The wall clock, fixed at one instant.
struct FixedWallClock(Duration);

impl HostWallClock for FixedWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn now(&self) -> Duration {
        self.0
    }
}

/// A monotonic clock that never moves (the linked interface is
/// [`VirtualClock`]; this one only backs anything else in the context).
struct FixedMonotonicClock;

impl HostMonotonicClock for FixedMonotonicClock {
    fn resolution(&self) -> u64 {
        1
    }
    fn now(&self) -> u64 {
        0
    }
}

/// Marker for linking [`VirtualClock`].
struct VirtualTime;

impl HasData for VirtualTime {
    type Data<'a> = VirtualClock<'a>;
}

/// `wasi:clocks/monotonic-clock` on virtual time: subscribing to a duration
/// or an instant moves the clock there and is ready at once.
struct VirtualClock<'a> {
    now: &'a mut u64,
    table: &'a mut ResourceTable,
}

impl VirtualClock<'_> {
    fn ready(&mut self) -> Result<Resource<DynPollable>> {
        let resource = self.table.push(Ready)?;
        subscribe(self.table, resource)
    }
}

impl monotonic_clock::Host for VirtualClock<'_> {
    fn now(&mut self) -> Result<monotonic_clock::Instant> {
        Ok(*self.now)
    }

    fn resolution(&mut self) -> Result<monotonic_clock::Duration> {
        Ok(1)
    }

    fn subscribe_instant(
        &mut self,
        when: monotonic_clock::Instant,
    ) -> Result<Resource<DynPollable>> {
        *self.now = (*self.now).max(when);
        self.ready()
    }

    fn subscribe_duration(
        &mut self,
        duration: monotonic_clock::Duration,
    ) -> Result<Resource<DynPollable>> {
        *self.now = self.now.saturating_add(duration);
        self.ready()
    }
}

/// A pollable that is always ready.
struct Ready;

#[wasmtime_wasi::async_trait]
impl Pollable for Ready {
    async fn ready(&mut self) {}
}

/// Enforces the memory limit over all of a call's memories and remembers
/// whether it denied anything (a denial is not a distinct trap: the guest's
/// allocator sees `memory.grow` fail and usually aborts).
pub(crate) struct Limiter {
    limit: u64,
    used: u64,
    /// The total the guest asked for when it was denied, if it was.
    pub(crate) denied: Option<u64>,
}

impl Limiter {
    fn new(limit: u64) -> Limiter {
        Limiter {
            limit,
            used: 0,
            denied: None,
        }
    }
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool> {
        let growth = (desired as u64).saturating_sub(current as u64);
        let total = self.used.saturating_add(growth);
        if total > self.limit {
            self.denied = Some(total);
            Ok(false)
        } else {
            self.used = total;
            Ok(true)
        }
    }

    fn memory_grow_failed(&mut self, _error: wasmtime::Error) -> Result<()> {
        self.denied.get_or_insert(self.used);
        Ok(())
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool> {
        if desired > TABLE_ELEMENTS_LIMIT {
            self.denied.get_or_insert(self.used);
            Ok(false)
        } else {
            Ok(true)
        }
    }
}

/// A bounded stderr that keeps the last [`STDERR_CAPACITY`] bytes; writing
/// never fails, so a chatty guest does not crash on its own logging.
#[derive(Clone)]
pub(crate) struct TailPipe {
    buffer: Arc<Mutex<VecDeque<u8>>>,
}

impl TailPipe {
    /// An empty pipe.
    pub(crate) fn new() -> TailPipe {
        TailPipe {
            buffer: Arc::new(Mutex::new(VecDeque::new())),
        }
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<u8>> {
        self.buffer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn push(&self, bytes: &[u8]) {
        let mut buffer = self.lock();
        let keep = bytes.len().min(STDERR_CAPACITY);
        let new = bytes.get(bytes.len() - keep..).unwrap_or_default();
        let overflow = (buffer.len() + new.len()).saturating_sub(STDERR_CAPACITY);
        let drop = overflow.min(buffer.len());
        buffer.drain(..drop);
        buffer.extend(new);
    }

    /// Everything kept, as text (invalid UTF-8 replaced).
    pub(crate) fn contents(&self) -> String {
        let buffer = self.lock();
        let (a, b) = buffer.as_slices();
        let mut bytes = Vec::with_capacity(a.len() + b.len());
        bytes.extend_from_slice(a);
        bytes.extend_from_slice(b);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl IsTerminal for TailPipe {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for TailPipe {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for TailPipe {
    async fn ready(&mut self) {}
}

#[wasmtime_wasi::async_trait]
impl OutputStream for TailPipe {
    fn write(&mut self, bytes: bytes::Bytes) -> StreamResult<()> {
        self.push(&bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(STDERR_CAPACITY)
    }
}

impl tokio::io::AsyncWrite for TailPipe {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.push(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pipe_keeps_the_tail() {
        let pipe = TailPipe::new();
        pipe.push(&vec![b'a'; STDERR_CAPACITY]);
        pipe.push(b"the end");
        let text = pipe.contents();
        assert_eq!(text.len(), STDERR_CAPACITY);
        assert!(text.ends_with("athe end"));
        pipe.push(&vec![b'z'; STDERR_CAPACITY + 10]);
        assert_eq!(pipe.contents(), "z".repeat(STDERR_CAPACITY));
    }

    #[test]
    fn the_limiter_counts_all_memories_and_records_denials() {
        let mut limiter = Limiter::new(100);
        assert!(limiter.memory_growing(0, 60, None).unwrap());
        assert!(limiter.memory_growing(0, 40, None).unwrap());
        assert!(limiter.denied.is_none());
        assert!(!limiter.memory_growing(40, 41, None).unwrap());
        assert_eq!(limiter.denied, Some(101));
    }
}
