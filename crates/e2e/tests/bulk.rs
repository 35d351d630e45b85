//! Many contacts at once against the real server and the demo data: three rows ticked
//! and labelled; every contact matching a filter blocked until tomorrow with a reason,
//! then unblocked; two deleted and brought back with Undo; the view exported and the
//! downloaded CSV read back (BOM, header, one record per contact).
//!
//! Needs the server's `POST /bulk_actions` and `POST /contacts/export` (branch
//! bulk-server).

use novatalks_e2e::{App, Result};
use serde_json::{json, Value};

const ROWS: &str = "[data-testid=contact-row]";
const REASON: &str = "Spam wave, bulk e2e";
/// The export's fixed columns, as `novatalks_model::bulk::EXPORT_COLUMNS`.
const COLUMNS: [&str; 15] = [
    "id",
    "name",
    "email",
    "phone_number",
    "identifier",
    "labels",
    "blocked",
    "blocked_until",
    "block_reason",
    "created_at",
    "last_activity_at",
    "city",
    "country",
    "company",
    "language",
];

async fn click(app: &App, css: &str) -> Result<()> {
    app.browser.wait_for(css).await?.click().await?;
    Ok(())
}

fn row_box(id: i64) -> String {
    format!("{ROWS}[data-contact-id='{id}'] [data-testid=row-select]")
}

/// Waits for a toast whose text contains `part`; returns its text.
async fn toast_with(app: &App, part: &str) -> Result<String> {
    app.browser
        .wait_until(&format!("a toast saying “{part}”"), || async {
            let script = "return [...document.querySelectorAll('[data-testid=toast]')]\
                          .map(t => t.textContent);";
            let texts: Vec<String> = serde_json::from_value(app.run(script, vec![]).await?)?;
            Ok(texts.into_iter().find(|t| t.contains(part)))
        })
        .await
}

/// The labels of contact `id`, as the API says.
async fn labels_of(app: &App, id: i64) -> Result<Vec<String>> {
    let answer = app.api_get(&format!("/contacts/{id}/labels")).await?;
    Ok(serde_json::from_value(answer["payload"].clone())?)
}

/// Every contact with label `title`, as the API lists them, page by page.
async fn contacts_labelled(app: &App, title: &str) -> Result<Vec<Value>> {
    let mut all = Vec::new();
    for page in 1.. {
        let answer = app
            .api_get(&format!(
                "/contacts?labels[]={title}&per_page=100&page={page}"
            ))
            .await?;
        let payload = answer["payload"].as_array().cloned().unwrap_or_default();
        if payload.is_empty() {
            break;
        }
        all.extend(payload);
    }
    Ok(all)
}

