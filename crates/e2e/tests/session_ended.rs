//! A session revoked while the agent is typing: the save is refused, "sign in again"
//! appears over the page with what was typed still there, and after signing in the save
//! goes through.

use novatalks_e2e::{App, Result};
use novatalks_server::seed;
use serde_json::Value;

/// `DELETE /auth/sign_out` with the page's session token, as another tab signing out
/// would: the server revokes the session; the page does not know.
const REVOKE: &str = r#"
    const [done] = arguments;
    const session = JSON.parse(localStorage.getItem("novatalks.session"));
    fetch("/auth/sign_out", { method: "DELETE", headers: { api_access_token: session.token } })
        .then((answer) => done({ status: answer.status }), (error) => done({ error: String(error) }));
"#;

/// What an input holds now.
async fn value_of(app: &App, css: &str) -> Result<String> {
    let element = app.browser.wait_for(css).await?;
    Ok(element.prop("value").await?.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_session_asks_to_sign_in_again_and_keeps_the_typed_form() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for("[data-testid=contact-row]").await?;
    let token_before = app
        .browser
        .client
        .execute(
            "return JSON.parse(localStorage.getItem('novatalks.session')).token",
            vec![],
        )
        .await?;

    app.browser
        .wait_for("[data-testid=new-contact-button]")
        .await?
        .click()
        .await?;
    let name = "E2E Kept Through Sign-In";
    let email = "kept.through.sign-in@example.com";
    app.browser
        .wait_for("[data-testid=new-contact-name]")
        .await?
        .send_keys(name)
        .await?;
    app.browser
        .wait_for("[data-testid=new-contact-email]")
        .await?
        .send_keys(email)
        .await?;

    let revoked = app.browser.client.execute_async(REVOKE, vec![]).await?;
    assert_eq!(revoked["status"], Value::from(200), "{revoked}");

    app.browser
        .wait_for("[data-testid=new-contact-submit]")
        .await?
        .click()
        .await?;
    let dialog = app
        .browser
        .wait_for("[data-testid=session-ended-dialog]")
        .await?;
    assert!(
        dialog.text().await?.contains("Your session has ended"),
        "{}",
        dialog.text().await?
    );
    assert_eq!(
        app.browser.path().await?,
        "/contacts/new",
        "still on the form"
    );
    assert_eq!(
        value_of(&app, "[data-testid=session-ended-email]").await?,
        seed::DEMO_AGENT_EMAIL
    );
    assert_eq!(
        value_of(&app, "[data-testid=new-contact-name]").await?,
        name
    );
    assert_eq!(
        value_of(&app, "[data-testid=new-contact-email]").await?,
        email
    );
    let shot = app.browser.screenshot("session-ended-dialog").await?;
    println!("screenshot: {}", shot.display());

    app.browser
        .wait_for("[data-testid=session-ended-password]")
        .await?
        .send_keys(seed::DEMO_PASSWORD)
        .await?;
    app.browser
        .wait_for("[data-testid=session-ended-submit]")
        .await?
        .click()
        .await?;
    app.browser
        .wait_until("the dialog to go", || async {
            Ok(app
                .browser
                .text_of("[data-testid=session-ended-dialog]")
                .await?
                .is_none()
                .then_some(()))
        })
        .await?;
    let token_after = app
        .browser
        .client
        .execute(
            "return JSON.parse(localStorage.getItem('novatalks.session')).token",
            vec![],
        )
        .await?;
    assert_ne!(token_before, token_after, "a new session");
    assert_eq!(
        value_of(&app, "[data-testid=new-contact-name]").await?,
        name
    );
    assert_eq!(
        value_of(&app, "[data-testid=new-contact-email]").await?,
        email
    );

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
    let stored = app.api_get(&format!("/contacts/{id}")).await?["payload"].clone();
    assert_eq!(stored["name"], Value::from(name));
    assert_eq!(stored["email"], Value::from(email));

    app.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_revokes_the_session_on_the_server() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for("[data-testid=contact-row]").await?;
    let token = app
        .browser
        .client
        .execute(
            "return JSON.parse(localStorage.getItem('novatalks.session')).token",
            vec![],
        )
        .await?;
    let token = token.as_str().ok_or("a token")?.to_owned();
    app.browser
        .wait_for("[data-testid=sign-out]")
        .await?
        .click()
        .await?;
    app.browser.wait_for("input[name=email]").await?;
    // The old token, tried again from the page: refused.
    let answer = app
        .browser
        .client
        .execute_async(
            r#"const [token, done] = arguments;
               fetch("/api/v1/profile", { headers: { api_access_token: token } })
                 .then((a) => done({ status: a.status }), (e) => done({ error: String(e) }));"#,
            vec![Value::from(token)],
        )
        .await?;
    assert_eq!(answer["status"], Value::from(401), "{answer}");
    app.close().await
}
