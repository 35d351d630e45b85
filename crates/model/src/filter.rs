//! Contact filters: the conditions of `POST /contacts/filter` and of saved segments,
//! parsed and checked before anything is built from them.
//!
//! The server validates with [`validate`] and compiles the typed [`ValidCondition`]s to
//! SQL; the SPA runs the same [`validate`] before sending, and builds its condition rows
//! from [`Attribute::STANDARD`], the account's definitions and [`operators_for`].
//!
//! Dates: `created_at` and `last_activity_at` are instants, compared by the day they fall
//! on in the agent's time zone (`values[1]` [ext]: an IANA name such as `Europe/Kyiv`, or,
//! as earlier clients sent it, a UTC offset in minutes; UTC when absent: see
//! [`crate::day_zone`]). As in Chatwoot, `is_greater_than D` means after the whole day D, `is_less_than D`
//! before day D began, and `days_before N` means before the day N days before today began
//! (Chatwoot casts the column to a date and compares it with `today - N`): on 2025-03-10,
//! `days_before 7` matches everything before 2025-03-03 00:00 local time.

use std::fmt;

use chrono::{Days, NaiveDate, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

// A text value may be as long as the field it is compared with.
use crate::day_zone::date_at_offset;
pub use crate::day_zone::{DayZone, ZoneName};
use crate::rules::MAX_TEXT_CHARS;

/// The most conditions one filter may have.
pub const MAX_CONDITIONS: usize = 50;
/// The most values one condition may have.
pub const MAX_VALUES: usize = 100;
/// The widest UTC offset a time zone has (UTC+14), in minutes, either way.
pub const MAX_UTC_OFFSET_MINUTES: i32 = 14 * 60;
/// `days_before` at most a century back.
pub const MAX_DAYS_BEFORE: u32 = 36_500;
/// A phone value needs at least this many digits to mean anything.
pub const MIN_PHONE_DIGITS: usize = 3;

const SECONDS_PER_DAY: i64 = 86_400;

/// One condition as it travels (Chatwoot's shape). `Eq` and `Hash` so that a list query
/// holding a filter can be compared and keyed (the SPA's URL state).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilterCondition {
    pub attribute_key: String,
    pub filter_operator: String,
    /// Strings, numbers or booleans. A single value outside an array is read as a list of one.
    ///
    /// Dates (`created_at`, `last_activity_at`, date custom attributes): `["2026-10-26", zone]`,
    /// or `[7, zone]` for `days_before`. The zone [ext] is the agent's IANA time zone
    /// (`"Europe/Kyiv"`: the day runs from local midnight to the next, 23 or 25 hours across a
    /// clock change) or a UTC offset in minutes (`120`: 24 hours at that offset, the form of
    /// earlier clients); without it the day is UTC's. A stock Chatwoot reads only the first
    /// value.
    #[serde(default, deserialize_with = "one_or_many")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub values: Vec<Value>,
    /// `and` / `or`, joining this condition to the next; null on the last one.
    #[serde(default)]
    pub query_operator: Option<String>,
    /// Chatwoot sends `contact_attribute` for custom attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_attribute_type: Option<String>,
}

/// `{"payload":[condition…]}`: the body of `POST /contacts/filter` and a saved query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilterRequest {
    #[serde(default)]
    pub payload: Vec<FilterCondition>,
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        single => vec![single],
    })
}

/// The longest name of a saved segment, in characters.
pub const MAX_SEGMENT_NAME_CHARS: usize = 100;

/// A saved segment (Chatwoot's custom filter) as the API sends it. Private to the agent
/// who saved it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomFilter {
    pub id: i64,
    pub name: String,
    /// `contact` (Chatwoot also has `conversation` and `report`).
    pub filter_type: String,
    pub query: FilterRequest,
    /// Unix seconds ([ext]: a stock Chatwoot sends a date-time string, read as absent).
    #[serde(default, deserialize_with = "lenient_epoch")]
    pub created_at: Option<i64>,
    #[serde(default, deserialize_with = "lenient_epoch")]
    pub updated_at: Option<i64>,
}

/// The body of `POST` and `PATCH /custom_filters`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomFilterRequest {
    pub custom_filter: CustomFilterInput,
}

/// What a segment is saved with; on `PATCH`, what is left out stays as it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomFilterInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<FilterRequest>,
}

/// A segment's name, trimmed: 1 to [`MAX_SEGMENT_NAME_CHARS`] characters.
pub fn segment_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Name can't be blank".to_owned());
    }
    if name.chars().count() > MAX_SEGMENT_NAME_CHARS {
        return Err(format!(
            "Name is too long (at most {MAX_SEGMENT_NAME_CHARS} characters)"
        ));
    }
    Ok(name.to_owned())
}

fn lenient_epoch<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Value::deserialize(d)?.as_i64())
}

/// The type of a custom attribute, from its definition's `attribute_display_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributeKind {
    Text,
    Number,
    Currency,
    Percent,
    Link,
    Date,
    List,
    Checkbox,
}

impl AttributeKind {
    pub const ALL: [AttributeKind; 8] = [
        AttributeKind::Text,
        AttributeKind::Number,
        AttributeKind::Currency,
        AttributeKind::Percent,
        AttributeKind::Link,
        AttributeKind::Date,
        AttributeKind::List,
        AttributeKind::Checkbox,
    ];

    /// From `attribute_display_type` (`text`, `number`, … as Chatwoot names them).
    pub fn parse(display_type: &str) -> Option<AttributeKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == display_type)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AttributeKind::Text => "text",
            AttributeKind::Number => "number",
            AttributeKind::Currency => "currency",
            AttributeKind::Percent => "percent",
            AttributeKind::Link => "link",
            AttributeKind::Date => "date",
            AttributeKind::List => "list",
            AttributeKind::Checkbox => "checkbox",
        }
    }
}

/// A contact custom attribute definition, as far as filtering needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomAttributeDef {
    pub key: String,
    pub kind: AttributeKind,
    /// The options of a `list` attribute; empty for the other kinds.
    pub list_values: Vec<String>,
}

impl CustomAttributeDef {
    /// From a definition's `attribute_key`, `attribute_display_type` and `attribute_values`;
    /// `None` when the type is not one filters know.
    pub fn from_definition(
        key: &str,
        display_type: &str,
        list_values: Vec<String>,
    ) -> Option<Self> {
        Some(CustomAttributeDef {
            key: key.to_owned(),
            kind: AttributeKind::parse(display_type)?,
            list_values,
        })
    }
}

/// What a condition looks at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Attribute {
    Name,
    Email,
    PhoneNumber,
    Id,
    Identifier,
    CreatedAt,
    LastActivityAt,
    Labels,
    Blocked,
    City,
    CountryCode,
    Company,
    /// A key of the account's contact custom attribute definitions.
    Custom {
        key: String,
        kind: AttributeKind,
    },
}

impl Attribute {
    /// Every built-in attribute, in the order the filter builder offers them.
    pub const STANDARD: [Attribute; 12] = [
        Attribute::Name,
        Attribute::Email,
        Attribute::PhoneNumber,
        Attribute::Id,
        Attribute::Identifier,
        Attribute::CreatedAt,
        Attribute::LastActivityAt,
        Attribute::Labels,
        Attribute::Blocked,
        Attribute::City,
        Attribute::CountryCode,
        Attribute::Company,
    ];

    /// The `attribute_key` on the wire.
    pub fn key(&self) -> &str {
        match self {
            Attribute::Name => "name",
            Attribute::Email => "email",
            Attribute::PhoneNumber => "phone_number",
            Attribute::Id => "id",
            Attribute::Identifier => "identifier",
            Attribute::CreatedAt => "created_at",
            Attribute::LastActivityAt => "last_activity_at",
            Attribute::Labels => "labels",
            Attribute::Blocked => "blocked",
            Attribute::City => "city",
            Attribute::CountryCode => "country_code",
            Attribute::Company => "company",
            Attribute::Custom { key, .. } => key,
        }
    }

