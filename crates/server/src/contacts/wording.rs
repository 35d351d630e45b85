//! The API's English for the field problems of `novatalks_model::rules`: the words of
//! Chatwoot's validation messages where Chatwoot has them ("Name is too long (maximum is
//! 255 characters)"), and plain directions where it does not.

use novatalks_model::FieldProblem;

/// `problem` of the field the API calls `subject` ("Name", "Title", "Custom attributes",
/// an attribute's display name), whose value is `shown` (a label title, a definition
/// key, a custom attribute key; ignored where the words do not quote a value).
pub fn words(subject: &str, shown: &str, problem: &FieldProblem) -> String {
    match problem {
        FieldProblem::Blank => format!("{subject} can't be blank"),
        FieldProblem::TooLong { max } => {
            format!("{subject} is too long (maximum is {max} characters)")
        }
        FieldProblem::EmailInvalid => format!("{subject} is invalid"),
        FieldProblem::PhoneShape => format!(
            "{subject} '{shown}' is not a valid phone number: write it with its country code, e.g. +380501234567"
        ),
        FieldProblem::LabelUpperCase => format!(
            "{subject} '{shown}' must be lower-case: use '{}'",
            shown.to_lowercase()
        ),
        FieldProblem::LabelChars { not_allowed } => format!(
            "{subject} '{shown}' may only contain lower-case letters, digits, '_' and '-' (not {})",
            quoted(not_allowed)
        ),
        FieldProblem::TooManyLabels { max } => {
            format!("A contact can have at most {max} labels")
        }
        FieldProblem::TooManyKeys { max } => format!("{subject} can hold at most {max} keys"),
        FieldProblem::KeyLength { max } => format!("{subject} keys must be 1 to {max} characters"),
        FieldProblem::ValueTooLarge { key, max_bytes } => {
            format!("{subject} '{key}' is too large (maximum is {max_bytes} bytes)")
        }
        FieldProblem::KeyChars => format!(
            "{subject} '{shown}' may only contain letters, digits, '_', '.' and '-'"
        ),
        FieldProblem::KeyReserved => {
            format!("{subject} '{shown}' is a standard contact field: choose another key")
        }
        FieldProblem::TooManyChoices { max } => {
            format!("{subject} can hold at most {max} values")
        }
        FieldProblem::ChoiceLength { max } => {
            format!("{subject} must be non-blank texts of up to {max} characters")
        }
        FieldProblem::NoChoices => {
            "A list attribute needs at least one value in attribute_values".to_owned()
        }
        FieldProblem::NotText => format!("{subject} must be text"),
        FieldProblem::NotANumber => format!("{subject} must be a number"),
        FieldProblem::NotTrueFalse => format!("{subject} must be true or false"),
        FieldProblem::NotADate => format!("{subject} must be a date written YYYY-MM-DD"),
        FieldProblem::NotALink => {
            format!("{subject} must be a link starting with http:// or https://")
        }
        FieldProblem::NotAChoice { choices } => {
            format!("{subject} must be one of: {}", choices.join(", "))
        }
        FieldProblem::NotPlain => {
            format!("{subject} '{shown}' must be text, a number or true/false")
        }
    }
}

/// "' ', '#'" for the first five characters.
fn quoted(chars: &[char]) -> String {
    chars
        .iter()
        .take(5)
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_read_as_the_api_has_always_said_them() {
        assert_eq!(
            words("Name", "", &FieldProblem::TooLong { max: 255 }),
            "Name is too long (maximum is 255 characters)"
        );
        assert_eq!(
            words("Email", "", &FieldProblem::EmailInvalid),
            "Email is invalid"
        );
        assert_eq!(
            words("Title", "VIP", &FieldProblem::LabelUpperCase),
            "Title 'VIP' must be lower-case: use 'vip'"
        );
        assert_eq!(
            words(
                "Title",
                "a b#c d e f g",
                &FieldProblem::LabelChars {
                    not_allowed: vec![' ', '#', '!', '?', '.', ',']
                }
            ),
            "Title 'a b#c d e f g' may only contain lower-case letters, digits, '_' and '-' (not ' ', '#', '!', '?', '.')"
        );
        assert_eq!(
            words(
                "Thing",
                "",
                &FieldProblem::NotAChoice {
                    choices: vec!["free".into(), "gold".into()]
                }
            ),
            "Thing must be one of: free, gold"
        );
        assert_eq!(
            words("Custom attribute", "free", &FieldProblem::NotPlain),
            "Custom attribute 'free' must be text, a number or true/false"
        );
    }
}
