//! `POST /contacts/import` and its [ext] dry run, list, undo and refused rows: files as
//! offices save them, header guessing and mappings, matching, all-or-nothing, undo, the
//! route's own body limit. Each test runs on the engine of NOVATALKS_TEST_DATABASE_URL.

mod common;
mod writes;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp};
use novatalks_server::db::{test_engine, Engine};
use serde_json::{json, Value};
use writes::db_snapshot;

/// A form's text fields.
type Fields<'a> = Vec<(&'a str, &'a str)>;

const BOUNDARY: &str = "novatalks-import-test-boundary";

/// A multipart body: the file in `import_file`, then the text fields.
fn form(file: &[u8], fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"import_file\"; filename=\"contacts.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n");
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload_to(app: &TestApp, url: &str, token: &str, body: Vec<u8>) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri(url)
        .header("api_access_token", token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("content-length", body.len())
        .body(Body::from(body))
        .expect("request");
    app.send(req).await
}

/// Imports `file` into account A with `fields`.
async fn import(app: &TestApp, file: &[u8], fields: &[(&str, &str)]) -> Reply {
    upload_to(
        app,
        &app.a_url("/contacts/import"),
        &app.a.token,
        form(file, fields),
    )
    .await
}

async fn import_ok(app: &TestApp, file: &[u8], fields: &[(&str, &str)]) -> Value {
    let r = import(app, file, fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body
}

fn words(r: &Reply) -> String {
    r.body["message"]
        .as_str()
        .or(r.body["error"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// The contact of account A with this email, phone or identifier (via search), as the
/// API answers it.
async fn find(app: &TestApp, column: &str, value: &str) -> Option<Value> {
    let id: Option<i64> = novatalks_server::db::query_scalar(format!(
        "SELECT id FROM contacts WHERE account_id = ? AND {column} = ?"
    ))
    .bind(app.a.account_id)
    .bind(value)
    .fetch_optional(&app.db)
    .await
    .expect("lookup");
    let id = id?;
    let r = app.get(&format!("/contacts/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    Some(r.body["payload"].clone())
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    novatalks_server::db::query_scalar(sql)
        .fetch_one(&app.db)
        .await
        .expect("count")
}

async fn contacts_of_a(app: &TestApp) -> i64 {
    novatalks_server::db::query_scalar("SELECT count(*) FROM contacts WHERE account_id = ?")
        .bind(app.a.account_id)
        .fetch_one(&app.db)
        .await
        .expect("count")
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// Windows-1251 bytes of `text` (Ukrainian letters and ASCII only), by the model's table
/// read backwards.
fn cp1251(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                return c as u8;
            }
            (0x80u8..=0xFF)
                .find(|b| novatalks_model::import::encoding::windows_1251(*b) == c)
                .unwrap_or(b'?')
        })
        .collect()
}

#[tokio::test]
async fn files_in_every_encoding_and_delimiter_are_read() {
    let app = TestApp::new().await;
    // Excel in a Ukrainian locale: Windows-1251, ';', CRLF, national numbers.
    let ukrainian = cp1251(
        "Ім'я;Прізвище;Телефон;Ел. пошта;Мітки;Місто\r\n\
         Олена;Коваленко;050 123 45 67;olena@example.ua;клієнт;Київ\r\n\
         Тарас;Шевченко;(067) 765-43-21;;;Львів\r\n",
    );
    let r = import_ok(&app, &ukrainian, &[]).await;
    assert_eq!(r["encoding"], "windows1251", "{r}");
    assert_eq!(r["delimiter"], ";");
    assert_eq!(
        (r["rows"].as_u64(), r["created"].as_u64()),
        (Some(2), Some(2)),
        "{r}"
    );
    let olena = find(&app, "phone_number", "+380501234567")
        .await
        .expect("Olena");
    assert_eq!(olena["name"], "Олена Коваленко");
    assert_eq!(olena["email"], "olena@example.ua");
    assert_eq!(olena["additional_attributes"]["city"], "Київ");
    assert_eq!(olena["labels"], json!(["клієнт"]));
    let taras = find(&app, "phone_number", "+380677654321")
        .await
        .expect("Taras");
    assert_eq!(taras["name"], "Тарас Шевченко");

    // Excel's "Unicode text": UTF-16 LE with a BOM, tabs.
    let unicode = utf16le_with_bom(
        "Name\tEmail\tPhone\r\nІрина Бойко\tiryna@example.ua\t+48 512 345 678\r\n",
    );
    let r = import_ok(&app, &unicode, &[]).await;
    assert_eq!(
        (r["encoding"].as_str(), r["delimiter"].as_str()),
        (Some("utf16-le"), Some("\t"))
    );
    let iryna = find(&app, "email", "iryna@example.ua")
        .await
        .expect("Iryna");
    assert_eq!(iryna["phone_number"], "+48512345678");
    assert_eq!(iryna["name"], "Ірина Бойко");

    // "CSV UTF-8": a BOM, commas, a quoted field with a comma and a line break.
    let utf8 = "\u{FEFF}name,email,company\n\"Бойко, Андрій\",andriy@example.ua,\"Нова\nПошта\"\n";
    let r = import_ok(&app, utf8.as_bytes(), &[]).await;
    assert_eq!(r["encoding"], "utf8-bom");
    let andriy = find(&app, "email", "andriy@example.ua")
        .await
        .expect("Andriy");
    assert_eq!(andriy["name"], "Бойко, Андрій");
    assert_eq!(
        andriy["additional_attributes"]["company_name"],
        "Нова\nПошта"
    );
}

#[tokio::test]
async fn chatwoots_headers_work_without_a_mapping() {
    let app = TestApp::new().await;
    let file = "name,email,phone_number,identifier,city,country,company,plan\n\
                Olena K,olena@chatwoot.test,+380501112233,crm-77,Kyiv,UA,Nova,gold\n";
    let r = import_ok(&app, file.as_bytes(), &[]).await;
    assert_eq!(r["created"], 1, "{r}");
    let olena = find(&app, "identifier", "crm-77").await.expect("imported");
    assert_eq!(olena["name"], "Olena K");
    assert_eq!(olena["email"], "olena@chatwoot.test");
    assert_eq!(olena["phone_number"], "+380501112233");
    assert_eq!(olena["additional_attributes"]["city"], "Kyiv");
    assert_eq!(olena["additional_attributes"]["country_code"], "UA");
    assert_eq!(olena["additional_attributes"]["company_name"], "Nova");
    // As in Chatwoot, a column no rule knows is a custom attribute named by its header.
    assert_eq!(olena["custom_attributes"]["plan"], "gold");
    assert_eq!(
        r["mapping"][7],
        json!({"column": 7, "target": "custom_attribute", "key": "plan"})
    );
}

#[tokio::test]
async fn a_mapping_creates_a_new_custom_attribute_and_names_bad_cells() {
    let app = TestApp::new().await;
    let file = "Клієнт;Пошта;Місць;Нотатка\n\
                Олена;olena@map.test;12;x\n\
                Тарас;not-an-email;3;y\n\
                Ірина;iryna@map.test;багато;z\n";
    let mapping = json!([
        {"column": "Клієнт", "target": "name"},
        {"column": 1, "target": "email"},
        {"column": "Місць", "target": "new_custom_attribute", "key": "seats", "display_type": "number"},
        {"column": "Нотатка", "target": "ignore"}
    ])
    .to_string();
    let dry = import_ok(
        &app,
        file.as_bytes(),
        &[("mapping", &mapping), ("dry_run", "true")],
    )
    .await;
    assert_eq!(
        (
            dry["created"].as_u64(),
            dry["failed"].as_u64(),
            dry["id"].is_null()
        ),
        (Some(1), Some(2), true),
        "{dry}"
    );
    assert_eq!(dry["new_attributes"], json!(["seats"]));
    assert_eq!(
        dry["problems"][0],
        json!({"line": 3, "column": "Пошта", "message": "line 3: 'not-an-email' is no email address"})
    );
    assert_eq!(
        dry["problems"][1],
        json!({"line": 4, "column": "Місць", "message": "line 4: Місць must be a number"})
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM custom_attribute_definitions WHERE attribute_key = 'seats'"
        )
        .await,
        0,
        "the dry run created nothing"
    );

    let r = import_ok(&app, file.as_bytes(), &[("mapping", &mapping)]).await;
    assert_eq!(
        (r["created"].as_u64(), r["failed"].as_u64()),
        (Some(1), Some(2))
    );
    let defs = app.get("/custom_attribute_definitions").await;
    let seats = defs
        .body
        .as_array()
        .and_then(|a| a.iter().find(|d| d["attribute_key"] == "seats").cloned());
    let seats = seats.expect("the definition was created");
    assert_eq!(seats["attribute_display_type"], "number");
    assert_eq!(seats["attribute_display_name"], "Місць");
    let olena = find(&app, "email", "olena@map.test")
        .await
        .expect("imported");
    assert_eq!(
        olena["custom_attributes"],
        json!({"seats": 12}),
        "typed, the note ignored"
    );

    // The refused rows come back as CSV with an errors column.
    let id = r["id"].as_i64().expect("an import id");
    let csv = app
        .get(&format!("/contacts/imports/{id}/refused.csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{FEFF}').lines().collect();
    assert_eq!(lines[0], "Клієнт,Пошта,Місць,Нотатка,errors");
    assert_eq!(
        lines[1],
        "Тарас,not-an-email,3,y,Пошта: 'not-an-email' is no email address"
    );
    assert!(
        lines[2].starts_with("Ірина,iryna@map.test,багато,z,"),
        "{}",
        lines[2]
    );
    assert_eq!(lines.len(), 3);
    // Another account cannot read them.
    let other = app
        .request(
            Method::GET,
            &app.b_url(&format!("/contacts/imports/{id}/refused.csv")),
            Some(&app.b.token),
            None,
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn rows_match_by_identifier_then_email_in_any_case_then_phone_in_any_writing() {
    let app = TestApp::new().await;
    let x = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "X", "identifier": "crm-1", "email": "x@match.test"}),
        )
        .await;
    let y = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Y", "email": "olena@match.test"}),
        )
        .await;
    let z = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Z", "phone_number": "+380501234567"}),
        )
        .await;
    // Another account's contact with the same email is never matched.
    let b = app
        .insert_contact(
            app.b.account_id,
            json!({"name": "B", "email": "b@match.test"}),
        )
        .await;
    let file = "identifier,email,phone_number,name\n\
                crm-1,,,X by identifier\n\
                ,OLENA@Match.TEST,,Y by email\n\
                ,,(050) 123-45-67,Z by phone\n\
                ,b@match.test,,New in A\n";
    let r = import_ok(&app, file.as_bytes(), &[]).await;
    assert_eq!(
        (
            r["updated"].as_u64(),
            r["created"].as_u64(),
            r["failed"].as_u64()
        ),
        (Some(3), Some(1), Some(0)),
        "{r}"
    );
    for (id, name) in [(x, "X by identifier"), (y, "Y by email"), (z, "Z by phone")] {
        let c = app.get(&format!("/contacts/{id}")).await;
        assert_eq!(c.body["payload"]["name"], name);
    }
    assert_eq!(
        app.get(&format!("/contacts/{y}")).await.body["payload"]["email"],
        "olena@match.test",
        "an email matched in another case keeps its stored case"
    );
    let b_now: String =
        novatalks_server::db::query_scalar("SELECT name FROM contacts WHERE id = ?")
            .bind(b)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(b_now, "B", "account B is untouched");
    assert!(
        find(&app, "email", "b@match.test").await.is_some(),
        "created in A"
    );

    // Identifier beats email, email beats phone: the row names the contact it matched
    // first, and a value another contact holds refuses it (in a dry run: no change).
    let cases: [(&str, String); 4] = [
        (
            "identifier,email\ncrm-1,olena@match.test\n",
            format!("line 2: the email olena@match.test is contact {y}'s, but the row's identifier is contact {x}'s: the row is left out"),
        ),
        (
            "email,phone_number\nolena@match.test,+380501234567\n",
            format!("line 2: the phone number +380501234567 is contact {z}'s, but the row's email is contact {y}'s: the row is left out"),
        ),
        (
            "identifier,email,name\ncrm-1,,X once\n,X@match.test,X again\n",
            format!("line 3: matches the same contact as line 2 (contact {x}, by its email): one row per contact (this row is left out)"),
        ),
        (
            "phone_number,name\n+380 50 123 45 67,Z\n050 123 4567,Z twice\n",
            "line 3: the phone number +380501234567 is on line 2 too: one row per contact (this row is left out)".to_owned(),
        ),
    ];
    for (file, expected) in cases {
        let r = import_ok(&app, file.as_bytes(), &[("dry_run", "true")]).await;
        assert_eq!(r["failed"], 1, "{file}: {r}");
        assert_eq!(r["problems"][0]["message"], expected.as_str(), "{file}");
    }

    // on_match skip leaves matched contacts alone.
    let r = import_ok(
        &app,
        b"email,name\nolena@match.test,Skipped\n",
        &[("on_match", "skip")],
    )
    .await;
    assert_eq!(
        (r["skipped"].as_u64(), r["updated"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(
        app.get(&format!("/contacts/{y}")).await.body["payload"]["name"],
        "Y by email"
    );
}

#[tokio::test]
async fn a_dry_run_changes_nothing_and_tells_what_the_run_does() {
    let app = TestApp::new().await;
    app.insert_contact(
        app.a.account_id,
        json!({"name": "Old", "email": "old@dry.test"}),
    )
    .await;
    let file = "name,email,labels\nNew,new@dry.test,vip-dry;fresh\nOld renamed,old@dry.test,fresh\nBad,bad@,x\n";
    let before = db_snapshot(&app.db).await;
    let imports = count(&app, "SELECT count(*) FROM contact_imports").await;
    let dry = import_ok(&app, file.as_bytes(), &[("dry_run", "true")]).await;
    assert_eq!(db_snapshot(&app.db).await, before, "nothing changed");
    assert_eq!(
        count(&app, "SELECT count(*) FROM contact_imports").await,
        imports
    );
    assert_eq!(dry["dry_run"], true);
    let run = import_ok(&app, file.as_bytes(), &[]).await;
    for key in [
        "rows",
        "created",
        "updated",
        "skipped",
        "failed",
        "problems",
        "new_labels",
    ] {
        assert_eq!(
            dry[key], run[key],
            "{key}: the dry run said what the run did"
        );
    }
    assert_eq!(
        (
            run["created"].as_u64(),
            run["updated"].as_u64(),
            run["failed"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(dry["new_labels"], json!(["fresh", "vip-dry"]));
}

/// A trigger that fails the insert of the contact named `name`: a real database failure
/// in the middle of the import's set-based insert.
async fn fail_on_insert_of(app: &TestApp, name: &str) {
    let statements: Vec<String> = match test_engine() {
        Engine::Sqlite => vec![format!(
            "CREATE TRIGGER injected_failure BEFORE INSERT ON contacts WHEN NEW.name = '{name}'
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
        Engine::Postgres => vec![
            format!(
                "CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN IF NEW.name = '{name}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$"
            ),
            "CREATE TRIGGER injected_failure BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION injected_failure()".to_owned(),
        ],
    };
    for s in statements {
        novatalks_server::db::query(s)
            .execute(&app.db)
            .await
            .expect("trigger");
    }
}

#[tokio::test]
async fn a_failure_midway_leaves_nothing_half_imported() {
    let app = TestApp::new().await;
    let existing = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Existing", "email": "row3@fail.test"}),
        )
        .await;
    let mut file = String::from("name,email,labels,plan\n");
    for i in 1..=120 {
        file.push_str(&format!("Row {i},row{i}@fail.test,imported,p{i}\n"));
    }
    let mapping = json!([
        {"column": "name", "target": "name"}, {"column": "email", "target": "email"},
        {"column": "labels", "target": "labels"},
        {"column": "plan", "target": "new_custom_attribute", "key": "plan_code"}
    ])
    .to_string();
    fail_on_insert_of(&app, "Row 60").await;
    let before = db_snapshot(&app.db).await;
    let r = import(&app, file.as_bytes(), &[("mapping", &mapping)]).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.text);
    assert_eq!(
        db_snapshot(&app.db).await,
        before,
        "nothing changed, row 3's update neither"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM contact_imports").await, 0);
    assert_eq!(
        count(&app, "SELECT count(*) FROM contact_import_updated").await,
        0
    );
    let name: String = novatalks_server::db::query_scalar("SELECT name FROM contacts WHERE id = ?")
        .bind(existing)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(name, "Existing");
}

#[tokio::test]
async fn undo_restores_and_deletes_but_leaves_contacts_changed_since() {
    let app = TestApp::new().await;
    let updated = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Before", "email": "u@undo.test", "additional_attributes": {"city": "Odesa"}}),
        )
        .await;
    let file = "name,email,city,labels\nAfter,u@undo.test,Kyiv,imported\nKept,kept@undo.test,,\nChanged,changed@undo.test,,\n";
    let r = import_ok(&app, file.as_bytes(), &[]).await;
    let id = r["id"].as_i64().expect("id");
    assert!(r["undo_until"].as_i64().unwrap_or(0) > novatalks_server::db::now() + 23 * 3600);
    let after = app.get(&format!("/contacts/{updated}")).await.body["payload"].clone();
    assert_eq!(after["name"], "After");
    assert_eq!(after["labels"], json!(["imported"]));

    // A second later, an agent edits one of the imported contacts.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let changed = find(&app, "email", "changed@undo.test")
        .await
        .expect("created")["id"]
        .as_i64()
        .unwrap();
    let put = app
        .put(
            &format!("/contacts/{changed}"),
            json!({"name": "Changed by an agent"}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);

    let list = app.get("/contacts/imports").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let entry = &list.body["payload"][0];
    assert_eq!(entry["id"], id);
    assert_eq!(entry["user"]["id"], app.a.user_id);
    assert_eq!(
        (entry["created"].as_u64(), entry["updated"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(entry["can_undo"], true);

    // Another account can neither see nor undo it.
    let b_list = app
        .request(
            Method::GET,
            &app.b_url("/contacts/imports"),
            Some(&app.b.token),
            None,
        )
        .await;
    assert_eq!(b_list.body["payload"], json!([]));
    let b_undo = app
        .request(
            Method::DELETE,
            &app.b_url(&format!("/contacts/imports/{id}")),
            Some(&app.b.token),
            None,
        )
        .await;
    assert_eq!(b_undo.status, StatusCode::NOT_FOUND);

    let undo = app.delete(&format!("/contacts/imports/{id}")).await;
    assert_eq!(undo.status, StatusCode::OK, "{}", undo.text);
    assert_eq!(
        (
            undo.body["deleted"].as_u64(),
            undo.body["restored"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(undo.body["left_count"], 1);
    assert_eq!(undo.body["left"][0]["id"], changed);
    assert_eq!(undo.body["left"][0]["name"], "Changed by an agent");

    let restored = app.get(&format!("/contacts/{updated}")).await.body["payload"].clone();
    assert_eq!(restored["name"], "Before");
    assert_eq!(restored["additional_attributes"]["city"], "Odesa");
    assert_eq!(restored["labels"], json!([]));
    assert!(
        find(&app, "email", "kept@undo.test").await.is_none(),
        "created, then deleted"
    );
    assert_eq!(
        find(&app, "email", "changed@undo.test")
            .await
            .expect("left")["name"],
        "Changed by an agent"
    );
    let again = app.delete(&format!("/contacts/imports/{id}")).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert!(words(&again).contains("undone already"), "{}", again.text);
    let list = app.get("/contacts/imports").await;
    assert_eq!(list.body["payload"][0]["can_undo"], false);
    assert!(list.body["payload"][0]["undone_at"].is_i64());
}

#[tokio::test]
async fn bad_uploads_are_422_in_words_and_change_nothing() {
    let app = TestApp::new().await;
    let before = db_snapshot(&app.db).await;
    let cases: Vec<(Vec<u8>, Fields, &str)> = vec![
        (b"".to_vec(), vec![], "The file is empty"),
        (b"name,email\n".to_vec(), vec![], "no rows of contacts"),
        (
            b"city,note\nKyiv,x\n".to_vec(),
            vec![],
            "No column is a name, an email or a phone number",
        ),
        (
            b"name\nOlena\n".to_vec(),
            vec![("mapping", r#"[{"column": "name", "target": "nickname"}]"#)],
            "unknown target 'nickname'",
        ),
        (
            b"name\nOlena\n".to_vec(),
            vec![(
                "mapping",
                r#"[{"column": "Name of contact", "target": "name"}]"#,
            )],
            "which the file does not have",
        ),
        (
            b"name\nOlena\n".to_vec(),
            vec![("on_match", "merge")],
            "neither 'update' nor 'skip'",
        ),
        (
            b"name\n\"Olena\nTaras\n".to_vec(),
            vec![],
            "line 2: a quoted field is opened and never closed",
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00".to_vec(),
            vec![],
            "save it as CSV",
        ),
    ];
    for (file, fields, expected) in cases {
        let r = import(&app, &file, &fields).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{expected}: {}",
            r.text
        );
        assert!(words(&r).contains(expected), "{expected}: {}", r.text);
    }
    // Not multipart at all, and no file.
    let json = app
        .post("/contacts/import", json!({"import_file": "x"}))
        .await;
    assert_eq!(
        json.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        json.text
    );
    assert!(words(&json).contains("multipart/form-data"));
    assert!(words(&json).contains("import_file"));
    let mut no_file = Vec::new();
    no_file.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\ntrue\r\n--{BOUNDARY}--\r\n").as_bytes());
    let r = upload_to(&app, &app.a_url("/contacts/import"), &app.a.token, no_file).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(words(&r).contains("import_file"));
    // Without a token, nothing.
    let req = Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/contacts/import"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(form(b"name\nOlena\n", &[])))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(db_snapshot(&app.db).await, before);
}

#[tokio::test]
async fn the_50_mb_limit_is_this_routes_alone() {
    let app = TestApp::new().await;
    // Another route keeps its 1 MB.
    let big_json = json!({"name": "x".repeat(1_200_000)});
    let r = app.post("/contacts", big_json).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);

    // 3 MB of rows import (in a dry run).
    let mut file = String::from("name,email,note\n");
    let mut i = 0;
    while file.len() < 3 * 1024 * 1024 {
        i += 1;
        file.push_str(&format!("Person {i},p{i}@big.test,{}\n", "n".repeat(100)));
    }
    let r = import_ok(&app, file.as_bytes(), &[("dry_run", "true")]).await;
    assert_eq!(r["created"], i, "every row read");

    // Over 50 MB: refused in words.
    let mut huge = file.into_bytes();
    let row = b"Somebody,somebody@big.test,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n";
    while huge.len() <= 50 * 1024 * 1024 {
        huge.extend_from_slice(row);
    }
    let r = import(&app, &huge, &[("dry_run", "true")]).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        &r.text[..r.text.len().min(300)]
    );
    assert!(words(&r).contains("larger than 50 MB"), "{}", r.text);
}

#[tokio::test]
async fn stock_mode_answers_chatwoots_empty_200_without_the_extensions() {
    let app = TestApp::with_config(|c| c.stock_chatwoot = true).await;
    let before = contacts_of_a(&app).await;
    let r = import(
        &app,
        b"name,email\nStock Olena,stock@import.test\n",
        &[("dry_run", "true")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.text, "", "Chatwoot's empty body");
    assert_eq!(
        contacts_of_a(&app).await,
        before + 1,
        "dry_run is an extension: it ran"
    );
    let list = app.get("/contacts/imports").await;
    assert_eq!(list.status, StatusCode::NOT_FOUND, "{}", list.text);
}

/// Every `$ref` in `value`.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                out.push(r.to_owned());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_import_routes() {
    let app = TestApp::new().await;
    let doc = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .body;
    let paths = &doc["paths"];
    let base = "/api/v1/accounts/{account_id}/contacts";
    let form = &paths[format!("{base}/import")]["post"]["requestBody"]["content"]
        ["multipart/form-data"]["schema"];
    let mut found = Vec::new();
    refs(form, &mut found);
    let form = match found.first() {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .cloned()
            .unwrap_or(Value::Null),
        None => form.clone(),
    };
    for field in ["import_file", "mapping", "on_match", "dry_run"] {
        assert!(form["properties"].get(field).is_some(), "{field}: {form}");
    }
    assert!(paths[format!("{base}/imports")]["get"].is_object());
    assert!(paths[format!("{base}/imports/{{id}}")]["delete"].is_object());
    assert!(paths[format!("{base}/imports/{{id}}/refused.csv")]["get"].is_object());
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        assert!(
            doc.pointer(r.trim_start_matches('#')).is_some(),
            "{r} is defined"
        );
    }
    for schema in ["ImportReport", "MappingEntry", "UndoReport", "ImportList"] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "{schema}"
        );
    }
}
