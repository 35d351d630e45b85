//! Time helpers that do not depend on a clock: callers pass `now`.

/// How long ago something happened, bucketed the way the table shows it
/// ("just now", "5 min ago", "3 h ago", "2 days ago", "4 mo ago", "2 y ago").
/// The SPA turns it into words of the agent's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelativeAge {
    JustNow,
    Minutes(i64),
    Hours(i64),
    Days(i64),
    Months(i64),
    Years(i64),
    /// A time ahead of `now` (a clock skew between browser and server): shown as "just now".
    InFuture,
}

impl RelativeAge {
    /// Age of `then` at `now`, both Unix seconds.
    pub fn between(then: i64, now: i64) -> RelativeAge {
        let secs = now - then;
        if secs < -60 {
            return RelativeAge::InFuture;
        }
        let mins = secs / 60;
        let hours = mins / 60;
        let days = hours / 24;
        match () {
            _ if mins < 1 => RelativeAge::JustNow,
            _ if hours < 1 => RelativeAge::Minutes(mins),
            _ if days < 1 => RelativeAge::Hours(hours),
            _ if days < 30 => RelativeAge::Days(days),
            _ if days < 365 => RelativeAge::Months(days / 30),
            _ => RelativeAge::Years(days / 365),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RelativeAge::*;
    use super::*;

    #[test]
    fn ages_fall_into_the_buckets_an_agent_reads() {
        let now = 1_764_500_000;
        assert_eq!(RelativeAge::between(now - 10, now), JustNow);
        assert_eq!(RelativeAge::between(now - 5 * 60, now), Minutes(5));
        assert_eq!(RelativeAge::between(now - 3 * 3600 - 59, now), Hours(3));
        assert_eq!(RelativeAge::between(now - 86_400, now), Days(1));
        assert_eq!(RelativeAge::between(now - 29 * 86_400, now), Days(29));
        assert_eq!(RelativeAge::between(now - 95 * 86_400, now), Months(3));
        assert_eq!(RelativeAge::between(now - 800 * 86_400, now), Years(2));
        assert_eq!(RelativeAge::between(now + 3600, now), InFuture);
        assert_eq!(RelativeAge::between(now + 30, now), JustNow);
    }
}
