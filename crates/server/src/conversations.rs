//! Conversations of a contact, and new outbound conversations ("New dialog").
//!
//! An agent's message does not move the contact's `last_activity_at`: as in Chatwoot, only
//! what the contact sends is the contact's activity. The conversation's does move.
//! Agents may write to a blocked contact: a block only stops what the contact sends.

use axum::extract::State;
use axum::Json;
use novatalks_model::around::{
    content_problem, write_first_source, ConversationSummary, InboxSummary, LastMessage, OUTGOING,
};
use novatalks_model::Contact;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::contacts::fetch_contact;
use crate::http::extract::ApiJson;
use crate::http::extract::PathParams;
use crate::inboxes::fetch_inbox;
use crate::{AppError, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(contact_conversations))
        .routes(routes!(create_conversation))
}

#[derive(Debug, sqlx::FromRow)]
struct ConversationRow {
    id: i64,
    contact_id: i64,
    contact_inbox_id: Option<i64>,
    inbox_id: i64,
    inbox_name: String,
    channel_type: String,
    status: String,
    created_at: i64,
    last_activity_at: i64,
    last_id: Option<i64>,
    last_content: Option<String>,
    last_type: Option<i64>,
    last_created_at: Option<i64>,
}

/// A conversation as this server answers it: the contract's short conversation, and
/// beside it the keys of Chatwoot's conversation partial
/// (`conversations/partials/_conversation.json.jbuilder`) that the dashboard's
/// conversation card and the swagger read, built from what is stored. What this server
/// does not keep (assignees, labels of conversations, read receipts, attributes of
/// conversations) is answered as Chatwoot's empty value, never made up.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Conversation {
    #[serde(flatten)]
    pub summary: ConversationSummary,
    pub account_id: i64,
    pub meta: ConversationMeta,
    /// The latest message (as Chatwoot's partial: the last one only), `[]` when there is
    /// none.
    pub messages: Vec<ConversationMessage>,
    /// The latest message that is not an activity (the card's preview): here every
    /// stored message is the contact's or an agent's, so the latest one; null without one.
    #[schema(nullable)]
    pub last_non_activity_message: Option<ConversationMessage>,
    /// The last activity, epoch seconds (Chatwoot's `last_activity_at.to_i`).
    pub timestamp: i64,
    /// Always 0: this server keeps no record of what an agent has read.
    pub unread_count: i64,
    /// Always `[]`: this server keeps no labels on conversations (only on contacts).
    pub labels: Vec<String>,
    /// Always `{}`: no attributes are kept on conversations.
    #[schema(value_type = Object)]
    pub additional_attributes: serde_json::Map<String, serde_json::Value>,
    /// Always `{}`: no custom attributes are kept on conversations.
    #[schema(value_type = Object)]
    pub custom_attributes: serde_json::Map<String, serde_json::Value>,
    /// Always false: conversations cannot be muted here.
    pub muted: bool,
}

/// The partial's `meta`: who the conversation is with, through which channel, and who
/// handles it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConversationMeta {
    /// The contact, in the contact shape of the contacts API.
    pub sender: Contact,
    /// The inbox's channel type, as `inbox.channel_type`.
    pub channel: String,
    /// Never written: this server does not assign conversations, and Chatwoot's partial
    /// writes `assignee` only for a conversation that has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub assignee: Option<serde_json::Value>,
    /// Chatwoot's `contact_inbox&.hmac_verified`: false, as no identity here is verified
    /// by a website chat's HMAC; null when the conversation's identity is gone.
    pub hmac_verified: Option<bool>,
}

/// A message as the partial's `messages` shows it (Chatwoot's `push_event_data`), with
/// what is stored of it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConversationMessage {
    pub id: i64,
    pub content: String,
    pub account_id: i64,
    pub inbox_id: i64,
    pub conversation_id: i64,
    /// 0 incoming (the contact's), 1 outgoing (an agent's).
    pub message_type: i64,
    pub created_at: i64,
    /// Always false: private notes are the contact's notes, not messages.
    pub private: bool,
}

/// `GET /contacts/{id}/conversations` as answered: the contact's conversations.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConversationPayload {
    pub payload: Vec<Conversation>,
}

