use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::pages::ContactsPage;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{demo_session, json, mount, text, wait_until, FakeServer};

const CONTACTS: &str = "/api/v1/accounts/1/contacts";
const LABELS: &str = "/api/v1/accounts/1/labels";

fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn contacts_fixture() -> serde_json::Value {
    let now = now();
    json!({
        "meta": { "count": 2000, "current_page": 1 },
        "payload": [
            {
                "id": 42, "name": "Olena Kovalenko", "email": "olena@example.com",
                "phone_number": "+380501234567", "identifier": "crm-8812", "thumbnail": "",
                "blocked": true, "blocked_until": now + 3 * 86_400, "block_reason": "Spam",
                "additional_attributes": { "city": "Kyiv" }, "custom_attributes": {},
                "labels": ["vip", "billing"], "conversations_count": 3,
                "last_activity_at": now - 5 * 60, "created_at": 1_764_400_000
            },
            {
                // A stock Chatwoot contact: none of the NovaTalks extensions.
                "id": 7, "name": "Ann", "email": null, "phone_number": null, "thumbnail": "",
                "blocked": false, "additional_attributes": {}, "custom_attributes": {},
                "created_at": 1_764_400_000
            },
            {
                "id": 9, "name": "<img src=x onerror=alert(1)>", "email": "x@example.com",
                "blocked": true, "labels": [], "created_at": 1_764_400_000
            }
        ]
    })
}

fn labels_fixture() -> serde_json::Value {
    json!({ "payload": [
        { "id": 1, "title": "vip", "description": "", "color": "#d0021b", "show_on_sidebar": true },
        { "id": 2, "title": "billing", "description": "", "color": null, "show_on_sidebar": true }
    ]})
}

#[wasm_bindgen_test]
async fn table_renders_the_contacts_of_the_first_page() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, contacts_fixture()))
        .on(Method::Get, LABELS, json(200, labels_fixture()));
    let page = mount(&server, Some(demo_session()), || view! { <ContactsPage /> });

    page.wait_for("[data-testid=contact-row]").await;
    assert!(page.find("[data-testid=contacts-table]").is_some());
    assert_eq!(page.text("[data-testid=contacts-count]"), "2,000 contacts");
    assert_eq!(page.text("[data-testid=signed-in-agent]"), "Demo Agent");
    assert_eq!(
        page.all("th[scope=col]").len(),
        8,
        "one header cell per column"
    );

    let rows = page.all("[data-testid=contact-row]");
    assert_eq!(rows.len(), 3);
    let cell = |row: usize, selector: &str| {
        rows[row]
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector} in row {row}"))
    };

    // Olena: every column filled.
    assert_eq!(text(&cell(0, ".contact-name")), "Olena Kovalenko");
    assert_eq!(text(&cell(0, "[data-testid=avatar]")), "OK");
    assert_eq!(text(&cell(0, ".cell--email")), "olena@example.com");
    assert_eq!(text(&cell(0, ".cell--phone")), "+380501234567");
    let chips: Vec<String> = rows[0]
        .query_selector_all("[data-testid=label-chip]")
        .map(|list| {
            (0..list.length())
                .map(|i| list.item(i).unwrap().text_content().unwrap())
                .collect()
        })
        .unwrap();
    assert_eq!(chips, ["vip", "billing"]);
    let activity = cell(0, ".cell--activity time");
    assert_eq!(text(&activity), "5 min ago");
    assert!(
        activity
            .get_attribute("title")
            .is_some_and(|t| !t.is_empty()),
        "the exact time shows on hover"
    );
    assert_eq!(text(&cell(0, ".cell--conversations")), "3");
    let status = cell(0, "[data-testid=contact-status]");
    assert!(status.class_list().contains("status--blocked"));
    assert!(
        text(&status).starts_with("Blocked until "),
        "{}",
        text(&status)
    );
    assert_eq!(
        status.get_attribute("title").as_deref(),
        Some("Reason: Spam")
    );

    // The chip colour comes from the account's labels; a label without one stays neutral.
    wait_until("the vip chip to take its colour", || {
        cell(0, "[data-testid=label-chip]")
            .get_attribute("style")
            .is_some_and(|s| s.contains("#d0021b"))
    })
    .await;
    let billing = rows[0]
        .query_selector_all("[data-testid=label-chip]")
        .unwrap()
        .item(1)
        .unwrap();
    let billing: web_sys::Element = wasm_bindgen::JsCast::unchecked_into(billing);
    assert_eq!(billing.get_attribute("style"), None);

    // Ann, from a stock Chatwoot: blanks read "—", and she is active.
    assert_eq!(text(&cell(1, "[data-testid=avatar]")), "A");
    assert_eq!(text(&cell(1, ".cell--email")), "—");
    assert_eq!(text(&cell(1, ".cell--activity")), "—");
    assert_eq!(text(&cell(1, ".cell--conversations")), "—");
    assert_eq!(text(&cell(1, "[data-testid=contact-status]")), "Active");

    // Data is text, never markup; a block without an end is just "Blocked".
    assert_eq!(
        text(&cell(2, ".contact-name")),
        "<img src=x onerror=alert(1)>"
    );
    assert!(
        page.find("img").is_none(),
        "a name must not become an element"
    );
    assert_eq!(text(&cell(2, "[data-testid=contact-status]")), "Blocked");
    assert_eq!(
        cell(2, "[data-testid=contact-status]").get_attribute("title"),
        None
    );

    // What was asked: the first 50, default order, with the agent's token.
    let requests = server.requests_to(CONTACTS);
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].path_and_query,
        format!("{CONTACTS}?page=1&per_page=50&sort=-last_activity_at")
    );
    assert_eq!(requests[0].header("api_access_token"), Some("tok-123"));
    assert_eq!(
        server.requests_to(LABELS)[0].header("api_access_token"),
        Some("tok-123")
    );
}

