//! Sign-in that resists guessing (throttled per email and per address, the same work for
//! an unknown email), sessions that expire and are revoked by signing out, and personal
//! access tokens that are stored hashed and can be renewed.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use common::{Reply, TestApp};
use novatalks_server::auth::token_digest;
use novatalks_server::seed::DEMO_PASSWORD;
use serde_json::{json, Value};

const WRONG: &str = "not-the-password";

/// `POST /auth/sign_in`, from `peer` when given (as `axum::serve` with ConnectInfo would
/// say), with an `X-Forwarded-For` when given. Returns the reply and its Retry-After.
async fn sign_in_from(
    t: &TestApp,
    email: &str,
    password: &str,
    peer: Option<&str>,
    forwarded_for: Option<&str>,
) -> (Reply, Option<u64>) {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/auth/sign_in")
        .header("content-type", "application/json");
    if let Some(xff) = forwarded_for {
        req = req.header("x-forwarded-for", xff);
    }
    let mut req = req
        .body(Body::from(
            json!({"email": email, "password": password}).to_string(),
        ))
        .expect("request");
    if let Some(ip) = peer {
        let addr: SocketAddr = format!("{ip}:40000").parse().expect("address");
        req.extensions_mut().insert(ConnectInfo(addr));
    }
    // `send` drops the headers; read Retry-After through a second path.
    let res = tower::ServiceExt::oneshot(t.app.clone(), req)
        .await
        .expect("response");
    let retry_after = res
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().expect("ascii").parse::<u64>().expect("seconds"));
    let status = res.status();
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .expect("body")
        .to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    (Reply { status, body, text }, retry_after)
}

async fn sign_in(t: &TestApp, email: &str, password: &str) -> (Reply, Option<u64>) {
    sign_in_from(t, email, password, None, None).await
}

fn session_token(r: &Reply) -> String {
    r.body["data"]["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("a token in {}", r.text))
        .to_owned()
}

async fn list_with(t: &TestApp, token: &str) -> Reply {
    t.request(Method::GET, &t.a_url("/contacts"), Some(token), None)
        .await
}

fn assert_too_many(r: &Reply, retry_after: Option<u64>, what: &str) {
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{what}: {}",
        r.text
    );
    let seconds = retry_after.unwrap_or_else(|| panic!("{what}: a Retry-After header"));
    assert!(seconds >= 1, "{what}");
    assert_eq!(
        r.body,
        json!({"error": format!("Too many sign-in attempts; try again in {seconds} seconds")}),
        "{what}"
    );
}

#[tokio::test]
async fn the_sixth_wrong_password_is_429_with_retry_after_for_known_and_unknown_emails() {
    let t = TestApp::new().await;
    for email in ["a@test.test", "nobody@test.test"] {
        for i in 1..=5 {
            let (r, retry) = sign_in(&t, email, WRONG).await;
            assert_eq!(r.status, 401, "{email} attempt {i}: {}", r.text);
            assert_eq!(r.body, json!({"error": "Invalid login credentials"}));
            assert_eq!(retry, None);
        }
        let (r, retry) = sign_in(&t, email, WRONG).await;
        assert_too_many(&r, retry, email);
        assert_eq!(retry, Some(30), "the first lockout");
    }
    let (r, retry) = sign_in(&t, "A@TEST.test", DEMO_PASSWORD).await;
    assert_too_many(
        &r,
        retry,
        "even the right password waits, whatever the case",
    );
    let (r, _) = sign_in(&t, "b@test.test", DEMO_PASSWORD).await;
    assert_eq!(r.status, 200, "another account is not locked: {}", r.text);
}

#[tokio::test]
async fn a_success_resets_the_emails_count() {
    let t = TestApp::new().await;
    for round in 0..3 {
        for _ in 0..4 {
            let (r, _) = sign_in(&t, "a@test.test", WRONG).await;
            assert_eq!(r.status, 401, "round {round}");
        }
        let (r, _) = sign_in(&t, "a@test.test", DEMO_PASSWORD).await;
        assert_eq!(r.status, 200, "round {round}: {}", r.text);
    }
}

