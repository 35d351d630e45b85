//! Custom attribute definitions (`GET /custom_attribute_definitions`) and the typing of
//! the values a contact's `custom_attributes` may hold.

use serde::{Deserialize, Deserializer, Serialize};

use crate::filter::AttributeKind;
use crate::rules::FieldProblem;
use serde_json::{Number, Value};

/// The `attribute_model` of contact attributes.
pub const CONTACT_ATTRIBUTE: &str = "contact_attribute";

/// Every `attribute_display_type`, as Chatwoot names them.
pub const DISPLAY_TYPES: [&str; 8] = [
    "text", "number", "currency", "percent", "link", "date", "list", "checkbox",
];

/// A custom attribute definition as the API sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomAttributeDefinition {
    pub id: i64,
    pub attribute_key: String,
    pub attribute_display_name: String,
    /// One of [`DISPLAY_TYPES`]. Kept as text so a type a newer server adds still parses;
    /// filters take it as is (`filter::CustomAttributeDef::from_definition`).
    pub attribute_display_type: String,
    /// The choices of a `list` attribute; empty for the other types.
    #[serde(default)]
    pub attribute_values: Vec<String>,
    #[serde(default = "contact_attribute")]
    pub attribute_model: String,
    #[serde(default)]
    pub regex_pattern: Option<String>,
    #[serde(default)]
    pub regex_cue: Option<String>,
    #[serde(default)]
    pub attribute_description: Option<String>,
    /// Unix seconds (a stock Chatwoot sends a date-time string, read as absent).
    #[serde(default, deserialize_with = "lenient_epoch")]
    pub created_at: Option<i64>,
}

fn contact_attribute() -> String {
    CONTACT_ATTRIBUTE.to_owned()
}

fn lenient_epoch<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Value::deserialize(d)?.as_i64())
}

impl CustomAttributeDefinition {
    /// The attribute's type; one this version does not know is treated as text.
    pub fn kind(&self) -> AttributeKind {
        AttributeKind::parse(&self.attribute_display_type).unwrap_or(AttributeKind::Text)
    }

    /// Checks a value sent for this attribute and returns it as it is stored: numeric
    /// text becomes a number, "true"/"false" a boolean, a date-time its `YYYY-MM-DD`.
    /// `null` is always accepted (it empties the attribute). The definition's
    /// `regex_pattern` is not applied here (this crate has no regex engine): the server
    /// applies it.
    pub fn normalize_value(&self, value: Value) -> Result<Value, FieldProblem> {
        if value.is_null() {
            return Ok(value);
        }
        match self.attribute_display_type.as_str() {
            "text" => match value {
                Value::String(_) => Ok(value),
                _ => Err(FieldProblem::NotText),
            },
            "number" | "currency" | "percent" => numeric(&value).ok_or(FieldProblem::NotANumber),
            "checkbox" => match &value {
                Value::Bool(_) => Ok(value),
                Value::String(s) if s == "true" => Ok(Value::Bool(true)),
                Value::String(s) if s == "false" => Ok(Value::Bool(false)),
                _ => Err(FieldProblem::NotTrueFalse),
            },
            "date" => value
                .as_str()
                .and_then(parse_date)
                .map(Value::String)
                .ok_or(FieldProblem::NotADate),
            "link" => match value.as_str() {
                Some(s) if is_web_link(s) => Ok(value),
                _ => Err(FieldProblem::NotALink),
            },
            "list" => match value.as_str() {
                Some(s) if self.attribute_values.iter().any(|v| v == s) => Ok(value),
                _ => Err(FieldProblem::NotAChoice {
                    choices: self.attribute_values.clone(),
                }),
            },
            // A type this version does not know: keep what was sent.
            _ => Ok(value),
        }
    }
}

/// A finite JSON number, from a number or from text holding one.
fn numeric(value: &Value) -> Option<Value> {
    match value {
        Value::Number(_) => Some(value.clone()),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(i) = s.parse::<i64>() {
                return Some(Value::Number(i.into()));
            }
            s.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .and_then(Number::from_f64)
                .map(Value::Number)
        }
        _ => None,
    }
}

