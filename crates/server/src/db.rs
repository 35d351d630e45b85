use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::AppError;

/// The database file inside the data directory.
pub const DB_FILE: &str = "novatalks.db";

/// Opens (creating the directory and file) and migrates the database in `data_dir`.
pub async fn open(data_dir: &Path) -> Result<SqlitePool, AppError> {
    std::fs::create_dir_all(data_dir).map_err(|e| {
        AppError::internal(format!(
            "cannot create data directory {}: {e}",
            data_dir.display()
        ))
    })?;
    let url = format!("sqlite://{}", data_dir.join(DB_FILE).display());
    let options = SqliteConnectOptions::from_str(&url)
        .map_err(|e| AppError::internal(e.to_string()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .after_connect(|conn, _| Box::pin(crate::fold::register(conn)))
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// An in-memory database for tests, migrated. One connection, so every query sees it.
pub async fn open_in_memory() -> Result<SqlitePool, AppError> {
    let options = SqliteConnectOptions::from_str("sqlite::memory:")
        .map_err(|e| AppError::internal(e.to_string()))?
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .after_connect(|conn, _| Box::pin(crate::fold::register(conn)))
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

async fn migrate(pool: &SqlitePool) -> Result<(), AppError> {
    sqlx::migrate!("./migrations")
        .run(pool)
        .await
        .map_err(|e| AppError::internal(format!("database migration failed: {e}")))?;
    // Tokens from before migration 0014 are hashed now (SQLite has no SHA-256).
    crate::auth::hash_clear_tokens(pool).await?;
    Ok(())
}

/// Unix seconds now.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
