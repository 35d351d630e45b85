use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::components::block::{BlockFields, BlockForm};
use crate::components::common::{element_id, Modal};
use crate::i18n::t;

/// Blocks the selected contacts: the single block dialog's durations, exact end and
/// reason ([`BlockFields`]), for a count of contacts.
#[component]
pub fn BulkBlockDialog(
    count: u64,
    /// Until when (`None`: for good) and why, once confirmed.
    on_confirm: Callback<(Option<i64>, Option<String>)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let strings = t();
    let title_id = element_id("bulk-block-title");
    let intro_id = element_id("bulk-block-intro");
    let form = BlockForm::new();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if let Some(ask) = form.take() {
            on_confirm.run(ask);
        }
    };
    view! {
        <Modal labelled_by=title_id.clone() described_by=intro_id.clone() on_close=on_cancel test_id="bulk-block-dialog">
            <form class="dialog-form" novalidate on:submit=submit>
                <h2 class="modal__title" id=title_id.clone()>{(strings.bulk.block_title)(count)}</h2>
                <p class="modal__intro" id=intro_id.clone()>{strings.bulk.block_intro}</p>
                <BlockFields form />
                <div class="modal__actions">
                    <button type="button" class="button" data-testid="bulk-cancel" on:click=move |_| on_cancel.run(())>
                        {strings.cancel}
                    </button>
                    <button
                        type="submit"
                        class="button button--danger"
                        data-testid="bulk-block-confirm"
                        disabled=move || !form.valid()
                    >
                        {strings.block_confirm}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
