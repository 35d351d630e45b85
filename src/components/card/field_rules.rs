//! The field rules of `novatalks_model::rules` in the agent's words. The checks are the
//! server's own functions, so a form refuses exactly what the server would; only the
//! server knows whether a phone number of the right shape exists (its phone library is
//! too big for the page) and whether a value is already taken.

use novatalks_model::rules;
use novatalks_model::FieldProblem;

use crate::i18n::t;
use crate::logic::contact_edit::ContactField;

/// What is wrong with a main field's text, for the agent; `None` when it can be sent.
/// Blank is fine: it empties the field.
pub fn field_problem(field: ContactField, text: &str) -> Option<String> {
    if text.trim().is_empty() {
        return None;
    }
    let problem = match field {
        ContactField::Name => rules::name_problem(text),
        ContactField::Identifier => rules::identifier_problem(text),
        ContactField::Email => rules::normalize_email(text).err(),
        ContactField::Phone => rules::phone_shape_problem(text),
    }?;
    Some(words(t().card.field_label(field), &problem))
}

/// What is wrong with a new label's title (as typed, see [`rules::typed_label_title`]).
pub fn label_title_problem(title: &str) -> Option<String> {
    let strings = &t().card;
    Some(match rules::label_title_problem(title)? {
        FieldProblem::Blank => strings.label_blank.to_owned(),
        FieldProblem::TooLong { max } => (strings.label_too_long)(max),
        other => words(title, &other),
    })
}

/// What is wrong with a new attribute's name (trimmed).
pub fn definition_name_problem(name: &str) -> Option<String> {
    Some(match rules::definition_name_problem(name)? {
        FieldProblem::Blank => t().card.definition_name_missing.to_owned(),
        other => words(name, &other),
    })
}

/// What is wrong with a new attribute's key (trimmed).
pub fn definition_key_problem(key: &str) -> Option<String> {
    Some(match rules::definition_key_problem(key)? {
        FieldProblem::Blank => t().card.definition_key_invalid.to_owned(),
        other => words(key, &other),
    })
}

/// What is wrong with the choices of a new attribute of `display_type`.
pub fn choices_problem(display_type: &str, choices: &[String]) -> Option<String> {
    let sent: Vec<&str> = choices.iter().map(String::as_str).collect();
    let problem = match rules::choices(&sent) {
        Ok(kept) => rules::choices_problem(display_type, &kept)?,
        Err(problem) => problem,
    };
    Some(words("", &problem))
}

