//! Merging two contacts: `POST /actions/contact_merge`, all or nothing.

mod common;
mod writes;

use axum::http::{Method, StatusCode};
use common::TestApp;
use novatalks_server::db::Engine;
use novatalks_server::merge::{merge_contacts, MergeStep};
use serde_json::{json, Value};
use writes::{add_conversation, add_note, count_for, db_snapshot};

/// A base and a mergee with conversations, notes, labels and identities; returns their ids.
async fn two_contacts(app: &TestApp) -> (i64, i64) {
    let a = app.a.account_id;
    let base = app
        .insert_contact(
            a,
            json!({"name": "Olena Kovalenko", "phone_number": "+380501234567", "last_activity_at": 100,
                   "additional_attributes": {"city": "Kyiv", "company_name": ""},
                   "custom_attributes": {"plan": "gold"}}),
        )
        .await;
    let mergee = app
        .insert_contact(
            a,
            json!({"name": "O. K.", "email": "olena@example.com", "phone_number": "+447911123456", "identifier": "crm-1",
                   "last_activity_at": 200, "blocked": true, "block_reason": "Spam",
                   "additional_attributes": {"city": "Lviv", "company_name": "Nova", "language": "uk"},
                   "custom_attributes": {"plan": "free", "order_count": 3}}),
        )
        .await;
    app.label_contact(a, base, &["vip"]).await;
    app.label_contact(a, mergee, &["billing", "vip"]).await;
    add_conversation(app, a, base, "src-base", 1).await;
    add_conversation(app, a, mergee, "src-mergee", 2).await;
    add_note(app, a, base, "base note").await;
    add_note(app, a, mergee, "mergee note").await;
    (base, mergee)
}

async fn merge(app: &TestApp, base: Value, mergee: Value) -> common::Reply {
    app.post(
        "/actions/contact_merge",
        json!({"base_contact_id": base, "mergee_contact_id": mergee}),
    )
    .await
}

