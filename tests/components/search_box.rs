//! Searching: debounced typing, the last keystroke winning, Escape, `/`, no matches.

use leptos::prelude::document;
use novatalks_contacts::api::Method;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::list_support::{
    account_labels, active_element, contact, history_length, list, open_list, param, press_key,
    row_names, url_values, CONTACTS, LABELS, SEARCH,
};
use crate::support::{json, sleep_ms, text, wait_until, FakeServer};

const BOX: &str = "[data-testid=contact-search]";

fn everyone() -> serde_json::Value {
    list(
        3,
        vec![
            contact(1, "Olena Kovalenko", &[]),
            contact(2, "Oleh Petrenko", &[]),
            contact(3, "Ann", &[]),
        ],
    )
}

#[wasm_bindgen_test]
async fn typing_sends_one_search_with_the_final_text_and_replaces_the_url() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, everyone()))
        .on(
            Method::Get,
            SEARCH,
            json(200, list(1, vec![contact(1, "Olena Kovalenko", &[])])),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts");
    page.wait_for("[data-testid=contact-row]").await;

    // The box has a name screen readers read.
    let input = page.get(BOX);
    assert_eq!(input.get_attribute("type").as_deref(), Some("search"));
    let label = input
        .closest("label")
        .unwrap()
        .expect("a label around the box");
    assert_eq!(text(&label), "Search contacts");

    let history = history_length();
    for typed in ["o", "ol", "ole", "ole ", "ole k", "ole ko"] {
        page.type_into(BOX, typed);
        sleep_ms(30).await;
    }
    assert!(
        server.requests_to(SEARCH).is_empty(),
        "nothing while typing"
    );
    wait_until("the search", || !server.requests_to(SEARCH).is_empty()).await;
    wait_until("the result", || row_names(&page) == ["Olena Kovalenko"]).await;
    sleep_ms(300).await;

    let searches = server.requests_to(SEARCH);
    assert_eq!(searches.len(), 1, "one request for the whole word");
    assert_eq!(param(&searches[0], "q").as_deref(), Some("ole ko"));
    assert_eq!(param(&searches[0], "page").as_deref(), Some("1"));
    assert_eq!(param(&searches[0], "per_page").as_deref(), Some("100"));
    assert_eq!(
        param(&searches[0], "sort").as_deref(),
        Some("-last_activity_at")
    );
    assert_eq!(url_values("q"), ["ole ko"], "the URL keeps what was typed");
    assert_eq!(
        history_length(),
        history,
        "typing replaces the history entry"
    );
    assert_eq!(page.text("[data-testid=contacts-count]"), "1 contact");
    assert_eq!(page.value_of(BOX), "ole ko");
}

#[wasm_bindgen_test]
async fn a_key_after_a_pause_is_searched_at_once_and_a_burst_after_it_once_more() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, everyone()))
        .on(
            Method::Get,
            SEARCH,
            json(200, list(1, vec![contact(1, "Olena Kovalenko", &[])])),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts?q=olen");
    wait_until("the search result", || {
        row_names(&page) == ["Olena Kovalenko"]
    })
    .await;
    sleep_ms(300).await;
    assert_eq!(server.requests_to(SEARCH).len(), 1);

    // One more letter after a pause: sent without waiting for the pause after it.
    page.type_into(BOX, "olena");
    sleep_ms(30).await;
    let searches = server.requests_to(SEARCH);
    assert_eq!(searches.len(), 2, "sent before the debounce would have");
    assert_eq!(param(&searches[1], "q").as_deref(), Some("olena"));

    // Keys right after it wait for typing to pause, then go as one search.
    for typed in ["olena k", "olena ko", "olena kov"] {
        page.type_into(BOX, typed);
        sleep_ms(30).await;
    }
    assert_eq!(server.requests_to(SEARCH).len(), 2, "nothing while typing");
    wait_until("the burst's search", || {
        server.requests_to(SEARCH).len() == 3
    })
    .await;
    sleep_ms(300).await;
    let searches = server.requests_to(SEARCH);
    assert_eq!(searches.len(), 3, "one search for the burst");
    assert_eq!(param(&searches[2], "q").as_deref(), Some("olena kov"));
}

#[wasm_bindgen_test]
async fn the_last_keystroke_wins_when_an_earlier_answer_arrives_late() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, everyone()))
        // "ole": both Olena and Oleh, answered slowly.
        .on(
            Method::Get,
            SEARCH,
            json(
                200,
                list(
                    2,
                    vec![
                        contact(1, "Olena Kovalenko", &[]),
                        contact(2, "Oleh Petrenko", &[]),
                    ],
                ),
            ),
        )
        // "olena": Olena only, answered fast.
        .on(
            Method::Get,
            SEARCH,
            json(200, list(1, vec![contact(1, "Olena Kovalenko", &[])])),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts");
    page.wait_for("[data-testid=contact-row]").await;

    server.delay(900);
    page.type_into(BOX, "ole");
    wait_until("the first search", || server.requests_to(SEARCH).len() == 1).await;
    server.delay(50);
    page.type_into(BOX, "olena");
    wait_until("the second search", || {
        server.requests_to(SEARCH).len() == 2
    })
    .await;
    let searches = server.requests_to(SEARCH);
    assert_eq!(param(&searches[0], "q").as_deref(), Some("ole"));
    assert_eq!(param(&searches[1], "q").as_deref(), Some("olena"));

    wait_until("Olena alone", || row_names(&page) == ["Olena Kovalenko"]).await;
    // The answer to "ole" lands now, and must change nothing.
    sleep_ms(1_200).await;
    assert_eq!(row_names(&page), ["Olena Kovalenko"]);
    assert_eq!(page.text("[data-testid=contacts-count]"), "1 contact");
    assert_eq!(page.value_of(BOX), "olena");
    assert_eq!(url_values("q"), ["olena"]);
}

