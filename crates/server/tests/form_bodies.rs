//! Rails-style request bodies: `application/x-www-form-urlencoded` and
//! `multipart/form-data`, nested as Rack nests them, read by the same rules and refused in
//! the same words as JSON.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp};
use serde_json::{json, Value};

const BOUNDARY: &str = "novatalks-form-boundary";

#[derive(Clone, Copy, Debug)]
enum Form {
    UrlEncoded,
    Multipart,
}

const BOTH: [Form; 2] = [Form::UrlEncoded, Form::Multipart];

fn encode(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn multipart_body(pairs: &[(&str, &str)], file: Option<(&str, &str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        out.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    if let Some((name, file_name)) = file {
        out.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n"
        ));
    }
    out.push_str(&format!("--{BOUNDARY}--\r\n"));
    out
}

fn form_request(
    uri: &str,
    token: Option<&str>,
    form: Form,
    pairs: &[(&str, &str)],
) -> Request<Body> {
    let mut req = Request::builder().method(Method::POST).uri(uri);
    if let Some(t) = token {
        req = req.header("api_access_token", t);
    }
    match form {
        Form::UrlEncoded => req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(encode(pairs))),
        Form::Multipart => req
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(multipart_body(pairs, None))),
    }
    .expect("request")
}

async fn post_form(app: &TestApp, path: &str, form: Form, pairs: &[(&str, &str)]) -> Reply {
    let req = form_request(&app.a_url(path), Some(&app.a.token), form, pairs);
    app.send(req).await
}

fn ok(reply: &Reply) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

async fn contact(app: &TestApp, id: i64) -> Value {
    let r = app.get(&format!("/contacts/{id}")).await;
    ok(&r);
    r.body["payload"].clone()
}

#[tokio::test]
async fn a_contact_is_created_from_a_form() {
    let app = TestApp::new().await;
    for (i, form) in BOTH.into_iter().enumerate() {
        let email = format!("olena{i}@form.test");
        let r = post_form(
            &app,
            "/contacts",
            form,
            &[
                ("name", "Olena Form"),
                ("email", &email),
                ("custom_attributes[plan]", "gold"),
                ("additional_attributes[city]", "Lviv"),
                ("blocked", "true"),
            ],
        )
        .await;
        ok(&r);
        let id = r.body["payload"]["contact"]["id"].as_i64().expect("id");
        let json_made = app
            .post(
                "/contacts",
                json!({"name": "Olena Form", "email": format!("json{i}@form.test"),
                       "custom_attributes": {"plan": "gold"},
                       "additional_attributes": {"city": "Lviv"}, "blocked": true}),
            )
            .await;
        ok(&json_made);
        let json_id = json_made.body["payload"]["contact"]["id"]
            .as_i64()
            .expect("id");
        let (read, want) = (contact(&app, id).await, contact(&app, json_id).await);
        for key in ["name", "custom_attributes", "blocked"] {
            assert_eq!(read[key], want[key], "{form:?} {key}: {read}");
        }
        assert_eq!(read["email"], email.as_str(), "{form:?}");
        assert_eq!(read["additional_attributes"]["city"], "Lviv", "{form:?}");
        assert_eq!(
            read["blocked"], true,
            "{form:?}: \"true\" is true in a form"
        );
    }
}

#[tokio::test]
async fn labels_are_added_from_a_form() {
    let app = TestApp::new().await;
    for form in BOTH {
        let id = app
            .insert_contact(app.a.account_id, json!({"name": "Labelled"}))
            .await;
        let path = format!("/contacts/{id}/labels");
        let r = post_form(
            &app,
            &path,
            form,
            &[("labels[]", "vip"), ("labels[]", "lead")],
        )
        .await;
        ok(&r);
        let read = app.get(&path).await;
        ok(&read);
        assert_eq!(read.body, json!({"payload": ["lead", "vip"]}), "{form:?}");
    }
}

