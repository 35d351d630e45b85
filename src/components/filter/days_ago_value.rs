use leptos::prelude::*;
use serde_json::Value;

use super::value_kind::days_values;
use super::ZoneNote;
use crate::i18n::t;

/// "N days ago": a whole number of days, sent with a time zone (days are counted back
/// from today there: the agent's, or the one a saved condition names, named beside it).
#[component]
pub fn DaysAgoValue(
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
                on:input=move |ev| on_change.run(days_values(&event_target_value(&ev), &zone))
            />
            <span class="filter-days__suffix" aria-hidden="true">
                {strings.days_ago_suffix}
            </span>
            <ZoneNote note=zone_note />
        </span>
    }
}
