//! The checks a contact's main fields get before they are sent, the same on the card and
//! in the create form. They mirror the server's, which has the last word (a phone number
//! is only known to be valid once the server's phone library has read it).

use crate::i18n::t;
use crate::logic::contact_edit::ContactField;

/// The longest name or identifier, in characters.
pub const MAX_TEXT_CHARS: usize = 255;
/// The longest email.
pub const MAX_EMAIL_CHARS: usize = 254;

/// What is wrong with a field's text, for the agent; `None` when it can be sent. Blank is
/// fine: it empties the field.
pub fn field_problem(field: ContactField, text: &str) -> Option<String> {
    let strings = &t().card;
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match field {
        ContactField::Name | ContactField::Identifier if text.chars().count() > MAX_TEXT_CHARS => {
            Some((strings.too_long)(MAX_TEXT_CHARS))
        }
        ContactField::Email if !looks_like_email(text) => Some(strings.email_invalid.to_owned()),
        ContactField::Phone if !looks_like_phone(text) => Some(strings.phone_invalid.to_owned()),
        _ => None,
    }
}

/// `local@domain.tld`, without spaces or the characters an address cannot hold.
pub fn looks_like_email(text: &str) -> bool {
    text.chars().count() <= MAX_EMAIL_CHARS
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c))
        && match text.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && domain.split('.').all(|label| !label.is_empty())
            }
            None => false,
        }
}

/// Phone writing: digits and the usual separators, 3 to 17 digits, a `+` only in front.
pub fn looks_like_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    text.chars().count() <= 40
        && (3..=17).contains(&digits)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | '/'))
        && text.get(1..).is_some_and(|rest| !rest.contains('+'))
}

/// What is wrong with a new label's title (already trimmed and lower-cased): it may hold
/// lower-case letters, digits, `_` and `-`.
pub fn label_title_problem(title: &str) -> Option<&'static str> {
    let strings = &t().card;
    if title.is_empty() {
        Some(strings.label_blank)
    } else if title.chars().count() > MAX_TEXT_CHARS {
        Some(strings.label_too_long)
    } else if !title
        .chars()
        .all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        Some(strings.label_chars)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        for ok in ["a@b.co", "olena.k+vip@example.com.ua"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "a@b", "@b.co", "a b@c.de", "a@@b.co", "a@b..co", "a@b.co,", "ab.co",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
        assert_eq!(
            field_problem(ContactField::Email, "  "),
            None,
            "blank empties"
        );
        assert!(field_problem(ContactField::Email, "nope").is_some());
    }

    #[test]
    fn phones_may_be_written_in_any_common_way() {
        for ok in [
            "050 123 45 67",
            "+380 (50) 123-45-67",
            "0501234567",
            "+1.212.555.0100",
        ] {
            assert!(looks_like_phone(ok), "{ok}");
        }
        for bad in [
            "12",
            "call me",
            "+38+0501234567",
            "050 123 45 67 ext 5",
            "1234567890123456789",
        ] {
            assert!(!looks_like_phone(bad), "{bad}");
        }
    }

    #[test]
    fn names_and_identifiers_are_limited_in_length() {
        assert!(field_problem(ContactField::Name, &"a".repeat(255)).is_none());
        assert!(field_problem(ContactField::Identifier, &"ж".repeat(256)).is_some());
    }

    #[test]
    fn label_titles_are_lower_case_words() {
        for ok in ["vip", "churn-risk", "tier_2", "клієнт"] {
            assert_eq!(label_title_problem(ok), None, "{ok}");
        }
        for bad in ["", "VIP", "two words", "a/b", "#x"] {
            assert!(label_title_problem(bad).is_some(), "{bad}");
        }
    }
}
