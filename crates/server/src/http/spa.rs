//! Serving the built SPA as a CDN would: files from dist/, and index.html for every other
//! path so that client-side routes (`/contacts/42`) survive a reload.
//!
//! - **Compressed copies made at build time.** `cargo xtask` writes `FILE.br` and `FILE.gz`
//!   beside every wasm, js, css and html file; a browser that accepts brotli or gzip gets
//!   that copy (`Content-Encoding`), others the file itself. Nothing is compressed per
//!   request.
//! - **Caching by name.** The build names the css after a hash of its content
//!   (`base-0123456789abcdef.css`, as Trunk does the wasm and js too) and puts the wasm, its
//!   script and its later parts in a directory named after a hash of them all
//!   (`pkg-0123456789abcdef/`): those never change, so a browser keeps them a year without
//!   asking (`immutable`). `index.html` and the other unhashed files say `no-cache`:
//!   the browser asks each time, and gets a 304 while `Last-Modified` still matches, so a new
//!   build reaches every agent on their next load.

use std::convert::Infallible;
use std::path::Path;

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower::util::BoxCloneSyncService;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};

/// For content-named files: a year, and no revalidation.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For the rest: keep, but ask before each use.
pub const REVALIDATE: &str = "no-cache";

/// The dist/ directory as a service: precompressed copies by content negotiation,
/// index.html as the fallback, and cache headers by name.
pub fn service(dist: &Path) -> BoxCloneSyncService<Request, Response, Infallible> {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    let service = ServiceBuilder::new()
        .layer(axum::middleware::from_fn(cache_headers))
        .service(files);
    BoxCloneSyncService::new(service)
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let immutable = is_content_named(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        let policy = if immutable { IMMUTABLE } else { REVALIDATE };
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(policy));
        // The same address answers brotli, gzip or plain by the request's Accept-Encoding:
        // a shared cache must keep them apart.
        headers.append(VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Whether the file's name, or the `pkg-HASH` directory it is in, carries a hash of its
/// content. Names as Trunk gives them: `NAME-HASH.EXT` or
/// `NAME-HASH_bg.wasm`, HASH a 64-bit number in lower-case hex without leading zeros (so
/// 16 digits or, about one name in sixteen per digit, fewer: `toasts-bc8cc1826b52b6e.css`).
/// Ten digits at least, which an unhashed name would not happen to end with.
pub fn is_content_named(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    if let (Some(dir), Some(_), None) = (segments.next(), segments.next(), segments.next()) {
        if dir.strip_prefix("pkg-").is_some_and(is_hash) {
            return true;
        }
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((stem, _ext)) = name.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((base, hash)) => !base.is_empty() && is_hash(hash),
        None => false,
    }
}

/// 10 to 16 lower-case hex digits.
fn is_hash(text: &str) -> bool {
    (10..=16).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_and_package_directories_are_content_named() {
        for yes in [
            "/novatalks-contacts-3f2a9c0d1e4b5a67_bg.wasm",
            "/novatalks-contacts-3f2a9c0d1e4b5a67.js",
            "/base-bafecf6ccba19516.css",
            "/snippets/x/inline0-0123456789abcdef.js",
            "/toasts-bc8cc1826b52b6e.css",
            "/pkg-3f2a9c0d1e4b5a67/novatalks-contacts.js",
            "/pkg-3f2a9c0d1e4b5a67/chunk_9.wasm",
        ] {
            assert!(is_content_named(yes), "{yes}");
        }
        for no in [
            "/",
            "/index.html",
            "/dashboard-test.html",
            "/contacts/42",
            "/base-bafecf6cc.css",
            "/base-bafecf6ccba19516a.css",
            "/new-dialog.css",
            "/base-BAFECF6CCBA19516.css",
            "/-bafecf6ccba19516.css",
            "/base-bafecf6ccba19516",
            "/pkg-3f2a9c0d1e4b5a67",
            "/pkg-3f2a9c0d/chunk_9.wasm",
            "/pkg-3f2a9c0d1e4b5a67/a/chunk_9.wasm",
            "/contacts/pkg-3f2a9c0d1e4b5a67/x.js",
        ] {
            assert!(!is_content_named(no), "{no}");
        }
    }
}