#[wasm_bindgen_test]
async fn an_account_without_contacts_says_so() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            CONTACTS,
            json(
                200,
                json!({ "meta": { "count": 0, "current_page": 1 }, "payload": [] }),
            ),
        )
        .on(Method::Get, LABELS, json(200, json!({ "payload": [] })));
    let page = mount(&server, Some(demo_session()), || view! { <ContactsPage /> });

    let empty = page.wait_for("[data-testid=contacts-empty]").await;
    assert_eq!(text(&empty), "No contacts yet");
    assert!(page.find("[data-testid=contacts-table]").is_none());
}

#[wasm_bindgen_test]
async fn a_failed_load_says_why_and_retry_fetches_again() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            CONTACTS,
            json(500, json!({ "error": "Database is busy" })),
        )
        .on(Method::Get, CONTACTS, json(200, contacts_fixture()))
        .on(Method::Get, LABELS, json(200, labels_fixture()));
    let page = mount(&server, Some(demo_session()), || view! { <ContactsPage /> });

    page.wait_for("[data-testid=retry]").await;
    assert_eq!(
        page.text("[data-testid=contacts-error] p"),
        "Could not load contacts: Database is busy"
    );
    assert!(page.find("[data-testid=contact-row]").is_none());
    assert_eq!(page.get("[data-testid=retry]").tag_name(), "BUTTON");

    page.click("[data-testid=retry]");
    page.wait_for("[data-testid=contact-row]").await;
    assert_eq!(page.all("[data-testid=contact-row]").len(), 3);
    assert!(page.find("[data-testid=contacts-error]").is_none());
    assert_eq!(server.requests_to(CONTACTS).len(), 2);
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_reported_too() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            CONTACTS,
            Err(novatalks_contacts::api::ApiError::Network(
                "Failed to fetch".into(),
            )),
        )
        .on(Method::Get, LABELS, json(200, json!({ "payload": [] })));
    let page = mount(&server, Some(demo_session()), || view! { <ContactsPage /> });

    page.wait_for("[data-testid=retry]").await;
    assert_eq!(
        page.text("[data-testid=contacts-error] p"),
        "Could not load contacts: the server could not be reached (Failed to fetch)"
    );
}

#[wasm_bindgen_test]
async fn a_refused_token_ends_the_session() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            CONTACTS,
            json(401, json!({ "error": "Invalid Access Token" })),
        )
        .on(
            Method::Get,
            LABELS,
            json(401, json!({ "error": "Invalid Access Token" })),
        );
    let page = mount(&server, Some(demo_session()), || view! { <ContactsPage /> });

    wait_until("the session to end", || {
        page.session.get_untracked().is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn sign_out_ends_the_session() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, contacts_fixture()))
        .on(Method::Get, LABELS, json(200, labels_fixture()));
    let page = mount(&server, Some(demo_session()), || view! { <ContactsPage /> });

    page.wait_for("[data-testid=contact-row]").await;
    page.click("[data-testid=sign-out]");
    wait_until("the session to end", || {
        page.session.get_untracked().is_none()
    })
    .await;
}
