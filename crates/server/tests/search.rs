//! `GET /contacts/search`: what an agent types finds the contact, through indexes only.

mod common;

use common::TestApp;
use novatalks_server::db::Engine;
use serde_json::json;

async fn app_with_people() -> (TestApp, i64, i64, i64) {
    let t = TestApp::new().await;
    let olena = t
        .insert_contact(
            t.a.account_id,
            json!({"name": "Olena Kovalenko", "email": "olena.k@example.com",
                   "phone_number": "+380501234567", "identifier": "crm-8812"}),
        )
        .await;
    let jurgen = t
        .insert_contact(
            t.a.account_id,
            json!({"name": "Jürgen Groß", "email": "JG@Müller.de", "phone_number": "+447911123456"}),
        )
        .await;
    let cyrillic = t
        .insert_contact(
            t.a.account_id,
            json!({"name": "Олена Шевченко", "identifier": "A1"}),
        )
        .await;
    // Same name and phone in the other account: must never show up.
    t.insert_contact(
        t.b.account_id,
        json!({"name": "Olena Kovalenko", "phone_number": "+380501234567", "email": "olena.k@example.com"}),
    )
    .await;
    (t, olena, jurgen, cyrillic)
}

async fn found(t: &TestApp, q: &str) -> Vec<i64> {
    let url = format!("/contacts/search?q={}", urlencode(q));
    let r = t.get(&url).await;
    assert_eq!(r.status, 200, "{q}: {}", r.text);
    assert_eq!(
        r.body["meta"]["count"].as_i64(),
        Some(TestApp::ids(&r).len() as i64),
        "{q}"
    );
    TestApp::ids(&r)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn name_word_prefixes_in_any_order_and_case() {
    let (t, olena, _, _) = app_with_people().await;
    for q in ["ole kov", "Kovalenko Olena", "OLENA", "kova", "o k"] {
        assert_eq!(found(&t, q).await, vec![olena], "{q}");
    }
    assert!(
        found(&t, "valenko").await.is_empty(),
        "a word's middle is not a prefix"
    );
}

#[tokio::test]
async fn long_words_and_repeated_words_are_prefixes_too() {
    let (t, olena, _, _) = app_with_people().await;
    let long = t
        .insert_contact(
            t.a.account_id,
            json!({"name": "Kostiantyn Oleksandrovychenko-Shevchuk"}),
        )
        .await;
    for q in [
        "oleksandrovych",
        "OLEKSANDROVYCHENKO",
        "oleksandrovyche kost",
        "shevchuk oleksandrovychen",
    ] {
        assert_eq!(found(&t, q).await, vec![long], "{q}");
    }
    assert!(
        found(&t, "oleksandrovychenkos").await.is_empty(),
        "longer than the word"
    );
    assert!(
        found(&t, "oleksandrovichenko").await.is_empty(),
        "another word"
    );
    assert_eq!(found(&t, "olena olena").await, vec![olena], "a word twice");
    assert_eq!(
        found(&t, "kov-ole").await,
        vec![olena],
        "words split at punctuation"
    );
}

#[tokio::test]
async fn accents_and_other_scripts_are_matched_insensitively() {
    let (t, _, jurgen, cyrillic) = app_with_people().await;
    assert_eq!(found(&t, "jurgen gro").await, vec![jurgen]);
    assert_eq!(found(&t, "JÜRGEN").await, vec![jurgen]);
    assert_eq!(found(&t, "олена").await, vec![cyrillic]);
    assert_eq!(found(&t, "ШЕВЧ").await, vec![cyrillic]);
}

#[tokio::test]
async fn phone_digits_whatever_the_formatting() {
    let (t, olena, jurgen, _) = app_with_people().await;
    for q in [
        "+380 50 123 45 67",
        "050-123-4567",
        "1234567",
        "(050) 123 45 67",
        "00380501234567",
    ] {
        assert_eq!(found(&t, q).await, vec![olena], "{q}");
    }
    assert_eq!(found(&t, "07911 123456").await, vec![jurgen]);
}

#[tokio::test]
async fn a_number_stored_before_normalisation_is_found_by_its_digits() {
    let (t, _, _, _) = app_with_people().await;
    // Imported as the old CRM wrote it: not E.164, with spaces, dashes and brackets.
    let legacy = t
        .insert_contact(
            t.a.account_id,
            json!({"name": "Olha Hnatiuk", "phone_number": "(067) 765-43 21"}),
        )
        .await;
    for q in ["0677654321", "765 43 21", "+380677654321", "7654"] {
        assert_eq!(found(&t, q).await, vec![legacy], "{q}");
    }

    // Once normalised by an edit, the index follows the new digits.
    let r = t
        .put(
            &format!("/contacts/{legacy}"),
            json!({"phone_number": "+48 601 234 567"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(found(&t, "601234567").await, vec![legacy]);
    assert_eq!(found(&t, "7654321").await, Vec::<i64>::new());
}

#[tokio::test]
async fn email_substrings_and_identifiers() {
    let (t, olena, jurgen, cyrillic) = app_with_people().await;
    assert_eq!(found(&t, "na.k@exa").await, vec![olena]);
    assert_eq!(found(&t, "EXAMPLE.COM").await, vec![olena]);
    assert_eq!(
        found(&t, "muller").await,
        vec![jurgen],
        "accents ignored in emails too"
    );
    assert_eq!(found(&t, "crm-88").await, vec![olena]);
    assert_eq!(
        found(&t, "A1").await,
        vec![cyrillic],
        "short identifiers match exactly"
    );
}

#[tokio::test]
async fn search_combines_with_labels_sort_and_paging() {
    let (t, olena, _, _) = app_with_people().await;
    let other = t
        .insert_contact(
            t.a.account_id,
            json!({"name": "Olena Bondarenko", "last_activity_at": 5}),
        )
        .await;
    t.label_contact(t.a.account_id, other, &["vip"]).await;
    assert_eq!(found(&t, "olena").await.len(), 2, "both Latin Olenas");
    let r = t.get("/contacts/search?q=olena&labels[]=vip").await;
    assert_eq!(TestApp::ids(&r), vec![other]);
    let r = t
        .get("/contacts/search?q=olena&sort=name&per_page=1&page=2")
        .await;
    assert_eq!(r.body["meta"]["count"], 2);
    assert_eq!(r.body["meta"]["current_page"], 2);
    assert_eq!(
        TestApp::ids(&r),
        vec![olena],
        "Olena Bondarenko, then Olena Kovalenko"
    );
    // The total comes with the page's rows; a page past the end has none to carry it.
    let r = t.get("/contacts/search?q=olena&per_page=1&page=3").await;
    assert_eq!(
        r.body["meta"]["count"], 2,
        "counted without a page to carry it"
    );
    assert!(TestApp::ids(&r).is_empty());
    let r = t.get("/contacts/search?q=nobody-at-all").await;
    assert_eq!(r.body["meta"]["count"], 0);
}

#[tokio::test]
async fn blank_query_is_refused_with_chatwoots_message() {
    let (t, ..) = app_with_people().await;
    for url in [
        "/contacts/search",
        "/contacts/search?q=",
        "/contacts/search?q=%20%20",
    ] {
        let r = t.get(url).await;
        assert_eq!(r.status, 422, "{url}");
        assert_eq!(
            r.body,
            json!({"error": "Specify search string with parameter q"})
        );
    }
}

#[tokio::test]
async fn fts_syntax_and_sql_in_the_query_are_just_text() {
    let (t, ..) = app_with_people().await;
    for q in [
        "\"",
        "*",
        "ole OR kov",
        "NEAR(a b)",
        "'; DROP TABLE contacts;--",
        "email:x",
        "^ole",
    ] {
        let r = t.get(&format!("/contacts/search?q={}", urlencode(q))).await;
        assert_eq!(r.status, 200, "{q}: {}", r.text);
    }
    assert_eq!(
        found(&t, "ole OR kov").await.len(),
        0,
        "OR is a word here, not an operator"
    );
    assert_eq!(found(&t, "kov").await.len(), 1, "the table is intact");
}

#[tokio::test]
async fn other_accounts_contacts_are_never_found() {
    let (t, olena, ..) = app_with_people().await;
    assert_eq!(found(&t, "+380501234567").await, vec![olena]);
    let r = t
        .request(
            axum::http::Method::GET,
            &t.b_url("/contacts/search?q=olena"),
            Some(&t.a.token),
            None,
        )
        .await;
    assert_eq!(r.status, 401);
}

/// Every branch of the search is answered from an index: the plan never scans the
/// contacts table, whatever is searched. On SQLite, the FTS5 tables and the identifier
/// index, then contacts by primary key; on PostgreSQL, each branch from its GIN or
/// identifier index, then contacts by primary key, never a sequential scan nor a walk of
/// the account in sort order.
#[tokio::test]
async fn the_query_plan_uses_indexes_never_a_table_scan() {
    let (t, ..) = app_with_people().await;
    common::load_filler(&t, t.a.account_id, 20_000, false).await;
    let engine = novatalks_server::db::test_engine();
    // What each search must read, on PostgreSQL, besides the identifier's index.
    let cases = [
        (
            "ole kov",
            &[
                "contacts_name_prefixes",
                "contacts_email_unaccent_trgm",
                "contacts_company_unaccent_trgm",
            ][..],
        ),
        (
            "+380 50 123",
            &["contacts_name_prefixes", "contacts_phone_trgm"][..],
        ),
        (
            "example.com",
            &[
                "contacts_name_prefixes",
                "contacts_email_unaccent_trgm",
                "contacts_company_unaccent_trgm",
            ][..],
        ),
        ("A1", &["contacts_name_prefixes"][..]),
    ];
    for (q, indexes) in cases {
        let plan = novatalks_server::contacts::search_query_plan(&t.db, t.a.account_id, q)
            .await
            .expect("plan");
        let text = plan.join("\n");
        println!("{engine:?} plan of {q:?}:\n{text}\n");
        assert!(!text.is_empty());
        match engine {
            Engine::Sqlite => {
                for line in &plan {
                    // "SCAN c", "SCAN c2 USING INDEX …", "SCAN contacts": a walk over the table.
                    let scanned = line
                        .strip_prefix("SCAN ")
                        .and_then(|rest| rest.split(' ').next());
                    let scans_table = matches!(scanned, Some("c" | "c2" | "contacts"));
                    assert!(!scans_table, "{q}: table scan in plan:\n{text}");
                }
                assert!(
                    text.contains("VIRTUAL TABLE INDEX") || text.contains("USING INDEX"),
                    "{q}:\n{text}"
                );
                assert!(
                    text.contains("USING INTEGER PRIMARY KEY"),
                    "{q}: contacts by id:\n{text}"
                );
            }
            Engine::Postgres => {
                assert!(
                    !common::seq_scanned(&plan).contains(&"contacts"),
                    "{q}: table scan in plan:\n{text}"
                );
                assert!(
                    !text.contains("contacts_sort_"),
                    "{q}: a walk of the account in sort order:\n{text}"
                );
                assert!(
                    text.contains("contacts_account_identifier"),
                    "{q}: the exact identifier:\n{text}"
                );
                for index in indexes {
                    let used = text.contains(&format!("Index Scan on {index}"))
                        || text.contains(&format!("Index Scan using {index}"));
                    assert!(used, "{q}: {index} unused:\n{text}");
                }
                assert!(
                    text.contains("Index Scan using contacts_pkey"),
                    "{q}: the page's contacts by id:\n{text}"
                );
            }
        }
    }
    // Among the filler, the same answers.
    assert_eq!(found(&t, "ole kov").await.len(), 1);
    assert_eq!(found(&t, "+380 50 123").await.len(), 1);
}

/// A database just seeded (the demo data, as a first start makes it) is planned from real
/// statistics: PostgreSQL's search reads the name and email indexes at once instead of
/// running its functions over every contact until autovacuum comes by (138 ms instead of
/// 11 ms for one search of the 2,000 demo contacts, measured under the load bench).
#[tokio::test]
async fn a_freshly_seeded_database_searches_through_its_indexes() {
    let db = novatalks_server::db::for_tests(None)
        .await
        .expect("database");
    novatalks_server::seed::demo(&db).await.expect("demo data");
    let account: i64 = novatalks_server::db::query_scalar("SELECT min(id) FROM accounts")
        .fetch_one(&db)
        .await
        .expect("the demo account");
    let plan = novatalks_server::contacts::search_query_plan(&db, account, "olena")
        .await
        .expect("plan");
    let text = plan.join("\n");
    match novatalks_server::db::test_engine() {
        Engine::Sqlite => assert!(text.contains("VIRTUAL TABLE INDEX"), "{text}"),
        Engine::Postgres => {
            assert!(text.contains("contacts_name_prefixes"), "{text}");
            assert!(text.contains("contacts_email_unaccent_trgm"), "{text}");
            assert!(common::seq_scanned(&plan).is_empty(), "{text}");
        }
    }
}
