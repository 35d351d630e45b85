//! Custom attribute values: what an editor's text means for each type of attribute, how
//! a stored value reads, and the check made before anything is sent (the server's own
//! type and size rules from `novatalks_model`, and the definition's `regex_pattern`).

use novatalks_model::custom_attribute::CONTACT_ATTRIBUTE;
use novatalks_model::{rules, CustomAttributeDefinition, FieldProblem};
use serde_json::Value;

use super::field_rules::words;
use crate::i18n::{format_epoch, t};

/// The type of an attribute: the model's, shared with the filter and the server.
pub use novatalks_model::filter::AttributeKind;

/// A definition for an attribute the account has not defined (Chatwoot lets any key in):
/// typed after its value, named after its key.
pub fn undefined_attribute(key: &str, value: &Value) -> CustomAttributeDefinition {
    let kind = match value {
        Value::Bool(_) => AttributeKind::Checkbox,
        Value::Number(_) => AttributeKind::Number,
        _ => AttributeKind::Text,
    };
    CustomAttributeDefinition {
        id: 0,
        attribute_key: key.to_owned(),
        attribute_display_name: key.to_owned(),
        attribute_display_type: kind.as_str().to_owned(),
        attribute_values: Vec::new(),
        attribute_model: CONTACT_ATTRIBUTE.to_owned(),
        regex_pattern: None,
        regex_cue: None,
        attribute_description: None,
        created_at: None,
    }
}

/// Why an editor's text cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueProblem {
    Blank,
    /// The value breaks one of the model's rules (its type, its size).
    Rule(FieldProblem),
    /// The definition's pattern does not match; its cue, if it has one.
    Pattern(Option<String>),
}

impl ValueProblem {
    /// The problem, for the agent.
    pub fn message(&self, display_name: &str) -> String {
        let strings = &t().card;
        match self {
            ValueProblem::Blank => strings.value_blank.to_owned(),
            ValueProblem::Rule(problem) => words(display_name, problem),
            ValueProblem::Pattern(Some(cue)) => cue.clone(),
            ValueProblem::Pattern(None) => (strings.value_pattern_mismatch)(display_name),
        }
    }
}

/// How a pattern is tried on a text: `Some(matches)`, or `None` when the pattern does not
/// compile (then nothing is checked here; the server decides).
pub type PatternMatcher<'a> = &'a dyn Fn(&str, &str) -> Option<bool>;

/// The value to send for an editor's `text`, checked against the definition.
pub fn parse_value(
    definition: &CustomAttributeDefinition,
    text: &str,
    matches: PatternMatcher<'_>,
) -> Result<Value, ValueProblem> {
    let kind = definition.kind();
    let trimmed = text.trim();
    if kind == AttributeKind::Checkbox {
        return Ok(Value::Bool(trimmed == "true"));
    }
    if trimmed.is_empty() {
        return Err(ValueProblem::Blank);
    }
    let sent = match kind {
        AttributeKind::Number | AttributeKind::Currency | AttributeKind::Percent => {
            numeric_text(trimmed, kind)
        }
        AttributeKind::Link if !trimmed.contains("://") => format!("https://{trimmed}"),
        _ => trimmed.to_owned(),
    };
    let value = definition
        .normalize_value(Value::String(sent))
        .map_err(ValueProblem::Rule)?;
    if let Some(problem) = rules::attribute_value_problem(&definition.attribute_key, &value) {
        return Err(ValueProblem::Rule(problem));
    }
    let pattern = definition
        .regex_pattern
        .as_deref()
        .filter(|p| !p.is_empty());
    if let (Some(pattern), Some(text)) = (pattern, value.as_str()) {
        if matches(pattern, text) == Some(false) {
            let cue = definition
                .regex_cue
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned);
            return Err(ValueProblem::Pattern(cue));
        }
    }
    Ok(value)
}

/// A number as people write it: "12,5" (a decimal comma), "1 200", "15 %", "$ 40".
fn numeric_text(text: &str, kind: AttributeKind) -> String {
    let mut text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if kind == AttributeKind::Percent {
        text = text.trim_end_matches('%').to_owned();
    }
    if kind == AttributeKind::Currency {
        text = text
            .trim_start_matches(['$', '€', '£', '₴', '¥'])
            .trim_end_matches(['$', '€', '£', '₴', '¥'])
            .to_owned();
    }
    if !text.contains('.') && text.matches(',').count() == 1 {
        text = text.replace(',', ".");
    }
    text
}

