//! The list's state lives in the URL: a pasted link, reload, back and forward, and the
//! scroll offset when coming back.

use leptos::prelude::window;
use novatalks_contacts::api::Method;
use novatalks_contacts::components::table::ROW_HEIGHT_PX;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::list_support::{
    account_labels, contact, full_page, list, open_list, param, reopen_list, request_query,
    scroller, url_values, values, CONTACTS, LABELS, SEARCH,
};
use crate::support::{json, sleep_ms, text, wait_until, FakeServer};

#[wasm_bindgen_test]
async fn a_pasted_link_opens_the_view_it_describes() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            SEARCH,
            json(200, list(1, vec![contact(1, "Olena Kovalenko", &["vip"])])),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(
        &server,
        "/contacts?q=ole%20kov&labels=vip,billing&sort=-name&utm_source=mail",
    );

    page.wait_for("[data-testid=contact-row]").await;
    let request = &server.requests_to(SEARCH)[0];
    let query = request_query(request);
    assert_eq!(values(&query, "q"), ["ole kov"]);
    assert_eq!(values(&query, "labels[]"), ["vip", "billing"]);
    assert_eq!(values(&query, "sort"), ["-name"]);
    assert!(server.requests_to(CONTACTS).is_empty());

    assert_eq!(page.value_of("[data-testid=contact-search]"), "ole kov");
    let chips: Vec<String> = page
        .all("[data-testid=active-label] > span")
        .iter()
        .map(text)
        .collect();
    assert_eq!(chips, ["vip", "billing"]);
    assert_eq!(
        page.get("th[data-sort-field=name]")
            .get_attribute("aria-sort")
            .as_deref(),
        Some("descending")
    );
    page.wait_for("[data-testid=sidebar-label][data-label=vip][aria-current=true]")
        .await;
}

#[wasm_bindgen_test]
async fn a_mangled_link_still_opens_a_list() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, full_page(100, 1)))
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts?sort=-password&q=%20%20&labels=&page=x");

    page.wait_for("[data-testid=contact-row]").await;
    let request = &server.requests_to(CONTACTS)[0];
    assert_eq!(param(request, "sort").as_deref(), Some("-last_activity_at"));
    assert_eq!(param(request, "labels[]"), None);
    assert!(
        server.requests_to(SEARCH).is_empty(),
        "a blank search is the list"
    );
}

#[wasm_bindgen_test]
async fn back_and_forward_walk_through_the_views() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            CONTACTS,
            json(200, list(1, vec![contact(1, "Ann", &["vip"])])),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts");
    page.wait_for("[data-testid=contact-row]").await;

    page.click("[data-testid=sidebar-label][data-label=vip]");
    wait_until("labels=vip", || url_values("labels") == ["vip"]).await;
    page.click("th[data-sort-field=name] button");
    wait_until("sort=name", || url_values("sort") == ["name"]).await;
    let last = |key: &str| {
        server
            .requests_to(CONTACTS)
            .last()
            .and_then(|r| param(r, key))
    };
    wait_until("the list by name", || {
        last("sort").as_deref() == Some("name")
    })
    .await;

    let history = window().history().unwrap();
    history.back().unwrap();
    wait_until("back to labels=vip, default order", || {
        url_values("sort").is_empty() && last("sort").as_deref() == Some("-last_activity_at")
    })
    .await;
    assert_eq!(last("labels[]").as_deref(), Some("vip"));
    page.wait_for("[data-testid=active-label][data-label=vip]")
        .await;
    wait_until("the header to follow", || {
        page.get("th[data-sort-field=last_activity_at]")
            .get_attribute("aria-sort")
            .is_some()
    })
    .await;

    history.back().unwrap();
    wait_until("back to every contact", || {
        url_values("labels").is_empty() && last("labels[]").is_none()
    })
    .await;
    wait_until("no chips", || {
        page.find("[data-testid=active-label]").is_none()
    })
    .await;

    history.forward().unwrap();
    wait_until("forward to labels=vip", || {
        url_values("labels") == ["vip"] && last("labels[]").as_deref() == Some("vip")
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_search_box_follows_back_and_forward() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, full_page(100, 1)))
        .on(
            Method::Get,
            SEARCH,
            json(200, list(1, vec![contact(7, "Olena", &[])])),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts?q=olena");
    page.wait_for("[data-testid=contact-row]").await;

    // A label pushes a history entry; going back restores the search box's text with it.
    page.click("[data-testid=sidebar-label][data-label=lead]");
    wait_until("labels=lead", || url_values("labels") == ["lead"]).await;
    page.type_into("[data-testid=contact-search]", "ann");
    wait_until("q=ann", || url_values("q") == ["ann"]).await;
    window().history().unwrap().back().unwrap();
    wait_until("q=olena again", || url_values("q") == ["olena"]).await;
    wait_until("the box to follow", || {
        page.value_of("[data-testid=contact-search]") == "olena"
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_scroll_offset_comes_back_with_the_same_list() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, full_page(2_000, 1)))
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts?sort=name");
    page.wait_for("[data-testid=contact-row]").await;

    let offset = (300.0 * ROW_HEIGHT_PX) as i32;
    scroller(&page).set_scroll_top(offset);
    wait_until("page 4", || {
        server
            .requests_to(CONTACTS)
            .iter()
            .any(|r| param(r, "page").as_deref() == Some("4"))
    })
    .await;
    sleep_ms(300).await;
    let test_page_url = page.leave();

    // Back to the same URL (from a contact card, or a reload): the same place.
    let page = reopen_list(&server, "/contacts?sort=name", test_page_url);
    page.wait_for("[data-testid=contact-row]").await;
    wait_until("the offset to be restored", || {
        scroller(&page).scroll_top() == offset
    })
    .await;
    let test_page_url = page.leave();

    // Another list starts at the top.
    let page = reopen_list(&server, "/contacts?sort=-name", test_page_url);
    page.wait_for("[data-testid=contact-row]").await;
    sleep_ms(100).await;
    assert_eq!(scroller(&page).scroll_top(), 0);
}
