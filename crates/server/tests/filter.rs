//! `POST /contacts/filter`: every attribute and operator of the contract's table against
//! real rows, precedence, multiple values, the effective block, dates in the agent's
//! zone, custom attributes, the 422s, and isolation.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp};
use serde_json::{json, Value};

const DAY: i64 = 86_400;
/// 2025-03-10T00:00:00Z
const MARCH_10: i64 = 1_741_564_800;

fn cond(key: &str, op: &str, values: Value) -> Value {
    json!({"attribute_key": key, "filter_operator": op, "values": values, "query_operator": null})
}

fn and(mut c: Value) -> Value {
    c["query_operator"] = json!("and");
    c
}

fn or(mut c: Value) -> Value {
    c["query_operator"] = json!("or");
    c
}

async fn filter(app: &TestApp, payload: Value) -> Reply {
    app.post(
        "/contacts/filter?per_page=100",
        json!({ "payload": payload }),
    )
    .await
}

/// The ids matching `payload`, ascending.
async fn matching(app: &TestApp, payload: Value) -> Vec<i64> {
    let reply = filter(app, payload.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{payload}: {}", reply.text);
    let mut ids = TestApp::ids(&reply);
    assert_eq!(
        reply.body["meta"]["count"],
        json!(ids.len()),
        "count uses the same conditions"
    );
    ids.sort();
    ids
}

async fn matching_one(app: &TestApp, key: &str, op: &str, values: Value) -> Vec<i64> {
    matching(app, json!([cond(key, op, values)])).await
}

async fn refused(app: &TestApp, payload: Value) -> String {
    let reply = filter(app, payload.clone()).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{payload}: {}",
        reply.text
    );
    reply.body["error"].as_str().unwrap_or_default().to_owned()
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort();
    ids
}

/// Case is ignored in every script, not only in ASCII: most NovaTalks customers write
/// their names in Cyrillic.
#[tokio::test]
async fn text_ignores_case_in_every_script() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let olena = app
        .insert_contact(
            a,
            json!({"name": "Олена Коваленко", "email": "olena@example.com",
                   "additional_attributes": {"city": "Київ", "company_name": "Ärzte GmbH"}}),
        )
        .await;
    let ihor = app
        .insert_contact(
            a,
            json!({"name": "ІГОР ЩЕРБАК", "email": "ÉLODIE@example.com"}),
        )
        .await;
    app.insert_contact(a, json!({"name": "Olena Kovalenko"}))
        .await;

    assert_eq!(
        matching_one(&app, "name", "equal_to", json!(["олена коваленко"])).await,
        [olena]
    );
    assert_eq!(
        matching_one(&app, "name", "contains", json!(["ОВАЛ"])).await,
        [olena]
    );
    assert_eq!(
        matching_one(&app, "name", "starts_with", json!(["ігор щ"])).await,
        [ihor]
    );
    assert_eq!(
        matching_one(&app, "email", "contains", json!(["élodie"])).await,
        [ihor]
    );
    assert_eq!(
        matching_one(&app, "city", "equal_to", json!(["КИЇВ"])).await,
        [olena]
    );
    assert_eq!(
        matching_one(&app, "company", "contains", json!(["ärzte"])).await,
        [olena]
    );
}

#[tokio::test]
async fn name_and_email_compare_text_ignoring_case() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let olena = app
        .insert_contact(
            a,
            json!({"name": "Olena Kovalenko", "email": "olena@example.com"}),
        )
        .await;
    let petro = app
        .insert_contact(
            a,
            json!({"name": "Petro Bondar", "email": "petro@gmail.com"}),
        )
        .await;
    let anon = app
        .insert_contact(a, json!({"name": "Anna", "email": ""}))
        .await;
    let nameless = app.insert_contact(a, json!({"email": "x@gmail.com"})).await;

    assert_eq!(
        matching_one(&app, "name", "equal_to", json!(["olena KOVALENKO"])).await,
        [olena]
    );
    assert_eq!(
        matching_one(&app, "name", "not_equal_to", json!(["Olena Kovalenko"])).await,
        [petro, anon, nameless]
    );
    assert_eq!(
        matching_one(&app, "name", "contains", json!(["KOV"])).await,
        [olena]
    );
    assert_eq!(
        matching_one(&app, "name", "does_not_contain", json!(["o"])).await,
        [anon, nameless]
    );
    assert_eq!(
        matching_one(&app, "name", "starts_with", json!(["pE"])).await,
        [petro]
    );
    assert_eq!(
        matching_one(&app, "name", "is_present", json!([])).await,
        [olena, petro, anon]
    );
    assert_eq!(
        matching_one(&app, "name", "is_not_present", json!([])).await,
        [nameless]
    );

    assert_eq!(
        matching_one(&app, "email", "equal_to", json!(["OLENA@example.com"])).await,
        [olena]
    );
    assert_eq!(
        matching_one(&app, "email", "not_equal_to", json!(["olena@example.com"])).await,
        [petro, anon, nameless]
    );
    assert_eq!(
        matching_one(&app, "email", "contains", json!(["@Gmail"])).await,
        [petro, nameless]
    );
    assert_eq!(
        matching_one(&app, "email", "does_not_contain", json!(["gmail"])).await,
        [olena, anon]
    );
    assert_eq!(
        matching_one(&app, "email", "starts_with", json!(["x@"])).await,
        [nameless]
    );
    assert_eq!(
        matching_one(&app, "email", "is_present", json!([])).await,
        [olena, petro, nameless],
        "blank is not present"
    );
    assert_eq!(
        matching_one(&app, "email", "is_not_present", json!([])).await,
        [anon]
    );
}

