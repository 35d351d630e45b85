//! The filter in the list's URL: a link with a filter opens the filtered list (through
//! `POST /contacts/filter`, with the search and labels joined in), applying and removing
//! conditions rewrite the URL, a saved segment opens from the sidebar, and the empty
//! answer names the filters. The URL form survives a real browser's address bar.

use novatalks_contacts::api::Method;
use novatalks_contacts::logic::filter_url::{from_param, to_param};
use novatalks_contacts::logic::list_query::parse_query_string;
use novatalks_model::filter::FilterCondition;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

use crate::filter_support::{choose, definitions_json, row_part, settle, tick, FILTER, SEGMENTS};
use crate::list_support::{
    account_labels, contact, list, open_list, param, url_values, CONTACTS, LABELS, SEARCH,
};
use crate::support::{json, text, wait_until, FakeServer, Mounted};

const DEFINITIONS: &str = "/api/v1/accounts/1/custom_attribute_definitions";

/// A fake API with the account's labels, definitions, no segments, and `answer` to
/// every filter request.
fn server(answer: Value) -> FakeServer {
    server_with_segments(answer, json!([]))
}

fn server_with_segments(answer: Value, segments: Value) -> FakeServer {
    let everyone = list(3, vec![contact(1, "Ann", &[]), contact(2, "Bo", &[])]);
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, everyone.clone()))
        .on(Method::Get, SEARCH, json(200, everyone))
        .on(Method::Get, LABELS, json(200, account_labels()))
        .on(Method::Get, DEFINITIONS, json(200, definitions_json()))
        .on(Method::Get, SEGMENTS, json(200, segments))
        .on(Method::Post, FILTER, json(200, answer));
    server
}

fn payload(request: &novatalks_contacts::api::HttpRequest) -> Value {
    let body: Value = serde_json::from_str(request.body.as_deref().expect("a body")).expect("JSON");
    body["payload"].clone()
}

fn chip_texts(page: &Mounted) -> Vec<String> {
    page.all("[data-testid=filter-chip]")
        .iter()
        .map(text)
        .collect()
}

fn conditions(value: Value) -> Vec<FilterCondition> {
    serde_json::from_value(value).unwrap()
}

#[wasm_bindgen_test]
async fn a_link_with_a_filter_opens_the_filtered_list() {
    let server = server(list(42, vec![contact(7, "Vera", &["vip"])]));
    let page = open_list(
        &server,
        "/contacts?sort=name&filter=labels:equal_to(vip,billing)~or~blocked:equal_to(true)",
    );
    page.wait_for("[data-testid=contact-row]").await;
    let requests = server.requests_to(FILTER);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, Method::Post);
    assert_eq!(param(&requests[0], "sort").as_deref(), Some("name"));
    assert_eq!(param(&requests[0], "page").as_deref(), Some("1"));
    assert_eq!(param(&requests[0], "per_page").as_deref(), Some("100"));
    assert_eq!(
        payload(&requests[0]),
        json!([
            {"attribute_key":"labels","filter_operator":"equal_to","values":["vip","billing"],"query_operator":"or"},
            {"attribute_key":"blocked","filter_operator":"equal_to","values":[true],"query_operator":null}
        ])
    );
    assert!(
        server.requests_to(CONTACTS).is_empty(),
        "the plain list is not asked"
    );
    assert!(text(&page.get("[data-testid=contacts-count]")).contains("42"));
    wait_until("the chips", || chip_texts(&page).len() == 2).await;
    assert_eq!(
        chip_texts(&page),
        ["Label is vip or billing", "Blocked is true"]
    );
    assert_eq!(text(&page.get("[data-testid=filter-open]")), "⚲Filter (2)");
}

