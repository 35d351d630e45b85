//! Sign-in throttling: failures counted per key (an account's email, a client address),
//! in memory and bounded. After `free_failures` failures a key is locked for
//! `first_delay`, and each further failure doubles the delay up to `max_delay`. A key with
//! no failure for `forget_after` starts again from nothing.
//!
//! An attempt is counted while it runs (the password hash takes a while, and waits its
//! turn for a core): a key with as many failures plus attempts in flight as it has free
//! failures is refused too, so a burst of parallel guesses gets no more tries than a
//! sequence would.
//!
//! Every method takes `now`, so tests drive the clock.
//!
//! Servers on one PostgreSQL share the throttle through the database instead
//! (`rate_limit::Store`): [`TableThrottle`] is the same policy kept in `limit_state`, one
//! statement per step, and [`SignInThrottle::begin_on`] picks the store of the server's
//! engine.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use crate::db::Db;
use crate::rate_limit::{now_us, Purge, Store};
use crate::AppError;

/// How one kind of key is throttled.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Failures allowed before the first lockout.
    pub free_failures: u32,
    /// The lockout after the last free failure; doubled by each further failure.
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// A key whose last failure is this old is forgotten.
    pub forget_after: Duration,
    /// At most this many keys are remembered; the stalest are evicted first.
    pub max_keys: usize,
}

impl Policy {
    /// Per account email: 5 failures, then 30 s, 60 s, … up to 15 minutes.
    pub fn per_email() -> Self {
        Policy {
            free_failures: 5,
            first_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(15 * 60),
            forget_after: Duration::from_secs(60 * 60),
            max_keys: 10_000,
        }
    }

    /// Per client address: more failures are allowed (an office signs in from one
    /// address), then the same growing delays.
    pub fn per_address() -> Self {
        Policy {
            free_failures: 20,
            ..Policy::per_email()
        }
    }

    fn delay(&self, failures: u32) -> Duration {
        let beyond = failures.saturating_sub(self.free_failures).min(20);
        self.first_delay
            .saturating_mul(1u32 << beyond)
            .min(self.max_delay)
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    in_flight: u32,
    last_failure: Instant,
    locked_until: Option<Instant>,
}

impl Entry {
    fn fresh(now: Instant) -> Self {
        Entry {
            failures: 0,
            in_flight: 0,
            last_failure: now,
            locked_until: None,
        }
    }

    /// Nothing worth remembering: no attempt running, no lockout, failures forgotten.
    fn is_stale(&self, policy: &Policy, now: Instant) -> bool {
        self.in_flight == 0
            && self.locked_until.is_none_or(|t| t <= now)
            && (self.failures == 0 || now.duration_since(self.last_failure) >= policy.forget_after)
    }
}

/// Failures per key of one kind.
#[derive(Debug)]
pub struct Throttle<K> {
    policy: Policy,
    entries: Mutex<HashMap<K, Entry>>,
}

/// When a refused key may try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, at least one (for `Retry-After` and the message).
    pub fn seconds(&self) -> u64 {
        crate::http::error::retry_after_secs(self.0)
    }
}

