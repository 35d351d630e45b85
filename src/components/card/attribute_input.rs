use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::attribute_value::AttributeKind;
use crate::i18n::t;

/// The editor of one custom attribute value, by type: a text field (text, numbers, a
/// link), a date field, a list of choices, or a checkbox. It edits text (`"true"` or
/// `"false"` for a checkbox); checking it is the caller's. Enter submits, Escape cancels.
#[component]
pub fn AttributeInput(
    kind: AttributeKind,
    /// The choices of a list.
    #[prop(optional)]
    options: Vec<String>,
    value: RwSignal<String>,
    /// The `id` of the control, for its label.
    #[prop(into)]
    id: String,
    /// The ids of what describes it (its error).
    #[prop(optional, into)]
    described_by: Option<String>,
    #[prop(into)] invalid: Signal<bool>,
    /// Takes focus when shown.
    #[prop(optional)]
    autofocus: bool,
    #[prop(optional)] on_submit: Option<Callback<()>>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let strings = &t().card;
    let on_key = move |event: KeyboardEvent| match event.key().as_str() {
        "Enter" => {
            if let Some(submit) = on_submit {
                event.prevent_default();
                submit.run(());
            }
        }
        "Escape" => {
            if let Some(cancel) = on_cancel {
                event.prevent_default();
                cancel.run(());
            }
        }
        _ => {}
    };
    let aria_invalid = move || invalid.get().then_some("true");
    if autofocus {
        focus_when_shown(&id);
    }

    match kind {
        AttributeKind::List => {
            let choices = options
                .into_iter()
                .map(|option| {
                    let is_chosen = {
                        let option = option.clone();
                        move || value.with(|v| *v == option)
                    };
                    view! { <option value=option.clone() prop:selected=is_chosen>{option.clone()}</option> }
                })
                .collect_view();
            view! {
                <select
                    id=id
                    class="select"
                    data-testid="attribute-input"
                    aria-invalid=aria_invalid
                    aria-describedby=described_by
                    on:change=move |event| value.set(event_target_value(&event))
                    on:keydown=on_key
                >
                    <option value="" prop:selected=move || value.with(String::is_empty)>
                        {strings.choose}
                    </option>
                    {choices}
                </select>
            }
            .into_any()
        }
        AttributeKind::Checkbox => view! {
            <input
                id=id
                type="checkbox"
                class="checkbox"
                data-testid="attribute-input"
                aria-describedby=described_by
                prop:checked=move || value.with(|v| v == "true")
                on:change=move |event| {
                    value.set(event_target_checked(&event).to_string());
                }
                on:keydown=on_key
            />
        }
        .into_any(),
        _ => {
            let (input_type, input_mode) = match kind {
                AttributeKind::Date => ("date", None),
                AttributeKind::Link => ("url", None),
                AttributeKind::Number | AttributeKind::Currency | AttributeKind::Percent => {
                    ("text", Some("decimal"))
                }
                _ => ("text", None),
            };
            let unit = (kind == AttributeKind::Percent)
                .then(|| view! { <span class="input-unit" aria-hidden="true">"%"</span> });
            view! {
                <span class="input-with-unit">
                    <input
                        id=id
                        type=input_type
                        inputmode=input_mode
                        class="input"
                        autocomplete="off"
                        data-testid="attribute-input"
                        aria-invalid=aria_invalid
                        aria-describedby=described_by
                            prop:value=move || value.get()
                        on:input=move |event| value.set(event_target_value(&event))
                        on:keydown=on_key
                    />
                    {unit}
                </span>
            }
            .into_any()
        }
    }
}

/// Gives the element with `id` focus once it is in the page.
fn focus_when_shown(id: &str) {
    let id = id.to_owned();
    Effect::new(move |_| {
        if let Some(element) = document().get_element_by_id(&id) {
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    });
}
