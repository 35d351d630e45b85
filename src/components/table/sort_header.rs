use leptos::prelude::*;
use novatalks_model::{SortDirection, SortField, SortKey};

use crate::logic::sort_order::next_sort;

/// A column header that sorts the list by its column. The sorted column says so to
/// screen readers (`aria-sort`) and shows an arrow: up ascending, down descending.
#[component]
pub fn SortHeader(
    /// The column's name.
    label: &'static str,
    field: SortField,
    /// The list's order now.
    #[prop(into)]
    sort: Signal<SortKey>,
    /// Called with the order asked for.
    on_sort: Callback<SortKey>,
) -> impl IntoView {
    let direction = move || {
        let sort = sort.get();
        (sort.field == field).then_some(sort.direction)
    };
    let aria_sort = move || {
        direction().map(|d| match d {
            SortDirection::Asc => "ascending",
            SortDirection::Desc => "descending",
        })
    };
    let arrow = move || match direction() {
        Some(SortDirection::Asc) => "↑",
        Some(SortDirection::Desc) => "↓",
        None => "",
    };
    view! {
        <th scope="col" class="sortable" aria-sort=aria_sort data-sort-field=field.key()>
            <button
                type="button"
                class="sort-button"
                on:click=move |_| on_sort.run(next_sort(sort.get_untracked(), field))
            >
                <span class="sort-button__label">{label}</span>
                <span class="sort-arrow" aria-hidden="true">
                    {arrow}
                </span>
            </button>
        </th>
    }
}
