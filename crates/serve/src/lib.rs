//! `recert serve`: the engine as a small, stateless HTTP service, and a
//! self-check web page served by the same binary.
//!
//! Everything a request needs is loaded once, at start ([`Service`]: the
//! packs, their params and the plugins); a request reads it and shares
//! nothing else, so any number of identical replicas can run behind a load
//! balancer. A request is evaluated on the runtime worker that received
//! it, from its body to its answer, with no hand-over to another thread
//! ([`runtime`]): evaluations are CPU work, at most `--max-concurrent` at
//! once (one per core by default), and the runtime has one worker more
//! than that, so the probes and `/metrics` answer while every slot is busy;
//! requests beyond wait for a slot in arrival order, at most
//! `--max-queued` of them, and only beyond that are answered 503.
//!
//! - [`api`]: the JSON/report routes under `/v1`, the probes, the metrics
//!   and the OpenAPI document.
//! - [`problem`]: errors as `application/problem+json`.
//! - [`metrics`]: the Prometheus metrics; [`log`]: a JSON log line per
//!   request, with its request id.
//! - [`web`]: the page at `/` and its embedded assets.
//! - [`auth`]: optional bearer tokens; [`security`]: the headers on every
//!   response. Both are layers over all the routes.

pub mod api;
pub mod auth;
pub mod log;
pub mod metrics;
pub mod problem;
pub mod security;
mod service;
pub mod web;

use std::future::Future;
use std::sync::Arc;

pub use service::{
    BODY_NAME, Documents, Evaluated, NoSlot, Request, Service, Settings, Slot, Validated,
    default_max_concurrent, default_max_queued,
};

/// The runtime to [`serve`] on: `max_concurrent` + 1 worker threads.
///
/// A request's evaluation runs inline in its handler, on the worker that
/// read its body and then writes its answer: one thread from the socket to
/// the answer, its caches warm and its allocations freed where they were
/// made. Handing each evaluation to tokio's blocking pool and back instead
/// cost ~2.5-3.2 context switches per request instead of ~0.9-2.5, and its
/// evaluations moved between the pool's threads (crates/serve/README.md,
/// "Where the time goes"). At most `max_concurrent` workers evaluate at
/// once (the slots), so one worker is always free to accept connections,
/// read and write the network and answer `/healthz`, `/readyz` and
/// `/metrics` while every slot is busy ([`serve_with`] keeps it awake). A
/// task tokio put in a busy worker's own next-task slot (not stealable)
/// waits for that one evaluation at most.
pub fn runtime(settings: &Settings) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(settings.max_concurrent.max(1).saturating_add(1))
        .thread_name("recert-serve")
        .enable_all()
        .build()
}

/// Every route of the service, over `service`, open to every client.
pub fn router(service: Arc<Service>) -> axum::Router {
    router_with(service, None)
}

/// Every route of the service, over `service`; every request logged and
/// counted ([`log::observe`]) under its request id (`x-request-id`). With
/// `tokens`, every route but the probes, `/metrics` and the page needs a
/// bearer token ([`auth`]). The security headers go on every response, a
/// 401 too.
pub fn router_with(service: Arc<Service>, tokens: Option<Arc<auth::Tokens>>) -> axum::Router {
    use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
    let mut router = axum::Router::new()
        .merge(api::routes())
        .merge(web::routes())
        .with_state(Arc::clone(&service));
    if let Some(tokens) = tokens {
        router = router.layer(axum::middleware::from_fn_with_state(
            tokens,
            auth::require_token,
        ));
    }
    let router = router
        .layer(axum::middleware::from_fn_with_state(service, log::observe))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    security::layer(router)
}

/// Serves `service` on `listener` until `shutdown` completes; requests in
/// flight then finish before this returns. From then on `/readyz` answers
/// 503 (to a client still connected).
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, service, None, shutdown).await
}

/// [`serve`], with API routes needing one of `tokens` when given.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    tokens: Option<Arc<auth::Tokens>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let _watch = Watch::start(&service);
    let stopping = Arc::clone(&service);
    axum::serve(listener, router_with(service, tokens))
        .with_graceful_shutdown(async move {
            shutdown.await;
            stopping.stop();
        })
        .await
}

/// Keeps the runtime's network polled while a long evaluation runs on a
/// worker.
///
/// An evaluation runs on the worker that received its request and keeps
/// it for its whole time. When that worker was the one that polled the
/// sockets (tokio hands that to one parked worker at a time), the other
/// workers sleep until something wakes them: a new connection, a probe or
/// the next request would wait for the evaluation's end (seconds for a
/// large submission). So when evaluations are running and none has ended
/// for [`Watch::EVERY`], this thread spawns an empty task: tokio wakes a
/// sleeping worker to run it, which then polls the sockets while it has
/// nothing else to do. A worker is free (the runtime has one more than the
/// slots), so `/healthz`, `/readyz`, `/metrics` and the network wait about
/// that long at most. Short evaluations end between two looks and cost
/// nothing: a busy worker also polls the sockets itself every few dozen
/// tasks. Otherwise the thread only reads two counters, every 5 ms.
struct Watch {
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watch {
    /// How long an evaluation may hold the sockets unpolled.
    const EVERY: std::time::Duration = std::time::Duration::from_millis(5);

    /// Watches `service` on the current runtime until dropped; nothing
    /// on a current-thread runtime (its one thread evaluates and polls).
    fn start(service: &Arc<Service>) -> Watch {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = Arc::new(AtomicBool::new(false));
        let handle = match tokio::runtime::Handle::try_current() {
            Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                handle
            }
            _ => return Watch { stop, thread: None },
        };
        let service = Arc::clone(service);
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("recert-serve-watch".to_owned())
            .spawn(move || {
                let mut ended = service.evaluations_ended();
                while !stopped.load(Ordering::Relaxed) {
                    std::thread::park_timeout(Watch::EVERY);
                    let now = service.evaluations_ended();
                    if service.running() > 0 && now == ended {
                        drop(handle.spawn(async {}));
                    }
                    ended = now;
                }
            });
        match thread {
            Ok(thread) => Watch {
                stop,
                thread: Some(thread),
            },
            Err(error) => {
                tracing::warn!(%error, "cannot start the watch thread: probes may wait for evaluations");
                Watch { stop, thread: None }
            }
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}
