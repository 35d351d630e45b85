//! The words of the contact card and the create-contact form (`Strings::card`). The
//! English ones are in `en.rs`, with the rest.

use novatalks_model::filter::AttributeKind;

use crate::logic::contact_edit::ContactField;

pub struct CardStrings {
    pub back_to_contacts: &'static str,
    pub new_contact: &'static str,
    pub new_contact_heading: &'static str,
    pub loading: &'static str,
    pub contact_not_found: &'static str,
    /// "Could not load the contact: <why>".
    pub load_failed: fn(&str) -> String,
    pub merged_away: &'static str,
    /// "Open contact #12".
    pub open_merged: fn(i64) -> String,

    pub field_name: &'static str,
    pub field_email: &'static str,
    pub field_phone: &'static str,
    pub field_identifier: &'static str,
    /// Under the phone field: what can be typed, and what is stored.
    pub phone_hint: &'static str,
    /// "Saved as +380677654321": the number as the contact will store it.
    pub phone_saved_as: fn(&str) -> String,
    /// A number written in E.164 that no country has: "Saved as +15550427098, but no
    /// country has this number: check it".
    pub phone_saved_nowhere: fn(&str) -> String,
    pub email_invalid: &'static str,
    pub phone_invalid: &'static str,
    /// "At most 255 characters".
    pub too_long: fn(usize) -> String,
    /// The accessible name of an edit button: "Edit Email".
    pub edit_field: fn(&str) -> String,
    pub save: &'static str,
    pub saving: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    /// "Could not save: <why>".
    pub save_failed: fn(&str) -> String,
    /// Another agent changed the value while this one edited it: "<their value>".
    pub changed_meanwhile: fn(&str) -> String,
    /// Before the link to the contact holding a unique value.
    pub conflict_prefix: &'static str,
    /// The link while the contact's name is unknown: "contact #123".
    pub conflict_contact: fn(i64) -> String,
    /// The link: "Olena Kovalenko (#123)".
    pub conflict_named: fn(&str, i64) -> String,

    pub details_heading: &'static str,
    pub created_at: &'static str,
    pub last_activity: &'static str,
    pub delete_contact: &'static str,
    /// "Delete Olena Kovalenko?"
    pub delete_title: fn(&str) -> String,
    pub delete_intro: &'static str,
    pub delete_confirm: &'static str,
    pub deleting: &'static str,
    pub delete_failed: fn(&str) -> String,

    pub system_attributes_heading: &'static str,
    pub language: &'static str,
    pub language_not_set: &'static str,
    pub city: &'static str,
    pub country: &'static str,
    pub company: &'static str,

    pub attributes_heading: &'static str,
    pub no_attributes: &'static str,
    pub no_definitions: &'static str,
    pub definitions_failed: fn(&str) -> String,
    pub add_attribute: &'static str,
    pub attribute: &'static str,
    pub choose: &'static str,
    pub new_attribute: &'static str,
    /// The accessible name of a remove button: "Remove Plan".
    pub remove_attribute: fn(&str) -> String,
    /// "Could not remove Plan: <why>".
    pub remove_failed: fn(&str, &str) -> String,
    pub yes: &'static str,
    pub no: &'static str,
    pub value_blank: &'static str,
    pub value_not_a_number: fn(&str) -> String,
    pub value_not_a_link: fn(&str) -> String,
    pub value_not_a_date: fn(&str) -> String,
    /// (name, the choices joined).
    pub value_not_in_list: fn(&str, &str) -> String,
    pub value_pattern_mismatch: fn(&str) -> String,
    /// A value larger than the server keeps: (name).
    pub value_too_large: fn(&str) -> String,
    /// A contact already has as many attributes as it may: (the most).
    pub attributes_too_many: fn(usize) -> String,
    pub kind_text: &'static str,
    pub kind_number: &'static str,
    pub kind_currency: &'static str,
    pub kind_percent: &'static str,
    pub kind_link: &'static str,
    pub kind_date: &'static str,
    pub kind_list: &'static str,
    pub kind_checkbox: &'static str,
    pub definition_name: &'static str,
    pub definition_key: &'static str,
    pub definition_key_hint: &'static str,
    pub definition_type: &'static str,
    pub definition_values: &'static str,
    pub definition_values_hint: &'static str,
    pub definition_pattern: &'static str,
    pub definition_name_missing: &'static str,
    pub definition_key_invalid: &'static str,
    pub definition_key_reserved: &'static str,
    pub definition_values_missing: &'static str,
    /// (the most choices).
    pub definition_values_too_many: fn(usize) -> String,
    /// (the longest choice, in characters).
    pub definition_value_too_long: fn(usize) -> String,
    pub definition_pattern_invalid: &'static str,
    pub create_attribute: &'static str,

