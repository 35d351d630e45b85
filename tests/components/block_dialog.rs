//! The block dialog on its own, as the contact card will use it: what it previews, what
//! it refuses, what it sends, how it treats a refusal, and its keyboard behaviour.

use chrono::{DateTime, Duration as TimeDelta, Local};
use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::components::block::BlockDialog;
use novatalks_contacts::i18n::t;
use novatalks_model::block::{block_ends_at, BlockDuration};
use novatalks_model::Contact;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlElement, HtmlInputElement};

use crate::support::{demo_session, json, mount, sleep_ms, text, wait_until, FakeServer};

pub const OLENA: &str = "/api/v1/accounts/1/contacts/42";

pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Olena as the API sends her, blocked or not.
pub fn olena(blocked: bool, until: Option<i64>, reason: Option<&str>) -> Value {
    json!({
        "id": 42, "name": "Olena Kovalenko", "email": "olena@example.com",
        "phone_number": "+380501234567", "thumbnail": "",
        "blocked": blocked, "blocked_until": until, "block_reason": reason,
        "additional_attributes": {}, "custom_attributes": {},
        "labels": [], "conversations_count": 3,
        "last_activity_at": now_secs() - 300, "created_at": 1_764_400_000
    })
}

pub fn contact(value: Value) -> Contact {
    serde_json::from_value(value).expect("a contact")
}

// The dialog lives at the end of <body>, outside the mounted element: these look there.

pub fn find(selector: &str) -> Option<Element> {
    document()
        .query_selector(selector)
        .expect("a valid selector")
}

pub fn get(selector: &str) -> Element {
    find(selector).unwrap_or_else(|| panic!("no {selector} in the document"))
}

pub fn click(selector: &str) {
    get(selector).unchecked_into::<HtmlElement>().click();
}

pub fn focus(selector: &str) {
    get(selector)
        .unchecked_into::<HtmlElement>()
        .focus()
        .expect("focusable");
}

/// Types into an input or a textarea like a user: sets the value, fires `input`.
pub fn type_into(selector: &str, value: &str) {
    let field = get(selector);
    js_sys::Reflect::set(&field, &"value".into(), &value.into()).expect("set value");
    field
        .dispatch_event(&web_sys::Event::new("input").expect("an event"))
        .expect("dispatch input");
}

