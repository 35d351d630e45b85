//! The public API of API inboxes: contacts created (never another's given away),
//! identity validation, conversations, messages, limits, and blocked contacts refused
//! without a trace.

mod common;

use axum::http::{header, Method, StatusCode};
use common::{Reply, TestApp};
use hmac::{Hmac, Mac};
use novatalks_server::rate_limit::Rate;
use novatalks_server::seed::Fixture;
use serde_json::{json, Value};
use sha2::Sha256;

/// The API inbox's public URL, with the identifier read from the database.
fn base(f: &Fixture) -> String {
    format!("/public/api/v1/inboxes/{}", f.api_inbox_identifier)
}

/// The `identifier_hash` a channel sends: hex HMAC-SHA256 of the identifier with the
/// inbox's secret.
fn sign(secret: &str, identifier: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("a key");
    mac.update(identifier.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn additional(app: &TestApp, contact: i64) -> Value {
    let text: novatalks_server::db::JsonText = novatalks_server::db::query_scalar(
        "SELECT additional_attributes FROM contacts WHERE id = ?",
    )
    .bind(contact)
    .fetch_one(&app.db)
    .await
    .expect("contact");
    serde_json::from_str(&text).expect("json")
}

async fn public_post(app: &TestApp, path: &str, body: Option<Value>) -> Reply {
    app.request(Method::POST, path, None, body).await
}

/// Creates (or matches) a contact through account `f`'s API inbox: (contact id, source id).
async fn announce(app: &TestApp, f: &Fixture, body: Value) -> (i64, String) {
    let reply = public_post(app, &format!("{}/contacts", base(f)), Some(body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let id = reply.body["id"].as_i64().expect("id");
    let source = reply.body["source_id"]
        .as_str()
        .expect("source_id")
        .to_owned();
    (id, source)
}

async fn open_conversation(app: &TestApp, f: &Fixture, source: &str) -> i64 {
    let reply = public_post(
        app,
        &format!("{}/contacts/{source}/conversations", base(f)),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["id"].as_i64().expect("conversation id")
}

fn messages_url(f: &Fixture, source: &str, conversation: i64) -> String {
    format!(
        "{}/contacts/{source}/conversations/{conversation}/messages",
        base(f)
    )
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    novatalks_server::db::query_scalar(sql)
        .fetch_one(&app.db)
        .await
        .expect("count")
}

async fn contact_activity(app: &TestApp, contact: i64) -> Option<i64> {
    novatalks_server::db::query_scalar("SELECT last_activity_at FROM contacts WHERE id = ?")
        .bind(contact)
        .fetch_one(&app.db)
        .await
        .expect("contact")
}

async fn conversation_state(app: &TestApp, conversation: i64) -> (String, i64) {
    novatalks_server::db::query_as(
        "SELECT status, last_activity_at FROM conversations WHERE id = ?",
    )
    .bind(conversation)
    .fetch_one(&app.db)
    .await
    .expect("conversation")
}

async fn set(app: &TestApp, sql: &str, id: i64) {
    novatalks_server::db::query(sql)
        .bind(id)
        .execute(&app.db)
        .await
        .expect("update");
}

#[tokio::test]
async fn a_new_customer_becomes_a_contact_normalised_like_any_other() {
    let app = TestApp::new().await;
    let reply = public_post(
        &app,
        &format!("{}/contacts", base(&app.a)),
        Some(json!({"name": "  Olena Kovalenko ", "email": " Olena@Example.COM ", "phone_number": "050 123 45 67", "identifier": "crm-1"})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["name"], "Olena Kovalenko");
    assert_eq!(reply.body["email"], "olena@example.com");
    assert_eq!(
        reply.body["phone_number"], "+380501234567",
        "read in the account's default country"
    );
    let source = reply.body["source_id"].as_str().expect("source_id");
    assert_eq!(source.len(), 36, "{source}");
    assert_eq!(source.matches('-').count(), 4, "{source}");
    assert!(reply.body["pubsub_token"]
        .as_str()
        .is_some_and(|t| t.len() >= 16));
    let id = reply.body["id"].as_i64().expect("id");

    let (account, identifier): (i64, Option<String>) =
        novatalks_server::db::query_as("SELECT account_id, identifier FROM contacts WHERE id = ?")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .expect("stored");
    assert_eq!(
        (account, identifier.as_deref()),
        (app.a.account_id, Some("crm-1"))
    );
    let api_inbox = app
        .a
        .inboxes
        .iter()
        .find(|(_, c)| *c == "Channel::Api")
        .map(|(i, _)| *i);
    let identity: (i64, i64) = novatalks_server::db::query_as(
        "SELECT contact_id, inbox_id FROM contact_inboxes WHERE source_id = ?",
    )
    .bind(source)
    .fetch_one(&app.db)
    .await
    .expect("identity");
    assert_eq!((identity.0, Some(identity.1)), (id, api_inbox));

    // Agents see the new contact.
    let list = app.get("/contacts").await;
    assert!(TestApp::ids(&list).contains(&id), "{}", list.text);
}

#[tokio::test]
async fn an_anonymous_visitor_is_a_contact_too() {
    let app = TestApp::new().await;
    let reply = public_post(&app, &format!("{}/contacts", base(&app.a)), Some(json!({}))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["name"], Value::Null);
    assert_eq!(count(&app, "SELECT count(*) FROM contacts").await, 1);
}

#[tokio::test]
async fn another_customers_email_phone_or_identifier_gets_a_new_contact_and_none_of_theirs() {
    let app = TestApp::new().await;
    let olena = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Olena", "email": "olena@example.com", "phone_number": "+380501234567",
                   "identifier": "crm-7", "additional_attributes": {"city": "Kyiv"}}),
        )
        .await;
    let (_, olena_source) = {
        // Olena's own identity and conversation in the inbox, as a real channel made them.
        let verified = public_post(
            &app,
            &format!("{}/contacts", base(&app.a)),
            Some(json!({"identifier": "crm-7", "identifier_hash": sign(&app.a.api_hmac_token, "crm-7")})),
        )
        .await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.text);
        assert_eq!(verified.body["id"], olena);
        (
            olena,
            verified.body["source_id"]
                .as_str()
                .expect("source")
                .to_owned(),
        )
    };
    let hers = open_conversation(&app, &app.a, &olena_source).await;
    let olena_token: String = novatalks_server::db::query_scalar(
        "SELECT pubsub_token FROM contact_inboxes WHERE source_id = ?",
    )
    .bind(&olena_source)
    .fetch_one(&app.db)
    .await
    .expect("token");

    let cases = [
        (
            json!({"email": "OLENA@example.com", "name": "Someone Else"}),
            "unverified_email",
            json!("olena@example.com"),
        ),
        (
            json!({"phone_number": "+380 (50) 123-45-67"}),
            "unverified_phone_number",
            json!("+380501234567"),
        ),
        (
            json!({"phone_number": "0501234567"}),
            "unverified_phone_number",
            json!("+380501234567"),
        ),
        (
            json!({"identifier": "crm-7"}),
            "unverified_identifier",
            json!("crm-7"),
        ),
    ];
    let mut visitors = Vec::new();
    for (body, key, kept) in cases {
        let reply = public_post(
            &app,
            &format!("{}/contacts", base(&app.a)),
            Some(body.clone()),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{body}: {}", reply.text);
        let id = reply.body["id"].as_i64().expect("id");
        assert_ne!(id, olena, "{body}: a new contact");
        // Nothing of Olena's: not her name, id, identity, token or anything she has that
        // was not sent.
        for secret in [
            olena_source.as_str(),
            olena_token.as_str(),
            "Olena\"",
            "Kyiv",
            "crm-7\"",
        ] {
            if body.to_string().contains(secret) {
                continue;
            }
            assert!(
                !reply.text.contains(secret),
                "{body}: {secret} in {}",
                reply.text
            );
        }
        assert_ne!(reply.body["source_id"], olena_source.as_str());
        assert_ne!(reply.body["pubsub_token"], olena_token.as_str());
        let stored: (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = novatalks_server::db::query_as(
            "SELECT name, email, phone_number, identifier FROM contacts WHERE id = ?",
        )
        .bind(id)
        .fetch_one(&app.db)
        .await
        .expect("new contact");
        assert_eq!(
            (stored.1, stored.2, stored.3),
            (None, None, None),
            "{body}: the new contact claims nothing of Olena's"
        );
        assert_eq!(
            additional(&app, id).await[key],
            kept,
            "{body}: kept for agents"
        );
        visitors.push((
            id,
            reply.body["source_id"].as_str().expect("source").to_owned(),
        ));
    }
    // The answer is the one a free email would give: it does not tell that Olena exists.
    let first = public_post(
        &app,
        &format!("{}/contacts", base(&app.a)),
        Some(json!({"email": "olena@example.com"})),
    )
    .await;
    assert_eq!(first.body["email"], "olena@example.com");
    let free = public_post(
        &app,
        &format!("{}/contacts", base(&app.a)),
        Some(json!({"email": "nobody@example.com"})),
    )
    .await;
    let keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>());
    assert_eq!(keys(&first.body), keys(&free.body));
    assert_eq!(free.body["email"], "nobody@example.com");

    // What the visitor posts lands on the visitor's own contact, never in Olena's conversations.
    let (visitor, source) = visitors[0].clone();
    let theirs = open_conversation(&app, &app.a, &source).await;
    assert_ne!(theirs, hers);
    let sent = public_post(
        &app,
        &messages_url(&app.a, &source, theirs),
        Some(json!({"content": "I am Olena, send me her invoices"})),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    let into_hers = public_post(
        &app,
        &messages_url(&app.a, &source, hers),
        Some(json!({"content": "hi"})),
    )
    .await;
    assert_eq!(into_hers.status, StatusCode::NOT_FOUND);
    let on: Vec<i64> = novatalks_server::db::query_scalar(
        "SELECT cv.contact_id FROM messages m JOIN conversations cv ON cv.id = m.conversation_id",
    )
    .fetch_all(&app.db)
    .await
    .expect("messages");
    assert_eq!(on, [visitor]);
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM conversations WHERE contact_id = {olena}")
        )
        .await,
        1,
        "only Olena's own"
    );
    let olena_now: (Option<String>, Option<String>, Option<i64>) = novatalks_server::db::query_as(
        "SELECT name, email, last_activity_at FROM contacts WHERE id = ?",
    )
    .bind(olena)
    .fetch_one(&app.db)
    .await
    .expect("olena");
    assert_eq!(
        olena_now,
        (Some("Olena".into()), Some("olena@example.com".into()), None)
    );

    // Agents see the visitor's claim on the visitor's contact.
    let card = app.get(&format!("/contacts/{visitor}")).await;
    assert_eq!(
        card.body["payload"]["additional_attributes"]["unverified_email"],
        "olena@example.com"
    );
}

#[tokio::test]
async fn a_valid_identifier_hash_makes_the_contact_with_that_identifier_the_visitor() {
    let app = TestApp::new().await;
    let olena = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Olena", "email": "olena@example.com", "identifier": "crm-7"}),
        )
        .await;
    let url = format!("{}/contacts", base(&app.a));
    let hash = sign(&app.a.api_hmac_token, "crm-7");
    let reply = public_post(
        &app,
        &url,
        Some(json!({"identifier": "crm-7", "identifier_hash": hash.to_uppercase(), "name": "Renamed?"})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["id"], olena);
    assert_eq!(
        reply.body["name"], "Olena",
        "as stored: a channel does not overwrite"
    );
    assert_eq!(reply.body["email"], "olena@example.com");
    let source = reply.body["source_id"].as_str().expect("source").to_owned();
    let conversation = open_conversation(&app, &app.a, &source).await;
    let sent = public_post(
        &app,
        &messages_url(&app.a, &source, conversation),
        Some(json!({"content": "It is me"})),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(contact_activity(&app, olena).await.is_some());
    assert_eq!(count(&app, "SELECT count(*) FROM contacts").await, 1);

    // A verified identifier nobody has yet makes a contact with it; an email someone
    // else has is still not given to it.
    let new = public_post(
        &app,
        &url,
        Some(
            json!({"identifier": "crm-8", "identifier_hash": sign(&app.a.api_hmac_token, "crm-8"),
                    "email": "olena@example.com", "name": "Taras"}),
        ),
    )
    .await;
    assert_eq!(new.status, StatusCode::OK, "{}", new.text);
    let taras = new.body["id"].as_i64().expect("id");
    let stored: (Option<String>, Option<String>) =
        novatalks_server::db::query_as("SELECT identifier, email FROM contacts WHERE id = ?")
            .bind(taras)
            .fetch_one(&app.db)
            .await
            .expect("taras");
    assert_eq!(stored, (Some("crm-8".into()), None));
    assert_eq!(
        additional(&app, taras).await["unverified_email"],
        "olena@example.com"
    );

    // Another account's secret proves nothing here.
    let foreign = public_post(
        &app,
        &url,
        Some(
            json!({"identifier": "crm-7", "identifier_hash": sign(&app.b.api_hmac_token, "crm-7")}),
        ),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_wrong_identifier_hash_is_401_and_creates_nothing() {
    let app = TestApp::new().await;
    app.insert_contact(
        app.a.account_id,
        json!({"name": "Olena", "identifier": "crm-7"}),
    )
    .await;
    let url = format!("{}/contacts", base(&app.a));
    for hash in [
        sign(&app.a.api_hmac_token, "crm-8"),
        sign("guessed secret", "crm-7"),
        "zz".repeat(32),
        "00".into(),
    ] {
        let reply = public_post(
            &app,
            &url,
            Some(json!({"identifier": "crm-7", "identifier_hash": hash})),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
        let error = reply.body["error"].as_str().expect("a JSON error");
        assert!(error.contains("identifier_hash"), "{error}");
        assert!(!reply.text.contains("Olena"));
    }
    let no_identifier = public_post(
        &app,
        &url,
        Some(json!({"identifier_hash": sign(&app.a.api_hmac_token, "")})),
    )
    .await;
    assert_eq!(no_identifier.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_identifier.body["attributes"], json!(["identifier_hash"]));
    assert_eq!(count(&app, "SELECT count(*) FROM contacts").await, 1);
    assert_eq!(count(&app, "SELECT count(*) FROM contact_inboxes").await, 0);
}

#[tokio::test]
async fn an_inbox_with_hmac_mandatory_refuses_contacts_without_a_valid_hash() {
    let app = TestApp::new().await;
    novatalks_server::db::query(
        "UPDATE inboxes SET hmac_mandatory = TRUE WHERE inbox_identifier = ?",
    )
    .bind(&app.a.api_inbox_identifier)
    .execute(&app.db)
    .await
    .expect("mandatory");
    let url = format!("{}/contacts", base(&app.a));
    for body in [
        json!({}),
        json!({"name": "Olena"}),
        json!({"identifier": "crm-9"}),
    ] {
        let reply = public_post(&app, &url, Some(body.clone())).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{body}: {}",
            reply.text
        );
        assert!(reply.body["error"]
            .as_str()
            .is_some_and(|e| e.contains("verified")));
    }
    assert_eq!(count(&app, "SELECT count(*) FROM contacts").await, 0);
    let signed = public_post(
        &app,
        &url,
        Some(
            json!({"identifier": "crm-9", "identifier_hash": sign(&app.a.api_hmac_token, "crm-9")}),
        ),
    )
    .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
    // The other account's inbox does not require it.
    let (_, _) = announce(&app, &app.b, json!({"name": "Anyone"})).await;
}

#[tokio::test]
async fn public_inputs_obey_the_agent_apis_limits() {
    let app = TestApp::new().await;
    let url = format!("{}/contacts", base(&app.a));
    let huge = "x".repeat(1_000_000);
    for (field, label) in [("name", "Name"), ("identifier", "Identifier")] {
        let reply = public_post(&app, &url, Some(json!({ field: huge }))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(reply.body["attributes"], json!([field]));
        assert_eq!(
            reply.body["message"],
            format!("{label} is too long (maximum is 255 characters)")
        );
    }
    let at_limit = public_post(&app, &url, Some(json!({"name": "n".repeat(255)}))).await;
    assert_eq!(at_limit.status, StatusCode::OK, "{}", at_limit.text);
    let long_email = format!("{}@example.com", "a".repeat(300));
    let reply = public_post(&app, &url, Some(json!({"email": long_email}))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["message"], "Email is invalid");
    let reply = public_post(
        &app,
        &url,
        Some(json!({"phone_number": "1".repeat(100_000)})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = public_post(&app, &url, Some(json!({"identifier_hash": huge}))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["attributes"], json!(["identifier_hash"]));
    let max_name: i64 = novatalks_server::db::query_scalar(
        "SELECT CAST(max(length(name)) AS BIGINT) FROM contacts",
    )
    .fetch_one(&app.db)
    .await
    .expect("names");
    assert_eq!(max_name, 255);
    assert_eq!(count(&app, "SELECT count(*) FROM contacts").await, 1);
}

#[tokio::test]
async fn too_many_calls_for_an_inbox_are_429_with_retry_after() {
    let app = TestApp::with_config(|c| c.public_rate_inbox = Rate::per_minute(3)).await;
    let url = format!("{}/contacts", base(&app.a));
    for _ in 0..3 {
        let reply = public_post(&app, &url, Some(json!({}))).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(&url)
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{}"))
        .expect("request");
    let res = tower::ServiceExt::oneshot(app.app.clone(), req)
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=20).contains(&retry), "one call every 20 s: {retry}");
    let body = http_body_util::BodyExt::collect(res.into_body())
        .await
        .expect("body")
        .to_bytes();
    let body: Value = serde_json::from_slice(&body).expect("JSON");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("Too many requests")),
        "{body}"
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM contacts").await,
        3,
        "the refused one made nothing"
    );
    // Another inbox has its own allowance.
    announce(&app, &app.b, json!({})).await;
}

#[tokio::test]
async fn one_customer_is_limited_without_stopping_the_others_of_the_same_gateway() {
    let app = TestApp::with_config(|c| {
        c.public_rate_contact = Rate::per_minute(2);
        c.public_rate_inbox = Rate::per_minute(1_000);
    })
    .await;
    let (_, noisy) = announce(&app, &app.a, json!({"name": "Noisy"})).await;
    let conversation = open_conversation(&app, &app.a, &noisy).await;
    let url = messages_url(&app.a, &noisy, conversation);
    let ok = public_post(&app, &url, Some(json!({"content": "1"}))).await;
    assert_eq!(ok.status, StatusCode::OK);
    let refused = public_post(&app, &url, Some(json!({"content": "2"}))).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.text
    );
    assert!(refused.body["error"]
        .as_str()
        .is_some_and(|e| e.contains("this contact")));
    assert_eq!(count(&app, "SELECT count(*) FROM messages").await, 1);
    // Many customers through the same gateway (one address, one inbox) each get theirs.
    for i in 0..20 {
        let (_, source) = announce(&app, &app.a, json!({"name": format!("Customer {i}")})).await;
        let conversation = open_conversation(&app, &app.a, &source).await;
        let sent = public_post(
            &app,
            &messages_url(&app.a, &source, conversation),
            Some(json!({"content": "hello"})),
        )
        .await;
        assert_eq!(sent.status, StatusCode::OK, "customer {i}: {}", sent.text);
    }
}

#[tokio::test]
async fn a_guessed_inbox_identifier_is_404() {
    let app = TestApp::new().await;
    for guess in [
        format!("api-inbox-{}", app.a.account_id),
        "api-inbox-1".to_owned(),
        app.a.inboxes[0].0.to_string(),
    ] {
        let reply = public_post(
            &app,
            &format!("/public/api/v1/inboxes/{guess}/contacts"),
            Some(json!({"name": "X"})),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{guess}");
        assert_eq!(reply.body, json!({"error": "Resource could not be found"}));
    }
    assert_eq!(count(&app, "SELECT count(*) FROM contacts").await, 0);
    for f in [&app.a, &app.b] {
        assert!(
            f.api_inbox_identifier.len() >= 24,
            "{}",
            f.api_inbox_identifier
        );
        assert!(f.api_hmac_token.len() >= 32);
    }
    assert_ne!(app.a.api_inbox_identifier, app.b.api_inbox_identifier);
    assert_ne!(app.a.api_hmac_token, app.b.api_hmac_token);
}

#[tokio::test]
async fn invalid_input_for_a_new_contact_is_a_422_and_creates_nothing() {
    let app = TestApp::new().await;
    let url = format!("{}/contacts", base(&app.a));
    let bad_phone = public_post(
        &app,
        &url,
        Some(json!({"name": "X", "phone_number": "call me maybe"})),
    )
    .await;
    assert_eq!(
        bad_phone.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad_phone.text
    );
    assert!(
        bad_phone.body["attributes"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("phone_number"))),
        "{}",
        bad_phone.text
    );
    let bad_email = public_post(&app, &url, Some(json!({"email": "not-an-email"}))).await;
    assert_eq!(
        bad_email.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad_email.text
    );
    let wrong_type = public_post(&app, &url, Some(json!({"email": 5}))).await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong_type.body["message"], "Email must be text",
        "{}",
        wrong_type.text
    );
    let not_object = public_post(&app, &url, Some(json!(["a", "b"]))).await;
    assert_eq!(not_object.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_object.body["error"].is_string(), "{}", not_object.text);
    assert_eq!(count(&app, "SELECT count(*) FROM contacts").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM contact_inboxes").await, 0);
}

#[tokio::test]
async fn unknown_identifiers_and_non_api_inboxes_are_404() {
    let app = TestApp::new().await;
    let unknown = public_post(
        &app,
        "/public/api/v1/inboxes/no-such-inbox/contacts",
        Some(json!({"name": "X"})),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.body,
        json!({"error": "Resource could not be found"})
    );
    // An identifier stored on a non-API inbox is not a public key.
    let widget = app
        .a
        .inboxes
        .iter()
        .find(|(_, c)| *c == "Channel::WebWidget")
        .map(|(i, _)| *i)
        .expect("widget");
    novatalks_server::db::query("UPDATE inboxes SET inbox_identifier = 'widget-key' WHERE id = ?")
        .bind(widget)
        .execute(&app.db)
        .await
        .expect("update");
    let not_api = public_post(
        &app,
        "/public/api/v1/inboxes/widget-key/contacts",
        Some(json!({"name": "X"})),
    )
    .await;
    assert_eq!(not_api.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "SELECT count(*) FROM contacts").await, 0);

    let conv = public_post(
        &app,
        "/public/api/v1/inboxes/no-such-inbox/contacts/abc/conversations",
        None,
    )
    .await;
    assert_eq!(conv.status, StatusCode::NOT_FOUND);
    let unknown_source = public_post(
        &app,
        &format!("{}/contacts/nobody/conversations", base(&app.a)),
        None,
    )
    .await;
    assert_eq!(unknown_source.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "SELECT count(*) FROM conversations").await, 0);
}

#[tokio::test]
async fn another_accounts_inbox_never_touches_this_accounts_contacts() {
    let app = TestApp::new().await;
    let mine = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "A's Olena", "email": "olena@example.com"}),
        )
        .await;
    let (theirs, _) = announce(
        &app,
        &app.b,
        json!({"name": "B's Olena", "email": "olena@example.com"}),
    )
    .await;
    assert_ne!(theirs, mine);
    let account: i64 =
        novatalks_server::db::query_scalar("SELECT account_id FROM contacts WHERE id = ?")
            .bind(theirs)
            .fetch_one(&app.db)
            .await
            .expect("theirs");
    assert_eq!(account, app.b.account_id);
    let name: Option<String> =
        novatalks_server::db::query_scalar("SELECT name FROM contacts WHERE id = ?")
            .bind(mine)
            .fetch_one(&app.db)
            .await
            .expect("mine");
    assert_eq!(name.as_deref(), Some("A's Olena"));
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM contact_inboxes WHERE contact_id = {mine}")
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_contact_of_one_account_cannot_be_addressed_through_anothers_inbox() {
    let app = TestApp::new().await;
    let (_, source) = announce(&app, &app.a, json!({"email": "olena@example.com"})).await;
    let conversation = open_conversation(&app, &app.a, &source).await;

    let via_b = public_post(
        &app,
        &format!("{}/contacts/{source}/conversations", base(&app.b)),
        None,
    )
    .await;
    assert_eq!(via_b.status, StatusCode::NOT_FOUND);
    let message = public_post(
        &app,
        &messages_url(&app.b, &source, conversation),
        Some(json!({"content": "hi"})),
    )
    .await;
    assert_eq!(message.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "SELECT count(*) FROM conversations").await, 1);
    assert_eq!(count(&app, "SELECT count(*) FROM messages").await, 0);
}