#[tokio::test]
async fn a_segment_with_a_nested_query_is_created_from_a_form() {
    let app = TestApp::new().await;
    // The query reads back as the form sent it: the last condition without a
    // `query_operator`, since the form sends none.
    let query = json!({"payload": [
        {"attribute_key": "name", "filter_operator": "contains", "values": ["Ann"], "query_operator": "and"},
        {"attribute_key": "email", "filter_operator": "contains", "values": ["test", "demo"]}
    ]});
    for (i, form) in BOTH.into_iter().enumerate() {
        let name = format!("Form segment {i}");
        let p = "custom_filter[query][payload]";
        let r = post_form(
            &app,
            "/custom_filters",
            form,
            &[
                ("custom_filter[name]", &name),
                ("custom_filter[filter_type]", "contact"),
                (&format!("{p}[0][attribute_key]"), "name"),
                (&format!("{p}[0][filter_operator]"), "contains"),
                (&format!("{p}[0][values][]"), "Ann"),
                (&format!("{p}[0][query_operator]"), "and"),
                (&format!("{p}[1][attribute_key]"), "email"),
                (&format!("{p}[1][filter_operator]"), "contains"),
                (&format!("{p}[1][values][]"), "test"),
                (&format!("{p}[1][values][]"), "demo"),
            ],
        )
        .await;
        ok(&r);
        let id = r.body["id"].as_i64().expect("id");
        let read = app.get(&format!("/custom_filters/{id}")).await;
        ok(&read);
        assert_eq!(read.body["name"], name.as_str(), "{form:?}");
        assert_eq!(read.body["query"], query, "{form:?}");
        let by_json = app
            .post(
                "/custom_filters",
                json!({"custom_filter": {"name": format!("JSON segment {i}"), "filter_type": "contact", "query": query}}),
            )
            .await;
        ok(&by_json);
        assert_eq!(by_json.body["query"], r.body["query"], "{form:?}");
    }
}

#[tokio::test]
async fn a_custom_attribute_definition_is_created_from_a_form() {
    let app = TestApp::new().await;
    for (i, form) in BOTH.into_iter().enumerate() {
        let key = format!("form_tier_{i}");
        let d = "custom_attribute_definition";
        let r = post_form(
            &app,
            "/custom_attribute_definitions",
            form,
            &[
                (&format!("{d}[attribute_display_name]"), "Tier"),
                (&format!("{d}[attribute_key]"), &key),
                (&format!("{d}[attribute_display_type]"), "list"),
                (&format!("{d}[attribute_model]"), "contact_attribute"),
                (&format!("{d}[attribute_values][]"), "bronze"),
                (&format!("{d}[attribute_values][]"), "gold"),
            ],
        )
        .await;
        ok(&r);
        let list = app
            .get("/custom_attribute_definitions?attribute_model=contact_attribute")
            .await;
        ok(&list);
        let made = list
            .body
            .as_array()
            .and_then(|all| all.iter().find(|d| d["attribute_key"] == key.as_str()))
            .cloned()
            .unwrap_or_else(|| panic!("{form:?}: {key} listed in {}", list.text));
        assert_eq!(made["attribute_display_name"], "Tier");
        assert_eq!(made["attribute_display_type"], "list");
        assert_eq!(made["attribute_values"], json!(["bronze", "gold"]));
    }
}

