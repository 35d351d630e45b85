//! Merging from the card page, through the router: the remaining contact's card is shown
//! afresh (both contacts' conversations, the joined labels), and when the agent kept the
//! other contact, the address left behind says where this one went.

use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::AppRoutes;
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::block_dialog::{click, find};
use crate::support::{demo_session, json, mount, wait_until, FakeServer, Mounted};

const ACCOUNT: &str = "/api/v1/accounts/1";

fn pathname() -> String {
    window().location().pathname().expect("a pathname")
}

fn go_to(url: &str) {
    window()
        .history()
        .expect("history")
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .expect("pushState");
}

fn contact(id: i64, name: &str, phone: &str, labels: &[&str], conversations: i64) -> Value {
    json!({
        "id": id, "name": name, "phone_number": phone, "thumbnail": "",
        "additional_attributes": {}, "custom_attributes": {}, "labels": labels,
        "conversations_count": conversations, "created_at": 1_700_000_000
    })
}

fn conversation(id: i64, channel: &str) -> Value {
    json!({
        "id": id, "inbox_id": id, "status": "open", "created_at": 1_764_000_000 + id,
        "inbox": {"id": id, "name": channel, "channel_type": "Channel::Email"}
    })
}

/// The endpoints every card reads, for contacts 1 and 2 (registered after the specific
/// answers of a test, which a fake server keeps in order).
fn card_endpoints(server: &FakeServer) {
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/custom_attribute_definitions"),
        json(200, json!([])),
    );
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/labels"),
        json(
            200,
            json!({"payload": [{"id": 1, "title": "billing"}, {"id": 2, "title": "support"}]}),
        ),
    );
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/inboxes"),
        json(200, json!({"payload": []})),
    );
    for id in [1, 2] {
        server.on(
            Method::Get,
            &format!("{ACCOUNT}/contacts/{id}/notes"),
            json(200, json!([])),
        );
    }
}

fn conversation_count(app: &Mounted) -> usize {
    app.all("[data-testid=conversation-item]").len()
}

async fn open_preview_of(app: &Mounted, other: i64) {
    app.wait_for("[data-testid=merge-open]").await;
    app.click("[data-testid=merge-open]");
    let candidate = format!("[data-testid=merge-duplicates] [data-contact-id='{other}']");
    wait_until("the duplicate", || find(&candidate).is_some()).await;
    click(&candidate);
    wait_until("the preview", || {
        find("[data-testid=merge-confirm]").is_some()
    })
    .await;
}

