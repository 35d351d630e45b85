//! The public API of API inboxes (Chatwoot's client API): where contacts come from.
//!
//! A channel (a bot, a CRM, a phone system) addresses an inbox by its `inbox_identifier`,
//! creates the customer's contact, opens conversations and posts what the customer
//! writes. No access token: the identifier, a random token, is the key, as in Chatwoot.
//! Only `Channel::Api` inboxes have one; anything else is a 404.
//!
//! Safe to expose:
//! - A caller learns nothing of any other contact and cannot write as one. A create whose
//!   identifier, email or phone number belongs to an existing contact makes a new contact
//!   that does not take it: the value is kept in its `additional_attributes`
//!   (`unverified_identifier`, `unverified_email`, `unverified_phone_number`) for agents,
//!   and the answer is the same as if nobody had it. Only a valid `identifier_hash` (hex
//!   HMAC-SHA256 of the identifier with the inbox's `hmac_token`, Chatwoot's identity
//!   validation) makes the contact with that identifier the visitor; a wrong one is a 401,
//!   and an inbox with `hmac_mandatory` refuses a create without one.
//! - Inputs obey the agents' API limits (the same code: [`ContactChanges::from_body`]).
//! - Calls are rate-limited per inbox and per contact identity (`--public-rate-inbox`,
//!   `--public-rate-contact`): 429 with `Retry-After`.
//!
//! While a contact is blocked, what it sends does not reach NovaTalks: nothing is stored,
//! no conversation is opened or reopened, its `last_activity_at` does not move, and the
//! channel is answered 403 `{"error":"Contact is blocked"}`. The block is checked inside
//! the writing transaction, so a block set a moment earlier always wins.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{Extension, State};
use axum::Json;
use hmac::{Hmac, Mac};
use novatalks_model::around::{content_problem, INCOMING};
use novatalks_model::contact::{UNVERIFIED_EMAIL, UNVERIFIED_IDENTIFIER, UNVERIFIED_PHONE_NUMBER};
use novatalks_model::rules::MAX_TEXT_CHARS;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::contacts::validate::{optional_text, Problems};
use crate::contacts::write::write_contact;
use crate::contacts::{
    account_default_region, block_in_force, normalize_email, normalize_phone, ContactBody,
    ContactChanges,
};
use crate::http::body::Field;
use crate::http::extract::PathParams;
use crate::http::extract::{ApiJson, OrEmpty};
use crate::rate_limit::{now_us, Purge, RateLimiter, Store, TableBuckets};
use crate::{AppError, AppState, ServerConfig};

const BLOCKED: &str = "Contact is blocked";
const BAD_HASH: &str =
    "The identifier_hash does not match the identifier: sign the identifier with the inbox's secret (hex HMAC-SHA256)";
const HASH_REQUIRED: &str =
    "This inbox accepts only verified contacts: send the identifier with its identifier_hash (hex HMAC-SHA256 with the inbox's secret)";
const NO_SECRET: &str = "This inbox has no secret to verify an identifier_hash with";

/// How many inboxes and contact identities the rate limits remember (see
/// [`RateLimiter`]: refilled buckets are forgotten first).
const MAX_LIMITED_INBOXES: usize = 10_000;
const MAX_LIMITED_IDENTITIES: usize = 200_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(public_create_contact))
        .routes(routes!(
            public_show_contact,
            public_update_contact,
            public_replace_contact
        ))
        .routes(routes!(public_create_conversation))
        .routes(routes!(public_create_message))
        // One set of limits per router (per server, per test app).
        .layer(Extension(Arc::new(PublicLimits::default())))
}

/// The public API's rate limits, made from the server's config on first use. Their state
/// lives where `rate_limit::Store` says: in memory on SQLite, in the database shared by
/// every server on PostgreSQL (rows `inbox:<id>` and `identity:<inbox id>:<source_id>`).
#[derive(Debug, Default)]
pub struct PublicLimits {
    memory: OnceLock<Limiters>,
    purge: Purge,
}

#[derive(Debug)]
struct Limiters {
    inbox: RateLimiter<i64>,
    /// (inbox id, source_id)
    contact: RateLimiter<(i64, String)>,
}

