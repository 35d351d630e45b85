//! When a block ends: the block dialog's presets as pure functions of (now, time zone).
//!
//! The SPA passes `chrono::Local` (the agent's browser zone); tests pass fixed zones.
//! "Tomorrow", "next week" and "next month" mean the START of that local day, so a block
//! "until tomorrow" set at 23:50 ends ten minutes later, as an agent reads it.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Weekday,
};
use serde::{Deserialize, Serialize};

/// The durations the block dialog offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockDuration {
    /// An hour from now.
    Hour,
    /// Until the start of tomorrow.
    Tomorrow,
    /// Until the start of next Monday.
    NextWeek,
    /// Until the start of the first day of next month.
    NextMonth,
    /// No end.
    Forever,
    /// Until a chosen moment (Unix seconds), which must be in the future.
    Until(i64),
}

impl BlockDuration {
    /// The presets in the order the dialog lists them (the chosen time comes last).
    pub const PRESETS: [BlockDuration; 5] = [
        BlockDuration::Hour,
        BlockDuration::Tomorrow,
        BlockDuration::NextWeek,
        BlockDuration::NextMonth,
        BlockDuration::Forever,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockTimeError {
    /// A chosen end that is not after now.
    NotInFuture,
    /// A date the calendar cannot represent (far outside any real use).
    OutOfRange,
}

impl std::fmt::Display for BlockTimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BlockTimeError::NotInFuture => "The end of the block must be in the future",
            BlockTimeError::OutOfRange => "That date is out of range",
        })
    }
}

impl std::error::Error for BlockTimeError {}

/// When a block chosen `now` ends, as Unix seconds; `None` for forever.
pub fn block_ends_at<Tz: TimeZone>(
    duration: BlockDuration,
    now: &DateTime<Tz>,
) -> Result<Option<i64>, BlockTimeError> {
    let today = now.date_naive();
    let start_of = |day: Option<NaiveDate>| -> Result<Option<i64>, BlockTimeError> {
        let day = day.ok_or(BlockTimeError::OutOfRange)?;
        start_of_day(&now.timezone(), day).map(Some)
    };
    match duration {
        BlockDuration::Hour => Ok(Some(now.timestamp() + 3_600)),
        BlockDuration::Tomorrow => start_of(today.succ_opt()),
        BlockDuration::NextWeek => {
            let days_to_monday = 7 - i64::from(today.weekday().num_days_from_monday());
            start_of(today.checked_add_signed(Duration::days(days_to_monday)))
        }
        BlockDuration::NextMonth => {
            let (year, month) = if today.month() == 12 {
                (today.year() + 1, 1)
            } else {
                (today.year(), today.month() + 1)
            };
            start_of(NaiveDate::from_ymd_opt(year, month, 1))
        }
        BlockDuration::Forever => Ok(None),
        BlockDuration::Until(at) if at > now.timestamp() => Ok(Some(at)),
        BlockDuration::Until(_) => Err(BlockTimeError::NotInFuture),
    }
}

/// The first instant of `day` in `tz`. Where a daylight-saving jump skips midnight
/// (clocks go from 23:59:59 to 01:00), the day starts at the first minute that exists;
/// where midnight happens twice, at the first one.
pub fn start_of_day<Tz: TimeZone>(tz: &Tz, day: NaiveDate) -> Result<i64, BlockTimeError> {
    let midnight: NaiveDateTime = day.and_hms_opt(0, 0, 0).ok_or(BlockTimeError::OutOfRange)?;
    // Gaps are at most a few hours; walk forward minute by minute through one.
    for minutes in 0..=(24 * 60) {
        let local = midnight + Duration::minutes(minutes);
        match tz.from_local_datetime(&local) {
            LocalResult::Single(t) => return Ok(t.timestamp()),
            LocalResult::Ambiguous(first, _) => return Ok(first.timestamp()),
            LocalResult::None => continue,
        }
    }
    Err(BlockTimeError::OutOfRange)
}

