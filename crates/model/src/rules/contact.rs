//! A contact's main fields: name, identifier (and other short texts), email, phone.

use super::FieldProblem;

/// The longest name, identifier, block reason, attribute display name or choice, in
/// characters.
pub const MAX_TEXT_CHARS: usize = 255;
/// The longest email (RFC 5321's path limit), in characters.
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longer phone input is not a phone number (and is never handed to a phone parser).
pub const MAX_PHONE_INPUT_CHARS: usize = 40;
/// The fewest digits a phone number is written with.
pub const MIN_PHONE_DIGITS: usize = 3;
/// The most digits a phone number is written with (E.164's 15, and a `00` in front).
pub const MAX_PHONE_DIGITS: usize = 17;

/// [`FieldProblem::TooLong`] when `text`, trimmed, has more than `max` characters
/// (characters, not bytes: "ж" counts one).
pub fn text_problem(text: &str, max: usize) -> Option<FieldProblem> {
    (text.trim().chars().count() > max).then_some(FieldProblem::TooLong { max })
}

/// A name: at most [`MAX_TEXT_CHARS`]; blank empties it.
pub fn name_problem(name: &str) -> Option<FieldProblem> {
    text_problem(name, MAX_TEXT_CHARS)
}

/// An identifier (the external "Contact Id"): at most [`MAX_TEXT_CHARS`]; blank empties it.
pub fn identifier_problem(identifier: &str) -> Option<FieldProblem> {
    text_problem(identifier, MAX_TEXT_CHARS)
}

/// An email trimmed and lower-cased; blank is `None`. Otherwise it must look like an
/// address: one `@`, a local part, a dotted domain, no spaces or mail-header specials,
/// at most [`MAX_EMAIL_CHARS`] ([`FieldProblem::EmailInvalid`] else).
pub fn normalize_email(input: &str) -> Result<Option<String>, FieldProblem> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Ok(None);
    }
    let looks_right = email.chars().count() <= MAX_EMAIL_CHARS
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c))
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && domain.split('.').all(|label| !label.is_empty())
            }
            None => false,
        };
    if looks_right {
        Ok(Some(email))
    } else {
        Err(FieldProblem::EmailInvalid)
    }
}

/// [`FieldProblem::PhoneShape`] unless `input` (trimmed) is written like a phone number:
/// digits and the usual separators (space `+ - ( ) . /`), a `+` only in front,
/// [`MIN_PHONE_DIGITS`] to [`MAX_PHONE_DIGITS`] digits, at most [`MAX_PHONE_INPUT_CHARS`]
/// characters. That keeps letters, extensions and oddities away from the phone parser,
/// which then decides whether the number exists.
pub fn phone_shape_problem(input: &str) -> Option<FieldProblem> {
    let input = input.trim();
    let digits = input.chars().filter(char::is_ascii_digit).count();
    let plausible = input.chars().count() <= MAX_PHONE_INPUT_CHARS
        && (MIN_PHONE_DIGITS..=MAX_PHONE_DIGITS).contains(&digits)
        && input
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | '/'))
        && input.get(1..).is_some_and(|rest| !rest.contains('+'));
    (!plausible).then_some(FieldProblem::PhoneShape)
}

/// The number as Chatwoot would store it when it is written in E.164 (`+`, a first digit
/// 1 to 9, 2 to 15 digits), separators dropped: "+1 555 042 7098" → "+15550427098".
/// Chatwoot takes every such number, whether a country has it or not; so do we, and the
/// form warns about one the phone library says cannot exist. `None` for other writing.
pub fn e164_shaped(input: &str) -> Option<String> {
    let compact: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.' | '/'))
        .collect();
    let digits = compact.strip_prefix('+')?;
    let shaped = (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    shaped.then_some(compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_written_in_e164_are_taken_as_chatwoot_takes_them() {
        assert_eq!(
            e164_shaped("+1 555 042 7098").as_deref(),
            Some("+15550427098")
        );
        assert_eq!(e164_shaped("+15550427098").as_deref(), Some("+15550427098"));
        assert_eq!(e164_shaped("+0 12"), None);
        assert_eq!(e164_shaped("0501234567"), None);
        assert_eq!(e164_shaped("+1234567890123456"), None);
        assert_eq!(e164_shaped("+1"), None);
    }

    #[test]
    fn names_and_identifiers_are_counted_in_characters_not_bytes() {
        assert_eq!(name_problem(&"a".repeat(255)), None);
        assert_eq!(
            name_problem(&"a".repeat(256)),
            Some(FieldProblem::TooLong { max: 255 })
        );
        // 255 Cyrillic letters are 510 bytes and still fit.
        assert_eq!(identifier_problem(&"ж".repeat(255)), None);
        assert_eq!(
            identifier_problem(&"ж".repeat(256)),
            Some(FieldProblem::TooLong { max: 255 })
        );
        assert_eq!(
            name_problem(&format!("  {}  ", "a".repeat(255))),
            None,
            "trimmed"
        );
        assert_eq!(name_problem(""), None, "blank empties the field");
    }

    #[test]
    fn emails_are_trimmed_lower_cased_and_checked() {
        assert_eq!(
            normalize_email("  Olena@Example.COM "),
            Ok(Some("olena@example.com".into()))
        );
        assert_eq!(normalize_email("   "), Ok(None));
        for ok in ["a@b.co", "olena.k+vip@example.com.ua", "тест@приклад.укр"] {
            assert!(normalize_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "olena",
            "olena@",
            "@example.com",
            "olena@example",
            "ol ena@example.com",
            "a@b@c.com",
            "a@@b.co",
            "a@example..com",
            "<script>@x.com",
            "a@.com",
            "a@b.co,",
            "a;b@c.de",
            "a\u{0}@b.co",
        ] {
            assert_eq!(
                normalize_email(bad),
                Err(FieldProblem::EmailInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_email_may_have_254_characters() {
        let domain = "@example.com";
        let fits = format!("{}{domain}", "a".repeat(MAX_EMAIL_CHARS - domain.len()));
        assert_eq!(fits.chars().count(), 254);
        assert!(normalize_email(&fits).is_ok());
        let over = format!("a{fits}");
        assert_eq!(normalize_email(&over), Err(FieldProblem::EmailInvalid));
    }

    #[test]
    fn phones_may_be_written_in_any_common_way() {
        for ok in [
            "050 123 45 67",
            "+380 (50) 123-45-67",
            "0501234567",
            "+1.212.555.0100",
            "00380501234567",
            " 123 ",
            "12345678901234567",
        ] {
            assert_eq!(phone_shape_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "+",
            "12",
            "call me",
            "1-800-FLOWERS",
            "+38+0501234567",
            "++380501234567",
            "050 123 45 67 ext 5",
            "123456789012345678",
            "'; DROP TABLE contacts;--",
            "+380 50 123 45 67 89 01 23 45",
            "１２３４５",
        ] {
            assert_eq!(
                phone_shape_problem(bad),
                Some(FieldProblem::PhoneShape),
                "{bad}"
            );
        }
        // Three digits, spread over 40 characters and over 41.
        let fits = format!("1{}23", " ".repeat(MAX_PHONE_INPUT_CHARS - 3));
        assert_eq!(phone_shape_problem(&fits), None);
        let over = format!("1 {}23", " ".repeat(MAX_PHONE_INPUT_CHARS - 3));
        assert_eq!(phone_shape_problem(&over), Some(FieldProblem::PhoneShape));
    }
}
