//! What the app decides without a browser: pure functions and plain data, no leptos,
//! web-sys or js-sys, so that `cargo test -p novatalks-contacts --lib` tests them
//! natively. They build on `novatalks_model` and the API client's plain types
//! (`ApiError`, `ContactQuery`); components, state and pages call them, never the other
//! way round.

pub mod app_context;
pub mod block_choice;
pub mod block_state;
pub mod contact_edit;
pub mod embed_config;
pub mod filter_edit;
pub mod filter_url;
pub mod import_plan;
pub mod label_colour;
pub mod list_query;
pub mod optimistic;
pub mod row_cache;
pub mod selection;
pub mod server_kind;
pub mod sort_order;
pub mod trail;
pub mod virtual_window;
pub mod write_first;
