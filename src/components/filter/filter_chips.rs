use leptos::prelude::*;
use novatalks_model::filter::FilterCondition;

use super::wording::describe;
use super::{agent_clock, Catalog, FilterChip};
use crate::components::common::element_id;
use crate::i18n::t;
use crate::logic::filter_url::join_of;

/// The filter in force, above the table: a chip per condition with the AND / OR between
/// them, and a button that clears them all. Whatever `children` holds (saving as a
/// segment) follows. Nothing when no filter is in force.
#[component]
pub fn FilterChips(
    #[prop(into)] filter: Signal<Vec<FilterCondition>>,
    #[prop(into)] catalog: Signal<Catalog>,
    /// Opens the builder on the condition at this position.
    on_edit: Callback<usize>,
    /// Removes the condition at this position.
    on_remove: Callback<usize>,
    on_clear: Callback<()>,
    #[prop(optional)] children: Option<ChildrenFn>,
) -> impl IntoView {
    let strings = t().filter;
    let caption_id = element_id("filter-chips-caption");
    let chips = move || {
        let clock = agent_clock();
        let conditions = filter.get();
        let last = conditions.len().saturating_sub(1);
        catalog.with(|catalog| {
            conditions
                .iter()
                .enumerate()
                .map(|(index, condition)| {
                    let text = describe(condition, catalog, &clock);
                    let join = (index < last).then(|| join_of(condition));
                    view! {
                        <FilterChip
                            text
                            join
                            on_edit=Callback::new(move |()| on_edit.run(index))
                            on_remove=Callback::new(move |()| on_remove.run(index))
                        />
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || !filter.with(Vec::is_empty)>
            <div class="chip-bar filter-chips" data-testid="filter-chips">
                <span class="chip-bar__caption filter-chips__caption" id=caption_id.clone()>
                    {strings.active_filters}
                </span>
                <ul class="chip-bar__list filter-chips__list" aria-labelledby=caption_id.clone()>
                    {chips}
                </ul>
                <button
                    type="button"
                    class="button button--quiet filter-chips__clear"
                    data-testid="filter-chips-clear"
                    on:click=move |_| on_clear.run(())
                >
                    {strings.clear_filters}
                </button>
                {children.clone().map(|children| children())}
            </div>
        </Show>
    }
}
