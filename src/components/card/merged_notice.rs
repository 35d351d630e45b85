use leptos::prelude::*;

use crate::i18n::t;

/// The contact asked for was merged into another one: which, with a link to it.
#[component]
pub fn MergedNotice(into: i64) -> impl IntoView {
    let strings = &t().card;
    view! {
        <div class="notice" role="status" data-testid="merged-notice">
            <p>{strings.merged_away}</p>
            <a href=format!("/contacts/{into}") data-testid="merged-link">{(strings.open_merged)(into)}</a>
        </div>
    }
}
