use leptos::prelude::*;
use serde_json::Value;

use super::value_kind::typed_number;

/// A number value: a number box, whole numbers only for the contact id.
#[component]
pub fn NumberValue(
    initial: String,
    /// Whole numbers only (`step=1`).
    #[prop(default = false)]
    whole: bool,
    #[prop(into)] label: String,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] error_id: String,
    on_change: Callback<Vec<Value>>,
) -> impl IntoView {
    view! {
        <input
            class="input filter-value filter-value--number"
            type="number"
            step=if whole { "1" } else { "any" }
            inputmode=if whole { "numeric" } else { "decimal" }
            data-testid="filter-value"
            aria-label=label
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=move || invalid.get().then(|| error_id.clone())
            value=initial
            on:input=move |ev| on_change.run(typed_number(&event_target_value(&ev)))
        />
    }
}
