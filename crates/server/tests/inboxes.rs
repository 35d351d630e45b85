//! Inboxes and contactable inboxes.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use novatalks_server::seed::Fixture;
use serde_json::{json, Value};

fn inbox(f: &Fixture, channel: &str) -> i64 {
    f.inboxes
        .iter()
        .find(|(_, c)| *c == channel)
        .map(|(id, _)| *id)
        .expect("fixture inbox")
}

/// (channel_type, source_id) of a contactable inboxes answer, in order.
fn reachable(reply: &Value) -> Vec<(String, String)> {
    reply["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|e| {
            (
                e["inbox"]["channel_type"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                e["source_id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn inboxes_are_listed_with_an_identifier_only_for_api_inboxes() {
    let app = TestApp::new().await;
    let reply = app.get("/inboxes").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let payload = reply.body["payload"].as_array().expect("payload");
    assert_eq!(payload.len(), app.a.inboxes.len());
    for entry in payload {
        let channel = entry["channel_type"].as_str().expect("channel_type");
        assert!(
            entry["id"].is_i64()
                && entry["name"].is_string()
                && entry["can_write_first"].is_boolean()
        );
        if channel == "Channel::Api" {
            assert_eq!(
                entry["inbox_identifier"],
                app.a.api_inbox_identifier.as_str()
            );
            // The agent is the account's administrator: it reads the secret of identity
            // validation, as in Chatwoot's inbox settings.
            assert_eq!(entry["hmac_token"], app.a.api_hmac_token.as_str());
            assert_eq!(entry["hmac_mandatory"], false);
        } else {
            for key in ["inbox_identifier", "hmac_token", "hmac_mandatory"] {
                assert!(entry.get(key).is_none(), "{entry}");
            }
        }
    }
    let email = payload
        .iter()
        .find(|e| e["channel_type"] == "Channel::Email")
        .expect("email inbox");
    assert_eq!(email["can_write_first"], true);
    assert_eq!(email["name"], "Support email");
    let widget = payload
        .iter()
        .find(|e| e["channel_type"] == "Channel::WebWidget")
        .expect("widget");
    assert_eq!(widget["can_write_first"], false);
}

#[tokio::test]
async fn only_administrators_see_the_identity_validation_secret() {
    let app = TestApp::new().await;
    novatalks_server::db::query(
        "UPDATE account_users SET role = 'agent' WHERE account_id = ? AND user_id = ?",
    )
    .bind(app.a.account_id)
    .bind(app.a.user_id)
    .execute(&app.db)
    .await
    .expect("demote");
    let reply = app.get("/inboxes").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        !reply.text.contains(&app.a.api_hmac_token),
        "{}",
        reply.text
    );
    assert!(!reply.text.contains("hmac_"), "{}", reply.text);
    assert!(reply.text.contains(&app.a.api_inbox_identifier));
    let contactable = app.get("/contacts/1/contactable_inboxes").await;
    assert!(!contactable.text.contains(&app.a.api_hmac_token));
}

#[tokio::test]
async fn a_non_api_inbox_never_shows_an_identifier_even_if_one_is_stored() {
    let app = TestApp::new().await;
    novatalks_server::db::query("UPDATE inboxes SET inbox_identifier = 'leaked' WHERE id = ?")
        .bind(inbox(&app.a, "Channel::Email"))
        .execute(&app.db)
        .await
        .expect("update");
    let reply = app.get("/inboxes").await;
    assert!(!reply.text.contains("leaked"), "{}", reply.text);
}

#[tokio::test]
async fn an_account_sees_only_its_own_inboxes() {
    let app = TestApp::new().await;
    let reply = app.get("/inboxes").await;
    let ids: Vec<i64> = TestApp::ids(&reply);
    let mine: Vec<i64> = app.a.inboxes.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, mine);
    assert!(!reply.text.contains(&app.b.api_inbox_identifier));
    assert!(!reply.text.contains(&app.b.api_hmac_token));

    let cross = app
        .request(
            Method::GET,
            &app.b_url("/inboxes"),
            Some(&app.a.token),
            None,
        )
        .await;
    assert_eq!(cross.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        cross.body,
        json!({"error": "You are not authorized to access this account"})
    );
    let anonymous = app
        .request(Method::GET, &app.a_url("/inboxes"), None, None)
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.body, json!({"error": "Invalid Access Token"}));
}

#[tokio::test]
async fn a_contact_with_email_and_phone_is_reachable_from_every_write_first_inbox() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Olena", "email": "olena@example.com", "phone_number": "+380501234567"}),
        )
        .await;
    let reply = app
        .get(&format!("/contacts/{contact}/contactable_inboxes"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    // Telegram and Viber have "Can write first" off in the fixture; widget and API never write first.
    assert_eq!(
        reachable(&reply.body),
        [
            ("Channel::Email".to_owned(), "olena@example.com".to_owned()),
            ("Channel::Whatsapp".to_owned(), "380501234567".to_owned()),
            ("Channel::Call".to_owned(), "380501234567".to_owned()),
        ]
    );
    let first = &reply.body["payload"][0]["inbox"];
    assert_eq!(first["id"], inbox(&app.a, "Channel::Email"));
    assert_eq!(first["name"], "Support email");
    assert_eq!(first["can_write_first"], true);
}

#[tokio::test]
async fn email_inboxes_need_an_email_and_phone_channels_a_phone() {
    let app = TestApp::new().await;
    let email_only = app
        .insert_contact(app.a.account_id, json!({"email": "mail@example.com"}))
        .await;
    let phone_only = app
        .insert_contact(app.a.account_id, json!({"phone_number": "+4915112345678"}))
        .await;
    let neither = app
        .insert_contact(app.a.account_id, json!({"name": "Web visitor"}))
        .await;

    let reply = app
        .get(&format!("/contacts/{email_only}/contactable_inboxes"))
        .await;
    assert_eq!(
        reachable(&reply.body),
        [("Channel::Email".to_owned(), "mail@example.com".to_owned())]
    );
    let reply = app
        .get(&format!("/contacts/{phone_only}/contactable_inboxes"))
        .await;
    assert_eq!(
        reachable(&reply.body),
        [
            ("Channel::Whatsapp".to_owned(), "4915112345678".to_owned()),
            ("Channel::Call".to_owned(), "4915112345678".to_owned()),
        ]
    );
    let reply = app
        .get(&format!("/contacts/{neither}/contactable_inboxes"))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, json!({"payload": []}));
}

