//! Merging two contacts: finding the likely duplicates of one, counting what moves, and
//! `POST /actions/contact_merge`. Works against a stock Chatwoot too: duplicates come from
//! the ordinary search, and counts from the lists when a contact carries none.

use novatalks_model::merge::{duplicate_queries, rank_duplicates, DuplicateReason};
use novatalks_model::{Contact, SortKey};
use serde::Deserialize;

use super::contacts::{self, ContactQuery};
use super::{labels, notes, ApiClient, ApiError};

/// How many contacts one search for duplicates reads.
pub const DUPLICATE_SEARCH_SIZE: u32 = 25;

/// The likely duplicates of `contact`, strongest reason first (a shared phone number in
/// any format, the same email, a similar name), the contact itself left out. A search
/// that fails fails the whole: a partial list would hide the strongest match.
pub async fn duplicates(
    client: &ApiClient,
    contact: &Contact,
) -> Result<Vec<(Contact, DuplicateReason)>, ApiError> {
    let query = ContactQuery {
        page: 1,
        per_page: DUPLICATE_SEARCH_SIZE,
        sort: SortKey::default(),
        labels: Vec::new(),
    };
    let mut found = Vec::new();
    for q in duplicate_queries(contact) {
        found.extend(contacts::search(client, &q, &query).await?.payload);
    }
    Ok(rank_duplicates(contact, found))
}

/// The contacts an agent's search for a contact to merge with finds (name, email, phone),
/// `exclude` (the contact being merged) left out.
pub async fn search(client: &ApiClient, q: &str, exclude: i64) -> Result<Vec<Contact>, ApiError> {
    let query = ContactQuery {
        page: 1,
        per_page: DUPLICATE_SEARCH_SIZE,
        sort: SortKey::default(),
        labels: Vec::new(),
    };
    let found = contacts::search(client, q.trim(), &query).await?;
    Ok(found
        .payload
        .into_iter()
        .filter(|c| c.id != exclude)
        .collect())
}

/// What a merge moves from the contact deleted to the one that stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moving {
    pub conversations: usize,
    pub notes: usize,
}

#[derive(Deserialize)]
struct ConversationsPayload {
    payload: Vec<serde::de::IgnoredAny>,
}

/// How many conversations and notes `contact` has: its [ext] `conversations_count` when
/// the server sends one, else its conversations counted; its notes counted.
pub async fn moving(client: &ApiClient, contact: &Contact) -> Result<Moving, ApiError> {
    let conversations = match contact.conversations_count {
        Some(count) => usize::try_from(count).unwrap_or_default(),
        None => {
            let path = client.account_path(&format!("/contacts/{}/conversations", contact.id))?;
            let answer: ConversationsPayload = client.get(&path).await?;
            answer.payload.len()
        }
    };
    let notes = notes::list(client, contact.id).await?.len();
    Ok(Moving {
        conversations,
        notes,
    })
}

/// The labels of both contacts as the server has them now (the card's copy may be older,
/// and a stock Chatwoot sends none with a contact).
pub async fn labels_of_pair(
    client: &ApiClient,
    first: i64,
    second: i64,
) -> Result<(Vec<String>, Vec<String>), ApiError> {
    let first = labels::of_contact(client, first).await?;
    let second = labels::of_contact(client, second).await?;
    Ok((first, second))
}

/// The body of a merge: `base` stays, `mergee` is deleted.
pub fn merge_body(base: i64, mergee: i64) -> serde_json::Value {
    serde_json::json!({ "base_contact_id": base, "mergee_contact_id": mergee })
}

/// `POST /actions/contact_merge`: merges `mergee` into `base` and answers the base as it
/// now is. A refusal (422, 404) is an [`ApiError::Http`] with the server's words.
pub async fn merge(client: &ApiClient, base: i64, mergee: i64) -> Result<Contact, ApiError> {
    let path = client.account_path("/actions/contact_merge")?;
    client.post(&path, &merge_body(base, mergee)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_stays_and_the_mergee_goes() {
        assert_eq!(
            merge_body(12, 34),
            serde_json::json!({"base_contact_id": 12, "mergee_contact_id": 34})
        );
    }
}
