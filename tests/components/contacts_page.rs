use novatalks_contacts::api::Method;
use novatalks_contacts::components::table::ROW_HEIGHT_PX;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::list_support::{full_page, open_list, param, scroller, CONTACTS, LABELS};
use crate::support::{json, sleep_ms, text, wait_until, FakeServer};

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
    let page = open_list(&server, "/contacts");

    page.wait_for("[data-testid=contact-row]").await;
    assert!(page.find("[data-testid=contacts-table]").is_some());
    assert_eq!(page.text("[data-testid=contacts-count]"), "2,000 contacts");
    assert_eq!(page.text("[data-testid=signed-in-agent]"), "Demo Agent");
    assert_eq!(
        page.all("th[scope=col]").len(),
        9,
        "one header cell per column, the selection's checkboxes first"
    );
    assert!(page
        .find("th[scope=col] [data-testid=select-loaded]")
        .is_some());

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

    // What was asked: the first server page, default order, with the agent's token.
    let requests = server.requests_to(CONTACTS);
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].path_and_query,
        format!("{CONTACTS}?page=1&per_page=100&sort=-last_activity_at")
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
    let page = open_list(&server, "/contacts");

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
    let page = open_list(&server, "/contacts");

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
    let page = open_list(&server, "/contacts");

    page.wait_for("[data-testid=retry]").await;
    assert_eq!(
        page.text("[data-testid=contacts-error] p"),
        "Could not load contacts: the server could not be reached (Failed to fetch)"
    );
    drop(page);
}

/// The page stays (under the "sign in again" dialog, which the app mounts beside it).
#[wasm_bindgen_test]
async fn a_refused_token_marks_the_session_ended_and_keeps_the_page() {
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
    let page = open_list(&server, "/contacts");

    wait_until("the session to be marked ended", || {
        page.session.has_ended()
    })
    .await;
    assert!(
        page.session.get_untracked().is_some(),
        "not signed out: the page underneath stays"
    );
    assert!(page.find("[data-testid=app-header]").is_some());
}

#[wasm_bindgen_test]
async fn sign_out_ends_the_session() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, contacts_fixture()))
        .on(Method::Get, LABELS, json(200, labels_fixture()));
    let page = open_list(&server, "/contacts");

    page.wait_for("[data-testid=contact-row]").await;
    page.click("[data-testid=sign-out]");
    wait_until("the session to end", || {
        page.session.get_untracked().is_none()
    })
    .await;
    let revoked = server.requests_to("/auth/sign_out");
    assert_eq!(
        revoked.len(),
        1,
        "the server is asked to revoke the session"
    );
    assert_eq!(revoked[0].method, Method::Delete);
    assert_eq!(revoked[0].header("api_access_token"), Some("tok-123"));
}

/// The pages asked for, in order.
fn pages_requested(server: &FakeServer) -> Vec<u32> {
    server
        .requests_to(CONTACTS)
        .iter()
        .map(|r| {
            param(r, "page")
                .and_then(|p| p.parse().ok())
                .expect("a page")
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_million_contacts_scroll_with_a_small_dom_fetching_only_the_pages_in_view() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, full_page(1_000_000, 1)))
        .on(Method::Get, LABELS, json(200, json!({ "payload": [] })));
    let page = open_list(&server, "/contacts");

    page.wait_for("[data-testid=contact-row]").await;
    assert_eq!(
        page.text("[data-testid=contacts-count]"),
        "1,000,000 contacts"
    );
    let in_dom = page.all("tbody tr").len();
    assert!(in_dom < 60, "{in_dom} rows in the DOM");
    // Every row is exactly as tall as the virtual scrolling counts.
    for row in page.all("[data-testid=contact-row]") {
        let row: web_sys::HtmlElement = row.unchecked_into();
        assert_eq!(f64::from(row.offset_height()), ROW_HEIGHT_PX);
    }

    // The scrollbar stands for the whole list (within the browsers' height limit).
    let container = scroller(&page);
    let scroll_height = container.scroll_height();
    assert!(scroll_height > 1_000_000, "scrollHeight {scroll_height}");
    assert!(scroll_height < 10_000_000, "scrollHeight {scroll_height}");
    assert!(
        container.client_height() < 2_000,
        "the container scrolls, not the page"
    );

    // To the middle: the page there is fetched, not the 4,999 before it.
    let middle = (scroll_height - container.client_height()) / 2;
    container.set_scroll_top(middle);
    wait_until("the page in the middle", || {
        pages_requested(&server).len() > 1
    })
    .await;
    sleep_ms(300).await;
    let pages = pages_requested(&server);
    assert_eq!(pages[0], 1);
    assert!(
        pages[1..].iter().all(|p| (4_999..=5_002).contains(p)),
        "pages asked for: {pages:?}"
    );
    assert!(pages.len() <= 3, "pages asked for: {pages:?}");

    // The rows in view are the page's (the fake answers every page alike), still few.
    wait_until("rows in the middle", || {
        page.all("tbody tr.placeholder-row").is_empty()
    })
    .await;
    let in_dom = page.all("tbody tr").len();
    assert!(in_dom < 60, "{in_dom} rows in the DOM");
    assert!(!page.all("[data-testid=contact-row]").is_empty());
    assert_eq!(container.scroll_top(), middle, "the view stays put");
}

