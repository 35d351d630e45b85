use leptos::prelude::*;

use crate::components::common::{element_id, Modal};
use crate::i18n::t;

/// How many names the confirmation quotes.
const NAMES_SHOWN: usize = 3;

/// Confirms deleting the selected contacts, naming how many and the first of them.
#[component]
pub fn BulkDeleteDialog(
    count: u64,
    /// The names of the first contacts selected.
    names: Vec<String>,
    /// Whether the server can undo it.
    undoable: bool,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let strings = t();
    let title_id = element_id("bulk-delete-title");
    let intro_id = element_id("bulk-delete-intro");
    let shown: Vec<String> = names.into_iter().take(NAMES_SHOWN).collect();
    let others = count.saturating_sub(shown.len() as u64);
    let quoted = (strings.bulk.delete_names)(&shown, others);
    let intro = if undoable {
        strings.bulk.delete_intro
    } else {
        strings.bulk.delete_intro_final
    };
    view! {
        <Modal labelled_by=title_id.clone() described_by=intro_id.clone() on_close=on_cancel test_id="bulk-delete-dialog">
            <div class="dialog-form">
                <h2 class="modal__title" id=title_id.clone()>{(strings.bulk.delete_title)(count)}</h2>
                <p class="bulk-names" data-testid="bulk-delete-names">{quoted.clone()}</p>
                <p class="modal__intro" id=intro_id.clone()>{intro}</p>
                <div class="modal__actions">
                    <button type="button" class="button" data-testid="bulk-cancel" data-autofocus on:click=move |_| on_cancel.run(())>
                        {strings.cancel}
                    </button>
                    <button
                        type="button"
                        class="button button--danger"
                        data-testid="bulk-delete-confirm"
                        on:click=move |_| on_confirm.run(())
                    >
                        {(strings.bulk.delete_confirm)(count)}
                    </button>
                </div>
            </div>
        </Modal>
    }
}
