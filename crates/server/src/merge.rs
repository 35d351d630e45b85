//! Merging two contacts: `POST /actions/contact_merge`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use novatalks_model::merge;
use novatalks_model::Contact;
use serde::de;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::contacts::validate::Problems;
use crate::contacts::write::read_contact;
use crate::http::body::Field;
use crate::http::extract::ApiJson;
use crate::{AppError, AppState};

/// How many merge records are followed to the contact that finally absorbed one.
const MAX_MERGE_HOPS: usize = 32;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(contact_merge))
}

/// The live contact a merged-away contact ended in, following merges of merges; None
/// when `id` was never merged (or what absorbed it was deleted since).
pub async fn merged_into(
    db: &crate::db::Db,
    account_id: i64,
    id: i64,
) -> Result<Option<i64>, AppError> {
    let mut current = id;
    for _ in 0..MAX_MERGE_HOPS {
        let base: Option<i64> = crate::db::query_scalar(
            "SELECT base_contact_id FROM contact_merges WHERE account_id = ? AND mergee_contact_id = ?",
        )
        .bind(account_id)
        .bind(current)
        .fetch_optional(db)
        .await?;
        let Some(base) = base else { return Ok(None) };
        let alive: Option<i64> =
            crate::db::query_scalar("SELECT id FROM contacts WHERE account_id = ? AND id = ?")
                .bind(account_id)
                .bind(base)
                .fetch_optional(db)
                .await?;
        if alive.is_some() {
            return Ok(Some(base));
        }
        current = base;
    }
    Ok(None)
}

/// The steps of a merge, in order. Tests stop a merge after one of them
/// ([`merge_contacts`]'s `fail_after`) to prove a failure half-way changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeStep {
    ConversationsMoved,
    NotesMoved,
    IdentitiesMoved,
    LabelsJoined,
    MergeeDeleted,
    BaseUpdated,
    Recorded,
}

/// The fields a merge combines.
#[derive(Debug, sqlx::FromRow)]
struct MergeFields {
    name: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
    identifier: Option<String>,
    additional_attributes: crate::db::JsonText,
    custom_attributes: crate::db::JsonText,
    last_activity_at: Option<i64>,
}

