//! Helpers of the contact card and create-form tests: fixtures of the endpoints around a
//! contact, the card mounted, and DOM input beyond what `support` offers (selects, text
//! areas, keys with modifiers).

use leptos::prelude::*;
use novatalks_contacts::api::{HttpRequest, Method};
use novatalks_contacts::components::card::ContactCard;
use novatalks_model::Contact;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use crate::support::{demo_session, json, mount, wait_until, Answer, FakeServer, Mounted};

pub const ID: i64 = 42;
pub const CONTACT: &str = "/api/v1/accounts/1/contacts/42";
pub const DEFINITIONS: &str = "/api/v1/accounts/1/custom_attribute_definitions";
pub const ACCOUNT_LABELS: &str = "/api/v1/accounts/1/labels";
pub const CONTACT_LABELS: &str = "/api/v1/accounts/1/contacts/42/labels";
pub const CONVERSATIONS: &str = "/api/v1/accounts/1/contacts/42/conversations";
pub const NOTES: &str = "/api/v1/accounts/1/contacts/42/notes";
pub const DESTROY_ATTRIBUTES: &str = "/api/v1/accounts/1/contacts/42/destroy_custom_attributes";

/// Olena, as the server sends her, with `changes` merged in (top-level keys).
pub fn olena(changes: Value) -> Value {
    let mut contact = json!({
        "id": ID, "name": "Olena Kovalenko", "email": "olena@example.com",
        "phone_number": "+380501234567", "identifier": "crm-8812", "thumbnail": "",
        "blocked": false, "additional_attributes": {"city": "Kyiv", "company_name": "Nova"},
        "custom_attributes": {}, "labels": ["vip"], "conversations_count": 2,
        "last_activity_at": 1_764_500_000, "created_at": 1_764_400_000
    });
    if let (Some(base), Value::Object(changes)) = (contact.as_object_mut(), changes) {
        base.extend(changes);
    }
    contact
}

/// The demo account's definitions: one of each type, and a text with a pattern.
pub fn definitions() -> Value {
    let def =
        |id: i64, key: &str, name: &str, kind: &str, values: Value, pattern: Value, cue: Value| {
            json!({
                "id": id, "attribute_key": key, "attribute_display_name": name,
                "attribute_display_type": kind, "attribute_values": values,
                "attribute_model": "contact_attribute", "regex_pattern": pattern, "regex_cue": cue
            })
        };
    json!([
        def(
            1,
            "plan",
            "Plan",
            "list",
            json!(["free", "basic", "gold"]),
            Value::Null,
            Value::Null
        ),
        def(
            2,
            "order_count",
            "Orders",
            "number",
            json!([]),
            Value::Null,
            Value::Null
        ),
        def(
            3,
            "lifetime_value",
            "Lifetime value",
            "currency",
            json!([]),
            Value::Null,
            Value::Null
        ),
        def(
            4,
            "discount",
            "Discount",
            "percent",
            json!([]),
            Value::Null,
            Value::Null
        ),
        def(
            5,
            "website",
            "Website",
            "link",
            json!([]),
            Value::Null,
            Value::Null
        ),
        def(
            6,
            "renewal_date",
            "Renewal date",
            "date",
            json!([]),
            Value::Null,
            Value::Null
        ),
        def(
            7,
            "newsletter",
            "Newsletter",
            "checkbox",
            json!([]),
            Value::Null,
            Value::Null
        ),
        def(
            8,
            "tax_id",
            "Tax ID",
            "text",
            json!([]),
            json!("^[A-Z]{2}[0-9]{8,10}$"),
            json!("Two capital letters and 8 to 10 digits, e.g. UA12345678")
        ),
        def(
            9,
            "nickname",
            "Nickname",
            "text",
            json!([]),
            json!("(unclosed"),
            Value::Null
        ),
    ])
}

pub fn account_labels() -> Value {
    json!({ "payload": [
        { "id": 1, "title": "vip", "color": "#f5a623" },
        { "id": 2, "title": "billing", "color": "#1f93ff" },
        { "id": 3, "title": "lead", "color": "#9b51e0" },
        { "id": 4, "title": "service-vip", "color": "#00b5ad" }
    ]})
}

/// A server with every endpoint the card reads, answering for Olena with `contact`.
pub fn card_server(contact: &Value) -> FakeServer {
    card_server_with(contact, Vec::new())
}

