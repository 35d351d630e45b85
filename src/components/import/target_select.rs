use leptos::prelude::*;
use novatalks_model::custom_attribute::CustomAttributeDefinition;
use novatalks_model::import::Target;

use crate::i18n::t;
use crate::logic::import_plan::{choice_value, choices, chosen};
use crate::state::Imports;

/// The words of a target in a column's select.
fn target_words(target: &Target, definitions: &[CustomAttributeDefinition]) -> String {
    let s = t().import;
    match target {
        Target::Name => s.target_name.to_owned(),
        Target::Email => s.target_email.to_owned(),
        Target::Phone => s.target_phone.to_owned(),
        Target::Identifier => s.target_identifier.to_owned(),
        Target::Labels => s.target_labels.to_owned(),
        Target::City => s.target_city.to_owned(),
        Target::Country => s.target_country.to_owned(),
        Target::Company => s.target_company.to_owned(),
        Target::Language => s.target_language.to_owned(),
        Target::CustomAttribute { key } => {
            let name = definitions
                .iter()
                .find(|d| &d.attribute_key == key)
                .map_or(key.as_str(), |d| d.attribute_display_name.as_str());
            (s.target_attribute)(name)
        }
        Target::NewCustomAttribute {
            key, display_name, ..
        } => (s.target_new_attribute)(display_name.as_deref().unwrap_or(key)),
        Target::Ignore => s.target_ignore.to_owned(),
    }
}

/// What column `index` (headed `header`) fills.
#[component]
pub fn TargetSelect(
    imports: Imports,
    index: usize,
    header: String,
    definitions: Signal<Vec<CustomAttributeDefinition>>,
) -> impl IntoView {
    let label = (t().import.target_label)(&header);
    let options = {
        let header = header.clone();
        move || {
            let current = imports.targets.get();
            definitions.with(|defs| choices(&header, index, defs, &current))
        }
    };
    let value = move || {
        imports
            .targets
            .with(|targets| targets.get(index).map(choice_value).unwrap_or_default())
    };
    let on_change = {
        let header = header.clone();
        move |ev: leptos::ev::Event| {
            let picked = event_target_value(&ev);
            let current = imports.targets.get_untracked();
            let target = definitions
                .with_untracked(|defs| chosen(&choices(&header, index, defs, &current), &picked));
            if let Some(target) = target {
                imports.retarget(index, target);
            }
        }
    };
    view! {
        <select
            class="input import-target"
            aria-label=label
            data-testid="import-target"
            prop:value=value
            on:change=on_change
        >
            {move || {
                let defs = definitions.get();
                options()
                    .into_iter()
                    .map(|target| {
                        let value = choice_value(&target);
                        let selected = imports
                            .targets
                            .with_untracked(|ts| ts.get(index).map(choice_value))
                            .as_deref()
                            == Some(value.as_str());
                        view! {
                            <option value=value selected=selected>
                                {target_words(&target, &defs)}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
}
