//! Which server the app talks to: NovaTalks (with the contract's [ext] fields) or a stock
//! Chatwoot (without them).
//!
//! The model reads every [ext] field with `#[serde(default)]`, which erases whether the
//! server sent it; so the kind is read from the raw JSON of a contact instead: a
//! NovaTalks contact always carries `conversations_count` and `blocked_until` (`null`
//! when there is none), a stock Chatwoot contact never does. The app asks once per
//! session (`state::ServerCapabilities`).
//!
//! Until a contact has been seen (an account without any), the kind is unknown and the
//! app behaves as with NovaTalks.

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
    pub fn of_answer(value: &Value) -> ServerKind {
        match first_contact(value) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn of_body(body: &str) -> ServerKind {
        serde_json::from_str(body)
            .map_or(ServerKind::Unknown, |value| ServerKind::of_answer(&value))
    }

    #[test]
    fn a_contact_with_extension_keys_is_novatalks_even_when_they_are_null() {
        let body = r#"{"meta":{"count":1,"current_page":1},"payload":[{"id":1,
            "availability_status":"offline","blocked":false,"blocked_until":null,
            "conversations_count":0,"labels":[]}]}"#;
        assert_eq!(of_body(body), ServerKind::NovaTalks);
    }

    #[test]
    fn a_contact_without_them_is_stock_chatwoot() {
        let list = r#"{"meta":{"count":1,"current_page":1},"payload":[{"id":1,
            "availability_status":"offline","blocked":true,"name":"conversations_count"}]}"#;
        assert_eq!(of_body(list), ServerKind::StockChatwoot);
        let one = r#"{"payload":{"id":7,"availability_status":"online","blocked":false}}"#;
        assert_eq!(of_body(one), ServerKind::StockChatwoot);
        let created = r#"{"payload":{"contact":{"id":7,"availability_status":"online"}}}"#;
        assert_eq!(of_body(created), ServerKind::StockChatwoot);
    }

    #[test]
    fn answers_without_a_contact_say_nothing() {
        for body in [
            r#"{"meta":{"count":0,"current_page":1},"payload":[]}"#,
            r#"{"payload":["vip"]}"#,
            "not json",
            "",
        ] {
            assert_eq!(of_body(body), ServerKind::Unknown, "{body}");
        }
    }
}