/// `YYYY-MM-DD`, or the date of an RFC 3339 date-time (Chatwoot's dashboard sends those).
fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let day = if s.len() == 10 {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?
    } else {
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()?
            .with_timezone(&chrono::Utc)
            .date_naive()
    };
    Some(day.format("%Y-%m-%d").to_string())
}

/// An absolute http(s) URL with a host and no spaces.
pub fn is_web_link(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && s.len() <= 2048
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(kind: &str, values: &[&str]) -> CustomAttributeDefinition {
        CustomAttributeDefinition {
            id: 1,
            attribute_key: "k".into(),
            attribute_display_name: "Thing".into(),
            attribute_display_type: kind.into(),
            attribute_values: values.iter().map(|v| v.to_string()).collect(),
            attribute_model: CONTACT_ATTRIBUTE.into(),
            regex_pattern: None,
            regex_cue: None,
            attribute_description: None,
            created_at: Some(1),
        }
    }

    #[test]
    fn an_unknown_type_keeps_the_value() {
        let odd = def("hologram", &[]);
        assert_eq!(odd.normalize_value(json!({"x": 1})), Ok(json!({"x": 1})));
    }

    #[test]
    fn numbers_accept_numeric_text_and_refuse_words() {
        let d = def("currency", &[]);
        assert_eq!(d.normalize_value(json!(12.5)), Ok(json!(12.5)));
        assert_eq!(d.normalize_value(json!(" 7 ")), Ok(json!(7)));
        assert_eq!(d.normalize_value(json!("1e3")), Ok(json!(1000.0)));
        assert!(d.normalize_value(json!("seven")).is_err());
        assert!(d.normalize_value(json!("NaN")).is_err());
        assert!(d.normalize_value(json!(true)).is_err());
        assert_eq!(
            d.normalize_value(Value::Null),
            Ok(Value::Null),
            "null empties any type"
        );
    }

    #[test]
    fn dates_are_days_and_date_times_become_days() {
        let d = def("date", &[]);
        assert_eq!(
            d.normalize_value(json!("2026-12-01")),
            Ok(json!("2026-12-01"))
        );
        assert_eq!(
            d.normalize_value(json!("2026-12-01T23:30:00-02:00")),
            Ok(json!("2026-12-02"))
        );
        assert!(d.normalize_value(json!("2026-02-30")).is_err());
        assert!(d.normalize_value(json!("01.12.2026")).is_err());
        assert!(d.normalize_value(json!(20261201)).is_err());
    }

    #[test]
    fn links_lists_checkboxes_and_text() {
        let link = def("link", &[]);
        assert!(link
            .normalize_value(json!("https://example.com/a?b"))
            .is_ok());
        assert!(link.normalize_value(json!("javascript:alert(1)")).is_err());
        assert!(link.normalize_value(json!("https://")).is_err());
        assert!(link.normalize_value(json!("https://a b.com")).is_err());

        let list = def("list", &["free", "gold"]);
        assert_eq!(list.normalize_value(json!("gold")), Ok(json!("gold")));
        assert_eq!(
            list.normalize_value(json!("Gold")),
            Err(FieldProblem::NotAChoice {
                choices: vec!["free".into(), "gold".into()]
            })
        );

        let check = def("checkbox", &[]);
        assert_eq!(check.normalize_value(json!("true")), Ok(json!(true)));
        assert!(check.normalize_value(json!(1)).is_err());

        let text = def("text", &[]);
        assert!(text.normalize_value(json!("<script>")).is_ok());
        assert_eq!(text.normalize_value(json!(5)), Err(FieldProblem::NotText));
    }

    #[test]
    fn a_stock_chatwoot_definition_parses() {
        let d: CustomAttributeDefinition = serde_json::from_value(json!({
            "id": 3, "attribute_key": "plan", "attribute_display_name": "Plan",
            "attribute_display_type": "list", "attribute_values": ["a"],
            "attribute_model": "contact_attribute", "created_at": "2024-01-01T00:00:00.000Z"
        }))
        .expect("parses");
        assert_eq!(d.created_at, None);
        assert_eq!(d.attribute_display_type, "list");
    }
}
