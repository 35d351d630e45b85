//! Accounts: the demo's, and fresh ones for tests.

use super::catalog::seed_catalog;
use super::DEMO_PASSWORD;
use crate::AppError;

/// A new account named `name`; returns its id.
pub(super) async fn create_account(db: &crate::db::Db, name: &str) -> Result<i64, AppError> {
    Ok(crate::db::query_scalar(
        "INSERT INTO accounts (name, created_at) VALUES (?, ?) RETURNING id",
    )
    .bind(name)
    .bind(crate::db::now())
    .fetch_one(db)
    .await?)
}

/// A fresh account for tests: one agent (password [`DEMO_PASSWORD`]), the demo labels,
/// attribute definitions and inboxes, and no contacts.
pub struct Fixture {
    pub account_id: i64,
    pub user_id: i64,
    /// The agent's personal access token, in clear (the database keeps its digest).
    pub token: String,
    /// (id, channel type), one inbox of each type.
    pub inboxes: Vec<(i64, &'static str)>,
    /// The `Channel::Api` inbox's random identifier (the key of its public API) and
    /// identity validation secret (`hmac_token`).
    pub api_inbox_identifier: String,
    pub api_hmac_token: String,
}

/// Makes a [`Fixture`] account.
pub async fn fixture_account(
    db: &crate::db::Db,
    name: &str,
    agent_email: &str,
) -> Result<Fixture, AppError> {
    let account_id = create_account(db, name).await?;
    let (user_id, token) = crate::auth::create_user_with_token(
        db,
        account_id,
        "Test Agent",
        agent_email,
        DEMO_PASSWORD,
    )
    .await?;
    let mut tx = crate::db::write_tx(db).await?;
    let inboxes = seed_catalog(&mut tx, account_id, crate::db::now()).await?;
    let (api_inbox_identifier, api_hmac_token): (String, String) = crate::db::query_as(
        "SELECT inbox_identifier, hmac_token FROM inboxes
         WHERE account_id = ? AND channel_type = 'Channel::Api' ORDER BY id LIMIT 1",
    )
    .bind(account_id)
    .fetch_one(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(Fixture {
        account_id,
        user_id,
        token,
        inboxes,
        api_inbox_identifier,
        api_hmac_token,
    })
}
