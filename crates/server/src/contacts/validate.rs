//! Checking and normalising what is written into a contact: pure functions, no I/O, so
//! every entry point (the agents' API, the channels' public API) validates the same way.
//!
//! The rules themselves are `novatalks_model::rules`, shared with the SPA's forms; this
//! module applies them to request bodies and words what they find ([`super::wording`]).

use novatalks_model::rules::{self, MAX_PHONE_INPUT_CHARS};
use novatalks_model::{CustomAttributeDefinition, FieldProblem};
use phonenumber::country::Id as Region;
use serde_json::{Map, Value};

use super::wording::words;
use crate::http::body::Field;
use crate::AppError;

/// Validation failures of one request, collected so they are answered together:
/// `{"message":"Email is invalid, Phone number …","attributes":["email","phone_number"]}`.
#[derive(Debug, Default)]
pub struct Problems {
    messages: Vec<String>,
    attributes: Vec<String>,
}

impl Problems {
    pub fn add(&mut self, attribute: &str, message: impl Into<String>) {
        self.messages.push(message.into());
        if !self.attributes.iter().any(|a| a == attribute) {
            self.attributes.push(attribute.to_owned());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Whether a problem was already found with `attribute`.
    pub fn mentions(&self, attribute: &str) -> bool {
        self.attributes.iter().any(|a| a == attribute)
    }

    /// `Ok` when nothing was found, else the 422 naming every problem.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.into_error())
        }
    }

    pub fn into_error(self) -> AppError {
        AppError::Invalid {
            message: self.messages.join(", "),
            attributes: self.attributes,
        }
    }

    /// The problems plus "already taken" ones, which name the contact holding the value.
    pub fn into_taken(mut self, taken: Vec<(&'static str, &'static str, i64)>) -> AppError {
        let Some(&(_, _, conflict_contact_id)) = taken.first() else {
            return self.into_error();
        };
        for (attribute, label, _) in taken {
            self.add(attribute, format!("{label} has already been taken"));
        }
        AppError::Taken {
            message: self.messages.join(", "),
            attributes: self.attributes,
            conflict_contact_id,
        }
    }
}

/// A phone number in E.164 ("+380501234567") from any common national or international
/// writing: "+380 50 123 45 67", "(050) 123-45-67" (read in `default_region`, an ISO
/// 3166 code such as "UA"), "00380501234567"; a number written in E.164 that no country
/// has is kept as written, as Chatwoot keeps it. What is no number is an error a person
/// can act on.
pub fn normalize_phone(input: &str, default_region: &str) -> Result<String, String> {
    let input = input.trim();
    let shown: String = input.chars().take(MAX_PHONE_INPUT_CHARS).collect();
    // A number that does not exist is refused in the words of a wrong shape.
    let invalid = || words("Phone number", &shown, &FieldProblem::PhoneShape);
    // The parser is only given plausible phone writing (the shape the SPA checks too).
    if rules::phone_shape_problem(input).is_some() {
        return Err(invalid());
    }
    let region = region(default_region);
    // Belt and braces: a parser panic on some odd input must not take the request down.
    let parsed = std::panic::catch_unwind(|| {
        phonenumber::parse(region, input)
            .ok()
            .filter(phonenumber::is_valid)
            .map(|n| n.format().mode(phonenumber::Mode::E164).to_string())
    });
    match parsed {
        Ok(Some(e164)) => Ok(e164),
        // Written in E.164 but unknown to the library (a fictional +1 555 number, a new
        // range): Chatwoot stores it, and so do we; the form warns ([`phone_exists`]).
        _ => rules::e164_shaped(input).ok_or_else(invalid),
    }
}

/// Whether some country has the E.164 number `e164` (the phone library's word). A
/// number stored as written for Chatwoot's sake may have none.
pub fn phone_exists(e164: &str) -> bool {
    std::panic::catch_unwind(|| {
        phonenumber::parse(None, e164)
            .ok()
            .is_some_and(|n| phonenumber::is_valid(&n))
    })
    .unwrap_or(false)
}

/// An ISO 3166 region code the phone library knows ("ua" and " UA " too).
pub fn region(code: &str) -> Option<Region> {
    let code = code.trim();
    if code.len() != 2 {
        return None;
    }
    code.to_ascii_uppercase().parse().ok()
}

/// An email trimmed and lower-cased; blank is `None` ([`rules::normalize_email`]).
pub fn normalize_email(input: &str) -> Result<Option<String>, String> {
    rules::normalize_email(input).map_err(|problem| words("Email", input, &problem))
}

