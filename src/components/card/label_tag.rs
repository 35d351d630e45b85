use leptos::prelude::*;

use crate::i18n::t;
use crate::logic::label_colour::HexColour;

/// One label of the contact as a chip in its colour (a neutral `chip--free` without
/// one), with a button that removes it.
#[component]
pub fn LabelTag(
    #[prop(into)] title: String,
    #[prop(into)] colour: Signal<Option<HexColour>>,
    on_remove: Callback<String>,
) -> impl IntoView {
    let strings = &t().card;
    let style = move || {
        colour
            .get()
            .map(|c| format!("--chip-bg:{};--chip-fg:{}", c.css(), c.readable_text()))
    };
    let remove_label = (strings.remove_label)(&title);
    view! {
        <li class="chip chip--removable" class:chip--coloured=move || colour.get().is_some() class:chip--free=move || colour.get().is_none() style=style data-testid="label-chip">
            <span class="chip__title">{title.clone()}</span>
            <button
                type="button"
                class="chip__remove"
                data-testid="label-remove"
                aria-label=remove_label
                on:click=move |_| on_remove.run(title.clone())
            >
                "×"
            </button>
        </li>
    }
}
