//! Helpers of the contact-write tests: surroundings of a contact, and a snapshot of every
//! table a write may touch, to prove a refused or failed write changed nothing.
#![allow(dead_code)]

use serde_json::Value;

use crate::common::TestApp;

/// Everything a contact write can touch, as one comparable text (on either engine: each
/// row's columns cast to text and joined).
pub async fn db_snapshot(db: &novatalks_server::db::Db) -> String {
    let tables: [(&str, &str, &str); 9] = [
        ("contacts", "id, account_id, name, email, phone_number, identifier, additional_attributes, custom_attributes, blocked, blocked_until, block_reason, last_activity_at, created_at, updated_at", "id"),
        ("conversations", "id, account_id, inbox_id, contact_id, contact_inbox_id, status", "id"),
        ("messages", "id, conversation_id, content", "id"),
        ("notes", "id, contact_id, content", "id"),
        ("contact_labels", "contact_id, account_id, title", "contact_id, title"),
        ("contact_inboxes", "id, contact_id, inbox_id, source_id", "id"),
        ("contact_merges", "account_id, mergee_contact_id, base_contact_id", "mergee_contact_id"),
        ("labels", "id, account_id, title, color", "id"),
        ("custom_attribute_definitions", "id, account_id, attribute_key, attribute_display_type", "id"),
    ];
    let mut out = String::new();
    for (table, columns, order) in tables {
        let row = columns
            .split(", ")
            .map(|c| format!("coalesce(CAST({c} AS TEXT), 'NULL')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        // Table and column names are the test's own, never input.
        let rows: Vec<String> = novatalks_server::db::query_scalar(format!(
            "SELECT {row} FROM {table} ORDER BY {order}"
        ))
        .fetch_all(db)
        .await
        .expect("snapshot query");
        out.push_str(table);
        out.push_str(": ");
        out.push_str(&rows.join("; "));
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
    novatalks_server::db::query_scalar(format!("SELECT count(*) FROM {table} WHERE {column} = ?"))
        .bind(contact_id)
        .fetch_one(db)
        .await
        .expect("count")
}

/// The `payload` of a reply.
pub fn payload(body: &Value) -> &Value {
    &body["payload"]
}
