use leptos::prelude::*;
use novatalks_model::{rules, CustomAttributeDefinition};
use serde_json::Value;

use super::attribute_value::parse_value;
use super::field_rules::words;
use super::pattern::browser_matches;
use super::{AttributeInput, NewDefinitionForm};
use crate::components::common::element_id;
use crate::i18n::t;
use crate::logic::contact_edit::Edit;
use crate::state::use_card_store;

/// The choice of the select that opens the new-definition form (keys cannot hold a `:`).
const NEW_DEFINITION: &str = ":new";

/// "Add attribute": pick one of the account's definitions the contact has no value for,
/// or define a new attribute, then enter the value (checked like any edit).
#[component]
pub fn AddAttribute(
    #[prop(into)] definitions: Signal<Vec<CustomAttributeDefinition>>,
    /// A definition was created here.
    on_definition_created: Callback<CustomAttributeDefinition>,
) -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let store = use_card_store();
    let open = RwSignal::new(false);
    let chosen = RwSignal::new(String::new());
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let select_id = element_id("attribute-add");
    let value_id = element_id("attribute-add-value");
    let error_id = element_id("attribute-add-error");

    let available = Memo::new(move |_| {
        let present: Vec<String> = store
            .contact()
            .with(|c| c.custom_attributes.keys().cloned().collect());
        definitions.with(|defs| {
            defs.iter()
                .filter(|d| !present.contains(&d.attribute_key))
                .map(|d| (d.attribute_key.clone(), d.attribute_display_name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let chosen_definition = Memo::new(move |_| {
        chosen.with(|key| {
            definitions.with(|defs| defs.iter().find(|d| d.attribute_key == *key).cloned())
        })
    });

    let reset = move || {
        open.set(false);
        chosen.set(String::new());
        draft.set(String::new());
        error.set(None);
    };
    let save = Action::new_local(move |(key, text, value): &(String, String, Value)| {
        let (key, text) = (key.clone(), text.clone());
        let request = store.save(Edit::Custom(key.clone(), value.clone()));
        async move {
            let why = match request.await {
                Ok(Ok(_)) => return,
                Ok(Err(rejection)) => rejection
                    .message_for("custom_attributes")
                    .unwrap_or(rejection.message),
                Err(error) => (card.save_failed)(&strings.describe_error(&error)),
            };
            // The attribute is gone from the card again: back to the form, as typed.
            open.try_set(true);
            chosen.try_set(key);
            draft.try_set(text);
            error.try_set(Some(why));
        }
    });
    let submit = Callback::new(move |()| {
        let Some(definition) = chosen_definition.get_untracked() else {
            return;
        };
        let text = draft.get_untracked();
        let count = store
            .contact()
            .with_untracked(|c| c.custom_attributes.len() + 1);
        if let Some(problem) = rules::attribute_count_problem(count) {
            error.set(Some(words(&definition.attribute_display_name, &problem)));
            return;
        }
        match parse_value(&definition, &text, &browser_matches) {
            Err(problem) => error.set(Some(problem.message(&definition.attribute_display_name))),
            Ok(value) => {
                reset();
                save.dispatch_local((definition.attribute_key, text, value));
            }
        }
    });
    let cancel = Callback::new(move |()| reset());
    let on_created = Callback::new(move |definition: CustomAttributeDefinition| {
        let key = definition.attribute_key.clone();
        on_definition_created.run(definition);
        draft.set(String::new());
        error.set(None);
        chosen.set(key);
    });

    let options = move || {
        available
            .get()
            .into_iter()
            .map(|(key, name)| {
                let is_chosen = {
                    let key = key.clone();
                    move || chosen.with(|c| *c == key)
                };
                view! { <option value=key prop:selected=is_chosen>{name}</option> }
            })
            .collect_view()
    };
    let value_editor = {
        let (value_id, error_id) = (value_id.clone(), error_id.clone());
        move || {
            let definition = chosen_definition.get()?;
            let kind = definition.kind();
            Some(view! {
                <div class="add-attribute__value">
                    <label class="field__label" for=value_id.clone()>{definition.attribute_display_name.clone()}</label>
                    <div class="detail__editor">
                        <AttributeInput
                            kind
                            options=definition.attribute_values.clone()
                            value=draft
                            id=value_id.clone()
                            described_by=error_id.clone()
                            invalid=Signal::derive(move || error.with(Option::is_some))
                            autofocus=true
                            on_submit=submit
                            on_cancel=cancel
                        />
                        <button type="button" class="button button--primary button--small" data-testid="attribute-add-save"
                            on:click=move |_| submit.run(())>
                            {card.save}
                        </button>
                    </div>
                </div>
            })
        }
    };
    let panel = move || {
        let error_id = error_id.clone();
        view! {
            <div class="add-attribute" role="group" aria-label=card.add_attribute>
                <div class="field">
                    <label class="field__label" for=select_id.clone()>{card.attribute}</label>
                    <select
                        id=select_id.clone()
                        class="select"
                        data-testid="attribute-add-select"
                        on:change=move |event| {
                            chosen.set(event_target_value(&event));
                            draft.set(String::new());
                            error.set(None);
                        }
                    >
                        <option value="" prop:selected=move || chosen.with(String::is_empty)>{card.choose}</option>
                        {options}
                        <option value=NEW_DEFINITION prop:selected=move || chosen.with(|c| c == NEW_DEFINITION)>
                            {card.new_attribute}
                        </option>
                    </select>
                </div>
                {value_editor.clone()}
                <Show when=move || chosen.with(|c| c == NEW_DEFINITION)>
                    <NewDefinitionForm on_created on_cancel=cancel />
                </Show>
                {move || error.get().map(|message| view! {
                    <p class="field-error" id=error_id.clone() role="alert" data-testid="field-error-new-attribute">{message}</p>
                })}
                <div class="add-attribute__actions">
                    <button type="button" class="button button--small" on:click=move |_| cancel.run(())>
                        {strings.cancel}
                    </button>
                </div>
            </div>
        }
    };

    view! {
        <Show
            when=move || open.get()
            fallback=move || view! {
                <button type="button" class="button button--small attribute-add-button" data-testid="attribute-add" on:click=move |_| open.set(true)>
                    {card.add_attribute}
                </button>
            }
        >
            {panel.clone()}
        </Show>
    }
}
