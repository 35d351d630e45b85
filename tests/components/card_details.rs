//! The card's main details edited in place (only what changed is sent; the server's
//! answer is shown, other agents' changes included; a refusal is shown next to the field
//! with the contact holding a taken value), the language, the conversations, block state
//! and delete.

use leptos::prelude::GetUntracked;
use novatalks_contacts::api::Method;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::card_support::{
    body, card_server, card_server_with, edit_field, mount_card, olena, press,
    refuse_email_taken_by_ann, requests, set_value, wait_for_requests, CONTACT, CONVERSATIONS,
};
use crate::support::{json, sleep_ms, text, wait_until, FakeServer};

fn patches(server: &FakeServer) -> Vec<Value> {
    requests(server, Method::Patch, CONTACT)
        .iter()
        .map(body)
        .collect()
}

#[wasm_bindgen_test]
async fn details_show_and_a_phone_is_shown_as_the_server_normalised_it() {
    let contact = olena(json!({}));
    let server = card_server(&contact);
    // The answer also carries a change another agent made to the name meanwhile.
    server.on(
        Method::Patch,
        CONTACT,
        json(
            200,
            json!({"payload": olena(json!({"phone_number": "+380671112233", "name": "Olena K."}))}),
        ),
    );
    server.delay(80);
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=card-email]").await;
    assert_eq!(card.text("[data-testid=card-name]"), "Olena Kovalenko");
    assert_eq!(card.text("[data-testid=card-email]"), "olena@example.com");
    assert_eq!(card.text("[data-testid=card-phone]"), "+380501234567");
    assert_eq!(card.text("[data-testid=card-identifier]"), "crm-8812");
    assert!(card.find("[data-testid=card-created-at] time").is_some());
    assert!(card.find("[data-testid=card-last-activity] time").is_some());

    card.click("[data-testid=edit-phone]");
    card.wait_for("[data-testid=card-phone-input]").await;
    assert!(
        card.text(".detail .field__hint")
            .contains("saved in international form"),
        "a hint of the format"
    );
    set_value(&card.get("[data-testid=card-phone-input]"), "067 111 22 33");
    press(&card.get("[data-testid=card-phone-input]"), "Enter", false);
    wait_until("shown at once, as typed", || {
        card.find("[data-testid=card-phone]")
            .is_some_and(|e| text(&e) == "067 111 22 33")
    })
    .await;
    wait_until("the server's E.164", || {
        card.text("[data-testid=card-phone]") == "+380671112233"
    })
    .await;
    assert_eq!(
        patches(&server),
        vec![json!({"phone_number": "067 111 22 33"})],
        "only the phone is sent"
    );
    assert_eq!(
        card.text("[data-testid=card-name]"),
        "Olena K.",
        "the other agent's change shows"
    );
}

#[wasm_bindgen_test]
async fn a_taken_email_is_refused_next_to_the_field_with_a_link_to_its_contact() {
    let contact = olena(json!({}));
    let server = card_server(&contact);
    refuse_email_taken_by_ann(&server);
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=card-email]").await;

    edit_field(&card, "email", "not an email").await;
    card.wait_for("[data-testid=field-error-email]").await;
    sleep_ms(30).await;
    assert!(patches(&server).is_empty(), "checked before sending");

    let input = card.get("[data-testid=card-email-input]");
    set_value(&input, "ann@example.com");
    press(&input, "Enter", false);
    wait_for_requests(&server, Method::Patch, CONTACT, 1).await;
    card.wait_for("[data-testid=conflict-link]").await;
    assert_eq!(
        card.text("[data-testid=field-error-email]"),
        "Email has already been taken"
    );
    assert_eq!(
        card.value_of("[data-testid=card-email-input]"),
        "ann@example.com",
        "what was typed is kept"
    );
    let link = card.get("[data-testid=conflict-link]");
    assert_eq!(link.get_attribute("href").as_deref(), Some("/contacts/7"));
    assert_eq!(
        link.get_attribute("target"),
        None,
        "the app itself opens it"
    );
    wait_until("the other contact's name", || {
        text(&link) == "Ann Smith (#7)"
    })
    .await;
    assert_eq!(
        card.text("[data-testid=conflict-notice]"),
        "Already used by Ann Smith (#7)"
    );

    press(&card.get("[data-testid=card-email-input]"), "Escape", false);
    wait_until("rolled back", || {
        card.find("[data-testid=card-email]")
            .is_some_and(|e| text(&e) == "olena@example.com")
    })
    .await;
}

