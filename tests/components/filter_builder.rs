//! The filter builder: every attribute's operators and value editor, typed conditions
//! joined as chosen, the model's validation next to the refused row, and rows added,
//! removed, reordered (from the keyboard too) and cleared.

use leptos::prelude::*;
use novatalks_contacts::components::filter::FilterBuilder;
use novatalks_contacts::logic::server_kind::ServerKind;
use novatalks_contacts::state::ServerCapabilities;
use novatalks_model::filter::{validate, FilterCondition};
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

use crate::filter_support::{
    browser_time_zone, catalog, choose, current_value, editor_of, elsewhere, enter, label_titles,
    option_texts, options_of, row_part, settle, tick, Calls,
};
use crate::list_support::{active_element, press_key};
use crate::support::{demo_session, mount, text, wait_until, FakeServer, Mounted};

struct Builder {
    page: Mounted,
    applied: Calls<Vec<FilterCondition>>,
    closed: Calls<()>,
    _server: FakeServer,
}

fn open_builder(applied: Vec<FilterCondition>, focus: usize) -> Builder {
    open_builder_on(ServerKind::Unknown, applied, focus)
}

/// The builder as the contacts page shows it against a server of `kind`.
fn open_builder_on(kind: ServerKind, applied: Vec<FilterCondition>, focus: usize) -> Builder {
    let server = FakeServer::new();
    let on_apply_calls = Calls::default();
    let on_close_calls = Calls::default();
    let (apply_calls, close_calls) = (on_apply_calls.clone(), on_close_calls.clone());
    let page = mount(&server, Some(demo_session()), move || {
        let on_apply = Callback::new(move |conditions| apply_calls.record(conditions));
        let on_close = Callback::new(move |()| close_calls.record(()));
        let catalog = Signal::stored(catalog());
        let labels = Signal::stored(label_titles());
        provide_context(ServerCapabilities::new(kind));
        view! { <FilterBuilder applied focus catalog labels on_apply on_close /> }
    });
    Builder {
        page,
        applied: on_apply_calls,
        closed: on_close_calls,
        _server: server,
    }
}

fn cond(key: &str, op: &str, values: Value, join: Option<&str>) -> FilterCondition {
    FilterCondition {
        attribute_key: key.into(),
        filter_operator: op.into(),
        values: serde_json::from_value(values).unwrap(),
        query_operator: join.map(str::to_owned),
        custom_attribute_type: (!["labels", "last_activity_at", "blocked", "name", "email"]
            .contains(&key))
        .then(|| "contact_attribute".to_owned()),
    }
}

fn rows(page: &Mounted) -> usize {
    page.all("[data-testid=filter-row]").len()
}

fn attributes(page: &Mounted) -> Vec<String> {
    (0..rows(page))
        .map(|i| current_value(page, &row_part(i, "filter-attribute")))
        .collect()
}

/// Sets row `index` to `key` and `op` and waits for the editor to follow.
async fn set_row(page: &Mounted, index: usize, key: &str, op: &str) {
    choose(page, &row_part(index, "filter-attribute"), key);
    settle().await;
    choose(page, &row_part(index, "filter-operator"), op);
    settle().await;
}

