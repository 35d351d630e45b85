//! The label quick filter: the sidebar, the chips, and what the list asks for.

use novatalks_contacts::api::Method;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::list_support::{
    account_labels, contact, history_go, list, open_list, request_query, url_values, values,
    CONTACTS, LABELS,
};
use crate::support::{json, text, wait_until, FakeServer};

fn sidebar_label(title: &str) -> String {
    format!("[data-testid=sidebar-label][data-label='{title}']")
}

fn chip_titles(page: &crate::support::Mounted) -> Vec<String> {
    page.all("[data-testid=active-label] > span")
        .iter()
        .map(text)
        .collect()
}

/// The labels the last list request asked for.
fn last_labels(server: &FakeServer) -> Vec<String> {
    let requests = server.requests_to(CONTACTS);
    values(
        &request_query(requests.last().expect("a request")),
        "labels[]",
    )
}

#[wasm_bindgen_test]
async fn two_labels_filter_together_show_as_chips_and_come_off_one_by_one() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            CONTACTS,
            json(
                200,
                list(
                    3,
                    vec![contact(1, "Ann", &["vip"]), contact(2, "Bo", &["billing"])],
                ),
            ),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts");

    // The sidebar: a nav, the account's labels in their colours, "All contacts" current.
    page.wait_for(&sidebar_label("vip")).await;
    let nav = page.get("[data-testid=label-sidebar]");
    assert_eq!(nav.tag_name(), "NAV");
    assert_eq!(nav.get_attribute("aria-label").as_deref(), Some("Labels"));
    let titles: Vec<String> = page
        .all("[data-testid=sidebar-label]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        titles,
        ["vip", "billing", "lead"],
        "show_on_sidebar: false is left out"
    );
    let dot = page.get(&format!("{} .label-dot", sidebar_label("vip")));
    assert_eq!(
        dot.get_attribute("style").as_deref(),
        Some("--label-colour:#f5a623")
    );
    let all = page.get("[data-testid=all-contacts]");
    assert_eq!(all.get_attribute("aria-current").as_deref(), Some("page"));
    assert!(page.find("[data-testid=active-label]").is_none());
    page.wait_for("[data-testid=contact-row]").await;
    assert!(last_labels(&server).is_empty());

    // Two labels: one request with both, both highlighted, both chips; a history entry each.
    page.click(&sidebar_label("vip"));
    wait_until("a request for vip", || last_labels(&server) == ["vip"]).await;
    page.click(&sidebar_label("billing"));
    wait_until("a request for vip and billing", || {
        last_labels(&server) == ["vip", "billing"]
    })
    .await;
    assert_eq!(url_values("labels"), ["vip", "billing"]);
    page.wait_for("[data-testid=active-label]").await;
    wait_until("both chips", || chip_titles(&page) == ["vip", "billing"]).await;

    // Each label change is a history step: Back shows vip alone, Forward both again.
    history_go(-1);
    wait_until("back to vip alone", || {
        url_values("labels") == ["vip"] && chip_titles(&page) == ["vip"]
    })
    .await;
    history_go(1);
    wait_until("forward to both", || {
        url_values("labels") == ["vip", "billing"] && chip_titles(&page) == ["vip", "billing"]
    })
    .await;
    for title in ["vip", "billing"] {
        let item = page.get(&sidebar_label(title));
        assert_eq!(item.get_attribute("aria-current").as_deref(), Some("true"));
        assert_eq!(item.get_attribute("aria-pressed").as_deref(), Some("true"));
    }
    assert_eq!(
        page.get(&sidebar_label("lead"))
            .get_attribute("aria-current"),
        None
    );
    assert_eq!(all.get_attribute("aria-current"), None);
    let remove = page.get("[data-testid=active-label][data-label=vip] [data-testid=remove-label]");
    assert_eq!(
        remove.get_attribute("aria-label").as_deref(),
        Some("Remove label vip")
    );

    // × on vip: billing alone.
    page.click("[data-testid=active-label][data-label=vip] [data-testid=remove-label]");
    wait_until("a request for billing", || {
        last_labels(&server) == ["billing"]
    })
    .await;
    wait_until("the vip chip to go", || chip_titles(&page) == ["billing"]).await;
    assert_eq!(url_values("labels"), ["billing"]);

    // Clicking a chosen label again drops it too; then "All contacts" clears the rest.
    page.click(&sidebar_label("lead"));
    wait_until("billing and lead", || {
        last_labels(&server) == ["billing", "lead"]
    })
    .await;
    page.click(&sidebar_label("lead"));
    wait_until("billing again", || last_labels(&server) == ["billing"]).await;
    page.click("[data-testid=all-contacts]");
    wait_until("a request without labels", || {
        last_labels(&server).is_empty()
    })
    .await;
    wait_until("the chips to go", || {
        page.find("[data-testid=active-label]").is_none()
    })
    .await;
    assert!(url_values("labels").is_empty());
    assert_eq!(all.get_attribute("aria-current").as_deref(), Some("page"));
}

#[wasm_bindgen_test]
async fn clear_labels_drops_every_chip_and_keeps_the_search() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            "/api/v1/accounts/1/contacts/search",
            json(200, list(1, vec![contact(1, "Ann", &["vip"])])),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts?q=ann&labels=vip&labels=lead");

    page.wait_for("[data-testid=active-label]").await;
    assert_eq!(chip_titles(&page), ["vip", "lead"]);
    page.click("[data-testid=clear-labels]");
    wait_until("the chips to go", || {
        page.find("[data-testid=active-label]").is_none()
    })
    .await;
    assert!(url_values("labels").is_empty());
    assert_eq!(url_values("q"), ["ann"]);
}

#[wasm_bindgen_test]
async fn labels_that_fail_to_load_say_so_and_load_again_on_retry() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, list(0, vec![])))
        .on(
            Method::Get,
            LABELS,
            json(503, serde_json::json!({ "error": "Down for maintenance" })),
        )
        .on(Method::Get, LABELS, json(200, account_labels()));
    let page = open_list(&server, "/contacts");

    let alert = page
        .wait_for("[data-testid=label-sidebar] [role=alert]")
        .await;
    assert!(text(&alert).contains("Could not load labels: Down for maintenance"));
    page.click("[data-testid=label-sidebar] [role=alert] button");
    page.wait_for(&sidebar_label("vip")).await;
}
