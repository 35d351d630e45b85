//! Notes of a contact: agents' private remarks on the card.
//!
//! Anyone in the account reads them (the list or one note), and, as in Chatwoot, any
//! agent of the account edits or deletes any of them. A note keeps its author and [ext]
//! who changed it last (`edited_by`). A note whose author was deleted belongs to no one
//! and stays as it is.

use axum::extract::State;
use axum::Json;
use novatalks_model::around::{content_problem, Note, NoteAuthor};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::http::extract::ApiJson;
use crate::http::extract::PathParams;
use crate::{AppError, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notes, create_note))
        .routes(routes!(show_note, update_note, delete_note))
}

/// The body of a create or update: `{"content"}`, or Chatwoot's `{"note":{"content"}}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct NoteParams {
    /// 1 to 10,000 characters; stored as sent (markup in it is text).
    #[serde(default)]
    content: Option<String>,
    /// Chatwoot's wrapping; `content` beside it wins.
    #[serde(default)]
    note: Option<NoteInner>,
}

/// `{"content"}` inside Chatwoot's `note`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct NoteInner {
    #[serde(default)]
    content: Option<String>,
}

impl NoteParams {
    /// The content, checked: 422 when blank or too long.
    fn content(self) -> Result<String, AppError> {
        let content = self
            .content
            .or(self.note.and_then(|n| n.content))
            .unwrap_or_default();
        match content_problem(&content) {
            Some(problem) => Err(AppError::invalid("content", problem)),
            None => Ok(content),
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct NoteRow {
    id: i64,
    content: String,
    contact_id: i64,
    user_id: Option<i64>,
    user_name: Option<String>,
    editor_id: Option<i64>,
    editor_name: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl From<NoteRow> for Note {
    fn from(row: NoteRow) -> Self {
        let agent = |id: Option<i64>, name: Option<String>| match (id, name) {
            (Some(id), Some(name)) => Some(NoteAuthor { id, name }),
            _ => None,
        };
        Note {
            id: row.id,
            content: row.content,
            contact_id: row.contact_id,
            user: agent(row.user_id, row.user_name),
            edited_by: agent(row.editor_id, row.editor_name),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

const NOTE_SELECT: &str = "SELECT n.id, n.content, n.contact_id, n.user_id, u.name AS user_name,
    n.editor_id, e.name AS editor_name, n.created_at, n.updated_at
    FROM notes n LEFT JOIN users u ON u.id = n.user_id LEFT JOIN users e ON e.id = n.editor_id";

/// 404 unless the contact exists in the account.
async fn require_contact(
    db: &mut crate::db::Conn,
    account_id: i64,
    contact_id: i64,
) -> Result<(), AppError> {
    crate::db::query_scalar::<i64>("SELECT id FROM contacts WHERE account_id = ? AND id = ?")
        .bind(account_id)
        .bind(contact_id)
        .fetch_optional(&mut *db)
        .await?
        .ok_or(AppError::NotFound)
        .map(|_| ())
}

/// One note of the contact in the account, or 404.
async fn fetch_note(
    db: &mut crate::db::Conn,
    account_id: i64,
    contact_id: i64,
    note_id: i64,
) -> Result<NoteRow, AppError> {
    crate::db::query_as(format!(
        "{NOTE_SELECT} WHERE n.account_id = ? AND n.contact_id = ? AND n.id = ?"
    ))
    .bind(account_id)
    .bind(contact_id)
    .bind(note_id)
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)
}

/// The note named by the path, 404 when it is not the contact's in this account.
async fn path_note(
    db: &mut crate::db::Conn,
    scope: &Scope,
    path: &PathParams,
) -> Result<NoteRow, AppError> {
    let contact_id = path.id("id")?;
    fetch_note(db, scope.account_id, contact_id, path.id("note_id")?).await
}

/// The contact's notes, newest first.
#[utoipa::path(get, path = "/contacts/{id}/notes", tag = "notes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = Vec<Note>), (status = 401), (status = 404)))]
async fn list_notes(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<Json<Vec<Note>>, AppError> {
    let contact_id = path.id("id")?;
    let mut conn = state.db.acquire().await?;
    require_contact(&mut conn, scope.account_id, contact_id).await?;
    let rows: Vec<NoteRow> = crate::db::query_as(format!(
        "{NOTE_SELECT} WHERE n.account_id = ? AND n.contact_id = ? ORDER BY n.created_at DESC, n.id DESC"
    ))
    .bind(scope.account_id)
    .bind(contact_id)
    .fetch_all(&mut conn)
    .await?;
    Ok(Json(rows.into_iter().map(Note::from).collect()))
}

/// Adds a note to the contact, written by the calling agent. The content is stored as
/// sent: markup in it is text.
#[utoipa::path(post, path = "/contacts/{id}/notes", tag = "notes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    request_body = NoteParams,
    responses((status = 200, body = Note), (status = 401), (status = 404),
        (status = 422, description = "Content blank or longer than 10,000 characters")))]
async fn create_note(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
    ApiJson(params): ApiJson<NoteParams>,
) -> Result<Json<Note>, AppError> {
    let contact_id = path.id("id")?;
    // The contact is checked inside the write transaction, so a delete or merge at the
    // same moment either comes first (404) or after the note (which goes with it).
    let mut tx = crate::db::write_tx(&state.db).await?;
    require_contact(&mut tx, scope.account_id, contact_id).await?;
    let content = params.content()?;
    let now = crate::db::now();
    let id: i64 = crate::db::query_scalar(
        "INSERT INTO notes (account_id, contact_id, user_id, content, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(scope.account_id)
    .bind(contact_id)
    .bind(scope.user_id)
    .bind(&content)
    .bind(now)
    .bind(now)
    .fetch_one(&mut tx)
    .await?;
    let note = fetch_note(&mut tx, scope.account_id, contact_id, id).await?;
    tx.commit().await?;
    Ok(Json(note.into()))
}

/// One note of the contact, whoever wrote it (Chatwoot's notes `show`).
#[utoipa::path(get, path = "/contacts/{id}/notes/{note_id}", tag = "notes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id"),
        ("note_id" = i64, Path, description = "Note id")),
    responses((status = 200, body = Note), (status = 401), (status = 404)))]
async fn show_note(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<Json<Note>, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(path_note(&mut conn, &scope, &path).await?.into()))
}

/// Changes the content of a note of the contact, whoever wrote it (as in Chatwoot); the
/// calling agent becomes its `edited_by` [ext].
#[utoipa::path(patch, path = "/contacts/{id}/notes/{note_id}", tag = "notes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id"),
        ("note_id" = i64, Path, description = "Note id")),
    request_body = NoteParams,
    responses((status = 200, body = Note), (status = 401), (status = 404), (status = 422)))]