#[wasm_bindgen_test]
async fn scrolling_down_fetches_the_next_page_once_and_shows_its_rows() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, full_page(250, 1)))
        .on(Method::Get, CONTACTS, json(200, full_page(250, 101)))
        .on(Method::Get, LABELS, json(200, json!({ "payload": [] })));
    let page = open_list(&server, "/contacts?sort=name");

    page.wait_for("[data-testid=contact-row]").await;
    let container = scroller(&page);
    // Row 120 at the top: page 2.
    container.set_scroll_top((120.0 * ROW_HEIGHT_PX) as i32);
    let row = page
        .wait_for("[data-testid=contact-row][data-contact-id='121']")
        .await;
    assert!(text(&row).contains("Contact 121"));
    // Back up: page 1 is still there, nothing is fetched again.
    container.set_scroll_top(0);
    page.wait_for("[data-testid=contact-row][data-contact-id='1']")
        .await;
    sleep_ms(200).await;
    assert_eq!(pages_requested(&server), [1, 2]);
    let second = &server.requests_to(CONTACTS)[1];
    assert_eq!(param(second, "sort").as_deref(), Some("name"));
    assert_eq!(param(second, "per_page").as_deref(), Some("100"));
}

#[wasm_bindgen_test]
async fn a_page_that_fails_says_why_and_retry_fetches_it_again() {
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, full_page(250, 1)))
        .on(
            Method::Get,
            CONTACTS,
            json(500, json!({ "error": "Database is busy" })),
        )
        .on(Method::Get, CONTACTS, json(200, full_page(250, 101)))
        .on(Method::Get, LABELS, json(200, json!({ "payload": [] })));
    let page = open_list(&server, "/contacts");

    page.wait_for("[data-testid=contact-row]").await;
    scroller(&page).set_scroll_top((150.0 * ROW_HEIGHT_PX) as i32);
    page.wait_for("[data-testid=retry]").await;
    assert_eq!(
        page.text("[data-testid=contacts-error] p"),
        "Some contacts could not be loaded: Database is busy"
    );
    assert!(page.find("tr.placeholder-row--failed").is_some());

    page.click("[data-testid=retry]");
    page.wait_for("[data-testid=contact-row][data-contact-id='151']")
        .await;
    assert!(page.find("[data-testid=contacts-error]").is_none());
    assert_eq!(pages_requested(&server), [1, 2, 2]);
}

#[wasm_bindgen_test]
async fn a_row_changed_in_place_is_patched_in_the_cache_without_a_refetch() {
    let mut first = full_page(250, 1);
    first["payload"][59]["blocked"] = json!(true);
    first["payload"][59]["blocked_until"] = json!(null);
    let mut unblocked = first["payload"][59].clone();
    unblocked["blocked"] = json!(false);
    let server = FakeServer::new();
    server
        .on(Method::Get, CONTACTS, json(200, first))
        .on(Method::Get, CONTACTS, json(200, full_page(250, 101)))
        .on(
            Method::Put,
            "/api/v1/accounts/1/contacts/60",
            json(200, json!({ "payload": unblocked })),
        )
        .on(Method::Get, LABELS, json(200, json!({ "payload": [] })));
    let page = open_list(&server, "/contacts");
    page.wait_for("[data-testid=contact-row]").await;

    // Contact 60 (row 59) at the top of the view.
    let container = scroller(&page);
    let offset = (59.0 * ROW_HEIGHT_PX) as i32;
    container.set_scroll_top(offset);
    let status = "[data-contact-id='60'] [data-testid=contact-status]";
    let blocked = page.wait_for(status).await;
    assert!(text(&blocked).starts_with("Blocked"), "{}", text(&blocked));

    page.click("[data-contact-id='60'] [data-testid=unblock-button]");
    wait_until("the row to read Active", || {
        page.find(status).is_some_and(|s| text(&s) == "Active")
    })
    .await;
    assert_eq!(container.scroll_top(), offset, "the view stays put");

    // Away (page 2 is fetched) and back: the row comes from the patched cache.
    container.set_scroll_top((150.0 * ROW_HEIGHT_PX) as i32);
    page.wait_for("[data-testid=contact-row][data-contact-id='151']")
        .await;
    assert!(page.find(status).is_none(), "row 60 left the DOM");
    container.set_scroll_top(offset);
    let status_again = page.wait_for(status).await;
    assert_eq!(text(&status_again), "Active");
    sleep_ms(200).await;
    assert_eq!(pages_requested(&server), [1, 2], "nothing fetched again");
}
