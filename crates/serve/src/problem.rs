//! Errors as `application/problem+json` (RFC 9457): `type`, `title`,
//! `status`, `detail`, and the diagnostics as the command line gives them
//! (`code`, `file` = `request body`, `line`, `column`, `path`, `message`).
//! Title and detail are in the request's language; diagnostics are in
//! English, as `recert check` prints them.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use recert_engine::catalog::{Catalog, Problems};
use recert_engine::{Diagnostic, Diagnostics, Lang};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of a problem.
pub const MEDIA_TYPE: &str = "application/problem+json";

/// An error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// What kind of problem, as a URI: `tag:recert,2026:problem/NAME`
    /// (`invalid-body`, `bad-query`, `cannot-sign`, `too-large`,
    /// `overloaded`, `deadline`, `unknown-schema`, `internal`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind in words, in the request's language.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// This occurrence in words, in the request's language.
    pub detail: String,
    /// The diagnostics, as `recert check` prints them (empty when the
    /// problem is not about the body's content).
    pub diagnostics: Vec<ProblemDiagnostic>,
    /// Seconds to wait before retrying (`overloaded`; also the
    /// `Retry-After` header).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

/// One diagnostic of a [`Problem`].
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemDiagnostic {
    /// The diagnostic's code (`recert explain CODE`), e.g. `schema`.
    pub code: String,
    /// Where: `request body` (or a pack's file).
    pub file: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// The 1-based column, when known.
    pub column: Option<usize>,
    /// The JSON Pointer of the value (`/components/0/mass`), or empty.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl From<&Diagnostic> for ProblemDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        ProblemDiagnostic {
            code: d.code.to_string(),
            file: d.location.file.clone(),
            line: d.location.line,
            column: d.location.column,
            path: d.location.pointer.clone(),
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

impl Problem {
    /// A problem of kind `name` with `status`, `title` and `detail`.
    pub fn new(status: StatusCode, name: &str, title: &str, detail: String) -> Problem {
        Problem {
            kind: format!("tag:recert,2026:problem/{name}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            diagnostics: Vec::new(),
            retry_after: None,
        }
    }

    /// The texts of `lang`.
    pub fn texts(lang: Lang) -> &'static Problems {
        &Catalog::get(lang).problems
    }

    /// 400: the body is not a valid submission, for `diagnostics`; a
    /// `too-large` diagnostic gives 413.
    pub fn invalid_body(diagnostics: &Diagnostics, lang: Lang) -> Problem {
        let texts = Problem::texts(lang);
        let too_large = diagnostics
            .iter()
            .any(|d| d.code == recert_engine::Code::TooLarge);
        let mut problem = if too_large {
            Problem::too_large(lang)
        } else {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-body",
                texts.invalid_body,
                (texts.invalid_body_detail)(diagnostics.0.len()),
            )
        };
        problem.diagnostics = diagnostics.iter().map(ProblemDiagnostic::from).collect();
        problem
    }

    /// 400: query parameter `name` has `value`, which is not `expected`.
    pub fn bad_query(name: &str, value: &str, expected: &str, lang: Lang) -> Problem {
        let texts = Problem::texts(lang);
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-query",
            texts.bad_query,
            (texts.bad_query_detail)(name, value, expected),
        )
    }

    /// 413: the body is over the input cap.
    pub fn too_large(lang: Lang) -> Problem {
        let texts = Problem::texts(lang);
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            texts.too_large,
            (texts.too_large_detail)(recert_engine::load::MAX_INPUT_BYTES / (1024 * 1024)),
        )
    }

    /// 503 with `Retry-After: retry`: `limit` requests are being evaluated
    /// or waiting for a slot, as many as the server takes.
    pub fn overloaded(limit: usize, retry: u64, lang: Lang) -> Problem {
        let texts = Problem::texts(lang);
        let mut problem = Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            texts.overloaded,
            (texts.overloaded_detail)(limit, retry),
        );
        problem.retry_after = Some(retry);
        problem
    }

    /// 503: the evaluation did not finish within `deadline`.
    pub fn deadline(deadline: std::time::Duration, lang: Lang) -> Problem {
        let texts = Problem::texts(lang);
        let words = if deadline.subsec_millis() == 0 {
            format!("{} s", deadline.as_secs())
        } else {
            format!("{} ms", deadline.as_millis())
        };
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "deadline",
            texts.deadline,
            (texts.deadline_detail)(&words),
        )
    }

    /// 500: the evaluation failed.
    pub fn internal(lang: Lang) -> Problem {
        let texts = Problem::texts(lang);
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            texts.internal,
            texts.internal_detail.to_owned(),
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string_pretty(&self).unwrap_or_default() + "\n";
        let mut response = (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE))],
            body,
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
