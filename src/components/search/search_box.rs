use std::time::Duration;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::t;
use crate::state::Debounce;

/// How long typing must pause before the list follows it: longer than the gap between a
/// fluent typist's keys (so a word is one request), short enough that the rows follow a
/// pause within the 300 ms an agent reads as "at once" (measured by `cargo xtask bench`).
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(120);

/// A search this long or longer, typed after a pause, is sent at once, without waiting
/// for [`SEARCH_DEBOUNCE`]: a refinement of what is on screen ("olen" → "olena"). A
/// shorter one (the first letter of a new word) waits, so it never costs the server a
/// search of half the contacts that the next key makes stale.
pub const SEARCH_AT_ONCE_CHARS: usize = 3;

/// The contact search. The list follows what is typed once typing pauses
/// ([`SEARCH_DEBOUNCE`]), or at once for a key after a pause ([`SEARCH_AT_ONCE_CHARS`]); Escape (or the × button) clears it at once; `/` anywhere on the
/// page, outside another field, puts the cursor in it.
#[component]
pub fn SearchBox(
    /// The search in force. The box shows it whenever it changes from elsewhere (back and
    /// forward, "clear search and filters").
    #[prop(into)]
    value: Signal<String>,
    /// Called with the text once typing pauses, and with `""` at once when cleared.
    on_search: Callback<String>,
) -> impl IntoView {
    let strings = t();
    let text = RwSignal::new(value.get_untracked());
    let input: NodeRef<html::Input> = NodeRef::new();
    let debounce = Debounce::new(SEARCH_DEBOUNCE);

    // The box follows the search in force when something else changed it; its own
    // searches come back equal to what is typed and change nothing.
    Effect::new(move |_| {
        let value = value.get();
        if text.get_untracked() != value {
            debounce.cancel();
            text.set(value);
        }
    });

    let on_input = move |event: ev::Event| {
        let typed = event_target_value(&event);
        let at_once = typed.trim().chars().count() >= SEARCH_AT_ONCE_CHARS;
        text.set(typed);
        let search = move || {
            if let Some(q) = text.try_get_untracked() {
                on_search.try_run(q);
            }
        };
        if at_once {
            debounce.run_now_or_schedule(search);
        } else {
            debounce.schedule(search);
        }
    };
    let clear = move || {
        debounce.cancel();
        text.set(String::new());
        on_search.run(String::new());
    };
    let on_keydown = move |event: ev::KeyboardEvent| {
        if event.key() == "Escape" && !text.with_untracked(String::is_empty) {
            event.prevent_default();
            clear();
        }
    };

    let shortcut = window_event_listener(ev::keydown, move |event| {
        let plain = !(event.ctrl_key() || event.meta_key() || event.alt_key());
        if event.key() == "/" && plain && !event.default_prevented() && !typing_elsewhere(&event) {
            // A box no longer in the page (its listener outlived it) leaves the key alone.
            if let Some(input) = input
                .try_get_untracked()
                .flatten()
                .filter(|i| i.is_connected())
            {
                event.prevent_default();
                let _ = input.focus();
                input.select();
            }
        }
    });
    on_cleanup(move || shortcut.remove());

    view! {
        <div class="search-box" role="search">
            <label class="search-box__field">
                <span class="visually-hidden">{strings.search_label}</span>
                <span class="search-box__icon" aria-hidden="true"></span>
                <input
                    node_ref=input
                    type="search"
                    class="search-box__input"
                    data-testid="contact-search"
                    placeholder=strings.search_placeholder
                    autocomplete="off"
                    spellcheck="false"
                    aria-keyshortcuts="/"
                    prop:value=move || text.get()
                    on:input=on_input
                    on:keydown=on_keydown
                />
            </label>
            <Show
                when=move || !text.with(String::is_empty)
                fallback=|| view! { <kbd class="search-box__hint" aria-hidden="true">"/"</kbd> }
            >
                <button
                    type="button"
                    class="search-box__clear"
                    data-testid="clear-search"
                    aria-label=strings.clear_search
                    title=strings.clear_search
                    on:click=move |_| {
                        clear();
                        if let Some(input) = input.get_untracked() {
                            let _ = input.focus();
                        }
                    }
                >
                    "×"
                </button>
            </Show>
        </div>
    }
}

/// Whether a key press belongs to something else: a text field, a select, an editable
/// element, or an open dialog (the search is behind it).
fn typing_elsewhere(event: &web_sys::KeyboardEvent) -> bool {
    let in_field = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element.is_content_editable()
        });
    let dialog_open = document()
        .query_selector("dialog[open], [aria-modal=true]")
        .ok()
        .flatten()
        .is_some();
    in_field || dialog_open
}
