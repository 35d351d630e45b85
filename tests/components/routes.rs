use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::state::{use_api, use_session, AccountLabels};
use novatalks_contacts::AppRoutes;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{demo_session, json, mount, wait_until, FakeServer};

fn pathname() -> String {
    window().location().pathname().expect("a pathname")
}

fn go_to(url: &str) {
    window()
        .history()
        .expect("history")
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .expect("replaceState");
}

/// The whole journey through the router: signed out to sign-in, in to the contacts, out again.
#[wasm_bindgen_test]
async fn routes_follow_the_session() {
    let test_page_url = window().location().href().expect("href");
    let server = FakeServer::new();
    server
        .on(
            Method::Post,
            "/auth/sign_in",
            json(
                200,
                json!({ "data": {
                    "id": 3, "name": "Demo Agent", "email": "agent@demo.test",
                    "access_token": "tok-abc", "account_id": 5, "accounts": []
                }}),
            ),
        )
        .on(
            Method::Get,
            "/api/v1/accounts/5/contacts",
            json(
                200,
                json!({ "meta": { "count": 1, "current_page": 1 },
                        "payload": [{ "id": 1, "name": "Ann", "created_at": 1_764_400_000 }] }),
            ),
        )
        .on(
            Method::Get,
            "/api/v1/accounts/5/labels",
            json(200, json!({ "payload": [] })),
        );

    go_to("/contacts");
    let app = mount(&server, None, || view! { <AppRoutes /> });

    app.wait_for("input[name=email]").await;
    wait_until("/sign-in", || pathname() == "/sign-in").await;

    app.type_into("input[name=email]", "agent@demo.test");
    app.type_into("input[name=password]", "novatalks-demo");
    app.click("button[type=submit]");
    app.wait_for("[data-testid=contact-row]").await;
    assert_eq!(pathname(), "/contacts");
    assert_eq!(app.text("[data-testid=contacts-count]"), "1 contact");

    app.click("[data-testid=sign-out]");
    app.wait_for("input[name=email]").await;
    wait_until("/sign-in", || pathname() == "/sign-in").await;

    drop(app);
    go_to(&test_page_url);
}

/// With the app's shared labels in context (as `App` provides them), the list and a card
/// opened from it read the account's labels once between them.
#[wasm_bindgen_test]
async fn the_accounts_labels_are_fetched_once_for_the_list_and_the_card() {
    let test_page_url = window().location().href().expect("href");
    let server = FakeServer::new();
    let ann = json!({ "id": 1, "name": "Ann", "created_at": 1_764_400_000, "labels": ["vip"] });
    let labels = "/api/v1/accounts/1/labels";
    server
        .on(
            Method::Get,
            "/api/v1/accounts/1/contacts",
            json(
                200,
                json!({ "meta": { "count": 1, "current_page": 1 }, "payload": [ann] }),
            ),
        )
        .on(
            Method::Get,
            labels,
            json(
                200,
                json!({ "payload": [{ "id": 1, "title": "vip", "color": "#f5a623" }] }),
            ),
        )
        .on(
            Method::Get,
            "/api/v1/accounts/1/contacts/1",
            json(200, json!({ "payload": ann })),
        )
        .on(
            Method::Get,
            "/api/v1/accounts/1/contacts/1/labels",
            json(200, json!({ "payload": ["vip"] })),
        )
        .on(
            Method::Get,
            "/api/v1/accounts/1/contacts/1/conversations",
            json(200, json!({ "payload": [] })),
        )
        .on(
            Method::Get,
            "/api/v1/accounts/1/contacts/1/notes",
            json(200, json!([])),
        )
        .on(
            Method::Get,
            "/api/v1/accounts/1/custom_attribute_definitions",
            json(200, json!([])),
        );

    go_to("/contacts");
    let app = mount(&server, Some(demo_session()), || {
        provide_context(AccountLabels::new(use_api(), use_session()));
        view! { <AppRoutes /> }
    });
    app.wait_for("[data-testid=contact-row]").await;
    // As a click on the row's link does (other tests' routers may still be listening
    // for clicks on the page).
    window()
        .history()
        .expect("history")
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/contacts/1"))
        .expect("pushState");
    window()
        .dispatch_event(&web_sys::Event::new("popstate").expect("an event"))
        .expect("dispatch popstate");
    app.wait_for("[data-testid=label-picker] [data-testid=label-chip]")
        .await;
    assert_eq!(pathname(), "/contacts/1");
    app.click("[data-testid=back-to-contacts]");
    app.wait_for("[data-testid=contact-row]").await;
    assert_eq!(server.requests_to(labels).len(), 1);

    drop(app);
    go_to(&test_page_url);
}
