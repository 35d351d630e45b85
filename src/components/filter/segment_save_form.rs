use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use novatalks_model::filter::{segment_name, CustomFilter, FilterCondition};

use crate::api::custom_filters;
use crate::components::common::element_id;
use crate::i18n::t;
use crate::state::use_api;

/// The form of "Save as segment": asks for a name, then saves the filter in force under
/// it. A blank or too long name is refused before sending (with the model's rule the server
/// applies), and what the server refuses is said under the box. Made afresh each time it
/// opens, in a part of its own ([`crate::split::segment_save_form`]).
#[component]
pub fn SegmentSaveForm(
    /// The conditions to save.
    #[prop(into)]
    filter: Signal<Vec<FilterCondition>>,
    /// The segment as saved.
    on_saved: Callback<CustomFilter>,
    /// Saved or given up: the form closes.
    on_close: Callback<()>,
) -> impl IntoView {
    let strings = t().filter;
    let api = use_api();
    let input_id = StoredValue::new(element_id("segment-name"));
    let error_id = StoredValue::new(element_id("segment-name-error"));
    let input: NodeRef<html::Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let save = Action::new_local(move |(name, conditions): &(String, Vec<FilterCondition>)| {
        let (name, conditions) = (name.clone(), conditions.clone());
        let client = api.client();
        async move { custom_filters::create(&client, &name, &conditions).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(segment)) => {
            on_saved.run(segment);
            on_close.run(());
        }
        Some(Err(why)) => error.set(Some((strings.segment_save_failed)(
            &t().describe_error(&why),
        ))),
        None => {}
    });
    let pending = save.pending();

    let submit = move || match segment_name(&name.get_untracked()) {
        Ok(valid) => {
            error.set(None);
            save.dispatch((valid, filter.get_untracked()));
        }
        Err(message) => error.set(Some(message)),
    };
    let cancel = move || on_close.run(());

    view! {
        <form
            class="segment-save__form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
            on:keydown=move |ev: KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    cancel();
                }
            }
        >
            <label class="visually-hidden" for=input_id.get_value()>
                {strings.segment_name}
            </label>
            <input
                id=input_id.get_value()
                node_ref=input
                class="input segment-save__name"
                type="text"
                maxlength="100"
                data-testid="segment-name"
                placeholder=strings.segment_name
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=move || error.with(Option::is_some).then(|| error_id.get_value())
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            <button
                type="submit"
                class="button button--primary"
                data-testid="segment-save-submit"
                disabled=move || pending.get()
            >
                {move || if pending.get() { strings.saving } else { strings.save }}
            </button>
            <button type="button" class="button button--quiet" on:click=move |_| cancel()>
                {strings.cancel}
            </button>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p
                                class="segment-save__error"
                                id=error_id.get_value()
                                role="alert"
                                data-testid="segment-save-error"
                            >
                                {message}
                            </p>
                        }
                    })
            }}
        </form>
    }
}
