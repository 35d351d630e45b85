//! Writing one contact: the create path every entry point shares (agents' API, channels'
//! public API), updates with merged attribute maps and blocks, and the unique indexes
//! answered as 422s that say which contact already holds the value.

use novatalks_model::rules::MAX_TEXT_CHARS;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::row::{block_in_force, ContactRow, CONTACT_SELECT};
use super::validate::{
    attribute_map, check_attribute_map, merge_maps, normalize_custom_attributes, normalize_email,
    normalize_phone, optional_text, region, Problems,
};
use crate::custom_attributes::contact_attribute_definitions;
use crate::http::body::Field;
use crate::AppError;

/// Raw phone and email input is bounded only loosely here: their own checks say more.
const MAX_RAW_CHARS: usize = 1000;

/// A new contact's fields as a caller has them. The phone may be in any common writing
/// (read in `additional_attributes.country_code`, else the account's default country);
/// the email is lower-cased; blanks become null.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub additional_attributes: Map<String, Value>,
    pub custom_attributes: Map<String, Value>,
}

/// What a write changes. `None`: not sent, unchanged; `Some(None)`: cleared. Attribute
/// maps are merged key by key into what is stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactChanges {
    pub name: Option<Option<String>>,
    /// As sent: normalised by the write.
    pub email: Option<Option<String>>,
    /// As sent: normalised by the write.
    pub phone_number: Option<Option<String>>,
    pub identifier: Option<Option<String>>,
    pub additional_attributes: Option<Map<String, Value>>,
    pub custom_attributes: Option<Map<String, Value>>,
    pub blocked: Option<bool>,
    pub blocked_until: Option<Option<i64>>,
    pub block_reason: Option<Option<String>>,
}

impl From<ContactInput> for ContactChanges {
    fn from(input: ContactInput) -> Self {
        let text =
            |v: Option<String>| v.map(|s| Some(s.trim().to_owned()).filter(|s| !s.is_empty()));
        ContactChanges {
            name: text(input.name),
            email: text(input.email),
            phone_number: text(input.phone_number),
            identifier: text(input.identifier),
            additional_attributes: Some(input.additional_attributes).filter(|m| !m.is_empty()),
            custom_attributes: Some(input.custom_attributes).filter(|m| !m.is_empty()),
            ..ContactChanges::default()
        }
    }
}

/// The fields a contact is created or updated with, as sent. Each may be left out
/// (unchanged), null (cleared) or a value; unknown keys are ignored, as Chatwoot's
/// permitted params do.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ContactBody {
    #[serde(default)]
    pub name: Field<String>,
    /// Stored lower-case; unique per account.
    #[serde(default)]
    pub email: Field<String>,
    /// Any common writing; stored in E.164; unique per account. National numbers are read
    /// in `additional_attributes.country_code`, else the account's default country.
    #[serde(default)]
    pub phone_number: Field<String>,
    /// Unique per account.
    #[serde(default)]
    pub identifier: Field<String>,
    /// Merged key by key into what is stored.
    #[schema(value_type = Option<Object>)]
    #[serde(default)]
    pub additional_attributes: Field<Map<String, Value>>,
    /// Merged key by key; values are checked against the attribute definitions.
    #[schema(value_type = Option<Object>)]
    #[serde(default)]
    pub custom_attributes: Field<Map<String, Value>>,
    /// [ext] with `blocked_until` (Unix seconds in the future, null for ever) and `block_reason`.
    #[serde(default)]
    pub blocked: Field<bool>,
    #[serde(default)]
    pub blocked_until: Field<i64>,
    #[serde(default)]
    pub block_reason: Field<String>,
    /// Create only, as Chatwoot: an inbox of the account to give the new contact an
    /// identity in (answered as `contact_inbox`); an update ignores it, as Chatwoot's does.
    #[serde(default)]
    pub inbox_id: Field<i64>,
    /// Create only, with `inbox_id`: the contact's address there; by default its email
    /// in an email inbox, its phone in a phone channel, a random UUID elsewhere.
    #[serde(default)]
    pub source_id: Field<String>,
}

