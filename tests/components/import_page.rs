//! The import page: a file dropped or picked is read in the browser (a Ukrainian Excel
//! CSV in Windows-1251 with `;`), its columns proposed and changed, the dry run and the
//! run sent as multipart with the mapping chosen, refused rows named, the undo, a
//! workbook or a clashing mapping stopped before anything is sent, and an import that
//! goes on while the agent is elsewhere.

use leptos::prelude::*;
use leptos_router::components::Router;
use novatalks_contacts::api::{FormValue, HttpRequest, Method};
use novatalks_contacts::pages::ImportContactsPage;
use novatalks_contacts::state::Imports;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::Element;

use crate::card_support::set_value;
use crate::support::{demo_session, json, mount, sleep_ms, text, wait_until, FakeServer, Mounted};

const ACCOUNT: &str = "/api/v1/accounts/1";

fn import_path() -> String {
    format!("{ACCOUNT}/contacts/import")
}

/// "Ім'я;Телефон;Мітки;Тариф;Примітка" and two rows, as Excel saves CSV in a Ukrainian
/// locale: Windows-1251, `;`, CRLF.
fn excel_file() -> Vec<u8> {
    let text = "Ім'я;Телефон;Мітки;Тариф;Примітка\r\n\
                Олена;050 123 45 67;vip;Gold;дзвонити зранку\r\n\
                Іван;not a phone;;Silver;\r\n";
    text.chars()
        .map(|c| match c {
            'А'..='я' => (c as u32 - 'А' as u32 + 0xC0) as u8,
            'і' => 0xB3,
            'І' => 0xB2,
            'ї' => 0xBF,
            other => other as u8,
        })
        .collect()
}

fn report(dry_run: bool, id: Option<i64>) -> Value {
    json!({
        "id": id, "dry_run": dry_run, "rows": 2, "created": 1, "updated": 0, "skipped": 0,
        "failed": 1,
        "problems": [{"line": 3, "column": "Телефон",
                      "message": "line 3: 'not a phone' is no phone number"}],
        "encoding": "windows1251", "delimiter": ";",
        "mapping": [], "new_attributes": ["column_5"], "new_labels": ["vip"],
        "undo_until": if dry_run { Value::Null } else { json!(1_900_000_000) },
    })
}

fn serve_page(server: &FakeServer) {
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/custom_attribute_definitions"),
        json(
            200,
            json!([{"id": 4, "attribute_key": "plan", "attribute_display_name": "Тариф",
                    "attribute_display_type": "text", "attribute_model": "contact_attribute"}]),
        ),
    );
    server.on(
        Method::Get,
        &format!("{ACCOUNT}/contacts/imports"),
        json(200, json!({"payload": []})),
    );
}

fn open(server: &FakeServer, imports: Imports) -> Mounted {
    mount(server, Some(demo_session()), move || {
        provide_context(imports);
        view! { <Router><ImportContactsPage /></Router> }
    })
}

/// A `File` of `bytes`, and a `DataTransfer` holding it.
fn data_transfer(name: &str, bytes: &[u8]) -> JsValue {
    let global = js_sys::global();
    let construct = |name: &str, args: &js_sys::Array| {
        let constructor: js_sys::Function = js_sys::Reflect::get(&global, &JsValue::from_str(name))
            .expect("a constructor")
            .unchecked_into();
        js_sys::Reflect::construct(&constructor, args).expect("constructed")
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let file = construct(
        "File",
        &js_sys::Array::of2(&parts, &JsValue::from_str(name)),
    );
    let transfer = construct("DataTransfer", &js_sys::Array::new());
    let items = js_sys::Reflect::get(&transfer, &JsValue::from_str("items")).expect("items");
    let add: js_sys::Function = js_sys::Reflect::get(&items, &JsValue::from_str("add"))
        .expect("add")
        .unchecked_into();
    add.call1(&items, &file).expect("added");
    transfer
}

fn dispatch(element: &Element, constructor: &str, kind: &str, extra: Option<(&str, JsValue)>) {
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"bubbles".into(), &JsValue::TRUE).expect("set");
    js_sys::Reflect::set(&init, &"cancelable".into(), &JsValue::TRUE).expect("set");
    if let Some((name, value)) = extra {
        js_sys::Reflect::set(&init, &JsValue::from_str(name), &value).expect("set");
    }
    let constructor: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(constructor))
            .expect("an event constructor")
            .unchecked_into();
    let event = js_sys::Reflect::construct(
        &constructor,
        &js_sys::Array::of2(&JsValue::from_str(kind), &init),
    )
    .expect("an event");
    element
        .dispatch_event(event.unchecked_ref())
        .expect("dispatch");
}

