use leptos::prelude::*;
use novatalks_model::Contact;

use crate::api::contacts;
use crate::components::block::BlockDialog;
use crate::components::common::now_secs;
use crate::components::common::StatusBadge;
use crate::i18n::t;
use crate::logic::block_state::BlockState;
use crate::state::{use_api, use_card_store};

/// Whether the contact is blocked (until when, why), and the button that blocks it
/// through the block dialog or unblocks it. The card takes in the contact the server
/// returns.
#[component]
pub fn BlockControl() -> impl IntoView {
    let strings = t();
    let store = use_card_store();
    let api = use_api();
    let clock = RwSignal::new(now_secs());
    let state = Memo::new(move |_| store.contact().with(|c| BlockState::of(c, clock.get())));
    let blocked = Memo::new(move |_| matches!(state.get(), BlockState::Blocked { .. }));
    let dialog_open = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let unblock = Action::new_local(move |_: &()| {
        let id = store.id();
        let client = api.client();
        let request = async move { contacts::unblock(&client, id).await };
        async move {
            match request.await {
                Ok(contact) => {
                    clock.try_set(now_secs());
                    store.replace(contact);
                }
                Err(why) => {
                    let name = store.contact().with_untracked(Contact::display_name);
                    error.try_set(Some((strings.unblock_failed)(
                        &name,
                        &strings.describe_error(&why),
                    )));
                }
            }
        }
    });
    let busy = unblock.pending();
    let on_click = move |_| {
        error.set(None);
        if busy.get_untracked() {
            return;
        }
        if blocked.get_untracked() {
            unblock.dispatch_local(());
        } else {
            dialog_open.set(true);
        }
    };
    let on_done = Callback::new(move |contact: Contact| {
        clock.set(now_secs());
        store.replace(contact);
        dialog_open.set(false);
    });
    let on_cancel = Callback::new(move |()| dialog_open.set(false));
    let badge = move || {
        let reason = store.contact().with(|c| c.block_reason.clone());
        view! { <StatusBadge state=state.get() reason now=clock.get() /> }
    };

    view! {
        <div class="card-block" data-testid="card-block">
            <span class="card-block__state">{badge}</span>
            <button
                type="button"
                class="button button--small"
                data-testid=move || if blocked.get() { "unblock-button" } else { "block-button" }
                aria-disabled=move || busy.get().then_some("true")
                on:click=on_click
            >
                {move || if blocked.get() { strings.unblock_button } else { strings.block_button }}
            </button>
            {move || error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <Show when=move || dialog_open.get()>
                <BlockDialog contact=store.contact().get_untracked() on_done on_cancel />
            </Show>
        </div>
    }
}
