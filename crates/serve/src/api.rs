//! The service's routes under `/v1`, and the probes.
//!
//! - `POST /v1/evaluate?at=YYYY-MM-DD&lang=en|zh&format=json|html|markdown|text`:
//!   the body is a submission (YAML or JSON); the response is the report,
//!   the same bytes `recert check` writes for the same text.
//! - `GET /healthz`: the process is up. `GET /readyz`: it can serve.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use recert_engine::Lang;
use recert_engine::format::Format;
use serde::Deserialize;

use crate::service::{Request, Service};

/// The routes of this module.
pub fn routes() -> axum::Router<Arc<Service>> {
    axum::Router::new()
        .route("/v1/evaluate", post(evaluate))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The query of `POST /v1/evaluate`.
#[derive(Debug, Deserialize)]
struct EvaluateQuery {
    /// Evaluate as of this date; default today.
    at: Option<jiff::civil::Date>,
    /// `en` (default) or `zh`.
    lang: Option<String>,
    /// `json` (default), `html`, `markdown` or `text`.
    format: Option<String>,
}

async fn evaluate(
    State(service): State<Arc<Service>>,
    Query(query): Query<EvaluateQuery>,
    body: String,
) -> Response {
    let lang = match query.lang.as_deref() {
        None | Some("en") => Lang::En,
        Some("zh") => Lang::Zh,
        Some(other) => return bad_request(format!("lang: `{other}` is not en or zh")),
    };
    let format = match query.format.as_deref() {
        None | Some("json") => Format::Json,
        Some("html") => Format::Html,
        Some("markdown") => Format::Markdown,
        Some("text") => Format::Text,
        Some(other) => {
            return bad_request(format!(
                "format: `{other}` is not json, html, markdown or text"
            ));
        }
    };
    let request = Request {
        body,
        at: query.at.unwrap_or_else(|| jiff::Zoned::now().date()),
        lang,
        format,
    };
    let evaluated =
        tokio::task::spawn_blocking(move || service.evaluate(&request).map(|e| (e, format))).await;
    match evaluated {
        Ok(Ok((evaluated, format))) => {
            ([(header::CONTENT_TYPE, media_type(format))], evaluated.body).into_response()
        }
        Ok(Err(diagnostics)) => bad_request(
            diagnostics
                .0
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the evaluation did not finish",
        )
            .into_response(),
    }
}

/// The media type of a report in `format`.
pub fn media_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json",
        Format::Html => "text/html; charset=utf-8",
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Sarif => "application/sarif+json",
        Format::Junit => "application/xml",
        Format::Text => "text/plain; charset=utf-8",
    }
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz() -> &'static str {
    "ready\n"
}
