//! Merging from the card: the picker proposes likely duplicates (a phone in another
//! format first) and searches; the preview shows the remaining contact field by field,
//! the union of labels, what moves and who is deleted; the agent chooses who stays; the
//! request sent says so; a refusal shows in the dialog with nothing done.

use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::components::merge::MergeDialog;
use novatalks_model::Contact;
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::block_dialog::{click, find, focused, get, is_disabled, press, type_into};
use crate::card_support::{body, card_server_with, mount_card, olena};
use crate::support::{demo_session, json, mount, sleep_ms, text, wait_until, FakeServer, Mounted};

const SEARCH: &str = "/api/v1/accounts/1/contacts/search";
const MERGE: &str = "/api/v1/accounts/1/actions/contact_merge";
const OTHER_NOTES: &str = "/api/v1/accounts/1/contacts/2/notes";
const OTHER_CONVERSATIONS: &str = "/api/v1/accounts/1/contacts/2/conversations";
const LEGACY_NOTES: &str = "/api/v1/accounts/1/contacts/1/notes";

/// The customer imported from the old CRM, her phone as written then.
fn legacy() -> Value {
    json!({
        "id": 1, "name": "Olha Hnatiuk", "email": "olha.hnatiuk@ukr.net",
        "phone_number": "0501234567", "identifier": null, "thumbnail": "",
        "additional_attributes": {"city": "Lviv", "language": "uk"}, "custom_attributes": {},
        "labels": ["billing", "vip"], "conversations_count": 1,
        "last_activity_at": 1_764_400_000, "created_at": 1_700_000_000
    })
}

/// The same customer, created by WhatsApp.
fn channel() -> Value {
    json!({
        "id": 2, "name": "Olha H.", "email": null,
        "phone_number": "+380501234567", "identifier": "wa-380501234567", "thumbnail": "",
        "additional_attributes": {"city": "Kyiv", "company_name": "Nova", "language": "en"},
        "custom_attributes": {}, "labels": ["support"], "conversations_count": 2,
        "last_activity_at": 1_764_500_000, "created_at": 1_760_000_000
    })
}

fn stranger() -> Value {
    json!({"id": 7, "name": "Olha Petrenko", "phone_number": "+380671112233", "labels": []})
}

fn namesake() -> Value {
    json!({"id": 5, "name": "Olha Hnatiuk", "email": "other@example.com", "labels": []})
}

fn note(id: i64, contact_id: i64) -> Value {
    json!({"id": id, "content": "Called", "contact_id": contact_id, "created_at": 1_764_000_000})
}

fn contact(value: Value) -> Contact {
    serde_json::from_value(value).expect("a contact")
}

fn list(contacts: &[Value]) -> Value {
    json!({"meta": {"count": contacts.len(), "current_page": 1}, "payload": contacts})
}

/// Every search answers with the same contacts; the other one has one note.
fn server() -> FakeServer {
    let server = FakeServer::new();
    server.on(
        Method::Get,
        SEARCH,
        json(200, list(&[legacy(), namesake(), stranger(), channel()])),
    );
    server.on(Method::Get, OTHER_NOTES, json(200, json!([note(9, 2)])));
    server.on(Method::Get, LEGACY_NOTES, json(200, json!([])));
    server
}

/// Takes away dialogs earlier tests left at the end of `<body>` (a portal outlives the
/// root it was mounted from), so that lookups in the document see this test's only.
fn clear_leftover_dialogs() {
    let left = document()
        .query_selector_all(".modal-backdrop")
        .expect("a selector");
    for node in (0..left.length()).filter_map(|i| left.item(i)) {
        let element: web_sys::Element = wasm_bindgen::JsCast::unchecked_into(node);
        match element.parent_element() {
            Some(portal) if portal.tag_name() != "BODY" => portal.remove(),
            _ => element.remove(),
        }
    }
}

