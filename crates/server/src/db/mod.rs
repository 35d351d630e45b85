//! The database: an embedded SQLite file (the default) or a shared PostgreSQL, behind one
//! seam. Handlers hold a [`Db`] (the pool) and run statements written once, in the SQL both
//! engines speak, through [`query`]; where the engines must differ the code says so with
//! [`Engine::pick`] or a `match` on [`Conn::engine`]. docs/ARCHITECTURE.md says why and how
//! to add a query.

mod conn;
mod postgres;
mod query;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::AppError;

pub use conn::Conn;
pub use postgres::WRITE_LOCK;
pub use query::{
    numbered, query, query_as, query_scalar, Arg, Bind, Builder, Done, JsonText, Query, QueryAs,
    QueryScalar, Record, Scalar, Separated, Target,
};

/// Which database engine a pool or connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// `email = ?` ignoring case, as the engine's unique index on it reads it (SQLite's
    /// `NOCASE`, ASCII letters; PostgreSQL's `fold()`, every script).
    pub fn email_is(self) -> &'static str {
        self.pick("email = ? COLLATE NOCASE", "fold(email) = fold(?)")
    }
}

/// The pool of either engine. Cloning shares it.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// A connection of the pool, held until dropped.
    pub async fn acquire(&self) -> Result<Conn, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => Conn::new(conn::Inner::Sqlite(pool.acquire().await?)),
            Db::Postgres(pool) => Conn::new(conn::Inner::Postgres(pool.acquire().await?)),
        })
    }

    /// The SQLite pool, for what only SQLite has.
    pub fn as_sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Db::Sqlite(pool) => Some(pool),
            Db::Postgres(_) => None,
        }
    }

    /// Connections open in the pool.
    pub fn size(&self) -> u32 {
        match self {
            Db::Sqlite(pool) => pool.size(),
            Db::Postgres(pool) => pool.size(),
        }
    }

    /// Connections open and idle in the pool.
    pub fn num_idle(&self) -> usize {
        match self {
            Db::Sqlite(pool) => pool.num_idle(),
            Db::Postgres(pool) => pool.num_idle(),
        }
    }

    /// Closes every connection (tests that reopen a file).
    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// The variable that points the test suites at a PostgreSQL cluster (`postgres://…`
/// whose user may create databases); unset, they run on SQLite.
pub const TEST_DATABASE_URL: &str = "NOVATALKS_TEST_DATABASE_URL";

/// The database a test runs on: a new database of its own in the cluster of
/// [`TEST_DATABASE_URL`] when that is set; otherwise SQLite, in the file of `dir` (the
/// production pool) or, without a directory, in memory.
pub async fn for_tests(dir: Option<&Path>) -> Result<Db, AppError> {
    match std::env::var(TEST_DATABASE_URL) {
        Ok(url) if !url.trim().is_empty() => postgres::fresh_database(url.trim()).await,
        _ => match dir {
            Some(dir) => open(dir).await,
            None => open_in_memory().await,
        },
    }
}

/// The URL another pool (a second server, say) opens the same database with: for a
/// PostgreSQL test database (trust authentication, no password); `None` for SQLite,
/// whose file is found by its data directory.
pub fn url_of(db: &Db) -> Option<String> {
    match db {
        Db::Sqlite(_) => None,
        Db::Postgres(pool) => {
            let o = pool.connect_options();
            Some(format!(
                "postgres://{}@{}:{}/{}",
                o.get_username(),
                o.get_host(),
                o.get_port(),
                o.get_database().unwrap_or("postgres")
            ))
        }
    }
}

/// A new, empty, migrated PostgreSQL database in the cluster of `admin_url` (whose user
/// may create databases): for tests and benchmarks.
pub async fn fresh_postgres_database(admin_url: &str) -> Result<Db, AppError> {
    postgres::fresh_database(admin_url).await
}

/// Which engine the test suites run on (see [`for_tests`]).
pub fn test_engine() -> Engine {
    match std::env::var(TEST_DATABASE_URL) {
        Ok(url) if !url.trim().is_empty() => Engine::Postgres,
        _ => Engine::Sqlite,
    }
}

/// A turn to seed the database: on PostgreSQL, other servers wait for it; SQLite's file
/// has one server. Released when dropped.
pub struct SeedTurn {
    _held: Option<sqlx::pool::PoolConnection<sqlx::Postgres>>,
}

impl SeedTurn {
    pub async fn take(db: &Db) -> Result<SeedTurn, AppError> {
        Ok(SeedTurn {
            _held: match db {
                Db::Sqlite(_) => None,
                Db::Postgres(pool) => Some(postgres::seed_turn(pool).await?),
            },
        })
    }
}

