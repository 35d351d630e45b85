use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use novatalks_model::custom_attribute::CONTACT_ATTRIBUTE;
use novatalks_model::{rules, CustomAttributeDefinition};

use super::attribute_value::AttributeKind;
use super::field_rules::{choices_problem, definition_key_problem, definition_name_problem, words};
use super::pattern::browser_matches;
use crate::api::custom_attributes::{self, NewDefinition};
use crate::api::Rejection;
use crate::components::common::element_id;
use crate::i18n::t;
use crate::state::use_api;

/// A new custom attribute for the whole account: its name, its key (made from the name
/// until typed), its type, the choices of a list, and for text an optional pattern.
#[component]
pub fn NewDefinitionForm(
    /// The definition as the server created it.
    on_created: Callback<CustomAttributeDefinition>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let api = use_api();
    let name = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let key_typed = RwSignal::new(false);
    let kind = RwSignal::new(AttributeKind::Text);
    let values = RwSignal::new(String::new());
    let pattern = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Rejection>);
    let ids: [String; 5] = [
        "def-name",
        "def-key",
        "def-type",
        "def-values",
        "def-pattern",
    ]
    .map(element_id);

    let create = Action::new_local(move |definition: &NewDefinition| {
        let definition = definition.clone();
        let client = api.client();
        let request = async move { custom_attributes::create(&client, &definition).await };
        async move {
            match request.await {
                Ok(Ok(created)) => on_created.run(created),
                Ok(Err(rejection)) => problem.set(Some(rejection)),
                Err(error) => problem.set(Some(Rejection::of_field(
                    "form",
                    (card.save_failed)(&strings.describe_error(&error)),
                ))),
            }
        }
    });
    let pending = create.pending();

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        event.stop_propagation();
        if pending.get_untracked() {
            return;
        }
        let definition = NewDefinition {
            attribute_key: key.get_untracked().trim().to_owned(),
            attribute_display_name: name.get_untracked().trim().to_owned(),
            attribute_display_type: kind.get_untracked().as_str().to_owned(),
            attribute_values: match kind.get_untracked() {
                AttributeKind::List => list_values(&values.get_untracked()),
                _ => Vec::new(),
            },
            attribute_model: CONTACT_ATTRIBUTE,
            regex_pattern: match kind.get_untracked() {
                AttributeKind::Text => {
                    Some(pattern.get_untracked().trim().to_owned()).filter(|p| !p.is_empty())
                }
                _ => None,
            },
        };
        match definition_problem(&definition) {
            Some(rejection) => problem.set(Some(rejection)),
            None => {
                problem.set(None);
                create.dispatch_local(definition);
            }
        }
    };

    let error_of = move |field: &'static str| {
        move || {
            problem
                .with(|p| p.as_ref().and_then(|p| p.message_for(field)))
                .map(|message| view! { <span class="field-error" role="alert">{message}</span> })
        }
    };
    let kinds = AttributeKind::ALL
        .into_iter()
        .map(|option| {
            view! {
                <option value=option.as_str() prop:selected=move || kind.get() == option>
                    {card.kind_name(option)}
                </option>
            }
        })
        .collect_view();
    let [name_id, key_id, type_id, values_id, pattern_id] = ids;

    view! {
        <form class="definition-form" data-testid="new-definition-form" novalidate on:submit=submit>
            <div class="field">
                <label class="field__label" for=name_id.clone()>{card.definition_name}</label>
                <input
                    id=name_id.clone()
                    class="input"
                    data-testid="definition-name"
                    prop:value=move || name.get()
                    on:input=move |event| {
                        let typed = event_target_value(&event);
                        if !key_typed.get_untracked() {
                            key.set(key_from_name(&typed));
                        }
                        name.set(typed);
                    }
                />
                {error_of("attribute_display_name")}
            </div>
            <div class="field">
                <label class="field__label" for=key_id.clone()>{card.definition_key}</label>
                <input
                    id=key_id.clone()
                    class="input"
                    data-testid="definition-key"
                    prop:value=move || key.get()
                    on:input=move |event| {
                        key_typed.set(true);
                        key.set(event_target_value(&event));
                    }
                />
                <span class="field__hint">{card.definition_key_hint}</span>
                {error_of("attribute_key")}
            </div>
            <div class="field">
                <label class="field__label" for=type_id.clone()>{card.definition_type}</label>
                <select
                    id=type_id.clone()
                    class="select"
                    data-testid="definition-type"
                    on:change=move |event| {
                        let chosen = event_target_value(&event);
                        if let Some(k) = AttributeKind::parse(&chosen) {
                            kind.set(k);
                        }
                    }
                >
                    {kinds}
                </select>
            </div>
            <Show when=move || kind.get() == AttributeKind::List>
                <div class="field">
                    <label class="field__label" for=values_id.clone()>{card.definition_values}</label>
                    <input
                        id=values_id.clone()
                        class="input"
                        data-testid="definition-values"
                        prop:value=move || values.get()
                        on:input=move |event| values.set(event_target_value(&event))
                    />
                    <span class="field__hint">{card.definition_values_hint}</span>
                    {error_of("attribute_values")}
                </div>
            </Show>
            <Show when=move || kind.get() == AttributeKind::Text>
                <div class="field">
                    <label class="field__label" for=pattern_id.clone()>{card.definition_pattern}</label>
                    <input
                        id=pattern_id.clone()
                        class="input"
                        data-testid="definition-pattern"
                        prop:value=move || pattern.get()
                        on:input=move |event| pattern.set(event_target_value(&event))
                    />
                    {error_of("regex_pattern")}
                </div>
            </Show>
            {error_of("form")}
            <div class="definition-form__actions">
                <button type="submit" class="button button--primary button--small" data-testid="definition-save"
                    disabled=move || pending.get()>
                    {card.create_attribute}
                </button>
                <button type="button" class="button button--small" on:click=move |_| on_cancel.run(())>
                    {strings.cancel}
                </button>
            </div>
        </form>
    }
}

