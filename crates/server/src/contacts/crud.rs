//! One contact: create, show, update (block/unblock), delete, destroy custom attributes,
//! remove the avatar.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use novatalks_model::Contact;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::row::fetch_contact;
use super::validate::Problems;
use super::write::{read_contact, write_contact, ContactBody, ContactChanges};
use crate::auth::Scope;
use crate::http::body::Field;
use crate::http::extract::{ApiJson, ContactPath};
use crate::merge::merged_into;
use crate::{AppError, AppState};

/// How many keys one destroy_custom_attributes request may name.
const MAX_KEYS_TO_DESTROY: usize = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(show, update, patch, destroy))
        .routes(routes!(destroy_custom_attributes))
        .routes(routes!(destroy_avatar))
}

/// `{"payload": contact}`
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ContactPayload {
    pub payload: Contact,
}

/// `{"contact": contact, "contact_inbox": {source_id, inbox} | null}`
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CreatedContact {
    pub contact: Contact,
    /// The identity in the inbox of `inbox_id`, when one was given.
    pub contact_inbox: Option<novatalks_model::ContactInbox>,
}

/// `{"payload": {"contact": …, "contact_inbox": null}}`
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CreatedPayload {
    pub payload: CreatedContact,
}

/// Creates a contact.
#[utoipa::path(post, path = "/contacts", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    request_body = ContactBody,
    responses(
        (status = 200, body = CreatedPayload),
        (status = 401),
        (status = 422, description = "`{\"message\",\"attributes\"}`, with [ext] `conflict_contact_id` when a unique value is taken"),
    ))]
async fn create(
    State(state): State<AppState>,
    scope: Scope,
    ApiJson(mut body): ApiJson<ContactBody>,
) -> Result<Json<CreatedPayload>, AppError> {
    let mut problems = Problems::default();
    let inbox_id = match std::mem::take(&mut body.inbox_id) {
        Field::Value(id) => Some(id),
        Field::Absent | Field::Null => None,
        Field::Wrong => {
            problems.add("inbox_id", "Inbox id must be a number".to_owned());
            None
        }
    };
    let source_id = match std::mem::take(&mut body.source_id) {
        Field::Value(s)
            if !s.trim().is_empty()
                && s.trim().chars().count() <= crate::inboxes::MAX_SOURCE_ID_CHARS =>
        {
            Some(s.trim().to_owned())
        }
        Field::Absent | Field::Null => None,
        Field::Value(s) if s.trim().is_empty() => None,
        _ => {
            problems.add(
                "source_id",
                format!(
                    "Source id must be text of at most {} characters",
                    crate::inboxes::MAX_SOURCE_ID_CHARS
                ),
            );
            None
        }
    };
    let mut changes = ContactChanges::from_body(body, &mut problems);
    if state.config.stock_chatwoot {
        changes.refuse_non_e164_phone(&mut problems);
    }
    let mut tx = crate::db::write_tx(&state.db).await?;
    // The inbox first: a wrong one creates nothing.
    let inbox = match inbox_id {
        Some(id) => Some(crate::inboxes::inbox_summary(&mut tx, scope.account_id, id).await?),
        None => None,
    };
    let id = write_contact(&mut tx, scope.account_id, None, changes, problems).await?;
    let mut contact = read_contact(&mut tx, scope.account_id, id).await?;
    let contact_inbox = match inbox {
        Some(inbox) => {
            let source_id = match source_id {
                Some(s) => s,
                None => crate::inboxes::default_source_id(
                    &inbox,
                    contact.email.as_deref(),
                    contact.phone_number.as_deref(),
                )?,
            };
            let identity = crate::inboxes::add_identity(&mut tx, id, inbox, source_id).await?;
            contact.contact_inboxes.push(identity.clone());
            Some(identity)
        }
        None => None,
    };
    tx.commit().await?;
    Ok(Json(CreatedPayload {
        payload: CreatedContact {
            contact,
            contact_inbox,
        },
    }))
}

/// One contact. [ext] A contact merged into another answers 404 with `merged_into`, the
/// id of the contact that absorbed it.
#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = ContactPayload), (status = 401),
        (status = 404, description = "`{\"error\"}`, [ext] with `merged_into`")))]
async fn show(
    State(state): State<AppState>,
    scope: Scope,
    ContactPath(id): ContactPath,
) -> Result<Response, AppError> {
    match fetch_contact(&state.db, scope.account_id, id).await {
        Ok(contact) => Ok(Json(ContactPayload { payload: contact }).into_response()),
        Err(AppError::NotFound) => match merged_into(&state.db, scope.account_id, id).await? {
            Some(base) => Ok((
                StatusCode::NOT_FOUND,
                Json(json!({ "error": "Resource could not be found", "merged_into": base })),
            )
                .into_response()),
            None => Err(AppError::NotFound),
        },
        Err(e) => Err(e),
    }
}

/// Updates a contact: only the fields sent change; attribute maps are merged key by key.
/// Blocks with `{"blocked": true, "blocked_until": <epoch>|null, "block_reason"}` and
/// unblocks with `{"blocked": false}`.
#[utoipa::path(put, path = "/contacts/{id}", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    request_body = ContactBody,
    responses((status = 200, body = ContactPayload), (status = 401), (status = 404), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    scope: Scope,
    ContactPath(id): ContactPath,
    ApiJson(body): ApiJson<ContactBody>,
) -> Result<Json<ContactPayload>, AppError> {
    let mut problems = Problems::default();
    let mut changes = ContactChanges::from_body(body, &mut problems);
    if state.config.stock_chatwoot {
        changes.refuse_non_e164_phone(&mut problems);
    }
    let mut tx = crate::db::write_tx(&state.db).await?;
    write_contact(&mut tx, scope.account_id, Some(id), changes, problems).await?;
    let contact = read_contact(&mut tx, scope.account_id, id).await?;
    tx.commit().await?;
    Ok(Json(ContactPayload { payload: contact }))
}

