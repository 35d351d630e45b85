//! Whether the agent can open a dialog with a contact ("New dialog"), from which inboxes
//! and to which of its addresses, or why not. Pure: the card feeds it what the API said
//! and the contact as shown, and it is tested natively.
//!
//! A NovaTalks server says of every inbox whether it "can write first to a new client"
//! ([ext] `can_write_first`): then the rule of the model ([`write_first_source`]) decides,
//! against the contact as the card shows it, so an email just added opens the dialog at
//! once. A stock Chatwoot says nothing of the kind: then the inboxes it lists as
//! contactable for the contact are the truth.

use novatalks_model::around::{write_first_source, ContactableInbox, Inbox, Unreachable};

/// An inbox the agent can write first from, and where the message goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFirstOption {
    pub inbox: Inbox,
    /// The contact's identity in the inbox, sent with the new conversation.
    pub source_id: String,
    /// The address the agent is shown: the contact's email, or its phone number as
    /// stored; `None` for a channel that addresses the contact otherwise.
    pub address: Option<String>,
}

/// Why the agent cannot write first to the contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhyNot {
    /// No inbox of the account has "Can write first to a new client".
    NoChannel,
    /// Only email inboxes can write first, and the contact has no email.
    NeedsEmail,
    /// Only phone channels can write first, and the contact has no phone number.
    NeedsPhone,
    /// Email and phone channels can write first, and the contact has neither address.
    NeedsEmailOrPhone,
    /// A server that does not say which inboxes write first (a stock Chatwoot) offers
    /// none for this contact, though it has an address.
    NoInboxReaches,
}

/// Whether the agent can write first to the contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteFirst {
    /// From these inboxes, in the account's order.
    Ready(Vec<WriteFirstOption>),
    Unavailable(WhyNot),
}

/// What the API said about the account's inboxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxFacts {
    pub inboxes: Vec<Inbox>,
    /// The server told, inbox by inbox, whether it can write first ([ext]).
    pub says_write_first: bool,
    /// `GET /contacts/{id}/contactable_inboxes`, asked only when the server does not tell.
    pub contactable: Option<Vec<ContactableInbox>>,
}

/// The decision for a contact with this email and phone number.
pub fn write_first(facts: &InboxFacts, email: Option<&str>, phone: Option<&str>) -> WriteFirst {
    if facts.says_write_first {
        by_the_rule(&facts.inboxes, email, phone)
    } else {
        by_the_server(
            facts.contactable.as_deref().unwrap_or_default(),
            email,
            phone,
        )
    }
}

fn by_the_rule(inboxes: &[Inbox], email: Option<&str>, phone: Option<&str>) -> WriteFirst {
    let mut options = Vec::new();
    let (mut needs_email, mut needs_phone) = (false, false);
    for inbox in inboxes {
        match write_first_source(&inbox.channel_type, inbox.can_write_first, email, phone) {
            Ok(source_id) => options.push(WriteFirstOption {
                address: shown_address(&inbox.channel_type, email, phone),
                inbox: inbox.clone(),
                source_id,
            }),
            Err(Unreachable::NeedsEmail) => needs_email = true,
            Err(Unreachable::NeedsPhone) => needs_phone = true,
            Err(_) => {}
        }
    }
    if !options.is_empty() {
        return WriteFirst::Ready(options);
    }
    WriteFirst::Unavailable(match (needs_email, needs_phone) {
        (true, true) => WhyNot::NeedsEmailOrPhone,
        (true, false) => WhyNot::NeedsEmail,
        (false, true) => WhyNot::NeedsPhone,
        (false, false) => WhyNot::NoChannel,
    })
}

fn by_the_server(
    contactable: &[ContactableInbox],
    email: Option<&str>,
    phone: Option<&str>,
) -> WriteFirst {
    if contactable.is_empty() {
        let has_address = present(email).is_some() || present(phone).is_some();
        return WriteFirst::Unavailable(if has_address {
            WhyNot::NoInboxReaches
        } else {
            WhyNot::NeedsEmailOrPhone
        });
    }
    WriteFirst::Ready(
        contactable
            .iter()
            .map(|c| WriteFirstOption {
                address: shown_address(&c.inbox.channel_type, email, phone),
                inbox: c.inbox.clone(),
                source_id: c.source_id.clone(),
            })
            .collect(),
    )
}

/// The address a channel writes to, as the card shows it.
fn shown_address(channel_type: &str, email: Option<&str>, phone: Option<&str>) -> Option<String> {
    match channel_type {
        "Channel::Email" => present(email),
        "Channel::Whatsapp" | "Channel::Viber" | "Channel::Telegram" | "Channel::Call"
        | "Channel::Sms" | "Channel::TwilioSms" => present(phone),
        _ => None,
    }
}