    /// A built-in attribute, else one of `defs` (built-ins win over a custom key of the
    /// same name). Custom keys must be [`is_custom_key`]s, so they can be put in a JSON path.
    pub fn parse(key: &str, defs: &[CustomAttributeDef]) -> Option<Attribute> {
        if let Some(standard) = Self::STANDARD.iter().find(|a| a.key() == key) {
            return Some(standard.clone());
        }
        if !is_custom_key(key) {
            return None;
        }
        defs.iter()
            .find(|d| d.key == key)
            .map(|d| Attribute::Custom {
                key: d.key.clone(),
                kind: d.kind,
            })
    }
}

/// Whether `key` is usable as a custom attribute key in a filter: the characters a
/// definition key may hold ([`crate::rules::definition_key_char`], Chatwoot's
/// `[\p{L}\p{N}_.\-]+`), none of which needs escaping in a quoted JSON path label.
pub fn is_custom_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= MAX_TEXT_CHARS
        && key.chars().all(crate::rules::definition_key_char)
}

/// How a condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    EqualTo,
    NotEqualTo,
    Contains,
    DoesNotContain,
    StartsWith,
    IsPresent,
    IsNotPresent,
    IsGreaterThan,
    IsLessThan,
    DaysBefore,
}

impl Operator {
    pub const ALL: [Operator; 10] = [
        Operator::EqualTo,
        Operator::NotEqualTo,
        Operator::Contains,
        Operator::DoesNotContain,
        Operator::StartsWith,
        Operator::IsPresent,
        Operator::IsNotPresent,
        Operator::IsGreaterThan,
        Operator::IsLessThan,
        Operator::DaysBefore,
    ];

    pub fn parse(s: &str) -> Option<Operator> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// The `filter_operator` on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::EqualTo => "equal_to",
            Operator::NotEqualTo => "not_equal_to",
            Operator::Contains => "contains",
            Operator::DoesNotContain => "does_not_contain",
            Operator::StartsWith => "starts_with",
            Operator::IsPresent => "is_present",
            Operator::IsNotPresent => "is_not_present",
            Operator::IsGreaterThan => "is_greater_than",
            Operator::IsLessThan => "is_less_than",
            Operator::DaysBefore => "days_before",
        }
    }

    /// `is_present` and `is_not_present` take no value.
    pub fn takes_values(self) -> bool {
        !matches!(self, Operator::IsPresent | Operator::IsNotPresent)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a condition joins the next one. AND binds tighter than OR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Conjunction {
    And,
    Or,
}

impl Conjunction {
    /// `and` / `or`, in any case (Chatwoot upper-cases before comparing).
    pub fn parse(s: &str) -> Option<Conjunction> {
        match s.to_ascii_lowercase().as_str() {
            "and" => Some(Conjunction::And),
            "or" => Some(Conjunction::Or),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Conjunction::And => "and",
            Conjunction::Or => "or",
        }
    }
}

use Operator::*;

const TEXT_OPS: &[Operator] = &[
    EqualTo,
    NotEqualTo,
    Contains,
    DoesNotContain,
    StartsWith,
    IsPresent,
    IsNotPresent,
];
const ID_OPS: &[Operator] = &[EqualTo, NotEqualTo, IsGreaterThan, IsLessThan];
const IDENTIFIER_OPS: &[Operator] = &[EqualTo, NotEqualTo, Contains, IsPresent, IsNotPresent];
const DATE_OPS: &[Operator] = &[IsGreaterThan, IsLessThan, DaysBefore, EqualTo];
const LABEL_OPS: &[Operator] = &[EqualTo, NotEqualTo, IsPresent, IsNotPresent];
const BOOL_OPS: &[Operator] = &[EqualTo, NotEqualTo];
const ADDITIONAL_OPS: &[Operator] = &[EqualTo, NotEqualTo, Contains, DoesNotContain];
const CUSTOM_TEXT_OPS: &[Operator] = &[
    EqualTo,
    NotEqualTo,
    Contains,
    DoesNotContain,
    IsPresent,
    IsNotPresent,
];
const NUMBER_OPS: &[Operator] = &[EqualTo, NotEqualTo, IsGreaterThan, IsLessThan];
const CHECKBOX_OPS: &[Operator] = &[EqualTo];

/// The operators `attribute` takes (the contract's table), in the builder's order.
pub fn operators_for(attribute: &Attribute) -> &'static [Operator] {
    match attribute {
        Attribute::Name | Attribute::Email | Attribute::PhoneNumber => TEXT_OPS,
        Attribute::Id => ID_OPS,
        Attribute::Identifier => IDENTIFIER_OPS,
        Attribute::CreatedAt | Attribute::LastActivityAt => DATE_OPS,
        Attribute::Labels => LABEL_OPS,
        Attribute::Blocked => BOOL_OPS,
        Attribute::City | Attribute::CountryCode | Attribute::Company => ADDITIONAL_OPS,
        Attribute::Custom { kind, .. } => match kind {
            AttributeKind::Text | AttributeKind::Link | AttributeKind::List => CUSTOM_TEXT_OPS,
            AttributeKind::Number | AttributeKind::Currency | AttributeKind::Percent => NUMBER_OPS,
            AttributeKind::Date => DATE_OPS,
            AttributeKind::Checkbox => CHECKBOX_OPS,
        },
    }
}

/// The operators a stock Chatwoot takes for `attribute` (its `lib/filters/filter_keys.yml`,
/// `contacts:`), in the builder's order: a part of [`operators_for`], which adds ours. `id`
/// and custom attributes, which that file does not list, keep ours.
pub fn chatwoot_operators_for(attribute: &Attribute) -> &'static [Operator] {
    match attribute {
        Attribute::Name | Attribute::Email | Attribute::City | Attribute::Company => {
            &[EqualTo, NotEqualTo, Contains, DoesNotContain]
        }
        Attribute::PhoneNumber => &[EqualTo, NotEqualTo, Contains, DoesNotContain, StartsWith],
        Attribute::Identifier | Attribute::CountryCode | Attribute::Blocked => BOOL_OPS,
        Attribute::Labels => LABEL_OPS,
        Attribute::CreatedAt | Attribute::LastActivityAt => {
            &[IsGreaterThan, IsLessThan, DaysBefore]
        }
        Attribute::Id | Attribute::Custom { .. } => operators_for(attribute),
    }
}

/// A condition's values, typed by its attribute and operator.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    /// `is_present` / `is_not_present`.
    None,
    /// Trimmed text; any of them (equal_to, contains, starts_with) or none (the negations).
    Texts(Vec<String>),
    Integers(Vec<i64>),
    /// Finite numbers.
    Numbers(Vec<f64>),
    Bool(bool),
    /// A day in the agent's time zone.
    Day {
        date: NaiveDate,
        zone: DayZone,
    },
    /// `days_before N`: before the day N days before today (in the agent's zone) began.
    DaysAgo {
        days: u32,
        zone: DayZone,
    },
    /// Label titles, lower-case.
    Labels(Vec<String>),
    /// Phone numbers as digits only.
    Phones(Vec<String>),
}

/// A condition that passed [`validate`]: safe to compile.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCondition {
    pub attribute: Attribute,
    pub operator: Operator,
    pub value: FilterValue,
    /// How it joins the next condition; `None` on the last.
    pub join: Option<Conjunction>,
}

/// Why a filter was refused. `index` is the condition's position (from 0); `message` is
/// the whole sentence, naming the condition (from 1) so a person can find it; `reason` is
/// what is wrong without naming it, for a place that shows it by the condition itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub index: usize,
    pub message: String,
    pub reason: String,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FilterError {}

/// Checks every condition against the contract's table and the account's custom
/// attribute `definitions`, and types its values. Nothing is built from a filter that
/// has not passed this.
pub fn validate(
    payload: &[FilterCondition],
    definitions: &[CustomAttributeDef],
) -> Result<Vec<ValidCondition>, FilterError> {
    if let Some(problem) = list_problem(payload) {
        return Err(problem);
    }
    let last = payload.len() - 1;
    payload
        .iter()
        .enumerate()
        .map(|(index, condition)| validate_one(condition, index, index == last, definitions))
        .collect()
}

