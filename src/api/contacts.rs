use novatalks_model::{ContactList, SortKey, DEFAULT_PER_PAGE};

use super::{ApiClient, ApiError};

/// What the contact list asks for: a page, in an order, optionally of some labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactQuery {
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    pub sort: SortKey,
    /// Contacts having any of these labels; empty means all contacts.
    pub labels: Vec<String>,
}

impl Default for ContactQuery {
    fn default() -> Self {
        ContactQuery {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            sort: SortKey::default(),
            labels: Vec::new(),
        }
    }
}

impl ContactQuery {
    /// `page=1&per_page=50&sort=-last_activity_at&labels%5B%5D=vip`, every value encoded.
    pub fn query_string(&self) -> String {
        let mut pairs = vec![
            ("page", self.page.to_string()),
            ("per_page", self.per_page.to_string()),
            ("sort", self.sort.to_string()),
        ];
        pairs.extend(self.labels.iter().map(|label| ("labels[]", label.clone())));
        pairs
            .iter()
            .map(|(key, value)| format!("{}={}", encode_component(key), encode_component(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// `GET /api/v1/accounts/{id}/contacts?…`: one page of contacts and the total count.
pub async fn list(client: &ApiClient, query: &ContactQuery) -> Result<ContactList, ApiError> {
    let path = client.account_path("/contacts")?;
    client
        .get(&format!("{path}?{}", query.query_string()))
        .await
}

/// `GET /api/v1/accounts/{id}/contacts/search?q=…&…`: the contacts matching `q` (name word
/// prefixes, email, phone digits whatever the formatting, identifier), paged and sorted
/// like the list. A blank `q` is the server's 422: use [`find`].
pub async fn search(
    client: &ApiClient,
    q: &str,
    query: &ContactQuery,
) -> Result<ContactList, ApiError> {
    let path = client.account_path("/contacts/search")?;
    client
        .get(&format!(
            "{path}?q={}&{}",
            encode_component(q),
            query.query_string()
        ))
        .await
}

/// The search for `q` (trimmed), or the plain list when `q` is blank.
pub async fn find(
    client: &ApiClient,
    q: &str,
    query: &ContactQuery,
) -> Result<ContactList, ApiError> {
    match q.trim() {
        "" => list(client, query).await,
        q => search(client, q, query).await,
    }
}

/// `GET /api/v1/accounts/{id}/contacts?page=1&per_page=1`, as the server wrote it: a
/// contact in the raw, whose keys tell what kind of server this is (the model's types
/// would fill in the [ext] fields a stock Chatwoot leaves out).
pub async fn sample(client: &ApiClient) -> Result<serde_json::Value, ApiError> {
    let path = client.account_path("/contacts")?;
    client.get(&format!("{path}?page=1&per_page=1")).await
}

/// `{"payload": contact}`, the answer of the endpoints that change one contact.
#[derive(serde::Deserialize)]
struct ContactPayload {
    payload: novatalks_model::Contact,
}

/// The body that blocks a contact until `blocked_until` (Unix seconds; `None` is for ever),
/// for `reason` (trimmed; blank is none). All three keys are always sent: a block replaces
/// whatever block was there.
pub fn block_body(blocked_until: Option<i64>, reason: Option<&str>) -> serde_json::Value {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    serde_json::json!({
        "blocked": true,
        "blocked_until": blocked_until,
        "block_reason": reason,
    })
}

/// `PUT /api/v1/accounts/{id}/contacts/{contact_id}` blocking the contact; the contact as it
/// now is. A stock Chatwoot ignores `blocked_until` and `block_reason` (a block for ever).
pub async fn block(
    client: &ApiClient,
    id: i64,
    blocked_until: Option<i64>,
    reason: Option<String>,
) -> Result<novatalks_model::Contact, ApiError> {
    let path = client.account_path(&format!("/contacts/{id}"))?;
    let body = block_body(blocked_until, reason.as_deref());
    let answer: ContactPayload = client.put(&path, &body).await?;
    Ok(answer.payload)
}

/// `PUT /api/v1/accounts/{id}/contacts/{contact_id}` with `{"blocked": false}`, which also
/// clears the block's end and reason; the contact as it now is.
pub async fn unblock(client: &ApiClient, id: i64) -> Result<novatalks_model::Contact, ApiError> {
    let path = client.account_path(&format!("/contacts/{id}"))?;
    let body = serde_json::json!({ "blocked": false });
    let answer: ContactPayload = client.put(&path, &body).await?;
    Ok(answer.payload)
}

/// Percent-encodes everything but RFC 3986's unreserved characters, byte by byte of UTF-8.
pub(crate) fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use novatalks_model::{SortDirection, SortField};

    use super::*;

    #[test]
    fn default_query_asks_for_the_first_page_most_recent_first() {
        assert_eq!(
            ContactQuery::default().query_string(),
            "page=1&per_page=15&sort=-last_activity_at"
        );
    }

    #[test]
    fn a_block_sends_its_end_and_trimmed_reason_and_null_for_none() {
        assert_eq!(
            block_body(Some(1_764_633_600), Some("  Spam ")),
            serde_json::json!({"blocked": true, "blocked_until": 1_764_633_600, "block_reason": "Spam"})
        );
        assert_eq!(
            block_body(None, Some("   ")),
            serde_json::json!({"blocked": true, "blocked_until": null, "block_reason": null})
        );
        assert_eq!(
            block_body(None, None),
            serde_json::json!({"blocked": true, "blocked_until": null, "block_reason": null})
        );
    }

    #[test]
    fn labels_and_sort_are_encoded() {
        let query = ContactQuery {
            page: 3,
            per_page: 50,
            sort: SortKey::new(SortField::Name, SortDirection::Asc),
            labels: vec!["vip".into(), "a&b=c ж".into()],
        };
        assert_eq!(
            query.query_string(),
            "page=3&per_page=50&sort=name&labels%5B%5D=vip&labels%5B%5D=a%26b%3Dc%20%D0%B6"
        );
    }
}
