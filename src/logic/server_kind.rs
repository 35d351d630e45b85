//! Which server the app talks to: NovaTalks (with the contract's [ext] fields) or a stock
//! Chatwoot (without them).
//!
//! The model reads every [ext] field with `#[serde(default)]`, which erases whether the
//! server sent it; so the kind is read from the raw JSON instead. A [`ProbingTransport`]
//! looks at the first contact the server answers with (a list, a search, a filter, one
//! contact): a NovaTalks contact always carries `conversations_count` and `blocked_until`
//! (`null` when there is none), a stock Chatwoot contact never does. The first answer
//! decides for the session; after it, answers pass through unread.
//!
//! Until a contact has been seen, the kind is unknown and the app behaves as with
//! NovaTalks: nothing shows a contact before one has arrived.

use novatalks_model::extension::ALWAYS_SENT_CONTACT_KEYS;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServerKind {
    /// No contact seen yet.
    #[default]
    Unknown,
    /// The contract's [ext] fields are there.
    NovaTalks,
    /// A stock Chatwoot: no [ext] fields; blocks have no end and no reason, a contact's
    /// labels come from `GET /contacts/{id}/labels`, the page size is the server's.
    StockChatwoot,
}

impl ServerKind {
    /// What the contacts in a JSON answer say about the server, if it holds a contact.
    pub fn of_answer(body: &str) -> ServerKind {
        let Ok(value) = serde_json::from_str::<Value>(body) else {
            return ServerKind::Unknown;
        };
        match first_contact(&value) {
            Some(contact)
                if ALWAYS_SENT_CONTACT_KEYS
                    .iter()
                    .any(|k| contact.contains_key(*k)) =>
            {
                ServerKind::NovaTalks
            }
            Some(_) => ServerKind::StockChatwoot,
            None => ServerKind::Unknown,
        }
    }
}

/// The first contact object of an answer: `{payload: [contact…]}`, `{payload: contact}`
/// or `{payload: {contact: …}}` (Chatwoot's create). A contact is an object with an `id`
/// and an `availability_status`.
fn first_contact(value: &Value) -> Option<&serde_json::Map<String, Value>> {
    match value {
        Value::Object(map) if map.contains_key("id") && map.contains_key("availability_status") => {
            Some(map)
        }
        Value::Object(map) => map.values().find_map(first_contact),
        Value::Array(items) => items.iter().find_map(first_contact),
        _ => None,
    }
}

/// What follows `/api/v1/accounts/{account}/contacts` in `path` (which may start with a
/// base URL, whatever its host is called): `Some("")` for the list itself.
fn contacts_tail(path: &str) -> Option<&str> {
    const ACCOUNTS: &str = "/api/v1/accounts/";
    let at = path.find(ACCOUNTS)? + ACCOUNTS.len();
    let (account, rest) = path[at..].split_once('/')?;
    if account.is_empty() || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let tail = rest.strip_prefix("contacts")?;
    match tail.strip_prefix('/') {
        Some("") => None,
        Some(tail) => Some(tail),
        None if tail.is_empty() => Some(""),
        None => None,
    }
}

/// Whether `path` (no query string) answers with contacts: the list, the search, the
/// filter, one contact. Other answers may embed contact-like objects of other shapes (a
/// conversation's sender), which say nothing about the contact JSON.
pub fn answers_with_contacts(path: &str) -> bool {
    contacts_tail(path).is_some_and(|tail| {
        tail.is_empty()
            || tail == "search"
            || tail == "filter"
            || tail.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The contact id of `/api/v1/accounts/{a}/contacts/{id}/labels`.
pub fn labels_path_contact(path: &str) -> Option<i64> {
    contacts_tail(path)?.strip_suffix("/labels")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_with_extension_keys_is_novatalks_even_when_they_are_null() {
        let body = r#"{"meta":{"count":1,"current_page":1},"payload":[{"id":1,
            "availability_status":"offline","blocked":false,"blocked_until":null,
            "conversations_count":0,"labels":[]}]}"#;
        assert_eq!(ServerKind::of_answer(body), ServerKind::NovaTalks);
    }

    #[test]
    fn a_contact_without_them_is_stock_chatwoot() {
        let list = r#"{"meta":{"count":1,"current_page":1},"payload":[{"id":1,
            "availability_status":"offline","blocked":true,"name":"conversations_count"}]}"#;
        assert_eq!(ServerKind::of_answer(list), ServerKind::StockChatwoot);
        let one = r#"{"payload":{"id":7,"availability_status":"online","blocked":false}}"#;
        assert_eq!(ServerKind::of_answer(one), ServerKind::StockChatwoot);
        let created = r#"{"payload":{"contact":{"id":7,"availability_status":"online"}}}"#;
        assert_eq!(ServerKind::of_answer(created), ServerKind::StockChatwoot);
    }

    #[test]
    fn answers_without_a_contact_say_nothing() {
        for body in [
            r#"{"meta":{"count":0,"current_page":1},"payload":[]}"#,
            r#"{"payload":["vip"]}"#,
            "not json",
            "",
        ] {
            assert_eq!(ServerKind::of_answer(body), ServerKind::Unknown, "{body}");
        }
    }

    #[test]
    fn only_contact_answers_are_probed() {
        for path in [
            "/api/v1/accounts/1/contacts",
            "/api/v1/accounts/1/contacts/search",
            "/api/v1/accounts/1/contacts/filter",
            "/api/v1/accounts/1/contacts/42",
            "http://chat.example/api/v1/accounts/1/contacts/42",
            "https://contacts.example.com/api/v1/accounts/1/contacts",
        ] {
            assert!(answers_with_contacts(path), "{path}");
        }
        for path in [
            "/api/v1/accounts/1/contacts/42/conversations",
            "/api/v1/accounts/1/contacts/42/labels",
            "/api/v1/accounts/1/labels",
            "/api/v1/accounts/1/contacts/",
            "/api/v1/accounts/1/contacts_export",
            "/api/v1/accounts/x/contacts",
            "/auth/sign_in",
        ] {
            assert!(!answers_with_contacts(path), "{path}");
        }
    }

    #[test]
    fn labels_paths_name_their_contact() {
        assert_eq!(
            labels_path_contact("/api/v1/accounts/1/contacts/42/labels"),
            Some(42)
        );
        assert_eq!(
            labels_path_contact("https://contacts.example.com/api/v1/accounts/1/contacts/7/labels"),
            Some(7)
        );
        assert_eq!(labels_path_contact("/api/v1/accounts/1/labels"), None);
        assert_eq!(
            labels_path_contact("/api/v1/accounts/1/contacts/42/notes"),
            None
        );
    }
}
