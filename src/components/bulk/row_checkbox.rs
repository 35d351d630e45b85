use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A row's checkbox. A click ticks or unticks the row; Shift-click (`on_toggle(true)`)
/// asks for the range from the last row toggled. The box always shows what the
/// selection decided, not what the click alone would have made of it.
#[component]
pub fn RowCheckbox(
    #[prop(into)] checked: Signal<bool>,
    /// "Select Olena Kovalenko".
    #[prop(into)]
    label: String,
    /// With Shift held or not.
    on_toggle: Callback<bool>,
) -> impl IntoView {
    view! {
        <input
            type="checkbox"
            class="select-box"
            data-testid="row-select"
            aria-label=label
            prop:checked=move || checked.get()
            on:click=move |event| {
                on_toggle.run(event.shift_key());
                if let Some(input) = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    input.set_checked(checked.get_untracked());
                }
            }
        />
    }
}
