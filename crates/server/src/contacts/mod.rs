//! Contacts: list, search and filter (one page function under all three), one
//! contact's CRUD and block.

mod crud;
pub mod export;
mod filter;
mod list;
mod page;
mod phone;
pub mod row;
mod search;
pub mod validate;
pub mod wording;
pub mod write;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub use filter::push_from as push_filter_from;
pub use filter::{
    conditions_to_run, filter_definitions, filter_ids, filter_query_plan, push_conditions,
    validate_filter, Reading,
};
pub use list::{label_params, push_label_condition};
pub use page::Paging;
pub use row::{block_in_force, fetch_contact, ContactRow, CONTACT_SELECT};
pub use search::{push_matches, search_query_plan, SearchPlan};
pub use validate::{normalize_email, normalize_phone};
pub use write::{
    account_default_region, block_reason, blocked_until_problem, create_contact, update_contact,
    ContactBody, ContactChanges, ContactInput,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(list::router())
        .merge(search::router())
        .merge(filter::router())
        .merge(crud::router())
        .merge(phone::router())
        .merge(export::router())
}
