//! Selecting contacts in the list and acting on them in bulk: row and header checkboxes,
//! Shift ranges, Space, Esc, "select all matching", the bar's requests and what it says,
//! the delete confirmation and its undo, a selection cleared by a new search, and the
//! stock Chatwoot subset.

use leptos::prelude::*;
use leptos_router::components::Router;
use novatalks_contacts::api::Method;
use novatalks_contacts::components::toasts::ToastRegion;
use novatalks_contacts::logic::server_kind::ServerKind;
use novatalks_contacts::pages::ContactsPage;
use novatalks_contacts::state::{ServerCapabilities, Toasts};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

use crate::list_support::{
    account_labels, contact, list, use_app_styles, CONTACTS, LABELS, SEARCH,
};
use crate::support::{demo_session, json, mount, text, wait_until, FakeServer, Mounted};

const BULK: &str = "/api/v1/accounts/1/bulk_actions";

struct BulkPage {
    page: Mounted,
    test_page_url: String,
}

impl Drop for BulkPage {
    fn drop(&mut self) {
        window()
            .history()
            .expect("history")
            .replace_state_with_url(&JsValue::NULL, "", Some(&self.test_page_url))
            .expect("replaceState");
    }
}

impl std::ops::Deref for BulkPage {
    type Target = Mounted;
    fn deref(&self) -> &Mounted {
        &self.page
    }
}

/// The list at `url` with the app's toasts, on a server of `kind`.
fn open(server: &FakeServer, url: &str, kind: ServerKind) -> BulkPage {
    let test_page_url = window().location().href().expect("href");
    if let Ok(Some(storage)) = window().session_storage() {
        let _ = storage.clear();
    }
    use_app_styles();
    window()
        .history()
        .expect("history")
        .push_state_with_url(&JsValue::NULL, "", Some(url))
        .expect("pushState");
    let page = mount(server, Some(demo_session()), move || {
        provide_context(Toasts::new());
        provide_context(ServerCapabilities::new(kind));
        view! {
            <Router>
                <ContactsPage />
            </Router>
            <ToastRegion />
        }
    });
    BulkPage {
        page,
        test_page_url,
    }
}

/// Five contacts of 2,000: ids 1..=5, "Contact N".
fn server_with_list() -> FakeServer {
    let server = FakeServer::new();
    let rows = (1..=5)
        .map(|id| contact(id, &format!("Contact {id}"), &[]))
        .collect();
    server
        .on(Method::Get, CONTACTS, json(200, list(2_000, rows)))
        .on(Method::Get, LABELS, json(200, account_labels()));
    server
}

fn boxes(page: &Mounted) -> Vec<HtmlElement> {
    page.all("[data-testid=row-select]")
        .into_iter()
        .map(JsCast::unchecked_into)
        .collect()
}

fn ticked(page: &Mounted) -> Vec<bool> {
    boxes(page)
        .iter()
        .map(|b| b.unchecked_ref::<web_sys::HtmlInputElement>().checked())
        .collect()
}

fn shift_click(element: &HtmlElement) {
    let click = js_sys::Function::new_with_args(
        "target",
        "target.dispatchEvent(new MouseEvent('click', \
         { shiftKey: true, bubbles: true, cancelable: true }));",
    );
    click.call1(&JsValue::NULL, element).expect("click");
}

fn press(target: &web_sys::EventTarget, key: &str) {
    let dispatch = js_sys::Function::new_with_args(
        "target, key",
        "target.dispatchEvent(new KeyboardEvent('keydown', \
         { key, bubbles: true, cancelable: true }));",
    );
    dispatch
        .call2(&JsValue::NULL, target, &JsValue::from_str(key))
        .expect("keydown");
}

fn bodies(server: &FakeServer) -> Vec<Value> {
    server
        .requests_to(BULK)
        .iter()
        .map(|r| serde_json::from_str(r.body.as_deref().expect("a body")).expect("JSON"))
        .collect()
}

