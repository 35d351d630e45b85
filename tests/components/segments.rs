//! Saved segments: saving the filter under a name (checked before sending), the list in
//! the sidebar, opening, renaming and deleting.

use leptos::prelude::*;
use novatalks_contacts::api::Method;
use novatalks_contacts::components::filter::{SegmentList, SegmentSave};
use novatalks_model::filter::{CustomFilter, FilterCondition};
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

use crate::filter_support::{enter, settle, Calls, SEGMENTS};
use crate::list_support::active_element;
use crate::support::{demo_session, json, mount, text, wait_until, FakeServer};

fn vip() -> Vec<FilterCondition> {
    serde_json::from_value(json!([
        {"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":"and"},
        {"attribute_key":"blocked","filter_operator":"equal_to","values":[true],"query_operator":null}
    ]))
    .unwrap()
}

fn segment(id: i64, name: &str, payload: Value) -> Value {
    json!({"id": id, "name": name, "filter_type": "contact", "query": {"payload": payload},
           "created_at": 1_764_400_000, "updated_at": 1_764_400_000})
}

fn body(request: &novatalks_contacts::api::HttpRequest) -> Value {
    serde_json::from_str(request.body.as_deref().expect("a body")).expect("JSON")
}

#[wasm_bindgen_test]
async fn a_filter_is_saved_under_a_name_checked_before_sending() {
    let server = FakeServer::new();
    server
        .on(
            Method::Post,
            SEGMENTS,
            json(
                422,
                json!({"message": "Name has already been taken", "attributes": ["name"]}),
            ),
        )
        .on(
            Method::Post,
            SEGMENTS,
            json(
                200,
                segment(7, "VIP blocked", serde_json::to_value(vip()).unwrap()),
            ),
        );
    let saved: Calls<CustomFilter> = Calls::default();
    let s = saved.clone();
    let page = mount(&server, Some(demo_session()), move || {
        view! {
            <SegmentSave
                filter=Signal::stored(vip())
                on_saved=Callback::new(move |segment| s.record(segment))
            />
        }
    });
    page.wait_for("[data-testid=segment-save]").await;
    page.click("[data-testid=segment-save]");
    page.wait_for("[data-testid=segment-name]").await;
    wait_until("the name box to have the focus", || {
        active_element()
            .and_then(|e| e.get_attribute("data-testid"))
            .as_deref()
            == Some("segment-name")
    })
    .await;

    enter(&page, "[data-testid=segment-name]", "   ");
    page.click("[data-testid=segment-save-submit]");
    let error = page.wait_for("[data-testid=segment-save-error]").await;
    assert_eq!(text(&error), "Name can't be blank");
    assert!(server.requests_to(SEGMENTS).is_empty(), "nothing is sent");

    enter(&page, "[data-testid=segment-name]", "  VIP blocked ");
    page.click("[data-testid=segment-save-submit]");
    wait_until("the server's refusal", || {
        page.find("[data-testid=segment-save-error]")
            .is_some_and(|e| text(&e).contains("already been taken"))
    })
    .await;
    assert_eq!(
        text(&page.get("[data-testid=segment-save-error]")),
        "Could not save the segment: Name has already been taken"
    );

    page.click("[data-testid=segment-save-submit]");
    wait_until("the segment to be saved", || saved.count() == 1).await;
    let requests = server.requests_to(SEGMENTS);
    assert_eq!(requests.len(), 2);
    assert_eq!(
        body(&requests[1]),
        json!({"custom_filter": {"name": "VIP blocked", "filter_type": "contact",
               "query": {"payload": serde_json::to_value(vip()).unwrap()}}})
    );
    assert_eq!(saved.last().unwrap().id, 7);
    wait_until("the form to close", || {
        page.find("[data-testid=segment-name]").is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn segments_are_listed_opened_renamed_and_deleted() {
    let server = FakeServer::new();
    let payload = serde_json::to_value(vip()).unwrap();
    let other = json!([{"attribute_key":"name","filter_operator":"is_present","values":[],"query_operator":null}]);
    server
        .on(
            Method::Get,
            SEGMENTS,
            json(
                200,
                json!([
                    segment(1, "VIP blocked", payload.clone()),
                    segment(2, "Named", other.clone())
                ]),
            ),
        )
        .on(
            Method::Get,
            SEGMENTS,
            json(
                200,
                json!([
                    segment(1, "VIP blocked", payload.clone()),
                    segment(2, "With a name", other.clone())
                ]),
            ),
        )
        .on(
            Method::Get,
            SEGMENTS,
            json(200, json!([segment(1, "VIP blocked", payload.clone())])),
        )
        .on(
            Method::Patch,
            &format!("{SEGMENTS}/2"),
            json(200, segment(2, "With a name", other.clone())),
        )
        .on(
            Method::Delete,
            &format!("{SEGMENTS}/2"),
            json(200, json!(null)),
        );
    let opened: Calls<CustomFilter> = Calls::default();
    let o = opened.clone();
    let page = mount(&server, Some(demo_session()), move || {
        view! {
            <SegmentList
                refresh=Signal::stored(0u32)
                active=Signal::stored(vip())
                on_open=Callback::new(move |segment| o.record(segment))
            />
        }
    });
    page.wait_for("[data-testid=segment-item]").await;
    let items = || -> Vec<String> {
        page.all("[data-testid=segment-item] .label-sidebar__title")
            .iter()
            .map(text)
            .collect()
    };
    assert_eq!(items(), ["VIP blocked", "Named"]);
    let first = page.get("[data-testid=segment-item]");
    assert_eq!(
        first.get_attribute("aria-current").as_deref(),
        Some("true"),
        "its filter is in force"
    );
    assert_eq!(
        page.all("[data-testid=segment-item]")[1].get_attribute("aria-current"),
        None
    );
    let list_request = &server.requests_to(SEGMENTS)[0];
    assert!(list_request
        .path_and_query
        .ends_with("?filter_type=contact"));

    page.all("[data-testid=segment-item]")[1]
        .unchecked_ref::<HtmlElement>()
        .click();
    wait_until("the segment to open", || opened.count() == 1).await;
    assert_eq!(opened.last().unwrap().name, "Named");

    // Rename in place.
    page.all("[data-testid=segment-rename]")[1]
        .unchecked_ref::<HtmlElement>()
        .click();
    page.wait_for("[data-testid=segment-name]").await;
    assert_eq!(
        crate::filter_support::current_value(&page, "[data-testid=segment-name]"),
        "Named"
    );
    enter(&page, "[data-testid=segment-name]", "With a name");
    page.click("[data-testid=segment-rename-submit]");
    wait_until("the new name", || {
        items().contains(&"With a name".to_owned())
    })
    .await;
    let patch = &server.requests_to(&format!("{SEGMENTS}/2"))[0];
    assert_eq!(patch.method, Method::Patch);
    assert_eq!(
        body(patch),
        json!({"custom_filter": {"name": "With a name"}})
    );

    // Delete, after a confirmation.
    page.all("[data-testid=segment-delete]")[1]
        .unchecked_ref::<HtmlElement>()
        .click();
    page.wait_for("[data-testid=segment-delete-confirm]").await;
    settle().await;
    assert!(
        server.requests().iter().all(|r| r.method != Method::Delete),
        "not before the confirmation"
    );
    page.click("[data-testid=segment-delete-confirm]");
    wait_until("the delete", || {
        server
            .requests()
            .iter()
            .any(|r| r.method == Method::Delete && r.path() == format!("{SEGMENTS}/2"))
    })
    .await;
    wait_until("one segment left", || page.all("li.segment").len() == 1).await;
    assert_eq!(items(), ["VIP blocked"]);
}
