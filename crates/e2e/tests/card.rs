//! The contact card and the create-contact form against the real server and the demo
//! data: a contact created with a national phone number and shown in E.164; an email
//! already taken refused with a link to the contact having it; a custom attribute of
//! every type, the language and labels set and read back from the API; a note written,
//! edited and deleted; the conversations of a contact in two channels.

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::Locator;
use novatalks_e2e::{empty, App, Result};
use serde_json::{json, Value};

/// Signs in and waits for the list.
async fn signed_in() -> Result<App> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for("[data-testid=contact-row]").await?;
    Ok(app)
}

/// Opens a contact's card by its URL and waits for it.
async fn open_card(app: &App, id: i64) -> Result<()> {
    app.browser
        .client
        .goto(&app.url(&format!("/contacts/{id}")))
        .await?;
    app.browser
        .wait_for(&format!(
            "[data-testid=contact-card][data-contact-id='{id}']"
        ))
        .await?;
    Ok(())
}

/// Replaces what an input holds with `text`, as typed.
async fn retype(element: &Element, text: &str) -> Result<()> {
    element.clear().await?;
    element.send_keys(text).await?;
    Ok(())
}

/// Waits until the API's copy of contact `id` satisfies `done`.
async fn wait_for_api(
    app: &App,
    id: i64,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Result<Value> {
    app.browser
        .wait_until(what, || async {
            let contact = app.api_get(&format!("/contacts/{id}")).await?["payload"].clone();
            Ok(done(&contact).then_some(contact))
        })
        .await
}

/// The titles of contact `id`'s labels, as the API has them.
async fn labels_of(app: &App, id: i64) -> Result<Vec<String>> {
    let titles = app.api_get(&format!("/contacts/{id}/labels")).await?["payload"].clone();
    Ok(serde_json::from_value(titles)?)
}

/// Picks a `<select>`'s option by value, as a user does.
async fn choose(app: &App, select_css: &str, value: &str) -> Result<()> {
    let option = format!("{select_css} option[value='{value}']");
    app.browser.wait_for(&option).await?.click().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_created_with_a_national_number_shows_it_in_e164_and_a_taken_email_names_its_owner(
) -> Result<()> {
    let app = signed_in().await?;

    // A national number no demo contact has (the account's country is Ukraine).
    let mut chosen = None;
    for (typed, e164) in [
        ("050 123 45 67", "+380501234567"),
        ("067 765 43 21", "+380677654321"),
        ("093 111 22 44", "+380931112244"),
    ] {
        let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
        let found = app.api_get(&format!("/contacts/search?q={digits}")).await?;
        if found["meta"]["count"].as_i64() == Some(0) {
            chosen = Some((typed, e164));
            break;
        }
    }
    let (typed, e164) = chosen.ok_or("every candidate number is taken in the demo data")?;

    // A demo contact with an email, whose email the new contact tries first.
    let others = app.api_get("/contacts?per_page=50&sort=name").await?;
    let owner = others["payload"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["email"].is_string()))
        .ok_or("a demo contact with an email")?
        .clone();
    let owner_id = owner["id"].as_i64().ok_or("an id")?;
    let owner_name = owner["name"].as_str().unwrap_or_default().to_owned();
    let owner_email = owner["email"].as_str().ok_or("an email")?.to_uppercase();

    app.browser
        .wait_for("[data-testid=new-contact-button]")
        .await?
        .click()
        .await?;
    app.browser
        .wait_for("[data-testid=new-contact-form]")
        .await?;
    app.browser
        .wait_for("[data-testid=new-contact-name]")
        .await?
        .send_keys("E2E Olena Card")
        .await?;
    let email = app
        .browser
        .wait_for("[data-testid=new-contact-email]")
        .await?;
    email.send_keys(&owner_email).await?;
    app.browser
        .wait_for("[data-testid=new-contact-phone]")
        .await?
        .send_keys(typed)
        .await?;
    // The form says how the number will be stored before anything is saved.
    let preview = app
        .browser
        .wait_for("[data-testid=phone-preview][data-outcome=normalized]")
        .await?;
    assert_eq!(preview.text().await?, format!("Saved as {e164}"));
    choose(&app, "[data-testid=language-picker]", "uk").await?;
    app.browser
        .wait_for("[data-testid=new-contact-submit]")
        .await?
        .click()
        .await?;

    // The email is taken: said next to it, with its owner; the form keeps what was typed.
    let error = app
        .wait_for_text(
            "[data-testid=field-error-email]",
            "the email refused",
            |t| !t.is_empty(),
        )
        .await?;
    assert!(error.contains("already been taken"), "{error}");
    app.wait_for_text("[data-testid=conflict-link]", "the owner named", |t| {
        t.contains(&owner_name) && t.contains(&format!("#{owner_id}"))
    })
    .await?;
    assert_eq!(
        email.prop("value").await?.as_deref(),
        Some(owner_email.as_str())
    );
    assert_eq!(app.browser.path().await?, "/contacts/new");
    let shot = app.browser.screenshot("new-contact-email-taken").await?;
    println!("screenshot: {}", shot.display());
    empty(&email).await?;
    app.browser
        .wait_for("[data-testid=new-contact-submit]")
        .await?
        .click()
        .await?;

    let id: i64 = app
        .browser
        .wait_until("the new contact's card", || async {
            let path = app.browser.path().await?;
            Ok(path
                .strip_prefix("/contacts/")
                .and_then(|id| id.parse().ok()))
        })
        .await?;
    let phone = app
        .wait_for_text("[data-testid=card-phone]", "the phone in E.164", |t| {
            t == e164
        })
        .await?;
    assert_eq!(phone, e164);
    assert_eq!(
        app.browser
            .text_of("[data-testid=card-name]")
            .await?
            .as_deref(),
        Some("E2E Olena Card")
    );
    let stored = app.api_get(&format!("/contacts/{id}")).await?["payload"].clone();
    assert_eq!(stored["phone_number"], json!(e164));
    assert_eq!(stored["additional_attributes"]["language"], json!("uk"));
    let shot = app.browser.screenshot("card-created").await?;
    println!("screenshot: {}", shot.display());

    // The same email, typed into the new card's email.
    app.browser
        .wait_for("[data-testid=edit-email]")
        .await?
        .click()
        .await?;
    let input = app
        .browser
        .wait_for("[data-testid=card-email-input]")
        .await?;
    input.send_keys(&owner_email).await?;
    input.send_keys(&Key::Enter.to_string()).await?;

    let error = app
        .wait_for_text(
            "[data-testid=field-error-email]",
            "the email refused",
            |t| !t.is_empty(),
        )
        .await?;
    assert!(error.contains("already been taken"), "{error}");
    let link_text = app
        .wait_for_text("[data-testid=conflict-link]", "the owner's name", |t| {
            t.contains(&format!("#{owner_id}")) && t.contains(&owner_name)
        })
        .await?;
    println!("conflict link: {link_text}");
    let link = app.browser.wait_for("[data-testid=conflict-link]").await?;
    assert_eq!(
        link.attr("href").await?,
        Some(format!("/contacts/{owner_id}"))
    );
    let stored = app.api_get(&format!("/contacts/{id}")).await?["payload"].clone();
    assert_eq!(stored["email"], Value::Null, "nothing was saved");
    let shot = app.browser.screenshot("card-email-taken").await?;
    println!("screenshot: {}", shot.display());

    link.click().await?;
    app.browser
        .wait_for(&format!(
            "[data-testid=contact-card][data-contact-id='{owner_id}']"
        ))
        .await?;
    app.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attributes_of_every_type_the_language_and_labels_are_saved() -> Result<()> {
    let app = signed_in().await?;
    let created = app
        .api(
            "POST",
            "/contacts",
            Some(json!({"name": "E2E Attributes", "email": "e2e-attributes@example.test"})),
        )
        .await?;
    let id = created["payload"]["contact"]["id"]
        .as_i64()
        .ok_or("a new contact")?;
    open_card(&app, id).await?;

    // (key, how to enter the value, the value the API then holds)
    let plan = ("plan", "select:gold", json!("gold"));
    let entries = [
        plan,
        ("order_count", "type:12", json!(12)),
        ("lifetime_value", "type:1234,5", json!(1234.5)),
        ("discount", "type:15 %", json!(15)),
        (
            "website",
            "type:nova.example.com",
            json!("https://nova.example.com"),
        ),
        ("renewal_date", "date:2026-12-01", json!("2026-12-01")),
        ("newsletter", "check", json!(true)),
        (
            "account_manager",
            "type:Ivan <b>Petrenko</b>",
            json!("Ivan <b>Petrenko</b>"),
        ),
        ("tax_id", "type:UA1234567890", json!("UA1234567890")),
    ];
    for (key, entry, expected) in &entries {
        app.browser
            .wait_for("[data-testid=attribute-add]")
            .await?
            .click()
            .await?;
        choose(&app, "[data-testid=attribute-add-select]", key).await?;
        let input = app
            .browser
            .wait_for(".add-attribute [data-testid=attribute-input]")
            .await?;
        let (how, value) = entry.split_once(':').unwrap_or((entry, ""));
        match how {
            "select" => choose(&app, ".add-attribute [data-testid=attribute-input]", value).await?,
            "check" => input.click().await?,
            "date" => {
                // A date field takes the date as its locale writes it: set it as a script would.
                app.browser
                    .client
                    .execute(
                        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                        vec![serde_json::to_value(&input)?, json!(value)],
                    )
                    .await?;
            }
            _ => input.send_keys(value).await?,
        }
        if *key == "tax_id" {
            // First a value the definition's pattern refuses: nothing is sent.
            retype(&input, "12345").await?;
            app.browser
                .wait_for("[data-testid=attribute-add-save]")
                .await?
                .click()
                .await?;
            app.wait_for_text(
                "[data-testid=field-error-new-attribute]",
                "the pattern's refusal",
                |t| !t.is_empty(),
            )
            .await?;
            retype(&input, value).await?;
        }
        app.browser
            .wait_for("[data-testid=attribute-add-save]")
            .await?
            .click()
            .await?;
        app.browser
            .wait_for(&format!("[data-testid=attribute-row-{key}]"))
            .await?;
        wait_for_api(&app, id, &format!("{key} saved"), |c| {
            c["custom_attributes"][key] == *expected
        })
        .await?;
    }
    let stored = app.api_get(&format!("/contacts/{id}")).await?["payload"].clone();
    for (key, _, expected) in &entries {
        assert_eq!(&stored["custom_attributes"][key], expected, "{key}");
    }
    assert!(
        app.browser
            .client
            .find(Locator::Css(
                "[data-testid=attribute-row-account_manager] b"
            ))
            .await
            .is_err(),
        "text is shown as text"
    );

    // One removed again.
    app.browser
        .wait_for("[data-testid=attribute-row-discount] [data-testid=attribute-remove]")
        .await?
        .click()
        .await?;
    wait_for_api(&app, id, "discount removed", |c| {
        c["custom_attributes"].get("discount").is_none()
    })
    .await?;

    // The language, by name.
    choose(&app, "[data-testid=language-picker]", "uk").await?;
    wait_for_api(&app, id, "the language", |c| {
        c["additional_attributes"]["language"] == json!("uk")
    })
    .await?;

    // Labels: an existing one by type-ahead, a new one, then one removed.
    let input = app.browser.wait_for("[data-testid=label-input]").await?;
    input.send_keys("vi").await?;
    app.browser
        .wait_until("vip suggested", || async {
            let options = app
                .browser
                .client
                .find_all(Locator::Css("[data-testid=label-option]"))
                .await?;
            for option in options {
                if option.text().await.unwrap_or_default() == "vip" {
                    return Ok(Some(option));
                }
            }
            Ok(None)
        })
        .await?
        .click()
        .await?;
    let input = app.browser.wait_for("[data-testid=label-input]").await?;
    input.send_keys("e2e-card").await?;
    input.send_keys(&Key::Enter.to_string()).await?;
    app.browser
        .wait_until("both labels stored", || async {
            let titles = labels_of(&app, id).await?;
            Ok((titles == ["e2e-card", "vip"]).then_some(()))
        })
        .await?;
    let shot = app.browser.screenshot("card-attributes-labels").await?;
    println!("screenshot: {}", shot.display());
    app.browser
        .wait_for("[data-testid=label-chip] [aria-label='Remove label vip']")
        .await?
        .click()
        .await?;
    app.browser
        .wait_until("vip removed", || async {
            let titles = labels_of(&app, id).await?;
            Ok((titles == ["e2e-card"]).then_some(()))
        })
        .await?;

    // A reload shows what the server has.
    app.browser.client.refresh().await?;
    app.browser
        .wait_for("[data-testid=attribute-row-tax_id]")
        .await?;
    app.wait_for_text(
        "[data-testid=label-chip]",
        "the label after a reload",
        |t| t.contains("e2e-card"),
    )
    .await?;
    app.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_is_written_edited_and_deleted() -> Result<()> {
    let app = signed_in().await?;
    let first = app.api_get("/contacts?per_page=1").await?;
    let id = first["payload"][0]["id"].as_i64().ok_or("a contact")?;
    open_card(&app, id).await?;

    let input = app.browser.wait_for("[data-testid=note-input]").await?;
    input.send_keys("Call back <b>Monday</b>").await?;
    input
        .send_keys(&format!("{}{}", Key::Control, Key::Enter))
        .await?;
    let note_id = app
        .browser
        .wait_until("the note stored", || async {
            let notes = app.api_get(&format!("/contacts/{id}/notes")).await?;
            Ok(notes
                .as_array()
                .and_then(|all| {
                    all.iter()
                        .find(|n| n["content"] == json!("Call back <b>Monday</b>"))
                })
                .and_then(|n| n["id"].as_i64()))
        })
        .await?;
    let item = format!("[data-testid=note-item][data-note-id='{note_id}']");
    app.wait_for_text(
        &format!("{item} [data-testid=note-content]"),
        "the note as text",
        |t| t == "Call back <b>Monday</b>",
    )
    .await?;

    app.browser
        .wait_for(&format!("{item} [data-testid=note-edit]"))
        .await?
        .click()
        .await?;
    let editor = app
        .browser
        .wait_for(&format!("{item} [data-testid=note-edit-input]"))
        .await?;
    retype(&editor, "Call back on Tuesday").await?;
    app.browser
        .wait_for(&format!("{item} [data-testid=note-edit-save]"))
        .await?
        .click()
        .await?;
    app.browser
        .wait_until("the note edited", || async {
            let notes = app.api_get(&format!("/contacts/{id}/notes")).await?;
            Ok(notes
                .as_array()
                .and_then(|all| all.iter().find(|n| n["id"] == json!(note_id)))
                .filter(|n| n["content"] == json!("Call back on Tuesday"))
                .map(|_| ()))
        })
        .await?;

    app.browser
        .wait_for(&format!("{item} [data-testid=note-delete]"))
        .await?
        .click()
        .await?;
    app.browser
        .wait_for(&format!("{item} [data-testid=note-delete-confirm]"))
        .await?
        .click()
        .await?;
    app.browser
        .wait_until("the note deleted", || async {
            let notes = app.api_get(&format!("/contacts/{id}/notes")).await?;
            let gone = notes
                .as_array()
                .is_some_and(|all| all.iter().all(|n| n["id"] != json!(note_id)));
            Ok(gone.then_some(()))
        })
        .await?;
    app.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_card_lists_conversations_from_two_channels_and_goes_back_to_the_list() -> Result<()> {
    let app = signed_in().await?;

    // A demo contact with conversations in two inboxes, found through the API.
    let page = app
        .api_get("/contacts?per_page=100&sort=-last_activity_at")
        .await?;
    let mut found = None;
    for contact in page["payload"].as_array().ok_or("contacts")? {
        if contact["conversations_count"].as_i64().unwrap_or(0) < 2 || contact["email"].is_null() {
            continue;
        }
        let id = contact["id"].as_i64().ok_or("an id")?;
        let conversations = app
            .api_get(&format!("/contacts/{id}/conversations"))
            .await?;
        let mut inboxes: Vec<i64> = conversations["payload"]
            .as_array()
            .map(|all| all.iter().filter_map(|c| c["inbox_id"].as_i64()).collect())
            .unwrap_or_default();
        inboxes.sort_unstable();
        inboxes.dedup();
        if inboxes.len() >= 2 {
            let email = contact["email"].as_str().unwrap_or_default().to_owned();
            found = Some((
                id,
                email,
                conversations["payload"].as_array().map_or(0, Vec::len),
            ));
            break;
        }
    }
    let (id, email, count) =
        found.ok_or("no demo contact with an email has conversations in two inboxes")?;

    // From the list, searched by the contact's email, to the card through the row's name.
    app.browser
        .client
        .goto(&app.url(&format!("/contacts?q={}", email.replace('@', "%40"))))
        .await?;
    app.browser
        .wait_for(&format!(
            "[data-testid=contact-row][data-contact-id='{id}'] [data-testid=contact-link]"
        ))
        .await?
        .click()
        .await?;
    app.browser
        .wait_for(&format!(
            "[data-testid=contact-card][data-contact-id='{id}']"
        ))
        .await?;
    app.browser
        .wait_for("[data-testid=conversation-item]")
        .await?;

    let items = app
        .browser
        .wait_until("every conversation", || async {
            let items = app
                .browser
                .client
                .find_all(Locator::Css("[data-testid=conversation-item]"))
                .await?;
            Ok((items.len() == count).then_some(items))
        })
        .await?;
    let mut channels = Vec::new();
    for item in &items {
        let icon = item
            .find(Locator::Css("[data-testid=channel-icon]"))
            .await?;
        channels.push(icon.attr("data-channel").await?.unwrap_or_default());
    }
    channels.sort();
    channels.dedup();
    assert!(channels.len() >= 2, "channels {channels:?}");
    let shot = app.browser.screenshot("card-conversations").await?;
    println!("screenshot: {}", shot.display());

    app.browser
        .wait_for("[data-testid=back-to-contacts]")
        .await?
        .click()
        .await?;
    app.browser
        .wait_until("the list as it was left", || async {
            let url = app.browser.client.current_url().await?;
            let searched = url
                .query_pairs()
                .any(|(k, v)| k == "q" && v == email.as_str());
            Ok((url.path() == "/contacts" && searched).then_some(()))
        })
        .await?;
    app.browser.wait_for("[data-testid=contact-row]").await?;
    app.close().await
}
