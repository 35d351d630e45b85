use leptos::prelude::*;

use crate::i18n::t;

/// "Filter": opens the builder (and closes it again); says how many conditions are in force.
#[component]
pub fn FilterButton(
    /// Conditions in force.
    #[prop(into)]
    count: Signal<usize>,
    /// Whether the builder is open.
    #[prop(into)]
    expanded: Signal<bool>,
    on_click: Callback<()>,
) -> impl IntoView {
    let strings = t().filter;
    let text = move || match count.get() {
        0 => strings.open_filter.to_owned(),
        n => (strings.open_filter_count)(n),
    };
    view! {
        <button
            type="button"
            class="button filter-button"
            class:filter-button--active={move || count.get() > 0}
            data-testid="filter-open"
            aria-expanded=move || expanded.get().to_string()
            aria-haspopup="dialog"
            on:click=move |_| on_click.run(())
        >
            <span class="filter-button__icon" aria-hidden="true">"⚲"</span>
            {text}
        </button>
    }
}