impl ConversationRow {
    /// The conversation with `contact` (its contact) as Chatwoot's partial adds it.
    fn into_conversation(self, account_id: i64, contact: &Contact) -> Conversation {
        let message = self
            .last_id
            .zip(self.last_content.clone())
            .and_then(|(id, content)| {
                Some(ConversationMessage {
                    id,
                    content,
                    account_id,
                    inbox_id: self.inbox_id,
                    conversation_id: self.id,
                    message_type: self.last_type?,
                    created_at: self.last_created_at?,
                    private: false,
                })
            });
        let channel = self.channel_type.clone();
        let timestamp = self.last_activity_at;
        let hmac_verified = self.contact_inbox_id.map(|_| false);
        Conversation {
            summary: self.into(),
            account_id,
            meta: ConversationMeta {
                sender: contact.clone(),
                channel,
                assignee: None,
                hmac_verified,
            },
            messages: message.iter().cloned().collect(),
            last_non_activity_message: message,
            timestamp,
            unread_count: 0,
            labels: Vec::new(),
            additional_attributes: serde_json::Map::new(),
            custom_attributes: serde_json::Map::new(),
            muted: false,
        }
    }
}

impl From<ConversationRow> for ConversationSummary {
    fn from(row: ConversationRow) -> Self {
        let last_message = match (row.last_content, row.last_type, row.last_created_at) {
            (Some(content), Some(message_type), Some(created_at)) => Some(LastMessage {
                content,
                message_type,
                created_at,
            }),
            _ => None,
        };
        ConversationSummary {
            id: row.id,
            inbox_id: row.inbox_id,
            inbox: InboxSummary {
                id: row.inbox_id,
                name: row.inbox_name,
                channel_type: row.channel_type,
            },
            status: row.status,
            created_at: row.created_at,
            last_activity_at: row.last_activity_at,
            last_message,
        }
    }
}

/// Conversations with their inbox and latest message (alias `cv`).
const CONVERSATION_SELECT: &str = "SELECT cv.id, cv.contact_id, cv.contact_inbox_id, cv.inbox_id, i.name AS inbox_name, i.channel_type, cv.status,
    cv.created_at, cv.last_activity_at,
    m.id AS last_id, m.content AS last_content, m.message_type AS last_type, m.created_at AS last_created_at
    FROM conversations cv
    JOIN inboxes i ON i.id = cv.inbox_id
    LEFT JOIN messages m ON m.id =
        (SELECT id FROM messages WHERE conversation_id = cv.id ORDER BY created_at DESC, id DESC LIMIT 1)";

/// One conversation of the account as the contact's conversation list shows it, or 404.
pub async fn fetch_conversation(
    db: &crate::db::Db,
    account_id: i64,
    id: i64,
) -> Result<Conversation, AppError> {
    let row: ConversationRow = crate::db::query_as(format!(
        "{CONVERSATION_SELECT} WHERE cv.account_id = ? AND cv.id = ?"
    ))
    .bind(account_id)
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let contact = fetch_contact(db, account_id, row.contact_id).await?;
    Ok(row.into_conversation(account_id, &contact))
}

