//! Blocking and unblocking from a table row: the block dialog, the row's new state and
//! what the table hears of it, the undo toast, and a block that ends by itself.

use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::components::table::ContactRow;
use novatalks_contacts::components::toasts::ToastRegion;
use novatalks_contacts::i18n::t;
use novatalks_contacts::logic::label_colour::LabelColours;
use novatalks_contacts::state::Toasts;
use novatalks_model::block::{block_ends_at, BlockDuration};
use novatalks_model::Contact;
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::block_dialog::{
    click, contact, focus, focused, now_secs, olena, type_into, wait_for_doc, OLENA,
};
use crate::support::{demo_session, json, mount, sleep_ms, text, wait_until, FakeServer, Mounted};

/// Olena's row in a table, with the app's toasts, and every contact `on_change` heard.
fn mount_row(server: &FakeServer, olena: Value) -> (Mounted, RwSignal<Vec<Contact>>) {
    let changes = RwSignal::new(Vec::<Contact>::new());
    let page = mount(server, Some(demo_session()), move || {
        provide_context(Toasts::new());
        view! {
            <table>
                <tbody>
                    <ContactRow
                        contact=contact(olena)
                        label_colours=LabelColours::default()
                        now=now_secs()
                        on_change=Callback::new(move |c: Contact| changes.update(|all| all.push(c)))
                    />
                </tbody>
            </table>
            <ToastRegion />
        }
    });
    (page, changes)
}

fn status(page: &Mounted) -> String {
    page.text("[data-testid=contact-status]")
}

fn sent_bodies(server: &FakeServer) -> Vec<Value> {
    server
        .requests_to(OLENA)
        .iter()
        .map(|r| {
            assert_eq!(r.method, Method::Put);
            serde_json::from_str(r.body.as_deref().expect("a body")).expect("JSON")
        })
        .collect()
}

#[wasm_bindgen_test]
async fn blocking_from_the_row_shows_the_new_state_and_tells_the_table() {
    let server = FakeServer::new();
    let until = block_ends_at(BlockDuration::Tomorrow, &chrono::Local::now())
        .unwrap()
        .unwrap();
    server.on(
        Method::Put,
        OLENA,
        json(
            200,
            json!({ "payload": olena(true, Some(until), Some("Spam")) }),
        ),
    );
    let (page, changes) = mount_row(&server, olena(false, None, None));

    assert_eq!(status(&page), "Active");
    let button = page.get("[data-testid=block-button]");
    assert_eq!(button.tag_name(), "BUTTON", "reachable by keyboard");
    assert_eq!(
        button.get_attribute("aria-label").as_deref(),
        Some("Block Olena Kovalenko")
    );

    focus("[data-testid=block-button]");
    page.click("[data-testid=block-button]");
    wait_for_doc("[data-testid=block-dialog]").await;
    click("[data-testid=block-duration-tomorrow]");
    type_into("[data-testid=block-reason]", "Spam");
    click("[data-testid=block-confirm]");

    page.wait_for("[data-testid=unblock-button]").await;
    wait_until("the dialog to close", || {
        crate::block_dialog::find("[data-testid=block-dialog]").is_none()
    })
    .await;
    let strings = t();
    let shown = status(&page);
    let end = strings.format_block_end(until, now_secs());
    assert!(
        shown.starts_with(&format!("Blocked until {end}")),
        "{shown} should say the block ends {end}"
    );
    assert!(shown.ends_with("Spam"), "{shown} should give the reason");
    assert_eq!(
        page.text("[data-testid=block-reason-text]"),
        "Reason: Spam",
        "the reason is in the row's text"
    );
    assert_eq!(
        page.get("[data-testid=contact-status]")
            .get_attribute("title")
            .as_deref(),
        Some("Reason: Spam")
    );
    assert_eq!(
        page.get("[data-testid=unblock-button]")
            .get_attribute("aria-label")
            .as_deref(),
        Some("Unblock Olena Kovalenko")
    );

    let changes = changes.get_untracked();
    assert_eq!(changes.len(), 1);
    assert!(changes[0].blocked);
    assert_eq!(changes[0].blocked_until, Some(until));
    assert_eq!(sent_bodies(&server)[0]["blocked_until"], json!(until));

    // Focus is back on the row's button, which now unblocks.
    wait_until("focus on the row's button", || {
        focused() == "unblock-button"
    })
    .await;
}

