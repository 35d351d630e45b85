//! One page per route.

mod contact_card;
mod contacts;
mod import_contacts;
mod new_contact;
mod sign_in;

pub use contact_card::ContactCardPage;
pub use contacts::{ContactsPage, PAGE_SIZE};
pub use import_contacts::ImportContactsPage;
pub use new_contact::NewContactPage;
pub use sign_in::SignInPage;
