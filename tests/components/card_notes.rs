//! The card's notes: newest first with author and time, text shown as text, Ctrl+Enter
//! adds, any agent's notes edited and deleted (as in Chatwoot) with who edited them,
//! refusals taken back.

use novatalks_contacts::api::Method;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::card_support::{
    body, card_server, card_server_with, click_in, find_in, mount_card, olena, press, set_value,
    wait_for_requests, NOTES,
};
use crate::support::{json, text, wait_until, Mounted};

const NOTE_7: &str = "/api/v1/accounts/1/contacts/42/notes/7";

fn note(id: i64, content: &str, author: (i64, &str), at: i64) -> Value {
    json!({
        "id": id, "content": content, "contact_id": 42,
        "user": {"id": author.0, "name": author.1}, "created_at": at, "updated_at": at
    })
}

/// The demo session's agent is user 1, "Demo Agent".
fn notes_fixture() -> Value {
    json!([
        note(
            7,
            "Prefers calls <b>after</b> 5pm <img src=x onerror=alert(1)>",
            (1, "Demo Agent"),
            1_764_500_000
        ),
        note(5, "Asked about invoices", (2, "Other Agent"), 1_764_400_000),
    ])
}

fn contents(card: &Mounted) -> Vec<String> {
    card.all("[data-testid=note-item] [data-testid=note-content]")
        .iter()
        .map(text)
        .collect()
}

#[wasm_bindgen_test]
async fn notes_show_newest_first_with_author_and_their_text_as_text() {
    let contact = olena(json!({}));
    let server = card_server_with(
        &contact,
        vec![(Method::Get, NOTES, json(200, notes_fixture()))],
    );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=note-item]").await;

    assert_eq!(
        contents(&card),
        [
            "Prefers calls <b>after</b> 5pm <img src=x onerror=alert(1)>",
            "Asked about invoices"
        ]
    );
    assert!(
        card.find(".note b").is_none() && card.find(".note img").is_none(),
        "no markup is rendered"
    );
    let authors: Vec<String> = card
        .all("[data-testid=note-author]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(authors, ["Demo Agent", "Other Agent"]);
    assert!(
        card.find("[data-testid=note-item] time").is_some(),
        "when it was written"
    );

    let items = card.all("[data-testid=note-item]");
    for (i, item) in items.iter().enumerate() {
        assert!(
            find_in(item, "[data-testid=note-edit]").is_some()
                && find_in(item, "[data-testid=note-delete]").is_some(),
            "note {i}: any agent's note can be edited and deleted, as in Chatwoot"
        );
    }
    assert!(
        card.find("[data-testid=note-edited]").is_none(),
        "neither was changed"
    );
}

#[wasm_bindgen_test]
async fn a_note_says_who_changed_it_last() {
    let contact = olena(json!({}));
    let mut by_colleague = note(5, "Asked about invoices", (2, "Other Agent"), 1_764_400_000);
    by_colleague["edited_by"] = json!({"id": 1, "name": "Demo Agent"});
    by_colleague["updated_at"] = json!(1_764_450_000);
    let mut by_author = note(
        4,
        "Calls back on Fridays",
        (2, "Other Agent"),
        1_764_300_000,
    );
    by_author["edited_by"] = json!({"id": 2, "name": "Other Agent"});
    by_author["updated_at"] = json!(1_764_350_000);
    let server = card_server_with(
        &contact,
        vec![(
            Method::Get,
            NOTES,
            json(200, json!([by_colleague, by_author])),
        )],
    );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=note-item]").await;
    let marks: Vec<String> = card
        .all("[data-testid=note-edited]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(marks, ["(edited by Demo Agent)", "(edited)"]);
}

#[wasm_bindgen_test]
async fn ctrl_enter_adds_a_note_at_once_on_top() {
    let contact = olena(json!({}));
    let server = card_server_with(
        &contact,
        vec![(Method::Get, NOTES, json(200, notes_fixture()))],
    );
    server.on(
        Method::Post,
        NOTES,
        json(
            200,
            note(9, "Call back on Monday", (1, "Demo Agent"), 1_764_600_000),
        ),
    );
    server.delay(100);
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=note-item]").await;

    let input = card.get("[data-testid=note-input]");
    set_value(&input, "Call back on Monday");
    press(&input, "Enter", false);
    assert_eq!(
        card.all("[data-testid=note-item]").len(),
        2,
        "Enter alone is a new line"
    );
    press(&input, "Enter", true);

    wait_until("the note at once", || {
        contents(&card).first().map(String::as_str) == Some("Call back on Monday")
    })
    .await;
    assert_eq!(card.value_of("[data-testid=note-input]"), "");
    let sent = wait_for_requests(&server, Method::Post, NOTES, 1).await;
    assert_eq!(body(&sent[0]), json!({"content": "Call back on Monday"}));
    wait_until("stored", || {
        card.find("[data-note-id='9']").is_some() && card.find(".note--saving").is_none()
    })
    .await;
    assert_eq!(contents(&card).len(), 3);
}