#[wasm_bindgen_test]
async fn an_email_another_agent_changed_meanwhile_is_not_overwritten_silently() {
    let contact = olena(json!({}));
    // Another agent set the email after this card was loaded.
    let theirs = olena(json!({"email": "olena.k@example.com"}));
    let server = card_server_with(
        &contact,
        vec![(
            Method::Get,
            CONTACT,
            json(200, json!({ "payload": theirs })),
        )],
    );
    server.on(
        Method::Patch,
        CONTACT,
        json(
            200,
            json!({"payload": olena(json!({"email": "mine@example.com"}))}),
        ),
    );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=card-email]").await;

    edit_field(&card, "email", "mine@example.com").await;
    card.wait_for("[data-testid=field-error-email]").await;
    assert_eq!(
        card.text("[data-testid=field-error-email]"),
        "Someone else changed this to \u{201c}olena.k@example.com\u{201d} while you were editing, \
         so yours was not saved. Save again to replace theirs."
    );
    assert!(patches(&server).is_empty(), "nothing was sent over theirs");
    assert_eq!(
        card.value_of("[data-testid=card-email-input]"),
        "mine@example.com",
        "what was typed is kept"
    );
    press(&card.get("[data-testid=card-email-input]"), "Escape", false);
    wait_until("their value shows", || {
        card.find("[data-testid=card-email]")
            .is_some_and(|e| text(&e) == "olena.k@example.com")
    })
    .await;

    // Saving again, now knowing theirs, replaces it.
    edit_field(&card, "email", "mine@example.com").await;
    wait_for_requests(&server, Method::Patch, CONTACT, 1).await;
    assert_eq!(patches(&server), vec![json!({"email": "mine@example.com"})]);
    wait_until("the saved email", || {
        card.find("[data-testid=card-email]")
            .is_some_and(|e| text(&e) == "mine@example.com")
    })
    .await;
}

#[wasm_bindgen_test]
async fn an_invalid_phone_is_refused_next_to_the_phone() {
    let contact = olena(json!({}));
    let server = card_server(&contact);
    server.on(
        Method::Patch,
        CONTACT,
        json(422, json!({
            "message": "Phone number '12345' is not a valid phone number: write it with its country code, e.g. +380501234567",
            "attributes": ["phone_number"]
        })),
    );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=card-phone]").await;

    edit_field(&card, "phone", "12345").await;
    card.wait_for("[data-testid=field-error-phone]").await;
    assert!(card
        .text("[data-testid=field-error-phone]")
        .starts_with("Phone number '12345' is not a valid"));
    assert!(card.find("[data-testid=conflict-link]").is_none());
    assert_eq!(card.value_of("[data-testid=card-phone-input]"), "12345");
}

#[wasm_bindgen_test]
async fn the_language_is_picked_by_name_and_stored_as_its_code() {
    let contact = olena(
        json!({"additional_attributes": {"language": "en", "city": "Kyiv", "country_code": "UA", "company_name": "Nova"}}),
    );
    let server = card_server(&contact);
    server.on(
        Method::Patch,
        CONTACT,
        json(200, json!({"payload": olena(json!({"additional_attributes": {"language": "uk", "city": "Kyiv"}}))})),
    );
    let (card, _) = mount_card(&server, &contact);
    let picker = card.wait_for("[data-testid=language-picker]").await;
    assert_eq!(card.value_of("[data-testid=language-picker]"), "en");
    let facts: Vec<String> = card.all(".facts dd").iter().map(text).collect();
    assert!(
        facts.contains(&"Kyiv".to_owned())
            && facts.contains(&"UA".to_owned())
            && facts.contains(&"Nova".to_owned())
    );
    assert!(
        card.all("[data-testid=language-picker] option")
            .iter()
            .any(|o| text(o) == "Ukrainian"),
        "languages by name"
    );

    set_value(&picker, "uk");
    let sent = wait_for_requests(&server, Method::Patch, CONTACT, 1).await;
    assert_eq!(
        body(&sent[0]),
        json!({"additional_attributes": {"language": "uk"}})
    );
    sleep_ms(30).await;
    assert_eq!(card.value_of("[data-testid=language-picker]"), "uk");
}