#[tokio::test]
async fn phone_numbers_match_by_digits_in_any_format() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let ua = app
        .insert_contact(a, json!({"name": "UA", "phone_number": "+380501234567"}))
        .await;
    let uk = app
        .insert_contact(a, json!({"name": "UK", "phone_number": "+447911123456"}))
        .await;
    let none = app.insert_contact(a, json!({"name": "None"})).await;

    assert_eq!(
        matching_one(
            &app,
            "phone_number",
            "equal_to",
            json!(["+380 (50) 123-45-67"])
        )
        .await,
        [ua]
    );
    assert_eq!(
        matching_one(
            &app,
            "phone_number",
            "equal_to",
            json!(["380501234567", "+44 7911 123456"])
        )
        .await,
        [ua, uk]
    );
    assert_eq!(
        matching_one(
            &app,
            "phone_number",
            "not_equal_to",
            json!(["+380501234567"])
        )
        .await,
        [uk, none]
    );
    assert_eq!(
        matching_one(&app, "phone_number", "contains", json!(["234-567"])).await,
        [ua]
    );
    assert_eq!(
        matching_one(&app, "phone_number", "does_not_contain", json!(["380"])).await,
        [uk, none]
    );
    assert_eq!(
        matching_one(&app, "phone_number", "starts_with", json!(["+447"])).await,
        [uk]
    );
    assert_eq!(
        matching_one(&app, "phone_number", "starts_with", json!(["501"])).await,
        Vec::<i64>::new()
    );
    assert_eq!(
        matching_one(&app, "phone_number", "is_present", json!([])).await,
        [ua, uk]
    );
    assert_eq!(
        matching_one(&app, "phone_number", "is_not_present", json!([])).await,
        [none]
    );
    let e = refused(
        &app,
        json!([cond("phone_number", "contains", json!(["+3"]))]),
    )
    .await;
    assert_eq!(
        e,
        "Condition 1 (phone_number contains): '+3' has fewer than 3 digits"
    );
}

/// An agent compares a phone as the number they mean, however it is written: a national
/// number read in the account's region (UA here) equals its E.164 form, a whole
/// international number equals the same number stored in national form before numbers
/// were normalised, and a fragment with the trunk prefix finds numbers stored under the
/// calling code.
#[tokio::test]
async fn a_phone_condition_means_the_number_however_it_is_written() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let ua = app
        .insert_contact(a, json!({"name": "UA", "phone_number": "+380501234567"}))
        .await;
    let legacy = app
        .insert_contact(
            a,
            json!({"name": "Legacy", "phone_number": "(067) 765-43-21"}),
        )
        .await;
    let uk = app
        .insert_contact(a, json!({"name": "UK", "phone_number": "+447911123456"}))
        .await;

    let equal =
        |value: &'static str| matching_one(&app, "phone_number", "equal_to", json!([value]));
    assert_eq!(equal("050 123 45 67").await, [ua], "national, read in UA");
    assert_eq!(
        equal("+380 67 765 43 21").await,
        [legacy],
        "stored national"
    );
    assert_eq!(equal("00 380 67 765 43 21").await, [legacy]);
    assert_eq!(
        equal("07911 123456").await,
        Vec::<i64>::new(),
        "a UK number read in UA is no number"
    );
    assert_eq!(
        matching_one(&app, "phone_number", "not_equal_to", json!(["0501234567"])).await,
        [legacy, uk]
    );
    assert_eq!(
        matching_one(&app, "phone_number", "contains", json!(["(050) 123"])).await,
        [ua]
    );
    assert_eq!(
        matching_one(&app, "phone_number", "does_not_contain", json!(["050 123"])).await,
        [legacy, uk]
    );
    assert_eq!(
        matching_one(&app, "phone_number", "starts_with", json!(["050"])).await,
        [ua],
        "the trunk prefix stands for +380"
    );
    assert_eq!(
        matching_one(&app, "phone_number", "starts_with", json!(["067"])).await,
        [legacy]
    );
    assert_eq!(
        matching_one(&app, "phone_number", "starts_with", json!(["+44 7911"])).await,
        [uk]
    );
}

#[tokio::test]
async fn ids_compare_as_integers() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let ids: Vec<i64> = insert_named(&app, a, 4).await;
    let (one, two, three, four) = (ids[0], ids[1], ids[2], ids[3]);
    assert_eq!(
        matching_one(&app, "id", "equal_to", json!([one, three.to_string()])).await,
        [one, three]
    );
    assert_eq!(
        matching_one(&app, "id", "not_equal_to", json!([one, three])).await,
        [two, four]
    );
    assert_eq!(
        matching_one(&app, "id", "is_greater_than", json!([two])).await,
        [three, four]
    );
    assert_eq!(
        matching_one(&app, "id", "is_less_than", json!([two])).await,
        [one]
    );
    let e = refused(&app, json!([cond("id", "equal_to", json!(["seven"]))])).await;
    assert_eq!(
        e,
        "Condition 1 (id equal_to): 'seven' is not a whole number"
    );
}