#[tokio::test]
async fn many_emails_from_one_address_are_throttled_by_the_address() {
    let t = TestApp::new().await;
    let office = Some("198.51.100.7");
    for i in 0..20 {
        let (r, _) = sign_in_from(&t, &format!("guess{i}@test.test"), WRONG, office, None).await;
        assert_eq!(r.status, 401, "guess {i}");
    }
    let (r, retry) = sign_in_from(&t, "a@test.test", DEMO_PASSWORD, office, None).await;
    assert_too_many(&r, retry, "the 21st from the address");
    let (r, _) = sign_in_from(&t, "a@test.test", DEMO_PASSWORD, Some("198.51.100.8"), None).await;
    assert_eq!(r.status, 200, "another address signs in: {}", r.text);
    let (r, _) = sign_in(&t, "b@test.test", DEMO_PASSWORD).await;
    assert_eq!(
        r.status, 200,
        "without a known address only the email counts"
    );
}

#[tokio::test]
async fn a_success_does_not_reset_the_addresss_count() {
    let t = TestApp::new().await;
    let peer = Some("198.51.100.9");
    for i in 0..19 {
        let (r, _) = sign_in_from(&t, &format!("g{i}@test.test"), WRONG, peer, None).await;
        assert_eq!(r.status, 401);
    }
    let (r, _) = sign_in_from(&t, "a@test.test", DEMO_PASSWORD, peer, None).await;
    assert_eq!(r.status, 200);
    let (r, _) = sign_in_from(&t, "g19@test.test", WRONG, peer, None).await;
    assert_eq!(r.status, 401, "the 20th failure");
    let (r, retry) = sign_in_from(&t, "a@test.test", DEMO_PASSWORD, peer, None).await;
    assert_too_many(&r, retry, "the address used its failures");
}

#[tokio::test]
async fn x_forwarded_for_is_read_only_behind_a_proxy() {
    // Not behind a proxy: a client that forges X-Forwarded-For is still counted by its peer.
    let t = TestApp::new().await;
    for i in 0..20 {
        let forged = format!("203.0.113.{i}");
        let (r, _) = sign_in_from(
            &t,
            &format!("x{i}@test.test"),
            WRONG,
            Some("198.51.100.20"),
            Some(&forged),
        )
        .await;
        assert_eq!(r.status, 401);
    }
    let (r, retry) = sign_in_from(
        &t,
        "a@test.test",
        DEMO_PASSWORD,
        Some("198.51.100.20"),
        Some("203.0.113.99"),
    )
    .await;
    assert_too_many(&r, retry, "the peer is what counts");

    // Behind a proxy (every request from the proxy's address): the last entry counts, the
    // ones before it are the client's to forge.
    let t = TestApp::with_config(|c| c.behind_proxy = true).await;
    let proxy = Some("10.0.0.1");
    for i in 0..20 {
        let chain = format!("192.0.2.{i}, 203.0.113.5");
        let (r, _) = sign_in_from(&t, &format!("y{i}@test.test"), WRONG, proxy, Some(&chain)).await;
        assert_eq!(r.status, 401);
    }
    let (r, retry) =
        sign_in_from(&t, "a@test.test", DEMO_PASSWORD, proxy, Some("203.0.113.5")).await;
    assert_too_many(&r, retry, "the client behind the proxy");
    let (r, _) = sign_in_from(&t, "a@test.test", DEMO_PASSWORD, proxy, Some("203.0.113.6")).await;
    assert_eq!(
        r.status, 200,
        "another client of the same proxy: {}",
        r.text
    );
}

