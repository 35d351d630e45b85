use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// [ext] Keys of `additional_attributes` where the public API keeps what a visitor who
/// did not prove who they are (no valid `identifier_hash`) gave as their email, phone
/// number or identifier when another contact already has it: the visitor gets a new
/// contact that does not claim the value, agents see it there, and the merge picker
/// offers the contact that has it.
pub const UNVERIFIED_EMAIL: &str = "unverified_email";
pub const UNVERIFIED_PHONE_NUMBER: &str = "unverified_phone_number";
pub const UNVERIFIED_IDENTIFIER: &str = "unverified_identifier";

/// A contact's identity in one inbox: its address there and the inbox, slim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactInbox {
    pub source_id: String,
    pub inbox: crate::around::InboxSlim,
}

/// A contact as the API sends it.
///
/// Fields marked [ext] in the contract are NovaTalks extensions: a stock Chatwoot server
/// leaves them out, so every one of them has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub identifier: Option<String>,
    #[serde(default)]
    pub thumbnail: String,
    #[serde(default)]
    pub availability_status: Option<String>,
    #[serde(default)]
    pub blocked: bool,
    /// [ext] Unix seconds; `None` with `blocked` means forever.
    #[serde(default)]
    pub blocked_until: Option<i64>,
    /// [ext]
    #[serde(default)]
    pub block_reason: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub additional_attributes: Map<String, Value>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom_attributes: Map<String, Value>,
    /// [ext]
    #[serde(default)]
    pub labels: Vec<String>,
    /// [ext]
    #[serde(default)]
    pub conversations_count: Option<i64>,
    /// The contact's identities in the account's inboxes, as Chatwoot's contact JSON
    /// carries them (its `source_id` there, and the inbox without its secrets).
    #[serde(default)]
    pub contact_inboxes: Vec<ContactInbox>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity_at: Option<i64>,
    #[serde(default)]
    pub created_at: Option<i64>,
}

impl Contact {
    /// The text of `additional_attributes[key]` (e.g. [`UNVERIFIED_EMAIL`]), if any.
    pub fn additional_text(&self, key: &str) -> Option<&str> {
        self.additional_attributes
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The name to show: the name, else the email, else the phone, else `#id`.
    pub fn display_name(&self) -> String {
        [&self.name, &self.email, &self.phone_number]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("#{}", self.id))
    }

    /// Up to two initials for the avatar: first letters of the first and last words.
    pub fn initials(&self) -> String {
        initials(&self.display_name())
    }

    /// The customer's interaction language (ISO 639-1), the card's system attribute.
    pub fn language(&self) -> Option<&str> {
        self.additional_attributes
            .get("language")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }
}

/// Up to two upper-case initials of a name ("olena kovalenko" -> "OK", "Ж" -> "Ж"); a
/// telephone for a phone number (a contact known only by the number it called from), and
/// "?" for nothing nameable.
pub fn initials(name: &str) -> String {
    if is_phone_like(name) {
        return PHONE_AVATAR.into();
    }
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphanumeric))
        .collect();
    let pick = match words.as_slice() {
        [] => return "?".into(),
        [one] => vec![*one],
        [first, .., last] => vec![*first, *last],
    };
    pick.iter()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

/// What the avatar of a contact known only by a phone number shows.
pub const PHONE_AVATAR: &str = "\u{260E}";

/// Digits with at most the punctuation a written phone number has ("+380 50 123-45-67").
fn is_phone_like(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

/// An account label (`GET /labels`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Label {
    pub id: i64,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    pub show_on_sidebar: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(json: &str) -> Contact {
        serde_json::from_str(json).expect("valid contact json")
    }

    #[test]
    fn stock_chatwoot_contact_without_extensions_parses() {
        let c = contact(
            r#"{"id":7,"name":"Ann","email":null,"phone_number":"+4915112345678",
                "thumbnail":"","blocked":true,"additional_attributes":{},
                "custom_attributes":{},"created_at":1764400000}"#,
        );
        assert!(c.blocked);
        assert_eq!(
            c.blocked_until, None,
            "missing [ext] blocked_until means forever"
        );
        assert!(c.labels.is_empty());
        assert_eq!(c.conversations_count, None);
        assert_eq!(c.last_activity_at, None);
    }

    #[test]
    fn display_name_falls_back_to_email_phone_then_id() {
        assert_eq!(
            contact(r#"{"id":1,"name":"  ","email":"a@b.c"}"#).display_name(),
            "a@b.c"
        );
        assert_eq!(
            contact(r#"{"id":1,"phone_number":"+1"}"#).display_name(),
            "+1"
        );
        assert_eq!(contact(r#"{"id":9}"#).display_name(), "#9");
    }

    #[test]
    fn initials_use_first_and_last_word_in_any_script() {
        assert_eq!(initials("Olena Kovalenko"), "OK");
        assert_eq!(initials("Олена Петрівна Коваленко"), "ОК");
        assert_eq!(initials("élodie"), "É");
        assert_eq!(initials("  "), "?");
        assert_eq!(
            initials("Olena +X Kovalenko"),
            "OK",
            "words not starting with a letter or digit are skipped"
        );
        assert_eq!(initials("olena@example.com"), "O");
    }

    #[test]
    fn a_phone_only_contact_gets_a_telephone_not_a_question_mark() {
        for phone in [
            "+380501234567",
            "+380 50 123-45-67",
            "(050) 123 45 67",
            "0501234567",
        ] {
            assert_eq!(initials(phone), PHONE_AVATAR, "{phone}");
        }
        let phone_only = contact(r#"{"id":4,"phone_number":"+380501234567"}"#);
        assert_eq!(phone_only.initials(), PHONE_AVATAR);
        assert_eq!(initials("+"), "?");
    }

    #[test]
    fn language_is_read_from_additional_attributes() {
        let c = contact(r#"{"id":1,"additional_attributes":{"language":"uk"}}"#);
        assert_eq!(c.language(), Some("uk"));
        assert_eq!(contact(r#"{"id":1}"#).language(), None);
    }
}
