//! "New dialog" on the contact card: when the button opens the dialog and, when it does
//! not, what its tooltip says (to the pointer, the keyboard and screen readers); against
//! a server that tells which inboxes write first and one that does not (a stock
//! Chatwoot); and the dialog itself: the inboxes with the address each writes to, what it
//! sends, Ctrl+Enter, Send while sending, a refusal in words with the message kept, and
//! the new conversation at the top of the card's conversations.

use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::components::card::ContactCard;
use novatalks_contacts::components::toasts::ToastRegion;
use novatalks_contacts::state::Toasts;
use novatalks_model::Contact;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlElement};

use crate::block_dialog::{click, find, get, type_into, value_of};
use crate::card_support::{
    body, card_server_with, olena, press, requests, set_value, wait_for_requests, CONTACT,
    CONVERSATIONS,
};
use crate::support::{demo_session, json, mount, sleep_ms, text, wait_until, FakeServer, Mounted};

const INBOXES: &str = "/api/v1/accounts/1/inboxes";
const CONTACTABLE: &str = "/api/v1/accounts/1/contacts/42/contactable_inboxes";
const START: &str = "/api/v1/accounts/1/conversations";

const BUTTON: &str = "[data-testid=new-dialog-button]";
const DIALOG: &str = "[data-testid=new-dialog]";

/// An inbox as NovaTalks sends it.
fn inbox(id: i64, name: &str, channel: &str, can_write_first: bool) -> Value {
    json!({"id": id, "name": name, "channel_type": format!("Channel::{channel}"),
           "can_write_first": can_write_first})
}

/// The demo account's inboxes: email, WhatsApp and calls can write first.
fn demo_inboxes() -> Value {
    json!({"payload": [
        inbox(1, "Website chat", "WebWidget", false),
        inbox(2, "Support email", "Email", true),
        inbox(3, "WhatsApp Business", "Whatsapp", true),
        inbox(4, "Telegram bot", "Telegram", false),
        inbox(6, "Call center", "Call", true),
    ]})
}

/// The card of `contact`, with the app's toasts, talking to `server`.
fn mount_card(server: &FakeServer, contact: &Value) -> Mounted {
    let contact: Contact = serde_json::from_value(contact.clone()).expect("a contact");
    mount(server, Some(demo_session()), move || {
        provide_context(Toasts::new());
        view! {
            <ContactCard contact on_deleted=Callback::new(|()| {}) />
            <ToastRegion />
        }
    })
}

/// The card of `contact` with the account's `inboxes`, and other endpoints as given.
fn card_with(
    contact: &Value,
    inboxes: Value,
    more: Vec<(Method, &str, Value)>,
) -> (Mounted, FakeServer) {
    let mut overrides = vec![(Method::Get, INBOXES, json(200, inboxes))];
    overrides.extend(more.into_iter().map(|(m, p, v)| (m, p, json(200, v))));
    let server = card_server_with(contact, overrides);
    (mount_card(&server, contact), server)
}

fn button(card: &Mounted) -> Element {
    card.get(BUTTON)
}

/// What the button's description says: the element its `aria-describedby` names.
fn description(card: &Mounted) -> Option<Element> {
    let id = button(card).get_attribute("aria-describedby")?;
    document().get_element_by_id(&id)
}