/// The kinds of `limit_state` rows of the public API, and how many of each are kept.
const INBOX_KIND: &str = "inbox";
const IDENTITY_KIND: &str = "identity";
const TABLE_CAPS: [(&str, usize); 2] = [
    (INBOX_KIND, MAX_LIMITED_INBOXES),
    (IDENTITY_KIND, MAX_LIMITED_IDENTITIES),
];

impl PublicLimits {
    fn get(&self, config: &ServerConfig) -> &Limiters {
        self.memory.get_or_init(|| Limiters {
            inbox: RateLimiter::new(config.public_rate_inbox, MAX_LIMITED_INBOXES),
            contact: RateLimiter::new(config.public_rate_contact, MAX_LIMITED_IDENTITIES),
        })
    }

    /// Takes one call of the inbox's allowance, or 429.
    async fn inbox(&self, state: &AppState, inbox_id: i64) -> Result<(), AppError> {
        let checked = match Store::for_engine(state.db.engine()) {
            Store::Memory => self
                .get(&state.config)
                .inbox
                .check(&inbox_id, Instant::now()),
            Store::Table => {
                let now = now_us();
                self.purge.now_and_then(&state.db, &TABLE_CAPS, now);
                TableBuckets::new(INBOX_KIND, state.config.public_rate_inbox)
                    .check(&state.db, &inbox_id.to_string(), now)
                    .await?
            }
        };
        checked.map_err(|wait| AppError::too_many("Too many requests for this inbox", wait))
    }

    /// Takes one call of the contact identity's allowance, then of its inbox's, or 429.
    /// The contact's first: one customer flooding does not use up the inbox's allowance.
    async fn contact(
        &self,
        state: &AppState,
        inbox_id: i64,
        source_id: &str,
    ) -> Result<(), AppError> {
        let checked = match Store::for_engine(state.db.engine()) {
            Store::Memory => self
                .get(&state.config)
                .contact
                .check(&(inbox_id, source_id.to_owned()), Instant::now()),
            Store::Table => {
                TableBuckets::new(IDENTITY_KIND, state.config.public_rate_contact)
                    .check(&state.db, &format!("{inbox_id}:{source_id}"), now_us())
                    .await?
            }
        };
        checked.map_err(|wait| AppError::too_many("Too many requests for this contact", wait))?;
        self.inbox(state, inbox_id).await
    }
}

/// Body of `POST .../contacts`: who the customer is, as far as the channel knows. Limits
/// as in the agents' API (name and identifier 255 characters, a valid email and phone);
/// other keys are ignored, as Chatwoot's permitted params.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PublicContactInput {
    #[serde(default)]
    pub identifier: Field<String>,
    /// Hex HMAC-SHA256 of `identifier` (trimmed) with the inbox's `hmac_token`: proves the
    /// visitor is the contact with that identifier.
    #[serde(default)]
    pub identifier_hash: Field<String>,
    #[serde(default)]
    pub name: Field<String>,
    #[serde(default)]
    pub email: Field<String>,
    #[serde(default)]
    pub phone_number: Field<String>,
}

/// The contact as the channel sees it, with its identity in the inbox: only what the
/// caller sent or the contact's own fields.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicContact {
    pub id: i64,
    /// The contact's identity in this inbox: the key of the calls that follow.
    pub source_id: String,
    /// Null only for an identity made by agents (a conversation they started), which has
    /// no token.
    pub pubsub_token: Option<String>,
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
#[derive(sqlx::FromRow)]
struct ApiInbox {
    id: i64,
    account_id: i64,
    hmac_token: Option<String>,
    hmac_mandatory: bool,
}

async fn api_inbox(db: &crate::db::Db, path: &PathParams) -> Result<ApiInbox, AppError> {
    let identifier = path.text("inbox_identifier")?;
    crate::db::query_as(
        "SELECT id, account_id, hmac_token, hmac_mandatory FROM inboxes
         WHERE inbox_identifier = ? AND channel_type = 'Channel::Api'",
    )
    .bind(identifier)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)
}

