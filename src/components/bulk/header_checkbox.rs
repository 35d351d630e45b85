use leptos::prelude::*;

use crate::i18n::t;
use crate::logic::selection::HeaderState;

/// The header's checkbox: ticks every loaded row, or unticks them when all are ticked;
/// half-ticked (indeterminate) when some are.
#[component]
pub fn HeaderCheckbox(
    #[prop(into)] state: Signal<HeaderState>,
    on_toggle: Callback<()>,
) -> impl IntoView {
    let strings = t();
    view! {
        <input
            type="checkbox"
            class="select-box"
            data-testid="select-loaded"
            aria-label=strings.bulk.select_loaded
            prop:checked=move || state.get() == HeaderState::All
            prop:indeterminate=move || state.get() == HeaderState::Some
            on:click=move |_| on_toggle.run(())
        />
    }
}
