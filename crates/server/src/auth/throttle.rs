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

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
    pub emails: Throttle<String>,
    pub addresses: Throttle<IpAddr>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle::new(Policy::per_email(), Policy::per_address())
    }
}

impl SignInThrottle {
    pub fn new(email: Policy, address: Policy) -> Self {
        SignInThrottle {
            emails: Throttle::new(email),
            addresses: Throttle::new(address),
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