#[wasm_bindgen_test]
async fn every_attribute_offers_its_operators_and_value_editor() {
    let builder = open_builder(vec![], 0);
    let page = &builder.page;
    page.wait_for("[data-testid=filter-builder]").await;
    assert_eq!(rows(page), 1, "an empty filter starts with one row");
    let attribute = row_part(0, "filter-attribute");
    assert_eq!(
        options_of(&page.get(&attribute)),
        [
            "name",
            "email",
            "phone_number",
            "id",
            "identifier",
            "created_at",
            "last_activity_at",
            "labels",
            "blocked",
            "city",
            "country_code",
            "company",
            "account_manager",
            "discount",
            "lifetime_value",
            "newsletter",
            "order_count",
            "plan",
            "renewal_date",
            "website",
        ],
        "the contract's attributes, then the account's by name"
    );
    assert_eq!(option_texts(page, &attribute)[3], "Contact ID");
    assert_eq!(option_texts(page, &attribute)[17], "Plan");

    // (attribute, its operators as the contract lists them, an operator, its editor).
    let text_ops =
        "equal_to not_equal_to contains does_not_contain starts_with is_present is_not_present";
    let custom_text_ops =
        "equal_to not_equal_to contains does_not_contain is_present is_not_present";
    let date_ops = "is_greater_than is_less_than days_before equal_to";
    let number_ops = "equal_to not_equal_to is_greater_than is_less_than";
    let additional_ops = "equal_to not_equal_to contains does_not_contain";
    let cases = [
        ("name", text_ops, "contains", "text"),
        ("email", text_ops, "is_present", "none"),
        ("phone_number", text_ops, "starts_with", "tel"),
        ("id", number_ops, "is_greater_than", "number"),
        (
            "identifier",
            "equal_to not_equal_to contains is_present is_not_present",
            "contains",
            "text",
        ),
        ("created_at", date_ops, "is_less_than", "date"),
        ("last_activity_at", date_ops, "days_before", "number"),
        (
            "labels",
            "equal_to not_equal_to is_present is_not_present",
            "not_equal_to",
            "group",
        ),
        ("blocked", "equal_to not_equal_to", "not_equal_to", "select"),
        ("city", additional_ops, "does_not_contain", "text"),
        ("country_code", additional_ops, "equal_to", "text"),
        ("company", additional_ops, "contains", "text"),
        (
            "account_manager",
            custom_text_ops,
            "does_not_contain",
            "text",
        ),
        ("website", custom_text_ops, "contains", "text"),
        ("plan", custom_text_ops, "equal_to", "group"),
        ("plan", custom_text_ops, "contains", "text"),
        ("order_count", number_ops, "is_less_than", "number"),
        ("lifetime_value", number_ops, "equal_to", "number"),
        ("discount", number_ops, "is_greater_than", "number"),
        ("renewal_date", date_ops, "equal_to", "date"),
        ("renewal_date", date_ops, "days_before", "number"),
        ("newsletter", "equal_to", "equal_to", "select"),
    ];
    for (key, operators, op, editor) in cases {
        choose(page, &attribute, key);
        settle().await;
        let offered = options_of(&page.get(&row_part(0, "filter-operator")));
        assert_eq!(offered.join(" "), operators, "operators of {key}");
        choose(page, &row_part(0, "filter-operator"), op);
        settle().await;
        assert_eq!(editor_of(page, 0), editor, "editor of {key} {op}");
    }

    // The editors' details: dates read "before/after/on", days are "days ago", the labels
    // are the account's, a list attribute offers its values, yes/no is true/false.
    set_row(page, 0, "last_activity_at", "days_before").await;
    assert_eq!(
        option_texts(page, &row_part(0, "filter-operator")),
        ["after", "before", "more than … days ago", "on"]
    );
    assert!(text(
        &page
            .get(&row_part(0, "filter-value"))
            .parent_element()
            .unwrap()
    )
    .contains("days ago"));
    set_row(page, 0, "labels", "equal_to").await;
    let boxes: Vec<String> = page
        .all(&format!(
            "{} input[type=checkbox]",
            row_part(0, "filter-value")
        ))
        .iter()
        .map(|b| b.get_attribute("data-value").unwrap_or_default())
        .collect();
    assert_eq!(boxes, label_titles());
    set_row(page, 0, "plan", "not_equal_to").await;
    let boxes = page
        .all(&format!(
            "{} input[type=checkbox]",
            row_part(0, "filter-value")
        ))
        .len();
    assert_eq!(boxes, 4, "free, basic, gold, platinum");
    set_row(page, 0, "blocked", "equal_to").await;
    assert_eq!(
        option_texts(page, &row_part(0, "filter-value")),
        ["true", "false"]
    );
}

