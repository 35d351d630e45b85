//! A contact's notes: newest first, written by agents, editable by their author only.

use novatalks_model::around::{Note, NoteInput};

use super::rejection::checked;
use super::{ApiClient, ApiError, Checked, Method};

/// `GET /contacts/{id}/notes`, newest first.
pub async fn list(client: &ApiClient, contact_id: i64) -> Result<Vec<Note>, ApiError> {
    let path = client.account_path(&format!("/contacts/{contact_id}/notes"))?;
    client.get(&path).await
}

/// `POST /contacts/{id}/notes`: the note as stored, with its author.
pub async fn create(
    client: &ApiClient,
    contact_id: i64,
    content: &str,
) -> Result<Checked<Note>, ApiError> {
    let path = client.account_path(&format!("/contacts/{contact_id}/notes"))?;
    let body = NoteInput {
        content: content.to_owned(),
    };
    checked(client.exchange(Method::Post, &path, Some(&body)).await?)
}

/// `PATCH /contacts/{id}/notes/{note_id}`; another agent's note is a 403.
pub async fn update(
    client: &ApiClient,
    contact_id: i64,
    note_id: i64,
    content: &str,
) -> Result<Checked<Note>, ApiError> {
    let path = client.account_path(&format!("/contacts/{contact_id}/notes/{note_id}"))?;
    let body = NoteInput {
        content: content.to_owned(),
    };
    checked(client.exchange(Method::Patch, &path, Some(&body)).await?)
}

/// `DELETE /contacts/{id}/notes/{note_id}`; another agent's note is a 403.
pub async fn delete(client: &ApiClient, contact_id: i64, note_id: i64) -> Result<(), ApiError> {
    let path = client.account_path(&format!("/contacts/{contact_id}/notes/{note_id}"))?;
    client.delete(&path).await
}