#[tokio::test]
async fn an_unknown_email_gets_the_same_password_check_as_a_known_one() {
    let t = TestApp::new().await;
    let mut checks = t.auth.password_checks();
    for (email, password, want) in [
        ("nobody@test.test", DEMO_PASSWORD, 401),
        ("a@test.test", WRONG, 401),
        ("a@test.test", DEMO_PASSWORD, 200),
        ("", "", 401),
    ] {
        let (r, _) = sign_in(&t, email, password).await;
        assert_eq!(r.status, want, "{email}");
        let now = t.auth.password_checks();
        assert_eq!(now - checks, 1, "{email}: one argon2 verification");
        checks = now;
    }
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_gets_no_more_tries_than_a_sequence() {
    let t = TestApp::new().await;
    let before = t.auth.password_checks();
    let replies =
        futures_join_all((0..12).map(|_| sign_in(&t, "a@test.test", WRONG)).collect()).await;
    let statuses: Vec<u16> = replies.iter().map(|(r, _)| r.status.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(t.auth.password_checks() - before, 5);
}

/// Polls every future to completion concurrently on this task (no extra dependency).
async fn futures_join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in pinned.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(|o| o.expect("done")).collect()
}

#[tokio::test]
async fn no_token_is_stored_in_clear() {
    let t = TestApp::new().await;
    let (r, _) = sign_in(&t, "a@test.test", DEMO_PASSWORD).await;
    let session = session_token(&r);
    let stored: Vec<String> =
        novatalks_server::db::query_scalar("SELECT token_digest FROM sessions")
            .fetch_all(&t.db)
            .await
            .expect("sessions");
    assert_eq!(stored, vec![token_digest(&session)]);
    let clear: i64 = novatalks_server::db::query_scalar(
        "SELECT count(*) FROM users WHERE access_token_digest IN (?, ?, ?)
           OR access_token_hashed = FALSE",
    )
    .bind(&t.a.token)
    .bind(&t.b.token)
    .bind(&session)
    .fetch_one(&t.db)
    .await
    .expect("count");
    assert_eq!(clear, 0, "no clear token in users");
    let digest: String =
        novatalks_server::db::query_scalar("SELECT access_token_digest FROM users WHERE id = ?")
            .bind(t.a.user_id)
            .fetch_one(&t.db)
            .await
            .expect("digest");
    assert_eq!(digest, token_digest(&t.a.token));
}

#[tokio::test]
async fn sign_out_revokes_the_session_that_calls_it_and_only_that_one() {
    let t = TestApp::new().await;
    let first = session_token(&sign_in(&t, "a@test.test", DEMO_PASSWORD).await.0);
    let second = session_token(&sign_in(&t, "a@test.test", DEMO_PASSWORD).await.0);
    assert_ne!(first, second, "each sign-in is a new session");
    assert_eq!(list_with(&t, &first).await.status, 200);

    let out = t
        .request(Method::DELETE, "/auth/sign_out", Some(&first), None)
        .await;
    assert_eq!(out.status, 200, "{}", out.text);
    assert_eq!(out.body, json!({"success": true}));
    let after = list_with(&t, &first).await;
    assert_eq!(after.status, 401);
    assert_eq!(after.body, json!({"error": "Invalid Access Token"}));
    let again = t
        .request(Method::DELETE, "/auth/sign_out", Some(&first), None)
        .await;
    assert_eq!(again.status, 401, "{}", again.text);
    assert_eq!(again.body, json!({"error": "Invalid Access Token"}));

    assert_eq!(
        list_with(&t, &second).await.status,
        200,
        "the other session stays"
    );
    assert_eq!(list_with(&t, &t.a.token).await.status, 200, "and the PAT");

    let pat = t
        .request(Method::DELETE, "/auth/sign_out", Some(&t.a.token), None)
        .await;
    assert_eq!(pat.status, 422, "{}", pat.text);
    assert!(pat.body["error"]
        .as_str()
        .unwrap_or("")
        .contains("personal access token"));
    assert_eq!(list_with(&t, &t.a.token).await.status, 200);
    let none = t
        .request(Method::DELETE, "/auth/sign_out", None, None)
        .await;
    assert_eq!(none.status, 401);
}

#[tokio::test]
async fn a_session_expires_its_ttl_after_sign_in() {
    let t = TestApp::with_config(|c| c.session_ttl_hours = 2).await;
    let token = session_token(&sign_in(&t, "a@test.test", DEMO_PASSWORD).await.0);
    let (created, expires): (i64, i64) = novatalks_server::db::query_as(
        "SELECT created_at, expires_at FROM sessions WHERE token_digest = ?",
    )
    .bind(token_digest(&token))
    .fetch_one(&t.db)
    .await
    .expect("session");
    assert_eq!(expires - created, 2 * 3600);
    assert_eq!(list_with(&t, &token).await.status, 200);
    novatalks_server::db::query("UPDATE sessions SET expires_at = ? WHERE token_digest = ?")
        .bind(chrono::Utc::now().timestamp())
        .bind(token_digest(&token))
        .execute(&t.db)
        .await
        .expect("expire");
    let r = list_with(&t, &token).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body, json!({"error": "Invalid Access Token"}));
    let profile = t
        .request(Method::GET, "/api/v1/profile", Some(&token), None)
        .await;
    assert_eq!(profile.status, 401);
    // Signing in again deletes the expired row.
    sign_in(&t, "a@test.test", DEMO_PASSWORD).await;
    let left: i64 =
        novatalks_server::db::query_scalar("SELECT count(*) FROM sessions WHERE token_digest = ?")
            .bind(token_digest(&token))
            .fetch_one(&t.db)
            .await
            .expect("count");
    assert_eq!(left, 0);
}

