//! A contact's conversations, in every channel.

use novatalks_model::around::InboxSummary;
use serde::Deserialize;

use super::{inboxes, ApiClient, ApiError};

/// A conversation as the card lists it. Read leniently: a stock Chatwoot sends no
/// `inbox` object (only `inbox_id`) and may send a message without content.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ContactConversation {
    pub id: i64,
    pub inbox_id: i64,
    #[serde(default)]
    pub inbox: Option<InboxSummary>,
    /// `open`, `resolved`, `pending` or `snoozed`.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub last_activity_at: Option<i64>,
    #[serde(default)]
    pub last_message: Option<MessageExcerpt>,
}

impl ContactConversation {
    /// When something last happened in it: its last activity, else its creation.
    pub fn last_active(&self) -> Option<i64> {
        self.last_activity_at.or(self.created_at)
    }
}

/// The latest message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MessageExcerpt {
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub message_type: i64,
    #[serde(default)]
    pub created_at: Option<i64>,
}

#[derive(Deserialize)]
struct ConversationsPayload {
    payload: Vec<ContactConversation>,
}

/// `GET /contacts/{id}/conversations`, newest activity first. When the server leaves out
/// the inboxes (a stock Chatwoot), they are filled in from `GET /inboxes`.
pub async fn of_contact(
    client: &ApiClient,
    contact_id: i64,
) -> Result<Vec<ContactConversation>, ApiError> {
    let path = client.account_path(&format!("/contacts/{contact_id}/conversations"))?;
    let answer: ConversationsPayload = client.get(&path).await?;
    let mut conversations = answer.payload;
    if conversations.iter().any(|c| c.inbox.is_none()) {
        let inboxes = inboxes::list(client).await?;
        for conversation in conversations.iter_mut().filter(|c| c.inbox.is_none()) {
            conversation.inbox = inboxes
                .iter()
                .find(|inbox| inbox.id == conversation.inbox_id)
                .map(|inbox| InboxSummary {
                    id: inbox.id,
                    name: inbox.name.clone(),
                    channel_type: inbox.channel_type.clone(),
                });
        }
    }
    newest_first(&mut conversations);
    Ok(conversations)
}

/// Most recent activity first; ties by id, newest first.
pub fn newest_first(conversations: &mut [ContactConversation]) {
    conversations.sort_by(|a, b| b.last_active().cmp(&a.last_active()).then(b.id.cmp(&a.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stock_chatwoot_conversation_parses_and_sorting_is_by_activity() {
        let mut list: Vec<ContactConversation> = serde_json::from_value(serde_json::json!([
            {"id": 1, "inbox_id": 2, "status": "open", "last_activity_at": 100,
             "last_message": {"content": null, "message_type": 0}},
            {"id": 2, "inbox_id": 2, "status": "resolved", "created_at": 300},
            {"id": 3, "inbox_id": 5, "inbox": {"id": 5, "name": "Mail", "channel_type": "Channel::Email"},
             "status": "pending", "last_activity_at": 200}
        ]))
        .expect("parses");
        newest_first(&mut list);
        assert_eq!(list.iter().map(|c| c.id).collect::<Vec<_>>(), vec![2, 3, 1]);
        assert_eq!(list[2].last_message.as_ref().unwrap().content, None);
    }
}