#[wasm_bindgen_test]
async fn keeping_this_contact_shows_its_card_again_with_both_conversations_and_labels() {
    let start = window().location().href().expect("href");
    let server = FakeServer::new();
    let legacy = contact(1, "Olha Hnatiuk", "0501234567", &["billing"], 1);
    let channel = contact(2, "Olha H.", "+380501234567", &["support"], 1);
    let merged = contact(1, "Olha Hnatiuk", "0501234567", &["billing", "support"], 2);
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/contacts/1"),
        json(200, json!({"payload": legacy})),
    );
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/contacts/1"),
        json(200, json!({"payload": merged})),
    );
    let convs = format!("{ACCOUNT}/contacts/1/conversations");
    server.on(
        Method::Get,
        &convs,
        json(200, json!({"payload": [conversation(11, "Support email")]})),
    );
    server.on(
        Method::Get,
        &convs,
        json(
            200,
            json!({"payload": [conversation(11, "Support email"), conversation(22, "WhatsApp")]}),
        ),
    );
    let labels = format!("{ACCOUNT}/contacts/1/labels");
    server.on(
        Method::Get,
        &labels,
        json(200, json!({"payload": ["billing"]})),
    );
    server.on(
        Method::Get,
        &labels,
        json(200, json!({"payload": ["billing", "support"]})),
    );
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/contacts/2/labels"),
        json(200, json!({"payload": ["support"]})),
    );
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/contacts/search"),
        json(
            200,
            json!({"meta": {"count": 2, "current_page": 1}, "payload": [legacy, channel]}),
        ),
    );
    let merge = format!("{ACCOUNT}/actions/contact_merge");
    server.on(Method::Post, &merge, json(200, merged));
    card_endpoints(&server);

    go_to("/contacts/1");
    let app = mount(&server, Some(demo_session()), || view! { <AppRoutes /> });
    app.wait_for("[data-testid=contact-card][data-contact-id='1']")
        .await;
    wait_until("its one conversation", || conversation_count(&app) == 1).await;

    open_preview_of(&app, 2).await;
    click("[data-testid=merge-confirm]");
    wait_until("both conversations on the card", || {
        conversation_count(&app) == 2
    })
    .await;
    assert_eq!(pathname(), "/contacts/1");
    assert_eq!(
        server.requests_to(&format!("{ACCOUNT}/contacts/1")).len(),
        2,
        "the card was fetched again"
    );
    wait_until("the joined labels", || {
        app.all("[data-testid=label-picker] [data-testid=label-chip]")
            .len()
            == 2
    })
    .await;
    assert!(
        find("[data-testid=merge-dialog]").is_none(),
        "the dialog closed"
    );
    assert_eq!(server.requests_to(&merge).len(), 1);

    drop(app);
    window()
        .history()
        .expect("history")
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&start))
        .expect("replaceState");
}

#[wasm_bindgen_test]
async fn keeping_the_other_contact_opens_its_card_and_this_address_says_where_it_went() {
    let start = window().location().href().expect("href");
    let server = FakeServer::new();
    let legacy = contact(1, "Olha Hnatiuk", "0501234567", &["billing"], 1);
    let channel = contact(2, "Olha H.", "+380501234567", &["support"], 1);
    let merged = contact(2, "Olha H.", "+380501234567", &["billing", "support"], 2);
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/contacts/1"),
        json(200, json!({"payload": legacy})),
    );
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/contacts/1"),
        json(
            404,
            json!({"error": "Resource could not be found", "merged_into": 2}),
        ),
    );
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/contacts/2"),
        json(200, json!({"payload": merged})),
    );
    for id in [1, 2] {
        server.on(
            Method::Get,
            &format!("{ACCOUNT}/contacts/{id}/conversations"),
            json(200, json!({"payload": []})),
        );
        server.on(
            Method::Get,
            &format!("{ACCOUNT}/contacts/{id}/labels"),
            json(200, json!({"payload": []})),
        );
    }
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/contacts/search"),
        json(
            200,
            json!({"meta": {"count": 2, "current_page": 1}, "payload": [legacy, channel]}),
        ),
    );
    let merge = format!("{ACCOUNT}/actions/contact_merge");
    server.on(Method::Post, &merge, json(200, merged));
    card_endpoints(&server);

    go_to("/contacts/1");
    let app = mount(&server, Some(demo_session()), || view! { <AppRoutes /> });
    open_preview_of(&app, 2).await;
    click("[data-testid=merge-swap]");
    wait_until("the other one to stay", || {
        find("[data-testid=merge-confirm]")
            .and_then(|b| b.text_content())
            .is_some_and(|t| t.contains("Olha Hnatiuk (#1)"))
    })
    .await;
    click("[data-testid=merge-confirm]");
    app.wait_for("[data-testid=contact-card][data-contact-id='2']")
        .await;
    assert_eq!(pathname(), "/contacts/2");

    window().history().expect("history").back().expect("back");
    let link = app.wait_for("[data-testid=merged-link]").await;
    assert_eq!(pathname(), "/contacts/1");
    assert_eq!(link.get_attribute("href").as_deref(), Some("/contacts/2"));

    drop(app);
    window()
        .history()
        .expect("history")
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&start))
        .expect("replaceState");
}