#[tokio::test]
async fn the_write_first_option_decides_but_widget_and_api_never_write_first() {
    let app = TestApp::new().await;
    let contact = app
        .insert_contact(
            app.a.account_id,
            json!({"email": "olena@example.com", "phone_number": "+380501234567"}),
        )
        .await;
    novatalks_server::db::query("UPDATE inboxes SET can_write_first = (channel_type <> 'Channel::Email') WHERE account_id = ?")
        .bind(app.a.account_id)
        .execute(&app.db)
        .await
        .expect("flip the option");
    let reply = app
        .get(&format!("/contacts/{contact}/contactable_inboxes"))
        .await;
    let channels: Vec<String> = reachable(&reply.body).into_iter().map(|(c, _)| c).collect();
    assert_eq!(
        channels,
        [
            "Channel::Whatsapp",
            "Channel::Telegram",
            "Channel::Viber",
            "Channel::Call"
        ]
    );
}

#[tokio::test]
async fn contactable_inboxes_of_an_unknown_or_foreign_contact_are_404() {
    let app = TestApp::new().await;
    let theirs = app
        .insert_contact(app.b.account_id, json!({"email": "b@example.com"}))
        .await;
    let reply = app
        .get(&format!("/contacts/{theirs}/contactable_inboxes"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body, json!({"error": "Resource could not be found"}));
    assert_eq!(
        app.get("/contacts/abc/contactable_inboxes").await.status,
        StatusCode::NOT_FOUND
    );
    let cross = app
        .request(
            Method::GET,
            &app.b_url(&format!("/contacts/{theirs}/contactable_inboxes")),
            Some(&app.a.token),
            None,
        )
        .await;
    assert_eq!(cross.status, StatusCode::UNAUTHORIZED);
    // Its own account sees it, with its own inboxes only.
    let own = app
        .request(
            Method::GET,
            &app.b_url(&format!("/contacts/{theirs}/contactable_inboxes")),
            Some(&app.b.token),
            None,
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(
        own.body["payload"][0]["inbox"]["id"],
        inbox(&app.b, "Channel::Email")
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_routes_around_a_contact() {
    let app = TestApp::new().await;
    let doc = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    let paths = &doc.body["paths"];
    for (path, method) in [
        ("/api/v1/accounts/{account_id}/inboxes", "get"),
        ("/api/v1/accounts/{account_id}/contacts/{id}/contactable_inboxes", "get"),
        ("/api/v1/accounts/{account_id}/contacts/{id}/notes", "post"),
        ("/api/v1/accounts/{account_id}/contacts/{id}/notes/{note_id}", "patch"),
        ("/api/v1/accounts/{account_id}/contacts/{id}/conversations", "get"),
        ("/api/v1/accounts/{account_id}/conversations", "post"),
        ("/public/api/v1/inboxes/{inbox_identifier}/contacts", "post"),
        ("/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}/conversations/{conversation_id}/messages", "post"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path} missing");
    }
}
