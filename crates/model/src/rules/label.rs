//! Labels: an account label's title (letters and length), the titles a contact may
//! carry, and how many.
//!
//! Two rules, as in Chatwoot. An account label (`POST /labels`, with its colour) has a
//! strict title: [`label_title_problem`]. A contact is tagged by title, and any title a
//! client sends is a tag (Chatwoot's `acts_as_taggable_on`), defined as an account label
//! or not: [`contact_label_titles`] makes the titles sent into the titles stored and
//! [`contact_label_problem`] refuses only what cannot be stored. Every way a contact is
//! given labels (its labels, bulk actions, the import) uses these two.

use super::FieldProblem;

/// The longest label title, in characters.
pub const MAX_LABEL_TITLE_CHARS: usize = 64;
/// The longest title a contact may be tagged with, in characters: Chatwoot's tag names
/// are at most 255.
pub const MAX_CONTACT_LABEL_CHARS: usize = 255;
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

/// Titles a client sends for a contact, made into the titles stored, sorted, each once:
/// each is split on `,` (as Chatwoot reads a tag list: `["a, b"]` is two tags), trimmed
/// and lower-cased ([`typed_label_title`]: Chatwoot matches tags without regard to case,
/// and account labels are lower-case); blanks are dropped, as Chatwoot drops them.
pub fn contact_label_titles(sent: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<String> {
    let mut titles: Vec<String> = sent
        .into_iter()
        .flat_map(|t| {
            t.as_ref()
                .split(',')
                .map(typed_label_title)
                .collect::<Vec<_>>()
        })
        .filter(|t| !t.is_empty())
        .collect();
    titles.sort();
    titles.dedup();
    titles
}

/// What keeps a title (as [`contact_label_titles`] makes it) off a contact, if anything:
/// blank, longer than [`MAX_CONTACT_LABEL_CHARS`] (Chatwoot refuses a longer tag), or
/// holding NUL (which PostgreSQL cannot store in text, so Chatwoot cannot either). Any
/// other title is a tag, whether or not the account defines a label of it.
pub fn contact_label_problem(title: &str) -> Option<FieldProblem> {
    if title.is_empty() {
        return Some(FieldProblem::Blank);
    }
    if title.chars().count() > MAX_CONTACT_LABEL_CHARS {
        return Some(FieldProblem::TooLong {
            max: MAX_CONTACT_LABEL_CHARS,
        });
    }
    title.contains('\0').then(|| FieldProblem::LabelChars {
        not_allowed: vec!['\0'],
    })
}

/// The first title of `titles` (as [`contact_label_titles`] makes them) that a contact
/// cannot carry, with its problem; or the whole list's when it holds more than
/// [`MAX_LABELS_PER_CONTACT`] (the title is then empty).
pub fn contact_labels_problem(titles: &[String]) -> Option<(String, FieldProblem)> {
    if let Some(problem) = label_count_problem(titles.len()) {
        return Some((String::new(), problem));
    }
    titles
        .iter()
        .find_map(|t| contact_label_problem(t).map(|p| (t.clone(), p)))
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
    fn a_contact_may_carry_any_title_a_client_sends() {
        assert_eq!(
            contact_label_titles([" VIP ", "Big Deal!", "vip", "", "  ", "a.b/c"]),
            vec!["a.b/c", "big deal!", "vip"]
        );
        assert_eq!(
            contact_label_titles(["one, two", "Two"]),
            vec!["one", "two"],
            "a comma separates tags, as in Chatwoot's tag lists"
        );
        for ok in ["big deal!", "a.b/c", "#x", "клієнт", "٣", "😀"] {
            assert_eq!(contact_label_problem(ok), None, "{ok}");
        }
        assert_eq!(contact_label_problem(&"я".repeat(255)), None);
        assert_eq!(
            contact_label_problem(&"a".repeat(256)),
            Some(FieldProblem::TooLong { max: 255 })
        );
        assert_eq!(contact_label_problem(""), Some(FieldProblem::Blank));
        assert_eq!(
            contact_label_problem("a\u{0}b"),
            Some(FieldProblem::LabelChars {
                not_allowed: vec!['\u{0}']
            })
        );
        assert_eq!(contact_label_problem("two\nlines"), None);
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
