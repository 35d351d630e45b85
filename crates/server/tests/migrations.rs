//! Migrations applied to a database that already holds contacts: what an existing
//! installation goes through on upgrade, not only a fresh one.

use std::borrow::Cow;
use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;

static ALL: Migrator = sqlx::migrate!("./migrations/sqlite");

/// The migrations up to and including `last`, as an installation of that time had them.
fn up_to(last: i64) -> Migrator {
    Migrator {
        migrations: Cow::Owned(
            ALL.migrations
                .iter()
                .filter(|m| m.version <= last)
                .cloned()
                .collect(),
        ),
        ..Migrator::DEFAULT
    }
}

async fn memory_db() -> SqlitePool {
    let options = SqliteConnectOptions::from_str("sqlite::memory:")
        .expect("an in-memory url")
        .foreign_keys(true);
    SqlitePoolOptions::new()
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await
        .expect("an in-memory database")
}

async fn phone_matches(db: &SqlitePool, digits: &str) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT rowid FROM contacts_contact_fts WHERE contacts_contact_fts MATCH ? ORDER BY rowid",
    )
    .bind(format!("phone_digits : \"{digits}\""))
    .fetch_all(db)
    .await
    .expect("an FTS query")
}

#[tokio::test]
async fn phone_digits_of_numbers_stored_in_any_format_are_indexed_on_upgrade() {
    let db = memory_db().await;
    up_to(11).run(&db).await.expect("migrations 1-11");
    sqlx::query("INSERT INTO accounts (id, name, created_at) VALUES (1, 'A', 0)")
        .execute(&db)
        .await
        .expect("an account");
    for (id, phone) in [
        (1, "+380501234567"),
        (2, "050 123-45 68"),
        (3, "(067) 765.43.21"),
    ] {
        sqlx::query(
            "INSERT INTO contacts (id, account_id, phone_number, created_at, updated_at)
             VALUES (?, 1, ?, 0, 0)",
        )
        .bind(id)
        .bind(phone)
        .execute(&db)
        .await
        .expect("a contact");
    }
    assert_eq!(
        phone_matches(&db, "0501234568").await,
        Vec::<i64>::new(),
        "before 0012 a spaced number was not found by its digits"
    );

    ALL.run(&db).await.expect("the upgrade");
    assert_eq!(phone_matches(&db, "0501234568").await, [2]);
    assert_eq!(phone_matches(&db, "0677654321").await, [3]);
    assert_eq!(phone_matches(&db, "501234567").await, [1]);
    assert_eq!(phone_matches(&db, "50123456").await, [1, 2]);

    // The triggers still keep the index in step.
    sqlx::query("UPDATE contacts SET phone_number = '+48 601 234 567' WHERE id = 3")
        .execute(&db)
        .await
        .expect("an update");
    sqlx::query("DELETE FROM contacts WHERE id = 1")
        .execute(&db)
        .await
        .expect("a delete");
    assert_eq!(phone_matches(&db, "48601234567").await, [3]);
    assert_eq!(phone_matches(&db, "7654321").await, Vec::<i64>::new());
    assert_eq!(phone_matches(&db, "50123456").await, [2]);
}

#[tokio::test]
async fn existing_api_inboxes_get_random_identifiers_and_secrets_on_upgrade() {
    let db = memory_db().await;
    up_to(12).run(&db).await.expect("migrations 1-12");
    sqlx::query("INSERT INTO accounts (id, name, created_at) VALUES (1, 'A', 0), (2, 'B', 0)")
        .execute(&db)
        .await
        .expect("accounts");
    let long_custom = "a-long-random-key-set-by-hand-0123456789";
    for (id, account, channel, identifier) in [
        (1, 1, "Channel::Api", Some("api-inbox-1")),
        (2, 2, "Channel::Api", Some("api-inbox-2")),
        (3, 1, "Channel::Api", Some("short")),
        (4, 1, "Channel::Api", None),
        (5, 1, "Channel::Api", Some(long_custom)),
        (6, 1, "Channel::WebWidget", None),
    ] {
        sqlx::query(
            "INSERT INTO inboxes (id, account_id, name, channel_type, inbox_identifier)
             VALUES (?, ?, 'Inbox', ?, ?)",
        )
        .bind(id)
        .bind(account)
        .bind(channel)
        .bind(identifier)
        .execute(&db)
        .await
        .expect("an inbox");
    }

    ALL.run(&db).await.expect("the upgrade");
    let rows: Vec<(i64, Option<String>, Option<String>, bool)> = sqlx::query_as(
        "SELECT id, inbox_identifier, hmac_token, hmac_mandatory FROM inboxes ORDER BY id",
    )
    .fetch_all(&db)
    .await
    .expect("inboxes");
    let hex = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    };
    let mut identifiers = Vec::new();
    let mut secrets = Vec::new();
    for (id, identifier, secret, mandatory) in &rows {
        assert!(!mandatory, "inbox {id}: identity validation stays optional");
        if *id == 6 {
            assert_eq!((identifier, secret), (&None, &None), "not an API inbox");
            continue;
        }
        let identifier = identifier.clone().expect("an identifier");
        let secret = secret.clone().expect("a secret");
        if *id == 5 {
            assert_eq!(identifier, long_custom, "an unguessable identifier is kept");
        } else {
            assert_eq!(identifier.len(), 36, "inbox {id}: {identifier}");
            assert!(hex(&identifier), "{identifier}");
        }
        assert_eq!(secret.len(), 64, "inbox {id}");
        assert!(hex(&secret), "{secret}");
        identifiers.push(identifier);
        secrets.push(secret);
    }
    for list in [&mut identifiers, &mut secrets] {
        let n = list.len();
        list.sort();
        list.dedup();
        assert_eq!(list.len(), n, "each inbox its own: {list:?}");
    }
    let guessable: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM inboxes WHERE inbox_identifier LIKE 'api-inbox-%' OR inbox_identifier = 'short'",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(guessable, 0);
}