/// Every reason [`validate`] has to refuse `payload`, not only the first: one per wrong
/// condition, in order, or the one problem of the list as a whole. Empty when it passes.
pub fn problems(
    payload: &[FilterCondition],
    definitions: &[CustomAttributeDef],
) -> Vec<FilterError> {
    if let Some(problem) = list_problem(payload) {
        return vec![problem];
    }
    let last = payload.len() - 1;
    payload
        .iter()
        .enumerate()
        .filter_map(|(index, condition)| {
            validate_one(condition, index, index == last, definitions).err()
        })
        .collect()
}

/// A filter without conditions, or with too many.
fn list_problem(payload: &[FilterCondition]) -> Option<FilterError> {
    let whole = |index: usize, message: String, reason: String| FilterError {
        index,
        message,
        reason,
    };
    if payload.is_empty() {
        let message = "Add at least one condition to filter by".to_owned();
        return Some(whole(0, message.clone(), message));
    }
    (payload.len() > MAX_CONDITIONS).then(|| {
        let reason = format!(
            "a filter has at most {MAX_CONDITIONS} conditions, this one has {}",
            payload.len()
        );
        whole(
            MAX_CONDITIONS,
            format!("Condition {}: {reason}", MAX_CONDITIONS + 1),
            reason,
        )
    })
}

fn validate_one(
    c: &FilterCondition,
    index: usize,
    is_last: bool,
    defs: &[CustomAttributeDef],
) -> Result<ValidCondition, FilterError> {
    let number = index + 1;
    let fail = |subject: Option<String>, reason: String| FilterError {
        index,
        message: match subject {
            Some(s) => format!("Condition {number} ({s}): {reason}"),
            None => format!("Condition {number}: {reason}"),
        },
        reason,
    };

    let key = c.attribute_key.trim();
    let attribute = Attribute::parse(key, defs).ok_or_else(|| {
        let standard: Vec<&str> = Attribute::STANDARD.iter().map(Attribute::key).collect();
        fail(
            None,
            format!(
                "{} is not a filterable attribute; use one of {} or the key of a contact custom attribute",
                quoted(key),
                standard.join(", ")
            ),
        )
    })?;
    let key = attribute.key().to_owned();
    if let Attribute::Custom { .. } = attribute {
        let model = c
            .custom_attribute_type
            .as_deref()
            .map(str::trim)
            .unwrap_or("");
        if !model.is_empty() && model != "contact_attribute" {
            return Err(fail(
                Some(key),
                format!(
                    "custom_attribute_type must be 'contact_attribute', not {}",
                    quoted(model)
                ),
            ));
        }
    }

    let allowed = operators_for(&attribute);
    let allowed_list = || {
        allowed
            .iter()
            .map(|o| o.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let op_text = c.filter_operator.trim();
    let operator = match Operator::parse(op_text) {
        Some(op) if allowed.contains(&op) => op,
        Some(_) => {
            return Err(fail(
                Some(key.clone()),
                format!(
                    "the operator {} cannot be used with {key}; use one of {}",
                    quoted(op_text),
                    allowed_list()
                ),
            ))
        }
        None => {
            return Err(fail(
                Some(key),
                format!(
                    "{} is not a filter operator; use one of {}",
                    quoted(op_text),
                    allowed_list()
                ),
            ))
        }
    };

    let subject = format!("{key} {operator}");
    let join_text = c
        .query_operator
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let join = match (join_text, is_last) {
        (None, true) => None,
        (Some(j), true) => {
            return Err(fail(
                Some(subject),
                format!(
                    "the last condition's query_operator must be null, as no condition follows it (got {})",
                    quoted(j)
                ),
            ))
        }
        (None, false) => {
            return Err(fail(
                Some(subject),
                "query_operator must be 'and' or 'or', to join it to the next condition".to_owned(),
            ))
        }
        (Some(j), false) => Some(Conjunction::parse(j).ok_or_else(|| {
            fail(
                Some(subject.clone()),
                format!("query_operator must be 'and' or 'or', not {}", quoted(j)),
            )
        })?),
    };

    let value =
        typed_value(&attribute, operator, &c.values, defs).map_err(|m| fail(Some(subject), m))?;
    Ok(ValidCondition {
        attribute,
        operator,
        value,
        join,
    })
}

/// The values of a condition whose attribute and operator are known to fit.
fn typed_value(
    attribute: &Attribute,
    op: Operator,
    values: &[Value],
    defs: &[CustomAttributeDef],
) -> Result<FilterValue, String> {
    if !op.takes_values() {
        return Ok(FilterValue::None);
    }
    if values.is_empty() {
        return Err("needs a value".to_owned());
    }
    if values.len() > MAX_VALUES {
        return Err(format!(
            "takes at most {MAX_VALUES} values, not {}",
            values.len()
        ));
    }
    match attribute {
        Attribute::Name
        | Attribute::Email
        | Attribute::Identifier
        | Attribute::City
        | Attribute::CountryCode
        | Attribute::Company => texts(values).map(FilterValue::Texts),
        Attribute::PhoneNumber => phones(values).map(FilterValue::Phones),
        Attribute::Id => integers(op, values).map(FilterValue::Integers),
        Attribute::CreatedAt | Attribute::LastActivityAt => day_or_days(op, values),
        Attribute::Labels => {
            let titles = texts(values)?
                .into_iter()
                .map(|t| t.to_lowercase())
                .collect();
            Ok(FilterValue::Labels(titles))
        }
        Attribute::Blocked => boolean(values).map(FilterValue::Bool),
        Attribute::Custom { key, kind } => match kind {
            AttributeKind::Text | AttributeKind::Link => texts(values).map(FilterValue::Texts),
            AttributeKind::List => {
                let texts = texts(values)?;
                let options = defs
                    .iter()
                    .find(|d| &d.key == key)
                    .map(|d| d.list_values.as_slice())
                    .unwrap_or(&[]);
                if matches!(op, EqualTo | NotEqualTo) && !options.is_empty() {
                    if let Some(bad) = texts
                        .iter()
                        .find(|t| !options.iter().any(|o| o.to_lowercase() == t.to_lowercase()))
                    {
                        return Err(format!(
                            "{} is not one of {key}'s values ({})",
                            quoted(bad),
                            options.join(", ")
                        ));
                    }
                }
                Ok(FilterValue::Texts(texts))
            }
            AttributeKind::Number | AttributeKind::Currency | AttributeKind::Percent => {
                numbers(op, values).map(FilterValue::Numbers)
            }
            AttributeKind::Date => day_or_days(op, values),
            AttributeKind::Checkbox => boolean(values).map(FilterValue::Bool),
        },
    }
}

fn texts(values: &[Value]) -> Result<Vec<String>, String> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let text = match v {
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => return Err(format!("{} is not a text value", shown(other))),
            };
            if text.is_empty() {
                return Err(if values.len() == 1 {
                    "needs a value".to_owned()
                } else {
                    format!("value {} is blank", i + 1)
                });
            }
            if text.chars().count() > MAX_TEXT_CHARS {
                return Err(format!(
                    "value {} is longer than {MAX_TEXT_CHARS} characters",
                    i + 1
                ));
            }
            Ok(text)
        })
        .collect()
}

fn phones(values: &[Value]) -> Result<Vec<String>, String> {
    texts(values)?
        .into_iter()
        .map(|text| {
            let formatting = |c: char| c.is_ascii_digit() || " +-().,/\u{a0}".contains(c);
            if !text.chars().all(formatting) {
                return Err(format!("{} is not a phone number", quoted(&text)));
            }
            let digits = phone_digits(&text);
            if digits.len() < MIN_PHONE_DIGITS {
                return Err(format!(
                    "{} has fewer than {MIN_PHONE_DIGITS} digits",
                    quoted(&text)
                ));
            }
            Ok(digits)
        })
        .collect()
}

