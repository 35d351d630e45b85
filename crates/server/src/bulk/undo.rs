//! The undo of a bulk delete: a copy of everything it removed, for [`UNDO_SECONDS`].
//!
//! A bulk delete ([`delete_selection`]) copies, in its own transaction and before removing
//! anything, every row that goes with the selected contacts into the `trashed_*` tables
//! (migrations sqlite/0016, postgres/0005) under one `bulk_undos` row with a random token:
//! the contacts, their labels, channel identities (`contact_inboxes`), conversations and
//! their messages, notes, and the merge records that name them (what a single delete
//! removes, by cascade or by hand). `restore` ([`restore`]) puts every row back with the
//! ids it had, all of it or (on a conflict) nothing, and drops the copy; a second restore
//! of the same token is told it ran already. Copies past their time are dropped by the
//! next delete or restore ([`clean_up`]).
//!
//! What can stand in the way of a restore, each a 409 in words naming it: a contact
//! created since with one of the email addresses, phone numbers or identifiers; an id
//! reused since (SQLite hands the highest id out again once it is deleted); a channel
//! identity (inbox and source id) taken since; an inbox deleted since.

use axum::http::StatusCode;
use novatalks_model::bulk::BulkActionResult;

use crate::db::{Conn, Engine};
use crate::AppError;

/// How long a bulk delete can be undone.
pub const UNDO_SECONDS: i64 = 10 * 60;

const CONTACT_COLUMNS: &str = "id, account_id, name, email, phone_number, identifier, thumbnail, \
    additional_attributes, custom_attributes, blocked, blocked_until, block_reason, \
    last_activity_at, created_at, updated_at";

/// The tables copied, their columns (without `undo_id`), and which rows go with the
/// selection (`bulk_selection`), in the order they are put back (parents first).
const COPIED: [(&str, &str, &str); 6] = [
    ("contacts", CONTACT_COLUMNS, "id IN (SELECT id FROM bulk_selection)"),
    (
        "contact_labels",
        "contact_id, account_id, title",
        "contact_id IN (SELECT id FROM bulk_selection)",
    ),
    (
        "contact_inboxes",
        "id, contact_id, inbox_id, source_id, created_at, pubsub_token",
        "contact_id IN (SELECT id FROM bulk_selection)",
    ),
    (
        "conversations",
        "id, account_id, inbox_id, contact_id, contact_inbox_id, status, created_at, last_activity_at",
        "contact_id IN (SELECT id FROM bulk_selection)",
    ),
    (
        "messages",
        "id, account_id, conversation_id, content, message_type, created_at",
        "conversation_id IN (SELECT id FROM conversations WHERE contact_id IN (SELECT id FROM bulk_selection))",
    ),
    (
        "notes",
        "id, account_id, contact_id, user_id, editor_id, content, created_at, updated_at",
        "contact_id IN (SELECT id FROM bulk_selection)",
    ),
];

const MERGE_COLUMNS: &str = "account_id, mergee_contact_id, base_contact_id, merged_at";

