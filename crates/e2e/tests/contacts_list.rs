//! The contact list against the real server and the demo data: search by a phone typed
//! in another format, two labels at once, sorting by last activity, and a reload that
//! keeps the view.

use novatalks_e2e::{largest_number, App, Result};
use serde_json::json;

const ROWS: &str = "[data-testid=contact-row]";
const SEARCH_BOX: &str = "[data-testid=contact-search]";

/// Signs in and waits for the first rows.
async fn signed_in(app: &App) -> Result<()> {
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;
    Ok(())
}

/// The ids of the rows in the DOM, top first. Read in one script: rows come and go as
/// the list re-renders, and an element found a moment ago may be gone.
async fn row_ids(app: &App) -> Result<Vec<i64>> {
    let script = format!(
        "return [...document.querySelectorAll('{ROWS}')].map(r => Number(r.dataset.contactId));"
    );
    let ids = app.browser.client.execute(&script, vec![]).await?;
    Ok(serde_json::from_value(ids)?)
}

/// The label chips of each row in the DOM, top first (one script, as [`row_ids`]).
async fn row_labels(app: &App) -> Result<Vec<Vec<String>>> {
    // The chips, and the labels the "+N" chip stands for.
    let script = format!(
        "return [...document.querySelectorAll('{ROWS}')].map(r => \
         [...r.querySelectorAll('[data-testid=label-chip]')].map(c => c.textContent.trim()) \
         .concat([...r.querySelectorAll('[data-testid=more-labels]')] \
         .flatMap(m => m.dataset.labels.split(','))));"
    );
    let labels = app.browser.client.execute(&script, vec![]).await?;
    Ok(serde_json::from_value(labels)?)
}

/// An attribute of the first element matching `css`, read in one script.
async fn attr_of(app: &App, css: &str, name: &str) -> Result<Option<String>> {
    let value = app
        .browser
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); \
             return e ? e.getAttribute(arguments[1]) : null;",
            vec![json!(css), json!(name)],
        )
        .await?;
    Ok(value.as_str().map(str::to_owned))
}

/// Waits until the column header of `field` says the list is sorted `direction`.
async fn wait_for_sort(app: &App, field: &str, direction: &str) -> Result<()> {
    let css = format!("th[data-sort-field={field}]");
    app.browser
        .wait_until(&format!("{field} sorted {direction}"), || async {
            let sort = attr_of(app, &css, "aria-sort").await?;
            Ok((sort.as_deref() == Some(direction)).then_some(()))
        })
        .await
}

/// Waits until the first row is contact `id`.
async fn wait_for_first_row(app: &App, id: i64) -> Result<()> {
    app.browser
        .wait_until(&format!("contact {id} in the first row"), || async {
            Ok((row_ids(app).await?.first() == Some(&id)).then_some(()))
        })
        .await
}

/// Waits until the count above the table reads `count`.
async fn wait_for_count(app: &App, count: i64) -> Result<()> {
    app.browser
        .wait_until(&format!("the count to read {count}"), || async {
            let text = app.browser.text_of("[data-testid=contacts-count]").await?;
            let shown = text.as_deref().and_then(largest_number);
            Ok((shown == u64::try_from(count).ok()).then_some(()))
        })
        .await
}

async fn wait_for_url(app: &App, part: &str) -> Result<String> {
    app.browser
        .wait_until(&format!("the URL to contain {part}"), || async {
            let url = app.browser.client.current_url().await?.to_string();
            Ok(url.contains(part).then_some(url))
        })
        .await
}

