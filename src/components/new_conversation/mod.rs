//! A new conversation, started from the contact card (issue #7; the agent reads "New
//! dialog"): the agent writes first to a contact from an inbox that can write first to a
//! new client and reaches it. The button says why when none does; the dialog picks the
//! inbox and sends the first message. Test ids and CSS classes keep the agent's word,
//! `new-dialog-…`.

mod inbox_choice;
mod new_conversation_button;
mod new_conversation_form;

pub use inbox_choice::InboxChoice;
pub use new_conversation_button::NewConversationButton;
pub use new_conversation_form::NewConversationForm;
