use leptos::prelude::*;
use novatalks_model::import::OnMatch;

use crate::i18n::t;
use crate::state::Imports;

/// What a row matching an existing contact does: update it (Chatwoot's way) or skip it.
#[component]
pub fn MatchChoice(imports: Imports) -> impl IntoView {
    let strings = t().import;
    let option = move |value: OnMatch, words: &'static str, testid: &'static str| {
        view! {
            <label class="import-match__option">
                <input
                    type="radio"
                    name="import-on-match"
                    data-testid=testid
                    prop:checked=move || imports.on_match.get() == value
                    on:change=move |_| imports.set_on_match(value)
                />
                " "
                {words}
            </label>
        }
    };
    view! {
        <fieldset class="import-match">
            <legend>{strings.on_match_legend}</legend>
            {option(OnMatch::Update, strings.on_match_update, "import-on-match-update")}
            {option(OnMatch::Skip, strings.on_match_skip, "import-on-match-skip")}
        </fieldset>
    }
}
