//! `recert serve`: the engine as a small, stateless HTTP service, and a
//! self-check web page served by the same binary.
//!
//! Everything a request needs is loaded once, at start ([`Service`]: the
//! packs, their params and the plugins); a request reads it and shares
//! nothing else, so any number of identical replicas can run behind a load
//! balancer. Evaluations run on tokio's blocking pool: they are CPU work.
//!
//! - [`api`]: the JSON/report routes under `/v1`, the probes, the metrics
//!   and the OpenAPI document.
//! - [`problem`]: errors as `application/problem+json`.
//! - [`metrics`]: the Prometheus metrics; [`log`]: a JSON log line per
//!   request, with its request id.
//! - [`web`]: the page at `/` and its embedded assets.

pub mod api;
pub mod log;
pub mod metrics;
pub mod problem;
mod service;
pub mod web;

use std::future::Future;
use std::sync::Arc;

pub use service::{
    BODY_NAME, Documents, Evaluated, Request, Service, Settings, Validated, default_max_concurrent,
};

/// Every route of the service, over `service`; every request logged and
/// counted ([`log::observe`]) under its request id (`x-request-id`).
pub fn router(service: Arc<Service>) -> axum::Router {
    use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
    axum::Router::new()
        .merge(api::routes())
        .merge(web::routes())
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&service),
            log::observe,
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(service)
}

/// Serves `service` on `listener` until `shutdown` completes; requests in
/// flight then finish before this returns. From then on `/readyz` answers
/// 503 (to a client still connected).
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let stopping = Arc::clone(&service);
    axum::serve(listener, router(service))
        .with_graceful_shutdown(async move {
            shutdown.await;
            stopping.stop();
        })
        .await
}
