use novatalks_model::Label;
use serde::Deserialize;

use super::{ApiClient, ApiError};

#[derive(Deserialize)]
struct LabelsPayload {
    payload: Vec<Label>,
}

/// `GET /api/v1/accounts/{id}/labels`: the account's labels, with their colours.
pub async fn list(client: &ApiClient) -> Result<Vec<Label>, ApiError> {
    let path = client.account_path("/labels")?;
    let labels: LabelsPayload = client.get(&path).await?;
    Ok(labels.payload)
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
/// it has now. An unknown title is refused (create the label first).
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