pub fn value_of(selector: &str) -> String {
    js_sys::Reflect::get(&get(selector), &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

pub fn is_checked(selector: &str) -> bool {
    get(selector).unchecked_into::<HtmlInputElement>().checked()
}

pub fn is_disabled(selector: &str) -> bool {
    get(selector).has_attribute("disabled")
}

/// A key pressed where the focus is, as the browser dispatches it (bubbling to window).
pub fn press(key: &str, shift: bool) {
    let target: JsValue = document()
        .active_element()
        .map(Into::into)
        .unwrap_or_else(|| document().into());
    let dispatch = js_sys::Function::new_with_args(
        "target, key, shift",
        "target.dispatchEvent(new KeyboardEvent('keydown', \
         {key, shiftKey: shift, bubbles: true, cancelable: true}))",
    );
    dispatch
        .call3(&JsValue::NULL, &target, &key.into(), &shift.into())
        .expect("dispatch keydown");
}

/// The `data-testid` of the focused element (or its tag name when it has none).
pub fn focused() -> String {
    document()
        .active_element()
        .map(|e| {
            e.get_attribute("data-testid")
                .unwrap_or_else(|| e.tag_name().to_lowercase())
        })
        .unwrap_or_default()
}

/// What the preview should say for a block chosen at `now`.
fn preview_at(duration: BlockDuration, now: &DateTime<Local>) -> String {
    let strings = t();
    match block_ends_at(duration, now).expect("a preset") {
        Some(at) => (strings.blocked_until)(&strings.format_block_preview(at, now.timestamp())),
        None => strings.blocked_forever.to_owned(),
    }
}

/// A datetime-local value as Unix seconds in the browser's zone.
fn local_epoch(input: &str) -> i64 {
    chrono::NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M")
        .expect("a datetime-local value")
        .and_local_timezone(Local)
        .earliest()
        .expect("a local time")
        .timestamp()
}

/// Fires a bubbling, cancelable event of `kind` at `target`.
pub fn dispatch(target: &Element, kind: &str) {
    let fire = js_sys::Function::new_with_args(
        "target, kind",
        "target.dispatchEvent(new Event(kind, {bubbles: true, cancelable: true}))",
    );
    fire.call2(&JsValue::NULL, target, &kind.into())
        .expect("dispatch");
}

/// A datetime-local value `delta` from now.
fn local_input(delta: TimeDelta) -> String {
    (Local::now() + delta).format("%Y-%m-%dT%H:%M").to_string()
}

struct Outcome {
    done: RwSignal<Vec<Contact>>,
    cancelled: RwSignal<u32>,
}

fn mount_dialog(server: &FakeServer) -> (crate::support::Mounted, Outcome) {
    let done = RwSignal::new(Vec::<Contact>::new());
    let cancelled = RwSignal::new(0);
    let page = mount(server, Some(demo_session()), move || {
        view! {
            <BlockDialog
                contact=contact(olena(false, None, None))
                on_done=Callback::new(move |c: Contact| done.update(|d| d.push(c)))
                on_cancel=Callback::new(move |()| cancelled.update(|n| *n += 1))
            />
        }
    });
    (page, Outcome { done, cancelled })
}

async fn open_dialog(server: &FakeServer) -> (crate::support::Mounted, Outcome) {
    let mounted = mount_dialog(server);
    wait_until("the dialog", || {
        find("[data-testid=block-dialog]").is_some()
    })
    .await;
    mounted
}

fn sent_bodies(server: &FakeServer) -> Vec<Value> {
    server
        .requests_to(OLENA)
        .iter()
        .map(|r| {
            assert_eq!(r.method, Method::Put);
            serde_json::from_str(r.body.as_deref().expect("a body")).expect("JSON")
        })
        .collect()
}

#[wasm_bindgen_test]
async fn each_preset_previews_the_end_block_ends_at_gives() {
    let server = FakeServer::new();
    let (_page, _) = open_dialog(&server).await;

    let dialog = get("[data-testid=block-dialog]");
    assert_eq!(dialog.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let title = dialog.get_attribute("aria-labelledby").expect("labelled");
    assert_eq!(text(&get(&format!("#{title}"))), "Block Olena Kovalenko");
    assert!(
        is_checked("[data-testid=block-duration-hour]"),
        "an hour is the default"
    );

    let presets = [
        ("hour", BlockDuration::Hour),
        ("tomorrow", BlockDuration::Tomorrow),
        ("next_week", BlockDuration::NextWeek),
        ("next_month", BlockDuration::NextMonth),
        ("forever", BlockDuration::Forever),
    ];
    for (key, duration) in presets {
        let before = Local::now();
        click(&format!("[data-testid=block-duration-{key}]"));
        let mut shown = String::new();
        wait_until(&format!("the preview of {key}"), || {
            shown = text(&get("[data-testid=block-preview]"));
            shown == preview_at(duration, &before) || shown == preview_at(duration, &Local::now())
        })
        .await;
        assert!(is_checked(&format!("[data-testid=block-duration-{key}]")));
        assert!(
            !is_disabled("[data-testid=block-confirm]"),
            "{key} can be confirmed"
        );
    }

    // Independently of the model: tomorrow starts at midnight of the next calendar day.
    click("[data-testid=block-duration-tomorrow]");
    let today = js_sys::Date::new_0();
    let tomorrow = js_sys::Date::new_with_year_month_day(
        today.get_full_year(),
        today.get_month() as i32,
        today.get_date() as i32 + 1,
    );
    let mut shown = String::new();
    wait_until("the preview of tomorrow", || {
        shown = text(&get("[data-testid=block-preview]"));
        shown.ends_with(", 00:00")
    })
    .await;
    assert!(shown.starts_with("Blocked until "), "{shown}");
    assert!(
        shown.contains(&format!(" {} ", tomorrow.get_date())) && shown.ends_with(", 00:00"),
        "{shown} is not midnight of day {}",
        tomorrow.get_date()
    );
    click("[data-testid=block-duration-forever]");
    wait_until("the preview of forever", || {
        text(&get("[data-testid=block-preview]")) == "Blocked forever"
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_chosen_time_in_the_past_is_refused_and_nothing_is_sent() {
    let server = FakeServer::new();
    server.on(
        Method::Put,
        OLENA,
        json(200, json!({ "payload": olena(true, None, None) })),
    );
    let (_page, outcome) = open_dialog(&server).await;

    // Tab passing through the field leaves the duration alone; typing in it chooses it.
    focus("[data-testid=block-until-input]");
    press("Tab", false);
    assert!(is_checked("[data-testid=block-duration-hour]"));
    focus("[data-testid=block-until-input]");
    press("1", false);
    wait_until("the missing-time hint", || {
        text(&get("[data-testid=block-until-error]")) == t().block_until_missing
    })
    .await;
    assert!(is_checked("[data-testid=block-duration-custom]"));
    assert!(is_disabled("[data-testid=block-confirm]"));

    type_into(
        "[data-testid=block-until-input]",
        &local_input(-TimeDelta::hours(2)),
    );
    wait_until("the refusal of a past time", || {
        text(&get("[data-testid=block-until-error]")) == t().block_until_past
    })
    .await;
    assert!(is_checked("[data-testid=block-duration-custom]"));
    assert!(is_disabled("[data-testid=block-confirm]"));
    assert_eq!(
        get("[data-testid=block-until-input]")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        text(&get("[data-testid=block-preview]")),
        "",
        "no end to preview"
    );

    // Submitting anyway (Enter in the field) sends nothing.
    dispatch(&get("[data-testid=block-dialog] form"), "submit");
    click("[data-testid=block-confirm]");
    sleep_ms(100).await;
    assert!(server.requests_to(OLENA).is_empty(), "nothing was sent");
    assert!(outcome.done.get_untracked().is_empty());

    // A time in the future is taken, and previewed as that moment.
    let later = local_input(TimeDelta::days(2));
    type_into("[data-testid=block-until-input]", &later);
    wait_until("the error to go", || {
        text(&get("[data-testid=block-until-error]")).is_empty()
    })
    .await;
    assert!(!is_disabled("[data-testid=block-confirm]"));
    let strings = t();
    assert_eq!(
        text(&get("[data-testid=block-preview]")),
        (strings.blocked_until)(&strings.format_block_preview(local_epoch(&later), now_secs())),
        "the preview reads the chosen moment"
    );
}

#[wasm_bindgen_test]
async fn confirm_sends_the_end_and_the_reason_and_reports_the_blocked_contact() {
    let server = FakeServer::new();
    let until = now_secs() + 86_400;
    server.on(
        Method::Put,
        OLENA,
        json(
            200,
            json!({ "payload": olena(true, Some(until), Some("Spam")) }),
        ),
    );
    let (_page, outcome) = open_dialog(&server).await;

    click("[data-testid=block-duration-tomorrow]");
    type_into("[data-testid=block-reason]", "  Spam  ");
    wait_until("the reason's count", || {
        text(&get("[data-testid=block-dialog]")).contains("8 / 255")
    })
    .await;
    let before = Local::now();
    click("[data-testid=block-confirm]");
    wait_until("the blocked contact", || {
        !outcome.done.get_untracked().is_empty()
    })
    .await;
    let after = Local::now();

    let bodies = sent_bodies(&server);
    assert_eq!(bodies.len(), 1);
    let body = &bodies[0];
    assert_eq!(body["blocked"], json!(true));
    assert_eq!(body["block_reason"], json!("Spam"), "trimmed");
    let sent = body["blocked_until"].as_i64().expect("an end");
    let tomorrow = |now: &DateTime<Local>| block_ends_at(BlockDuration::Tomorrow, now).unwrap();
    assert!(
        Some(sent) == tomorrow(&before) || Some(sent) == tomorrow(&after),
        "sent {sent}"
    );
    let done = outcome.done.get_untracked();
    assert_eq!(
        done[0].blocked_until,
        Some(until),
        "the server's contact is passed on"
    );
    assert_eq!(outcome.cancelled.get_untracked(), 0);
}

#[wasm_bindgen_test]
async fn a_chosen_time_and_forever_are_sent_as_such() {
    let server = FakeServer::new();
    server.on(
        Method::Put,
        OLENA,
        json(200, json!({ "payload": olena(true, None, None) })),
    );
    let (_page, outcome) = open_dialog(&server).await;

    let input = local_input(TimeDelta::days(3));
    type_into("[data-testid=block-until-input]", &input);
    click("[data-testid=block-confirm]");
    wait_until("the first block", || {
        outcome.done.get_untracked().len() == 1
    })
    .await;

    click("[data-testid=block-duration-forever]");
    click("[data-testid=block-confirm]");
    wait_until("the second block", || {
        outcome.done.get_untracked().len() == 2
    })
    .await;

    let bodies = sent_bodies(&server);
    let expected = local_epoch(&input);
    assert_eq!(
        bodies[0],
        json!({ "blocked": true, "blocked_until": expected, "block_reason": null })
    );
    assert_eq!(
        bodies[1],
        json!({ "blocked": true, "blocked_until": null, "block_reason": null })
    );
}

#[wasm_bindgen_test]
async fn a_refusal_of_the_server_shows_in_the_dialog_and_keeps_the_choices() {
    let server = FakeServer::new();
    server
        .on(
            Method::Put,
            OLENA,
            json(
                422,
                json!({ "message": "Blocked until must be in the future", "attributes": ["blocked_until"] }),
            ),
        )
        .on(Method::Put, OLENA, json(200, json!({ "payload": olena(true, None, None) })));
    let (_page, outcome) = open_dialog(&server).await;

    let input = local_input(TimeDelta::hours(5));
    type_into("[data-testid=block-until-input]", &input);
    type_into("[data-testid=block-reason]", "Abusive");
    click("[data-testid=block-confirm]");
    let error = wait_for_doc("[data-testid=block-error]").await;
    assert_eq!(
        text(&error),
        "Could not block: Blocked until must be in the future"
    );
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));

    // Nothing chosen was lost, and the agent can try again.
    assert!(find("[data-testid=block-dialog]").is_some(), "still open");
    assert!(is_checked("[data-testid=block-duration-custom]"));
    assert_eq!(value_of("[data-testid=block-until-input]"), input);
    assert_eq!(value_of("[data-testid=block-reason]"), "Abusive");
    assert!(outcome.done.get_untracked().is_empty());
    wait_until("confirm to be enabled again", || {
        !is_disabled("[data-testid=block-confirm]")
    })
    .await;

    click("[data-testid=block-confirm]");
    wait_until("the block to succeed", || {
        outcome.done.get_untracked().len() == 1
    })
    .await;
    assert_eq!(server.requests_to(OLENA).len(), 2);
}

#[wasm_bindgen_test]
async fn escape_closes_and_focus_returns_to_the_button_that_opened_it() {
    let server = FakeServer::new();
    let open = RwSignal::new(false);
    let _page = mount(&server, Some(demo_session()), move || {
        view! {
            <button data-testid="opener" on:click=move |_| open.set(true)>"Block"</button>
            <Show when=move || open.get()>
                <BlockDialog
                    contact=contact(olena(false, None, None))
                    on_done=Callback::new(move |_| open.set(false))
                    on_cancel=Callback::new(move |()| open.set(false))
                />
            </Show>
        }
    });
    focus("[data-testid=opener]");
    click("[data-testid=opener]");
    wait_until("focus to move into the dialog", || {
        focused() == "block-duration-hour"
    })
    .await;

    press("Escape", false);
    wait_until("the dialog to close", || {
        find("[data-testid=block-dialog]").is_none()
    })
    .await;
    wait_until("focus to return to the opener", || focused() == "opener").await;

    // Cancel does the same.
    click("[data-testid=opener]");
    wait_until("the dialog", || {
        find("[data-testid=block-cancel]").is_some()
    })
    .await;
    click("[data-testid=block-cancel]");
    wait_until("the dialog to close", || {
        find("[data-testid=block-dialog]").is_none()
    })
    .await;
    wait_until("focus to return to the opener", || focused() == "opener").await;
}

#[wasm_bindgen_test]
async fn tab_and_shift_tab_cycle_inside_the_dialog() {
    let server = FakeServer::new();
    let (_page, _) = open_dialog(&server).await;
    wait_until("focus on the chosen duration", || {
        focused() == "block-duration-hour"
    })
    .await;

    // The durations are one radio group: native radios, one name, each labelled, in a
    // fieldset named by its legend; Tab stops at the checked one only.
    let radios = document()
        .query_selector_all("[data-testid=block-dialog] input[type=radio]")
        .unwrap();
    assert_eq!(radios.length(), 6);
    let name = radios
        .item(0)
        .unwrap()
        .unchecked_into::<HtmlInputElement>()
        .name();
    for i in 0..radios.length() {
        let radio: HtmlInputElement = radios.item(i).unwrap().unchecked_into();
        assert_eq!(radio.name(), name);
        assert!(
            radio.closest("label").unwrap().is_some(),
            "radio {i} has a label"
        );
    }
    assert_eq!(
        text(&get("[data-testid=block-dialog] fieldset legend")),
        "Duration"
    );

    // The last stop is Block (enabled with the default duration); Tab goes round to the
    // first, Shift+Tab back.
    focus("[data-testid=block-confirm]");
    press("Tab", false);
    assert_eq!(focused(), "block-duration-hour");
    press("Tab", true);
    assert_eq!(focused(), "block-confirm");

    // With another duration chosen, that radio is the first stop.
    click("[data-testid=block-duration-next_week]");
    focus("[data-testid=block-confirm]");
    press("Tab", false);
    assert_eq!(focused(), "block-duration-next_week");

    // Focus pushed outside (a click beside the dialog, a script) comes back in.
    let outside: HtmlElement = document()
        .create_element("button")
        .unwrap()
        .unchecked_into();
    document().body().unwrap().append_child(&outside).unwrap();
    outside.focus().unwrap();
    wait_until("focus to come back", || {
        focused() == "block-duration-next_week"
    })
    .await;
    outside.remove();
}

pub async fn wait_for_doc(selector: &str) -> Element {
    let mut found = None;
    wait_until(&format!("{selector} to appear"), || {
        found = find(selector);
        found.is_some()
    })
    .await;
    found.expect("found")
}