impl ContactChanges {
    /// Stock mode: Chatwoot's `Contact` takes a phone number only written in E.164
    /// (`+` and 2 to 15 digits, the first not 0: `validates :phone_number, format:`), and
    /// refuses any other writing as "Phone number should be in e164 format" (its base
    /// controller's 422 for an invalid record). Our own mode reads national numbers.
    pub fn refuse_non_e164_phone(&mut self, problems: &mut Problems) {
        if let Some(Some(raw)) = &self.phone_number {
            if !is_chatwoot_e164(raw) {
                problems.add("phone_number", CHATWOOT_PHONE_INVALID);
                self.phone_number = None;
            }
        }
    }

    /// The fields of a create or update body, type- and size-checked. Problems are
    /// collected, not returned, so they are answered together with the ones the write
    /// finds.
    pub fn from_body(body: ContactBody, problems: &mut Problems) -> Self {
        // Read by the create alone, which takes them out first; a wrong type is still
        // named on an update.
        if matches!(body.inbox_id, Field::Wrong) {
            problems.add("inbox_id", "Inbox id must be a number");
        }
        if matches!(body.source_id, Field::Wrong) {
            problems.add("source_id", "Source id must be text");
        }
        let name = optional_text(body.name, "name", "Name", MAX_TEXT_CHARS, problems);
        let email = optional_text(body.email, "email", "Email", MAX_RAW_CHARS, problems);
        let phone_number = optional_text(
            body.phone_number,
            "phone_number",
            "Phone number",
            MAX_RAW_CHARS,
            problems,
        );
        let identifier = optional_text(
            body.identifier,
            "identifier",
            "Identifier",
            MAX_TEXT_CHARS,
            problems,
        );
        let additional_attributes = attribute_map(
            body.additional_attributes,
            "additional_attributes",
            "Additional attributes",
            problems,
        );
        let custom_attributes = attribute_map(
            body.custom_attributes,
            "custom_attributes",
            "Custom attributes",
            problems,
        );
        let blocked = match body.blocked {
            Field::Absent => None,
            Field::Value(b) => Some(b),
            Field::Null | Field::Wrong => {
                problems.add("blocked", "Blocked must be true or false");
                None
            }
        };
        let blocked_until = match body.blocked_until {
            Field::Absent => None,
            Field::Null => Some(None),
            Field::Value(t) => Some(Some(t)),
            Field::Wrong => {
                problems.add(
                    "blocked_until",
                    "Blocked until must be a Unix time in whole seconds, or null for ever",
                );
                None
            }
        };
        let block_reason = block_reason(body.block_reason, problems);
        ContactChanges {
            name,
            email,
            phone_number,
            identifier,
            additional_attributes,
            custom_attributes,
            blocked,
            blocked_until,
            block_reason,
        }
    }
}

/// A contact's writable columns.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
struct Stored {
    name: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
    identifier: Option<String>,
    additional_attributes: crate::db::JsonText,
    custom_attributes: crate::db::JsonText,
    blocked: bool,
    blocked_until: Option<i64>,
    block_reason: Option<String>,
}

/// A contact's fields, checked, ready to write.
#[derive(Debug, Clone, Default)]
struct Fields {
    name: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
    identifier: Option<String>,
    additional: Map<String, Value>,
    custom: Map<String, Value>,
    blocked: bool,
    blocked_until: Option<i64>,
    block_reason: Option<String>,
}

impl From<Stored> for Fields {
    fn from(s: Stored) -> Self {
        Fields {
            name: s.name,
            email: s.email,
            phone_number: s.phone_number,
            identifier: s.identifier,
            additional: serde_json::from_str(&s.additional_attributes).unwrap_or_default(),
            custom: serde_json::from_str(&s.custom_attributes).unwrap_or_default(),
            blocked: s.blocked,
            blocked_until: s.blocked_until,
            block_reason: s.block_reason,
        }
    }
}

