//! Against a stock Chatwoot server (no NovaTalks [ext] fields): the app tells the kind of
//! server from one contact it asks for, pages by what the server really answered, reads
//! each row's labels on its own, shows "—" for an unknown conversation count, and blocks
//! only until unblocked, saying why there is no choice.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::Router;
use novatalks_contacts::api::Method;
use novatalks_contacts::components::table::{ContactRow, ROW_HEIGHT_PX};
use novatalks_contacts::i18n::t;
use novatalks_contacts::logic::label_colour::LabelColours;
use novatalks_contacts::logic::server_kind::ServerKind;
use novatalks_contacts::pages::ContactsPage;
use novatalks_contacts::state::{use_api, use_session, AccountLabels, ServerCapabilities};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::block_dialog::{click, contact, find, get, now_secs, olena, wait_for_doc, OLENA};
use crate::list_support::{param, scroller, use_app_styles, CONTACTS, LABELS};
use crate::support::{demo_session, json, mount, sleep_ms, text, wait_until, FakeServer, Mounted};

/// A contact as a stock Chatwoot sends it: no `labels`, `conversations_count`,
/// `blocked_until` or `block_reason`.
fn stock_contact(id: i64) -> Value {
    json!({
        "id": id, "name": format!("Contact {id}"), "email": format!("c{id}@example.com"),
        "phone_number": null, "identifier": null, "thumbnail": "",
        "availability_status": "offline", "blocked": false,
        "additional_attributes": {}, "custom_attributes": {},
        "last_activity_at": 1_764_500_000 - id, "created_at": 1_764_400_000
    })
}

/// A page of a stock list: `count` in all, contacts `ids` on it.
fn stock_page(count: i64, ids: std::ops::Range<i64>) -> Value {
    json!({
        "meta": { "count": count, "current_page": 1 },
        "payload": ids.map(stock_contact).collect::<Vec<_>>()
    })
}

fn labels_of(id: i64) -> String {
    format!("/api/v1/accounts/1/contacts/{id}/labels")
}

/// The contacts page at `/contacts`, with the server's kind probed and the labels shared
/// as `App` sets them up. The page's capabilities come back too.
struct StockPage {
    page: Mounted,
    capabilities: ServerCapabilities,
    test_page_url: String,
}

impl Drop for StockPage {
    fn drop(&mut self) {
        replace_url(&self.test_page_url);
    }
}

fn replace_url(url: &str) {
    window()
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some(url))
        .expect("replaceState");
}

fn open_probed_list(server: &FakeServer) -> StockPage {
    let test_page_url = window().location().href().expect("href");
    if let Ok(Some(storage)) = window().session_storage() {
        let _ = storage.clear();
    }
    use_app_styles();
    window()
        .history()
        .expect("history")
        .push_state_with_url(&JsValue::NULL, "", Some("/contacts"))
        .expect("pushState");
    let probed = Rc::new(Cell::new(None));
    let page = mount(server, Some(demo_session()), {
        let probed = probed.clone();
        move || {
            let capabilities = ServerCapabilities::probe(use_api(), use_session());
            probed.set(Some(capabilities));
            provide_context(capabilities);
            provide_context(AccountLabels::new(use_api(), use_session()));
            view! {
                <Router>
                    <ContactsPage />
                </Router>
            }
        }
    });
    StockPage {
        page,
        capabilities: probed.get().expect("the capabilities"),
        test_page_url,
    }
}