#[wasm_bindgen_test]
async fn conversations_of_every_channel_show_newest_first_as_text() {
    let contact = olena(json!({}));
    let server = card_server_with(
        &contact,
        vec![(
            Method::Get,
            CONVERSATIONS,
            json(
                200,
                json!({"payload": [
                    {"id": 3, "inbox_id": 2, "inbox": {"id": 2, "name": "Support email", "channel_type": "Channel::Email"},
                     "status": "resolved", "created_at": 1_764_000_000, "last_activity_at": 1_764_100_000,
                     "last_message": {"content": "Thanks, <b>solved</b>", "message_type": 1, "created_at": 1_764_100_000}},
                    {"id": 8, "inbox_id": 3, "inbox": {"id": 3, "name": "WhatsApp Business", "channel_type": "Channel::Whatsapp"},
                     "status": "open", "created_at": 1_764_200_000, "last_activity_at": 1_764_300_000,
                     "last_message": {"content": "Where is my\norder?", "message_type": 0, "created_at": 1_764_300_000}}
                ]}),
            ),
        )],
    );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=conversation-item]").await;

    let items = card.all("[data-testid=conversation-item]");
    let ids: Vec<String> = items
        .iter()
        .map(|i| i.get_attribute("data-conversation-id").unwrap_or_default())
        .collect();
    assert_eq!(ids, ["8", "3"], "newest activity first");
    assert_eq!(
        text(
            &items[0]
                .query_selector(".conversation__inbox")
                .unwrap()
                .unwrap()
        ),
        "WhatsApp Business"
    );
    assert_eq!(
        items[0]
            .query_selector("[data-testid=channel-icon]")
            .unwrap()
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("WhatsApp")
    );
    assert_eq!(
        text(
            &items[0]
                .query_selector("[data-testid=conversation-excerpt]")
                .unwrap()
                .unwrap()
        ),
        "Where is my order?"
    );
    assert_eq!(
        text(
            &items[1]
                .query_selector("[data-testid=conversation-excerpt]")
                .unwrap()
                .unwrap()
        ),
        "You: Thanks, <b>solved</b>"
    );
    assert!(card.find(".conversation b").is_none());
    assert_eq!(
        text(
            &items[1]
                .query_selector(".conversation-status")
                .unwrap()
                .unwrap()
        ),
        "Resolved"
    );
}

#[wasm_bindgen_test]
async fn delete_asks_first_then_deletes() {
    let contact = olena(json!({}));
    let server = card_server(&contact);
    server.on(Method::Delete, CONTACT, json(200, Value::Null));
    let (card, deleted) = mount_card(&server, &contact);
    card.wait_for("[data-testid=delete-contact]").await;

    card.click("[data-testid=delete-contact]");
    let confirm = wait_for_body("[data-testid=delete-confirm]").await;
    assert!(
        requests(&server, Method::Delete, CONTACT).is_empty(),
        "nothing before it is confirmed"
    );
    assert!(text(&body_get("[data-testid=delete-dialog]")).contains("Delete Olena Kovalenko?"));
    confirm.click();
    wait_for_requests(&server, Method::Delete, CONTACT, 1).await;
    wait_until("the page told", || deleted.get_untracked() == 1).await;
}

#[wasm_bindgen_test]
async fn the_block_state_shows_and_blocking_goes_through_the_block_dialog() {
    let contact = olena(json!({"blocked": true, "blocked_until": null, "block_reason": "Spam"}));
    let server = card_server(&contact);
    server.on(
        Method::Put,
        CONTACT,
        json(200, json!({"payload": olena(json!({}))})),
    );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=unblock-button]").await;
    assert!(card.text("[data-testid=card-block]").contains("Blocked"));

    card.click("[data-testid=unblock-button]");
    card.wait_for("[data-testid=block-button]").await;
    let sent = wait_for_requests(&server, Method::Put, CONTACT, 1).await;
    assert_eq!(body(&sent[0]), json!({"blocked": false}));
    assert!(card.text("[data-testid=card-block]").contains("Active"));

    card.click("[data-testid=block-button]");
    wait_for_body("[data-testid=block-dialog]").await;
    body_get("[data-testid=block-cancel]")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    wait_until("the dialog closed", || {
        document_find("[data-testid=block-dialog]").is_none()
    })
    .await;
}

/// Dialogs are portalled to the end of `<body>`, outside the mounted root.
fn document_find(selector: &str) -> Option<web_sys::Element> {
    leptos::prelude::document()
        .query_selector(selector)
        .expect("a valid selector")
}

fn body_get(selector: &str) -> web_sys::Element {
    document_find(selector).unwrap_or_else(|| panic!("no {selector} in the page"))
}

async fn wait_for_body(selector: &str) -> web_sys::HtmlElement {
    wait_until(selector, || document_find(selector).is_some()).await;
    body_get(selector).unchecked_into()
}

#[wasm_bindgen_test]
async fn a_new_phone_shows_as_it_will_be_stored_before_it_is_saved() {
    const PHONE_CHECK: &str = "/api/v1/accounts/1/phone_numbers/normalize";
    let contact = olena(json!({}));
    let server = card_server(&contact);
    server.on(
        Method::Get,
        PHONE_CHECK,
        json(200, json!({"phone_number": "+380677654321"})),
    );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=card-phone]").await;

    card.click("[data-testid=edit-phone]");
    let input = card.wait_for("[data-testid=card-phone-input]").await;
    sleep_ms(500).await;
    assert!(
        requests(&server, Method::Get, PHONE_CHECK).is_empty(),
        "the number stored now is not asked about"
    );
    assert!(card.find("[data-testid=phone-preview]").is_none());

    set_value(&input, "067 765 43 21");
    let preview = card.wait_for("[data-testid=phone-preview]").await;
    assert_eq!(text(&preview), "Saved as +380677654321");
    assert!(patches(&server).is_empty(), "nothing saved yet");
}