/// "+380501234567" typed as "+380 (50) 123-45-67": spaces, brackets and dashes.
fn reformat_phone(e164: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    let (country, rest) = digits.split_at(3);
    let (area, rest) = rest.split_at(2);
    let (first, rest) = rest.split_at(3.min(rest.len()));
    let pairs: Vec<String> = rest
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).into_owned())
        .collect();
    format!("+{country} ({area}) {first}-{}", pairs.join("-"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_typed_in_another_format_finds_its_contact() -> Result<()> {
    let app = App::start().await?;
    signed_in(&app).await?;

    // A demo contact with a phone number long enough to reformat.
    let page = app.api_get("/contacts?per_page=100&sort=name").await?;
    let contact = page["payload"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["phone_number"].as_str().is_some_and(|p| p.len() >= 11))
        .ok_or("no demo contact with a phone number")?
        .clone();
    let stored = contact["phone_number"].as_str().unwrap_or_default();
    let id = contact["id"].as_i64().ok_or("a contact id")?;
    let typed = reformat_phone(stored);
    assert_ne!(typed, stored);

    let search = app.browser.wait_for(SEARCH_BOX).await?;
    search.send_keys(&typed).await?;
    app.browser
        .wait_until(&format!("contact {id} found by {typed:?}"), || async {
            let ids = row_ids(&app).await?;
            Ok((ids.contains(&id) && ids.len() < 50).then_some(()))
        })
        .await?;
    let url = wait_for_url(&app, "q=").await?;
    assert!(url.contains("%2B"), "the URL keeps what was typed: {url}");
    let phone = app
        .browser
        .text_of(&format!("[data-contact-id='{id}'] .cell--phone"))
        .await?;
    assert_eq!(phone.as_deref(), Some(stored));

    let shot = app.browser.screenshot("contacts-search-phone").await?;
    println!("screenshot: {}", shot.display());
    app.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_labels_show_contacts_having_either_and_the_api_s_count() -> Result<()> {
    let app = App::start().await?;
    signed_in(&app).await?;

    let expected = app
        .api_get("/contacts?per_page=1&labels[]=vip&labels[]=billing")
        .await?;
    let count = expected["meta"]["count"].as_i64().ok_or("a count")?;
    let everyone = app.api_get("/contacts?per_page=1").await?["meta"]["count"]
        .as_i64()
        .ok_or("a count")?;
    assert!(0 < count && count < everyone, "{count} of {everyone}");

    for title in ["vip", "billing"] {
        app.browser
            .wait_for(&format!(
                "[data-testid=sidebar-label][data-label='{title}']"
            ))
            .await?
            .click()
            .await?;
        wait_for_url(&app, &format!("labels={title}")).await?;
    }
    wait_for_count(&app, count).await?;
    let first = expected["payload"][0]["id"]
        .as_i64()
        .ok_or("a first contact")?;
    wait_for_first_row(&app, first).await?;

    let labels = row_labels(&app).await?;
    assert!(!labels.is_empty());
    for row in labels {
        assert!(
            row.iter().any(|l| l == "vip" || l == "billing"),
            "a row with labels {row:?}"
        );
    }
    let chips = app
        .browser
        .client
        .execute(
            "return document.querySelectorAll('[data-testid=active-label]').length;",
            vec![],
        )
        .await?;
    assert_eq!(chips, json!(2));

    let shot = app.browser.screenshot("contacts-two-labels").await?;
    println!("screenshot: {}", shot.display());
    app.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sorting_by_last_activity_and_a_reload_keep_to_the_api_s_order() -> Result<()> {
    let app = App::start().await?;
    signed_in(&app).await?;

    // The default order is newest activity first; the header reverses it.
    let newest = app
        .api_get("/contacts?per_page=1&sort=-last_activity_at")
        .await?;
    wait_for_first_row(&app, newest["payload"][0]["id"].as_i64().ok_or("an id")?).await?;
    app.browser
        .wait_for("th[data-sort-field=last_activity_at] button")
        .await?
        .click()
        .await?;
    wait_for_url(&app, "sort=last_activity_at").await?;
    let oldest = app
        .api_get("/contacts?per_page=1&sort=last_activity_at")
        .await?;
    let oldest_id = oldest["payload"][0]["id"].as_i64().ok_or("an id")?;
    wait_for_first_row(&app, oldest_id).await?;
    wait_for_sort(&app, "last_activity_at", "ascending").await?;
    if let Some(at) = oldest["payload"][0]["last_activity_at"].as_i64() {
        let shown = attr_of(&app, &format!("{ROWS} .cell--activity time"), "datetime")
            .await?
            .ok_or("a datetime")?;
        let shown = chrono_free_epoch(&shown).ok_or("an RFC 3339 datetime")?;
        assert_eq!(
            shown, at,
            "the first row's last activity is the API's oldest"
        );
    }

    // Narrow it down, then reload: the same URL, the same first row, the same controls.
    app.browser
        .wait_for("[data-testid=sidebar-label][data-label='lead']")
        .await?
        .click()
        .await?;
    let url = wait_for_url(&app, "labels=lead").await?;
    let expected = app
        .api_get("/contacts?per_page=1&sort=last_activity_at&labels[]=lead")
        .await?;
    let first = expected["payload"][0]["id"].as_i64().ok_or("an id")?;
    wait_for_first_row(&app, first).await?;

    app.browser.client.refresh().await?;
    app.browser.wait_for_all(ROWS).await?;
    assert_eq!(app.browser.client.current_url().await?.to_string(), url);
    wait_for_first_row(&app, first).await?;
    wait_for_count(&app, expected["meta"]["count"].as_i64().ok_or("a count")?).await?;
    wait_for_sort(&app, "last_activity_at", "ascending").await?;
    app.browser
        .wait_for("[data-testid=active-label][data-label='lead']")
        .await?;
    app.browser
        .wait_for("[data-testid=sidebar-label][data-label='lead'][aria-current=true]")
        .await?;

    let shot = app.browser.screenshot("contacts-sorted-reloaded").await?;
    println!("screenshot: {}", shot.display());
    app.close().await
}

/// `2025-11-30T10:13:20Z` as Unix seconds (UTC, whole seconds, as the page writes it).
fn chrono_free_epoch(text: &str) -> Option<i64> {
    let (date, time) = text.strip_suffix('Z')?.split_once('T')?;
    let mut date = date.split('-').map(str::parse::<i64>);
    let (y, m, d) = (date.next()?.ok()?, date.next()?.ok()?, date.next()?.ok()?);
    let mut time = time.split(':').map(str::parse::<i64>);
    let (h, min, s) = (time.next()?.ok()?, time.next()?.ok()?, time.next()?.ok()?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3_600 + min * 60 + s)
}

#[test]
fn rfc3339_times_read_as_epoch_seconds() {
    assert_eq!(chrono_free_epoch("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(
        chrono_free_epoch("2025-11-29T07:06:40Z"),
        Some(1_764_400_000)
    );
    assert_eq!(chrono_free_epoch("2000-02-29T12:00:00Z"), Some(951_825_600));
    assert_eq!(chrono_free_epoch("yesterday"), None);
}

#[test]
fn phones_are_retyped_with_spaces_brackets_and_dashes() {
    assert_eq!(reformat_phone("+380501234567"), "+380 (50) 123-45-67");
    assert_eq!(reformat_phone("+4915112345678"), "+491 (51) 123-45-67-8");
}
