//! The app against a server answering as a stock Chatwoot (`--stock-chatwoot`: no [ext]
//! fields, [ext] inputs ignored, `per_page` ignored): it still lists (paged by the
//! server's 15), searches, filters, edits, blocks (until unblocked, no durations offered)
//! and merges.

use fantoccini::key::Key;
use fantoccini::Locator;
use novatalks_e2e::{choose, empty, App, Result};
use novatalks_server::seed::DUPLICATE_PAIR;
use serde_json::{json, Value};

const ROWS: &str = "[data-testid=contact-row]";
const ROW_HEIGHT_PX: i64 = 52;

/// Waits until the page shows `count` contacts, the rows in the DOM (as many as fit)
/// being the first of `first`.
async fn wait_for_list(app: &App, count: u64, first: &[i64]) -> Result<()> {
    app.browser
        .wait_until(&format!("{count} contacts, first {first:?}"), || async {
            let ids = app.row_ids().await?;
            let n = ids.len().min(first.len());
            let same = n > 0 && ids[..n] == first[..n];
            Ok((app.shown_count().await? == Some(count) && same).then_some(()))
        })
        .await
}

fn ids_of(list: &Value) -> Vec<i64> {
    list["payload"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_i64())
        .collect()
}

async fn click(app: &App, css: &str) -> Result<()> {
    app.browser.wait_for(css).await?.click().await?;
    Ok(())
}

async fn status_of(app: &App, id: i64) -> Result<Option<String>> {
    app.browser
        .text_of(&format!(
            "{ROWS}[data-contact-id='{id}'] [data-testid=contact-status]"
        ))
        .await
}

