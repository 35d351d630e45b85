use leptos::prelude::*;
use serde_json::Value;

use super::utc_offset_minutes;
use super::value_kind::days_values;
use crate::i18n::t;

/// "N days ago": a whole number of days, sent with the agent's UTC offset (days are
/// counted back from the agent's today).
#[component]
pub fn DaysAgoValue(
    initial: String,
    #[prop(into)] label: String,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] error_id: String,
    on_change: Callback<Vec<Value>>,
) -> impl IntoView {
    let strings = t().filter;
    view! {
        <span class="filter-days">
            <input
                class="input filter-value filter-value--number"
                type="number"
                min="0"
                step="1"
                inputmode="numeric"
                data-testid="filter-value"
                aria-label=label
                aria-invalid=move || invalid.get().to_string()
                aria-describedby=move || invalid.get().then(|| error_id.clone())
                value=initial
                on:input=move |ev| {
                    on_change.run(days_values(&event_target_value(&ev), utc_offset_minutes()))
                }
            />
            <span class="filter-days__suffix" aria-hidden="true">
                {strings.days_ago_suffix}
            </span>
        </span>
    }
}
