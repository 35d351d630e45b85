//! One contact: show, create, change, delete, and forget custom attributes.
//! (`api::contacts` holds the list, search and blocking.)

use novatalks_model::Contact;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::rejection::checked;
use super::{ApiClient, ApiError, Checked, Method};

/// What `GET /contacts/{id}` found.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Found(Box<Contact>),
    /// [ext] The contact was merged into this one and exists no more.
    MergedInto(i64),
}

/// The fields of a new contact; what is `None` or empty is not sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NewContact {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// As typed: the server normalises it to E.164.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub additional_attributes: Map<String, Value>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub custom_attributes: Map<String, Value>,
}

#[derive(Deserialize)]
struct ContactPayload {
    payload: Contact,
}

#[derive(Deserialize)]
struct CreatedPayload {
    payload: Created,
}

#[derive(Deserialize)]
struct Created {
    contact: Contact,
}

#[derive(Deserialize)]
struct NotFoundBody {
    #[serde(default)]
    merged_into: Option<i64>,
}

/// `GET /contacts/{id}`: the contact, or where it went when it was merged away. A plain
/// 404 (deleted, or never was) is an [`ApiError::Http`].
pub async fn get(client: &ApiClient, id: i64) -> Result<Lookup, ApiError> {
    let path = client.account_path(&format!("/contacts/{id}"))?;
    let response = client.exchange::<()>(Method::Get, &path, None).await?;
    if response.status == 404 {
        if let Ok(NotFoundBody {
            merged_into: Some(base),
        }) = serde_json::from_str(&response.body)
        {
            return Ok(Lookup::MergedInto(base));
        }
    }
    let found: ContactPayload =
        checked::<ContactPayload>(response)?.map_err(|rejection| ApiError::Http {
            status: 422,
            message: rejection.message,
        })?;
    Ok(Lookup::Found(Box::new(found.payload)))
}

/// What the server makes of a phone number as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneCheck {
    /// The E.164 form the contact would store.
    Normalized(String),
    /// Written in E.164 and stored as written, though no country has such a number (as
    /// Chatwoot stores it): worth a warning.
    Nowhere(String),
    /// Not a number: the server's words.
    Invalid(String),
    /// The server cannot tell (a stock Chatwoot has no such endpoint).
    Unknown,
}

#[derive(Deserialize)]
struct NormalizedPhone {
    phone_number: String,
    /// Absent from servers before it was added: taken as existing.
    #[serde(default = "exists")]
    exists: bool,
}

fn exists() -> bool {
    true
}

/// [ext] `GET /phone_numbers/normalize?number=…`: the E.164 form of `number`, read in the
/// account's country, as creating a contact would store it.
pub async fn check_phone(client: &ApiClient, number: &str) -> Result<PhoneCheck, ApiError> {
    let path = client.account_path("/phone_numbers/normalize")?;
    let query = super::contacts::encode_component(number);
    let response = client
        .exchange::<()>(Method::Get, &format!("{path}?number={query}"), None)
        .await?;
    if response.status == 404 {
        return Ok(PhoneCheck::Unknown);
    }
    Ok(match checked::<NormalizedPhone>(response)? {
        Ok(found) if found.exists => PhoneCheck::Normalized(found.phone_number),
        Ok(found) => PhoneCheck::Nowhere(found.phone_number),
        Err(rejection) => PhoneCheck::Invalid(
            rejection
                .message_for("phone_number")
                .unwrap_or(rejection.message),
        ),
    })
}

/// `POST /contacts`: the created contact (its phone number in E.164), or why not.
pub async fn create(
    client: &ApiClient,
    contact: &NewContact,
) -> Result<Checked<Contact>, ApiError> {
    let path = client.account_path("/contacts")?;
    let response = client.exchange(Method::Post, &path, Some(contact)).await?;
    Ok(checked::<CreatedPayload>(response)?.map(|created| created.payload.contact))
}

/// `PATCH /contacts/{id}` with only the fields that change (attribute maps are merged key
/// by key by the server): the contact as it is now, other agents' changes included.
pub async fn update(
    client: &ApiClient,
    id: i64,
    changes: &Value,
) -> Result<Checked<Contact>, ApiError> {
    let path = client.account_path(&format!("/contacts/{id}"))?;
    let response = client.exchange(Method::Patch, &path, Some(changes)).await?;
    Ok(checked::<ContactPayload>(response)?.map(|answer| answer.payload))
}

/// `DELETE /contacts/{id}`, with its conversations and notes.
pub async fn delete(client: &ApiClient, id: i64) -> Result<(), ApiError> {
    let path = client.account_path(&format!("/contacts/{id}"))?;
    client.delete(&path).await
}

/// `POST /contacts/{id}/destroy_custom_attributes`: the contact without those attributes.
pub async fn destroy_custom_attributes(
    client: &ApiClient,
    id: i64,
    keys: &[String],
) -> Result<Contact, ApiError> {
    let path = client.account_path(&format!("/contacts/{id}/destroy_custom_attributes"))?;
    let body = serde_json::json!({ "custom_attributes": keys });
    let answer: ContactPayload = client.post(&path, &body).await?;
    Ok(answer.payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_contact_sends_only_what_was_filled() {
        let contact = NewContact {
            name: Some("Olena".into()),
            phone_number: Some("050 123 45 67".into()),
            ..NewContact::default()
        };
        assert_eq!(
            serde_json::to_value(&contact).unwrap(),
            serde_json::json!({"name": "Olena", "phone_number": "050 123 45 67"})
        );
    }
}
