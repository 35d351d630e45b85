use leptos::prelude::*;

use super::LabelMode;
use crate::i18n::t;
use crate::state::ListSelection;

/// Which of the bulk bar's dialogs is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkOpen {
    Labels(LabelMode),
    Block,
    Delete,
}

/// The bulk bar while contacts are selected: how many, "clear", and the actions (a dialog
/// each, but unblock). Shown through a split point: a page where nothing is ever selected
/// never downloads it.
#[component]
pub fn BulkActions(
    list: ListSelection,
    /// How many contacts are selected.
    #[prop(into)]
    count: Signal<u64>,
    /// Whether the server has the NovaTalks extensions (block and unblock are ours).
    #[prop(into)]
    extended: Signal<bool>,
    /// Whether an action is under way: the buttons say they are unavailable.
    #[prop(into)]
    busy: Signal<bool>,
    on_open: Callback<BulkOpen>,
    on_unblock: Callback<()>,
) -> impl IntoView {
    let strings = t().bulk;
    let disabled = move || busy.get().then_some("true");
    let action_button = move |label: &'static str, test_id: &'static str, which: BulkOpen| {
        view! {
            <button
                type="button"
                class="button button--small"
                data-testid=test_id
                aria-disabled=disabled
                on:click=move |_| {
                    if !busy.get_untracked() {
                        on_open.run(which);
                    }
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <span class="bulk-bar__count" role="status" data-testid="bulk-count">
            {move || (strings.selected)(count.get())}
        </span>
        <button
            type="button"
            class="link-button"
            data-testid="bulk-clear"
            on:click=move |_| {
                list.selection.update(|s| {
                    s.clear();
                });
            }
        >
            {strings.clear_selection}
        </button>
        <div class="bulk-bar__actions">
            {action_button(strings.add_labels, "bulk-add-labels", BulkOpen::Labels(LabelMode::Add))}
            {action_button(strings.remove_labels, "bulk-remove-labels", BulkOpen::Labels(LabelMode::Remove))}
            <Show when=move || extended.get()>
                {action_button(strings.block, "bulk-block", BulkOpen::Block)}
                <button
                    type="button"
                    class="button button--small"
                    data-testid="bulk-unblock"
                    aria-disabled=disabled
                    on:click=move |_| on_unblock.run(())
                >
                    {strings.unblock}
                </button>
            </Show>
            {action_button(strings.delete, "bulk-delete", BulkOpen::Delete)}
        </div>
    }
}
