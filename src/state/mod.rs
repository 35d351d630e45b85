//! App-wide state shared through Leptos context.

mod api;
mod session;
mod toasts;

pub use api::{use_api, Api};
pub use session::{use_session, Session, SessionContext, STORAGE_KEY};
pub use toasts::{use_toasts, Toast, ToastAction, ToastTone, Toasts, TOAST_MILLIS};
