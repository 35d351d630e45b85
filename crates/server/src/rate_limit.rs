//! Rate limits kept in memory: one token bucket per key (an inbox, a contact's identity),
//! bounded in the number of keys it remembers.
//!
//! A bucket holds up to `amount` tokens and refills at `amount` per `per`; each call takes
//! one. A call that finds the bucket empty is refused with the time until the next token.
//! A bucket that has refilled completely is the same as no bucket, so such buckets are the
//! first forgotten when the map is full; only when every remembered key is still limited
//! are the least recently used half dropped (they start again with a full bucket).
//!
//! Time is passed in (`now`), so tests drive the buckets with a fake clock.
//!
//! The same buckets live in the database when several servers share it ([`Store`],
//! [`TableBuckets`]): one row per key in `limit_state`, checked by one upsert, purged
//! now and then ([`Purge`], [`purge`]).

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::db::{Db, Engine};

/// How many calls a key may make in a span of time: `N/s`, `N/min` or `N/h`, or `off`
/// for no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Calls per `per`; also the largest burst. 0 means no limit (`off`).
    pub amount: u32,
    pub per: Duration,
}

impl Rate {
    pub const OFF: Rate = Rate {
        amount: 0,
        per: Duration::from_secs(1),
    };

    pub fn per_minute(amount: u32) -> Rate {
        Rate {
            amount,
            per: Duration::from_secs(60),
        }
    }

    pub fn is_off(&self) -> bool {
        self.amount == 0
    }
}