#[wasm_bindgen_test]
async fn applied_conditions_are_typed_and_joined_as_chosen() {
    let builder = open_builder(vec![], 0);
    let page = &builder.page;
    page.wait_for("[data-testid=filter-builder]").await;

    set_row(page, 0, "labels", "equal_to").await;
    tick(page, 0, "billing");
    tick(page, 0, "vip");
    page.click("[data-testid=filter-add]");
    settle().await;
    set_row(page, 1, "last_activity_at", "is_greater_than").await;
    enter(page, &row_part(1, "filter-value"), "2025-10-01");
    page.click("[data-testid=filter-add]");
    settle().await;
    set_row(page, 2, "blocked", "equal_to").await;
    choose(page, &row_part(1, "filter-join"), "or");
    page.click("[data-testid=filter-add]");
    settle().await;
    set_row(page, 3, "order_count", "is_greater_than").await;
    enter(page, &row_part(3, "filter-value"), "5");
    page.click("[data-testid=filter-add]");
    settle().await;
    set_row(page, 4, "last_activity_at", "days_before").await;
    enter(page, &row_part(4, "filter-value"), "30");
    settle().await;
    assert!(
        page.find(&row_part(4, "filter-join")).is_none(),
        "the last row has no join"
    );

    page.click("[data-testid=filter-apply]");
    wait_until("the conditions to be applied", || {
        builder.applied.count() == 1
    })
    .await;
    let zone = browser_time_zone();
    assert_eq!(
        builder.applied.last().unwrap(),
        vec![
            cond("labels", "equal_to", json!(["vip", "billing"]), Some("and")),
            cond(
                "last_activity_at",
                "is_greater_than",
                json!(["2025-10-01", zone]),
                Some("or")
            ),
            cond("blocked", "equal_to", json!([true]), Some("and")),
            cond("order_count", "is_greater_than", json!([5]), Some("and")),
            cond("last_activity_at", "days_before", json!([30, zone]), None),
        ],
        "labels in the account's order, days with the agent's time zone"
    );
    assert!(validate(&builder.applied.last().unwrap(), &catalog().defs()).is_ok());
}

