//! Attribute maps (`additional_attributes`, `custom_attributes`), the values of keys
//! without a definition, and new custom attribute definitions. A defined attribute's
//! value is checked by its definition
//! ([`crate::CustomAttributeDefinition::normalize_value`]).

use serde_json::{Map, Value};

use super::{text_problem, FieldProblem, MAX_TEXT_CHARS};

/// Keys an attribute map may hold.
pub const MAX_ATTRIBUTE_KEYS: usize = 64;
/// The longest attribute map key, in characters.
pub const MAX_ATTRIBUTE_KEY_CHARS: usize = 255;
/// The largest attribute value, in bytes of JSON.
pub const MAX_ATTRIBUTE_VALUE_BYTES: usize = 4096;
/// The longest custom attribute definition key, in characters.
pub const MAX_DEFINITION_KEY_CHARS: usize = 64;
/// Choices a list attribute may offer.
pub const MAX_CHOICES: usize = 100;
/// The longest `regex_pattern` of a definition, in characters.
pub const MAX_PATTERN_CHARS: usize = 1000;

/// Contact fields a custom attribute key may not shadow (filters and the card read them).
pub const STANDARD_CONTACT_KEYS: &[&str] = &[
    "id",
    "name",
    "email",
    "phone_number",
    "identifier",
    "country_code",
    "city",
    "company",
    "company_name",
    "created_at",
    "last_activity_at",
    "referer",
    "blocked",
    "labels",
];

/// [`FieldProblem::TooManyKeys`] when a map would hold more than [`MAX_ATTRIBUTE_KEYS`].
pub fn attribute_count_problem(count: usize) -> Option<FieldProblem> {
    (count > MAX_ATTRIBUTE_KEYS).then_some(FieldProblem::TooManyKeys {
        max: MAX_ATTRIBUTE_KEYS,
    })
}

/// [`FieldProblem::KeyLength`] when a map key is blank or longer than
/// [`MAX_ATTRIBUTE_KEY_CHARS`].
pub fn attribute_key_problem(key: &str) -> Option<FieldProblem> {
    (key.trim().is_empty() || key.chars().count() > MAX_ATTRIBUTE_KEY_CHARS).then_some(
        FieldProblem::KeyLength {
            max: MAX_ATTRIBUTE_KEY_CHARS,
        },
    )
}

/// [`FieldProblem::ValueTooLarge`] when `value`, as JSON, is larger than
/// [`MAX_ATTRIBUTE_VALUE_BYTES`].
pub fn attribute_value_problem(key: &str, value: &Value) -> Option<FieldProblem> {
    (value.to_string().len() > MAX_ATTRIBUTE_VALUE_BYTES).then(|| FieldProblem::ValueTooLarge {
        key: key.to_owned(),
        max_bytes: MAX_ATTRIBUTE_VALUE_BYTES,
    })
}

/// The bounds of a whole (stored) attribute map: its key count, then the first key or
/// value out of bounds. Empty when it may be stored.
pub fn attribute_map_problem(map: &Map<String, Value>) -> Vec<FieldProblem> {
    let mut problems: Vec<FieldProblem> = attribute_count_problem(map.len()).into_iter().collect();
    let first = map.iter().find_map(|(key, value)| {
        attribute_key_problem(key).or_else(|| attribute_value_problem(key, value))
    });
    problems.extend(first);
    problems
}

/// [`FieldProblem::NotPlain`] when a value for a key without a definition is an object
/// or a list: such a key takes any text, number, boolean or null (as in Chatwoot).
pub fn free_value_problem(value: &Value) -> Option<FieldProblem> {
    (value.is_object() || value.is_array()).then_some(FieldProblem::NotPlain)
}

