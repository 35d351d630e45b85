//! Blocking and unblocking a contact with `PUT /contacts/{id}`, with an expiry and a reason.

mod common;
mod writes;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use writes::db_snapshot;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// (blocked, blocked_until, block_reason) as stored.
async fn stored_block(app: &TestApp, id: i64) -> (bool, Option<i64>, Option<String>) {
    novatalks_server::db::query_as(
        "SELECT blocked, blocked_until, block_reason FROM contacts WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .expect("block columns")
}

#[tokio::test]
async fn a_block_without_expiry_is_for_ever_and_keeps_its_reason() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(app.a.account_id, json!({"name": "Spammer"}))
        .await;
    let r = app
        .put(
            &format!("/contacts/{id}"),
            json!({"blocked": true, "blocked_until": null, "block_reason": "Spam"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let c = &r.body["payload"];
    assert_eq!(
        (
            c["blocked"].clone(),
            c["blocked_until"].clone(),
            c["block_reason"].clone()
        ),
        (json!(true), Value::Null, json!("Spam"))
    );
    assert_eq!(
        stored_block(&app, id).await,
        (true, None, Some("Spam".into()))
    );
    assert_eq!(
        app.get(&format!("/contacts/{id}")).await.body["payload"]["blocked"],
        true
    );
}

#[tokio::test]
async fn a_block_until_a_future_time_reads_its_expiry() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(app.a.account_id, json!({"name": "Rude"}))
        .await;
    let until = now() + 3_600;
    let r = app
        .put(
            &format!("/contacts/{id}"),
            json!({"blocked": true, "blocked_until": until}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["payload"]["blocked"], true);
    assert_eq!(r.body["payload"]["blocked_until"], until);
    assert_eq!(r.body["payload"]["block_reason"], Value::Null);
}

#[tokio::test]
async fn unblocking_clears_expiry_and_reason() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(
            app.a.account_id,
            json!({"blocked": true, "blocked_until": now() + 999, "block_reason": "Spam"}),
        )
        .await;
    let r = app
        .put(&format!("/contacts/{id}"), json!({"blocked": false}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["payload"]["blocked"], false);
    assert_eq!(stored_block(&app, id).await, (false, None, None));
}

#[tokio::test]
async fn an_expiry_in_the_past_or_now_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let before = db_snapshot(&app.db).await;
    for until in [json!(now() - 60), json!(now()), json!(-5), json!(0)] {
        let r = app
            .put(
                &format!("/contacts/{id}"),
                json!({"blocked": true, "blocked_until": until, "name": "Changed"}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{until}: {}",
            r.text
        );
        assert_eq!(r.body["attributes"], json!(["blocked_until"]));
        let message = r.body["message"].as_str().expect("message");
        assert!(
            message.starts_with("Blocked until must be in the future"),
            "{message}"
        );
    }
    for until in [
        json!("tomorrow"),
        json!(1.5e9),
        json!(true),
        json!({"at": 1}),
    ] {
        let r = app
            .put(
                &format!("/contacts/{id}"),
                json!({"blocked": true, "blocked_until": until}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{until}");
        assert_eq!(r.body["attributes"], json!(["blocked_until"]));
    }
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn block_input_of_the_wrong_shape_is_a_422_naming_it() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let before = db_snapshot(&app.db).await;
    let cases = [
        (json!({"blocked": "yes"}), "blocked"),
        (json!({"blocked": 1}), "blocked"),
        (json!({"blocked": null}), "blocked"),
        (
            json!({"blocked": true, "block_reason": "x".repeat(256)}),
            "block_reason",
        ),
        (json!({"blocked": true, "block_reason": 7}), "block_reason"),
        // An expiry or a reason alone, on a contact that is not blocked.
        (json!({"blocked_until": now() + 60}), "blocked"),
        (json!({"block_reason": "Spam"}), "blocked"),
    ];
    for (body, attribute) in cases {
        let r = app.put(&format!("/contacts/{id}"), body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert_eq!(r.body["attributes"], json!([attribute]), "{body}");
    }
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn an_expired_block_reads_as_not_blocked() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(
            app.a.account_id,
            json!({"blocked": true, "blocked_until": now() - 10, "block_reason": "Old"}),
        )
        .await;
    let c = app.get(&format!("/contacts/{id}")).await.body["payload"].clone();
    assert_eq!(c["blocked"], false);
    assert_eq!(c["blocked_until"], Value::Null);
    assert_eq!(c["block_reason"], Value::Null);

    // Blocking again starts a new block: for ever unless told, without the old reason.
    let r = app
        .put(&format!("/contacts/{id}"), json!({"blocked": true}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(stored_block(&app, id).await, (true, None, None));
}

#[tokio::test]
async fn resending_blocked_true_keeps_the_expiry_of_the_block_in_force() {
    let app = TestApp::new().await;
    let until = now() + 86_400;
    let id = app
        .insert_contact(
            app.a.account_id,
            json!({"blocked": true, "blocked_until": until, "block_reason": "Abuse"}),
        )
        .await;
    // A client saving the whole contact re-sends `blocked: true`: the timed block stays timed.
    let r = app
        .put(
            &format!("/contacts/{id}"),
            json!({"name": "Renamed", "blocked": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        stored_block(&app, id).await,
        (true, Some(until), Some("Abuse".into()))
    );

    // The expiry and the reason of a block in force may change alone.
    let later = until + 3_600;
    let r = app
        .put(
            &format!("/contacts/{id}"),
            json!({"blocked_until": later, "block_reason": "Still abusive"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        stored_block(&app, id).await,
        (true, Some(later), Some("Still abusive".into()))
    );

    // null makes it permanent.
    let r = app
        .put(
            &format!("/contacts/{id}"),
            json!({"blocked": true, "blocked_until": null}),
        )
        .await;
    assert_eq!(r.body["payload"]["blocked_until"], Value::Null);
    assert_eq!(
        stored_block(&app, id).await,
        (true, None, Some("Still abusive".into()))
    );
}

#[tokio::test]
async fn another_accounts_contact_cannot_be_blocked() {
    let app = TestApp::new().await;
    let theirs = app
        .insert_contact(app.b.account_id, json!({"name": "Theirs"}))
        .await;
    let before = db_snapshot(&app.db).await;
    let body = json!({"blocked": true, "block_reason": "x"});
    let r = app.put(&format!("/contacts/{theirs}"), body.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .request(
            Method::PUT,
            &app.b_url(&format!("/contacts/{theirs}")),
            Some(&app.a.token),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.body["error"],
        "You are not authorized to access this account"
    );
    assert_eq!(db_snapshot(&app.db).await, before);
}
