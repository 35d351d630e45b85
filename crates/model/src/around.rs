//! What surrounds a contact: notes, conversations, inboxes (channels), and the rules of
//! who may write first to whom.

use serde::{Deserialize, Serialize};

/// The longest note or message content accepted, in characters.
pub const MAX_CONTENT_CHARS: usize = 10_000;

/// `message_type` of a message the contact sent (Chatwoot's `incoming`).
pub const INCOMING: i64 = 0;
/// `message_type` of a message an agent sent (Chatwoot's `outgoing`).
pub const OUTGOING: i64 = 1;

/// What is wrong with a note's or a message's content, in Chatwoot's validation words,
/// or `None` when it can be stored. Content is stored verbatim: markup is just text.
pub fn content_problem(content: &str) -> Option<String> {
    if content.trim().is_empty() {
        Some("Content can't be blank".to_owned())
    } else if content.chars().count() > MAX_CONTENT_CHARS {
        Some(format!(
            "Content is too long (maximum is {MAX_CONTENT_CHARS} characters)"
        ))
    } else {
        None
    }
}

/// The agent who wrote a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteAuthor {
    pub id: i64,
    pub name: String,
}

/// A note on a contact. `user` (its author) is absent when the author's account was
/// deleted; `edited_by` [ext] is the agent who changed it last, absent when nobody has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    pub id: i64,
    pub content: String,
    pub contact_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<NoteAuthor>,
    /// [ext]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_by: Option<NoteAuthor>,
    pub created_at: i64,
    #[serde(default)]
    pub updated_at: i64,
}

/// Body of `POST /contacts/{id}/notes` and `PATCH /contacts/{id}/notes/{note_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteInput {
    pub content: String,
}

/// An inbox (a channel) of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub id: i64,
    pub name: String,
    /// Chatwoot's channel class: `Channel::Email`, `Channel::Whatsapp`, … and
    /// `Channel::Call` [ext].
    pub channel_type: String,
    /// [ext] The inbox option "Can write first to a new client".
    #[serde(default)]
    pub can_write_first: bool,
    /// Only `Channel::Api` inboxes have one: the key of their public API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbox_identifier: Option<String>,
    /// [ext] For administrators, of `Channel::Api` inboxes: the secret a channel signs
    /// the customer's `identifier` with (`identifier_hash`, hex HMAC-SHA256), as
    /// Chatwoot's `hmac_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_token: Option<String>,
    /// [ext] With `hmac_token`: whether the public API refuses a contact without a valid
    /// `identifier_hash` (Chatwoot's `hmac_mandatory`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_mandatory: Option<bool>,
}

/// `GET /inboxes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxList {
    pub payload: Vec<Inbox>,
}

/// An inbox from which an agent may open a dialog with a contact, and the contact's
/// address there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactableInbox {
    pub inbox: Inbox,
    pub source_id: String,
}

/// `GET /contacts/{id}/contactable_inboxes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactableInboxList {
    pub payload: Vec<ContactableInbox>,
}

/// The inbox of a conversation, as a conversation shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxSummary {
    pub id: i64,
    pub name: String,
    pub channel_type: String,
}

/// The keys of Chatwoot's `_inbox_slim` partial beyond [`InboxSummary`], as far as they
/// apply here: written beside the inbox where a Chatwoot client reads them. A stock
/// Chatwoot writes them too, so they default when absent only for older servers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ChannelKeys {
    /// Always "" from this server: it keeps no inbox avatars (Chatwoot's value for none).
    pub avatar_url: String,
    /// The id of the inbox's channel. This server has no separate channel records: an
    /// inbox is its own channel, so it is the inbox's id.
    pub channel_id: i64,
    /// Always null from this server: no channel here has a provider (Chatwoot writes one
    /// only for WhatsApp's and email's providers).
    pub provider: Option<String>,
}

