//! A day filter built by an agent in Kyiv (Chromium's time zone set to Europe/Kyiv), on
//! 25 October 2026: the day the clocks go back, 25 hours long. The request carries the
//! browser's IANA zone, and the rows are the contacts of Kyiv's whole day: the first and
//! the last minute in, the minutes either side out. A UTC offset (today's, +2, or
//! summer's, +3) would have lost one of them.

use std::path::PathBuf;

use novatalks_e2e::{choose, filter_row_part as row_part, App, Result};
use serde_json::{json, Value};

const ROWS: &str = "[data-testid=contact-row]";

/// Wraps the page's `fetch` so that the bodies of filter requests are kept in
/// `window.filterBodies`, the last one last.
const RECORD_FILTER_REQUESTS: &str = r#"
    window.filterBodies = [];
    const original = window.fetch;
    window.fetch = function (input, init) {
        const request = new Request(input, init);
        if (request.url.includes("/contacts/filter")) {
            request.clone().text().then((body) => window.filterBodies.push(body));
        }
        return original.call(this, request);
    };
"#;

/// Waits until the list shows exactly the contacts `ids` (in any order).
async fn wait_for_rows(app: &App, ids: &[i64]) -> Result<()> {
    let mut wanted = ids.to_vec();
    wanted.sort();
    app.browser
        .wait_until(&format!("the rows {wanted:?}"), || async {
            let mut shown = app.row_ids().await?;
            shown.sort();
            let count = app.shown_count().await?;
            Ok((shown == wanted && count == Some(wanted.len() as u64)).then_some(()))
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_filtered_in_kyiv_is_kyivs_whole_day_across_the_autumn_change() -> Result<()> {
    let mut data_dir = PathBuf::new();
    let app = App::start_in_time_zone("Europe/Kyiv", |config| {
        data_dir = config.data_dir.clone();
    })
    .await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;

    let zone = app
        .run(
            "return Intl.DateTimeFormat().resolvedOptions().timeZone;",
            vec![],
        )
        .await?;
    let zone = zone.as_str().ok_or("a time zone name")?.to_owned();
    assert!(
        ["Europe/Kyiv", "Europe/Kiev"].contains(&zone.as_str()),
        "Chromium is not in Kyiv: {zone}"
    );
    let summer = app
        .run(
            "return -new Date('2026-10-25T00:30:00Z').getTimezoneOffset();",
            vec![],
        )
        .await?;
    assert_eq!(summer, json!(180), "summer time before 01:00 UTC");

    // A minute either side of the local midnights of 25 October: 00:00 EEST is 21:00
    // UTC the day before, the next 00:00 (EET) is 22:00 UTC on the 25th.
    let db = novatalks_server::db::open(&data_dir).await?;
    let moments = [
        ("Zone eve", 1_792_875_540),   // 2026-10-24 23:59 EEST
        ("Zone first", 1_792_875_600), // 2026-10-25 00:00 EEST
        ("Zone last", 1_792_965_540),  // 2026-10-25 23:59 EET
        ("Zone next", 1_792_965_600),  // 2026-10-26 00:00 EET
    ];
    let mut ids = Vec::new();
    for (name, at) in moments {
        let created = app
            .api("POST", "/contacts", Some(json!({ "name": name })))
            .await?;
        let id = created["payload"]["contact"]["id"]
            .as_i64()
            .ok_or("the new contact's id")?;
        novatalks_server::db::query(
            "UPDATE contacts SET created_at = ?, last_activity_at = ? WHERE id = ?",
        )
        .bind(at)
        .bind(at)
        .bind(id)
        .execute(&db)
        .await?;
        ids.push(id);
    }
    db.close().await;
    let (first, last) = (ids[1], ids[2]);

    app.run(RECORD_FILTER_REQUESTS, vec![]).await?;
    // Name starts with "Zone" AND created on 25 October.
    app.browser
        .wait_for("[data-testid=filter-open]")
        .await?
        .click()
        .await?;
    app.browser.wait_for("[data-testid=filter-builder]").await?;
    choose(&app, &row_part(0, "filter-attribute"), "name").await?;
    choose(&app, &row_part(0, "filter-operator"), "starts_with").await?;
    app.browser
        .wait_for(&row_part(0, "filter-value"))
        .await?
        .send_keys("Zone")
        .await?;
    app.browser
        .wait_for("[data-testid=filter-add]")
        .await?
        .click()
        .await?;
    choose(&app, &row_part(1, "filter-attribute"), "created_at").await?;
    choose(&app, &row_part(1, "filter-operator"), "equal_to").await?;
    // A date field takes keys in the browser's locale; set it as the picker does.
    app.run(
        "const input = document.querySelector(arguments[0]); input.value = arguments[1]; \
         input.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(row_part(1, "filter-value")), json!("2026-10-25")],
    )
    .await?;
    app.browser
        .wait_for("[data-testid=filter-apply]")
        .await?
        .click()
        .await?;

    wait_for_rows(&app, &[first, last]).await?;

    // What was asked: the day with the browser's zone, not an offset.
    let bodies = app.run("return window.filterBodies;", vec![]).await?;
    let last_body = bodies
        .as_array()
        .and_then(|b| b.last())
        .and_then(Value::as_str)
        .ok_or("a filter request")?;
    let sent: Value = serde_json::from_str(last_body)?;
    assert_eq!(
        sent["payload"][1],
        json!({"attribute_key": "created_at", "filter_operator": "equal_to",
               "values": ["2026-10-25", zone], "query_operator": null}),
        "{sent}"
    );
    assert_eq!(sent["payload"][0]["values"], json!(["Zone"]));

    // The chip reads as the agent's own day, and the link keeps the zone.
    let chips = app
        .run(
            "return [...document.querySelectorAll('[data-testid=filter-chip]')].map(c => c.textContent.trim());",
            vec![],
        )
        .await?;
    let this_year = app.run("return new Date().getFullYear();", vec![]).await?;
    let day = if this_year == json!(2026) {
        "25 Oct"
    } else {
        "25 Oct 2026"
    };
    assert_eq!(
        chips,
        json!(["Name starts with “Zone”", format!("Created on {day}")]),
        "no zone named: it is the agent's"
    );
    let url = app.browser.client.current_url().await?.to_string();
    assert!(
        url.contains(&format!("created_at:equal_to(2026-10-25,{zone})")),
        "{url}"
    );
    app.browser.client.refresh().await?;
    wait_for_rows(&app, &[first, last]).await?;

    app.close().await
}
