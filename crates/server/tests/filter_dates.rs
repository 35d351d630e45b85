//! Date conditions in the agent's IANA time zone across Kyiv's clock changes of 2026:
//! spring on 29 March (03:00 → 04:00 local, 01:00 UTC: a 23-hour day) and autumn on
//! 25 October (04:00 → 03:00 local: a 25-hour day). Contacts are created a minute either
//! side of the local midnights that begin and end those days; "on", "before", "after" and
//! "days before" must cut exactly there. The integer offset of earlier clients still
//! works (24 hours at that offset), a saved segment keeps its zone, and a zone that does
//! not exist is a 422 in words.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDateTime;
use common::TestApp;
use novatalks_model::FilterCondition;
use novatalks_server::contacts::{filter_ids, Reading};
use serde_json::{json, Value};

const KYIV: &str = "Europe/Kyiv";
const MINUTE: i64 = 60;

/// `2026-03-28 22:00` (UTC) in Unix seconds.
fn utc(text: &str) -> i64 {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
        .unwrap()
        .and_utc()
        .timestamp()
}

fn cond(key: &str, op: &str, values: Value) -> Value {
    json!({"attribute_key": key, "filter_operator": op, "values": values, "query_operator": null})
}

/// The ids matching one condition, ascending; the count agrees.
async fn matching(app: &TestApp, key: &str, op: &str, values: Value) -> Vec<i64> {
    let reply = app
        .post(
            "/contacts/filter?per_page=100",
            json!({ "payload": [cond(key, op, values.clone())] }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{values}: {}", reply.text);
    let mut ids = TestApp::ids(&reply);
    assert_eq!(reply.body["meta"]["count"], json!(ids.len()));
    ids.sort();
    ids
}

fn conditions(payload: Value) -> Vec<FilterCondition> {
    serde_json::from_value(payload).unwrap()
}

/// The ids matching `days_before [days, zone]` on `created_at` at `now`, every contact
/// tested (the reference reading).
async fn days_before_ids(
    app: &TestApp,
    account: i64,
    days: u32,
    zone: Value,
    now: i64,
) -> Vec<i64> {
    let payload = conditions(json!([cond(
        "created_at",
        "days_before",
        json!([days, zone])
    )]));
    filter_ids(&app.db, account, &payload, now, Reading::Scan)
        .await
        .unwrap()
}

/// Contacts created a minute before and at each Kyiv midnight around a day, by name.
struct Midnights {
    /// 23:59 on the day before.
    eve: i64,
    /// 00:00 of the day.
    first: i64,
    /// 23:59 of the day.
    last: i64,
    /// 00:00 of the day after.
    next: i64,
}

/// `start` and `end`: the UTC instants of the day's local midnights.
async fn around(app: &TestApp, start: i64, end: i64) -> Midnights {
    let a = app.a.account_id;
    let at = |name: &str, t: i64| json!({"name": name, "created_at": t, "last_activity_at": t});
    Midnights {
        eve: app.insert_contact(a, at("eve", start - MINUTE)).await,
        first: app.insert_contact(a, at("first", start)).await,
        last: app.insert_contact(a, at("last", end - MINUTE)).await,
        next: app.insert_contact(a, at("next", end)).await,
    }
}

#[tokio::test]
async fn the_spring_day_in_kyiv_has_23_hours() {
    let app = TestApp::new().await;
    // 29 March begins at 00:00 EET (22:00 UTC the day before) and ends at 00:00 EEST.
    let c = around(&app, utc("2026-03-28 22:00"), utc("2026-03-29 21:00")).await;
    let day = "2026-03-29";
    for key in ["created_at", "last_activity_at"] {
        assert_eq!(
            matching(&app, key, "equal_to", json!([day, KYIV])).await,
            [c.first, c.last],
            "{key} on the day"
        );
        assert_eq!(
            matching(&app, key, "is_less_than", json!([day, KYIV])).await,
            [c.eve],
            "{key} before the day"
        );
        assert_eq!(
            matching(&app, key, "is_greater_than", json!([day, KYIV])).await,
            [c.next],
            "{key} after the day"
        );
    }
    // The day before and the day after, each 24 hours, meet it exactly.
    assert_eq!(
        matching(&app, "created_at", "equal_to", json!(["2026-03-28", KYIV])).await,
        [c.eve]
    );
    assert_eq!(
        matching(&app, "created_at", "equal_to", json!(["2026-03-30", KYIV])).await,
        [c.next]
    );
}

#[tokio::test]
async fn the_autumn_day_in_kyiv_has_25_hours() {
    let app = TestApp::new().await;
    // 25 October begins at 00:00 EEST (21:00 UTC the day before) and ends at 00:00 EET.
    let c = around(&app, utc("2026-10-24 21:00"), utc("2026-10-25 22:00")).await;
    let day = "2026-10-25";
    assert_eq!(
        matching(&app, "created_at", "equal_to", json!([day, KYIV])).await,
        [c.first, c.last]
    );
    assert_eq!(
        matching(&app, "created_at", "is_less_than", json!([day, KYIV])).await,
        [c.eve]
    );
    assert_eq!(
        matching(&app, "created_at", "is_greater_than", json!([day, KYIV])).await,
        [c.next]
    );
    assert_eq!(
        matching(
            &app,
            "last_activity_at",
            "equal_to",
            json!(["2026-10-26", KYIV])
        )
        .await,
        [c.next],
        "the first minute of the 26th, at winter time"
    );
    // The old link name reads the same zone.
    assert_eq!(
        matching(&app, "created_at", "equal_to", json!([day, "Europe/Kiev"])).await,
        [c.first, c.last]
    );
}

#[tokio::test]
async fn an_offset_is_24_hours_at_that_offset_as_before() {
    let app = TestApp::new().await;
    let c = around(&app, utc("2026-10-24 21:00"), utc("2026-10-25 22:00")).await;
    let day = "2026-10-25";
    // Saved in summer (UTC+3): 21:00 to 21:00 UTC; the last hour of the local day is out.
    assert_eq!(
        matching(&app, "created_at", "equal_to", json!([day, 180])).await,
        [c.first],
        "23:59 winter time is 00:59 on the 26th at UTC+3"
    );
    assert_eq!(
        matching(&app, "created_at", "is_greater_than", json!([day, 180])).await,
        [c.last, c.next]
    );
    // Sent in winter (UTC+2): 22:00 to 22:00 UTC; the first hour is out.
    assert_eq!(
        matching(&app, "created_at", "equal_to", json!([day, 120])).await,
        [c.last]
    );
    assert_eq!(
        matching(&app, "created_at", "is_less_than", json!([day, "120"])).await,
        [c.eve, c.first]
    );
    // No zone: UTC's day.
    assert_eq!(
        matching(&app, "created_at", "equal_to", json!([day])).await,
        [c.last, c.next]
    );
}

#[tokio::test]
async fn days_before_counts_back_from_today_in_the_zone() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let c = around(&app, utc("2026-03-28 22:00"), utc("2026-03-29 21:00")).await;
    let ids = |days: u32, zone: Value, now: i64| days_before_ids(&app, a, days, zone, now);
    // 30 March 00:30 in Kyiv (summer time) is still 21:30 on the 29th in UTC.
    let now = utc("2026-03-29 21:30");
    assert_eq!(
        ids(0, json!(KYIV), now).await,
        [c.eve, c.first, c.last],
        "before today (30 March) began"
    );
    assert_eq!(
        ids(1, json!(KYIV), now).await,
        [c.eve],
        "before 29 March began, at winter time"
    );
    assert_eq!(
        ids(1, json!(180), now).await,
        Vec::<i64>::new(),
        "today's offset puts 29 March's start an hour early"
    );
    // The indexed reading agrees with the scan.
    let payload = conditions(json!([cond("created_at", "days_before", json!([1, KYIV]))]));
    let indexed = filter_ids(&app.db, a, &payload, now, Reading::Candidates)
        .await
        .unwrap();
    assert_eq!(indexed, [c.eve]);
    // A minute earlier it was 23:59 on the 29th in Kyiv: "before today" is before the 29th.
    assert_eq!(ids(0, json!(KYIV), utc("2026-03-29 20:59")).await, [c.eve]);
}

#[tokio::test]
async fn a_custom_date_counts_days_before_from_today_in_the_zone() {
    // The fixture account defines `renewal_date` as a date.
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let renews = |day: &str| json!({"name": day, "custom_attributes": {"renewal_date": day}});
    let on_28th = app.insert_contact(a, renews("2026-10-28")).await;
    let on_29th = app.insert_contact(a, renews("2026-10-29")).await;
    let payload = conditions(json!([cond(
        "renewal_date",
        "days_before",
        json!([0, KYIV])
    )]));
    // 22:30 UTC on 28 October is already the 29th in Kyiv (UTC+2).
    let now = utc("2026-10-28 22:30");
    let found = filter_ids(&app.db, a, &payload, now, Reading::Scan)
        .await
        .unwrap();
    assert_eq!(found, [on_28th]);
    let mut utc_payload = payload.clone();
    utc_payload[0].values[1] = json!(0);
    let found = filter_ids(&app.db, a, &utc_payload, now, Reading::Scan)
        .await
        .unwrap();
    assert!(found.is_empty(), "still the 28th in UTC");
    let found = filter_ids(&app.db, a, &payload, now + 86_400, Reading::Scan)
        .await
        .unwrap();
    assert_eq!(found, [on_28th, on_29th], "a day later in Kyiv");
}

#[tokio::test]
async fn a_zone_that_does_not_exist_is_a_422_in_words() {
    let app = TestApp::new().await;
    for (values, wrong) in [
        (json!(["2026-10-25", "Europe/Kiev2"]), "'Europe/Kiev2'"),
        (json!(["2026-10-25", "europe/kyiv"]), "'europe/kyiv'"),
        (json!(["2026-10-25", "+02:00"]), "'+02:00'"),
        (json!([3, "Mars/Olympus_Mons"]), "'Mars/Olympus_Mons'"),
    ] {
        let op = if values[0].is_number() {
            "days_before"
        } else {
            "equal_to"
        };
        let reply = app
            .post(
                "/contacts/filter",
                json!({ "payload": [cond("created_at", op, values)] }),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.text
        );
        assert_eq!(
            reply.body["error"],
            json!(format!(
                "Condition 1 (created_at {op}): {wrong} is not a time zone; use an IANA name \
                 such as Europe/Kyiv, or a UTC offset in minutes"
            ))
        );
    }
    // A saved segment is checked the same way.
    let reply = app
        .post(
            "/custom_filters",
            json!({"custom_filter": {"name": "Bad zone", "filter_type": "contact",
                   "query": {"payload": [cond("created_at", "equal_to", json!(["2026-10-25", "Europe/Kiev2"]))]}}}),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text
    );
    assert!(
        reply.text.contains("'Europe/Kiev2' is not a time zone"),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn a_saved_segment_keeps_the_zone_it_was_saved_with() {
    let app = TestApp::new().await;
    let c = around(&app, utc("2026-10-24 21:00"), utc("2026-10-25 22:00")).await;
    let query = json!({"payload": [cond("created_at", "equal_to", json!(["2026-10-25", KYIV]))]});
    let saved = app
        .post(
            "/custom_filters",
            json!({"custom_filter": {"name": "Autumn day", "filter_type": "contact", "query": query}}),
        )
        .await;
    assert!(saved.status.is_success(), "{}", saved.text);
    let id = saved.body["id"].as_i64().expect("an id");
    let read = app.get(&format!("/custom_filters/{id}")).await;
    assert_eq!(
        read.body["query"], query,
        "the zone comes back as it was sent"
    );
    let reply = app
        .post(
            "/contacts/filter?per_page=100",
            json!({"payload": read.body["query"]["payload"]}),
        )
        .await;
    let mut ids = TestApp::ids(&reply);
    ids.sort();
    assert_eq!(ids, [c.first, c.last]);
}

#[tokio::test]
async fn the_openapi_document_says_how_a_day_travels() {
    let app = TestApp::new().await;
    let reply = app
        .request(axum::http::Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    let values = &reply.body["components"]["schemas"]["FilterCondition"]["properties"]["values"];
    let description = values["description"].as_str().unwrap_or_default();
    assert!(
        description.contains("IANA time zone") && description.contains("Europe/Kyiv"),
        "{values}"
    );
}