impl FromStr for Rate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("off") {
            return Ok(Rate::OFF);
        }
        let wrong =
            || format!("'{s}' is not a rate: write it as N/s, N/min or N/h (e.g. 60/min), or off");
        let (amount, unit) = s.split_once('/').ok_or_else(wrong)?;
        let amount: u32 = amount.trim().parse().map_err(|_| wrong())?;
        if amount == 0 {
            return Err(format!("'{s}' allows nothing: write off for no limit"));
        }
        let per = match unit.trim().to_ascii_lowercase().as_str() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            _ => return Err(wrong()),
        };
        Ok(Rate { amount, per })
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_off() {
            return f.write_str("off");
        }
        let unit = match self.per.as_secs() {
            1 => "s",
            60 => "min",
            3600 => "h",
            _ => return write!(f, "{}/{}s", self.amount, self.per.as_secs()),
        };
        write!(f, "{}/{unit}", self.amount)
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets for keys of type `K`, at one [`Rate`], remembering at most `max_keys`.
#[derive(Debug)]
pub struct RateLimiter<K> {
    rate: Rate,
    max_keys: usize,
    buckets: Mutex<HashMap<K, Bucket>>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    pub fn new(rate: Rate, max_keys: usize) -> Self {
        RateLimiter {
            rate,
            max_keys: max_keys.max(2),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Tokens per second.
    fn refill(&self) -> f64 {
        f64::from(self.rate.amount) / self.rate.per.as_secs_f64()
    }

    fn capacity(&self) -> f64 {
        f64::from(self.rate.amount)
    }

    fn level(&self, bucket: &Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        (bucket.tokens + elapsed * self.refill()).min(self.capacity())
    }

    /// Takes one call for `key` at `now`: `Ok` when allowed, else how long until the next
    /// call would be.
    pub fn check(&self, key: &K, now: Instant) -> Result<(), Duration> {
        if self.rate.is_off() {
            return Ok(());
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if !buckets.contains_key(key) && buckets.len() >= self.max_keys {
            self.evict(&mut buckets, now);
        }
        let full = Bucket {
            tokens: self.capacity(),
            at: now,
        };
        let bucket = buckets.entry(key.clone()).or_insert(full);
        let tokens = self.level(bucket, now);
        if tokens >= 1.0 {
            *bucket = Bucket {
                tokens: tokens - 1.0,
                at: now,
            };
            Ok(())
        } else {
            *bucket = Bucket { tokens, at: now };
            Err(Duration::from_secs_f64((1.0 - tokens) / self.refill()))
        }
    }

    /// Forgets refilled buckets; if the map is still full, the fuller half (the keys
    /// closest to a full bucket lose the least by starting again).
    fn evict(&self, buckets: &mut HashMap<K, Bucket>, now: Instant) {
        let capacity = self.capacity();
        buckets.retain(|_, b| self.level(b, now) < capacity);
        if buckets.len() >= self.max_keys {
            let mut levels: Vec<(f64, K)> = buckets
                .iter()
                .map(|(k, b)| (self.level(b, now), k.clone()))
                .collect();
            levels.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
            for (_, key) in levels.into_iter().take(buckets.len().div_ceil(2)) {
                buckets.remove(&key);
            }
        }
    }

    /// How many keys are remembered now.
    pub fn keys(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

// ---------------------------------------------------------------------------------------
// Limits shared by every server of the database.

/// Where a server's rate limits and sign-in throttle keep their state.
///
/// - **PostgreSQL: the `limit_state` table** ([`Store::Table`]). Several servers share
///   one database behind a load balancer; counts kept in each process would give an
///   attacker N times the allowance. Each check is one upsert on the key's row
///   ([`TableBuckets::check`], `auth::throttle::TableThrottle`): two servers checking at
///   once take turns on the row, so they never both pass the last token. The table is
///   UNLOGGED (migrations/postgres/0003): a check writes no WAL and waits for no flush.
/// - **SQLite: memory** ([`Store::Memory`]). The file has one server by construction (one
///   process, one writer), so there is nothing to share, and the table would only cost:
///   every check is a write, SQLite writes one at a time, and the one or two checks of
///   each public API call would queue for the one write lock with the call's own write.
///
/// Measured (8 clients posting public API messages to one server as fast as it answers,
/// each message two checks; debug build, 2 cores shared with other builds at a load of
/// about 7, so the figures are noisy and only their ratio means much; medians of 8 runs
/// of 8-10 s): SQLite in memory 323 calls/s, with the table 267 (-17 %); PostgreSQL in
/// memory (wrong for several servers) 113 calls/s, with the table 100 (-12 %). One
/// table check on PostgreSQL costs about one round trip (1.0-2.1 ms here, as a
/// `SELECT 1` through the pool under the same load). The SQL is the same on both
/// engines: tests/shared_limits.rs runs it on SQLite too, against the in-memory answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Memory,
    Table,
}

impl Store {
    /// The store of a server on `engine` (see [`Store`] for why).
    pub fn for_engine(engine: Engine) -> Store {
        match engine {
            Engine::Postgres => Store::Table,
            Engine::Sqlite => Store::Memory,
        }
    }
}

/// The clock of the shared limits: microseconds since the Unix epoch on this server.
/// Servers of one database compare their times in the table, so they keep their clocks in
/// step (NTP); a server whose clock is off by a second refuses or allows a call up to a
/// second early or late, no more.
pub fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

/// Ids longer than this are keyed by their SHA-256: a client's path or email can be long,
/// and a key is an index entry.
const MAX_KEY_ID_BYTES: usize = 128;

/// The key of a limited thing in `limit_state`: `kind:id` (`inbox:12`,
/// `signin-email:a@b.c`), or `kind:#` and the hex SHA-256 of an id longer than 128 bytes.
pub fn table_key(kind: &str, id: &str) -> String {
    if id.len() <= MAX_KEY_ID_BYTES {
        format!("{kind}:{id}")
    } else {
        use sha2::{Digest, Sha256};
        format!(
            "{kind}:#{}",
            crate::random::hex(&Sha256::digest(id.as_bytes()))
        )
    }
}

fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

/// A wait read from the table (microseconds), as a duration.
pub(crate) fn wait_of(us: i64) -> Duration {
    Duration::from_micros(u64::try_from(us).unwrap_or(0))
}

/// The token bucket of [`RateLimiter`], kept in `limit_state`: one row per key of `kind`.
///
/// The bucket is stored as the time its next call is due if calls come at the refill rate
/// (GCRA, the generic cell rate algorithm: one number instead of tokens and a time): a
/// call at `now` passes when that time is at most `(amount - 1) × interval` ahead of
/// `now`, and moves it one `interval` (`per / amount`) on. The same answers as the
/// in-memory bucket: `amount` calls at once, then one per interval, and a refused call
/// takes nothing. Once that time has passed the bucket is full, and the row says no more
/// than no row (`forget_at_us`): the purge deletes it.
#[derive(Debug, Clone, Copy)]
pub struct TableBuckets {
    pub kind: &'static str,
    pub rate: Rate,
}

/// One check: the row's due time moved on when the call passes, the wait returned.
const BUCKET_CHECK: &str = "
INSERT INTO limit_state (key, kind, tat_us, wait_us, forget_at_us)
VALUES (?1, ?2, ?3 + ?4, 0, ?3 + ?4)
ON CONFLICT (key) DO UPDATE SET
  tat_us = CASE WHEN (CASE WHEN limit_state.tat_us > ?3 THEN limit_state.tat_us ELSE ?3 END) - ?3 <= ?5
           THEN (CASE WHEN limit_state.tat_us > ?3 THEN limit_state.tat_us ELSE ?3 END) + ?4
           ELSE limit_state.tat_us END,
  forget_at_us = CASE WHEN (CASE WHEN limit_state.tat_us > ?3 THEN limit_state.tat_us ELSE ?3 END) - ?3 <= ?5
           THEN (CASE WHEN limit_state.tat_us > ?3 THEN limit_state.tat_us ELSE ?3 END) + ?4
           ELSE limit_state.tat_us END,
  wait_us = CASE WHEN (CASE WHEN limit_state.tat_us > ?3 THEN limit_state.tat_us ELSE ?3 END) - ?3 <= ?5
           THEN 0
           ELSE limit_state.tat_us - ?3 - ?5 END
RETURNING wait_us";

impl TableBuckets {
    pub fn new(kind: &'static str, rate: Rate) -> Self {
        TableBuckets { kind, rate }
    }

    /// Microseconds between two calls at the refill rate (at least one).
    fn interval_us(&self) -> i64 {
        (micros(self.rate.per) / i64::from(self.rate.amount.max(1))).max(1)
    }

    /// Takes one call for `id` at `now_us` ([`now_us`]): `Ok(Ok(()))` when allowed,
    /// `Ok(Err(wait))` with the time until the next call would be.
    pub async fn check(
        &self,
        db: &Db,
        id: &str,
        now_us: i64,
    ) -> Result<Result<(), Duration>, sqlx::Error> {
        if self.rate.is_off() {
            return Ok(Ok(()));
        }
        let interval = self.interval_us();
        let tolerance = interval.saturating_mul(i64::from(self.rate.amount) - 1);
        let wait: i64 = crate::db::query_scalar(BUCKET_CHECK)
            .bind(table_key(self.kind, id))
            .bind(self.kind)
            .bind(now_us)
            .bind(interval)
            .bind(tolerance)
            .fetch_one(db)
            .await?;
        Ok(if wait > 0 { Err(wait_of(wait)) } else { Ok(()) })
    }
}

/// How often one owner of shared limits purges the table.
pub const PURGE_EVERY: Duration = Duration::from_secs(10);

/// Purges `limit_state` now and then, in the background: at most once per
/// [`PURGE_EVERY`] for its owner (a server's public API limits, its sign-in throttle).
#[derive(Debug, Default)]
pub struct Purge {
    next_us: AtomicI64,
}

impl Purge {
    /// Starts a purge of `kinds` (each with its cap) unless one ran less than
    /// [`PURGE_EVERY`] ago. The request that calls it does not wait for it.
    pub fn now_and_then(&self, db: &Db, kinds: &[(&'static str, usize)], now_us: i64) {
        let next = self.next_us.load(Ordering::Relaxed);
        if now_us < next {
            return;
        }
        let then = now_us.saturating_add(micros(PURGE_EVERY));
        if self
            .next_us
            .compare_exchange(next, then, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return; // another request of this server took this turn
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let db = db.clone();
        let kinds = kinds.to_vec();
        runtime.spawn(async move {
            for (kind, cap) in kinds {
                if let Err(e) = purge(&db, kind, cap, now_us).await {
                    tracing::warn!("purging the {kind} limits failed: {e}");
                }
            }
        });
    }
}

/// Deletes the rows of `kind` that say no more than no row (their `forget_at_us` has
/// passed), then, if more than `cap` are left, the stalest (the soonest forgotten: those
/// that lose least by starting again), down to `cap`. Returns how many went.
pub async fn purge(db: &Db, kind: &str, cap: usize, now_us: i64) -> Result<u64, sqlx::Error> {
    let mut gone = crate::db::query("DELETE FROM limit_state WHERE kind = ? AND forget_at_us <= ?")
        .bind(kind)
        .bind(now_us)
        .execute(db)
        .await?
        .rows_affected();
    let left: i64 = crate::db::query_scalar("SELECT count(*) FROM limit_state WHERE kind = ?")
        .bind(kind)
        .fetch_one(db)
        .await?;
    let over = usize::try_from(left).unwrap_or(0).saturating_sub(cap);
    if over > 0 {
        gone += crate::db::query(
            "DELETE FROM limit_state WHERE key IN
               (SELECT key FROM limit_state WHERE kind = ? ORDER BY forget_at_us LIMIT ?)",
        )
        .bind(kind)
        .bind(over)
        .execute(db)
        .await?
        .rows_affected();
    }
    Ok(gone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::error::retry_after_secs;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn rates_are_read_as_people_write_them() {
        assert_eq!("60/min".parse(), Ok(Rate::per_minute(60)));
        assert_eq!(
            " 5/s ".parse(),
            Ok(Rate {
                amount: 5,
                per: secs(1.0)
            })
        );
        assert_eq!(
            "100/h".parse::<Rate>().map(|r| r.per),
            Ok(Duration::from_secs(3600))
        );
        assert_eq!("off".parse(), Ok(Rate::OFF));
        for bad in ["", "60", "x/min", "60/day", "-1/s", "0/min"] {
            assert!(bad.parse::<Rate>().is_err(), "{bad}");
        }
        assert_eq!(Rate::per_minute(60).to_string(), "60/min");
        assert_eq!(Rate::OFF.to_string(), "off");
    }

    #[test]
    fn a_burst_up_to_the_amount_then_one_call_per_refill() {
        let limiter = RateLimiter::new(Rate::per_minute(3), 100);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(&"inbox", t0), Ok(()));
        }
        let wait = limiter.check(&"inbox", t0).expect_err("the fourth at once");
        assert!(
            (wait.as_secs_f64() - 20.0).abs() < 0.01,
            "one token every 20 s: {wait:?}"
        );
        assert_eq!(retry_after_secs(wait), 20);
        // A refused call takes nothing: 20 s later exactly one more goes through.
        assert!(limiter.check(&"inbox", t0 + secs(19.9)).is_err());
        assert_eq!(limiter.check(&"inbox", t0 + secs(20.0)), Ok(()));
        assert!(limiter.check(&"inbox", t0 + secs(20.5)).is_err());
        // After a long pause the bucket is full again, but never fuller.
        let later = t0 + secs(3_600.0);
        for _ in 0..3 {
            assert_eq!(limiter.check(&"inbox", later), Ok(()));
        }
        assert!(limiter.check(&"inbox", later).is_err());
    }

    #[test]
    fn keys_are_limited_apart() {
        let limiter = RateLimiter::new(Rate::per_minute(1), 100);
        let t0 = Instant::now();
        assert_eq!(limiter.check(&1, t0), Ok(()));
        assert!(limiter.check(&1, t0).is_err());
        assert_eq!(
            limiter.check(&2, t0),
            Ok(()),
            "another key has its own bucket"
        );
    }

    #[test]
    fn off_never_refuses_and_remembers_nothing() {
        let limiter = RateLimiter::new(Rate::OFF, 10);
        let t0 = Instant::now();
        for i in 0..1_000 {
            assert_eq!(limiter.check(&i, t0), Ok(()));
        }
        assert_eq!(limiter.keys(), 0);
    }

    #[test]
    fn memory_is_bounded_and_refilled_buckets_go_first() {
        let limiter = RateLimiter::new(Rate::per_minute(2), 10);
        let t0 = Instant::now();
        // Key 0 is drained (limited); keys 1..=8 used once each.
        limiter.check(&0, t0).expect("first");
        limiter.check(&0, t0).expect("second");
        for k in 1..10 {
            limiter.check(&k, t0 + secs(1.0)).expect("one call");
        }
        assert_eq!(limiter.keys(), 10);
        // The map is full of keys none of which has refilled: the fuller half goes, the
        // drained key 0 stays.
        let soon = t0 + secs(2.0);
        limiter.check(&100, soon).expect("a new key");
        assert_eq!(limiter.keys(), 6);
        assert!(
            limiter.check(&0, soon).is_err(),
            "a limited key is remembered"
        );

        // Many distinct keys never grow the map past its bound.
        for k in 1_000..11_000 {
            let _ = limiter.check(&k, soon);
        }
        assert!(limiter.keys() <= 10, "{}", limiter.keys());

        // Once refilled, everything old is forgotten at the next eviction.
        let later = soon + secs(120.0);
        for k in 20_000..20_010 {
            limiter.check(&k, later).expect("fresh");
        }
        assert!(limiter.keys() <= 10);
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up_and_at_least_one() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1_001)), 2);
        assert_eq!(retry_after_secs(Duration::from_secs(3)), 3);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
    }
}
