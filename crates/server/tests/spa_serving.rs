//! The built SPA is served as a CDN would: the precompressed copy the browser accepts,
//! content-named files cached for a year, everything else revalidated, and 304s.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use novatalks_server::{app, db, AppState, ServerConfig};
use tower::ServiceExt;

const WASM: &str = "novatalks-contacts-0123456789abcdef_bg.wasm";
const CSS: &str = "base-bafecf6ccba19516.css";

struct Served {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

/// A dist/ whose copies say which one was served.
fn dist(dir: &Path) {
    for (name, text) in [
        ("index.html", "<html>plain</html>"),
        ("index.html.gz", "gzip index"),
        ("index.html.br", "brotli index"),
        (WASM, "plain wasm"),
        (&format!("{WASM}.gz"), "gzip wasm"),
        (&format!("{WASM}.br"), "brotli wasm"),
        (CSS, "body{}"),
        ("dashboard-test.html", "<html>dashboard</html>"),
    ] {
        std::fs::write(dir.join(name), text).expect("write dist file");
    }
}

async fn server(dir: &Path) -> Router {
    let config = ServerConfig::for_tests(dir, dir);
    let pool = db::for_tests(None).await.expect("in-memory database");
    app(AppState::new(pool, Arc::new(config)))
}

async fn get(app: &Router, path: &str, headers: &[(header::HeaderName, &str)]) -> Served {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Served {
        status,
        headers,
        body,
    }
}

fn header_of(served: &Served, name: header::HeaderName) -> Option<&str> {
    served.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn the_browser_gets_the_smallest_copy_it_accepts() {
    let dir = tempfile::tempdir().expect("temp dir");
    dist(dir.path());
    let app = server(dir.path()).await;
    let path = format!("/{WASM}");

    let chrome = get(
        &app,
        &path,
        &[(header::ACCEPT_ENCODING, "gzip, deflate, br, zstd")],
    )
    .await;
    assert_eq!(chrome.status, StatusCode::OK);
    assert_eq!(chrome.body, b"brotli wasm");
    assert_eq!(header_of(&chrome, header::CONTENT_ENCODING), Some("br"));
    assert_eq!(
        header_of(&chrome, header::CONTENT_TYPE),
        Some("application/wasm"),
        "the type is the file's, not the copy's"
    );

    let gzip_only = get(&app, &path, &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!(gzip_only.body, b"gzip wasm");
    assert_eq!(
        header_of(&gzip_only, header::CONTENT_ENCODING),
        Some("gzip")
    );

    let plain = get(&app, &path, &[]).await;
    assert_eq!(plain.body, b"plain wasm");
    assert_eq!(header_of(&plain, header::CONTENT_ENCODING), None);

    for served in [&chrome, &gzip_only, &plain] {
        assert!(
            header_of(served, header::VARY).is_some_and(|v| v.contains("accept-encoding")),
            "shared caches must keep the copies apart: {:?}",
            served.headers
        );
    }

    // A file without copies is served as it is, to anyone.
    let css = get(&app, &format!("/{CSS}"), &[(header::ACCEPT_ENCODING, "br")]).await;
    assert_eq!(css.body, b"body{}");
    assert_eq!(header_of(&css, header::CONTENT_ENCODING), None);
}

#[tokio::test]
async fn content_named_files_are_kept_a_year_and_the_page_is_always_asked_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    dist(dir.path());
    let app = server(dir.path()).await;

    for path in [format!("/{WASM}"), format!("/{CSS}")] {
        let served = get(&app, &path, &[]).await;
        assert_eq!(served.status, StatusCode::OK, "{path}");
        assert_eq!(
            header_of(&served, header::CACHE_CONTROL),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
    }
    // index.html, a client-side route (index.html by fallback), an unhashed file.
    for path in ["/", "/index.html", "/contacts/42", "/dashboard-test.html"] {
        let served = get(&app, path, &[(header::ACCEPT_ENCODING, "gzip")]).await;
        assert_eq!(served.status, StatusCode::OK, "{path}");
        assert_eq!(
            header_of(&served, header::CACHE_CONTROL),
            Some("no-cache"),
            "{path}"
        );
        assert!(
            header_of(&served, header::LAST_MODIFIED).is_some(),
            "{path} can be revalidated"
        );
    }
    let route = get(&app, "/contacts/42", &[(header::ACCEPT_ENCODING, "br")]).await;
    assert_eq!(
        route.body, b"brotli index",
        "client routes get the page, compressed"
    );
}

#[tokio::test]
async fn an_unchanged_page_answers_304_and_a_rebuilt_one_the_new_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    dist(dir.path());
    let app = server(dir.path()).await;

    let first = get(&app, "/", &[]).await;
    let stamp = header_of(&first, header::LAST_MODIFIED)
        .expect("Last-Modified")
        .to_owned();
    let again = get(&app, "/", &[(header::IF_MODIFIED_SINCE, &stamp)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(header_of(&again, header::CACHE_CONTROL), Some("no-cache"));

    // A new build: the page's time moves on, so the browser's copy no longer matches.
    let index = std::fs::File::options()
        .write(true)
        .open(dir.path().join("index.html"))
        .expect("open index.html");
    index
        .set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .expect("touch index.html");
    std::fs::write(dir.path().join("index.html.gz"), "gzip index").expect("rewrite");
    let after = get(&app, "/", &[(header::IF_MODIFIED_SINCE, &stamp)]).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(after.body, b"<html>plain</html>");
}

#[tokio::test]
async fn api_answers_carry_no_spa_caching() {
    let dir = tempfile::tempdir().expect("temp dir");
    dist(dir.path());
    let app = server(dir.path()).await;
    let served = get(&app, "/api/v1/profile", &[]).await;
    assert_eq!(served.status, StatusCode::UNAUTHORIZED);
    assert_eq!(header_of(&served, header::CACHE_CONTROL), None);
    let missing = get(&app, "/api/v1/nothing-here", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(header_of(&missing, header::CACHE_CONTROL), None);
}
