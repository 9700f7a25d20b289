//! Optional bearer-token authentication (`recert serve --tokens FILE`).
//!
//! The file holds the SHA-256 digests of the accepted tokens, never the
//! tokens themselves: one `sha256:<64 hex digits>` a line; blank lines and
//! lines starting with `#` are skipped. Make a line with
//!
//! ```sh
//! printf 'sha256:%s\n' "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" >> tokens
//! ```
//!
//! A request sends `Authorization: Bearer TOKEN`; the server hashes the
//! token and compares the digest with every digest of the file in constant
//! time (no early exit on the first differing byte, nor on the first match),
//! so the time taken tells nothing about the digests. A request without a
//! token, or with a wrong one, gets `401` as problem+json with
//! `WWW-Authenticate: Bearer`.
//!
//! Open without a token, whatever the file: the probes `/healthz` and
//! `/readyz` (the kubelet and load balancers call them without credentials
//! and they tell nothing but "up"), `/metrics` (scraped by Prometheus from
//! inside the cluster; counters only, no submission data), and the page
//! `/` with its assets under `/assets/` (the same bytes for everyone; the
//! page's API calls need the token like any other client's). Everything
//! else, including paths that match no route, needs the token: a path is
//! open only if it is on [`OPEN_PATHS`] or under [`OPEN_PREFIXES`].

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

/// Paths anyone may request, token or not.
pub const OPEN_PATHS: &[&str] = &["/", "/healthz", "/readyz", "/metrics"];

/// Path prefixes anyone may request: the page's assets.
pub const OPEN_PREFIXES: &[&str] = &["/assets/"];

/// The accepted tokens, as SHA-256 digests.
#[derive(Clone)]
pub struct Tokens {
    digests: Vec<[u8; 32]>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tokens({} digests)", self.digests.len())
    }
}

/// A token file that cannot be used, with the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFileError {
    /// The file as given.
    pub file: String,
    /// The 1-based line, when the error is on one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TokenFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for TokenFileError {}

impl Tokens {
    /// Reads a token file.
    pub fn read(path: &Path) -> Result<Tokens, TokenFileError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| TokenFileError {
            file: file.clone(),
            line: None,
            message: format!("cannot read the token file: {error}"),
        })?;
        Tokens::parse(&file, &text)
    }

    /// Parses the text of a token file named `file` (for the errors).
    pub fn parse(file: &str, text: &str) -> Result<Tokens, TokenFileError> {
        let mut digests = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |message: String| TokenFileError {
                file: file.to_owned(),
                line: Some(index + 1),
                message,
            };
            let Some(hex) = line.strip_prefix("sha256:") else {
                return Err(error(
                    "expected `sha256:` and the token's SHA-256 digest in hex \
                     (printf %s TOKEN | sha256sum), not a token itself"
                        .to_owned(),
                ));
            };
            let digest = parse_hex(hex).ok_or_else(|| {
                error(format!(
                    "`{}` is not a SHA-256 digest: 64 hex digits expected",
                    hex.chars().take(80).collect::<String>()
                ))
            })?;
            digests.push(digest);
        }
        if digests.is_empty() {
            return Err(TokenFileError {
                file: file.to_owned(),
                line: None,
                message: "the token file lists no token digest: every API request would be refused"
                    .to_owned(),
            });
        }
        Ok(Tokens { digests })
    }

    /// How many digests the file lists.
    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Never true: a file without a digest is refused.
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// Whether `token` is one of the tokens, compared in constant time:
    /// every digest is compared in full, whichever matches.
    pub fn admits(&self, token: &[u8]) -> bool {
        let presented: [u8; 32] = Sha256::digest(token).into();
        let mut found = Choice::from(0);
        for digest in &self.digests {
            found |= digest.ct_eq(&presented);
        }
        found.into()
    }
}