/// Merges `mergee_id` into `base_id`, both of `account_id`, in one transaction, and
/// returns the base as it is afterwards:
///
/// - the mergee's conversations (their messages with them), notes and channel
///   identities move to the base; labels become the union of both;
/// - name, email, phone number, identifier: the base's non-blank values win, the
///   mergee's fill the blanks (a phone the mergee has in E.164 replaces the same number
///   written the national way); the attribute maps merge key by key, the base's non-blank
///   values winning; `last_activity_at` is the later one; the block stays the base's;
/// - the mergee is deleted and the merge recorded (its old URL says where it went).
///
/// Merging a contact with itself is a 422; a contact that is not the account's, a 404.
/// `fail_after` (tests only; pass `None`) aborts after that step: the transaction rolls
/// back and both contacts stay exactly as they were.
pub async fn merge_contacts(
    db: &crate::db::Db,
    account_id: i64,
    base_id: i64,
    mergee_id: i64,
    fail_after: Option<MergeStep>,
) -> Result<Contact, AppError> {
    if base_id == mergee_id {
        return Err(AppError::invalid(
            "mergee_contact_id",
            "A contact cannot be merged with itself",
        ));
    }
    let mut tx = crate::db::write_tx(db).await?;
    let base = load(&mut tx, account_id, base_id).await?;
    let mergee = load(&mut tx, account_id, mergee_id).await?;
    let stop = |step: MergeStep| -> Result<(), AppError> {
        if fail_after == Some(step) {
            Err(AppError::internal(format!(
                "merge stopped after {step:?} (test hook)"
            )))
        } else {
            Ok(())
        }
    };

    crate::db::query(
        "UPDATE conversations SET contact_id = ? WHERE account_id = ? AND contact_id = ?",
    )
    .bind(base_id)
    .bind(account_id)
    .bind(mergee_id)
    .execute(&mut tx)
    .await?;
    stop(MergeStep::ConversationsMoved)?;

    crate::db::query("UPDATE notes SET contact_id = ? WHERE account_id = ? AND contact_id = ?")
        .bind(base_id)
        .bind(account_id)
        .bind(mergee_id)
        .execute(&mut tx)
        .await?;
    stop(MergeStep::NotesMoved)?;

    // (inbox_id, source_id) is unique across contacts, so the base can never already hold
    // one of the mergee's identities: every one of them simply moves.
    crate::db::query("UPDATE contact_inboxes SET contact_id = ? WHERE contact_id = ?")
        .bind(base_id)
        .bind(mergee_id)
        .execute(&mut tx)
        .await?;
    stop(MergeStep::IdentitiesMoved)?;

    crate::db::query(
        "INSERT INTO contact_labels (contact_id, account_id, title)
         SELECT ?, account_id, title FROM contact_labels WHERE account_id = ? AND contact_id = ?
         ON CONFLICT DO NOTHING",
    )
    .bind(base_id)
    .bind(account_id)
    .bind(mergee_id)
    .execute(&mut tx)
    .await?;
    stop(MergeStep::LabelsJoined)?;

    // The mergee goes before the base takes its email, phone or identifier, or the unique
    // indexes would refuse the base's update.
    crate::db::query("DELETE FROM contacts WHERE account_id = ? AND id = ?")
        .bind(account_id)
        .bind(mergee_id)
        .execute(&mut tx)
        .await?;
    stop(MergeStep::MergeeDeleted)?;

    let merged = combine(base, mergee);
    crate::db::query(
        "UPDATE contacts SET name = ?, email = ?, phone_number = ?, identifier = ?, additional_attributes = ?,
           custom_attributes = ?, last_activity_at = ?, updated_at = ?
         WHERE account_id = ? AND id = ?",
    )
    .bind(&merged.name)
    .bind(&merged.email)
    .bind(&merged.phone_number)
    .bind(&merged.identifier)
    .bind(&merged.additional_attributes)
    .bind(&merged.custom_attributes)
    .bind(merged.last_activity_at)
    .bind(crate::db::now())
    .bind(account_id)
    .bind(base_id)
    .execute(&mut tx)
    .await?;
    stop(MergeStep::BaseUpdated)?;

    // Contacts merged earlier into the mergee now lead to the base directly.
    crate::db::query("UPDATE contact_merges SET base_contact_id = ? WHERE account_id = ? AND base_contact_id = ?")
        .bind(base_id)
        .bind(account_id)
        .bind(mergee_id)
        .execute(&mut tx)
        .await?;
    crate::db::query(
        "INSERT INTO contact_merges (account_id, mergee_contact_id, base_contact_id, merged_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (mergee_contact_id) DO UPDATE SET account_id = excluded.account_id,
           base_contact_id = excluded.base_contact_id, merged_at = excluded.merged_at",
    )
    .bind(account_id)
    .bind(mergee_id)
    .bind(base_id)
    .bind(crate::db::now())
    .execute(&mut tx)
    .await?;
    stop(MergeStep::Recorded)?;

    // Read before the commit: the answer is the base as this merge left it, even if
    // another agent merges or deletes it the moment the lock is free.
    let contact = read_contact(&mut tx, account_id, base_id).await?;
    tx.commit().await?;
    Ok(contact)
}