/// A text field of a request body: `None` when absent, `Some(None)` when null or blank
/// (trimmed), else the trimmed text within `max_chars`. Not text: a problem for `key`.
pub fn optional_text(
    field: Field<String>,
    key: &str,
    label: &str,
    max_chars: usize,
    problems: &mut Problems,
) -> Option<Option<String>> {
    match field {
        Field::Absent => None,
        Field::Null => Some(None),
        Field::Value(s) => {
            let s = s.trim();
            if let Some(problem) = rules::text_problem(s, max_chars) {
                problems.add(key, words(label, s, &problem));
                None
            } else {
                Some((!s.is_empty()).then(|| s.to_owned()))
            }
        }
        Field::Wrong => {
            problems.add(key, format!("{label} must be text"));
            None
        }
    }
}

/// An attribute map of a request body (`additional_attributes`, `custom_attributes`):
/// `None` when absent or null, else the object, its keys and values within bounds.
pub fn attribute_map(
    field: Field<Map<String, Value>>,
    key: &str,
    label: &str,
    problems: &mut Problems,
) -> Option<Map<String, Value>> {
    let map = match field {
        Field::Absent | Field::Null => return None,
        Field::Value(map) => map,
        Field::Wrong => {
            problems.add(key, format!("{label} must be a JSON object"));
            return None;
        }
    };
    let before = problems.messages.len();
    check_attribute_map(&map, key, label, problems);
    (problems.messages.len() == before).then_some(map)
}

/// Bounds of a stored attribute map: key count, key length, value size.
pub fn check_attribute_map(
    map: &Map<String, Value>,
    key: &str,
    label: &str,
    problems: &mut Problems,
) {
    for problem in rules::attribute_map_problem(map) {
        problems.add(key, words(label, "", &problem));
    }
}

/// Checks sent custom attribute values against the account's definitions and returns
/// them as stored (see [`CustomAttributeDefinition::normalize_value`]), the definition's
/// `regex_pattern` applied to text. A key without a definition is free: any text,
/// number, boolean or null (as in Chatwoot), but not a nested object or list.
pub fn normalize_custom_attributes(
    sent: Map<String, Value>,
    definitions: &[CustomAttributeDefinition],
    problems: &mut Problems,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in sent {
        let Some(def) = definitions.iter().find(|d| d.attribute_key == key) else {
            match rules::free_value_problem(&value) {
                Some(problem) => problems.add(
                    "custom_attributes",
                    words("Custom attribute", &key, &problem),
                ),
                None => {
                    out.insert(key, value);
                }
            }
            continue;
        };
        match def.normalize_value(value) {
            Ok(value) => {
                if let (Some(text), Some(pattern)) = (value.as_str(), def.regex_pattern.as_deref())
                {
                    if !matches_pattern(pattern, text) {
                        let cue = def
                            .regex_cue
                            .as_deref()
                            .filter(|c| !c.trim().is_empty())
                            .map(str::to_owned)
                            .unwrap_or_else(|| {
                                format!(
                                    "{} is not in the expected format",
                                    def.attribute_display_name
                                )
                            });
                        problems.add("custom_attributes", cue);
                        continue;
                    }
                }
                out.insert(key, value);
            }
            Err(problem) => problems.add(
                "custom_attributes",
                words(&def.attribute_display_name, "", &problem),
            ),
        }
    }
    out
}

/// Compiles a definition's pattern, bounded so a hostile one cannot eat the memory.
pub fn compile_pattern(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| format!("Regex pattern is not a valid regular expression: {e}"))
}

/// Whether `text` matches a definition's pattern (anywhere, as the dashboard's
/// `RegExp.test` does). A stored pattern that does not compile checks nothing.
fn matches_pattern(pattern: &str, text: &str) -> bool {
    match compile_pattern(pattern) {
        Ok(re) => re.is_match(text),
        Err(e) => {
            tracing::warn!("custom attribute pattern ignored: {e}");
            true
        }
    }
}