impl<K: Hash + Eq + Clone> Throttle<K> {
    pub fn new(policy: Policy) -> Self {
        Throttle {
            policy,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Entry>> {
        // A panic while holding the lock leaves counters that are still counters.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts an attempt for `key`, or says how long until one may be made.
    pub fn begin(&self, key: &K, now: Instant) -> Result<(), RetryAfter> {
        let mut entries = self.lock();
        if let Some(entry) = entries.get_mut(key) {
            if entry.is_stale(&self.policy, now) {
                *entry = Entry::fresh(now);
            }
            if let Some(until) = entry.locked_until.filter(|t| *t > now) {
                return Err(RetryAfter(until - now));
            }
            // Attempts still running may use up the free failures left (past them, one
            // attempt at a time between lockouts): try again shortly.
            let open = self
                .policy
                .free_failures
                .saturating_sub(entry.failures)
                .max(1);
            if entry.in_flight >= open {
                return Err(RetryAfter(Duration::from_secs(1)));
            }
            entry.in_flight += 1;
            return Ok(());
        }
        if self.policy.free_failures == 0 {
            return Err(RetryAfter(self.policy.first_delay));
        }
        self.make_room(&mut entries, now);
        let mut entry = Entry::fresh(now);
        entry.in_flight = 1;
        entries.insert(key.clone(), entry);
        Ok(())
    }

    /// The attempt `begin` started failed: count it, and lock the key once its free
    /// failures are used up.
    pub fn fail(&self, key: &K, now: Instant) {
        let mut entries = self.lock();
        if !entries.contains_key(key) {
            self.make_room(&mut entries, now);
        }
        let entry = entries
            .entry(key.clone())
            .or_insert_with(|| Entry::fresh(now));
        entry.in_flight = entry.in_flight.saturating_sub(1);
        entry.failures = entry.failures.saturating_add(1);
        entry.last_failure = now;
        if entry.failures >= self.policy.free_failures {
            entry.locked_until = Some(now + self.policy.delay(entry.failures));
        }
    }

    /// The attempt succeeded and the key's failures are forgiven (an account whose
    /// password was given).
    pub fn succeed_and_reset(&self, key: &K) {
        let mut entries = self.lock();
        if let Some(entry) = entries.get_mut(key) {
            entry.in_flight = entry.in_flight.saturating_sub(1);
            entry.failures = 0;
            entry.locked_until = None;
        }
    }

    /// The attempt ended without counting: it succeeded for a key whose failures stay
    /// (an address), or it was abandoned before its result was known.
    pub fn end_uncounted(&self, key: &K) {
        let mut entries = self.lock();
        if let Some(entry) = entries.get_mut(key) {
            entry.in_flight = entry.in_flight.saturating_sub(1);
        }
    }

    /// Keys remembered now (tests).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Below `max_keys` before an insert: drop stale keys, then the longest-unfailed ones.
    fn make_room(&self, entries: &mut HashMap<K, Entry>, now: Instant) {
        if entries.len() < self.policy.max_keys {
            return;
        }
        entries.retain(|_, e| !e.is_stale(&self.policy, now));
        while entries.len() >= self.policy.max_keys.max(1) {
            let oldest = entries
                .iter()
                .min_by_key(|(_, e)| (e.in_flight > 0, e.last_failure))
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => {
                    entries.remove(&k);
                }
                None => break,
            }
        }
    }
}

/// The key of a client address: IPv4 as is, IPv6 by its /64 network (one subscriber's
/// usual allocation, so a client cannot dodge the count by changing its host bits).
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The sign-in throttle: one count per account email, one per client address.
#[derive(Debug)]
pub struct SignInThrottle {
    /// In memory (a server on SQLite).
    pub emails: Throttle<String>,
    pub addresses: Throttle<IpAddr>,
    /// In the database (servers on PostgreSQL): the same policies.
    email_table: TableThrottle,
    address_table: TableThrottle,
    purge: Purge,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle::new(Policy::per_email(), Policy::per_address())
    }
}

impl SignInThrottle {
    pub fn new(email: Policy, address: Policy) -> Self {
        SignInThrottle {
            email_table: TableThrottle::new(EMAIL_KIND, email.clone()),
            address_table: TableThrottle::new(ADDRESS_KIND, address.clone()),
            emails: Throttle::new(email),
            addresses: Throttle::new(address),
            purge: Purge::default(),
        }
    }

    /// Starts a sign-in attempt for `email` (trimmed, any case) from `address` (when
    /// known), or says when one may be made. The attempt ends as counted by
    /// [`Attempt::failed`] or [`Attempt::succeeded`]; dropped, it ends uncounted.
    pub fn begin(
        &self,
        email: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Result<Attempt<'_>, RetryAfter> {
        let email = email.trim().to_lowercase();
        let address = address.map(address_key);
        if let Some(ip) = address {
            self.addresses.begin(&ip, now)?;
        }
        if let Err(wait) = self.emails.begin(&email, now) {
            if let Some(ip) = address {
                self.addresses.end_uncounted(&ip);
            }
            return Err(wait);
        }
        Ok(Attempt {
            throttle: self,
            email,
            address,
            done: false,
        })
    }
}

/// A sign-in attempt being checked.
#[derive(Debug)]
pub struct Attempt<'a> {
    throttle: &'a SignInThrottle,
    email: String,
    address: Option<IpAddr>,
    done: bool,
}

