//! The service's routes under `/v1`, the probes and the metrics, each
//! described in the OpenAPI 3.1 document (`GET /v1/openapi.json`, made from
//! the handlers' `#[utoipa::path]` attributes by `utoipa-axum`):
//!
//! - `POST /v1/evaluate?at=YYYY-MM-DD&lang=en|zh&format=json|html|sarif|junit|markdown|text&sign=true`:
//!   the body is a submission (YAML or JSON); the answer is its report, the
//!   bytes `recert check -` writes for the same text (the input named
//!   `request body`), whatever the verdict, which is also in the header
//!   `Recert-Verdict`.
//! - `POST /v1/validate?lang=`: the body checked as `recert validate -` does.
//! - `GET /v1/packs?lang=`: `recert packs --format json`.
//! - `GET /v1/schemas/{name}`: `recert schema NAME`.
//! - `GET /v1/openapi.json`, `GET /healthz`, `GET /readyz`, `GET /metrics`.
//!
//! Errors are `application/problem+json` ([`Problem`]).

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use recert_engine::Lang;
use recert_engine::format::Format;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::{Problem, ProblemDiagnostic};
use crate::service::{NoSlot, Request, Service};

/// The header that carries a report's verdict.
pub const VERDICT_HEADER: &str = "recert-verdict";

/// The verdict of an answer, for the request's log line.
#[derive(Debug, Clone, Copy)]
pub struct VerdictTag(pub &'static str);

/// The document's fixed parts; the paths come from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "recert",
        description = "Checks products against the standards for recycled materials: the same engine, packs and reports as `recert check`, over HTTP.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    components(schemas(Problem, ProblemDiagnostic))
)]
struct ApiDoc;

/// The routes of this module, with their OpenAPI descriptions.
fn documented() -> OpenApiRouter<Arc<Service>> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(evaluate))
        .routes(routes!(validate))
        .routes(routes!(packs))
        .routes(routes!(schema))
        .routes(routes!(openapi_json))
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
}

/// The routes of this module. A body may be as large as the CLI's input
/// cap (`MAX_INPUT_BYTES`, 16 MiB); a larger one is refused with 413.
pub fn routes() -> axum::Router<Arc<Service>> {
    let (router, _) = documented().split_for_parts();
    let cap = usize::try_from(recert_engine::load::MAX_INPUT_BYTES).unwrap_or(usize::MAX);
    router.layer(DefaultBodyLimit::max(cap))
}

/// The OpenAPI 3.1 document of the service.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().into_openapi()
}

/// A report format, as the query names it.
#[derive(Debug, Clone, Copy, ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // Documents the query's values.
enum ReportFormat {
    Json,
    Html,
    Sarif,
    Junit,
    Markdown,
    Text,
}

/// A report language.
#[derive(Debug, Clone, Copy, ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // Documents the query's values.
enum ReportLang {
    En,
    Zh,
}

/// The query of `POST /v1/evaluate`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct EvaluateQuery {
    /// Evaluate as of this date (YYYY-MM-DD), e.g. to preview rules that
    /// start in 2031; default: today (the server's clock).
    #[param(value_type = Option<String>, format = Date, example = "2032-01-01")]
    at: Option<String>,
    /// The report's language; default `en`.
    #[param(value_type = Option<ReportLang>)]
    lang: Option<String>,
    /// The report's format; default `json`.
    #[param(value_type = Option<ReportFormat>)]
    format: Option<String>,
    /// Sign the report with the server's key (`--sign KEY`), as `recert
    /// check --sign` does; JSON only.
    #[param(value_type = Option<bool>)]
    sign: Option<String>,
}

/// The query of routes that only take a language.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LangQuery {
    /// The language of titles and warnings; default `en`.
    #[param(value_type = Option<ReportLang>)]
    lang: Option<String>,
}