#[wasm_bindgen_test]
async fn unblock_is_one_click_and_undo_restores_the_previous_block() {
    let server = FakeServer::new();
    let until = now_secs() + 3 * 86_400;
    server
        .on(
            Method::Put,
            OLENA,
            json(200, json!({ "payload": olena(false, None, None) })),
        )
        .on(
            Method::Put,
            OLENA,
            json(
                200,
                json!({ "payload": olena(true, Some(until), Some("Spam")) }),
            ),
        );
    let (page, changes) = mount_row(&server, olena(true, Some(until), Some("Spam")));
    assert!(status(&page).starts_with("Blocked until "));

    page.click("[data-testid=unblock-button]");
    page.wait_for("[data-testid=block-button]").await;
    assert_eq!(status(&page), "Active");
    assert_eq!(sent_bodies(&server), [json!({ "blocked": false })]);

    let toast = page.wait_for("[data-testid=toast]").await;
    assert!(
        text(&toast).starts_with("Unblocked Olena Kovalenko"),
        "{}",
        text(&toast)
    );
    assert_eq!(page.text("[data-testid=toast-undo]"), "Undo");

    page.click("[data-testid=toast-undo]");
    page.wait_for("[data-testid=unblock-button]").await;
    assert!(
        page.find("[data-testid=toast]").is_none(),
        "the toast is gone"
    );
    let bodies = sent_bodies(&server);
    assert_eq!(bodies.len(), 2);
    assert_eq!(
        bodies[1],
        json!({ "blocked": true, "blocked_until": until, "block_reason": "Spam" }),
        "the same end and reason as before"
    );
    assert!(status(&page).starts_with("Blocked until "));
    assert!(status(&page).ends_with("Spam"));

    let changes = changes.get_untracked();
    assert_eq!(changes.len(), 2);
    assert!(!changes[0].blocked);
    assert_eq!(
        (changes[1].blocked, changes[1].blocked_until),
        (true, Some(until))
    );
}

#[wasm_bindgen_test]
async fn undo_does_not_restore_a_block_that_has_ended_meanwhile() {
    let server = FakeServer::new();
    let until = now_secs() + 2;
    server.on(
        Method::Put,
        OLENA,
        json(200, json!({ "payload": olena(false, None, None) })),
    );
    let (page, _) = mount_row(&server, olena(true, Some(until), None));

    page.click("[data-testid=unblock-button]");
    page.wait_for("[data-testid=toast-undo]").await;
    while now_secs() <= until {
        sleep_ms(100).await;
    }
    page.click("[data-testid=toast-undo]");
    wait_until("the toast that says so", || {
        page.all("[data-testid=toast]")
            .iter()
            .any(|toast| text(toast).contains("nothing to restore"))
    })
    .await;
    assert_eq!(
        server.requests_to(OLENA).len(),
        1,
        "only the unblock was sent"
    );
    assert_eq!(status(&page), "Active");
}

#[wasm_bindgen_test]
async fn a_block_that_ends_turns_the_row_active_without_a_reload() {
    let server = FakeServer::new();
    let until = now_secs() + 2;
    let (page, _) = mount_row(&server, olena(true, Some(until), Some("Cooling off")));
    assert!(status(&page).starts_with("Blocked until "));
    assert!(page.find("[data-testid=unblock-button]").is_some());

    // wait_until gives up after 3 s; the block ends within 2.
    wait_until("the block to end", || status(&page) == "Active").await;
    assert!(page.find("[data-testid=block-button]").is_some());
    assert!(now_secs() >= until, "not before its time");
    assert!(server.requests().is_empty(), "no reload, no request");
}

#[wasm_bindgen_test]
async fn a_stock_chatwoot_block_has_no_end_and_undo_blocks_for_ever() {
    let server = FakeServer::new();
    // A stock server leaves out blocked_until and block_reason.
    let stock = |blocked: bool| {
        let mut contact = olena(blocked, None, None);
        let object = contact.as_object_mut().unwrap();
        object.remove("blocked_until");
        object.remove("block_reason");
        contact
    };
    server
        .on(
            Method::Put,
            OLENA,
            json(200, json!({ "payload": stock(false) })),
        )
        .on(
            Method::Put,
            OLENA,
            json(200, json!({ "payload": stock(true) })),
        );
    let (page, _) = mount_row(&server, stock(true));
    assert_eq!(status(&page), "Blocked");
    assert!(page.find("[data-testid=block-reason-text]").is_none());

    page.click("[data-testid=unblock-button]");
    page.wait_for("[data-testid=toast-undo]").await;
    page.click("[data-testid=toast-undo]");
    page.wait_for("[data-testid=unblock-button]").await;
    assert_eq!(status(&page), "Blocked");
    assert_eq!(
        sent_bodies(&server)[1],
        json!({ "blocked": true, "blocked_until": null, "block_reason": null })
    );
}

#[wasm_bindgen_test]
async fn a_failed_unblock_keeps_the_block_and_says_why() {
    let server = FakeServer::new();
    server.on(
        Method::Put,
        OLENA,
        json(500, json!({ "error": "Database is busy" })),
    );
    let until = now_secs() + 86_400;
    let (page, changes) = mount_row(&server, olena(true, Some(until), None));

    page.click("[data-testid=unblock-button]");
    let toast = page.wait_for("[data-testid=toast]").await;
    assert_eq!(
        text(&toast).trim_end_matches('×').trim(),
        "Could not unblock Olena Kovalenko: Database is busy"
    );
    assert!(page.find("[data-testid=toast-undo]").is_none());
    assert!(status(&page).starts_with("Blocked until "));
    assert!(page.find("[data-testid=unblock-button]").is_some());
    assert!(changes.get_untracked().is_empty());
}
