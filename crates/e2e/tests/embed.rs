//! The Dashboard App mode against the real server: the shipped embedding page
//! (`/dashboard-test.html`) frames the app in a 400 px panel the way the NovaTalks
//! dashboard does, and tells it the conversation's contact by postMessage.
//!
//! Three origins, as in a real installation: the dashboard page on
//! `http://localhost:PORT`, the app framed from `http://127.0.0.1:PORT`, and the API it is
//! configured with on `http://localhost:PORT`, which it calls across origins, allowed
//! because the server is started with the app's origin as a dashboard origin.

use std::time::Duration;

use fantoccini::Locator;
use novatalks_e2e::{free_port, App, Result};
use serde_json::{json, Value};

/// The signed-in agent's token and account, as the standalone app keeps them.
async fn session_of(app: &App) -> Result<(String, i64)> {
    let session = app
        .browser
        .client
        .execute(
            "return JSON.parse(localStorage.getItem('novatalks.session'));",
            vec![],
        )
        .await?;
    let token = session["token"].as_str().ok_or("no token")?.to_owned();
    let account = session["account_id"].as_i64().ok_or("no account")?;
    Ok((token, account))
}

/// The first `n` contacts of the demo account (id, name), as the API lists them.
async fn first_contacts(app: &App, n: usize) -> Result<Vec<(i64, String)>> {
    let script = r#"
        const [done] = arguments;
        const session = JSON.parse(localStorage.getItem("novatalks.session"));
        fetch(`/api/v1/accounts/${session.account_id}/contacts?page=1`, {
            headers: { api_access_token: session.token, Accept: "application/json" },
        })
            .then((answer) => answer.json())
            .then(done, (error) => done({ error: String(error) }));
    "#;
    let answer = app.browser.client.execute_async(script, vec![]).await?;
    let contacts = answer["payload"]
        .as_array()
        .ok_or_else(|| format!("no contacts: {answer}"))?;
    Ok(contacts
        .iter()
        .take(n)
        .map(|c| {
            (
                c["id"].as_i64().unwrap_or_default(),
                c["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// On the embedding page: types a contact id and sends the appContext.
async fn send_context(app: &App, contact_id: i64) -> Result<()> {
    let client = &app.browser.client;
    let field = app.browser.wait_for("#contact-id").await?;
    field.clear().await?;
    field.send_keys(&contact_id.to_string()).await?;
    client
        .find(Locator::Css("#send-context"))
        .await?
        .click()
        .await?;
    Ok(())
}

/// Inside the frame: waits for the card of `contact_id` and returns its title.
async fn card_in_frame(app: &App, contact_id: i64) -> Result<String> {
    let client = &app.browser.client;
    client.enter_frame(0).await?;
    let card = app
        .browser
        .wait_for(&format!(
            "[data-testid=contact-card][data-contact-id='{contact_id}']"
        ))
        .await;
    let title = match card {
        Ok(card) => card.find(Locator::Css(".card-title")).await?.text().await,
        Err(e) => {
            client.enter_parent_frame().await?;
            return Err(e);
        }
    };
    client.enter_parent_frame().await?;
    Ok(title?)
}

/// Runs `script` in the frame's document and returns what it returns.
async fn in_frame(app: &App, script: &str) -> Result<Value> {
    let client = &app.browser.client;
    client.enter_frame(0).await?;
    let value = client.execute(script, vec![]).await;
    client.enter_parent_frame().await?;
    Ok(value?)
}

#[tokio::test]
async fn the_embedding_page_frames_the_app_and_its_app_context_picks_the_card() -> Result<()> {
    let port = free_port()?;
    let app_origin = format!("http://127.0.0.1:{port}");
    let dashboard = format!("http://localhost:{port}");
    let allowed = app_origin.clone();
    let app = App::start_with(move |config| {
        config.port = port;
        config.dashboard_origins = vec![allowed];
    })
    .await?;
    let client = &app.browser.client;
    client.set_window_size(1200, 900).await?;

    // A token of the demo agent, as an administrator would put in the app's config.
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for("[data-testid=contact-row]").await?;
    let (token, account) = session_of(&app).await?;
    let contacts = first_contacts(&app, 2).await?;
    let [(first, first_name), (second, second_name)] =
        <[_; 2]>::try_from(contacts).map_err(|c| format!("two contacts expected: {c:?}"))?;

    // The app takes its context from this dashboard only (its origin, checked on every
    // message).
    let app_url = format!(
        "{app_origin}/dashboard-app?api={}&account={account}&token={}&dashboard={}",
        encode(&dashboard),
        encode(&token),
        encode(&dashboard)
    );
    client
        .goto(&format!(
            "{dashboard}/dashboard-test.html?app={}",
            encode(&app_url)
        ))
        .await?;
    app.browser.wait_for("#dashboard-app-frame").await?;
    let panel = client
        .execute(
            "return document.getElementById('dashboard-app-frame').offsetWidth;",
            vec![],
        )
        .await?;
    assert_eq!(panel, json!(400));

    // The app asks for the context on start, and waits for it in words.
    client.enter_frame(0).await?;
    let waiting = app.browser.wait_for("[data-testid=embed-waiting]").await?;
    assert!(waiting.text().await?.contains("Waiting for the dashboard"));
    client.enter_parent_frame().await?;
    app.browser
        .wait_until("the app to ask for the context", || async {
            let log = app.browser.text_of("#log").await?.unwrap_or_default();
            Ok(log.contains("The app asked for the context").then_some(()))
        })
        .await?;

    send_context(&app, first).await?;
    assert_eq!(card_in_frame(&app, first).await?, first_name);

    // The token is read and gone from the framed app's address; the card fits the panel.
    let framed = in_frame(
        &app,
        "return { search: location.search, origin: location.origin, \
         width: window.innerWidth, client: document.documentElement.clientWidth, \
         scroll: document.documentElement.scrollWidth };",
    )
    .await?;
    assert_eq!(framed["origin"], json!(app_origin));
    let search = framed["search"].as_str().unwrap_or_default();
    assert!(!search.contains("token"), "{search}");
    assert!(search.contains(&format!("account={account}")), "{search}");
    assert_eq!(framed["width"], json!(400));
    // No horizontal scrolling: nothing is wider than the panel (less its scroll bar).
    assert!(
        framed["scroll"].as_i64() <= framed["client"].as_i64(),
        "the card is wider than the panel: {framed}"
    );
    app.browser.screenshot("embed-dashboard-panel").await?;
    in_frame(
        &app,
        "window.scrollTo(0, document.body.scrollHeight); return null;",
    )
    .await?;
    app.browser.screenshot("embed-dashboard-panel-end").await?;

    // Another conversation, another contact: the card follows.
    send_context(&app, second).await?;
    assert_eq!(card_in_frame(&app, second).await?, second_name);

    // Messages of other shapes change nothing.
    client
        .find(Locator::Css("#send-garbage"))
        .await?
        .click()
        .await?;
    app.browser
        .wait_until("the other messages to be sent", || async {
            let log = app.browser.text_of("#log").await?.unwrap_or_default();
            Ok(log.contains("Other messages sent").then_some(()))
        })
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let cards = in_frame(
        &app,
        "return [...document.querySelectorAll('[data-testid=contact-card]')] \
         .map((card) => card.dataset.contactId);",
    )
    .await?;
    assert_eq!(cards, json!([second.to_string()]));

    app.close().await
}

#[tokio::test]
async fn the_api_refuses_an_app_on_an_origin_it_was_not_told_of() -> Result<()> {
    // No dashboard origins configured: the app on 127.0.0.1 may not call localhost.
    let app = App::start().await?;
    let client = &app.browser.client;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for("[data-testid=contact-row]").await?;
    let (token, account) = session_of(&app).await?;
    let (first, _) = first_contacts(&app, 1).await?.remove(0);

    let origin = app.url("");
    let port = origin.rsplit(':').next().unwrap_or_default().to_owned();
    let app_url = format!(
        "{origin}/dashboard-app?api={}&account={account}&token={}",
        encode(&format!("http://localhost:{port}")),
        encode(&token)
    );
    client
        .goto(&format!(
            "http://localhost:{port}/dashboard-test.html?app={}",
            encode(&app_url)
        ))
        .await?;
    send_context(&app, first).await?;
    client.enter_frame(0).await?;
    let error = app.browser.wait_for("[data-testid=contacts-error]").await?;
    let text = error.text().await?;
    assert!(text.contains("Could not load the contact"), "{text}");
    assert!(client
        .find_all(Locator::Css("[data-testid=contact-card]"))
        .await?
        .is_empty());
    client.enter_parent_frame().await?;
    app.close().await
}

#[tokio::test]
async fn unconfigured_the_framed_app_says_what_to_configure() -> Result<()> {
    // No query, and no novatalks-config.json in dist/: the server answers that path with
    // index.html, which is no configuration.
    let app = App::start().await?;
    let client = &app.browser.client;
    client.set_window_size(1200, 700).await?;
    client.goto(&app.url("/dashboard-test.html")).await?;
    client.enter_frame(0).await?;
    let notice = app
        .browser
        .wait_for("[data-testid=embed-not-configured]")
        .await?;
    let text = notice.text().await?;
    assert!(text.contains("Missing: account, token."), "{text}");
    assert!(text.contains("novatalks-config.json"), "{text}");
    assert!(client
        .find_all(Locator::Css("input[name=password]"))
        .await?
        .is_empty());
    client.enter_parent_frame().await?;
    app.browser.screenshot("embed-not-configured").await?;
    app.close().await
}