#[wasm_bindgen_test]
async fn escape_clears_the_search_at_once_and_lists_everyone() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            SEARCH,
            json(200, list(1, vec![contact(1, "Olena Kovalenko", &[])])),
        )
        .on(Method::Get, CONTACTS, json(200, everyone()))
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts?q=olena");

    wait_until("the search result", || {
        row_names(&page) == ["Olena Kovalenko"]
    })
    .await;
    assert_eq!(
        page.value_of(BOX),
        "olena",
        "the box shows the URL's search"
    );
    let input = page.get(BOX);
    assert!(!press_key(&input, "Escape"), "Escape is handled");
    wait_until("the box to empty", || page.value_of(BOX).is_empty()).await;
    wait_until("everyone", || row_names(&page).len() == 3).await;
    assert!(url_values("q").is_empty());
    assert_eq!(
        server.requests_to(CONTACTS).len(),
        1,
        "the list, not a blank search"
    );

    // The × does the same. (Two letters: a longer text after a pause is sent at once.)
    page.type_into(BOX, "an");
    page.wait_for("[data-testid=clear-search]").await;
    page.click("[data-testid=clear-search]");
    wait_until("the box to empty", || page.value_of(BOX).is_empty()).await;
    sleep_ms(400).await;
    assert_eq!(
        server.requests_to(SEARCH).len(),
        1,
        "the cleared text is never searched"
    );
    assert!(url_values("q").is_empty());
}

#[wasm_bindgen_test]
async fn slash_focuses_the_search_unless_typing_in_another_field() {
    let server = FakeServer::new();
    server.on(Method::Get, CONTACTS, json(200, everyone())).on(
        Method::Get,
        LABELS,
        json(200, account_labels()),
    );
    let page = open_list(&server, "/contacts");
    page.wait_for("[data-testid=contact-row]").await;
    let input = page.get(BOX);
    assert_eq!(
        input.get_attribute("aria-keyshortcuts").as_deref(),
        Some("/")
    );

    // Another field has the focus: "/" is typed there.
    let other: web_sys::HtmlInputElement =
        document().create_element("input").unwrap().unchecked_into();
    page.root.append_child(&other).unwrap();
    other.focus().unwrap();
    assert!(press_key(&other, "/"), "the other field gets its slash");
    assert_eq!(active_element().as_ref(), Some(other.unchecked_ref()));

    // Anywhere else: the search box.
    other.blur().unwrap();
    let body = document().body().unwrap();
    assert!(!press_key(&body, "/"), "the slash is not typed anywhere");
    assert_eq!(active_element().as_ref(), Some(&input));
}

#[wasm_bindgen_test]
async fn no_match_names_the_search_and_clear_brings_everyone_back() {
    let server = FakeServer::new();
    server
        .on(Method::Get, SEARCH, json(200, list(0, vec![])))
        .on(Method::Get, CONTACTS, json(200, everyone()))
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts?q=xyz&labels=vip&sort=name");

    let empty = page.wait_for("[data-testid=contacts-empty]").await;
    assert_eq!(
        text(&empty.query_selector("p").unwrap().unwrap()),
        "No contacts match “xyz”"
    );
    assert!(page.find("[data-testid=contacts-table]").is_none());
    page.click("[data-testid=clear-search-and-filters]");

    wait_until("everyone", || row_names(&page).len() == 3).await;
    assert_eq!(page.value_of(BOX), "", "the box follows the URL");
    assert!(page.find("[data-testid=active-label]").is_none());
    assert!(url_values("q").is_empty() && url_values("labels").is_empty());
    assert_eq!(url_values("sort"), ["name"], "the order stays");
    let requests = server.requests_to(CONTACTS);
    assert_eq!(param(&requests[0], "labels[]"), None);
    assert_eq!(param(&requests[0], "sort").as_deref(), Some("name"));
}

#[wasm_bindgen_test]
async fn labels_alone_that_match_nothing_are_named_too() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, list(0, vec![])))
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts?labels=vip&labels=lead");

    let empty = page.wait_for("[data-testid=contacts-empty]").await;
    assert_eq!(
        text(&empty.query_selector("p").unwrap().unwrap()),
        "No contacts have the labels vip, lead"
    );
    assert!(page
        .find("[data-testid=clear-search-and-filters]")
        .is_some());
}

#[wasm_bindgen_test]
async fn a_page_that_is_gone_leaves_the_slash_alone() {
    let server = FakeServer::new();
    server.on(Method::Get, CONTACTS, json(200, everyone())).on(
        Method::Get,
        LABELS,
        json(200, account_labels()),
    );
    let page = open_list(&server, "/contacts");
    page.wait_for("[data-testid=contact-row]").await;
    drop(page);
    sleep_ms(50).await;
    let body = document().body().unwrap();
    assert!(press_key(&body, "/"), "nobody handles the slash");
}
