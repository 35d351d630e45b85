//! What the block dialog turns its choices into: a pure layer over
//! `novatalks_model::block`, tested natively with fixed time zones. Their words are
//! `Strings::block_choice` and `Strings::block_until_problem`.

use chrono::{DateTime, NaiveDateTime, TimeZone};
use novatalks_model::block::{block_ends_at, BlockDuration, BlockTimeError};

/// The longest reason the server keeps.
pub use novatalks_model::rules::MAX_TEXT_CHARS as REASON_MAX_CHARS;

/// One option of the dialog's duration group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockChoice {
    Preset(BlockDuration),
    /// The date and time typed in the dialog's datetime field.
    Custom,
}

impl BlockChoice {
    /// The options in the order the dialog lists them.
    pub const ALL: [BlockChoice; 6] = [
        BlockChoice::Preset(BlockDuration::Hour),
        BlockChoice::Preset(BlockDuration::Tomorrow),
        BlockChoice::Preset(BlockDuration::NextWeek),
        BlockChoice::Preset(BlockDuration::NextMonth),
        BlockChoice::Preset(BlockDuration::Forever),
        BlockChoice::Custom,
    ];

    /// The option's name in ids, form values and test ids (`block-duration-<key>`).
    pub fn key(self) -> &'static str {
        match self {
            BlockChoice::Preset(BlockDuration::Hour) => "hour",
            BlockChoice::Preset(BlockDuration::Tomorrow) => "tomorrow",
            BlockChoice::Preset(BlockDuration::NextWeek) => "next_week",
            BlockChoice::Preset(BlockDuration::NextMonth) => "next_month",
            BlockChoice::Preset(BlockDuration::Forever) => "forever",
            BlockChoice::Preset(BlockDuration::Until(_)) | BlockChoice::Custom => "custom",
        }
    }
}

/// Why the chosen date and time cannot end a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceError {
    /// Nothing chosen yet.
    Missing,
    /// Not a date and time of this zone (unreadable, skipped by a clock change, out of range).
    Invalid,
    /// Not after now.
    Past,
}

/// When a block chosen `now` ends, as Unix seconds (`None`: for ever). The presets are
/// `block_ends_at`'s; a custom end is `custom_input`, a datetime-local value in `now`'s zone.
pub fn block_ends_at_choice<Tz: TimeZone>(
    choice: BlockChoice,
    custom_input: &str,
    now: &DateTime<Tz>,
) -> Result<Option<i64>, ChoiceError> {
    let duration = match choice {
        BlockChoice::Preset(duration) => duration,
        BlockChoice::Custom => {
            BlockDuration::Until(parse_local_input(custom_input, &now.timezone())?)
        }
    };
    block_ends_at(duration, now).map_err(|e| match e {
        BlockTimeError::NotInFuture => ChoiceError::Past,
        BlockTimeError::OutOfRange => ChoiceError::Invalid,
    })
}

/// The value of an `<input type="datetime-local">` ("2026-11-30T14:05", seconds optional)
/// as Unix seconds in `tz`. Where a clock change makes a local time happen twice, the
/// first one; where it skips it, `Invalid`.
pub fn parse_local_input<Tz: TimeZone>(input: &str, tz: &Tz) -> Result<i64, ChoiceError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ChoiceError::Missing);
    }
    let local = NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M:%S%.f"))
        .map_err(|_| ChoiceError::Invalid)?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|at| at.timestamp())
        .ok_or(ChoiceError::Invalid)
}

/// `now` to the minute, as a datetime-local value: the field's lower bound.
pub fn local_input_value<Tz: TimeZone>(now: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    now.format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;

    fn kyiv_winter() -> FixedOffset {
        FixedOffset::east_opt(2 * 3_600).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
        kyiv_winter()
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap()
    }

    #[test]
    fn presets_are_the_model_s() {
        let now = at(2026, 11, 23, 23, 50);
        for choice in BlockChoice::ALL {
            if let BlockChoice::Preset(duration) = choice {
                assert_eq!(
                    block_ends_at_choice(choice, "ignored", &now),
                    Ok(block_ends_at(duration, &now).unwrap()),
                    "{choice:?}"
                );
            }
        }
        assert_eq!(
            block_ends_at_choice(BlockChoice::Preset(BlockDuration::Forever), "", &now),
            Ok(None)
        );
    }

    #[test]
    fn a_custom_end_is_read_in_the_agent_s_zone_and_must_be_in_the_future() {
        let now = at(2026, 11, 23, 10, 0);
        let later = at(2026, 11, 30, 0, 0).timestamp();
        assert_eq!(
            block_ends_at_choice(BlockChoice::Custom, "2026-11-30T00:00", &now),
            Ok(Some(later))
        );
        assert_eq!(
            block_ends_at_choice(BlockChoice::Custom, "2026-11-30T00:00:00", &now),
            Ok(Some(later)),
            "browsers may add seconds"
        );
        assert_eq!(
            block_ends_at_choice(BlockChoice::Custom, "2026-11-23T10:00", &now),
            Err(ChoiceError::Past),
            "now is not in the future"
        );
        assert_eq!(
            block_ends_at_choice(BlockChoice::Custom, "2020-01-01T09:00", &now),
            Err(ChoiceError::Past)
        );
        assert_eq!(
            block_ends_at_choice(BlockChoice::Custom, "  ", &now),
            Err(ChoiceError::Missing)
        );
        assert_eq!(
            block_ends_at_choice(BlockChoice::Custom, "30.11.2026 00:00", &now),
            Err(ChoiceError::Invalid)
        );
    }

    #[test]
    fn the_field_s_lower_bound_is_now_to_the_minute() {
        let now = kyiv_winter()
            .with_ymd_and_hms(2026, 3, 5, 7, 9, 59)
            .single()
            .unwrap();
        assert_eq!(local_input_value(&now), "2026-03-05T07:09");
    }

    #[test]
    fn every_option_has_its_own_key() {
        let keys: Vec<_> = BlockChoice::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(
            keys,
            [
                "hour",
                "tomorrow",
                "next_week",
                "next_month",
                "forever",
                "custom"
            ]
        );
    }
}