impl Attempt<'_> {
    /// Wrong email or password: counted against both keys.
    pub fn failed(mut self, now: Instant) {
        self.done = true;
        self.throttle.emails.fail(&self.email, now);
        if let Some(ip) = self.address {
            self.throttle.addresses.fail(&ip, now);
        }
    }

    /// Signed in: the email's failures are forgiven, the address's stay.
    pub fn succeeded(mut self) {
        self.done = true;
        self.throttle.emails.succeed_and_reset(&self.email);
        if let Some(ip) = self.address {
            self.throttle.addresses.end_uncounted(&ip);
        }
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.throttle.emails.end_uncounted(&self.email);
            if let Some(ip) = self.address {
                self.throttle.addresses.end_uncounted(&ip);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The same throttle shared by every server of the database (see `rate_limit::Store`).

/// How long an attempt counts as running in the table: a server that stopped in the
/// middle of one never says it ended, and its place comes back after this.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// The kinds of `limit_state` rows the sign-in throttle keeps.
pub const EMAIL_KIND: &str = "signin-email";
pub const ADDRESS_KIND: &str = "signin-addr";

/// Refused while other attempts of the key run: try again in a second.
const BUSY_RETRY: Duration = Duration::from_secs(1);

/// `expr` with its `{S}` (the row as the last check left it) and the nested parts
/// written out; SQL has no names for sub-expressions inside an upsert's SET.
fn expand(template: &str) -> String {
    // Attempts still counted: some run, and the latest began within the timeout.
    let flying = "(limit_state.in_flight > 0 AND limit_state.flight_at_us > ?3 - ?6)";
    // Nothing worth remembering: no attempt running, no lockout, failures forgotten.
    let stale = format!(
        "(NOT {flying} AND limit_state.locked_until_us <= ?3 \
         AND (limit_state.failures = 0 OR limit_state.last_failure_us <= ?3 - ?5))"
    );
    let failures = format!("(CASE WHEN {stale} THEN 0 ELSE limit_state.failures END)");
    let locked = format!("(CASE WHEN {stale} THEN 0 ELSE limit_state.locked_until_us END)");
    let running = format!("(CASE WHEN {flying} THEN limit_state.in_flight ELSE 0 END)");
    // Attempts that may run at once: the free failures left, at least one.
    let open = format!("(CASE WHEN ?4 - {failures} > 1 THEN ?4 - {failures} ELSE 1 END)");
    let wait = format!(
        "(CASE WHEN {locked} > ?3 THEN {locked} - ?3 WHEN {running} >= {open} THEN ?7 ELSE 0 END)"
    );
    template
        .replace("{WAIT}", &wait)
        .replace("{STALE}", &stale)
        .replace("{FAILURES}", &failures)
        .replace("{LOCKED}", &locked)
        .replace("{RUNNING}", &running)
}

/// [`Throttle::begin`] as one upsert: ?1 key, ?2 kind, ?3 now, ?4 free failures,
/// ?5 forget after, ?6 attempt timeout, ?7 the wait while others run, ?8 forget the row
/// at, ?9 / ?10 a new key's attempts running and wait. All times in microseconds.
static BEGIN: LazyLock<String> = LazyLock::new(|| {
    expand(
        "INSERT INTO limit_state (key, kind, in_flight, flight_at_us, last_failure_us, wait_us, forget_at_us)
VALUES (?1, ?2, ?9, ?3, ?3, ?10, ?8)
ON CONFLICT (key) DO UPDATE SET
  failures = {FAILURES},
  locked_until_us = {LOCKED},
  last_failure_us = CASE WHEN {STALE} THEN ?3 ELSE limit_state.last_failure_us END,
  in_flight = CASE WHEN {WAIT} = 0 THEN {RUNNING} + 1 ELSE {RUNNING} END,
  flight_at_us = CASE WHEN {WAIT} = 0 THEN ?3 ELSE limit_state.flight_at_us END,
  wait_us = {WAIT},
  forget_at_us = CASE WHEN limit_state.forget_at_us > ?8 THEN limit_state.forget_at_us ELSE ?8 END
RETURNING wait_us",
    )
});

/// [`Throttle::fail`] as one upsert: ?1 key, ?2 kind, ?3 now, ?4 free failures, ?5 the
/// first delay, ?6 the longest, ?7 forget the row at, ?8 a new key's lockout end. The
/// delay after `n` failures is `first << min(n - free, 20)`, at most the longest.
const FAIL: &str = "
INSERT INTO limit_state (key, kind, failures, last_failure_us, locked_until_us, forget_at_us)
VALUES (?1, ?2, 1, ?3, ?8, ?7)
ON CONFLICT (key) DO UPDATE SET
  in_flight = CASE WHEN limit_state.in_flight > 0 THEN limit_state.in_flight - 1 ELSE 0 END,
  failures = limit_state.failures + 1,
  last_failure_us = ?3,
  locked_until_us = CASE
    WHEN limit_state.failures + 1 < ?4 THEN limit_state.locked_until_us
    WHEN (?5 << CAST(CASE WHEN limit_state.failures + 1 - ?4 > 20 THEN 20
                          ELSE limit_state.failures + 1 - ?4 END AS INTEGER)) > ?6 THEN ?3 + ?6
    ELSE ?3 + (?5 << CAST(CASE WHEN limit_state.failures + 1 - ?4 > 20 THEN 20
                               ELSE limit_state.failures + 1 - ?4 END AS INTEGER)) END,
  forget_at_us = CASE WHEN limit_state.forget_at_us > ?7 THEN limit_state.forget_at_us ELSE ?7 END";

/// One attempt of the key ended: it no longer runs.
const ENDED: &str = "in_flight = CASE WHEN in_flight > 0 THEN in_flight - 1 ELSE 0 END";

/// A [`Policy`] for keys of one kind, kept in `limit_state`: the same answers as
/// [`Throttle`], for every server of the database. Each step is one statement on the
/// key's row, so attempts on two servers at once take turns on it: a burst spread over
/// servers gets no more tries than one server would give.
#[derive(Debug, Clone)]
pub struct TableThrottle {
    kind: &'static str,
    policy: Policy,
}

fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

impl TableThrottle {
    pub fn new(kind: &'static str, policy: Policy) -> Self {
        TableThrottle { kind, policy }
    }

    pub fn kind(&self) -> &'static str {
        self.kind
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The row's key for `id` (an email, an address).
    pub fn key(&self, id: &str) -> String {
        crate::rate_limit::table_key(self.kind, id)
    }

    /// When a row touched at `now_us` may be forgotten: past every lockout, running
    /// attempt and remembered failure it can hold.
    fn forget_at(&self, now_us: i64) -> i64 {
        let keep = self
            .policy
            .forget_after
            .max(self.policy.max_delay)
            .max(ATTEMPT_TIMEOUT);
        now_us.saturating_add(micros(keep))
    }

    /// Starts an attempt for `key` ([`TableThrottle::key`]), or says how long until one
    /// may be made.
    pub async fn begin(
        &self,
        db: &Db,
        key: &str,
        now_us: i64,
    ) -> Result<Result<(), RetryAfter>, sqlx::Error> {
        let free = self.policy.free_failures;
        let (new_running, new_wait) = if free == 0 {
            (0, micros(self.policy.first_delay))
        } else {
            (1, 0)
        };
        let wait: i64 = crate::db::query_scalar(BEGIN.as_str())
            .bind(key)
            .bind(self.kind)
            .bind(now_us)
            .bind(free)
            .bind(micros(self.policy.forget_after))
            .bind(micros(ATTEMPT_TIMEOUT))
            .bind(micros(BUSY_RETRY))
            .bind(self.forget_at(now_us))
            .bind(new_running)
            .bind(new_wait)
            .fetch_one(db)
            .await?;
        Ok(if wait > 0 {
            Err(RetryAfter(crate::rate_limit::wait_of(wait)))
        } else {
            Ok(())
        })
    }

    /// The attempt failed: counted, and the key locked once its free failures are used.
    pub async fn fail(&self, db: &Db, key: &str, now_us: i64) -> Result<(), sqlx::Error> {
        let first = micros(self.policy.first_delay);
        let longest = micros(self.policy.max_delay);
        let new_lock = if self.policy.free_failures <= 1 {
            now_us.saturating_add(micros(self.policy.delay(1)))
        } else {
            0
        };
        crate::db::query(FAIL)
            .bind(key)
            .bind(self.kind)
            .bind(now_us)
            .bind(self.policy.free_failures)
            .bind(first)
            .bind(longest)
            .bind(self.forget_at(now_us))
            .bind(new_lock)
            .execute(db)
            .await?;
        Ok(())
    }

    /// The attempt succeeded and the key's failures are forgiven.
    pub async fn succeed_and_reset(db: &Db, key: &str) -> Result<(), sqlx::Error> {
        crate::db::query(format!(
            "UPDATE limit_state SET {ENDED}, failures = 0, locked_until_us = 0 WHERE key = ?"
        ))
        .bind(key)
        .execute(db)
        .await?;
        Ok(())
    }

    /// The attempt ended without counting.
    pub async fn end_uncounted(db: &Db, key: &str) -> Result<(), sqlx::Error> {
        crate::db::query(format!("UPDATE limit_state SET {ENDED} WHERE key = ?"))
            .bind(key)
            .execute(db)
            .await?;
        Ok(())
    }
}

impl SignInThrottle {
    /// Starts a sign-in attempt as [`SignInThrottle::begin`] does, where the server's
    /// limits live (`rate_limit::Store`): in this process on SQLite, in the database
    /// shared by every server on PostgreSQL.
    pub async fn begin_on(
        &self,
        db: &Db,
        email: &str,
        address: Option<IpAddr>,
    ) -> Result<Result<SignInAttempt<'_>, RetryAfter>, AppError> {
        match Store::for_engine(db.engine()) {
            Store::Memory => Ok(self
                .begin(email, address, Instant::now())
                .map(SignInAttempt::Memory)),
            Store::Table => self.begin_in_table(db, email, address, now_us()).await,
        }
    }

    /// [`SignInThrottle::begin`] on the `limit_state` table, at `now_us`.
    pub async fn begin_in_table(
        &self,
        db: &Db,
        email: &str,
        address: Option<IpAddr>,
        now_us: i64,
    ) -> Result<Result<SignInAttempt<'_>, RetryAfter>, AppError> {
        self.purge.now_and_then(
            db,
            &[
                (EMAIL_KIND, self.email_table.policy.max_keys),
                (ADDRESS_KIND, self.address_table.policy.max_keys),
            ],
            now_us,
        );
        let email = self.email_table.key(&email.trim().to_lowercase());
        let address = address.map(|ip| self.address_table.key(&address_key(ip).to_string()));
        if let Some(key) = &address {
            if let Err(wait) = self.address_table.begin(db, key, now_us).await? {
                return Ok(Err(wait));
            }
        }
        // From here the address's attempt runs: dropped on an error, it ends uncounted.
        let mut attempt = TableAttempt {
            throttle: self,
            db: db.clone(),
            email: None,
            address,
        };
        match self.email_table.begin(db, &email, now_us).await? {
            Ok(()) => {
                attempt.email = Some(email);
                Ok(Ok(SignInAttempt::Table(attempt)))
            }
            Err(wait) => {
                attempt.end().await?;
                Ok(Err(wait))
            }
        }
    }
}