async fn insert_named(app: &TestApp, account: i64, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(
            app.insert_contact(account, json!({"name": format!("Contact {i}")}))
                .await,
        );
    }
    ids
}

#[tokio::test]
async fn identifiers_compare_exactly() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let upper = app
        .insert_contact(a, json!({"name": "U", "identifier": "CRM-8812"}))
        .await;
    let lower = app
        .insert_contact(a, json!({"name": "L", "identifier": "crm-1"}))
        .await;
    let none = app.insert_contact(a, json!({"name": "N"})).await;
    assert_eq!(
        matching_one(&app, "identifier", "equal_to", json!(["CRM-8812"])).await,
        [upper]
    );
    assert_eq!(
        matching_one(&app, "identifier", "equal_to", json!(["crm-8812"])).await,
        Vec::<i64>::new()
    );
    assert_eq!(
        matching_one(&app, "identifier", "not_equal_to", json!(["CRM-8812"])).await,
        [lower, none]
    );
    assert_eq!(
        matching_one(&app, "identifier", "contains", json!(["crm"])).await,
        [lower]
    );
    assert_eq!(
        matching_one(&app, "identifier", "is_present", json!([])).await,
        [upper, lower]
    );
    assert_eq!(
        matching_one(&app, "identifier", "is_not_present", json!([])).await,
        [none]
    );
    let e = refused(
        &app,
        json!([cond("identifier", "starts_with", json!(["CRM"]))]),
    )
    .await;
    assert!(e.starts_with("Condition 1 (identifier): the operator 'starts_with' cannot be used with identifier; use one of"), "{e}");
}

#[tokio::test]
async fn dates_are_days_in_the_agents_time_zone() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    // 23:30 UTC on March 10 is 01:30 on March 11 in Kyiv (UTC+2) and 18:30 on March 10 in New York (UTC-5).
    let late = app
        .insert_contact(a, json!({"name": "Late", "created_at": MARCH_10 + DAY - 1_800, "last_activity_at": MARCH_10 + 3_600}))
        .await;
    let early = app
        .insert_contact(
            a,
            json!({"name": "Early", "created_at": MARCH_10 - 5 * DAY}),
        )
        .await;

    assert_eq!(
        matching_one(&app, "created_at", "equal_to", json!(["2025-03-10"])).await,
        [late]
    );
    assert_eq!(
        matching_one(&app, "created_at", "equal_to", json!(["2025-03-11", 120])).await,
        [late]
    );
    assert_eq!(
        matching_one(&app, "created_at", "equal_to", json!(["2025-03-10", 120])).await,
        Vec::<i64>::new()
    );
    assert_eq!(
        matching_one(
            &app,
            "created_at",
            "equal_to",
            json!(["2025-03-10", "-300"])
        )
        .await,
        [late]
    );
    assert_eq!(
        matching_one(
            &app,
            "created_at",
            "is_greater_than",
            json!(["2025-03-10", 120])
        )
        .await,
        [late]
    );
    assert_eq!(
        matching_one(&app, "created_at", "is_greater_than", json!(["2025-03-10"])).await,
        Vec::<i64>::new(),
        "after the whole day"
    );
    assert_eq!(
        matching_one(
            &app,
            "created_at",
            "is_less_than",
            json!(["2025-03-11", 120])
        )
        .await,
        [early]
    );
    assert_eq!(
        matching_one(&app, "created_at", "is_less_than", json!(["2025-03-11"])).await,
        [late, early]
    );

    assert_eq!(
        matching_one(&app, "last_activity_at", "equal_to", json!(["2025-03-10"])).await,
        [late],
        "no activity never matches"
    );
    assert_eq!(
        matching_one(
            &app,
            "last_activity_at",
            "is_less_than",
            json!(["2030-01-01"])
        )
        .await,
        [late]
    );
    assert_eq!(
        matching_one(
            &app,
            "last_activity_at",
            "is_greater_than",
            json!(["2025-03-10"])
        )
        .await,
        Vec::<i64>::new()
    );

    let e = refused(
        &app,
        json!([cond("created_at", "is_greater_than", json!(["2024-13-01"]))]),
    )
    .await;
    assert_eq!(
        e,
        "Condition 1 (created_at is_greater_than): '2024-13-01' is not a date (use YYYY-MM-DD)"
    );
    let e = refused(
        &app,
        json!([cond("created_at", "equal_to", json!(["2024-12-01", 1000]))]),
    )
    .await;
    assert!(
        e.ends_with("1000 is not a UTC offset in minutes (from -840 to 840)"),
        "{e}"
    );
}

#[tokio::test]
async fn days_before_means_before_the_day_n_days_ago_began() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let now = novatalks_server::db::now();
    let today = now - now.rem_euclid(DAY);
    let old = app.insert_contact(a, json!({"name": "Old", "created_at": today - 10 * DAY, "last_activity_at": today - 10 * DAY})).await;
    let yesterday = app
        .insert_contact(
            a,
            json!({"name": "Yesterday", "created_at": today - DAY + 60}),
        )
        .await;
    let fresh = app
        .insert_contact(a, json!({"name": "Fresh", "created_at": now}))
        .await;

    assert_eq!(
        matching_one(&app, "created_at", "days_before", json!([5])).await,
        [old]
    );
    assert_eq!(
        matching_one(&app, "created_at", "days_before", json!(["1"])).await,
        [old],
        "yesterday is not before yesterday"
    );
    assert_eq!(
        matching_one(&app, "created_at", "days_before", json!([0])).await,
        [old, yesterday]
    );
    assert_eq!(
        matching_one(&app, "created_at", "days_before", json!([30])).await,
        Vec::<i64>::new()
    );
    assert_eq!(
        matching_one(&app, "last_activity_at", "days_before", json!([3, 0])).await,
        [old]
    );
    assert!(!matching_one(&app, "created_at", "days_before", json!([0]))
        .await
        .contains(&fresh));
    let e = refused(
        &app,
        json!([cond("created_at", "days_before", json!(["a week"]))]),
    )
    .await;
    assert!(
        e.ends_with("'a week' is not a whole number of days (0 to 36500)"),
        "{e}"
    );
}

