//! A contact's conversations, in every channel.

use novatalks_model::around::{InboxSummary, NewConversation};
use serde::{Deserialize, Serialize};

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

/// Body of `POST /conversations`: the model's, with the contact's identity in the inbox,
/// which a stock Chatwoot reads (`source_id`) and NovaTalks works out itself.
#[derive(Serialize)]
struct StartBody<'a> {
    #[serde(flatten)]
    conversation: &'a NewConversation,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_id: Option<&'a str>,
}

/// `POST /conversations`: a new dialog with the contact from an inbox that can write
/// first, opened by the agent's message; returns the conversation.
pub async fn start(
    client: &ApiClient,
    conversation: &NewConversation,
    source_id: Option<&str>,
) -> Result<ContactConversation, ApiError> {
    let path = client.account_path("/conversations")?;
    let body = StartBody {
        conversation,
        source_id,
    };
    client.post(&path, &body).await
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

    #[test]
    fn a_new_dialog_sends_the_contact_the_inbox_the_message_and_the_identity() {
        let conversation = NewConversation {
            contact_id: 42,
            inbox_id: 2,
            message: novatalks_model::around::NewMessage {
                content: "Hello <b>Olena</b>".into(),
            },
        };
        let body = |source_id| {
            serde_json::to_value(StartBody {
                conversation: &conversation,
                source_id,
            })
            .expect("json")
        };
        assert_eq!(
            body(Some("olena@example.com")),
            serde_json::json!({"contact_id": 42, "inbox_id": 2,
                "message": {"content": "Hello <b>Olena</b>"}, "source_id": "olena@example.com"})
        );
        assert!(body(None).get("source_id").is_none());
    }
}
