//! Helpers of the filter tests: the account's custom attribute definitions, choosing in a
//! `<select>`, reading a row, and a recorder for callbacks.

use std::sync::{Arc, Mutex};

use novatalks_contacts::components::filter::Catalog;
use novatalks_model::CustomAttributeDefinition;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, HtmlInputElement};

use crate::support::{sleep_ms, Mounted};

pub const FILTER: &str = "/api/v1/accounts/1/contacts/filter";
pub const SEGMENTS: &str = "/api/v1/accounts/1/custom_filters";

/// The demo account's definitions, as the API sends them.
pub fn definitions_json() -> Value {
    let def = |id: i64, key: &str, name: &str, kind: &str, values: &[&str]| {
        json!({
            "id": id, "attribute_key": key, "attribute_display_name": name,
            "attribute_display_type": kind, "attribute_values": values,
            "attribute_model": "contact_attribute", "regex_pattern": null
        })
    };
    json!([
        def(
            1,
            "plan",
            "Plan",
            "list",
            &["free", "basic", "gold", "platinum"]
        ),
        def(2, "order_count", "Orders", "number", &[]),
        def(3, "lifetime_value", "Lifetime value", "currency", &[]),
        def(4, "discount", "Discount", "percent", &[]),
        def(5, "website", "Website", "link", &[]),
        def(6, "renewal_date", "Renewal date", "date", &[]),
        def(7, "newsletter", "Newsletter", "checkbox", &[]),
        def(8, "account_manager", "Account manager", "text", &[]),
    ])
}

pub fn catalog() -> Catalog {
    let definitions: Vec<CustomAttributeDefinition> =
        serde_json::from_value(definitions_json()).expect("definitions");
    Catalog::new(definitions)
}

pub fn label_titles() -> Vec<String> {
    ["vip", "billing", "lead"].map(String::from).to_vec()
}

/// What a callback was called with, in order.
#[derive(Clone)]
pub struct Calls<T>(Arc<Mutex<Vec<T>>>);

impl<T> Default for Calls<T> {
    fn default() -> Self {
        Calls(Arc::new(Mutex::new(Vec::new())))
    }
}

impl<T: Clone> Calls<T> {
    pub fn record(&self, value: T) {
        self.0.lock().expect("lock").push(value);
    }

    pub fn all(&self) -> Vec<T> {
        self.0.lock().expect("lock").clone()
    }

    pub fn last(&self) -> Option<T> {
        self.all().pop()
    }

    pub fn count(&self) -> usize {
        self.0.lock().expect("lock").len()
    }
}

/// A part of the row at `index`: `row_part(1, "filter-operator")`.
pub fn row_part(index: usize, part: &str) -> String {
    format!("[data-testid=filter-row][data-index=\"{index}\"] [data-testid={part}]")
}

/// Chooses `value` in the `<select>` matched by `selector`, as a user does (fires `change`).
pub fn choose(page: &Mounted, selector: &str, value: &str) {
    let select = page.get(selector);
    let options: Vec<String> = options_of(&select);
    assert!(
        options.iter().any(|o| o == value),
        "{value} is not among the options {options:?} of {selector}"
    );
    js_sys::Reflect::set(
        &select,
        &JsValue::from_str("value"),
        &JsValue::from_str(value),
    )
    .expect("set value");
    fire(&select, "change");
}

/// Dispatches a bubbling event of `kind` on `target`, as the browser does after a user's edit.
pub fn fire(target: &Element, kind: &str) {
    let dispatch = js_sys::Function::new_with_args(
        "target, kind",
        "target.dispatchEvent(new Event(kind, { bubbles: true }));",
    );
    dispatch
        .call2(&JsValue::NULL, target, &JsValue::from_str(kind))
        .expect("dispatch");
}

/// The values of a `<select>`'s options, in order.
pub fn options_of(select: &Element) -> Vec<String> {
    let list = select.query_selector_all("option").expect("options");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| {
            node.unchecked_into::<Element>()
                .get_attribute("value")
                .unwrap_or_default()
        })
        .collect()
}

/// The value a `<select>` (or an input) holds.
pub fn current_value(page: &Mounted, selector: &str) -> String {
    js_sys::Reflect::get(&page.get(selector), &JsValue::from_str("value"))
        .expect("value")
        .as_string()
        .unwrap_or_default()
}

/// The texts of a `<select>`'s options.
pub fn option_texts(page: &Mounted, selector: &str) -> Vec<String> {
    let select = page.get(selector);
    let list = select.query_selector_all("option").expect("options");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

/// Ticks the checkbox of `value` in the choices of row `index`.
pub fn tick(page: &Mounted, index: usize, value: &str) {
    page.get(&format!(
        "{} input[type=checkbox][data-value=\"{value}\"]",
        row_part(index, "filter-value")
    ))
    .unchecked_into::<HtmlElement>()
    .click();
}

/// The `type` of the value input of row `index`, `group` for checkboxes, `select` for a
/// yes/no, `none` when the row has no value editor.
pub fn editor_of(page: &Mounted, index: usize) -> String {
    match page.find(&row_part(index, "filter-value")) {
        None => "none".into(),
        Some(element) => match element.tag_name().as_str() {
            "INPUT" => element.unchecked_into::<HtmlInputElement>().type_(),
            "SELECT" => "select".into(),
            _ => element.get_attribute("role").unwrap_or_default(),
        },
    }
}

/// Lets effects and the DOM catch up.
pub async fn settle() {
    sleep_ms(30).await;
}

/// The agent's IANA time zone, as the browser says (`Intl`).
pub fn browser_time_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &JsValue::from_str("timeZone"))
        .ok()
        .and_then(|zone| zone.as_string())
        .expect("the browser names its time zone")
}

/// A time zone that is not the browser's, for conditions saved somewhere else.
pub fn elsewhere() -> &'static str {
    match browser_time_zone().as_str() {
        "Pacific/Kiritimati" => "America/Havana",
        _ => "Pacific/Kiritimati",
    }
}

/// Types `value` into the input matched by `selector` (any type: text, number, date).
pub fn enter(page: &Mounted, selector: &str, value: &str) {
    let input = page.get(selector);
    js_sys::Reflect::set(
        &input,
        &JsValue::from_str("value"),
        &JsValue::from_str(value),
    )
    .expect("set value");
    fire(&input, "input");
}