/// The text an editor starts with for a stored value.
pub fn editor_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// A stored value as the card shows it: "Yes", "12.50", "15%", "1 Dec 2026".
pub fn display_text(kind: AttributeKind, value: &Value) -> String {
    let strings = t();
    match (kind, value) {
        (_, Value::Null) => strings.missing_value.to_owned(),
        (_, Value::Bool(true)) => strings.card.yes.to_owned(),
        (_, Value::Bool(false)) => strings.card.no.to_owned(),
        (AttributeKind::Currency, Value::Number(n)) => match n.as_f64() {
            Some(amount) => format_amount(amount, strings.thousands_separator),
            None => n.to_string(),
        },
        (AttributeKind::Percent, Value::Number(n)) => format!("{n}%"),
        (AttributeKind::Date, Value::String(day)) => format_day(day).unwrap_or_else(|| day.clone()),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// "1,234.50".
fn format_amount(amount: f64, separator: char) -> String {
    let cents = (amount.abs() * 100.0).round() as i64;
    let whole = crate::i18n::group_digits(cents / 100, separator);
    let sign = if amount < 0.0 && cents != 0 { "-" } else { "" };
    format!("{sign}{whole}.{:02}", cents % 100)
}

/// `2026-12-01` in the interface's date format.
fn format_day(day: &str) -> Option<String> {
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    let noon = date.and_hms_opt(12, 0, 0)?.and_utc().timestamp();
    format_epoch(noon, t().date_format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(kind: &str, values: &[&str], pattern: Option<&str>) -> CustomAttributeDefinition {
        CustomAttributeDefinition {
            regex_pattern: pattern.map(Into::into),
            attribute_values: values.iter().map(|v| v.to_string()).collect(),
            attribute_display_type: kind.into(),
            attribute_display_name: "Thing".into(),
            ..undefined_attribute("thing", &Value::Null)
        }
    }

    /// A stand-in for the browser's RegExp: "digits only", and "(" does not compile.
    fn digits_only(pattern: &str, text: &str) -> Option<bool> {
        if pattern.contains('(') {
            return None;
        }
        Some(text.chars().all(|c| c.is_ascii_digit()))
    }

    fn parse(d: &CustomAttributeDefinition, text: &str) -> Result<Value, ValueProblem> {
        parse_value(d, text, &digits_only)
    }

    #[test]
    fn numbers_take_commas_spaces_signs_and_refuse_words() {
        assert_eq!(parse(&def("number", &[], None), " 42 "), Ok(json!(42)));
        assert_eq!(parse(&def("number", &[], None), "1 200"), Ok(json!(1200)));
        assert_eq!(parse(&def("currency", &[], None), "12,5"), Ok(json!(12.5)));
        assert_eq!(parse(&def("currency", &[], None), "$40"), Ok(json!(40)));
        assert_eq!(parse(&def("percent", &[], None), "15 %"), Ok(json!(15)));
        for bad in ["ten", "1,2,3", "12abc"] {
            assert_eq!(
                parse(&def("number", &[], None), bad),
                Err(ValueProblem::Rule(FieldProblem::NotANumber)),
                "{bad}"
            );
        }
        assert_eq!(
            parse(&def("number", &[], None), "  "),
            Err(ValueProblem::Blank)
        );
    }

    #[test]
    fn links_dates_lists_and_checkboxes() {
        let link = def("link", &[], None);
        assert_eq!(
            parse(&link, "example.com/a"),
            Ok(json!("https://example.com/a"))
        );
        assert_eq!(parse(&link, "http://x.test"), Ok(json!("http://x.test")));
        assert_eq!(
            parse(&link, "javascript://alert(1)"),
            Err(ValueProblem::Rule(FieldProblem::NotALink))
        );
        assert_eq!(
            parse(&link, "a b"),
            Err(ValueProblem::Rule(FieldProblem::NotALink))
        );

        let date = def("date", &[], None);
        assert_eq!(parse(&date, "2026-12-01"), Ok(json!("2026-12-01")));
        assert_eq!(
            parse(&date, "2026-02-30"),
            Err(ValueProblem::Rule(FieldProblem::NotADate))
        );

        let list = def("list", &["free", "gold"], None);
        assert_eq!(parse(&list, "gold"), Ok(json!("gold")));
        assert_eq!(
            parse(&list, "silver"),
            Err(ValueProblem::Rule(FieldProblem::NotAChoice {
                choices: vec!["free".into(), "gold".into()]
            }))
        );

        let check = def("checkbox", &[], None);
        assert_eq!(parse(&check, "true"), Ok(json!(true)));
        assert_eq!(parse(&check, ""), Ok(json!(false)));
    }

    #[test]
    fn a_value_larger_than_the_server_keeps_is_refused() {
        let text = def("text", &[], None);
        assert!(parse(&text, &"a".repeat(4094)).is_ok());
        let refused = parse(&text, &"a".repeat(4095));
        assert_eq!(
            refused,
            Err(ValueProblem::Rule(FieldProblem::ValueTooLarge {
                key: "thing".into(),
                max_bytes: 4096
            }))
        );
        assert_eq!(
            refused.unwrap_err().message("Thing"),
            (t().card.value_too_large)("Thing")
        );
    }

    #[test]
    fn patterns_apply_to_text_and_a_broken_one_checks_nothing() {
        let mut tax = def("text", &[], Some("^[0-9]+$"));
        assert_eq!(parse(&tax, "123"), Ok(json!("123")));
        assert_eq!(parse(&tax, "12a"), Err(ValueProblem::Pattern(None)));
        tax.regex_cue = Some("Digits only".into());
        assert_eq!(
            parse(&tax, "12a"),
            Err(ValueProblem::Pattern(Some("Digits only".into())))
        );
        let broken = def("text", &[], Some("(unclosed"));
        assert_eq!(parse(&broken, "anything"), Ok(json!("anything")));
    }

    #[test]
    fn values_read_by_type() {
        assert_eq!(display_text(AttributeKind::Checkbox, &json!(true)), "Yes");
        assert_eq!(
            display_text(AttributeKind::Currency, &json!(1234.5)),
            "1,234.50"
        );
        assert_eq!(display_text(AttributeKind::Currency, &json!(-0.5)), "-0.50");
        assert_eq!(display_text(AttributeKind::Percent, &json!(15)), "15%");
        assert_eq!(
            display_text(AttributeKind::Date, &json!("2026-12-01")),
            "1 Dec 2026"
        );
        assert_eq!(
            display_text(AttributeKind::Text, &json!("<b>x</b>")),
            "<b>x</b>"
        );
        assert_eq!(editor_text(&json!(12.5)), "12.5");
        assert_eq!(editor_text(&json!(false)), "false");
        assert_eq!(
            undefined_attribute("n", &json!(3)).kind(),
            AttributeKind::Number
        );
    }
}
