//! A condition in words, for its chip and the empty list: "Last activity before 1 Nov",
//! "Label is vip or billing", "Name contains “ole”", "Created on 26 Oct (Europe/Kyiv)"
//! (a day read in a zone other than the agent's says which).

use chrono::{Datelike, NaiveDate};
use novatalks_model::filter::{Attribute, FilterCondition, Operator};
use serde_json::Value;

use super::value_kind::{kind_of, ValueKind};
use super::Catalog;
use crate::i18n::t;

/// The agent's year and time zone, which decide how days read.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentClock {
    /// Days of other years show theirs.
    pub year: i32,
    /// What the agent's day conditions are sent with (an IANA name or an offset).
    pub zone: Value,
    /// The agent's UTC offset now, in minutes east.
    pub utc_offset_minutes: i32,
}

/// The condition as a short sentence, its days as `clock` reads them.
pub fn describe(condition: &FilterCondition, catalog: &Catalog, clock: &AgentClock) -> String {
    let sentence = sentence(condition, catalog, clock.year);
    match kind_of(condition, catalog) {
        ValueKind::Day | ValueKind::DaysAgo => match zone_note(&condition.values, clock) {
            Some(zone) => (t().filter.chip_in_zone)(&sentence, &zone),
            None => sentence,
        },
        _ => sentence,
    }
}

/// The zone of a day condition's `values` in words, when it is not the agent's: the IANA
/// name, or the fixed offset ("UTC+03:00"; "UTC" where none is given). None before a value.
pub fn zone_note(values: &[Value], clock: &AgentClock) -> Option<String> {
    if values.is_empty() {
        return None;
    }
    let offset = match values.get(1) {
        None => 0,
        Some(Value::String(name)) => match name.trim().parse::<i32>() {
            Ok(minutes) => minutes,
            Err(_) => {
                let name = name.trim();
                let agents = matches!(&clock.zone, Value::String(mine) if mine == name);
                return (!agents).then(|| name.to_owned());
            }
        },
        Some(other) => other.as_i64().and_then(|m| i32::try_from(m).ok())?,
    };
    (offset != clock.utc_offset_minutes).then(|| (t().filter.utc_offset_zone)(offset))
}

fn sentence(condition: &FilterCondition, catalog: &Catalog, this_year: i32) -> String {
    let strings = t().filter;
    let key = condition.attribute_key.as_str();
    let attribute = catalog.attribute(key);
    let subject = match attribute {
        Some(Attribute::Labels) => strings.attr_labels_chip.to_owned(),
        _ => catalog.attribute_name(key),
    };
    let operator = Operator::parse(&condition.filter_operator);
    let verb = match (&attribute, operator) {
        (Some(attribute), Some(operator)) => strings.operator(attribute, operator).to_owned(),
        _ => condition.filter_operator.replace('_', " "),
    };
    let kind = kind_of(condition, catalog);
    if kind == ValueKind::DaysAgo {
        let days = condition.values.first().map(plain).unwrap_or_default();
        return (strings.days_ago_chip)(&subject, &days);
    }
    match (&attribute, operator) {
        (Some(Attribute::Labels), Some(Operator::IsPresent)) => {
            return strings.chip_has_labels.to_owned()
        }
        (Some(Attribute::Labels), Some(Operator::IsNotPresent)) => {
            return strings.chip_has_no_labels.to_owned()
        }
        _ => {}
    }
    if operator.is_some_and(|o| !o.takes_values()) {
        return format!("{subject} {verb}");
    }
    let shown: Vec<String> = match kind {
        // The zone after the day is worded apart (see `describe`).
        ValueKind::Day => condition
            .values
            .first()
            .map(|v| day(v, this_year))
            .into_iter()
            .collect(),
        ValueKind::Text | ValueKind::Phone => condition.values.iter().map(quoted).collect(),
        ValueKind::Boolean => condition
            .values
            .iter()
            .map(|v| match v {
                Value::Bool(true) => strings.value_true.to_owned(),
                Value::Bool(false) => strings.value_false.to_owned(),
                other => plain(other),
            })
            .collect(),
        _ => condition.values.iter().map(plain).collect(),
    };
    if shown.is_empty() {
        return format!("{subject} {verb}");
    }
    let joiner = format!(" {} ", strings.values_or);
    format!("{subject} {verb} {}", shown.join(&joiner))
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    }
}

