//! The demo agent signs in and lands on the contacts table.

use novatalks_e2e::{largest_number, App, Result};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_agent_signs_in_and_sees_the_contacts() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;

    let rows = app
        .browser
        .wait_for_all("[data-testid=contact-row]")
        .await?;
    assert!(!rows.is_empty());

    let count = app
        .browser
        .wait_until("[data-testid=contacts-count] to show a number", || async {
            let text = app.browser.text_of("[data-testid=contacts-count]").await?;
            Ok(text.and_then(|t| largest_number(&t).map(|n| (n, t))))
        })
        .await?;
    // The demo account has about 2,000 contacts; the count is the total, not a page.
    assert!(count.0 > 1000, "the contacts count reads {:?}", count.1);
    assert!(
        rows.len() < 1000,
        "one page of rows, not all {} contacts",
        count.0
    );

    let shot = app.browser.screenshot("contacts").await?;
    println!("screenshot: {}", shot.display());
    app.close().await
}
