//! The "sign in again" dialog: a refused token leaves the page as it was, with what the
//! agent typed; signing in again there continues, and the save can be sent again.

use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::components::card::NewContactForm;
use novatalks_contacts::components::session::SessionEndedDialog;
use novatalks_model::Contact;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlElement, HtmlInputElement};

use crate::card_support::{definitions, set_value, DEFINITIONS};
use crate::support::{demo_session, json, mount, text, wait_until, FakeServer};

const CONTACTS: &str = "/api/v1/accounts/1/contacts";
const SIGN_IN: &str = "/auth/sign_in";

// The dialog lives at the end of <body>, outside the mounted element: these look there.
fn find(selector: &str) -> Option<Element> {
    document()
        .query_selector(selector)
        .expect("a valid selector")
}

fn get(selector: &str) -> Element {
    find(selector).unwrap_or_else(|| panic!("no {selector} in the document"))
}

fn value(selector: &str) -> String {
    get(selector).unchecked_into::<HtmlInputElement>().value()
}

fn signed_in_again() -> serde_json::Value {
    json!({ "data": {
        "id": 1, "name": "Demo Agent", "email": "agent@demo.test",
        "access_token": "tok-new", "account_id": 1,
        "accounts": [{ "id": 1, "name": "Demo", "role": "administrator" }]
    }})
}

#[wasm_bindgen_test]
async fn a_refused_save_asks_to_sign_in_again_and_keeps_what_was_typed() {
    let server = FakeServer::new();
    server
        .on(Method::Get, DEFINITIONS, json(200, definitions()))
        .on(
            Method::Post,
            CONTACTS,
            json(401, json!({ "error": "Invalid Access Token" })),
        )
        .on(
            Method::Post,
            CONTACTS,
            json(
                200,
                json!({"payload": {"contact": {"id": 43, "name": "Olena K", "email": "olena@example.com"},
                       "contact_inbox": null}}),
            ),
        )
        .on(
            Method::Post,
            SIGN_IN,
            json(401, json!({ "error": "Invalid login credentials" })),
        )
        .on(Method::Post, SIGN_IN, json(200, signed_in_again()));
    let created = RwSignal::new(None::<Contact>);
    let form = mount(&server, Some(demo_session()), move || {
        let on_created = Callback::new(move |contact: Contact| created.set(Some(contact)));
        view! {
            <NewContactForm on_created />
            <SessionEndedDialog />
        }
    });
    form.wait_for("[data-testid=new-contact-form]").await;
    assert!(find("[data-testid=session-ended-dialog]").is_none());

    set_value(&form.get("[data-testid=new-contact-name]"), "Olena K");
    set_value(
        &form.get("[data-testid=new-contact-email]"),
        "olena@example.com",
    );
    form.click("[data-testid=new-contact-submit]");

    wait_until("the dialog", || {
        find("[data-testid=session-ended-dialog]").is_some()
    })
    .await;
    assert!(
        text(&get("[data-testid=session-ended-dialog] .modal__title"))
            .contains("Your session has ended"),
        "{}",
        text(&get("[data-testid=session-ended-dialog]"))
    );
    assert!(form.session.has_ended());
    assert!(form.session.get_untracked().is_some(), "not signed out");
    assert_eq!(
        value("[data-testid=session-ended-email]"),
        "agent@demo.test"
    );
    assert_eq!(form.value_of("[data-testid=new-contact-name]"), "Olena K");
    assert_eq!(
        form.value_of("[data-testid=new-contact-email]"),
        "olena@example.com"
    );
    assert_eq!(created.get_untracked(), None);

    // A wrong password is said as such, and the dialog stays.
    set_value(&get("[data-testid=session-ended-password]"), "wrong");
    get("[data-testid=session-ended-submit]")
        .unchecked_into::<HtmlElement>()
        .click();
    wait_until("the error", || {
        find("[data-testid=session-ended-error]").is_some()
    })
    .await;
    assert_eq!(
        text(&get("[data-testid=session-ended-error]")),
        "Invalid login credentials"
    );
    let first = &server.requests_to(SIGN_IN)[0];
    assert_eq!(
        first.header("api_access_token"),
        None,
        "the refused token is not sent"
    );

    set_value(
        &get("[data-testid=session-ended-password]"),
        "novatalks-demo",
    );
    get("[data-testid=session-ended-submit]")
        .unchecked_into::<HtmlElement>()
        .click();
    wait_until("the dialog to go", || {
        find("[data-testid=session-ended-dialog]").is_none()
    })
    .await;
    assert!(!form.session.has_ended());
    assert_eq!(
        form.session.get_untracked().map(|s| s.token),
        Some("tok-new".into())
    );
    let body: serde_json::Value = serde_json::from_str(
        server.requests_to(SIGN_IN)[1]
            .body
            .as_deref()
            .expect("a body"),
    )
    .unwrap();
    assert_eq!(
        body,
        json!({"email": "agent@demo.test", "password": "novatalks-demo"})
    );

    // Still the same form, with what was typed: saving again goes through.
    assert_eq!(form.value_of("[data-testid=new-contact-name]"), "Olena K");
    assert_eq!(
        form.value_of("[data-testid=new-contact-email]"),
        "olena@example.com"
    );
    form.click("[data-testid=new-contact-submit]");
    wait_until("the contact to be created", || {
        created.get_untracked().is_some()
    })
    .await;
    let posts = server.requests_to(CONTACTS);
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[1].header("api_access_token"), Some("tok-new"));
}

