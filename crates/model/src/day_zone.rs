//! The time zone the day of a date condition is read in: its `values[1]`.
//!
//! Two forms travel. An IANA time zone name (`Europe/Kyiv`) is what the SPA sends [ext]:
//! a day in it runs from one local midnight to the next, 23 or 25 hours across a clock
//! change. A UTC offset in minutes is what earlier SPAs sent, and saved segments may still
//! hold it: every day is then 24 hours at that offset ([`local_day_range`]). Without
//! either, the day is UTC's.
//!
//! The IANA database (`chrono-tz`) is large, so turning a name into instants is behind this
//! crate's `tz` feature, which the server enables and the SPA leaves off (its wasm would
//! carry the whole database). Without it a name is only checked for its shape, and
//! [`DayZone`] has no day bounds.
//!
//! [`local_day_range`]: crate::filter::local_day_range

use std::fmt;

use chrono::{DateTime, NaiveDate};
#[cfg(feature = "tz")]
use chrono::{NaiveTime, Offset, TimeZone};
use serde_json::Value;

/// The longest time zone name taken (the longest IANA name has 32 characters).
pub const MAX_ZONE_NAME_CHARS: usize = 64;

/// The zone a day is read in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DayZone {
    /// A fixed offset, in minutes east of UTC: the same every day of the year.
    Offset(i32),
    /// An IANA time zone, with its clock changes.
    Named(ZoneName),
}

impl DayZone {
    /// Where no zone is given.
    pub const UTC: DayZone = DayZone::Offset(0);

    /// As `values[1]` carries it: the name as text, the offset as a number.
    pub fn to_value(&self) -> Value {
        match self {
            DayZone::Offset(minutes) => Value::from(*minutes),
            DayZone::Named(name) => Value::String(name.as_str().to_owned()),
        }
    }
}

/// The name of an IANA time zone, as it was given (`Europe/Kiev` stays `Europe/Kiev`).
/// Only [`ZoneName::parse`] makes one: with the `tz` feature it is a zone of the database,
/// without it a name of the right shape.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ZoneName {
    name: String,
    #[cfg(feature = "tz")]
    tz: chrono_tz::Tz,
}

impl ZoneName {
    /// `name`, trimmed, when it names a time zone (see [`looks_like_zone_name`]; with the
    /// `tz` feature, also one the IANA database knows, spelt as it spells it).
    pub fn parse(name: &str) -> Option<ZoneName> {
        let name = name.trim();
        if !looks_like_zone_name(name) {
            return None;
        }
        Some(ZoneName {
            #[cfg(feature = "tz")]
            tz: name.parse().ok()?,
            name: name.to_owned(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.name
    }
}

impl fmt::Debug for ZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ZoneName({:?})", self.name)
    }
}

impl fmt::Display for ZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Whether `name` has the shape of an IANA time zone name: `/`-separated parts of ASCII
/// letters, digits, `_`, `-` and `+`, beginning with a letter (`UTC`, `Europe/Kyiv`,
/// `America/Argentina/Buenos_Aires`, `Etc/GMT-5`). What the SPA can check without the
/// database, and what it asks of the browser's zone before sending it.
pub fn looks_like_zone_name(name: &str) -> bool {
    name.len() <= MAX_ZONE_NAME_CHARS
        && name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && name.split('/').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+'))
        })
}