#[tokio::test]
async fn a_customer_opens_a_conversation_and_writes_into_it() {
    let app = TestApp::new().await;
    let (contact, source) = announce(
        &app,
        &app.a,
        json!({"name": "Olena", "email": "olena@example.com"}),
    )
    .await;
    assert_eq!(contact_activity(&app, contact).await, None);

    let opened = public_post(
        &app,
        &format!("{}/contacts/{source}/conversations", base(&app.a)),
        None,
    )
    .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);
    let conversation = opened.body["id"].as_i64().expect("id");
    let api_inbox = app
        .a
        .inboxes
        .iter()
        .find(|(_, c)| *c == "Channel::Api")
        .map(|(i, _)| *i)
        .expect("api inbox");
    assert_eq!(opened.body["inbox_id"], api_inbox);
    assert_eq!(opened.body["status"], "open");
    assert_eq!(opened.body["contact_last_seen_at"], 0);
    assert_eq!(opened.body["messages"], json!([]));
    assert_eq!(opened.body["contact"]["id"], contact);

    let text = "<b>Hi</b> '); DROP TABLE messages; --";
    let sent = public_post(
        &app,
        &messages_url(&app.a, &source, conversation),
        Some(json!({"content": text})),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    assert_eq!(sent.body["content"], text);
    assert_eq!(sent.body["message_type"], 0);
    assert_eq!(sent.body["conversation_id"], conversation);
    assert!(sent.body["id"].is_i64());
    let at = sent.body["created_at"].as_i64().expect("created_at");
    assert_eq!(contact_activity(&app, contact).await, Some(at));
    assert_eq!(
        conversation_state(&app, conversation).await,
        ("open".to_owned(), at)
    );

    // The agent sees it in the contact's conversations.
    let list = app.get(&format!("/contacts/{contact}/conversations")).await;
    assert_eq!(
        list.body["payload"][0]["last_message"],
        json!({"content": text, "message_type": 0, "created_at": at})
    );
    assert_eq!(
        list.body["payload"][0]["inbox"]["channel_type"],
        "Channel::Api"
    );
}