/// The start of tomorrow in the browser's zone, as Unix seconds (the browser's `Date`).
async fn tomorrow_in_browser(app: &App) -> Result<i64> {
    let script = r#"
        const now = new Date();
        return Math.floor(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1) / 1000);
    "#;
    Ok(app.run(script, vec![]).await?.as_i64().ok_or("an epoch")?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_rows_ticked_get_a_label() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;
    let ids: Vec<i64> = app.row_ids().await?.into_iter().take(5).collect();
    let (first, third) = (ids[0], ids[2]);
    let untouched = ids[3];
    let before = labels_of(&app, untouched).await?;

    // One click, then Shift-click: three rows.
    click(&app, &row_box(first)).await?;
    app.run(
        "document.querySelector(arguments[0]).dispatchEvent(new MouseEvent('click', \
         { shiftKey: true, bubbles: true, cancelable: true }));",
        vec![json!(row_box(third))],
    )
    .await?;
    app.wait_for_text("[data-testid=bulk-count]", "3 selected", |t| {
        t == "3 selected"
    })
    .await?;
    let shot = app.browser.screenshot("bulk-selection").await?;
    println!("screenshot: {}", shot.display());

    click(&app, "[data-testid=bulk-add-labels]").await?;
    let dialog = app
        .browser
        .wait_for("[data-testid=bulk-labels-dialog]")
        .await?;
    assert!(dialog.text().await?.contains("Add labels to 3 contacts"));
    click(&app, "[data-testid=bulk-label-option][value=feedback]").await?;
    let shot = app.browser.screenshot("bulk-labels-dialog").await?;
    println!("screenshot: {}", shot.display());
    click(&app, "[data-testid=bulk-labels-confirm]").await?;
    let toast = toast_with(&app, "Labelled").await?;
    assert!(toast.contains("feedback"), "{toast}");

    for id in &ids[..3] {
        assert!(
            labels_of(&app, *id).await?.iter().any(|l| l == "feedback"),
            "contact {id} has the label"
        );
    }
    assert_eq!(
        labels_of(&app, untouched).await?,
        before,
        "row 4 was not ticked"
    );
    app.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_matching_a_filter_are_blocked_until_tomorrow_then_unblocked() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;
    let matching = contacts_labelled(&app, "wholesale").await?;
    let count = matching.len();
    assert!(count >= 2, "the demo data has wholesale contacts ({count})");

    app.browser
        .client
        .goto(&app.url("/contacts?filter=labels:equal_to(wholesale)"))
        .await?;
    app.browser
        .wait_until("the filtered count", || async {
            Ok((app.shown_count().await? == Some(count as u64)).then_some(()))
        })
        .await?;
    let first = app.row_ids().await?[0];
    click(&app, &row_box(first)).await?;
    click(&app, "[data-testid=select-all-matching]").await?;
    app.wait_for_text(
        "[data-testid=all-matching-selected]",
        "all matching selected",
        |t| t == format!("All {count} matching contacts are selected"),
    )
    .await?;

    click(&app, "[data-testid=bulk-block]").await?;
    app.browser
        .wait_for("[data-testid=bulk-block-dialog]")
        .await?;
    click(&app, "[data-testid=block-duration-tomorrow]").await?;
    app.browser
        .wait_for("[data-testid=block-reason]")
        .await?
        .send_keys(REASON)
        .await?;
    let preview = app
        .wait_for_text("[data-testid=block-preview]", "tomorrow's preview", |t| {
            t.ends_with(", 00:00")
        })
        .await?;
    assert!(preview.starts_with("Blocked until "), "{preview}");
    let tomorrow = tomorrow_in_browser(&app).await?;
    click(&app, "[data-testid=bulk-block-confirm]").await?;
    let toast = toast_with(&app, "Blocked").await?;
    assert!(
        toast.contains(&format!("Blocked {count} contacts until")),
        "{toast}"
    );

    for contact in contacts_labelled(&app, "wholesale").await? {
        assert_eq!(contact["blocked"], json!(true), "{contact}");
        assert_eq!(contact["blocked_until"], json!(tomorrow), "{contact}");
        assert_eq!(contact["block_reason"], json!(REASON), "{contact}");
    }

    // The selection stays: unblock them all.
    click(&app, "[data-testid=bulk-unblock]").await?;
    toast_with(&app, &format!("Unblocked {count} contacts")).await?;
    for contact in contacts_labelled(&app, "wholesale").await? {
        assert_eq!(contact["blocked"], json!(false), "{contact}");
    }
    app.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_deleted_come_back_with_undo() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;
    let ids: Vec<i64> = app.row_ids().await?.into_iter().take(2).collect();
    let names: Vec<String> = {
        let script = "return arguments[0].map(id => document.querySelector(\
                      `[data-testid=contact-row][data-contact-id='${id}'] .contact-name`).textContent);";
        serde_json::from_value(app.run(script, vec![json!(ids)]).await?)?
    };
    let total = app.shown_count().await?.ok_or("a count")?;
    for id in &ids {
        click(&app, &row_box(*id)).await?;
    }
    app.wait_for_text("[data-testid=bulk-count]", "2 selected", |t| {
        t == "2 selected"
    })
    .await?;
    click(&app, "[data-testid=bulk-delete]").await?;
    let dialog = app
        .browser
        .wait_for("[data-testid=bulk-delete-dialog]")
        .await?;
    let text = dialog.text().await?;
    assert!(text.contains("Delete 2 contacts?"), "{text}");
    for name in &names {
        assert!(text.contains(name.as_str()), "{text} names {name}");
    }
    click(&app, "[data-testid=bulk-delete-confirm]").await?;
    toast_with(&app, "Deleted 2 contacts").await?;
    for id in &ids {
        let (status, _) = app
            .api_answer("GET", &format!("/contacts/{id}"), None)
            .await?;
        assert_eq!(status, 404, "contact {id} is gone");
    }
    app.browser
        .wait_until("the list without them", || async {
            Ok((app.shown_count().await? == Some(total - 2)).then_some(()))
        })
        .await?;

    click(&app, "[data-testid=toast-undo]").await?;
    toast_with(&app, "Restored 2 contacts").await?;
    for id in &ids {
        let (status, _) = app
            .api_answer("GET", &format!("/contacts/{id}"), None)
            .await?;
        assert_eq!(status, 200, "contact {id} is back");
    }
    app.browser
        .wait_until("the list with them again", || async {
            Ok((app.shown_count().await? == Some(total)).then_some(()))
        })
        .await?;
    app.close().await
}