/// The dialog for the legacy contact; what it reported done goes into `done`.
fn mount_dialog(server: &FakeServer) -> (Mounted, RwSignal<Option<i64>>, RwSignal<u32>) {
    clear_leftover_dialogs();
    let done = RwSignal::new(None::<i64>);
    let cancelled = RwSignal::new(0u32);
    let mounted = mount(server, Some(demo_session()), move || {
        let on_done = Callback::new(move |remaining: Contact| done.set(Some(remaining.id)));
        let on_cancel = Callback::new(move |()| cancelled.update(|n| *n += 1));
        view! { <MergeDialog contact=contact(legacy()) on_done on_cancel /> }
    });
    (mounted, done, cancelled)
}

async fn wait_for_doc(selector: &str) {
    wait_until(&format!("{selector} in the document"), || {
        find(selector).is_some()
    })
    .await;
}

fn candidates(list: &str) -> Vec<(String, String)> {
    let root = get(list);
    let found = root
        .query_selector_all("[data-testid=merge-candidate]")
        .expect("a selector");
    (0..found.length())
        .filter_map(|i| found.item(i))
        .map(|node| {
            let element: web_sys::Element = wasm_bindgen::JsCast::unchecked_into(node);
            let id = element.get_attribute("data-contact-id").unwrap_or_default();
            let reason = element
                .query_selector("[data-testid=merge-reason]")
                .ok()
                .flatten()
                .map(|e| text(&e))
                .unwrap_or_default();
            (id, reason)
        })
        .collect()
}

fn field_row(field: &str) -> (String, String) {
    let row = get(&format!("[data-testid=merge-field][data-field='{field}']"));
    let value = row
        .query_selector("[data-testid=merge-field-value]")
        .ok()
        .flatten()
        .map(|e| text(&e))
        .unwrap_or_default();
    (row.get_attribute("data-outcome").unwrap_or_default(), value)
}

