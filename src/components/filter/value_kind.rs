//! Which value editor a condition takes, from its attribute and operator, and the values
//! each editor writes (as the contract types them).

use novatalks_model::day_zone::looks_like_zone_name;
use novatalks_model::filter::{operators_for, Attribute, AttributeKind, FilterCondition, Operator};
use serde_json::{Number, Value};

use super::Catalog;

/// The editor of a condition's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueKind {
    /// `is_present` / `is_not_present`, or an attribute the builder does not know.
    Nothing,
    Text,
    Phone,
    /// A whole number (the contact id).
    Integer,
    /// A number (number, currency, percent attributes).
    Number,
    /// A day, sent with a time zone (see [`zone_to_send`]).
    Day,
    /// `days_before N`, sent with a time zone.
    DaysAgo,
    /// Any of the account's labels.
    Labels,
    /// Any of a list attribute's options.
    Options(Vec<String>),
    /// True or false.
    Boolean,
}

/// The editor for `attribute` compared by `operator`.
pub fn value_kind(attribute: &Attribute, operator: Operator, list_values: &[String]) -> ValueKind {
    if !operator.takes_values() {
        return ValueKind::Nothing;
    }
    let day = || {
        if operator == Operator::DaysBefore {
            ValueKind::DaysAgo
        } else {
            ValueKind::Day
        }
    };
    match attribute {
        Attribute::Name
        | Attribute::Email
        | Attribute::Identifier
        | Attribute::City
        | Attribute::CountryCode
        | Attribute::Company => ValueKind::Text,
        Attribute::PhoneNumber => ValueKind::Phone,
        Attribute::Id => ValueKind::Integer,
        Attribute::CreatedAt | Attribute::LastActivityAt => day(),
        Attribute::Labels => ValueKind::Labels,
        Attribute::Blocked => ValueKind::Boolean,
        Attribute::Custom { kind, .. } => match kind {
            AttributeKind::Text | AttributeKind::Link => ValueKind::Text,
            AttributeKind::List
                if matches!(operator, Operator::EqualTo | Operator::NotEqualTo)
                    && !list_values.is_empty() =>
            {
                ValueKind::Options(list_values.to_vec())
            }
            AttributeKind::List => ValueKind::Text,
            AttributeKind::Number | AttributeKind::Currency | AttributeKind::Percent => {
                ValueKind::Number
            }
            AttributeKind::Date => day(),
            AttributeKind::Checkbox => ValueKind::Boolean,
        },
    }
}

/// The editor of a condition as it stands (an unknown attribute or operator: none).
pub fn kind_of(condition: &FilterCondition, catalog: &Catalog) -> ValueKind {
    let attribute = catalog.attribute(&condition.attribute_key);
    let operator = Operator::parse(&condition.filter_operator);
    match (attribute, operator) {
        (Some(attribute), Some(operator)) => value_kind(
            &attribute,
            operator,
            &catalog.list_values(&condition.attribute_key),
        ),
        _ => ValueKind::Nothing,
    }
}

/// The values a fresh editor of `kind` starts with: true for a yes/no, else none.
pub fn initial_values(kind: &ValueKind) -> Vec<Value> {
    match kind {
        ValueKind::Boolean => vec![Value::Bool(true)],
        _ => Vec::new(),
    }
}

/// A new condition on `key` (its first operator); `None` for a key the catalog lacks.
pub fn new_condition(key: &str, catalog: &Catalog) -> Option<FilterCondition> {
    let attribute = catalog.attribute(key)?;
    let operator = *operators_for(&attribute).first()?;
    let kind = value_kind(&attribute, operator, &catalog.list_values(key));
    Some(FilterCondition {
        attribute_key: key.to_owned(),
        filter_operator: operator.as_str().to_owned(),
        values: initial_values(&kind),
        query_operator: None,
        custom_attribute_type: crate::logic::filter_url::custom_type_of(key),
    })
}

/// `condition` on another attribute: its first operator, fresh values; the join stays.
pub fn with_attribute(
    condition: &FilterCondition,
    key: &str,
    catalog: &Catalog,
) -> FilterCondition {
    match new_condition(key, catalog) {
        Some(fresh) => FilterCondition {
            query_operator: condition.query_operator.clone(),
            ..fresh
        },
        None => condition.clone(),
    }
}

/// `condition` with another operator; its values stay when the editor stays the same.
pub fn with_operator(
    condition: &FilterCondition,
    operator: &str,
    catalog: &Catalog,
) -> FilterCondition {
    let before = kind_of(condition, catalog);
    let mut changed = FilterCondition {
        filter_operator: operator.to_owned(),
        ..condition.clone()
    };
    let after = kind_of(&changed, catalog);
    if before != after {
        changed.values = initial_values(&after);
    }
    changed
}

