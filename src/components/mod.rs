//! Reusable pieces of the pages, one component per file.

mod app_header;
pub mod block;
pub mod bulk;
pub mod card;
pub mod common;
pub mod filter;
pub mod import;
pub mod merge;
pub mod new_conversation;
pub mod search;
pub mod session;
pub mod sidebar;
pub mod table;
pub mod toasts;
mod trail_recorder;

pub use app_header::AppHeader;
pub use trail_recorder::TrailRecorder;
