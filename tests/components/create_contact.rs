//! The create-contact form: what the server refuses shows next to its field (a taken
//! email with the contact holding it, an invalid phone), what was typed stays, and a
//! created contact is handed on with its phone as the server normalised it.

use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::components::card::NewContactForm;
use novatalks_model::Contact;
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::card_support::{body, definitions, requests, set_value, wait_for_requests, DEFINITIONS};
use crate::support::{demo_session, json, mount, sleep_ms, text, wait_until, FakeServer, Mounted};

const CONTACTS: &str = "/api/v1/accounts/1/contacts";

fn mount_form(server: &FakeServer) -> (Mounted, RwSignal<Option<Contact>>) {
    server.on(Method::Get, DEFINITIONS, json(200, definitions()));
    let created = RwSignal::new(None::<Contact>);
    let form = mount(server, Some(demo_session()), move || {
        let on_created = Callback::new(move |contact: Contact| created.set(Some(contact)));
        view! { <NewContactForm on_created /> }
    });
    (form, created)
}

fn fill(form: &Mounted, field: &str, value: &str) {
    set_value(
        &form.get(&format!("[data-testid=new-contact-{field}]")),
        value,
    );
}

fn posts(server: &FakeServer) -> Vec<Value> {
    requests(server, Method::Post, CONTACTS)
        .iter()
        .map(body)
        .collect()
}