#[tokio::test]
async fn the_profile_shows_no_token_and_a_reset_shows_the_new_one_and_revokes_the_old() {
    let t = TestApp::new().await;
    let session = session_token(&sign_in(&t, "a@test.test", DEMO_PASSWORD).await.0);
    let shown = t
        .request(Method::GET, "/api/v1/profile", Some(&t.a.token), None)
        .await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(shown.body["id"], t.a.user_id);
    assert_eq!(shown.body["email"], "a@test.test");
    assert_eq!(shown.body["account_id"], t.a.account_id);
    assert_eq!(shown.body["accounts"][0]["id"], t.a.account_id);
    assert_eq!(shown.body["access_token"], Value::Null);

    let reset = t
        .request(
            Method::POST,
            "/api/v1/profile/reset_access_token",
            Some(&session),
            None,
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    let renewed = reset.body["access_token"].as_str().expect("the new token");
    assert_eq!(renewed.len(), 64);
    assert_ne!(renewed, t.a.token);
    assert_eq!(reset.body["id"], t.a.user_id);

    let old = list_with(&t, &t.a.token).await;
    assert_eq!(old.status, 401, "the old token is revoked");
    assert_eq!(old.body, json!({"error": "Invalid Access Token"}));
    assert_eq!(list_with(&t, renewed).await.status, 200);
    assert_eq!(
        list_with(&t, &session).await.status,
        200,
        "sessions stay signed in"
    );
    let no_token = t
        .request(
            Method::POST,
            "/api/v1/profile/reset_access_token",
            None,
            None,
        )
        .await;
    assert_eq!(no_token.status, 401);
}

#[tokio::test]
async fn the_dashboard_app_calls_with_the_personal_access_token_from_its_origin() {
    let origin = "https://app.novatalks.test";
    let t = TestApp::with_config(|c| c.dashboard_origins = vec![origin.into()]).await;
    let contact = t
        .insert_contact(t.a.account_id, json!({"name": "Olena"}))
        .await;
    let req = Request::builder()
        .method(Method::GET)
        .uri(t.a_url(&format!("/contacts/{contact}")))
        .header("origin", origin)
        .header("api_access_token", &t.a.token)
        .body(Body::empty())
        .expect("request");
    let res = tower::ServiceExt::oneshot(t.app.clone(), req)
        .await
        .expect("response");
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .and_then(|v| v.to_str().ok()),
        Some(origin)
    );
}

#[tokio::test]
async fn tokens_from_before_hashing_keep_working_and_are_hashed_on_start() {
    use sqlx::migrate::Migrator;
    use std::borrow::Cow;
    use std::str::FromStr;

    static ALL: Migrator = sqlx::migrate!("./migrations/sqlite");
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!(
        "sqlite://{}",
        dir.path().join(novatalks_server::db::DB_FILE).display()
    );
    {
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
            .expect("url")
            .create_if_missing(true);
        let old = sqlx::SqlitePool::connect_with(options)
            .await
            .expect("database");
        Migrator {
            migrations: Cow::Owned(
                ALL.migrations
                    .iter()
                    .filter(|m| m.version < 14)
                    .cloned()
                    .collect(),
            ),
            ..Migrator::DEFAULT
        }
        .run(&old)
        .await
        .expect("migrations before 14");
        sqlx::query("INSERT INTO accounts (id, name, created_at) VALUES (1, 'Old', 0)")
            .execute(&old)
            .await
            .expect("account");
        sqlx::query(
            "INSERT INTO users (id, name, email, password_hash, access_token, created_at)
             VALUES (1, 'Old Agent', 'old@test.test', 'x', 'legacy-clear-token', 0)",
        )
        .execute(&old)
        .await
        .expect("user");
        sqlx::query("INSERT INTO account_users (account_id, user_id) VALUES (1, 1)")
            .execute(&old)
            .await
            .expect("member");
        old.close().await;
    }

    let db = novatalks_server::db::open(dir.path())
        .await
        .expect("opened and migrated");
    let stored: (String, i64) = novatalks_server::db::query_as(
        "SELECT access_token_digest, access_token_hashed FROM users WHERE id = 1",
    )
    .fetch_one(&db)
    .await
    .expect("user");
    assert_eq!(stored, (token_digest("legacy-clear-token"), 1));

    let state = novatalks_server::AppState::new(
        db.clone(),
        std::sync::Arc::new(novatalks_server::ServerConfig::for_tests(
            dir.path(),
            dir.path(),
        )),
    );
    let res = tower::ServiceExt::oneshot(
        novatalks_server::app(state),
        Request::builder()
            .uri("/api/v1/accounts/1/contacts")
            .header("api_access_token", "legacy-clear-token")
            .body(Body::empty())
            .expect("request"),
    )
    .await
    .expect("response");
    assert_eq!(res.status(), 200, "the old token still opens the account");
    db.close().await;
}
