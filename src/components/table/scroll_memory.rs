//! Where the agent left each list, for the browser tab's session (sessionStorage): coming
//! back to the same URL (from a contact card, by back or forward, on reload) shows the
//! same rows. Failures (storage disabled or full) only mean starting at the top.

use crate::logic::list_query::ListQuery;

const PREFIX: &str = "novatalks.contacts.scroll?";

/// The storage key of a list: one per URL query string.
pub fn key(query: &ListQuery) -> String {
    format!("{PREFIX}{}", query.to_search())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The scroll offset saved for `key`, in pixels.
pub fn load(key: &str) -> Option<i32> {
    storage()?.get_item(key).ok()??.parse().ok()
}

pub fn save(key: &str, scroll_top: f64) {
    if let Some(storage) = storage() {
        let _ = if scroll_top > 0.0 {
            storage.set_item(key, &(scroll_top.round() as i64).to_string())
        } else {
            storage.remove_item(key)
        };
    }
}
