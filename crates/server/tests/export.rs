//! [ext] `POST /contacts/export`: the CSV file — its head, columns (custom attributes
//! included), quoting, BOM, formula defusing, Cyrillic — for ids, queries and Chatwoot's
//! payload and label; another account's ids refused.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use novatalks_model::bulk::EXPORT_COLUMNS;
use serde_json::{json, Value};

/// The answer of an export with its headers and raw bytes.
struct Csv {
    status: StatusCode,
    content_type: String,
    disposition: String,
    bytes: Vec<u8>,
}

async fn export(app: &TestApp, body: Value) -> Csv {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/contacts/export"))
        .header("api_access_token", &app.a.token)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let res = app.app.clone().oneshot(req).await.unwrap();
    let header = |name| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Csv {
        status,
        content_type,
        disposition,
        bytes,
    }
}

/// An RFC 4180 reader (quoted cells with doubled quotes, CRLF records), strict enough
/// to fail on a file that is not.
fn parse(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                    assert!(
                        matches!(chars.peek(), None | Some(',') | Some('\r')),
                        "a closing quote ends the cell"
                    );
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            '"' => panic!("a quote inside an unquoted cell: {cell}"),
            ',' => {
                record.push(std::mem::take(&mut cell));
                at_start = true;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "records end with CRLF");
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
                at_start = true;
            }
            '\n' => panic!("a bare LF outside quotes"),
            c => {
                cell.push(c);
                at_start = false;
            }
        }
    }
    assert!(
        cell.is_empty() && record.is_empty(),
        "the file ends with CRLF"
    );
    records
}

/// The records of a successful export, the BOM checked and stripped.
fn records(csv: &Csv) -> Vec<Vec<String>> {
    assert_eq!(
        csv.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&csv.bytes)
    );
    assert!(
        csv.bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 BOM first"
    );
    let text = std::str::from_utf8(&csv.bytes[3..]).expect("UTF-8");
    parse(text)
}

fn column<'a>(rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let i = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows[1..].iter().map(|r| r[i].as_str()).collect()
}

