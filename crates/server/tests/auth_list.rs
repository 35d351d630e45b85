//! Sign-in, the access token on every call, account scoping, and `GET /contacts`.

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::TestApp;
use novatalks_server::seed::DEMO_PASSWORD;
use serde_json::json;

#[tokio::test]
async fn sign_in_returns_the_token_and_accounts() {
    let t = TestApp::new().await;
    let r = t
        .request(
            Method::POST,
            "/auth/sign_in",
            None,
            Some(json!({"email": "A@Test.test", "password": DEMO_PASSWORD})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let session = r.body["data"]["access_token"].as_str().expect("a token");
    assert_eq!(session.len(), 64, "a new session token: {session}");
    assert_ne!(session, t.a.token, "not the personal access token");
    let list = t
        .request(Method::GET, &t.a_url("/contacts"), Some(session), None)
        .await;
    assert_eq!(list.status, 200, "the session token opens the account");
    assert_eq!(r.body["data"]["account_id"], t.a.account_id);
    assert_eq!(r.body["data"]["accounts"][0]["id"], t.a.account_id);
    assert!(
        r.text.find("password").is_none(),
        "no hash or password in the answer"
    );
}

#[tokio::test]
async fn wrong_credentials_are_401_without_saying_which_part_was_wrong() {
    let t = TestApp::new().await;
    for body in [
        json!({"email": "a@test.test", "password": "wrong"}),
        json!({"email": "nobody@test.test", "password": DEMO_PASSWORD}),
        json!({"email": "a@test.test", "password": ""}),
    ] {
        let r = t
            .request(Method::POST, "/auth/sign_in", None, Some(body))
            .await;
        assert_eq!(r.status, 401);
        assert_eq!(r.body, json!({"error": "Invalid login credentials"}));
    }
}

#[tokio::test]
async fn malformed_sign_in_bodies_get_json_4xx() {
    let t = TestApp::new().await;
    let raw = |body: &'static str, ct: &'static str| {
        Request::builder()
            .method(Method::POST)
            .uri("/auth/sign_in")
            .header("content-type", ct)
            .body(Body::from(body))
            .expect("request")
    };
    for (req, want) in [
        (raw("{not json", "application/json"), 400),
        (
            raw(r#"{"email": 5, "password": "x"}"#, "application/json"),
            422,
        ),
        (raw(r#"{"email": "a@test.test"}"#, "application/json"), 422),
        // A form is read as Rails reads it: here without its password.
        (raw("email=a", "application/x-www-form-urlencoded"), 422),
        (raw("email=a", "text/plain"), 415),
    ] {
        let r = t.send(req).await;
        assert_eq!(r.status.as_u16(), want, "{}", r.text);
        assert!(r.body["error"].is_string(), "JSON error body: {}", r.text);
    }
    let huge = format!(
        r#"{{"email":"{}","password":"x"}}"#,
        "a".repeat(2 * 1024 * 1024)
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/auth/sign_in")
        .header("content-type", "application/json")
        .body(Body::from(huge))
        .expect("request");
    let r = t.send(req).await;
    assert_eq!(r.status, 413);
    assert!(r.body["error"].is_string(), "{}", r.text);
}

#[tokio::test]
async fn missing_or_bad_token_is_401() {
    let t = TestApp::new().await;
    let url = t.a_url("/contacts");
    for token in [None, Some(""), Some("not-a-token"), Some(&t.a.token[..10])] {
        let r = t.request(Method::GET, &url, token, None).await;
        assert_eq!(r.status, 401, "{token:?}");
        assert_eq!(r.body, json!({"error": "Invalid Access Token"}));
    }
}

#[tokio::test]
async fn one_account_cannot_read_anothers_contacts() {
    let t = TestApp::new().await;
    t.insert_contact(t.b.account_id, json!({"name": "Secret of B"}))
        .await;
    for url in [
        t.b_url("/contacts"),
        t.b_url("/labels"),
        "/api/v1/accounts/999/contacts".into(),
        "/api/v1/accounts/x/contacts".into(),
    ] {
        let r = t.request(Method::GET, &url, Some(&t.a.token), None).await;
        assert_eq!(r.status, 401, "{url}");
        assert_eq!(
            r.body,
            json!({"error": "You are not authorized to access this account"}),
            "{url}"
        );
        assert!(!r.text.contains("Secret"));
    }
    let mine = t.get("/contacts").await;
    assert_eq!(mine.body["meta"]["count"], 0, "A sees none of B's contacts");
}

#[tokio::test]
async fn list_pages_with_chatwoots_shape() {
    let t = TestApp::new().await;
    for i in 0..20 {
        t.insert_contact(
            t.a.account_id,
            json!({"name": format!("Person {i:02}"), "last_activity_at": 1_000 + i}),
        )
        .await;
    }
    let first = t.get("/contacts").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["meta"], json!({"count": 20, "current_page": 1}));
    assert_eq!(
        TestApp::ids(&first).len(),
        15,
        "15 per page by default, as Chatwoot"
    );
    let second = t.get("/contacts?page=2").await;
    assert_eq!(TestApp::ids(&second).len(), 5);
    let mut all = TestApp::ids(&first);
    all.extend(TestApp::ids(&second));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 20, "pages neither overlap nor skip");
    let big = t.get("/contacts?per_page=100").await;
    assert_eq!(TestApp::ids(&big).len(), 20);
    let past_end = t.get("/contacts?page=9").await;
    assert_eq!(past_end.status, 200);
    assert!(TestApp::ids(&past_end).is_empty());
}

#[tokio::test]
async fn bad_paging_and_sort_are_422_naming_the_parameter() {
    let t = TestApp::new().await;
    for (q, word) in [
        ("page=1000001", "page"),
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("sort=password", "sort by 'password'"),
        ("sort=-", "sort by"),
    ] {
        let r = t.get(&format!("/contacts?{q}")).await;
        assert_eq!(r.status, 422, "{q}");
        assert!(
            r.body["error"].as_str().unwrap_or("").contains(word),
            "{q}: {}",
            r.text
        );
    }
}

#[tokio::test]
async fn sorts_put_missing_values_last_in_both_directions() {
    let t = TestApp::new().await;
    let old = t
        .insert_contact(
            t.a.account_id,
            json!({"name": "Bea", "last_activity_at": 100, "created_at": 3}),
        )
        .await;
    let new = t
        .insert_contact(
            t.a.account_id,
            json!({"name": "ann", "last_activity_at": 200, "created_at": 1}),
        )
        .await;
    let never = t
        .insert_contact(t.a.account_id, json!({"email": "z@x.io", "created_at": 2}))
        .await;
    let ids = |r: &common::Reply| TestApp::ids(r);
    assert_eq!(
        ids(&t.get("/contacts").await),
        vec![new, old, never],
        "default: -last_activity_at"
    );
    assert_eq!(
        ids(&t.get("/contacts?sort=last_activity_at").await),
        vec![old, new, never]
    );
    assert_eq!(
        ids(&t.get("/contacts?sort=name").await),
        vec![new, old, never],
        "case-insensitive"
    );
    assert_eq!(
        ids(&t.get("/contacts?sort=-name").await),
        vec![old, new, never]
    );
    assert_eq!(
        ids(&t.get("/contacts?sort=created_at").await),
        vec![new, never, old]
    );
    assert_eq!(
        ids(&t.get("/contacts?sort=-created_at").await),
        vec![old, never, new]
    );
}

#[tokio::test]
async fn label_quick_filter_matches_any_of_the_labels() {
    let t = TestApp::new().await;
    let vip = t
        .insert_contact(t.a.account_id, json!({"name": "V", "last_activity_at": 3}))
        .await;
    let billing = t
        .insert_contact(t.a.account_id, json!({"name": "B", "last_activity_at": 2}))
        .await;
    let both = t
        .insert_contact(t.a.account_id, json!({"name": "VB", "last_activity_at": 1}))
        .await;
    t.insert_contact(t.a.account_id, json!({"name": "none"}))
        .await;
    t.label_contact(t.a.account_id, vip, &["vip"]).await;
    t.label_contact(t.a.account_id, billing, &["billing"]).await;
    t.label_contact(t.a.account_id, both, &["billing", "vip"])
        .await;
    let r = t.get("/contacts?labels[]=vip").await;
    assert_eq!(TestApp::ids(&r), vec![vip, both]);
    let r = t.get("/contacts?labels[]=vip&labels[]=billing").await;
    assert_eq!(TestApp::ids(&r), vec![vip, billing, both]);
    assert_eq!(r.body["meta"]["count"], 3);
    assert_eq!(r.body["payload"][2]["labels"], json!(["billing", "vip"]));
}

#[tokio::test]
async fn contacts_with_only_a_name_are_listed_and_blocks_expire_by_themselves() {
    let t = TestApp::new().await;
    let visitor = t
        .insert_contact(t.a.account_id, json!({"name": "Website visitor"}))
        .await;
    let expired = t
        .insert_contact(
            t.a.account_id,
            json!({"name": "E", "blocked": true, "blocked_until": 1, "block_reason": "Spam"}),
        )
        .await;
    let forever = t
        .insert_contact(
            t.a.account_id,
            json!({"name": "F", "blocked": true, "block_reason": "Abuse"}),
        )
        .await;
    let r = t.get("/contacts?sort=name").await;
    assert_eq!(TestApp::ids(&r), vec![expired, forever, visitor]);
    let e = &r.body["payload"][0];
    assert_eq!(
        (
            e["blocked"].clone(),
            e["blocked_until"].clone(),
            e["block_reason"].clone()
        ),
        (json!(false), json!(null), json!(null))
    );
    let f = &r.body["payload"][1];
    assert_eq!(
        (
            f["blocked"].clone(),
            f["blocked_until"].clone(),
            f["block_reason"].clone()
        ),
        (json!(true), json!(null), json!("Abuse"))
    );
    assert!(
        r.body["payload"][2].get("last_activity_at").is_none(),
        "left out when there has been none"
    );
    assert_eq!(r.body["payload"][2]["conversations_count"], 0);
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let t = TestApp::new().await;
    let r = t
        .request(Method::GET, "/api/v1/nothing-here", Some(&t.a.token), None)
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body, json!({"error": "Resource could not be found"}));
}

#[tokio::test]
async fn the_openapi_document_lists_the_routes() {
    let t = TestApp::new().await;
    let r = t
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(r.status, 200);
    let paths = r.body["paths"].as_object().expect("paths");
    for p in [
        "/auth/sign_in",
        "/api/v1/accounts/{account_id}/contacts",
        "/api/v1/accounts/{account_id}/contacts/search",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} missing from {:?}",
            paths.keys().collect::<Vec<_>>()
        );
    }
}