/// Waits until the button has settled into being unavailable with a reason containing
/// `words`; returns the reason.
async fn wait_unavailable(card: &Mounted, words: &str) -> String {
    let mut said = String::new();
    wait_until(&format!("the reason “{words}”"), || {
        said = description(card).map(|e| text(&e)).unwrap_or_default();
        said.contains(words)
    })
    .await;
    let button = button(card);
    assert_eq!(
        button.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(
        !button.has_attribute("disabled"),
        "it stays focusable, so keyboard users reach its tooltip"
    );
    let tooltip = description(card).expect("a description");
    assert_eq!(tooltip.get_attribute("role").as_deref(), Some("tooltip"));
    said
}

async fn wait_available(card: &Mounted) {
    wait_until("New dialog to be available", || {
        card.find(BUTTON)
            .is_some_and(|b| !b.has_attribute("aria-disabled"))
    })
    .await;
    assert!(
        description(card).is_none(),
        "no reason when it is available"
    );
}

fn focus_button(card: &Mounted) {
    button(card)
        .unchecked_into::<HtmlElement>()
        .focus()
        .expect("focusable");
}

/// Opens the dialog as a user does (the button takes the focus) and waits for its inboxes.
async fn open_dialog(card: &Mounted) {
    focus_button(card);
    card.click(BUTTON);
    wait_until("the dialog", || {
        find(&format!("{DIALOG} [data-testid=inbox-choice]")).is_some()
    })
    .await;
}

fn inbox_choices() -> Vec<(String, String)> {
    let list = document()
        .query_selector_all(&format!("{DIALOG} [data-testid=inbox-choice]"))
        .expect("a selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.unchecked_into::<Element>())
        .map(|choice| {
            let name = choice
                .query_selector(".inbox-choice__name")
                .ok()
                .flatten()
                .map(|e| text(&e))
                .unwrap_or_default();
            let address = choice
                .query_selector("[data-testid=inbox-address]")
                .ok()
                .flatten()
                .map(|e| text(&e))
                .unwrap_or_default();
            (name, address)
        })
        .collect()
}

fn checked_inbox() -> Option<String> {
    find(&format!("{DIALOG} [data-testid=inbox-radio]:checked"))
        .and_then(|radio| radio.get_attribute("value"))
}

#[wasm_bindgen_test]
async fn no_inbox_that_can_write_first_disables_it_and_the_tooltip_names_the_setting() {
    let contact = olena(json!({}));
    let (card, _) = card_with(
        &contact,
        json!({"payload": [
            inbox(1, "Website chat", "WebWidget", false),
            inbox(2, "Support email", "Email", false),
            inbox(3, "CRM integration", "Api", true),
        ]}),
        vec![],
    );
    let reason = wait_unavailable(&card, "No channel can write first").await;
    assert!(
        reason.contains("Can write first to a new client"),
        "it names the setting that enables it: {reason}"
    );

    card.click(BUTTON);
    sleep_ms(50).await;
    assert!(
        find(DIALOG).is_none(),
        "an unavailable button opens nothing"
    );

    // Shown on hover and focus by the style sheet (checked end to end); Escape puts it
    // away until the focus comes back.
    let tooltip = description(&card).expect("the tooltip");
    press(&button(&card), "Escape", false);
    wait_until("Escape to put it away", || {
        tooltip
            .class_list()
            .contains("new-dialog-tooltip--dismissed")
    })
    .await;
    focus_button(&card);
    wait_until("the focus to bring it back", || {
        !tooltip
            .class_list()
            .contains("new-dialog-tooltip--dismissed")
    })
    .await;
}

#[wasm_bindgen_test]
async fn inboxes_that_cannot_reach_the_contact_ask_for_the_address_they_need() {
    // Only email writes first, and Olena has no email.
    let no_email = olena(json!({"email": null}));
    let (card, _) = card_with(
        &no_email,
        json!({"payload": [
            inbox(2, "Support email", "Email", true),
            inbox(3, "WhatsApp Business", "Whatsapp", false),
        ]}),
        vec![],
    );
    wait_unavailable(&card, "Add an email to write first").await;
    drop(card);

    // Email and phone channels write first, and she has neither.
    let nothing = olena(json!({"email": null, "phone_number": null}));
    let (card, _) = card_with(&nothing, demo_inboxes(), vec![]);
    wait_unavailable(&card, "Add an email or a phone number to write first").await;
}

#[wasm_bindgen_test]
async fn an_email_added_on_the_card_makes_it_available_at_once() {
    let contact = olena(json!({"email": null, "phone_number": null}));
    let (card, server) = card_with(
        &contact,
        json!({"payload": [inbox(2, "Support email", "Email", true)]}),
        vec![(
            Method::Patch,
            CONTACT,
            json!({"payload": olena(json!({"email": "olena@example.com", "phone_number": null}))}),
        )],
    );
    wait_unavailable(&card, "Add an email").await;

    card.click("[data-testid=edit-email]");
    let input = card.wait_for("[data-testid=card-email-input]").await;
    set_value(&input, "olena@example.com");
    press(&input, "Enter", false);
    wait_available(&card).await;
    assert_eq!(
        server.requests_to(INBOXES).len(),
        1,
        "the rule is applied again, the inboxes are not asked again"
    );
    assert!(server.requests_to(CONTACTABLE).is_empty());
}

#[wasm_bindgen_test]
async fn a_blocked_contact_can_still_be_written_to_and_the_dialog_says_replies_wait() {
    let blocked = olena(json!({"blocked": true, "blocked_until": null}));
    let (card, _) = card_with(&blocked, demo_inboxes(), vec![]);
    wait_available(&card).await;
    open_dialog(&card).await;
    assert!(text(&get("[data-testid=new-dialog-blocked]")).contains("blocked"));
}

#[wasm_bindgen_test]
async fn without_can_write_first_the_contactable_inboxes_decide() {
    // A stock Chatwoot: no `can_write_first` anywhere.
    let stock_inboxes = json!({"payload": [
        {"id": 2, "name": "Support email", "channel_type": "Channel::Email"},
        {"id": 5, "name": "CRM integration", "channel_type": "Channel::Api"},
    ]});
    let contact = olena(json!({}));
    let (card, server) = card_with(
        &contact,
        stock_inboxes.clone(),
        vec![(
            Method::Get,
            CONTACTABLE,
            json!({"payload": [{"inbox": stock_inboxes["payload"][0], "source_id": "olena@example.com"}]}),
        )],
    );
    wait_available(&card).await;
    assert_eq!(server.requests_to(CONTACTABLE).len(), 1);
    open_dialog(&card).await;
    assert_eq!(
        inbox_choices(),
        [(
            "Support email".to_owned(),
            "to olena@example.com".to_owned()
        )]
    );
    click("[data-testid=new-dialog-cancel]");
    wait_until("the dialog to close", || find(DIALOG).is_none()).await;
    drop(card);

    let (card, _) = card_with(
        &contact,
        stock_inboxes,
        vec![(Method::Get, CONTACTABLE, json!({"payload": []}))],
    );
    wait_unavailable(&card, "No inbox can write first to this contact").await;
}

#[wasm_bindgen_test]
async fn a_stock_server_is_asked_again_once_it_has_the_email_added_on_the_card() {
    let contact = olena(json!({"email": null, "phone_number": null}));
    let email_inbox = json!({"id": 2, "name": "Support email", "channel_type": "Channel::Email"});
    let (card, server) = card_with(
        &contact,
        json!({"payload": [email_inbox]}),
        vec![
            (Method::Get, CONTACTABLE, json!({"payload": []})),
            (
                Method::Get,
                CONTACTABLE,
                json!({"payload": [{"inbox": email_inbox, "source_id": "olena@example.com"}]}),
            ),
            (
                Method::Patch,
                CONTACT,
                json!({"payload": olena(json!({"email": "olena@example.com", "phone_number": null}))}),
            ),
        ],
    );
    wait_unavailable(&card, "Add an email or a phone number").await;

    server.delay(150);
    card.click("[data-testid=edit-email]");
    let input = card.wait_for("[data-testid=card-email-input]").await;
    set_value(&input, "olena@example.com");
    press(&input, "Enter", false);
    sleep_ms(100).await;
    assert_eq!(
        server.requests_to(CONTACTABLE).len(),
        1,
        "not asked while the email is still on its way: the answer would be stale"
    );
    wait_available(&card).await;
    assert_eq!(server.requests_to(CONTACTABLE).len(), 2);
}

#[wasm_bindgen_test]
async fn the_first_message_goes_from_the_chosen_inbox_and_the_new_conversation_tops_the_list() {
    let contact = olena(json!({}));
    let earlier = json!({"id": 3, "inbox_id": 1, "status": "resolved", "last_activity_at": 1_764_000_000,
        "inbox": {"id": 1, "name": "Website chat", "channel_type": "Channel::WebWidget"},
        "last_message": {"content": "Where is my order?", "message_type": 0, "created_at": 1_764_000_000}});
    let started = json!({"id": 9, "inbox_id": 3, "status": "open", "created_at": 1_764_600_000,
        "last_activity_at": 1_764_600_000,
        "inbox": {"id": 3, "name": "WhatsApp Business", "channel_type": "Channel::Whatsapp"},
        "last_message": {"content": "Hello <b>Olena</b>", "message_type": 1, "created_at": 1_764_600_000}});
    let (card, server) = card_with(
        &contact,
        demo_inboxes(),
        vec![
            (Method::Get, CONVERSATIONS, json!({"payload": [earlier]})),
            (
                Method::Get,
                CONVERSATIONS,
                json!({"payload": [started, earlier]}),
            ),
            (Method::Post, START, started.clone()),
        ],
    );
    card.wait_for("[data-testid=conversation-item]").await;
    wait_available(&card).await;
    open_dialog(&card).await;

    assert_eq!(
        inbox_choices(),
        [
            (
                "Support email".to_owned(),
                "to olena@example.com".to_owned()
            ),
            (
                "WhatsApp Business".to_owned(),
                "to +380501234567".to_owned()
            ),
            ("Call center".to_owned(), "to +380501234567".to_owned()),
        ],
        "every inbox that can write first to her, with the address it uses"
    );
    assert_eq!(checked_inbox().as_deref(), Some("2"), "the first is chosen");
    assert!(
        document().active_element().is_some_and(
            |a| a.get_attribute("data-testid").as_deref() == Some("new-dialog-message")
        ),
        "the message box has the focus"
    );

    click(&format!(
        "{DIALOG} [data-inbox-id='3'] [data-testid=inbox-radio]"
    ));
    assert_eq!(checked_inbox().as_deref(), Some("3"));
    type_into("[data-testid=new-dialog-message]", "Hello <b>Olena</b>");
    click("[data-testid=new-dialog-send]");

    let sent = wait_for_requests(&server, Method::Post, START, 1).await;
    let sent = body(&sent[0]);
    assert_eq!(sent["contact_id"], 42);
    assert_eq!(sent["inbox_id"], 3);
    assert_eq!(sent["message"], json!({"content": "Hello <b>Olena</b>"}));
    assert_eq!(sent["source_id"], "380501234567");

    wait_until("the dialog to close", || find(DIALOG).is_none()).await;
    wait_until("the new conversation on top", || {
        card.find("[data-testid=conversation-item]")
            .and_then(|first| first.get_attribute("data-conversation-id"))
            .as_deref()
            == Some("9")
    })
    .await;
    assert_eq!(card.all("[data-testid=conversation-item]").len(), 2);
    assert!(
        card.find(".conversation b").is_none(),
        "the message is text, not markup"
    );
    let toast = card.wait_for("[data-testid=toast]").await;
    assert!(
        text(&toast).contains("Dialog with Olena Kovalenko started in WhatsApp Business"),
        "{}",
        text(&toast)
    );
    assert_eq!(
        document()
            .active_element()
            .and_then(|a| a.get_attribute("data-testid"))
            .as_deref(),
        Some("new-dialog-button"),
        "focus is back on the button"
    );
}

#[wasm_bindgen_test]
async fn a_refusal_is_shown_in_words_and_the_message_is_kept() {
    let contact = olena(json!({}));
    let server = card_server_with(
        &contact,
        vec![
            (Method::Get, INBOXES, json(200, demo_inboxes())),
            (
                Method::Post,
                START,
                json(
                    422,
                    json!({"error": "Inbox Support email cannot write first to a new client: enable “Can write first to a new client” in its settings"}),
                ),
            ),
        ],
    );
    let card = mount_card(&server, &contact);
    wait_available(&card).await;
    open_dialog(&card).await;
    type_into("[data-testid=new-dialog-message]", "Your invoice is ready");
    click("[data-testid=new-dialog-send]");

    wait_until("the refusal", || {
        find("[data-testid=new-dialog-error]").is_some()
    })
    .await;
    assert_eq!(
        text(&get("[data-testid=new-dialog-error]")),
        "Could not start the dialog: Inbox Support email cannot write first to a new client: \
         enable “Can write first to a new client” in its settings"
    );
    assert_eq!(
        value_of("[data-testid=new-dialog-message]"),
        "Your invoice is ready"
    );
    assert!(find(DIALOG).is_some(), "the dialog stays open");
    assert!(!get("[data-testid=new-dialog-send]").has_attribute("disabled"));
    assert_eq!(
        requests(&server, Method::Get, CONVERSATIONS).len(),
        1,
        "nothing to refresh"
    );
}

#[wasm_bindgen_test]
async fn ctrl_enter_sends_once_and_send_waits_while_sending_and_blank_is_not_sent() {
    let contact = olena(json!({}));
    let (card, server) = card_with(
        &contact,
        demo_inboxes(),
        vec![(
            Method::Post,
            START,
            json!({"id": 9, "inbox_id": 2, "status": "open"}),
        )],
    );
    wait_available(&card).await;
    open_dialog(&card).await;

    let message = get("[data-testid=new-dialog-message]");
    press(&message, "Enter", true);
    sleep_ms(30).await;
    assert!(
        requests(&server, Method::Post, START).is_empty(),
        "a blank message is not sent"
    );
    assert_eq!(
        text(&get("[data-testid=new-dialog-problem]")),
        "Write the first message."
    );
    assert_eq!(
        message.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );

    server.delay(300);
    type_into("[data-testid=new-dialog-message]", "Hello");
    wait_until("typing to clear the problem", || {
        message.get_attribute("aria-invalid").is_none()
    })
    .await;
    press(&message, "Enter", true);
    wait_until("Send to wait", || {
        find("[data-testid=new-dialog-send]").is_some_and(|b| b.has_attribute("disabled"))
    })
    .await;
    assert_eq!(text(&get("[data-testid=new-dialog-send]")), "Sending…");
    press(&message, "Enter", true);
    press(&message, "Escape", false);
    sleep_ms(30).await;
    assert!(find(DIALOG).is_some(), "not closed while sending");

    wait_until("the dialog to close", || find(DIALOG).is_none()).await;
    assert_eq!(requests(&server, Method::Post, START).len(), 1, "sent once");
    assert_eq!(
        body(&requests(&server, Method::Post, START)[0])["message"]["content"],
        "Hello"
    );
}