#[wasm_bindgen_test]
async fn the_picker_proposes_the_same_phone_in_another_format_first_and_never_the_contact_itself() {
    let server = server();
    let (_dialog, _, _) = mount_dialog(&server);
    wait_for_doc("[data-testid=merge-duplicates]").await;

    assert_eq!(
        candidates("[data-testid=merge-duplicates]"),
        [
            ("2".to_owned(), "Same phone number".to_owned()),
            ("5".to_owned(), "Similar name".to_owned())
        ],
        "a stranger sharing only a first name is left out, and so is Olha herself"
    );
    let asked: Vec<String> = server
        .requests_to(SEARCH)
        .iter()
        .map(|r| {
            r.path_and_query
                .split("q=")
                .nth(1)
                .unwrap_or_default()
                .split('&')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        asked,
        ["501234567", "olha.hnatiuk%40ukr.net", "Olha%20H"],
        "by the phone's national digits, the email and the name"
    );
    assert_eq!(focused(), "merge-search", "the search is ready for typing");
}

#[wasm_bindgen_test]
async fn the_search_finds_others_by_what_is_typed_without_the_contact_itself() {
    // The three searches for duplicates, then what the agent types.
    let server = FakeServer::new();
    for _ in 0..3 {
        server.on(Method::Get, SEARCH, json(200, list(&[channel()])));
    }
    server.on(
        Method::Get,
        SEARCH,
        json(200, list(&[legacy(), stranger()])),
    );
    server.on(Method::Get, SEARCH, json(200, list(&[])));
    server.on(Method::Get, OTHER_NOTES, json(200, json!([])));
    let (_dialog, _, _) = mount_dialog(&server);
    wait_for_doc("[data-testid=merge-duplicates]").await;
    type_into("[data-testid=merge-search]", "Petrenko");
    wait_for_doc("[data-testid=merge-results]").await;
    assert_eq!(
        candidates("[data-testid=merge-results]"),
        [("7".to_owned(), String::new())]
    );
    let last = server.requests_to(SEARCH).pop().expect("a search");
    assert!(
        last.path_and_query.contains("q=Petrenko"),
        "{}",
        last.path_and_query
    );

    type_into("[data-testid=merge-search]", "nobody");
    wait_for_doc("[data-testid=merge-no-matches]").await;
    assert!(text(&get("[data-testid=merge-no-matches]")).contains("nobody"));
}

#[wasm_bindgen_test]
async fn the_preview_shows_what_wins_what_fills_a_blank_the_labels_what_moves_and_who_goes() {
    let server = server();
    let (_dialog, done, _) = mount_dialog(&server);
    wait_for_doc("[data-testid=merge-duplicates] [data-contact-id='2']").await;
    click("[data-testid=merge-duplicates] [data-contact-id='2']");
    wait_for_doc("[data-testid=merge-preview]").await;

    assert!(text(&get("[data-testid=merge-stays]")).contains("Olha Hnatiuk (#1)"));
    assert!(text(&get("[data-testid=merge-deleted]")).contains("Olha H. (#2)"));
    assert_eq!(field_row("name"), ("lost".into(), "Olha Hnatiuk".into()));
    assert!(text(&get("[data-field=name]")).contains("“Olha H.” is dropped"));
    assert_eq!(
        field_row("email"),
        ("kept".into(), "olha.hnatiuk@ukr.net".into())
    );
    assert_eq!(
        field_row("phone"),
        ("same-number".into(), "+380501234567".into()),
        "one number written two ways: nothing is dropped, E.164 stays"
    );
    assert!(text(&get("[data-field=phone]")).contains("Same number in both"));
    assert_eq!(
        field_row("identifier"),
        ("filled".into(), "wa-380501234567".into())
    );
    assert_eq!(
        field_row("additional.company_name"),
        ("filled".into(), "Nova".into())
    );
    assert_eq!(field_row("additional.city"), ("lost".into(), "Lviv".into()));
    assert_eq!(
        field_row("additional.language"),
        ("lost".into(), "Ukrainian".into()),
        "a language by its name, as the card shows it"
    );
    assert!(text(&get("[data-field='additional.language']")).contains("“English” is dropped"));
    let chips: Vec<String> = document()
        .query_selector_all("[data-testid=merge-labels] [data-testid=label-chip]")
        .map(|l| {
            (0..l.length())
                .filter_map(|i| l.item(i))
                .map(|n| n.text_content().unwrap_or_default().trim().to_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(chips, ["billing", "support", "vip"], "the union of both");
    assert!(text(&get("[data-testid=merge-labels]")).contains("gains support"));

    wait_until("the counts", || {
        text(&get("[data-testid=merge-moving]")).starts_with("2 conversations")
    })
    .await;
    assert_eq!(
        text(&get("[data-testid=merge-moving]")),
        "2 conversations and 1 note move from Olha H. (#2) to Olha Hnatiuk (#1)."
    );
    assert!(text(&get("[data-testid=merge-warning]")).starts_with("Olha H. (#2) will be deleted."));
    assert_eq!(
        text(&get("[data-testid=merge-confirm]")),
        "Merge: delete Olha H. (#2)"
    );
    assert_eq!(
        focused(),
        "merge-swap",
        "focus starts on the choice of who stays"
    );
    assert!(
        server.requests_to(MERGE).is_empty(),
        "nothing happens before confirming"
    );
    assert_eq!(done.get_untracked(), None);
}

#[wasm_bindgen_test]
async fn swapping_keeps_the_other_contact_and_the_merge_sends_it_as_the_base() {
    let server = server();
    server.on(Method::Post, MERGE, json(200, channel()));
    let (_dialog, done, _) = mount_dialog(&server);
    wait_for_doc("[data-testid=merge-duplicates] [data-contact-id='2']").await;
    click("[data-testid=merge-duplicates] [data-contact-id='2']");
    wait_for_doc("[data-testid=merge-swap]").await;
    click("[data-testid=merge-swap]");

    wait_until("the other one to stay", || {
        text(&get("[data-testid=merge-stays]")).contains("Olha H. (#2)")
    })
    .await;
    assert_eq!(
        text(&get("[data-testid=merge-confirm]")),
        "Merge: delete Olha Hnatiuk (#1)"
    );
    assert_eq!(field_row("name"), ("lost".into(), "Olha H.".into()));
    assert_eq!(
        field_row("email"),
        ("filled".into(), "olha.hnatiuk@ukr.net".into())
    );
    assert_eq!(
        field_row("phone"),
        ("same-number".into(), "+380501234567".into())
    );
    wait_until("the counts of the legacy contact", || {
        text(&get("[data-testid=merge-moving]")).starts_with("1 conversation and 0 notes")
    })
    .await;

    click("[data-testid=merge-confirm]");
    wait_until("the merge to be done", || done.get_untracked().is_some()).await;
    assert_eq!(
        done.get_untracked(),
        Some(2),
        "the remaining contact is the one kept"
    );
    let sent = server.requests_to(MERGE);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        body(&sent[0]),
        json!({"base_contact_id": 2, "mergee_contact_id": 1})
    );
}

#[wasm_bindgen_test]
async fn a_refused_merge_says_why_in_the_dialog_and_can_be_tried_again() {
    let server = server();
    server.on(
        Method::Post,
        MERGE,
        json(
            422,
            json!({"message": "Mergee contact was changed meanwhile", "attributes": []}),
        ),
    );
    server.on(Method::Post, MERGE, json(200, legacy()));
    let (_dialog, done, cancelled) = mount_dialog(&server);
    wait_for_doc("[data-testid=merge-duplicates] [data-contact-id='2']").await;
    click("[data-testid=merge-duplicates] [data-contact-id='2']");
    wait_for_doc("[data-testid=merge-confirm]").await;
    click("[data-testid=merge-confirm]");
    wait_for_doc("[data-testid=merge-error]").await;
    assert_eq!(
        text(&get("[data-testid=merge-error]")),
        "Could not merge: Mergee contact was changed meanwhile"
    );
    assert_eq!(done.get_untracked(), None, "nothing was merged");
    assert!(
        find("[data-testid=merge-preview]").is_some(),
        "the dialog stays"
    );
    assert!(!is_disabled("[data-testid=merge-confirm]"));

    click("[data-testid=merge-confirm]");
    wait_until("the second try", || done.get_untracked().is_some()).await;
    assert_eq!(done.get_untracked(), Some(1));
    assert_eq!(cancelled.get_untracked(), 0);
}

#[wasm_bindgen_test]
async fn without_a_conversations_count_the_conversations_are_counted() {
    let server = FakeServer::new();
    let mut stock = channel();
    stock["conversations_count"] = Value::Null;
    server.on(Method::Get, SEARCH, json(200, list(&[stock])));
    server.on(Method::Get, OTHER_NOTES, json(200, json!([note(9, 2)])));
    server.on(
        Method::Get,
        OTHER_CONVERSATIONS,
        json(200, json!({"payload": [{"id": 1, "inbox_id": 1}, {"id": 2, "inbox_id": 3}, {"id": 3, "inbox_id": 3}]})),
    );
    let (_dialog, _, _) = mount_dialog(&server);
    wait_for_doc("[data-testid=merge-duplicates] [data-contact-id='2']").await;
    click("[data-testid=merge-duplicates] [data-contact-id='2']");
    wait_until("the counted conversations", || {
        find("[data-testid=merge-moving]")
            .is_some_and(|p| text(&p).starts_with("3 conversations and 1 note"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn back_returns_to_the_picker_and_escape_cancels() {
    let server = server();
    let (_dialog, _, cancelled) = mount_dialog(&server);
    wait_for_doc("[data-testid=merge-duplicates] [data-contact-id='2']").await;
    click("[data-testid=merge-duplicates] [data-contact-id='2']");
    wait_for_doc("[data-testid=merge-back]").await;
    click("[data-testid=merge-back]");
    wait_for_doc("[data-testid=merge-picker]").await;
    assert!(find("[data-testid=merge-preview]").is_none());
    wait_until("the search to have focus again", || {
        focused() == "merge-search"
    })
    .await;
    press("Escape", false);
    sleep_ms(20).await;
    assert_eq!(cancelled.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn the_card_has_merge_with_which_opens_the_picker() {
    let contact = olena(json!({}));
    let server = card_server_with(
        &contact,
        vec![(
            Method::Get,
            SEARCH,
            json(200, list(&[olena(json!({})), legacy()])),
        )],
    );
    clear_leftover_dialogs();
    let (card, _) = mount_card(&server, &contact);
    let button = card.wait_for("[data-testid=merge-open]").await;
    assert_eq!(text(&button), "Merge with…");
    card.click("[data-testid=merge-open]");
    wait_for_doc("[data-testid=merge-dialog]").await;
    assert!(text(&get("[data-testid=merge-dialog] h2")).contains("Merge Olena Kovalenko with"));
    wait_for_doc("[data-testid=merge-duplicates] [data-contact-id='1']").await;
    assert_eq!(
        candidates("[data-testid=merge-duplicates]"),
        [("1".to_owned(), "Same phone number".to_owned())]
    );
    click("[data-testid=merge-cancel]");
    wait_until("the dialog to close", || {
        find("[data-testid=merge-dialog]").is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_labels_joined_are_the_ones_the_server_has_now() {
    let server = server();
    // A label added on the card after it was loaded, and a stock Chatwoot contact that
    // carries no labels of its own.
    server.on(
        Method::Get,
        "/api/v1/accounts/1/contacts/1/labels",
        json(200, json!({"payload": ["billing", "lead", "vip"]})),
    );
    server.on(
        Method::Get,
        "/api/v1/accounts/1/contacts/2/labels",
        json(200, json!({"payload": ["support", "wholesale"]})),
    );
    let (_dialog, _, _) = mount_dialog(&server);
    wait_for_doc("[data-testid=merge-duplicates] [data-contact-id='2']").await;
    click("[data-testid=merge-duplicates] [data-contact-id='2']");
    wait_until("the labels of both as stored", || {
        find("[data-testid=merge-labels]").is_some_and(|row| {
            text(&row).contains("lead") && text(&row).contains("gains support, wholesale")
        })
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_preview_names_a_custom_attribute_as_the_account_defined_it() {
    let server = FakeServer::new();
    let mut other = channel();
    other["custom_attributes"] = json!({"plan_tier": "gold", "legacy_flag": "y"});
    server.on(Method::Get, SEARCH, json(200, list(&[other])));
    server.on(Method::Get, OTHER_NOTES, json(200, json!([])));
    server.on(Method::Get, LEGACY_NOTES, json(200, json!([])));
    server.on(
        Method::Get,
        "/api/v1/accounts/1/custom_attribute_definitions",
        json(
            200,
            json!([{
                "id": 3, "attribute_key": "plan_tier", "attribute_display_name": "Plan",
                "attribute_display_type": "text", "attribute_model": "contact_attribute"
            }]),
        ),
    );
    let (_dialog, _, _) = mount_dialog(&server);
    wait_for_doc("[data-testid=merge-duplicates] [data-contact-id='2']").await;
    click("[data-testid=merge-duplicates] [data-contact-id='2']");
    wait_for_doc("[data-testid=merge-preview]").await;

    assert_eq!(
        field_row("custom.plan_tier"),
        ("filled".into(), "gold".into())
    );
    wait_until("the attribute's own name", || {
        text(&get("[data-field='custom.plan_tier'] th")) == "Attribute: Plan"
    })
    .await;
    assert_eq!(
        text(&get("[data-field='custom.legacy_flag'] th")),
        "Attribute: legacy_flag",
        "an attribute without a definition keeps its key"
    );
}