/// The same as `PUT`.
#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    request_body = ContactBody,
    responses((status = 200, body = ContactPayload), (status = 401), (status = 404), (status = 422)))]
async fn patch(
    state: State<AppState>,
    scope: Scope,
    path: ContactPath,
    body: ApiJson<ContactBody>,
) -> Result<Json<ContactPayload>, AppError> {
    update(state, scope, path, body).await
}

/// Deletes a contact with its conversations, messages, notes, labels and channel
/// identities. 200 with an empty body.
#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    responses((status = 200, description = "Deleted; empty body"), (status = 401), (status = 404)))]
async fn destroy(
    State(state): State<AppState>,
    scope: Scope,
    ContactPath(id): ContactPath,
) -> Result<StatusCode, AppError> {
    let mut tx = crate::db::write_tx(&state.db).await?;
    let deleted = crate::db::query("DELETE FROM contacts WHERE account_id = ? AND id = ?")
        .bind(scope.account_id)
        .bind(id)
        .execute(&mut tx)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    // Merge records ending in a deleted contact lead nowhere any more.
    crate::db::query("DELETE FROM contact_merges WHERE account_id = ? AND (base_contact_id = ? OR mergee_contact_id = ?)")
        .bind(scope.account_id)
        .bind(id)
        .bind(id)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::OK)
}

/// `{"custom_attributes": ["key", …]}`
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct KeysToDestroy {
    #[serde(default)]
    #[schema(required = true)]
    custom_attributes: Field<Vec<Field<String>>>,
}

/// Removes custom attributes from a contact by key (keys it does not have are ignored).
#[utoipa::path(post, path = "/contacts/{id}/destroy_custom_attributes", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    request_body = KeysToDestroy,
    responses((status = 200, body = ContactPayload), (status = 401), (status = 404), (status = 422)))]
async fn destroy_custom_attributes(
    State(state): State<AppState>,
    scope: Scope,
    ContactPath(id): ContactPath,
    ApiJson(body): ApiJson<KeysToDestroy>,
) -> Result<Json<ContactPayload>, AppError> {
    let keys: Vec<String> = match body.custom_attributes {
        Field::Value(items) if items.len() <= MAX_KEYS_TO_DESTROY => items
            .into_iter()
            .map(|item| match item {
                Field::Value(key) => Some(key),
                _ => None,
            })
            .collect::<Option<_>>()
            .ok_or_else(|| {
                AppError::invalid(
                    "custom_attributes",
                    "Custom attributes must be a list of attribute keys",
                )
            })?,
        Field::Value(_) => {
            return Err(AppError::invalid(
                "custom_attributes",
                format!("Custom attributes can name at most {MAX_KEYS_TO_DESTROY} keys at once"),
            ))
        }
        _ => {
            return Err(AppError::invalid(
                "custom_attributes",
                "Send the keys to remove as {\"custom_attributes\": [\"key\", …]}",
            ))
        }
    };
    let mut tx = crate::db::write_tx(&state.db).await?;
    let stored: crate::db::JsonText = crate::db::query_scalar(
        "SELECT custom_attributes FROM contacts WHERE account_id = ? AND id = ?",
    )
    .bind(scope.account_id)
    .bind(id)
    .fetch_optional(&mut tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut custom: serde_json::Map<String, Value> =
        serde_json::from_str(&stored).unwrap_or_default();
    for key in &keys {
        custom.remove(key);
    }
    crate::db::query(
        "UPDATE contacts SET custom_attributes = ?, updated_at = ? WHERE account_id = ? AND id = ?",
    )
    .bind(Value::Object(custom))
    .bind(crate::db::now())
    .bind(scope.account_id)
    .bind(id)
    .execute(&mut tx)
    .await?;
    let contact = read_contact(&mut tx, scope.account_id, id).await?;
    tx.commit().await?;
    Ok(Json(ContactPayload { payload: contact }))
}

/// Removes the contact's avatar (Chatwoot's `avatar` action): its `thumbnail` becomes
/// `""`, and the answer is the contact, as Chatwoot's. A contact without one is answered
/// as it is.
#[utoipa::path(delete, path = "/contacts/{id}/avatar", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = ContactPayload), (status = 401), (status = 404)))]
async fn destroy_avatar(
    State(state): State<AppState>,
    scope: Scope,
    ContactPath(id): ContactPath,
) -> Result<Json<ContactPayload>, AppError> {
    let mut tx = crate::db::write_tx(&state.db).await?;
    // Only a contact that had one changes (and moves its updated_at).
    crate::db::query(
        "UPDATE contacts SET thumbnail = '', updated_at = ? WHERE account_id = ? AND id = ? AND thumbnail <> ''",
    )
    .bind(crate::db::now())
    .bind(scope.account_id)
    .bind(id)
    .execute(&mut tx)
    .await?;
    let contact = read_contact(&mut tx, scope.account_id, id).await?;
    tx.commit().await?;
    Ok(Json(ContactPayload { payload: contact }))
}
