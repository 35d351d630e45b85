//! The chips of the filter in force: their sentences and joins, a click that opens the
//! builder on the condition, a × that removes it; and the empty list that names them.

use leptos::prelude::*;
use novatalks_contacts::components::filter::{FilterChips, FilterEmpty};
use novatalks_model::filter::FilterCondition;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

use crate::filter_support::{browser_time_zone, catalog, elsewhere, settle, Calls};
use crate::support::{demo_session, mount, text, wait_until, FakeServer, Mounted};

fn cond(key: &str, op: &str, values: Value, join: Option<&str>) -> FilterCondition {
    FilterCondition {
        attribute_key: key.into(),
        filter_operator: op.into(),
        values: serde_json::from_value(values).unwrap(),
        query_operator: join.map(str::to_owned),
        custom_attribute_type: None,
    }
}

fn this_year() -> i32 {
    js_sys::Date::new_0().get_full_year() as i32
}

fn chip_texts(page: &Mounted) -> Vec<String> {
    page.all("[data-testid=filter-chip]")
        .iter()
        .map(text)
        .collect()
}

struct Chips {
    page: Mounted,
    filter: RwSignal<Vec<FilterCondition>>,
    edited: Calls<usize>,
    removed: Calls<usize>,
    cleared: Calls<()>,
    _server: FakeServer,
}

fn mount_chips(conditions: Vec<FilterCondition>) -> Chips {
    let server = FakeServer::new();
    let (edited, removed, cleared) = (Calls::default(), Calls::default(), Calls::default());
    let (e, r, c) = (edited.clone(), removed.clone(), cleared.clone());
    let filter = RwSignal::new(conditions);
    let page = mount(&server, Some(demo_session()), move || {
        let catalog = Signal::stored(catalog());
        view! {
            <FilterChips
                filter
                catalog
                on_edit=Callback::new(move |i| e.record(i))
                on_remove=Callback::new(move |i| {
                    r.record(i);
                    filter.update(|f| {
                        f.remove(i);
                    });
                })
                on_clear=Callback::new(move |()| c.record(()))
            />
        }
    });
    Chips {
        page,
        filter,
        edited,
        removed,
        cleared,
        _server: server,
    }
}

#[wasm_bindgen_test]
async fn chips_read_as_sentences_joined_as_the_filter_is() {
    let year = this_year();
    // Days in the agent's own zone: the zone goes without saying.
    let here = browser_time_zone();
    let chips = mount_chips(vec![
        cond(
            "last_activity_at",
            "is_less_than",
            json!([format!("{year}-11-01"), here]),
            Some("and"),
        ),
        cond("labels", "equal_to", json!(["vip", "billing"]), Some("or")),
        cond("blocked", "equal_to", json!([true]), Some("and")),
        cond("plan", "not_equal_to", json!(["free"]), Some("and")),
        cond("created_at", "days_before", json!([30, here]), Some("and")),
        cond("name", "contains", json!(["ole"]), Some("and")),
        cond("email", "is_not_present", json!([]), Some("and")),
        cond(
            "created_at",
            "is_greater_than",
            json!(["2019-03-09", here]),
            None,
        ),
    ]);
    let page = &chips.page;
    page.wait_for("[data-testid=filter-chip]").await;
    assert_eq!(
        chip_texts(page),
        [
            "Last activity before 1 Nov",
            "Label is vip or billing",
            "Blocked is true",
            "Plan is not free",
            "Created more than 30 days ago",
            "Name contains “ole”",
            "Email is not set",
            "Created after 9 Mar 2019",
        ]
    );
    let joins: Vec<String> = page.all(".filter-chips__join").iter().map(text).collect();
    assert_eq!(joins, ["AND", "OR", "AND", "AND", "AND", "AND", "AND"]);
    let first = page.get("[data-testid=filter-chip]");
    assert_eq!(
        first.get_attribute("aria-label").as_deref(),
        Some("Edit condition: Last activity before 1 Nov")
    );
    assert_eq!(
        page.get("[data-testid=filter-chip-remove]")
            .get_attribute("aria-label")
            .as_deref(),
        Some("Remove condition: Last activity before 1 Nov")
    );
}

#[wasm_bindgen_test]
async fn a_click_edits_the_condition_and_the_cross_removes_it() {
    let chips = mount_chips(vec![
        cond("labels", "equal_to", json!(["vip"]), Some("and")),
        cond("blocked", "equal_to", json!([false]), Some("or")),
        cond("id", "is_greater_than", json!([10]), None),
    ]);
    let page = &chips.page;
    page.wait_for("[data-testid=filter-chip]").await;

    page.all("[data-testid=filter-chip]")[1]
        .unchecked_ref::<HtmlElement>()
        .click();
    wait_until("the edit", || chips.edited.count() == 1).await;
    assert_eq!(
        chips.edited.all(),
        [1],
        "the builder opens on the chip's condition"
    );

    page.all("[data-testid=filter-chip-remove]")[1]
        .unchecked_ref::<HtmlElement>()
        .click();
    wait_until("the removal", || chips.removed.count() == 1).await;
    assert_eq!(chips.removed.all(), [1]);
    wait_until("two chips", || chip_texts(page).len() == 2).await;
    assert_eq!(
        chip_texts(page),
        ["Label is vip", "Contact ID is greater than 10"]
    );

    page.click("[data-testid=filter-chips-clear]");
    wait_until("the clearing", || chips.cleared.count() == 1).await;

    chips.filter.set(Vec::new());
    settle().await;
    assert!(
        page.find("[data-testid=filter-chips]").is_none(),
        "no filter, no chips"
    );
}

#[wasm_bindgen_test]
async fn a_day_of_another_zone_names_it() {
    let year = this_year();
    let there = elsewhere();
    let chips = mount_chips(vec![
        cond(
            "created_at",
            "equal_to",
            json!([format!("{year}-10-26"), there]),
            Some("and"),
        ),
        cond(
            "last_activity_at",
            "days_before",
            json!([7, browser_time_zone()]),
            None,
        ),
    ]);
    let page = &chips.page;
    page.wait_for("[data-testid=filter-chip]").await;
    assert_eq!(
        chip_texts(page),
        [
            format!("Created on 26 Oct ({there})"),
            "Last activity more than 7 days ago".to_owned(),
        ]
    );
}

#[wasm_bindgen_test]
async fn an_empty_result_names_the_filters_and_offers_to_clear_them() {
    let server = FakeServer::new();
    let cleared: Calls<()> = Calls::default();
    let c = cleared.clone();
    let page = mount(&server, Some(demo_session()), move || {
        view! {
            <FilterEmpty
                filter=vec![
                    cond("labels", "equal_to", json!(["vip"]), Some("and")),
                    cond("blocked", "equal_to", json!([true]), None),
                ]
                search="ole"
                labels=vec!["billing".to_owned()]
                catalog=Signal::stored(catalog())
                on_clear=Callback::new(move |()| c.record(()))
            />
        }
    });
    let empty = page.wait_for("[data-testid=contacts-empty]").await;
    let said = text(&empty);
    for part in [
        "No contacts match these filters:",
        "Label is vip",
        "AND",
        "Blocked is true",
        "Search: “ole”",
        "Labels: billing",
    ] {
        assert!(said.contains(part), "{part} in {said}");
    }
    page.click("[data-testid=filter-empty-clear]");
    wait_until("the clearing", || cleared.count() == 1).await;
}
