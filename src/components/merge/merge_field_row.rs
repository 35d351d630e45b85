use leptos::prelude::*;
use novatalks_model::merge::{FieldPreview, MergeField, Outcome};

use crate::i18n::languages::language_name;
use crate::i18n::{t, Strings};

/// The name of a field of the preview; a custom attribute by its definition's display
/// name when `display_name` has it, else by key.
pub fn field_name(strings: &Strings, field: &MergeField, display_name: Option<&str>) -> String {
    let merge = strings.merge;
    match field {
        MergeField::Name => merge.field_name.to_owned(),
        MergeField::Email => merge.field_email.to_owned(),
        MergeField::Phone => merge.field_phone.to_owned(),
        MergeField::Identifier => merge.field_identifier.to_owned(),
        MergeField::Additional(key) => (merge.additional_attribute)(key),
        MergeField::Custom(key) => (merge.custom_attribute)(display_name.unwrap_or(key)),
    }
}

/// The key of a field in `data-field`: `name`, `phone`, `additional.city`, `custom.plan`.
pub fn field_key(field: &MergeField) -> String {
    match field {
        MergeField::Name => "name".into(),
        MergeField::Email => "email".into(),
        MergeField::Phone => "phone".into(),
        MergeField::Identifier => "identifier".into(),
        MergeField::Additional(key) => format!("additional.{key}"),
        MergeField::Custom(key) => format!("custom.{key}"),
    }
}

/// One line of the merge preview: the field, the value the remaining contact will have,
/// and where it comes from (kept, filling a blank, or winning over a value that is lost).
#[component]
pub fn MergeFieldRow(
    line: FieldPreview,
    /// The account's name for a custom attribute field, if it has a definition.
    display_name: Option<String>,
) -> impl IntoView {
    let strings = t();
    let merge = strings.merge;
    // A language is shown by its name, as the card shows it ("uk" is Ukrainian).
    let is_language = matches!(&line.field, MergeField::Additional(key) if key == "language");
    let shown = |value: &str| match is_language.then(|| language_name(value)).flatten() {
        Some(name) => name.to_owned(),
        None => value.to_owned(),
    };
    let (outcome, why) = match line.outcome {
        Outcome::Same => ("same", merge.outcome_same.to_owned()),
        Outcome::Kept => ("kept", merge.outcome_kept.to_owned()),
        Outcome::Filled => ("filled", merge.outcome_filled.to_owned()),
        Outcome::Lost => (
            "lost",
            (merge.outcome_lost)(&shown(line.mergee.as_deref().unwrap_or_default())),
        ),
        Outcome::SameNumber => ("same-number", merge.outcome_same_number.to_owned()),
    };
    let result = line
        .result
        .as_deref()
        .map(shown)
        .unwrap_or_else(|| strings.missing_value.to_owned());
    view! {
        <tr
            class=format!("merge-field merge-field--{outcome}")
            data-testid="merge-field"
            data-field=field_key(&line.field)
            data-outcome=outcome
        >
            <th scope="row">{field_name(strings, &line.field, display_name.as_deref())}</th>
            <td class="merge-field__value" data-testid="merge-field-value">{result}</td>
            <td class="merge-field__why">{why}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_custom_attribute_is_named_by_its_definition_when_it_has_one() {
        let strings = crate::i18n::t();
        let plan = MergeField::Custom("plan_tier".into());
        assert_eq!(field_name(strings, &plan, Some("Plan")), "Attribute: Plan");
        assert_eq!(field_name(strings, &plan, None), "Attribute: plan_tier");
        assert_eq!(field_name(strings, &MergeField::Email, Some("x")), "Email");
    }

    #[test]
    fn fields_have_stable_keys() {
        assert_eq!(field_key(&MergeField::Phone), "phone");
        assert_eq!(field_key(&MergeField::Custom("plan".into())), "custom.plan");
        assert_eq!(
            field_key(&MergeField::Additional("city".into())),
            "additional.city"
        );
    }
}