/// Chatwoot's words for a phone number not in E.164 (`errors.contacts.phone_number.invalid`
/// as a full message).
pub const CHATWOOT_PHONE_INVALID: &str = "Phone number should be in e164 format";

/// Whether `raw` is written as Chatwoot's contact phone rule wants: `+`, then a digit 1-9,
/// then 1 to 14 digits, nothing else (no spaces, no dashes).
pub fn is_chatwoot_e164(raw: &str) -> bool {
    let Some(digits) = raw.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// Creates a contact in `account_id` with the same validation as `POST /contacts`, and
/// returns its id. A 422 (`AppError::Invalid`, or `AppError::Taken` naming the contact
/// that already has the email, phone number or identifier) changes nothing. Run it in
/// the caller's transaction (`&mut *tx`) or on a pooled connection (`&mut *pool.acquire().await?`).
pub async fn create_contact(
    conn: &mut crate::db::Conn,
    account_id: i64,
    input: ContactInput,
) -> Result<i64, AppError> {
    write_contact(conn, account_id, None, input.into(), Problems::default()).await
}

/// Changes a contact of `account_id` as `PUT /contacts/{id}` does (404 when it is not the
/// account's). Returns its id.
pub async fn update_contact(
    conn: &mut crate::db::Conn,
    account_id: i64,
    contact_id: i64,
    changes: ContactChanges,
) -> Result<i64, AppError> {
    write_contact(
        conn,
        account_id,
        Some(contact_id),
        changes,
        Problems::default(),
    )
    .await
}

/// One contact of the account as [`super::fetch_contact`] answers it, read on `conn`:
/// inside a write transaction, the contact exactly as this write leaves it, whatever
/// another agent does right after the commit.
pub async fn read_contact(
    conn: &mut crate::db::Conn,
    account_id: i64,
    id: i64,
) -> Result<novatalks_model::Contact, AppError> {
    let row: ContactRow = crate::db::query_as(format!(
        "{CONTACT_SELECT} WHERE c.account_id = ? AND c.id = ?"
    ))
    .bind(account_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut contacts = [row.into_contact(crate::db::now())];
    super::row::attach_contact_inboxes(conn, &mut contacts).await?;
    let [contact] = contacts;
    Ok(contact)
}

/// The region national phone numbers of the account are read in (`accounts.default_country_code`).
pub async fn account_default_region(
    conn: &mut crate::db::Conn,
    account_id: i64,
) -> Result<String, AppError> {
    let code: Option<String> =
        crate::db::query_scalar("SELECT default_country_code FROM accounts WHERE id = ?")
            .bind(account_id)
            .fetch_optional(&mut *conn)
            .await?;
    code.ok_or(AppError::NotFound)
}

/// Creates (`contact_id` None) or updates a contact: checks everything, answers every
/// problem of the request in one 422 (with `problems` found while parsing it), and
/// writes nothing unless all is well.
pub(crate) async fn write_contact(
    conn: &mut crate::db::Conn,
    account_id: i64,
    contact_id: Option<i64>,
    changes: ContactChanges,
    mut problems: Problems,
) -> Result<i64, AppError> {
    let now = crate::db::now();
    let mut fields: Fields = match contact_id {
        Some(id) => crate::db::query_as::<Stored>(
            "SELECT name, email, phone_number, identifier, additional_attributes, custom_attributes,
               blocked, blocked_until, block_reason
             FROM contacts WHERE account_id = ? AND id = ?",
        )
        .bind(account_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?
        .into(),
        None => Fields::default(),
    };
    let block_was_in_force = block_in_force(fields.blocked, fields.blocked_until, now);

    if let Some(name) = changes.name {
        fields.name = name;
    }
    if let Some(identifier) = changes.identifier {
        fields.identifier = identifier;
    }
    if let Some(email) = changes.email {
        fields.email = match email.as_deref().map(normalize_email) {
            None => None,
            Some(Ok(email)) => email,
            Some(Err(message)) => {
                problems.add("email", message);
                None
            }
        };
    }
    if let Some(additional) = changes.additional_attributes {
        merge_maps(&mut fields.additional, additional);
        check_attribute_map(
            &fields.additional,
            "additional_attributes",
            "Additional attributes",
            &mut problems,
        );
    }
    if let Some(phone) = changes.phone_number {
        fields.phone_number = match phone {
            None => None,
            Some(raw) => {
                let country = fields
                    .additional
                    .get("country_code")
                    .and_then(Value::as_str)
                    .filter(|c| region(c).is_some())
                    .map(str::to_owned);
                let country = match country {
                    Some(c) => c,
                    None => account_default_region(conn, account_id).await?,
                };
                match normalize_phone(&raw, &country) {
                    Ok(e164) => Some(e164),
                    Err(message) => {
                        problems.add("phone_number", message);
                        None
                    }
                }
            }
        };
    }
    if let Some(custom) = changes.custom_attributes {
        // Only the values sent are checked: stored ones were accepted under the
        // definitions of their day and must not block an unrelated change.
        let definitions = contact_attribute_definitions(&mut *conn, account_id).await?;
        let custom = normalize_custom_attributes(custom, &definitions, &mut problems);
        merge_maps(&mut fields.custom, custom);
        check_attribute_map(
            &fields.custom,
            "custom_attributes",
            "Custom attributes",
            &mut problems,
        );
    }
    let block = BlockChange {
        blocked: changes.blocked,
        until: changes.blocked_until,
        reason: changes.block_reason,
    };
    apply_block(&mut fields, block, block_was_in_force, now, &mut problems);

    let taken = taken_by_others(conn, account_id, contact_id, &fields).await?;
    if !problems.is_empty() || !taken.is_empty() {
        return Err(problems.into_taken(taken));
    }

    let additional = Value::Object(fields.additional.clone());
    let custom = Value::Object(fields.custom.clone());
    let written = match contact_id {
        None => {
            crate::db::query_scalar::<i64>(
                "INSERT INTO contacts (account_id, name, email, phone_number, identifier, additional_attributes,
                   custom_attributes, blocked, blocked_until, block_reason, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(account_id)
            .bind(&fields.name)
            .bind(&fields.email)
            .bind(&fields.phone_number)
            .bind(&fields.identifier)
            .bind(&additional)
            .bind(&custom)
            .bind(fields.blocked)
            .bind(fields.blocked_until)
            .bind(&fields.block_reason)
            .bind(now)
            .bind(now)
            .fetch_one(&mut *conn)
            .await
        }
        Some(id) => crate::db::query(
            "UPDATE contacts SET name = ?, email = ?, phone_number = ?, identifier = ?, additional_attributes = ?,
               custom_attributes = ?, blocked = ?, blocked_until = ?, block_reason = ?, updated_at = ?
             WHERE account_id = ? AND id = ?",
        )
        .bind(&fields.name)
        .bind(&fields.email)
        .bind(&fields.phone_number)
        .bind(&fields.identifier)
        .bind(&additional)
        .bind(&custom)
        .bind(fields.blocked)
        .bind(fields.blocked_until)
        .bind(&fields.block_reason)
        .bind(now)
        .bind(account_id)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|_| id),
    };
    match written {
        Ok(id) => {
            if contact_id.is_none() {
                // A reused id must not inherit a merge record of the contact it once was.
                crate::db::query("DELETE FROM contact_merges WHERE mergee_contact_id = ?")
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(id)
        }
        // Another request took the value between the check and the write.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let taken = taken_by_others(conn, account_id, contact_id, &fields).await?;
            Err(Problems::default().into_taken(taken))
        }
        Err(e) => Err(e.into()),
    }
}

/// The block fields a request sent.
struct BlockChange {
    blocked: Option<bool>,
    until: Option<Option<i64>>,
    reason: Option<Option<String>>,
}

/// What is wrong with a block's end `until` (Unix seconds) at `now`: it must be in the
/// future (null blocks for ever). The rule of one contact's block and of a bulk block.
pub fn blocked_until_problem(until: i64, now: i64) -> Option<String> {
    (until <= now).then(|| {
        format!("Blocked until must be in the future (it is {until}, now is {now}); send null to block for ever")
    })
}

/// A block's reason as sent (`None` absent, `Some(None)` null or blank): trimmed, within
/// the text limits, or a problem on `block_reason`. The rule of one contact's block and
/// of a bulk block.
pub fn block_reason(field: Field<String>, problems: &mut Problems) -> Option<Option<String>> {
    optional_text(
        field,
        "block_reason",
        "Block reason",
        MAX_TEXT_CHARS,
        problems,
    )
}

/// Blocks, changes or lifts a block. `blocked: true` without `blocked_until` or
/// `block_reason` keeps those of a block in force (a client re-sending the whole contact
/// does not turn a timed block into a permanent one); a new block without them is
/// permanent and without reason. `blocked: false` clears both. Expiry or reason alone
/// adjust a block in force. `blocked_until` must be in the future.
fn apply_block(
    fields: &mut Fields,
    change: BlockChange,
    in_force: bool,
    now: i64,
    problems: &mut Problems,
) {
    let sets_details = change.until.is_some() || change.reason.is_some();
    match change.blocked {
        Some(false) => {
            fields.blocked = false;
            fields.blocked_until = None;
            fields.block_reason = None;
            return;
        }
        Some(true) => {
            if !in_force {
                fields.blocked_until = None;
                fields.block_reason = None;
            }
            fields.blocked = true;
        }
        None if !sets_details => return,
        None if !in_force => {
            problems.add(
                "blocked",
                "Blocked until and block reason belong to a block: send \"blocked\": true with them",
            );
            return;
        }
        None => {}
    }
    if let Some(until) = change.until {
        if let Some(problem) = until.and_then(|t| blocked_until_problem(t, now)) {
            problems.add("blocked_until", problem);
        }
        fields.blocked_until = until;
    }
    if let Some(reason) = change.reason {
        fields.block_reason = reason;
    }
}

/// (attribute, label, contact id) of every unique value of `fields` another contact of
/// the account already holds.
async fn taken_by_others(
    conn: &mut crate::db::Conn,
    account_id: i64,
    contact_id: Option<i64>,
    fields: &Fields,
) -> Result<Vec<(&'static str, &'static str, i64)>, AppError> {
    let me = contact_id.unwrap_or(0);
    let email_sql = format!(
        "SELECT id FROM contacts WHERE account_id = ? AND {} AND id <> ? LIMIT 1",
        conn.engine().email_is()
    );
    let checks: [(&'static str, &'static str, &Option<String>, &str); 3] = [
        ("email", "Email", &fields.email, &email_sql),
        (
            "phone_number",
            "Phone number",
            &fields.phone_number,
            "SELECT id FROM contacts WHERE account_id = ? AND phone_number = ? AND id <> ? LIMIT 1",
        ),
        (
            "identifier",
            "Identifier",
            &fields.identifier,
            "SELECT id FROM contacts WHERE account_id = ? AND identifier = ? AND id <> ? LIMIT 1",
        ),
    ];
    let mut taken = Vec::new();
    for (attribute, label, value, sql) in checks {
        let Some(value) = value else { continue };
        let other: Option<i64> = crate::db::query_scalar(sql)
            .bind(account_id)
            .bind(value)
            .bind(me)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(other) = other {
            taken.push((attribute, label, other));
        }
    }
    Ok(taken)
}
