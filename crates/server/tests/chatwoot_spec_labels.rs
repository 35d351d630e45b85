//! Chatwoot's request specs for labels, ported to HTTP (issue #16):
//! `spec/controllers/api/v1/accounts/contacts/labels_controller_spec.rb` (a contact's
//! labels) and `spec/controllers/api/v1/accounts/labels_controller_spec.rb` (the
//! account's labels), as of Chatwoot v4.9. Each test is named after the example's
//! `describe` / `context` / `it` and says it in its doc comment; each runs twice, on our
//! server (`normal`) and in stock-Chatwoot mode (`stock`). After the examples, the
//! behaviour of free titles the specs imply but do not spell out: Chatwoot tags a contact
//! with any title (`acts_as_taggable_on`), whether the account has a `Label` of it or
//! not, and filters by it.
//!
//! How Chatwoot normalises a contact's titles, and what we do alike (`model::rules::
//! contact_label_titles`): a tag list is split on `,` ("label1, label2" is two tags),
//! each trimmed, blanks dropped, each once; a tag name is at most 255 characters. Tags are
//! matched without regard to case in Chatwoot; we store them lower-cased, as its labels
//! are. PostgreSQL cannot store NUL, so neither Chatwoot nor we can.
//!
//! Examples that do not apply, and why:
//! - contacts/labels_controller_spec.rb, POST, "drops labels that are not defined on the
//!   account": written after v4.9 (Chatwoot's LabelConcern then filtered the titles sent
//!   by the account's labels, 2026); v4.9, which we follow (issue #16), tags with any
//!   title, and its "creates labels for the contact" example posts titles that are no
//!   account label.
//! - labels_controller_spec.rb in its oldest form, "GET /labels … returns all the labels
//!   in account" after `conversation.update_labels('label1, label2')` and "GET
//!   /labels/most_used … returns most used labels": Chatwoot before its `Label` model,
//!   when the account's labels were its conversations' tags; there are no conversation
//!   labels here. (Our [ext] `free_titles` is the contacts' counterpart.)
//! - The specs' roles (agent, administrator): every agent of an account may do all of
//!   this here, so the examples run as account A's agent.
//!
//! The label examples of tests/chatwoot_routes.rs (one label's show, update and delete,
//! renames on contacts, a deleted label's title in bulk) are ported here too, with what
//! the spec asserts; chatwoot_routes.rs keeps their finer checks.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};

/// Runs the test `$name(app, stock)` on our server and in stock-Chatwoot mode.
macro_rules! both_modes {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn normal() {
                super::$name(super::TestApp::new().await, false).await
            }

            #[tokio::test]
            async fn stock() {
                super::$name(
                    super::TestApp::with_config(|c| c.stock_chatwoot = true).await,
                    true,
                )
                .await
            }
        }
    };
}

async fn label_id(app: &TestApp, title: &str) -> Option<i64> {
    novatalks_server::db::query_scalar("SELECT id FROM labels WHERE account_id = ? AND title = ?")
        .bind(app.a.account_id)
        .bind(title)
        .fetch_optional(&app.db)
        .await
        .expect("label")
}

async fn label_count(app: &TestApp) -> i64 {
    novatalks_server::db::query_scalar("SELECT count(*) FROM labels")
        .fetch_one(&app.db)
        .await
        .expect("count")
}