/// A sign-in attempt being checked, counted where the server's limits live.
#[derive(Debug)]
pub enum SignInAttempt<'a> {
    Memory(Attempt<'a>),
    Table(TableAttempt<'a>),
}

impl SignInAttempt<'_> {
    /// Wrong email or password: counted against both keys.
    pub async fn failed(self) -> Result<(), AppError> {
        match self {
            SignInAttempt::Memory(a) => {
                a.failed(Instant::now());
                Ok(())
            }
            SignInAttempt::Table(a) => a.failed(now_us()).await,
        }
    }

    /// Signed in: the email's failures are forgiven, the address's stay.
    pub async fn succeeded(self) -> Result<(), AppError> {
        match self {
            SignInAttempt::Memory(a) => {
                a.succeeded();
                Ok(())
            }
            SignInAttempt::Table(a) => a.succeeded().await,
        }
    }
}

/// A sign-in attempt counted in the table. Dropped without [`TableAttempt::failed`] or
/// [`TableAttempt::succeeded`] (the client went away during the password check), it ends
/// uncounted in the background; if even that is lost, [`ATTEMPT_TIMEOUT`] gives the
/// place back.
#[derive(Debug)]
pub struct TableAttempt<'a> {
    throttle: &'a SignInThrottle,
    db: Db,
    /// The keys whose attempt still runs (taken once it is ended).
    email: Option<String>,
    address: Option<String>,
}

