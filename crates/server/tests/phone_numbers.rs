//! [ext] `GET /phone_numbers/normalize`: the number a contact would store, for a form to
//! show while the agent types.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;

fn path(number: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("number", number)
        .finish();
    format!("/phone_numbers/normalize?{query}")
}

#[tokio::test]
async fn a_number_in_any_common_writing_comes_back_in_e164_read_in_the_accounts_country() {
    let app = TestApp::new().await;
    for (typed, stored) in [
        ("067 765 43 21", "+380677654321"),
        ("(067) 765-43-21", "+380677654321"),
        ("+44 7911 123456", "+447911123456"),
        ("00380 50 765 43 21", "+380507654321"),
    ] {
        let r = app.get(&path(typed)).await;
        assert_eq!(r.status, StatusCode::OK, "{typed}: {}", r.text);
        assert_eq!(r.body["phone_number"], stored, "{typed}");
        assert_eq!(r.body["exists"], true, "{typed}");
    }

    novatalks_server::db::query("UPDATE accounts SET default_country_code = 'DE' WHERE id = ?")
        .bind(app.a.account_id)
        .execute(&app.db)
        .await
        .expect("set default country");
    let r = app.get(&path("0151 12345678")).await;
    assert_eq!(r.body["phone_number"], "+4915112345678", "{}", r.text);
}

/// Chatwoot takes any number written in E.164 (its swagger's own example is a fictional
/// +1 555 number); so do we, saying that no country has it.
#[tokio::test]
async fn a_number_in_e164_that_no_country_has_is_kept_as_written_and_said_to_exist_nowhere() {
    let app = TestApp::new().await;
    for (typed, stored) in [
        ("+15550427098", "+15550427098"),
        ("+1 555 042 7098", "+15550427098"),
        ("+380 50", "+38050"),
    ] {
        let r = app.get(&path(typed)).await;
        assert_eq!(r.status, StatusCode::OK, "{typed}: {}", r.text);
        assert_eq!(r.body["phone_number"], stored, "{typed}");
        assert_eq!(r.body["exists"], false, "{typed}");
    }
    // And a contact keeps it so.
    let r = app
        .post(
            "/contacts",
            serde_json::json!({"name": "Swagger Example", "phone_number": "+15550427098"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["payload"]["contact"]["phone_number"], "+15550427098",
        "{}",
        r.text
    );
}

#[tokio::test]
async fn what_is_no_number_is_a_422_saying_how_to_write_one() {
    let app = TestApp::new().await;
    for typed in ["hello", "", "12", "050 123", "+0 50 123"] {
        let r = app.get(&path(typed)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed}: {}",
            r.text
        );
        assert_eq!(r.body["attributes"], serde_json::json!(["phone_number"]));
        let message = r.body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("is not a valid phone number: write it with its country code"),
            "{typed}: {message}"
        );
    }
}

#[tokio::test]
async fn it_asks_for_a_token_of_the_account() {
    let app = TestApp::new().await;
    let url = app.a_url(&path("067 765 43 21"));
    let r = app.request(Method::GET, &url, None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .request(Method::GET, &url, Some(&app.b.token), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
}

#[tokio::test]
async fn a_stock_chatwoot_has_no_such_endpoint() {
    let app = TestApp::with_config(|c| c.stock_chatwoot = true).await;
    let r = app.get(&path("067 765 43 21")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}
