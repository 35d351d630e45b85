use leptos::prelude::*;

use crate::i18n::t;
use crate::state::{use_server_capabilities, ListSelection};

/// Under the bulk bar: "Select all N matching" while fewer are ticked than the list
/// holds; once chosen, "All N matching are selected" and a way back. Not offered by a
/// stock Chatwoot, which acts on ids only.
#[component]
pub fn SelectAllBanner(list: ListSelection) -> impl IntoView {
    let strings = t().bulk;
    let capabilities = use_server_capabilities();
    let offer = Memo::new(move |_| {
        let total = list.total.get();
        capabilities.has_extensions() && list.selection.with(|s| s.offers_all_matching(total))
    });
    let all = Memo::new(move |_| list.selection.with(|s| s.is_all_matching()));
    let select_all = move |_| {
        let (total, loaded) = (list.total.get_untracked(), list.loaded.get_untracked());
        list.selection
            .update(|s| s.select_all_matching(total, &loaded));
    };
    let clear = move |_| {
        list.selection.update(|s| {
            s.clear();
        });
    };
    view! {
        <Show when=move || offer.get() || all.get()>
            <p class="select-all" role="status" data-testid="select-all-banner">
                {move || {
                    if all.get() {
                        view! {
                            <span data-testid="all-matching-selected">
                                {(strings.all_matching_selected)(list.selection.with(|s| s.count()))}
                            </span>
                            <button type="button" class="link-button" data-testid="clear-selection" on:click=clear>
                                {strings.clear_selection}
                            </button>
                        }
                        .into_any()
                    } else {
                        view! {
                            <button type="button" class="link-button" data-testid="select-all-matching" on:click=select_all>
                                {(strings.select_all_matching)(list.total.get())}
                            </button>
                        }
                        .into_any()
                    }
                }}
            </p>
        </Show>
    }
}
