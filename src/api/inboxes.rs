//! The account's inboxes (channels).

use novatalks_model::around::{Inbox, InboxList};

use super::{ApiClient, ApiError};

/// `GET /inboxes`.
pub async fn list(client: &ApiClient) -> Result<Vec<Inbox>, ApiError> {
    let path = client.account_path("/inboxes")?;
    let inboxes: InboxList = client.get(&path).await?;
    Ok(inboxes.payload)
}
