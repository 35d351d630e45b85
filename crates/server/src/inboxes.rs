//! Inboxes (channels), and the inboxes from which an agent may write first to a contact.

use axum::extract::State;
use axum::Json;
use novatalks_model::around::{write_first_source, ContactableInbox, Inbox};
use novatalks_model::around::{ChannelKeys, InboxSummary};
use novatalks_model::{Contact, ContactInbox};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::contacts::fetch_contact;
use crate::http::extract::{ApiJson, PathParams};
use crate::{AppError, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_inboxes))
        .routes(routes!(contactable_inboxes))
        .routes(routes!(create_contact_inbox))
        .routes(routes!(filter_contact_inboxes))
}

/// The keys of a new API inbox: `(inbox_identifier, hmac_token)`. The identifier is the
/// key of its public API (18 random bytes, 36 characters: unguessable, as Chatwoot's
/// secure tokens); the secret signs customers' identifiers (32 bytes). Migration 0013
/// gives existing inboxes the same.
pub fn new_api_inbox_keys() -> Result<(String, String), AppError> {
    Ok((
        crate::random::hex_token::<18>()?,
        crate::random::hex_token::<32>()?,
    ))
}

/// An inbox as `GET /inboxes` and the contactable inboxes answer it: the contract's
/// inbox and [`ChannelKeys`].
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct InboxAnswer {
    #[serde(flatten)]
    pub inbox: Inbox,
    #[serde(flatten)]
    pub channel: ChannelKeys,
}

impl From<Inbox> for InboxAnswer {
    fn from(inbox: Inbox) -> Self {
        let channel = ChannelKeys::of(inbox.id);
        InboxAnswer { inbox, channel }
    }
}

/// `GET /inboxes` as answered.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InboxAnswerList {
    pub payload: Vec<InboxAnswer>,
}

/// A contactable inbox as answered: the inbox with [`ChannelKeys`], and the contact's
/// address there.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ContactableInboxAnswer {
    pub inbox: InboxAnswer,
    pub source_id: String,
}

impl From<ContactableInbox> for ContactableInboxAnswer {
    fn from(c: ContactableInbox) -> Self {
        ContactableInboxAnswer {
            inbox: c.inbox.into(),
            source_id: c.source_id,
        }
    }
}

/// `GET /contacts/{id}/contactable_inboxes` as answered.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ContactableInboxAnswerList {
    pub payload: Vec<ContactableInboxAnswer>,
}

#[derive(Debug, sqlx::FromRow)]
struct InboxRow {
    id: i64,
    name: String,
    channel_type: String,
    can_write_first: bool,
    inbox_identifier: Option<String>,
    hmac_token: Option<String>,
    hmac_mandatory: bool,
}

impl InboxRow {
    /// The inbox as the API shows it; the identity validation secret only to
    /// administrators (`with_secret`).
    fn into_inbox(self, with_secret: bool) -> Inbox {
        // As Chatwoot: only API channels have an identifier (the key of their public API).
        let api = self.channel_type == "Channel::Api";
        let identifier = self.inbox_identifier.filter(|_| api);
        let secret = self.hmac_token.filter(|_| api && with_secret);
        let mandatory = secret.as_ref().map(|_| self.hmac_mandatory);
        Inbox {
            id: self.id,
            name: self.name,
            channel_type: self.channel_type,
            can_write_first: self.can_write_first,
            inbox_identifier: identifier,
            hmac_token: secret,
            hmac_mandatory: mandatory,
        }
    }
}

impl From<InboxRow> for Inbox {
    fn from(row: InboxRow) -> Self {
        row.into_inbox(false)
    }
}

const INBOX_SELECT: &str = "SELECT id, name, channel_type, can_write_first, inbox_identifier,
   hmac_token, hmac_mandatory FROM inboxes";

