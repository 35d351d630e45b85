//! "New dialog" on the contact card (issue #7): the agent writes first to a contact from
//! an inbox that can write first to a new client and reaches it. The button says why
//! when none does; the dialog picks the inbox and sends the first message.

mod inbox_choice;
mod new_dialog_button;
mod new_dialog_form;
pub mod write_first;

pub use inbox_choice::InboxChoice;
pub use new_dialog_button::NewDialogButton;
pub use new_dialog_form::NewDialogForm;
pub use write_first::{write_first, InboxFacts, WhyNot, WriteFirst, WriteFirstOption};
