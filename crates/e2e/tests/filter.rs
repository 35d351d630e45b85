//! The advanced filter against the real server and the demo data: "label is vip AND last
//! activity in the last 30 days OR blocked is true" built in the builder, the rows and
//! count checked against `POST /contacts/filter` with the same payload, saved as a
//! segment, and opened again from the sidebar after a reload.

use fantoccini::Locator;
use novatalks_e2e::{choose, filter_row_part as row_part, App, Result};
use serde_json::json;

const ROWS: &str = "[data-testid=contact-row]";
const SEGMENT: &str = "VIP lately or blocked";

/// Waits until the page shows `count` contacts, the first of them `first`.
async fn wait_for_list(app: &App, count: u64, first: &[i64]) -> Result<()> {
    app.browser
        .wait_until(
            &format!("{count} contacts, the first {first:?}"),
            || async {
                let ids = app.row_ids().await?;
                let same = ids.len() >= first.len() && ids[..first.len()] == *first;
                Ok((app.shown_count().await? == Some(count) && same).then_some(()))
            },
        )
        .await
}

async fn chip_texts(app: &App) -> Result<Vec<String>> {
    let texts = app.run("return [...document.querySelectorAll('[data-testid=filter-chip]')].map(c => c.textContent.trim());",
        vec![],
    )
    .await?;
    Ok(serde_json::from_value(texts)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_built_in_the_ui_matches_the_api_and_comes_back_as_a_segment() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;

    // The day 31 days ago in the browser's zone: "after" it is the last 30 days.
    let since = app.run("const d = new Date(Date.now() - 31 * 86400000); \
         return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;",
        vec![],
    )
    .await?;
    let since = since.as_str().ok_or("a date")?.to_owned();
    let zone = app
        .run(
            "return Intl.DateTimeFormat().resolvedOptions().timeZone;",
            vec![],
        )
        .await?;

    // Build it: label is vip AND last activity after <since> OR blocked is true.
    app.browser
        .wait_for("[data-testid=filter-open]")
        .await?
        .click()
        .await?;
    app.browser.wait_for("[data-testid=filter-builder]").await?;
    choose(&app, &row_part(0, "filter-attribute"), "labels").await?;
    choose(&app, &row_part(0, "filter-operator"), "equal_to").await?;
    app.browser
        .wait_for(&format!(
            "{} input[data-value='vip']",
            row_part(0, "filter-value")
        ))
        .await?
        .click()
        .await?;
    app.browser
        .wait_for("[data-testid=filter-add]")
        .await?
        .click()
        .await?;
    choose(&app, &row_part(1, "filter-attribute"), "last_activity_at").await?;
    choose(&app, &row_part(1, "filter-operator"), "is_greater_than").await?;
    // A date field takes keys in the browser's locale; set it as the picker does.
    app.run(
        "const input = document.querySelector(arguments[0]); input.value = arguments[1]; \
         input.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(row_part(1, "filter-value")), json!(since)],
    )
    .await?;
    app.browser
        .wait_for("[data-testid=filter-add]")
        .await?
        .click()
        .await?;
    choose(&app, &row_part(2, "filter-attribute"), "blocked").await?;
    choose(&app, &row_part(2, "filter-operator"), "equal_to").await?;
    choose(&app, &row_part(2, "filter-value"), "true").await?;
    choose(&app, &row_part(1, "filter-join"), "or").await?;
    app.browser
        .wait_for("[data-testid=filter-apply]")
        .await?
        .click()
        .await?;

    // The API's answer to the same payload.
    let payload = json!([
        {"attribute_key": "labels", "filter_operator": "equal_to", "values": ["vip"], "query_operator": "and"},
        {"attribute_key": "last_activity_at", "filter_operator": "is_greater_than", "values": [since, zone], "query_operator": "or"},
        {"attribute_key": "blocked", "filter_operator": "equal_to", "values": [true], "query_operator": null},
    ]);
    let expected = app
        .api(
            "POST",
            "/contacts/filter?page=1&per_page=100&sort=-last_activity_at",
            Some(json!({ "payload": payload })),
        )
        .await?;
    let count = expected["meta"]["count"].as_u64().ok_or("a count")?;
    let everyone = app.api(
        "POST",
        "/contacts/filter?per_page=1",
        Some(json!({"payload": [{"attribute_key": "id", "filter_operator": "is_greater_than", "values": [0], "query_operator": null}]})),
    )
    .await?["meta"]["count"]
        .as_u64()
        .ok_or("a count")?;
    assert!(
        0 < count && count < everyone,
        "{count} of {everyone}: the filter narrows"
    );
    let first: Vec<i64> = expected["payload"]
        .as_array()
        .ok_or("contacts")?
        .iter()
        .take(8)
        .filter_map(|c| c["id"].as_i64())
        .collect();
    wait_for_list(&app, count, &first).await?;
    assert!(
        app.browser
            .client
            .find_all(Locator::Css("[data-testid=filter-builder]"))
            .await?
            .is_empty(),
        "applying closes the builder"
    );
    let url = app.browser.client.current_url().await?.to_string();
    assert!(
        url.contains("filter=labels:equal_to(vip)~and~last_activity_at:is_greater_than("),
        "{url}"
    );

    // Chips say it in words.
    let chips = chip_texts(&app).await?;
    assert_eq!(chips.len(), 3, "{chips:?}");
    assert_eq!(chips[0], "Label is vip");
    assert!(chips[1].starts_with("Last activity after "), "{chips:?}");
    assert_eq!(chips[2], "Blocked is true");
    let shot = app.browser.screenshot("filter-applied").await?;
    println!("screenshot: {}", shot.display());

    // Save it as a segment.
    app.browser
        .wait_for("[data-testid=segment-save]")
        .await?
        .click()
        .await?;
    app.browser
        .wait_for("[data-testid=filter-chips] [data-testid=segment-name]")
        .await?
        .send_keys(SEGMENT)
        .await?;
    app.browser
        .wait_for("[data-testid=segment-save-submit]")
        .await?
        .click()
        .await?;
    let segment_item = "[data-testid=segment-item]";
    app.browser
        .wait_until("the segment in the sidebar", || async {
            let text = app.browser.text_of(segment_item).await?;
            Ok(text.filter(|t| t.contains(SEGMENT)))
        })
        .await?;

    // A reload of the plain list: no filter; the segment is still there and opens it.
    app.browser.client.goto(&app.url("/contacts")).await?;
    app.browser.client.refresh().await?;
    app.browser.wait_for_all(ROWS).await?;
    assert!(chip_texts(&app).await?.is_empty());
    app.browser
        .wait_until("the plain list", || async {
            Ok((app.shown_count().await? == Some(everyone)).then_some(()))
        })
        .await?;
    app.browser
        .wait_until("the segment after the reload", || async {
            let text = app.browser.text_of(segment_item).await?;
            Ok(text.filter(|t| t.contains(SEGMENT)))
        })
        .await?;
    app.browser.wait_for(segment_item).await?.click().await?;
    wait_for_list(&app, count, &first).await?;
    assert_eq!(chip_texts(&app).await?, chips);
    app.browser
        .wait_for("[data-testid=segment-item][aria-current=true]")
        .await?;
    let shot = app.browser.screenshot("filter-segment-reopened").await?;
    println!("screenshot: {}", shot.display());

    // Open the builder from a chip: it starts on that condition.
    app.browser
        .wait_for_all("[data-testid=filter-chip]")
        .await?
        .swap_remove(2)
        .click()
        .await?;
    app.browser.wait_for("[data-testid=filter-builder]").await?;
    app.browser
        .wait_until("the third row to have the focus", || async {
            let focused = app.run("const a = document.activeElement; const row = a && a.closest('[data-testid=filter-row]'); \
                 return row ? row.dataset.index : null;",
                vec![],
            )
            .await?;
            Ok((focused == json!("2")).then_some(()))
        })
        .await?;
    let shot = app.browser.screenshot("filter-builder").await?;
    println!("screenshot: {}", shot.display());
    app.close().await
}
