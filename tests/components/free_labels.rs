//! Free titles (issue #16): as in Chatwoot, a contact may carry a title that is none of
//! the account's labels. Our server lists them in `GET /labels`'s [ext] `free_titles`;
//! the page shows them on the row's and the card's chips, in the sidebar and in the
//! picker, without a colour of their own.

use novatalks_contacts::api::Method;
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::card_support::{card_server_with, mount_card, olena, set_value, ACCOUNT_LABELS};
use crate::list_support::{
    account_labels, contact, list, open_list, request_query, values, CONTACTS, LABELS,
};
use crate::support::{json as answer, text, wait_until, FakeServer};

/// The demo account's labels, and `walk-in`, a free title.
fn labels_with_a_free_title() -> Value {
    let mut labels = account_labels();
    labels["free_titles"] = json!(["walk-in"]);
    labels
}

#[wasm_bindgen_test]
async fn a_free_title_shows_on_the_row_and_in_the_sidebar_without_a_colour() {
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            CONTACTS,
            answer(200, list(1, vec![contact(1, "Ann", &["vip", "walk-in"])])),
        )
        .on(Method::Get, LABELS, answer(200, labels_with_a_free_title()));
    let page = open_list(&server, "/contacts");

    // The row: vip in its colour, walk-in a neutral chip with no style of its own.
    page.wait_for("[data-testid=contact-row] [data-testid=label-chip]")
        .await;
    wait_until("vip's colour", || {
        page.find("[data-testid=contact-row] .chip--coloured")
            .is_some_and(|chip| text(&chip) == "vip")
    })
    .await;
    let chips = page.all("[data-testid=contact-row] [data-testid=label-chip]");
    let walk_in = chips
        .iter()
        .find(|chip| text(chip) == "walk-in")
        .expect("the free title's chip");
    assert!(walk_in.class_list().contains("chip--free"));
    assert!(!walk_in.class_list().contains("chip--coloured"));
    assert_eq!(walk_in.get_attribute("style"), None, "no colour of its own");

    // The sidebar: after the account's labels, walk-in, with a hollow dot and a hint.
    let item = "[data-testid=sidebar-label][data-label='walk-in']";
    page.wait_for(item).await;
    let titles: Vec<String> = page
        .all("[data-testid=sidebar-label]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(titles, ["vip", "billing", "lead", "walk-in"]);
    let button = page.get(item);
    assert_eq!(button.get_attribute("data-free").as_deref(), Some("true"));
    assert!(button
        .get_attribute("title")
        .is_some_and(|t| t.contains("not one of the account's labels")));
    let dot = page.get(&format!("{item} .label-dot"));
    assert!(dot.class_list().contains("label-dot--free"));
    assert_eq!(dot.get_attribute("style"), None);
    let vip_dot = page.get("[data-testid=sidebar-label][data-label='vip'] .label-dot");
    assert!(!vip_dot.class_list().contains("label-dot--free"));

    // It filters as any label does.
    page.click(item);
    wait_until("a request for walk-in", || {
        server
            .requests_to(CONTACTS)
            .last()
            .is_some_and(|r| values(&request_query(r), "labels[]") == ["walk-in"])
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_free_title_is_a_neutral_chip_on_the_card_and_offered_by_the_picker() {
    let contact = olena(json!({"labels": ["vip", "walk-in"]}));
    let mut labels = labels_with_a_free_title();
    labels["free_titles"] = json!(["walk-in", "walk-up"]);
    let server = card_server_with(
        &contact,
        vec![(Method::Get, ACCOUNT_LABELS, answer(200, labels))],
    );
    let (card, _) = mount_card(&server, &contact);
    wait_until("both chips", || {
        card.all("[data-testid=label-chip] .chip__title").len() == 2
    })
    .await;
    wait_until("vip's colour", || {
        card.find("[data-testid=label-chip].chip--coloured")
            .is_some()
    })
    .await;
    let free = card
        .all("[data-testid=label-chip]")
        .into_iter()
        .find(|chip| text(chip).contains("walk-in"))
        .expect("the free title's chip");
    assert!(free.class_list().contains("chip--free"));
    assert_eq!(free.get_attribute("style"), None);

    // The picker offers the other free title as it offers a label: typed in full, it is
    // no label to create.
    let input = card.get("[data-testid=label-input]");
    set_value(&input, "walk");
    wait_until("the free title first", || {
        card.all("[data-testid=label-option]")
            .first()
            .is_some_and(|option| text(option) == "walk-up")
    })
    .await;
    set_value(&input, "walk-up");
    wait_until("the free title offered, nothing to create", || {
        card.all("[data-testid=label-option]")
            .iter()
            .map(text)
            .collect::<Vec<_>>()
            == ["walk-up"]
    })
    .await;
}
