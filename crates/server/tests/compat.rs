//! Stock-Chatwoot mode and cross-origin access for the embedded dashboard app.

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn stock_mode_leaves_out_every_extension() {
    let t = TestApp::with_config(|c| c.stock_chatwoot = true).await;
    let id = t
        .insert_contact(t.a.account_id, json!({"name": "Blocked", "blocked": true, "blocked_until": 4_000_000_000i64, "block_reason": "Spam"}))
        .await;
    t.label_contact(t.a.account_id, id, &["vip"]).await;
    let r = t.get("/contacts").await;
    assert_eq!(r.status, 200);
    let c = &r.body["payload"][0];
    assert_eq!(c["blocked"], true, "blocked is Chatwoot's own field");
    for ext in [
        "blocked_until",
        "block_reason",
        "labels",
        "conversations_count",
    ] {
        assert!(c.get(ext).is_none(), "{ext} left out: {c}");
    }
}

#[tokio::test]
async fn stock_mode_ignores_per_page_like_chatwoot() {
    let t = TestApp::with_config(|c| c.stock_chatwoot = true).await;
    for i in 0..20 {
        t.insert_contact(t.a.account_id, json!({"name": format!("P{i}")}))
            .await;
    }
    let r = t.get("/contacts?per_page=100&sort=name").await;
    assert_eq!(TestApp::ids(&r).len(), 15, "always 15 a page");
    assert_eq!(r.body["meta"]["count"], 20);
}

#[tokio::test]
async fn extended_mode_keeps_the_extensions() {
    let t = TestApp::new().await;
    t.insert_contact(t.a.account_id, json!({"name": "X"})).await;
    let r = t.get("/contacts?per_page=100").await;
    assert!(r.body["payload"][0].get("labels").is_some());
    assert!(r.body["payload"][0].get("conversations_count").is_some());
}

fn preflight(origin: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/accounts/1/contacts")
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "api_access_token")
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn only_configured_dashboard_origins_may_call_from_a_browser() {
    let t =
        TestApp::with_config(|c| c.dashboard_origins = vec!["https://app.novatalks.test".into()])
            .await;
    let res = t.app.clone();
    let ok = tower::ServiceExt::oneshot(res.clone(), preflight("https://app.novatalks.test"))
        .await
        .expect("response");
    assert_eq!(
        ok.headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("https://app.novatalks.test")
    );
    let allowed_headers = ok
        .headers()
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        allowed_headers.contains("api_access_token"),
        "{allowed_headers}"
    );
    let evil = tower::ServiceExt::oneshot(res, preflight("https://evil.test"))
        .await
        .expect("response");
    assert!(evil.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn without_configured_origins_no_cors_headers_are_sent() {
    let t = TestApp::new().await;
    let res = tower::ServiceExt::oneshot(t.app.clone(), preflight("https://app.novatalks.test"))
        .await
        .expect("response");
    assert!(res.headers().get("access-control-allow-origin").is_none());
}