#[wasm_bindgen_test]
async fn the_search_and_the_labels_join_every_group_of_the_filter() {
    let server = server(list(1, vec![contact(7, "Olena", &["lead"])]));
    let page = open_list(
        &server,
        "/contacts?q=ole&labels=lead&filter=blocked:equal_to(false)~or~id:is_less_than(10)",
    );
    page.wait_for("[data-testid=contact-row]").await;
    let sent = payload(&server.requests_to(FILTER)[0]);
    let shown: Vec<String> = sent
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {} {}",
                c["attribute_key"].as_str().unwrap(),
                c["values"],
                c["query_operator"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "blocked [false] and",
            "name [\"ole\"] and",
            "labels [\"lead\"] or",
            "blocked [false] and",
            "email [\"ole\"] and",
            "labels [\"lead\"] or",
            "blocked [false] and",
            "identifier [\"ole\"] and",
            "labels [\"lead\"] or",
            "id [10] and",
            "name [\"ole\"] and",
            "labels [\"lead\"] or",
            "id [10] and",
            "email [\"ole\"] and",
            "labels [\"lead\"] or",
            "id [10] and",
            "identifier [\"ole\"] and",
            "labels [\"lead\"] ",
        ]
    );
    assert!(server.requests_to(SEARCH).is_empty());
}

#[wasm_bindgen_test]
async fn applying_writes_the_url_and_chips_edit_and_remove_conditions() {
    let server = server(list(5, vec![contact(7, "Vera", &["vip"])]));
    let page = open_list(&server, "/contacts?q=ve");
    page.wait_for("[data-testid=contact-row]").await;
    page.click("[data-testid=filter-open]");
    page.wait_for("[data-testid=filter-builder]").await;
    assert_eq!(
        page.get("[data-testid=filter-open]")
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("true")
    );
    choose(&page, &row_part(0, "filter-attribute"), "labels");
    settle().await;
    page.wait_for(&format!(
        "{} input[data-value=vip]",
        row_part(0, "filter-value")
    ))
    .await;
    tick(&page, 0, "vip");
    page.click("[data-testid=filter-add]");
    settle().await;
    choose(&page, &row_part(1, "filter-attribute"), "blocked");
    settle().await;
    page.click("[data-testid=filter-apply]");

    wait_until("the filter in the URL", || !url_values("filter").is_empty()).await;
    assert_eq!(
        url_values("filter"),
        ["labels:equal_to(vip)~and~blocked:equal_to(true)"]
    );
    assert_eq!(url_values("q"), ["ve"], "the search stays");
    wait_until("the builder to close", || {
        page.find("[data-testid=filter-builder]").is_none()
    })
    .await;
    wait_until("two chips", || chip_texts(&page).len() == 2).await;
    let sent = payload(server.requests_to(FILTER).last().unwrap());
    assert_eq!(sent[0]["attribute_key"], "labels");
    assert_eq!(sent[1]["attribute_key"], "blocked");

    // A chip opens the builder on its row.
    page.all("[data-testid=filter-chip]")[1]
        .unchecked_ref::<HtmlElement>()
        .click();
    page.wait_for("[data-testid=filter-builder]").await;
    assert_eq!(page.all("[data-testid=filter-row]").len(), 2);
    wait_until("the focus on the second row", || {
        crate::list_support::active_element()
            .is_some_and(|e| e.closest("[data-index=\"1\"]").ok().flatten().is_some())
    })
    .await;
    page.click("[data-testid=filter-close]");
    settle().await;

    // Its × removes that condition only.
    page.all("[data-testid=filter-chip-remove]")[0]
        .unchecked_ref::<HtmlElement>()
        .click();
    wait_until("one condition left", || {
        url_values("filter") == ["blocked:equal_to(true)"]
    })
    .await;
    wait_until("one chip", || chip_texts(&page) == ["Blocked is true"]).await;
    page.click("[data-testid=filter-chip-remove]");
    wait_until("no filter", || url_values("filter").is_empty()).await;
    wait_until("no chips", || {
        page.find("[data-testid=filter-chips]").is_none()
    })
    .await;
    let search_requests = server.requests_to(SEARCH);
    assert!(
        !search_requests.is_empty(),
        "without a filter, the search endpoint again"
    );
}

