//! A contact's conversations, and new outbound conversations ("New dialog").

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use novatalks_server::seed::Fixture;
use serde_json::json;

fn inbox(f: &Fixture, channel: &str) -> i64 {
    f.inboxes
        .iter()
        .find(|(_, c)| *c == channel)
        .map(|(id, _)| *id)
        .expect("fixture inbox")
}

/// A conversation straight in the database, with messages `(content, type, at)`.
async fn insert_conversation(
    app: &TestApp,
    account: i64,
    contact: i64,
    inbox_id: i64,
    status: &str,
    last_activity_at: i64,
    messages: &[(&str, i64, i64)],
) -> i64 {
    let id: i64 = novatalks_server::db::query_scalar(
        "INSERT INTO conversations (account_id, inbox_id, contact_id, status, created_at, last_activity_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(account)
    .bind(inbox_id)
    .bind(contact)
    .bind(status)
    .bind(last_activity_at - 100)
    .bind(last_activity_at)
    .fetch_one(&app.db)
    .await
    .expect("conversation");
    for (content, kind, at) in messages {
        novatalks_server::db::query(
            "INSERT INTO messages (account_id, conversation_id, content, message_type, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(account)
        .bind(id)
        .bind(content)
        .bind(kind)
        .bind(at)
        .execute(&app.db)
        .await
        .expect("message");
    }
    id
}

async fn count(app: &TestApp, table: &str) -> i64 {
    novatalks_server::db::query_scalar(format!("SELECT count(*) FROM {table}"))
        .fetch_one(&app.db)
        .await
        .expect("count")
}

/// (conversations, messages, contact_inboxes) row counts.
async fn counts(app: &TestApp) -> (i64, i64, i64) {
    (
        count(app, "conversations").await,
        count(app, "messages").await,
        count(app, "contact_inboxes").await,
    )
}

#[tokio::test]
async fn a_contacts_conversations_come_newest_activity_first_with_their_last_message() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let contact = app.insert_contact(a, json!({"name": "Olena"})).await;
    let other = app.insert_contact(a, json!({"name": "Someone else"})).await;
    let mail = inbox(&app.a, "Channel::Email");
    let whatsapp = inbox(&app.a, "Channel::Whatsapp");
    let old = insert_conversation(
        &app,
        a,
        contact,
        mail,
        "resolved",
        2_000,
        &[("Hello", 0, 1_900), ("Hi!", 1, 1_950)],
    )
    .await;
    let recent = insert_conversation(
        &app,
        a,
        contact,
        whatsapp,
        "open",
        5_000,
        &[("Reply", 1, 4_900), ("Where is it?", 0, 4_990)],
    )
    .await;
    let silent = insert_conversation(&app, a, contact, whatsapp, "pending", 3_000, &[]).await;
    insert_conversation(
        &app,
        a,
        other,
        mail,
        "open",
        9_000,
        &[("not hers", 0, 9_000)],
    )
    .await;

    let reply = app.get(&format!("/contacts/{contact}/conversations")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(TestApp::ids(&reply), [recent, silent, old]);
    // The contract's short conversation; Chatwoot's partial keys beside it are checked
    // in chatwoot_dashboard.rs.
    let first: serde_json::Map<String, serde_json::Value> = reply.body["payload"][0]
        .as_object()
        .expect("a conversation")
        .iter()
        .filter(|(k, _)| {
            [
                "id",
                "inbox_id",
                "inbox",
                "status",
                "created_at",
                "last_activity_at",
                "last_message",
            ]
            .contains(&k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(
        serde_json::Value::Object(first),
        json!({
            "id": recent, "inbox_id": whatsapp,
            "inbox": {"id": whatsapp, "name": "WhatsApp Business", "channel_type": "Channel::Whatsapp"},
            "status": "open", "created_at": 4_900, "last_activity_at": 5_000,
            "last_message": {"content": "Where is it?", "message_type": 0, "created_at": 4_990}
        })
    );
    assert_eq!(reply.body["payload"][1]["last_message"], json!(null));
    assert_eq!(reply.body["payload"][2]["last_message"]["message_type"], 1);
    assert_eq!(
        reply.body["payload"][2]["inbox"]["channel_type"],
        "Channel::Email"
    );
    assert_eq!(reply.body["payload"][2]["status"], "resolved");
}

#[tokio::test]
async fn a_contact_without_conversations_has_an_empty_payload() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "New"}))
        .await;
    let reply = app.get(&format!("/contacts/{contact}/conversations")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, json!({"payload": []}));
}

#[tokio::test]
async fn another_accounts_conversations_are_out_of_reach() {
    let app = TestApp::new().await;
    let theirs = app
        .insert_contact(app.b.account_id, json!({"name": "B"}))
        .await;
    insert_conversation(
        &app,
        app.b.account_id,
        theirs,
        inbox(&app.b, "Channel::Email"),
        "open",
        10,
        &[("secret", 0, 10)],
    )
    .await;
    let path = format!("/contacts/{theirs}/conversations");
    let reply = app.get(&path).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(!reply.text.contains("secret"));
    let cross = app
        .request(Method::GET, &app.b_url(&path), Some(&app.a.token), None)
        .await;
    assert_eq!(cross.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        cross.body,
        json!({"error": "You are not authorized to access this account"})
    );
    let own = app
        .request(Method::GET, &app.b_url(&path), Some(&app.b.token), None)
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body["payload"][0]["last_message"]["content"], "secret");
    assert_eq!(
        app.get("/contacts/xyz/conversations").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_new_dialog_by_email_opens_a_conversation_with_the_agents_message() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Olena", "email": "olena@example.com", "last_activity_at": 1_234}),
        )
        .await;
    let mail = inbox(&app.a, "Channel::Email");
    let reply = app
        .post("/conversations", json!({"contact_id": contact, "inbox_id": mail, "message": {"content": "Hello from support"}}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let id = reply.body["id"].as_i64().expect("id");
    assert_eq!(reply.body["inbox_id"], mail);
    assert_eq!(
        reply.body["inbox"],
        json!({"id": mail, "name": "Support email", "channel_type": "Channel::Email"})
    );
    assert_eq!(reply.body["status"], "open");
    assert_eq!(reply.body["last_message"]["content"], "Hello from support");
    assert_eq!(reply.body["last_message"]["message_type"], 1);
    let now = chrono::Utc::now().timestamp();
    assert!(
        reply.body["last_activity_at"]
            .as_i64()
            .is_some_and(|t| (now - t).abs() <= 5),
        "{}",
        reply.text
    );
    assert_eq!(reply.body["created_at"], reply.body["last_activity_at"]);

    let (identity, source): (i64, String) = novatalks_server::db::query_as(
        "SELECT id, source_id FROM contact_inboxes WHERE contact_id = ? AND inbox_id = ?",
    )
    .bind(contact)
    .bind(mail)
    .fetch_one(&app.db)
    .await
    .expect("identity");
    assert_eq!(source, "olena@example.com");
    let (conv_contact, conv_identity): (i64, Option<i64>) = novatalks_server::db::query_as(
        "SELECT contact_id, contact_inbox_id FROM conversations WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .expect("conversation");
    assert_eq!((conv_contact, conv_identity), (contact, Some(identity)));
    assert_eq!(counts(&app).await, (1, 1, 1));

    // An agent's message is not the contact's activity.
    let last: Option<i64> =
        novatalks_server::db::query_scalar("SELECT last_activity_at FROM contacts WHERE id = ?")
            .bind(contact)
            .fetch_one(&app.db)
            .await
            .expect("contact");
    assert_eq!(last, Some(1_234));

    let list = app.get(&format!("/contacts/{contact}/conversations")).await;
    assert_eq!(TestApp::ids(&list), [id]);
    assert_eq!(list.body["payload"][0], reply.body);
}

#[tokio::test]
async fn a_new_dialog_reuses_the_contacts_identity_in_the_inbox() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"phone_number": "+380501234567"}))
        .await;
    let whatsapp = inbox(&app.a, "Channel::Whatsapp");
    let identity: i64 = novatalks_server::db::query_scalar(
        "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, created_at) VALUES (?, ?, '380501234567', 1) RETURNING id",
    )
    .bind(contact)
    .bind(whatsapp)
    .fetch_one(&app.db)
    .await
    .expect("identity");
    for text in ["first", "second"] {
        let reply = app
            .post(
                "/conversations",
                json!({"contact_id": contact, "inbox_id": whatsapp, "message": {"content": text}}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    let used: Vec<Option<i64>> = novatalks_server::db::query_scalar(
        "SELECT contact_inbox_id FROM conversations ORDER BY id",
    )
    .fetch_all(&app.db)
    .await
    .expect("conversations");
    assert_eq!(used, [Some(identity), Some(identity)]);
    assert_eq!(counts(&app).await, (2, 2, 1));
}

#[tokio::test]
async fn an_address_that_moved_to_another_contact_gets_a_fresh_identity() {
    let app = TestApp::new().await;
    let mail = inbox(&app.a, "Channel::Email");
    let before = app
        .insert_contact(app.a.account_id, json!({"name": "Had it"}))
        .await;
    let old_identity: i64 = novatalks_server::db::query_scalar(
        "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, created_at) VALUES (?, ?, 'shared@example.com', 1) RETURNING id",
    )
    .bind(before)
    .bind(mail)
    .fetch_one(&app.db)
    .await
    .expect("old identity");
    let old_conversation = insert_conversation(
        &app,
        app.a.account_id,
        before,
        mail,
        "resolved",
        100,
        &[("old", 0, 100)],
    )
    .await;
    let now_has = app
        .insert_contact(app.a.account_id, json!({"email": "shared@example.com"}))
        .await;

    let reply = app
        .post(
            "/conversations",
            json!({"contact_id": now_has, "inbox_id": mail, "message": {"content": "Hi"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let owner: i64 = novatalks_server::db::query_scalar("SELECT contact_id FROM contact_inboxes WHERE inbox_id = ? AND source_id = 'shared@example.com'")
        .bind(mail)
        .fetch_one(&app.db)
        .await
        .expect("new identity");
    assert_eq!(owner, now_has);
    let old_owner: i64 =
        novatalks_server::db::query_scalar("SELECT contact_id FROM contact_inboxes WHERE id = ?")
            .bind(old_identity)
            .fetch_one(&app.db)
            .await
            .expect("old identity kept");
    assert_eq!(old_owner, before);
    let list = app.get(&format!("/contacts/{before}/conversations")).await;
    assert_eq!(
        TestApp::ids(&list),
        [old_conversation],
        "the old conversation stays with its contact"
    );
}

#[tokio::test]
async fn a_new_dialog_needs_an_inbox_that_can_write_first_to_the_contact() {
    let app = TestApp::new().await;
    let phone_only = app
        .insert_contact(app.a.account_id, json!({"phone_number": "+380501234567"}))
        .await;
    let email_only = app
        .insert_contact(app.a.account_id, json!({"email": "olena@example.com"}))
        .await;
    let cases = [
        (
            phone_only,
            "Channel::WebWidget",
            "Inbox Website chat cannot write first to a new client",
        ),
        (
            phone_only,
            "Channel::Api",
            "Inbox CRM integration cannot write first to a new client",
        ),
        (
            phone_only,
            "Channel::Telegram",
            "enable “Can write first to a new client” in its settings",
        ),
        (
            phone_only,
            "Channel::Email",
            "Inbox Support email needs the contact's email",
        ),
        (
            email_only,
            "Channel::Whatsapp",
            "Inbox WhatsApp Business needs the contact's phone number",
        ),
        (
            email_only,
            "Channel::Call",
            "needs the contact's phone number",
        ),
    ];
    for (contact, channel, why) in cases {
        let reply = app
            .post(
                "/conversations",
                json!({"contact_id": contact, "inbox_id": inbox(&app.a, channel), "message": {"content": "Hi"}}),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{channel}: {}",
            reply.text
        );
        let error = reply.body["error"].as_str().unwrap_or_default();
        assert!(error.contains(why), "{channel}: {error}");
    }
    assert_eq!(counts(&app).await, (0, 0, 0), "nothing was stored");
}

#[tokio::test]
async fn a_new_dialogs_message_must_be_present_and_not_too_long() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"email": "olena@example.com"}))
        .await;
    let mail = inbox(&app.a, "Channel::Email");
    for body in [
        json!({"contact_id": contact, "inbox_id": mail, "message": {"content": "   "}}),
        json!({"contact_id": contact, "inbox_id": mail, "message": {}}),
        json!({"contact_id": contact, "inbox_id": mail}),
    ] {
        let reply = app.post("/conversations", body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            reply.body,
            json!({"message": "Content can't be blank", "attributes": ["content"]})
        );
    }
    let long = app
        .post("/conversations", json!({"contact_id": contact, "inbox_id": mail, "message": {"content": "x".repeat(10_001)}}))
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.body["attributes"], json!(["content"]));
    let missing = app
        .post(
            "/conversations",
            json!({"inbox_id": mail, "message": {"content": "Hi"}}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["attributes"], json!(["contact_id"]));
    let no_inbox = app
        .post(
            "/conversations",
            json!({"contact_id": contact, "message": {"content": "Hi"}}),
        )
        .await;
    assert_eq!(no_inbox.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_inbox.body["attributes"], json!(["inbox_id"]));
    let wrong_type = app
        .post(
            "/conversations",
            json!({"contact_id": "seven", "inbox_id": mail, "message": {"content": "Hi"}}),
        )
        .await;
    assert!(wrong_type.status.is_client_error());
    assert!(wrong_type.body["error"].is_string(), "{}", wrong_type.text);
    assert_eq!(counts(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn html_and_sql_in_a_new_dialog_are_stored_verbatim() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"email": "olena@example.com"}))
        .await;
    let text = "<img src=x onerror=alert(1)> '; DELETE FROM messages; --";
    let reply = app
        .post(
            "/conversations",
            json!({"contact_id": contact, "inbox_id": inbox(&app.a, "Channel::Email"), "message": {"content": text}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["last_message"]["content"], text);
    let stored: String = novatalks_server::db::query_scalar("SELECT content FROM messages")
        .fetch_one(&app.db)
        .await
        .expect("message");
    assert_eq!(stored, text);
}

#[tokio::test]
async fn agents_can_write_to_a_blocked_contact() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(
            app.a.account_id,
            json!({"email": "spam@example.com", "blocked": true, "block_reason": "Spam"}),
        )
        .await;
    let reply = app
        .post(
            "/conversations",
            json!({"contact_id": contact, "inbox_id": inbox(&app.a, "Channel::Email"), "message": {"content": "Please stop"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(counts(&app).await, (1, 1, 1));
}

#[tokio::test]
async fn a_new_dialog_cannot_reach_across_accounts() {
    let app = TestApp::new().await;
    let mine = app
        .insert_contact(app.a.account_id, json!({"email": "mine@example.com"}))
        .await;
    let theirs = app
        .insert_contact(app.b.account_id, json!({"email": "theirs@example.com"}))
        .await;
    let my_mail = inbox(&app.a, "Channel::Email");
    let their_mail = inbox(&app.b, "Channel::Email");

    let their_contact = app
        .post(
            "/conversations",
            json!({"contact_id": theirs, "inbox_id": my_mail, "message": {"content": "Hi"}}),
        )
        .await;
    assert_eq!(their_contact.status, StatusCode::NOT_FOUND);
    assert_eq!(
        their_contact.body,
        json!({"error": "Resource could not be found"})
    );
    let their_inbox = app
        .post(
            "/conversations",
            json!({"contact_id": mine, "inbox_id": their_mail, "message": {"content": "Hi"}}),
        )
        .await;
    assert_eq!(their_inbox.status, StatusCode::NOT_FOUND);
    let unknown = app
        .post(
            "/conversations",
            json!({"contact_id": 999_999, "inbox_id": my_mail, "message": {"content": "Hi"}}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let cross = app
        .request(
            Method::POST,
            &app.b_url("/conversations"),
            Some(&app.a.token),
            Some(
                json!({"contact_id": theirs, "inbox_id": their_mail, "message": {"content": "Hi"}}),
            ),
        )
        .await;
    assert_eq!(cross.status, StatusCode::UNAUTHORIZED);
    let anonymous = app
        .request(
            Method::POST,
            &app.a_url("/conversations"),
            None,
            Some(json!({"contact_id": mine, "inbox_id": my_mail, "message": {"content": "Hi"}})),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(counts(&app).await, (0, 0, 0));
}