/// "Renewal date" -> "renewal_date": lower-case letters and digits, `_` between words.
pub fn key_from_name(name: &str) -> String {
    let mut key = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_owned()
}

/// "free, gold ,, platinum" -> the distinct, non-blank choices.
fn list_values(text: &str) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    for value in text.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        if !values.iter().any(|v| v == value) {
            values.push(value.to_owned());
        }
    }
    values
}

/// What is wrong before sending, the first field with a problem, by the server's rules.
fn definition_problem(definition: &NewDefinition) -> Option<Rejection> {
    let card = &t().card;
    let pattern_problem = || {
        let pattern = definition.regex_pattern.as_deref()?;
        match rules::pattern_problem(pattern) {
            Some(problem) => Some(words("", &problem)),
            // The browser's engine, not the server's: the server has the last word.
            None => browser_matches(pattern, "")
                .is_none()
                .then(|| card.definition_pattern_invalid.to_owned()),
        }
    };
    let (field, message) = definition_name_problem(&definition.attribute_display_name)
        .map(|m| ("attribute_display_name", m))
        .or_else(|| definition_key_problem(&definition.attribute_key).map(|m| ("attribute_key", m)))
        .or_else(|| {
            choices_problem(
                &definition.attribute_display_type,
                &definition.attribute_values,
            )
            .map(|m| ("attribute_values", m))
        })
        .or_else(|| pattern_problem().map(|m| ("regex_pattern", m)))?;
    Some(Rejection::of_field(field, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_made_from_names() {
        assert_eq!(key_from_name("Renewal date"), "renewal_date");
        assert_eq!(key_from_name("  Tax-ID (EU) "), "tax_id_eu");
        assert_eq!(key_from_name("Plan 2"), "plan_2");
        assert_eq!(key_from_name("Ціна"), "");
    }

    #[test]
    fn list_values_are_distinct_and_trimmed() {
        assert_eq!(
            list_values("free, gold ,, free,platinum"),
            ["free", "gold", "platinum"]
        );
        assert!(list_values(" , ").is_empty());
    }
}
