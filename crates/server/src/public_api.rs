//! The public API of API inboxes (Chatwoot's client API): where contacts come from.
//!
//! A channel (a bot, a CRM, a phone system) addresses an inbox by its `inbox_identifier`,
//! creates or finds the customer's contact, opens conversations and posts what the
//! customer writes. No access token: the identifier is the key, as in Chatwoot. Only
//! `Channel::Api` inboxes have one; anything else is a 404.
//!
//! While a contact is blocked, what it sends does not reach NovaTalks: nothing is stored,
//! no conversation is opened or reopened, its `last_activity_at` does not move, and the
//! channel is answered 403 `{"error":"Contact is blocked"}`. The block is checked inside
//! the writing transaction, so a block set a moment earlier always wins.

use axum::extract::State;
use axum::Json;
use novatalks_model::around::{content_problem, INCOMING};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::contacts::{
    account_default_region, block_in_force, normalize_email, normalize_phone, ContactInput,
};
use crate::extract::ApiJson;
use crate::inboxes::PathParams;
use crate::{AppError, AppState};

const BLOCKED: &str = "Contact is blocked";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(public_create_contact))
        .routes(routes!(public_create_conversation))
        .routes(routes!(public_create_message))
}

/// Body of `POST .../contacts`: who the customer is, as far as the channel knows.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PublicContactInput {
    #[serde(default)]
    pub identifier: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
}

/// The contact as the channel sees it, with its identity in the inbox.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicContact {
    pub id: i64,
    /// The contact's identity in this inbox: the key of the calls that follow.
    pub source_id: String,
    pub pubsub_token: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
}

/// The contact inside a public conversation.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicConversationContact {
    pub id: i64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
}

/// A conversation as the channel sees it (Chatwoot's public conversation, minimal).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicConversation {
    pub id: i64,
    pub inbox_id: i64,
    /// Read receipts are not tracked: 0, as Chatwoot says for "never".
    pub contact_last_seen_at: i64,
    pub agent_last_seen_at: i64,
    pub status: String,
    pub messages: Vec<PublicMessage>,
    pub contact: PublicConversationContact,
}

/// A message as the channel sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicMessage {
    pub id: i64,
    pub content: String,
    /// 0: incoming, from the contact.
    pub message_type: i64,
    pub created_at: i64,
    pub conversation_id: i64,
}

/// Body of `POST .../messages`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PublicMessageInput {
    #[serde(default)]
    pub content: Option<String>,
}

/// An API inbox, found by its identifier.
struct ApiInbox {
    id: i64,
    account_id: i64,
}

async fn api_inbox(db: &SqlitePool, path: &PathParams) -> Result<ApiInbox, AppError> {
    let identifier = path.text("inbox_identifier")?;
    let row: (i64, i64) = sqlx::query_as(
        "SELECT id, account_id FROM inboxes WHERE inbox_identifier = ? AND channel_type = 'Channel::Api'",
    )
    .bind(identifier)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(ApiInbox {
        id: row.0,
        account_id: row.1,
    })
}

/// A contact's identity in an inbox: `(contact_inbox id, contact id)`.
async fn identity(
    conn: &mut SqliteConnection,
    inbox_id: i64,
    source_id: &str,
) -> Result<(i64, i64), AppError> {
    sqlx::query_as(
        "SELECT id, contact_id FROM contact_inboxes WHERE inbox_id = ? AND source_id = ?",
    )
    .bind(inbox_id)
    .bind(source_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// 403 when the contact's block is in force now.
async fn refuse_if_blocked(
    conn: &mut SqliteConnection,
    contact_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let (blocked, until): (bool, Option<i64>) =
        sqlx::query_as("SELECT blocked, blocked_until FROM contacts WHERE id = ?")
            .bind(contact_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    if block_in_force(blocked, until, now) {
        return Err(AppError::Forbidden(BLOCKED.to_owned()));
    }
    Ok(())
}

/// `n` random bytes as lower-case hex.
fn random_hex(n: usize) -> Result<String, AppError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A random (version 4) UUID, as Chatwoot's `SecureRandom.uuid`.
fn random_uuid() -> Result<String, AppError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(format!("no randomness: {e}")))?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// Creates or finds the customer's contact in the inbox's account and gives it a new
/// identity in the inbox. An existing contact is matched by identifier, then email
/// (case-insensitively), then phone number (in E.164), and is returned as stored: a
/// channel never overwrites what agents know. A new contact goes through the same
/// validation and normalisation as `POST /contacts` (a 422 when it fails). Creating or
/// finding a blocked contact is fine; what it sends is refused.
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts", tag = "public",
    params(("inbox_identifier" = String, Path, description = "The API inbox's identifier")),
    request_body = PublicContactInput,
    responses((status = 200, body = PublicContact), (status = 404, description = "No API inbox has this identifier"),
        (status = 422, description = "Invalid email or phone number")))]
