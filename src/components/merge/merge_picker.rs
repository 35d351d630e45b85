use std::time::Duration;

use leptos::prelude::*;
use novatalks_model::Contact;

use super::MergeCandidate;
use crate::api::merge;
use crate::components::common::element_id;
use crate::i18n::t;
use crate::state::{use_api, Debounce};

/// How long typing must pause before the picker searches.
pub const PICKER_DEBOUNCE: Duration = Duration::from_millis(250);

/// Chooses the contact to merge with: the likely duplicates of `contact` first (a shared
/// phone number in any format, the same email, a similar name), then a search by name,
/// email or phone. The contact itself is never offered.
#[component]
pub fn MergePicker(
    contact: Contact,
    on_pick: Callback<Contact>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let strings = t();
    let m = strings.merge;
    let api = use_api();
    let id = contact.id;
    let duplicates_id = element_id("merge-duplicates");
    let results_id = element_id("merge-results");
    let input_id = element_id("merge-search");

    let me = StoredValue::new(contact);
    let duplicates = LocalResource::new(move || {
        let contact = me.get_value();
        let client = api.client();
        async move { merge::duplicates(&client, &contact).await }
    });

    // Typing can start at once, when the dialog opens and when Back returns here.
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });

    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let debounce = Debounce::new(PICKER_DEBOUNCE);
    let on_input = move |event: leptos::ev::Event| {
        typed.set(event_target_value(&event));
        debounce.schedule(move || {
            if let Some(text) = typed.try_get_untracked() {
                query.try_set(text.trim().to_owned());
            }
        });
    };
    // A newer search replaces an older one still on its way: the resource keeps only the
    // answer to the query in force.
    let results = LocalResource::new(move || {
        let q = query.get();
        let client = api.client();
        async move {
            if q.is_empty() {
                Ok(Vec::new())
            } else {
                merge::search(&client, &q, id).await
            }
        }
    });

    let duplicate_list = move || {
        match duplicates.get() {
        None => view! { <p class="muted" role="status">{m.looking_for_duplicates}</p> }.into_any(),
        Some(Err(why)) => view! {
            <p class="form-error" role="alert">{(m.duplicates_failed)(&strings.describe_error(&why))}</p>
        }
        .into_any(),
        Some(Ok(found)) if found.is_empty() => {
            view! { <p class="muted" data-testid="merge-no-duplicates">{m.no_duplicates}</p> }.into_any()
        }
        Some(Ok(found)) => view! {
            <ul class="merge-candidates" data-testid="merge-duplicates">
                {found
                    .into_iter()
                    .map(|(candidate, reason)| view! { <MergeCandidate candidate reason on_pick /> })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    let result_list = move || {
        let q = query.get();
        if q.is_empty() {
            return None;
        }
        Some(match results.get() {
            None => view! { <p class="muted" role="status">{m.searching}</p> }.into_any(),
            Some(Err(why)) => view! {
                <p class="form-error" role="alert">{(m.search_failed)(&strings.describe_error(&why))}</p>
            }
            .into_any(),
            Some(Ok(found)) if found.is_empty() => {
                view! { <p class="muted" data-testid="merge-no-matches">{(m.no_matches)(&q)}</p> }.into_any()
            }
            Some(Ok(found)) => view! {
                <ul class="merge-candidates" data-testid="merge-results">
                    {found
                        .into_iter()
                        .map(|candidate| view! { <MergeCandidate candidate on_pick /> })
                        .collect_view()}
                </ul>
            }
            .into_any(),
        })
    };

    view! {
        <div class="merge-picker" data-testid="merge-picker">
            <p class="modal__intro">{m.picker_intro}</p>
            <section class="merge-picker__section" aria-labelledby=duplicates_id.clone()>
                <h3 class="merge-picker__heading" id=duplicates_id.clone()>{m.duplicates_heading}</h3>
                {duplicate_list}
            </section>
            <div class="field merge-picker__search">
                <label class="field__label" for=input_id.clone()>{m.search_label}</label>
                <input
                    id=input_id.clone()
                    type="search"
                    class="merge-picker__input"
                    placeholder=m.search_placeholder
                    autocomplete="off"
                    data-testid="merge-search"
                    data-autofocus
                    node_ref=input
                    prop:value=move || typed.get()
                    on:input=on_input
                />
            </div>
            <section class="merge-picker__section" aria-labelledby=results_id.clone() aria-live="polite">
                <h3 class="visually-hidden" id=results_id.clone()>{m.search_results_heading}</h3>
                {result_list}
            </section>
            <div class="modal__actions">
                <button type="button" class="button" data-testid="merge-cancel" on:click=move |_| on_cancel.run(())>
                    {strings.cancel}
                </button>
            </div>
        </div>
    }
}
