//! The contact card and the create-contact form: one component per file, with the pure
//! rules they share (field checks, attribute values, patterns).

mod add_attribute;
mod attribute_input;
mod attribute_row;
pub mod attribute_value;
mod attributes_panel;
mod back_link;
mod block_control;
mod card_header;
mod channel_icon;
mod conflict_notice;
mod contact_card;
mod conversation_item;
mod conversations_list;
mod delete_contact;
mod details_editor;
pub mod field_rules;
mod inline_field;
mod label_picker;
mod label_tag;
mod language_picker;
mod merged_notice;
mod new_contact_form;
mod new_definition_form;
mod note_item;
mod notes_panel;
pub mod pattern;
mod phone_preview;
mod system_attributes;

use std::sync::atomic::{AtomicU32, Ordering};

pub use add_attribute::AddAttribute;
pub use attribute_input::AttributeInput;
pub use attribute_row::AttributeRow;
pub use attributes_panel::AttributesPanel;
pub use back_link::BackLink;
pub use block_control::BlockControl;
pub use card_header::CardHeader;
pub use channel_icon::ChannelIcon;
pub use conflict_notice::ConflictNotice;
pub use contact_card::ContactCard;
pub use conversation_item::ConversationItem;
pub use conversations_list::{ConversationsList, ConversationsRefresh};
pub use delete_contact::DeleteContact;
pub use details_editor::DetailsEditor;
pub use inline_field::InlineField;
pub use label_picker::LabelPicker;
pub use label_tag::LabelTag;
pub use language_picker::LanguagePicker;
pub use merged_notice::MergedNotice;
pub use new_contact_form::NewContactForm;
pub use new_definition_form::NewDefinitionForm;
pub use note_item::NoteItem;
pub use notes_panel::NotesPanel;
pub use phone_preview::PhonePreview;
pub use system_attributes::SystemAttributes;

/// An element id no other element of the page has (for `for`, `aria-describedby`…).
pub(crate) fn element_id(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Unix seconds now.
pub(crate) fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
