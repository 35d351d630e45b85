//! The card's custom attributes: one editor per type, each checked against its
//! definition (the pattern included) before anything is sent; removal; adding from the
//! account's definitions or a new one; a refusal rolls the value back.

use novatalks_contacts::api::Method;
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::card_support::{
    body, card_server, mount_card, olena, requests, set_value, wait_for_requests, CONTACT,
    DEFINITIONS, DESTROY_ATTRIBUTES,
};
use crate::support::{json, sleep_ms, text, wait_until, FakeServer, Mounted};

fn attributes() -> Value {
    json!({
        "plan": "basic", "order_count": 3, "lifetime_value": 100, "discount": 5,
        "website": "https://nova.test", "renewal_date": "2026-01-01", "newsletter": false,
        "tax_id": "UA12345678", "nickname": "ole"
    })
}

fn with_attributes(changes: Value) -> Value {
    let mut attributes = attributes();
    if let (Some(all), Value::Object(changes)) = (attributes.as_object_mut(), changes) {
        all.extend(changes);
    }
    olena(json!({ "custom_attributes": attributes }))
}

fn row(key: &str) -> String {
    format!("[data-testid=attribute-row-{key}]")
}

/// Opens the editor of `key`, types `value` and saves.
async fn edit(card: &Mounted, key: &str, value: &str) {
    card.click(&format!("{} [data-testid=attribute-edit]", row(key)));
    retype(card, key, value).await;
}

/// Types into the open editor of `key` and saves.
async fn retype(card: &Mounted, key: &str, value: &str) {
    let input = card
        .wait_for(&format!("{} [data-testid=attribute-input]", row(key)))
        .await;
    set_value(&input, value);
    card.click(&format!("{} [data-testid=attribute-save]", row(key)));
}

fn patches(server: &FakeServer) -> Vec<Value> {
    requests(server, Method::Patch, CONTACT)
        .iter()
        .map(body)
        .collect()
}

async fn card_with_attributes(answer: Value) -> (FakeServer, Mounted) {
    card_answering(vec![answer]).await
}

/// The card, its server answering the edits with these contacts, in turn.
async fn card_answering(answers: Vec<Value>) -> (FakeServer, Mounted) {
    let contact = with_attributes(json!({}));
    let server = card_server(&contact);
    for answer in answers {
        server.on(
            Method::Patch,
            CONTACT,
            json(200, json!({ "payload": answer })),
        );
    }
    let (card, _) = mount_card(&server, &contact);
    card.wait_for(&row("tax_id")).await;
    (server, card)
}

#[wasm_bindgen_test]
async fn every_attribute_shows_in_definition_order_as_its_type_reads() {
    let (_server, card) = card_with_attributes(with_attributes(json!({}))).await;
    let rows: Vec<String> = card
        .all("[data-testid^=attribute-row-]")
        .iter()
        .map(|r| r.get_attribute("data-testid").unwrap_or_default())
        .collect();
    assert_eq!(
        rows,
        [
            "plan",
            "order_count",
            "lifetime_value",
            "discount",
            "website",
            "renewal_date",
            "newsletter",
            "tax_id",
            "nickname"
        ]
        .map(|k| format!("attribute-row-{k}"))
    );
    let value = |key: &str| card.text(&format!("{} [data-testid=attribute-value]", row(key)));
    assert_eq!(value("lifetime_value"), "100.00");
    assert_eq!(value("discount"), "5%");
    assert_eq!(value("renewal_date"), "1 Jan 2026");
    assert_eq!(value("newsletter"), "No");
    let link = card.get(&format!("{} a", row("website")));
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://nova.test")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
}