/// The contact's identity `(inbox, source_id)`, found or created; returns its id.
///
/// Email and phone are unique per account, so an address is one contact's at a time. When
/// the identity still belongs to another contact (the address moved to this one since),
/// the old identity is renamed out of the way, keeping its conversations with their
/// contact, and this contact gets a fresh one.
pub async fn find_or_create_identity(
    conn: &mut crate::db::Conn,
    contact_id: i64,
    inbox_id: i64,
    source_id: &str,
    now: i64,
) -> Result<i64, AppError> {
    let existing: Option<(i64, i64)> = crate::db::query_as(
        "SELECT id, contact_id FROM contact_inboxes WHERE inbox_id = ? AND source_id = ?",
    )
    .bind(inbox_id)
    .bind(source_id)
    .fetch_optional(&mut *conn)
    .await?;
    match existing {
        Some((id, owner)) if owner == contact_id => return Ok(id),
        Some((id, _)) => {
            crate::db::query(
                "UPDATE contact_inboxes SET source_id = source_id || '#' || id WHERE id = ?",
            )
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
        None => {}
    }
    Ok(crate::db::query_scalar(
        "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(contact_id)
    .bind(inbox_id)
    .bind(source_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?)
}

/// The contact's conversations in every channel, latest activity first.
#[utoipa::path(get, path = "/contacts/{id}/conversations", tag = "conversations",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = ConversationPayload), (status = 401), (status = 404)))]
async fn contact_conversations(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<Json<ConversationPayload>, AppError> {
    let contact = fetch_contact(&state.db, scope.account_id, path.id("id")?).await?;
    let contact_id = contact.id;
    let rows: Vec<ConversationRow> = crate::db::query_as(format!(
        "{CONVERSATION_SELECT} WHERE cv.account_id = ? AND cv.contact_id = ?
         ORDER BY cv.last_activity_at DESC, cv.id DESC"
    ))
    .bind(scope.account_id)
    .bind(contact_id)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(ConversationPayload {
        payload: rows
            .into_iter()
            .map(|row| row.into_conversation(scope.account_id, &contact))
            .collect(),
    }))
}

/// `POST /conversations`, read leniently so a missing field is a 422 naming it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct NewConversationParams {
    #[serde(default)]
    #[schema(required = true)]
    contact_id: Option<i64>,
    /// An inbox with "Can write first to a new client" that can reach the contact.
    #[serde(default)]
    #[schema(required = true)]
    inbox_id: Option<i64>,
    #[serde(default)]
    message: Option<MessageParams>,
}

/// The first message of the dialog, the agent's.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct MessageParams {
    /// 1 to 10,000 characters.
    #[serde(default)]
    content: Option<String>,
}

/// Opens a dialog with a contact from an inbox that can write first to it: a new open
/// conversation whose first message is the agent's. Blocked contacts can be written to.
#[utoipa::path(post, path = "/conversations", tag = "conversations", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    request_body = NewConversationParams,
    responses((status = 200, body = Conversation), (status = 401),
        (status = 404, description = "No such contact or inbox in the account"),
        (status = 422, description = "The inbox cannot write first to this contact, or the content is blank or too long")))]
async fn create_conversation(
    State(state): State<AppState>,
    scope: Scope,
    ApiJson(params): ApiJson<NewConversationParams>,
) -> Result<Json<Conversation>, AppError> {
    let contact_id = params
        .contact_id
        .ok_or_else(|| AppError::invalid("contact_id", "Contact can't be blank"))?;
    let inbox_id = params
        .inbox_id
        .ok_or_else(|| AppError::invalid("inbox_id", "Inbox can't be blank"))?;
    let inbox = fetch_inbox(&state.db, scope.account_id, inbox_id).await?;
    // The contact is read inside the write transaction: a delete or merge at the same
    // moment comes either first (404) or after the conversation (which goes with it), and
    // the address written to is the one stored now.
    let mut tx = crate::db::write_tx(&state.db).await?;
    let (email, phone): (Option<String>, Option<String>) = crate::db::query_as(
        "SELECT email, phone_number FROM contacts WHERE account_id = ? AND id = ?",
    )
    .bind(scope.account_id)
    .bind(contact_id)
    .fetch_optional(&mut tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let source_id = write_first_source(
        &inbox.channel_type,
        inbox.can_write_first,
        email.as_deref(),
        phone.as_deref(),
    )
    .map_err(|why| AppError::Unprocessable(why.message(&inbox.name)))?;
    let content = params.message.and_then(|m| m.content).unwrap_or_default();
    if let Some(problem) = content_problem(&content) {
        return Err(AppError::invalid("content", problem));
    }

    let now = crate::db::now();
    let identity = find_or_create_identity(&mut tx, contact_id, inbox.id, &source_id, now).await?;
    let conversation_id: i64 = crate::db::query_scalar(
        "INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, status, created_at, last_activity_at)
         VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
    )
    .bind(scope.account_id)
    .bind(inbox.id)
    .bind(contact_id)
    .bind(identity)
    .bind(now)
    .bind(now)
    .fetch_one(&mut tx)
    .await?;
    crate::db::query(
        "INSERT INTO messages (account_id, conversation_id, content, message_type, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(scope.account_id)
    .bind(conversation_id)
    .bind(&content)
    .bind(OUTGOING)
    .bind(now)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(Json(
        fetch_conversation(&state.db, scope.account_id, conversation_id).await?,
    ))
}