/// The digits of a phone number, formatting stripped: `+380 (50) 123-45-67` → `380501234567`.
pub fn phone_digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// `is_greater_than` and `is_less_than` compare with one value; the rest take any number.
fn single_for_comparison(op: Operator, values: &[Value]) -> Result<(), String> {
    if matches!(op, IsGreaterThan | IsLessThan) && values.len() != 1 {
        return Err(format!(
            "{op} compares with exactly one value, not {}",
            values.len()
        ));
    }
    Ok(())
}

fn integers(op: Operator, values: &[Value]) -> Result<Vec<i64>, String> {
    single_for_comparison(op, values)?;
    values
        .iter()
        .map(|v| whole_number(v).ok_or_else(|| format!("{} is not a whole number", shown(v))))
        .collect()
}

fn numbers(op: Operator, values: &[Value]) -> Result<Vec<f64>, String> {
    single_for_comparison(op, values)?;
    values
        .iter()
        .map(|v| {
            let n = match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            n.filter(|n| n.is_finite())
                .ok_or_else(|| format!("{} is not a number", shown(v)))
        })
        .collect()
}

fn boolean(values: &[Value]) -> Result<bool, String> {
    if values.len() != 1 {
        return Err(format!(
            "takes one value, true or false, not {}",
            values.len()
        ));
    }
    match &values[0] {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(false),
        other => Err(format!("{} is not true or false", shown(other))),
    }
}

/// `[day, zone?]` for the day operators, `[days, zone?]` for `days_before`.
fn day_or_days(op: Operator, values: &[Value]) -> Result<FilterValue, String> {
    if values.len() > 2 {
        return Err(format!(
            "takes a {} and optionally the time zone, not {} values",
            if op == DaysBefore {
                "number of days"
            } else {
                "day"
            },
            values.len()
        ));
    }
    let zone = values.get(1).map_or(Ok(DayZone::UTC), day_zone)?;
    if op == DaysBefore {
        let days = whole_number(&values[0])
            .and_then(|d| u32::try_from(d).ok())
            .filter(|d| *d <= MAX_DAYS_BEFORE)
            .ok_or_else(|| {
                format!(
                    "{} is not a whole number of days (0 to {MAX_DAYS_BEFORE})",
                    shown(&values[0])
                )
            })?;
        return Ok(FilterValue::DaysAgo { days, zone });
    }
    let date = match &values[0] {
        Value::String(s) => parse_day(s.trim()),
        _ => None,
    }
    .ok_or_else(|| format!("{} is not a date (use YYYY-MM-DD)", shown(&values[0])))?;
    Ok(FilterValue::Day { date, zone })
}

/// The zone of a date condition: a whole number is a UTC offset in minutes, text an IANA
/// time zone name (checked against the database where the `tz` feature is on).
fn day_zone(v: &Value) -> Result<DayZone, String> {
    if let Some(minutes) = whole_number(v) {
        return i32::try_from(minutes)
            .ok()
            .filter(|m| m.abs() <= MAX_UTC_OFFSET_MINUTES)
            .map(DayZone::Offset)
            .ok_or_else(|| {
                format!(
                    "{} is not a UTC offset in minutes (from -{MAX_UTC_OFFSET_MINUTES} to {MAX_UTC_OFFSET_MINUTES})",
                    shown(v)
                )
            });
    }
    match v {
        Value::String(name) => ZoneName::parse(name).map(DayZone::Named),
        _ => None,
    }
    .ok_or_else(|| {
        format!(
            "{} is not a time zone; use an IANA name such as Europe/Kyiv, or a UTC offset in minutes",
            shown(v)
        )
    })
}

/// Exactly `YYYY-MM-DD` (chrono alone would also take `2024-1-5`).
fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A whole number given as a JSON integer, an integral float, or a numeric string.
fn whole_number(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A value as a message shows it: text quoted and shortened, the rest as JSON.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => quoted(s),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        other => other.to_string(),
    }
}

fn quoted(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() > MAX {
        let head: String = s.chars().take(MAX).collect();
        format!("'{head}…'")
    } else {
        format!("'{s}'")
    }
}

/// The UTC instants `[start, end)` of `date` as a day in a zone `utc_offset_minutes` east
/// of UTC, in Unix seconds. `start` is that day's local midnight.
pub fn local_day_range(date: NaiveDate, utc_offset_minutes: i32) -> (i64, i64) {
    let midnight_as_utc = date.and_time(NaiveTime::MIN).and_utc().timestamp();
    let start = midnight_as_utc - i64::from(utc_offset_minutes) * 60;
    (start, start + SECONDS_PER_DAY)
}

/// The local day the instant `unix_seconds` falls on, in a zone `utc_offset_minutes` east of UTC.
pub fn local_date(unix_seconds: i64, utc_offset_minutes: i32) -> NaiveDate {
    date_at_offset(unix_seconds, i64::from(utc_offset_minutes) * 60)
}

/// For `days_before N` at `now`: the day N days before the agent's today. What matches
/// happened before this day began (a custom date attribute: is an earlier day).
pub fn days_before_cutoff(now: i64, days: u32, utc_offset_minutes: i32) -> NaiveDate {
    local_date(now, utc_offset_minutes)
        .checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN)
}