fn toast_texts() -> Vec<String> {
    let list = document()
        .query_selector_all("[data-testid=toast]")
        .expect("toasts");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn clicks_shift_ranges_space_and_esc_make_the_selection_and_the_count_shows_it() {
    let server = server_with_list();
    let page = open(&server, "/contacts", ServerKind::NovaTalks);
    page.wait_for("[data-testid=row-select]").await;
    assert!(
        page.find("[data-testid=bulk-count]").is_none(),
        "nothing selected yet"
    );

    boxes(&page)[1].click();
    shift_click(&boxes(&page)[3]);
    wait_until("three rows ticked", || {
        ticked(&page) == [false, true, true, true, false]
    })
    .await;
    assert_eq!(page.text("[data-testid=bulk-count]"), "3 selected");
    assert!(page.find("[data-testid=bulk-add-labels]").is_some());
    assert_eq!(
        page.text("[data-testid=select-all-matching]"),
        "Select all 2,000 matching"
    );

    // Space on a focused row ticks it.
    let row: HtmlElement = page
        .get("[data-testid=contact-row][data-contact-id='5']")
        .unchecked_into();
    row.focus().expect("focus");
    press(&row, " ");
    wait_until("row 5 ticked", || ticked(&page)[4]).await;
    assert_eq!(page.text("[data-testid=bulk-count]"), "4 selected");

    // The header ticks every loaded row, then unticks them.
    page.click("[data-testid=select-loaded]");
    wait_until("all ticked", || ticked(&page).iter().all(|t| *t)).await;
    assert_eq!(page.text("[data-testid=bulk-count]"), "5 selected");

    // Esc clears.
    press(&window().into(), "Escape");
    wait_until("nothing ticked", || ticked(&page).iter().all(|t| !t)).await;
    assert!(page.find("[data-testid=bulk-count]").is_none());
    assert!(
        page.find("[data-testid=bulk-export]").is_some(),
        "export of the view stays"
    );
}

#[wasm_bindgen_test]
async fn all_matching_sends_the_query_and_the_toast_says_what_was_done() {
    let server = server_with_list();
    server.on(
        Method::Post,
        BULK,
        json(
            200,
            json!({"action": "labels", "affected": 1_204, "matched": 2_000}),
        ),
    );
    let page = open(&server, "/contacts?labels=vip&q=ole", ServerKind::NovaTalks);
    // The search asks the search endpoint.
    server.on(
        Method::Get,
        SEARCH,
        json(
            200,
            list(
                2_000,
                (1..=5)
                    .map(|id| contact(id, &format!("Contact {id}"), &[]))
                    .collect(),
            ),
        ),
    );
    page.wait_for("[data-testid=row-select]").await;
    boxes(&page)[0].click();
    page.wait_for("[data-testid=select-all-matching]").await;
    page.click("[data-testid=select-all-matching]");
    page.wait_for("[data-testid=all-matching-selected]").await;
    assert_eq!(page.text("[data-testid=bulk-count]"), "2,000 selected");
    assert!(ticked(&page).iter().all(|t| *t), "every row shows ticked");

    page.click("[data-testid=bulk-add-labels]");
    let dialog = crate::block_dialog::wait_for_doc("[data-testid=bulk-labels-dialog]").await;
    assert!(text(&dialog).contains("Add labels to 2,000 contacts"));
    let vip: HtmlElement = dialog
        .query_selector("[data-testid=bulk-label-option][value=vip]")
        .expect("query")
        .expect("the vip option")
        .unchecked_into();
    vip.click();
    let confirm: HtmlElement = dialog
        .query_selector("[data-testid=bulk-labels-confirm]")
        .expect("query")
        .expect("confirm")
        .unchecked_into();
    confirm.click();
    wait_until("the bulk request", || !bodies(&server).is_empty()).await;
    assert_eq!(
        bodies(&server)[0],
        json!({"type": "Contact", "query": {"q": "ole", "labels": ["vip"]},
               "labels": {"add": ["vip"]}})
    );
    wait_until("the toast", || {
        toast_texts()
            .iter()
            .any(|t| t.contains("Labelled 1,204 contacts vip"))
    })
    .await;
    assert!(
        page.find("[data-testid=all-matching-selected]").is_some(),
        "the selection stays"
    );
}

#[wasm_bindgen_test]
async fn a_failed_action_keeps_the_selection_and_says_why() {
    let server = server_with_list();
    server.on(
        Method::Post,
        BULK,
        json(422, json!({"error": "Unknown label “nope”"})),
    );
    let page = open(&server, "/contacts", ServerKind::NovaTalks);
    page.wait_for("[data-testid=row-select]").await;
    boxes(&page)[0].click();
    boxes(&page)[2].click();
    page.wait_for("[data-testid=bulk-unblock]").await;
    page.click("[data-testid=bulk-unblock]");
    wait_until("the refusal", || {
        toast_texts()
            .iter()
            .any(|t| t.contains("Unknown label “nope”") && t.contains("selection is kept"))
    })
    .await;
    assert_eq!(
        bodies(&server)[0],
        json!({"type": "Contact", "ids": [1, 3], "action_name": "unblock"})
    );
    assert_eq!(page.text("[data-testid=bulk-count]"), "2 selected");
}

#[wasm_bindgen_test]
async fn delete_names_the_contacts_and_undo_restores_with_the_token() {
    let server = server_with_list();
    let until = (js_sys::Date::now() / 1000.0) as i64 + 60;
    server
        .on(
            Method::Post,
            BULK,
            json(
                200,
                json!({"action": "delete", "affected": 2, "matched": 2,
                       "undo_token": "undo-1", "undo_until": until}),
            ),
        )
        .on(
            Method::Post,
            BULK,
            json(
                200,
                json!({"action": "restore", "affected": 2, "matched": 2}),
            ),
        );
    let page = open(&server, "/contacts", ServerKind::NovaTalks);
    page.wait_for("[data-testid=row-select]").await;
    boxes(&page)[1].click();
    boxes(&page)[0].click();
    page.wait_for("[data-testid=bulk-delete]").await;
    page.click("[data-testid=bulk-delete]");
    let dialog = crate::block_dialog::wait_for_doc("[data-testid=bulk-delete-dialog]").await;
    assert!(text(&dialog).contains("Delete 2 contacts?"));
    assert!(
        text(&dialog).contains("Contact 2, Contact 1"),
        "{}",
        text(&dialog)
    );
    let confirm: HtmlElement = dialog
        .query_selector("[data-testid=bulk-delete-confirm]")
        .expect("query")
        .expect("confirm")
        .unchecked_into();
    confirm.click();
    wait_until("the delete toast", || {
        toast_texts()
            .iter()
            .any(|t| t.contains("Deleted 2 contacts"))
    })
    .await;
    assert_eq!(
        bodies(&server)[0],
        json!({"type": "Contact", "ids": [2, 1], "action_name": "delete"})
    );
    assert!(
        page.find("[data-testid=bulk-count]").is_none(),
        "the deleted are unselected"
    );
    let undo: HtmlElement = crate::block_dialog::wait_for_doc("[data-testid=toast-undo]")
        .await
        .unchecked_into();
    undo.click();
    wait_until("the restore", || bodies(&server).len() == 2).await;
    assert_eq!(
        bodies(&server)[1],
        json!({"type": "Contact", "action_name": "restore", "undo_token": "undo-1"})
    );
    wait_until("the restored toast", || {
        toast_texts()
            .iter()
            .any(|t| t.contains("Restored 2 contacts"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_new_search_clears_the_selection_and_says_so() {
    let server = server_with_list();
    server.on(
        Method::Get,
        SEARCH,
        json(200, list(1, vec![contact(9, "Olena", &[])])),
    );
    let page = open(&server, "/contacts", ServerKind::NovaTalks);
    page.wait_for("[data-testid=row-select]").await;
    boxes(&page)[0].click();
    page.wait_for("[data-testid=bulk-count]").await;
    page.type_into("[data-testid=contact-search]", "olena");
    wait_until("the selection cleared", || {
        page.find("[data-testid=bulk-count]").is_none()
            && toast_texts()
                .iter()
                .any(|t| t.contains("selection was cleared"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_stock_chatwoot_gets_labels_and_delete_on_ids_only_and_a_note() {
    let server = server_with_list();
    server.on(Method::Post, BULK, json(200, json!(null)));
    let page = open(&server, "/contacts", ServerKind::StockChatwoot);
    page.wait_for("[data-testid=row-select]").await;
    assert!(page.find("[data-testid=bulk-export]").is_none());
    boxes(&page)[0].click();
    page.wait_for("[data-testid=bulk-stock-note]").await;
    assert!(page.find("[data-testid=bulk-add-labels]").is_some());
    assert!(page.find("[data-testid=bulk-delete]").is_some());
    for hidden in [
        "bulk-block",
        "bulk-unblock",
        "bulk-export",
        "select-all-matching",
    ] {
        assert!(
            page.find(&format!("[data-testid={hidden}]")).is_none(),
            "{hidden} is not offered"
        );
    }
    page.click("[data-testid=bulk-delete]");
    let dialog = crate::block_dialog::wait_for_doc("[data-testid=bulk-delete-dialog]").await;
    assert!(text(&dialog).contains("cannot undo"));
    let confirm: HtmlElement = dialog
        .query_selector("[data-testid=bulk-delete-confirm]")
        .expect("query")
        .expect("confirm")
        .unchecked_into();
    confirm.click();
    wait_until("the toast", || {
        toast_texts()
            .iter()
            .any(|t| t.contains("Deleted 1 contact"))
    })
    .await;
    assert!(
        document()
            .query_selector("[data-testid=toast-undo]")
            .expect("q")
            .is_none(),
        "no undo on a stock server"
    );
}
