//! "New dialog" from the contact card against the real server and the demo account (whose
//! email, WhatsApp and call inboxes can write first): a contact with no address cannot be
//! written to and the button's tooltip, on hover, says what to add; once an email is
//! added on the card the dialog offers the email inbox, writing to that address, and the
//! first message sent with Ctrl+Enter opens a conversation that the card shows on top and
//! the API has.

use std::time::Duration;

use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::Locator;
use novatalks_e2e::{App, Result};
use serde_json::json;

/// Whether anything matches `css` now.
async fn present(app: &App, css: &str) -> Result<bool> {
    Ok(!app
        .browser
        .client
        .find_all(Locator::Css(css))
        .await?
        .is_empty())
}

const BUTTON: &str = "[data-testid=new-dialog-button]";
const DIALOG: &str = "[data-testid=new-dialog]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_dialog_by_email_from_the_card() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for("[data-testid=contact-row]").await?;

    // A new client, known by name only so far.
    let created = app
        .api(
            "POST",
            "/contacts",
            Some(json!({"name": "E2E Dialog Client"})),
        )
        .await?;
    let id = created["payload"]["contact"]["id"]
        .as_i64()
        .ok_or("the new contact's id")?;
    app.browser
        .client
        .goto(&app.url(&format!("/contacts/{id}")))
        .await?;
    app.browser
        .wait_for(&format!(
            "[data-testid=contact-card][data-contact-id='{id}']"
        ))
        .await?;

    // Nothing to write to: the button says so, on hover, and opens nothing.
    let button = app
        .browser
        .wait_for(&format!("{BUTTON}[aria-disabled=true][aria-describedby]"))
        .await?;
    let tooltip_css = "[data-testid=new-dialog-reason]";
    assert_eq!(
        app.browser.text_of(tooltip_css).await?.as_deref(),
        Some(""),
        "the tooltip is hidden until the pointer or the focus is on the button"
    );
    app.browser
        .client
        .perform_actions(
            MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
                element: button.clone(),
                duration: Some(Duration::from_millis(50)),
                x: 0.0,
                y: 0.0,
            }),
        )
        .await?;
    let reason = app
        .wait_for_text(tooltip_css, "the tooltip on hover", |t| {
            t.contains("Add an email or a phone number")
        })
        .await?;
    assert!(reason.contains("to write first"), "{reason}");
    let shot = app.browser.screenshot("new-dialog-unavailable").await?;
    println!("screenshot: {}", shot.display());
    button.click().await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !present(&app, DIALOG).await?,
        "an unavailable button opens nothing"
    );

    // Keyboard users get it too: away from the pointer, Tab onto the button shows it.
    let heading = app.browser.wait_for(".card-header__name").await?;
    app.browser
        .client
        .perform_actions(
            MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
                element: heading,
                duration: None,
                x: 0.0,
                y: 0.0,
            }),
        )
        .await?;
    app.browser
        .client
        .execute("document.activeElement?.blur()", vec![])
        .await?;
    app.wait_for_text(tooltip_css, "the tooltip to go", str::is_empty)
        .await?;
    app.browser
        .client
        .execute(
            "document.querySelector('[data-testid=block-button]').focus()",
            vec![],
        )
        .await?;
    app.browser
        .wait_for("[data-testid=block-button]")
        .await?
        .send_keys("\u{E004}")
        .await?;
    app.wait_for_text(tooltip_css, "the tooltip on keyboard focus", |t| {
        t.contains("Add an email or a phone number")
    })
    .await?;

    // An email added on the card makes the email inbox reach the client.
    let address = format!("e2e.dialog.{id}@example.com");
    app.browser
        .wait_for("[data-testid=edit-email]")
        .await?
        .click()
        .await?;
    app.browser
        .wait_for("[data-testid=card-email-input]")
        .await?
        .send_keys(&format!("{address}\u{E007}"))
        .await?;
    let button = app
        .browser
        .wait_for(&format!("{BUTTON}:not([aria-disabled])"))
        .await?;
    button.click().await?;
    app.browser
        .wait_for(&format!("{DIALOG} [data-testid=inbox-choice]"))
        .await?;
    let choices = app
        .browser
        .client
        .find_all(Locator::Css(&format!(
            "{DIALOG} [data-testid=inbox-choice]"
        )))
        .await?;
    let mut offered = Vec::new();
    for choice in &choices {
        offered.push(choice.text().await?.replace('\n', " "));
    }
    assert_eq!(
        offered,
        [format!("Support email to {address}")],
        "only the email inbox can write first to a client with only an email"
    );
    assert!(
        app.browser
            .wait_for(&format!("{DIALOG} [data-testid=inbox-radio]"))
            .await?
            .prop("checked")
            .await?
            .as_deref()
            == Some("true"),
        "it is chosen"
    );

    // The message, sent with Ctrl+Enter from the message box (which has the focus).
    let message = "Hello! Your order <b>#1234</b> is ready.\nReply any time.";
    let textarea = app
        .browser
        .wait_for("[data-testid=new-dialog-message]")
        .await?;
    textarea.send_keys(message).await?;
    let shot = app.browser.screenshot("new-dialog").await?;
    println!("screenshot: {}", shot.display());
    textarea.send_keys("\u{E009}\u{E007}\u{E000}").await?;

    app.browser
        .wait_until("the dialog to close", || async {
            Ok((!present(&app, DIALOG).await?).then_some(()))
        })
        .await?;
    app.wait_for_text("[data-testid=toast]", "the toast", |t| {
        t.contains("Dialog with E2E Dialog Client started in Support email")
    })
    .await?;
    let excerpt = app
        .wait_for_text(
            "[data-testid=conversation-item] [data-testid=conversation-excerpt]",
            "the new conversation on the card",
            |t| t.contains("Your order <b>#1234</b> is ready."),
        )
        .await?;
    assert!(
        excerpt.contains("Reply any time."),
        "one line, as text: {excerpt}"
    );
    let first = app
        .browser
        .wait_for("[data-testid=conversation-item]")
        .await?;
    assert!(first.text().await?.contains("Support email"));
    let shot = app.browser.screenshot("new-dialog-started").await?;
    println!("screenshot: {}", shot.display());

    // The API has it: an open conversation in the email inbox, opened by the agent.
    let conversations = app
        .api("GET", &format!("/contacts/{id}/conversations"), None)
        .await?;
    let list = conversations["payload"]
        .as_array()
        .ok_or("a list of conversations")?;
    assert_eq!(list.len(), 1, "{conversations}");
    let conversation = &list[0];
    assert_eq!(conversation["inbox"]["name"], "Support email");
    assert_eq!(conversation["inbox"]["channel_type"], "Channel::Email");
    assert_eq!(conversation["status"], "open");
    assert_eq!(conversation["last_message"]["content"], message);
    assert_eq!(conversation["last_message"]["message_type"], 1);

    app.close().await
}

