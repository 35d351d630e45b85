//! One contact: create, show, update, delete, destroy custom attributes.

mod common;
mod writes;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use writes::{add_conversation, add_note, count_for, db_snapshot};

const NOT_FOUND: &str = "Resource could not be found";

async fn contact_count(app: &TestApp, account_id: i64) -> i64 {
    novatalks_server::db::query_scalar("SELECT count(*) FROM contacts WHERE account_id = ?")
        .bind(account_id)
        .fetch_one(&app.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn create_answers_the_contact_with_normalised_fields() {
    let app = TestApp::new().await;
    let r = app
        .post(
            "/contacts",
            json!({
                "name": "  Olena Kovalenko ",
                "email": "  Olena@Example.COM ",
                "phone_number": "050-123-4567",
                "identifier": "crm-8812",
                "additional_attributes": {"city": "Kyiv", "language": "uk"},
                "custom_attributes": {"plan": "gold", "order_count": "5", "newsletter": "true", "renewal_date": "2026-12-01"},
                "avatar_url": "ignored: unknown keys are left alone"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["payload"]["contact_inbox"], Value::Null);
    let c = &r.body["payload"]["contact"];
    assert_eq!(c["name"], "Olena Kovalenko");
    assert_eq!(c["email"], "olena@example.com");
    assert_eq!(
        c["phone_number"], "+380501234567",
        "national format read in the account's country (UA)"
    );
    assert_eq!(c["identifier"], "crm-8812");
    assert_eq!(
        c["additional_attributes"],
        json!({"city": "Kyiv", "language": "uk"})
    );
    assert_eq!(
        c["custom_attributes"],
        json!({"plan": "gold", "order_count": 5, "newsletter": true, "renewal_date": "2026-12-01"}),
        "values are stored typed by their definitions"
    );
    assert_eq!(c["blocked"], false);
    assert_eq!(c["labels"], json!([]));
    assert_eq!(c["conversations_count"], 0);
    assert!(c.get("last_activity_at").is_none());
    assert!(c["created_at"].as_i64().is_some());

    let id = c["id"].as_i64().expect("id");
    let shown = app.get(&format!("/contacts/{id}")).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(
        &shown.body["payload"], c,
        "show answers what create answered"
    );
}

#[tokio::test]
async fn an_empty_contact_can_be_created_as_chatwoot_allows() {
    let app = TestApp::new().await;
    let r = app.post("/contacts", json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let c = &r.body["payload"]["contact"];
    assert_eq!(
        (
            c["name"].clone(),
            c["email"].clone(),
            c["phone_number"].clone()
        ),
        (json!(""), Value::Null, Value::Null),
        "a nameless contact's name is \"\" as in Chatwoot"
    );
}

#[tokio::test]
async fn national_phones_are_read_in_the_contacts_country_else_the_accounts() {
    let app = TestApp::new().await;
    let gb = app
        .post("/contacts", json!({"phone_number": "07911 123456", "additional_attributes": {"country_code": "GB"}}))
        .await;
    assert_eq!(gb.status, StatusCode::OK, "{}", gb.text);
    assert_eq!(
        gb.body["payload"]["contact"]["phone_number"],
        "+447911123456"
    );

    let intl = app
        .post("/contacts", json!({"phone_number": "00380 50 765 43 21"}))
        .await;
    assert_eq!(
        intl.body["payload"]["contact"]["phone_number"],
        "+380507654321"
    );

    novatalks_server::db::query("UPDATE accounts SET default_country_code = 'DE' WHERE id = ?")
        .bind(app.a.account_id)
        .execute(&app.db)
        .await
        .expect("set default country");
    let de = app
        .post("/contacts", json!({"phone_number": "0151 12345678"}))
        .await;
    assert_eq!(de.status, StatusCode::OK, "{}", de.text);
    assert_eq!(
        de.body["payload"]["contact"]["phone_number"],
        "+4915112345678"
    );

    // An update reads a new national number in the contact's stored country.
    let id = gb.body["payload"]["contact"]["id"].as_i64().expect("id");
    let r = app
        .put(
            &format!("/contacts/{id}"),
            json!({"phone_number": "07824 123456"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["payload"]["phone_number"], "+447824123456");
}

#[tokio::test]
async fn malformed_bodies_are_json_4xx_and_create_nothing() {
    let app = TestApp::new().await;
    let raw = Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/contacts"))
        .header("api_access_token", &app.a.token)
        .header("content-type", "application/json")
        .body(Body::from("{\"name\": \"Olena\""))
        .expect("request");
    let r = app.send(raw).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body["error"],
        "The request body is not valid JSON (line 1, column 16)"
    );

    let r = app.post("/contacts", json!(["Olena"])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["error"],
        "The request body must be a JSON object ({\"field\": value, …}), not a list"
    );

    let no_type = Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/contacts"))
        .header("api_access_token", &app.a.token)
        .body(Body::from("{}"))
        .expect("request");
    let r = app.send(no_type).await;
    assert!(r.status.is_client_error());
    assert!(r.body["error"].is_string(), "{}", r.text);
    assert_eq!(contact_count(&app, app.a.account_id).await, 0);
}

#[tokio::test]
async fn each_invalid_field_is_a_422_naming_it_and_nothing_is_written() {
    let app = TestApp::new().await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({"email": 5}), "email", "Email must be text"),
        (json!({"email": "olena@"}), "email", "Email is invalid"),
        (json!({"email": "olena example@x.com"}), "email", "Email is invalid"),
        (json!({"name": "x".repeat(300)}), "name", "Name is too long (maximum is 255 characters)"),
        (json!({"name": ["Olena"]}), "name", "Name must be text"),
        (json!({"identifier": "i".repeat(256)}), "identifier", "Identifier is too long (maximum is 255 characters)"),
        (
            json!({"phone_number": "12"}),
            "phone_number",
            "Phone number '12' is not a valid phone number: write it with its country code, e.g. +380501234567",
        ),
        (json!({"phone_number": 380501234567_i64}), "phone_number", "Phone number must be text"),
        (json!({"additional_attributes": "Kyiv"}), "additional_attributes", "Additional attributes must be a JSON object"),
        (json!({"custom_attributes": [1]}), "custom_attributes", "Custom attributes must be a JSON object"),
        (json!({"custom_attributes": {"plan": "diamond"}}), "custom_attributes", "Plan must be one of: free, basic, gold, platinum"),
        (json!({"custom_attributes": {"order_count": "many"}}), "custom_attributes", "Orders must be a number"),
        (json!({"custom_attributes": {"renewal_date": "01.12.2026"}}), "custom_attributes", "Renewal date must be a date written YYYY-MM-DD"),
        (json!({"custom_attributes": {"website": "ftp://x.com"}}), "custom_attributes", "Website must be a link starting with http:// or https://"),
        (json!({"custom_attributes": {"newsletter": "yes"}}), "custom_attributes", "Newsletter must be true or false"),
        (json!({"custom_attributes": {"tax_id": "12"}}), "custom_attributes", "Tax ID is not in the expected format"),
        (json!({"custom_attributes": {"free_key": {"nested": 1}}}), "custom_attributes", "Custom attribute 'free_key' must be text, a number or true/false"),
        (json!({"blocked": "yes"}), "blocked", "Blocked must be true or false"),
    ];
    for (body, attribute, message) in cases {
        let r = app.post("/contacts", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert_eq!(r.body["attributes"], json!([attribute]), "{body}");
        assert_eq!(r.body["message"], message, "{body}");
    }
    let many_keys: serde_json::Map<String, Value> =
        (0..65).map(|i| (format!("k{i}"), json!(i))).collect();
    let r = app
        .post("/contacts", json!({"additional_attributes": many_keys}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["message"],
        "Additional attributes can hold at most 64 keys"
    );
    let r = app
        .post(
            "/contacts",
            json!({"additional_attributes": {"bio": "x".repeat(5000)}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["attributes"], json!(["additional_attributes"]));
    assert_eq!(contact_count(&app, app.a.account_id).await, 0);
}

#[tokio::test]
async fn several_problems_are_answered_together() {
    let app = TestApp::new().await;
    let r = app
        .post("/contacts", json!({"name": "Olena", "email": "nope", "phone_number": "12", "blocked_until": "soon"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["attributes"],
        json!(["blocked_until", "email", "phone_number"])
    );
    let message = r.body["message"].as_str().expect("message");
    assert!(
        message.contains("Email is invalid, Phone number '12' is not a valid phone number"),
        "{message}"
    );
    assert!(
        message.starts_with("Blocked until must be a Unix time"),
        "{message}"
    );
    assert_eq!(contact_count(&app, app.a.account_id).await, 0);
}

#[tokio::test]
async fn markup_and_sql_in_values_are_stored_verbatim_as_plain_strings() {
    let app = TestApp::new().await;
    let script = "<script>alert('x')</script>";
    let sql = "'; DROP TABLE contacts;--";
    let r = app
        .post(
            "/contacts",
            json!({"name": script, "identifier": sql, "additional_attributes": {"city": sql},
                   "custom_attributes": {"account_manager": script, "note": sql}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = r.body["payload"]["contact"]["id"].as_i64().expect("id");
    let shown = app.get(&format!("/contacts/{id}")).await;
    let c = &shown.body["payload"];
    assert_eq!(c["name"], script);
    assert_eq!(c["identifier"], sql);
    assert_eq!(c["additional_attributes"]["city"], sql);
    assert_eq!(
        c["custom_attributes"],
        json!({"account_manager": script, "note": sql})
    );
    assert_eq!(
        contact_count(&app, app.a.account_id).await,
        1,
        "the table is still there"
    );

    // Updating with them works the same.
    let r = app
        .put(&format!("/contacts/{id}"), json!({"name": sql}))
        .await;
    assert_eq!(r.body["payload"]["name"], sql);
}

#[tokio::test]
async fn a_taken_email_phone_or_identifier_is_a_422_naming_the_holder() {
    let app = TestApp::new().await;
    let holder = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Olena", "email": "olena@example.com", "phone_number": "+380501234567", "identifier": "crm-1"}),
        )
        .await;

    let r = app
        .post("/contacts", json!({"email": "OLENA@Example.com"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body,
        json!({"message": "Email has already been taken", "attributes": ["email"], "conflict_contact_id": holder})
    );

    let r = app
        .post("/contacts", json!({"phone_number": "+380 (50) 123-45-67"}))
        .await;
    assert_eq!(r.body["message"], "Phone number has already been taken");
    assert_eq!(r.body["attributes"], json!(["phone_number"]));
    assert_eq!(r.body["conflict_contact_id"], holder);

    let r = app.post("/contacts", json!({"identifier": "crm-1"})).await;
    assert_eq!(r.body["message"], "Identifier has already been taken");
    let r = app.post("/contacts", json!({"identifier": "CRM-1"})).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "identifiers are case-sensitive: {}",
        r.text
    );

    let r = app
        .post("/contacts", json!({"email": "olena@example.com", "phone_number": "0501234567", "name": "x".repeat(256)}))
        .await;
    assert_eq!(
        r.body["attributes"],
        json!(["name", "email", "phone_number"])
    );
    assert_eq!(
        r.body["message"],
        "Name is too long (maximum is 255 characters), Email has already been taken, Phone number has already been taken"
    );
    assert_eq!(contact_count(&app, app.a.account_id).await, 2);

    // Another account may hold the same values.
    let r = app
        .request(
            Method::POST,
            &app.b_url("/contacts"),
            Some(&app.b.token),
            Some(json!({"email": "olena@example.com", "phone_number": "+380501234567", "identifier": "crm-1"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn update_changes_only_what_is_sent_and_merges_attribute_maps() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Olena", "email": "olena@example.com", "phone_number": "+380501234567",
                   "additional_attributes": {"city": "Kyiv", "language": "uk"},
                   "custom_attributes": {"plan": "gold"}}),
        )
        .await;
    let r = app
        .put(
            &format!("/contacts/{id}"),
            json!({"additional_attributes": {"city": "Lviv", "company_name": "Nova"},
                   "custom_attributes": {"order_count": 3}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let c = &r.body["payload"];
    assert_eq!(c["name"], "Olena");
    assert_eq!(c["email"], "olena@example.com");
    assert_eq!(c["phone_number"], "+380501234567");
    assert_eq!(
        c["additional_attributes"],
        json!({"city": "Lviv", "language": "uk", "company_name": "Nova"})
    );
    assert_eq!(
        c["custom_attributes"],
        json!({"plan": "gold", "order_count": 3})
    );
    let updated_at: i64 =
        novatalks_server::db::query_scalar("SELECT updated_at FROM contacts WHERE id = ?")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .expect("updated_at");
    assert!(
        updated_at > 1_700_000_000,
        "updated_at is set by the update"
    );

    let r = app
        .patch(
            &format!("/contacts/{id}"),
            json!({"name": "Olena K.", "email": null, "identifier": "  "}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["payload"]["name"], "Olena K.");
    assert_eq!(r.body["payload"]["email"], Value::Null, "null clears");
    assert_eq!(
        r.body["payload"]["identifier"],
        Value::Null,
        "blank is null"
    );
    assert_eq!(r.body["payload"]["phone_number"], "+380501234567");
    assert_eq!(
        r.body["payload"]["custom_attributes"],
        json!({"plan": "gold", "order_count": 3})
    );

    // A contact may keep its own unique values.
    let r = app
        .put(
            &format!("/contacts/{id}"),
            json!({"phone_number": "+380501234567"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn a_refused_update_changes_nothing() {
    let app = TestApp::new().await;
    let other = app
        .insert_contact(app.a.account_id, json!({"email": "taken@example.com"}))
        .await;
    let id = app
        .insert_contact(app.a.account_id, json!({"name": "Olena", "email": "olena@example.com", "custom_attributes": {"plan": "gold"}}))
        .await;
    let before = db_snapshot(&app.db).await;
    for body in [
        json!({"name": "New name", "email": "TAKEN@example.com"}),
        json!({"name": "New name", "email": "broken"}),
        json!({"name": "New name", "custom_attributes": {"plan": "diamond"}}),
        json!({"name": "New name", "additional_attributes": []}),
        json!({"name": "New name", "blocked": true, "blocked_until": 5}),
        json!({"name": 42}),
    ] {
        let r = app.put(&format!("/contacts/{id}"), body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
    }
    let r = app
        .put(
            &format!("/contacts/{id}"),
            json!({"email": "Taken@Example.com"}),
        )
        .await;
    assert_eq!(r.body["conflict_contact_id"], other);
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn unknown_negative_and_non_numeric_ids_are_404() {
    let app = TestApp::new().await;
    for path in [
        "/contacts/999999",
        "/contacts/-1",
        "/contacts/0",
        "/contacts/abc",
        "/contacts/1.5",
        "/contacts/99999999999999999999",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.body, json!({"error": NOT_FOUND}), "{path}");
        assert_eq!(
            app.put(path, json!({"name": "x"})).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
        assert_eq!(
            app.patch(path, json!({"name": "x"})).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
        assert_eq!(
            app.delete(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
        let r = app
            .post(
                &format!("{path}/destroy_custom_attributes"),
                json!({"custom_attributes": ["plan"]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn delete_removes_the_contact_with_everything_of_it_and_records_no_merge() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(app.a.account_id, json!({"name": "Olena"}))
        .await;
    let keep = app
        .insert_contact(app.a.account_id, json!({"name": "Other"}))
        .await;
    let (conv, _) = add_conversation(&app, app.a.account_id, id, "src-olena", 2).await;
    add_conversation(&app, app.a.account_id, keep, "src-other", 1).await;
    add_note(&app, app.a.account_id, id, "call after 6").await;
    app.label_contact(app.a.account_id, id, &["vip"]).await;

    let r = app.delete(&format!("/contacts/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text, "", "an empty body");
    assert_eq!(
        app.get(&format!("/contacts/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    for (table, column) in [
        ("conversations", "contact_id"),
        ("notes", "contact_id"),
        ("contact_labels", "contact_id"),
        ("contact_inboxes", "contact_id"),
    ] {
        assert_eq!(count_for(&app.db, table, column, id).await, 0, "{table}");
    }
    assert_eq!(
        count_for(&app.db, "messages", "conversation_id", conv).await,
        0
    );
    let merges: i64 = novatalks_server::db::query_scalar("SELECT count(*) FROM contact_merges")
        .fetch_one(&app.db)
        .await
        .expect("merges");
    assert_eq!(merges, 0);
    assert_eq!(
        app.get(&format!("/contacts/{keep}")).await.body["payload"]["conversations_count"],
        1
    );
    assert_eq!(
        app.delete(&format!("/contacts/{id}")).await.status,
        StatusCode::NOT_FOUND,
        "deleting twice"
    );
}

#[tokio::test]
async fn destroy_custom_attributes_removes_the_keys_named() {
    let app = TestApp::new().await;
    let id = app
        .insert_contact(app.a.account_id, json!({"custom_attributes": {"plan": "gold", "order_count": 3, "tax_id": "UA12345678"}}))
        .await;
    let path = format!("/contacts/{id}/destroy_custom_attributes");
    let r = app
        .post(
            &path,
            json!({"custom_attributes": ["plan", "tax_id", "never_there"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["payload"]["id"], id);
    assert_eq!(
        r.body["payload"]["custom_attributes"],
        json!({"order_count": 3})
    );

    let before = db_snapshot(&app.db).await;
    for body in [
        json!({"custom_attributes": "order_count"}),
        json!({"custom_attributes": [3]}),
        json!({}),
    ] {
        let r = app.post(&path, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(r.body["attributes"], json!(["custom_attributes"]));
    }
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn another_accounts_contacts_cannot_be_read_or_changed() {
    let app = TestApp::new().await;
    let theirs = app
        .insert_contact(app.b.account_id, json!({"name": "Theirs", "email": "theirs@example.com", "custom_attributes": {"plan": "gold"}}))
        .await;
    let before = db_snapshot(&app.db).await;
    let path = format!("/contacts/{theirs}");
    let r = app.get(&path).await;
    assert_eq!(
        (r.status, r.body.clone()),
        (StatusCode::NOT_FOUND, json!({"error": NOT_FOUND}))
    );
    assert_eq!(
        app.put(&path, json!({"name": "Mine now"})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.patch(&path, json!({"name": "Mine now"})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.delete(&path).await.status, StatusCode::NOT_FOUND);
    let r = app
        .post(
            &format!("{path}/destroy_custom_attributes"),
            json!({"custom_attributes": ["plan"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Account B's URLs with account A's token.
    for (method, body) in [
        (Method::GET, None),
        (Method::PUT, Some(json!({"name": "x"}))),
        (Method::DELETE, None),
    ] {
        let r = app
            .request(method.clone(), &app.b_url(&path), Some(&app.a.token), body)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method}");
        assert_eq!(
            r.body,
            json!({"error": "You are not authorized to access this account"})
        );
    }
    let r = app
        .request(
            Method::POST,
            &app.b_url("/contacts"),
            Some(&app.a.token),
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .request(
            Method::POST,
            &app.a_url("/contacts"),
            None,
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body.clone()),
        (
            StatusCode::UNAUTHORIZED,
            json!({"error": "Invalid Access Token"})
        )
    );
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn the_openapi_document_lists_the_one_contact_routes() {
    let app = TestApp::new().await;
    let r = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let paths = &r.body["paths"];
    let one = &paths["/api/v1/accounts/{account_id}/contacts/{id}"];
    for method in ["get", "put", "patch", "delete"] {
        assert!(one.get(method).is_some(), "{method} /contacts/{{id}}");
    }
    let list = &paths["/api/v1/accounts/{account_id}/contacts"];
    assert!(list.get("get").is_some() && list.get("post").is_some());
    assert!(
        paths["/api/v1/accounts/{account_id}/contacts/{id}/destroy_custom_attributes"]
            .get("post")
            .is_some()
    );
}
