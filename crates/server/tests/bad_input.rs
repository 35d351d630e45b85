//! Every route of the OpenAPI document, sent what a careless or hostile client sends: a
//! control character in a text field or a query parameter, an array for an object, a
//! method it does not take, a body over the limit, an address too long. Each answer is a
//! JSON 4xx in the contract's shape with words, never a 5xx, and nothing is stored.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp};
use serde_json::{json, Value};

/// Every `(method, path)` of the document, with the operation's description.
async fn operations(app: &TestApp) -> Vec<(Method, String, Value)> {
    let doc = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .body;
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let method = match method.as_str() {
                "get" => Method::GET,
                "post" => Method::POST,
                "put" => Method::PUT,
                "patch" => Method::PATCH,
                "delete" => Method::DELETE,
                _ => continue,
            };
            out.push((method, path.clone(), op.clone()));
        }
    }
    assert!(out.len() > 20, "the document lists the API: {out:?}");
    out
}

/// Whether the operation's body is JSON (the import's upload is multipart, and answers
/// a JSON body with a 422 saying no file was sent: see import.rs).
fn takes_json(op: &Value) -> bool {
    op.pointer("/requestBody/content/application~1json")
        .is_some()
}

/// The path with its parameters filled: account A, and an existing contact's id for the rest.
fn concrete(app: &TestApp, path: &str, contact_id: i64) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("closing brace") + start;
        let name = &rest[start + 1..end];
        if name == "account_id" {
            out.push_str(&app.a.account_id.to_string());
        } else {
            out.push_str(&contact_id.to_string());
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

async fn raw(
    app: &TestApp,
    method: Method,
    uri: &str,
    content_type: Option<&str>,
    body: Body,
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("api_access_token", &app.a.token);
    if let Some(t) = content_type {
        req = req.header("content-type", t);
    }
    app.send(req.body(body).expect("request")).await
}

fn assert_json_error(r: &Reply, status: StatusCode, words: &str, what: &str) {
    assert_eq!(r.status, status, "{what}: {}", r.text);
    let message = r.body["error"].as_str().unwrap_or_else(|| {
        panic!(
            "{what}: the answer is the contract's JSON error: {}",
            r.text
        )
    });
    assert!(
        message.contains(words),
        "{what}: '{message}' should say '{words}'"
    );
}

async fn setup() -> (TestApp, i64, String) {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let before = common_snapshot(&app).await;
    (app, contact, before)
}

async fn common_snapshot(app: &TestApp) -> String {
    novatalks_server::db::query_scalar(
        "SELECT (SELECT count(*) FROM contacts) || '/' || (SELECT count(*) FROM notes) || '/' ||
                (SELECT count(*) FROM labels) || '/' || (SELECT count(*) FROM custom_filters) || '/' ||
                (SELECT count(*) FROM conversations) || '/' || coalesce((SELECT string_agg(name, ',' ORDER BY id) FROM contacts), '')",
    )
    .fetch_one(&app.db)
    .await
    .expect("snapshot")
}

#[tokio::test]
async fn a_control_character_in_any_body_is_a_422_naming_the_field() {
    let (app, contact, before) = setup().await;
    let mut checked = 0;
    for (method, path, op) in operations(&app).await {
        if !takes_json(&op) {
            continue;
        }
        let uri = concrete(&app, &path, contact);
        for (field, body) in [
            ("name", json!({"name": "Ol\u{0}ena", "content": "ok"})),
            ("content", json!({"content": "hello\u{7}"})),
            (
                "email",
                json!({"email": "x\u{1b}@example.com", "password": "pw"}),
            ),
        ] {
            let r = raw(
                &app,
                method.clone(),
                &uri,
                Some("application/json"),
                Body::from(body.to_string()),
            )
            .await;
            assert_json_error(
                &r,
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("The field '{field}' contains a control character"),
                &format!("{method} {path}"),
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "routes with a body: {checked}");
    assert_eq!(common_snapshot(&app).await, before, "nothing was stored");
}

#[tokio::test]
async fn an_array_is_never_read_as_an_object() {
    let (app, contact, before) = setup().await;
    for (method, path, op) in operations(&app).await {
        if !takes_json(&op) {
            continue;
        }
        let uri = concrete(&app, &path, contact);
        for body in [
            json!(["agent@demo.test", "novatalks-demo"]),
            json!("text"),
            json!(5),
        ] {
            let r = raw(
                &app,
                method.clone(),
                &uri,
                Some("application/json"),
                Body::from(body.to_string()),
            )
            .await;
            assert_json_error(
                &r,
                StatusCode::UNPROCESSABLE_ENTITY,
                "must be a JSON object",
                &format!("{method} {path} with {body}"),
            );
        }
    }
    // Sign-in read by position once returned a token.
    let r = raw(
        &app,
        Method::POST,
        "/auth/sign_in",
        Some("application/json"),
        Body::from(r#"["a@test.test","novatalks-demo"]"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.body.get("data").is_none());
    assert_eq!(common_snapshot(&app).await, before, "nothing was stored");
}

/// `schema`, following a `$ref` into the document's components.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or(&Value::Null),
        None => schema,
    }
}

/// Whether a property's schema is text, a number or true/false (or null).
fn is_scalar(doc: &Value, schema: &Value) -> bool {
    let schema = resolve(doc, schema);
    let scalar = |t: &Value| {
        matches!(
            t.as_str(),
            Some("string" | "integer" | "number" | "boolean")
        )
    };
    match &schema["type"] {
        Value::String(_) => scalar(&schema["type"]),
        Value::Array(types) => {
            types.iter().any(scalar) && types.iter().all(|t| t == "null" || scalar(t))
        }
        _ => schema["oneOf"].as_array().is_some_and(|items| {
            items.iter().any(|i| is_scalar(doc, i))
                && items
                    .iter()
                    .all(|i| i["type"] == "null" || is_scalar(doc, i))
        }),
    }
}

/// The documented bodies are the ones the handlers read: every text, number or
/// true/false field a body's schema lists, sent as an object, is refused (never taken,
/// never a 5xx), and a 422 names it, in the handler's words or the body reader's.
#[tokio::test]
async fn every_documented_body_field_is_read_and_a_wrong_type_is_named() {
    let (app, contact, before) = setup().await;
    let doc = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .body;
    let mut named = 0;
    for (method, path, op) in operations(&app).await {
        let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else {
            continue;
        };
        let schema = resolve(&doc, schema);
        let properties = schema["properties"]
            .as_object()
            .expect("a body schema lists its fields");
        let uri = concrete(&app, &path, contact);
        for (field, property) in properties {
            if !is_scalar(&doc, property) {
                continue;
            }
            let body = json!({ field.as_str(): {"nested": [1]} });
            let r = raw(
                &app,
                method.clone(),
                &uri,
                Some("application/json"),
                Body::from(body.to_string()),
            )
            .await;
            let what = format!("{method} {path} with {body}");
            assert!(
                r.status.is_client_error(),
                "{what}: {} {}",
                r.status,
                r.text
            );
            if r.status == StatusCode::UNPROCESSABLE_ENTITY {
                let in_attributes = r.body["attributes"]
                    .as_array()
                    .is_some_and(|a| a.contains(&json!(field)));
                let in_words = r.body["error"]
                    .as_str()
                    .is_some_and(|e| e.contains(&format!("'{field}'")));
                assert!(
                    in_attributes || in_words,
                    "{what}: the answer names the field: {}",
                    r.text
                );
                assert!(
                    !r.text.contains("invalid type"),
                    "{what}: serde's words: {}",
                    r.text
                );
                named += 1;
            }
        }
    }
    assert!(named >= 40, "fields checked: {named}");
    assert_eq!(common_snapshot(&app).await, before, "nothing was stored");
}

#[tokio::test]
async fn a_control_character_in_a_query_parameter_is_a_422_and_never_a_5xx() {
    let (app, contact, _) = setup().await;
    let mut with_query = 0;
    for (method, path, op) in operations(&app).await {
        // These end the token the loop signs its calls with; they read no query.
        if path.ends_with("/sign_out") || path.ends_with("/reset_access_token") {
            continue;
        }
        let takes_query = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        let uri = format!(
            "{}?q=a%00b&labels[]=vip%01&page=1",
            concrete(&app, &path, contact)
        );
        let r = raw(
            &app,
            method.clone(),
            &uri,
            Some("application/json"),
            Body::from("{}"),
        )
        .await;
        let what = format!("{method} {path}");
        assert!(!r.status.is_server_error(), "{what}: {}", r.text);
        assert!(
            r.body.is_object() || r.text.is_empty() || r.status.is_success(),
            "{what}: {}",
            r.text
        );
        if takes_query {
            assert_json_error(
                &r,
                StatusCode::UNPROCESSABLE_ENTITY,
                "contains a control character (U+0000)",
                &what,
            );
            with_query += 1;
        }
    }
    assert!(
        with_query >= 3,
        "routes with query parameters: {with_query}"
    );
    // The search that was a 500.
    let r = app.get("/contacts/search?q=a%00b").await;
    assert_json_error(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "The parameter 'q' contains a control character (U+0000)",
        "search",
    );
}

#[tokio::test]
async fn a_method_a_route_does_not_take_is_a_json_405() {
    let (app, contact, _) = setup().await;
    let ops = operations(&app).await;
    let mut paths: Vec<&String> = ops.iter().map(|(_, p, _)| p).collect();
    paths.dedup();
    let mut checked = 0;
    for path in paths {
        let taken: Vec<&Method> = ops
            .iter()
            .filter(|(_, p, _)| p == path)
            .map(|(m, _, _)| m)
            .collect();
        let Some(other) = [
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
            Method::POST,
            Method::GET,
        ]
        .into_iter()
        .find(|m| !taken.contains(&m)) else {
            continue;
        };
        let r = raw(
            &app,
            other.clone(),
            &concrete(&app, path, contact),
            None,
            Body::empty(),
        )
        .await;
        assert_json_error(
            &r,
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("This address does not take {other} requests"),
            path,
        );
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_json_413_with_or_without_its_length() {
    let (app, _, before) = setup().await;
    let big = format!(
        "{{\"name\": \"{}\"}}",
        "x".repeat(novatalks_server::MAX_BODY_BYTES + 10)
    );
    // Announced: the limit layer refuses before reading.
    let req = Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/contacts"))
        .header("api_access_token", &app.a.token)
        .header("content-type", "application/json")
        .header("content-length", big.len())
        .body(Body::from(big.clone()))
        .expect("request");
    let r = app.send(req).await;
    assert_json_error(
        &r,
        StatusCode::PAYLOAD_TOO_LARGE,
        "larger than the limit of 1048576 bytes",
        "announced",
    );
    // Streamed without a length: refused while reading.
    let stream = futures_stream(big);
    let req = Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/contacts"))
        .header("api_access_token", &app.a.token)
        .header("content-type", "application/json")
        .body(stream)
        .expect("request");
    let r = app.send(req).await;
    assert_json_error(
        &r,
        StatusCode::PAYLOAD_TOO_LARGE,
        "larger than the limit",
        "streamed",
    );
    assert_eq!(common_snapshot(&app).await, before);
}

/// A body of unknown length (no size hint), as a chunked upload.
fn futures_stream(text: String) -> Body {
    let chunks: Vec<Result<axum::body::Bytes, std::io::Error>> = text
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(axum::body::Bytes::copy_from_slice(c)))
        .collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn an_address_too_long_is_a_json_414_and_a_wrong_type_says_so_in_words() {
    let (app, _, _) = setup().await;
    let r = app
        .get(&format!("/contacts/search?q={}", "a".repeat(9_000)))
        .await;
    assert_json_error(
        &r,
        StatusCode::URI_TOO_LONG,
        "The address is longer than 8192 bytes",
        "414",
    );

    let r = app
        .post("/contacts", json!({"name": {"first": "Olena"}}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        !r.text.contains("invalid type"),
        "serde's words: {}",
        r.text
    );

    let r = raw(
        &app,
        Method::POST,
        &app.a_url("/contacts/filter"),
        Some("application/json"),
        Body::from(r#"{"payload": [{"attribute_key": 5}]}"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let words = r.body["error"].as_str().unwrap_or_default();
    assert!(
        words.starts_with("The field 'payload[0].attribute_key' must be text"),
        "{words}"
    );
    assert!(!words.contains("line 1 column"), "{words}");
}

/// A client that sends half a request head is cut off after the header-read timeout,
/// instead of holding its connection and task forever; a whole request still works, and
/// the request carries the peer's address.
#[tokio::test]
async fn a_half_sent_request_head_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let app = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(novatalks_server::http::serve::serve_with(
        listener,
        app.app.clone(),
        async {
            let _ = stopped.await;
        },
        std::time::Duration::from_millis(300),
    ));

    let mut slow = tokio::net::TcpStream::connect(addr).await.expect("connect");
    slow.write_all(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let mut answer = Vec::new();
    // Closed by the server (generous bound; the timeout is 300 ms).
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        slow.read_to_end(&mut answer),
    )
    .await
    .expect("the server closes a half-sent request")
    .ok();

    let mut whole = tokio::net::TcpStream::connect(addr).await.expect("connect");
    whole
        .write_all(b"GET /api/v1/nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut answer = String::new();
    whole.read_to_string(&mut answer).await.expect("read");
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    assert!(answer.contains("Resource could not be found"), "{answer}");

    stop.send(()).expect("stop");
    server.await.expect("join").expect("server ends cleanly");
}