/// Whether `hash` (hex) is the HMAC-SHA256 of `identifier` with `secret`, compared in
/// constant time.
pub fn identifier_hash_valid(secret: &str, identifier: &str, hash: &str) -> bool {
    let Some(sent) = decode_hex(hash.trim()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(identifier.as_bytes());
    mac.verify_slice(&sent).is_ok()
}

/// Hex (either case) as bytes; `None` when it is not hex.
fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || !hex.is_ascii() {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

/// A contact's identity in an inbox: `(contact_inbox id, contact id)`.
async fn identity(
    conn: &mut crate::db::Conn,
    inbox_id: i64,
    source_id: &str,
) -> Result<(i64, i64), AppError> {
    crate::db::query_as(
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
    conn: &mut crate::db::Conn,
    contact_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let (blocked, until): (bool, Option<i64>) =
        crate::db::query_as("SELECT blocked, blocked_until FROM contacts WHERE id = ?")
            .bind(contact_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    if block_in_force(blocked, until, now) {
        return Err(AppError::Forbidden(BLOCKED.to_owned()));
    }
    Ok(())
}

/// Makes the customer's contact in the inbox's account and gives it a new identity in
/// the inbox. The new contact goes through the same validation and normalisation as
/// `POST /contacts` (a 422 when it fails). An identifier, email or phone number that
/// another contact has is not taken: it is kept in the new contact's
/// `additional_attributes` (`unverified_*`), and the answer is the same as if nobody had
/// it. With a valid `identifier_hash` the contact with that identifier is the visitor
/// and is returned as stored (a channel never overwrites what agents know); a wrong hash
/// is a 401, and so is a create without one when the inbox requires it. The body may be
/// JSON, a form, or empty (with any content type or none): a contact with no fields.
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts", tag = "public",
    params(("inbox_identifier" = String, Path, description = "The API inbox's identifier")),
    request_body = PublicContactInput,
    responses((status = 200, body = PublicContact), (status = 401, description = "Wrong identifier_hash, or none where the inbox requires it"),
        (status = 404, description = "No API inbox has this identifier"),
        (status = 422, description = "Invalid or too long name, email, phone number or identifier"),
        (status = 429, description = "Too many calls for this inbox; see Retry-After")))]
async fn public_create_contact(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<PublicLimits>>,
    path: PathParams,
    OrEmpty(body): OrEmpty<PublicContactInput>,
) -> Result<Json<PublicContact>, AppError> {
    let inbox = api_inbox(&state.db, &path).await?;
    limits.inbox(&state, inbox.id).await?;
    let mut problems = Problems::default();
    let contact = ContactBody {
        name: body.name,
        email: body.email,
        phone_number: body.phone_number,
        identifier: body.identifier,
        ..ContactBody::default()
    };
    let mut changes = ContactChanges::from_body(contact, &mut problems);
    if state.config.stock_chatwoot {
        changes.refuse_non_e164_phone(&mut problems);
    }
    let hash = optional_text(
        body.identifier_hash,
        "identifier_hash",
        "Identifier hash",
        MAX_TEXT_CHARS,
        &mut problems,
    )
    .flatten();
    problems.into_result()?;
    let identifier = changes.identifier.clone().flatten();
    let verified = match (hash, &identifier) {
        (Some(_), None) => {
            return Err(AppError::invalid(
                "identifier_hash",
                "An identifier hash needs the identifier it signs: send the identifier too",
            ))
        }
        (Some(hash), Some(identifier)) => {
            let secret = inbox
                .hmac_token
                .as_deref()
                .ok_or(AppError::Unauthorized(NO_SECRET))?;
            if !identifier_hash_valid(secret, identifier, &hash) {
                return Err(AppError::Unauthorized(BAD_HASH));
            }
            Some(identifier.clone())
        }
        (None, _) if inbox.hmac_mandatory => return Err(AppError::Unauthorized(HASH_REQUIRED)),
        (None, _) => None,
    };

    let now = crate::db::now();
    let source_id = crate::random::uuid_v4()?;
    let pubsub_token = crate::random::hex_token::<16>()?;
    // IMMEDIATE: what is checked as taken cannot be taken before the write.
    let mut tx = crate::db::write_tx(&state.db).await?;
    let verified_contact = match &verified {
        Some(identifier) => {
            holder(
                &mut tx,
                inbox.account_id,
                "identifier = ?",
                identifier.as_str(),
            )
            .await?
        }
        None => None,
    };
    let contact_id = match verified_contact {
        Some(id) => id,
        None => create_unclaimed(&mut tx, inbox.account_id, changes, verified.is_some()).await?,
    };
    crate::db::query(
        "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, pubsub_token, created_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(contact_id)
    .bind(inbox.id)
    .bind(&source_id)
    .bind(&pubsub_token)
    .bind(now)
    .execute(&mut tx)
    .await?;
    let shown = shown_contact(&mut tx, contact_id).await?;
    tx.commit().await?;
    Ok(Json(PublicContact {
        id: contact_id,
        source_id,
        pubsub_token: Some(pubsub_token),
        name: shown.name,
        email: shown.email,
        phone_number: shown.phone_number,
    }))
}

/// The contact of the account whose column (`condition`, e.g. `"email = ?"`) is `value`.
async fn holder(
    conn: &mut crate::db::Conn,
    account_id: i64,
    condition: &'static str,
    value: &str,
) -> Result<Option<i64>, AppError> {
    let sql = format!("SELECT id FROM contacts WHERE account_id = ? AND {condition} LIMIT 1");
    Ok(crate::db::query_scalar(sql.clone())
        .bind(account_id)
        .bind(value)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Creates the visitor's contact with [`write_contact`], without any identifier, email or
/// phone number another contact of the account has (unless `identifier_verified`, the
/// identifier is then the visitor's and nobody has it): each such value goes to
/// `additional_attributes` under its `unverified_*` key. Email and phone are compared as
/// a create would store them; one that cannot be normalised is left to the create's
/// 422.
async fn create_unclaimed(
    conn: &mut crate::db::Conn,
    account_id: i64,
    mut changes: ContactChanges,
    identifier_verified: bool,
) -> Result<i64, AppError> {
    let mut unverified = Map::new();
    if let Some(Some(identifier)) = changes.identifier.clone() {
        if !identifier_verified
            && holder(conn, account_id, "identifier = ?", &identifier)
                .await?
                .is_some()
        {
            unverified.insert(UNVERIFIED_IDENTIFIER.to_owned(), Value::String(identifier));
            changes.identifier = None;
        }
    }
    if let Some(Some(raw)) = changes.email.clone() {
        if let Ok(Some(email)) = normalize_email(&raw) {
            if holder(conn, account_id, conn.engine().email_is(), &email)
                .await?
                .is_some()
            {
                unverified.insert(UNVERIFIED_EMAIL.to_owned(), Value::String(email));
                changes.email = None;
            }
        }
    }
    if let Some(Some(raw)) = changes.phone_number.clone() {
        let region = account_default_region(&mut *conn, account_id).await?;
        if let Ok(phone) = normalize_phone(&raw, &region) {
            if holder(conn, account_id, "phone_number = ?", &phone)
                .await?
                .is_some()
            {
                unverified.insert(UNVERIFIED_PHONE_NUMBER.to_owned(), Value::String(phone));
                changes.phone_number = None;
            }
        }
    }
    if !unverified.is_empty() {
        changes.additional_attributes = Some(unverified);
    }
    match write_contact(conn, account_id, None, changes, Problems::default()).await {
        // Cannot happen under the write lock; if it did, it must not name the holder.
        Err(AppError::Taken { .. }) => Err(AppError::Unprocessable(
            "This contact could not be created now; please try again".to_owned(),
        )),
        other => other,
    }
}

/// A contact as the public API shows it to its own visitor: what the visitor gave that
/// is kept unverified, else its fields (so no answer tells whether somebody else has
/// that email or phone number).
struct Shown {
    name: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
}

async fn shown_contact(conn: &mut crate::db::Conn, contact_id: i64) -> Result<Shown, AppError> {
    let (name, email, phone_number, additional): (
        Option<String>,
        Option<String>,
        Option<String>,
        crate::db::JsonText,
    ) = crate::db::query_as(
        "SELECT name, email, phone_number, additional_attributes FROM contacts WHERE id = ?",
    )
    .bind(contact_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let additional: Map<String, Value> = serde_json::from_str(&additional).unwrap_or_default();
    let kept = |key: &str| {
        additional
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    // What the visitor gave last and is kept unverified comes first: an update to a value
    // another contact has must read back as if it were taken, like a free one.
    Ok(Shown {
        name,
        email: kept(UNVERIFIED_EMAIL).or(email),
        phone_number: kept(UNVERIFIED_PHONE_NUMBER).or(phone_number),
    })
}

/// The visitor's contact behind an identity, as the public API shows it.
async fn public_contact(
    conn: &mut crate::db::Conn,
    inbox_id: i64,
    source_id: &str,
) -> Result<PublicContact, AppError> {
    let (contact_id, pubsub_token): (i64, Option<String>) = crate::db::query_as(
        "SELECT contact_id, pubsub_token FROM contact_inboxes WHERE inbox_id = ? AND source_id = ?",
    )
    .bind(inbox_id)
    .bind(source_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let shown = shown_contact(&mut *conn, contact_id).await?;
    Ok(PublicContact {
        id: contact_id,
        source_id: source_id.to_owned(),
        pubsub_token,
        name: shown.name,
        email: shown.email,
        phone_number: shown.phone_number,
    })
}

/// The contact behind the identity (Chatwoot's public contacts `show`): only to whoever
/// holds its `source_id`, and only what the visitor may see of it (the fields of a
/// create's answer).
#[utoipa::path(get, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}", tag = "public",
    params(("inbox_identifier" = String, Path, description = "The API inbox's identifier"),
        ("source_id" = String, Path, description = "The contact's identity in the inbox")),
    responses((status = 200, body = PublicContact),
        (status = 404, description = "No such inbox or identity"),
        (status = 429, description = "Too many calls for this contact or inbox; see Retry-After")))]
async fn public_show_contact(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<PublicLimits>>,
    path: PathParams,
) -> Result<Json<PublicContact>, AppError> {
    let inbox = api_inbox(&state.db, &path).await?;
    let source_id = path.text("source_id")?;
    limits.contact(&state, inbox.id, source_id).await?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(public_contact(&mut conn, inbox.id, source_id).await?))
}

/// Body of a public contact update: what the visitor says of itself. A field left out,
/// null or blank stays as it is (a channel does not erase what agents know).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PublicContactChanges {
    #[serde(default)]
    pub name: Field<String>,
    /// Taken when no other contact of the account has it; else kept unverified.
    #[serde(default)]
    pub email: Field<String>,
    /// Taken when no other contact of the account has it; else kept unverified.
    #[serde(default)]
    pub phone_number: Field<String>,
}

/// Updates the visitor's own contact (Chatwoot's public contacts `update`): its name,
/// email and phone number, checked as in the agents' API. An email or phone number
/// another contact of the account has is not taken: it is kept in this contact's
/// `additional_attributes` (`unverified_*`) and answered as sent, so the answer is the
/// same as for a free one. Chatwoot would merge the two contacts; here only agents
/// merge. 403 while the contact is blocked, and nothing changes.
#[utoipa::path(patch, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}", tag = "public",
    params(("inbox_identifier" = String, Path, description = "The API inbox's identifier"),
        ("source_id" = String, Path, description = "The contact's identity in the inbox")),
    request_body = PublicContactChanges,
    responses((status = 200, body = PublicContact), (status = 403, description = "Contact is blocked"),
        (status = 404, description = "No such inbox or identity"),
        (status = 422, description = "Invalid or too long name, email or phone number"),
        (status = 429, description = "Too many calls for this contact or inbox; see Retry-After")))]
async fn public_update_contact(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<PublicLimits>>,
    path: PathParams,
    ApiJson(body): ApiJson<PublicContactChanges>,
) -> Result<Json<PublicContact>, AppError> {
    let inbox = api_inbox(&state.db, &path).await?;
    let source_id = path.text("source_id")?;
    limits.contact(&state, inbox.id, source_id).await?;
    let mut problems = Problems::default();
    let mut changes = ContactChanges::from_body(
        ContactBody {
            name: body.name,
            email: body.email,
            phone_number: body.phone_number,
            ..ContactBody::default()
        },
        &mut problems,
    );
    if state.config.stock_chatwoot {
        changes.refuse_non_e164_phone(&mut problems);
    }
    problems.into_result()?;
    // Null or blank: left as it is.
    for field in [
        &mut changes.name,
        &mut changes.email,
        &mut changes.phone_number,
    ] {
        if matches!(field, Some(None)) {
            *field = None;
        }
    }
    let now = crate::db::now();
    let mut tx = crate::db::write_tx(&state.db).await?;
    let (_, contact_id) = identity(&mut tx, inbox.id, source_id).await?;
    refuse_if_blocked(&mut tx, contact_id, now).await?;
    let stored: crate::db::JsonText =
        crate::db::query_scalar("SELECT additional_attributes FROM contacts WHERE id = ?")
            .bind(contact_id)
            .fetch_optional(&mut tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let stored: Map<String, Value> = serde_json::from_str(&stored).unwrap_or_default();
    // What the visitor says now replaces what it said before: a value kept unverified
    // goes once a free one is taken.
    let mut said = Map::new();
    let forget = |key: &str, said: &mut Map<String, Value>| {
        if stored.get(key).is_some_and(|v| !v.is_null()) {
            said.insert(key.to_owned(), Value::Null);
        }
    };
    if let Some(Some(raw)) = changes.email.clone() {
        if let Ok(Some(email)) = normalize_email(&raw) {
            let email_is = tx.engine().email_is();
            let holder = holder(&mut tx, inbox.account_id, email_is, &email).await?;
            if holder.is_some_and(|id| id != contact_id) {
                said.insert(UNVERIFIED_EMAIL.to_owned(), Value::String(email));
                changes.email = None;
            } else {
                forget(UNVERIFIED_EMAIL, &mut said);
            }
        }
    }
    if let Some(Some(raw)) = changes.phone_number.clone() {
        let region = account_default_region(&mut tx, inbox.account_id).await?;
        if let Ok(phone) = normalize_phone(&raw, &region) {
            let holder = holder(&mut tx, inbox.account_id, "phone_number = ?", &phone).await?;
            if holder.is_some_and(|id| id != contact_id) {
                said.insert(UNVERIFIED_PHONE_NUMBER.to_owned(), Value::String(phone));
                changes.phone_number = None;
            } else {
                forget(UNVERIFIED_PHONE_NUMBER, &mut said);
            }
        }
    }
    if !said.is_empty() {
        changes.additional_attributes = Some(said);
    }
    match write_contact(
        &mut tx,
        inbox.account_id,
        Some(contact_id),
        changes,
        Problems::default(),
    )
    .await
    {
        // Cannot happen under the write lock; if it did, it must not name the holder.
        Err(AppError::Taken { .. }) => {
            return Err(AppError::Unprocessable(
                "This contact could not be updated now; please try again".to_owned(),
            ))
        }
        other => other?,
    };
    let answer = public_contact(&mut tx, inbox.id, source_id).await?;
    tx.commit().await?;
    Ok(Json(answer))
}

/// `PUT` does what `PATCH` does, as Rails routes both to `update`.
#[utoipa::path(put, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}", tag = "public",
    params(("inbox_identifier" = String, Path, description = "The API inbox's identifier"),
        ("source_id" = String, Path, description = "The contact's identity in the inbox")),
    request_body = PublicContactChanges,
    responses((status = 200, body = PublicContact), (status = 403, description = "Contact is blocked"),
        (status = 404, description = "No such inbox or identity"),
        (status = 422, description = "Invalid or too long name, email or phone number"),
        (status = 429, description = "Too many calls for this contact or inbox; see Retry-After")))]
async fn public_replace_contact(
    state: State<AppState>,
    limits: Extension<Arc<PublicLimits>>,
    path: PathParams,
    body: ApiJson<PublicContactChanges>,
) -> Result<Json<PublicContact>, AppError> {
    public_update_contact(state, limits, path, body).await
}

/// Opens a new conversation for the contact in the inbox, status open. 403 while the
/// contact is blocked, and nothing is created.
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}/conversations",
    tag = "public",
    params(("inbox_identifier" = String, Path, description = "The API inbox's identifier"),
        ("source_id" = String, Path, description = "The contact's identity in the inbox")),
    responses((status = 200, body = PublicConversation), (status = 403, description = "Contact is blocked"),
        (status = 404, description = "No such inbox or identity"),
        (status = 429, description = "Too many calls for this contact or inbox; see Retry-After")))]
