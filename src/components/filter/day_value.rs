use leptos::prelude::*;
use serde_json::Value;

use super::value_kind::day_values;
use super::ZoneNote;

/// A day: the browser's date picker. The day is sent with a time zone (`zone`: the
/// agent's, or the one a saved condition names), so that "before 1 Nov" means before
/// 1 Nov began there, whatever the clocks did in between. A zone other than the agent's
/// is named beside the day.
#[component]
pub fn DayValue(
    /// `YYYY-MM-DD`, or empty.
    initial: String,
    /// `values[1]` of what is sent: an IANA zone name or a UTC offset in minutes.
    zone: Value,
    /// The condition's zone in words while it is not the agent's.
    #[prop(into)]
    zone_note: Signal<Option<String>>,
    #[prop(into)] label: String,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] error_id: String,
    on_change: Callback<Vec<Value>>,
) -> impl IntoView {
    view! {
        <span class="filter-days">
            <input
                class="input filter-value filter-value--day"
                type="date"
                data-testid="filter-value"
                aria-label=label
                aria-invalid=move || invalid.get().to_string()
                aria-describedby=move || invalid.get().then(|| error_id.clone())
                value=initial
                on:input=move |ev| on_change.run(day_values(&event_target_value(&ev), &zone))
            />
            <ZoneNote note=zone_note />
        </span>
    }
}
