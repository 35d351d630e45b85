//! App-wide state shared through Leptos context.

mod api;
mod session;

pub use api::{use_api, Api};
pub use session::{use_session, Session, SessionContext, STORAGE_KEY};