/// A rule's problem in the agent's words; `name` is what the field or attribute is called
/// (the value problems say it).
pub fn words(name: &str, problem: &FieldProblem) -> String {
    let strings = &t().card;
    match problem {
        FieldProblem::Blank => strings.value_blank.to_owned(),
        FieldProblem::TooLong { max } | FieldProblem::KeyLength { max } => (strings.too_long)(*max),
        FieldProblem::EmailInvalid => strings.email_invalid.to_owned(),
        FieldProblem::PhoneShape => strings.phone_invalid.to_owned(),
        FieldProblem::LabelUpperCase | FieldProblem::LabelChars { .. } => {
            strings.label_chars.to_owned()
        }
        FieldProblem::TooManyLabels { max } => (strings.labels_too_many)(*max),
        FieldProblem::TooManyKeys { max } => (strings.attributes_too_many)(*max),
        FieldProblem::ValueTooLarge { .. } => (strings.value_too_large)(name),
        FieldProblem::KeyChars => strings.definition_key_invalid.to_owned(),
        FieldProblem::KeyReserved => strings.definition_key_reserved.to_owned(),
        FieldProblem::TooManyChoices { max } => (strings.definition_values_too_many)(*max),
        FieldProblem::ChoiceLength { max } => (strings.definition_value_too_long)(*max),
        FieldProblem::NoChoices => strings.definition_values_missing.to_owned(),
        FieldProblem::NotANumber => (strings.value_not_a_number)(name),
        FieldProblem::NotALink => (strings.value_not_a_link)(name),
        FieldProblem::NotADate => (strings.value_not_a_date)(name),
        FieldProblem::NotAChoice { choices } => {
            (strings.value_not_in_list)(name, &choices.join(", "))
        }
        // The editors send text for text and true/false for a checkbox, and the card adds
        // no attribute without a definition: asking for a value is all there is to say.
        FieldProblem::NotText | FieldProblem::NotTrueFalse | FieldProblem::NotPlain => {
            strings.value_blank.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the agent may type into a field, and then some.
    const TEXTS: &[&str] = &[
        "",
        "   ",
        "Olena",
        "a@b.co",
        " Olena@Example.COM ",
        "a@b",
        "@b.co",
        "a b@c.de",
        "a@@b.co",
        "a@b..co",
        "a@b.co,",
        "ab.co",
        "050 123 45 67",
        "+380 (50) 123-45-67",
        "+1.212.555.0100",
        "12",
        "call me",
        "+38+0501234567",
        "050 123 45 67 ext 5",
        "1234567890123456789",
        "vip",
        "VIP",
        "churn-risk",
        "tier_2",
        "клієнт",
        "客户",
        "two words",
        "a/b",
        "#x",
        "email",
        "renewal_date",
        "Renewal date",
    ];

    fn samples() -> Vec<String> {
        let mut all: Vec<String> = TEXTS.iter().map(|s| s.to_string()).collect();
        for n in [64, 65, 100, 254, 255, 256] {
            all.push("a".repeat(n));
            all.push("ж".repeat(n));
        }
        all.push(format!("{}@example.com", "a".repeat(242)));
        all.push(format!("{}@example.com", "a".repeat(243)));
        all
    }

    #[test]
    fn a_field_is_refused_in_words_exactly_when_its_rule_refuses_it() {
        for text in samples() {
            let blank = text.trim().is_empty();
            let cases = [
                (ContactField::Name, rules::name_problem(&text).is_some()),
                (
                    ContactField::Identifier,
                    rules::identifier_problem(&text).is_some(),
                ),
                (ContactField::Email, rules::normalize_email(&text).is_err()),
                (
                    ContactField::Phone,
                    !blank && rules::phone_shape_problem(&text).is_some(),
                ),
            ];
            for (field, refused) in cases {
                assert_eq!(
                    field_problem(field, &text).is_some(),
                    refused,
                    "{field:?} {text:?}"
                );
            }
        }
    }

    #[test]
    fn label_titles_definitions_and_choices_are_refused_exactly_when_their_rules_say() {
        for text in samples() {
            let title = rules::typed_label_title(&text);
            assert_eq!(
                label_title_problem(&title).is_some(),
                rules::label_title_problem(&title).is_some(),
                "{title:?}"
            );
            assert_eq!(
                definition_name_problem(&text).is_some(),
                rules::definition_name_problem(&text).is_some(),
                "{text:?}"
            );
            assert_eq!(
                definition_key_problem(&text).is_some(),
                rules::definition_key_problem(&text).is_some(),
                "{text:?}"
            );
            let choices = vec![text.clone()];
            let refused = rules::choices(&[text.as_str()])
                .map(|kept| rules::choices_problem("list", &kept))
                .map_or(true, |p| p.is_some());
            assert_eq!(
                choices_problem("list", &choices).is_some(),
                refused,
                "{text:?}"
            );
        }
        assert!(choices_problem("list", &[]).is_some());
        assert!(choices_problem("text", &[]).is_none());
    }

    #[test]
    fn the_words_say_what_to_do() {
        assert_eq!(
            field_problem(ContactField::Email, "nope").as_deref(),
            Some(t().card.email_invalid)
        );
        assert_eq!(
            field_problem(ContactField::Email, "  "),
            None,
            "blank empties"
        );
        assert_eq!(
            field_problem(ContactField::Phone, "call me").as_deref(),
            Some(t().card.phone_invalid)
        );
        assert_eq!(
            field_problem(ContactField::Identifier, &"ж".repeat(256)),
            Some((t().card.too_long)(255))
        );
        assert_eq!(
            label_title_problem(&"a".repeat(65)),
            Some((t().card.label_too_long)(64))
        );
        assert_eq!(
            label_title_problem(""),
            Some(t().card.label_blank.to_owned())
        );
        assert_eq!(
            label_title_problem("two words"),
            Some(t().card.label_chars.to_owned())
        );
        assert_eq!(
            definition_key_problem("email"),
            Some(t().card.definition_key_reserved.to_owned())
        );
    }

    #[test]
    fn the_two_drift_bugs_are_gone() {
        // The form used to allow 255 characters where the server allows 64, and to refuse
        // letters without case, which the server accepts.
        assert!(label_title_problem(&"a".repeat(100)).is_some());
        assert_eq!(label_title_problem("客户"), None);
        assert_eq!(label_title_problem("عميل"), None);
    }
}
