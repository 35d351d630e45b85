//! The harness of the server's API tests: the real router over a fresh in-memory SQLite,
//! driven with `tower::ServiceExt::oneshot`.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use novatalks_server::auth::AuthState;
use novatalks_server::seed::{fixture_account, Fixture};
use novatalks_server::{app, db, AppState, ServerConfig};
use serde_json::Value;
use tower::ServiceExt;

pub struct TestApp {
    pub app: Router,
    pub db: novatalks_server::db::Db,
    /// Sign-in's throttle and counters of this app.
    pub auth: Arc<AuthState>,
    /// The account under test, and a second one that must never be seen from the first.
    pub a: Fixture,
    pub b: Fixture,
}

pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub text: String,
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_config(|_| {}).await
    }

    /// A test app whose server configuration `adjust` changes (stock mode, CORS origins).
    pub async fn with_config(adjust: impl FnOnce(&mut ServerConfig)) -> TestApp {
        let mut config = ServerConfig::for_tests("/nonexistent", "/nonexistent");
        adjust(&mut config);
        let db = db::for_tests(None).await.expect("in-memory database");
        let a = fixture_account(&db, "Account A", "a@test.test")
            .await
            .expect("account a");
        let b = fixture_account(&db, "Account B", "b@test.test")
            .await
            .expect("account b");
        let state = AppState::new(db.clone(), Arc::new(config));
        TestApp {
            auth: Arc::clone(&state.auth),
            app: app(state),
            db,
            a,
            b,
        }
    }

    /// Any request; `token` None sends no access token.
    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("api_access_token", t);
        }
        let req = match body {
            Some(json) => req
                .header("content-type", "application/json")
                .body(Body::from(json.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        self.send(req).await
    }

    /// A raw request, for malformed bodies and odd headers.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.app.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, body, text }
    }

    /// `/api/v1/accounts/{a}{path}` as account A's agent.
    pub fn a_url(&self, path: &str) -> String {
        format!("/api/v1/accounts/{}{path}", self.a.account_id)
    }

    pub fn b_url(&self, path: &str) -> String {
        format!("/api/v1/accounts/{}{path}", self.b.account_id)
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request(Method::GET, &self.a_url(path), Some(&self.a.token), None)
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.request(
            Method::POST,
            &self.a_url(path),
            Some(&self.a.token),
            Some(body),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.request(
            Method::PUT,
            &self.a_url(path),
            Some(&self.a.token),
            Some(body),
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.request(
            Method::PATCH,
            &self.a_url(path),
            Some(&self.a.token),
            Some(body),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.request(Method::DELETE, &self.a_url(path), Some(&self.a.token), None)
            .await
    }

    /// Inserts a contact straight into the database (bypassing the API) and returns its id.
    /// `fields` may set name, email, phone_number (E.164), identifier, last_activity_at,
    /// created_at, blocked, blocked_until, block_reason, additional_attributes, custom_attributes.
    pub async fn insert_contact(&self, account_id: i64, fields: Value) -> i64 {
        let s = |k: &str| fields.get(k).and_then(Value::as_str).map(str::to_owned);
        let i = |k: &str| fields.get(k).and_then(Value::as_i64);
        let obj = |k: &str| {
            fields
                .get(k)
                .cloned()
                .unwrap_or(Value::Object(Default::default()))
        };
        let created = i("created_at").unwrap_or(1_700_000_000);
        novatalks_server::db::query_scalar(
            "INSERT INTO contacts (account_id, name, email, phone_number, identifier, additional_attributes,
               custom_attributes, blocked, blocked_until, block_reason, last_activity_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(account_id)
        .bind(s("name"))
        .bind(s("email"))
        .bind(s("phone_number"))
        .bind(s("identifier"))
        .bind(obj("additional_attributes"))
        .bind(obj("custom_attributes"))
        .bind(fields.get("blocked").and_then(Value::as_bool).unwrap_or(false))
        .bind(i("blocked_until"))
        .bind(s("block_reason"))
        .bind(i("last_activity_at"))
        .bind(created)
        .bind(created)
        .fetch_one(&self.db)
        .await
        .expect("insert contact")
    }

    /// Gives a contact labels (titles) directly in the database.
    pub async fn label_contact(&self, account_id: i64, contact_id: i64, titles: &[&str]) {
        for t in titles {
            novatalks_server::db::query(
                "INSERT INTO contact_labels (contact_id, account_id, title) VALUES (?, ?, ?)",
            )
            .bind(contact_id)
            .bind(account_id)
            .bind(t)
            .execute(&self.db)
            .await
            .expect("label contact");
        }
    }

    /// Ids of a list answer's payload, in order.
    pub fn ids(reply: &Reply) -> Vec<i64> {
        reply.body["payload"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["id"].as_i64()).collect())
            .unwrap_or_default()
    }
}

/// Contacts enough that PostgreSQL's planner reads an index where one serves (on a
/// handful of rows a sequential scan is cheaper, and it rightly takes that), none of them
/// found by the plan tests' searches and filters (no block, active and created in 2020;
/// with `labelled`, a label of their own, so the label index has many rows to skip); then
/// fresh statistics. The same SQL on both engines.
pub async fn load_filler(app: &TestApp, account_id: i64, n: i64, labelled: bool) {
    novatalks_server::db::query(
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?)
         INSERT INTO contacts (account_id, name, email, phone_number, created_at, updated_at,
                               last_activity_at)
         SELECT ?, 'Filler ' || n, 'filler' || n || '@corp.test', '+1555' || n,
                1600000000 + n, 1600000000 + n, 1600000000 + n
         FROM g",
    )
    .bind(n)
    .bind(account_id)
    .execute(&app.db)
    .await
    .expect("filler contacts");
    if labelled {
        novatalks_server::db::query(
            "INSERT INTO contact_labels (contact_id, account_id, title)
             SELECT id, account_id, 'filler' FROM contacts
             WHERE account_id = ? AND email LIKE '%@corp.test'",
        )
        .bind(account_id)
        .execute(&app.db)
        .await
        .expect("filler labels");
    }
    // PostgreSQL's VACUUM also writes a GIN index's own statistics, as autovacuum soon
    // would: without them the planner prices a fresh trigram index as if it were huge.
    let analyze = app.db.engine().pick("ANALYZE", "VACUUM ANALYZE");
    novatalks_server::db::query(analyze)
        .execute(&app.db)
        .await
        .expect("analyze");
}

/// The tables a PostgreSQL plan reads whole (`Seq Scan on <table>`).
pub fn seq_scanned(plan: &[String]) -> Vec<&str> {
    plan.iter()
        .filter_map(|line| line.split("Seq Scan on ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect()
}
