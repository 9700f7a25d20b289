//! The self-check page at `/`: its HTML, style and script are embedded in
//! the binary (no network, no CDN).

use std::sync::Arc;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::service::Service;

/// The page.
const INDEX_HTML: &str = include_str!("../web/index.html");

/// The routes of this module.
pub fn routes() -> axum::Router<Arc<Service>> {
    axum::Router::new().route("/", get(index))
}

async fn index() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        INDEX_HTML,
    )
}
