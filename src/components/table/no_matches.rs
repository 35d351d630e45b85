use leptos::prelude::*;

use crate::i18n::t;
use crate::logic::list_query::ListQuery;

/// What an empty list says: that the account has no contacts yet, or what was searched
/// for and found nothing, with a way back to every contact.
#[component]
pub fn NoMatches(
    /// The query whose answer was empty.
    query: ListQuery,
    /// Clears the search and the labels.
    on_clear: Callback<()>,
) -> impl IntoView {
    let strings = t();
    if !query.is_narrowed() {
        return view! {
            <p class="empty-state" data-testid="contacts-empty">
                {strings.no_contacts}
            </p>
        }
        .into_any();
    }
    let message = match query.search_text() {
        Some(q) => (strings.no_search_matches)(q),
        None => (strings.no_label_matches)(&query.labels.join(", ")),
    };
    view! {
        <div class="empty-state" role="status" data-testid="contacts-empty">
            <p class="empty-state__message">{message}</p>
            <button
                type="button"
                class="button"
                data-testid="clear-search-and-filters"
                on:click=move |_| on_clear.run(())
            >
                {strings.clear_search_and_filters}
            </button>
        </div>
    }
    .into_any()
}
