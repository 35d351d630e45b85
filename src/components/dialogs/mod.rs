//! Dialogs: a modal shell with a focus trap, and the dialogs built on it.

mod block_choice;
mod block_dialog;
mod block_request;
mod modal;
mod session_ended_dialog;
mod stock_block_dialog;

use std::sync::atomic::{AtomicU32, Ordering};

pub use block_choice::{
    block_ends_at_choice, parse_local_input, BlockChoice, ChoiceError, REASON_MAX_CHARS,
};
pub use block_dialog::BlockDialog;
use block_request::BlockRequest;
pub use modal::{focusable_elements, Modal};
pub use session_ended_dialog::SessionEndedDialog;
pub use stock_block_dialog::StockBlockDialog;

/// An id no other element of the page has, for `aria-labelledby` and friends: the same
/// dialog may be open from several places.
pub(crate) fn unique_id(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
