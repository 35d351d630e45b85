//! Notes of a contact: list, create, update, delete; any agent edits, the editor kept; isolation.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

async fn note_count(app: &TestApp) -> i64 {
    novatalks_server::db::query_scalar("SELECT count(*) FROM notes")
        .fetch_one(&app.db)
        .await
        .expect("count")
}

/// A second agent of account A: (user id, token).
async fn second_agent(app: &TestApp) -> (i64, String) {
    novatalks_server::auth::create_user_with_token(
        &app.db,
        app.a.account_id,
        "Maria Support",
        "maria@test.test",
        "pw-123456",
    )
    .await
    .expect("second agent")
}

#[tokio::test]
async fn a_note_is_created_by_the_calling_agent_and_listed_newest_first() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    // An older note, straight in the database.
    novatalks_server::db::query(
        "INSERT INTO notes (account_id, contact_id, user_id, content, created_at, updated_at) VALUES (?, ?, ?, 'old', 1000, 1000)",
    )
    .bind(app.a.account_id)
    .bind(contact)
    .bind(app.a.user_id)
    .execute(&app.db)
    .await
    .expect("old note");

    let first = app
        .post(
            &format!("/contacts/{contact}/notes"),
            json!({"content": "first"}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.body["content"], "first");
    assert_eq!(first.body["contact_id"], contact);
    assert_eq!(
        first.body["user"],
        json!({"id": app.a.user_id, "name": "Test Agent"})
    );
    assert!(first.body["created_at"]
        .as_i64()
        .is_some_and(|t| t > 1_700_000_000));
    assert_eq!(first.body["updated_at"], first.body["created_at"]);
    let second = app
        .post(
            &format!("/contacts/{contact}/notes"),
            json!({"content": "second"}),
        )
        .await;
    assert_eq!(second.status, StatusCode::OK);

    let list = app.get(&format!("/contacts/{contact}/notes")).await;
    assert_eq!(list.status, StatusCode::OK);
    let contents: Vec<&str> = list
        .body
        .as_array()
        .expect("a bare array")
        .iter()
        .filter_map(|n| n["content"].as_str())
        .collect();
    assert_eq!(contents, ["second", "first", "old"]);
    assert_eq!(list.body[0]["id"], second.body["id"]);
}

#[tokio::test]
async fn a_contact_without_notes_lists_an_empty_array() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Quiet"}))
        .await;
    let list = app.get(&format!("/contacts/{contact}/notes")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body, json!([]));
}

#[tokio::test]
async fn html_and_sql_in_a_note_are_stored_and_returned_verbatim() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let text = "<b>VIP</b> <script>alert(1)</script> '); DROP TABLE notes; -- \"quoted\" & ünïcødé";
    let created = app
        .post(
            &format!("/contacts/{contact}/notes"),
            json!({"content": text}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    assert_eq!(created.body["content"], text);
    let list = app.get(&format!("/contacts/{contact}/notes")).await;
    assert_eq!(list.body[0]["content"], text);
    assert_eq!(note_count(&app).await, 1, "the notes table is still there");
}

#[tokio::test]
async fn chatwoots_nested_note_body_is_accepted() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let created = app
        .post(
            &format!("/contacts/{contact}/notes"),
            json!({"note": {"content": "nested"}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    assert_eq!(created.body["content"], "nested");
}

#[tokio::test]
async fn blank_missing_or_too_long_content_is_a_422_and_stores_nothing() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let path = format!("/contacts/{contact}/notes");
    for body in [
        json!({"content": ""}),
        json!({"content": "  \n\t "}),
        json!({}),
        json!({"content": null}),
    ] {
        let reply = app.post(&path, body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            reply.body,
            json!({"message": "Content can't be blank", "attributes": ["content"]})
        );
    }
    let too_long = app
        .post(&path, json!({"content": "a".repeat(10_001)}))
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_long.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("10000")),
        "{}",
        too_long.text
    );
    assert_eq!(too_long.body["attributes"], json!(["content"]));
    assert_eq!(note_count(&app).await, 0);

    let longest = app
        .post(&path, json!({"content": "ж".repeat(10_000)}))
        .await;
    assert_eq!(
        longest.status,
        StatusCode::OK,
        "10,000 characters (not bytes) are fine"
    );
}

#[tokio::test]
async fn a_wrong_type_or_malformed_json_is_a_json_4xx() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let path = format!("/contacts/{contact}/notes");
    let wrong = app.post(&path, json!({"content": 42})).await;
    assert!(wrong.status.is_client_error(), "{}", wrong.status);
    assert!(
        wrong.body["error"]
            .as_str()
            .is_some_and(|e| e.contains("content")),
        "{}",
        wrong.text
    );

    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(app.a_url(&path))
        .header("api_access_token", &app.a.token)
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{\"content\": "))
        .expect("request");
    let malformed = app.send(req).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.body["error"].is_string());
    assert_eq!(note_count(&app).await, 0);
}