/// `lang`, or a problem naming it.
fn lang_of(value: Option<&str>) -> Result<Lang, Problem> {
    match value {
        None | Some("en") => Ok(Lang::En),
        Some("zh") => Ok(Lang::Zh),
        Some(other) => Err(Problem::bad_query("lang", other, "en or zh", Lang::En)),
    }
}

/// The query's fields, or a problem.
fn query_of<T>(query: Result<Query<T>, QueryRejection>, lang: Lang) -> Result<T, Problem> {
    query
        .map(|Query(q)| q)
        .map_err(|e| Problem::bad_query("query", &e.body_text(), "a valid query", lang))
}

/// The body's bytes, or 413 beyond the cap.
fn body_of(body: Result<Bytes, BytesRejection>, lang: Lang) -> Result<Bytes, Problem> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::too_large(lang)
        } else {
            let mut problem = Problem::internal(lang);
            problem.status = rejection.status().as_u16();
            problem.detail = rejection.body_text();
            problem
        }
    })
}

/// The evaluation asked for, checked.
fn evaluation(
    query: &EvaluateQuery,
    service: &Service,
) -> Result<(Lang, Format, bool, jiff::civil::Date), Problem> {
    let lang = lang_of(query.lang.as_deref())?;
    let format = match query.format.as_deref() {
        None | Some("json") => Format::Json,
        Some("html") => Format::Html,
        Some("sarif") => Format::Sarif,
        Some("junit") => Format::Junit,
        Some("markdown") => Format::Markdown,
        Some("text") => Format::Text,
        Some(other) => {
            return Err(Problem::bad_query(
                "format",
                other,
                "json, html, sarif, junit, markdown or text",
                lang,
            ));
        }
    };
    let at = match query.at.as_deref() {
        None => jiff::Zoned::now().date(),
        Some(text) => text
            .parse::<jiff::civil::Date>()
            .map_err(|_| Problem::bad_query("at", text, "a date (YYYY-MM-DD)", lang))?,
    };
    let sign = match query.sign.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => return Err(Problem::bad_query("sign", other, "true or false", lang)),
    };
    if sign {
        let texts = Problem::texts(lang);
        if service.settings.signing_key.is_none() {
            return Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "cannot-sign",
                texts.cannot_sign,
                texts.no_signing_key.to_owned(),
            ));
        }
        if format != Format::Json {
            return Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "cannot-sign",
                texts.cannot_sign,
                (texts.sign_json_only)(format.name()),
            ));
        }
    }
    Ok((lang, format, sign, at))
}

/// Runs `work` in one of the service's slots, on the thread that received
/// the request (a runtime worker: [`crate::runtime`] has one more than
/// there are slots, so one is always free for the probes, `/metrics` and
/// the network, see [`crate::serve_with`]), within the request's deadline,
/// counted from `arrived`.
/// With no slot free the request waits in the queue, in arrival order; with
/// the queue full it is answered 503 with `Retry-After`; past the deadline
/// while waiting, 503 `deadline` without evaluating. Once started, `work`
/// runs to its end: the deadline cannot interrupt it (the CEL cost budget
/// and the plugins' time limits bound it); if it ends past the deadline the
/// answer is 503 `deadline` all the same.
async fn bounded<T>(
    service: &Arc<Service>,
    arrived: Instant,
    lang: Lang,
    work: impl FnOnce(&Service) -> T,
) -> Result<T, Problem> {
    let deadline = service.settings.deadline;
    let until = arrived + deadline;
    let slot = match service.slot(until).await {
        Ok(slot) => slot,
        Err(NoSlot::Full { retry_after }) => {
            let limit =
                (service.settings.max_concurrent).saturating_add(service.settings.max_queued);
            return Err(Problem::overloaded(limit, retry_after, lang));
        }
        Err(NoSlot::Deadline) => return Err(Problem::deadline(deadline, lang)),
    };
    if Instant::now() >= until {
        return Err(Problem::deadline(deadline, lang));
    }
    // A panic (a bug: the engine does not panic on any input) is this
    // request's 500, not the connection's end.
    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(service)));
    drop(slot);
    match done {
        Ok(_) if Instant::now() > until => Err(Problem::deadline(deadline, lang)),
        Ok(done) => Ok(done),
        Err(_) => {
            tracing::error!("the evaluation panicked");
            Err(Problem::internal(lang))
        }
    }
}

