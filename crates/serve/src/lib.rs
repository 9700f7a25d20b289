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
//! - [`auth`]: optional bearer tokens; [`security`]: the headers on every
//!   response. Both are layers over all the routes.

pub mod api;
pub mod auth;
pub mod security;
mod service;
pub mod web;

use std::future::Future;
use std::sync::Arc;

pub use service::{Evaluated, Request, Service};

/// Every route of the service, over `service`, open to every client.
pub fn router(service: Arc<Service>) -> axum::Router {
    router_with(service, None)
}

/// Every route of the service, over `service`; with `tokens`, every route
/// but the probes, `/metrics` and the page needs a bearer token
/// ([`auth`]). The security headers go on every response, a 401 too.
pub fn router_with(service: Arc<Service>, tokens: Option<Arc<auth::Tokens>>) -> axum::Router {
    let mut router = axum::Router::new()
        .merge(api::routes())
        .merge(web::routes())
        .with_state(service);
    if let Some(tokens) = tokens {
        router = router.layer(axum::middleware::from_fn_with_state(
            tokens,
            auth::require_token,
        ));
    }
    security::layer(router)
}

/// Serves `service` on `listener` until `shutdown` completes; requests in
/// flight then finish before this returns.
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
    axum::serve(listener, router_with(service, tokens))
        .with_graceful_shutdown(shutdown)
        .await
}
