use leptos::prelude::*;
use novatalks_model::filter::{Conjunction, FilterCondition};

use super::wording::describe;
use super::{agent_clock, Catalog};
use crate::i18n::t;
use crate::logic::filter_url::join_of;

/// The empty answer of a filtered list: which conditions (and search, and labels) are in
/// force, and a button that clears them.
#[component]
pub fn FilterEmpty(
    filter: Vec<FilterCondition>,
    /// The search text in force, trimmed; empty when none.
    #[prop(into)]
    search: String,
    /// The labels quick filter in force.
    labels: Vec<String>,
    #[prop(into)] catalog: Signal<Catalog>,
    /// Clears the filter, the search and the labels (the order stays).
    on_clear: Callback<()>,
) -> impl IntoView {
    let strings = t().filter;
    let clock = agent_clock();
    let last = filter.len().saturating_sub(1);
    let conditions = move || {
        catalog.with(|catalog| {
            filter
                .iter()
                .enumerate()
                .map(|(index, condition)| {
                    let join = (index < last).then(|| match join_of(condition) {
                        Conjunction::And => strings.join_and,
                        Conjunction::Or => strings.join_or,
                    });
                    view! {
                        <li data-testid="filter-empty-condition">
                            {describe(condition, catalog, &clock)}
                            {join.map(|j| view! { <span class="filter-chips__join">{j}</span> })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let search =
        (!search.is_empty()).then(|| view! { <li>{(strings.search_in_force)(&search)}</li> });
    let labels = (!labels.is_empty())
        .then(|| view! { <li>{(strings.labels_in_force)(&labels.join(", "))}</li> });
    view! {
        <div class="empty-state filter-empty" role="status" data-testid="contacts-empty">
            <p class="empty-state__message">{strings.no_filter_matches}</p>
            <ul class="filter-empty__list">{conditions} {search} {labels}</ul>
            <button
                type="button"
                class="button"
                data-testid="filter-empty-clear"
                on:click=move |_| on_clear.run(())
            >
                {strings.clear_everything}
            </button>
        </div>
    }
}
