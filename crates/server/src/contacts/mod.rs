//! Contacts: listing, and (in later modules) search, filter, CRUD, block and merge.

mod list;
pub mod row;

use axum::routing::get;
use axum::Router;

use crate::AppState;

pub use row::{fetch_contact, ContactRow, CONTACT_SELECT};

pub fn router() -> Router<AppState> {
    Router::new().route("/contacts", get(list::index))
}