impl ChannelKeys {
    /// The keys of inbox `inbox_id` on this server.
    pub fn of(inbox_id: i64) -> Self {
        ChannelKeys {
            avatar_url: String::new(),
            channel_id: inbox_id,
            provider: None,
        }
    }
}

/// An inbox as Chatwoot's `_inbox_slim` writes it (a contact's identities carry it): the
/// inbox and its [`ChannelKeys`], without any secret or setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxSlim {
    #[serde(flatten)]
    pub inbox: InboxSummary,
    #[serde(flatten)]
    pub channel: ChannelKeys,
}

impl From<InboxSummary> for InboxSlim {
    fn from(inbox: InboxSummary) -> Self {
        let channel = ChannelKeys::of(inbox.id);
        InboxSlim { inbox, channel }
    }
}

/// The latest message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LastMessage {
    pub content: String,
    /// [`INCOMING`] (0) or [`OUTGOING`] (1), as Chatwoot.
    pub message_type: i64,
    pub created_at: i64,
}

/// A conversation of a contact, in any channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationSummary {
    pub id: i64,
    pub inbox_id: i64,
    pub inbox: InboxSummary,
    /// `open`, `resolved`, `pending` or `snoozed`.
    pub status: String,
    pub created_at: i64,
    pub last_activity_at: i64,
    /// `None` for a conversation without messages.
    #[serde(default)]
    pub last_message: Option<LastMessage>,
}

/// `GET /contacts/{id}/conversations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationList {
    pub payload: Vec<ConversationSummary>,
}

/// Body of `POST /conversations`: a new dialog an agent opens with a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewConversation {
    pub contact_id: i64,
    pub inbox_id: i64,
    pub message: NewMessage,
}

/// The first message of a new dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMessage {
    #[serde(default)]
    pub content: String,
}

/// Why an inbox cannot open a dialog with a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    /// Website chat and API channels: only the customer starts a conversation there.
    CustomerStarts,
    /// The inbox option "Can write first to a new client" is off.
    WriteFirstDisabled,
    /// An email inbox, and the contact has no email.
    NeedsEmail,
    /// A phone-addressed channel, and the contact has no phone number.
    NeedsPhone,
    /// A channel type this server does not know how to address.
    UnknownChannel,
}

impl Unreachable {
    /// The reason, for a person, naming the inbox.
    pub fn message(self, inbox_name: &str) -> String {
        match self {
            Unreachable::CustomerStarts => format!(
                "Inbox {inbox_name} cannot write first to a new client: in a website chat or API channel the customer starts the conversation"
            ),
            Unreachable::WriteFirstDisabled => format!(
                "Inbox {inbox_name} cannot write first to a new client: enable “Can write first to a new client” in its settings"
            ),
            Unreachable::NeedsEmail => {
                format!("Inbox {inbox_name} needs the contact's email to write first: add an email to the contact")
            }
            Unreachable::NeedsPhone => format!(
                "Inbox {inbox_name} needs the contact's phone number to write first: add a phone number to the contact"
            ),
            Unreachable::UnknownChannel => {
                format!("Inbox {inbox_name} cannot write first to a new client: its channel cannot start conversations")
            }
        }
    }
}

