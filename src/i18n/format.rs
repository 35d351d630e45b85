use chrono::{DateTime, Local};

/// `1234567` with `,` -> `1,234,567`.
pub fn group_digits(n: i64, separator: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// Unix seconds as local (the agent's browser) time, in a chrono format; `None` when out
/// of range.
pub fn format_epoch(epoch_secs: i64, format: &str) -> Option<String> {
    let utc = DateTime::from_timestamp(epoch_secs, 0)?;
    Some(utc.with_timezone(&Local).format(format).to_string())
}

/// A phrase as a sentence: its first letter upper-cased ("needs a value" -> "Needs a
/// value"); one that starts with a quote or a digit is left as it is.
pub fn sentence_case(phrase: &str) -> String {
    let mut chars = phrase.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_becomes_a_sentence() {
        assert_eq!(sentence_case("needs a value"), "Needs a value");
        assert_eq!(
            sentence_case("'x' is not a phone number"),
            "'x' is not a phone number"
        );
        assert_eq!(sentence_case("ім'я"), "Ім'я");
        assert_eq!(sentence_case(""), "");
    }

    #[test]
    fn digits_are_grouped_by_three() {
        assert_eq!(group_digits(0, ','), "0");
        assert_eq!(group_digits(999, ','), "999");
        assert_eq!(group_digits(1000, ','), "1,000");
        assert_eq!(group_digits(2000, ','), "2,000");
        assert_eq!(
            group_digits(1_234_567, '\u{202f}'),
            "1\u{202f}234\u{202f}567"
        );
        assert_eq!(group_digits(-12345, ','), "-12,345");
    }

    #[test]
    fn epochs_are_formatted_and_out_of_range_is_none() {
        let text = format_epoch(1_764_400_000, "%Y").expect("in range");
        assert!(text == "2025", "{text}");
        assert_eq!(format_epoch(i64::MAX, "%Y"), None);
    }
}