/// A number typed in a box: a JSON number when it reads as one, else the text as typed
/// (validation then says what is wrong with it); nothing for an empty box.
pub fn typed_number(raw: &str) -> Vec<Value> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Vec::new();
    }
    let number = raw
        .parse::<i64>()
        .ok()
        .map(Number::from)
        .or_else(|| raw.parse::<f64>().ok().and_then(Number::from_f64));
    vec![number.map_or_else(|| Value::String(raw.to_owned()), Value::Number)]
}

/// A day (`YYYY-MM-DD`) with its time zone; nothing without a day.
pub fn day_values(day: &str, zone: &Value) -> Vec<Value> {
    if day.trim().is_empty() {
        return Vec::new();
    }
    vec![Value::String(day.trim().to_owned()), zone.clone()]
}

/// A number of days with its time zone; nothing without a number.
pub fn days_values(days: &str, zone: &Value) -> Vec<Value> {
    let mut values = typed_number(days);
    if !values.is_empty() {
        values.push(zone.clone());
    }
    values
}

/// The time zone as the browser names it (`Intl`'s `timeZone`), or where it names none
/// usable, its UTC offset in minutes now.
pub fn zone_value(browser_zone: Option<&str>, utc_offset_minutes: i32) -> Value {
    match browser_zone.map(str::trim) {
        Some(name) if looks_like_zone_name(name) && name != "Etc/Unknown" => {
            Value::String(name.to_owned())
        }
        _ => Value::from(utc_offset_minutes),
    }
}

/// The zone an edited day condition is sent with: the IANA zone it already names (a saved
/// segment keeps the zone it was saved with), else the agent's. A UTC offset (what earlier
/// versions sent) is the agent's offset of the day it was saved; it gives way to the zone.
pub fn zone_to_send(values: &[Value], agent_zone: Value) -> Value {
    match values.get(1) {
        Some(Value::String(name)) if looks_like_zone_name(name.trim()) => {
            Value::String(name.trim().to_owned())
        }
        _ => agent_zone,
    }
}

