//! Demo data: two accounts (the second proves isolation) with realistic contacts, fresh
//! accounts for tests, and a generator of synthetic contacts for benchmarks.
//!
//! Everything is generated from a fixed seed, so every fresh database holds the same data.
//!
//! - [`accounts`]: accounts, and the test [`Fixture`];
//! - [`catalog`]: an account's labels, attribute definitions and inboxes;
//! - [`people`]: generated names, emails and phones ([`rng`] draws them);
//! - [`contacts`]: the demo's contacts, with [`conversations`] and notes around them;
//! - [`duplicates`]: the pair of contacts the demo merges;
//! - [`synthetic`]: contacts in bulk.

mod accounts;
mod catalog;
mod contacts;
mod conversations;
mod duplicates;
mod people;
mod rng;
mod synthetic;

use crate::auth::create_user;
use crate::AppError;

pub use accounts::{fixture_account, Fixture};
pub use duplicates::DUPLICATE_PAIR;
pub use synthetic::synthetic;

pub const DEMO_AGENT_EMAIL: &str = "agent@demo.test";
pub const OTHER_AGENT_EMAIL: &str = "agent@other.test";
pub const DEMO_PASSWORD: &str = "novatalks-demo";
/// Contacts in the demo account.
pub const DEMO_CONTACTS: usize = 2_000;
/// Contacts in the second account.
pub const OTHER_CONTACTS: usize = 60;

const DAY: i64 = 86_400;

/// True when no account exists yet (a fresh database).
pub async fn is_empty(db: &crate::db::Db) -> Result<bool, AppError> {
    let n: i64 = crate::db::query_scalar("SELECT count(*) FROM accounts")
        .fetch_one(db)
        .await?;
    Ok(n == 0)
}

/// Seeds the demo data if the database is empty, once per database: of several servers
/// started at once on one PostgreSQL, one seeds and the others wait for it and find it
/// seeded. True when this call seeded.
pub async fn demo_once(db: &crate::db::Db) -> Result<bool, AppError> {
    let _turn = crate::db::SeedTurn::take(db).await?;
    if !is_empty(db).await? {
        return Ok(false);
    }
    demo(db).await?;
    Ok(true)
}

/// Seeds the demo account, its agents and data, and the second account.
pub async fn demo(db: &crate::db::Db) -> Result<(), AppError> {
    let now = crate::db::now();
    let demo = accounts::create_account(db, "NovaTalks Demo").await?;
    let demo_agent = create_user(db, demo, "Demo Agent", DEMO_AGENT_EMAIL, DEMO_PASSWORD).await?;
    let colleague =
        create_user(db, demo, "Maria Support", "maria@demo.test", DEMO_PASSWORD).await?;
    let other = accounts::create_account(db, "Other Company").await?;
    let other_agent =
        create_user(db, other, "Other Agent", OTHER_AGENT_EMAIL, DEMO_PASSWORD).await?;

    let mut tx = crate::db::write_tx(db).await?;
    contacts::seed_account(
        &mut tx,
        demo,
        &[demo_agent, colleague],
        DEMO_CONTACTS - DUPLICATE_PAIR.len(),
        0,
        now,
        0xC0FFEE,
    )
    .await?;
    duplicates::seed_duplicate_pair(&mut tx, demo, demo_agent, now).await?;
    contacts::seed_account(
        &mut tx,
        other,
        &[other_agent],
        OTHER_CONTACTS,
        500_000,
        now,
        0xBEEF,
    )
    .await?;
    tx.commit().await?;
    crate::db::refresh_statistics(db, crate::db::CONTACT_TABLES).await
}