#[tokio::test]
async fn the_author_updates_a_note_and_updated_at_moves() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let created = app
        .post(
            &format!("/contacts/{contact}/notes"),
            json!({"content": "draft"}),
        )
        .await;
    let id = created.body["id"].as_i64().expect("id");
    novatalks_server::db::query(
        "UPDATE notes SET created_at = 1000, updated_at = 1000 WHERE id = ?",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .expect("age the note");

    let updated = app
        .patch(
            &format!("/contacts/{contact}/notes/{id}"),
            json!({"content": "final <i>text</i>"}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(updated.body["id"], id);
    assert_eq!(updated.body["content"], "final <i>text</i>");
    assert_eq!(updated.body["created_at"], 1000);
    assert!(
        updated.body["updated_at"]
            .as_i64()
            .is_some_and(|t| t > 1000),
        "{}",
        updated.text
    );
    assert_eq!(updated.body["user"]["id"], app.a.user_id);

    let list = app.get(&format!("/contacts/{contact}/notes")).await;
    assert_eq!(list.body[0]["content"], "final <i>text</i>");

    let blank = app
        .patch(
            &format!("/contacts/{contact}/notes/{id}"),
            json!({"content": " "}),
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = app.get(&format!("/contacts/{contact}/notes")).await;
    assert_eq!(
        list.body[0]["content"], "final <i>text</i>",
        "a refused update changes nothing"
    );
}

#[tokio::test]
async fn the_author_deletes_a_note_with_an_empty_200() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let created = app
        .post(
            &format!("/contacts/{contact}/notes"),
            json!({"content": "bye"}),
        )
        .await;
    let id = created.body["id"].as_i64().expect("id");
    let deleted = app.delete(&format!("/contacts/{contact}/notes/{id}")).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.text, "");
    assert_eq!(note_count(&app).await, 0);
    let again = app.delete(&format!("/contacts/{contact}/notes/{id}")).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(again.body, json!({"error": "Resource could not be found"}));
}

/// Chatwoot's `notes_controller_spec`: any agent of the account updates and destroys a
/// contact's note, whoever wrote it. The note keeps its author, and [ext] its `editor`.
#[tokio::test]
async fn any_agent_changes_or_deletes_a_colleagues_note_and_is_named_its_editor() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let (maria, maria_token) = second_agent(&app).await;
    let path = format!("/contacts/{contact}/notes");
    let hers = app
        .request(
            Method::POST,
            &app.a_url(&path),
            Some(&maria_token),
            Some(json!({"content": "Maria's"})),
        )
        .await;
    assert_eq!(hers.status, StatusCode::OK, "{}", hers.text);
    assert_eq!(
        hers.body["user"],
        json!({"id": maria, "name": "Maria Support"})
    );
    assert!(
        hers.body.get("edited_by").is_none(),
        "never changed: {}",
        hers.text
    );
    let id = hers.body["id"].as_i64().expect("id");

    // Everyone in the account reads it, and changes it.
    let list = app.get(&path).await;
    assert_eq!(list.body[0]["user"]["name"], "Maria Support");
    let patched = app
        .patch(&format!("{path}/{id}"), json!({"content": "corrected"}))
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    assert_eq!(patched.body["content"], "corrected");
    assert_eq!(patched.body["user"]["id"], maria, "still Maria's note");
    assert_eq!(patched.body["edited_by"]["id"], app.a.user_id);
    let list = app.get(&path).await;
    assert_eq!(
        list.body[0]["edited_by"]["id"], app.a.user_id,
        "{}",
        list.text
    );

    // Its author edits it back, and becomes its editor.
    let url = app.a_url(&format!("{path}/{id}"));
    let own = app
        .request(
            Method::PATCH,
            &url,
            Some(&maria_token),
            Some(json!({"content": "edited"})),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body["content"], "edited");
    assert_eq!(own.body["edited_by"]["id"], maria);

    // Another account's agent does not even see it.
    let foreign = app
        .request(
            Method::DELETE,
            &app.b_url(&format!("{path}/{id}")),
            Some(&app.b.token),
            None,
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.text);

    let deleted = app.delete(&format!("{path}/{id}")).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    assert_eq!(note_count(&app).await, 0);
}

