use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::logic::selection::LoadedRow;
use crate::state::ListSelection;

/// A row's checkbox. A click ticks or unticks the row; Shift-click asks for the range
/// from the last row toggled. The box always shows what the selection decided, not what
/// the click alone would have made of it.
#[component]
pub fn RowCheckbox(
    list: ListSelection,
    /// The row it ticks.
    row: LoadedRow,
    /// "Select Olena Kovalenko".
    label: String,
) -> impl IntoView {
    let id = row.id;
    view! {
        <input
            type="checkbox"
            class="select-box"
            data-testid="row-select"
            aria-label=label
            prop:checked=move || list.contains(id)
            on:click=move |event| {
                list.toggle(row.clone(), event.shift_key());
                if let Some(input) = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    input.set_checked(list.contains(id));
                }
            }
        />
    }
}