/// Whether the agent administers the account (Chatwoot's `administrator` role).
async fn is_administrator(
    db: &crate::db::Db,
    account_id: i64,
    user_id: i64,
) -> Result<bool, AppError> {
    let role: Option<String> = crate::db::query_scalar(
        "SELECT role FROM account_users WHERE account_id = ? AND user_id = ?",
    )
    .bind(account_id)
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(role.as_deref() == Some("administrator"))
}

/// Every inbox of the account, in creation order.
pub async fn account_inboxes(db: &crate::db::Db, account_id: i64) -> Result<Vec<Inbox>, AppError> {
    let rows: Vec<InboxRow> =
        crate::db::query_as(format!("{INBOX_SELECT} WHERE account_id = ? ORDER BY id"))
            .bind(account_id)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(Inbox::from).collect())
}

/// One inbox of the account, or 404 (also when it belongs to another account).
pub async fn fetch_inbox(
    db: &crate::db::Db,
    account_id: i64,
    inbox_id: i64,
) -> Result<Inbox, AppError> {
    let row: InboxRow =
        crate::db::query_as(format!("{INBOX_SELECT} WHERE account_id = ? AND id = ?"))
            .bind(account_id)
            .bind(inbox_id)
            .fetch_optional(db)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(row.into())
}

/// The inboxes among `inboxes` that can write first to `contact`, each with the
/// contact's address there (see [`write_first_source`]).
pub fn contactable(inboxes: Vec<Inbox>, contact: &Contact) -> Vec<ContactableInbox> {
    inboxes
        .into_iter()
        .filter_map(|inbox| {
            write_first_source(
                &inbox.channel_type,
                inbox.can_write_first,
                contact.email.as_deref(),
                contact.phone_number.as_deref(),
            )
            .ok()
            .map(|source_id| ContactableInbox { inbox, source_id })
        })
        .collect()
}

/// The account's inboxes (channels). [ext] An administrator also sees each API inbox's
/// `hmac_token` (the secret of identity validation) and `hmac_mandatory`.
#[utoipa::path(get, path = "/inboxes", tag = "inboxes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    responses((status = 200, body = InboxAnswerList), (status = 401)))]
async fn list_inboxes(
    State(state): State<AppState>,
    scope: Scope,
) -> Result<Json<InboxAnswerList>, AppError> {
    let admin = is_administrator(&state.db, scope.account_id, scope.user_id).await?;
    let rows: Vec<InboxRow> =
        crate::db::query_as(format!("{INBOX_SELECT} WHERE account_id = ? ORDER BY id"))
            .bind(scope.account_id)
            .fetch_all(&state.db)
            .await?;
    Ok(Json(InboxAnswerList {
        payload: rows
            .into_iter()
            .map(|r| r.into_inbox(admin).into())
            .collect(),
    }))
}

/// The contact's identities: (inbox id, source id, whether a conversation uses it), the
/// newest last.
async fn identities(
    db: &crate::db::Db,
    contact_id: i64,
) -> Result<Vec<(i64, String, bool)>, AppError> {
    Ok(crate::db::query_as(
        "SELECT ci.inbox_id, ci.source_id,
                EXISTS (SELECT 1 FROM conversations c WHERE c.contact_inbox_id = ci.id) AS used
           FROM contact_inboxes ci WHERE ci.contact_id = ? ORDER BY ci.id",
    )
    .bind(contact_id)
    .fetch_all(db)
    .await?)
}

/// [`contactable`], and as Chatwoot's contactable inboxes service: each API inbox with
/// the contact's latest identity there, and each website chat where its latest identity
/// has no conversation yet; in the account's order. Unlike Chatwoot, an API inbox where
/// the contact has no identity is not offered with a made-up UUID: no channel knows that
/// address, so a dialog through it would reach no one.
fn contactable_with_identities(
    inboxes: Vec<Inbox>,
    contact: &Contact,
    identities: &[(i64, String, bool)],
) -> Vec<ContactableInbox> {
    let latest = |inbox: i64| identities.iter().rev().find(|(id, _, _)| *id == inbox);
    let mut listed = Vec::new();
    for inbox in inboxes {
        let source_id = match inbox.channel_type.as_str() {
            "Channel::Api" => latest(inbox.id).map(|(_, source, _)| source.clone()),
            "Channel::WebWidget" => latest(inbox.id)
                .filter(|(_, _, used)| !used)
                .map(|(_, source, _)| source.clone()),
            _ => None,
        };
        match source_id {
            Some(source_id) => listed.push(ContactableInbox { inbox, source_id }),
            None => listed.extend(contactable(vec![inbox], contact)),
        }
    }
    listed
}

