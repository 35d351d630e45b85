use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::AppRoutes;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{json, mount, wait_until, FakeServer};

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
