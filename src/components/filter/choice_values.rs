use leptos::prelude::*;
use serde_json::Value;

use crate::i18n::t;

/// Any of a set of choices (the account's labels, a list attribute's options): one
/// checkbox each, in a group named by `label`. A chosen value that is no longer among the
/// choices (a label since deleted) is still shown, so it can be unticked.
#[component]
pub fn ChoiceValues(
    /// The choices; they may arrive after the editor.
    #[prop(into)]
    choices: Signal<Vec<String>>,
    /// What is ticked at first.
    initial: Vec<String>,
    /// The group's accessible name.
    #[prop(into)]
    label: String,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] error_id: String,
    on_change: Callback<Vec<Value>>,
) -> impl IntoView {
    let strings = t().filter;
    let chosen = RwSignal::new(initial);
    let shown = Memo::new(move |_| {
        let mut all = choices.get();
        chosen.with(|chosen| {
            for title in chosen {
                if !all.contains(title) {
                    all.push(title.clone());
                }
            }
        });
        all
    });
    let toggle = move |value: String, on: bool| {
        chosen.update(|chosen| {
            chosen.retain(|c| c != &value);
            if on {
                chosen.push(value);
            }
        });
        // In the order the choices are listed, whatever order they were ticked in.
        let ordered: Vec<Value> = shown.with_untracked(|all| {
            chosen.with_untracked(|chosen| {
                all.iter()
                    .filter(|c| chosen.contains(c))
                    .cloned()
                    .map(Value::String)
                    .collect()
            })
        });
        on_change.run(ordered);
    };
    let choice = move |value: String| {
        let checked = {
            let value = value.clone();
            move || chosen.with(|c| c.contains(&value))
        };
        let data_value = value.clone();
        let text = value.clone();
        view! {
            <label class="filter-choice">
                <input
                    type="checkbox"
                    data-value=data_value
                    prop:checked=checked
                    on:change=move |ev| toggle(value.clone(), event_target_checked(&ev))
                />
                <span>{text}</span>
            </label>
        }
    };
    view! {
        <div
            class="filter-choices filter-value"
            role="group"
            data-testid="filter-value"
            aria-label=label
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=move || invalid.get().then(|| error_id.clone())
        >
            <Show
                when=move || !shown.with(Vec::is_empty)
                fallback=move || view! { <span class="filter-choices__none">{strings.no_account_labels}</span> }
            >
                <For each=move || shown.get() key=|value| value.clone() children=choice />
            </Show>
        </div>
    }
}