async fn public_create_contact(
    State(state): State<AppState>,
    path: PathParams,
    ApiJson(input): ApiJson<PublicContactInput>,
) -> Result<Json<PublicContact>, AppError> {
    let inbox = api_inbox(&state.db, &path).await?;
    let now = crate::db::now();
    let source_id = random_uuid()?;
    let pubsub_token = random_hex(16)?;
    // IMMEDIATE: two channels announcing the same new customer at once make one contact.
    let mut tx = crate::db::write_tx(&state.db).await?;
    let contact_id = find_or_create_contact(&mut tx, inbox.account_id, input).await?;
    sqlx::query(
        "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, pubsub_token, created_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(contact_id)
    .bind(inbox.id)
    .bind(&source_id)
    .bind(&pubsub_token)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let (name, email, phone_number): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT name, email, phone_number FROM contacts WHERE id = ? AND account_id = ?",
        )
        .bind(contact_id)
        .bind(inbox.account_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(PublicContact {
        id: contact_id,
        source_id,
        pubsub_token,
        name,
        email,
        phone_number,
    }))
}

/// The contact of the account matching the input (by identifier, then email, then phone
/// number), or a new one made from it by [`crate::contacts::create_contact`]. Email and phone are
/// normalised for matching as a create would store them; one that cannot be normalised
/// matches nothing, and fails the create if no other field matched.
async fn find_or_create_contact(
    conn: &mut SqliteConnection,
    account_id: i64,
    input: PublicContactInput,
) -> Result<i64, AppError> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let identifier = text(&input.identifier);
    let email = text(&input.email).and_then(|e| normalize_email(&e).ok().flatten());
    let phone = match text(&input.phone_number) {
        Some(raw) => {
            let region = account_default_region(&mut *conn, account_id).await?;
            normalize_phone(&raw, &region).ok()
        }
        None => None,
    };
    let lookups: [(&str, &Option<String>); 3] = [
        (
            "SELECT id FROM contacts WHERE account_id = ? AND identifier = ?",
            &identifier,
        ),
        (
            "SELECT id FROM contacts WHERE account_id = ? AND email = ? COLLATE NOCASE",
            &email,
        ),
        (
            "SELECT id FROM contacts WHERE account_id = ? AND phone_number = ?",
            &phone,
        ),
    ];
    for (sql, value) in lookups {
        let Some(value) = value else { continue };
        let found: Option<i64> = sqlx::query_scalar(sql)
            .bind(account_id)
            .bind(value)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(id) = found {
            return Ok(id);
        }
    }
    let new = ContactInput {
        name: input.name,
        email: input.email,
        phone_number: input.phone_number,
        identifier: input.identifier,
        ..ContactInput::default()
    };
    crate::contacts::create_contact(conn, account_id, new).await
}

/// Opens a new conversation for the contact in the inbox, status open. 403 while the
/// contact is blocked, and nothing is created.
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}/conversations",
    tag = "public",
    params(("inbox_identifier" = String, Path, description = "The API inbox's identifier"),
        ("source_id" = String, Path, description = "The contact's identity in the inbox")),
    responses((status = 200, body = PublicConversation), (status = 403, description = "Contact is blocked"),
        (status = 404, description = "No such inbox or identity")))]