/// The same, with some endpoints answering otherwise (registered first: a fake server
/// answers from the front of a route's queue).
pub fn card_server_with(contact: &Value, overrides: Vec<(Method, &str, Answer)>) -> FakeServer {
    let server = FakeServer::new();
    let overridden: Vec<(Method, String)> = overrides
        .iter()
        .map(|(m, p, _)| (*m, p.to_string()))
        .collect();
    for (method, path, answer) in overrides {
        server.on(method, path, answer);
    }
    let defaults = [
        (
            Method::Get,
            CONTACT,
            json(200, json!({ "payload": contact })),
        ),
        (Method::Get, DEFINITIONS, json(200, definitions())),
        (Method::Get, ACCOUNT_LABELS, json(200, account_labels())),
        (
            Method::Get,
            CONTACT_LABELS,
            json(200, json!({ "payload": contact["labels"] })),
        ),
        (
            Method::Get,
            CONVERSATIONS,
            json(200, json!({ "payload": [] })),
        ),
        (Method::Get, NOTES, json(200, json!([]))),
    ];
    for (method, path, answer) in defaults {
        if !overridden.iter().any(|(m, p)| *m == method && p == path) {
            server.on(method, path, answer);
        }
    }
    server
}

/// The card of `contact`, mounted; `deleted` counts the times the card said it was deleted.
pub fn mount_card(server: &FakeServer, contact: &Value) -> (Mounted, RwSignal<u32>) {
    let contact: Contact = serde_json::from_value(contact.clone()).expect("a contact");
    let deleted = RwSignal::new(0u32);
    let card = mount(server, Some(demo_session()), move || {
        let on_deleted = Callback::new(move |()| deleted.update(|n| *n += 1));
        view! { <ContactCard contact on_deleted /> }
    });
    (card, deleted)
}

/// The JSON body of a request.
pub fn body(request: &HttpRequest) -> Value {
    serde_json::from_str(request.body.as_deref().expect("a body")).expect("a JSON body")
}

/// The requests of one method to one path.
pub fn requests(server: &FakeServer, method: Method, path: &str) -> Vec<HttpRequest> {
    server
        .requests_to(path)
        .into_iter()
        .filter(|r| r.method == method)
        .collect()
}

/// Waits until `count` requests of `method` went to `path`; returns them.
pub async fn wait_for_requests(
    server: &FakeServer,
    method: Method,
    path: &str,
    count: usize,
) -> Vec<HttpRequest> {
    wait_until(&format!("{count} {method:?} {path}"), || {
        requests(server, method, path).len() >= count
    })
    .await;
    requests(server, method, path)
}

/// Sets the value of an input, select or text area as a user would, then fires `input`
/// and `change`.
pub fn set_value(element: &Element, value: &str) {
    js_sys::Reflect::set(
        element,
        &JsValue::from_str("value"),
        &JsValue::from_str(value),
    )
    .expect("set value");
    for kind in ["input", "change"] {
        fire(element, "Event", kind, &[]);
    }
}

/// A key pressed on `element`: `Enter`, `Escape`, `ArrowDown`…, with Ctrl if asked.
pub fn press(element: &Element, key: &str, ctrl: bool) {
    fire(
        element,
        "KeyboardEvent",
        "keydown",
        &[
            ("key", JsValue::from_str(key)),
            ("ctrlKey", JsValue::from_bool(ctrl)),
        ],
    );
}

/// Dispatches a new `constructor` event (bubbling, cancelable) with these properties.
fn fire(element: &Element, constructor: &str, kind: &str, properties: &[(&str, JsValue)]) {
    let init = js_sys::Object::new();
    let defaults = [("bubbles", JsValue::TRUE), ("cancelable", JsValue::TRUE)];
    for (name, value) in defaults.iter().chain(properties) {
        js_sys::Reflect::set(&init, &JsValue::from_str(name), value).expect("set");
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

/// Clicks an element found inside another one.
pub fn click_in(scope: &Element, selector: &str) {
    scope
        .query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("no {selector} in {}", scope.inner_html()))
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

/// The element matching `selector` inside `scope`.
pub fn find_in(scope: &Element, selector: &str) -> Option<Element> {
    scope.query_selector(selector).expect("a valid selector")
}

/// Opens the editor of a field (`email`, `phone`…), types, presses Enter.
pub async fn edit_field(card: &Mounted, field: &str, value: &str) {
    card.click(&format!("[data-testid=edit-{field}]"));
    let input = card
        .wait_for(&format!("[data-testid=card-{field}-input]"))
        .await;
    set_value(&input, value);
    press(&input, "Enter", false);
}

/// The server refuses the card's next edit: the email belongs to Ann Smith (#7), whose
/// contact it then shows.
pub fn refuse_email_taken_by_ann(server: &FakeServer) {
    server
        .on(
            Method::Patch,
            CONTACT,
            json(422, json!({
                "message": "Email has already been taken", "attributes": ["email"], "conflict_contact_id": 7
            })),
        )
        .on(
            Method::Get,
            "/api/v1/accounts/1/contacts/7",
            json(200, json!({"payload": {"id": 7, "name": "Ann Smith", "email": "ann@example.com"}})),
        );
}
