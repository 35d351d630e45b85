//! `POST /bulk_actions`: labels, block, unblock, delete and its restore, on ids and on
//! [ext] queries; all of it or nothing; accounts kept apart; races without a 5xx.

mod common;
mod writes;

#[path = "common/live.rs"]
mod live;

use axum::http::{Method, StatusCode};
use common::TestApp;
use novatalks_model::bulk::MAX_BULK_IDS;
use novatalks_server::db::{test_engine, Engine};
use serde_json::{json, Value};
use writes::db_snapshot;

async fn make_labels(app: &TestApp, titles: &[&str]) {
    for t in titles {
        let r = app.post("/labels", json!({"title": t})).await;
        // The fixture's account may have it already.
        assert!(
            r.status == StatusCode::OK || r.text.contains("already been taken"),
            "label {t}: {}",
            r.text
        );
    }
}

async fn bulk(app: &TestApp, body: Value) -> common::Reply {
    app.post("/bulk_actions", body).await
}

async fn labels_of(app: &TestApp, id: i64) -> Vec<String> {
    let r = app.get(&format!("/contacts/{id}/labels")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    serde_json::from_value(r.body["payload"].clone()).expect("titles")
}

async fn contact(app: &TestApp, id: i64) -> common::Reply {
    app.get(&format!("/contacts/{id}")).await
}

/// The error words of a 4xx, whichever shape it has.
fn words(r: &common::Reply) -> String {
    r.body["message"]
        .as_str()
        .or(r.body["error"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// Three named contacts and one more in account A, one in account B.
struct People {
    olena: i64,
    taras: i64,
    iryna: i64,
    other: i64,
    b_olena: i64,
}

async fn people(app: &TestApp) -> People {
    let a = app.a.account_id;
    let olena = app
        .insert_contact(a, json!({"name": "Olena Kovalenko", "email": "olena@example.com", "phone_number": "+380501234567"}))
        .await;
    let taras = app
        .insert_contact(
            a,
            json!({"name": "Taras Shevchenko", "email": "taras@example.com"}),
        )
        .await;
    let iryna = app
        .insert_contact(a, json!({"name": "Iryna Kovalenko", "email": "iryna@corp.test", "additional_attributes": {"city": "Lviv"}}))
        .await;
    let other = app
        .insert_contact(a, json!({"name": "Petro", "email": "petro@corp.test"}))
        .await;
    let b_olena = app
        .insert_contact(
            app.b.account_id,
            json!({"name": "Olena Kovalenko", "email": "olena@example.com"}),
        )
        .await;
    People {
        olena,
        taras,
        iryna,
        other,
        b_olena,
    }
}

#[tokio::test]
async fn labels_are_added_and_removed_by_ids() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    make_labels(&app, &["vip", "lead"]).await;
    app.label_contact(app.a.account_id, p.taras, &["lead"])
        .await;

    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena, p.taras], "labels": {"add": ["VIP "]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["action"], "labels");
    assert_eq!(r.body["matched"], 2);
    assert_eq!(r.body["affected"], 2);
    assert_eq!(labels_of(&app, p.olena).await, ["vip"]);
    assert_eq!(labels_of(&app, p.taras).await, ["lead", "vip"]);
    assert!(labels_of(&app, p.iryna).await.is_empty());

    // Again: nobody changes; removing lead changes only Taras.
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena, p.taras], "labels": {"add": ["vip"]}}),
    )
    .await;
    assert_eq!(
        (r.status, r.body["affected"].clone()),
        (StatusCode::OK, json!(0))
    );
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena, p.taras], "labels": {"remove": ["lead"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["affected"], 1);
    assert_eq!(labels_of(&app, p.taras).await, ["vip"]);

    // Add and remove at once.
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena], "labels": {"add": ["lead"], "remove": ["vip"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(labels_of(&app, p.olena).await, ["lead"]);
}

#[tokio::test]
async fn a_query_means_every_matching_contact_by_search_labels_and_filter() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    make_labels(&app, &["vip", "lead", "kyiv"]).await;
    app.label_contact(app.a.account_id, p.taras, &["lead"])
        .await;
    app.label_contact(app.a.account_id, p.other, &["lead"])
        .await;

    // Search text: both Kovalenkos of A, not B's.
    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {"q": "kovalenko"}, "labels": {"add": ["vip"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["matched"].clone(), r.body["affected"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(labels_of(&app, p.olena).await, ["vip"]);
    assert_eq!(labels_of(&app, p.iryna).await, ["vip"]);
    assert_eq!(labels_of(&app, p.taras).await, ["lead"]);
    let b_labels: i64 = novatalks_server::db::query_scalar(
        "SELECT count(*) FROM contact_labels WHERE contact_id = ?",
    )
    .bind(p.b_olena)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(b_labels, 0, "account B's namesake is not touched");

    // The label quick filter.
    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {"labels": ["LEAD"]}, "action_name": "block", "block_reason": "spam wave"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["affected"], 2);
    assert_eq!(
        contact(&app, p.taras).await.body["payload"]["blocked"],
        true
    );
    assert_eq!(
        contact(&app, p.other).await.body["payload"]["blocked"],
        true
    );
    assert_eq!(
        contact(&app, p.olena).await.body["payload"]["blocked"],
        false
    );

    // Filter conditions, with search text and labels at once.
    let payload = json!([{"attribute_key": "email", "filter_operator": "contains", "values": ["corp.test"], "query_operator": null}]);
    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {"payload": payload}, "labels": {"add": ["kyiv"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["matched"], 2, "Iryna and Petro");
    assert_eq!(labels_of(&app, p.iryna).await, ["kyiv", "vip"]);
    assert_eq!(labels_of(&app, p.other).await, ["kyiv", "lead"]);
    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {"q": "kovalenko", "labels": ["kyiv"], "payload": payload}, "labels": {"remove": ["vip"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["matched"].clone(), r.body["affected"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(labels_of(&app, p.iryna).await, ["kyiv"]);
    assert_eq!(labels_of(&app, p.olena).await, ["vip"]);

    // An empty query is the whole account (A's five… four contacts, not B's).
    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {}, "action_name": "unblock"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["matched"].clone(), r.body["affected"].clone()),
        (json!(4), json!(2))
    );

    // A bad filter is a 422 in words, before anything runs.
    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {"payload": [{"attribute_key": "nope", "filter_operator": "equal_to", "values": ["x"], "query_operator": null}]}, "action_name": "delete"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(contact(&app, p.olena).await.status, StatusCode::OK);
}

#[tokio::test]
async fn block_and_unblock_by_ids_and_by_query() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    let until = novatalks_server::db::now() + 86_400;
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena, p.iryna], "action_name": "block",
               "blocked_until": until, "block_reason": "  Spam wave  "}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["action"].clone(), r.body["affected"].clone()),
        (json!("block"), json!(2))
    );
    for id in [p.olena, p.iryna] {
        let c = contact(&app, id).await.body["payload"].clone();
        assert_eq!(c["blocked"], true);
        assert_eq!(c["blocked_until"], until);
        assert_eq!(c["block_reason"], "Spam wave");
    }
    assert_eq!(
        contact(&app, p.taras).await.body["payload"]["blocked"],
        false
    );

    // The same block again changes nobody; a permanent one changes both.
    let again = json!({"type": "Contact", "ids": [p.olena, p.iryna], "action_name": "block",
                       "blocked_until": until, "block_reason": "Spam wave"});
    assert_eq!(bulk(&app, again).await.body["affected"], 0);
    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {"q": "kovalenko"}, "action_name": "block"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["affected"], 2);
    let c = contact(&app, p.olena).await.body["payload"].clone();
    assert_eq!(
        (c["blocked"].clone(), c["blocked_until"].clone()),
        (json!(true), Value::Null)
    );

    // A block in the past is refused in words.
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.taras], "action_name": "block", "blocked_until": 1000}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(words(&r).contains("future"), "{}", r.text);

    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {"q": "kovalenko"}, "action_name": "unblock"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["affected"], 2);
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena, p.taras], "action_name": "unblock"}),
    )
    .await;
    assert_eq!(r.body["affected"], 0, "nobody had a block");
    let c = contact(&app, p.olena).await.body["payload"].clone();
    assert_eq!(
        (c["blocked"].clone(), c["block_reason"].clone()),
        (json!(false), Value::Null)
    );
}

