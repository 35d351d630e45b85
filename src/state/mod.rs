//! App-wide state shared through Leptos context.

mod api;
pub mod card;
pub mod filter_edit;
pub mod filter_url;
pub mod list_query;
mod session;
mod toasts;
pub mod trail;

pub use api::{use_api, Api};
pub use card::{use_card_store, CardStore, ContactField, Edit};
pub use list_query::{ListQuery, PAGE_SIZE};
pub use session::{use_session, Session, SessionContext, STORAGE_KEY};
pub use toasts::{use_toasts, Toast, ToastAction, ToastTone, Toasts, TOAST_MILLIS};
pub use trail::{use_trail, NavigationTrail};
