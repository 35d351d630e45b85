//! Signing in with the wrong password.

use novatalks_e2e::{App, Result};
use novatalks_server::seed;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_shows_an_error_and_stays_on_sign_in() -> Result<()> {
    let app = App::start().await?;
    app.sign_in(seed::DEMO_AGENT_EMAIL, "not-the-password")
        .await?;

    let error = app.browser.wait_for("[data-testid=sign-in-error]").await?;
    assert!(
        !error.text().await?.trim().is_empty(),
        "the error says nothing"
    );
    assert_eq!(app.browser.path().await?, "/sign-in");
    assert!(app
        .browser
        .text_of("[data-testid=contact-row]")
        .await?
        .is_none());

    app.close().await
}