#[wasm_bindgen_test]
async fn numbers_are_checked_before_sending_and_sent_as_numbers() {
    let (server, card) = card_with_attributes(with_attributes(json!({"order_count": 12}))).await;

    edit(&card, "order_count", "ten").await;
    card.wait_for("[data-testid=field-error-order_count]").await;
    assert_eq!(
        card.text("[data-testid=field-error-order_count]"),
        "Orders must be a number, e.g. 12 or 12.5."
    );
    sleep_ms(50).await;
    assert!(
        patches(&server).is_empty(),
        "nothing is sent while the value is wrong"
    );

    retype(&card, "order_count", " 12 ").await;
    wait_for_requests(&server, Method::Patch, CONTACT, 1).await;
    assert_eq!(
        patches(&server)[0],
        json!({"custom_attributes": {"order_count": 12}})
    );
    assert!(card.find("[data-testid=field-error-order_count]").is_none());
    assert_eq!(
        card.text(&format!(
            "{} [data-testid=attribute-value]",
            row("order_count")
        )),
        "12"
    );
}

#[wasm_bindgen_test]
async fn currency_and_percent_take_the_ways_people_write_them() {
    let (server, card) = card_answering(vec![
        with_attributes(json!({"lifetime_value": 12.5})),
        with_attributes(json!({"lifetime_value": 12.5, "discount": 15})),
    ])
    .await;

    edit(&card, "lifetime_value", "12,5").await;
    wait_for_requests(&server, Method::Patch, CONTACT, 1).await;
    edit(&card, "discount", "lots").await;
    card.wait_for("[data-testid=field-error-discount]").await;
    retype(&card, "discount", "15 %").await;
    wait_for_requests(&server, Method::Patch, CONTACT, 2).await;

    assert_eq!(
        patches(&server),
        vec![
            json!({"custom_attributes": {"lifetime_value": 12.5}}),
            json!({"custom_attributes": {"discount": 15}}),
        ]
    );
    wait_until("the answer shown", || {
        card.text(&format!(
            "{} [data-testid=attribute-value]",
            row("lifetime_value")
        )) == "12.50"
    })
    .await;
}

#[wasm_bindgen_test]
async fn links_need_a_web_address_and_get_https_when_written_without() {
    let (server, card) =
        card_with_attributes(with_attributes(json!({"website": "https://example.com"}))).await;

    edit(&card, "website", "not a link").await;
    card.wait_for("[data-testid=field-error-website]").await;
    assert!(card
        .text("[data-testid=field-error-website]")
        .contains("web address"));

    retype(&card, "website", "example.com").await;
    wait_for_requests(&server, Method::Patch, CONTACT, 1).await;
    assert_eq!(
        patches(&server)[0],
        json!({"custom_attributes": {"website": "https://example.com"}})
    );
    wait_until("the link", || {
        card.find(&format!("{} a", row("website")))
            .and_then(|a| a.get_attribute("href"))
            .as_deref()
            == Some("https://example.com")
    })
    .await;
}

#[wasm_bindgen_test]
async fn dates_lists_and_checkboxes_use_their_own_controls() {
    let (server, card) = card_answering(vec![
        with_attributes(json!({"renewal_date": "2026-12-01"})),
        with_attributes(json!({"renewal_date": "2026-12-01", "plan": "gold"})),
        with_attributes(json!({"renewal_date": "2026-12-01", "plan": "gold", "newsletter": true})),
    ])
    .await;

    edit(&card, "renewal_date", "2026-12-01").await;
    wait_for_requests(&server, Method::Patch, CONTACT, 1).await;

    card.click(&format!("{} [data-testid=attribute-edit]", row("plan")));
    let select = card
        .wait_for(&format!(
            "{} select[data-testid=attribute-input]",
            row("plan")
        ))
        .await;
    let options: Vec<String> = card
        .all(&format!("{} option", row("plan")))
        .iter()
        .map(|o| o.get_attribute("value").unwrap_or_default())
        .collect();
    assert_eq!(
        options,
        ["", "free", "basic", "gold"],
        "the definition's choices"
    );
    set_value(&select, "gold");
    card.click(&format!("{} [data-testid=attribute-save]", row("plan")));
    wait_for_requests(&server, Method::Patch, CONTACT, 2).await;

    card.click(&format!(
        "{} [data-testid=attribute-edit]",
        row("newsletter")
    ));
    card.wait_for(&format!("{} input[type=checkbox]", row("newsletter")))
        .await;
    card.click(&format!("{} input[type=checkbox]", row("newsletter")));
    card.click(&format!(
        "{} [data-testid=attribute-save]",
        row("newsletter")
    ));
    wait_for_requests(&server, Method::Patch, CONTACT, 3).await;

    assert_eq!(
        patches(&server),
        vec![
            json!({"custom_attributes": {"renewal_date": "2026-12-01"}}),
            json!({"custom_attributes": {"plan": "gold"}}),
            json!({"custom_attributes": {"newsletter": true}}),
        ]
    );
    wait_until("the answer shown", || {
        card.text(&format!(
            "{} [data-testid=attribute-value]",
            row("renewal_date")
        )) == "1 Dec 2026"
            && card.text(&format!(
                "{} [data-testid=attribute-value]",
                row("newsletter")
            )) == "Yes"
    })
    .await;
}

