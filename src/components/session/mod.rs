//! Signing in: the fields of a sign-in form, and the dialog that signs in again over the
//! page when the server has ended the session.

mod session_ended_dialog;
mod sign_in_fields;

pub use session_ended_dialog::{sign_in_again, SessionEndedDialog};
pub use sign_in_fields::{SignInFields, SignInFocus};
