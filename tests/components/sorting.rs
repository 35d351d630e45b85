//! Sorting by a click on a column header.

use novatalks_contacts::api::Method;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::list_support::{
    account_labels, contact, history_go, list, open_list, param, url_values, CONTACTS, LABELS,
};
use crate::support::{json, text, wait_until, FakeServer};

fn header(field: &str) -> String {
    format!("th[data-sort-field={field}]")
}

fn last_sort(server: &FakeServer) -> Option<String> {
    server
        .requests_to(CONTACTS)
        .last()
        .and_then(|r| param(r, "sort"))
}

#[wasm_bindgen_test]
async fn clicking_a_header_sorts_by_it_and_clicking_again_reverses() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            CONTACTS,
            json(
                200,
                list(2, vec![contact(1, "Ann", &[]), contact(2, "Bo", &[])]),
            ),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts");
    page.wait_for("[data-testid=contact-row]").await;

    // The default order: last activity, newest first; only that header says so.
    let sorted: Vec<_> = page.all("th[aria-sort]");
    assert_eq!(sorted.len(), 1);
    assert_eq!(
        sorted[0].get_attribute("aria-sort").as_deref(),
        Some("descending")
    );
    assert_eq!(
        sorted[0].get_attribute("data-sort-field").as_deref(),
        Some("last_activity_at")
    );
    assert_eq!(
        page.all("th.sortable button").len(),
        5,
        "name, email, phone, last activity, created"
    );
    assert_eq!(
        text(&page.get(&format!("{} button", header("name")))),
        "Name"
    );
    assert_eq!(last_sort(&server).as_deref(), Some("-last_activity_at"));

    page.click(&format!("{} button", header("name")));
    wait_until("sort=name", || {
        last_sort(&server).as_deref() == Some("name")
    })
    .await;
    wait_until("Name ascending", || {
        page.get(&header("name"))
            .get_attribute("aria-sort")
            .as_deref()
            == Some("ascending")
    })
    .await;
    assert_eq!(page.all("th[aria-sort]").len(), 1);
    assert_eq!(
        text(&page.get(&format!("{} .sort-arrow", header("name")))),
        "↑"
    );
    assert_eq!(url_values("sort"), ["name"]);

    // A sort is a history step: Back is the order before, Forward this one again.
    history_go(-1);
    wait_until("back to the default order", || {
        url_values("sort").is_empty()
            && page
                .get(&header("name"))
                .get_attribute("aria-sort")
                .is_none()
    })
    .await;
    history_go(1);
    wait_until("forward to Name ascending", || {
        url_values("sort") == ["name"]
            && page
                .get(&header("name"))
                .get_attribute("aria-sort")
                .as_deref()
                == Some("ascending")
    })
    .await;

    page.click(&format!("{} button", header("name")));
    wait_until("sort=-name", || {
        last_sort(&server).as_deref() == Some("-name")
    })
    .await;
    wait_until("Name descending", || {
        page.get(&header("name"))
            .get_attribute("aria-sort")
            .as_deref()
            == Some("descending")
    })
    .await;
    assert_eq!(
        text(&page.get(&format!("{} .sort-arrow", header("name")))),
        "↓"
    );
    assert_eq!(url_values("sort"), ["-name"]);

    // Last activity starts newest first, which is the default order: the URL is clean.
    page.click(&format!("{} button", header("last_activity_at")));
    wait_until("the default order", || {
        last_sort(&server).as_deref() == Some("-last_activity_at")
    })
    .await;
    assert!(url_values("sort").is_empty());
}

#[wasm_bindgen_test]
async fn dates_sort_newest_first_on_the_first_click() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            CONTACTS,
            json(200, list(1, vec![contact(1, "Ann", &[])])),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts?sort=email");
    page.wait_for("[data-testid=contact-row]").await;
    assert_eq!(
        page.get(&header("email"))
            .get_attribute("aria-sort")
            .as_deref(),
        Some("ascending")
    );
    page.click(&format!("{} button", header("created_at")));
    wait_until("sort=-created_at", || {
        last_sort(&server).as_deref() == Some("-created_at")
    })
    .await;
}
