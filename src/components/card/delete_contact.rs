use leptos::prelude::*;
use novatalks_model::Contact;

use crate::api::contact;
use crate::components::common::element_id;
use crate::components::common::Modal;
use crate::i18n::t;
use crate::state::{use_api, use_card_store};

/// "Delete contact", confirmed in a dialog that says what goes with it. `on_deleted` runs
/// once the server has deleted it.
#[component]
pub fn DeleteContact(on_deleted: Callback<()>) -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let store = use_card_store();
    let api = use_api();
    let open = RwSignal::new(false);
    let title_id = element_id("delete-title");
    let intro_id = element_id("delete-intro");

    let delete = Action::new_local(move |_: &()| {
        let id = store.id();
        let client = api.client();
        let request = async move { contact::delete(&client, id).await };
        async move {
            let result = request.await;
            if result.is_ok() {
                on_deleted.try_run(());
            }
            result
        }
    });
    let pending = delete.pending();
    let error = move || {
        delete
            .value()
            .get()
            .and_then(Result::err)
            .map(|why| (card.delete_failed)(&strings.describe_error(&why)))
    };
    let close = Callback::new(move |()| {
        if !pending.get_untracked() {
            open.set(false);
        }
    });

    let dialog = move || {
        let (labelled_by, described_by) = (title_id.clone(), intro_id.clone());
        let (title_id, intro_id) = (title_id.clone(), intro_id.clone());
        view! {
                <Modal labelled_by=labelled_by described_by=described_by on_close=close test_id="delete-dialog">
                    <h2 class="modal__title" id=title_id.clone()>
                        {move || (card.delete_title)(&store.contact().with(Contact::display_name))}
                    </h2>
                    <p class="modal__intro" id=intro_id.clone()>{card.delete_intro}</p>
                    {move || error().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                    <div class="modal__actions">
                        <button type="button" class="button" data-autofocus on:click=move |_| close.run(())>
                            {strings.cancel}
                        </button>
                        <button
                            type="button"
                            class="button button--danger"
                            data-testid="delete-confirm"
                            disabled=move || pending.get()
                            on:click=move |_| {
                                delete.dispatch_local(());
                            }
                        >
                            {move || if pending.get() { card.deleting } else { card.delete_confirm }}
                        </button>
                    </div>
                </Modal>
        }
    };

    view! {
        <button
            type="button"
            class="button button--small button--danger-quiet"
            data-testid="delete-contact"
            on:click=move |_| open.set(true)
        >
            {card.delete_contact}
        </button>
        <Show when=move || open.get()>{dialog.clone()}</Show>
    }
}
