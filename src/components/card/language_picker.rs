use leptos::prelude::*;

use crate::i18n::languages::{language_name, languages_by_name};
use crate::i18n::t;

/// A choice of language by name, kept as its ISO 639-1 code; "Not set" is `None`. A code
/// that is not in the list (set by some bot) stays choosable as it is.
#[component]
pub fn LanguagePicker(
    /// The chosen code.
    #[prop(into)]
    value: Signal<Option<String>>,
    on_change: Callback<Option<String>>,
    /// The `id` of the `<select>`, for its label.
    #[prop(into)]
    id: String,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let strings = &t().card;
    // The code, lower-case; "" when none is chosen.
    let chosen = Memo::new(move |_| {
        value
            .get()
            .map(|c| c.to_ascii_lowercase())
            .unwrap_or_default()
    });
    // Each option says whether it is the chosen one: a `<select>`'s own value cannot be
    // set before its options exist.
    let unknown = move || {
        let code = chosen.get();
        (!code.is_empty() && language_name(&code).is_none())
            .then(|| view! { <option value=code.clone() selected>{code.clone()}</option> })
    };
    let options = languages_by_name()
        .into_iter()
        .map(|(code, name)| {
            view! { <option value=code prop:selected=move || chosen.with(|c| c == code)>{name}</option> }
        })
        .collect_view();
    view! {
        <select
            id=id
            class="select"
            data-testid="language-picker"
            disabled=move || disabled.get()
            on:change=move |event| {
                let code = event_target_value(&event);
                on_change.run(Some(code).filter(|c| !c.is_empty()));
            }
        >
            <option value="" prop:selected=move || chosen.with(String::is_empty)>
                {strings.language_not_set}
            </option>
            {unknown}
            {options}
        </select>
    }
}
