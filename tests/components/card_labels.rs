//! The card's label picker: coloured chips, type-ahead over the account's labels, adding
//! on top of what the server has, creating a new label, removing one.

use novatalks_contacts::api::Method;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::card_support::{
    body, card_server, card_server_with, click_in, find_in, mount_card, olena, press, requests,
    set_value, wait_for_requests, ACCOUNT_LABELS, CONTACT_LABELS,
};
use crate::support::{json, text, wait_until, Mounted};

fn chips(card: &Mounted) -> Vec<String> {
    card.all("[data-testid=label-chip] .chip__title")
        .iter()
        .map(text)
        .collect()
}

fn options(card: &Mounted) -> Vec<String> {
    card.all("[data-testid=label-option]")
        .iter()
        .map(text)
        .collect()
}

#[wasm_bindgen_test]
async fn chips_show_the_labels_in_their_colours_and_type_ahead_suggests_the_others() {
    let contact = olena(json!({"labels": ["vip"]}));
    let server = card_server(&contact);
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=label-chip]").await;
    assert_eq!(chips(&card), ["vip"]);
    wait_until("the chip's colour", || {
        card.get("[data-testid=label-chip]")
            .get_attribute("style")
            .is_some_and(|s| s.contains("#f5a623"))
    })
    .await;

    let input = card.get("[data-testid=label-input]");
    set_value(&input, "VI");
    // The contact's own vip is not offered; what is typed can be created.
    wait_until("matching suggestions", || {
        options(&card) == ["service-vip", "Create label “vi”"]
    })
    .await;
    set_value(&input, "two words");
    wait_until("no suggestion", || options(&card).is_empty()).await;
    assert!(card
        .text("[data-testid=field-error-label]")
        .contains("lower-case letters"));
}

#[wasm_bindgen_test]
async fn a_label_is_added_on_top_of_the_labels_the_server_has_now() {
    let contact = olena(json!({"labels": ["vip"]}));
    let server = card_server(&contact);
    // After the card has loaded, another agent adds "lead": the server then has both.
    server
        .on(
            Method::Get,
            CONTACT_LABELS,
            json(200, json!({"payload": ["lead", "vip"]})),
        )
        .on(
            Method::Post,
            CONTACT_LABELS,
            json(200, json!({"payload": ["billing", "lead", "vip"]})),
        );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=label-chip]").await;
    server.delay(50);

    let input = card.get("[data-testid=label-input]");
    set_value(&input, "bil");
    wait_until("a suggestion", || {
        options(&card).first().map(String::as_str) == Some("billing")
    })
    .await;
    press(&input, "ArrowDown", false);
    press(&input, "Enter", false);
    wait_until("the chip at once", || {
        chips(&card).contains(&"billing".to_owned())
    })
    .await;
    assert_eq!(
        card.value_of("[data-testid=label-input]"),
        "",
        "the box is cleared"
    );

    let sent = wait_for_requests(&server, Method::Post, CONTACT_LABELS, 1).await;
    let mut titles: Vec<String> =
        serde_json::from_value(body(&sent[0])["labels"].clone()).expect("titles");
    titles.sort();
    assert_eq!(
        titles,
        ["billing", "lead", "vip"],
        "the other agent's label is kept"
    );
    wait_until("the server's answer", || {
        chips(&card) == ["billing", "lead", "vip"]
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_new_label_is_created_then_added_and_a_click_picks_too() {
    let contact = olena(json!({"labels": []}));
    let server = card_server(&contact);
    server
        .on(
            Method::Post,
            ACCOUNT_LABELS,
            json(
                200,
                json!({"id": 9, "title": "churn-risk", "color": "#e0245e"}),
            ),
        )
        .on(
            Method::Post,
            CONTACT_LABELS,
            json(200, json!({"payload": ["churn-risk"]})),
        );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=label-input]").await;
    wait_until("the account labels", || {
        !requests(&server, Method::Get, ACCOUNT_LABELS).is_empty()
    })
    .await;

    let input = card.get("[data-testid=label-input]");
    set_value(&input, "Churn-Risk");
    wait_until("the create option", || {
        options(&card) == ["Create label “churn-risk”"]
    })
    .await;
    card.click("[data-testid=label-option]");

    let created = wait_for_requests(&server, Method::Post, ACCOUNT_LABELS, 1).await;
    assert_eq!(body(&created[0]), json!({"title": "churn-risk"}));
    let added = wait_for_requests(&server, Method::Post, CONTACT_LABELS, 1).await;
    assert_eq!(body(&added[0]), json!({"labels": ["churn-risk"]}));
    wait_until("the chip", || chips(&card) == ["churn-risk"]).await;
    // The account's labels are read again, for the new label's colour.
    wait_until("a fresh list of labels", || {
        requests(&server, Method::Get, ACCOUNT_LABELS).len() >= 2
    })
    .await;
}

#[wasm_bindgen_test]
async fn labels_are_removed_and_a_refusal_puts_the_chip_back() {
    let contact = olena(json!({"labels": ["billing", "vip"]}));
    let server = card_server(&contact);
    server
        .on(
            Method::Post,
            CONTACT_LABELS,
            json(200, json!({"payload": ["vip"]})),
        )
        .on(
            Method::Post,
            CONTACT_LABELS,
            json(500, json!({"error": "Database is busy"})),
        );
    let (card, _) = mount_card(&server, &contact);
    wait_until("both chips", || chips(&card) == ["billing", "vip"]).await;

    card.click("[data-testid=label-chip] [data-testid=label-remove]");
    wait_until("billing gone", || chips(&card) == ["vip"]).await;
    let sent = wait_for_requests(&server, Method::Post, CONTACT_LABELS, 1).await;
    assert_eq!(body(&sent[0]), json!({"labels": ["vip"]}));

    // The last one: the server refuses.
    server.delay(50);
    card.click("[data-testid=label-chip] [data-testid=label-remove]");
    wait_until("none at once", || chips(&card).is_empty()).await;
    card.wait_for("[data-testid=label-error]").await;
    assert_eq!(
        card.text("[data-testid=label-error]"),
        "Could not remove the label vip: Database is busy"
    );
    assert_eq!(chips(&card), ["vip"], "rolled back");
}

#[wasm_bindgen_test]
async fn labels_that_fail_to_load_say_why_and_load_again_on_retry() {
    let contact = olena(json!({"labels": ["billing", "vip"]}));
    let server = card_server_with(
        &contact,
        vec![(
            Method::Get,
            CONTACT_LABELS,
            json(503, json!({"error": "Down for maintenance"})),
        )],
    );
    server.on(
        Method::Get,
        CONTACT_LABELS,
        json(200, json!({"payload": ["billing", "vip"]})),
    );
    let (card, _) = mount_card(&server, &contact);
    let error = card.wait_for("[data-testid=labels-load-error]").await;
    assert_eq!(
        text(&find_in(&error, "p").expect("the message")),
        "Could not load the labels: Down for maintenance"
    );
    click_in(&error, "[data-testid=retry]");
    wait_until("the chips", || chips(&card) == ["billing", "vip"]).await;
    assert!(card.find("[data-testid=labels-load-error]").is_none());
    assert_eq!(requests(&server, Method::Get, CONTACT_LABELS).len(), 2);
    assert_eq!(
        requests(&server, Method::Get, ACCOUNT_LABELS).len(),
        1,
        "the account's labels are not asked again"
    );
}
