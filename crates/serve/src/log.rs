//! Structured logs: one JSON line on stderr per request (`tracing` with
//! `tracing-subscriber`'s JSON format), with its request id, method, route,
//! status, latency and the report's verdict; the same middleware counts the
//! request in the metrics.
//!
//! The request id is the `x-request-id` header the client sent, else a new
//! UUID (tower-http's `SetRequestId`); the answer carries it back.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::api::VerdictTag;
use crate::service::Service;

/// The request-id header, in and out.
pub const REQUEST_ID: &str = "x-request-id";

/// Logs JSON lines on stderr from now on, at level `info` and above, one
/// object per line with the event's fields at the top level. Does nothing
/// if the process already has a logger.
pub fn init() {
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_max_level(tracing::Level::INFO)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Counts a request in flight until dropped (also when the client goes away).
struct InFlight<'a>(&'a Service);

impl<'a> InFlight<'a> {
    fn new(service: &'a Service) -> Self {
        service.metrics.in_flight(1);
        InFlight(service)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.metrics.in_flight(-1);
    }
}

/// The middleware: answers `request`, then logs and counts it.
pub async fn observe(
    State(service): State<Arc<Service>>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let method = request.method().as_str().to_owned();
    // The pattern, never the path: a bounded set of values.
    let route = matched.map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let response = {
        let _in_flight = InFlight::new(&service);
        next.run(request).await
    };
    let seconds = start.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    let verdict = response.extensions().get::<VerdictTag>().map(|v| v.0);
    service.metrics.request(&method, &route, status, seconds);
    tracing::info!(
        target: "recert_serve::request",
        request_id = %id,
        method = %method,
        route = %route,
        status,
        latency_ms = seconds * 1000.0,
        verdict,
        "request"
    );
    response
}