async fn define(app: &TestApp, key: &str, display_type: &str) {
    let r = app
        .post(
            "/custom_attribute_definitions",
            json!({"attribute_key": key, "attribute_display_name": key, "attribute_display_type": display_type,
                   "attribute_model": "contact_attribute"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn every_column_with_custom_attributes_quoting_and_defusing() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    define(&app, "tier", "text").await;
    define(&app, "score", "number").await;
    define(&app, "vip_since", "date").await;
    let olena = app
        .insert_contact(
            a,
            json!({"name": "Олена Коваленко", "email": "olena@example.com", "phone_number": "+380501234567",
                   "identifier": "crm-1", "created_at": 1_700_000_000, "last_activity_at": 1_700_003_600,
                   "blocked": true, "block_reason": "Said \"stop\",\r\ntwice",
                   "additional_attributes": {"city": "Львів", "country_code": "UA", "company_name": "Nova, Inc.", "language": "uk"},
                   "custom_attributes": {"tier": "gold", "score": 42}}),
        )
        .await;
    let evil = app
        .insert_contact(
            a,
            json!({"name": "=HYPERLINK(\"http://x\")", "email": "@evil.test",
                   "identifier": "-2+3", "custom_attributes": {"tier": "+1", "score": -5}}),
        )
        .await;
    let expired = app
        .insert_contact(a, json!({"name": "\tTabbed", "blocked": true, "blocked_until": 1_000, "block_reason": "old"}))
        .await;
    app.label_contact(a, olena, &["vip", "billing"]).await;

    let csv = export(&app, json!({})).await;
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(
        csv.disposition,
        format!("attachment; filename=\"contacts-{a}-{today}.csv\"")
    );
    let rows = records(&csv);
    // The fixture's account has definitions of its own; ours come last, in their order.
    let defined: Vec<String> = novatalks_server::db::query_scalar(
        "SELECT attribute_key FROM custom_attribute_definitions
         WHERE account_id = ? AND attribute_model = 'contact_attribute' ORDER BY id",
    )
    .bind(a)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(defined.ends_with(&[
        "tier".to_owned(),
        "score".to_owned(),
        "vip_since".to_owned()
    ]));
    let mut header: Vec<&str> = EXPORT_COLUMNS.to_vec();
    header.extend(defined.iter().map(String::as_str));
    assert_eq!(
        rows[0], header,
        "fixed columns, then definitions in their order"
    );
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter().all(|r| r.len() == header.len()),
        "every record as wide as the head"
    );
    assert_eq!(
        column(&rows, "id"),
        [olena.to_string(), evil.to_string(), expired.to_string()]
    );

    let o = &rows[1];
    let cell = |name: &str| o[header.iter().position(|h| *h == name).unwrap()].as_str();
    assert_eq!(cell("name"), "Олена Коваленко", "Cyrillic as it is");
    assert_eq!(
        cell("phone_number"),
        "'+380501234567",
        "E.164, kept as text"
    );
    assert_eq!(cell("labels"), "billing, vip");
    assert_eq!(cell("blocked"), "true");
    assert_eq!(cell("blocked_until"), "", "for ever");
    assert_eq!(
        cell("block_reason"),
        "Said \"stop\",\r\ntwice",
        "quoted, quotes doubled"
    );
    assert_eq!(cell("created_at"), "2023-11-14T22:13:20Z");
    assert_eq!(cell("last_activity_at"), "2023-11-14T23:13:20Z");
    assert_eq!(
        [
            cell("city"),
            cell("country"),
            cell("company"),
            cell("language")
        ],
        ["Львів", "UA", "Nova, Inc.", "uk"]
    );
    assert_eq!(
        [cell("tier"), cell("score"), cell("vip_since")],
        ["gold", "42", ""]
    );

    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let e = &rows[2];
    assert_eq!(e[1], "'=HYPERLINK(\"http://x\")", "a formula is defused");
    assert_eq!(e[2], "'@evil.test");
    assert_eq!(e[4], "'-2+3");
    assert_eq!(e[at("tier")], "'+1");
    assert_eq!(e[at("score")], "'-5");
    assert_eq!(e[6], "false");

    let x = &rows[3];
    assert_eq!(x[1], "'\tTabbed");
    assert_eq!(
        (x[6].as_str(), x[7].as_str(), x[8].as_str()),
        ("false", "", ""),
        "an ended block is no block"
    );

    // The raw bytes: quoting as RFC 4180 writes it.
    let text = String::from_utf8(csv.bytes[3..].to_vec()).unwrap();
    assert!(text.contains(",\"Said \"\"stop\"\",\r\ntwice\","), "{text}");
    assert!(
        text.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","),
        "{text}"
    );
    assert!(text.contains(",\"Nova, Inc.\","), "{text}");
}

#[tokio::test]
async fn ids_query_and_chatwoots_payload_and_label_choose_the_rows() {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let olena = app
        .insert_contact(
            a,
            json!({"name": "Olena Kovalenko", "email": "olena@corp.test"}),
        )
        .await;
    let taras = app
        .insert_contact(a, json!({"name": "Taras", "email": "taras@example.com"}))
        .await;
    let iryna = app
        .insert_contact(
            a,
            json!({"name": "Iryna Kovalenko", "email": "iryna@example.com"}),
        )
        .await;
    let b_olena = app
        .insert_contact(
            app.b.account_id,
            json!({"name": "Olena Kovalenko", "email": "olena@corp.test"}),
        )
        .await;
    // The fixture's account has the label vip.
    app.label_contact(a, taras, &["vip"]).await;
    app.label_contact(a, iryna, &["vip"]).await;
    let ids = |body: Value| async {
        let rows = records(&export(&app, body).await);
        column(&rows, "id")
            .iter()
            .map(|s| s.parse::<i64>().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(json!({})).await,
        [olena, taras, iryna],
        "everything, not B's"
    );
    assert_eq!(
        ids(json!({"ids": [iryna, olena, iryna]})).await,
        [olena, iryna],
        "by id, once each"
    );
    assert_eq!(
        ids(json!({"query": {"q": "kovalenko"}})).await,
        [olena, iryna]
    );
    assert_eq!(
        ids(json!({"query": {"q": "kovalenko", "labels": ["vip"]}})).await,
        [iryna]
    );
    let corp = json!([{"attribute_key": "email", "filter_operator": "contains", "values": ["corp.test"], "query_operator": null}]);
    assert_eq!(ids(json!({"query": {"payload": corp}})).await, [olena]);
    assert_eq!(
        ids(json!({"payload": corp})).await,
        [olena],
        "Chatwoot's payload"
    );
    assert_eq!(
        ids(json!({"label": "vip"})).await,
        [taras, iryna],
        "Chatwoot's label"
    );
    assert!(
        ids(json!({"query": {"q": "nobody-like-this"}}))
            .await
            .is_empty(),
        "a head only"
    );

    // Another account's id refuses the whole export, in words.
    let r = app
        .post("/contacts/export", json!({"ids": [olena, b_olena]}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(
        r.body["error"]
            .as_str()
            .unwrap_or_default()
            .contains(&b_olena.to_string()),
        "{}",
        r.text
    );
    // Both forms at once, a bad filter, someone else's account: 4xx in words.
    let r = app
        .post(
            "/contacts/export",
            json!({"ids": [olena], "query": {"q": "x"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = app
        .post(
            "/contacts/export",
            json!({"query": {"q": "x"}, "label": "vip"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = app
        .post("/contacts/export", json!({"payload": [{"attribute_key": "nope", "filter_operator": "equal_to", "values": ["x"], "query_operator": null}]}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = app
        .request(
            Method::POST,
            &app.b_url("/contacts/export"),
            Some(&app.a.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
}

#[tokio::test]
async fn thousands_of_rows_come_in_pages_each_once_in_id_order() {
    let app = TestApp::new().await;
    common::load_filler(&app, app.a.account_id, 2_345, true).await;
    common::load_filler(&app, app.b.account_id, 10, false).await;
    let rows = records(&export(&app, json!({})).await);
    assert_eq!(rows.len(), 1 + 2_345);
    let ids: Vec<i64> = column(&rows, "id")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ascending, no repeats");
    assert!(column(&rows, "labels").iter().all(|l| *l == "filler"));
    // The same by a query (through the temporary selection).
    let rows = records(&export(&app, json!({"query": {"labels": ["filler"]}})).await);
    assert_eq!(rows.len(), 1 + 2_345);
    let again: Vec<i64> = column(&rows, "id")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(again, ids);
}
