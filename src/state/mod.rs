//! App-wide state shared through Leptos context.

mod api;
mod card;
mod debounce;
mod embedded;
mod imports;
mod labels;
mod optimistic;
mod selection;
mod server_kind;
mod session;
mod sign_in_form;
mod toasts;
mod trail;

pub use api::{use_api, Api};
pub use card::{use_card_store, CardStore};
pub use debounce::Debounce;
pub use embedded::{is_embedded, Embedded};
pub use imports::{use_imports, ChosenFile, Imports, Step};
pub use labels::{use_account_labels, AccountLabels};
pub use optimistic::Optimistic;
pub use selection::{use_list_selection, ListSelection};
pub use server_kind::{use_server_capabilities, ServerCapabilities};
pub use session::{use_session, Session, SessionContext, STORAGE_KEY};
pub use sign_in_form::SignInForm;
pub use toasts::{use_toasts, Toast, ToastAction, ToastTone, Toasts, TOAST_MILLIS};
pub use trail::{use_trail, NavigationTrail};
