//! Chatwoot's own dashboard signs in as devise_token_auth clients do (issue #16): the
//! sign-in answer carries `access-token`, `token-type`, `client`, `expiry` and `uid`, later
//! calls send them instead of `api_access_token`, and `GET /auth/validate_token` checks
//! them. Follows Chatwoot's `app/javascript/dashboard/api/auth.js` and
//! `helper/APIHelper.js` (which copy the headers into every call), its
//! `DeviseOverrides::TokenValidationsController` and `devise/token.json.jbuilder`, and
//! devise_token_auth's own session and token validation specs.

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use common::{Reply, TestApp};
use http_body_util::BodyExt;
use novatalks_server::seed::DEMO_PASSWORD;
use serde_json::{json, Value};

const DEVISE: [&str; 5] = ["access-token", "token-type", "client", "expiry", "uid"];

/// `POST /auth/sign_in` from `origin` when given: the reply and its headers.
async fn sign_in(t: &TestApp, email: &str, origin: Option<&str>) -> (Reply, HeaderMap) {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/auth/sign_in")
        .header("content-type", "application/json");
    if let Some(origin) = origin {
        req = req.header("origin", origin);
    }
    let req = req
        .body(Body::from(
            json!({"email": email, "password": DEMO_PASSWORD}).to_string(),
        ))
        .expect("request");
    let res = tower::ServiceExt::oneshot(t.app.clone(), req)
        .await
        .expect("response");
    let headers = res.headers().clone();
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    (Reply { status, body, text }, headers)
}

/// What the dashboard keeps from the sign-in answer and sends on every call.
fn kept(headers: &HeaderMap) -> Vec<(&'static str, String)> {
    DEVISE
        .iter()
        .map(|name| {
            let value = headers
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("sign-in answers `{name}`: {headers:?}"));
            (*name, value.to_owned())
        })
        .collect()
}

fn with(kept: &[(&'static str, String)], name: &str, value: &str) -> Vec<(&'static str, String)> {
    kept.iter()
        .map(|(n, v)| {
            (
                *n,
                if *n == name {
                    value.to_owned()
                } else {
                    v.clone()
                },
            )
        })
        .collect()
}

async fn call(t: &TestApp, method: Method, uri: &str, headers: &[(&str, String)]) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        req = req.header(*name, value);
    }
    t.send(req.body(Body::empty()).expect("request")).await
}

#[tokio::test]
async fn the_dashboard_signs_in_and_calls_with_devise_headers() {
    let t = TestApp::new().await;
    let (r, headers) = sign_in(&t, "a@test.test", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let kept = kept(&headers);
    let value = |name: &str| {
        kept.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        value("access-token").as_deref(),
        r.body["data"]["access_token"].as_str(),
        "the header is the session the body names"
    );
    assert_eq!(value("token-type").as_deref(), Some("Bearer"));
    assert_eq!(value("uid").as_deref(), Some("a@test.test"));
    let expiry: i64 = value("expiry")
        .and_then(|e| e.parse().ok())
        .expect("expiry");
    assert!(
        expiry > chrono::Utc::now().timestamp() + 3600,
        "the session's expiry, in Unix seconds: {expiry}"
    );

    let list = call(&t, Method::GET, &t.a_url("/contacts"), &kept).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.body["payload"].is_array(), "{}", list.text);
    let other = call(&t, Method::GET, &t.b_url("/contacts"), &kept).await;
    assert_eq!(other.status, 401, "still scoped to the agent's accounts");

    let valid = call(&t, Method::GET, "/auth/validate_token", &kept).await;
    assert_eq!(valid.status, 200, "{}", valid.text);
    let data = &valid.body["payload"]["data"];
    assert_eq!(valid.body["payload"]["success"], true);
    assert_eq!(data["uid"], "a@test.test");
    assert_eq!(data["email"], "a@test.test");
    assert_eq!(data["account_id"], t.a.account_id);
    assert_eq!(data["accounts"][0]["id"], t.a.account_id);
    assert!(data["role"].is_string(), "{}", valid.text);
}

#[tokio::test]
async fn devise_headers_must_agree_with_the_session_they_name() {
    let t = TestApp::new().await;
    let (_, a_headers) = sign_in(&t, "a@test.test", None).await;
    let (_, b_headers) = sign_in(&t, "b@test.test", None).await;
    let a = kept(&a_headers);
    let b = kept(&b_headers);
    let b_client = &b.iter().find(|(n, _)| *n == "client").expect("client").1;
    let cases = [
        ("another session's client", with(&a, "client", b_client)),
        ("another agent's email", with(&a, "uid", "b@test.test")),
        (
            "no client",
            a.iter().filter(|(n, _)| *n != "client").cloned().collect(),
        ),
        (
            "a personal access token is no devise session",
            with(&a, "access-token", &t.a.token),
        ),
    ];
    for (what, headers) in cases {
        let r = call(&t, Method::GET, &t.a_url("/contacts"), &headers).await;
        assert_eq!(r.status, 401, "{what}: {}", r.text);
        let v = call(&t, Method::GET, "/auth/validate_token", &headers).await;
        assert_eq!(v.status, 401, "{what}: {}", v.text);
        assert_eq!(
            v.body,
            json!({"success": false, "errors": ["Invalid login credentials"]}),
            "{what}: devise's own error"
        );
    }
    let email_case = with(&a, "uid", "A@Test.TEST");
    let r = call(&t, Method::GET, &t.a_url("/contacts"), &email_case).await;
    assert_eq!(r.status, 200, "an email in another case is the same agent");
}

#[tokio::test]
async fn signing_out_with_devise_headers_ends_that_session_only() {
    let t = TestApp::new().await;
    let (_, first) = sign_in(&t, "a@test.test", None).await;
    let (_, second) = sign_in(&t, "a@test.test", None).await;
    let first = kept(&first);
    let second = kept(&second);
    let wrong_client = with(&first, "client", "0123456789abcdef0123456789abcdef");
    let r = call(&t, Method::DELETE, "/auth/sign_out", &wrong_client).await;
    assert_eq!(
        r.status, 401,
        "a wrong client signs nothing out: {}",
        r.text
    );
    let r = call(&t, Method::DELETE, "/auth/sign_out", &first).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"success": true}));
    let r = call(&t, Method::GET, &t.a_url("/contacts"), &first).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = call(&t, Method::GET, &t.a_url("/contacts"), &second).await;
    assert_eq!(r.status, 200, "the other sign-in stays: {}", r.text);
}

#[tokio::test]
async fn a_dashboard_on_another_origin_may_read_and_send_the_devise_headers() {
    let origin = "https://app.novatalks.test";
    let t = TestApp::with_config(|c| c.dashboard_origins = vec![origin.into()]).await;
    let (r, headers) = sign_in(&t, "a@test.test", Some(origin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let exposed = headers
        .get("access-control-expose-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    for name in DEVISE {
        assert!(exposed.contains(name), "`{name}` exposed: {exposed}");
    }
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri(t.a_url("/contacts"))
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header(
            "access-control-request-headers",
            "access-token,client,uid,expiry,token-type",
        )
        .body(Body::empty())
        .expect("request");
    let res = tower::ServiceExt::oneshot(t.app.clone(), preflight)
        .await
        .expect("response");
    let allowed = res
        .headers()
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    for name in DEVISE {
        assert!(allowed.contains(name), "`{name}` allowed: {allowed}");
    }
}
