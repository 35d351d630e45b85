//! Helpers of the contact-write tests: surroundings of a contact, and a snapshot of every
//! table a write may touch, to prove a refused or failed write changed nothing.
#![allow(dead_code)]

use serde_json::Value;

use crate::common::TestApp;

/// Everything a contact write can touch, as one comparable text.
pub async fn db_snapshot(db: &novatalks_server::db::Db) -> String {
    let queries = [
        "SELECT json_group_array(json_array(id, account_id, name, email, phone_number, identifier,
            additional_attributes, custom_attributes, blocked, blocked_until, block_reason,
            last_activity_at, created_at, updated_at)) FROM (SELECT * FROM contacts ORDER BY id)",
        "SELECT json_group_array(json_array(id, account_id, inbox_id, contact_id, contact_inbox_id, status))
            FROM (SELECT * FROM conversations ORDER BY id)",
        "SELECT json_group_array(json_array(id, conversation_id, content)) FROM (SELECT * FROM messages ORDER BY id)",
        "SELECT json_group_array(json_array(id, contact_id, content)) FROM (SELECT * FROM notes ORDER BY id)",
        "SELECT json_group_array(json_array(contact_id, account_id, title))
            FROM (SELECT * FROM contact_labels ORDER BY contact_id, title)",
        "SELECT json_group_array(json_array(id, contact_id, inbox_id, source_id)) FROM (SELECT * FROM contact_inboxes ORDER BY id)",
        "SELECT json_group_array(json_array(account_id, mergee_contact_id, base_contact_id))
            FROM (SELECT * FROM contact_merges ORDER BY mergee_contact_id)",
        "SELECT json_group_array(json_array(id, account_id, title, color)) FROM (SELECT * FROM labels ORDER BY id)",
        "SELECT json_group_array(json_array(id, account_id, attribute_key, attribute_display_type))
            FROM (SELECT * FROM custom_attribute_definitions ORDER BY id)",
    ];
    let mut out = String::new();
    for q in queries {
        let part: String = novatalks_server::db::query_scalar(q)
            .fetch_one(db)
            .await
            .expect("snapshot query");
        out.push_str(&part);
        out.push('\n');
    }
    out
}

/// A conversation of `contact` in the account's first inbox with `messages` messages,
/// through a channel identity `source_id`; returns (conversation id, contact_inbox id).
pub async fn add_conversation(
    app: &TestApp,
    account_id: i64,
    contact_id: i64,
    source_id: &str,
    messages: usize,
) -> (i64, i64) {
    let fixture = if account_id == app.a.account_id {
        &app.a
    } else {
        &app.b
    };
    let inbox_id = fixture.inboxes[0].0;
    let ci: i64 = novatalks_server::db::query_scalar(
        "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, created_at) VALUES (?, ?, ?, 1) RETURNING id",
    )
    .bind(contact_id)
    .bind(inbox_id)
    .bind(source_id)
    .fetch_one(&app.db)
    .await
    .expect("contact inbox");
    let conv: i64 = novatalks_server::db::query_scalar(
        "INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, created_at, last_activity_at)
         VALUES (?, ?, ?, ?, 1, 1) RETURNING id",
    )
    .bind(account_id)
    .bind(inbox_id)
    .bind(contact_id)
    .bind(ci)
    .fetch_one(&app.db)
    .await
    .expect("conversation");
    for i in 0..messages {
        novatalks_server::db::query(
            "INSERT INTO messages (account_id, conversation_id, content, message_type, created_at) VALUES (?, ?, ?, 0, 1)",
        )
        .bind(account_id)
        .bind(conv)
        .bind(format!("message {i}"))
        .execute(&app.db)
        .await
        .expect("message");
    }
    (conv, ci)
}

/// A note on `contact` by the account's agent; returns its id.
pub async fn add_note(app: &TestApp, account_id: i64, contact_id: i64, content: &str) -> i64 {
    let fixture = if account_id == app.a.account_id {
        &app.a
    } else {
        &app.b
    };
    novatalks_server::db::query_scalar(
        "INSERT INTO notes (account_id, contact_id, user_id, content, created_at, updated_at)
         VALUES (?, ?, ?, ?, 1, 1) RETURNING id",
    )
    .bind(account_id)
    .bind(contact_id)
    .bind(fixture.user_id)
    .bind(content)
    .fetch_one(&app.db)
    .await
    .expect("note")
}

/// How many rows of `table` reference `contact_id` in `column`.
pub async fn count_for(
    db: &novatalks_server::db::Db,
    table: &str,
    column: &str,
    contact_id: i64,
) -> i64 {
    // Table and column names come from the tests themselves, never from input.
    novatalks_server::db::query_scalar(&format!("SELECT count(*) FROM {table} WHERE {column} = ?"))
        .bind(contact_id)
        .fetch_one(db)
        .await
        .expect("count")
}

/// The `payload` of a reply.
pub fn payload(body: &Value) -> &Value {
    &body["payload"]
}