/// The day an instant falls on `offset_seconds` east of UTC; the first or last day chrono
/// knows beyond its range.
pub(crate) fn date_at_offset(unix_seconds: i64, offset_seconds: i64) -> NaiveDate {
    let local = unix_seconds.saturating_add(offset_seconds);
    DateTime::from_timestamp(local, 0)
        .map(|t| t.date_naive())
        .unwrap_or(if local < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

#[cfg(feature = "tz")]
impl DayZone {
    /// The UTC instants `[start, end)` of `date` as a day in this zone, in Unix seconds:
    /// from its first instant (local midnight; where midnight was skipped by a clock
    /// change, the moment the clocks jumped past it) to the next day's.
    pub fn day_range(&self, date: NaiveDate) -> (i64, i64) {
        match self {
            DayZone::Offset(minutes) => crate::filter::local_day_range(date, *minutes),
            DayZone::Named(zone) => {
                let next = date
                    .succ_opt()
                    .map_or(i64::MAX, |d| first_instant(zone.tz, d));
                (first_instant(zone.tz, date), next)
            }
        }
    }

    /// The day the instant `unix_seconds` falls on in this zone.
    pub fn date_of(&self, unix_seconds: i64) -> NaiveDate {
        match self {
            DayZone::Offset(minutes) => crate::filter::local_date(unix_seconds, *minutes),
            DayZone::Named(zone) => {
                date_at_offset(unix_seconds, i64::from(offset_at(zone.tz, unix_seconds)))
            }
        }
    }

    /// For `days_before N` at `now`: the day N days before today in this zone. What
    /// matches happened before this day began.
    pub fn days_before_cutoff(&self, now: i64, days: u32) -> NaiveDate {
        self.date_of(now)
            .checked_sub_days(chrono::Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MIN)
    }
}

/// The offset of `tz` at the instant `unix_seconds`, in seconds east of UTC.
#[cfg(feature = "tz")]
fn offset_at(tz: chrono_tz::Tz, unix_seconds: i64) -> i32 {
    DateTime::from_timestamp(unix_seconds, 0).map_or(0, |t| {
        tz.offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc()
    })
}

/// The first instant of `date` in `tz`: its midnight, the earlier one where midnight came
/// twice, the end of the gap where the clocks skipped it.
#[cfg(feature = "tz")]
fn first_instant(tz: chrono_tz::Tz, date: NaiveDate) -> i64 {
    let midnight = date.and_time(NaiveTime::MIN);
    match tz.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(t) => t.timestamp(),
        chrono::LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()),
        chrono::LocalResult::None => {
            let as_utc = midnight.and_utc().timestamp();
            chrono_tz::GapInfo::new(&midnight, &tz)
                .and_then(|gap| gap.end)
                .map_or_else(
                    // Beyond the database's range: midnight at the offset of that moment.
                    || as_utc.saturating_sub(i64::from(offset_at(tz, as_utc))),
                    |end| end.timestamp(),
                )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_names_are_checked_for_their_shape() {
        for name in [
            "UTC",
            "Europe/Kyiv",
            "America/Argentina/Buenos_Aires",
            "America/Port-au-Prince",
            "Etc/GMT+5",
            "EST5EDT",
        ] {
            assert!(looks_like_zone_name(name), "{name}");
        }
        for name in [
            "",
            "/Europe/Kyiv",
            "Europe//Kyiv",
            "Europe/Kyiv/",
            "Europe/Kyiv ",
            "5/Kyiv",
            "+02:00",
            "../etc/passwd",
            "Europe/Київ",
            &"A".repeat(MAX_ZONE_NAME_CHARS + 1),
        ] {
            assert!(!looks_like_zone_name(name), "{name:?}");
        }
        let kyiv = ZoneName::parse(" Europe/Kyiv ").unwrap();
        assert_eq!(kyiv.as_str(), "Europe/Kyiv", "trimmed");
        assert_eq!(
            DayZone::Named(kyiv).to_value(),
            Value::String("Europe/Kyiv".into())
        );
        assert_eq!(DayZone::Offset(-300).to_value(), Value::from(-300));
        assert!(ZoneName::parse("Not a zone!").is_none());
    }
}

/// Day bounds in real zones, around Kyiv's clock changes of 2026: spring on 29 March
/// (03:00 → 04:00 local, 01:00 UTC) and autumn on 25 October (04:00 → 03:00 local).
/// (The crate's tests always build with `tz`: see its dev-dependencies. What the SPA
/// checks without it is tested in the SPA.)
#[cfg(all(test, feature = "tz"))]
mod tz_tests {
    use chrono::NaiveDateTime;
    use proptest::prelude::*;

    use super::*;

    const HOUR: i64 = 3_600;

    fn zone(name: &str) -> DayZone {
        DayZone::Named(ZoneName::parse(name).unwrap())
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// `2026-03-28 22:00` (UTC) in Unix seconds.
    fn utc(text: &str) -> i64 {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
            .timestamp()
    }

    #[test]
    fn names_the_database_lacks_are_refused() {
        assert!(ZoneName::parse("Europe/Kiev2").is_none());
        assert!(
            ZoneName::parse("europe/kyiv").is_none(),
            "spelt as IANA does"
        );
        assert_eq!(
            ZoneName::parse("Europe/Kiev").unwrap().as_str(),
            "Europe/Kiev",
            "the old name is a link, kept as given"
        );
    }

    #[test]
    fn kyivs_spring_day_has_23_hours_and_its_autumn_day_25() {
        let kyiv = zone("Europe/Kyiv");
        let (start, end) = kyiv.day_range(day(2026, 3, 29));
        assert_eq!(
            (start, end),
            (utc("2026-03-28 22:00"), utc("2026-03-29 21:00"))
        );
        assert_eq!(end - start, 23 * HOUR);
        let (start, end) = kyiv.day_range(day(2026, 10, 25));
        assert_eq!(
            (start, end),
            (utc("2026-10-24 21:00"), utc("2026-10-25 22:00"))
        );
        assert_eq!(end - start, 25 * HOUR);
        assert_eq!(
            kyiv.day_range(day(2026, 10, 26)).0,
            utc("2026-10-25 22:00"),
            "the day after the change begins at winter time"
        );
        assert_eq!(
            DayZone::Offset(180).day_range(day(2026, 10, 26)).0,
            utc("2026-10-25 21:00"),
            "the summer offset is an hour early: the bug named zones fix"
        );
        assert_eq!(
            kyiv.day_range(day(2026, 7, 1)),
            DayZone::Offset(180).day_range(day(2026, 7, 1)),
            "away from a change, the same as the offset of the day"
        );
    }

    #[test]
    fn instants_around_kyivs_midnights_fall_on_their_local_day() {
        let kyiv = zone("Europe/Kyiv");
        let cases = [
            ("2026-03-28 21:59", day(2026, 3, 28)),
            ("2026-03-28 22:00", day(2026, 3, 29)),
            ("2026-03-29 20:59", day(2026, 3, 29)),
            ("2026-03-29 21:00", day(2026, 3, 30)),
            ("2026-10-24 20:59", day(2026, 10, 24)),
            ("2026-10-24 21:00", day(2026, 10, 25)),
            ("2026-10-25 21:59", day(2026, 10, 25)),
            ("2026-10-25 22:00", day(2026, 10, 26)),
        ];
        for (instant, local) in cases {
            assert_eq!(kyiv.date_of(utc(instant)), local, "{instant} UTC");
        }
    }

    #[test]
    fn days_before_counts_back_across_a_change_in_the_zone() {
        let kyiv = zone("Europe/Kyiv");
        // 30 March 00:30 in Kyiv (summer time) is still the 29th in UTC.
        let now = utc("2026-03-29 21:30");
        assert_eq!(kyiv.days_before_cutoff(now, 0), day(2026, 3, 30));
        assert_eq!(kyiv.days_before_cutoff(now, 1), day(2026, 3, 29));
        assert_eq!(
            kyiv.day_range(kyiv.days_before_cutoff(now, 1)).0,
            utc("2026-03-28 22:00"),
            "before 29 March began, at winter time"
        );
        assert_eq!(
            DayZone::Offset(180).day_range(day(2026, 3, 29)).0,
            utc("2026-03-28 21:00"),
            "today's offset would have been an hour early"
        );
        // 26 October 00:30 in Kyiv (winter time again).
        let now = utc("2026-10-25 22:30");
        assert_eq!(kyiv.days_before_cutoff(now, 0), day(2026, 10, 26));
        assert_eq!(kyiv.days_before_cutoff(now, 1), day(2026, 10, 25));
        assert_eq!(
            kyiv.day_range(day(2026, 10, 25)).0,
            utc("2026-10-24 21:00"),
            "25 October began at summer time"
        );
        assert_eq!(
            kyiv.days_before_cutoff(utc("2026-10-25 21:59"), 0),
            day(2026, 10, 25)
        );
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_when_the_clocks_jump() {
        // São Paulo began summer time at midnight: 4 Nov 2018 00:00 → 01:00.
        let sao_paulo = zone("America/Sao_Paulo");
        let (start, end) = sao_paulo.day_range(day(2018, 11, 4));
        assert_eq!(start, utc("2018-11-04 03:00"));
        assert_eq!(end - start, 23 * HOUR);
        assert_eq!(sao_paulo.date_of(start - 1), day(2018, 11, 3));
        // Samoa skipped 30 December 2011 entirely: the day has no instants.
        let apia = zone("Pacific/Apia");
        let (start, end) = apia.day_range(day(2011, 12, 30));
        assert_eq!(start, end);
        assert_eq!(apia.date_of(start - 1), day(2011, 12, 29));
        assert_eq!(apia.date_of(start), day(2011, 12, 31));
    }

    #[test]
    fn a_midnight_that_comes_twice_starts_the_day_at_the_first() {
        // Havana ends summer time at 01:00 → 00:00: 3 Nov 2024 has two midnights.
        let havana = zone("America/Havana");
        let (start, end) = havana.day_range(day(2024, 11, 3));
        assert_eq!(start, utc("2024-11-03 04:00"));
        assert_eq!(end - start, 25 * HOUR);
    }

    #[test]
    fn the_extremes_do_not_panic() {
        let kyiv = zone("Europe/Kyiv");
        for date in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            day(0, 1, 1),
            day(9999, 12, 31),
        ] {
            let (start, end) = kyiv.day_range(date);
            assert!(start <= end, "{date}");
        }
        assert_eq!(kyiv.date_of(i64::MIN), NaiveDate::MIN);
        assert_eq!(kyiv.date_of(i64::MAX), NaiveDate::MAX);
        assert_eq!(kyiv.days_before_cutoff(i64::MIN, 36_500), NaiveDate::MIN);
    }

    fn zones() -> Vec<&'static str> {
        vec![
            "Europe/Kyiv",
            "America/New_York",
            "America/Sao_Paulo",
            "America/Havana",
            "America/Santiago",
            "Australia/Lord_Howe",
            "Asia/Kolkata",
            "Pacific/Apia",
            "Pacific/Kiritimati",
            "UTC",
        ]
    }

    proptest! {
        #[test]
        fn every_instant_falls_in_the_range_of_its_own_day(
            // 1950 to 2100.
            instant in -631_152_000i64..4_102_444_800,
            name in proptest::sample::select(zones()),
        ) {
            let zone = zone(name);
            let date = zone.date_of(instant);
            let (start, end) = zone.day_range(date);
            prop_assert!(start <= instant && instant < end, "{name}: {instant} on {date} not in [{start}, {end})");
            prop_assert_eq!(zone.date_of(start), date);
            prop_assert_eq!(zone.date_of(end - 1), date);
            prop_assert!(zone.date_of(start - 1) < date);
            prop_assert_eq!(end, zone.day_range(date.succ_opt().unwrap()).0, "days follow each other");
            prop_assert!((22 * HOUR..=26 * HOUR).contains(&(end - start)) || end == start);
        }

        #[test]
        fn days_before_is_the_zones_today_less_n_days(
            now in -631_152_000i64..4_102_444_800,
            days in 0u32..=1000,
            name in proptest::sample::select(zones()),
        ) {
            let zone = zone(name);
            let cutoff = zone.days_before_cutoff(now, days);
            prop_assert_eq!(zone.date_of(now) - cutoff, chrono::Duration::days(i64::from(days)));
            prop_assert!(zone.day_range(cutoff).0 <= now);
        }
    }
}
