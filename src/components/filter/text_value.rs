use leptos::prelude::*;
use serde_json::Value;

/// A text value: one box (`type` text, or tel for phone numbers). Sends what is typed, as
/// typed: trimming and "needs a value" are the validation's.
#[component]
pub fn TextValue(
    /// What the box starts with.
    initial: String,
    /// `text` or `tel`.
    #[prop(default = "text")]
    input_type: &'static str,
    /// The accessible name.
    #[prop(into)]
    label: String,
    /// Whether the row's condition is refused.
    #[prop(into)]
    invalid: Signal<bool>,
    /// The id of the row's error, for `aria-describedby` while refused.
    #[prop(into)]
    error_id: String,
    on_change: Callback<Vec<Value>>,
) -> impl IntoView {
    view! {
        <input
            class="input filter-value"
            type=input_type
            data-testid="filter-value"
            aria-label=label
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=move || invalid.get().then(|| error_id.clone())
            value=initial
            on:input=move |ev| on_change.run(vec![Value::String(event_target_value(&ev))])
        />
    }
}