fn present(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inbox(id: i64, channel: &str, can_write_first: bool) -> Inbox {
        Inbox {
            id,
            name: format!("Inbox {id}"),
            channel_type: format!("Channel::{channel}"),
            can_write_first,
            inbox_identifier: None,
            hmac_token: None,
            hmac_mandatory: None,
        }
    }

    fn told(inboxes: Vec<Inbox>) -> InboxFacts {
        InboxFacts {
            inboxes,
            says_write_first: true,
            contactable: None,
        }
    }

    fn ids(decision: &WriteFirst) -> Vec<i64> {
        match decision {
            WriteFirst::Ready(options) => options.iter().map(|o| o.inbox.id).collect(),
            WriteFirst::Unavailable(why) => panic!("unavailable: {why:?}"),
        }
    }

    const EMAIL: Option<&str> = Some("olena@example.com");
    const PHONE: Option<&str> = Some("+380501234567");

    #[test]
    fn no_inbox_that_can_write_first_names_the_setting() {
        let facts = told(vec![
            inbox(1, "WebWidget", true),
            inbox(2, "Email", false),
            inbox(3, "Whatsapp", false),
            inbox(4, "Api", true),
        ]);
        assert_eq!(
            write_first(&facts, EMAIL, PHONE),
            WriteFirst::Unavailable(WhyNot::NoChannel),
            "widget and API inboxes never write first, whatever their option"
        );
        assert_eq!(
            write_first(&told(Vec::new()), EMAIL, PHONE),
            WriteFirst::Unavailable(WhyNot::NoChannel)
        );
    }

    #[test]
    fn inboxes_that_write_first_but_cannot_reach_the_contact_ask_for_its_address() {
        let email_only = told(vec![inbox(1, "Email", true), inbox(2, "Whatsapp", false)]);
        assert_eq!(
            write_first(&email_only, None, PHONE),
            WriteFirst::Unavailable(WhyNot::NeedsEmail)
        );
        let phone_only = told(vec![inbox(1, "Call", true), inbox(2, "Email", false)]);
        assert_eq!(
            write_first(&phone_only, Some("  "), None),
            WriteFirst::Unavailable(WhyNot::NeedsPhone),
            "a blank email is no email"
        );
        let both = told(vec![inbox(1, "Email", true), inbox(2, "Viber", true)]);
        assert_eq!(
            write_first(&both, None, None),
            WriteFirst::Unavailable(WhyNot::NeedsEmailOrPhone)
        );
    }

    #[test]
    fn every_inbox_that_reaches_the_contact_is_offered_with_the_address_it_uses() {
        let facts = told(vec![
            inbox(1, "WebWidget", false),
            inbox(2, "Email", true),
            inbox(3, "Whatsapp", true),
            inbox(4, "Telegram", false),
            inbox(6, "Call", true),
        ]);
        assert_eq!(ids(&write_first(&facts, EMAIL, PHONE)), vec![2, 3, 6]);
        assert_eq!(ids(&write_first(&facts, None, PHONE)), vec![3, 6]);
        assert_eq!(ids(&write_first(&facts, EMAIL, None)), vec![2]);

        let WriteFirst::Ready(options) = write_first(&facts, EMAIL, PHONE) else {
            panic!("ready")
        };
        assert_eq!(options[0].address.as_deref(), Some("olena@example.com"));
        assert_eq!(options[0].source_id, "olena@example.com");
        assert_eq!(options[1].address.as_deref(), Some("+380501234567"));
        assert_eq!(
            options[1].source_id, "380501234567",
            "the identity is the model's"
        );
    }

    #[test]
    fn without_the_extension_the_contactable_inboxes_decide() {
        let listed = |contactable: Vec<ContactableInbox>| InboxFacts {
            // What a stock Chatwoot sends reads as "cannot write first": it is not asked.
            inboxes: vec![inbox(1, "Email", false), inbox(2, "Api", false)],
            says_write_first: false,
            contactable: Some(contactable),
        };
        let offered = listed(vec![
            ContactableInbox {
                inbox: inbox(1, "Email", false),
                source_id: "olena@example.com".into(),
            },
            ContactableInbox {
                inbox: inbox(2, "Api", false),
                source_id: "5f3a-uuid".into(),
            },
        ]);
        let WriteFirst::Ready(options) = write_first(&offered, EMAIL, None) else {
            panic!("the server's contactable inboxes are offered")
        };
        assert_eq!(options.len(), 2);
        assert_eq!(options[0].address.as_deref(), Some("olena@example.com"));
        assert_eq!(options[1].source_id, "5f3a-uuid");
        assert_eq!(
            options[1].address, None,
            "an API identity is no address to show"
        );

        assert_eq!(
            write_first(&listed(Vec::new()), None, None),
            WriteFirst::Unavailable(WhyNot::NeedsEmailOrPhone)
        );
        assert_eq!(
            write_first(&listed(Vec::new()), EMAIL, None),
            WriteFirst::Unavailable(WhyNot::NoInboxReaches)
        );
    }
}