/// What is wrong with a new definition's key (trimmed), if anything: 1 to
/// [`MAX_DEFINITION_KEY_CHARS`] [`definition_key_char`]s, and not one of the
/// [`STANDARD_CONTACT_KEYS`].
pub fn definition_key_problem(key: &str) -> Option<FieldProblem> {
    let key = key.trim();
    if let Some(problem) = text_problem(key, MAX_DEFINITION_KEY_CHARS) {
        Some(problem)
    } else if key.is_empty() {
        Some(FieldProblem::Blank)
    } else if !key.chars().all(definition_key_char) {
        Some(FieldProblem::KeyChars)
    } else if STANDARD_CONTACT_KEYS.contains(&key) {
        Some(FieldProblem::KeyReserved)
    } else {
        None
    }
}

/// A character a definition key may hold, as Chatwoot's model validates it
/// (`/\A[\p{L}\p{N}_.\-]+\z/`): a letter or a digit of any script, `_`, `.` or `-`.
/// Never `"`, `\\`, `'`, a space or a control character, so a key can always be written
/// inside a quoted JSON path label (`$."key"`) without escaping.
pub fn definition_key_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || matches!(c, '_' | '.' | '-')
}

/// What is wrong with a new definition's display name (trimmed): 1 to
/// [`MAX_TEXT_CHARS`] characters.
pub fn definition_name_problem(name: &str) -> Option<FieldProblem> {
    text_problem(name, MAX_TEXT_CHARS)
        .or_else(|| name.trim().is_empty().then_some(FieldProblem::Blank))
}

/// The choices of a list attribute as stored: at most [`MAX_CHOICES`] sent, each a
/// non-blank text of up to [`MAX_TEXT_CHARS`] (trimmed), each once, in the order sent.
pub fn choices(sent: &[&str]) -> Result<Vec<String>, FieldProblem> {
    if sent.len() > MAX_CHOICES {
        return Err(FieldProblem::TooManyChoices { max: MAX_CHOICES });
    }
    let mut kept: Vec<String> = Vec::new();
    for choice in sent.iter().map(|c| c.trim()) {
        if choice.is_empty() || choice.chars().count() > MAX_TEXT_CHARS {
            return Err(FieldProblem::ChoiceLength {
                max: MAX_TEXT_CHARS,
            });
        }
        if !kept.iter().any(|k| k == choice) {
            kept.push(choice.to_owned());
        }
    }
    Ok(kept)
}

/// [`FieldProblem::NoChoices`] for a `list` attribute without choices.
pub fn choices_problem(display_type: &str, choices: &[String]) -> Option<FieldProblem> {
    (display_type == "list" && choices.is_empty()).then_some(FieldProblem::NoChoices)
}