async fn load(
    conn: &mut crate::db::Conn,
    account_id: i64,
    id: i64,
) -> Result<MergeFields, AppError> {
    crate::db::query_as(
        "SELECT name, email, phone_number, identifier, additional_attributes, custom_attributes, last_activity_at
         FROM contacts WHERE account_id = ? AND id = ?",
    )
    .bind(account_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// The base's fields with the mergee filling its blanks, by the model's rules (the same
/// the SPA's merge preview shows).
fn combine(base: MergeFields, mergee: MergeFields) -> MergeFields {
    fn text(base: Option<String>, mergee: Option<String>) -> Option<String> {
        merge::merge_text(base.as_deref(), mergee.as_deref()).map(str::to_owned)
    }
    MergeFields {
        name: text(base.name, mergee.name),
        email: text(base.email, mergee.email),
        phone_number: merge::merge_phone(
            base.phone_number.as_deref(),
            mergee.phone_number.as_deref(),
        )
        .map(str::to_owned),
        identifier: text(base.identifier, mergee.identifier),
        additional_attributes: merge_maps(
            &base.additional_attributes,
            &mergee.additional_attributes,
        ),
        custom_attributes: merge_maps(&base.custom_attributes, &mergee.custom_attributes),
        last_activity_at: base.last_activity_at.max(mergee.last_activity_at),
    }
}

/// Key by key: the mergee's values where the base has none (or a blank one).
fn merge_maps(base: &str, mergee: &str) -> crate::db::JsonText {
    let base: Map<String, Value> = serde_json::from_str(base).unwrap_or_default();
    let mergee: Map<String, Value> = serde_json::from_str(mergee).unwrap_or_default();
    crate::db::JsonText(Value::Object(merge::merge_maps(&base, &mergee)).to_string())
}

/// `{"base_contact_id", "mergee_contact_id"}`
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct MergeRequest {
    /// The contact that stays.
    #[serde(default)]
    #[schema(required = true)]
    base_contact_id: Field<ContactId>,
    /// The contact merged into the base and deleted.
    #[serde(default)]
    #[schema(required = true)]
    mergee_contact_id: Field<ContactId>,
}

/// A contact id sent as a number or as numeric text (Rails clients send either).
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
struct ContactId(i64);

impl<'de> Deserialize<'de> for ContactId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl de::Visitor<'_> for IdVisitor {
            type Value = ContactId;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a contact id")
            }

            fn visit_i64<E: de::Error>(self, id: i64) -> Result<ContactId, E> {
                Ok(ContactId(id))
            }

            fn visit_u64<E: de::Error>(self, id: u64) -> Result<ContactId, E> {
                i64::try_from(id)
                    .map(ContactId)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(id), &self))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<ContactId, E> {
                text.trim()
                    .parse()
                    .map(ContactId)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}

/// Merges the mergee into the base (see [`merge_contacts`]) and answers the base contact,
/// as Chatwoot does (the contact itself, not wrapped in `payload`).
#[utoipa::path(post, path = "/actions/contact_merge", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    request_body = MergeRequest,
    responses((status = 200, body = Contact), (status = 401),
        (status = 404, description = "Either contact is not the account's; [ext] with `merged_into` when it was merged away (e.g. the same merge sent twice)"),
        (status = 422, description = "Missing ids, or a contact merged with itself")))]
async fn contact_merge(
    State(state): State<AppState>,
    scope: Scope,
    ApiJson(body): ApiJson<MergeRequest>,
) -> Result<Response, AppError> {
    let mut problems = Problems::default();
    let base = contact_id(
        body.base_contact_id,
        "base_contact_id",
        "Base contact",
        &mut problems,
    );
    let mergee = contact_id(
        body.mergee_contact_id,
        "mergee_contact_id",
        "Mergee contact",
        &mut problems,
    );
    let (Some(base), Some(mergee)) = (base, mergee) else {
        return Err(problems.into_error());
    };
    if base <= 0 || mergee <= 0 {
        return Err(AppError::NotFound);
    }
    match merge_contacts(&state.db, scope.account_id, base, mergee, None).await {
        Ok(contact) => Ok(Json(contact).into_response()),
        Err(AppError::NotFound) => {
            // Most often the same merge sent twice (two agents, or a retry): the mergee is
            // gone already. Say where it went, as `GET /contacts/{id}` does.
            for id in [mergee, base] {
                if let Some(into) = merged_into(&state.db, scope.account_id, id).await? {
                    return Ok((
                        StatusCode::NOT_FOUND,
                        Json(
                            json!({ "error": "Resource could not be found", "merged_into": into }),
                        ),
                    )
                        .into_response());
                }
            }
            Err(AppError::NotFound)
        }
        Err(e) => Err(e),
    }
}

/// The id of a merge's contact, or a problem naming `key`.
fn contact_id(
    field: Field<ContactId>,
    key: &str,
    label: &str,
    problems: &mut Problems,
) -> Option<i64> {
    match field {
        Field::Value(ContactId(id)) => Some(id),
        _ => {
            problems.add(
                key,
                format!("{label} id must be a contact's id (a whole number)"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::merge_maps;
    use serde_json::{json, Value};

    #[test]
    fn attribute_maps_merge_with_the_base_winning_and_the_mergee_filling_blanks() {
        let merged = merge_maps(
            r#"{"city":"Kyiv","company_name":"","plan":null,"language":"uk"}"#,
            r#"{"city":"Lviv","company_name":"Nova","plan":"gold","tax_id":"UA1"}"#,
        );
        let merged: Value = serde_json::from_str(&merged).unwrap_or_default();
        assert_eq!(
            merged,
            json!({"city":"Kyiv","company_name":"Nova","plan":"gold","language":"uk","tax_id":"UA1"})
        );
    }
}
