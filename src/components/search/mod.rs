//! Searching the contacts.

mod search_box;

pub use search_box::{SearchBox, SEARCH_DEBOUNCE};
