//! A pair of contacts to merge: one customer known twice.

use serde_json::json;

use super::DAY;
use crate::AppError;

/// A person the demo account knows twice, to merge: (name, email, phone as stored,
/// identifier, labels, channel of the conversation, what the customer wrote).
type DuplicateSeed = (
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    &'static str,
    &'static str,
);

/// One customer as two contacts sharing a phone in different formats: imported from the
/// old CRM before numbers were normalised ("0501234567", as written then), and created
/// by WhatsApp in E.164. Found by their names (no generated contact is an Olha Hnatiuk).
pub const DUPLICATE_PAIR: [DuplicateSeed; 2] = [
    (
        "Olha Hnatiuk",
        Some("olha.hnatiuk@ukr.net"),
        "0501234567",
        Some("crm-legacy-0042"),
        &["billing", "vip"],
        "Channel::Email",
        "Please send the invoice for March again.",
    ),
    (
        "Olha H.",
        None,
        "+380501234567",
        None,
        &["support"],
        "Channel::Whatsapp",
        "The app does not open since the update.",
    ),
];

/// The [`DUPLICATE_PAIR`] in `account`, each with its conversation, the first with a note
/// by `agent`.
pub(super) async fn seed_duplicate_pair(
    tx: &mut crate::db::Conn,
    account: i64,
    agent: i64,
    now: i64,
) -> Result<(), AppError> {
    const CITIES: [&str; 2] = ["Lviv", "Kyiv"];
    for (i, (name, email, phone, identifier, labels, channel, wrote)) in
        DUPLICATE_PAIR.iter().enumerate()
    {
        let created_at = now - (400 - 300 * i as i64) * DAY;
        let active_at = now - (3 - i as i64) * DAY;
        let contact: i64 = crate::db::query_scalar(
            "INSERT INTO contacts (account_id, name, email, phone_number, identifier,
               additional_attributes, custom_attributes, last_activity_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?) RETURNING id",
        )
        .bind(account)
        .bind(name)
        .bind(email)
        .bind(phone)
        .bind(identifier)
        .bind(json!({"city": CITIES[i], "language": "uk"}))
        .bind(active_at)
        .bind(created_at)
        .bind(created_at)
        .fetch_one(&mut *tx)
        .await?;
        for title in labels.iter() {
            crate::db::query(
                "INSERT INTO contact_labels (contact_id, account_id, title) VALUES (?, ?, ?)",
            )
            .bind(contact)
            .bind(account)
            .bind(title)
            .execute(&mut *tx)
            .await?;
        }
        let inbox: i64 = crate::db::query_scalar(
            "SELECT id FROM inboxes WHERE account_id = ? AND channel_type = ? ORDER BY id LIMIT 1",
        )
        .bind(account)
        .bind(channel)
        .fetch_one(&mut *tx)
        .await?;
        let source_id = email.unwrap_or(phone.trim_start_matches('+'));
        let contact_inbox: i64 = crate::db::query_scalar(
            "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, created_at)
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(contact)
        .bind(inbox)
        .bind(source_id)
        .bind(created_at)
        .fetch_one(&mut *tx)
        .await?;
        let conversation: i64 = crate::db::query_scalar(
            "INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, status,
               created_at, last_activity_at)
             VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
        )
        .bind(account)
        .bind(inbox)
        .bind(contact)
        .bind(contact_inbox)
        .bind(active_at - 600)
        .bind(active_at)
        .fetch_one(&mut *tx)
        .await?;
        crate::db::query(
            "INSERT INTO messages (account_id, conversation_id, content, message_type, created_at)
             VALUES (?, ?, ?, 0, ?)",
        )
        .bind(account)
        .bind(conversation)
        .bind(wrote)
        .bind(active_at)
        .execute(&mut *tx)
        .await?;
        if i == 0 {
            crate::db::query(
                "INSERT INTO notes (account_id, contact_id, user_id, content, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(account)
            .bind(contact)
            .bind(agent)
            .bind("Imported from the old CRM; the phone was written without the country code.")
            .bind(created_at)
            .bind(created_at)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}