#[wasm_bindgen_test]
async fn a_stock_list_is_paged_by_what_the_server_answered_with_labels_read_per_row() {
    let server = FakeServer::new();
    // The page asks for 100 a page; a stock server ignores per_page and answers 15. The
    // probe (per_page=1) gets the first page too, whichever asks first.
    server
        .on(Method::Get, CONTACTS, json(200, stock_page(20, 1..16)))
        .on(Method::Get, CONTACTS, json(200, stock_page(20, 1..16)))
        .on(Method::Get, CONTACTS, json(200, stock_page(20, 16..21)))
        .on(Method::Get, LABELS, json(200, json!({ "payload": [] })));
    for id in 1..21 {
        let titles: Vec<&str> = if id % 5 == 0 { vec!["vip"] } else { vec![] };
        server.on(
            Method::Get,
            &labels_of(id),
            json(200, json!({ "payload": titles })),
        );
    }
    let page = open_probed_list(&server);
    page.page.wait_for("[data-testid=contact-row]").await;
    wait_until("the kind to be known", || {
        page.capabilities.kind() == ServerKind::StockChatwoot
    })
    .await;
    assert_eq!(
        page.page.text("[data-testid=contacts-count]"),
        "20 contacts"
    );

    // Rows 16 to 20 are on the server's page 2, not past the end of a page of 100.
    scroller(&page.page).set_scroll_top((20.0 * ROW_HEIGHT_PX) as i32);
    wait_until("the last row", || {
        page.page.find("[data-contact-id='20']").is_some()
    })
    .await;
    let (probes, pages): (Vec<_>, Vec<_>) = server
        .requests_to(CONTACTS)
        .into_iter()
        .partition(|r| param(r, "per_page").as_deref() == Some("1"));
    assert_eq!(probes.len(), 1, "the kind is asked once");
    let pages: Vec<Option<String>> = pages.iter().map(|r| param(r, "page")).collect();
    assert_eq!(pages, [Some("1".into()), Some("2".into())]);
    let ids: Vec<i64> = page
        .page
        .all("[data-testid=contact-row]")
        .iter()
        .map(|row| {
            row.get_attribute("data-contact-id")
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    let first = ids[0];
    assert_eq!(
        ids,
        (first..21).collect::<Vec<_>>(),
        "rows in order, none missing"
    );
    assert_eq!(
        text(&page.page.get("[data-contact-id='18'] .contact-name")),
        "Contact 18"
    );

    // Each row reads its own labels; the count nobody sent is "—", not 0.
    wait_until("the labels of contact 20", || {
        page.page
            .find("[data-contact-id='20'] [data-testid=label-chip]")
            .is_some()
    })
    .await;
    assert_eq!(
        text(
            &page
                .page
                .get("[data-contact-id='20'] [data-testid=label-chip]")
        ),
        "vip"
    );
    assert!(page
        .page
        .find("[data-contact-id='19'] [data-testid=label-chip]")
        .is_none());
    assert_eq!(
        text(&page.page.get("[data-contact-id='19'] .cell--conversations")),
        t().missing_value
    );
    assert_eq!(server.requests_to(&labels_of(20)).len(), 1);
    assert_eq!(
        server.requests_to(&labels_of(1)).len(),
        1,
        "row 1 was in view first"
    );
}

#[wasm_bindgen_test]
async fn a_novatalks_list_is_read_as_such_and_asks_for_no_labels_per_row() {
    let server = FakeServer::new();
    let mut first = stock_contact(1);
    let object = first.as_object_mut().unwrap();
    object.insert("labels".into(), json!(["vip"]));
    object.insert("conversations_count".into(), json!(1234));
    object.insert("blocked_until".into(), Value::Null);
    object.insert("block_reason".into(), Value::Null);
    server
        .on(
            Method::Get,
            CONTACTS,
            json(
                200,
                json!({ "meta": { "count": 1, "current_page": 1 }, "payload": [first] }),
            ),
        )
        .on(Method::Get, LABELS, json(200, json!({ "payload": [] })));
    let page = open_probed_list(&server);
    page.page.wait_for("[data-testid=contact-row]").await;
    wait_until("the kind to be known", || {
        page.capabilities.kind() == ServerKind::NovaTalks
    })
    .await;
    assert_eq!(page.page.text("[data-testid=label-chip]"), "vip");
    assert_eq!(page.page.text(".cell--conversations"), "1,234");
    assert!(server.requests_to(&labels_of(1)).is_empty());
}

#[wasm_bindgen_test]
async fn an_empty_answer_decides_nothing_and_the_first_contact_does() {
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
    let page = open_probed_list(&server);
    page.page.wait_for("[data-testid=contacts-empty]").await;
    wait_until("the probe", || {
        server
            .requests_to(CONTACTS)
            .iter()
            .any(|r| param(r, "per_page").as_deref() == Some("1"))
    })
    .await;
    sleep_ms(20).await;
    assert_eq!(page.capabilities.kind(), ServerKind::Unknown);
    // Unknown behaves as NovaTalks until a contact says otherwise.
    assert!(page.capabilities.has_extensions_untracked());
    page.capabilities.observe(ServerKind::StockChatwoot);
    page.capabilities.observe(ServerKind::NovaTalks);
    assert_eq!(
        page.capabilities.kind(),
        ServerKind::StockChatwoot,
        "the first answer decides for the session"
    );
}

/// Olena's row with the server known to be a stock Chatwoot.
fn mount_stock_row(server: &FakeServer, olena: Value) -> Mounted {
    mount(server, Some(demo_session()), move || {
        provide_context(ServerCapabilities::new(ServerKind::StockChatwoot));
        view! {
            <table>
                <tbody>
                    <ContactRow contact=contact(olena) label_colours=LabelColours::default() now=now_secs() />
                </tbody>
            </table>
        }
    })
}

fn stock_olena(blocked: bool) -> Value {
    let mut contact = olena(blocked, None, None);
    let object = contact.as_object_mut().unwrap();
    for key in [
        "blocked_until",
        "block_reason",
        "labels",
        "conversations_count",
    ] {
        object.remove(key);
    }
    contact
}

#[wasm_bindgen_test]
async fn a_stock_block_dialog_blocks_until_unblocked_and_says_why_there_is_no_choice() {
    let server = FakeServer::new();
    server
        .on(
            Method::Put,
            OLENA,
            json(200, json!({ "payload": stock_olena(true) })),
        )
        .on(
            Method::Get,
            &labels_of(42),
            json(200, json!({ "payload": [] })),
        );
    let page = mount_stock_row(&server, stock_olena(false));
    page.click("[data-testid=block-button]");
    wait_for_doc("[data-testid=block-dialog]").await;

    let strings = t();
    assert_eq!(
        text(&get("[data-testid=block-forever-only]")),
        strings.stock.block_forever_only
    );
    assert_eq!(
        text(&get("[data-testid=block-preview]")),
        strings.blocked_forever
    );
    for absent in [
        "[data-testid^=block-duration-]",
        "[data-testid=block-until-input]",
        "[data-testid=block-reason]",
    ] {
        assert!(find(absent).is_none(), "{absent} is not offered");
    }
    assert_eq!(
        text(&get("[data-testid=block-confirm]")),
        strings.stock.block_forever
    );
    // The dialog is described by its explanation, for a screen reader.
    let dialog = get("[data-testid=block-dialog]");
    let described_by = dialog.get_attribute("aria-describedby").expect("described");
    assert_eq!(
        get(&format!("#{described_by}")).get_attribute("data-testid"),
        Some("block-forever-only".into())
    );

    click("[data-testid=block-confirm]");
    page.wait_for("[data-testid=unblock-button]").await;
    assert!(find("[data-testid=block-dialog]").is_none());
    assert_eq!(
        page.text("[data-testid=contact-status]"),
        strings.status_blocked
    );
    let puts = server.requests_to(OLENA);
    assert_eq!(puts.len(), 1);
    let body: Value = serde_json::from_str(puts[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["blocked"], json!(true));
    assert_eq!(body["blocked_until"], Value::Null);
}

#[wasm_bindgen_test]
async fn a_refused_stock_block_says_why_inside_the_dialog() {
    let server = FakeServer::new();
    server
        .on(
            Method::Put,
            OLENA,
            json(422, json!({ "message": "Contact is locked" })),
        )
        .on(
            Method::Get,
            &labels_of(42),
            json(200, json!({ "payload": [] })),
        );
    let page = mount_stock_row(&server, stock_olena(false));
    page.click("[data-testid=block-button]");
    wait_for_doc("[data-testid=block-dialog]").await;
    click("[data-testid=block-confirm]");
    let error = wait_for_doc("[data-testid=block-error]").await;
    assert!(
        text(&error).contains("Contact is locked"),
        "{}",
        text(&error)
    );
    assert!(page.find("[data-testid=block-button]").is_some());
    click("[data-testid=block-cancel]");
    wait_until("the dialog to close", || {
        find("[data-testid=block-dialog]").is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_row_shown_before_the_kind_is_known_reads_its_labels_once_it_is() {
    let server = FakeServer::new();
    server.on(
        Method::Get,
        &labels_of(42),
        json(200, json!({ "payload": ["vip"] })),
    );
    let capabilities = ServerCapabilities::default();
    let page = mount(&server, Some(demo_session()), move || {
        provide_context(capabilities);
        view! {
            <table>
                <tbody>
                    <ContactRow contact=contact(stock_olena(false)) label_colours=LabelColours::default() now=now_secs() />
                </tbody>
            </table>
        }
    });
    page.wait_for("[data-testid=contact-row]").await;
    sleep_ms(20).await;
    assert!(page.find("[data-testid=label-chip]").is_none());
    assert!(
        server.requests_to(&labels_of(42)).is_empty(),
        "read as NovaTalks"
    );

    capabilities.observe(ServerKind::StockChatwoot);
    page.wait_for("[data-testid=label-chip]").await;
    assert_eq!(page.text("[data-testid=label-chip]"), "vip");
    assert_eq!(server.requests_to(&labels_of(42)).len(), 1);
}
