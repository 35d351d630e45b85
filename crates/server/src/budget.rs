//! No request stalls the rest: the reads of a list, search or filter request run within a
//! time budget, stop when their client goes away, and heavy ones take turns.
//!
//! - **The budget.** [`Reads::begin`] fixes a deadline (`--query-budget-ms`) for every read
//!   of the request, the wait for a turn and for a connection included. Its statements run
//!   under SQLite's progress handler, which SQLite calls every [`PROGRESS_OPS`] virtual
//!   machine steps; past the deadline it returns `false`, SQLite interrupts the statement
//!   (`SQLITE_INTERRUPT`), and the request ends with a 503 saying, in words, that the
//!   filter or search is too broad and how to narrow it.
//! - **A client that goes away.** When the connection closes, hyper drops the request's
//!   future (HTTP/1 detects the EOF of a busy connection, as `half_close` is off), and with
//!   it the [`Reads`]: its drop raises a cancellation flag the progress handler also
//!   checks, so a statement nobody waits for stops at once instead of running to the end
//!   on its connection's worker thread.
//! - **Turns.** At most [`QueryGate::heavy_limit`] filters (reads no index bounds) run at
//!   once, so the rest of the pool's connections and the cores stay free for lists and
//!   cards; waiting for a turn counts against the budget.
//!
//! The progress handler is removed before the connection goes back to the pool: by
//! [`Reads::finish`] on the normal path, or by a task the drop spawns, which waits for the
//! interrupted statement to end first.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::db::{Conn, Engine};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::{AppError, AppState};

/// The default of `--query-budget-ms`.
pub const DEFAULT_QUERY_BUDGET_MS: u64 = 2_000;

/// SQLite virtual machine steps between two calls of the progress handler: a clock read
/// per thousand steps costs well under 1 % and stops a statement within microseconds.
pub const PROGRESS_OPS: i32 = 1_000;

/// What a request reads: decides whether it needs a turn, and the words of its 503.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// `GET /contacts`: indexed, never waits for a turn.
    List,
    /// `GET /contacts/search`: full-text indexes, never waits for a turn.
    Search,
    /// `POST /contacts/filter`: may test every contact of the account; takes a turn.
    Filter,
}

impl Work {
    fn heavy(self) -> bool {
        matches!(self, Work::Filter)
    }

    /// The 503 of a statement stopped at the deadline.
    fn too_broad(self, budget: Duration) -> AppError {
        let within = human(budget);
        AppError::Unavailable(match self {
            Work::Filter => format!(
                "This filter is too broad to answer within {within}, so it was stopped. \
                 Narrow it: use fewer conditions or fewer values in each, prefer \
                 'equal to' over 'contains', or add a condition on labels, created at, \
                 last activity or blocked, which are looked up quickly."
            ),
            Work::Search => format!(
                "This search is too broad to answer within {within}, so it was stopped. \
                 Type more of the name, email or phone number, or choose a label to \
                 search within."
            ),
            Work::List => format!(
                "The contacts could not be read within {within}, so the request was \
                 stopped. Try again in a moment, or choose fewer labels."
            ),
        })
    }

    /// The 503 of a request that found no turn or connection free within its budget.
    fn busy(self, budget: Duration) -> AppError {
        let within = human(budget);
        AppError::Unavailable(match self {
            Work::Filter => format!(
                "The server is busy answering other large filters and could not start \
                 this one within {within}. Try again in a moment, or narrow the filter \
                 (fewer conditions or values) so that it answers faster."
            ),
            Work::Search | Work::List => format!(
                "The server is too busy to read the contacts within {within}. Try again \
                 in a moment."
            ),
        })
    }
}

/// "2 seconds", "1.5 seconds", "50 milliseconds".
fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1_000 {
        format!("{ms} milliseconds")
    } else if ms.is_multiple_of(1_000) {
        let s = ms / 1_000;
        format!("{s} second{}", if s == 1 { "" } else { "s" })
    } else {
        format!("{:.1} seconds", d.as_secs_f64())
    }
}

/// The turns of heavy reads of one server and its counters; a clone shares them.
#[derive(Clone)]
pub struct QueryGate {
    inner: Arc<GateInner>,
}

struct GateInner {
    heavy: Arc<Semaphore>,
    heavy_limit: usize,
    stats: GateStats,
}

#[derive(Default)]
struct GateStats {
    waiting: AtomicUsize,
    running: AtomicUsize,
    reading: AtomicUsize,
    over_budget: AtomicU64,
    cancelled: AtomicU64,
}

/// What a [`QueryGate`] has seen, for tests and logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GateSnapshot {
    /// Heavy requests waiting for a turn now.
    pub waiting: usize,
    /// Heavy requests holding a turn now.
    pub running: usize,
    /// Requests (of any work) whose connection is armed with the budget now.
    pub reading: usize,
    /// Statements stopped at their deadline, since the start.
    pub over_budget: u64,
    /// Statements stopped because their request was dropped (the client went away).
    pub cancelled: u64,
}

