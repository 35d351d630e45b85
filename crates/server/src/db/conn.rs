//! One connection taken from the pool, or one transaction, on either engine: what a
//! handler holds between statements. Queries run on `&mut Conn` ([`super::query`]).

use sqlx::pool::PoolConnection;
use sqlx::{Postgres, Sqlite, Transaction};

use super::Engine;

pub(super) enum Inner {
    Sqlite(PoolConnection<Sqlite>),
    SqliteTx(Transaction<'static, Sqlite>),
    Postgres(PoolConnection<Postgres>),
    PostgresTx(Transaction<'static, Postgres>),
}

/// A connection or a transaction. A transaction not committed is rolled back when it is
/// dropped, as sqlx's.
pub struct Conn {
    pub(super) inner: Inner,
}

impl Conn {
    pub(super) fn new(inner: Inner) -> Conn {
        Conn { inner }
    }

    pub fn engine(&self) -> Engine {
        match self.inner {
            Inner::Sqlite(_) | Inner::SqliteTx(_) => Engine::Sqlite,
            Inner::Postgres(_) | Inner::PostgresTx(_) => Engine::Postgres,
        }
    }

    /// Commits a transaction (a plain connection has nothing to commit).
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.inner {
            Inner::SqliteTx(tx) => tx.commit().await,
            Inner::PostgresTx(tx) => tx.commit().await,
            Inner::Sqlite(_) | Inner::Postgres(_) => Ok(()),
        }
    }

    /// Rolls a transaction back.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.inner {
            Inner::SqliteTx(tx) => tx.rollback().await,
            Inner::PostgresTx(tx) => tx.rollback().await,
            Inner::Sqlite(_) | Inner::Postgres(_) => Ok(()),
        }
    }

    /// Closes the connection when it is dropped instead of giving it back to the pool.
    pub fn close_on_drop(&mut self) {
        match &mut self.inner {
            Inner::Sqlite(c) => c.close_on_drop(),
            Inner::Postgres(c) => c.close_on_drop(),
            // A transaction's connection goes back rolled back; nothing is armed on it.
            Inner::SqliteTx(_) | Inner::PostgresTx(_) => {}
        }
    }

    /// The SQLite connection, for what only SQLite has (its progress handler).
    pub fn as_sqlite(&mut self) -> Option<&mut sqlx::SqliteConnection> {
        match &mut self.inner {
            Inner::Sqlite(c) => Some(&mut **c),
            Inner::SqliteTx(c) => Some(&mut **c),
            _ => None,
        }
    }
}