async fn public_create_conversation(
    State(state): State<AppState>,
    path: PathParams,
) -> Result<Json<PublicConversation>, AppError> {
    let inbox = api_inbox(&state.db, &path).await?;
    let now = crate::db::now();
    // IMMEDIATE: the block is read under the write lock, so it cannot change before we write.
    let mut tx = crate::db::write_tx(&state.db).await?;
    let (identity_id, contact_id) = identity(&mut tx, inbox.id, path.text("source_id")?).await?;
    refuse_if_blocked(&mut tx, contact_id, now).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, status, created_at, last_activity_at)
         VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
    )
    .bind(inbox.account_id)
    .bind(inbox.id)
    .bind(contact_id)
    .bind(identity_id)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let conversation = public_conversation(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(conversation))
}

async fn public_conversation(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<PublicConversation, AppError> {
    let (inbox_id, status, contact_id, name, email, phone_number): (
        i64,
        String,
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT cv.inbox_id, cv.status, c.id, c.name, c.email, c.phone_number
         FROM conversations cv JOIN contacts c ON c.id = cv.contact_id WHERE cv.id = ?",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let messages: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT id, content, message_type, created_at FROM messages WHERE conversation_id = ? ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(PublicConversation {
        id,
        inbox_id,
        contact_last_seen_at: 0,
        agent_last_seen_at: 0,
        status,
        messages: messages
            .into_iter()
            .map(|(mid, content, message_type, created_at)| PublicMessage {
                id: mid,
                content,
                message_type,
                created_at,
                conversation_id: id,
            })
            .collect(),
        contact: PublicConversationContact {
            id: contact_id,
            name,
            email,
            phone_number,
        },
    })
}

/// Posts what the customer wrote into one of its conversations in the inbox. It moves
/// the conversation's and the contact's `last_activity_at` and reopens a resolved (or
/// snoozed) conversation. 403 while the contact is blocked, and nothing changes.
#[utoipa::path(post,
    path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}/conversations/{conversation_id}/messages",
    tag = "public",
    params(("inbox_identifier" = String, Path, description = "The API inbox's identifier"),
        ("source_id" = String, Path, description = "The contact's identity in the inbox"),
        ("conversation_id" = i64, Path, description = "One of the contact's conversations in the inbox")),
    request_body = PublicMessageInput,
    responses((status = 200, body = PublicMessage), (status = 403, description = "Contact is blocked"),
        (status = 404, description = "No such inbox, identity or conversation"),
        (status = 422, description = "Content blank or longer than 10,000 characters")))]
async fn public_create_message(
    State(state): State<AppState>,
    path: PathParams,
    ApiJson(input): ApiJson<PublicMessageInput>,
) -> Result<Json<PublicMessage>, AppError> {
    let inbox = api_inbox(&state.db, &path).await?;
    let conversation_id = path.id("conversation_id")?;
    let now = crate::db::now();
    let mut tx = crate::db::write_tx(&state.db).await?;
    let (_, contact_id) = identity(&mut tx, inbox.id, path.text("source_id")?).await?;
    let known: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM conversations WHERE id = ? AND inbox_id = ? AND contact_id = ?",
    )
    .bind(conversation_id)
    .bind(inbox.id)
    .bind(contact_id)
    .fetch_optional(&mut *tx)
    .await?;
    known.ok_or(AppError::NotFound)?;
    refuse_if_blocked(&mut tx, contact_id, now).await?;
    let content = input.content.unwrap_or_default();
    if let Some(problem) = content_problem(&content) {
        return Err(AppError::invalid("content", problem));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (account_id, conversation_id, content, message_type, created_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(inbox.account_id)
    .bind(conversation_id)
    .bind(&content)
    .bind(INCOMING)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE conversations SET last_activity_at = ?,
           status = CASE WHEN status IN ('resolved', 'snoozed') THEN 'open' ELSE status END
         WHERE id = ?",
    )
    .bind(now)
    .bind(conversation_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE contacts SET last_activity_at = ? WHERE id = ? AND account_id = ?")
        .bind(now)
        .bind(contact_id)
        .bind(inbox.account_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(PublicMessage {
        id,
        content,
        message_type: INCOMING,
        created_at: now,
        conversation_id,
    }))
}
