//! Custom attribute definitions, and contact values checked against them.

mod common;
mod writes;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use writes::db_snapshot;

fn keys(body: &Value) -> Vec<String> {
    body.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d["attribute_key"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn definitions_are_listed_as_a_bare_array() {
    let app = TestApp::new().await;
    let r = app
        .get("/custom_attribute_definitions?attribute_model=contact_attribute")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        keys(&r.body),
        [
            "account_manager",
            "discount",
            "lifetime_value",
            "newsletter",
            "order_count",
            "plan",
            "renewal_date",
            "tax_id",
            "website"
        ]
    );
    let plan = r
        .body
        .as_array()
        .and_then(|a| a.iter().find(|d| d["attribute_key"] == "plan"))
        .expect("plan")
        .clone();
    let id = plan["id"].as_i64().expect("id");
    // ISO 8601 times, as Chatwoot's view renders them (never changed: updated as made).
    let created_at = plan["created_at"].as_str().expect("created_at").to_owned();
    assert!(created_at.ends_with(".000Z"), "{created_at}");
    assert_eq!(
        plan,
        json!({"id": id, "attribute_key": "plan", "attribute_display_name": "Plan", "attribute_display_type": "list",
               "attribute_values": ["free", "basic", "gold", "platinum"], "attribute_model": "contact_attribute",
               "regex_pattern": null, "regex_cue": null, "attribute_description": null, "default_value": null,
               "created_at": created_at, "updated_at": created_at})
    );
    // Chatwoot's enum number and no model at all work too.
    assert_eq!(
        keys(
            &app.get("/custom_attribute_definitions?attribute_model=1")
                .await
                .body
        )
        .len(),
        9
    );
    assert_eq!(
        keys(&app.get("/custom_attribute_definitions").await.body).len(),
        9
    );
    assert_eq!(
        keys(
            &app.get("/custom_attribute_definitions?attribute_model=conversation_attribute")
                .await
                .body
        )
        .len(),
        0
    );

    let r = app
        .get("/custom_attribute_definitions?attribute_model=people")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["error"],
        "attribute_model 'people' is not one of contact_attribute, conversation_attribute, company_attribute"
    );
}