/// The inboxes from which an agent may open a dialog with the contact: those with "Can
/// write first to a new client" whose channel can reach it (email inboxes need its email,
/// phone channels its phone), and, as in Chatwoot, the API inboxes with the contact's
/// `source_id` there and the website chats where it has an identity not used yet.
#[utoipa::path(get, path = "/contacts/{id}/contactable_inboxes", tag = "inboxes",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = ContactableInboxAnswerList), (status = 401), (status = 404)))]
async fn contactable_inboxes(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<Json<ContactableInboxAnswerList>, AppError> {
    let contact = fetch_contact(&state.db, scope.account_id, path.id("id")?).await?;
    let inboxes = account_inboxes(&state.db, scope.account_id).await?;
    let identities = identities(&state.db, contact.id).await?;
    Ok(Json(ContactableInboxAnswerList {
        payload: contactable_with_identities(inboxes, &contact, &identities)
            .into_iter()
            .map(ContactableInboxAnswer::from)
            .collect(),
    }))
}

/// The body of `POST /contacts/{id}/contact_inboxes`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct NewContactInbox {
    /// An inbox of the account.
    pub inbox_id: i64,
    /// The contact's address in that inbox. Left out, as Chatwoot: its email in an email
    /// inbox, its phone number in a phone channel (422 without one), else a random UUID.
    #[serde(default)]
    pub source_id: Option<String>,
}

/// The longest `source_id` taken (by this route and by a contact's create).
pub const MAX_SOURCE_ID_CHARS: usize = 255;

/// Gives the contact an identity in an inbox (Chatwoot's contact inboxes `create`): its
/// `source_id` there, or the channel's address of it ([`default_source_id`]). The same
/// identity asked again is answered again; an address another contact holds in that inbox
/// is refused, never moved.
#[utoipa::path(post, path = "/contacts/{id}/contact_inboxes", tag = "inboxes",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    request_body = NewContactInbox,
    responses((status = 200, body = ContactInbox), (status = 401),
        (status = 404, description = "No such contact or inbox in the account"),
        (status = 422, description = "A blank or too long source_id, one another contact has in the inbox, or none given for a channel that needs the contact's email or phone it lacks")))]