/// The contact's address (`source_id`) in an inbox an agent wants to write first from,
/// or why that is impossible.
///
/// Email inboxes address the contact by its email. Phone-addressed channels (WhatsApp,
/// Viber, Telegram by phone, calls) by its E.164 number without the `+`, as Chatwoot
/// does for WhatsApp: one form for every phone channel, so the identity a contact already
/// has in such an inbox is found again. Website chat and API channels never write first.
pub fn write_first_source(
    channel_type: &str,
    can_write_first: bool,
    email: Option<&str>,
    phone_number: Option<&str>,
) -> Result<String, Unreachable> {
    let present = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    match channel_type {
        "Channel::WebWidget" | "Channel::Api" => Err(Unreachable::CustomerStarts),
        "Channel::Email" | "Channel::Whatsapp" | "Channel::Viber" | "Channel::Telegram"
        | "Channel::Call"
            if !can_write_first =>
        {
            Err(Unreachable::WriteFirstDisabled)
        }
        "Channel::Email" => present(email).ok_or(Unreachable::NeedsEmail),
        "Channel::Whatsapp" | "Channel::Viber" | "Channel::Telegram" | "Channel::Call" => {
            present(phone_number)
                .map(|p| p.trim_start_matches('+').to_owned())
                .filter(|p| !p.is_empty())
                .ok_or(Unreachable::NeedsPhone)
        }
        _ => Err(Unreachable::UnknownChannel),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_must_be_present_and_at_most_ten_thousand_characters() {
        assert_eq!(
            content_problem("  \n "),
            Some("Content can't be blank".to_owned())
        );
        assert_eq!(content_problem("<b>hi</b>"), None);
        assert_eq!(
            content_problem(&"ж".repeat(MAX_CONTENT_CHARS)),
            None,
            "characters, not bytes"
        );
        assert!(content_problem(&"a".repeat(MAX_CONTENT_CHARS + 1))
            .is_some_and(|m| m.contains("10000")));
    }

    #[test]
    fn email_inbox_writes_to_the_email_phone_channels_to_the_digits() {
        assert_eq!(
            write_first_source("Channel::Email", true, Some("a@b.c"), None),
            Ok("a@b.c".into())
        );
        for ch in [
            "Channel::Whatsapp",
            "Channel::Viber",
            "Channel::Telegram",
            "Channel::Call",
        ] {
            assert_eq!(
                write_first_source(ch, true, None, Some("+380501234567")),
                Ok("380501234567".into())
            );
            assert_eq!(
                write_first_source(ch, true, Some("a@b.c"), None),
                Err(Unreachable::NeedsPhone)
            );
        }
        assert_eq!(
            write_first_source("Channel::Email", true, None, Some("+1")),
            Err(Unreachable::NeedsEmail)
        );
        assert_eq!(
            write_first_source("Channel::Email", true, Some("  "), None),
            Err(Unreachable::NeedsEmail)
        );
    }

    #[test]
    fn widget_and_api_never_write_first_and_the_option_must_be_on() {
        for ch in ["Channel::WebWidget", "Channel::Api"] {
            assert_eq!(
                write_first_source(ch, true, Some("a@b.c"), Some("+1")),
                Err(Unreachable::CustomerStarts)
            );
        }
        assert_eq!(
            write_first_source("Channel::Email", false, Some("a@b.c"), None),
            Err(Unreachable::WriteFirstDisabled)
        );
        assert_eq!(
            write_first_source("Channel::Fax", true, None, Some("+1")),
            Err(Unreachable::UnknownChannel)
        );
        assert!(Unreachable::WriteFirstDisabled
            .message("Telegram bot")
            .contains("Inbox Telegram bot"));
    }

    #[test]
    fn a_note_of_a_deleted_agent_has_no_user_and_round_trips() {
        let note: Note = serde_json::from_str(
            r#"{"id":1,"content":"x","contact_id":2,"created_at":3,"updated_at":4}"#,
        )
        .expect("note");
        assert_eq!(note.user, None);
        let json = serde_json::to_value(&note).expect("json");
        assert!(json.get("user").is_none());
    }

    #[test]
    fn inbox_identifier_is_left_out_unless_the_inbox_has_one() {
        let inbox = Inbox {
            id: 1,
            name: "Mail".into(),
            channel_type: "Channel::Email".into(),
            can_write_first: true,
            inbox_identifier: None,
            hmac_token: None,
            hmac_mandatory: None,
        };
        let json = serde_json::to_value(&inbox).expect("json");
        for key in ["inbox_identifier", "hmac_token", "hmac_mandatory"] {
            assert!(json.get(key).is_none(), "{key}");
        }
    }
}
