use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::AppError;

/// The database file inside the data directory.
pub const DB_FILE: &str = "novatalks.db";

/// How long a write waits for another writer to finish (SQLite's busy timeout) before
/// the request ends in a 503 that says to try again. A write holds the lock for the few
/// milliseconds of its transaction, so dozens of agents saving at once wait a small
/// fraction of this (the concurrency suite runs 64 on a debug build without one 503).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections of the pool. SQLite writes one at a time whatever the count; in WAL mode
/// reads run beside the writer, so a few connections serve dozens of agents: a request
/// holds one only for its queries, and the rest queue for one for at most
/// [`ACQUIRE_TIMEOUT`]. More connections would only add writers waiting on the lock.
pub const MAX_CONNECTIONS: u32 = 8;
/// How long a request waits for a free connection before a 503 that says to try again.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

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
        .busy_timeout(BUSY_TIMEOUT);
    let pool = SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .after_connect(|conn, _| {
            Box::pin(async move {
                crate::fold::register(conn).await?;
                wait_briefly_when_busy(conn).await
            })
        })
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// How long a writer sleeps between two tries for SQLite's write lock.
const BUSY_RETRY: Duration = Duration::from_micros(500);

/// SQLite's own busy handler (what `busy_timeout` installs) sleeps ever longer between
/// tries, up to 100 ms each: under a shift of agents saving at once, the slowest writes
/// waited for those sleeps long after the lock was free. This one tries again every
/// [`BUSY_RETRY`], until [`BUSY_TIMEOUT`].
async fn wait_briefly_when_busy(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    use libsqlite3_sys as ffi;
    use std::ffi::{c_int, c_void};

    unsafe extern "C" fn retry(_: *mut c_void, tries: c_int) -> c_int {
        let waited = BUSY_RETRY.saturating_mul(tries.max(0) as u32);
        if waited >= BUSY_TIMEOUT {
            return 0;
        }
        std::thread::sleep(BUSY_RETRY);
        1
    }

    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is this connection's open handle, held locked for the call; the
    // handler keeps no state and no user data is passed.
    let rc = unsafe { ffi::sqlite3_busy_handler(db, Some(retry), std::ptr::null_mut()) };
    if rc != ffi::SQLITE_OK {
        return Err(sqlx::Error::Protocol(format!(
            "cannot set the busy handler (SQLite code {rc})"
        )));
    }
    Ok(())
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

/// Opens the transaction of anything that may write: `BEGIN IMMEDIATE`, which takes
/// SQLite's write lock up front, waiting up to [`BUSY_TIMEOUT`] while another writer
/// holds it. A `BEGIN` (DEFERRED) transaction that reads before it writes would take the
/// lock only at its first write, and if another connection wrote in between, SQLite
/// fails it at once with "database is locked" (the busy timeout never applies to that
/// upgrade). So every transaction that may write opens with this, and reads that decide
/// a write (does the contact still exist? is the email taken?) run inside it, where
/// nothing can change them before the write.
pub async fn write_tx(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, AppError> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
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