impl QueryGate {
    /// At most `heavy_limit` (at least 1) heavy reads at once.
    pub fn new(heavy_limit: usize) -> QueryGate {
        let heavy_limit = heavy_limit.max(1);
        QueryGate {
            inner: Arc::new(GateInner {
                heavy: Arc::new(Semaphore::new(heavy_limit)),
                heavy_limit,
                stats: GateStats::default(),
            }),
        }
    }

    pub fn heavy_limit(&self) -> usize {
        self.inner.heavy_limit
    }

    pub fn snapshot(&self) -> GateSnapshot {
        let s = &self.inner.stats;
        GateSnapshot {
            waiting: s.waiting.load(Ordering::SeqCst),
            running: s.running.load(Ordering::SeqCst),
            reading: s.reading.load(Ordering::SeqCst),
            over_budget: s.over_budget.load(Ordering::SeqCst),
            cancelled: s.cancelled.load(Ordering::SeqCst),
        }
    }
}

impl Default for QueryGate {
    /// As many heavy reads at once as there are cores, from 1 to 4: the pool has 8
    /// connections, so at least half of them always stay free for the light reads.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        QueryGate::new(cores.clamp(1, 4))
    }
}

impl fmt::Debug for QueryGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueryGate")
            .field("heavy_limit", &self.inner.heavy_limit)
            .field("now", &self.snapshot())
            .finish()
    }
}

/// Counts a gauge up while alive.
struct Gauge<'a>(&'a AtomicUsize);

impl<'a> Gauge<'a> {
    fn up(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::SeqCst);
        Gauge(counter)
    }
}

impl Drop for Gauge<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A heavy turn, counted as running while held.
struct Turn {
    gate: QueryGate,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.gate.inner.stats.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What the progress handler reads and the request writes.
struct Watch {
    deadline: Instant,
    /// Raised when the request is dropped before [`Reads::finish`].
    cancelled: AtomicBool,
    /// Raised by the handler when it stopped a statement at the deadline.
    expired: AtomicBool,
    gate: QueryGate,
}

impl Watch {
    /// The progress handler: `false` interrupts the running statement.
    fn keep_going(&self) -> bool {
        let stats = &self.gate.inner.stats;
        if self.cancelled.load(Ordering::Relaxed) {
            stats.cancelled.fetch_add(1, Ordering::SeqCst);
            return false;
        }
        if Instant::now() >= self.deadline {
            self.expired.store(true, Ordering::SeqCst);
            stats.over_budget.fetch_add(1, Ordering::SeqCst);
            return false;
        }
        true
    }
}

/// One request's reads: a pool connection whose statements run within the request's
/// budget, and (for heavy work) its turn. Hold it across the reads, check each result with
/// [`Reads::check`], then [`Reads::finish`]; dropped early (the client went away), it
/// stops the running statement.
pub struct Reads {
    conn: Option<Conn>,
    watch: Arc<Watch>,
    work: Work,
    budget: Duration,
    /// Released after the connection's cleanup, so a turn never outlives its statement
    /// by less than the statement.
    turn: Option<Turn>,
    /// PostgreSQL: the pool and the connection's backend, to cancel a statement whose
    /// client went away (`pg_cancel_backend` from another connection).
    backend: Option<(crate::db::Db, i32)>,
}

impl Reads {
    /// Waits for a turn (heavy work) and a connection, both within the budget, and arms
    /// the connection's progress handler with the request's deadline.
    pub async fn begin(state: &AppState, work: Work) -> Result<Reads, AppError> {
        let budget = Duration::from_millis(state.config.query_budget_ms.max(1));
        let started = Instant::now();
        let deadline = started + budget;
        let until = tokio::time::Instant::from_std(deadline);
        let gate = state.config.query_gate.clone();

        let turn = if work.heavy() {
            let waiting = Gauge::up(&gate.inner.stats.waiting);
            let permit =
                tokio::time::timeout_at(until, Arc::clone(&gate.inner.heavy).acquire_owned())
                    .await
                    .map_err(|_| work.busy(budget))?
                    .map_err(|_| AppError::internal("the heavy-read semaphore was closed"))?;
            gate.inner.stats.running.fetch_add(1, Ordering::SeqCst);
            drop(waiting);
            Some(Turn {
                gate: gate.clone(),
                _permit: permit,
            })
        } else {
            None
        };

        let mut conn = tokio::time::timeout_at(until, state.db.acquire())
            .await
            .map_err(|_| work.busy(budget))??;
        let watch = Arc::new(Watch {
            deadline,
            cancelled: AtomicBool::new(false),
            expired: AtomicBool::new(false),
            gate,
        });
        let backend = arm(&mut conn, &watch)
            .await?
            .map(|pid| (state.db.clone(), pid));
        watch
            .gate
            .inner
            .stats
            .reading
            .fetch_add(1, Ordering::SeqCst);
        Ok(Reads {
            conn: Some(conn),
            watch,
            work,
            budget,
            turn,
            backend,
        })
    }

    /// The connection to run the request's statements on. It is there from `begin` until
    /// `finish` or the drop; a 500 rather than a panic should that ever not hold.
    pub fn conn(&mut self) -> Result<&mut crate::db::Conn, AppError> {
        self.conn
            .as_mut()
            .ok_or_else(|| AppError::internal("the request's reads have no connection"))
    }

