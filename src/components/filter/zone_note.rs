use leptos::prelude::*;

/// Beside a day or a number of days: the condition's time zone in words, while it is not
/// the agent's ("Europe/Kyiv", "UTC+03:00"). Nothing otherwise.
#[component]
pub fn ZoneNote(#[prop(into)] note: Signal<Option<String>>) -> impl IntoView {
    move || {
        note.get().map(|note| {
            view! {
                <span class="filter-days__suffix" data-testid="filter-value-zone">
                    {note}
                </span>
            }
        })
    }
}
