//! The words of a new conversation from the contact card, "New dialog" to the agent
//! (`Strings::new_conversation`): the button, why it is unavailable, and the dialog.
//! English here too, as one table.

use crate::logic::write_first::WhyNot;

pub struct NewConversationStrings {
    pub button: &'static str,
    /// The button's reason while the inboxes are being asked about.
    pub checking: &'static str,
    /// "Could not check which channels can write first: <why>".
    pub check_failed: fn(&str) -> String,
    pub no_channel: &'static str,
    pub needs_email: &'static str,
    pub needs_phone: &'static str,
    pub needs_email_or_phone: &'static str,
    pub no_inbox_reaches: &'static str,

    /// The dialog's title: "New dialog with Olena Kovalenko".
    pub title: fn(&str) -> String,
    pub intro: &'static str,
    /// Over a blocked contact's dialog: the message goes out, replies do not come in.
    pub blocked_notice: &'static str,
    pub inbox_legend: &'static str,
    /// Under an inbox: "to olena@example.com".
    pub to_address: fn(&str) -> String,
    pub message_label: &'static str,
    pub message_hint: &'static str,
    pub message_missing: &'static str,
    /// "At most 10000 characters".
    pub message_too_long: fn(usize) -> String,
    pub send: &'static str,
    pub sending: &'static str,
    /// "Could not start the dialog: <why>".
    pub failed: fn(&str) -> String,
    /// The toast: "Dialog with Olena Kovalenko started in Support email".
    pub started: fn(&str, &str) -> String,
}

impl NewConversationStrings {
    /// Why the agent cannot write first, and what would allow it.
    pub fn why_not(&self, why: WhyNot) -> &'static str {
        match why {
            WhyNot::NoChannel => self.no_channel,
            WhyNot::NeedsEmail => self.needs_email,
            WhyNot::NeedsPhone => self.needs_phone,
            WhyNot::NeedsEmailOrPhone => self.needs_email_or_phone,
            WhyNot::NoInboxReaches => self.no_inbox_reaches,
        }
    }
}

pub static NEW_CONVERSATION_EN: NewConversationStrings = NewConversationStrings {
    button: "New dialog",
    checking: "Checking which channels can write first…",
    check_failed: |why| format!("Could not check which channels can write first: {why}"),
    no_channel: "No channel can write first: turn on “Can write first to a new client” in an \
                 inbox's settings.",
    needs_email: "Add an email to write first: the channels that can write first reach \
                  a client by email.",
    needs_phone: "Add a phone number to write first: the channels that can write first \
                  reach a client by phone.",
    needs_email_or_phone: "Add an email or a phone number to write first.",
    no_inbox_reaches: "No inbox can write first to this contact: turn on “Can write first to \
                       a new client” in an inbox of a channel it can be reached by.",

    title: |name| format!("New dialog with {name}"),
    intro: "Choose the inbox to write from, and write the first message.",
    blocked_notice: "This contact is blocked: your message will be sent, but its replies will \
                     not reach NovaTalks until the block ends.",
    inbox_legend: "Inbox",
    to_address: |address| format!("to {address}"),
    message_label: "Message",
    message_hint: "Ctrl+Enter (⌘+Enter on a Mac) sends.",
    message_missing: "Write the first message.",
    message_too_long: |max| format!("At most {max} characters."),
    send: "Send",
    sending: "Sending…",
    failed: |why| format!("Could not start the dialog: {why}"),
    started: |name, inbox| format!("Dialog with {name} started in {inbox}"),
};
