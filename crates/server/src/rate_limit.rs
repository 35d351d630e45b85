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

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
