use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use novatalks_model::Contact;

use super::BlockRequest;
use crate::components::common::{element_id, Modal};
use crate::i18n::t;

/// Blocks one contact on a stock Chatwoot server, which knows `blocked` only: no end and
/// no reason to choose, and the dialog says so. A refusal of the server shows inside.
///
/// [`super::BlockDialog`] shows this one when the server has no NovaTalks extensions.
#[component]
pub fn StockBlockDialog(
    contact: Contact,
    /// The contact as the server returned it once blocked.
    on_done: Callback<Contact>,
    /// Cancel or Escape.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let strings = t();
    let id = contact.id;
    let title = (strings.block_dialog_title)(&contact.display_name());
    let title_id = element_id("block-dialog-title");
    let intro_id = element_id("block-dialog-intro");

    let request = BlockRequest::new(id, on_done);
    let pending = request.pending();
    let server_error = move || request.error();
    let confirm = move |event: SubmitEvent| {
        event.prevent_default();
        request.send((None, None));
    };

    view! {
        <Modal labelled_by=title_id.clone() described_by=intro_id.clone() on_close=on_cancel test_id="block-dialog">
            <form class="dialog-form" novalidate on:submit=confirm>
                <h2 class="modal__title" id=title_id.clone()>{title.clone()}</h2>
                <p class="modal__intro" id=intro_id.clone() data-testid="block-forever-only">
                    {strings.stock.block_forever_only}
                </p>
                <p class="block-preview" data-testid="block-preview">{strings.blocked_forever}</p>
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
                        disabled=move || pending.get()
                    >
                        {move || if pending.get() { strings.blocking } else { strings.stock.block_forever }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
