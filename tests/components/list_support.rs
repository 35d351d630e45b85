//! Helpers of the contact list tests: the page mounted in a router at a URL, with the
//! app's stylesheets (the virtual scrolling depends on the layout), fixtures, and what
//! a request asked for.

use std::ops::Deref;

use leptos::prelude::*;
use leptos_router::components::Router;
use novatalks_contacts::api::HttpRequest;
use novatalks_contacts::logic::list_query::parse_query_string;
use novatalks_contacts::pages::ContactsPage;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};

use crate::support::{demo_session, mount, FakeServer, Mounted};

pub const CONTACTS: &str = "/api/v1/accounts/1/contacts";
pub const SEARCH: &str = "/api/v1/accounts/1/contacts/search";
pub const LABELS: &str = "/api/v1/accounts/1/labels";

const STYLES: [&str; 6] = [
    include_str!("../../style/theme.css"),
    include_str!("../../style/base.css"),
    include_str!("../../style/header.css"),
    include_str!("../../style/contacts.css"),
    include_str!("../../style/table.css"),
    include_str!("../../style/sidebar.css"),
];

/// Adds the app's stylesheets to the test page, once.
pub fn use_app_styles() {
    let document = document();
    if document.get_element_by_id("app-styles").is_some() {
        return;
    }
    let style = document.create_element("style").expect("a style element");
    style.set_id("app-styles");
    style.set_text_content(Some(&STYLES.concat()));
    document
        .head()
        .expect("a head")
        .append_child(&style)
        .expect("append the styles");
}

/// The contacts page, mounted inside a router at a URL. Dropped, it unmounts and puts
/// the test page's own URL back.
pub struct ListPage {
    page: Mounted,
    test_page_url: String,
}

impl Deref for ListPage {
    type Target = Mounted;
    fn deref(&self) -> &Mounted {
        &self.page
    }
}

impl Drop for ListPage {
    fn drop(&mut self) {
        go_to(&self.test_page_url);
    }
}

/// Opens `url` (e.g. `/contacts?q=ole`) as the signed-in demo agent, with the list's
/// remembered scroll offsets forgotten.
pub fn open_list(server: &FakeServer, url: &str) -> ListPage {
    let test_page_url = window().location().href().expect("href");
    forget_scroll_offsets();
    reopen_list(server, url, test_page_url)
}

/// Opens `url` again, keeping what the session remembered (a reload, a return).
pub fn reopen_list(server: &FakeServer, url: &str, test_page_url: String) -> ListPage {
    use_app_styles();
    start_history_at(url);
    let page = mount(server, Some(demo_session()), || {
        view! {
            <Router>
                <ContactsPage />
            </Router>
        }
    });
    ListPage {
        page,
        test_page_url,
    }
}

impl ListPage {
    /// Unmounts the page, keeping the session's memory; the URL to come back to.
    pub fn leave(self) -> String {
        self.test_page_url.clone()
    }
}

fn forget_scroll_offsets() {
    if let Ok(Some(storage)) = window().session_storage() {
        let _ = storage.clear();
    }
}

/// A new history entry at `url`: whatever an earlier test left (a `back()` not walked
/// forward again), the page starts at the end of the history, so that counting the
/// entries it adds does not depend on the order the tests run in.
fn start_history_at(url: &str) {
    window()
        .history()
        .expect("history")
        .push_state_with_url(&JsValue::NULL, "", Some(url))
        .expect("pushState");
}

fn go_to(url: &str) {
    window()
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some(url))
        .expect("replaceState");
}

/// The address bar's query string, decoded: `[("q", "ole"), ("labels", "vip")]`.
pub fn url_query() -> Vec<(String, String)> {
    parse_query_string(&window().location().search().expect("search"))
}

/// The values of `key` in the address bar's query string.
pub fn url_values(key: &str) -> Vec<String> {
    values(&url_query(), key)
}

/// Goes `delta` steps back (negative) or forward in the tab's history, as the browser's
/// buttons do. (Counting `history.length` cannot show a step: Chromium keeps 50 entries,
/// and the whole suite runs in one tab.)
pub fn history_go(delta: i32) {
    window()
        .history()
        .expect("history")
        .go_with_delta(delta)
        .expect("history.go");
}

pub fn history_length() -> u32 {
    window()
        .history()
        .expect("history")
        .length()
        .expect("length")
}

/// The decoded query of a request.
pub fn request_query(request: &HttpRequest) -> Vec<(String, String)> {
    let query = request
        .path_and_query
        .split_once('?')
        .map_or("", |(_, query)| query);
    parse_query_string(query)
}

pub fn values(query: &[(String, String)], key: &str) -> Vec<String> {
    query
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .collect()
}

/// The one value of `key` in a request's query.
pub fn param(request: &HttpRequest, key: &str) -> Option<String> {
    values(&request_query(request), key).pop()
}

/// Dispatches a `keydown` of `key` on `target`, bubbling and cancelable, as a keyboard does.
pub fn press_key(target: &web_sys::EventTarget, key: &str) -> bool {
    let dispatch = js_sys::Function::new_with_args(
        "target, key",
        "return target.dispatchEvent(new KeyboardEvent('keydown', \
         { key, bubbles: true, cancelable: true }));",
    );
    dispatch
        .call2(&JsValue::NULL, target, &JsValue::from_str(key))
        .expect("dispatch keydown")
        .as_bool()
        .unwrap_or(false)
}

pub fn active_element() -> Option<web_sys::Element> {
    document().active_element()
}

pub fn scroller(page: &Mounted) -> web_sys::HtmlElement {
    page.get("[data-testid=contacts-scroll]").unchecked_into()
}

/// A contact as the API sends it.
pub fn contact(id: i64, name: &str, labels: &[&str]) -> Value {
    json!({
        "id": id, "name": name, "email": format!("c{id}@example.com"),
        "phone_number": format!("+3805000{id:05}"), "thumbnail": "", "blocked": false,
        "additional_attributes": {}, "custom_attributes": {}, "labels": labels,
        "conversations_count": 0, "last_activity_at": 1_764_500_000 - id,
        "created_at": 1_764_400_000
    })
}

/// A list answer: `count` in all, these contacts on the page.
pub fn list(count: i64, contacts: Vec<Value>) -> Value {
    json!({ "meta": { "count": count, "current_page": 1 }, "payload": contacts })
}

/// A page of 100 contacts with ids from `first_id`.
pub fn full_page(count: i64, first_id: i64) -> Value {
    list(
        count,
        (first_id..first_id + 100)
            .map(|id| contact(id, &format!("Contact {id}"), &[]))
            .collect(),
    )
}

pub fn account_labels() -> Value {
    json!({ "payload": [
        { "id": 1, "title": "vip", "description": "Key customers", "color": "#f5a623", "show_on_sidebar": true },
        { "id": 2, "title": "billing", "description": "", "color": "#1f93ff", "show_on_sidebar": true },
        { "id": 3, "title": "lead", "description": null, "color": null, "show_on_sidebar": true },
        { "id": 4, "title": "hidden", "description": null, "color": "#000000", "show_on_sidebar": false }
    ]})
}

/// The names in the rows shown.
pub fn row_names(page: &Mounted) -> Vec<String> {
    page.all("[data-testid=contact-row] .contact-name")
        .iter()
        .map(crate::support::text)
        .collect()
}
