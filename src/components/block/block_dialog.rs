use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use novatalks_model::Contact;

use super::{BlockFields, BlockForm, BlockRequest, StockBlockDialog};
use crate::components::common::{element_id, Modal};
use crate::i18n::t;
use crate::state::use_server_capabilities;

/// Blocks one contact: for how long (a preset, for ever, or a chosen date and time) and
/// why. Before the agent confirms it says exactly when the block ends, in the agent's time
/// zone. A refusal of the server shows inside, with every choice kept.
///
/// Not tied to the table: whoever opens it (a row, the contact card) hears the blocked
/// contact through `on_done` and closes it.
///
/// A stock Chatwoot server keeps neither an end nor a reason: there the dialog is a
/// [`StockBlockDialog`], which blocks until unblocked and says why there is no choice.
#[component]
pub fn BlockDialog(
    contact: Contact,
    /// The contact as the server returned it once blocked.
    on_done: Callback<Contact>,
    /// Cancel or Escape.
    on_cancel: Callback<()>,
) -> impl IntoView {
    if !use_server_capabilities().has_extensions_untracked() {
        return view! { <StockBlockDialog contact on_done on_cancel /> }.into_any();
    }
    let strings = t();
    let id = contact.id;
    let title = (strings.block_dialog_title)(&contact.display_name());
    let title_id = element_id("block-dialog-title");
    let intro_id = element_id("block-dialog-intro");

    let form = BlockForm::new();
    let request = BlockRequest::new(id, on_done);
    let pending = request.pending();
    let server_error = move || request.error();

    let confirm = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if let Some(ask) = form.take() {
            request.send(ask);
        }
    };

    view! {
        <Modal labelled_by=title_id.clone() described_by=intro_id.clone() on_close=on_cancel test_id="block-dialog">
            <form class="dialog-form" novalidate on:submit=confirm>
                <h2 class="modal__title" id=title_id.clone()>{title.clone()}</h2>
                <p class="modal__intro" id=intro_id.clone()>{strings.block_dialog_intro}</p>
                <BlockFields form />
                {move || server_error().map(|message| view! {
                    <p class="form-error" role="alert" data-testid="block-error">{message}</p>
                })}
                <div class="modal__actions">
                    <button type="button" class="button" data-testid="block-cancel" on:click=move |_| on_cancel.run(())>
                        {strings.cancel}
                    </button>
                    <button
                        type="submit"
                        class="button button--danger"
                        data-testid="block-confirm"
                        disabled=move || !form.valid() || pending.get()
                    >
                        {move || if pending.get() { strings.blocking } else { strings.block_confirm }}
                    </button>
                </div>
            </form>
        </Modal>
    }
    .into_any()
}