#[wasm_bindgen_test]
async fn sign_out_in_the_dialog_ends_the_session() {
    let server = FakeServer::new();
    server
        .on(Method::Get, DEFINITIONS, json(200, definitions()))
        .on(
            Method::Post,
            CONTACTS,
            json(401, json!({ "error": "Invalid Access Token" })),
        );
    let form = mount(&server, Some(demo_session()), move || {
        view! {
            <NewContactForm on_created=Callback::new(|_| ()) />
            <SessionEndedDialog />
        }
    });
    form.wait_for("[data-testid=new-contact-form]").await;
    set_value(&form.get("[data-testid=new-contact-name]"), "Ann");
    form.click("[data-testid=new-contact-submit]");
    wait_until("the dialog", || {
        find("[data-testid=session-ended-sign-out]").is_some()
    })
    .await;
    get("[data-testid=session-ended-sign-out]")
        .unchecked_into::<HtmlElement>()
        .click();
    wait_until("the session to end and the dialog to go", || {
        form.session.get_untracked().is_none()
            && find("[data-testid=session-ended-dialog]").is_none()
    })
    .await;
}

/// Signing in again changes the session's token, not whether one is signed in: the
/// route guards must not render the page anew (which would empty its forms).
#[wasm_bindgen_test]
async fn a_new_token_leaves_the_routed_page_as_it_is() {
    let test_page_url = window().location().href().expect("href");
    let go_to = |url: &str| {
        window()
            .history()
            .expect("history")
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
            .expect("replaceState");
    };
    let server = FakeServer::new();
    server.on(Method::Get, DEFINITIONS, json(200, definitions()));
    go_to("/contacts/new");
    let page = mount(&server, Some(demo_session()), || {
        view! { <novatalks_contacts::AppRoutes /> }
    });
    let input = page.wait_for("[data-testid=new-contact-name]").await;
    set_value(&input, "Typed before");
    page.session.sign_in(novatalks_contacts::state::Session {
        token: "tok-new".into(),
        ..demo_session()
    });
    crate::support::sleep_ms(50).await;
    assert_eq!(
        page.value_of("[data-testid=new-contact-name]"),
        "Typed before"
    );
    assert!(input.is_connected(), "the same input, not a new page's");
    drop(page);
    go_to(&test_page_url);
}
