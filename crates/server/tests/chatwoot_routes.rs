//! Routes of Chatwoot's contacts area its dashboard calls (issue #16): one label
//! (`GET`/`PATCH`/`DELETE /labels/{id}`), one custom attribute definition, the account's
//! cache keys, a contact's avatar, Chatwoot's reading of `page`, a segment's delete, and
//! the public API's contact.
//!
//! Each test names the example of Chatwoot's request specs it follows, where there is one
//! (`spec/controllers/api/v1/accounts/…_spec.rb`, `spec/controllers/public/…`).

mod common;
mod writes;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use writes::db_snapshot;

async fn label_id(app: &TestApp, account_id: i64, title: &str) -> i64 {
    novatalks_server::db::query_scalar("SELECT id FROM labels WHERE account_id = ? AND title = ?")
        .bind(account_id)
        .bind(title)
        .fetch_one(&app.db)
        .await
        .expect("label")
}

async fn contact_titles(app: &TestApp, contact: i64) -> Value {
    app.get(&format!("/contacts/{contact}/labels")).await.body["payload"].clone()
}

// ---------------------------------------------------------------------------------------
// Labels: labels_controller_spec.rb

/// "GET /api/v1/accounts/{account.id}/labels/:id": "returns unauthorized" and "shows the
/// contact" (the label).
#[tokio::test]
async fn one_label_is_shown_to_its_account_only() {
    let app = TestApp::new().await;
    let vip = label_id(&app, app.a.account_id, "vip").await;
    let r = app.get(&format!("/labels/{vip}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"id": vip, "title": "vip", "description": "Key customers: answer first",
               "color": "#f5a623", "show_on_sidebar": true})
    );

    let unauthenticated = app
        .request(
            Method::GET,
            &app.a_url(&format!("/labels/{vip}")),
            None,
            None,
        )
        .await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);

    // Account B's label through account A, and A's label through B's URL with A's token.
    let theirs = label_id(&app, app.b.account_id, "vip").await;
    for r in [
        app.get(&format!("/labels/{theirs}")).await,
        app.patch(&format!("/labels/{theirs}"), json!({"color": "#000000"}))
            .await,
        app.delete(&format!("/labels/{theirs}")).await,
        app.get("/labels/999999").await,
        app.get("/labels/not-a-number").await,
    ] {
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert_eq!(r.body["error"], "Resource could not be found");
    }
    let other = app
        .request(
            Method::GET,
            &app.b_url(&format!("/labels/{vip}")),
            Some(&app.a.token),
            None,
        )
        .await;
    assert!(other.status.is_client_error(), "{}", other.text);
    assert_eq!(
        app.request(
            Method::GET,
            &app.b_url(&format!("/labels/{theirs}")),
            Some(&app.b.token),
            None
        )
        .await
        .body["color"],
        "#f5a623",
        "B's label is untouched"
    );
}