#[tokio::test]
async fn labels_match_any_of_or_none_of() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let vip = app.insert_contact(a, json!({"name": "Vip"})).await;
    let billing = app.insert_contact(a, json!({"name": "Billing"})).await;
    let both = app.insert_contact(a, json!({"name": "Both"})).await;
    let bare = app.insert_contact(a, json!({"name": "Bare"})).await;
    app.label_contact(a, vip, &["vip"]).await;
    app.label_contact(a, billing, &["billing"]).await;
    app.label_contact(a, both, &["vip", "billing", "lead"])
        .await;

    assert_eq!(
        matching_one(&app, "labels", "equal_to", json!(["vip"])).await,
        [vip, both]
    );
    assert_eq!(
        matching_one(&app, "labels", "equal_to", json!(["VIP", "billing"])).await,
        [vip, billing, both]
    );
    assert_eq!(
        matching_one(&app, "labels", "not_equal_to", json!(["vip"])).await,
        [billing, bare]
    );
    assert_eq!(
        matching_one(&app, "labels", "not_equal_to", json!(["vip", "billing"])).await,
        [bare]
    );
    assert_eq!(
        matching_one(&app, "labels", "is_present", json!([])).await,
        [vip, billing, both]
    );
    assert_eq!(
        matching_one(&app, "labels", "is_not_present", json!([])).await,
        [bare]
    );
}

#[tokio::test]
async fn blocked_is_the_effective_state_with_expiry_applied() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let now = novatalks_server::db::now();
    let forever = app
        .insert_contact(a, json!({"name": "Forever", "blocked": true}))
        .await;
    let until_later = app
        .insert_contact(
            a,
            json!({"name": "Later", "blocked": true, "blocked_until": now + 3_600}),
        )
        .await;
    let expired = app
        .insert_contact(
            a,
            json!({"name": "Expired", "blocked": true, "blocked_until": now - 60}),
        )
        .await;
    let free = app.insert_contact(a, json!({"name": "Free"})).await;

    assert_eq!(
        matching_one(&app, "blocked", "equal_to", json!([true])).await,
        [forever, until_later]
    );
    assert_eq!(
        matching_one(&app, "blocked", "equal_to", json!(["false"])).await,
        [expired, free]
    );
    assert_eq!(
        matching_one(&app, "blocked", "not_equal_to", json!([true])).await,
        [expired, free]
    );
    assert_eq!(
        matching_one(&app, "blocked", "not_equal_to", json!([false])).await,
        [forever, until_later]
    );

    let reply = filter(&app, json!([cond("id", "equal_to", json!([expired]))])).await;
    assert_eq!(
        reply.body["payload"][0]["blocked"],
        json!(false),
        "the rows read as the filter sees them"
    );
    let e = refused(&app, json!([cond("blocked", "equal_to", json!(["maybe"]))])).await;
    assert_eq!(
        e,
        "Condition 1 (blocked equal_to): 'maybe' is not true or false"
    );
}

#[tokio::test]
async fn city_country_and_company_come_from_additional_attributes() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let kyiv = app
        .insert_contact(a, json!({"name": "K", "additional_attributes": {"city": "Kyiv", "country_code": "UA", "company_name": "Nova Poshta"}}))
        .await;
    let lviv = app
        .insert_contact(a, json!({"name": "L", "additional_attributes": {"city": "Lviv", "country_code": "ua", "company_name": "SoftServe"}}))
        .await;
    let none = app.insert_contact(a, json!({"name": "N"})).await;

    assert_eq!(
        matching_one(&app, "city", "equal_to", json!(["KYIV"])).await,
        [kyiv]
    );
    assert_eq!(
        matching_one(&app, "city", "not_equal_to", json!(["kyiv"])).await,
        [lviv, none]
    );
    assert_eq!(
        matching_one(&app, "city", "contains", json!(["iv"])).await,
        [kyiv, lviv]
    );
    assert_eq!(
        matching_one(&app, "city", "does_not_contain", json!(["ky"])).await,
        [lviv, none]
    );
    assert_eq!(
        matching_one(&app, "country_code", "equal_to", json!(["UA"])).await,
        [kyiv, lviv]
    );
    assert_eq!(
        matching_one(&app, "country_code", "not_equal_to", json!(["ua"])).await,
        [none]
    );
    assert_eq!(
        matching_one(&app, "company", "contains", json!(["nova"])).await,
        [kyiv]
    );
    assert_eq!(
        matching_one(&app, "company", "does_not_contain", json!(["nova"])).await,
        [lviv, none]
    );
    assert_eq!(
        matching_one(
            &app,
            "company",
            "equal_to",
            json!(["softserve", "nova poshta"])
        )
        .await,
        [kyiv, lviv]
    );
    let e = refused(&app, json!([cond("city", "is_present", json!([]))])).await;
    assert!(
        e.starts_with("Condition 1 (city): the operator 'is_present' cannot be used with city"),
        "{e}"
    );
}

