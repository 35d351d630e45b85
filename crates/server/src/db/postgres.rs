//! PostgreSQL: the pool, and the write discipline every server on one database shares.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use super::conn::{Conn, Inner};
use super::{Db, ACQUIRE_TIMEOUT};
use crate::AppError;

/// Connections of one server's pool. Reads run side by side on PostgreSQL, so a server
/// keeps more than on SQLite; several servers share the database's `max_connections`
/// (100 by default): 4 servers of 20 leave room for the rest.
pub const MAX_CONNECTIONS: u32 = 20;

/// The key of the advisory lock every write transaction takes
/// (`pg_advisory_xact_lock`), on every server of the database: writes take turns as on
/// SQLite, and a read that decides a write sees what the last writer committed.
pub const WRITE_LOCK: i64 = 0x4e6f_7661_5461_6c6b; // "NovaTalk"

/// The advisory lock the first start holds while it seeds the demo data, so two servers
/// started at once on an empty database seed it once.
pub const SEED_LOCK: i64 = WRITE_LOCK + 1;

/// Connects to the database at `url` and migrates it.
pub async fn open(url: &str) -> Result<Db, AppError> {
    open_with(options(url)?).await
}

fn options(url: &str) -> Result<PgConnectOptions, AppError> {
    Ok(PgConnectOptions::from_str(url)
        .map_err(|e| AppError::internal(format!("the PostgreSQL URL is not valid: {e}")))?
        .application_name("novatalks-server")
        // No JIT: it compiles a query costed as big (a count over a wide filter) for 5–10 ms
        // before running it, more than such a query gains; every request here is short.
        .options([("jit", "off")]))
}

async fn open_with(options: PgConnectOptions) -> Result<Db, AppError> {
    let pool = PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|e| AppError::internal(format!("cannot connect to PostgreSQL: {e}")))?;
    let db = Db::Postgres(pool);
    super::migrate(&db).await?;
    Ok(db)
}

/// `BEGIN` and the write lock ([`WRITE_LOCK`]).
pub async fn write_tx(pool: &PgPool) -> Result<Conn, AppError> {
    let mut tx = pool.begin().await?;
    // As SQLite's busy timeout: past it, a 503 that says to try again (SQLSTATE 55P03).
    sqlx::query("SELECT set_config('lock_timeout', $1, true)")
        .bind(format!("{}ms", super::BUSY_TIMEOUT.as_millis()))
        .execute(&mut *tx)
        .await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITE_LOCK)
        .execute(&mut *tx)
        .await?;
    Ok(Conn::new(Inner::PostgresTx(tx)))
}

/// Held while the demo data is seeded ([`SEED_LOCK`], a session-level advisory lock on a
/// connection of its own): a second server starting meanwhile waits, then finds the data.
/// The lock goes with the connection, which is closed rather than given back.
pub async fn seed_turn(
    pool: &PgPool,
) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, AppError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(SEED_LOCK)
        .execute(&mut *conn)
        .await?;
    conn.close_on_drop();
    Ok(conn)
}

/// A new, empty database in the cluster of `admin_url` (whose user may create databases),
/// migrated: each test gets its own.
pub async fn fresh_database(admin_url: &str) -> Result<Db, AppError> {
    use sqlx::Connection;
    static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let serial = SERIAL.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    // Digits and letters only, made here: nothing of any input is in the name.
    let name = format!("nt_{}_{serial}_{nanos}", std::process::id());
    let admin = options(admin_url)?;
    let mut conn = sqlx::PgConnection::connect_with(&admin)
        .await
        .map_err(|e| AppError::internal(format!("cannot connect to PostgreSQL: {e}")))?;
    if serial == 0 {
        drop_leftovers(&mut conn).await;
    }
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    open_with(admin.database(&name)).await
}

/// Drops the databases [`fresh_database`] made for processes that have ended on this
/// machine (a test binary does not drop its own: its pools live until it exits), so that
/// runs over runs do not fill the cluster's disk. Only names of [`fresh_database`]'s
/// shape, only dead processes' (Linux's `/proc` tells), and never a database in use: a
/// `DROP DATABASE` of one that has connections fails, and is let fail. Best effort.
async fn drop_leftovers(conn: &mut sqlx::PgConnection) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'nt\\_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for name in names {
        let mut parts = name.split('_');
        let shaped = parts.next() == Some("nt")
            && parts.clone().count() == 3
            && parts
                .clone()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let Some(pid) = parts.next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let alive =
            pid == std::process::id() || std::path::Path::new(&format!("/proc/{pid}")).exists();
        if shaped && !alive {
            // The name is digits and `nt_` only (checked above): nothing to quote.
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut *conn)
                .await;
        }
    }
}
