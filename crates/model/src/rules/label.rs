//! Labels: a title's letters and length, and how many one contact may carry.

use super::FieldProblem;

/// The longest label title, in characters.
pub const MAX_LABEL_TITLE_CHARS: usize = 64;
/// Labels one contact may carry.
pub const MAX_LABELS_PER_CONTACT: usize = 100;

/// A title as an agent types it, made into the title it means: trimmed, lower-cased.
pub fn typed_label_title(typed: &str) -> String {
    typed.trim().to_lowercase()
}

/// What is wrong with a label title as it is (not trimmed: " vip" is refused, not
/// silently changed), if anything: 1 to [`MAX_LABEL_TITLE_CHARS`] characters, each a
/// letter that is not upper case (of any script, so "клієнт" and "客户" are titles), an
/// ASCII digit, `_` or `-`. Upper-case letters are [`FieldProblem::LabelUpperCase`] even
/// beside other wrong characters: lower-casing is the first thing to tell.
pub fn label_title_problem(title: &str) -> Option<FieldProblem> {
    let chars = title.chars().count();
    if chars == 0 {
        return Some(FieldProblem::Blank);
    }
    if chars > MAX_LABEL_TITLE_CHARS {
        return Some(FieldProblem::TooLong {
            max: MAX_LABEL_TITLE_CHARS,
        });
    }
    let mut not_allowed: Vec<char> = Vec::new();
    for c in title.chars() {
        let allowed =
            (c.is_alphabetic() && !c.is_uppercase()) || c.is_ascii_digit() || c == '_' || c == '-';
        if !allowed && !not_allowed.contains(&c) {
            not_allowed.push(c);
        }
    }
    if not_allowed.is_empty() {
        None
    } else if not_allowed.iter().any(|c| c.is_uppercase()) {
        Some(FieldProblem::LabelUpperCase)
    } else {
        Some(FieldProblem::LabelChars { not_allowed })
    }
}

/// [`FieldProblem::TooManyLabels`] when a contact would carry more than
/// [`MAX_LABELS_PER_CONTACT`] labels.
pub fn label_count_problem(count: usize) -> Option<FieldProblem> {
    (count > MAX_LABELS_PER_CONTACT).then_some(FieldProblem::TooManyLabels {
        max: MAX_LABELS_PER_CONTACT,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_letters_that_are_not_upper_case_digits_dashes_and_underscores() {
        for ok in [
            "vip",
            "churn-risk",
            "tier_2",
            "клієнт",
            "客户",
            "عميل",
            "ß",
            "x-1_y",
        ] {
            assert_eq!(label_title_problem(ok), None, "{ok}");
        }
        assert_eq!(
            label_title_problem("VIP"),
            Some(FieldProblem::LabelUpperCase)
        );
        assert_eq!(
            label_title_problem("Клієнт"),
            Some(FieldProblem::LabelUpperCase)
        );
        assert_eq!(
            label_title_problem("Big deal"),
            Some(FieldProblem::LabelUpperCase),
            "upper case is said first"
        );
        assert_eq!(
            label_title_problem("big deal!!"),
            Some(FieldProblem::LabelChars {
                not_allowed: vec![' ', '!']
            })
        );
        for bad in ["a/b", "#x", " vip", "vip ", "٣", "a.b"] {
            assert!(
                matches!(
                    label_title_problem(bad),
                    Some(FieldProblem::LabelChars { .. })
                ),
                "{bad}"
            );
        }
        assert_eq!(label_title_problem(""), Some(FieldProblem::Blank));
    }

    #[test]
    fn a_title_has_at_most_64_characters_counted_in_characters() {
        assert_eq!(label_title_problem(&"a".repeat(64)), None);
        assert_eq!(label_title_problem(&"я".repeat(64)), None, "128 bytes");
        assert_eq!(
            label_title_problem(&"a".repeat(65)),
            Some(FieldProblem::TooLong { max: 64 })
        );
        assert_eq!(
            label_title_problem(&"a".repeat(100)),
            Some(FieldProblem::TooLong { max: 64 })
        );
    }

    #[test]
    fn typed_titles_are_trimmed_and_lower_cased() {
        assert_eq!(typed_label_title("  VIP "), "vip");
        assert_eq!(typed_label_title("Клієнт"), "клієнт");
        assert_eq!(
            label_title_problem(&typed_label_title(" Churn-Risk ")),
            None
        );
    }

    #[test]
    fn a_contact_carries_at_most_100_labels() {
        assert_eq!(label_count_problem(100), None);
        assert_eq!(
            label_count_problem(101),
            Some(FieldProblem::TooManyLabels { max: 100 })
        );
    }
}
