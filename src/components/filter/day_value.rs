use leptos::prelude::*;
use serde_json::Value;

use super::utc_offset_minutes;
use super::value_kind::day_values;

/// A day: the browser's date picker. The day is sent with the agent's UTC offset, so that
/// "before 1 Nov" means before 1 Nov began where the agent is.
#[component]
pub fn DayValue(
    /// `YYYY-MM-DD`, or empty.
    initial: String,
    #[prop(into)] label: String,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] error_id: String,
    on_change: Callback<Vec<Value>>,
) -> impl IntoView {
    view! {
        <input
            class="input filter-value filter-value--day"
            type="date"
            data-testid="filter-value"
            aria-label=label
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=move || invalid.get().then(|| error_id.clone())
            value=initial
            on:input=move |ev| {
                on_change.run(day_values(&event_target_value(&ev), utc_offset_minutes()))
            }
        />
    }
}
