//! Security headers on every response, whatever the route or the status
//! (a 401, a 404 and a 413 too).
//!
//! - `Content-Security-Policy`: [`CONTENT_SECURITY_POLICY`], and the
//!   SHA-256 hash of the HTML report's one `<style>` element in
//!   `style-src`. The page shows the report in a sandboxed `srcdoc`
//!   iframe, which inherits the page's policy: without the hash the report
//!   would show unstyled; with it no other inline style runs. No script
//!   from anywhere but the server, no inline script, no plugin object, no
//!   framing of the page by another site.
//! - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
//!   `Cross-Origin-Opener-Policy: same-origin`, `X-Frame-Options: DENY`
//!   (for browsers without `frame-ancestors`).
//! - `Cache-Control: no-store` where the handler set no cache policy:
//!   reports are about one client's products and must not stay in shared
//!   caches. A handler may set its own (e.g. the page's immutable assets).

use axum::http::{HeaderName, HeaderValue, header};
use base64::Engine as _;
use recert_engine::Lang;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy, before the report style's hash is added to
/// `style-src`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; frame-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The policy sent: [`CONTENT_SECURITY_POLICY`] with `'sha256-…'` of the
/// HTML report's `<style>` element in `style-src`.
pub fn content_security_policy() -> String {
    match report_style_hash() {
        Some(hash) => {
            CONTENT_SECURITY_POLICY.replace("style-src 'self'", &format!("style-src 'self' {hash}"))
        }
        None => CONTENT_SECURITY_POLICY.to_owned(),
    }
}

/// `'sha256-BASE64'` of the text of the HTML report's `<style>` element,
/// as a CSP hash source.
pub fn report_style_hash() -> Option<String> {
    let head = recert_engine::report::html::document_start(Lang::En, None);
    let start = head.find("<style>")? + "<style>".len();
    let end = start + head.get(start..)?.find("</style>")?;
    let style = head.get(start..end)?;
    let digest = Sha256::digest(style.as_bytes());
    Some(format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    ))
}

/// The headers and their values, in the order they are set.
pub fn headers() -> Vec<(HeaderName, HeaderValue)> {
    let csp = HeaderValue::from_str(&content_security_policy())
        .unwrap_or(HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    vec![
        (header::CONTENT_SECURITY_POLICY, csp),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ]
}

/// `router` with the headers on every response.
pub fn layer(mut router: axum::Router) -> axum::Router {
    for (name, value) in headers() {
        router = router.layer(SetResponseHeaderLayer::overriding(name, value));
    }
    router.layer(SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_policy_allows_the_report_style_by_hash() {
        let hash = report_style_hash().unwrap();
        assert!(
            hash.starts_with("'sha256-") && hash.ends_with("='"),
            "{hash}"
        );
        let csp = content_security_policy();
        assert!(csp.contains(&format!("style-src 'self' {hash};")), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("script-src 'self';"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