#[wasm_bindgen_test]
async fn text_is_checked_against_the_pattern_and_a_broken_pattern_checks_nothing() {
    let (server, card) = card_with_attributes(with_attributes(json!({}))).await;

    edit(&card, "tax_id", "12345").await;
    card.wait_for("[data-testid=field-error-tax_id]").await;
    assert_eq!(
        card.text("[data-testid=field-error-tax_id]"),
        "Two capital letters and 8 to 10 digits, e.g. UA12345678",
        "the definition's cue"
    );
    sleep_ms(50).await;
    assert!(patches(&server).is_empty());

    retype(&card, "tax_id", "PL1234567890").await;
    wait_for_requests(&server, Method::Patch, CONTACT, 1).await;

    // "(unclosed" does not compile: the card does not break, the server decides.
    edit(&card, "nickname", "<b>Ole</b>").await;
    wait_for_requests(&server, Method::Patch, CONTACT, 2).await;
    assert_eq!(
        patches(&server),
        vec![
            json!({"custom_attributes": {"tax_id": "PL1234567890"}}),
            json!({"custom_attributes": {"nickname": "<b>Ole</b>"}}),
        ]
    );
}

#[wasm_bindgen_test]
async fn an_edit_shows_at_once_and_a_refusal_rolls_it_back_with_the_reason() {
    let contact = with_attributes(json!({}));
    let server = card_server(&contact);
    server.on(
        Method::Patch,
        CONTACT,
        json(
            422,
            json!({"message": "Orders must be a number", "attributes": ["custom_attributes"]}),
        ),
    );
    server.delay(150);
    let (card, _) = mount_card(&server, &contact);
    card.wait_for(&row("order_count")).await;
    let value = || {
        card.find(&format!(
            "{} [data-testid=attribute-value]",
            row("order_count")
        ))
        .map(|e| text(&e))
        .unwrap_or_default()
    };

    edit(&card, "order_count", "7").await;
    wait_until("the new value at once", || {
        card.find(&format!(
            "{} [data-testid=attribute-value]",
            row("order_count")
        ))
        .is_some()
            && value() == "7"
    })
    .await;
    assert!(patches(&server).len() <= 1);

    card.wait_for("[data-testid=field-error-order_count]").await;
    card.wait_for(&format!(
        "{} [data-testid=attribute-input]",
        row("order_count")
    ))
    .await;
    assert_eq!(
        card.text("[data-testid=field-error-order_count]"),
        "Orders must be a number"
    );
    assert_eq!(
        card.value_of(&format!(
            "{} [data-testid=attribute-input]",
            row("order_count")
        )),
        "7",
        "what was typed is kept"
    );
    card.click(&format!(
        "{} .button:not(.button--primary)",
        row("order_count")
    ));
    wait_until("the old value back", || value() == "3").await;
}

