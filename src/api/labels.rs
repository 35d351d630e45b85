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