/// Merges `changes` into `stored` key by key (Chatwoot's `Hash#merge`).
pub fn merge_maps(stored: &mut Map<String, Value>, changes: Map<String, Value>) {
    for (k, v) in changes {
        stored.insert(k, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn phones_in_any_common_writing_become_e164() {
        for (input, region) in [
            ("+380 50 123 45 67", "UA"),
            ("050-123-4567", "UA"),
            ("(050) 123 45 67", "ua"),
            ("00380501234567", "UA"),
            ("+380501234567", "DE"),
            ("380501234567", "UA"),
        ] {
            assert_eq!(
                normalize_phone(input, region).as_deref(),
                Ok("+380501234567"),
                "{input} in {region}"
            );
        }
        assert_eq!(
            normalize_phone("+44 7911 123456", "UA").as_deref(),
            Ok("+447911123456")
        );
        assert_eq!(
            normalize_phone("07911 123456", "GB").as_deref(),
            Ok("+447911123456")
        );
        assert_eq!(
            normalize_phone("0151 12345678", "DE").as_deref(),
            Ok("+4915112345678")
        );
    }

    #[test]
    fn what_is_not_a_phone_number_is_refused_in_words() {
        for bad in [
            "12",
            "",
            "+",
            "abc",
            "050 123",
            "+380 50 123 45 67 ext 5",
            "1-800-FLOWERS",
            "++380501234567",
            "+380 50 123 45 67 89 01 23 45",
            "'; DROP TABLE contacts;--",
        ] {
            let err = normalize_phone(bad, "UA").expect_err(bad);
            assert!(err.starts_with("Phone number '"), "{err}");
        }
        assert_eq!(
            normalize_phone("12", "UA").unwrap_err(),
            "Phone number '12' is not a valid phone number: write it with its country code, e.g. +380501234567"
        );
        assert!(
            normalize_phone("050 123 45 67", "XX").is_err(),
            "no region: national numbers cannot be read"
        );
    }

    proptest! {
        #[test]
        fn phone_parsing_never_panics(s in "[0-9 +()./-]{0,40}", region in "[A-Z]{2}") {
            let _ = normalize_phone(&s, &region);
        }
    }

    #[test]
    fn emails_are_trimmed_lower_cased_and_checked() {
        assert_eq!(
            normalize_email("  Olena@Example.COM "),
            Ok(Some("olena@example.com".into()))
        );
        assert_eq!(normalize_email("   "), Ok(None));
        for bad in [
            "olena",
            "olena@",
            "@example.com",
            "olena@example",
            "ol ena@example.com",
            "a@b@c.com",
            "a@example..com",
            "<script>@x.com",
            "a@.com",
        ] {
            assert_eq!(
                normalize_email(bad),
                Err("Email is invalid".into()),
                "{bad}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(normalize_email(&long).is_err());
    }

    #[test]
    fn text_fields_are_trimmed_bounded_and_typed() {
        let field = |v: Value| -> Field<String> { serde_json::from_value(v).unwrap() };
        let mut p = Problems::default();
        assert_eq!(
            optional_text(field(json!("  Olena ")), "name", "Name", 255, &mut p),
            Some(Some("Olena".into()))
        );
        assert_eq!(
            optional_text(field(json!(" ")), "blank", "Blank", 255, &mut p),
            Some(None)
        );
        assert_eq!(
            optional_text(field(Value::Null), "nul", "Nul", 255, &mut p),
            Some(None)
        );
        assert_eq!(
            optional_text(Field::Absent, "absent", "Absent", 255, &mut p),
            None
        );
        assert!(p.is_empty());
        assert_eq!(
            optional_text(field(json!(5)), "num", "Num", 255, &mut p),
            None
        );
        assert_eq!(
            optional_text(field(json!("x".repeat(256))), "long", "Long", 255, &mut p),
            None
        );
        match p.into_error() {
            AppError::Invalid {
                message,
                attributes,
            } => {
                assert_eq!(
                    message,
                    "Num must be text, Long is too long (maximum is 255 characters)"
                );
                assert_eq!(attributes, vec!["num", "long"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn custom_values_follow_their_definitions_and_bad_patterns_do_not_panic() {
        let def = |key: &str, kind: &str, pattern: Option<&str>| CustomAttributeDefinition {
            id: 1,
            attribute_key: key.into(),
            attribute_display_name: key.into(),
            attribute_display_type: kind.into(),
            attribute_values: vec![],
            attribute_model: "contact_attribute".into(),
            regex_pattern: pattern.map(str::to_owned),
            regex_cue: None,
            attribute_description: None,
            created_at: None,
        };
        let defs = vec![
            def("tax_id", "text", Some("^[A-Z]{2}[0-9]{8}$")),
            def("n", "number", None),
            def("odd", "text", Some("([")),
        ];
        let mut p = Problems::default();
        let sent =
            json!({"tax_id": "UA12345678", "n": "42", "odd": "anything", "free": "<b>x</b>"});
        let out = normalize_custom_attributes(
            sent.as_object().cloned().unwrap_or_default(),
            &defs,
            &mut p,
        );
        assert!(p.is_empty());
        assert_eq!(
            Value::Object(out),
            json!({"tax_id": "UA12345678", "n": 42, "odd": "anything", "free": "<b>x</b>"})
        );

        let sent = json!({"tax_id": "12", "free": {"nested": true}});
        normalize_custom_attributes(sent.as_object().cloned().unwrap_or_default(), &defs, &mut p);
        match p.into_error() {
            AppError::Invalid {
                message,
                attributes,
            } => {
                assert!(
                    message
                        .contains("Custom attribute 'free' must be text, a number or true/false"),
                    "{message}"
                );
                assert!(
                    message.contains("tax_id is not in the expected format"),
                    "{message}"
                );
                assert_eq!(attributes, vec!["custom_attributes"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