#[wasm_bindgen_test]
async fn an_attribute_is_removed_by_key() {
    let contact = with_attributes(json!({}));
    let server = card_server(&contact);
    let mut without = attributes();
    without.as_object_mut().expect("an object").remove("plan");
    server.on(
        Method::Post,
        DESTROY_ATTRIBUTES,
        json(
            200,
            json!({ "payload": olena(json!({"custom_attributes": without})) }),
        ),
    );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for(&row("plan")).await;

    card.click(&format!("{} [data-testid=attribute-remove]", row("plan")));
    wait_until("the row gone", || card.find(&row("plan")).is_none()).await;
    let sent = wait_for_requests(&server, Method::Post, DESTROY_ATTRIBUTES, 1).await;
    assert_eq!(body(&sent[0]), json!({"custom_attributes": ["plan"]}));
    sleep_ms(30).await;
    assert!(card.find(&row("plan")).is_none());
    assert!(card.find(&row("order_count")).is_some());
}

#[wasm_bindgen_test]
async fn attributes_are_added_from_the_definitions_or_from_a_new_one() {
    let contact = olena(json!({}));
    let server = card_server(&contact);
    server
        .on(Method::Patch, CONTACT, json(200, json!({ "payload": olena(json!({"custom_attributes": {"discount": 10}})) })))
        .on(
            Method::Post,
            DEFINITIONS,
            json(200, json!({
                "id": 20, "attribute_key": "favourite_colour", "attribute_display_name": "Favourite colour",
                "attribute_display_type": "list", "attribute_values": ["red", "blue"],
                "attribute_model": "contact_attribute"
            })),
        );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=attribute-add]").await;

    card.click("[data-testid=attribute-add]");
    let select = card.wait_for("[data-testid=attribute-add-select]").await;
    // Definitions load beside the card.
    wait_until("the definitions", || {
        card.all("[data-testid=attribute-add-select] option").len() > 3
    })
    .await;
    set_value(&select, "discount");
    let input = card
        .wait_for(".add-attribute [data-testid=attribute-input]")
        .await;
    set_value(&input, "abc");
    card.click("[data-testid=attribute-add-save]");
    card.wait_for("[data-testid=field-error-new-attribute]")
        .await;
    set_value(&input, "10");
    card.click("[data-testid=attribute-add-save]");
    card.wait_for(&row("discount")).await;
    let sent = wait_for_requests(&server, Method::Patch, CONTACT, 1).await;
    assert_eq!(
        body(&sent[0]),
        json!({"custom_attributes": {"discount": 10}})
    );

    // A new definition, for the whole account.
    card.click("[data-testid=attribute-add]");
    let select = card.wait_for("[data-testid=attribute-add-select]").await;
    set_value(&select, ":new");
    let name = card.wait_for("[data-testid=definition-name]").await;
    set_value(&name, "Favourite colour");
    wait_until("the key to follow the name", || {
        card.value_of("[data-testid=definition-key]") == "favourite_colour"
    })
    .await;
    set_value(&card.get("[data-testid=definition-type]"), "list");
    card.click("[data-testid=definition-save]");
    card.wait_for(".definition-form .field-error").await;
    assert!(
        requests(&server, Method::Post, DEFINITIONS).is_empty(),
        "a list needs choices"
    );
    set_value(
        &card.wait_for("[data-testid=definition-values]").await,
        "red, blue",
    );
    card.click("[data-testid=definition-save]");
    let created = wait_for_requests(&server, Method::Post, DEFINITIONS, 1).await;
    assert_eq!(
        body(&created[0]),
        json!({
            "attribute_key": "favourite_colour", "attribute_display_name": "Favourite colour",
            "attribute_display_type": "list", "attribute_values": ["red", "blue"],
            "attribute_model": "contact_attribute"
        })
    );
    // The new attribute is chosen, its value next.
    let value = card
        .wait_for(".add-attribute select[data-testid=attribute-input]")
        .await;
    set_value(&value, "blue");
    card.click("[data-testid=attribute-add-save]");
    let sent = wait_for_requests(&server, Method::Patch, CONTACT, 2).await;
    assert_eq!(
        body(&sent[1]),
        json!({"custom_attributes": {"favourite_colour": "blue"}})
    );
}
