use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::pages::SignInPage;
use novatalks_contacts::state::Session;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{json, mount, wait_until, FakeServer};

const SIGN_IN: &str = "/auth/sign_in";

#[wasm_bindgen_test]
async fn wrong_credentials_show_the_server_error_and_keep_what_was_typed() {
    let server = FakeServer::new();
    server.on(
        Method::Post,
        SIGN_IN,
        json(401, json!({ "error": "Invalid login credentials" })),
    );
    let page = mount(&server, None, || view! { <SignInPage /> });

    assert!(
        page.find("label input[name=email]").is_some(),
        "inputs have labels"
    );
    assert!(
        page.find("label input[name=password]").is_some(),
        "inputs have labels"
    );
    page.type_into("input[name=email]", "agent@demo.test");
    page.type_into("input[name=password]", "not-the-password");
    page.click("button[type=submit]");

    let error = page.wait_for("[data-testid=sign-in-error]").await;
    assert_eq!(
        error.text_content().as_deref(),
        Some("Invalid login credentials")
    );
    assert_eq!(page.value_of("input[name=email]"), "agent@demo.test");
    assert_eq!(page.value_of("input[name=password]"), "not-the-password");
    assert!(page.session.get_untracked().is_none());
    let button: web_sys::HtmlButtonElement = page.get("button[type=submit]").unchecked_into();
    assert!(!button.disabled(), "the agent can try again");

    let requests = server.requests_to(SIGN_IN);
    assert_eq!(requests.len(), 1);
    let body: serde_json::Value =
        serde_json::from_str(requests[0].body.as_deref().expect("a body")).unwrap();
    assert_eq!(
        body,
        json!({ "email": "agent@demo.test", "password": "not-the-password" })
    );
    assert_eq!(requests[0].header("api_access_token"), None);
}

#[wasm_bindgen_test]
async fn the_button_is_disabled_while_signing_in() {
    let server = FakeServer::new();
    server
        .on(
            Method::Post,
            SIGN_IN,
            json(401, json!({ "error": "Invalid login credentials" })),
        )
        .delay(300);
    let page = mount(&server, None, || view! { <SignInPage /> });
    page.type_into("input[name=email]", "agent@demo.test");
    page.type_into("input[name=password]", "x");
    page.click("button[type=submit]");

    let button: web_sys::HtmlButtonElement = page.get("button[type=submit]").unchecked_into();
    wait_until("the button to be disabled", || button.disabled()).await;
    assert!(page.find("[data-testid=sign-in-error]").is_none());
    page.wait_for("[data-testid=sign-in-error]").await;
    assert!(!button.disabled());
}

#[wasm_bindgen_test]
async fn signing_in_stores_the_session() {
    let server = FakeServer::new();
    server.on(
        Method::Post,
        SIGN_IN,
        json(
            200,
            json!({ "data": {
                "id": 3, "name": "Demo Agent", "email": "agent@demo.test",
                "access_token": "tok-abc", "account_id": 5,
                "accounts": [{ "id": 5, "name": "Demo", "role": "agent" }]
            }}),
        ),
    );
    let page = mount(&server, None, || view! { <SignInPage /> });
    page.type_into("input[name=email]", " agent@demo.test ");
    page.type_into("input[name=password]", "novatalks-demo");
    page.click("button[type=submit]");

    wait_until("the session", || page.session.get_untracked().is_some()).await;
    assert_eq!(
        page.session.get_untracked(),
        Some(Session {
            token: "tok-abc".into(),
            account_id: 5,
            user_name: "Demo Agent".into(),
            user_id: Some(3),
            email: Some("agent@demo.test".into()),
        })
    );
    assert!(page.find("[data-testid=sign-in-error]").is_none());
}
