//! Blocking against the real server and the demo data: a contact blocked until tomorrow
//! with a reason shows both in its row and is blocked in the API until the start of
//! tomorrow in the browser's time zone; unblocked, it is active, also after a reload.

use novatalks_e2e::{App, Result};
use serde_json::{json, Value};

const ROWS: &str = "[data-testid=contact-row]";
const REASON: &str = "Spam from an e2e test";

/// The start of tomorrow in the browser's zone, as Unix seconds, and as the row writes
/// it ("24 Nov, 00:00"; the year too when it is not this one). Worked out by the
/// browser's own `Date`, independently of the app.
async fn tomorrow_in_browser(app: &App) -> Result<(i64, String)> {
    let script = r#"
        const now = new Date();
        const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
        const month = tomorrow.toLocaleString("en", { month: "short" });
        const year = tomorrow.getFullYear() === now.getFullYear() ? "" : ` ${tomorrow.getFullYear()}`;
        return [Math.floor(tomorrow.getTime() / 1000), `${tomorrow.getDate()} ${month}${year}, 00:00`];
    "#;
    let answer = app.browser.client.execute(script, vec![]).await?;
    let epoch = answer[0].as_i64().ok_or("an epoch")?;
    let text = answer[1].as_str().ok_or("a date")?.to_owned();
    Ok((epoch, text))
}

/// The id and name of the first row that is not blocked.
async fn first_active_row(app: &App) -> Result<(i64, String)> {
    app.browser
        .wait_until("a row that can be blocked", || async {
            let script = r#"
                const button = document.querySelector('[data-testid=contact-row] [data-testid=block-button]');
                if (!button) return null;
                const row = button.closest('[data-testid=contact-row]');
                return [Number(row.dataset.contactId), row.querySelector('.contact-name').textContent];
            "#;
            let found = app.browser.client.execute(script, vec![]).await?;
            Ok(found
                .as_array()
                .and_then(|pair| Some((pair[0].as_i64()?, pair[1].as_str()?.to_owned()))))
        })
        .await
}

/// The text of contact `id`'s status, once it satisfies `done`.
async fn wait_for_status(
    app: &App,
    id: i64,
    what: &str,
    done: impl Fn(&str) -> bool,
) -> Result<String> {
    let css = format!("{ROWS}[data-contact-id='{id}'] [data-testid=contact-status]");
    app.browser
        .wait_until(&format!("contact {id}'s status to show {what}"), || async {
            let text = app.browser.text_of(&css).await?;
            Ok(text.filter(|t| done(t)))
        })
        .await
}

async fn click(app: &App, css: &str) -> Result<()> {
    app.browser.wait_for(css).await?.click().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_blocked_until_tomorrow_shows_it_and_unblocked_stays_active() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;
    let (id, name) = first_active_row(&app).await?;
    let row = format!("{ROWS}[data-contact-id='{id}']");

    // Block until tomorrow, with a reason.
    click(&app, &format!("{row} [data-testid=block-button]")).await?;
    let dialog = app.browser.wait_for("[data-testid=block-dialog]").await?;
    assert_eq!(dialog.attr("role").await?.as_deref(), Some("dialog"));
    assert!(dialog.text().await?.contains(&format!("Block {name}")));
    click(&app, "[data-testid=block-duration-tomorrow]").await?;
    app.browser
        .wait_for("[data-testid=block-reason]")
        .await?
        .send_keys(REASON)
        .await?;
    let (tomorrow, tomorrow_text) = tomorrow_in_browser(&app).await?;
    let preview = app
        .browser
        .wait_until("the preview of tomorrow", || async {
            let text = app.browser.text_of("[data-testid=block-preview]").await?;
            Ok(text.filter(|t| t.ends_with(", 00:00")))
        })
        .await?;
    assert!(preview.starts_with("Blocked until "), "{preview}");
    let shot = app.browser.screenshot("block-dialog").await?;
    println!("screenshot: {}", shot.display());
    click(&app, "[data-testid=block-confirm]").await?;

    // The row says until when and why.
    let status = wait_for_status(&app, id, "the block", |t| t.contains(REASON)).await?;
    assert!(
        status.starts_with("Blocked") && status.contains(&format!("until {tomorrow_text}")),
        "{status} should say the block lasts until {tomorrow_text}"
    );
    app.browser
        .wait_for(&format!("{row} [data-testid=unblock-button]"))
        .await?;
    // Focus is back on the row's button (the table may have rendered the row anew).
    app.browser
        .wait_until("focus on the row's unblock button", || async {
            let script = r#"
                const active = document.activeElement;
                const row = active && active.closest('[data-testid=contact-row]');
                return row ? [active.dataset.testid, Number(row.dataset.contactId)] : null;
            "#;
            let focused = app.browser.client.execute(script, vec![]).await?;
            Ok((focused == json!(["unblock-button", id])).then_some(()))
        })
        .await?;
    let shot = app.browser.screenshot("block-row").await?;
    println!("screenshot: {}", shot.display());

    // The API agrees.
    let contact = app.api_get(&format!("/contacts/{id}")).await?;
    assert_eq!(contact["payload"]["blocked"], json!(true));
    assert_eq!(contact["payload"]["blocked_until"], json!(tomorrow));
    assert_eq!(contact["payload"]["block_reason"], json!(REASON));

    // Unblocked in one click: active, with an undo at hand.
    click(&app, &format!("{row} [data-testid=unblock-button]")).await?;
    wait_for_status(&app, id, "Active", |t| t == "Active").await?;
    let toast = app.browser.wait_for("[data-testid=toast]").await?;
    assert!(toast.text().await?.contains(&format!("Unblocked {name}")));
    app.browser.wait_for("[data-testid=toast-undo]").await?;
    let shot = app.browser.screenshot("block-undo-toast").await?;
    println!("screenshot: {}", shot.display());
    let contact = app.api_get(&format!("/contacts/{id}")).await?;
    assert_eq!(contact["payload"]["blocked"], json!(false));
    assert_eq!(contact["payload"]["blocked_until"], Value::Null);

    // A reload shows the same.
    app.browser.client.refresh().await?;
    wait_for_status(&app, id, "Active after a reload", |t| t == "Active").await?;
    app.browser
        .wait_for(&format!("{row} [data-testid=block-button]"))
        .await?;

    app.close().await
}
