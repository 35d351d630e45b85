use leptos::prelude::*;
use novatalks_model::custom_attribute::is_web_link;
use novatalks_model::CustomAttributeDefinition;
use serde_json::Value;

use super::attribute_value::{
    display_text, editor_text, parse_value, undefined_attribute, AttributeKind,
};
use super::pattern::browser_matches;
use super::AttributeInput;
use crate::components::common::element_id;
use crate::i18n::t;
use crate::logic::contact_edit::Edit;
use crate::state::use_card_store;

/// One custom attribute of the contact: its name and value (a link opens in a new tab),
/// edited in place with the editor of its type and checked against its definition before
/// anything is sent, and removable.
#[component]
pub fn AttributeRow(
    /// The attribute's key.
    #[prop(into)]
    key: String,
    /// The account's definitions (an attribute without one is edited as its value's type).
    #[prop(into)]
    definitions: Signal<Vec<CustomAttributeDefinition>>,
    /// Remove was pressed.
    on_remove: Callback<String>,
) -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let store = use_card_store();
    let value = Memo::new({
        let key = key.clone();
        move |_| {
            store.contact().with(|c| {
                c.custom_attributes
                    .get(&key)
                    .cloned()
                    .unwrap_or(Value::Null)
            })
        }
    });
    let definition = Memo::new({
        let key = key.clone();
        move |_| {
            definitions
                .with(|all| all.iter().find(|d| d.attribute_key == key).cloned())
                .unwrap_or_else(|| value.with(|v| undefined_attribute(&key, v)))
        }
    });
    let kind = Memo::new(move |_| definition.with(|d| d.kind()));
    let name = Memo::new(move |_| definition.with(|d| d.attribute_display_name.clone()));

    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let input_id = element_id("attribute");
    let error_id = element_id("attribute-error");

    let save = Action::new_local({
        let key = key.clone();
        move |(text, value): &(String, Value)| {
            let text = text.clone();
            let request = store.save(Edit::Custom(key.clone(), value.clone()));
            async move {
                let why = match request.await {
                    Ok(Ok(_)) => return,
                    Ok(Err(rejection)) => rejection
                        .message_for("custom_attributes")
                        .unwrap_or(rejection.message),
                    Err(error) => (card.save_failed)(&strings.describe_error(&error)),
                };
                draft.try_set(text);
                error.try_set(Some(why));
                editing.try_set(true);
            }
        }
    });

    let open = move || {
        draft.set(value.with_untracked(editor_text));
        error.set(None);
        editing.set(true);
    };
    let cancel = Callback::new(move |()| {
        editing.set(false);
        error.set(None);
    });
    let submit = Callback::new(move |()| {
        let text = draft.get_untracked();
        let parsed = definition.with_untracked(|d| parse_value(d, &text, &browser_matches));
        match parsed {
            Err(problem) => error.set(Some(problem.message(&name.get_untracked()))),
            Ok(parsed) => {
                editing.set(false);
                error.set(None);
                if value.with_untracked(|v| *v != parsed) {
                    save.dispatch_local((text, parsed));
                }
            }
        }
    });

    let shown_value = move || {
        let (kind, value) = (kind.get(), value.get());
        match value.as_str().filter(|link| kind == AttributeKind::Link && is_web_link(link)) {
            Some(link) => view! {
                <a href=link.to_owned() target="_blank" rel="noopener noreferrer">{link.to_owned()}</a>
            }
            .into_any(),
            None => display_text(kind, &value).into_any(),
        }
    };
    let display = {
        let key = key.clone();
        move || {
            let key = key.clone();
            view! {
                <span class="detail__text" data-testid="attribute-value">{shown_value}</span>
                <button
                    type="button"
                    class="icon-button"
                    data-testid="attribute-edit"
                    aria-label=move || (card.edit_field)(&name.get())
                    on:click=move |_| open()
                >
                    "✎"
                </button>
                <button
                    type="button"
                    class="icon-button icon-button--danger"
                    data-testid="attribute-remove"
                    aria-label=move || (card.remove_attribute)(&name.get())
                    on:click=move |_| on_remove.run(key.clone())
                >
                    "×"
                </button>
            }
        }
    };
    let editor = {
        let input_id = input_id.clone();
        let error_id = error_id.clone();
        move || {
            let options = definition.with_untracked(|d| d.attribute_values.clone());
            view! {
                <div class="detail__editor">
                    <AttributeInput
                        kind=kind.get_untracked()
                        options
                        value=draft
                        id=input_id.clone()
                        described_by=error_id.clone()
                        invalid=Signal::derive(move || error.with(Option::is_some))
                        autofocus=true
                        on_submit=submit
                        on_cancel=cancel
                    />
                    <button type="button" class="button button--primary button--small" data-testid="attribute-save"
                        on:click=move |_| submit.run(())>
                        {card.save}
                    </button>
                    <button type="button" class="button button--small" on:click=move |_| cancel.run(())>
                        {strings.cancel}
                    </button>
                </div>
            }
        }
    };

    let row_test_id = format!("attribute-row-{key}");
    let error_test_id = format!("field-error-{key}");
    view! {
        <div class="detail" data-testid=row_test_id>
            <label class="detail__label" for=input_id.clone()>{move || name.get()}</label>
            <div class="detail__body">
                <Show when=move || editing.get() fallback=display>
                    {editor.clone()}
                </Show>
                {move || error.get().map(|message| view! {
                    <p class="field-error" id=error_id.clone() role="alert" data-testid=error_test_id.clone()>
                        {message}
                    </p>
                })}
            </div>
        </div>
    }
}