#[tokio::test]
async fn a_note_whose_author_was_deleted_has_no_user_and_stays_editable() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let (maria, maria_token) = second_agent(&app).await;
    let path = format!("/contacts/{contact}/notes");
    let hers = app
        .request(
            Method::POST,
            &app.a_url(&path),
            Some(&maria_token),
            Some(json!({"content": "orphan"})),
        )
        .await;
    let id = hers.body["id"].as_i64().expect("id");
    novatalks_server::db::query("DELETE FROM users WHERE id = ?")
        .bind(maria)
        .execute(&app.db)
        .await
        .expect("delete user");

    let list = app.get(&path).await;
    assert_eq!(list.body[0]["content"], "orphan");
    assert!(list.body[0].get("user").is_none(), "{}", list.text);
    let patched = app
        .patch(&format!("{path}/{id}"), json!({"content": "kept up"}))
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    assert!(patched.body.get("user").is_none(), "{}", patched.text);
    assert_eq!(patched.body["edited_by"]["id"], app.a.user_id);
}

#[tokio::test]
async fn a_note_is_only_reached_through_its_own_contact() {
    let app = TestApp::new().await;
    let olena = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let other = app
        .insert_contact(app.a.account_id, json!({"name": "Other"}))
        .await;
    let created = app
        .post(
            &format!("/contacts/{olena}/notes"),
            json!({"content": "hers"}),
        )
        .await;
    let id = created.body["id"].as_i64().expect("id");

    let patched = app
        .patch(
            &format!("/contacts/{other}/notes/{id}"),
            json!({"content": "x"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::NOT_FOUND);
    let deleted = app.delete(&format!("/contacts/{other}/notes/{id}")).await;
    assert_eq!(deleted.status, StatusCode::NOT_FOUND);
    let list = app.get(&format!("/contacts/{other}/notes")).await;
    assert_eq!(list.body, json!([]));
    assert_eq!(note_count(&app).await, 1);
}

#[tokio::test]
async fn unknown_or_malformed_ids_are_json_404s() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    for path in [
        "/contacts/999999/notes",
        "/contacts/abc/notes",
        "/contacts/-1/notes",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            reply.body,
            json!({"error": "Resource could not be found"}),
            "{path}"
        );
    }
    let post = app
        .post("/contacts/999999/notes", json!({"content": "x"}))
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    let patch = app
        .patch(
            &format!("/contacts/{contact}/notes/nope"),
            json!({"content": "x"}),
        )
        .await;
    assert_eq!(patch.status, StatusCode::NOT_FOUND);
    assert_eq!(note_count(&app).await, 0);
}

#[tokio::test]
async fn another_accounts_notes_are_out_of_reach() {
    let app = TestApp::new().await;
    let theirs = app
        .insert_contact(app.b.account_id, json!({"name": "B's contact"}))
        .await;
    let b_path = format!("/contacts/{theirs}/notes");
    let b_note = app
        .request(
            Method::POST,
            &app.b_url(&b_path),
            Some(&app.b.token),
            Some(json!({"content": "B only"})),
        )
        .await;
    assert_eq!(b_note.status, StatusCode::OK, "{}", b_note.text);
    let id = b_note.body["id"].as_i64().expect("id");

    // A's token, A's account in the path, B's contact: it does not exist here.
    assert_eq!(app.get(&b_path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.post(&b_path, json!({"content": "x"})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.patch(&format!("{b_path}/{id}"), json!({"content": "x"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&format!("{b_path}/{id}")).await.status,
        StatusCode::NOT_FOUND
    );

    // A's token on B's account.
    let cross = app
        .request(Method::GET, &app.b_url(&b_path), Some(&app.a.token), None)
        .await;
    assert_eq!(cross.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        cross.body,
        json!({"error": "You are not authorized to access this account"})
    );
    let cross_delete = app
        .request(
            Method::DELETE,
            &app.b_url(&format!("{b_path}/{id}")),
            Some(&app.a.token),
            None,
        )
        .await;
    assert_eq!(cross_delete.status, StatusCode::UNAUTHORIZED);

    let content: String =
        novatalks_server::db::query_scalar("SELECT content FROM notes WHERE id = ?")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .expect("B's note");
    assert_eq!(content, "B only");
    assert_eq!(note_count(&app).await, 1);
}

#[tokio::test]
async fn notes_need_a_valid_token() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let url = app.a_url(&format!("/contacts/{contact}/notes"));
    let none = app.request(Method::GET, &url, None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.body, json!({"error": "Invalid Access Token"}));
    let bad = app
        .request(
            Method::POST,
            &url,
            Some("nope"),
            Some(json!({"content": "x"})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(note_count(&app).await, 0);
}
