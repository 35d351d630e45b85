//! Saved segments (`/custom_filters`): CRUD, validation like a filter, private to the
//! agent who saved them, and isolated between accounts.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp};
use serde_json::{json, Value};

fn vip_query() -> Value {
    json!({"payload": [
        {"attribute_key": "labels", "filter_operator": "equal_to", "values": ["vip"], "query_operator": "and"},
        {"attribute_key": "plan", "filter_operator": "equal_to", "values": ["gold"], "query_operator": null,
         "custom_attribute_type": "contact_attribute"}
    ]})
}

fn segment(name: &str, query: Value) -> Value {
    json!({"custom_filter": {"name": name, "filter_type": "contact", "query": query}})
}

async fn create(app: &TestApp, name: &str) -> i64 {
    let reply = app
        .post("/custom_filters", segment(name, vip_query()))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["id"].as_i64().expect("id")
}

/// A second agent of account A, with its token.
async fn second_agent(app: &TestApp) -> String {
    novatalks_server::auth::create_user_with_token(
        &app.db,
        app.a.account_id,
        "Second Agent",
        "second@test.test",
        "password-2",
    )
    .await
    .expect("second user")
    .1
}

/// A request to account A as the agent holding `token`.
async fn as_agent(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Reply {
    app.request(method, &app.a_url(path), Some(token), body)
        .await
}

fn names(reply: &Reply) -> Vec<String> {
    reply
        .body
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_segment_is_saved_listed_read_changed_and_deleted() {
    let app = TestApp::new().await;
    let before = novatalks_server::db::now();
    let reply = app
        .post("/custom_filters", segment("  VIP on gold  ", vip_query()))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let saved = reply.body.clone();
    let id = saved["id"].as_i64().unwrap();
    assert_eq!(saved["name"], "VIP on gold", "trimmed");
    assert_eq!(saved["filter_type"], "contact");
    assert_eq!(
        saved["query"],
        vip_query(),
        "the query comes back as it was sent"
    );
    // ISO 8601, as Chatwoot's view renders a time.
    let created_at =
        chrono::DateTime::parse_from_rfc3339(saved["created_at"].as_str().expect("a date-time"))
            .expect("ISO 8601")
            .timestamp();
    assert!(created_at >= before);
    assert_eq!(saved["updated_at"], saved["created_at"]);

    let list = app.get("/custom_filters?filter_type=contact").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body, json!([saved.clone()]), "a bare array");
    // As in Chatwoot, a list without filter_type is of conversation filters: none here.
    assert_eq!(app.get("/custom_filters").await.body, json!([]));
    assert_eq!(
        app.get("/custom_filters?filter_type=report").await.body,
        json!([])
    );

    let shown = app.get(&format!("/custom_filters/{id}")).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.body, saved);

    let renamed = app
        .patch(
            &format!("/custom_filters/{id}"),
            json!({"custom_filter": {"name": "Gold VIPs"}}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "Gold VIPs");
    assert_eq!(
        renamed.body["query"],
        vip_query(),
        "what the body leaves out stays"
    );

    let new_query = json!({"payload": [{"attribute_key": "email", "filter_operator": "is_present", "values": [], "query_operator": null}]});
    let requeried = app
        .patch(
            &format!("/custom_filters/{id}"),
            json!({"custom_filter": {"query": new_query}}),
        )
        .await;
    assert_eq!(requeried.status, StatusCode::OK, "{}", requeried.text);
    assert_eq!(requeried.body["name"], "Gold VIPs");
    assert_eq!(requeried.body["query"], new_query);

    let put = app
        .put(
            &format!("/custom_filters/{id}"),
            json!({"custom_filter": {"name": "With email"}}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    assert_eq!(
        app.get(&format!("/custom_filters/{id}")).await.body["name"],
        "With email"
    );

    let deleted = app.delete(&format!("/custom_filters/{id}")).await;
    // Chatwoot's custom_filters_controller_spec.rb "deletes custom filter if it is
    // attached to the current user and account": 204, no body.
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(deleted.text, "", "204 with no body");
    assert_eq!(
        app.get(&format!("/custom_filters/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&format!("/custom_filters/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/custom_filters?filter_type=contact").await.body,
        json!([])
    );
}

#[tokio::test]
async fn a_saved_query_filters_contacts() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let gold_vip = app
        .insert_contact(
            a,
            json!({"name": "Gold VIP", "custom_attributes": {"plan": "gold"}}),
        )
        .await;
    let gold = app
        .insert_contact(
            a,
            json!({"name": "Gold", "custom_attributes": {"plan": "gold"}}),
        )
        .await;
    app.label_contact(a, gold_vip, &["vip"]).await;
    app.label_contact(a, gold, &["lead"]).await;
    let id = create(&app, "VIP on gold").await;

    let saved = app.get(&format!("/custom_filters/{id}")).await;
    let reply = app
        .post("/contacts/filter", saved.body["query"].clone())
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(TestApp::ids(&reply), [gold_vip]);
}

#[tokio::test]
async fn a_chatwoot_style_bare_body_is_accepted_too() {
    let app = TestApp::new().await;
    let reply = app
        .post(
            "/custom_filters",
            json!({"name": "Bare", "filter_type": "contact", "query": vip_query()}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["name"], "Bare");
    let no_type = app
        .post(
            "/custom_filters",
            json!({"custom_filter": {"name": "No type", "query": vip_query()}}),
        )
        .await;
    assert_eq!(no_type.status, StatusCode::OK, "{}", no_type.text);
    // Chatwoot's default type (its column default) is conversation.
    assert_eq!(no_type.body["filter_type"], "conversation");
}

#[tokio::test]
async fn wrong_segments_are_refused_and_nothing_is_saved() {
    let app = TestApp::new().await;

    let blank = app
        .post("/custom_filters", segment("   ", vip_query()))
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        blank.body,
        json!({"message": "Name can't be blank", "attributes": ["name"]})
    );
    let missing = app
        .post(
            "/custom_filters",
            json!({"custom_filter": {"filter_type": "contact", "query": vip_query()}}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["attributes"], json!(["name"]));
    let long = app
        .post("/custom_filters", segment(&"n".repeat(101), vip_query()))
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        long.body["message"],
        "Name is too long (at most 100 characters)"
    );
    assert_eq!(
        app.post("/custom_filters", segment(&"n".repeat(100), vip_query()))
            .await
            .status,
        StatusCode::OK
    );

    let conversation = app
        .post(
            "/custom_filters",
            json!({"custom_filter": {"name": "", "filter_type": "report", "query": vip_query()}}),
        )
        .await;
    assert_eq!(conversation.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        conversation.body["attributes"],
        json!(["name", "filter_type"]),
        "every problem at once"
    );

    let bad_query = json!({"payload": [
        {"attribute_key": "name", "filter_operator": "is_present", "values": [], "query_operator": "and"},
        {"attribute_key": "created_at", "filter_operator": "is_greater_than", "values": ["2024-13-01"], "query_operator": null}
    ]});
    let reply = app
        .post("/custom_filters", segment("Bad", bad_query.clone()))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.body["error"],
        "Condition 2 (created_at is_greater_than): '2024-13-01' is not a date (use YYYY-MM-DD)"
    );
    let reply = app
        .post(
            "/custom_filters",
            json!({"custom_filter": {"name": "No query", "filter_type": "contact"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.body["error"],
        "Add at least one condition to filter by"
    );
    let reply = app.post("/custom_filters", segment("Unknown", json!({"payload": [
        {"attribute_key": "shoe_size", "filter_operator": "equal_to", "values": ["42"], "query_operator": null}]}))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body["error"]
        .as_str()
        .unwrap()
        .starts_with("Condition 1: 'shoe_size' is not a filterable attribute"));
    let reply = app
        .post(
            "/custom_filters",
            segment("Wrong shape", json!({"payload": "labels"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body["error"].is_string(), "{}", reply.text);

    let req = Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/custom_filters"))
        .header("api_access_token", &app.a.token)
        .header("content-type", "application/json")
        .body(Body::from("{\"custom_filter\": {"))
        .unwrap();
    let reply = app.send(req).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["error"].is_string());

    // Only the one valid save above went through.
    let list = app.get("/custom_filters?filter_type=contact").await;
    assert_eq!(list.body.as_array().map(Vec::len), Some(1), "{}", list.text);

    // A change is checked the same way and leaves the segment as it was when refused.
    let id = create(&app, "Keep me").await;
    let reply = app
        .patch(
            &format!("/custom_filters/{id}"),
            json!({"custom_filter": {"name": "", "query": vip_query()}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = app
        .patch(
            &format!("/custom_filters/{id}"),
            json!({"custom_filter": {"name": "Renamed", "query": bad_query}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = app
        .patch(
            &format!("/custom_filters/{id}"),
            json!({"custom_filter": {"filter_type": "report"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let kept = app.get(&format!("/custom_filters/{id}")).await;
    assert_eq!(kept.body["name"], "Keep me");
    assert_eq!(kept.body["query"], vip_query());

    let reply = app.get("/custom_filters?filter_type=everything").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.body["error"],
        "filter_type must be one of conversation, contact, report, not 'everything'"
    );
    assert_eq!(
        app.get("/custom_filters/abc").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_agent_keeps_at_most_a_thousand_segments() {
    let app = TestApp::new().await;
    // 999 straight in the database, the thousandth through the API.
    novatalks_server::db::query(
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 999)
         INSERT INTO custom_filters (account_id, user_id, name, filter_type, query, created_at, updated_at)
         SELECT ?, ?, 'Segment ' || n, 'contact', '{\"payload\":[]}', 1000, 1000 FROM g",
    )
    .bind(app.a.account_id)
    .bind(app.a.user_id)
    .execute(&app.db)
    .await
    .expect("999 segments");
    create(&app, "Segment 1000").await;
    let reply = app
        .post("/custom_filters", segment("One too many", vip_query()))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.body["message"],
        "Account Limit reached. The maximum number of allowed custom filters for a user per account is 1000. Delete a saved segment first."
    );
    // The cap is per agent: a colleague still can.
    let token = second_agent(&app).await;
    let reply = app
        .request(
            Method::POST,
            &app.a_url("/custom_filters"),
            Some(&token),
            Some(segment("Mine", vip_query())),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

#[tokio::test]
async fn segments_are_private_to_the_agent_who_saved_them() {
    let app = TestApp::new().await;
    let mine = create(&app, "Mine").await;
    let token = second_agent(&app).await;
    let theirs = app
        .request(
            Method::POST,
            &app.a_url("/custom_filters"),
            Some(&token),
            Some(segment("Theirs", vip_query())),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.text);
    let theirs = theirs.body["id"].as_i64().unwrap();

    assert_eq!(
        names(&app.get("/custom_filters?filter_type=contact").await),
        ["Mine"]
    );
    assert_eq!(
        names(
            &as_agent(
                &app,
                &token,
                Method::GET,
                "/custom_filters?filter_type=contact",
                None
            )
            .await
        ),
        ["Theirs"]
    );

    // Another agent's segment is not found, whatever is done to it.
    let path = format!("/custom_filters/{mine}");
    assert_eq!(
        as_agent(&app, &token, Method::GET, &path, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let reply = as_agent(
        &app,
        &token,
        Method::PATCH,
        &path,
        Some(json!({"custom_filter": {"name": "Stolen"}})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body, json!({"error": "Resource could not be found"}));
    assert_eq!(
        as_agent(&app, &token, Method::DELETE, &path, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/custom_filters/{theirs}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&format!("/custom_filters/{theirs}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let still = app.get(&format!("/custom_filters/{mine}")).await;
    assert_eq!(still.body["name"], "Mine");
}

#[tokio::test]
async fn another_account_never_sees_or_touches_a_segment() {
    let app = TestApp::new().await;
    let mine = create(&app, "Mine").await;
    let b_token = app.b.token.clone();

    // B's agent, in B's account: A's segment does not exist there.
    let b_get = app
        .request(
            Method::GET,
            &app.b_url(&format!("/custom_filters/{mine}")),
            Some(&b_token),
            None,
        )
        .await;
    assert_eq!(b_get.status, StatusCode::NOT_FOUND);
    let b_patch = app
        .request(
            Method::PATCH,
            &app.b_url(&format!("/custom_filters/{mine}")),
            Some(&b_token),
            Some(json!({"custom_filter": {"name": "x"}})),
        )
        .await;
    assert_eq!(b_patch.status, StatusCode::NOT_FOUND);
    let b_delete = app
        .request(
            Method::DELETE,
            &app.b_url(&format!("/custom_filters/{mine}")),
            Some(&b_token),
            None,
        )
        .await;
    assert_eq!(b_delete.status, StatusCode::NOT_FOUND);
    let b_list = app
        .request(
            Method::GET,
            &app.b_url("/custom_filters?filter_type=contact"),
            Some(&b_token),
            None,
        )
        .await;
    assert_eq!(b_list.body, json!([]));

    // A's agent on B's account: not a member.
    let reply = app
        .request(
            Method::GET,
            &app.b_url("/custom_filters?filter_type=contact"),
            Some(&app.a.token),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.body["error"],
        "You are not authorized to access this account"
    );
    let reply = app
        .request(
            Method::POST,
            &app.b_url("/custom_filters"),
            Some(&app.a.token),
            Some(segment("Sneaky", vip_query())),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = app
        .request(Method::GET, &app.a_url("/custom_filters"), None, None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body["error"], "Invalid Access Token");

    // B's own custom attribute keys are unknown in A's segments.
    novatalks_server::db::query(
        "INSERT INTO custom_attribute_definitions (account_id, attribute_key, attribute_display_name, attribute_display_type, created_at)
         VALUES (?, 'b_only', 'B only', 'text', 0)",
    )
    .bind(app.b.account_id)
    .execute(&app.db)
    .await
    .unwrap();
    let reply = app
        .post("/custom_filters", segment("B's key", json!({"payload": [
            {"attribute_key": "b_only", "filter_operator": "is_present", "values": [], "query_operator": null}]})))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = app
        .request(Method::POST, &app.b_url("/custom_filters"), Some(&b_token), Some(segment("B's key", json!({"payload": [
            {"attribute_key": "b_only", "filter_operator": "is_present", "values": [], "query_operator": null}]}))))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "B may use its own key: {}",
        reply.text
    );
}