#[tokio::test]
async fn a_message_reopens_a_resolved_conversation() {
    let app = TestApp::new().await;
    let (_, source) = announce(&app, &app.a, json!({"name": "Olena"})).await;
    let conversation = open_conversation(&app, &app.a, &source).await;
    set(
        &app,
        "UPDATE conversations SET status = 'resolved', last_activity_at = 100 WHERE id = ?",
        conversation,
    )
    .await;
    let sent = public_post(
        &app,
        &messages_url(&app.a, &source, conversation),
        Some(json!({"content": "Me again"})),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    let (status, last) = conversation_state(&app, conversation).await;
    assert_eq!(status, "open");
    assert!(last > 100);
}

#[tokio::test]
async fn a_message_needs_content_within_the_limit() {
    let app = TestApp::new().await;
    let (contact, source) = announce(&app, &app.a, json!({"name": "Olena"})).await;
    let conversation = open_conversation(&app, &app.a, &source).await;
    let before = conversation_state(&app, conversation).await;
    let url = messages_url(&app.a, &source, conversation);
    for body in [
        json!({"content": ""}),
        json!({"content": " \n"}),
        json!({}),
        json!({"content": "x".repeat(10_001)}),
    ] {
        let reply = public_post(&app, &url, Some(body.clone())).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(reply.body["attributes"], json!(["content"]));
    }
    let wrong = public_post(&app, &url, Some(json!({"content": ["a"]}))).await;
    assert!(
        wrong.status.is_client_error() && wrong.body["error"].is_string(),
        "{}",
        wrong.text
    );
    assert_eq!(count(&app, "SELECT count(*) FROM messages").await, 0);
    assert_eq!(conversation_state(&app, conversation).await, before);
    assert_eq!(contact_activity(&app, contact).await, None);
}

#[tokio::test]
async fn a_message_only_goes_into_the_contacts_own_conversation_in_this_inbox() {
    let app = TestApp::new().await;
    let (_, olena) = announce(&app, &app.a, json!({"email": "olena@example.com"})).await;
    let (_, taras) = announce(&app, &app.a, json!({"email": "taras@example.com"})).await;
    let hers = open_conversation(&app, &app.a, &olena).await;
    let reply = public_post(
        &app,
        &messages_url(&app.a, &taras, hers),
        Some(json!({"content": "hi"})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let unknown = public_post(
        &app,
        &messages_url(&app.a, &olena, 999_999),
        Some(json!({"content": "hi"})),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let malformed = public_post(
        &app,
        &format!(
            "{}/contacts/{olena}/conversations/abc/messages",
            base(&app.a)
        ),
        Some(json!({"content": "hi"})),
    )
    .await;
    assert_eq!(malformed.status, StatusCode::NOT_FOUND);
    assert_eq!(
        malformed.body,
        json!({"error": "Resource could not be found"})
    );
    assert_eq!(count(&app, "SELECT count(*) FROM messages").await, 0);
}

#[tokio::test]
async fn a_blocked_contacts_messages_are_refused_and_leave_no_trace() {
    let app = TestApp::new().await;
    let (contact, source) = announce(
        &app,
        &app.a,
        json!({"name": "Spammer", "email": "spam@example.com"}),
    )
    .await;
    let conversation = open_conversation(&app, &app.a, &source).await;
    set(
        &app,
        "UPDATE conversations SET status = 'resolved', last_activity_at = 500 WHERE id = ?",
        conversation,
    )
    .await;
    set(
        &app,
        "UPDATE contacts SET last_activity_at = 400 WHERE id = ?",
        contact,
    )
    .await;
    let future = chrono::Utc::now().timestamp() + 3_600;
    for (blocked_until, label) in [(None, "for ever"), (Some(future), "for an hour")] {
        novatalks_server::db::query("UPDATE contacts SET blocked = TRUE, blocked_until = ?, block_reason = 'Spam' WHERE id = ?")
            .bind(blocked_until)
            .bind(contact)
            .execute(&app.db)
            .await
            .expect("block");

        let sent = public_post(
            &app,
            &messages_url(&app.a, &source, conversation),
            Some(json!({"content": "buy now"})),
        )
        .await;
        assert_eq!(sent.status, StatusCode::FORBIDDEN, "{label}: {}", sent.text);
        assert_eq!(sent.body, json!({"error": "Contact is blocked"}));
        let opened = public_post(
            &app,
            &format!("{}/contacts/{source}/conversations", base(&app.a)),
            None,
        )
        .await;
        assert_eq!(opened.status, StatusCode::FORBIDDEN, "{label}");
        assert_eq!(opened.body, json!({"error": "Contact is blocked"}));

        assert_eq!(
            count(&app, "SELECT count(*) FROM messages").await,
            0,
            "{label}: no message stored"
        );
        assert_eq!(
            count(&app, "SELECT count(*) FROM conversations").await,
            1,
            "{label}: no conversation opened"
        );
        assert_eq!(
            conversation_state(&app, conversation).await,
            ("resolved".to_owned(), 500),
            "{label}: not reopened"
        );
        assert_eq!(
            contact_activity(&app, contact).await,
            Some(400),
            "{label}: last_activity_at unchanged"
        );
    }

    // Announcing the blocked customer's email again is fine, but it is not them: a new
    // contact, which tells nothing about the blocked one.
    let (again, _) = announce(&app, &app.a, json!({"email": "spam@example.com"})).await;
    assert_ne!(again, contact);
}

#[tokio::test]
async fn when_the_block_expires_messages_get_through_again() {
    let app = TestApp::new().await;
    let (contact, source) = announce(&app, &app.a, json!({"name": "Was blocked"})).await;
    let conversation = open_conversation(&app, &app.a, &source).await;
    set(
        &app,
        "UPDATE conversations SET status = 'resolved' WHERE id = ?",
        conversation,
    )
    .await;
    let expired = chrono::Utc::now().timestamp() - 10;
    novatalks_server::db::query(
        "UPDATE contacts SET blocked = TRUE, blocked_until = ? WHERE id = ?",
    )
    .bind(expired)
    .bind(contact)
    .execute(&app.db)
    .await
    .expect("expired block");

    let sent = public_post(
        &app,
        &messages_url(&app.a, &source, conversation),
        Some(json!({"content": "Hello again"})),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    assert_eq!(count(&app, "SELECT count(*) FROM messages").await, 1);
    assert_eq!(conversation_state(&app, conversation).await.0, "open");
    assert!(contact_activity(&app, contact).await.is_some());
    let opened = public_post(
        &app,
        &format!("{}/contacts/{source}/conversations", base(&app.a)),
        None,
    )
    .await;
    assert_eq!(opened.status, StatusCode::OK);
}

#[tokio::test]
async fn malformed_json_is_a_json_4xx() {
    let app = TestApp::new().await;
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(format!("{}/contacts", base(&app.a)))
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{\"name\": "))
        .expect("request");
    let reply = app.send(req).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["error"].is_string());
    assert_eq!(count(&app, "SELECT count(*) FROM contacts").await, 0);
}