fn parse_hex(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut digest = [0u8; 32];
    for (out, pair) in digest.iter_mut().zip(bytes.chunks_exact(2)) {
        let [high, low] = pair else { return None };
        *out = (nibble(*high)? << 4) | nibble(*low)?;
    }
    Some(digest)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Whether anyone may request `path` without a token.
pub fn is_open(path: &str) -> bool {
    OPEN_PATHS.contains(&path) || OPEN_PREFIXES.iter().any(|p| path.starts_with(p))
}

/// The token of an `Authorization: Bearer TOKEN` header (the scheme in any case).
fn bearer(value: &HeaderValue) -> Option<&[u8]> {
    let value = value.as_bytes();
    let scheme = value.get(..7)?;
    if !scheme.eq_ignore_ascii_case(b"bearer ") {
        return None;
    }
    let token = value.get(7..)?.trim_ascii();
    (!token.is_empty()).then_some(token)
}

/// The middleware: passes open paths and requests with an accepted token,
/// answers 401 to the others.
pub async fn require_token(
    State(tokens): State<Arc<Tokens>>,
    request: Request,
    next: Next,
) -> Response {
    if is_open(request.uri().path()) {
        return next.run(request).await;
    }
    match request.headers().get(header::AUTHORIZATION).map(bearer) {
        Some(Some(token)) if tokens.admits(token) => next.run(request).await,
        Some(Some(_)) => unauthorized(
            "Bearer realm=\"recert\", error=\"invalid_token\"",
            "the bearer token is not one the server accepts",
        ),
        Some(None) => unauthorized(
            "Bearer realm=\"recert\", error=\"invalid_request\"",
            "the Authorization header must be `Bearer TOKEN`",
        ),
        None => unauthorized(
            "Bearer realm=\"recert\"",
            "this server needs a bearer token: send `Authorization: Bearer TOKEN`",
        ),
    }
}

fn unauthorized(challenge: &'static str, detail: &str) -> Response {
    let body = serde_json::json!({
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": detail,
    });
    (
        StatusCode::UNAUTHORIZED,
        [
            (header::WWW_AUTHENTICATE, challenge),
            (header::CONTENT_TYPE, "application/problem+json"),
        ],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    // printf %s secret | sha256sum
    const SECRET: &str = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

    #[test]
    fn admits_the_listed_tokens_only() {
        let text = format!("# ops\n\nsha256:{SECRET}\nsha256:{}\n", "0".repeat(64));
        let tokens = Tokens::parse("tokens", &text).unwrap();
        assert_eq!(tokens.len(), 2);
        assert!(tokens.admits(b"secret"));
        assert!(!tokens.admits(b"secret2"));
        assert!(!tokens.admits(b""));
        assert!(!tokens.admits(SECRET.as_bytes()));
    }

    #[test]
    fn a_bad_line_is_named() {
        let error = Tokens::parse("tokens", "# x\nsecret\n").unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(
            error
                .to_string()
                .starts_with("tokens:2: expected `sha256:`")
        );
        let error = Tokens::parse("tokens", "sha256:abc\n").unwrap_err();
        assert!(error.to_string().contains("64 hex digits"), "{error}");
        let error = Tokens::parse("tokens", "# only a comment\n").unwrap_err();
        assert!(error.to_string().contains("no token digest"), "{error}");
    }

    #[test]
    fn bearer_header() {
        let value = HeaderValue::from_static("bearer abc ");
        assert_eq!(bearer(&value), Some(&b"abc"[..]));
        assert_eq!(bearer(&HeaderValue::from_static("Basic abc")), None);
        assert_eq!(bearer(&HeaderValue::from_static("Bearer ")), None);
    }

    #[test]
    fn open_paths() {
        assert!(is_open("/healthz"));
        assert!(is_open("/assets/page.js"));
        assert!(!is_open("/v1/evaluate"));
        assert!(!is_open("/healthz/x"));
        assert!(!is_open("/nowhere"));
    }
}
