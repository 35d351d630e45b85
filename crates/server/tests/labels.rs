//! Account labels (`POST /labels`) and a contact's labels (`GET`/`POST /contacts/{id}/labels`).

mod common;
mod writes;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::TestApp;
use serde_json::json;
use writes::db_snapshot;

#[tokio::test]
async fn a_contacts_labels_are_listed_sorted() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    app.label_contact(app.a.account_id, id, &["vip", "billing"])
        .await;
    let r = app.get(&format!("/contacts/{id}/labels")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, json!({"payload": ["billing", "vip"]}));

    let bare = app
        .insert_contact(app.a.account_id, json!({"name": "No labels"}))
        .await;
    assert_eq!(
        app.get(&format!("/contacts/{bare}/labels")).await.body,
        json!({"payload": []})
    );
}

#[tokio::test]
async fn posting_labels_replaces_the_list() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    app.label_contact(app.a.account_id, id, &["vip", "billing"])
        .await;
    let path = format!("/contacts/{id}/labels");

    let r = app
        .post(&path, json!({"labels": ["support", " VIP ", "support"]}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"payload": ["support", "vip"]}),
        "trimmed, lower-cased, once each"
    );
    assert_eq!(
        app.get(&path).await.body,
        json!({"payload": ["support", "vip"]})
    );
    assert_eq!(
        app.get(&format!("/contacts/{id}")).await.body["payload"]["labels"],
        json!(["support", "vip"])
    );

    let r = app.post(&path, json!({"labels": []})).await;
    assert_eq!(r.body, json!({"payload": []}));
    assert_eq!(app.get(&path).await.body, json!({"payload": []}));
}

