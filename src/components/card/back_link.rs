use leptos::prelude::*;

use crate::i18n::t;
use crate::logic::trail::LIST_PATH;
use crate::state::use_trail;

/// "Back to contacts": to the list as the agent left it. When the list is the page just
/// before, this is the browser's Back (the list then restores its scroll position);
/// otherwise a link to the list with the search, labels and order last seen. (Events are
/// not delegated in this app: this handler runs before the router's, which leaves a
/// click whose default was prevented alone.)
#[component]
pub fn BackLink() -> impl IntoView {
    let strings = &t().card;
    let trail = use_trail();
    let href = trail.map_or_else(|| LIST_PATH.to_owned(), |trail| trail.list_url());
    let on_click = move |event: leptos::ev::MouseEvent| {
        let plain_click = event.button() == 0
            && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key());
        if plain_click && trail.is_some_and(|trail| trail.came_from_list()) {
            if let Ok(history) = window().history() {
                event.prevent_default();
                let _ = history.back();
            }
        }
    };
    view! {
        <a class="back-link" href=href data-testid="back-to-contacts" on:click=on_click>
            <span aria-hidden="true">"← "</span>
            {strings.back_to_contacts}
        </a>
    }
}
