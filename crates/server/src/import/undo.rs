//! Undoing an import, for [`IMPORT_UNDO_SECONDS`] after it ran: the contacts it created
//! are deleted, those it updated get back their values from before it (name, email,
//! phone, identifier, attribute maps) and lose the labels it gave them. A contact changed
//! since the import (its `updated_at` later than the import's) is left as it is and named
//! in the answer. Labels and attribute definitions the import created stay (they may be
//! in use since). One write transaction: all of it, or (on a clash) nothing.

use axum::http::StatusCode;
use novatalks_model::import::{LeftContact, UndoReport, IMPORT_UNDO_SECONDS};

use crate::db::Conn;
use crate::AppError;

#[derive(sqlx::FromRow)]
struct Import {
    created_at: i64,
    expires_at: i64,
    undone_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Left {
    id: i64,
    name: Option<String>,
}

/// Drops the undo copies of imports past their time (their list rows stay).
pub async fn clean_up(tx: &mut Conn, now: i64) -> Result<(), AppError> {
    for table in [
        "contact_import_created",
        "contact_import_updated",
        "contact_import_labels",
    ] {
        crate::db::query(format!(
            "DELETE FROM {table} WHERE import_id IN (SELECT id FROM contact_imports WHERE expires_at <= ?)"
        ))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Undoes import `id` of the account.
pub async fn undo(
    tx: &mut Conn,
    account_id: i64,
    id: i64,
    now: i64,
) -> Result<UndoReport, AppError> {
    let import: Import = crate::db::query_as(
        "SELECT created_at, expires_at, undone_at FROM contact_imports WHERE id = ? AND account_id = ?",
    )
    .bind(id)
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if let Some(at) = import.undone_at {
        return Err(AppError::BadRequest(
            StatusCode::CONFLICT,
            format!(
                "This import was undone already ({} seconds ago): nothing was changed",
                (now - at).max(0)
            ),
        ));
    }
    if import.expires_at <= now {
        return Err(AppError::invalid(
            "id",
            format!(
                "The undo of this import ended {} seconds ago (it lasts {} hours): nothing was changed",
                now - import.expires_at,
                IMPORT_UNDO_SECONDS / 3600
            ),
        ));
    }
    let since = import.created_at;

    // Changed since: left as they are, and named.
    let mut left: Vec<LeftContact> = Vec::new();
    let mut left_count = 0u64;
    for (table, reason) in [
        (
            "contact_import_created",
            "created by the import and changed since: not deleted",
        ),
        (
            "contact_import_updated",
            "updated by the import and changed since: not restored",
        ),
    ] {
        let rows: Vec<Left> = crate::db::query_as(format!(
            "SELECT c.id, c.name FROM {table} x JOIN contacts c ON c.id = x.contact_id
             WHERE x.import_id = ? AND c.account_id = ? AND c.updated_at > ? ORDER BY c.id"
        ))
        .bind(id)
        .bind(account_id)
        .bind(since)
        .fetch_all(&mut *tx)
        .await?;
        left_count += rows.len() as u64;
        left.extend(rows.into_iter().map(|r| LeftContact {
            id: r.id,
            name: r.name,
            reason: reason.to_owned(),
        }));
    }
    left.truncate(100);

    // The labels it gave the contacts it updated (before their updated_at changes below).
    crate::db::query(
        "DELETE FROM contact_labels WHERE EXISTS (
           SELECT 1 FROM contact_import_labels x JOIN contacts c ON c.id = x.contact_id
           WHERE x.import_id = ? AND x.contact_id = contact_labels.contact_id
             AND x.title = contact_labels.title AND c.updated_at <= ?)",
    )
    .bind(id)
    .bind(since)
    .execute(&mut *tx)
    .await?;
    let restored = crate::db::query(
        "UPDATE contacts AS c SET name = b.name, email = b.email, phone_number = b.phone_number,
           identifier = b.identifier, additional_attributes = b.additional_attributes,
           custom_attributes = b.custom_attributes, updated_at = ?
         FROM contact_import_updated b
         WHERE b.import_id = ? AND b.contact_id = c.id AND c.account_id = ? AND c.updated_at <= ?",
    )
    .bind(now)
    .bind(id)
    .bind(account_id)
    .bind(since)
    .execute(&mut *tx)
    .await
    .map_err(clash)?
    .rows_affected();
    let deleted = crate::db::query(
        "DELETE FROM contacts WHERE account_id = ? AND updated_at <= ?
           AND id IN (SELECT contact_id FROM contact_import_created WHERE import_id = ?)",
    )
    .bind(account_id)
    .bind(since)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();

    crate::db::query("UPDATE contact_imports SET undone_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for table in [
        "contact_import_created",
        "contact_import_updated",
        "contact_import_labels",
    ] {
        crate::db::query(format!("DELETE FROM {table} WHERE import_id = ?"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(UndoReport {
        id,
        deleted,
        restored,
        left,
        left_count,
    })
}

/// A value to restore that another contact took since: a 409 in words, nothing undone.
fn clash(e: sqlx::Error) -> AppError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::BadRequest(
            StatusCode::CONFLICT,
            "The import cannot be undone: an email, phone number or identifier one of its updated contacts had before was given to another contact since; change that contact first. Nothing was changed".to_owned(),
        ),
        _ => AppError::from(e),
    }
}
