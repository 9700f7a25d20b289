//! `recert serve`: the engine as a small, stateless HTTP service, and a
//! self-check web page served by the same binary.
//!
//! Everything a request needs is loaded once, at start ([`Service`]: the
//! packs, their params and the plugins); a request reads it and shares
//! nothing else, so any number of identical replicas can run behind a load
//! balancer. Evaluations run on tokio's blocking pool: they are CPU work,
//! at most `--max-concurrent` at once (one per core by default); requests
//! beyond wait for a slot in arrival order, at most `--max-queued` of them,
//! and only beyond that are answered 503.
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
    let stopping = Arc::clone(&service);
    axum::serve(listener, router_with(service, tokens))
        .with_graceful_shutdown(async move {
            shutdown.await;
            stopping.stop();
        })
        .await
}
