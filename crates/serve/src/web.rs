//! The self-check page at `/`: its HTML, style sheet and script are
//! embedded in the binary (no network, no CDN) and served under `/assets/`
//! with their content's hash in the name, so that a browser may keep them
//! for a year and still never mixes two versions.
//!
//! The page has no inline script or style and evaluates nothing: it works
//! under a policy as strict as `default-src 'self'`. It shows the HTML
//! report in a sandboxed `srcdoc` frame (no script can run there); such a
//! frame inherits the page's policy, under which the report's own inline
//! `<style>` does not apply, so the page links the report's styles from
//! here instead (`/assets/report.HASH.css`, the same rules the report
//! carries inside). The report downloaded from the page is the untouched
//! document.

use std::sync::{Arc, LazyLock};

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use recert_engine::report::html;

use crate::service::Service;

/// The page; `{{NAME}}` stands for the path of the asset `NAME`.
const INDEX_HTML: &str = include_str!("../web/index.html");

/// An embedded file served under `/assets/`.
struct Asset {
    /// The name the page uses in `{{...}}`, e.g. `app.js`.
    name: &'static str,
    /// Its media type.
    content_type: &'static str,
    /// Its bytes.
    bytes: &'static [u8],
}

/// Every asset of the page.
const ASSETS: [Asset; 3] = [
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../web/app.js"),
    },
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../web/style.css"),
    },
    Asset {
        name: "report.css",
        content_type: "text/css; charset=utf-8",
        bytes: html::STYLE.as_bytes(),
    },
];

/// How long a browser may keep an asset: its name changes with its content.
const ASSET_CACHE: &str = "public, max-age=31536000, immutable";

/// The page, revalidated on every visit so that it names the current assets.
const PAGE_CACHE: &str = "no-cache";

/// The assets by the file name they are served under, and the page with
/// those names filled in; made once.
struct Site {
    /// `(file name, asset)`, e.g. `("app.3f2a….js", app.js)`.
    assets: Vec<(String, &'static Asset)>,
    /// The page, its `{{NAME}}`s replaced by `/assets/FILE`.
    index: String,
}

static SITE: LazyLock<Site> = LazyLock::new(|| {
    let mut index = INDEX_HTML.to_owned();
    let assets = ASSETS
        .iter()
        .map(|asset| {
            let file = hashed_name(asset.name, asset.bytes);
            index = index.replace(
                &format!("{{{{{}}}}}", asset.name),
                &format!("/assets/{file}"),
            );
            (file, asset)
        })
        .collect();
    Site { assets, index }
});

/// `stem.HASH.ext`: the name with the first 64 bits of the content's
/// SHA-256 in hex before its extension.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = recert_engine::sha256::sha256_hex(bytes);
    let short = digest.get(..16).unwrap_or(&digest);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{short}.{ext}"),
        None => format!("{name}.{short}"),
    }
}

/// The path of the asset `name` (e.g. `app.js`) as the page names it:
/// `/assets/app.HASH.js`.
pub fn asset_path(name: &str) -> Option<String> {
    SITE.assets
        .iter()
        .find(|(_, asset)| asset.name == name)
        .map(|(file, _)| format!("/assets/{file}"))
}

/// The routes of this module.
pub fn routes() -> axum::Router<Arc<Service>> {
    axum::Router::new()
        .route("/", get(index))
        .route("/assets/{file}", get(asset))
}

async fn index() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, PAGE_CACHE),
        ],
        SITE.index.as_str(),
    )
}

async fn asset(Path(file): Path<String>) -> Response {
    match SITE.assets.iter().find(|(name, _)| *name == file) {
        Some((_, asset)) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, ASSET_CACHE),
            ],
            asset.bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_every_asset_by_its_hash() {
        let index = &SITE.index;
        assert!(!index.contains("{{"), "a placeholder is left: {index}");
        for asset in &ASSETS {
            let path = asset_path(asset.name).unwrap_or_default();
            assert!(path.starts_with("/assets/"), "{path}");
            assert!(index.contains(&path), "{path} is not on the page");
        }
    }

    #[test]
    fn the_page_has_no_inline_script_or_style() {
        let index = &SITE.index;
        assert!(!index.contains(" style="), "an inline style");
        assert!(!index.contains("<style"), "a style element");
        for (at, _) in index.match_indices("<script") {
            let tag = index.get(at..).and_then(|s| s.split('>').next());
            assert!(
                tag.is_some_and(|tag| tag.contains(" src=")),
                "an inline script: {tag:?}"
            );
        }
        let handler = index.split(" on").skip(1).find(|rest| {
            let name: String = rest.chars().take_while(char::is_ascii_lowercase).collect();
            !name.is_empty() && rest.get(name.len()..).is_some_and(|r| r.starts_with('='))
        });
        assert!(handler.is_none(), "an inline event handler: on{handler:?}");
    }
}