/// Evaluates a submission and answers its report.
#[utoipa::path(
    post,
    path = "/v1/evaluate",
    tag = "reports",
    params(EvaluateQuery),
    request_body(
        description = "A submission (`recert schema submission`), YAML or JSON (JSON if it starts with `{`); the Content-Type is ignored. At most 16 MiB.",
        content(("application/yaml"), ("application/json"))
    ),
    responses(
        (status = 200, description = "The report, whatever the verdict: the bytes `recert check - --format F` writes for the same text, the input named `request body`",
            headers(("Recert-Verdict" = String, description = "The report's verdict: pass, fail, incomplete or not-covered")),
            content(
                (String = "application/json"),
                (String = "text/html; charset=utf-8"),
                (String = "application/sarif+json"),
                (String = "application/xml"),
                (String = "text/markdown; charset=utf-8"),
                (String = "text/plain; charset=utf-8")
            )),
        (status = 400, description = "The body is not a valid submission (its diagnostics with line, column and path), a query parameter is not valid, or sign=true cannot be honoured", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 16 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The server is full: as many evaluations as it runs at once (`--max-concurrent`) are running and as many requests as may wait for their turn (`--max-queued`) are waiting, so this one was refused at once (type `overloaded`, with Retry-After); or the request passed the server's deadline (`--deadline`, counted from its arrival: waiting in the queue and evaluating; type `deadline`)", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait (`overloaded` only): the requests ahead times the mean evaluation time over the slots, at least 1"))),
    )
)]
async fn evaluate(
    State(service): State<Arc<Service>>,
    query: Result<Query<EvaluateQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let arrived = Instant::now();
    let answer = async {
        let query = query_of(query, Lang::En)?;
        let (lang, format, sign, at) = evaluation(&query, &service)?;
        let body = body_of(body, lang)?;
        let request = Request {
            // Without a copy when the body came in one piece.
            body: Vec::from(body),
            at,
            lang,
            format,
            sign,
        };
        let evaluated = bounded(&service, arrived, lang, move |service| {
            service.evaluate(request)
        })
        .await?
        .map_err(|diagnostics| Problem::invalid_body(&diagnostics, lang))?;
        let verdict = evaluated.verdict.as_str();
        let mut response =
            ([(header::CONTENT_TYPE, media_type(format))], evaluated.body).into_response();
        response
            .headers_mut()
            .insert(VERDICT_HEADER, HeaderValue::from_static(verdict));
        response.extensions_mut().insert(VerdictTag(verdict));
        Ok::<_, Problem>(response)
    };
    answer.await.unwrap_or_else(IntoResponse::into_response)
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

/// The answer of `POST /v1/validate` to a valid body.
#[derive(Debug, Serialize, ToSchema)]
struct Valid {
    /// Always `true` (an invalid body gets a problem).
    valid: bool,
    /// The submission's id.
    id: String,
    /// What `recert validate` warns about (a share written as a fraction,
    /// a name no pack reads), in the request's language.
    warnings: Vec<ProblemDiagnostic>,
}

/// Checks a submission's schema and units, as `recert validate -` does.
#[utoipa::path(
    post,
    path = "/v1/validate",
    tag = "reports",
    params(LangQuery),
    request_body(
        description = "A submission, YAML or JSON, as for /v1/evaluate",
        content(("application/yaml"), ("application/json"))
    ),
    responses(
        (status = 200, description = "The submission is valid", body = Valid),
        (status = 400, description = "It is not: its diagnostics", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 16 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The server is full (running and queue; with Retry-After) or the request passed the deadline, as for /v1/evaluate", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn validate(
    State(service): State<Arc<Service>>,
    query: Result<Query<LangQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let arrived = Instant::now();
    let answer = async {
        let query = query_of(query, Lang::En)?;
        let lang = lang_of(query.lang.as_deref())?;
        let body = body_of(body, lang)?;
        let validated = bounded(&service, arrived, lang, move |service| {
            service.validate(Vec::from(body), lang)
        })
        .await?
        .map_err(|diagnostics| Problem::invalid_body(&diagnostics, lang))?;
        Ok::<_, Problem>(
            axum::Json(Valid {
                valid: true,
                id: validated.id,
                warnings: validated
                    .warnings
                    .iter()
                    .map(ProblemDiagnostic::from)
                    .collect(),
            })
            .into_response(),
        )
    };
    answer.await.unwrap_or_else(IntoResponse::into_response)
}

/// The packs the server loaded and their rules.
#[utoipa::path(
    get,
    path = "/v1/packs",
    tag = "packs",
    params(LangQuery),
    responses(
        (status = 200, description = "What `recert packs --format json` writes for the server's packs", content_type = "application/json", body = String),
        (status = 400, description = "A query parameter is not valid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn packs(
    State(service): State<Arc<Service>>,
    query: Result<Query<LangQuery>, QueryRejection>,
) -> Response {
    let lang = query_of(query, Lang::En).and_then(|q| lang_of(q.lang.as_deref()));
    match lang {
        Ok(lang) => (
            [(header::CONTENT_TYPE, "application/json")],
            service.documents.packs(lang).to_owned(),
        )
            .into_response(),
        Err(problem) => problem.into_response(),
    }
}

/// A JSON Schema, as `recert schema NAME` prints it.
#[utoipa::path(
    get,
    path = "/v1/schemas/{name}",
    tag = "schemas",
    params(("name" = String, Path, description = "submission, report, pack, pack-test or summary")),
    responses(
        (status = 200, description = "The schema", content_type = "application/schema+json", body = String),
        (status = 404, description = "No schema of that name", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn schema(State(service): State<Arc<Service>>, Path(name): Path<String>) -> Response {
    match service.documents.schema(&name) {
        Some(text) => ([(header::CONTENT_TYPE, "application/schema+json")], text).into_response(),
        None => {
            let texts = Problem::texts(Lang::En);
            let names = service
                .documents
                .schemas
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ");
            Problem::new(
                StatusCode::NOT_FOUND,
                "unknown-schema",
                texts.unknown_schema,
                (texts.unknown_schema_detail)(&name, &names),
            )
            .into_response()
        }
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/v1/openapi.json",
    tag = "service",
    responses((status = 200, description = "The OpenAPI 3.1 document of the service", content_type = "application/json", body = String))
)]
async fn openapi_json() -> Response {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    let text = DOCUMENT.get_or_init(|| openapi().to_pretty_json().unwrap_or_default() + "\n");
    ([(header::CONTENT_TYPE, "application/json")], text.as_str()).into_response()
}

/// Liveness: the process answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "service",
    responses((status = 200, description = "`ok`", content_type = "text/plain", body = String))
)]
async fn healthz() -> &'static str {
    "ok\n"
}

/// Readiness: packs and plugins are loaded (the server listens only once
/// they are) and it is not shutting down.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "service",
    responses(
        (status = 200, description = "`ready`", content_type = "text/plain", body = String),
        (status = 503, description = "`stopping`: shutting down, requests in flight finish", content_type = "text/plain", body = String),
    )
)]
async fn readyz(State(service): State<Arc<Service>>) -> Response {
    if service.is_ready() {
        "ready\n".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "stopping\n").into_response()
    }
}

/// The process's metrics in the Prometheus text format.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "service",
    responses((status = 200, description = "Requests and latency by route and status, verdicts, plugin errors and budget hits", content_type = "text/plain; version=0.0.4", body = String))
)]
async fn metrics(State(service): State<Arc<Service>>) -> Response {
    (
        [(header::CONTENT_TYPE, crate::metrics::MEDIA_TYPE)],
        service.metrics.encode(),
    )
        .into_response()
}