#[tokio::test]
async fn a_new_definition_is_answered_listed_and_types_contact_values() {
    let app = TestApp::new().await;
    let r = app
        .post(
            "/custom_attribute_definitions",
            json!({"attribute_key": "tier", "attribute_display_name": " Tier ", "attribute_display_type": "list",
                   "attribute_values": ["bronze", "silver", " bronze "], "attribute_description": "Loyalty tier"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = r.body["id"].as_i64().expect("id");
    assert_eq!(r.body["attribute_key"], "tier");
    assert_eq!(r.body["attribute_display_name"], "Tier");
    assert_eq!(r.body["attribute_values"], json!(["bronze", "silver"]));
    assert_eq!(
        r.body["attribute_model"], "contact_attribute",
        "contact attributes by default"
    );
    assert_eq!(r.body["attribute_description"], "Loyalty tier");
    assert!(r.body["created_at"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    assert!(keys(
        &app.get("/custom_attribute_definitions?attribute_model=contact_attribute")
            .await
            .body
    )
    .contains(&"tier".to_owned()));

    // Chatwoot's dashboard wraps the definition; a pattern with its cue.
    let r = app
        .post(
            "/custom_attribute_definitions",
            json!({"custom_attribute_definition": {"attribute_key": "vat_no", "attribute_display_name": "VAT",
                   "attribute_display_type": "text", "regex_pattern": "^[A-Z]{2}[0-9]+$", "regex_cue": "Like DE123456"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["regex_pattern"], "^[A-Z]{2}[0-9]+$");
    assert_ne!(r.body["id"], id);

    let contact = app
        .post("/contacts", json!({"custom_attributes": {"tier": "gold"}}))
        .await;
    assert_eq!(contact.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        contact.body["message"],
        "Tier must be one of: bronze, silver"
    );
    let contact = app
        .post("/contacts", json!({"custom_attributes": {"vat_no": "de1"}}))
        .await;
    assert_eq!(
        contact.body["message"], "Like DE123456",
        "the cue tells the person what is expected"
    );
    let contact = app
        .post(
            "/contacts",
            json!({"custom_attributes": {"tier": "silver", "vat_no": "DE1234"}}),
        )
        .await;
    assert_eq!(contact.status, StatusCode::OK, "{}", contact.text);
    assert_eq!(
        contact.body["payload"]["contact"]["custom_attributes"],
        json!({"tier": "silver", "vat_no": "DE1234"})
    );
}

#[tokio::test]
async fn a_bad_definition_is_a_422_saying_what_is_wrong_and_nothing_is_made() {
    let app = TestApp::new().await;
    let before = db_snapshot(&app.db).await;
    let base = json!({"attribute_key": "ok_key", "attribute_display_name": "OK", "attribute_display_type": "text"});
    let with = |patch: Value| {
        let mut body = base.clone();
        if let (Some(b), Some(p)) = (body.as_object_mut(), patch.as_object()) {
            for (k, v) in p {
                b.insert(k.clone(), v.clone());
            }
        }
        body
    };
    let cases = [
        (with(json!({"attribute_key": "Bad Key"})), "attribute_key", "Attribute key 'Bad Key' may only contain letters, digits, '_', '.' and '-'"),
        (with(json!({"attribute_key": "email"})), "attribute_key", "Attribute key 'email' is a standard contact field: choose another key"),
        (with(json!({"attribute_key": "plan"})), "attribute_key", "Attribute key has already been taken"),
        (with(json!({"attribute_key": "k".repeat(65)})), "attribute_key", "Attribute key is too long (maximum is 64 characters)"),
        (with(json!({"attribute_key": null})), "attribute_key", "Attribute key can't be blank"),
        (with(json!({"attribute_display_name": " "})), "attribute_display_name", "Attribute display name can't be blank"),
        (with(json!({"attribute_display_type": "colour"})), "attribute_display_type", "Attribute display type 'colour' is not one of text, number, currency, percent, link, date, list, checkbox"),
        (with(json!({"attribute_display_type": "list"})), "attribute_values", "A list attribute needs at least one value in attribute_values"),
        (with(json!({"attribute_display_type": "list", "attribute_values": "a,b"})), "attribute_values", "Attribute values must be a list of texts"),
        (with(json!({"attribute_display_type": "list", "attribute_values": ["a", 2]})), "attribute_values", "Attribute values must be non-blank texts of up to 255 characters"),
        (with(json!({"attribute_model": "people"})), "attribute_model", "attribute_model 'people' is not one of contact_attribute, conversation_attribute, company_attribute"),
    ];
    for (body, attribute, message) in cases {
        let r = app
            .post("/custom_attribute_definitions", body.clone())
            .await;
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
    let r = app
        .post(
            "/custom_attribute_definitions",
            with(json!({"regex_pattern": "(["})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["attributes"], json!(["regex_pattern"]));
    assert!(r.body["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("Regex pattern is not a valid regular expression")));

    let r = app
        .post(
            "/custom_attribute_definitions",
            json!({"attribute_key": "Bad key", "attribute_display_type": "x"}),
        )
        .await;
    assert_eq!(
        r.body["attributes"],
        json!([
            "attribute_key",
            "attribute_display_name",
            "attribute_display_type"
        ]),
        "all at once"
    );
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn a_stored_pattern_that_does_not_compile_checks_nothing_and_never_panics() {
    let app = TestApp::new().await;
    novatalks_server::db::query(
        "INSERT INTO custom_attribute_definitions (account_id, attribute_key, attribute_display_name,
           attribute_display_type, regex_pattern, created_at) VALUES (?, 'legacy', 'Legacy', 'text', '([', 1)",
    )
    .bind(app.a.account_id)
    .execute(&app.db)
    .await
    .expect("legacy definition");
    let r = app
        .post(
            "/contacts",
            json!({"custom_attributes": {"legacy": "anything"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["payload"]["contact"]["custom_attributes"]["legacy"],
        "anything"
    );
}

#[tokio::test]
async fn only_sent_values_are_checked_so_old_values_do_not_block_changes() {
    let app = TestApp::new().await;
    // A value stored before its definition changed.
    let id = app
        .insert_contact(
            app.a.account_id,
            json!({"custom_attributes": {"plan": "legacy-plan"}}),
        )
        .await;
    let r = app
        .put(
            &format!("/contacts/{id}"),
            json!({"name": "Renamed", "custom_attributes": {"order_count": 2}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["payload"]["custom_attributes"],
        json!({"plan": "legacy-plan", "order_count": 2})
    );
}

#[tokio::test]
async fn definitions_belong_to_their_account() {
    let app = TestApp::new().await;
    let r = app
        .post("/custom_attribute_definitions", json!({"attribute_key": "a_only", "attribute_display_name": "A only", "attribute_display_type": "number"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let b_list = app
        .request(
            Method::GET,
            &app.b_url("/custom_attribute_definitions?attribute_model=contact_attribute"),
            Some(&app.b.token),
            None,
        )
        .await;
    assert_eq!(b_list.status, StatusCode::OK);
    assert!(!keys(&b_list.body).contains(&"a_only".to_owned()));
    // In B, the key has no definition: free text.
    let r = app
        .request(
            Method::POST,
            &app.b_url("/contacts"),
            Some(&app.b.token),
            Some(json!({"custom_attributes": {"a_only": "words"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    for (method, body) in [
        (Method::GET, None),
        (
            Method::POST,
            Some(json!({"attribute_key": "x", "attribute_display_name": "X"})),
        ),
    ] {
        let r = app
            .request(
                method,
                &app.b_url("/custom_attribute_definitions"),
                Some(&app.a.token),
                body,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            r.body["error"],
            "You are not authorized to access this account"
        );
    }
    let r = app
        .request(
            Method::GET,
            &app.a_url("/custom_attribute_definitions"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}
