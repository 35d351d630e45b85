use leptos::prelude::*;
use serde_json::Value;

use crate::i18n::t;

/// True or false (blocked, a checkbox attribute).
#[component]
pub fn BooleanValue(
    initial: bool,
    #[prop(into)] label: String,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] error_id: String,
    on_change: Callback<Vec<Value>>,
) -> impl IntoView {
    let strings = t().filter;
    view! {
        <select
            class="input filter-value"
            data-testid="filter-value"
            aria-label=label
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=move || invalid.get().then(|| error_id.clone())
            on:change=move |ev| on_change.run(vec![Value::Bool(event_target_value(&ev) == "true")])
        >
            <option value="true" selected=initial>
                {strings.value_true}
            </option>
            <option value="false" selected=!initial>
                {strings.value_false}
            </option>
        </select>
    }
}