async fn public_create_conversation(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<PublicLimits>>,
    path: PathParams,
) -> Result<Json<PublicConversation>, AppError> {
    let inbox = api_inbox(&state.db, &path).await?;
    let source_id = path.text("source_id")?;
    limits.contact(&state, inbox.id, source_id).await?;
    let now = crate::db::now();
    // IMMEDIATE: the block is read under the write lock, so it cannot change before we write.
    let mut tx = crate::db::write_tx(&state.db).await?;
    let (identity_id, contact_id) = identity(&mut tx, inbox.id, source_id).await?;
    refuse_if_blocked(&mut tx, contact_id, now).await?;
    let id: i64 = crate::db::query_scalar(
        "INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, status, created_at, last_activity_at)
         VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
    )
    .bind(inbox.account_id)
    .bind(inbox.id)
    .bind(contact_id)
    .bind(identity_id)
    .bind(now)
    .bind(now)
    .fetch_one(&mut tx)
    .await?;
    let conversation = public_conversation(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(conversation))
}

async fn public_conversation(
    conn: &mut crate::db::Conn,
    id: i64,
) -> Result<PublicConversation, AppError> {
    let (inbox_id, status, contact_id): (i64, String, i64) =
        crate::db::query_as("SELECT inbox_id, status, contact_id FROM conversations WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    let shown = shown_contact(&mut *conn, contact_id).await?;
    let messages: Vec<(i64, String, i64, i64)> = crate::db::query_as(
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
            name: shown.name,
            email: shown.email,
            phone_number: shown.phone_number,
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
        (status = 422, description = "Content blank or longer than 10,000 characters"),
        (status = 429, description = "Too many calls for this contact or inbox; see Retry-After")))]