async fn titles(app: &TestApp, contact: i64) -> Value {
    let r = app.get(&format!("/contacts/{contact}/labels")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["payload"].clone()
}

async fn contact(app: &TestApp, name: &str) -> i64 {
    app.insert_contact(app.a.account_id, json!({ "name": name }))
        .await
}

async fn anonymous(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> StatusCode {
    app.request(method, &app.a_url(path), None, body)
        .await
        .status
}

// ---------------------------------------------------------------------------------------
// contacts/labels_controller_spec.rb

/// "GET /api/v1/accounts/{account.id}/contacts/<id>/labels" / "when it is an
/// unauthenticated user" / "returns unauthorized".
async fn get_contact_labels_when_unauthenticated_returns_unauthorized(app: TestApp, _: bool) {
    let id = contact(&app, "Olena").await;
    app.label_contact(app.a.account_id, id, &["label1", "label2"])
        .await;
    let path = format!("/contacts/{id}/labels");
    assert_eq!(
        anonymous(&app, Method::GET, &path, None).await,
        StatusCode::UNAUTHORIZED
    );
}
both_modes!(get_contact_labels_when_unauthenticated_returns_unauthorized);

/// "GET /api/v1/accounts/{account.id}/contacts/<id>/labels" / "when it is an
/// authenticated user" / "returns all the labels for the contact". The spec tags the
/// contact with `update_labels('label1, label2')`: one text, two tags, neither an account
/// label.
async fn get_contact_labels_when_authenticated_returns_all_the_labels_for_the_contact(
    app: TestApp,
    _: bool,
) {
    let id = contact(&app, "Olena").await;
    let path = format!("/contacts/{id}/labels");
    let r = app.post(&path, json!({"labels": ["label1, label2"]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let r = app.get(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body, json!({"payload": ["label1", "label2"]}));
}
both_modes!(get_contact_labels_when_authenticated_returns_all_the_labels_for_the_contact);

/// "POST /api/v1/accounts/{account.id}/contacts/<id>/labels" / "when it is an
/// unauthenticated user" / "returns unauthorized" (and the labels stay).
async fn post_contact_labels_when_unauthenticated_returns_unauthorized(app: TestApp, _: bool) {
    let id = contact(&app, "Olena").await;
    app.label_contact(app.a.account_id, id, &["label1", "label2"])
        .await;
    let path = format!("/contacts/{id}/labels");
    assert_eq!(
        anonymous(
            &app,
            Method::POST,
            &path,
            Some(json!({"labels": ["label3", "label4"]}))
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(titles(&app, id).await, json!(["label1", "label2"]));
}
both_modes!(post_contact_labels_when_unauthenticated_returns_unauthorized);

/// "POST /api/v1/accounts/{account.id}/contacts/<id>/labels" / "when it is an
/// authenticated user" / "creates labels for the contact": `label3` and `label4` are no
/// account labels in v4.9's spec; the contact carries them (replacing `label1`,
/// `label2`), and no account label is made of them.
async fn post_contact_labels_when_authenticated_creates_labels_for_the_contact(
    app: TestApp,
    stock: bool,
) {
    let id = contact(&app, "Olena").await;
    app.label_contact(app.a.account_id, id, &["label1", "label2"])
        .await;
    let labels_before = label_count(&app).await;
    let path = format!("/contacts/{id}/labels");
    let r = app
        .post(&path, json!({"labels": ["label3", "label4"]}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body, json!({"payload": ["label3", "label4"]}));
    assert_eq!(titles(&app, id).await, json!(["label3", "label4"]));
    assert_eq!(label_count(&app).await, labels_before, "no account label");
    assert_eq!(label_id(&app, "label3").await, None);

    let listed = app.get("/labels").await;
    if stock {
        assert!(listed.body.get("free_titles").is_none(), "{}", listed.text);
    } else {
        assert_eq!(listed.body["free_titles"], json!(["label3", "label4"]));
    }
}
both_modes!(post_contact_labels_when_authenticated_creates_labels_for_the_contact);

// ---------------------------------------------------------------------------------------
// labels_controller_spec.rb

/// "GET /api/v1/accounts/{account.id}/labels" / "when it is an unauthenticated user" /
/// "returns unauthorized".
async fn get_labels_when_unauthenticated_returns_unauthorized(app: TestApp, _: bool) {
    assert_eq!(
        anonymous(&app, Method::GET, "/labels", None).await,
        StatusCode::UNAUTHORIZED
    );
}
both_modes!(get_labels_when_unauthenticated_returns_unauthorized);

/// "GET /api/v1/accounts/{account.id}/labels" / "when it is an authenticated user" /
/// "returns all the labels in account": the account's labels, with their colour; a free
/// title is none of them (ours lists it in [ext] `free_titles`, which stock mode leaves
/// out).
async fn get_labels_when_authenticated_returns_all_the_labels_in_account(
    app: TestApp,
    stock: bool,
) {
    let id = contact(&app, "Olena").await;
    assert_eq!(
        app.post(
            &format!("/contacts/{id}/labels"),
            json!({"labels": ["vip", "walk-in"]})
        )
        .await
        .status,
        StatusCode::OK
    );
    let r = app.get("/labels").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let payload = r.body["payload"].as_array().expect("payload");
    let vip = payload
        .iter()
        .find(|l| l["title"] == "vip")
        .expect("the account's label vip");
    assert_eq!(vip["color"], "#f5a623");
    assert!(
        payload.iter().all(|l| l["title"] != "walk-in"),
        "a free title is no account label: {}",
        r.text
    );
    if stock {
        assert_eq!(
            r.body.as_object().map(|o| o.len()),
            Some(1),
            "only payload: {}",
            r.text
        );
    } else {
        assert_eq!(r.body["free_titles"], json!(["walk-in"]));
    }
}
both_modes!(get_labels_when_authenticated_returns_all_the_labels_in_account);

/// "GET /api/v1/accounts/{account.id}/labels/:id" / "when it is an unauthenticated user"
/// / "returns unauthorized".
async fn get_label_when_unauthenticated_returns_unauthorized(app: TestApp, _: bool) {
    let vip = label_id(&app, "vip").await.expect("vip");
    assert_eq!(
        anonymous(&app, Method::GET, &format!("/labels/{vip}"), None).await,
        StatusCode::UNAUTHORIZED
    );
}
both_modes!(get_label_when_unauthenticated_returns_unauthorized);

/// "GET /api/v1/accounts/{account.id}/labels/:id" / "when it is an authenticated user" /
/// "shows the contact" (the label). (chatwoot_routes.rs: another account's is a 404.)
async fn get_label_when_authenticated_shows_the_contact(app: TestApp, _: bool) {
    let vip = label_id(&app, "vip").await.expect("vip");
    let r = app.get(&format!("/labels/{vip}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["id"], vip);
    assert_eq!(r.body["title"], "vip");
}
both_modes!(get_label_when_authenticated_shows_the_contact);

/// "POST /api/v1/accounts/{account.id}/labels" / "when it is an unauthenticated user" /
/// "returns unauthorized" (and no label is made). The spec posts a form.
async fn post_labels_when_unauthenticated_returns_unauthorized(app: TestApp, _: bool) {
    let before = label_count(&app).await;
    assert_eq!(
        anonymous(
            &app,
            Method::POST,
            "/labels",
            Some(json!({"label": {"title": "test"}}))
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(label_count(&app).await, before);
}
both_modes!(post_labels_when_unauthenticated_returns_unauthorized);

/// "POST /api/v1/accounts/{account.id}/labels" / "when it is an authenticated user" /
/// "creates the contact" (a label: one more). A free title of that name gets the label's
/// colour from then on: it is no longer listed as free.
async fn post_labels_when_authenticated_creates_the_contact(app: TestApp, stock: bool) {
    let id = contact(&app, "Olena").await;
    app.label_contact(app.a.account_id, id, &["test"]).await;
    let before = label_count(&app).await;
    let r = app
        .post("/labels", json!({"label": {"title": "test"}}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(label_count(&app).await, before + 1);
    assert_eq!(r.body["title"], "test");
    if !stock {
        assert_eq!(app.get("/labels").await.body["free_titles"], json!([]));
    }
}
both_modes!(post_labels_when_authenticated_creates_the_contact);

/// "PATCH /api/v1/accounts/{account.id}/labels/:id" / "when it is an unauthenticated
/// user" / "returns unauthorized" (the spec sends a PUT).
async fn patch_label_when_unauthenticated_returns_unauthorized(app: TestApp, _: bool) {
    let vip = label_id(&app, "vip").await.expect("vip");
    assert_eq!(
        anonymous(
            &app,
            Method::PUT,
            &format!("/labels/{vip}"),
            Some(json!({"title": "Test_2"}))
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(label_id(&app, "vip").await, Some(vip));
}
both_modes!(patch_label_when_unauthenticated_returns_unauthorized);

/// "PATCH /api/v1/accounts/{account.id}/labels/:id" / "when it is an authenticated user"
/// / "updates the label": Chatwoot lower-cases `Test_2` to `test_2`, and so does stock
/// mode; ours refuses it saying how to write it (an error in words), then takes
/// `test_2`. Either way the contacts tagged `vip` are renamed with it
/// (Labels::UpdateService; more in chatwoot_routes.rs).
async fn patch_label_when_authenticated_updates_the_label(app: TestApp, stock: bool) {
    let vip = label_id(&app, "vip").await.expect("vip");
    let olena = contact(&app, "Olena").await;
    app.label_contact(app.a.account_id, olena, &["vip", "walk-in"])
        .await;
    let path = format!("/labels/{vip}");
    let r = app.patch(&path, json!({"title": "Test_2"})).await;
    if stock {
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    } else {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(
            r.body["message"],
            "Title 'Test_2' must be lower-case: use 'test_2'"
        );
        let r = app.patch(&path, json!({"title": "test_2"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    assert_eq!(app.get(&path).await.body["title"], "test_2");
    assert_eq!(titles(&app, olena).await, json!(["test_2", "walk-in"]));
}
both_modes!(patch_label_when_authenticated_updates_the_label);

/// Not an example of the spec; its `Label` validations (title present, a letter or digit
/// then at least one more letter, digit, `_` or `-`, unique in the account) as its base
/// controller answers an invalid record: `{"message", "attributes": ["title"]}` with
/// Chatwoot's words in stock mode, ours otherwise; on a create and on an update, and
/// nothing changes.
async fn a_title_the_label_model_refuses_is_a_422(app: TestApp, stock: bool) {
    let vip = label_id(&app, "vip").await.expect("vip");
    let before = label_count(&app).await;
    let blank = "Title must not be blank, Title is invalid";
    let invalid = "Title is invalid";
    let taken = "Title has already been taken";
    let cases = [
        (json!({"label": {"description": "no title"}}), blank),
        (json!({"label": {"title": ""}}), blank),
        (json!({"label": {"title": "vip!"}}), invalid),
        (json!({"label": {"title": "VIP"}}), taken),
    ];
    for (body, chatwoot_words) in cases {
        let r = app.post("/labels", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert_eq!(r.body["attributes"], json!(["title"]), "{body}: {}", r.text);
        if stock {
            assert_eq!(
                r.body,
                json!({"message": chatwoot_words, "attributes": ["title"]}),
                "{body}"
            );
        } else {
            assert!(
                r.body["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("Title")),
                "{body}: {}",
                r.text
            );
        }
    }
    if stock {
        // Chatwoot wants a letter or digit first, and two characters at least.
        for title in ["-vip", "_vip", "a"] {
            let r = app.post("/labels", json!({ "title": title })).await;
            assert_eq!(
                r.body,
                json!({"message": invalid, "attributes": ["title"]}),
                "{title}: {}",
                r.text
            );
        }
    }
    assert_eq!(label_count(&app).await, before, "nothing created");
    let r = app.post("/labels", json!({"title": "walk-in"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let path = format!("/labels/{vip}");
    for (title, chatwoot_words) in [
        (json!(null), blank),
        (json!("walk in"), invalid),
        (json!("walk-in"), taken),
    ] {
        let r = app.patch(&path, json!({ "title": title })).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{title}: {}",
            r.text
        );
        if stock {
            assert_eq!(
                r.body,
                json!({"message": chatwoot_words, "attributes": ["title"]}),
                "{title}"
            );
        } else {
            assert_eq!(
                r.body["attributes"],
                json!(["title"]),
                "{title}: {}",
                r.text
            );
        }
    }
    assert_eq!(app.get(&path).await.body["title"], "vip", "nothing changed");
    // A label that is not the account's is a 404 before its title is looked at.
    let r = app.patch("/labels/999999", json!({"title": "x!"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}
both_modes!(a_title_the_label_model_refuses_is_a_422);

/// Chatwoot's labels destroy (chatwoot_routes.rs: `head :ok`): the label goes, the
/// contacts keep its title as a free title, which can be removed in bulk and given again.
async fn delete_label_leaves_its_title_on_contacts_as_a_free_title(app: TestApp, stock: bool) {
    let vip = label_id(&app, "vip").await.expect("vip");
    let olena = contact(&app, "Olena").await;
    app.label_contact(app.a.account_id, olena, &["vip"]).await;
    let r = app.delete(&format!("/labels/{vip}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(titles(&app, olena).await, json!(["vip"]));
    if !stock {
        assert_eq!(app.get("/labels").await.body["free_titles"], json!(["vip"]));
    }
    for change in [json!({"remove": ["vip"]}), json!({"add": ["vip"]})] {
        let r = app
            .post(
                "/bulk_actions",
                json!({"type": "Contact", "ids": [olena], "labels": change}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{change}: {}", r.text);
    }
    assert_eq!(titles(&app, olena).await, json!(["vip"]));
}
both_modes!(delete_label_leaves_its_title_on_contacts_as_a_free_title);

// ---------------------------------------------------------------------------------------
// Free titles: what Chatwoot's tagging does that the examples above rely on.

/// Any title Chatwoot's dashboard or API client sends is a tag: spaces, punctuation,
/// any script, up to 255 characters; a comma separates tags; blanks and repeats go.
async fn any_title_a_client_sends_is_a_tag(app: TestApp, _: bool) {
    let id = contact(&app, "Olena").await;
    let path = format!("/contacts/{id}/labels");
    let long = "д".repeat(255);
    let r = app
        .post(
            &path,
            json!({"labels": [" Big Deal! ", "a.b/c", "walk-in, follow up", "", "big deal!", long]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let expected = json!(["a.b/c", "big deal!", "follow up", "walk-in", long]);
    assert_eq!(r.body["payload"], expected);
    assert_eq!(titles(&app, id).await, expected);
}
both_modes!(any_title_a_client_sends_is_a_tag);

/// What no contact can carry is refused with a 422 (in words on our server), and nothing
/// changes: a tag over 255 characters (Chatwoot's tag names are at most 255), more than
/// 100 labels.
async fn a_title_chatwoot_cannot_store_is_a_422(app: TestApp, stock: bool) {
    let id = contact(&app, "Olena").await;
    app.label_contact(app.a.account_id, id, &["vip"]).await;
    let path = format!("/contacts/{id}/labels");
    let too_many: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    for labels in [json!(["x".repeat(256)]), json!(too_many)] {
        let r = app.post(&path, json!({ "labels": labels })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        if !stock {
            assert_eq!(r.body["attributes"], json!(["labels"]), "{}", r.text);
            assert!(r.body["message"].as_str().is_some_and(|m| m.len() > 20));
        }
        let r = app
            .post(
                "/bulk_actions",
                json!({"type": "Contact", "ids": [id], "labels": {"add": labels}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    }
    assert_eq!(titles(&app, id).await, json!(["vip"]));
}
both_modes!(a_title_chatwoot_cannot_store_is_a_422);

/// Bulk actions (Chatwoot's `bulk_actions` with `labels.add`) tag with free titles too.
async fn bulk_actions_add_free_titles(app: TestApp, _: bool) {
    let olena = contact(&app, "Olena").await;
    let petro = contact(&app, "Petro").await;
    let r = app
        .post(
            "/bulk_actions",
            json!({"type": "Contact", "ids": [olena, petro], "labels": {"add": ["Walk-In", "vip"]}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for id in [olena, petro] {
        assert_eq!(titles(&app, id).await, json!(["vip", "walk-in"]));
    }
    assert_eq!(label_id(&app, "walk-in").await, None, "no label minted");
}
both_modes!(bulk_actions_add_free_titles);

/// The list's label quick filter (`labels[]=`, Chatwoot's `tagged_with`) and the
/// advanced filter's labels condition find contacts by a free title.
async fn filters_find_contacts_by_a_free_title(app: TestApp, _: bool) {
    let olena = contact(&app, "Olena").await;
    let petro = contact(&app, "Petro").await;
    for (id, labels) in [(olena, json!(["walk-in"])), (petro, json!(["vip"]))] {
        let r = app
            .post(
                &format!("/contacts/{id}/labels"),
                json!({ "labels": labels }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let r = app.get("/contacts?labels[]=Walk-In").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(TestApp::ids(&r), vec![olena]);

    for (op, expected) in [("equal_to", vec![olena]), ("not_equal_to", vec![petro])] {
        let r = app
            .post(
                "/contacts/filter",
                json!({"payload": [{"attribute_key": "labels", "filter_operator": op,
                    "values": ["walk-in"], "query_operator": null}]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{op}: {}", r.text);
        let mut found = TestApp::ids(&r);
        found.retain(|id| [olena, petro].contains(id));
        assert_eq!(found, expected, "{op}");
    }
}
both_modes!(filters_find_contacts_by_a_free_title);

/// [ext] `free_titles` is the account's own, sorted, each once however many contacts
/// carry it, and drops a title once no contact has it.
#[tokio::test]
async fn free_titles_are_the_accounts_own_sorted_and_once() {
    let app = TestApp::new().await;
    let olena = contact(&app, "Olena").await;
    let petro = contact(&app, "Petro").await;
    app.label_contact(app.a.account_id, olena, &["zeta", "vip", "alpha"])
        .await;
    app.label_contact(app.a.account_id, petro, &["alpha"]).await;
    let theirs = app
        .insert_contact(app.b.account_id, json!({"name": "B"}))
        .await;
    app.label_contact(app.b.account_id, theirs, &["b-only"])
        .await;
    assert_eq!(
        app.get("/labels").await.body["free_titles"],
        json!(["alpha", "zeta"])
    );
    let r = app
        .post(&format!("/contacts/{olena}/labels"), json!({"labels": []}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.get("/labels").await.body["free_titles"],
        json!(["alpha"])
    );
}

/// The import's labels column tags with free titles; a title that can be an account
/// label's and is none yet becomes one (and is reported), the others stay tags. (Normal
/// mode: the import's options are [ext].)
#[tokio::test]
async fn the_imports_labels_column_tags_with_free_titles() {
    let app = TestApp::new().await;
    let boundary = "free-labels-boundary";
    let file = "name,email,labels\nOlena,olena@free.test,Walk In;newbie;vip\n";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"import_file\"; filename=\"c.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/contacts/import"))
        .header("api_access_token", &app.a.token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(axum::body::Body::from(body))
        .expect("request");
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["created"], 1, "{}", r.text);
    assert_eq!(r.body["new_labels"], json!(["newbie"]));
    let id: i64 = novatalks_server::db::query_scalar(
        "SELECT id FROM contacts WHERE account_id = ? AND email = ?",
    )
    .bind(app.a.account_id)
    .bind("olena@free.test")
    .fetch_one(&app.db)
    .await
    .expect("imported");
    assert_eq!(titles(&app, id).await, json!(["newbie", "vip", "walk in"]));
    assert!(label_id(&app, "newbie").await.is_some());
    assert_eq!(label_id(&app, "walk in").await, None);
    assert_eq!(
        app.get("/labels").await.body["free_titles"],
        json!(["walk in"])
    );
}

/// The free titles are read from the `contact_labels_by_title` index a title at a time
/// (a seek per title), not by a pass over the contacts: with 3,000 contacts all tagged,
/// the plan reads only that index (and the labels' unique index).
#[tokio::test]
async fn free_titles_are_read_from_the_index() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    common::load_filler(&app, a, 3000, true).await;
    let engine = novatalks_server::db::test_engine();
    let explain = match engine {
        novatalks_server::db::Engine::Sqlite => "EXPLAIN QUERY PLAN ",
        novatalks_server::db::Engine::Postgres => "EXPLAIN ",
    };
    let sql = format!("{explain}{}", novatalks_server::labels::FREE_TITLES_SQL);
    let plan: Vec<String> = match engine {
        novatalks_server::db::Engine::Sqlite => {
            let rows: Vec<(i64, i64, i64, String)> = novatalks_server::db::query_as(&sql)
                .bind(a)
                .bind(a)
                .bind(a)
                .bind(1000_i64)
                .fetch_all(&app.db)
                .await
                .expect("plan");
            rows.into_iter().map(|r| r.3).collect()
        }
        novatalks_server::db::Engine::Postgres => novatalks_server::db::query_scalar(&sql)
            .bind(a)
            .bind(a)
            .bind(a)
            .bind(1000_i64)
            .fetch_all(&app.db)
            .await
            .expect("plan"),
    };
    let text = plan.join("\n");
    assert!(text.contains("contact_labels_by_title"), "{text}");
    for walk in [
        "SCAN contacts",
        "Seq Scan on contacts",
        "SCAN contact_labels",
        "Seq Scan on contact_labels",
    ] {
        assert!(!text.contains(walk), "{walk}: {text}");
    }
    assert_eq!(
        app.get("/labels").await.body["free_titles"],
        json!(["filler"])
    );
}
