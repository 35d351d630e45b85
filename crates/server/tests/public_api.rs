//! The public API of API inboxes: contacts created or matched, conversations, messages,
//! and blocked contacts refused without a trace.

mod common;

use axum::http::{Method, StatusCode};
use common::{Reply, TestApp};
use novatalks_server::seed::Fixture;
use serde_json::{json, Value};

fn base(f: &Fixture) -> String {
    format!("/public/api/v1/inboxes/api-inbox-{}", f.account_id)
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
    sqlx::query_scalar(sql)
        .fetch_one(&app.db)
        .await
        .expect("count")
}

async fn contact_activity(app: &TestApp, contact: i64) -> Option<i64> {
    sqlx::query_scalar("SELECT last_activity_at FROM contacts WHERE id = ?")
        .bind(contact)
        .fetch_one(&app.db)
        .await
        .expect("contact")
}

async fn conversation_state(app: &TestApp, conversation: i64) -> (String, i64) {
    sqlx::query_as("SELECT status, last_activity_at FROM conversations WHERE id = ?")
        .bind(conversation)
        .fetch_one(&app.db)
        .await
        .expect("conversation")
}

async fn set(app: &TestApp, sql: &str, id: i64) {
    sqlx::query(sql)
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
        sqlx::query_as("SELECT account_id, identifier FROM contacts WHERE id = ?")
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
    let identity: (i64, i64) =
        sqlx::query_as("SELECT contact_id, inbox_id FROM contact_inboxes WHERE source_id = ?")
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
async fn an_existing_contact_is_matched_by_email_phone_or_identifier_and_left_as_it_is() {
    let app = TestApp::new().await;
    let olena = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Olena", "email": "olena@example.com", "phone_number": "+380501234567", "identifier": "crm-7"}),
        )
        .await;
    let mut sources = Vec::new();
    for body in [
        json!({"email": "OLENA@example.com", "name": "Someone Else"}),
        json!({"phone_number": "+380 (50) 123-45-67"}),
        json!({"phone_number": "0501234567"}),
        json!({"identifier": "crm-7"}),
        json!({"email": "new@example.com", "identifier": "crm-7"}),
    ] {
        let (id, source) = announce(&app, &app.a, body.clone()).await;
        assert_eq!(id, olena, "{body}");
        sources.push(source);
    }
    assert_eq!(
        count(&app, "SELECT count(*) FROM contacts").await,
        1,
        "no duplicate"
    );
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM contacts WHERE id = ?")
        .bind(olena)
        .fetch_one(&app.db)
        .await
        .expect("name");
    assert_eq!(
        name.as_deref(),
        Some("Olena"),
        "a channel does not overwrite what agents know"
    );
    sources.sort();
    sources.dedup();
    assert_eq!(sources.len(), 5, "each announcement is a new identity");
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
    assert!(wrong_type.status.is_client_error());
    assert!(wrong_type.body["error"].is_string(), "{}", wrong_type.text);
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
    sqlx::query("UPDATE inboxes SET inbox_identifier = 'widget-key' WHERE id = ?")
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
    let account: i64 = sqlx::query_scalar("SELECT account_id FROM contacts WHERE id = ?")
        .bind(theirs)
        .fetch_one(&app.db)
        .await
        .expect("theirs");
    assert_eq!(account, app.b.account_id);
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM contacts WHERE id = ?")
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
        sqlx::query("UPDATE contacts SET blocked = 1, blocked_until = ?, block_reason = 'Spam' WHERE id = ?")
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

    // Announcing the blocked customer again is fine: it is matched, not refused.
    let (again, _) = announce(&app, &app.a, json!({"email": "spam@example.com"})).await;
    assert_eq!(again, contact);
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
    sqlx::query("UPDATE contacts SET blocked = 1, blocked_until = ? WHERE id = ?")
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