#[wasm_bindgen_test]
async fn a_refused_note_goes_and_its_text_comes_back() {
    let contact = olena(json!({}));
    let server = card_server(&contact);
    server.on(
        Method::Post,
        NOTES,
        json(
            422,
            json!({"message": "Content is too long", "attributes": ["content"]}),
        ),
    );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=notes-empty]").await;

    set_value(&card.get("[data-testid=note-input]"), "Long story");
    wait_until("the button enabled", || {
        !card
            .get("[data-testid=note-save]")
            .has_attribute("disabled")
    })
    .await;
    card.click("[data-testid=note-save]");
    card.wait_for("[data-testid=note-error]").await;
    assert_eq!(
        card.text("[data-testid=note-error]"),
        "The note was not saved: Content is too long"
    );
    wait_until("gone", || card.find("[data-testid=note-item]").is_none()).await;
    assert_eq!(card.value_of("[data-testid=note-input]"), "Long story");
}

#[wasm_bindgen_test]
async fn notes_are_edited_and_deleted() {
    let contact = olena(json!({}));
    let server = card_server_with(
        &contact,
        vec![(Method::Get, NOTES, json(200, notes_fixture()))],
    );
    server
        .on(Method::Patch, NOTE_7, json(200, json!({
            "id": 7, "content": "Prefers calls after 6pm", "contact_id": 42,
            "user": {"id": 1, "name": "Demo Agent"}, "created_at": 1_764_500_000, "updated_at": 1_764_600_000
        })))
        .on(Method::Delete, NOTE_7, json(200, Value::Null));
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=note-item]").await;

    click_in(
        &card.all("[data-testid=note-item]")[0],
        "[data-testid=note-edit]",
    );
    let editor = card.wait_for("[data-testid=note-edit-input]").await;
    set_value(&editor, "Prefers calls after 6pm");
    press(&editor, "Enter", true);
    let sent = wait_for_requests(&server, Method::Patch, NOTE_7, 1).await;
    assert_eq!(
        body(&sent[0]),
        json!({"content": "Prefers calls after 6pm"})
    );
    wait_until("the new text", || {
        contents(&card)[0] == "Prefers calls after 6pm"
    })
    .await;
    wait_until("marked edited", || card.find(".note__edited").is_some()).await;

    let first = card.all("[data-testid=note-item]")[0].clone();
    click_in(&first, "[data-testid=note-delete]");
    let first = card.wait_for("[data-testid=note-delete-confirm]").await;
    assert_eq!(
        card.all("[data-testid=note-item]").len(),
        2,
        "nothing goes before it is confirmed"
    );
    first.unchecked_into::<web_sys::HtmlElement>().click();
    wait_for_requests(&server, Method::Delete, NOTE_7, 1).await;
    wait_until("deleted", || contents(&card) == ["Asked about invoices"]).await;
}

#[wasm_bindgen_test]
async fn a_refused_delete_puts_the_note_back() {
    let contact = olena(json!({}));
    let server = card_server_with(
        &contact,
        vec![(Method::Get, NOTES, json(200, notes_fixture()))],
    );
    server.on(
        Method::Delete,
        NOTE_7,
        json(
            403,
            json!({"error": "You are not authorized to do this action"}),
        ),
    );
    let (card, _) = mount_card(&server, &contact);
    card.wait_for("[data-testid=note-item]").await;

    click_in(
        &card.all("[data-testid=note-item]")[0],
        "[data-testid=note-delete]",
    );
    card.wait_for("[data-testid=note-delete-confirm]").await;
    card.click("[data-testid=note-delete-confirm]");
    card.wait_for("[data-testid=note-error]").await;
    assert_eq!(
        card.text("[data-testid=note-error]"),
        "The note was not deleted: You are not authorized to do this action"
    );
    wait_until("back in its place", || contents(&card).len() == 2).await;
    assert!(contents(&card)[0].starts_with("Prefers calls"));
}

#[wasm_bindgen_test]
async fn notes_that_fail_to_load_say_why_and_load_again_on_retry() {
    let contact = olena(json!({}));
    let server = card_server_with(
        &contact,
        vec![(
            Method::Get,
            NOTES,
            json(503, json!({"error": "Down for maintenance"})),
        )],
    );
    server.on(Method::Get, NOTES, json(200, notes_fixture()));
    let (card, _) = mount_card(&server, &contact);
    let error = card.wait_for("[data-testid=notes-load-error]").await;
    assert_eq!(
        text(&find_in(&error, "p").expect("the message")),
        "Could not load the notes: Down for maintenance"
    );
    click_in(&error, "[data-testid=retry]");
    wait_until("the notes", || contents(&card).len() == 2).await;
    assert!(card.find("[data-testid=notes-load-error]").is_none());
    assert_eq!(
        wait_for_requests(&server, Method::Get, NOTES, 2)
            .await
            .len(),
        2
    );
}