/// What is wrong with a definition's `regex_pattern` before it is compiled: at most
/// [`MAX_PATTERN_CHARS`]. Whether it compiles is each engine's to say (the browser's
/// `RegExp` in the SPA, the server's regex crate on the server).
pub fn pattern_problem(pattern: &str) -> Option<FieldProblem> {
    text_problem(pattern, MAX_PATTERN_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_map_holds_at_most_64_keys_of_1_to_255_characters() {
        let map = |n: usize| -> Map<String, Value> {
            (0..n).map(|i| (format!("k{i}"), json!(i))).collect()
        };
        assert!(attribute_map_problem(&map(64)).is_empty());
        assert_eq!(
            attribute_map_problem(&map(65)),
            vec![FieldProblem::TooManyKeys { max: 64 }]
        );
        let mut odd = map(1);
        odd.insert(" ".into(), json!(1));
        assert_eq!(
            attribute_map_problem(&odd),
            vec![FieldProblem::KeyLength { max: 255 }]
        );
        assert_eq!(attribute_key_problem(&"ж".repeat(255)), None);
        assert_eq!(
            attribute_key_problem(&"ж".repeat(256)),
            Some(FieldProblem::KeyLength { max: 255 })
        );
    }

    #[test]
    fn a_value_has_at_most_4096_bytes_of_json() {
        // A string's JSON has its two quotes.
        assert_eq!(attribute_value_problem("k", &json!("a".repeat(4094))), None);
        assert_eq!(
            attribute_value_problem("k", &json!("a".repeat(4095))),
            Some(FieldProblem::ValueTooLarge {
                key: "k".into(),
                max_bytes: 4096
            })
        );
        // Bytes, not characters: 2,048 "ж" are 4,096 bytes, and the quotes tip it over.
        assert!(attribute_value_problem("k", &json!("ж".repeat(2048))).is_some());
        let mut map = Map::new();
        map.insert("big".into(), json!("a".repeat(5000)));
        assert_eq!(
            attribute_map_problem(&map),
            vec![FieldProblem::ValueTooLarge {
                key: "big".into(),
                max_bytes: 4096
            }]
        );
    }

    #[test]
    fn keys_without_a_definition_take_plain_values() {
        for ok in [json!("x"), json!(1.5), json!(true), Value::Null] {
            assert_eq!(free_value_problem(&ok), None, "{ok}");
        }
        for bad in [json!({"a": 1}), json!([1])] {
            assert_eq!(
                free_value_problem(&bad),
                Some(FieldProblem::NotPlain),
                "{bad}"
            );
        }
    }

    #[test]
    fn definition_keys_are_short_ascii_words_that_are_not_contact_fields() {
        for ok in ["plan", "renewal_date", "tier_2", &"k".repeat(64)] {
            assert_eq!(definition_key_problem(ok), None, "{ok}");
        }
        assert_eq!(definition_key_problem("  "), Some(FieldProblem::Blank));
        assert_eq!(
            definition_key_problem(&"k".repeat(65)),
            Some(FieldProblem::TooLong { max: 64 })
        );
        for good in ["Plan", "tax-id", "ціна", "v1.2", "税号_2"] {
            assert_eq!(definition_key_problem(good), None, "{good}");
        }
        for bad in ["a b", "a\"b", "a'b", "a\\b", "a/b", "a$b", "a\tb"] {
            assert_eq!(
                definition_key_problem(bad),
                Some(FieldProblem::KeyChars),
                "{bad}"
            );
        }
        for reserved in ["email", "labels", "company_name"] {
            assert_eq!(
                definition_key_problem(reserved),
                Some(FieldProblem::KeyReserved),
                "{reserved}"
            );
        }
    }

    #[test]
    fn definition_names_are_1_to_255_characters() {
        assert_eq!(definition_name_problem("Renewal date"), None);
        assert_eq!(definition_name_problem(" "), Some(FieldProblem::Blank));
        assert_eq!(definition_name_problem(&"я".repeat(255)), None);
        assert_eq!(
            definition_name_problem(&"я".repeat(256)),
            Some(FieldProblem::TooLong { max: 255 })
        );
    }

    #[test]
    fn choices_are_distinct_short_texts() {
        assert_eq!(
            choices(&["free", " gold ", "free"]),
            Ok(vec!["free".to_owned(), "gold".to_owned()])
        );
        assert_eq!(
            choices(&["free", " "]),
            Err(FieldProblem::ChoiceLength { max: 255 })
        );
        let long = "ж".repeat(256);
        assert_eq!(
            choices(&[long.as_str()]),
            Err(FieldProblem::ChoiceLength { max: 255 })
        );
        let many: Vec<String> = (0..=100).map(|i| format!("c{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(choices(&many[..100]).map(|c| c.len()), Ok(100));
        assert_eq!(
            choices(&many),
            Err(FieldProblem::TooManyChoices { max: 100 })
        );
        assert_eq!(choices_problem("list", &[]), Some(FieldProblem::NoChoices));
        assert_eq!(choices_problem("text", &[]), None);
        assert_eq!(choices_problem("list", &["a".into()]), None);
    }

    #[test]
    fn patterns_have_at_most_1000_characters() {
        assert_eq!(pattern_problem(&"a".repeat(1000)), None);
        assert_eq!(
            pattern_problem(&"a".repeat(1001)),
            Some(FieldProblem::TooLong { max: 1000 })
        );
    }
}