/// True when `weekday` is the day "next week" blocks end on.
pub fn is_week_start(weekday: Weekday) -> bool {
    weekday == Weekday::Mon
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use chrono_tz::America::Sao_Paulo;
    use chrono_tz::Europe::Kyiv;
    use chrono_tz::Tz;

    fn at(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Tz> {
        tz.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid local time")
    }

    fn local(ts: Option<i64>, tz: Tz) -> String {
        let ts = ts.expect("an end");
        Utc.timestamp_opt(ts, 0)
            .unwrap()
            .with_timezone(&tz)
            .format("%a %Y-%m-%d %H:%M %z")
            .to_string()
    }

    #[test]
    fn an_hour_is_sixty_minutes_even_across_a_clock_change() {
        // Kyiv springs forward at 03:00 on 29 Mar 2026: 02:30 + 1 h = 04:30 local.
        let now = at(Kyiv, 2026, 3, 29, 2, 30);
        let end = block_ends_at(BlockDuration::Hour, &now).unwrap();
        assert_eq!(end, Some(now.timestamp() + 3_600));
        assert_eq!(local(end, Kyiv), "Sun 2026-03-29 04:30 +0300");
    }

    #[test]
    fn tomorrow_is_the_start_of_the_next_local_day() {
        let now = at(Kyiv, 2026, 11, 23, 23, 50);
        assert_eq!(
            local(block_ends_at(BlockDuration::Tomorrow, &now).unwrap(), Kyiv),
            "Tue 2026-11-24 00:00 +0200"
        );
        // The last day of a month and of a year.
        let now = at(Kyiv, 2026, 12, 31, 9, 0);
        assert_eq!(
            local(block_ends_at(BlockDuration::Tomorrow, &now).unwrap(), Kyiv),
            "Fri 2027-01-01 00:00 +0200"
        );
        // The day clocks fall back is 25 hours long; tomorrow still starts at midnight.
        let now = at(Kyiv, 2026, 10, 24, 12, 0);
        assert_eq!(
            local(block_ends_at(BlockDuration::Tomorrow, &now).unwrap(), Kyiv),
            "Sun 2026-10-25 00:00 +0300"
        );
    }

    #[test]
    fn next_week_is_the_start_of_next_monday() {
        // Monday 23 Nov 2026 -> Monday 30 Nov, not today.
        let monday = at(Kyiv, 2026, 11, 23, 10, 0);
        assert_eq!(
            local(
                block_ends_at(BlockDuration::NextWeek, &monday).unwrap(),
                Kyiv
            ),
            "Mon 2026-11-30 00:00 +0200"
        );
        let sunday_night = at(Kyiv, 2026, 11, 29, 23, 59);
        assert_eq!(
            local(
                block_ends_at(BlockDuration::NextWeek, &sunday_night).unwrap(),
                Kyiv
            ),
            "Mon 2026-11-30 00:00 +0200"
        );
        // Across the spring change: Thu 26 Mar 2026 -> Mon 30 Mar, now in summer time.
        let thursday = at(Kyiv, 2026, 3, 26, 8, 0);
        assert_eq!(
            local(
                block_ends_at(BlockDuration::NextWeek, &thursday).unwrap(),
                Kyiv
            ),
            "Mon 2026-03-30 00:00 +0300"
        );
        assert!(is_week_start(Weekday::Mon));
    }

    #[test]
    fn next_month_is_the_first_day_of_the_next_month() {
        let cases = [
            ((2026, 1, 31), "Sun 2026-02-01 00:00 +0200"),
            ((2028, 2, 29), "Wed 2028-03-01 00:00 +0200"),
            ((2026, 12, 15), "Fri 2027-01-01 00:00 +0200"),
            ((2026, 3, 1), "Wed 2026-04-01 00:00 +0300"),
        ];
        for ((y, m, d), want) in cases {
            let now = at(Kyiv, y, m, d, 12, 0);
            assert_eq!(
                local(block_ends_at(BlockDuration::NextMonth, &now).unwrap(), Kyiv),
                want,
                "{y}-{m}-{d}"
            );
        }
    }

    #[test]
    fn a_day_whose_midnight_does_not_exist_starts_at_its_first_minute() {
        // São Paulo sprang forward at 00:00 on 4 Nov 2018: the day began at 01:00.
        let now = at(Sao_Paulo, 2018, 11, 3, 15, 0);
        assert_eq!(
            local(
                block_ends_at(BlockDuration::Tomorrow, &now).unwrap(),
                Sao_Paulo
            ),
            "Sun 2018-11-04 01:00 -0200"
        );
    }

    #[test]
    fn forever_has_no_end_and_a_chosen_time_must_be_in_the_future() {
        let now = at(Kyiv, 2026, 11, 23, 10, 0);
        assert_eq!(block_ends_at(BlockDuration::Forever, &now), Ok(None));
        let later = now.timestamp() + 60;
        assert_eq!(
            block_ends_at(BlockDuration::Until(later), &now),
            Ok(Some(later))
        );
        assert_eq!(
            block_ends_at(BlockDuration::Until(now.timestamp()), &now),
            Err(BlockTimeError::NotInFuture)
        );
        assert_eq!(
            block_ends_at(BlockDuration::Until(0), &now),
            Err(BlockTimeError::NotInFuture)
        );
    }

    #[test]
    fn every_preset_ends_after_now_in_any_zone() {
        let zones = [
            Kyiv,
            Sao_Paulo,
            chrono_tz::Pacific::Auckland,
            chrono_tz::America::St_Johns,
            chrono_tz::UTC,
        ];
        for tz in zones {
            for hour in [0, 1, 12, 23] {
                let now = at(tz, 2026, 3, 31, hour, 30);
                for preset in BlockDuration::PRESETS {
                    if let Some(end) = block_ends_at(preset, &now).unwrap() {
                        assert!(end > now.timestamp(), "{tz} {hour}:30 {preset:?}");
                    }
                }
            }
        }
    }
}