#[tokio::test]
async fn bad_requests_are_422_in_words_and_change_nothing() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    make_labels(&app, &["vip"]).await;
    let before = db_snapshot(&app.db).await;
    let cases = [
        (
            json!({"type": "Contact", "ids": [p.olena], "action_name": "explode"}),
            "Unknown action",
        ),
        (
            json!({"type": "Conversation", "ids": [p.olena], "action_name": "delete"}),
            "Contact",
        ),
        (json!({"type": "Contact", "ids": [p.olena]}), "action_name"),
        (
            json!({"type": "Contact", "ids": [p.olena], "query": {"q": "x"}, "action_name": "delete"}),
            "either ids or a query",
        ),
        (
            json!({"type": "Contact", "action_name": "delete"}),
            "Name the contacts",
        ),
        (
            json!({"type": "Contact", "ids": [], "action_name": "delete"}),
            "at least one",
        ),
        (
            json!({"type": "Contact", "ids": [p.olena], "labels": {"add": ["n".repeat(256)]}}),
            "maximum is 255 characters",
        ),
        (
            json!({"type": "Contact", "ids": [p.olena], "labels": {"add": ["vip"], "remove": ["vip"]}}),
            "both added and removed",
        ),
        (
            json!({"type": "Contact", "ids": [p.olena], "labels": {}}),
            "at least one label",
        ),
        (
            json!({"type": "Contact", "action_name": "restore"}),
            "undo_token",
        ),
    ];
    for (body, expected) in cases {
        let r = bulk(&app, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert!(words(&r).contains(expected), "{body}: {}", r.text);
    }
    let too_many: Vec<i64> = (1..=(MAX_BULK_IDS as i64 + 1)).collect();
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": too_many, "action_name": "delete"}),
    )
    .await;
    // The body limit (1 MiB) may refuse it first; either way a 4xx in words.
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(words(&r).len() > 10, "{}", r.text);
    let r = bulk(&app, json!({"type": "Contact", "ids": (1..=(MAX_BULK_IDS as i64 + 1)).map(|i| i % 7 + 1).collect::<Vec<_>>(), "action_name": "delete"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(words(&r).contains("query"), "{}", r.text);
    assert_eq!(db_snapshot(&app.db).await, before, "nothing changed");
}

#[tokio::test]
async fn another_accounts_ids_refuse_the_whole_request() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    make_labels(&app, &["vip"]).await;
    let before = db_snapshot(&app.db).await;
    for body in [
        json!({"type": "Contact", "ids": [p.olena, p.b_olena], "labels": {"add": ["vip"]}}),
        json!({"type": "Contact", "ids": [p.olena, p.b_olena], "action_name": "delete"}),
        json!({"type": "Contact", "ids": [p.b_olena, 999_999], "action_name": "block"}),
    ] {
        let r = bulk(&app, body.clone()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{body}: {}", r.text);
        assert!(
            words(&r).contains(&p.b_olena.to_string()),
            "names the id: {}",
            r.text
        );
        assert!(words(&r).contains("nothing was changed"), "{}", r.text);
    }
    // B's agent cannot act in A's account at all.
    let r = app
        .request(
            Method::POST,
            &app.a_url("/bulk_actions"),
            Some(&app.b.token),
            Some(json!({"type": "Contact", "ids": [p.olena], "action_name": "delete"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn too_many_labels_on_one_contact_refuses_all() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    let titles: Vec<String> = (0..100).map(|i| format!("l{i:03}")).collect();
    for t in &titles {
        novatalks_server::db::query("INSERT INTO labels (account_id, title) VALUES (?, ?)")
            .bind(app.a.account_id)
            .bind(t)
            .execute(&app.db)
            .await
            .unwrap();
    }
    make_labels(&app, &["vip"]).await;
    let full: Vec<&str> = titles[..99].iter().map(String::as_str).collect();
    app.label_contact(app.a.account_id, p.iryna, &full).await;
    let before = db_snapshot(&app.db).await;
    // Olena and Taras could take them; Iryna (99, two of them among them) would have 101.
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena, p.taras, p.iryna], "labels": {"add": ["l099", "vip", "l098", "l000"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        words(&r).contains("1 of the contacts would have more than 100 labels"),
        "{}",
        r.text
    );
    assert_eq!(db_snapshot(&app.db).await, before, "nobody got a label");
    // Exactly to the limit is fine.
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.iryna], "labels": {"add": ["l099", "l000"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(labels_of(&app, p.iryna).await.len(), 100);
}

/// A trigger that fails the write of the `nth` contact (by id order) of account A: a real
/// database failure midway through a set-based statement.
async fn fail_on(app: &TestApp, nth: i64, event: &str) {
    let id: i64 = novatalks_server::db::query_scalar(
        "SELECT id FROM contacts WHERE account_id = ? ORDER BY id LIMIT 1 OFFSET ?",
    )
    .bind(app.a.account_id)
    .bind(nth - 1)
    .fetch_one(&app.db)
    .await
    .unwrap();
    // The event and id are the test's own, never input.
    let (old, new) = if event == "DELETE" {
        ("OLD", "OLD")
    } else {
        ("OLD", "NEW")
    };
    let _ = old;
    let statements: Vec<String> = match test_engine() {
        Engine::Sqlite => vec![format!(
            "CREATE TRIGGER injected_failure BEFORE {event} ON contacts WHEN {new}.id = {id}
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
        Engine::Postgres => vec![
            format!(
                "CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN IF {new}.id = {id} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN {new}; END $$"
            ),
            format!(
                "CREATE TRIGGER injected_failure BEFORE {event} ON contacts FOR EACH ROW EXECUTE FUNCTION injected_failure()"
            ),
        ],
    };
    for s in statements {
        novatalks_server::db::query(s)
            .execute(&app.db)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_failure_midway_leaves_everything_as_it_was() {
    let app = TestApp::new().await;
    common::load_filler(&app, app.a.account_id, 120, false).await;
    make_labels(&app, &["vip"]).await;
    fail_on(&app, 50, "UPDATE").await;
    let before = db_snapshot(&app.db).await;
    for body in [
        json!({"type": "Contact", "query": {"q": "filler"}, "action_name": "block", "block_reason": "x"}),
        json!({"type": "Contact", "query": {}, "labels": {"add": ["vip"]}}),
    ] {
        let r = bulk(&app, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{body}: {}",
            r.text
        );
        assert_eq!(
            db_snapshot(&app.db).await,
            before,
            "{body}: nothing changed"
        );
    }
    novatalks_server::db::query(
        "DROP TRIGGER injected_failure".to_owned()
            + if test_engine() == Engine::Postgres {
                " ON contacts"
            } else {
                ""
            },
    )
    .execute(&app.db)
    .await
    .unwrap();
    fail_on_delete(&app).await;
    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {}, "action_name": "delete"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.text);
    assert_eq!(db_snapshot(&app.db).await, before, "nothing deleted");
    let undos: i64 = novatalks_server::db::query_scalar("SELECT count(*) FROM bulk_undos")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let trashed: i64 = novatalks_server::db::query_scalar("SELECT count(*) FROM trashed_contacts")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((undos, trashed), (0, 0), "no copy was kept either");
}

async fn fail_on_delete(app: &TestApp) {
    if test_engine() == Engine::Postgres {
        novatalks_server::db::query("DROP FUNCTION injected_failure()")
            .execute(&app.db)
            .await
            .unwrap();
    }
    fail_on(app, 50, "DELETE").await;
}

/// A contact with everything a delete removes: labels, a channel identity, a
/// conversation with messages, a note, and a merge record.
async fn furnish(app: &TestApp, id: i64, n: i64) {
    let a = app.a.account_id;
    let inbox = app.a.inboxes[0].0;
    app.label_contact(a, id, &["vip"]).await;
    let ci: i64 = novatalks_server::db::query_scalar(
        "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, created_at, pubsub_token)
         VALUES (?, ?, ?, 1700000000, ?) RETURNING id",
    )
    .bind(id)
    .bind(inbox)
    .bind(format!("source-{n}"))
    .bind(format!("pubsub-{n}"))
    .fetch_one(&app.db)
    .await
    .unwrap();
    let conv: i64 = novatalks_server::db::query_scalar(
        "INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, status, created_at, last_activity_at)
         VALUES (?, ?, ?, ?, 'open', 1700000000, 1700000100) RETURNING id",
    )
    .bind(a)
    .bind(inbox)
    .bind(id)
    .bind(ci)
    .fetch_one(&app.db)
    .await
    .unwrap();
    for (i, text) in ["Привіт", "Hello, \"agent\""].iter().enumerate() {
        novatalks_server::db::query(
            "INSERT INTO messages (account_id, conversation_id, content, message_type, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(a)
        .bind(conv)
        .bind(*text)
        .bind(i as i64)
        .bind(1_700_000_000 + i as i64)
        .execute(&app.db)
        .await
        .unwrap();
    }
    let r = app
        .post(
            &format!("/contacts/{id}/notes"),
            json!({"content": format!("Note of {n}")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    novatalks_server::db::query(
        "INSERT INTO contact_merges (account_id, mergee_contact_id, base_contact_id, merged_at) VALUES (?, ?, ?, 1700000000)",
    )
    .bind(a)
    .bind(900_000 + n)
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
}

async fn conversations_of(app: &TestApp, id: i64) -> usize {
    let r = app.get(&format!("/contacts/{id}/conversations")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["payload"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn delete_then_restore_brings_everything_back() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    make_labels(&app, &["vip"]).await;
    furnish(&app, p.olena, 1).await;
    furnish(&app, p.iryna, 2).await;
    assert_eq!(conversations_of(&app, p.olena).await, 1);
    let before = db_snapshot(&app.db).await;

    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {"q": "kovalenko"}, "action_name": "delete"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["action"].clone(), r.body["affected"].clone()),
        (json!("delete"), json!(2))
    );
    let token = r.body["undo_token"]
        .as_str()
        .expect("undo token")
        .to_owned();
    let until = r.body["undo_until"].as_i64().expect("undo until");
    assert!(
        until >= novatalks_server::db::now() + 599,
        "at least ten minutes"
    );
    assert_eq!(contact(&app, p.olena).await.status, StatusCode::NOT_FOUND);
    assert_eq!(contact(&app, p.iryna).await.status, StatusCode::NOT_FOUND);
    assert_eq!(contact(&app, p.taras).await.status, StatusCode::OK);
    let left: i64 = novatalks_server::db::query_scalar("SELECT count(*) FROM messages")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 0, "their messages went with them");

    // B cannot restore A's delete, nor can a made-up token.
    let r = app
        .request(
            Method::POST,
            &app.b_url("/bulk_actions"),
            Some(&app.b.token),
            Some(json!({"type": "Contact", "action_name": "restore", "undo_token": token})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = bulk(
        &app,
        json!({"type": "Contact", "action_name": "restore", "undo_token": "0123abcd"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(words(&r).contains("unknown"), "{}", r.text);

    let r = bulk(
        &app,
        json!({"type": "Contact", "action_name": "restore", "undo_token": token}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["action"].clone(), r.body["affected"].clone()),
        (json!("restore"), json!(2))
    );
    assert_eq!(
        db_snapshot(&app.db).await,
        before,
        "every row is back, with its id"
    );
    assert_eq!(conversations_of(&app, p.olena).await, 1);
    assert_eq!(labels_of(&app, p.iryna).await, ["vip"]);
    let notes = app.get(&format!("/contacts/{}/notes", p.iryna)).await;
    assert!(notes.text.contains("Note of 2"), "{}", notes.text);
    let found = app.get("/contacts/search?q=kovalenko").await;
    assert_eq!(
        TestApp::ids(&found).len(),
        2,
        "searchable again: {}",
        found.text
    );

    // Twice: a clear 409, nothing changed.
    let r = bulk(
        &app,
        json!({"type": "Contact", "action_name": "restore", "undo_token": token}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(words(&r).contains("restored already"), "{}", r.text);
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn an_expired_undo_is_refused_and_cleaned_up() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.taras], "action_name": "delete"}),
    )
    .await;
    let token = r.body["undo_token"].as_str().expect("token").to_owned();
    novatalks_server::db::query("UPDATE bulk_undos SET expires_at = ?")
        .bind(novatalks_server::db::now() - 5)
        .execute(&app.db)
        .await
        .unwrap();
    let r = bulk(
        &app,
        json!({"type": "Contact", "action_name": "restore", "undo_token": token}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(words(&r).contains("ended"), "{}", r.text);
    assert_eq!(contact(&app, p.taras).await.status, StatusCode::NOT_FOUND);
    // The next delete drops the expired copy.
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.other], "action_name": "delete"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let kept: Vec<i64> = novatalks_server::db::query_scalar("SELECT id FROM trashed_contacts")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(kept, [p.other]);
    let r = bulk(
        &app,
        json!({"type": "Contact", "action_name": "restore", "undo_token": token}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}

#[tokio::test]
async fn restore_is_refused_whole_when_an_email_was_taken_since() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    furnish(&app, p.olena, 1).await;
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena, p.taras], "action_name": "delete"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let token = r.body["undo_token"].as_str().expect("token").to_owned();
    let r = app
        .post(
            "/contacts",
            json!({"name": "New Olena", "email": "OLENA@example.com"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let before = db_snapshot(&app.db).await;
    let r = bulk(
        &app,
        json!({"type": "Contact", "action_name": "restore", "undo_token": token}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(
        words(&r).contains("olena@example.com"),
        "names the email: {}",
        r.text
    );
    assert!(words(&r).contains("Nothing was restored"), "{}", r.text);
    assert_eq!(
        db_snapshot(&app.db).await,
        before,
        "Taras did not come back alone"
    );
    assert_eq!(contact(&app, p.taras).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn stock_mode_answers_an_empty_200_and_only_chatwoots_actions() {
    let app = TestApp::with_config(|c| c.stock_chatwoot = true).await;
    let p = people(&app).await;
    make_labels(&app, &["vip"]).await;
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena], "labels": {"add": ["vip"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.is_empty(), "Chatwoot's empty body: {}", r.text);
    assert_eq!(labels_of(&app, p.olena).await, ["vip"]);
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena], "action_name": "block"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = bulk(
        &app,
        json!({"type": "Contact", "query": {"q": "olena"}, "action_name": "delete"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = bulk(
        &app,
        json!({"type": "Contact", "ids": [p.olena, p.taras], "action_name": "delete"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(contact(&app, p.olena).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_and_single_writes_at_once_end_without_a_5xx() {
    let live = live::Live::start().await;
    let agent = live.agent();
    for title in ["vip", "spam"] {
        let r = agent.post("/labels", json!({"title": title})).await;
        assert!(
            r.status == 200 || r.text.contains("already been taken"),
            "{}",
            r.text
        );
    }
    let mut ids = Vec::new();
    for i in 0..60 {
        let r = agent
            .post(
                "/contacts",
                json!({"name": format!("Wave {i}"), "email": format!("wave{i}@spam.test")}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        ids.push(r.body["payload"]["contact"]["id"].as_i64().expect("id"));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..6 {
        let a = live.agent();
        tasks.spawn(async move {
            let r = a
                .post(
                    "/bulk_actions",
                    json!({"type": "Contact", "query": {"q": "wave"}, "labels": {"add": ["vip"]}}),
                )
                .await;
            (format!("bulk label {round}"), r)
        });
        let a = live.second_agent();
        tasks.spawn(async move {
            let r = a
                .post("/bulk_actions", json!({"type": "Contact", "query": {"q": "wave"}, "action_name": if round % 2 == 0 { "block" } else { "unblock" }}))
                .await;
            (format!("bulk block {round}"), r)
        });
        let a = live.agent();
        let some: Vec<i64> = ids.iter().copied().skip(round * 5).take(5).collect();
        tasks.spawn(async move {
            let r = a
                .post(
                    "/bulk_actions",
                    json!({"type": "Contact", "ids": some, "action_name": "delete"}),
                )
                .await;
            let token = r.body["undo_token"].as_str().map(str::to_owned);
            if let Some(token) = token {
                let back = a
                    .post(
                        "/bulk_actions",
                        json!({"type": "Contact", "action_name": "restore", "undo_token": token}),
                    )
                    .await;
                if back.status != 200 {
                    return (format!("restore {round}"), back);
                }
            }
            (format!("bulk delete {round}"), r)
        });
        for k in 0..4 {
            let a = live.second_agent();
            let id = ids[(round * 7 + k * 13) % ids.len()];
            tasks.spawn(async move {
                let r = a
                    .call(
                        "PATCH",
                        &format!("/contacts/{id}"),
                        Some(json!({"name": format!("Wave edited {round}-{k}")})),
                    )
                    .await;
                (format!("edit {id}"), r)
            });
            let a = live.agent();
            tasks.spawn(async move {
                let r = a
                    .post(
                        &format!("/contacts/{id}/labels"),
                        json!({"labels": ["spam"]}),
                    )
                    .await;
                (format!("labels {id}"), r)
            });
        }
    }
    let mut replies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        replies.push(done.expect("task"));
    }
    let errors = live::server_errors(&replies);
    assert!(errors.is_empty(), "no 5xx: {errors:#?}");
    for (what, r) in &replies {
        assert!(
            r.status == 200 || (r.status == 404 && r.body["error"].is_string()),
            "{what}: a winner or a clear 404: {} {}",
            r.status,
            r.text
        );
    }
}