#[tokio::test]
async fn custom_attributes_compare_by_their_definitions_type() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let gold = app
        .insert_contact(
            a,
            json!({"name": "Gold", "custom_attributes": {
            "plan": "gold", "order_count": 12, "lifetime_value": 19.99, "discount": 5,
            "website": "https://nova.example", "renewal_date": "2036-12-01", "newsletter": true,
            "account_manager": "Iryna"}}),
        )
        .await;
    let free = app
        .insert_contact(
            a,
            json!({"name": "Free", "custom_attributes": {
            "plan": "free", "order_count": 3, "lifetime_value": 0, "discount": 25,
            "renewal_date": "2025-01-15T00:00:00.000Z", "newsletter": false}}),
        )
        .await;
    let odd = app
        .insert_contact(a, json!({"name": "Odd", "custom_attributes": {"order_count": "lots", "account_manager": ""}}))
        .await;
    let empty = app.insert_contact(a, json!({"name": "Empty"})).await;

    // list
    assert_eq!(
        matching_one(&app, "plan", "equal_to", json!(["GOLD"])).await,
        [gold]
    );
    assert_eq!(
        matching_one(&app, "plan", "not_equal_to", json!(["gold"])).await,
        [free, odd, empty]
    );
    assert_eq!(
        matching_one(&app, "plan", "contains", json!(["ol"])).await,
        [gold]
    );
    assert_eq!(
        matching_one(&app, "plan", "does_not_contain", json!(["ee"])).await,
        [gold, odd, empty]
    );
    assert_eq!(
        matching_one(&app, "plan", "is_present", json!([])).await,
        [gold, free]
    );
    assert_eq!(
        matching_one(&app, "plan", "is_not_present", json!([])).await,
        [odd, empty]
    );
    let e = refused(&app, json!([cond("plan", "equal_to", json!(["diamond"]))])).await;
    assert_eq!(e, "Condition 1 (plan equal_to): 'diamond' is not one of plan's values (free, basic, gold, platinum)");
    // number, currency, percent: only numbers compare
    assert_eq!(
        matching_one(&app, "order_count", "is_greater_than", json!([5])).await,
        [gold]
    );
    assert_eq!(
        matching_one(&app, "order_count", "is_less_than", json!(["5"])).await,
        [free]
    );
    assert_eq!(
        matching_one(&app, "order_count", "equal_to", json!([3, 12])).await,
        [gold, free]
    );
    assert_eq!(
        matching_one(&app, "order_count", "not_equal_to", json!([3])).await,
        [gold, odd, empty]
    );
    assert_eq!(
        matching_one(&app, "lifetime_value", "equal_to", json!(["19.99"])).await,
        [gold]
    );
    assert_eq!(
        matching_one(&app, "lifetime_value", "is_less_than", json!([1])).await,
        [free]
    );
    assert_eq!(
        matching_one(&app, "discount", "is_greater_than", json!([10])).await,
        [free]
    );
    let e = refused(&app, json!([cond("discount", "equal_to", json!(["ten"]))])).await;
    assert_eq!(e, "Condition 1 (discount equal_to): 'ten' is not a number");
    let e = refused(&app, json!([cond("order_count", "contains", json!(["1"]))])).await;
    assert!(
        e.starts_with(
            "Condition 1 (order_count): the operator 'contains' cannot be used with order_count"
        ),
        "{e}"
    );
    // link and text
    assert_eq!(
        matching_one(&app, "website", "contains", json!(["NOVA"])).await,
        [gold]
    );
    assert_eq!(
        matching_one(&app, "website", "is_not_present", json!([])).await,
        [free, odd, empty]
    );
    assert_eq!(
        matching_one(&app, "account_manager", "equal_to", json!(["iryna"])).await,
        [gold]
    );
    assert_eq!(
        matching_one(&app, "account_manager", "is_not_present", json!([])).await,
        [free, odd, empty]
    );
    // date (a date-time value counts by its day)
    assert_eq!(
        matching_one(&app, "renewal_date", "equal_to", json!(["2036-12-01"])).await,
        [gold]
    );
    assert_eq!(
        matching_one(&app, "renewal_date", "equal_to", json!(["2025-01-15"])).await,
        [free]
    );
    assert_eq!(
        matching_one(
            &app,
            "renewal_date",
            "is_greater_than",
            json!(["2025-06-01"])
        )
        .await,
        [gold]
    );
    assert_eq!(
        matching_one(&app, "renewal_date", "is_less_than", json!(["2025-06-01"])).await,
        [free]
    );
    assert_eq!(
        matching_one(&app, "renewal_date", "days_before", json!([1])).await,
        [free]
    );
    // checkbox: never ticked counts as false
    assert_eq!(
        matching_one(&app, "newsletter", "equal_to", json!([true])).await,
        [gold]
    );
    assert_eq!(
        matching_one(&app, "newsletter", "equal_to", json!(["false"])).await,
        [free, odd, empty]
    );
    let e = refused(
        &app,
        json!([cond("newsletter", "not_equal_to", json!([true]))]),
    )
    .await;
    assert!(
        e.contains("cannot be used with newsletter; use one of equal_to"),
        "{e}"
    );
}