async fn create_contact_inbox(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
    ApiJson(body): ApiJson<NewContactInbox>,
) -> Result<Json<ContactInbox>, AppError> {
    let contact_id = path.id("id")?;
    let source_id = match body.source_id.as_deref().map(str::trim) {
        None => None,
        Some("") => {
            return Err(AppError::invalid(
                "source_id",
                "Source id is blank: leave it out for a random one",
            ))
        }
        Some(s) if s.chars().count() > MAX_SOURCE_ID_CHARS => {
            return Err(AppError::invalid(
                "source_id",
                format!("Source id is longer than {MAX_SOURCE_ID_CHARS} characters"),
            ))
        }
        Some(s) => Some(s.to_owned()),
    };
    let mut tx = crate::db::write_tx(&state.db).await?;
    let (email, phone): (Option<String>, Option<String>) = crate::db::query_as(
        "SELECT email, phone_number FROM contacts WHERE id = ? AND account_id = ?",
    )
    .bind(contact_id)
    .bind(scope.account_id)
    .fetch_optional(&mut tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let inbox = inbox_summary(&mut tx, scope.account_id, body.inbox_id).await?;
    let source_id = match source_id {
        Some(s) => s,
        None => default_source_id(&inbox, email.as_deref(), phone.as_deref())?,
    };
    let identity = add_identity(&mut tx, contact_id, inbox, source_id).await?;
    tx.commit().await?;
    Ok(Json(identity))
}

/// Inbox `inbox_id` of the account, slim; 404 when the account has none such.
pub async fn inbox_summary(
    conn: &mut crate::db::Conn,
    account_id: i64,
    inbox_id: i64,
) -> Result<InboxSummary, AppError> {
    let (id, name, channel_type): (i64, String, String) = crate::db::query_as(
        "SELECT id, name, channel_type FROM inboxes WHERE id = ? AND account_id = ?",
    )
    .bind(inbox_id)
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(InboxSummary {
        id,
        name,
        channel_type,
    })
}

/// The address a new contact gets in `inbox` when none is given, as Chatwoot's contact
/// inbox builder picks it: its email in an email inbox, its phone in a phone channel, a
/// random UUID elsewhere. A contact without that email or phone cannot have one.
pub fn default_source_id(
    inbox: &InboxSummary,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<String, AppError> {
    let needs = |value: Option<&str>, what: &str| {
        value.map(str::to_owned).ok_or_else(|| {
            AppError::invalid(
                "inbox_id",
                format!(
                    "{} is a {what} inbox: the contact needs a {what} for it",
                    inbox.name
                ),
            )
        })
    };
    match inbox.channel_type.as_str() {
        "Channel::Email" => needs(email, "email"),
        "Channel::Sms" | "Channel::TwilioSms" | "Channel::Whatsapp" | "Channel::Viber"
        | "Channel::Telegram" | "Channel::Call" => needs(phone, "phone"),
        _ => crate::random::uuid_v4(),
    }
}

/// Gives the contact the identity `source_id` in `inbox`: answered again when it has it,
/// refused when another contact does.
pub async fn add_identity(
    conn: &mut crate::db::Conn,
    contact_id: i64,
    inbox: InboxSummary,
    source_id: String,
) -> Result<ContactInbox, AppError> {
    let holder: Option<i64> = crate::db::query_scalar(
        "SELECT contact_id FROM contact_inboxes WHERE inbox_id = ? AND source_id = ?",
    )
    .bind(inbox.id)
    .bind(&source_id)
    .fetch_optional(&mut *conn)
    .await?;
    match holder {
        Some(owner) if owner == contact_id => {}
        Some(_) => {
            return Err(AppError::invalid(
                "source_id",
                "Source id has already been taken in this inbox",
            ))
        }
        None => {
            crate::db::query(
                "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, created_at) VALUES (?, ?, ?, ?)",
            )
            .bind(contact_id)
            .bind(inbox.id)
            .bind(&source_id)
            .bind(crate::db::now())
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(ContactInbox {
        source_id,
        inbox: inbox.into(),
    })
}

/// The body of `POST /contact_inboxes/filter`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ContactInboxQuery {
    /// An inbox of the account.
    pub inbox_id: i64,
    /// The contact's address in it.
    pub source_id: String,
}

/// The contact whose identity in `inbox_id` is `source_id` (Chatwoot's contact inboxes
/// `filter`), with its `contact_inboxes`: the contact itself, not wrapped in `payload`.
#[utoipa::path(post, path = "/contact_inboxes/filter", tag = "inboxes",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    request_body = ContactInboxQuery,
    responses((status = 200, body = Contact), (status = 401),
        (status = 404, description = "No such identity in an inbox of the account")))]
async fn filter_contact_inboxes(
    State(state): State<AppState>,
    scope: Scope,
    ApiJson(body): ApiJson<ContactInboxQuery>,
) -> Result<Json<Contact>, AppError> {
    let contact_id: i64 = crate::db::query_scalar(
        "SELECT ci.contact_id FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id
          WHERE i.account_id = ? AND ci.inbox_id = ? AND ci.source_id = ?",
    )
    .bind(scope.account_id)
    .bind(body.inbox_id)
    .bind(body.source_id.trim())
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Json(
        fetch_contact(&state.db, scope.account_id, contact_id).await?,
    ))
}