async fn wait_for_status(app: &App, id: i64, want: &str) -> Result<()> {
    app.browser
        .wait_until(&format!("contact {id} {want}"), || async {
            Ok((status_of(app, id).await?.as_deref() == Some(want)).then_some(()))
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_a_stock_chatwoot_the_app_lists_searches_filters_edits_blocks_and_merges(
) -> Result<()> {
    let app = App::start_with(|config| config.stock_chatwoot = true).await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;

    // The server really is stock: no [ext] keys, 15 a page whatever was asked.
    let first_page = app.api_get("/contacts?page=1&per_page=100").await?;
    let total = first_page["meta"]["count"].as_u64().ok_or("a count")?;
    assert_eq!(ids_of(&first_page).len(), 15);
    let sample = &first_page["payload"][0];
    for key in [
        "blocked_until",
        "block_reason",
        "labels",
        "conversations_count",
    ] {
        assert!(sample.get(key).is_none(), "{key} in {sample}");
    }

    // List: the count, the first page in order, "—" for the conversations nobody counted.
    wait_for_list(&app, total, &ids_of(&first_page)).await?;
    let conversations = app
        .browser
        .text_of(&format!("{ROWS} .cell--conversations"))
        .await?;
    assert_eq!(conversations.as_deref(), Some("—"));

    // Each row reads its labels from GET /contacts/{id}/labels.
    let mut labelled = None;
    for id in ids_of(&first_page) {
        let titles = app.api_get(&format!("/contacts/{id}/labels")).await?;
        if titles["payload"].as_array().is_some_and(|t| !t.is_empty()) {
            labelled = Some((id, titles["payload"].clone()));
            break;
        }
    }
    let (labelled, titles) = labelled.ok_or("a demo contact with labels on the first page")?;
    let chips = app
        .browser
        .wait_until("the row's labels", || async {
            // The chips, and the labels the "+N" chip stands for.
            let chips = app
                .run(
                    "const row = document.querySelector(arguments[0]); \
                     return row ? [...row.querySelectorAll('[data-testid=label-chip]')] \
                     .map(c => c.textContent.trim()).concat([...row.querySelectorAll( \
                     '[data-testid=more-labels]')].flatMap(m => m.dataset.labels.split(','))) : [];",
                    vec![json!(format!("{ROWS}[data-contact-id='{labelled}']"))],
                )
            .await?;
            Ok((chips.as_array().is_some_and(|c| !c.is_empty())).then_some(chips))
        })
        .await?;
    let mut chips: Vec<String> = serde_json::from_value(chips)?;
    let mut expected: Vec<String> = serde_json::from_value(titles)?;
    chips.sort();
    expected.sort();
    assert_eq!(chips, expected);
    let shot = app.browser.screenshot("stock-list").await?;
    println!("screenshot: {}", shot.display());

    // Paging: rows 46 to 60 are the server's page 4 of 15, not holes in a page of 100.
    let page_four = app.api_get("/contacts?page=4").await?;
    app.run(
        "document.querySelector('[data-testid=contacts-scroll]').scrollTop = arguments[0];",
        vec![json!(45 * ROW_HEIGHT_PX)],
    )
    .await?;
    let want = ids_of(&page_four);
    app.browser
        .wait_until("the rows of page 4", || async {
            let ids = app.row_ids().await?;
            let placeholders = app
                .browser
                .client
                .find_all(Locator::Css(".placeholder-row"))
                .await?
                .len();
            // Row 45 on is page 4, in order, as far as the DOM holds rows.
            let window = ids.iter().position(|id| *id == want[0]).is_some_and(|at| {
                let shown = &ids[at..];
                let n = shown.len().min(want.len());
                n >= 5 && shown[..n] == want[..n]
            });
            Ok((window && placeholders == 0).then_some(()))
        })
        .await?;

    app.run(
        "document.querySelector('[data-testid=contacts-scroll]').scrollTop = 0;",
        vec![],
    )
    .await?;
    wait_for_list(&app, total, &ids_of(&first_page)).await?;

    // Search: what the API finds for the same words.
    let name = sample["name"].as_str().ok_or("a name")?.to_owned();
    let word = name.split_whitespace().last().unwrap_or(&name).to_owned();
    let found = app
        .api_get(&format!("/contacts/search?q={}", word.replace(' ', "%20")))
        .await?;
    let found_count = found["meta"]["count"].as_u64().ok_or("a count")?;
    let search = app.browser.wait_for("[data-testid=contact-search]").await?;
    search.send_keys(&word).await?;
    wait_for_list(&app, found_count, &ids_of(&found)).await?;
    click(&app, "[data-testid=clear-search]").await?;
    wait_for_list(&app, total, &ids_of(&first_page)).await?;

    // Filter: blocked is true, built in the builder, shown as a chip, rows as the API's.
    let filtered = app.api_answer("POST",
        "/contacts/filter?page=1",
        Some(json!({ "payload": [
            {"attribute_key": "blocked", "filter_operator": "equal_to", "values": [true], "query_operator": null}
        ]})),
    )
    .await?
    .1;
    let filtered_count = filtered["meta"]["count"].as_u64().ok_or("a count")?;
    assert!(filtered_count > 0, "the demo data has blocked contacts");
    click(&app, "[data-testid=filter-open]").await?;
    app.browser.wait_for("[data-testid=filter-builder]").await?;
    let row = "[data-testid=filter-row][data-index='0']";
    choose(
        &app,
        &format!("{row} [data-testid=filter-attribute]"),
        "blocked",
    )
    .await?;
    choose(
        &app,
        &format!("{row} [data-testid=filter-operator]"),
        "equal_to",
    )
    .await?;
    choose(&app, &format!("{row} [data-testid=filter-value]"), "true").await?;
    click(&app, "[data-testid=filter-apply]").await?;
    wait_for_list(&app, filtered_count, &ids_of(&filtered)).await?;
    let chip = app
        .browser
        .wait_for("[data-testid=filter-chip]")
        .await?
        .text()
        .await?;
    assert!(chip.to_lowercase().contains("blocked"), "{chip}");
    for id in ids_of(&filtered).iter().take(3) {
        wait_for_status(&app, *id, "Blocked").await?;
    }
    let shot = app.browser.screenshot("stock-filter").await?;
    println!("screenshot: {}", shot.display());
    app.browser.client.goto(&app.url("/contacts")).await?;
    wait_for_list(&app, total, &ids_of(&first_page)).await?;

    // Block from a row: until unblocked, no durations or reason offered, and said why.
    let active = ids_of(&first_page)
        .into_iter()
        .zip(first_page["payload"].as_array().into_iter().flatten())
        .find(|(_, c)| c["blocked"] == json!(false))
        .map(|(id, _)| id)
        .ok_or("an active contact on the first page")?;
    let row = format!("{ROWS}[data-contact-id='{active}']");
    click(&app, &format!("{row} [data-testid=block-button]")).await?;
    let dialog = app.browser.wait_for("[data-testid=block-dialog]").await?;
    let explanation = app
        .browser
        .wait_for("[data-testid=block-forever-only]")
        .await?
        .text()
        .await?;
    assert!(explanation.contains("standard Chatwoot"), "{explanation}");
    for absent in [
        "[data-testid^=block-duration-]",
        "[data-testid=block-until-input]",
        "[data-testid=block-reason]",
    ] {
        assert!(
            dialog.find_all(Locator::Css(absent)).await?.is_empty(),
            "{absent} offered"
        );
    }
    let shot = app.browser.screenshot("stock-block-dialog").await?;
    println!("screenshot: {}", shot.display());
    click(&app, "[data-testid=block-confirm]").await?;
    wait_for_status(&app, active, "Blocked").await?;
    let stored = app.api_get(&format!("/contacts/{active}")).await?;
    assert_eq!(stored["payload"]["blocked"], json!(true));
    click(&app, &format!("{row} [data-testid=unblock-button]")).await?;
    wait_for_status(&app, active, "Active").await?;
    let stored = app.api_get(&format!("/contacts/{active}")).await?;
    assert_eq!(stored["payload"]["blocked"], json!(false));

    // Edit on the card: a new email, stored.
    app.browser
        .client
        .goto(&app.url(&format!("/contacts/{active}")))
        .await?;
    app.browser
        .wait_for(&format!(
            "[data-testid=contact-card][data-contact-id='{active}']"
        ))
        .await?;
    let email = format!("stock-{active}@example.test");
    click(&app, "[data-testid=edit-email]").await?;
    let input = app
        .browser
        .wait_for("[data-testid=card-email-input]")
        .await?;
    empty(&input).await?;
    input.send_keys(&email).await?;
    input.send_keys(&Key::Enter.to_string()).await?;
    app.browser
        .wait_until("the new email stored", || async {
            let stored = app.api_get(&format!("/contacts/{active}")).await?;
            Ok((stored["payload"]["email"] == json!(email)).then_some(()))
        })
        .await?;
    let shown = app.browser.text_of("[data-testid=card-email]").await?;
    assert!(
        shown.as_deref().is_some_and(|s| s.contains(&email)),
        "{shown:?}"
    );
    let shot = app.browser.screenshot("stock-card").await?;
    println!("screenshot: {}", shot.display());

    // Opened by its address (a fresh start that saw no list), the card knows the server
    // from the one contact it read: its Block is until unblocked too.
    app.browser.client.refresh().await?;
    click(&app, "[data-testid=card-block] [data-testid=block-button]").await?;
    app.browser
        .wait_for("[data-testid=block-dialog] [data-testid=block-forever-only]")
        .await?;
    click(&app, "[data-testid=block-confirm]").await?;
    app.browser
        .wait_for("[data-testid=card-block] [data-testid=unblock-button]")
        .await?;
    let stored = app.api_get(&format!("/contacts/{active}")).await?;
    assert_eq!(stored["payload"]["blocked"], json!(true));
    click(
        &app,
        "[data-testid=card-block] [data-testid=unblock-button]",
    )
    .await?;
    app.browser
        .wait_for("[data-testid=card-block] [data-testid=block-button]")
        .await?;

    // Merge through the card's picker: the WhatsApp duplicate goes, its address is gone.
    let id_named = |found: &Value, name: &str| {
        found["payload"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["name"] == name)
            .and_then(|c| c["id"].as_i64())
    };
    let (legacy_name, channel_name) = (DUPLICATE_PAIR[0].0, DUPLICATE_PAIR[1].0);
    let q = |name: &str| {
        name.chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ')
            .collect::<String>()
            .replace(' ', "%20")
    };
    let legacy = id_named(
        &app.api_get(&format!("/contacts/search?q={}", q(legacy_name)))
            .await?,
        legacy_name,
    )
    .ok_or("the legacy duplicate")?;
    let channel = id_named(
        &app.api_get(&format!("/contacts/search?q={}", q(channel_name)))
            .await?,
        channel_name,
    )
    .ok_or("the channel duplicate")?;
    app.browser
        .client
        .goto(&app.url(&format!("/contacts/{legacy}")))
        .await?;
    click(&app, "[data-testid=merge-open]").await?;
    let candidate = app
        .browser
        .wait_for(&format!(
            "[data-testid=merge-candidate][data-contact-id='{channel}']"
        ))
        .await?;
    candidate.click().await?;
    click(&app, "[data-testid=merge-confirm]").await?;
    app.browser
        .wait_until("the merged contact gone", || async {
            let (status, _) = app
                .api_answer("GET", &format!("/contacts/{channel}"), None)
                .await?;
            Ok((status == 404).then_some(()))
        })
        .await?;
    let stored = app.api_get(&format!("/contacts/{legacy}")).await?;
    assert_eq!(stored["payload"]["name"], json!(legacy_name));

    app.close().await
}