/// RFC 4180 records: fields split on commas outside quotes, `""` inside quotes is `"`.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_view_is_exported_as_a_csv_file() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;
    let vip = contacts_labelled(&app, "vip").await?;
    app.browser
        .client
        .goto(&app.url("/contacts?labels=vip"))
        .await?;
    app.browser
        .wait_until("the vip count", || async {
            Ok((app.shown_count().await? == Some(vip.len() as u64)).then_some(()))
        })
        .await?;
    let button = app.browser.wait_for("[data-testid=bulk-export]").await?;
    assert_eq!(button.text().await?, "Export this view");
    button.click().await?;
    toast_with(&app, "Exported to contacts-").await?;
    let file = app.browser.wait_for_download(".csv").await?;
    println!("downloaded: {}", file.display());

    let bytes = std::fs::read(&file)?;
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with a BOM");
    let text = String::from_utf8(bytes[3..].to_vec())?;
    let records = parse_csv(&text);
    let header = &records[0];
    assert_eq!(&header[..COLUMNS.len()], &COLUMNS[..], "{header:?}");
    let rows = &records[1..];
    assert_eq!(rows.len(), vip.len(), "one record per contact of the view");
    let labels_at = COLUMNS
        .iter()
        .position(|c| *c == "labels")
        .ok_or("labels")?;
    let mut exported: Vec<i64> = Vec::new();
    for row in rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert!(row[labels_at].contains("vip"), "{row:?}");
        exported.push(row[0].parse()?);
    }
    let mut expected: Vec<i64> = vip.iter().filter_map(|c| c["id"].as_i64()).collect();
    exported.sort_unstable();
    expected.sort_unstable();
    assert_eq!(exported, expected);
    app.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stock_chatwoot_labels_and_deletes_ticked_rows_and_says_what_it_lacks() -> Result<()> {
    let app = App::start_with(|config| config.stock_chatwoot = true).await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;
    let ids: Vec<i64> = app.row_ids().await?.into_iter().take(2).collect();
    for id in &ids {
        click(&app, &row_box(*id)).await?;
    }
    app.wait_for_text("[data-testid=bulk-count]", "2 selected", |t| {
        t == "2 selected"
    })
    .await?;
    let note = app
        .wait_for_text("[data-testid=bulk-stock-note]", "the stock note", |t| {
            t.contains("standard Chatwoot")
        })
        .await?;
    assert!(note.contains("export"), "{note}");
    for hidden in [
        "bulk-block",
        "bulk-unblock",
        "bulk-export",
        "select-all-matching",
    ] {
        let found = app
            .run(
                "return document.querySelector(arguments[0]) !== null;",
                vec![json!(format!("[data-testid={hidden}]"))],
            )
            .await?;
        assert_eq!(found, json!(false), "{hidden} is not offered");
    }

    click(&app, "[data-testid=bulk-add-labels]").await?;
    click(&app, "[data-testid=bulk-label-option][value=partner]").await?;
    click(&app, "[data-testid=bulk-labels-confirm]").await?;
    toast_with(&app, "Labelled 2 contacts partner").await?;
    for id in &ids {
        assert!(
            labels_of(&app, *id).await?.iter().any(|l| l == "partner"),
            "contact {id} has the label"
        );
    }

    click(&app, "[data-testid=bulk-delete]").await?;
    let dialog = app
        .browser
        .wait_for("[data-testid=bulk-delete-dialog]")
        .await?;
    assert!(dialog.text().await?.contains("cannot undo"));
    click(&app, "[data-testid=bulk-delete-confirm]").await?;
    toast_with(&app, "Deleted 2 contacts").await?;
    for id in &ids {
        let (status, _) = app
            .api_answer("GET", &format!("/contacts/{id}"), None)
            .await?;
        assert_eq!(status, 404, "contact {id} is gone");
    }
    app.close().await
}