#[tokio::test]
async fn the_public_api_creates_a_contact_from_a_form_or_an_empty_body() {
    let app = TestApp::new().await;
    let uri = format!(
        "/public/api/v1/inboxes/{}/contacts",
        app.a.api_inbox_identifier
    );
    for (i, form) in BOTH.into_iter().enumerate() {
        let email = format!("visitor{i}@form.test");
        let r = app
            .send(form_request(
                &uri,
                None,
                form,
                &[("name", "Visitor"), ("email", &email)],
            ))
            .await;
        ok(&r);
        let id = r.body["id"].as_i64().expect("id");
        assert!(r.body["source_id"].is_string(), "{}", r.text);
        let read = contact(&app, id).await;
        assert_eq!(read["name"], "Visitor", "{form:?}");
        assert_eq!(read["email"], email.as_str(), "{form:?}");
    }
    for content_type in [
        None,
        Some("application/json"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut req = Request::builder().method(Method::POST).uri(&uri);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let r = app.send(req.body(Body::empty()).expect("request")).await;
        ok(&r);
        assert!(
            r.body["source_id"].is_string(),
            "{content_type:?}: {}",
            r.text
        );
    }
}

#[tokio::test]
async fn bad_values_in_a_form_get_the_words_json_gets() {
    let app = TestApp::new().await;
    // Each: the form's fields, and the JSON body that says the same.
    let cases: Vec<(Vec<(&str, &str)>, Value)> = vec![
        (vec![("blocked", "yes")], json!({"blocked": "yes"})),
        (
            vec![("blocked_until", "soon")],
            json!({"blocked_until": "soon"}),
        ),
        (vec![("name", "a\u{0}b")], json!({"name": "a\u{0}b"})),
        (
            vec![("email", "not an email")],
            json!({"email": "not an email"}),
        ),
        (
            vec![("custom_attributes", "gold")],
            json!({"custom_attributes": "gold"}),
        ),
    ];
    for (pairs, body) in &cases {
        let by_json = app.post("/contacts", body.clone()).await;
        assert_eq!(
            by_json.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            by_json.text
        );
        for form in BOTH {
            let r = post_form(&app, "/contacts", form, pairs).await;
            assert_eq!(r.status, by_json.status, "{form:?} {body}: {}", r.text);
            assert_eq!(r.body, by_json.body, "{form:?} {body}");
        }
    }
    // A segment whose condition has an unknown operator: the same words.
    let by_json = app
        .post(
            "/custom_filters",
            json!({"custom_filter": {"name": "S", "filter_type": "contact",
                   "query": {"payload": [{"attribute_key": "name", "filter_operator": "resembles", "values": ["Ann"]}]}}}),
        )
        .await;
    assert_eq!(
        by_json.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        by_json.text
    );
    let r = post_form(
        &app,
        "/custom_filters",
        Form::UrlEncoded,
        &[
            ("custom_filter[name]", "S"),
            ("custom_filter[filter_type]", "contact"),
            ("custom_filter[query][payload][0][attribute_key]", "name"),
            (
                "custom_filter[query][payload][0][filter_operator]",
                "resembles",
            ),
            ("custom_filter[query][payload][0][values][]", "Ann"),
        ],
    )
    .await;
    assert_eq!((r.status, &r.body), (by_json.status, &by_json.body));
    // JSON stays strict: text is not a number or true/false there.
    let r = app.post("/contacts", json!({"blocked": "true"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
}

#[tokio::test]
async fn a_file_part_and_other_content_types_are_refused_in_words() {
    let app = TestApp::new().await;
    let req = Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/contacts"))
        .header("api_access_token", &app.a.token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart_body(
            &[("name", "With avatar")],
            Some(("avatar", "me.png")),
        )))
        .expect("request");
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        r.body["error"],
        "The field 'avatar' is a file (me.png); this address takes only text fields"
    );
    for content_type in ["text/plain", "application/xml", "text/csv"] {
        let req = Request::builder()
            .method(Method::POST)
            .uri(app.a_url("/contacts"))
            .header("api_access_token", &app.a.token)
            .header("content-type", content_type)
            .body(Body::from("name=x"))
            .expect("request");
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.text);
        let words = r.body["error"].as_str().unwrap_or_default();
        assert!(
            words.contains("application/json") && words.contains("multipart/form-data"),
            "{content_type}: {}",
            r.text
        );
    }
    // A name that is both a value and a group cannot be read: 400, as Rails answers.
    let r = post_form(
        &app,
        "/contacts",
        Form::UrlEncoded,
        &[("name", "x"), ("name[first]", "y")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["error"]
            .as_str()
            .is_some_and(|e| e.contains("'name[first]'")),
        "{}",
        r.text
    );
}