/// Drops a file on the page's drop zone.
fn drop_file(page: &Mounted, name: &str, bytes: &[u8]) {
    let zone = page.get("[data-testid=import-drop]");
    dispatch(
        &zone,
        "DragEvent",
        "drop",
        Some(("dataTransfer", data_transfer(name, bytes))),
    );
}

/// Picks a file with the file input.
fn pick_file(page: &Mounted, name: &str, bytes: &[u8]) {
    let input = page.get("[data-testid=import-file]");
    let files = js_sys::Reflect::get(&data_transfer(name, bytes), &"files".into()).expect("files");
    js_sys::Reflect::set(&input, &"files".into(), &files).expect("set files");
    dispatch(&input, "Event", "change", None);
}

fn targets(page: &Mounted) -> Vec<String> {
    page.all("[data-testid=import-target]")
        .iter()
        .map(|select| {
            js_sys::Reflect::get(select, &"value".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        })
        .collect()
}

fn posts(server: &FakeServer) -> Vec<HttpRequest> {
    server
        .requests_to(&import_path())
        .into_iter()
        .filter(|r| r.method == Method::Post)
        .collect()
}

async fn wait_for_posts(server: &FakeServer, count: usize) -> Vec<HttpRequest> {
    wait_until(&format!("{count} import requests"), || {
        posts(server).len() >= count
    })
    .await;
    posts(server)
}

async fn wait_for_columns(page: &Mounted, count: usize) {
    wait_until("the columns", || {
        page.all("[data-testid=import-column]").len() == count
    })
    .await;
    // The options of each select come with the account's definitions.
    wait_until("the attribute choices", || {
        page.all("[data-testid=import-target] option[value='attribute:plan']")
            .len()
            == count
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_dropped_excel_file_is_mapped_checked_imported_and_undone() {
    let server = FakeServer::new();
    serve_page(&server);
    server
        .on(Method::Post, &import_path(), json(200, report(true, None)))
        .on(
            Method::Post,
            &import_path(),
            json(200, report(false, Some(7))),
        );
    server.on(
        Method::Delete,
        &format!("{ACCOUNT}/contacts/imports/7"),
        json(
            200,
            json!({"id": 7, "deleted": 1, "restored": 0, "left": [], "left_count": 0}),
        ),
    );
    let page = open(&server, Imports::new());
    page.wait_for("[data-testid=import-drop]").await;
    // Definitions first, so that "Тариф" is known as the account's attribute.
    wait_until("the definitions", || {
        !server
            .requests_to(&format!("{ACCOUNT}/custom_attribute_definitions"))
            .is_empty()
    })
    .await;
    sleep_ms(20).await;

    let bytes = excel_file();
    drop_file(&page, "clients.csv", &bytes);
    wait_for_columns(&page, 5).await;
    assert_eq!(
        page.text("[data-testid=import-file-read]")
            .trim_end_matches("Choose another file")
            .trim(),
        "clients.csv: Windows-1251, columns separated by semicolons"
    );
    let headers: Vec<String> = page
        .all(".import-mapping__header")
        .iter()
        .map(text)
        .collect();
    assert_eq!(headers, ["Ім'я", "Телефон", "Мітки", "Тариф", "Примітка"]);
    assert_eq!(
        targets(&page),
        ["name", "phone", "labels", "attribute:plan", "new:column_5"]
    );
    assert!(page
        .text("[data-testid=import-column]:nth-child(2)")
        .contains("050 123 45 67"));

    // The agent would rather not keep the note.
    let note = page.all("[data-testid=import-target]")[4].clone();
    set_value(&note, "ignore");
    wait_until("the note ignored", || targets(&page)[4] == "ignore").await;

    page.click("[data-testid=import-on-match-skip]");
    page.click("[data-testid=import-check]");
    let sent = wait_for_posts(&server, 1).await;
    let check = &sent[0];
    assert_eq!(check.form_text("dry_run"), Some("true"));
    assert_eq!(check.form_text("on_match"), Some("skip"));
    let mapping: Value =
        serde_json::from_str(check.form_text("mapping").expect("a mapping")).expect("JSON");
    assert_eq!(
        mapping,
        json!([
            {"column": 0, "target": "name"}, {"column": 1, "target": "phone"},
            {"column": 2, "target": "labels"},
            {"column": 3, "target": "custom_attribute", "key": "plan"},
            {"column": 4, "target": "ignore"}
        ])
    );
    let file = check
        .form
        .as_ref()
        .and_then(|parts| parts.iter().find(|p| p.name == "import_file"))
        .expect("the file");
    match &file.value {
        FormValue::File {
            file_name,
            bytes: sent,
        } => {
            assert_eq!(file_name, "clients.csv");
            assert_eq!(
                &sent[..],
                &bytes[..],
                "the file goes as it is, for the server to decode"
            );
        }
        FormValue::Text(_) => panic!("the file was sent as text"),
    }

    page.wait_for("[data-testid=import-checked]").await;
    assert_eq!(
        page.text("[data-testid=import-checked] [data-testid=import-created]"),
        "1 contact to create"
    );
    assert_eq!(
        page.text("[data-testid=import-checked] [data-testid=import-failed]"),
        "1 row refused"
    );
    assert_eq!(
        page.text("[data-testid=import-problem]"),
        "line 3: 'not a phone' is no phone number"
    );
    assert_eq!(page.text("[data-testid=import-run]"), "Import 1 contact");

    page.click("[data-testid=import-run]");
    let sent = wait_for_posts(&server, 2).await;
    assert_eq!(sent[1].form_text("dry_run"), Some("false"));
    assert_eq!(sent[1].form_text("mapping"), check.form_text("mapping"));
    page.wait_for("[data-testid=import-done]").await;
    assert_eq!(
        page.text("[data-testid=import-done] [data-testid=import-created]"),
        "1 contact created"
    );
    assert!(page
        .find("[data-testid=import-done] [data-testid=import-refused]")
        .is_some());
    // The earlier imports are asked for again, now that there is one more.
    wait_until("the list reloaded", || {
        server
            .requests_to(&format!("{ACCOUNT}/contacts/imports"))
            .len()
            >= 2
    })
    .await;

    page.click("[data-testid=import-done] [data-testid=import-undo]");
    page.wait_for("[data-testid=import-undone]").await;
    assert!(page
        .text("[data-testid=import-undone]")
        .starts_with("Undone: 1 created contact deleted"));
}

#[wasm_bindgen_test]
async fn a_workbook_or_a_clashing_mapping_is_stopped_before_anything_is_sent() {
    let server = FakeServer::new();
    serve_page(&server);
    server.on(Method::Post, &import_path(), json(200, report(true, None)));
    let page = open(&server, Imports::new());
    page.wait_for("[data-testid=import-file]").await;

    pick_file(&page, "clients.xlsx", b"PK\x03\x04 a zipped workbook");
    page.wait_for("[data-testid=import-file-problem]").await;
    assert!(page
        .text("[data-testid=import-file-problem]")
        .starts_with("This is a spreadsheet workbook, not CSV"));

    pick_file(
        &page,
        "clients.csv",
        b"Phone,Mobile\n0501234567,0671234567\n",
    );
    wait_for_columns(&page, 2).await;
    let mobile = page.all("[data-testid=import-target]")[1].clone();
    set_value(&mobile, "phone");
    page.wait_for("[data-testid=import-mapping-problem]").await;
    assert_eq!(
        page.text("[data-testid=import-mapping-problem]"),
        "“Phone” and “Mobile” both fill phone: choose one of them"
    );
    page.click("[data-testid=import-check]");
    sleep_ms(50).await;
    assert!(
        posts(&server).is_empty(),
        "nothing is sent while the mapping clashes"
    );
}

#[wasm_bindgen_test]
async fn an_import_goes_on_while_the_agent_is_elsewhere_and_is_there_on_return() {
    let server = FakeServer::new();
    serve_page(&server);
    server
        .on(Method::Post, &import_path(), json(200, report(true, None)))
        .on(
            Method::Post,
            &import_path(),
            json(200, report(false, Some(9))),
        );
    // The app's state, which outlives the page.
    let owner = Owner::new();
    let imports = owner.with(Imports::new);
    let page = open(&server, imports);
    page.wait_for("[data-testid=import-file]").await;
    pick_file(
        &page,
        "clients.csv",
        b"Name,Email\nOlena,olena@example.com\n",
    );
    wait_for_columns(&page, 2).await;
    page.click("[data-testid=import-check]");
    page.wait_for("[data-testid=import-run]").await;

    server.delay(300);
    page.click("[data-testid=import-run]");
    page.wait_for("[data-testid=import-progress]").await;
    assert!(page
        .text("[data-testid=import-progress]")
        .starts_with("Importing 2 rows of clients.csv"));
    drop(page);

    sleep_ms(400).await;
    server.delay(0);
    let page = open(&server, imports);
    page.wait_for("[data-testid=import-done]").await;
    assert_eq!(
        page.text("[data-testid=import-done] [data-testid=import-created]"),
        "1 contact created"
    );
    assert_eq!(posts(&server).len(), 2, "the import was sent once");
}