#[wasm_bindgen_test]
async fn a_taken_email_shows_next_to_the_email_with_a_link_to_the_contact_having_it() {
    let server = FakeServer::new();
    server
        .on(
            Method::Post,
            CONTACTS,
            json(422, json!({
                "message": "Email has already been taken", "attributes": ["email"], "conflict_contact_id": 123
            })),
        )
        .on(
            Method::Get,
            "/api/v1/accounts/1/contacts/123",
            json(200, json!({"payload": {"id": 123, "name": "Olena Kovalenko"}})),
        );
    let (form, created) = mount_form(&server);
    form.wait_for("[data-testid=new-contact-form]").await;

    fill(&form, "name", "Olena K");
    fill(&form, "email", "olena@example.com");
    fill(&form, "phone", "050 123 45 67");
    fill(&form, "identifier", "crm-1");
    form.click("[data-testid=new-contact-submit]");

    form.wait_for("[data-testid=field-error-email]").await;
    assert_eq!(
        form.text("[data-testid=field-error-email]"),
        "Email has already been taken"
    );
    assert!(form.find("[data-testid=field-error-phone]").is_none());
    let link = form.wait_for("[data-testid=conflict-link]").await;
    assert_eq!(link.get_attribute("href").as_deref(), Some("/contacts/123"));
    wait_until("the contact's name", || {
        text(&link) == "Olena Kovalenko (#123)"
    })
    .await;
    assert!(
        form.get("[data-testid=new-contact-email]")
            .parent_element()
            .unwrap()
            .contains(Some(&link)),
        "the link is next to the email field"
    );
    for (field, typed) in [
        ("name", "Olena K"),
        ("email", "olena@example.com"),
        ("phone", "050 123 45 67"),
        ("identifier", "crm-1"),
    ] {
        assert_eq!(
            form.value_of(&format!("[data-testid=new-contact-{field}]")),
            typed,
            "{field} kept"
        );
    }
    assert_eq!(
        form.get("[data-testid=new-contact-email]")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(created.get_untracked(), None);
}

/// Against a stock Chatwoot, a number not typed in E.164 is refused in Chatwoot's words
/// (its `Contact` phone format, its base controller's 422): the agent reads them next to
/// the phone and keeps what they typed.
#[wasm_bindgen_test]
async fn a_stock_chatwoot_phone_refusal_shows_next_to_the_phone() {
    let server = FakeServer::new();
    server.on(
        Method::Post,
        CONTACTS,
        json(
            422,
            json!({
                "message": "Phone number should be in e164 format",
                "attributes": ["phone_number"]
            }),
        ),
    );
    let (form, _) = mount_form(&server);
    form.wait_for("[data-testid=new-contact-form]").await;
    fill(&form, "name", "Ann");
    fill(&form, "phone", "050 123 45 67");
    form.click("[data-testid=new-contact-submit]");

    form.wait_for("[data-testid=field-error-phone]").await;
    assert_eq!(
        form.text("[data-testid=field-error-phone]"),
        "Phone number should be in e164 format"
    );
    assert!(form.find("[data-testid=field-error-name]").is_none());
    assert_eq!(
        form.value_of("[data-testid=new-contact-phone]"),
        "050 123 45 67"
    );
    assert_eq!(form.value_of("[data-testid=new-contact-name]"), "Ann");
}

#[wasm_bindgen_test]
async fn an_invalid_phone_shows_next_to_the_phone() {
    let server = FakeServer::new();
    server.on(
        Method::Post,
        CONTACTS,
        json(422, json!({
            "message": "Phone number '123456' is not a valid phone number: write it with its country code, e.g. +380501234567",
            "attributes": ["phone_number"]
        })),
    );
    let (form, _) = mount_form(&server);
    form.wait_for("[data-testid=new-contact-form]").await;
    fill(&form, "name", "Ann");
    fill(&form, "phone", "123456");
    form.click("[data-testid=new-contact-submit]");

    form.wait_for("[data-testid=field-error-phone]").await;
    assert_eq!(
        form.text("[data-testid=field-error-phone]"),
        "Phone number '123456' is not a valid phone number: write it with its country code, e.g. +380501234567"
    );
    assert!(form.find("[data-testid=conflict-link]").is_none());
    assert!(form.find("[data-testid=field-error-name]").is_none());
    assert_eq!(form.value_of("[data-testid=new-contact-phone]"), "123456");
    assert!(
        form.text(".field__hint").contains("050 123 45 67"),
        "the phone's format is hinted"
    );
}

#[wasm_bindgen_test]
async fn what_is_wrong_before_sending_is_said_without_asking_the_server() {
    let server = FakeServer::new();
    let (form, _) = mount_form(&server);
    form.wait_for("[data-testid=new-contact-form]").await;

    form.click("[data-testid=new-contact-submit]");
    form.wait_for("[data-testid=new-contact-error]").await;

    fill(&form, "email", "olena@");
    fill(&form, "phone", "call me");
    form.click("[data-testid=new-contact-submit]");
    form.wait_for("[data-testid=field-error-email]").await;
    form.wait_for("[data-testid=field-error-phone]").await;
    wait_until("the definitions", || {
        form.find("[data-testid=new-attribute-order_count] input")
            .is_some()
    })
    .await;
    fill_attribute(&form, "order_count", "many");
    form.click("[data-testid=new-contact-submit]");
    form.wait_for("[data-testid=field-error-order_count]").await;
    sleep_ms(30).await;
    assert!(posts(&server).is_empty());
}

fn fill_attribute(form: &Mounted, key: &str, value: &str) {
    let input = form.get(&format!(
        "[data-testid=new-attribute-{key}] [data-testid=attribute-input]"
    ));
    set_value(&input, value);
}

#[wasm_bindgen_test]
async fn a_created_contact_is_handed_on_with_language_and_attributes_sent() {
    let server = FakeServer::new();
    server.on(
        Method::Post,
        CONTACTS,
        json(200, json!({"payload": {"contact": {
            "id": 43, "name": "Olena", "phone_number": "+380501234567",
            "additional_attributes": {"language": "uk"}, "custom_attributes": {"plan": "gold", "order_count": 5}
        }, "contact_inbox": null}})),
    );
    let (form, created) = mount_form(&server);
    form.wait_for("[data-testid=new-attribute-plan] select")
        .await;

    fill(&form, "name", " Olena ");
    fill(&form, "phone", "050 123 45 67");
    set_value(&form.get("[data-testid=language-picker]"), "uk");
    fill_attribute(&form, "plan", "gold");
    fill_attribute(&form, "order_count", "5");
    form.click("[data-testid=new-attribute-newsletter] input[type=checkbox]");
    form.click("[data-testid=new-contact-submit]");

    let sent = wait_for_requests(&server, Method::Post, CONTACTS, 1).await;
    assert_eq!(
        body(&sent[0]),
        json!({
            "name": "Olena", "phone_number": "050 123 45 67",
            "additional_attributes": {"language": "uk"},
            "custom_attributes": {"plan": "gold", "order_count": 5, "newsletter": true}
        })
    );
    wait_until("handed on", || created.with_untracked(Option::is_some)).await;
    let contact = created.get_untracked().expect("created");
    assert_eq!(
        (contact.id, contact.phone_number.as_deref()),
        (43, Some("+380501234567"))
    );
}

const PHONE_CHECK: &str = "/api/v1/accounts/1/phone_numbers/normalize";

#[wasm_bindgen_test]
async fn the_phone_shows_as_it_will_be_saved_once_typing_pauses() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            PHONE_CHECK,
            json(200, json!({"phone_number": "+380677654321"})),
        )
        .on(
            Method::Get,
            PHONE_CHECK,
            json(422, json!({
                "message": "Phone number '0677 7' is not a valid phone number: write it with its country code, e.g. +380501234567",
                "attributes": ["phone_number"]
            })),
        );
    let (form, _) = mount_form(&server);
    form.wait_for("[data-testid=new-contact-form]").await;

    fill(&form, "phone", "067");
    fill(&form, "phone", "067 765 43 21");
    let preview = form.wait_for("[data-testid=phone-preview]").await;
    assert_eq!(text(&preview), "Saved as +380677654321");
    assert_eq!(
        preview.get_attribute("data-outcome").as_deref(),
        Some("normalized")
    );
    let asked = requests(&server, Method::Get, PHONE_CHECK);
    assert_eq!(
        asked.len(),
        1,
        "asked once typing paused, not per keystroke"
    );
    assert_eq!(
        asked[0].path_and_query,
        format!("{PHONE_CHECK}?number=067%20765%2043%2021")
    );
    let input = form.get("[data-testid=new-contact-phone]");
    let described = input.get_attribute("aria-describedby").unwrap_or_default();
    assert!(
        described.contains("new-contact-phone-preview"),
        "{described}"
    );

    fill(&form, "phone", "0677 7");
    wait_until("the reason it is no number", || {
        form.find("[data-testid=phone-preview][data-outcome=invalid]")
            .is_some()
    })
    .await;
    assert!(form
        .text("[data-testid=phone-preview]")
        .contains("is not a valid phone number"));

    fill(&form, "phone", "12");
    wait_until("nothing while too short", || {
        form.find("[data-testid=phone-preview]").is_none()
    })
    .await;
    sleep_ms(500).await;
    assert_eq!(
        requests(&server, Method::Get, PHONE_CHECK).len(),
        2,
        "too short to ask"
    );
}