#[wasm_bindgen_test]
async fn a_refused_row_shows_the_models_message_and_nothing_is_applied() {
    let builder = open_builder(vec![], 0);
    let page = &builder.page;
    page.wait_for("[data-testid=filter-builder]").await;
    set_row(page, 0, "plan", "equal_to").await;
    page.click("[data-testid=filter-add]");
    settle().await;
    set_row(page, 1, "phone_number", "equal_to").await;
    enter(page, &row_part(1, "filter-value"), "call me");

    page.click("[data-testid=filter-apply]");
    let error = page.wait_for(&row_part(0, "filter-row-error")).await;
    assert_eq!(text(&error), "Needs a value", "by its row: what is wrong");
    assert_eq!(
        text(&page.get(&row_part(1, "filter-row-error"))),
        "'call me' is not a phone number",
        "every refused row at once"
    );
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(builder.applied.count(), 0, "nothing is applied");
    let row = page.get("[data-testid=filter-row][data-index=\"0\"]");
    assert!(row.class_list().contains("filter-row--invalid"));
    let value = page.get(&row_part(0, "filter-value"));
    assert_eq!(value.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(value.get_attribute("aria-describedby"), Some(error.id()));
    assert_eq!(
        active_element()
            .and_then(|e| e.get_attribute("data-testid"))
            .as_deref(),
        Some("filter-attribute"),
        "focus goes to the refused row"
    );

    // Fixing one row takes its message away at once; the other's stays.
    tick(page, 0, "gold");
    wait_until("the fixed row's message to go", || {
        page.find(&row_part(0, "filter-row-error")).is_none()
            && page.find(&row_part(1, "filter-row-error")).is_some()
    })
    .await;
    page.click("[data-testid=filter-apply]");
    settle().await;
    assert_eq!(builder.applied.count(), 0);

    enter(page, &row_part(1, "filter-value"), "+380 50 123 45 67");
    wait_until("no message", || {
        page.find("[data-testid=filter-row-error]").is_none()
    })
    .await;
    page.click("[data-testid=filter-apply]");
    wait_until("the conditions to be applied", || {
        builder.applied.count() == 1
    })
    .await;
    assert_eq!(
        builder.applied.last().unwrap()[1].values,
        vec![json!("+380 50 123 45 67")]
    );
}

#[wasm_bindgen_test]
async fn rows_are_added_removed_moved_and_cleared_from_the_keyboard() {
    let builder = open_builder(
        vec![
            cond("name", "contains", json!(["ole"]), Some("and")),
            cond("email", "is_present", json!([]), Some("or")),
            cond("blocked", "equal_to", json!([false]), None),
        ],
        0,
    );
    let page = &builder.page;
    page.wait_for("[data-testid=filter-builder]").await;
    wait_until("the first row to have the focus", || {
        active_element()
            .and_then(|e| e.get_attribute("data-testid"))
            .as_deref()
            == Some("filter-attribute")
    })
    .await;
    assert_eq!(attributes(page), ["name", "email", "blocked"]);
    assert_eq!(current_value(page, &row_part(0, "filter-value")), "ole");
    assert_eq!(current_value(page, &row_part(1, "filter-join")), "or");
    assert_eq!(
        page.get(&row_part(0, "filter-attribute"))
            .get_attribute("aria-label")
            .as_deref(),
        Some("Condition 1 Attribute")
    );

    // Down with the keyboard: the condition moves, the joins between positions stay, the
    // focus stays on the button pressed.
    let down = page.get(&row_part(0, "filter-move-down"));
    down.unchecked_ref::<HtmlElement>().focus().unwrap();
    down.unchecked_ref::<HtmlElement>().click();
    wait_until("name to move down", || {
        attributes(page) == ["email", "name", "blocked"]
    })
    .await;
    assert_eq!(current_value(page, &row_part(0, "filter-join")), "and");
    assert_eq!(current_value(page, &row_part(1, "filter-join")), "or");
    assert_eq!(
        current_value(page, &row_part(1, "filter-value")),
        "ole",
        "its value moves with it"
    );
    wait_until("the focus to follow", || {
        active_element().is_some_and(|e| {
            e.get_attribute("data-testid").as_deref() == Some("filter-move-down")
                && e.closest("[data-index=\"1\"]").ok().flatten().is_some()
        })
    })
    .await;
    page.click(&row_part(2, "filter-move-up"));
    wait_until("blocked to move up", || {
        attributes(page) == ["email", "blocked", "name"]
    })
    .await;
    page.click(&row_part(0, "filter-move-up"));
    settle().await;
    assert_eq!(
        attributes(page),
        ["email", "blocked", "name"],
        "the top row stays on top"
    );
    assert_eq!(
        page.get(&row_part(0, "filter-move-up"))
            .get_attribute("aria-disabled")
            .as_deref(),
        Some("true")
    );

    // Removing the middle row keeps the groups: email AND (blocked) OR name → email OR name.
    page.click(&row_part(1, "filter-remove"));
    wait_until("two rows", || rows(page) == 2).await;
    assert_eq!(attributes(page), ["email", "name"]);
    assert_eq!(current_value(page, &row_part(0, "filter-join")), "or");
    page.click("[data-testid=filter-apply]");
    wait_until("applied", || builder.applied.count() == 1).await;
    assert_eq!(
        builder.applied.last().unwrap(),
        vec![
            cond("email", "is_present", json!([]), Some("or")),
            cond("name", "contains", json!(["ole"]), None),
        ]
    );

    // Clear all, then Apply: no filter.
    page.click("[data-testid=filter-clear]");
    wait_until("no rows", || rows(page) == 0).await;
    page.click("[data-testid=filter-apply]");
    wait_until("applied again", || builder.applied.count() == 2).await;
    assert_eq!(
        builder.applied.last().unwrap(),
        Vec::<FilterCondition>::new()
    );

    // Escape closes.
    let panel = page.get("[data-testid=filter-builder]");
    press_key(&panel, "Escape");
    wait_until("closed", || builder.closed.count() == 1).await;
}

#[wasm_bindgen_test]
async fn a_saved_day_keeps_its_zone_and_an_old_offset_gives_way_to_the_agents() {
    let (here, there) = (browser_time_zone(), elsewhere());
    let now = -(js_sys::Date::new_0().get_timezone_offset() as i64);
    let stale = if now >= 0 { now - 60 } else { now + 60 };
    let saved = vec![
        cond(
            "last_activity_at",
            "equal_to",
            json!(["2026-10-26", there]),
            Some("and"),
        ),
        cond("last_activity_at", "days_before", json!([7, stale]), None),
    ];
    let builder = open_builder(saved.clone(), 0);
    let page = &builder.page;
    page.wait_for("[data-testid=filter-builder]").await;
    assert_eq!(
        text(&page.get(&row_part(0, "filter-value-zone"))),
        there,
        "the saved zone is named by its day"
    );
    let offset = text(&page.get(&row_part(1, "filter-value-zone")));
    assert!(offset.starts_with("UTC"), "{offset}");

    page.click("[data-testid=filter-apply]");
    wait_until("the conditions to be applied", || {
        builder.applied.count() == 1
    })
    .await;
    assert_eq!(
        builder.applied.last().unwrap(),
        saved,
        "untouched, as saved"
    );

    enter(page, &row_part(0, "filter-value"), "2026-10-27");
    enter(page, &row_part(1, "filter-value"), "8");
    settle().await;
    assert_eq!(text(&page.get(&row_part(0, "filter-value-zone"))), there);
    assert!(
        page.find(&row_part(1, "filter-value-zone")).is_none(),
        "edited, the offset is the agent's zone, which goes without saying"
    );
    page.click("[data-testid=filter-apply]");
    wait_until("the edit to be applied", || builder.applied.count() == 2).await;
    assert_eq!(
        builder.applied.last().unwrap(),
        vec![
            cond(
                "last_activity_at",
                "equal_to",
                json!(["2026-10-27", there]),
                Some("and")
            ),
            cond("last_activity_at", "days_before", json!([8, here]), None),
        ]
    );
}

#[wasm_bindgen_test]
async fn it_opens_on_the_row_asked_for() {
    let builder = open_builder(
        vec![
            cond("name", "contains", json!(["ole"]), Some("and")),
            cond("labels", "equal_to", json!(["vip"]), None),
        ],
        1,
    );
    let page = &builder.page;
    page.wait_for("[data-testid=filter-builder]").await;
    wait_until("the second row to have the focus", || {
        active_element().is_some_and(|e| {
            e.get_attribute("data-testid").as_deref() == Some("filter-attribute")
                && e.closest("[data-index=\"1\"]").ok().flatten().is_some()
        })
    })
    .await;
    let vip = page.get(&format!(
        "{} input[data-value=vip]",
        row_part(1, "filter-value")
    ));
    assert!(vip.unchecked_into::<web_sys::HtmlInputElement>().checked());
}

/// Against a stock Chatwoot the builder offers only the operators Chatwoot takes for each
/// of its keys (it refuses ours with a 422), and ours where it lists none (`id`, custom
/// attributes).
#[wasm_bindgen_test]
async fn against_a_stock_chatwoot_only_its_operators_are_offered() {
    let builder = open_builder_on(ServerKind::StockChatwoot, vec![], 0);
    let page = &builder.page;
    page.wait_for("[data-testid=filter-builder]").await;
    let operator = row_part(0, "filter-operator");
    for (key, offered) in [
        ("name", "equal_to not_equal_to contains does_not_contain"),
        (
            "phone_number",
            "equal_to not_equal_to contains does_not_contain starts_with",
        ),
        ("identifier", "equal_to not_equal_to"),
        ("country_code", "equal_to not_equal_to"),
        ("created_at", "is_greater_than is_less_than days_before"),
        ("labels", "equal_to not_equal_to is_present is_not_present"),
        ("id", "equal_to not_equal_to is_greater_than is_less_than"),
        (
            "plan",
            "equal_to not_equal_to contains does_not_contain is_present is_not_present",
        ),
    ] {
        choose(page, &row_part(0, "filter-attribute"), key);
        settle().await;
        assert_eq!(options_of(&page.get(&operator)).join(" "), offered, "{key}");
    }
}