#[tokio::test]
async fn the_base_absorbs_the_mergee_with_everything_of_it() {
    let app = TestApp::new().await;
    let (base, mergee) = two_contacts(&app).await;
    let r = merge(&app, json!(base), json!(mergee)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let c = &r.body;
    assert_eq!(
        c["id"], base,
        "the base contact itself, as Chatwoot answers"
    );
    assert_eq!(c["name"], "Olena Kovalenko", "the base's value wins");
    assert_eq!(c["email"], "olena@example.com", "the mergee fills a blank");
    assert_eq!(c["phone_number"], "+380501234567");
    assert_eq!(c["identifier"], "crm-1");
    assert_eq!(
        c["additional_attributes"],
        json!({"city": "Kyiv", "company_name": "Nova", "language": "uk"})
    );
    assert_eq!(
        c["custom_attributes"],
        json!({"plan": "gold", "order_count": 3})
    );
    assert_eq!(c["labels"], json!(["billing", "vip"]), "the union of both");
    assert_eq!(c["conversations_count"], 2);
    assert_eq!(c["last_activity_at"], 200);
    assert_eq!(c["blocked"], false, "the block stays the base's");

    assert_eq!(
        app.get(&format!("/contacts/{base}")).await.body["payload"],
        *c
    );
    assert_eq!(
        count_for(&app.db, "contacts", "id", mergee).await,
        0,
        "the mergee is gone"
    );
    assert_eq!(
        count_for(&app.db, "conversations", "contact_id", base).await,
        2
    );
    assert_eq!(count_for(&app.db, "notes", "contact_id", base).await, 2);
    assert_eq!(
        count_for(&app.db, "contact_inboxes", "contact_id", base).await,
        2
    );
    let messages: i64 = novatalks_server::db::query_scalar(
        "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = ?",
    )
    .bind(base)
    .fetch_one(&app.db)
    .await
    .expect("messages");
    assert_eq!(messages, 3, "messages stay with their conversations");
    let record: (i64, i64, i64) = novatalks_server::db::query_as(
        "SELECT account_id, mergee_contact_id, base_contact_id FROM contact_merges",
    )
    .fetch_one(&app.db)
    .await
    .expect("merge record");
    assert_eq!(record, (app.a.account_id, mergee, base));
}

#[tokio::test]
async fn a_merged_away_contact_says_where_it_went_through_merges_of_merges() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let first = app.insert_contact(a, json!({"name": "First"})).await;
    let second = app.insert_contact(a, json!({"name": "Second"})).await;
    let third = app.insert_contact(a, json!({"name": "Third"})).await;
    assert_eq!(
        merge(&app, json!(second), json!(first)).await.status,
        StatusCode::OK
    );
    let r = app.get(&format!("/contacts/{first}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        r.body,
        json!({"error": "Resource could not be found", "merged_into": second})
    );

    assert_eq!(
        merge(&app, json!(third), json!(second)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/contacts/{first}")).await.body["merged_into"],
        third
    );
    assert_eq!(
        app.get(&format!("/contacts/{second}")).await.body["merged_into"],
        third
    );

    // Once the final contact is deleted, the trail leads nowhere: a plain 404.
    assert_eq!(
        app.delete(&format!("/contacts/{third}")).await.status,
        StatusCode::OK
    );
    let r = app.get(&format!("/contacts/{first}")).await;
    assert_eq!(
        (r.status, r.body.clone()),
        (
            StatusCode::NOT_FOUND,
            json!({"error": "Resource could not be found"})
        )
    );
}

#[tokio::test]
async fn a_blocked_base_stays_blocked_and_unique_values_move_without_conflict() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let base = app
        .insert_contact(
            a,
            json!({"name": "Base", "blocked": true, "block_reason": "Spam"}),
        )
        .await;
    let mergee = app
        .insert_contact(
            a,
            json!({"email": "m@example.com", "phone_number": "+380501234567", "identifier": "x-1"}),
        )
        .await;
    let r = merge(&app, json!(base), json!(mergee)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["blocked"].clone(), r.body["block_reason"].clone()),
        (json!(true), json!("Spam"))
    );
    assert_eq!(
        (
            r.body["email"].clone(),
            r.body["phone_number"].clone(),
            r.body["identifier"].clone()
        ),
        (json!("m@example.com"), json!("+380501234567"), json!("x-1"))
    );
    // Ids sent as text, as Rails clients do, work too.
    let other = app.insert_contact(a, json!({"name": "Other"})).await;
    let r = merge(&app, json!(base.to_string()), json!(other.to_string())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

/// A contact kept from before numbers were normalised merged with the same customer's
/// E.164 contact: the number stays in E.164, whichever of the two stays; a different
/// number of the mergee is dropped as any other value.
#[tokio::test]
async fn the_same_number_written_two_ways_stays_in_e164() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let phone_after = |base_phone: &'static str, mergee_phone: &'static str| {
        let app = &app;
        async move {
            let base = app
                .insert_contact(a, json!({"name": "Base", "phone_number": base_phone}))
                .await;
            let mergee = app
                .insert_contact(a, json!({"name": "Mergee", "phone_number": mergee_phone}))
                .await;
            let r = merge(app, json!(base), json!(mergee)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let stored = app.get(&format!("/contacts/{base}")).await;
            assert_eq!(
                stored.body["payload"]["phone_number"],
                r.body["phone_number"]
            );
            r.body["phone_number"].clone()
        }
    };
    assert_eq!(
        phone_after("050 123 45 67", "+380501234567").await,
        "+380501234567"
    );
    assert_eq!(
        phone_after("+380671112233", "(067) 111-22-33").await,
        "+380671112233"
    );
    assert_eq!(
        phone_after("063 000 11 22", "+380501234500").await,
        "063 000 11 22"
    );
}

#[tokio::test]
async fn bad_merges_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let (base, mergee) = two_contacts(&app).await;
    let theirs = app
        .insert_contact(app.b.account_id, json!({"name": "Theirs"}))
        .await;
    let before = db_snapshot(&app.db).await;

    let r = merge(&app, json!(base), json!(base)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body,
        json!({"message": "A contact cannot be merged with itself", "attributes": ["mergee_contact_id"]})
    );

    for (b, m) in [
        (json!(base), json!(theirs)),
        (json!(theirs), json!(mergee)),
        (json!(base), json!(999_999)),
        (json!(-1), json!(mergee)),
        (json!(0), json!(mergee)),
    ] {
        let r = merge(&app, b.clone(), m.clone()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{b} {m}: {}", r.text);
        assert_eq!(r.body, json!({"error": "Resource could not be found"}));
    }
    for body in [
        json!({"base_contact_id": base}),
        json!({"base_contact_id": "abc", "mergee_contact_id": mergee}),
        json!({"base_contact_id": base, "mergee_contact_id": 1.5}),
        json!({}),
    ] {
        let r = app.post("/actions/contact_merge", body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            r.body["message"]
                .as_str()
                .is_some_and(|m| m.contains("id must be a contact's id")),
            "{body}: {}",
            r.text
        );
    }
    let r = app
        .post("/actions/contact_merge", json!([base, mergee]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Account B's URL with account A's token.
    let r = app
        .request(
            Method::POST,
            &app.b_url("/actions/contact_merge"),
            Some(&app.a.token),
            Some(json!({"base_contact_id": theirs, "mergee_contact_id": base})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.body["error"],
        "You are not authorized to access this account"
    );
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn a_merge_failing_at_any_step_leaves_both_contacts_as_they_were() {
    let app = TestApp::new().await;
    let (base, mergee) = two_contacts(&app).await;
    let before = db_snapshot(&app.db).await;
    let base_before = app.get(&format!("/contacts/{base}")).await.body;
    let mergee_before = app.get(&format!("/contacts/{mergee}")).await.body;
    for step in [
        MergeStep::ConversationsMoved,
        MergeStep::NotesMoved,
        MergeStep::IdentitiesMoved,
        MergeStep::LabelsJoined,
        MergeStep::MergeeDeleted,
        MergeStep::BaseUpdated,
        MergeStep::Recorded,
    ] {
        let result = merge_contacts(&app.db, app.a.account_id, base, mergee, Some(step)).await;
        assert!(result.is_err(), "{step:?} must fail");
        assert_eq!(
            db_snapshot(&app.db).await,
            before,
            "after a failure at {step:?}"
        );
    }
    assert_eq!(
        app.get(&format!("/contacts/{base}")).await.body,
        base_before
    );
    assert_eq!(
        app.get(&format!("/contacts/{mergee}")).await.body,
        mergee_before
    );

    // Without the hook the same merge goes through.
    assert!(
        merge_contacts(&app.db, app.a.account_id, base, mergee, None)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_database_failure_during_the_api_merge_rolls_everything_back() {
    let app = TestApp::new().await;
    let (base, mergee) = two_contacts(&app).await;
    // The database refuses to delete the mergee: the last step before the base changes.
    let trigger = match app.db.engine() {
        Engine::Sqlite => vec![format!(
            "CREATE TEMP TRIGGER refuse_mergee_delete BEFORE DELETE ON contacts WHEN old.id = {mergee}
             BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )],
        Engine::Postgres => vec![
            format!(
                "CREATE FUNCTION refuse_mergee_delete() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN IF old.id = {mergee} THEN RAISE EXCEPTION 'disk on fire'; END IF;
                 RETURN old; END $$"
            ),
            "CREATE TRIGGER refuse_mergee_delete BEFORE DELETE ON contacts
             FOR EACH ROW EXECUTE FUNCTION refuse_mergee_delete()"
                .to_owned(),
        ],
    };
    for statement in trigger {
        novatalks_server::db::query(statement)
            .execute(&app.db)
            .await
            .expect("trigger");
    }
    let before = db_snapshot(&app.db).await;
    let r = merge(&app, json!(base), json!(mergee)).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(r.body["error"].is_string(), "a JSON error: {}", r.text);
    assert!(
        !r.text.contains("disk on fire"),
        "internals stay in the log"
    );
    assert_eq!(db_snapshot(&app.db).await, before);
    let mergee_now = app.get(&format!("/contacts/{mergee}")).await;
    assert_eq!(mergee_now.status, StatusCode::OK);
    assert_eq!(
        mergee_now.body["payload"]["labels"],
        json!(["billing", "vip"])
    );
    assert_eq!(mergee_now.body["payload"]["conversations_count"], 1);
}

#[tokio::test]
async fn a_new_contact_that_reuses_a_merged_away_id_is_shown_as_itself() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let base = app.insert_contact(a, json!({"name": "Base"})).await;
    let mergee = app.insert_contact(a, json!({"name": "Highest id"})).await;
    assert_eq!(
        merge(&app, json!(base), json!(mergee)).await.status,
        StatusCode::OK
    );
    let new_id = match app.db.engine() {
        // SQLite hands the highest free rowid out again.
        Engine::Sqlite => {
            let r = app.post("/contacts", json!({"name": "Newcomer"})).await;
            r.body["payload"]["contact"]["id"].as_i64().expect("id")
        }
        // PostgreSQL's identity never goes back; a row written with the id (a restore,
        // an import that keeps ids) reuses it.
        Engine::Postgres => {
            novatalks_server::db::query(
                "INSERT INTO contacts (id, account_id, name, created_at, updated_at)
                 VALUES (?, ?, 'Newcomer', 1, 1)",
            )
            .bind(mergee)
            .bind(a)
            .execute(&app.db)
            .await
            .expect("newcomer");
            mergee
        }
    };
    assert_eq!(new_id, mergee, "the id is reused");
    let shown = app.get(&format!("/contacts/{new_id}")).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.body["payload"]["name"], "Newcomer");
    // Deleted, it is simply gone: the old merge record was dropped with its reuse.
    assert_eq!(
        app.delete(&format!("/contacts/{new_id}")).await.status,
        StatusCode::OK
    );
    let r = app.get(&format!("/contacts/{new_id}")).await;
    assert_eq!(r.body, json!({"error": "Resource could not be found"}));
}