#[wasm_bindgen_test]
async fn a_number_no_country_has_is_saved_as_written_with_a_warning() {
    let server = FakeServer::new();
    server.on(
        Method::Get,
        PHONE_CHECK,
        json(
            200,
            json!({"phone_number": "+15550427098", "exists": false}),
        ),
    );
    let (form, _) = mount_form(&server);
    form.wait_for("[data-testid=new-contact-form]").await;
    fill(&form, "phone", "+1 555 042 7098");
    let preview = form
        .wait_for("[data-testid=phone-preview][data-outcome=nowhere]")
        .await;
    assert_eq!(
        text(&preview),
        "Saved as +15550427098, but no country has this number: check it"
    );
}

#[wasm_bindgen_test]
async fn a_server_without_the_check_shows_only_the_hint() {
    let server = FakeServer::new();
    let (form, _) = mount_form(&server);
    form.wait_for("[data-testid=new-contact-form]").await;
    fill(&form, "phone", "067 765 43 21");
    wait_until("the check to be asked", || {
        !requests(&server, Method::Get, PHONE_CHECK).is_empty()
    })
    .await;
    sleep_ms(50).await;
    assert!(form.find("[data-testid=phone-preview]").is_none());
    assert!(form
        .text("#new-contact-phone-hint")
        .starts_with("Any common writing"));
}