/// "PATCH /api/v1/accounts/{account.id}/labels/:id": "updates the label". Chatwoot
/// lower-cases `Test_2`; our label rules (the create's) refuse it and say how to write it.
#[tokio::test]
async fn a_label_is_updated_field_by_field_with_the_rules_of_a_new_one() {
    let app = TestApp::new().await;
    let vip = label_id(&app, app.a.account_id, "vip").await;
    let path = format!("/labels/{vip}");

    let r = app
        .patch(
            &path,
            json!({"label": {"description": "Answer within the hour", "show_on_sidebar": false}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"id": vip, "title": "vip", "description": "Answer within the hour",
               "color": "#f5a623", "show_on_sidebar": false})
    );
    let r = app
        .put(&path, json!({"color": "#ABCDEF", "description": null}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["color"], "#abcdef");
    assert_eq!(r.body["description"], Value::Null);
    assert_eq!(app.get(&path).await.body, r.body, "stored as answered");

    let before = db_snapshot(&app.db).await;
    let r = app.patch(&path, json!({"title": "Test_2"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body,
        json!({"message": "Title 'Test_2' must be lower-case: use 'test_2'", "attributes": ["title"]})
    );
    let r = app
        .patch(
            &path,
            json!({"title": "billing", "color": "red", "show_on_sidebar": "yes"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["attributes"],
        json!(["color", "show_on_sidebar"]),
        "every problem at once: {}",
        r.text
    );
    let r = app.patch(&path, json!({"title": "billing"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body,
        json!({"message": "Title 'billing' has already been taken", "attributes": ["title"]})
    );
    for body in [
        json!({"title": null}),
        json!({"title": ""}),
        json!({"color": ""}),
    ] {
        let r = app.patch(&path, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
    }
    assert_eq!(db_snapshot(&app.db).await, before, "nothing changed");

    let r = app.patch(&path, json!({"title": "test_2"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["title"], "test_2");
    // The same title again is no conflict with itself.
    assert_eq!(
        app.patch(&path, json!({"title": "test_2"})).await.status,
        StatusCode::OK
    );
}

/// Labels::UpdateService: a renamed label is renamed on the contacts tagged with it.
#[tokio::test]
async fn renaming_a_label_renames_it_on_its_contacts() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let olena = app.insert_contact(a, json!({"name": "Olena"})).await;
    let both = app.insert_contact(a, json!({"name": "Both"})).await;
    let other = app.insert_contact(a, json!({"name": "Other"})).await;
    let theirs = app
        .insert_contact(app.b.account_id, json!({"name": "B"}))
        .await;
    app.label_contact(a, olena, &["vip", "billing"]).await;
    app.label_contact(a, both, &["vip", "key-account"]).await;
    app.label_contact(a, other, &["billing"]).await;
    app.label_contact(app.b.account_id, theirs, &["vip"]).await;

    let vip = label_id(&app, a, "vip").await;
    let r = app
        .patch(&format!("/labels/{vip}"), json!({"title": "key-account"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        contact_titles(&app, olena).await,
        json!(["billing", "key-account"])
    );
    assert_eq!(
        contact_titles(&app, both).await,
        json!(["key-account"]),
        "once"
    );
    assert_eq!(contact_titles(&app, other).await, json!(["billing"]));
    let b = app
        .request(
            Method::GET,
            &app.b_url(&format!("/contacts/{theirs}/labels")),
            Some(&app.b.token),
            None,
        )
        .await;
    assert_eq!(
        b.body["payload"],
        json!(["vip"]),
        "another account's tags stay"
    );
    let updated: i64 =
        novatalks_server::db::query_scalar("SELECT updated_at FROM contacts WHERE id = ?")
            .bind(olena)
            .fetch_one(&app.db)
            .await
            .expect("contact");
    assert!(updated > 1_700_000_000, "the contact changed: {updated}");
}

/// Chatwoot's destroy: `head :ok`, and the taggings stay (a label is a tag by title). A
/// contact keeps the title when its labels are saved again.
#[tokio::test]
async fn a_deleted_label_leaves_its_title_on_contacts() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let olena = app.insert_contact(a, json!({"name": "Olena"})).await;
    app.label_contact(a, olena, &["vip", "billing"]).await;
    let vip = label_id(&app, a, "vip").await;

    let unauthenticated = app
        .request(
            Method::DELETE,
            &app.a_url(&format!("/labels/{vip}")),
            None,
            None,
        )
        .await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);

    let r = app.delete(&format!("/labels/{vip}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.text, "", "200 with an empty body");
    assert_eq!(
        app.get(&format!("/labels/{vip}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&format!("/labels/{vip}")).await.status,
        StatusCode::NOT_FOUND
    );
    let titles: Vec<Value> = app.get("/labels").await.body["payload"]
        .as_array()
        .expect("labels")
        .iter()
        .map(|l| l["title"].clone())
        .collect();
    assert!(!titles.contains(&json!("vip")), "{titles:?}");
    assert_eq!(contact_titles(&app, olena).await, json!(["billing", "vip"]));

    // Saving the contact's labels again keeps the tag; a new unknown title is still refused.
    let path = format!("/contacts/{olena}/labels");
    let r = app.post(&path, json!({"labels": ["vip", "support"]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body, json!({"payload": ["support", "vip"]}));
    let r = app
        .post(&path, json!({"labels": ["vip", "platinum"]}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("'platinum'") && !r.text.contains("'vip'"),
        "{}",
        r.text
    );
    // Removed once, the title is gone: adding it again needs the label.
    assert_eq!(
        app.post(&path, json!({"labels": []})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.post(&path, json!({"labels": ["vip"]})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