/// A text attribute that holds another JSON value compares as the same text on both
/// engines (SQLite's json_extract: true is 1, a number its digits).
#[tokio::test]
async fn a_text_attribute_holding_a_number_or_a_boolean_is_the_same_text_on_both_engines() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let ticked = app
        .insert_contact(
            a,
            json!({"name": "T", "custom_attributes": {"account_manager": true}}),
        )
        .await;
    let unticked = app
        .insert_contact(
            a,
            json!({"name": "F", "custom_attributes": {"account_manager": false}}),
        )
        .await;
    let number = app
        .insert_contact(
            a,
            json!({"name": "N", "custom_attributes": {"account_manager": 12},
                   "additional_attributes": {"city": 42}}),
        )
        .await;
    let null = app
        .insert_contact(
            a,
            json!({"name": "Z", "custom_attributes": {"account_manager": null}}),
        )
        .await;
    let key = "account_manager";
    assert_eq!(
        matching_one(&app, key, "equal_to", json!(["1"])).await,
        [ticked]
    );
    assert_eq!(
        matching_one(&app, key, "equal_to", json!(["0"])).await,
        [unticked]
    );
    assert!(matching_one(&app, key, "contains", json!(["tru"]))
        .await
        .is_empty());
    assert_eq!(
        matching_one(&app, key, "contains", json!(["1"])).await,
        [ticked, number]
    );
    assert_eq!(
        matching_one(&app, key, "is_present", json!([])).await,
        [ticked, unticked, number]
    );
    assert_eq!(
        matching_one(&app, key, "is_not_present", json!([])).await,
        [null]
    );
    assert_eq!(
        matching_one(&app, key, "does_not_contain", json!(["1"])).await,
        [unticked, null]
    );
    assert_eq!(
        matching_one(&app, "city", "equal_to", json!(["42"])).await,
        [number]
    );
}

#[tokio::test]
async fn and_binds_tighter_than_or() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let vip_alpha = app.insert_contact(a, json!({"name": "Alpha"})).await;
    let alpha = app.insert_contact(a, json!({"name": "Alpha Two"})).await;
    let kyiv = app
        .insert_contact(
            a,
            json!({"name": "Zed", "additional_attributes": {"city": "Kyiv"}}),
        )
        .await;
    let vip_kyiv = app
        .insert_contact(
            a,
            json!({"name": "Vera", "additional_attributes": {"city": "Kyiv"}}),
        )
        .await;
    let _nobody = app.insert_contact(a, json!({"name": "Nobody"})).await;
    app.label_contact(a, vip_alpha, &["vip"]).await;
    app.label_contact(a, vip_kyiv, &["vip"]).await;

    let starts_a = cond("name", "starts_with", json!(["a"]));
    let is_vip = cond("labels", "equal_to", json!(["vip"]));
    let in_kyiv = cond("city", "equal_to", json!(["kyiv"]));

    // a AND b OR c = (a AND b) OR c
    let got = matching(
        &app,
        json!([and(starts_a.clone()), or(is_vip.clone()), in_kyiv.clone()]),
    )
    .await;
    assert_eq!(got, sorted(vec![vip_alpha, kyiv, vip_kyiv]));
    // c OR a AND b = c OR (a AND b): the same
    let got = matching(
        &app,
        json!([or(in_kyiv.clone()), and(starts_a.clone()), is_vip.clone()]),
    )
    .await;
    assert_eq!(got, sorted(vec![vip_alpha, kyiv, vip_kyiv]));
    // a OR b AND c = a OR (b AND c)
    let got = matching(
        &app,
        json!([or(starts_a.clone()), and(is_vip.clone()), in_kyiv.clone()]),
    )
    .await;
    assert_eq!(got, sorted(vec![vip_alpha, alpha, vip_kyiv]));
    // a AND b AND c
    let got = matching(
        &app,
        json!([
            and(is_vip),
            and(in_kyiv),
            cond("name", "starts_with", json!(["v"]))
        ]),
    )
    .await;
    assert_eq!(got, [vip_kyiv]);
}

#[tokio::test]
async fn every_value_of_a_condition_counts() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let olena = app.insert_contact(a, json!({"name": "Olena"})).await;
    let petro = app.insert_contact(a, json!({"name": "Petro"})).await;
    let ivan = app.insert_contact(a, json!({"name": "Ivan"})).await;

    assert_eq!(
        matching_one(&app, "name", "equal_to", json!(["olena", "petro"])).await,
        [olena, petro]
    );
    assert_eq!(
        matching_one(&app, "name", "not_equal_to", json!(["olena", "petro"])).await,
        [ivan]
    );
    assert_eq!(
        matching_one(&app, "name", "contains", json!(["len", "van"])).await,
        [olena, ivan]
    );
    assert_eq!(
        matching_one(&app, "name", "does_not_contain", json!(["len", "van"])).await,
        [petro]
    );
    assert_eq!(
        matching_one(&app, "name", "starts_with", json!(["p", "i"])).await,
        [petro, ivan]
    );
}