/// Deletes the selected contacts (`bulk_selection`, `matched` of them) with everything
/// that goes with them, keeping a copy: (contacts deleted, undo token, undo until).
pub async fn delete_selection(
    tx: &mut Conn,
    account_id: i64,
    matched: u64,
    now: i64,
) -> Result<(u64, Option<String>, Option<i64>), AppError> {
    clean_up(tx, now).await?;
    if matched == 0 {
        return Ok((0, None, None));
    }
    let token = crate::random::hex_token::<18>()?;
    let until = now + UNDO_SECONDS;
    let undo_id: i64 = crate::db::query_scalar(
        "INSERT INTO bulk_undos (account_id, token, contacts, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(account_id)
    .bind(&token)
    .bind(matched as i64)
    .bind(now)
    .bind(until)
    .fetch_one(&mut *tx)
    .await?;
    for (table, columns, which) in COPIED {
        crate::db::query(format!(
            "INSERT INTO trashed_{table} (undo_id, {columns}) SELECT ?, {columns} FROM {table} WHERE {which}"
        ))
        .bind(undo_id)
        .execute(&mut *tx)
        .await?;
    }
    let merges_named = "account_id = ? AND (base_contact_id IN (SELECT id FROM bulk_selection)
                        OR mergee_contact_id IN (SELECT id FROM bulk_selection))";
    crate::db::query(format!(
        "INSERT INTO trashed_contact_merges (undo_id, {MERGE_COLUMNS})
         SELECT ?, {MERGE_COLUMNS} FROM contact_merges WHERE {merges_named}"
    ))
    .bind(undo_id)
    .bind(account_id)
    .execute(&mut *tx)
    .await?;
    // As a single delete: merge records ending in a deleted contact lead nowhere.
    crate::db::query(format!("DELETE FROM contact_merges WHERE {merges_named}"))
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    // The rest goes by cascade (labels, identities, conversations, messages, notes).
    let deleted = crate::db::query(
        "DELETE FROM contacts WHERE account_id = ? AND id IN (SELECT id FROM bulk_selection)",
    )
    .bind(account_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok((deleted, Some(token), Some(until)))
}

/// Drops the copies whose time is over (their rows go by cascade), and the records of
/// restores done that long ago.
pub async fn clean_up(tx: &mut Conn, now: i64) -> Result<(), AppError> {
    crate::db::query("DELETE FROM bulk_undos WHERE expires_at <= ?")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Undo {
    id: i64,
    account_id: i64,
    contacts: i64,
    expires_at: i64,
    restored_at: Option<i64>,
}

fn conflict(message: String) -> AppError {
    AppError::BadRequest(StatusCode::CONFLICT, message)
}

/// Puts back everything the delete of `token` removed, with the same ids: all of it, or
/// nothing and a 409 naming what stands in the way.
pub async fn restore(
    tx: &mut Conn,
    account_id: i64,
    token: &str,
    now: i64,
) -> Result<BulkActionResult, AppError> {
    let undo: Option<Undo> = crate::db::query_as(
        "SELECT id, account_id, contacts, expires_at, restored_at FROM bulk_undos WHERE token = ?",
    )
    .bind(token)
    .fetch_optional(&mut *tx)
    .await?;
    let undo = match undo {
        Some(undo) if undo.account_id == account_id => undo,
        // Another account's token is as unknown as a made-up one.
        _ => {
            return Err(AppError::BadRequest(
                StatusCode::NOT_FOUND,
                "This undo_token is unknown: it was not answered by a delete of this account, or its undo ended more than ten minutes ago".to_owned(),
            ))
        }
    };
    if let Some(at) = undo.restored_at {
        return Err(conflict(format!(
            "These contacts were restored already ({} seconds ago): nothing was changed",
            (now - at).max(0)
        )));
    }
    if undo.expires_at <= now {
        return Err(AppError::invalid(
            "undo_token",
            format!(
                "The undo of this delete ended {} seconds ago (it lasts {} minutes): the contacts cannot be restored",
                now - undo.expires_at,
                UNDO_SECONDS / 60
            ),
        ));
    }
    check_conflicts(tx, undo.id, tx.engine()).await?;

    for (table, columns, _) in COPIED {
        let select = match table {
            // A note's author may have been removed since: the note stays, authorless
            // (as when a user is deleted).
            "notes" => columns
                .replace(
                    "user_id",
                    "CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id) THEN t.user_id END",
                )
                .replace(
                    "editor_id",
                    "CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.id = t.editor_id) THEN t.editor_id END",
                ),
            // A conversation's identity may have gone with another contact since.
            "conversations" => columns.replace(
                "contact_inbox_id",
                "CASE WHEN EXISTS (SELECT 1 FROM contact_inboxes ci WHERE ci.id = t.contact_inbox_id)
                      OR EXISTS (SELECT 1 FROM trashed_contact_inboxes tci
                                 WHERE tci.undo_id = t.undo_id AND tci.id = t.contact_inbox_id)
                 THEN t.contact_inbox_id END",
            ),
            _ => columns.to_owned(),
        };
        crate::db::query(format!(
            "INSERT INTO {table} ({columns}) SELECT {select} FROM trashed_{table} t WHERE t.undo_id = ?"
        ))
        .bind(undo.id)
        .execute(&mut *tx)
        .await
        .map_err(|e| taken_anyway(e, table))?;
    }
    // A merge record is only a pointer for an old URL: one that another merge has
    // replaced since stays replaced.
    crate::db::query(format!(
        "INSERT INTO contact_merges ({MERGE_COLUMNS}) SELECT {MERGE_COLUMNS}
         FROM trashed_contact_merges WHERE undo_id = ?
         ON CONFLICT (mergee_contact_id) DO NOTHING"
    ))
    .bind(undo.id)
    .execute(&mut *tx)
    .await?;
    // PostgreSQL's identities never hand an id out twice: the ids put back stay below
    // what they hand out next.
    for table in COPIED.iter().map(|(t, _, _)| *t).chain(["contact_merges"]) {
        crate::db::query(format!("DELETE FROM trashed_{table} WHERE undo_id = ?"))
            .bind(undo.id)
            .execute(&mut *tx)
            .await?;
    }
    crate::db::query("UPDATE bulk_undos SET restored_at = ? WHERE id = ?")
        .bind(now)
        .bind(undo.id)
        .execute(&mut *tx)
        .await?;
    clean_up(tx, now).await?;
    let contacts = undo.contacts.max(0) as u64;
    Ok(BulkActionResult {
        action: "restore".to_owned(),
        affected: contacts,
        matched: contacts,
        undo_token: None,
        undo_until: None,
    })
}

/// A unique or foreign key violation that the checks did not foresee (a race is not
/// possible inside the write transaction; a row of a kind they do not look at): still a
/// 409 in words, nothing restored.
fn taken_anyway(e: sqlx::Error, table: &str) -> AppError {
    match &e {
        sqlx::Error::Database(db)
            if db.is_unique_violation() || db.is_foreign_key_violation() =>
        {
            conflict(format!(
                "The deleted contacts cannot be restored: some of their {} clash with what was created or deleted since ({}): nothing was restored",
                table.replace('_', " "),
                db.message()
            ))
        }
        _ => AppError::from(e),
    }
}

/// Refuses the restore with a 409 naming what was taken (or removed) since the delete.
async fn check_conflicts(tx: &mut Conn, undo_id: i64, engine: Engine) -> Result<(), AppError> {
    let email_is = engine.pick(
        "c.email = t.email COLLATE NOCASE",
        "fold(c.email) = fold(t.email)",
    );
    let text = engine.pick("CAST(c.id AS TEXT)", "c.id::text");
    let checks: Vec<(String, &str)> = vec![
        (
            format!(
                "SELECT 'email ' || t.email || ' (now contact ' || {text} || ')'
                 FROM trashed_contacts t JOIN contacts c ON c.account_id = t.account_id AND {email_is}
                 WHERE t.undo_id = ? AND t.email IS NOT NULL ORDER BY t.id"
            ),
            "email",
        ),
        (
            format!(
                "SELECT 'phone number ' || t.phone_number || ' (now contact ' || {text} || ')'
                 FROM trashed_contacts t JOIN contacts c
                   ON c.account_id = t.account_id AND c.phone_number = t.phone_number
                 WHERE t.undo_id = ? AND t.phone_number IS NOT NULL ORDER BY t.id"
            ),
            "phone",
        ),
        (
            format!(
                "SELECT 'identifier ' || t.identifier || ' (now contact ' || {text} || ')'
                 FROM trashed_contacts t JOIN contacts c
                   ON c.account_id = t.account_id AND c.identifier = t.identifier
                 WHERE t.undo_id = ? AND t.identifier IS NOT NULL ORDER BY t.id"
            ),
            "identifier",
        ),
        (
            format!(
                "SELECT 'contact id ' || {text} || ' (taken by a contact created since)'
                 FROM trashed_contacts t JOIN contacts c ON c.id = t.id
                 WHERE t.undo_id = ? ORDER BY t.id"
            ),
            "id",
        ),
        (
            format!(
                "SELECT 'conversation id ' || {text} || ' (taken by a conversation created since)'
                 FROM trashed_conversations t JOIN conversations c ON c.id = t.id
                 WHERE t.undo_id = ? ORDER BY t.id"
            ),
            "id",
        ),
        (
            format!(
                "SELECT 'note id ' || {text} || ' (taken by a note written since)'
                 FROM trashed_notes t JOIN notes c ON c.id = t.id
                 WHERE t.undo_id = ? ORDER BY t.id"
            ),
            "id",
        ),
        (
            format!(
                "SELECT 'message id ' || {text} || ' (taken by a message sent since)'
                 FROM trashed_messages t JOIN messages c ON c.id = t.id
                 WHERE t.undo_id = ? ORDER BY t.id"
            ),
            "id",
        ),
        (
            "SELECT 'channel identity ' || t.source_id || ' (now contact ' || CAST(c.contact_id AS TEXT) || ')'
             FROM trashed_contact_inboxes t JOIN contact_inboxes c
               ON c.id = t.id OR (c.inbox_id = t.inbox_id AND c.source_id = t.source_id)
             WHERE t.undo_id = ? ORDER BY t.id"
                .to_owned(),
            "identity",
        ),
        (
            "SELECT 'inbox ' || CAST(t.inbox_id AS TEXT) || ' (deleted since)'
             FROM trashed_contact_inboxes t
             WHERE t.undo_id = ? AND NOT EXISTS (SELECT 1 FROM inboxes i WHERE i.id = t.inbox_id)
             UNION
             SELECT 'inbox ' || CAST(t.inbox_id AS TEXT) || ' (deleted since)'
             FROM trashed_conversations t
             WHERE t.undo_id = ? AND NOT EXISTS (SELECT 1 FROM inboxes i WHERE i.id = t.inbox_id)"
                .to_owned(),
            "inbox",
        ),
    ];
    let mut found = Vec::new();
    for (sql, kind) in &checks {
        let sql = format!("{sql} LIMIT 5");
        let mut q = crate::db::query_scalar(&sql).bind(undo_id);
        if *kind == "inbox" {
            q = q.bind(undo_id);
        }
        let hits: Vec<String> = q.fetch_all(&mut *tx).await?;
        found.extend(hits);
        if found.len() >= 5 {
            break;
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    Err(conflict(format!(
        "The deleted contacts cannot be restored: what they held was taken since: {}; change or delete that first. Nothing was restored",
        found.join(", ")
    )))
}