#[tokio::test]
async fn a_title_no_contact_can_carry_is_a_422_naming_it_and_nothing_changes() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    app.label_contact(app.a.account_id, id, &["vip"]).await;
    let before = db_snapshot(&app.db).await;
    let path = format!("/contacts/{id}/labels");

    // Any title is a tag (chatwoot_spec_labels.rs); only what cannot be stored is refused.
    let long = "p".repeat(256);
    let r = app.post(&path, json!({"labels": ["billing", long]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body,
        json!({"message": format!("Label '{}…' is too long (maximum is 255 characters)", "p".repeat(64)), "attributes": ["labels"]})
    );
    let r = app.post(&path, json!({"labels": ["a\u{0}b"]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("cannot be stored"), "{}", r.text);

    for body in [
        json!({"labels": "vip"}),
        json!({"labels": [1]}),
        json!({"labels": [null]}),
        json!({}),
        json!({"labels": vec!["vip"; 101]}),
    ] {
        let r = app.post(&path, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(r.body["attributes"], json!(["labels"]), "{body}");
    }
    let raw = Request::builder()
        .method(Method::POST)
        .uri(app.a_url(&path))
        .header("api_access_token", &app.a.token)
        .header("content-type", "application/json")
        .body(Body::from("{\"labels\": [\"vip\""))
        .expect("request");
    assert_eq!(app.send(raw).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        db_snapshot(&app.db).await,
        before,
        "no contact label and no account label was made"
    );
}

#[tokio::test]
async fn a_new_account_label_is_answered_and_listed() {
    let app = TestApp::new().await;
    let r = app
        .post("/labels", json!({"title": "priority-2", "description": "<b>Second</b> line", "color": "#AABBCC", "show_on_sidebar": false}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = r.body["id"].as_i64().expect("id");
    assert_eq!(
        r.body,
        json!({"id": id, "title": "priority-2", "description": "<b>Second</b> line", "color": "#aabbcc", "show_on_sidebar": false})
    );
    // Chatwoot's dashboard wraps it in `label`; the defaults apply.
    let r = app
        .post("/labels", json!({"label": {"title": "new_lead"}}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["color"].clone(), r.body["show_on_sidebar"].clone()),
        (json!("#1f93ff"), json!(true))
    );

    let list = app.get("/labels").await;
    let titles: Vec<&str> = list.body["payload"]
        .as_array()
        .expect("labels")
        .iter()
        .filter_map(|l| l["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"priority-2") && titles.contains(&"new_lead"),
        "{titles:?}"
    );

    // And it can be given to a contact at once.
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let r = app
        .post(
            &format!("/contacts/{contact}/labels"),
            json!({"labels": ["priority-2"]}),
        )
        .await;
    assert_eq!(r.body, json!({"payload": ["priority-2"]}));
}

#[tokio::test]
async fn a_bad_or_taken_label_is_a_422_saying_what_is_wrong() {
    let app = TestApp::new().await;
    let before = db_snapshot(&app.db).await;
    let cases = [
        (json!({"title": "VIP-2"}), "title", "Title 'VIP-2' must be lower-case: use 'vip-2'"),
        (json!({"title": "big deal!"}), "title", "Title 'big deal!' may only contain lower-case letters, digits, '_' and '-' (not ' ', '!')"),
        (json!({"title": "vip"}), "title", "Title 'vip' has already been taken"),
        (json!({"title": ""}), "title", "Title can't be blank"),
        (json!({}), "title", "Title can't be blank"),
        (json!({"title": 7}), "title", "Title must be text"),
        (json!({"title": "a".repeat(65)}), "title", "Title is too long (maximum is 64 characters)"),
        (json!({"title": "ok", "color": "red"}), "color", "Color 'red' must be written #rrggbb, e.g. #1f93ff"),
        (json!({"title": "ok", "color": "#12345g"}), "color", "Color '#12345g' must be written #rrggbb, e.g. #1f93ff"),
        (json!({"title": "ok", "show_on_sidebar": "yes"}), "show_on_sidebar", "Show on sidebar must be true or false"),
    ];
    for (body, attribute, message) in cases {
        let r = app.post("/labels", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert_eq!(
            r.body,
            json!({"message": message, "attributes": [attribute]}),
            "{body}"
        );
    }
    let r = app.post("/labels", json!("vip")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn accounts_do_not_see_or_touch_each_others_labels() {
    let app = TestApp::new().await;
    let theirs = app
        .insert_contact(app.b.account_id, json!({"name": "Theirs"}))
        .await;
    app.label_contact(app.b.account_id, theirs, &["vip"]).await;
    let before = db_snapshot(&app.db).await;

    let r = app.get(&format!("/contacts/{theirs}/labels")).await;
    assert_eq!(
        (r.status, r.body.clone()),
        (
            StatusCode::NOT_FOUND,
            json!({"error": "Resource could not be found"})
        )
    );
    let r = app
        .post(&format!("/contacts/{theirs}/labels"), json!({"labels": []}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    for (method, path, body) in [
        (Method::GET, format!("/contacts/{theirs}/labels"), None),
        (
            Method::POST,
            format!("/contacts/{theirs}/labels"),
            Some(json!({"labels": []})),
        ),
        (
            Method::POST,
            "/labels".to_owned(),
            Some(json!({"title": "sneaky"})),
        ),
    ] {
        let r = app
            .request(method, &app.b_url(&path), Some(&app.a.token), body)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            r.body["error"],
            "You are not authorized to access this account"
        );
    }
    assert_eq!(db_snapshot(&app.db).await, before);

    // A label made in A is A's alone; B may have its own of the same title.
    assert_eq!(
        app.post("/labels", json!({"title": "shared-name"}))
            .await
            .status,
        StatusCode::OK
    );
    let b_list = app
        .request(Method::GET, &app.b_url("/labels"), Some(&app.b.token), None)
        .await;
    assert!(!b_list.text.contains("shared-name"));
    let r = app
        .request(
            Method::POST,
            &app.b_url("/labels"),
            Some(&app.b.token),
            Some(json!({"title": "shared-name"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // A's label is not B's: a B contact tagged with its title carries a free title of B.
    let only_a = app.post("/labels", json!({"title": "only-in-a"})).await;
    assert_eq!(only_a.status, StatusCode::OK);
    let r = app
        .request(
            Method::POST,
            &app.b_url(&format!("/contacts/{theirs}/labels")),
            Some(&app.b.token),
            Some(json!({"labels": ["only-in-a"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let b_list = app
        .request(Method::GET, &app.b_url("/labels"), Some(&app.b.token), None)
        .await;
    assert_eq!(b_list.body["free_titles"], json!(["only-in-a"]));
    let a_list = app.get("/labels").await;
    assert_eq!(a_list.body["free_titles"], json!([]));
}