async fn public_create_message(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<PublicLimits>>,
    path: PathParams,
    ApiJson(input): ApiJson<PublicMessageInput>,
) -> Result<Json<PublicMessage>, AppError> {
    let inbox = api_inbox(&state.db, &path).await?;
    let source_id = path.text("source_id")?;
    limits.contact(&state, inbox.id, source_id).await?;
    let conversation_id = path.id("conversation_id")?;
    let now = crate::db::now();
    let mut tx = crate::db::write_tx(&state.db).await?;
    let (_, contact_id) = identity(&mut tx, inbox.id, source_id).await?;
    let known: Option<i64> = crate::db::query_scalar(
        "SELECT id FROM conversations WHERE id = ? AND inbox_id = ? AND contact_id = ?",
    )
    .bind(conversation_id)
    .bind(inbox.id)
    .bind(contact_id)
    .fetch_optional(&mut tx)
    .await?;
    known.ok_or(AppError::NotFound)?;
    refuse_if_blocked(&mut tx, contact_id, now).await?;
    let content = input.content.unwrap_or_default();
    if let Some(problem) = content_problem(&content) {
        return Err(AppError::invalid("content", problem));
    }
    let id: i64 = crate::db::query_scalar(
        "INSERT INTO messages (account_id, conversation_id, content, message_type, created_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(inbox.account_id)
    .bind(conversation_id)
    .bind(&content)
    .bind(INCOMING)
    .bind(now)
    .fetch_one(&mut tx)
    .await?;
    crate::db::query(
        "UPDATE conversations SET last_activity_at = ?,
           status = CASE WHEN status IN ('resolved', 'snoozed') THEN 'open' ELSE status END
         WHERE id = ?",
    )
    .bind(now)
    .bind(conversation_id)
    .execute(&mut tx)
    .await?;
    crate::db::query("UPDATE contacts SET last_activity_at = ? WHERE id = ? AND account_id = ?")
        .bind(now)
        .bind(contact_id)
        .bind(inbox.account_id)
        .execute(&mut tx)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identifier_hash_is_the_hex_hmac_sha256_of_the_identifier() {
        // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox …").
        let hash = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
        let message = "The quick brown fox jumps over the lazy dog";
        assert!(identifier_hash_valid("key", message, hash));
        assert!(identifier_hash_valid("key", message, &hash.to_uppercase()));
        assert!(!identifier_hash_valid("other key", message, hash));
        assert!(!identifier_hash_valid("key", "another identifier", hash));
        assert!(!identifier_hash_valid("key", message, &hash[..62]));
        assert!(!identifier_hash_valid("key", message, "not hex at all"));
        assert!(!identifier_hash_valid("key", message, "é1"));
        assert!(!identifier_hash_valid("key", message, ""));
    }
}