fn quoted(value: &Value) -> String {
    format!("“{}”", plain(value))
}

/// `2025-11-01` as "1 Nov" (this year) or "1 Nov 2024"; anything else as written.
fn day(value: &Value, this_year: i32) -> String {
    let text = plain(value);
    let strings = t().filter;
    match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        Ok(date) if date.year() == this_year => date.format(strings.chip_day_format).to_string(),
        Ok(date) => date.format(strings.chip_day_format_other_year).to_string(),
        Err(_) => text,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::catalog::tests::demo;
    use super::*;

    fn chip(key: &str, op: &str, values: Value) -> String {
        let condition = FilterCondition {
            attribute_key: key.into(),
            filter_operator: op.into(),
            values: serde_json::from_value(values).unwrap(),
            query_operator: None,
            custom_attribute_type: None,
        };
        describe(&condition, &demo(), &kyiv_in_winter())
    }

    /// An agent in Kyiv in 2025, in winter (UTC+2).
    fn kyiv_in_winter() -> AgentClock {
        AgentClock {
            year: 2025,
            zone: json!("Europe/Kyiv"),
            utc_offset_minutes: 120,
        }
    }

    #[test]
    fn chips_read_as_sentences() {
        assert_eq!(
            chip(
                "last_activity_at",
                "is_less_than",
                json!(["2025-11-01", 120])
            ),
            "Last activity before 1 Nov"
        );
        assert_eq!(
            chip("created_at", "is_greater_than", json!(["2024-03-09", 120])),
            "Created after 9 Mar 2024"
        );
        assert_eq!(
            chip("labels", "equal_to", json!(["vip", "billing"])),
            "Label is vip or billing"
        );
        assert_eq!(chip("labels", "is_not_present", json!([])), "Has no label");
        assert_eq!(
            chip("name", "contains", json!(["ole"])),
            "Name contains “ole”"
        );
        assert_eq!(chip("email", "is_present", json!([])), "Email is set");
        assert_eq!(
            chip("blocked", "equal_to", json!([true])),
            "Blocked is true"
        );
        assert_eq!(
            chip("id", "is_greater_than", json!([42])),
            "Contact ID is greater than 42"
        );
        assert_eq!(
            chip("last_activity_at", "days_before", json!([30, 120])),
            "Last activity more than 30 days ago"
        );
        assert_eq!(
            chip("plan", "not_equal_to", json!(["free", "gold"])),
            "Plan is not free or gold"
        );
        assert_eq!(
            chip("newsletter", "equal_to", json!([false])),
            "Newsletter is false"
        );
        assert_eq!(chip("mystery", "glows", json!(["x"])), "mystery glows x");
    }

    #[test]
    fn a_day_read_in_another_zone_says_which() {
        assert_eq!(
            chip(
                "created_at",
                "equal_to",
                json!(["2025-10-26", "Europe/Kyiv"])
            ),
            "Created on 26 Oct",
            "the agent's own zone goes without saying"
        );
        assert_eq!(
            chip(
                "created_at",
                "equal_to",
                json!(["2025-10-26", "America/New_York"])
            ),
            "Created on 26 Oct (America/New_York)"
        );
        assert_eq!(
            chip("created_at", "days_before", json!([7, "Asia/Kolkata"])),
            "Created more than 7 days ago (Asia/Kolkata)"
        );
        assert_eq!(
            chip("created_at", "is_less_than", json!(["2025-07-01", 180])),
            "Created before 1 Jul (UTC+03:00)",
            "an offset saved in summer is not the agent's today"
        );
        assert_eq!(
            chip("created_at", "is_less_than", json!(["2025-07-01", "-330"])),
            "Created before 1 Jul (UTC−05:30)"
        );
        assert_eq!(
            chip("created_at", "is_greater_than", json!(["2024-03-09"])),
            "Created after 9 Mar 2024 (UTC)",
            "no zone is UTC's day"
        );
        assert_eq!(
            chip("renewal_date", "days_before", json!([3, 0])),
            "Renewal date more than 3 days ago (UTC)"
        );
        let clock = kyiv_in_winter();
        assert_eq!(zone_note(&[], &clock), None, "no value yet");
        assert_eq!(zone_note(&[json!("2025-10-26"), json!(120)], &clock), None);
    }
}
