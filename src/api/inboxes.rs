//! The account's inboxes (channels).

use novatalks_model::around::{ContactableInbox, ContactableInboxList, Inbox, InboxList};

use super::{ApiClient, ApiError};

/// `GET /inboxes`.
pub async fn list(client: &ApiClient) -> Result<Vec<Inbox>, ApiError> {
    let path = client.account_path("/inboxes")?;
    let inboxes: InboxList = client.get(&path).await?;
    Ok(inboxes.payload)
}

/// `GET /inboxes`, and whether the server told of each inbox if it can write first to a
/// new client (`can_write_first` is [ext]: a stock Chatwoot leaves it out, and the model's
/// default would read that as "cannot").
pub async fn list_telling_write_first(client: &ApiClient) -> Result<(Vec<Inbox>, bool), ApiError> {
    let path = client.account_path("/inboxes")?;
    let answer: serde_json::Value = client.get(&path).await?;
    let tells = answer["payload"]
        .as_array()
        .is_some_and(|inboxes| inboxes.iter().any(|i| i.get("can_write_first").is_some()));
    let inboxes: InboxList =
        serde_json::from_value(answer).map_err(|e| ApiError::Decode(e.to_string()))?;
    Ok((inboxes.payload, tells))
}

/// `GET /contacts/{id}/contactable_inboxes`: the inboxes from which an agent may open a
/// dialog with the contact, with its identity there.
pub async fn contactable(
    client: &ApiClient,
    contact_id: i64,
) -> Result<Vec<ContactableInbox>, ApiError> {
    let path = client.account_path(&format!("/contacts/{contact_id}/contactable_inboxes"))?;
    let answer: ContactableInboxList = client.get(&path).await?;
    Ok(answer.payload)
}
