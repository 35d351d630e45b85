//! Merging two demo contacts that are one customer: imported from the old CRM with her
//! phone as written then (0501234567) and created by WhatsApp in E.164 (+380501234567).
//! From the card of the first, the picker proposes the second for its phone; the preview
//! names who is deleted and keeps the number in E.164; after the merge the remaining card lists both contacts'
//! conversations and the union of their labels, and the deleted one's address says where
//! it went.

use novatalks_e2e::{App, Result};
use novatalks_server::seed::DUPLICATE_PAIR;
use serde_json::{json, Value};

/// The id of the demo contact named exactly `name`.
async fn id_named(app: &App, name: &str) -> Result<i64> {
    let q: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect::<String>()
        .replace(' ', "%20");
    let found = app
        .api_get(&format!("/contacts/search?q={q}&per_page=50"))
        .await?;
    found["payload"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == name)
        .and_then(|c| c["id"].as_i64())
        .ok_or_else(|| format!("no demo contact named {name}: {found}").into())
}

/// The ids of the conversations the card lists.
async fn listed_conversations(app: &App) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for item in app
        .browser
        .wait_for_all("[data-testid=conversation-item]")
        .await?
    {
        ids.push(item.attr("data-conversation-id").await?.unwrap_or_default());
    }
    ids.sort();
    Ok(ids)
}

/// The labels the card shows.
async fn card_labels(app: &App) -> Result<Vec<String>> {
    let mut titles = Vec::new();
    for chip in app
        .browser
        .wait_for_all("[data-testid=label-picker] [data-testid=label-chip] .chip__title")
        .await?
    {
        let text = chip.text().await?;
        titles.push(text.trim().to_owned());
    }
    titles.sort();
    Ok(titles)
}

fn conversation_ids(conversations: &Value) -> Vec<String> {
    let mut ids: Vec<String> = conversations["payload"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_i64())
        .map(|id| id.to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_contacts_sharing_a_phone_in_two_formats_merge_into_one_with_both_conversations_and_labels(
) -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for("[data-testid=contact-row]").await?;

    let (legacy_name, channel_name) = (DUPLICATE_PAIR[0].0, DUPLICATE_PAIR[1].0);
    let legacy = id_named(&app, legacy_name).await?;
    let channel = id_named(&app, channel_name).await?;
    let mut expected_conversations = conversation_ids(
        &app.api_get(&format!("/contacts/{legacy}/conversations"))
            .await?,
    );
    expected_conversations.extend(conversation_ids(
        &app.api_get(&format!("/contacts/{channel}/conversations"))
            .await?,
    ));
    expected_conversations.sort();
    assert_eq!(expected_conversations.len(), 2, "one conversation each");

    // The card of the legacy contact, with its one conversation.
    app.browser
        .client
        .goto(&app.url(&format!("/contacts/{legacy}")))
        .await?;
    app.browser
        .wait_for(&format!(
            "[data-testid=contact-card][data-contact-id='{legacy}']"
        ))
        .await?;
    assert_eq!(listed_conversations(&app).await?.len(), 1);

    // Merge with…: the WhatsApp contact is proposed first, for its phone.
    app.browser
        .wait_for("[data-testid=merge-open]")
        .await?
        .click()
        .await?;
    let first = app
        .browser
        .wait_for("[data-testid=merge-duplicates] [data-testid=merge-candidate]")
        .await?;
    assert_eq!(
        first.attr("data-contact-id").await?,
        Some(channel.to_string()),
        "the contact sharing the phone comes first"
    );
    assert!(first.text().await?.contains("Same phone number"));
    let shot = app.browser.screenshot("merge-picker").await?;
    println!("screenshot: {}", shot.display());
    first.click().await?;

    // The preview: the legacy contact stays, the WhatsApp one is deleted.
    let confirm = app.browser.wait_for("[data-testid=merge-confirm]").await?;
    assert_eq!(
        confirm.text().await?,
        format!("Merge: delete {channel_name} (#{channel})")
    );
    let labels = app
        .browser
        .text_of("[data-testid=merge-labels]")
        .await?
        .unwrap_or_default();
    for label in ["billing", "support", "vip"] {
        assert!(labels.contains(label), "{label} in the preview: {labels}");
    }
    app.browser
        .wait_until("the counts", || async {
            let moving = app.browser.text_of("[data-testid=merge-moving]").await?;
            Ok(moving.filter(|m| m.starts_with("1 conversation")))
        })
        .await?;
    // One number written two ways: the preview says so, and its E.164 writing stays.
    let phone = app.browser.wait_for("[data-field=phone]").await?;
    assert_eq!(
        phone.attr("data-outcome").await?.as_deref(),
        Some("same-number")
    );
    assert_eq!(
        app.browser
            .text_of("[data-field=phone] [data-testid=merge-field-value]")
            .await?
            .as_deref(),
        Some("+380501234567")
    );
    let shot = app.browser.screenshot("merge-preview").await?;
    println!("screenshot: {}", shot.display());
    confirm.click().await?;

    // The remaining card: both conversations, the union of labels.
    app.browser
        .wait_until("both conversations on the remaining card", || async {
            let listed = listed_conversations(&app).await.unwrap_or_default();
            Ok((listed == expected_conversations).then_some(()))
        })
        .await?;
    assert_eq!(
        app.browser.path().await?,
        format!("/contacts/{legacy}"),
        "the card of the contact that stays"
    );
    assert!(
        app.browser
            .client
            .find(fantoccini::Locator::Css("[data-testid=merge-dialog]"))
            .await
            .is_err(),
        "the dialog is closed"
    );
    app.browser
        .wait_until("the union of labels on the card", || async {
            let titles = card_labels(&app).await.unwrap_or_default();
            Ok((titles == ["billing", "support", "vip"]).then_some(()))
        })
        .await?;
    let stored = app.api_get(&format!("/contacts/{legacy}/labels")).await?;
    assert_eq!(stored["payload"], json!(["billing", "support", "vip"]));
    let stored = app.api_get(&format!("/contacts/{legacy}")).await?;
    assert_eq!(
        stored["payload"]["identifier"],
        json!(DUPLICATE_PAIR[0].3),
        "the base's values win"
    );
    assert_eq!(
        stored["payload"]["phone_number"],
        json!("+380501234567"),
        "the same number in E.164 replaces its national writing"
    );
    let shot = app.browser.screenshot("merge-remaining-card").await?;
    println!("screenshot: {}", shot.display());

    // The deleted contact's address says where it went.
    app.browser
        .client
        .goto(&app.url(&format!("/contacts/{channel}")))
        .await?;
    let link = app.browser.wait_for("[data-testid=merged-link]").await?;
    assert_eq!(
        link.attr("href").await?,
        Some(format!("/contacts/{legacy}"))
    );
    app.close().await
}
