use leptos::prelude::*;
use novatalks_model::Contact;

use super::MergeDialog;
use crate::i18n::t;
use crate::state::use_card_store;

/// The card's "Merge with…" button and the merge dialog it opens. `on_merged` hears the id
/// of the contact that remains once the server has merged.
#[component]
pub fn MergeButton(on_merged: Callback<i64>) -> impl IntoView {
    let strings = t();
    let store = use_card_store();
    let open = RwSignal::new(false);
    let on_cancel = Callback::new(move |()| open.set(false));
    let on_done = Callback::new(move |remaining: Contact| {
        open.set(false);
        on_merged.run(remaining.id);
    });
    view! {
        <button
            type="button"
            class="button button--small"
            data-testid="merge-open"
            aria-haspopup="dialog"
            on:click=move |_| open.set(true)
        >
            {strings.merge.merge_with}
        </button>
        <Show when=move || open.get()>
            <MergeDialog contact=store.contact().get_untracked() on_done on_cancel />
        </Show>
    }
}