/// Against a stock Chatwoot (no `can_write_first` anywhere), the inboxes the server lists
/// as contactable decide: none for a client without an address, the email inbox once it
/// has an email; the dialog works the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_a_stock_chatwoot_the_contactable_inboxes_decide() -> Result<()> {
    let app = App::start_with(|config| config.stock_chatwoot = true).await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for("[data-testid=contact-row]").await?;
    let inboxes = app.api("GET", "/inboxes", None).await?;
    assert!(
        inboxes["payload"][0].get("can_write_first").is_none(),
        "a stock server does not tell: {inboxes}"
    );

    let created = app
        .api(
            "POST",
            "/contacts",
            Some(json!({"name": "E2E Stock Client"})),
        )
        .await?;
    let id = created["payload"]["contact"]["id"]
        .as_i64()
        .ok_or("the new contact's id")?;
    app.browser
        .client
        .goto(&app.url(&format!("/contacts/{id}")))
        .await?;
    app.browser
        .wait_for(&format!("{BUTTON}[aria-disabled=true][aria-describedby]"))
        .await?;
    app.browser
        .wait_until("the reason", || async {
            let reason = app
                .browser
                .client
                .execute(
                    "return document.querySelector('[data-testid=new-dialog-reason]')?.textContent ?? ''",
                    vec![],
                )
                .await?;
            Ok(reason
                .as_str()
                .filter(|r| r.contains("Add an email or a phone number"))
                .map(drop))
        })
        .await?;

    let address = format!("e2e.stock.{id}@example.com");
    app.browser
        .wait_for("[data-testid=edit-email]")
        .await?
        .click()
        .await?;
    app.browser
        .wait_for("[data-testid=card-email-input]")
        .await?
        .send_keys(&format!("{address}\u{E007}"))
        .await?;
    app.browser
        .wait_for(&format!("{BUTTON}:not([aria-disabled])"))
        .await?
        .click()
        .await?;
    let choice = app
        .wait_for_text(
            &format!("{DIALOG} [data-testid=inbox-choice]"),
            "the email inbox offered",
            |t| t.contains("Support email"),
        )
        .await?;
    assert!(choice.contains(&address), "{choice}");
    app.browser
        .wait_for("[data-testid=new-dialog-message]")
        .await?
        .send_keys("Hello from a stock server")
        .await?;
    app.browser
        .wait_for("[data-testid=new-dialog-send]")
        .await?
        .click()
        .await?;
    app.wait_for_text(
        "[data-testid=conversation-item] [data-testid=conversation-excerpt]",
        "the new conversation on the card",
        |t| t.contains("Hello from a stock server"),
    )
    .await?;
    let conversations = app
        .api("GET", &format!("/contacts/{id}/conversations"), None)
        .await?;
    assert_eq!(
        conversations["payload"][0]["inbox"]["name"],
        "Support email"
    );

    app.close().await
}