#[wasm_bindgen_test]
async fn a_refused_condition_sends_nothing() {
    let server = server(list(0, vec![]));
    let page = open_list(&server, "/contacts");
    page.wait_for("[data-testid=contact-row]").await;
    page.click("[data-testid=filter-open]");
    page.wait_for("[data-testid=filter-builder]").await;
    wait_until("the custom attributes", || {
        page.find(&format!(
            "{} option[value=plan]",
            row_part(0, "filter-attribute")
        ))
        .is_some()
    })
    .await;
    choose(&page, &row_part(0, "filter-attribute"), "plan");
    settle().await;
    page.click("[data-testid=filter-apply]");
    let error = page.wait_for("[data-testid=filter-row-error]").await;
    assert_eq!(text(&error), "Needs a value");
    settle().await;
    assert!(server.requests_to(FILTER).is_empty(), "nothing is sent");
    assert!(url_values("filter").is_empty());
}

#[wasm_bindgen_test]
async fn an_empty_answer_names_the_filters_and_clears_them() {
    let server = server(list(0, vec![]));
    let page = open_list(
        &server,
        "/contacts?q=zz&filter=labels:equal_to(vip)&sort=name",
    );
    let empty = page.wait_for("[data-testid=contacts-empty]").await;
    let said = text(&empty);
    assert!(said.contains("No contacts match these filters:"), "{said}");
    assert!(said.contains("Label is vip"), "{said}");
    assert!(said.contains("Search: “zz”"), "{said}");
    page.click("[data-testid=filter-empty-clear]");
    wait_until("the plain list", || {
        page.find("[data-testid=contact-row]").is_some()
    })
    .await;
    assert!(url_values("filter").is_empty() && url_values("q").is_empty());
    assert_eq!(url_values("sort"), ["name"], "the order stays");
}

#[wasm_bindgen_test]
async fn a_segment_opens_from_the_sidebar() {
    let server = server_with_segments(
        list(9, vec![contact(7, "Vera", &["vip"])]),
        json!([{"id": 3, "name": "VIPs", "filter_type": "contact",
            "query": {"payload": [{"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":null}]},
            "created_at": 1, "updated_at": 1}]),
    );
    let page = open_list(&server, "/contacts");
    page.wait_for("[data-testid=contact-row]").await;
    let item = page.wait_for("[data-testid=segment-item]").await;
    assert!(text(&item).contains("VIPs"));
    item.unchecked_ref::<HtmlElement>().click();
    wait_until("the segment's filter in the URL", || {
        url_values("filter") == ["labels:equal_to(vip)"]
    })
    .await;
    wait_until("the chip", || chip_texts(&page) == ["Label is vip"]).await;
    wait_until("the segment to be current", || {
        page.get("[data-testid=segment-item]")
            .get_attribute("aria-current")
            .as_deref()
            == Some("true")
    })
    .await;
    assert_eq!(
        payload(server.requests_to(FILTER).last().unwrap()),
        json!([{"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":null}])
    );
}

/// What the address bar holds after `replaceState` with the filter's parameter.
fn through_the_address_bar(conditions: &[FilterCondition]) -> Vec<FilterCondition> {
    let window = web_sys::window().expect("a window");
    let before = window.location().href().expect("href");
    let url = format!("/contacts?filter={}", to_param(conditions));
    window
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some(&url))
        .expect("replaceState");
    let search = window.location().search().expect("search");
    window
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some(&before))
        .expect("replaceState");
    let pairs = parse_query_string(&search);
    assert_eq!(pairs.len(), 1, "{search}");
    from_param(&pairs[0].1)
}

#[wasm_bindgen_test]
fn the_url_form_survives_the_browser() {
    for text in [
        "ole kov",
        "a&b=c#d?e+f",
        "100%_",
        "'quoted' \"double\"",
        "Олена 😀",
        "!,()~:",
        "",
        "42",
        "true",
        "<b>",
        "a/b\\c",
        "tab\tnew\nline",
    ] {
        let case = conditions(json!([
            {"attribute_key":"name","filter_operator":"contains","values":[text],"query_operator":"or"},
            {"attribute_key":"created_at","filter_operator":"is_less_than","values":["2025-11-01", -300],"query_operator":null}
        ]));
        assert_eq!(through_the_address_bar(&case), case, "{text:?}");
    }
    let link = format!(
        "/contacts?filter={}",
        to_param(&conditions(json!([
            {"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":null}
        ])))
    );
    assert_eq!(
        link, "/contacts?filter=labels:equal_to(vip)",
        "readable as it is shared"
    );
}
