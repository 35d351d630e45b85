use leptos::prelude::*;
use novatalks_model::filter::Conjunction;

use crate::i18n::t;

/// One condition in force, above the table: its sentence opens the builder on it, its ×
/// removes it. The AND / OR to the next condition follows it.
#[component]
pub fn FilterChip(
    /// "Last activity before 1 Nov".
    text: String,
    /// How it joins the next chip; `None` on the last.
    join: Option<Conjunction>,
    on_edit: Callback<()>,
    on_remove: Callback<()>,
) -> impl IntoView {
    let strings = t().filter;
    let edit_label = (strings.edit_chip)(&text);
    let remove_label = (strings.remove_chip)(&text);
    let join = join.map(|join| match join {
        Conjunction::And => strings.join_and,
        Conjunction::Or => strings.join_or,
    });
    view! {
        <li class="filter-chips__item">
            <span class="chip filter-chip">
                <button
                    type="button"
                    class="filter-chip__text"
                    data-testid="filter-chip"
                    aria-label=edit_label.clone()
                    title=edit_label
                    on:click=move |_| on_edit.run(())
                >
                    {text}
                </button>
                <button
                    type="button"
                    class="filter-chip__remove"
                    data-testid="filter-chip-remove"
                    aria-label=remove_label.clone()
                    title=remove_label
                    on:click=move |_| on_remove.run(())
                >
                    "×"
                </button>
            </span>
            {join.map(|word| view! { <span class="filter-chips__join">{word}</span> })}
        </li>
    }
}