    pub labels_heading: &'static str,
    pub add_label: &'static str,
    pub add_label_placeholder: &'static str,
    /// The option that creates a label: "Create label “vip-2”".
    pub create_label: fn(&str) -> String,
    /// The accessible name of a chip's remove button: "Remove label vip".
    pub remove_label: fn(&str) -> String,
    pub label_blank: &'static str,
    /// (the longest title, in characters).
    pub label_too_long: fn(usize) -> String,
    pub label_chars: &'static str,
    /// (the most labels a contact may have).
    pub labels_too_many: fn(usize) -> String,
    pub labels_failed: fn(&str) -> String,
    /// (label, why)
    pub label_add_failed: fn(&str, &str) -> String,
    pub label_remove_failed: fn(&str, &str) -> String,

    pub conversations_heading: &'static str,
    pub no_conversations: &'static str,
    pub conversations_failed: fn(&str) -> String,
    pub no_messages: &'static str,
    /// An agent's last message: "You: <text>".
    pub outgoing_excerpt: fn(&str) -> String,
    /// An inbox the server did not describe: "Inbox #3".
    pub inbox_number: fn(i64) -> String,
    pub channel_web_widget: &'static str,
    pub channel_api: &'static str,
    pub channel_email: &'static str,
    pub channel_whatsapp: &'static str,
    pub channel_telegram: &'static str,
    pub channel_viber: &'static str,
    pub channel_call: &'static str,
    pub channel_other: &'static str,
    pub status_open: &'static str,
    pub status_resolved: &'static str,
    pub status_pending: &'static str,
    pub status_snoozed: &'static str,

    pub notes_heading: &'static str,
    pub no_notes: &'static str,
    pub add_note: &'static str,
    pub note_placeholder: &'static str,
    pub note_shortcut: &'static str,
    pub edit_note: &'static str,
    pub edited: &'static str,
    /// A note changed last by someone other than its author: "(edited by Maria)".
    pub edited_by: fn(&str) -> String,
    pub deleted_agent: &'static str,
    pub delete_note_question: &'static str,
    pub note_too_long: fn(usize) -> String,
    pub notes_failed: fn(&str) -> String,
    pub note_add_failed: fn(&str) -> String,
    pub note_edit_failed: fn(&str) -> String,
    pub note_delete_failed: fn(&str) -> String,

    pub create_contact: &'static str,
    pub creating: &'static str,
    pub contact_needs_something: &'static str,
    pub create_failed: fn(&str) -> String,
}

impl CardStrings {
    pub fn field_label(&self, field: ContactField) -> &'static str {
        match field {
            ContactField::Name => self.field_name,
            ContactField::Email => self.field_email,
            ContactField::Phone => self.field_phone,
            ContactField::Identifier => self.field_identifier,
        }
    }

    pub fn kind_name(&self, kind: AttributeKind) -> &'static str {
        match kind {
            AttributeKind::Text => self.kind_text,
            AttributeKind::Number => self.kind_number,
            AttributeKind::Currency => self.kind_currency,
            AttributeKind::Percent => self.kind_percent,
            AttributeKind::Link => self.kind_link,
            AttributeKind::Date => self.kind_date,
            AttributeKind::List => self.kind_list,
            AttributeKind::Checkbox => self.kind_checkbox,
        }
    }

    /// The name of a channel type, without its `Channel::` prefix ("Whatsapp").
    pub fn channel_name(&self, kind: &str) -> &'static str {
        match kind {
            "WebWidget" => self.channel_web_widget,
            "Api" => self.channel_api,
            "Email" => self.channel_email,
            "Whatsapp" => self.channel_whatsapp,
            "Telegram" => self.channel_telegram,
            "Viber" => self.channel_viber,
            "Call" => self.channel_call,
            _ => self.channel_other,
        }
    }

    /// A conversation's status; one this version does not know, as the server said it.
    pub fn conversation_status(&self, status: &str) -> String {
        match status {
            "open" => self.status_open.to_owned(),
            "resolved" => self.status_resolved.to_owned(),
            "pending" => self.status_pending.to_owned(),
            "snoozed" => self.status_snoozed.to_owned(),
            other => other.to_owned(),
        }
    }
}
