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

    // Saving the contact's labels again keeps the tag; a title no label has is a tag too,
    // as in Chatwoot (chatwoot_spec_labels.rs), listed in [ext] `free_titles`.
    let path = format!("/contacts/{olena}/labels");
    let r = app.post(&path, json!({"labels": ["vip", "support"]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body, json!({"payload": ["support", "vip"]}));
    let r = app
        .post(&path, json!({"labels": ["vip", "platinum"]}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body, json!({"payload": ["platinum", "vip"]}));
    assert_eq!(
        app.get("/labels").await.body["free_titles"],
        json!(["platinum", "vip"])
    );
    // Removed, the title is gone from the free titles; it can be given again.
    assert_eq!(
        app.post(&path, json!({"labels": []})).await.status,
        StatusCode::OK
    );
    assert_eq!(app.get("/labels").await.body["free_titles"], json!([]));
    assert_eq!(
        app.post(&path, json!({"labels": ["vip"]})).await.status,
        StatusCode::OK
    );
}

// ---------------------------------------------------------------------------------------
// Custom attribute definitions: custom_attribute_definitions_controller_spec.rb

async fn definition_id(app: &TestApp, account_id: i64, key: &str) -> i64 {
    novatalks_server::db::query_scalar(
        "SELECT id FROM custom_attribute_definitions WHERE account_id = ? AND attribute_key = ?",
    )
    .bind(account_id)
    .bind(key)
    .fetch_one(&app.db)
    .await
    .expect("definition")
}

/// "GET …/custom_attribute_definitions/:id": "returns unauthorized" and "shows the custom
/// attribute definition".
#[tokio::test]
async fn one_definition_is_shown_to_its_account_only() {
    let app = TestApp::new().await;
    let tax = definition_id(&app, app.a.account_id, "tax_id").await;
    let r = app
        .get(&format!("/custom_attribute_definitions/{tax}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["id"], tax);
    assert_eq!(r.body["attribute_key"], "tax_id");
    assert_eq!(r.body["attribute_display_name"], "Tax ID");
    assert_eq!(r.body["regex_pattern"], "^[A-Z]{2}[0-9]{8,10}$");
    let listed = app.get("/custom_attribute_definitions").await.body;
    let in_list = listed
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["id"] == tax)
        .cloned();
    assert_eq!(
        in_list,
        Some(r.body.clone()),
        "the same shape as in the list"
    );

    let path = format!("/custom_attribute_definitions/{tax}");
    for (method, body) in [
        (Method::GET, None),
        (Method::PATCH, Some(json!({"attribute_display_name": "X"}))),
        (Method::DELETE, None),
    ] {
        let r = app
            .request(method.clone(), &app.a_url(&path), None, body)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method}");
    }
    let theirs = definition_id(&app, app.b.account_id, "tax_id").await;
    let path = format!("/custom_attribute_definitions/{theirs}");
    for r in [
        app.get(&path).await,
        app.patch(&path, json!({"attribute_display_name": "Mine"}))
            .await,
        app.delete(&path).await,
        app.get("/custom_attribute_definitions/0").await,
    ] {
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert_eq!(r.body["error"], "Resource could not be found");
    }
}

/// "PATCH …/custom_attribute_definitions/:id": "updates the custom attribute definition"
/// (its display name, wrapped in `custom_attribute_definition`). Chatwoot's example also
/// sends a new `attribute_key`, which Chatwoot takes, and so does this server (issue #16;
/// `chatwoot_spec_areas.rs` ports the example); the model and the type cannot change.
#[tokio::test]
async fn a_definition_updates_what_agents_see_and_its_key_but_not_its_model_or_type() {
    let app = TestApp::new().await;
    let tax = definition_id(&app, app.a.account_id, "tax_id").await;
    let path = format!("/custom_attribute_definitions/{tax}");

    let r = app
        .patch(
            &path,
            json!({"custom_attribute_definition": {"attribute_display_name": "VAT number",
                   "attribute_key": "tax_id", "attribute_model": "contact_attribute",
                   "attribute_description": "EU VAT id", "regex_pattern": "^[A-Z]{2}[0-9]+$",
                   "regex_cue": "Like DE123456"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["attribute_display_name"], "VAT number");
    assert_eq!(r.body["attribute_key"], "tax_id");
    assert_eq!(r.body["attribute_model"], "contact_attribute");
    assert_eq!(r.body["attribute_description"], "EU VAT id");
    assert_eq!(r.body["regex_pattern"], "^[A-Z]{2}[0-9]+$");
    assert_eq!(r.body["regex_cue"], "Like DE123456");
    assert_eq!(app.get(&path).await.body, r.body, "stored as answered");
    // The new pattern is the one contacts are checked with.
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let put = app
        .put(
            &format!("/contacts/{contact}"),
            json!({"custom_attributes": {"tax_id": "DE1"}}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);

    // Chatwoot's model number reads as its name; clearing the pattern and description.
    let r = app
        .put(
            &path,
            json!({"attribute_model": "1", "regex_pattern": null, "attribute_description": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["regex_pattern"], Value::Null);
    assert_eq!(r.body["attribute_description"], Value::Null);

    let before = db_snapshot(&app.db).await;
    let r = app
        .patch(
            &path,
            json!({"attribute_model": "conversation_attribute", "attribute_display_type": "number",
                   "attribute_display_name": " ", "regex_pattern": "(["}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["attributes"],
        json!([
            "attribute_model",
            "attribute_display_type",
            "attribute_display_name",
            "regex_pattern"
        ]),
        "{}",
        r.text
    );
    assert_eq!(db_snapshot(&app.db).await, before, "nothing changed");
    assert_eq!(
        app.get(&path).await.body["attribute_display_name"],
        "VAT number"
    );

    // A new key, as Chatwoot: checked like a new definition's, and free in the model.
    let r = app
        .patch(
            &path,
            json!({"attribute_display_name": "Developer ID", "attribute_key": "developer_id"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["attribute_key"], "developer_id");
    assert_eq!(r.body["attribute_display_name"], "Developer ID");
    // A standard contact field, a key of the wrong shape, another definition's key.
    for key in ["email", "Bad Key", "plan"] {
        let r = app.patch(&path, json!({"attribute_key": key})).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{key}: {}",
            r.text
        );
        assert_eq!(r.body["attributes"], json!(["attribute_key"]), "{key}");
    }
    assert_eq!(app.get(&path).await.body["attribute_key"], "developer_id");
}

/// The choices of a list change; a list keeps at least one.
#[tokio::test]
async fn a_list_definition_takes_new_choices() {
    let app = TestApp::new().await;
    let created = app
        .post(
            "/custom_attribute_definitions",
            json!({"attribute_key": "tier", "attribute_display_name": "Tier",
                   "attribute_display_type": "list", "attribute_values": ["gold", "silver"]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    let path = format!("/custom_attribute_definitions/{}", created.body["id"]);
    let r = app
        .patch(
            &path,
            json!({"attribute_values": ["gold", "silver", "bronze"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["attribute_values"],
        json!(["gold", "silver", "bronze"])
    );
    let r = app.patch(&path, json!({"attribute_values": []})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.body["attributes"], json!(["attribute_values"]));
    assert_eq!(
        app.get(&path).await.body["attribute_values"],
        json!(["gold", "silver", "bronze"])
    );
}

/// "DELETE …/custom_attribute_definitions/:id": "returns unauthorized" and "deletes
/// custom attribute" (204, no body). Contacts keep their values, as in Chatwoot.
#[tokio::test]
async fn a_deleted_definition_is_a_204_and_contacts_keep_their_values() {
    let app = TestApp::new().await;
    let tax = definition_id(&app, app.a.account_id, "tax_id").await;
    let contact = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Olena", "custom_attributes": {"tax_id": "DE12345678"}}),
        )
        .await;
    let path = format!("/custom_attribute_definitions/{tax}");
    let r = app.delete(&path).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(r.text, "");
    assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&path).await.status, StatusCode::NOT_FOUND);
    let keys: Vec<Value> = app
        .get("/custom_attribute_definitions?attribute_model=contact_attribute")
        .await
        .body
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["attribute_key"].clone())
        .collect();
    assert!(!keys.contains(&json!("tax_id")), "{keys:?}");
    assert_eq!(
        app.get(&format!("/contacts/{contact}")).await.body["payload"]["custom_attributes"]
            ["tax_id"],
        "DE12345678"
    );
    // The key is free again.
    let again = app
        .post(
            "/custom_attribute_definitions",
            json!({"attribute_key": "tax_id", "attribute_display_name": "Tax ID"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
}

// ---------------------------------------------------------------------------------------
// Cache keys: Chatwoot's AccountsController#cache_keys and its CacheKeys concern (a
// key per list, set to the time of the latest change of one of its rows). No spec
// example of it was ported: these tests check the behaviour its dashboard relies on.

async fn keys(app: &TestApp) -> Value {
    let r = app.get("/cache_keys").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["cache_keys"].clone()
}

/// Label, inbox and team, each a text, as Chatwoot's Redis values are.
#[tokio::test]
async fn cache_keys_move_with_every_label_change_and_only_their_accounts() {
    let app = TestApp::new().await;
    let start = keys(&app).await;
    for kind in ["label", "inbox", "team"] {
        assert!(start[kind].is_string(), "{kind}: {start}");
    }
    assert_eq!(start["team"], "0000000000", "no teams here");
    assert_ne!(start["label"], "0000000000", "the fixture made labels");
    assert_eq!(keys(&app).await, start, "a read changes nothing");

    let b_keys = || async {
        app.request(
            Method::GET,
            &app.b_url("/cache_keys"),
            Some(&app.b.token),
            None,
        )
        .await
        .body["cache_keys"]
            .clone()
    };
    let b_start = b_keys().await;

    let mut seen = vec![start["label"].clone()];
    let mut step = |now: Value, what: &str| {
        assert!(
            !seen.contains(&now["label"]),
            "{what}: the label key moved: {now}"
        );
        assert_eq!(
            now["inbox"], start["inbox"],
            "{what}: the inbox key did not"
        );
        seen.push(now["label"].clone());
    };
    let created = app.post("/labels", json!({"title": "fresh"})).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    step(keys(&app).await, "create");
    let path = format!("/labels/{}", created.body["id"]);
    assert_eq!(
        app.patch(&path, json!({"color": "#000000"})).await.status,
        StatusCode::OK
    );
    step(keys(&app).await, "update");
    assert_eq!(app.delete(&path).await.status, StatusCode::OK);
    step(keys(&app).await, "delete");
    // Two changes within the same millisecond still give two keys.
    for title in ["one", "two"] {
        assert_eq!(
            app.post("/labels", json!({"title": title})).await.status,
            StatusCode::OK
        );
        step(keys(&app).await, title);
    }
    assert_eq!(b_keys().await, b_start, "another account's keys stay");
    let numbers: Vec<i64> = seen
        .iter()
        .map(|v| {
            v.as_str()
                .and_then(|s| s.parse().ok())
                .expect("a number in text")
        })
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
}

#[tokio::test]
async fn the_inbox_key_moves_with_any_write_to_inboxes() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let mut last = keys(&app).await;
    let mut moved = |now: Value, what: &str| {
        assert_ne!(now["inbox"], last["inbox"], "{what}");
        assert_eq!(now["label"], last["label"], "{what}");
        last = now;
    };
    let id: i64 = novatalks_server::db::query_scalar(
        "INSERT INTO inboxes (account_id, name, channel_type) VALUES (?, 'Fax', 'Channel::Api') RETURNING id",
    )
    .bind(a)
    .fetch_one(&app.db)
    .await
    .expect("insert");
    moved(keys(&app).await, "insert");
    novatalks_server::db::query("UPDATE inboxes SET name = 'Telefax' WHERE id = ?")
        .bind(id)
        .execute(&app.db)
        .await
        .expect("rename");
    moved(keys(&app).await, "update");
    novatalks_server::db::query("DELETE FROM inboxes WHERE id = ?")
        .bind(id)
        .execute(&app.db)
        .await
        .expect("delete");
    moved(keys(&app).await, "delete");
}

/// 401 without a token; another account's URL is the Scope's 401, as
/// for every account route (Chatwoot's "not authorized to access this account").
#[tokio::test]
async fn cache_keys_need_the_account() {
    let app = TestApp::new().await;
    let r = app
        .request(Method::GET, &app.a_url("/cache_keys"), None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .request(
            Method::GET,
            &app.b_url("/cache_keys"),
            Some(&app.a.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert_eq!(
        r.body["error"],
        "You are not authorized to access this account"
    );
}

// ---------------------------------------------------------------------------------------
// A contact's avatar: contacts_controller_spec.rb, "DELETE
// /api/v1/accounts/{account.id}/contacts/:id/avatar"

async fn thumbnail(app: &TestApp, contact: i64) -> String {
    novatalks_server::db::query_scalar("SELECT thumbnail FROM contacts WHERE id = ?")
        .bind(contact)
        .fetch_one(&app.db)
        .await
        .expect("contact")
}

/// "returns unauthorized" and "delete contact avatar": 200 with the contact, whose
/// thumbnail is gone.
#[tokio::test]
async fn deleting_a_contacts_avatar_answers_the_contact_without_it() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let olena = app.insert_contact(a, json!({"name": "Olena"})).await;
    let picture = "https://cdn.example.com/olena.png";
    novatalks_server::db::query("UPDATE contacts SET thumbnail = ? WHERE id = ?")
        .bind(picture)
        .bind(olena)
        .execute(&app.db)
        .await
        .expect("thumbnail");
    let path = format!("/contacts/{olena}/avatar");

    let r = app
        .request(Method::DELETE, &app.a_url(&path), None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(thumbnail(&app, olena).await, picture);

    let r = app.delete(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["payload"]["id"], olena);
    assert_eq!(r.body["payload"]["name"], "Olena");
    assert_eq!(r.body["payload"]["thumbnail"], "");
    assert_eq!(thumbnail(&app, olena).await, "");
    assert_eq!(
        app.get(&format!("/contacts/{olena}")).await.body["payload"],
        r.body["payload"],
        "the contact as shown"
    );
    // Again, without an avatar: the same answer, as Chatwoot's `purge if attached`.
    let again = app.delete(&path).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, r.body);

    // Another account's contact, and one that does not exist.
    let theirs = app
        .insert_contact(app.b.account_id, json!({"name": "B"}))
        .await;
    novatalks_server::db::query("UPDATE contacts SET thumbnail = ? WHERE id = ?")
        .bind(picture)
        .bind(theirs)
        .execute(&app.db)
        .await
        .expect("thumbnail");
    for id in [theirs, 999_999] {
        let r = app.delete(&format!("/contacts/{id}/avatar")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert_eq!(r.body["error"], "Resource could not be found");
    }
    assert_eq!(thumbnail(&app, theirs).await, picture);
}

// ---------------------------------------------------------------------------------------
// `page` as Chatwoot reads it: `params[:page]` through Kaminari (`to_i`, below 1 is 1)

#[tokio::test]
async fn page_zero_below_or_not_a_number_is_the_first_page() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    for i in 0..3 {
        app.insert_contact(
            a,
            json!({"name": format!("Paged {i}"), "email": format!("paged{i}@example.com")}),
        )
        .await;
    }
    let condition = json!({"payload": [{"attribute_key": "email", "filter_operator": "contains",
                                        "values": ["paged"], "query_operator": null}]});
    let first_list = TestApp::ids(&app.get("/contacts?per_page=2").await);
    let second_list = TestApp::ids(&app.get("/contacts?per_page=2&page=2").await);
    let first_search = TestApp::ids(&app.get("/contacts/search?q=Paged&per_page=2").await);
    let first_filter = TestApp::ids(
        &app.post("/contacts/filter?per_page=2", condition.clone())
            .await,
    );
    assert_eq!(first_list.len(), 2);
    assert_eq!(first_search.len(), 2);
    assert_eq!(first_filter.len(), 2);

    for page in ["0", "-3", "abc", "", "%20", "0x2"] {
        let list = app.get(&format!("/contacts?per_page=2&page={page}")).await;
        assert_eq!(list.status, StatusCode::OK, "{page}: {}", list.text);
        assert_eq!(TestApp::ids(&list), first_list, "list page={page}");
        let search = app
            .get(&format!("/contacts/search?q=Paged&per_page=2&page={page}"))
            .await;
        assert_eq!(search.status, StatusCode::OK, "{page}: {}", search.text);
        assert_eq!(TestApp::ids(&search), first_search, "search page={page}");
        let filter = app
            .post(
                &format!("/contacts/filter?per_page=2&page={page}"),
                condition.clone(),
            )
            .await;
        assert_eq!(filter.status, StatusCode::OK, "{page}: {}", filter.text);
        assert_eq!(TestApp::ids(&filter), first_filter, "filter page={page}");
    }
    // As `to_i`: the digits before anything else count.
    assert_eq!(
        TestApp::ids(&app.get("/contacts?per_page=2&page=2abc").await),
        second_list
    );
    assert_eq!(
        TestApp::ids(&app.get("/contacts?per_page=2&page=+2").await),
        second_list
    );
    // Past the last page: empty, as Kaminari; beyond the limit a 422 in words.
    let far = app.get("/contacts?per_page=2&page=999999").await;
    assert_eq!(far.status, StatusCode::OK);
    assert!(TestApp::ids(&far).is_empty());
    let r = app.get("/contacts?page=1000001").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["error"],
        "page must be a whole number up to 1000000, not 1000001"
    );
}

// ---------------------------------------------------------------------------------------
// The public API's contact: Chatwoot's Public::Api::V1::Inboxes::ContactsController
// and its request spec "Public Inbox Contacts API" ("GET
// /public/api/v1/inboxes/{identifier}/contact/{source_id}" and "PATCH …")

fn public_base(app: &TestApp) -> String {
    format!("/public/api/v1/inboxes/{}", app.a.api_inbox_identifier)
}

/// A visitor's contact made through the public API: (contact id, source id, pubsub token).
async fn visitor(app: &TestApp, body: Value) -> (i64, String, String) {
    let r = app
        .request(
            Method::POST,
            &format!("{}/contacts", public_base(app)),
            None,
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    (
        r.body["id"].as_i64().expect("id"),
        r.body["source_id"].as_str().expect("source_id").to_owned(),
        r.body["pubsub_token"].as_str().expect("token").to_owned(),
    )
}

/// "gets a contact when present": the contact behind the source id, with its id, source
/// id, pubsub token, name and email, and nothing of any other contact.
#[tokio::test]
async fn a_visitor_reads_its_own_contact_by_source_id() {
    let app = TestApp::new().await;
    let (id, source, token) = visitor(
        &app,
        json!({"name": "Olena", "email": "olena@example.com", "phone_number": "+380501234567"}),
    )
    .await;
    let url = format!("{}/contacts/{source}", public_base(&app));
    let r = app.request(Method::GET, &url, None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"id": id, "source_id": source, "pubsub_token": token, "name": "Olena",
               "email": "olena@example.com", "phone_number": "+380501234567"})
    );

    // An unknown source id, another inbox's identifier, a guessed inbox: JSON 404s.
    let b_url = format!(
        "/public/api/v1/inboxes/{}/contacts/{source}",
        app.b.api_inbox_identifier
    );
    for url in [
        format!("{}/contacts/not-a-source-id", public_base(&app)),
        b_url,
        format!("/public/api/v1/inboxes/api-inbox-1/contacts/{source}"),
    ] {
        let r = app.request(Method::GET, &url, None, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{url}: {}", r.text);
        assert_eq!(r.body["error"], "Resource could not be found");
    }
}

/// A visitor that gave an email another contact has reads back what it gave, as when
/// the email is free: the show tells nothing of the other contact.
#[tokio::test]
async fn the_show_does_not_tell_whether_another_contact_has_an_email() {
    let app = TestApp::new().await;
    let agent_known = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Known", "email": "known@example.com"}),
        )
        .await;
    let (id, source, _) =
        visitor(&app, json!({"name": "Guess", "email": "known@example.com"})).await;
    assert_ne!(id, agent_known);
    let url = format!("{}/contacts/{source}", public_base(&app));
    let r = app.request(Method::GET, &url, None, None).await;
    assert_eq!(r.body["email"], "known@example.com");
    assert_eq!(r.body["name"], "Guess");
    assert!(!r.text.contains("Known"), "{}", r.text);
}

/// "updates a contact when present": the visitor's name, email and phone number; a
/// value another contact has is kept unverified and answered as sent (Chatwoot would
/// merge the two; here only agents merge).
#[tokio::test]
async fn a_visitor_updates_its_own_contact_and_takes_nobody_elses_values() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let other = app
        .insert_contact(
            a,
            json!({"name": "Taken", "email": "taken@example.com", "phone_number": "+380671112233"}),
        )
        .await;
    let (id, source, _) = visitor(&app, json!({"name": "Olena"})).await;
    let url = format!("{}/contacts/{source}", public_base(&app));

    let r = app
        .request(
            Method::PATCH,
            &url,
            None,
            Some(json!({"name": "Olena K", "email": "Olena@Example.com"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["id"], id);
    assert_eq!(r.body["name"], "Olena K");
    assert_eq!(r.body["email"], "olena@example.com");
    let agent_view = app.get(&format!("/contacts/{id}")).await.body["payload"].clone();
    assert_eq!(agent_view["name"], "Olena K");
    assert_eq!(agent_view["email"], "olena@example.com");

    // Values another contact has: answered as sent, kept unverified, not taken.
    let before_other = app.get(&format!("/contacts/{other}")).await.body;
    let r = app
        .request(
            Method::PUT,
            &url,
            None,
            Some(json!({"email": "taken@example.com", "phone_number": "+380 67 111 22 33"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["email"], "taken@example.com");
    assert_eq!(r.body["phone_number"], "+380671112233");
    assert_eq!(
        app.request(Method::GET, &url, None, None).await.body,
        r.body,
        "the show reads the same"
    );
    let agent_view = app.get(&format!("/contacts/{id}")).await.body["payload"].clone();
    assert_eq!(agent_view["email"], "olena@example.com", "its own stays");
    assert_eq!(
        agent_view["additional_attributes"]["unverified_email"],
        "taken@example.com"
    );
    assert_eq!(
        agent_view["additional_attributes"]["unverified_phone_number"],
        "+380671112233"
    );
    assert_eq!(
        app.get(&format!("/contacts/{other}")).await.body,
        before_other
    );

    // A free email again replaces what was kept; null and blank leave fields as they are.
    let r = app
        .request(
            Method::PATCH,
            &url,
            None,
            Some(json!({"email": "new@example.com", "name": null, "phone_number": ""})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["email"], "new@example.com");
    assert_eq!(r.body["name"], "Olena K");
    let agent_view = app.get(&format!("/contacts/{id}")).await.body["payload"].clone();
    assert_eq!(agent_view["email"], "new@example.com");
    assert_eq!(
        agent_view["additional_attributes"]["unverified_email"],
        Value::Null
    );

    // Bad values: a 422 in words, nothing changes.
    let before = db_snapshot(&app.db).await;
    let r = app
        .request(
            Method::PATCH,
            &url,
            None,
            Some(json!({"email": "not an email"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.body["attributes"], json!(["email"]));
    let r = app
        .request(
            Method::PATCH,
            &format!("{}/contacts/nobody", public_base(&app)),
            None,
            Some(json!({"name": "X"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(db_snapshot(&app.db).await, before);
}

/// A blocked contact's update reaches nothing, as everything it sends.
#[tokio::test]
async fn a_blocked_visitor_cannot_update_its_contact() {
    let app = TestApp::new().await;
    let (id, source, _) = visitor(&app, json!({"name": "Olena"})).await;
    let r = app
        .put(&format!("/contacts/{id}"), json!({"blocked": true}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let before = db_snapshot(&app.db).await;
    let url = format!("{}/contacts/{source}", public_base(&app));
    let r = app
        .request(
            Method::PATCH,
            &url,
            None,
            Some(json!({"name": "Someone else"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(r.body["error"], "Contact is blocked");
    assert_eq!(db_snapshot(&app.db).await, before);
    // Reading is no message: it still answers.
    assert_eq!(
        app.request(Method::GET, &url, None, None).await.body["name"],
        "Olena"
    );
}

/// What the public API does not serve is a JSON 404, never the SPA's HTML page.
#[tokio::test]
async fn unknown_public_and_auth_addresses_are_json_404s() {
    let app = TestApp::new().await;
    let base = public_base(&app);
    for (method, url) in [
        (Method::GET, base.clone()),
        (Method::GET, format!("{base}/contacts/x/conversations/1")),
        (
            Method::POST,
            format!("{base}/contacts/x/conversations/1/toggle_status"),
        ),
        (Method::GET, "/public/api/v1/widget/config".to_owned()),
        (Method::GET, "/public/anything".to_owned()),
        (Method::GET, "/auth/nothing-here".to_owned()),
    ] {
        let r = app.request(method.clone(), &url, None, None).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{method} {url}: {}",
            r.text
        );
        assert_eq!(
            r.body["error"], "Resource could not be found",
            "{method} {url}"
        );
    }
    // A route that exists but not for this method stays a JSON 405.
    let r = app
        .request(Method::DELETE, &format!("{base}/contacts/x"), None, None)
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.text);
    assert!(r.body["error"].is_string(), "{}", r.text);
}

/// A deleted label's title can still be taken off contacts in bulk (adding it needs the
/// label).
#[tokio::test]
async fn a_deleted_labels_title_is_removed_in_bulk() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let olena = app.insert_contact(a, json!({"name": "Olena"})).await;
    let petro = app.insert_contact(a, json!({"name": "Petro"})).await;
    app.label_contact(a, olena, &["vip", "billing"]).await;
    app.label_contact(a, petro, &["vip"]).await;
    let vip = label_id(&app, a, "vip").await;
    assert_eq!(
        app.delete(&format!("/labels/{vip}")).await.status,
        StatusCode::OK
    );

    let r = app
        .post(
            "/bulk_actions",
            json!({"type": "Contact", "ids": [olena, petro], "labels": {"remove": ["vip"]}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(contact_titles(&app, olena).await, json!(["billing"]));
    assert_eq!(contact_titles(&app, petro).await, json!([]));
    let r = app
        .post(
            "/bulk_actions",
            json!({"type": "Contact", "ids": [olena], "labels": {"add": ["vip"]}}),
        )
        .await;
    // A title without a label is a tag as any other (chatwoot_spec_labels.rs).
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(contact_titles(&app, olena).await, json!(["billing", "vip"]));
}

/// Chatwoot authenticates before it routes: `GET` on a POST-only route without a token is
/// its 401, not an empty 405; with a token it stays our JSON 405 saying what the address
/// takes.
#[tokio::test]
async fn a_wrong_method_without_a_token_is_a_401_as_in_chatwoot() {
    let app = TestApp::new().await;
    for path in [
        "/contacts/filter",
        "/actions/contact_merge",
        "/bulk_actions",
    ] {
        let url = app.a_url(path);
        let r = app.request(Method::GET, &url, None, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", r.text);
        assert!(r.body["error"].is_string(), "{path}: {}", r.text);
        let r = app
            .request(Method::GET, &url, Some(&app.a.token), None)
            .await;
        assert_eq!(
            r.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{path}: {}",
            r.text
        );
        assert!(
            r.body["error"]
                .as_str()
                .is_some_and(|e| e.contains("does not take GET")),
            "{path}: {}",
            r.text
        );
    }
}

/// Chatwoot's dashboard searches from its search page with `GET /search/contacts`; the
/// answer is the omnisearch's `payload.contacts`, the same contacts `/contacts/search`
/// finds, and only the account's own.
#[tokio::test]
async fn the_omnisearch_of_contacts_answers_in_chatwoots_shape() {
    let app = TestApp::new().await;
    let made = app
        .post(
            "/contacts",
            json!({"name": "Omnisearch Olena", "email": "omni@example.com"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    let r = app.get("/search/contacts?q=omnisearch").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let contacts = r.body["payload"]["contacts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(contacts.len(), 1, "{}", r.text);
    assert_eq!(contacts[0]["email"], "omni@example.com");
    let same = app.get("/contacts/search?q=omnisearch").await;
    assert_eq!(same.body["payload"][0]["id"], contacts[0]["id"]);

    let other = app
        .request(
            Method::GET,
            &app.b_url("/search/contacts?q=omnisearch"),
            Some(&app.b.token),
            None,
        )
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text);
    assert_eq!(
        other.body["payload"]["contacts"],
        json!([]),
        "{}",
        other.text
    );

    let blank = app.get("/search/contacts?q=").await;
    assert_eq!(
        blank.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        blank.text
    );
}

/// Chatwoot's contact JSON carries each of the contact's identities (`contact_inboxes`:
/// `source_id` and a slim inbox without secrets) on list, search, filter and show; its
/// dashboard reads them to open a conversation.
#[tokio::test]
async fn contacts_carry_their_contact_inboxes_on_list_search_filter_and_show() {
    let app = TestApp::new().await;
    let created = app
        .request(
            Method::POST,
            &format!(
                "/public/api/v1/inboxes/{}/contacts",
                app.a.api_inbox_identifier
            ),
            None,
            Some(json!({"name": "Identity Iryna", "email": "iryna.identity@example.com"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    let id = created.body["id"].as_i64().expect("id");
    let source_id = created.body["source_id"]
        .as_str()
        .expect("source_id")
        .to_owned();

    let check = |contact: &Value, what: &str| {
        let identities = contact["contact_inboxes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(identities.len(), 1, "{what}: {contact}");
        assert_eq!(identities[0]["source_id"], source_id.as_str(), "{what}");
        let inbox = &identities[0]["inbox"];
        assert_eq!(inbox["channel_type"], "Channel::Api", "{what}: {inbox}");
        assert!(
            inbox["id"].is_i64() && inbox["name"].is_string(),
            "{what}: {inbox}"
        );
        assert!(
            inbox.get("hmac_token").is_none() && inbox.get("inbox_identifier").is_none(),
            "{what}: no secrets: {inbox}"
        );
    };
    let shown = app.get(&format!("/contacts/{id}")).await;
    check(&shown.body["payload"], "show");
    let found = app.get("/contacts/search?q=iryna.identity").await;
    check(&found.body["payload"][0], "search");
    let filtered = app
        .post(
            "/contacts/filter",
            json!({"payload": [{"attribute_key": "email", "filter_operator": "equal_to",
                                "values": ["iryna.identity@example.com"], "query_operator": null}]}),
        )
        .await;
    assert_eq!(filtered.status, StatusCode::OK, "{}", filtered.text);
    check(&filtered.body["payload"][0], "filter");
    let listed = app.get("/contacts?sort=-created_at&per_page=5").await;
    let mine = listed.body["payload"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["id"] == id).cloned())
        .expect("the new contact is on the first page");
    check(&mine, "list");
    let updated = app
        .patch(
            &format!("/contacts/{id}"),
            json!({"name": "Iryna Identity"}),
        )
        .await;
    check(&updated.body["payload"], "update");

    // A contact without identities has an empty list, not a missing key.
    let plain = app.post("/contacts", json!({"name": "No Identity"})).await;
    assert_eq!(
        plain.body["payload"]["contact"]["contact_inboxes"],
        json!([]),
        "{}",
        plain.text
    );
}

/// Chatwoot's contact inboxes `create`: an identity in an inbox of the account, its
/// `source_id` as given or a random UUID, answered as `{source_id, inbox}`; it then shows
/// in the contact's `contact_inboxes`. Another contact's address in that inbox is refused
/// and stays theirs; another account's inbox or contact is not found.
#[tokio::test]
async fn a_contact_gets_an_identity_in_an_inbox() {
    let app = TestApp::new().await;
    let inboxes = app.get("/inboxes").await;
    let inbox = inboxes.body["payload"][0]["id"].as_i64().expect("an inbox");
    let olena = app
        .insert_contact(app.a.account_id, json!({"name": "Olena Inbox"}))
        .await;
    let ivan = app
        .insert_contact(app.a.account_id, json!({"name": "Ivan Inbox"}))
        .await;
    let url = |id: i64| format!("/contacts/{id}/contact_inboxes");

    let r = app.post(&url(olena), json!({"inbox_id": inbox})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let random = r.body["source_id"]
        .as_str()
        .expect("a source id")
        .to_owned();
    assert_eq!(random.len(), 36, "a UUID: {random}");
    assert_eq!(r.body["inbox"]["id"], inbox);

    let r = app
        .post(
            &url(olena),
            json!({"inbox_id": inbox, "source_id": "crm-olena"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["source_id"], "crm-olena");
    // Asked again: the same identity, not a second one.
    let again = app
        .post(
            &url(olena),
            json!({"inbox_id": inbox, "source_id": "crm-olena"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    let shown = app.get(&format!("/contacts/{olena}")).await;
    let sources: Vec<&str> = shown.body["payload"]["contact_inboxes"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|ci| ci["source_id"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(sources, [random.as_str(), "crm-olena"]);

    let taken = app
        .post(
            &url(ivan),
            json!({"inbox_id": inbox, "source_id": "crm-olena"}),
        )
        .await;
    assert_eq!(
        taken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        taken.text
    );
    assert_eq!(
        taken.body["attributes"],
        json!(["source_id"]),
        "{}",
        taken.text
    );
    let blank = app
        .post(&url(ivan), json!({"inbox_id": inbox, "source_id": "  "}))
        .await;
    assert_eq!(
        blank.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        blank.text
    );

    let theirs = app
        .request(
            Method::GET,
            &app.b_url("/inboxes"),
            Some(&app.b.token),
            None,
        )
        .await;
    let their_inbox = theirs.body["payload"][0]["id"]
        .as_i64()
        .expect("their inbox");
    let r = app.post(&url(ivan), json!({"inbox_id": their_inbox})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let their_contact = app
        .insert_contact(app.b.account_id, json!({"name": "Theirs"}))
        .await;
    let r = app
        .post(&url(their_contact), json!({"inbox_id": inbox}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}

/// Chatwoot's contacts `create` with `inbox_id`: the new contact gets an identity in that
/// inbox (its email in an email inbox, a UUID in an API inbox) answered as
/// `contact_inbox`; an inbox that cannot take it, or another account's, creates nothing.
#[tokio::test]
async fn creating_a_contact_with_an_inbox_gives_it_an_identity_there() {
    let app = TestApp::new().await;
    let inboxes = app.get("/inboxes").await;
    let of_type = |channel: &str| {
        inboxes.body["payload"]
            .as_array()
            .and_then(|all| all.iter().find(|i| i["channel_type"] == channel))
            .and_then(|i| i["id"].as_i64())
            .unwrap_or_else(|| panic!("a {channel} inbox: {}", inboxes.text))
    };
    let (email_inbox, api_inbox) = (of_type("Channel::Email"), of_type("Channel::Api"));

    let r = app
        .post(
            "/contacts",
            json!({"name": "Mail Maria", "email": "Maria.Mail@example.com", "inbox_id": email_inbox}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let created = &r.body["payload"];
    assert_eq!(
        created["contact_inbox"]["source_id"],
        "maria.mail@example.com"
    );
    assert_eq!(created["contact_inbox"]["inbox"]["id"], email_inbox);
    assert_eq!(
        created["contact"]["contact_inboxes"][0]["source_id"],
        "maria.mail@example.com"
    );

    let r = app
        .post(
            "/contacts",
            json!({"name": "Api Andriy", "inbox_id": api_inbox}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["payload"]["contact_inbox"]["source_id"]
            .as_str()
            .map(str::len),
        Some(36),
        "{}",
        r.text
    );
    let plain = app
        .post("/contacts", json!({"name": "No Inbox Nadia"}))
        .await;
    assert_eq!(
        plain.body["payload"]["contact_inbox"],
        Value::Null,
        "{}",
        plain.text
    );

    let before = app.get("/contacts?per_page=1").await.body["meta"]["count"].clone();
    let r = app
        .post(
            "/contacts",
            json!({"name": "No Email", "inbox_id": email_inbox}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.body["attributes"], json!(["inbox_id"]), "{}", r.text);
    let theirs = app
        .request(
            Method::GET,
            &app.b_url("/inboxes"),
            Some(&app.b.token),
            None,
        )
        .await;
    let their_inbox = theirs.body["payload"][0]["id"]
        .as_i64()
        .expect("their inbox");
    let r = app
        .post(
            "/contacts",
            json!({"name": "Wrong Inbox", "inbox_id": their_inbox}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let after = app.get("/contacts?per_page=1").await.body["meta"]["count"].clone();
    assert_eq!(before, after, "nothing was created");
}
