use leptos::prelude::*;

use crate::i18n::t;
use crate::logic::label_colour::LabelColours;

/// The labels in force, above the table: one chip each, in the label's colour, with a ×
/// that removes it, and a button that removes them all. Nothing when none is in force.
#[component]
pub fn ActiveLabels(
    #[prop(into)] labels: Signal<Vec<String>>,
    #[prop(into)] colours: Signal<LabelColours>,
    /// Called with the title of the label to drop.
    on_remove: Callback<String>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let strings = t();
    let chip = move |title: String| {
        let colour = colours.with(|c| c.of(&title));
        let style =
            colour.map(|c| format!("--chip-bg:{};--chip-fg:{}", c.css(), c.readable_text()));
        let removed = title.clone();
        view! {
            <li
                class="chip active-label"
                class:chip--coloured=colour.is_some()
                style=style
                data-testid="active-label"
                data-label=title.clone()
            >
                <span>{title.clone()}</span>
                <button
                    type="button"
                    class="active-label__remove"
                    data-testid="remove-label"
                    aria-label=(strings.remove_label)(&title)
                    title=(strings.remove_label)(&title)
                    on:click=move |_| on_remove.run(removed.clone())
                >
                    "×"
                </button>
            </li>
        }
    };
    view! {
        <Show when=move || !labels.with(Vec::is_empty)>
            <div class="chip-bar active-labels">
                <span class="chip-bar__caption active-labels__caption" id="active-labels-caption">
                    {strings.active_labels}
                </span>
                <ul class="chip-bar__list active-labels__list" aria-labelledby="active-labels-caption">
                    {move || labels.get().into_iter().map(chip).collect_view()}
                </ul>
                <button
                    type="button"
                    class="button button--quiet active-labels__clear"
                    data-testid="clear-labels"
                    on:click=move |_| on_clear.run(())
                >
                    {strings.clear_labels}
                </button>
            </div>
        </Show>
    }
}