impl TableAttempt<'_> {
    pub async fn failed(mut self, now_us: i64) -> Result<(), AppError> {
        if let Some(key) = self.email.take() {
            self.throttle
                .email_table
                .fail(&self.db, &key, now_us)
                .await?;
        }
        if let Some(key) = self.address.take() {
            self.throttle
                .address_table
                .fail(&self.db, &key, now_us)
                .await?;
        }
        Ok(())
    }

    pub async fn succeeded(mut self) -> Result<(), AppError> {
        if let Some(key) = self.email.take() {
            TableThrottle::succeed_and_reset(&self.db, &key).await?;
        }
        self.end().await
    }

    /// Ends what still runs, uncounted.
    async fn end(&mut self) -> Result<(), AppError> {
        for key in [self.email.take(), self.address.take()]
            .into_iter()
            .flatten()
        {
            TableThrottle::end_uncounted(&self.db, &key).await?;
        }
        Ok(())
    }
}

impl Drop for TableAttempt<'_> {
    fn drop(&mut self) {
        let keys: Vec<String> = [self.email.take(), self.address.take()]
            .into_iter()
            .flatten()
            .collect();
        if keys.is_empty() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let db = self.db.clone();
        runtime.spawn(async move {
            for key in keys {
                if let Err(e) = TableThrottle::end_uncounted(&db, &key).await {
                    tracing::warn!("ending an abandoned sign-in attempt failed: {e}");
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock the test moves.
    struct Clock(Instant);

    impl Clock {
        fn new() -> Self {
            Clock(Instant::now())
        }
        fn now(&self) -> Instant {
            self.0
        }
        fn advance(&mut self, d: Duration) {
            self.0 += d;
        }
    }

    fn policy(free: u32) -> Policy {
        Policy {
            free_failures: free,
            first_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(240),
            forget_after: Duration::from_secs(3600),
            max_keys: 100,
        }
    }

    fn fail_once(t: &Throttle<&'static str>, key: &'static str, now: Instant) {
        t.begin(&key, now).expect("attempt allowed");
        t.fail(&key, now);
    }

    #[test]
    fn the_attempt_after_the_free_failures_waits_and_delays_double() {
        let mut clock = Clock::new();
        let t = Throttle::new(policy(5));
        for _ in 0..5 {
            fail_once(&t, "k", clock.now());
        }
        assert_eq!(
            t.begin(&"k", clock.now()),
            Err(RetryAfter(Duration::from_secs(30)))
        );
        clock.advance(Duration::from_secs(10));
        assert_eq!(
            t.begin(&"k", clock.now()),
            Err(RetryAfter(Duration::from_secs(20)))
        );
        clock.advance(Duration::from_secs(20));
        fail_once(&t, "k", clock.now());
        assert_eq!(
            t.begin(&"k", clock.now()),
            Err(RetryAfter(Duration::from_secs(60)))
        );
        clock.advance(Duration::from_secs(60));
        fail_once(&t, "k", clock.now());
        assert_eq!(
            t.begin(&"k", clock.now()),
            Err(RetryAfter(Duration::from_secs(120)))
        );
        for _ in 0..5 {
            clock.advance(Duration::from_secs(240));
            fail_once(&t, "k", clock.now());
        }
        assert_eq!(
            t.begin(&"k", clock.now()),
            Err(RetryAfter(Duration::from_secs(240))),
            "capped at max_delay"
        );
    }

    #[test]
    fn a_success_forgives_and_other_keys_are_untouched() {
        let clock = Clock::new();
        let t = Throttle::new(policy(3));
        for _ in 0..2 {
            fail_once(&t, "k", clock.now());
        }
        fail_once(&t, "other", clock.now());
        t.begin(&"k", clock.now()).expect("third attempt");
        t.succeed_and_reset(&"k");
        for _ in 0..2 {
            fail_once(&t, "k", clock.now());
        }
        t.begin(&"k", clock.now()).expect("failures were forgiven");
        t.end_uncounted(&"k");
        t.begin(&"other", clock.now())
            .expect("other key has 1 failure");
    }

    #[test]
    fn failures_are_forgotten_after_a_quiet_hour() {
        let mut clock = Clock::new();
        let t = Throttle::new(policy(2));
        fail_once(&t, "k", clock.now());
        fail_once(&t, "k", clock.now());
        assert!(t.begin(&"k", clock.now()).is_err());
        clock.advance(Duration::from_secs(3600));
        fail_once(&t, "k", clock.now());
        t.begin(&"k", clock.now())
            .expect("one failure since the old ones were forgotten");
    }

    #[test]
    fn attempts_in_flight_count_so_a_burst_gets_no_more_tries() {
        let clock = Clock::new();
        let t = Throttle::new(policy(5));
        for _ in 0..5 {
            t.begin(&"k", clock.now())
                .expect("within the free failures");
        }
        assert_eq!(
            t.begin(&"k", clock.now()),
            Err(RetryAfter(Duration::from_secs(1)))
        );
        t.end_uncounted(&"k");
        t.begin(&"k", clock.now())
            .expect("an abandoned attempt gives its place back");
    }

    #[test]
    fn memory_is_bounded_and_the_stalest_key_goes_first() {
        let mut clock = Clock::new();
        let mut p = policy(5);
        p.max_keys = 3;
        let t: Throttle<u32> = Throttle::new(p);
        for k in 0..3u32 {
            t.begin(&k, clock.now()).unwrap();
            t.fail(&k, clock.now());
            clock.advance(Duration::from_secs(1));
        }
        t.begin(&3, clock.now()).unwrap();
        t.fail(&3, clock.now());
        assert_eq!(t.len(), 3);
        let entries = t.lock();
        assert!(!entries.contains_key(&0), "the oldest failure was evicted");
        assert!(entries.contains_key(&3));
        drop(entries);
        for k in 10..1000u32 {
            t.begin(&k, clock.now()).unwrap();
            t.fail(&k, clock.now());
        }
        assert!(t.len() <= 3);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(RetryAfter(Duration::from_millis(1)).seconds(), 1);
        assert_eq!(RetryAfter(Duration::from_millis(29_001)).seconds(), 30);
        assert_eq!(RetryAfter(Duration::from_secs(30)).seconds(), 30);
    }

    #[test]
    fn sign_in_counts_per_email_any_case_and_per_address() {
        let clock = Clock::new();
        let mut email = policy(5);
        email.free_failures = 2;
        let mut address = policy(3);
        address.free_failures = 3;
        let t = SignInThrottle::new(email, address);
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        t.begin(" A@Test.test", Some(ip), clock.now())
            .unwrap()
            .failed(clock.now());
        t.begin("a@test.test", Some(ip), clock.now())
            .unwrap()
            .failed(clock.now());
        assert!(
            t.begin("a@TEST.test", None, clock.now()).is_err(),
            "the email is locked whatever the case"
        );
        t.begin("b@test.test", Some(ip), clock.now())
            .unwrap()
            .failed(clock.now());
        assert!(
            t.begin("c@test.test", Some(ip), clock.now()).is_err(),
            "the address used its 3 failures"
        );
        t.begin(
            "c@test.test",
            Some("192.0.2.8".parse().unwrap()),
            clock.now(),
        )
        .expect("another address, another email")
        .succeeded();
    }

    #[test]
    fn a_dropped_attempt_ends_uncounted() {
        let clock = Clock::new();
        let t = SignInThrottle::new(policy(1), policy(1));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        drop(t.begin("a@test.test", Some(ip), clock.now()).unwrap());
        t.begin("a@test.test", Some(ip), clock.now())
            .expect("nothing was counted")
            .succeeded();
    }

    #[test]
    fn ipv6_is_counted_by_its_64_network_and_mapped_v4_as_v4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        let mapped: IpAddr = "::ffff:192.0.2.9".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.9".parse::<IpAddr>().unwrap());
    }
}
