use novatalks_model::Label;
use serde::Deserialize;

use super::{ApiClient, ApiError};

/// What `GET /labels` answers.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct LabelList {
    /// The account's labels, with their colours.
    #[serde(rename = "payload")]
    pub labels: Vec<Label>,
    /// [ext] The titles contacts carry that are none of the account's labels (a stock
    /// Chatwoot does not say: empty there).
    #[serde(default)]
    pub free_titles: Vec<String>,
}

/// `GET /api/v1/accounts/{id}/labels`: the account's labels, with their colours, and
/// [ext] the free titles in use.
pub async fn list(client: &ApiClient) -> Result<LabelList, ApiError> {
    let path = client.account_path("/labels")?;
    client.get(&path).await
}

#[derive(Deserialize)]
struct TitlesPayload {
    payload: Vec<String>,
}

/// `GET /contacts/{id}/labels`: the titles of a contact's labels.
pub async fn of_contact(client: &ApiClient, contact_id: i64) -> Result<Vec<String>, ApiError> {
    let path = client.account_path(&format!("/contacts/{contact_id}/labels"))?;
    let titles: TitlesPayload = client.get(&path).await?;
    Ok(titles.payload)
}

/// `POST /contacts/{id}/labels`: replaces the contact's labels with `titles`; the labels
/// it has now. Any title is taken, an account label's or not, as in Chatwoot.
pub async fn set_for_contact(
    client: &ApiClient,
    contact_id: i64,
    titles: &[String],
) -> Result<super::Checked<Vec<String>>, ApiError> {
    let path = client.account_path(&format!("/contacts/{contact_id}/labels"))?;
    let body = serde_json::json!({ "labels": titles });
    let response = client
        .exchange(super::Method::Post, &path, Some(&body))
        .await?;
    Ok(super::rejection::checked::<TitlesPayload>(response)?.map(|titles| titles.payload))
}

/// `POST /labels`: a new account label (the server picks its colour), or why not.
pub async fn create(client: &ApiClient, title: &str) -> Result<super::Checked<Label>, ApiError> {
    let path = client.account_path("/labels")?;
    let body = serde_json::json!({ "title": title });
    super::rejection::checked(
        client
            .exchange(super::Method::Post, &path, Some(&body))
            .await?,
    )
}
