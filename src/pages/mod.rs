//! One page per route.

mod contacts;
mod sign_in;

pub use contacts::{ContactsPage, PAGE_SIZE};
pub use sign_in::SignInPage;