    /// A statement's result: one stopped at the deadline becomes the 503 that says the
    /// request is too broad; other database errors stay what they are.
    pub fn check<T>(&self, result: Result<T, sqlx::Error>) -> Result<T, AppError> {
        match result {
            Ok(value) => Ok(value),
            Err(_) if self.watch.expired.load(Ordering::SeqCst) => {
                Err(self.work.too_broad(self.budget))
            }
            // PostgreSQL's statement_timeout: "canceling statement due to statement timeout".
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(PG_QUERY_CANCELED) => {
                self.watch.expired.store(true, Ordering::SeqCst);
                self.watch
                    .gate
                    .inner
                    .stats
                    .over_budget
                    .fetch_add(1, Ordering::SeqCst);
                Err(self.work.too_broad(self.budget))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Removes the progress handler and gives the connection back to the pool.
    pub async fn finish(mut self) {
        if let Some(mut conn) = self.conn.take() {
            disarm(&mut conn, &self.watch.gate).await;
        }
    }
}

/// PostgreSQL's SQLSTATE of a statement stopped by `statement_timeout`.
const PG_QUERY_CANCELED: &str = "57014";

/// Bounds the connection's statements by the request's deadline.
///
/// - SQLite: its progress handler, called every [`PROGRESS_OPS`] steps, stops the
///   statement past the deadline or once the client is gone.
/// - PostgreSQL: `statement_timeout`, set to what is left of the budget, in the same
///   round trip that reads the connection's backend id: a statement whose client went away
///   is cancelled from another connection (see the drop of [`Reads`]).
///
/// Returns the PostgreSQL backend id.
async fn arm(conn: &mut Conn, watch: &Arc<Watch>) -> Result<Option<i32>, AppError> {
    match conn.engine() {
        Engine::Sqlite => {
            let handler = Arc::clone(watch);
            if let Some(sqlite) = conn.as_sqlite() {
                sqlite
                    .lock_handle()
                    .await?
                    .set_progress_handler(PROGRESS_OPS, move || handler.keep_going());
            }
        }
        Engine::Postgres => {
            let left = watch
                .deadline
                .saturating_duration_since(Instant::now())
                .as_millis()
                .max(1);
            let pid: i32 = crate::db::query_scalar(
                "SELECT pg_backend_pid() FROM (SELECT set_config('statement_timeout', ?, false)) armed",
            )
            .bind(format!("{left}ms"))
            .fetch_one(&mut *conn)
            .await?;
            return Ok(Some(pid));
        }
    }
    Ok(None)
}

/// Removes the bound [`arm`] set; a connection where that fails is closed, never reused.
async fn disarm(conn: &mut Conn, gate: &QueryGate) {
    let removed = match conn.engine() {
        Engine::Sqlite => match conn.as_sqlite() {
            Some(sqlite) => match sqlite.lock_handle().await {
                Ok(mut handle) => {
                    handle.remove_progress_handler();
                    true
                }
                Err(_) => false,
            },
            None => false,
        },
        Engine::Postgres => crate::db::query("SELECT set_config('statement_timeout', '0', false)")
            .execute(&mut *conn)
            .await
            .is_ok(),
    };
    if !removed {
        conn.close_on_drop();
    }
    gate.inner.stats.reading.fetch_sub(1, Ordering::SeqCst);
}

impl Drop for Reads {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        // Whatever still runs on this connection is for a request that is gone.
        self.watch.cancelled.store(true, Ordering::SeqCst);
        let turn = self.turn.take();
        let gate = self.watch.gate.clone();
        let backend = self.backend.take();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                // The lock waits for the running statement, interrupted just above, to
                // end on the connection's worker thread.
                runtime.spawn(async move {
                    if let Some((db, pid)) = backend {
                        // PostgreSQL has no handler to read the flag: tell the backend.
                        let cancelled: Result<bool, _> =
                            crate::db::query_scalar("SELECT pg_cancel_backend(CAST(? AS integer))")
                                .bind(pid)
                                .fetch_one(&db)
                                .await;
                        match cancelled {
                            Ok(true) => {
                                gate.inner.stats.cancelled.fetch_add(1, Ordering::SeqCst);
                            }
                            // The statement had ended: nothing to stop.
                            Ok(false) => {}
                            Err(e) => tracing::warn!(
                                "could not cancel the statement of a request that is gone: {e}"
                            ),
                        }
                    }
                    disarm(&mut conn, &gate).await;
                    drop(conn);
                    drop(turn);
                });
            }
            Err(_) => {
                // No runtime to clean up on: never give back a connection that still
                // has the handler.
                conn.close_on_drop();
                gate.inner.stats.reading.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_read_as_words() {
        assert_eq!(human(Duration::from_millis(50)), "50 milliseconds");
        assert_eq!(human(Duration::from_millis(1_000)), "1 second");
        assert_eq!(human(Duration::from_millis(2_000)), "2 seconds");
        assert_eq!(human(Duration::from_millis(1_500)), "1.5 seconds");
    }
}
