//! Reusable pieces of the pages, one component per file.

mod app_header;
pub mod card;
pub mod dialogs;
pub mod filter;
mod load_error;
pub mod merge;
pub mod new_dialog;
pub mod search;
pub mod sidebar;
mod sign_in_fields;
pub mod table;
pub mod toasts;
mod trail_recorder;

pub use app_header::AppHeader;
pub use load_error::{load_error_fallback, LoadError};
pub use sign_in_fields::{SignInFields, SignInFocus};
pub use trail_recorder::TrailRecorder;
