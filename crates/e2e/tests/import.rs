//! The import page against the real server and a real browser: a Windows-1251 CSV with
//! `;` (as Excel saves it in a Ukrainian locale) picked with the file input, its columns
//! guessed from Ukrainian headers, the dry run naming the refused row by its line, the
//! import creating the contacts, and the undo deleting them again.

use novatalks_e2e::{App, Result};
use serde_json::Value;

const NAME_PART: &str = "Імпортенко";

/// Windows-1251 bytes of `text` (Cyrillic and ASCII only).
fn windows_1251(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'А'..='я' => (c as u32 - 'А' as u32 + 0xC0) as u8,
            'і' => 0xB3,
            'І' => 0xB2,
            'ї' => 0xBF,
            'Ї' => 0xAF,
            'є' => 0xBA,
            'Є' => 0xAA,
            other => u8::try_from(other as u32).unwrap_or(b'?'),
        })
        .collect()
}

async fn click(app: &App, css: &str) -> Result<()> {
    app.browser.wait_for(css).await?.click().await?;
    Ok(())
}

async fn imported(app: &App) -> Result<Vec<Value>> {
    let answer = app
        .api_get(&format!("/contacts/search?q={NAME_PART}"))
        .await?;
    Ok(answer["payload"].as_array().cloned().unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ukrainian_excel_file_is_checked_imported_and_undone() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("клієнти.csv");
    std::fs::write(
        &file,
        windows_1251(&format!(
            "Ім'я;Ел. пошта;Телефон;Мітки\r\n\
             Олена {NAME_PART};olena.import@example.com;050 765 43 21;vip\r\n\
             Іван {NAME_PART};ivan.import@example.com;067 765 43 21;vip; lead\r\n\
             Петро {NAME_PART};not-an-email;;\r\n"
        )),
    )?;

    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    click(&app, "[data-testid=import-link]").await?;
    let input = app.browser.wait_for("[data-testid=import-file]").await?;
    input.send_keys(&file.display().to_string()).await?;

    app.browser
        .wait_for_all("[data-testid=import-column]")
        .await?;
    let read = app
        .wait_for_text("[data-testid=import-file-read]", "the file read", |t| {
            t.contains("Windows-1251")
        })
        .await?;
    assert!(read.contains("semicolons"), "{read}");
    let targets: Vec<String> = serde_json::from_value(
        app.run(
            "return [...document.querySelectorAll('[data-testid=import-target]')].map(s => s.value);",
            vec![],
        )
        .await?,
    )?;
    assert_eq!(targets, ["name", "email", "phone", "labels"]);
    let shot = app.browser.screenshot("import-mapping").await?;
    println!("screenshot: {}", shot.display());

    click(&app, "[data-testid=import-check]").await?;
    app.browser.wait_for("[data-testid=import-checked]").await?;
    let created = app
        .wait_for_text(
            "[data-testid=import-checked] [data-testid=import-created]",
            "the dry run's count",
            |t| !t.is_empty(),
        )
        .await?;
    assert_eq!(created, "2 contacts to create");
    let problem = app
        .browser
        .text_of("[data-testid=import-problem]")
        .await?
        .unwrap_or_default();
    assert!(
        problem.starts_with("line 4") && problem.contains("not-an-email"),
        "{problem}"
    );
    assert!(
        imported(&app).await?.is_empty(),
        "a dry run changes nothing"
    );
    let shot = app.browser.screenshot("import-checked").await?;
    println!("screenshot: {}", shot.display());

    click(&app, "[data-testid=import-run]").await?;
    app.browser.wait_for("[data-testid=import-done]").await?;
    let contacts = imported(&app).await?;
    assert_eq!(contacts.len(), 2, "{contacts:?}");
    let olena = contacts
        .iter()
        .find(|c| c["email"] == "olena.import@example.com")
        .expect("Olena was imported");
    assert_eq!(olena["name"], format!("Олена {NAME_PART}"));
    assert!(
        olena["phone_number"]
            .as_str()
            .is_some_and(|p| p.starts_with('+') && p.ends_with("507654321")),
        "{olena}"
    );
    app.browser
        .wait_for("[data-testid=past-import] [data-testid=import-undo]")
        .await?;
    let shot = app.browser.screenshot("import-done").await?;
    println!("screenshot: {}", shot.display());

    click(&app, "[data-testid=import-done] [data-testid=import-undo]").await?;
    app.browser.wait_for("[data-testid=import-undone]").await?;
    assert!(imported(&app).await?.is_empty(), "the undo deleted them");
    app.close().await
}
