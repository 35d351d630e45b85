use leptos::prelude::*;

use crate::i18n::t;
use crate::logic::selection::HeaderState;
use crate::state::ListSelection;

/// The header's checkbox: ticks every loaded row, or unticks them when all are ticked;
/// half-ticked (indeterminate) when some are.
#[component]
pub fn HeaderCheckbox(list: ListSelection) -> impl IntoView {
    let strings = t();
    view! {
        <input
            type="checkbox"
            class="select-box"
            data-testid="select-loaded"
            aria-label=strings.bulk.select_loaded
            prop:checked=move || list.header_state() == HeaderState::All
            prop:indeterminate=move || list.header_state() == HeaderState::Some
            on:click=move |_| list.toggle_loaded()
        />
    }
}