/// Where the server keeps its data: `postgres://…` (or `postgresql://…`) is PostgreSQL;
/// `sqlite://PATH` a SQLite file; no URL the SQLite file in the data directory.
pub async fn connect(url: Option<&str>, data_dir: &Path) -> Result<Db, AppError> {
    match url.map(str::trim).filter(|u| !u.is_empty()) {
        None => open(data_dir).await,
        Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
            postgres::open(u).await
        }
        Some(u) if u.starts_with("sqlite:") => open_sqlite_url(u).await,
        Some(u) => Err(AppError::internal(format!(
            "the database URL must start with postgres:// or sqlite://, not {:?}",
            u.split(':').next().unwrap_or_default()
        ))),
    }
}

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
pub async fn open(data_dir: &Path) -> Result<Db, AppError> {
    std::fs::create_dir_all(data_dir).map_err(|e| {
        AppError::internal(format!(
            "cannot create data directory {}: {e}",
            data_dir.display()
        ))
    })?;
    open_sqlite_url(&format!("sqlite://{}", data_dir.join(DB_FILE).display())).await
}

/// Opens (creating the file) and migrates the SQLite database at `url` (`sqlite://PATH`).
async fn open_sqlite_url(url: &str) -> Result<Db, AppError> {
    let options = SqliteConnectOptions::from_str(url)
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
    let db = Db::Sqlite(pool);
    migrate(&db).await?;
    Ok(db)
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
pub async fn open_in_memory() -> Result<Db, AppError> {
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
    let db = Db::Sqlite(pool);
    migrate(&db).await?;
    Ok(db)
}

/// Opens the transaction of anything that may write. Writes take turns, one at a time,
/// and the reads that decide a write (does the contact still exist? is the email taken?)
/// run inside it, where nothing can change them before the write.
///
/// - SQLite: `BEGIN IMMEDIATE`, which takes the write lock up front, waiting up to
///   [`BUSY_TIMEOUT`] while another writer holds it. A `BEGIN` (DEFERRED) transaction that
///   reads before it writes would take the lock only at its first write, and if another
///   connection wrote in between, SQLite fails it at once with "database is locked" (the
///   busy timeout never applies to that upgrade).
/// - PostgreSQL: `BEGIN`, then a transaction-scoped advisory lock that every write
///   transaction of every server takes ([`postgres::WRITE_LOCK`]): the same one-writer
///   discipline across servers, so no write fails for a serialization conflict, and
///   reads (which take no lock) never wait for it.
pub async fn write_tx(db: &Db) -> Result<Conn, AppError> {
    Ok(match db {
        Db::Sqlite(pool) => Conn::new(conn::Inner::SqliteTx(
            pool.begin_with("BEGIN IMMEDIATE").await?,
        )),
        Db::Postgres(pool) => postgres::write_tx(pool).await?,
    })
}

/// Opens a transaction that only reads, for reads that must see one moment of the
/// database across many statements (an export read page by page): SQLite's `BEGIN`
/// (deferred: a snapshot from the first read, no write lock), PostgreSQL's `BEGIN
/// ISOLATION LEVEL REPEATABLE READ` (one snapshot for every statement; temporary tables
/// may still be written). Writers are not held up by it on either engine.
pub async fn read_tx(db: &Db) -> Result<Conn, AppError> {
    Ok(match db {
        Db::Sqlite(pool) => Conn::new(conn::Inner::SqliteTx(pool.begin_with("BEGIN").await?)),
        Db::Postgres(pool) => Conn::new(conn::Inner::PostgresTx(
            pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ")
                .await?,
        )),
    })
}

async fn migrate(db: &Db) -> Result<(), AppError> {
    match db {
        Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await,
        Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await,
    }
    .map_err(|e| AppError::internal(format!("database migration failed: {e}")))?;
    // Tokens from before migration 0014 are hashed now (SQLite has no SHA-256).
    crate::auth::hash_clear_tokens(db).await?;
    Ok(())
}

/// After many rows arrived at once (the demo data, synthetic contacts, an import): on
/// PostgreSQL, gathers the planner's statistics of `tables` now rather than when
/// autovacuum next comes by. Until then a table it never analysed is planned as a dozen
/// rows, and the search then runs its functions over every contact instead of using the
/// indexes (138 ms instead of 11 ms for a search of the 2,000 demo contacts). VACUUM as
/// well as ANALYZE: only VACUUM writes a GIN index's own statistics, without which the
/// planner prices a fresh trigram index as if it were huge. SQLite plans without
/// statistics here (the plan tests depend on it): nothing to do.
pub async fn refresh_statistics(db: &Db, tables: &[&str]) -> Result<(), AppError> {
    if db.engine() == Engine::Postgres {
        // The names are this crate's own constants, never input. VACUUM runs outside a
        // transaction: on the pool, never in `write_tx`.
        crate::db::query(format!("VACUUM (ANALYZE) {}", tables.join(", ")))
            .execute(db)
            .await?;
    }
    Ok(())
}

/// The tables a search, a label filter or a list reads: what [`refresh_statistics`]
/// refreshes after contacts arrived in bulk.
pub const CONTACT_TABLES: &[&str] = &[
    "contacts",
    "contact_labels",
    "conversations",
    "contact_inboxes",
];

/// Unix seconds now.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