/// The first value as the text of an input box.
pub fn first_text(values: &[Value]) -> String {
    match values.first() {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The values as texts (the chosen labels or options).
pub fn texts(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// The yes/no of a boolean condition (true unless it says false).
pub fn boolean(values: &[Value]) -> bool {
    !matches!(values.first(), Some(Value::Bool(false)))
        && !matches!(values.first(), Some(Value::String(s)) if s.eq_ignore_ascii_case("false"))
}

#[cfg(test)]
mod tests {
    use novatalks_model::filter::validate;
    use serde_json::json;

    use super::super::catalog::tests::demo;
    use super::*;

    fn kind(key: &str, op: &str) -> ValueKind {
        let catalog = demo();
        let condition = FilterCondition {
            attribute_key: key.into(),
            filter_operator: op.into(),
            values: vec![],
            query_operator: None,
            custom_attribute_type: None,
        };
        kind_of(&condition, &catalog)
    }

    #[test]
    fn each_attribute_type_gets_its_editor() {
        assert_eq!(kind("name", "contains"), ValueKind::Text);
        assert_eq!(kind("company", "equal_to"), ValueKind::Text);
        assert_eq!(kind("phone_number", "starts_with"), ValueKind::Phone);
        assert_eq!(kind("email", "is_present"), ValueKind::Nothing);
        assert_eq!(kind("id", "is_greater_than"), ValueKind::Integer);
        assert_eq!(kind("created_at", "is_less_than"), ValueKind::Day);
        assert_eq!(kind("last_activity_at", "days_before"), ValueKind::DaysAgo);
        assert_eq!(kind("labels", "not_equal_to"), ValueKind::Labels);
        assert_eq!(kind("blocked", "equal_to"), ValueKind::Boolean);
        assert_eq!(
            kind("plan", "equal_to"),
            ValueKind::Options(vec!["free".into(), "gold".into()])
        );
        assert_eq!(kind("plan", "contains"), ValueKind::Text);
        assert_eq!(kind("order_count", "is_less_than"), ValueKind::Number);
        assert_eq!(kind("renewal_date", "days_before"), ValueKind::DaysAgo);
        assert_eq!(kind("newsletter", "equal_to"), ValueKind::Boolean);
        assert_eq!(kind("nope", "equal_to"), ValueKind::Nothing);
    }

    #[test]
    fn a_new_condition_starts_valid_where_it_can() {
        let catalog = demo();
        let blocked = new_condition("blocked", &catalog).unwrap();
        assert_eq!(blocked.values, vec![json!(true)]);
        assert!(validate(&[blocked], &catalog.defs()).is_ok());
        let plan = new_condition("plan", &catalog).unwrap();
        assert_eq!(
            plan.custom_attribute_type.as_deref(),
            Some("contact_attribute")
        );
        assert_eq!(plan.filter_operator, "equal_to");
        assert_eq!(
            validate(&[plan], &catalog.defs()).unwrap_err().message,
            "Condition 1 (plan equal_to): needs a value"
        );
        assert_eq!(new_condition("nope", &catalog), None);
    }

    #[test]
    fn values_stay_while_the_editor_does() {
        let catalog = demo();
        let mut name = new_condition("name", &catalog).unwrap();
        name.values = vec![json!("ole")];
        name.query_operator = Some("or".into());
        assert_eq!(
            with_operator(&name, "contains", &catalog).values,
            vec![json!("ole")]
        );
        assert!(with_operator(&name, "is_present", &catalog)
            .values
            .is_empty());
        let email = with_attribute(&name, "email", &catalog);
        assert!(email.values.is_empty());
        assert_eq!(
            email.query_operator.as_deref(),
            Some("or"),
            "the join stays"
        );
        let mut date = new_condition("created_at", &catalog).unwrap();
        date.values = day_values("2025-01-02", &json!("Europe/Kyiv"));
        assert!(with_operator(&date, "days_before", &catalog)
            .values
            .is_empty());
    }

    #[test]
    fn typed_boxes_give_typed_values() {
        assert_eq!(typed_number(" 42 "), vec![json!(42)]);
        assert_eq!(typed_number("2.5"), vec![json!(2.5)]);
        assert_eq!(typed_number("abc"), vec![json!("abc")]);
        assert!(typed_number("  ").is_empty());
        assert_eq!(
            day_values("2025-11-01", &json!("America/New_York")),
            vec![json!("2025-11-01"), json!("America/New_York")]
        );
        assert!(day_values("", &json!("UTC")).is_empty());
        assert_eq!(
            days_values("30", &json!("Europe/Kyiv")),
            vec![json!(30), json!("Europe/Kyiv")]
        );
        assert!(days_values(" ", &json!("Europe/Kyiv")).is_empty());
        assert_eq!(first_text(&[json!(30), json!(120)]), "30");
        assert_eq!(texts(&[json!("vip"), json!(true), json!(3)]), ["vip", "3"]);
        assert!(
            boolean(&[json!(true)]) && !boolean(&[json!(false)]) && !boolean(&[json!("FALSE")])
        );
    }

    #[test]
    fn days_go_with_the_browsers_zone_or_else_its_offset() {
        assert_eq!(zone_value(Some("Europe/Kyiv"), 180), json!("Europe/Kyiv"));
        assert_eq!(zone_value(Some("UTC"), 0), json!("UTC"));
        assert_eq!(zone_value(None, 180), json!(180));
        assert_eq!(zone_value(Some(""), -300), json!(-300));
        assert_eq!(zone_value(Some("Etc/Unknown"), 60), json!(60));
        assert_eq!(zone_value(Some("not a zone"), 60), json!(60));
    }

    #[test]
    fn the_spa_checks_a_zones_shape_and_leaves_its_existence_to_the_server() {
        let day = |zone: Value| FilterCondition {
            attribute_key: "created_at".into(),
            filter_operator: "equal_to".into(),
            values: vec![json!("2026-10-26"), zone],
            query_operator: None,
            custom_attribute_type: None,
        };
        assert!(validate(&[day(json!("Europe/Kyiv"))], &[]).is_ok());
        assert!(
            validate(&[day(json!("Europe/Kiev2"))], &[]).is_ok(),
            "the wasm carries no tz database: the server says it does not exist"
        );
        assert_eq!(
            validate(&[day(json!("Kyiv time"))], &[])
                .unwrap_err()
                .reason,
            "'Kyiv time' is not a time zone; use an IANA name such as Europe/Kyiv, or a UTC \
             offset in minutes"
        );
    }

    #[test]
    fn an_edited_day_keeps_its_named_zone_and_an_offset_gives_way() {
        let here = json!("Europe/Berlin");
        assert_eq!(
            zone_to_send(&[json!("2026-10-26"), json!("Europe/Kyiv")], here.clone()),
            json!("Europe/Kyiv"),
            "a saved segment keeps its zone"
        );
        assert_eq!(
            zone_to_send(&[json!(7), json!("America/New_York")], here.clone()),
            json!("America/New_York")
        );
        assert_eq!(
            zone_to_send(&[json!("2026-10-26"), json!(180)], here.clone()),
            here,
            "an offset of an earlier version gives way to the zone"
        );
        assert_eq!(zone_to_send(&[json!("2026-10-26")], here.clone()), here);
        assert_eq!(zone_to_send(&[], here.clone()), here, "a new condition");
    }
}