#[tokio::test]
async fn wrong_conditions_are_422s_naming_the_condition() {
    let app = TestApp::new().await;
    let name_ok = and(cond("name", "is_present", json!([])));

    let e = refused(&app, json!([cond("foo", "equal_to", json!(["x"]))])).await;
    assert!(
        e.starts_with("Condition 1: 'foo' is not a filterable attribute"),
        "{e}"
    );
    let e = refused(&app, json!([cond("name", "is_greater_than", json!(["x"]))])).await;
    assert!(e.starts_with("Condition 1 (name): the operator 'is_greater_than' cannot be used with name; use one of equal_to"), "{e}");
    let e = refused(
        &app,
        json!([name_ok.clone(), cond("email", "contains", json!([]))]),
    )
    .await;
    assert_eq!(e, "Condition 2 (email contains): needs a value");
    let e = refused(
        &app,
        json!([name_ok.clone(), cond("email", "contains", json!(null))]),
    )
    .await;
    assert_eq!(e, "Condition 2 (email contains): needs a value");
    let e = refused(
        &app,
        json!([name_ok.clone(), cond("id", "equal_to", json!([{"id": 1}]))]),
    )
    .await;
    assert_eq!(
        e,
        "Condition 2 (id equal_to): an object is not a whole number"
    );
    let e = refused(
        &app,
        json!([
            cond("name", "is_present", json!([])),
            cond("email", "is_present", json!([]))
        ]),
    )
    .await;
    assert_eq!(e, "Condition 1 (name is_present): query_operator must be 'and' or 'or', to join it to the next condition");
    let e = refused(&app, json!([and(cond("name", "is_present", json!([])))])).await;
    assert!(
        e.starts_with(
            "Condition 1 (name is_present): the last condition's query_operator must be null"
        ),
        "{e}"
    );
    let mut xor = cond("name", "is_present", json!([]));
    xor["query_operator"] = json!("xor");
    let e = refused(&app, json!([xor, cond("email", "is_present", json!([]))])).await;
    assert_eq!(
        e,
        "Condition 1 (name is_present): query_operator must be 'and' or 'or', not 'xor'"
    );
    assert_eq!(
        refused(&app, json!([])).await,
        "Add at least one condition to filter by"
    );
    let too_many: Vec<Value> = (0..51)
        .map(|_| or(cond("name", "is_present", json!([]))))
        .collect();
    assert!(refused(&app, Value::Array(too_many))
        .await
        .contains("at most 50 conditions"));
    let long = "x".repeat(256);
    let e = refused(&app, json!([cond("name", "contains", json!([long]))])).await;
    assert_eq!(
        e,
        "Condition 1 (name contains): value 1 is longer than 255 characters"
    );

    // Not even JSON, or the wrong shape: a JSON 4xx from the extractor, never a 500.
    let req = Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/contacts/filter"))
        .header("api_access_token", &app.a.token)
        .header("content-type", "application/json")
        .body(Body::from("{\"payload\": [ "))
        .unwrap();
    let reply = app.send(req).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["error"].is_string(), "{}", reply.text);
    let reply = app
        .post("/contacts/filter", json!({"payload": "name"}))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body["error"].as_str().unwrap().contains("payload"),
        "{}",
        reply.text
    );
    let reply = app
        .post(
            "/contacts/filter?sort=password",
            json!({"payload": [cond("name", "is_present", json!([]))]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn sql_in_a_value_is_only_text() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let robert = app
        .insert_contact(a, json!({"name": "Robert'); DROP TABLE contacts;--"}))
        .await;
    let other = app
        .insert_contact(
            a,
            json!({"name": "Other", "additional_attributes": {"city": "100% Kyiv"}}),
        )
        .await;

    for (key, op) in [
        ("name", "equal_to"),
        ("email", "contains"),
        ("city", "does_not_contain"),
        ("plan", "contains"),
        ("identifier", "equal_to"),
    ] {
        let reply = filter(
            &app,
            json!([cond(key, op, json!(["'); DROP TABLE contacts;--"]))]),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{key} {op}: {}", reply.text);
    }
    assert_eq!(
        matching_one(
            &app,
            "email",
            "contains",
            json!(["'); DROP TABLE contacts;--"])
        )
        .await,
        Vec::<i64>::new()
    );
    assert_eq!(
        matching_one(&app, "name", "contains", json!(["'); drop table"])).await,
        [robert],
        "it is text, matched as text"
    );
    // LIKE wildcards are not wildcards either.
    assert_eq!(
        matching_one(&app, "city", "contains", json!(["%"])).await,
        [other]
    );
    assert_eq!(
        matching_one(&app, "name", "contains", json!(["_"])).await,
        Vec::<i64>::new()
    );
    let e = refused(
        &app,
        json!([cond(
            "x\"); DROP TABLE contacts;--",
            "equal_to",
            json!(["a"])
        )]),
    )
    .await;
    assert!(e.contains("is not a filterable attribute"), "{e}");

    let left: i64 =
        novatalks_server::db::query_scalar("SELECT count(*) FROM contacts WHERE account_id = ?")
            .bind(a)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(left, 2, "the table survives");
}

/// A NUL in a value (PostgreSQL text cannot hold one) is refused in words, on either
/// engine; backslashes are text, never LIKE's escape.
#[tokio::test]
async fn a_nul_is_refused_and_a_backslash_is_only_text() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let slash = app
        .insert_contact(a, json!({"name": "Back\\slash", "identifier": "id\\1"}))
        .await;
    app.insert_contact(a, json!({"name": "Plain"})).await;
    for op in ["equal_to", "contains", "does_not_contain"] {
        let e = refused(&app, json!([cond("name", op, json!(["a\u{0}b"]))])).await;
        assert!(e.contains("control character (U+0000)"), "{op}: {e}");
    }
    assert_eq!(
        matching_one(&app, "name", "contains", json!(["k\\s"])).await,
        [slash]
    );
    assert_eq!(
        matching_one(&app, "name", "starts_with", json!(["BACK\\"])).await,
        [slash]
    );
    assert_eq!(
        matching_one(&app, "identifier", "contains", json!(["\\"])).await,
        [slash]
    );
}

#[tokio::test]
async fn another_accounts_contacts_and_attributes_stay_out() {
    let app = TestApp::new().await;
    let (a, b) = (app.a.account_id, app.b.account_id);
    let mine = app
        .insert_contact(
            a,
            json!({"name": "Olena", "custom_attributes": {"plan": "gold"}}),
        )
        .await;
    let theirs = app
        .insert_contact(
            b,
            json!({"name": "Olena", "custom_attributes": {"plan": "gold", "b_only": "x"}}),
        )
        .await;
    app.label_contact(b, theirs, &["vip"]).await;
    novatalks_server::db::query(
        "INSERT INTO custom_attribute_definitions (account_id, attribute_key, attribute_display_name, attribute_display_type, created_at)
         VALUES (?, 'b_only', 'B only', 'text', 0)",
    )
    .bind(b)
    .execute(&app.db)
    .await
    .unwrap();

    assert_eq!(
        matching_one(&app, "name", "equal_to", json!(["olena"])).await,
        [mine]
    );
    assert_eq!(
        matching_one(&app, "plan", "equal_to", json!(["gold"])).await,
        [mine]
    );
    assert_eq!(
        matching_one(&app, "name", "not_equal_to", json!(["nobody"])).await,
        [mine]
    );
    assert_eq!(
        matching_one(&app, "labels", "equal_to", json!(["vip"])).await,
        Vec::<i64>::new()
    );
    assert_eq!(
        matching_one(&app, "id", "equal_to", json!([theirs])).await,
        Vec::<i64>::new()
    );
    let e = refused(&app, json!([cond("b_only", "equal_to", json!(["x"]))])).await;
    assert!(
        e.starts_with("Condition 1: 'b_only' is not a filterable attribute"),
        "{e}"
    );

    let body = json!({"payload": [cond("name", "is_present", json!([]))]});
    let reply = app
        .request(
            Method::POST,
            &app.b_url("/contacts/filter"),
            Some(&app.a.token),
            Some(body.clone()),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.body["error"],
        "You are not authorized to access this account"
    );
    let reply = app
        .request(
            Method::POST,
            &app.a_url("/contacts/filter"),
            None,
            Some(body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body["error"], "Invalid Access Token");
}

#[tokio::test]
async fn results_are_paged_and_sorted_like_the_list() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let mut by_name = Vec::new();
    for (i, name) in ["Eve", "Bob", "Dan", "Ann", "Cid"].iter().enumerate() {
        let id = app
            .insert_contact(a, json!({"name": name, "email": format!("{}@vip.test", name.to_lowercase()), "last_activity_at": 1_000 + i as i64}))
            .await;
        by_name.push((name.to_string(), id));
    }
    app.insert_contact(a, json!({"name": "Zed", "email": "zed@other.test"}))
        .await;
    by_name.sort();
    let ids: Vec<i64> = by_name.iter().map(|(_, id)| *id).collect();
    let body = json!({"payload": [cond("email", "contains", json!(["@vip.test"]))]});

    let reply = app
        .post("/contacts/filter?sort=name&per_page=2&page=2", body.clone())
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["meta"], json!({"count": 5, "current_page": 2}));
    assert_eq!(TestApp::ids(&reply), &ids[2..4]);

    let reply = app
        .post(
            "/contacts/filter?sort=-name&per_page=2&page=3",
            body.clone(),
        )
        .await;
    assert_eq!(TestApp::ids(&reply), [ids[0]]);

    // Default: 15 a page, most recently active first, and the contact's full shape.
    let reply = app.post("/contacts/filter", body).await;
    assert_eq!(reply.body["meta"], json!({"count": 5, "current_page": 1}));
    assert_eq!(reply.body["payload"][0]["name"], "Cid");
    let first = &reply.body["payload"][0];
    for field in [
        "id",
        "email",
        "labels",
        "conversations_count",
        "blocked",
        "custom_attributes",
        "created_at",
    ] {
        assert!(first.get(field).is_some(), "{field} missing in {first}");
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_filter_and_segments() {
    let app = TestApp::new().await;
    let reply = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let paths = &reply.body["paths"];
    assert!(
        paths["/api/v1/accounts/{account_id}/contacts/filter"]["post"].is_object(),
        "{paths}"
    );
    let one = &paths["/api/v1/accounts/{account_id}/custom_filters/{id}"];
    for method in ["get", "patch", "put", "delete"] {
        assert!(one[method].is_object(), "{method} /custom_filters/{{id}}");
    }
    let all = &paths["/api/v1/accounts/{account_id}/custom_filters"];
    assert!(all["get"].is_object() && all["post"].is_object());
    assert!(reply.body["components"]["schemas"]["FilterRequest"].is_object());
}