/// The conditions as OR-ed groups of AND-ed conditions: AND binds tighter, so
/// `a AND b OR c` is `[[a, b], [c]]`.
pub fn or_groups(conditions: &[ValidCondition]) -> Vec<&[ValidCondition]> {
    let mut groups = Vec::new();
    let mut start = 0;
    for (i, c) in conditions.iter().enumerate() {
        if c.join != Some(Conjunction::And) {
            groups.push(&conditions[start..=i]);
            start = i + 1;
        }
    }
    if start < conditions.len() {
        groups.push(&conditions[start..]);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn defs() -> Vec<CustomAttributeDef> {
        let def = |key: &str, kind: &str, values: &[&str]| {
            CustomAttributeDef::from_definition(
                key,
                kind,
                values.iter().map(|v| v.to_string()).collect(),
            )
            .unwrap()
        };
        vec![
            def("plan", "list", &["free", "basic", "gold", "platinum"]),
            def("order_count", "number", &[]),
            def("lifetime_value", "currency", &[]),
            def("discount", "percent", &[]),
            def("website", "link", &[]),
            def("renewal_date", "date", &[]),
            def("newsletter", "checkbox", &[]),
            def("account_manager", "text", &[]),
        ]
    }

    fn cond(key: &str, op: &str, values: Value, join: Option<&str>) -> FilterCondition {
        serde_json::from_value(json!({
            "attribute_key": key, "filter_operator": op, "values": values, "query_operator": join
        }))
        .unwrap()
    }

    fn one(key: &str, op: &str, values: Value) -> Result<ValidCondition, FilterError> {
        validate(&[cond(key, op, values, None)], &defs()).map(|mut v| v.remove(0))
    }

    fn err(key: &str, op: &str, values: Value) -> String {
        one(key, op, values).unwrap_err().to_string()
    }

    #[test]
    fn chatwoot_shaped_payload_parses_and_validates() {
        let body = r#"{"payload":[
            {"attribute_key":"name","filter_operator":"contains","values":["olena"],"query_operator":"and"},
            {"attribute_key":"plan","filter_operator":"equal_to","values":["gold"],"query_operator":"OR",
             "custom_attribute_type":"contact_attribute"},
            {"attribute_key":"labels","filter_operator":"is_present","values":[],"query_operator":null}]}"#;
        let req: FilterRequest = serde_json::from_str(body).unwrap();
        let valid = validate(&req.payload, &defs()).unwrap();
        assert_eq!(valid.len(), 3);
        assert_eq!(valid[0].attribute, Attribute::Name);
        assert_eq!(valid[0].value, FilterValue::Texts(vec!["olena".into()]));
        assert_eq!(valid[0].join, Some(Conjunction::And));
        assert_eq!(
            valid[1].attribute,
            Attribute::Custom {
                key: "plan".into(),
                kind: AttributeKind::List
            }
        );
        assert_eq!(valid[1].join, Some(Conjunction::Or));
        assert_eq!(valid[2].value, FilterValue::None);
        assert_eq!(valid[2].join, None);
    }

    #[test]
    fn values_may_be_strings_numbers_booleans_or_a_single_scalar() {
        assert_eq!(
            one("id", "equal_to", json!(["42", 43])).unwrap().value,
            FilterValue::Integers(vec![42, 43])
        );
        assert_eq!(
            one("id", "equal_to", json!(7)).unwrap().value,
            FilterValue::Integers(vec![7])
        );
        assert_eq!(
            one("blocked", "equal_to", json!(["true"])).unwrap().value,
            FilterValue::Bool(true)
        );
        assert_eq!(
            one("blocked", "equal_to", json!([false])).unwrap().value,
            FilterValue::Bool(false)
        );
        assert_eq!(
            one("name", "equal_to", json!([12])).unwrap().value,
            FilterValue::Texts(vec!["12".into()])
        );
        assert_eq!(
            one("order_count", "is_less_than", json!(["2.5"]))
                .unwrap()
                .value,
            FilterValue::Numbers(vec![2.5])
        );
        let missing: FilterCondition =
            serde_json::from_str(r#"{"attribute_key":"email","filter_operator":"is_not_present"}"#)
                .unwrap();
        assert!(missing.values.is_empty() && missing.query_operator.is_none());
        assert!(validate(&[missing], &[]).is_ok());
    }

    #[test]
    fn problems_lists_every_wrong_condition_with_its_reason() {
        let payload = [
            cond("name", "contains", json!([]), Some("and")),
            cond("email", "contains", json!(["ok"]), Some("or")),
            cond("phone_number", "equal_to", json!(["call me"]), None),
        ];
        let found = problems(&payload, &defs());
        let seen: Vec<(usize, &str, &str)> = found
            .iter()
            .map(|p| (p.index, p.message.as_str(), p.reason.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    0,
                    "Condition 1 (name contains): needs a value",
                    "needs a value"
                ),
                (
                    2,
                    "Condition 3 (phone_number equal_to): 'call me' is not a phone number",
                    "'call me' is not a phone number"
                ),
            ]
        );
        assert_eq!(
            validate(&payload, &defs()).unwrap_err(),
            found[0],
            "validate refuses with the first"
        );
        assert!(problems(&[cond("email", "contains", json!(["ok"]), None)], &defs()).is_empty());
        let empty = problems(&[], &defs());
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].reason, "Add at least one condition to filter by");
        let many = vec![cond("name", "contains", json!([]), Some("and")); MAX_CONDITIONS + 1];
        let too_many = problems(&many, &defs());
        assert_eq!(too_many.len(), 1, "the list's problem, not each row's");
        assert_eq!(too_many[0].index, MAX_CONDITIONS);
    }

    #[test]
    fn errors_name_the_condition_in_words() {
        let payload = [
            cond("name", "contains", json!(["a"]), Some("and")),
            cond("email", "contains", json!([]), None),
        ];
        let e = validate(&payload, &[]).unwrap_err();
        assert_eq!(e.index, 1);
        assert_eq!(e.to_string(), "Condition 2 (email contains): needs a value");

        let e = err("foo", "equal_to", json!(["x"]));
        assert!(
            e.starts_with(
                "Condition 1: 'foo' is not a filterable attribute; use one of name, email"
            ),
            "{e}"
        );

        let e = err("created_at", "is_greater_than", json!(["2024-13-01"]));
        assert_eq!(
            e,
            "Condition 1 (created_at is_greater_than): '2024-13-01' is not a date (use YYYY-MM-DD)"
        );

        let e = err("name", "is_greater_than", json!(["x"]));
        assert_eq!(
            e,
            "Condition 1 (name): the operator 'is_greater_than' cannot be used with name; use one of \
             equal_to, not_equal_to, contains, does_not_contain, starts_with, is_present, is_not_present"
        );
        let e = err("name", "like", json!(["x"]));
        assert!(
            e.starts_with(
                "Condition 1 (name): 'like' is not a filter operator; use one of equal_to"
            ),
            "{e}"
        );
    }

    #[test]
    fn empty_and_oversized_filters_are_refused() {
        assert_eq!(
            validate(&[], &[]).unwrap_err().to_string(),
            "Add at least one condition to filter by"
        );
        let mut many: Vec<_> = (0..MAX_CONDITIONS)
            .map(|_| cond("name", "is_present", json!([]), Some("or")))
            .collect();
        many.last_mut().unwrap().query_operator = None;
        assert!(validate(&many, &[]).is_ok(), "50 is allowed");
        many.last_mut().unwrap().query_operator = Some("or".into());
        many.push(cond("name", "is_present", json!([]), None));
        let e = validate(&many, &[]).unwrap_err();
        assert_eq!(e.index, MAX_CONDITIONS);
        assert!(e.message.contains("at most 50 conditions"), "{e}");

        let values: Vec<Value> = (0..=MAX_VALUES).map(|i| json!(format!("v{i}"))).collect();
        assert!(err("name", "equal_to", Value::Array(values)).contains("at most 100 values"));
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            err("name", "contains", json!(["ok", long])),
            "Condition 1 (name contains): value 2 is longer than 255 characters"
        );
        assert!(
            one("name", "contains", json!(["ж".repeat(MAX_TEXT_CHARS)])).is_ok(),
            "characters, not bytes"
        );
        assert_eq!(
            err("name", "equal_to", json!(["  "])),
            "Condition 1 (name equal_to): needs a value"
        );
        assert_eq!(
            err("name", "equal_to", json!(["a", ""])),
            "Condition 1 (name equal_to): value 2 is blank"
        );
        assert_eq!(
            err("name", "equal_to", json!([["nested"]])),
            "Condition 1 (name equal_to): a list is not a text value"
        );
        assert_eq!(
            err("name", "equal_to", json!([null])),
            "Condition 1 (name equal_to): null is not a text value"
        );
    }

    #[test]
    fn chatwoots_operators_are_a_part_of_ours_with_the_same_first() {
        for attribute in Attribute::STANDARD {
            let (theirs, ours) = (
                chatwoot_operators_for(&attribute),
                operators_for(&attribute),
            );
            assert!(theirs.iter().all(|op| ours.contains(op)), "{attribute:?}");
            assert_eq!(
                theirs.first(),
                ours.first(),
                "{attribute:?}: a new row's operator"
            );
        }
        assert_eq!(
            chatwoot_operators_for(&Attribute::CountryCode),
            &[EqualTo, NotEqualTo]
        );
        assert!(!chatwoot_operators_for(&Attribute::Name).contains(&StartsWith));
    }

    #[test]
    fn query_operators_chain_the_conditions_and_the_last_has_none() {
        let ok = [
            cond("name", "is_present", json!([]), Some("AND")),
            cond("email", "is_present", json!([]), Some(" or ")),
            cond("labels", "is_present", json!([]), Some("")),
        ];
        let valid = validate(&ok, &[]).unwrap();
        assert_eq!(
            valid.iter().map(|c| c.join).collect::<Vec<_>>(),
            [Some(Conjunction::And), Some(Conjunction::Or), None]
        );

        let last = [cond("name", "is_present", json!([]), Some("and"))];
        let e = validate(&last, &[]).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "Condition 1 (name is_present): the last condition's query_operator must be null"
            ),
            "{e}"
        );

        let missing = [
            cond("name", "is_present", json!([]), None),
            cond("email", "is_present", json!([]), None),
        ];
        let e = validate(&missing, &[]).unwrap_err();
        assert_eq!(e.index, 0);
        assert_eq!(e.to_string(), "Condition 1 (name is_present): query_operator must be 'and' or 'or', to join it to the next condition");

        let bad = [
            cond("name", "is_present", json!([]), Some("xor")),
            cond("email", "is_present", json!([]), None),
        ];
        assert!(validate(&bad, &[])
            .unwrap_err()
            .to_string()
            .ends_with("query_operator must be 'and' or 'or', not 'xor'"));
    }

    #[test]
    fn the_operator_table_is_the_contracts() {
        let ops = |a: &Attribute| {
            operators_for(a)
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let text =
            "equal_to not_equal_to contains does_not_contain starts_with is_present is_not_present";
        let dates = "is_greater_than is_less_than days_before equal_to";
        assert_eq!(ops(&Attribute::Name), text);
        assert_eq!(ops(&Attribute::Email), text);
        assert_eq!(ops(&Attribute::PhoneNumber), text);
        assert_eq!(
            ops(&Attribute::Id),
            "equal_to not_equal_to is_greater_than is_less_than"
        );
        assert_eq!(
            ops(&Attribute::Identifier),
            "equal_to not_equal_to contains is_present is_not_present"
        );
        assert_eq!(ops(&Attribute::CreatedAt), dates);
        assert_eq!(ops(&Attribute::LastActivityAt), dates);
        assert_eq!(
            ops(&Attribute::Labels),
            "equal_to not_equal_to is_present is_not_present"
        );
        assert_eq!(ops(&Attribute::Blocked), "equal_to not_equal_to");
        for a in [Attribute::City, Attribute::CountryCode, Attribute::Company] {
            assert_eq!(ops(&a), "equal_to not_equal_to contains does_not_contain");
        }
        let custom = |kind| Attribute::Custom {
            key: "k".into(),
            kind,
        };
        for kind in [
            AttributeKind::Text,
            AttributeKind::Link,
            AttributeKind::List,
        ] {
            assert_eq!(
                ops(&custom(kind)),
                "equal_to not_equal_to contains does_not_contain is_present is_not_present"
            );
        }
        for kind in [
            AttributeKind::Number,
            AttributeKind::Currency,
            AttributeKind::Percent,
        ] {
            assert_eq!(
                ops(&custom(kind)),
                "equal_to not_equal_to is_greater_than is_less_than"
            );
        }
        assert_eq!(ops(&custom(AttributeKind::Date)), dates);
        assert_eq!(ops(&custom(AttributeKind::Checkbox)), "equal_to");
    }

    #[test]
    fn attributes_parse_from_keys_and_definitions() {
        for a in Attribute::STANDARD {
            assert_eq!(Attribute::parse(a.key(), &[]), Some(a.clone()));
        }
        assert_eq!(
            Attribute::parse("renewal_date", &defs()),
            Some(Attribute::Custom {
                key: "renewal_date".into(),
                kind: AttributeKind::Date
            })
        );
        assert_eq!(
            Attribute::parse("plan", &[]),
            None,
            "another account's keys are unknown"
        );
        let shadow = CustomAttributeDef::from_definition("name", "number", vec![]).unwrap();
        assert_eq!(
            Attribute::parse("name", &[shadow]),
            Some(Attribute::Name),
            "built-ins win"
        );
        let odd = CustomAttributeDef::from_definition("Bad Key'", "text", vec![]).unwrap();
        assert_eq!(
            Attribute::parse("Bad Key'", &[odd]),
            None,
            "a key unfit for a JSON path is not filterable"
        );
        assert_eq!(
            AttributeKind::parse("currency"),
            Some(AttributeKind::Currency)
        );
        assert_eq!(
            CustomAttributeDef::from_definition("x", "rich_text", vec![]),
            None
        );
        for kind in AttributeKind::ALL {
            assert_eq!(AttributeKind::parse(kind.as_str()), Some(kind));
        }
        for op in Operator::ALL {
            assert_eq!(Operator::parse(op.as_str()), Some(op));
        }
    }

    #[test]
    fn custom_attributes_take_values_of_their_type() {
        let custom = |key: &str, kind| Attribute::Custom {
            key: key.into(),
            kind,
        };
        let v = one("plan", "equal_to", json!(["Gold", "free"])).unwrap();
        assert_eq!(v.attribute, custom("plan", AttributeKind::List));
        assert_eq!(
            v.value,
            FilterValue::Texts(vec!["Gold".into(), "free".into()])
        );
        assert_eq!(
            err("plan", "equal_to", json!(["diamond"])),
            "Condition 1 (plan equal_to): 'diamond' is not one of plan's values (free, basic, gold, platinum)"
        );
        assert!(
            one("plan", "contains", json!(["old"])).is_ok(),
            "a fragment is fine for contains"
        );
        assert_eq!(
            one("discount", "is_greater_than", json!([10]))
                .unwrap()
                .value,
            FilterValue::Numbers(vec![10.0])
        );
        assert_eq!(
            err("lifetime_value", "equal_to", json!(["ten"])),
            "Condition 1 (lifetime_value equal_to): 'ten' is not a number"
        );
        assert!(err("order_count", "is_greater_than", json!([1, 2]))
            .ends_with("is_greater_than compares with exactly one value, not 2"));
        assert_eq!(
            one("newsletter", "equal_to", json!([true])).unwrap().value,
            FilterValue::Bool(true)
        );
        assert_eq!(
            err("newsletter", "equal_to", json!(["yes"])),
            "Condition 1 (newsletter equal_to): 'yes' is not true or false"
        );
        assert!(err("newsletter", "contains", json!(["x"]))
            .contains("cannot be used with newsletter; use one of equal_to"));
        assert_eq!(
            one("renewal_date", "equal_to", json!(["2026-12-01"]))
                .unwrap()
                .value,
            FilterValue::Day {
                date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                zone: DayZone::Offset(0)
            }
        );
        assert_eq!(
            one("website", "contains", json!(["example"]))
                .unwrap()
                .value,
            FilterValue::Texts(vec!["example".into()])
        );
        assert_eq!(
            one("account_manager", "is_present", json!([]))
                .unwrap()
                .value,
            FilterValue::None
        );

        let mut typed = cond("plan", "equal_to", json!(["gold"]), None);
        typed.custom_attribute_type = Some("conversation_attribute".into());
        let e = validate(&[typed], &defs()).unwrap_err().to_string();
        assert_eq!(e, "Condition 1 (plan): custom_attribute_type must be 'contact_attribute', not 'conversation_attribute'");
    }

    #[test]
    fn dates_take_a_day_and_an_optional_offset_or_a_number_of_days() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
        assert_eq!(
            one("created_at", "equal_to", json!(["2025-03-10", 120]))
                .unwrap()
                .value,
            FilterValue::Day {
                date: day,
                zone: DayZone::Offset(120)
            }
        );
        assert_eq!(
            one(
                "last_activity_at",
                "is_less_than",
                json!(["2025-03-10", "-300"])
            )
            .unwrap()
            .value,
            FilterValue::Day {
                date: day,
                zone: DayZone::Offset(-300)
            }
        );
        assert_eq!(
            one("created_at", "days_before", json!(["7"]))
                .unwrap()
                .value,
            FilterValue::DaysAgo {
                days: 7,
                zone: DayZone::Offset(0)
            }
        );
        assert!(err("created_at", "equal_to", json!(["2025-3-10"]))
            .ends_with("'2025-3-10' is not a date (use YYYY-MM-DD)"));
        assert!(err("created_at", "equal_to", json!([20250310]))
            .ends_with("20250310 is not a date (use YYYY-MM-DD)"));
        assert!(err("created_at", "equal_to", json!(["2025-03-10", 900]))
            .ends_with("900 is not a UTC offset in minutes (from -840 to 840)"));
        assert!(err("created_at", "days_before", json!([-1]))
            .ends_with("-1 is not a whole number of days (0 to 36500)"));
        assert!(
            err("created_at", "days_before", json!([1.5])).contains("not a whole number of days")
        );
        assert!(err("created_at", "equal_to", json!(["2025-03-10", 0, 0])).contains("not 3 values"));
        assert!(err("created_at", "contains", json!(["2025"]))
            .contains("cannot be used with created_at"));
    }

    #[test]
    fn dates_take_an_iana_time_zone_by_name() {
        let kyiv = DayZone::Named(ZoneName::parse("Europe/Kyiv").unwrap());
        assert_eq!(
            one(
                "created_at",
                "equal_to",
                json!(["2026-10-26", "Europe/Kyiv"])
            )
            .unwrap()
            .value,
            FilterValue::Day {
                date: NaiveDate::from_ymd_opt(2026, 10, 26).unwrap(),
                zone: kyiv.clone()
            }
        );
        assert_eq!(
            one(
                "last_activity_at",
                "days_before",
                json!([7, " Europe/Kyiv "])
            )
            .unwrap()
            .value,
            FilterValue::DaysAgo {
                days: 7,
                zone: kyiv.clone()
            }
        );
        assert_eq!(
            one(
                "renewal_date",
                "is_less_than",
                json!(["2026-12-01", "Europe/Kyiv"])
            )
            .unwrap()
            .value,
            FilterValue::Day {
                date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                zone: kyiv
            }
        );
        for bad in [
            json!("+02:00"),
            json!("Kyiv time"),
            json!(true),
            json!(null),
        ] {
            let e = err("created_at", "equal_to", json!(["2026-10-26", bad]));
            assert!(
                e.ends_with("is not a time zone; use an IANA name such as Europe/Kyiv, or a UTC offset in minutes"),
                "{e}"
            );
        }
        assert_eq!(
            err("created_at", "is_greater_than", json!(["2026-10-26", "Not/A Zone"])),
            "Condition 1 (created_at is_greater_than): 'Not/A Zone' is not a time zone; use an IANA \
             name such as Europe/Kyiv, or a UTC offset in minutes"
        );
        // The crate's tests build with `tz`; the SPA's, without, check only the shape.
        assert_eq!(
            err("created_at", "days_before", json!([3, "Europe/Kiev2"])),
            "Condition 1 (created_at days_before): 'Europe/Kiev2' is not a time zone; use an IANA \
             name such as Europe/Kyiv, or a UTC offset in minutes"
        );
    }

    #[test]
    fn ids_labels_and_phones_are_typed() {
        assert_eq!(
            err("id", "equal_to", json!(["abc"])),
            "Condition 1 (id equal_to): 'abc' is not a whole number"
        );
        assert_eq!(
            err("id", "equal_to", json!([1.5])),
            "Condition 1 (id equal_to): 1.5 is not a whole number"
        );
        assert_eq!(
            one("labels", "equal_to", json!([" VIP ", "billing"]))
                .unwrap()
                .value,
            FilterValue::Labels(vec!["vip".into(), "billing".into()])
        );
        assert_eq!(
            one("phone_number", "equal_to", json!(["+380 (50) 123-45-67"]))
                .unwrap()
                .value,
            FilterValue::Phones(vec!["380501234567".into()])
        );
        assert_eq!(
            one("phone_number", "starts_with", json!([380]))
                .unwrap()
                .value,
            FilterValue::Phones(vec!["380".into()])
        );
        assert_eq!(
            err("phone_number", "contains", json!(["+1-2"])),
            "Condition 1 (phone_number contains): '+1-2' has fewer than 3 digits"
        );
        assert_eq!(
            err("phone_number", "contains", json!(["call me"])),
            "Condition 1 (phone_number contains): 'call me' is not a phone number"
        );
        assert_eq!(phone_digits("+380 (50) 123-45-67"), "380501234567");
    }

    #[test]
    fn sql_looking_text_is_just_text() {
        let v = one("name", "equal_to", json!(["'); DROP TABLE contacts;--"])).unwrap();
        assert_eq!(
            v.value,
            FilterValue::Texts(vec!["'); DROP TABLE contacts;--".into()])
        );
        assert!(err("x'); DROP TABLE contacts;--", "equal_to", json!(["a"]))
            .contains("is not a filterable attribute"));
    }

    #[test]
    fn day_ranges_follow_the_agents_offset() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
        let utc_midnight = 1_741_564_800; // 2025-03-10T00:00:00Z
        assert_eq!(
            local_day_range(day, 0),
            (utc_midnight, utc_midnight + 86_400)
        );
        assert_eq!(
            local_day_range(day, 120).0,
            utc_midnight - 7_200,
            "Kyiv's day starts at 22:00 UTC the day before"
        );
        assert_eq!(local_day_range(day, -300).0, utc_midnight + 18_000);
        // 23:30 UTC on the 9th is already the 10th at UTC+2.
        assert_eq!(local_date(utc_midnight - 1_800, 120), day);
        assert_eq!(local_date(utc_midnight - 1_800, 0), day.pred_opt().unwrap());
    }

    #[test]
    fn days_before_counts_back_from_the_agents_today() {
        let now = 1_741_564_800 + 3_600; // 2025-03-10T01:00Z
        assert_eq!(
            days_before_cutoff(now, 7, 0),
            NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
        );
        assert_eq!(
            days_before_cutoff(now, 0, 0),
            NaiveDate::from_ymd_opt(2025, 3, 10).unwrap()
        );
        assert_eq!(
            days_before_cutoff(now, 7, -120),
            NaiveDate::from_ymd_opt(2025, 3, 2).unwrap(),
            "still the 9th at UTC-2"
        );
        assert_eq!(
            days_before_cutoff(i64::MIN, MAX_DAYS_BEFORE, -840),
            NaiveDate::MIN
        );
        assert_eq!(local_date(i64::MAX, 840), NaiveDate::MAX);
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let payload = [
            cond("name", "is_present", json!([]), Some("and")),
            cond("email", "is_present", json!([]), Some("or")),
            cond("id", "equal_to", json!([1]), Some("and")),
            cond("id", "equal_to", json!([2]), Some("or")),
            cond("labels", "is_present", json!([]), None),
        ];
        let valid = validate(&payload, &[]).unwrap();
        let keys: Vec<Vec<&str>> = or_groups(&valid)
            .iter()
            .map(|g| g.iter().map(|c| c.attribute.key()).collect())
            .collect();
        assert_eq!(
            keys,
            [vec!["name", "email"], vec!["id", "id"], vec!["labels"]]
        );
        assert_eq!(or_groups(&valid[..1]).len(), 1);
        assert!(or_groups(&[]).is_empty());
    }

    #[test]
    fn a_request_round_trips_through_json() {
        let req: FilterRequest = serde_json::from_value(json!({"payload":[
            {"attribute_key":"name","filter_operator":"equal_to","values":["a", 1, true],"query_operator":null}]}))
        .unwrap();
        let back: FilterRequest =
            serde_json::from_str(&serde_json::to_string(&req).unwrap()).unwrap();
        assert_eq!(back, req);
        let text = serde_json::to_value(&req).unwrap();
        assert_eq!(
            text["payload"][0]["query_operator"],
            Value::Null,
            "Chatwoot's shape keeps the null"
        );
        assert!(serde_json::from_value::<FilterRequest>(json!({}))
            .unwrap()
            .payload
            .is_empty());
    }

    #[test]
    fn segment_names_are_trimmed_and_bounded() {
        assert_eq!(segment_name("  VIP in Kyiv "), Ok("VIP in Kyiv".to_owned()));
        assert_eq!(segment_name(" "), Err("Name can't be blank".to_owned()));
        assert!(segment_name(&"я".repeat(MAX_SEGMENT_NAME_CHARS)).is_ok());
        assert!(segment_name(&"я".repeat(MAX_SEGMENT_NAME_CHARS + 1))
            .unwrap_err()
            .contains("too long"));
    }

    #[test]
    fn a_stock_chatwoot_segment_reads_with_its_date_strings_as_absent() {
        let saved: CustomFilter = serde_json::from_value(json!({
            "id": 3, "name": "VIP", "filter_type": "contact",
            "query": {"payload": [{"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":null}]},
            "created_at": "2024-05-01T10:00:00.000Z", "updated_at": 1714557600
        }))
        .unwrap();
        assert_eq!(saved.created_at, None);
        assert_eq!(saved.updated_at, Some(1_714_557_600));
        assert_eq!(saved.query.payload[0].attribute_key, "labels");
    }

    // ---- properties ----

    fn any_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|f| json!(f)),
            ".{0,12}".prop_map(Value::String),
            "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::String),
            "[-+ ()0-9]{0,16}".prop_map(Value::String),
            Just(json!(["nested"])),
            Just(json!({"id": 1})),
        ]
    }

    fn any_key() -> impl Strategy<Value = String> {
        let mut keys: Vec<String> = Attribute::STANDARD
            .iter()
            .map(|a| a.key().to_owned())
            .collect();
        keys.extend(defs().into_iter().map(|d| d.key));
        prop_oneof![proptest::sample::select(keys), ".{0,10}"]
    }

    fn any_op() -> impl Strategy<Value = String> {
        let ops: Vec<String> = Operator::ALL
            .iter()
            .map(|o| o.as_str().to_owned())
            .collect();
        prop_oneof![4 => proptest::sample::select(ops), 1 => ".{0,10}"]
    }

    fn any_join() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            Just(None),
            Just(Some("and".to_owned())),
            Just(Some("or".to_owned())),
            ".{0,4}".prop_map(Some)
        ]
    }

    fn any_condition() -> impl Strategy<Value = FilterCondition> {
        (
            any_key(),
            any_op(),
            proptest::collection::vec(any_value(), 0..4),
            any_join(),
        )
            .prop_map(|(attribute_key, filter_operator, values, query_operator)| {
                FilterCondition {
                    attribute_key,
                    filter_operator,
                    values,
                    query_operator,
                    custom_attribute_type: None,
                }
            })
    }

    /// A value of the right type for a (valid) attribute and operator.
    fn fitting_values(attribute: &Attribute, op: Operator) -> BoxedStrategy<Vec<Value>> {
        let texts =
            proptest::collection::vec("[a-zA-Z0-9 ]{0,8}[a-z]".prop_map(Value::String), 1..4);
        let zone = prop_oneof![
            (-840i32..=840).prop_map(|off| json!(off)),
            proptest::sample::select(vec![
                "Europe/Kyiv",
                "America/New_York",
                "UTC",
                "Asia/Kolkata"
            ])
            .prop_map(|name| json!(name)),
        ];
        let day = (2000i32..2100, 1u32..=12, 1u32..=28, zone.clone())
            .prop_map(|(y, m, d, zone)| vec![json!(format!("{y:04}-{m:02}-{d:02}")), zone]);
        let days = (0u32..=MAX_DAYS_BEFORE, proptest::option::of(zone))
            .prop_map(|(n, zone)| std::iter::once(json!(n)).chain(zone).collect());
        let single_int = any::<i64>().prop_map(|n| vec![json!(n)]);
        if !op.takes_values() {
            return Just(vec![]).boxed();
        }
        match attribute {
            Attribute::PhoneNumber => {
                proptest::collection::vec("\\+?[0-9]{3,12}".prop_map(Value::String), 1..4).boxed()
            }
            Attribute::Id if matches!(op, IsGreaterThan | IsLessThan) => single_int.boxed(),
            Attribute::Id => {
                proptest::collection::vec(any::<i64>().prop_map(|n| json!(n)), 1..4).boxed()
            }
            Attribute::CreatedAt | Attribute::LastActivityAt if op == DaysBefore => days.boxed(),
            Attribute::CreatedAt | Attribute::LastActivityAt => day.boxed(),
            Attribute::Blocked => any::<bool>().prop_map(|b| vec![json!(b)]).boxed(),
            Attribute::Custom { kind, .. } => match kind {
                AttributeKind::List if matches!(op, EqualTo | NotEqualTo) => {
                    proptest::sample::select(vec!["free", "basic", "gold", "platinum"])
                        .prop_map(|v| vec![json!(v)])
                        .boxed()
                }
                AttributeKind::Number | AttributeKind::Currency | AttributeKind::Percent => {
                    (-1.0e9f64..1.0e9).prop_map(|f| vec![json!(f)]).boxed()
                }
                AttributeKind::Date if op == DaysBefore => days.boxed(),
                AttributeKind::Date => day.boxed(),
                AttributeKind::Checkbox => any::<bool>().prop_map(|b| vec![json!(b)]).boxed(),
                _ => texts.boxed(),
            },
            _ => texts.boxed(),
        }
    }

    fn valid_condition() -> impl Strategy<Value = FilterCondition> {
        let mut attributes: Vec<Attribute> = Attribute::STANDARD.to_vec();
        attributes.extend(defs().into_iter().map(|d| Attribute::Custom {
            key: d.key,
            kind: d.kind,
        }));
        proptest::sample::select(attributes)
            .prop_flat_map(|a| {
                let ops = operators_for(&a).to_vec();
                (Just(a), proptest::sample::select(ops))
            })
            .prop_flat_map(|(a, op)| {
                let values = fitting_values(&a, op);
                (
                    Just(a),
                    Just(op),
                    values,
                    prop_oneof![Just("and"), Just("or")],
                )
            })
            .prop_map(|(a, op, values, join)| FilterCondition {
                attribute_key: a.key().to_owned(),
                filter_operator: op.as_str().to_owned(),
                values,
                query_operator: Some(join.to_owned()),
                custom_attribute_type: matches!(a, Attribute::Custom { .. })
                    .then(|| "contact_attribute".to_owned()),
            })
    }

    proptest! {
        #[test]
        fn any_condition_list_validates_or_names_a_condition_in_range(
            payload in proptest::collection::vec(any_condition(), 0..8)
        ) {
            match validate(&payload, &defs()) {
                Ok(valid) => {
                    prop_assert_eq!(valid.len(), payload.len());
                    prop_assert_eq!(valid.last().and_then(|c| c.join), None);
                }
                Err(e) => {
                    prop_assert!(e.index < payload.len().max(1));
                    let prefix = format!("Condition {}", e.index + 1);
                    prop_assert!(payload.is_empty() || e.message.starts_with(&prefix), "{}", e.message);
                }
            }
        }

        #[test]
        fn well_formed_conditions_always_validate(mut payload in proptest::collection::vec(valid_condition(), 1..8)) {
            if let Some(last) = payload.last_mut() {
                last.query_operator = None;
            }
            let valid = validate(&payload, &defs());
            prop_assert!(valid.is_ok(), "{:?}", valid);
            let valid = valid.unwrap();
            let grouped: usize = or_groups(&valid).iter().map(|g| g.len()).sum();
            prop_assert_eq!(grouped, valid.len());
        }

        #[test]
        fn a_local_day_is_24_hours_starting_at_its_midnight(
            days in -200_000i64..200_000, offset in -MAX_UTC_OFFSET_MINUTES..=MAX_UTC_OFFSET_MINUTES
        ) {
            let date = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(days);
            let (start, end) = local_day_range(date, offset);
            prop_assert_eq!(end - start, 86_400);
            prop_assert_eq!(local_date(start, offset), date);
            prop_assert_eq!(local_date(end - 1, offset), date);
            prop_assert_eq!(local_date(end, offset), date.succ_opt().unwrap());
        }

        #[test]
        fn day_ranges_contain_local_midnight_in_real_zones(
            days in 0i64..30_000, zone in proptest::sample::select(vec![
                chrono_tz::Europe::Kyiv, chrono_tz::America::New_York, chrono_tz::Asia::Kolkata,
                chrono_tz::Pacific::Kiritimati, chrono_tz::Pacific::Pago_Pago, chrono_tz::UTC,
            ])
        ) {
            use chrono::{Offset, TimeZone};
            let date = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(days);
            // Where local midnight exists once, the range at that moment's offset starts there.
            if let chrono::LocalResult::Single(midnight) = zone.from_local_datetime(&date.and_time(NaiveTime::MIN)) {
                let offset = midnight.offset().fix().local_minus_utc() / 60;
                let (start, end) = local_day_range(date, offset);
                prop_assert_eq!(start, midnight.timestamp());
                prop_assert!(start <= midnight.timestamp() && midnight.timestamp() < end);
            }
        }

        #[test]
        fn phone_digits_keep_only_the_digits(s in ".{0,30}") {
            let digits = phone_digits(&s);
            prop_assert!(digits.chars().all(|c| c.is_ascii_digit()));
            prop_assert_eq!(digits.len(), s.chars().filter(char::is_ascii_digit).count());
        }

        #[test]
        fn days_before_never_panics_and_goes_back(now in any::<i64>(), days in 0u32..=MAX_DAYS_BEFORE, offset in -840i32..=840) {
            let cutoff = days_before_cutoff(now, days, offset);
            prop_assert!(cutoff <= local_date(now, offset));
        }
    }
}
