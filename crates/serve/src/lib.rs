//! `recert serve`: the engine as a small, stateless HTTP service, and a
//! self-check web page served by the same binary.
//!
//! Everything a request needs is loaded once, at start ([`Service`]: the
//! packs, their params and the plugins); a request reads it and shares
//! nothing else, so any number of identical replicas can run behind a load
//! balancer. Evaluations run on tokio's blocking pool: they are CPU work.
//!
//! - [`api`]: the JSON/report routes under `/v1`, and the probes.
//! - [`web`]: the page at `/` and its embedded assets.

pub mod api;
mod service;
pub mod web;

use std::future::Future;
use std::sync::Arc;

pub use service::{Evaluated, Request, Service};

/// Every route of the service, over `service`.
pub fn router(service: Arc<Service>) -> axum::Router {
    axum::Router::new()
        .merge(api::routes())
        .merge(web::routes())
        .with_state(service)
}

/// Serves `service` on `listener` until `shutdown` completes; requests in
/// flight then finish before this returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(service))
        .with_graceful_shutdown(shutdown)
        .await
}