async fn update_note(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
    ApiJson(params): ApiJson<NoteParams>,
) -> Result<Json<Note>, AppError> {
    let mut tx = crate::db::write_tx(&state.db).await?;
    let note = path_note(&mut tx, &scope, &path).await?;
    let content = params.content()?;
    crate::db::query(
        "UPDATE notes SET content = ?, editor_id = ?, updated_at = ? WHERE id = ? AND account_id = ?",
    )
    .bind(&content)
    .bind(scope.user_id)
    .bind(crate::db::now())
    .bind(note.id)
    .bind(scope.account_id)
    .execute(&mut tx)
    .await?;
    let note = fetch_note(&mut tx, scope.account_id, note.contact_id, note.id).await?;
    tx.commit().await?;
    Ok(Json(note.into()))
}

/// Deletes a note of the contact, whoever wrote it (as in Chatwoot): 200 with an empty
/// body.
#[utoipa::path(delete, path = "/contacts/{id}/notes/{note_id}", tag = "notes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id"),
        ("note_id" = i64, Path, description = "Note id")),
    responses((status = 200, description = "Deleted"), (status = 401), (status = 404)))]
async fn delete_note(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<(), AppError> {
    let mut tx = crate::db::write_tx(&state.db).await?;
    let note = path_note(&mut tx, &scope, &path).await?;
    crate::db::query("DELETE FROM notes WHERE id = ? AND account_id = ?")
        .bind(note.id)
        .bind(scope.account_id)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
