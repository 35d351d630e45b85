use leptos::prelude::*;
use novatalks_model::around::Inbox;
use novatalks_model::Contact;

use super::NewConversationForm;
use crate::api::conversations::ContactConversation;
use crate::api::inboxes;
use crate::components::card::ConversationsRefresh;
use crate::components::common::element_id;
use crate::i18n::t;
use crate::logic::write_first::{write_first, InboxFacts, WriteFirst, WriteFirstOption};
use crate::state::{use_api, use_card_store, use_toasts};

/// "New dialog" on the card: opens the dialog to write first to the contact, when an
/// inbox that can write first reaches it. Otherwise the button stays (focusable, marked
/// `aria-disabled`) and its tooltip, shown on hover and focus and read as its
/// description, says why and what would allow it. A dialog started refreshes the card's
/// conversations and says so in a toast.
#[component]
pub fn NewConversationButton() -> impl IntoView {
    let strings = t();
    let words = strings.new_conversation;
    let store = use_card_store();
    let api = use_api();
    let toasts = use_toasts();
    let refresh = use_context::<ConversationsRefresh>();
    let contact_id = store.id();
    let reason_id = element_id("new-dialog-reason");

    let address = Memo::new(move |_| {
        store
            .contact()
            .with(|c| (c.email.clone(), c.phone_number.clone()))
    });
    // The address the server has: an edit still on its way is not there yet.
    let stored_address = Memo::new(move |_| {
        store
            .confirmed()
            .with(|c| (c.email.clone(), c.phone_number.clone()))
    });
    // The account's inboxes are asked once. Only a server that does not tell which of
    // them write first (a stock Chatwoot) is asked which reach the contact, and again
    // whenever the address it has changes; otherwise the rule decides against the
    // contact the card shows.
    let listed = StoredValue::new(None::<(Vec<Inbox>, bool)>);
    let facts = LocalResource::new(move || {
        stored_address.track();
        let known = listed.get_value();
        let client = api.client();
        let request = async move {
            let (inboxes, says_write_first) = match known {
                Some(known) => known,
                None => inboxes::list_telling_write_first(&client).await?,
            };
            let contactable = if says_write_first {
                None
            } else {
                Some(inboxes::contactable(&client, contact_id).await?)
            };
            Ok(InboxFacts {
                inboxes,
                says_write_first,
                contactable,
            })
        };
        async move {
            let facts = request.await;
            if let Ok(facts) = &facts {
                listed.try_set_value(Some((facts.inboxes.clone(), facts.says_write_first)));
            }
            facts
        }
    });
    // `None` until the API has answered.
    let decision = Memo::new(move |_| -> Option<Result<WriteFirst, String>> {
        Some(match facts.get()? {
            Ok(facts) => {
                let (email, phone) = address.get();
                Ok(write_first(&facts, email.as_deref(), phone.as_deref()))
            }
            Err(why) => Err((words.check_failed)(&strings.describe_error(&why))),
        })
    });
    let ready = move || matches!(decision.get(), Some(Ok(WriteFirst::Ready(_))));
    let reason = move || match decision.get() {
        None => Some(words.checking.to_owned()),
        Some(Err(message)) => Some(message),
        Some(Ok(WriteFirst::Unavailable(why))) => Some(words.why_not(why).to_owned()),
        Some(Ok(WriteFirst::Ready(_))) => None,
    };

    // The dialog, with the contact and its inboxes as they were when it was opened.
    let opened = RwSignal::new(None::<(Contact, Vec<WriteFirstOption>)>);
    let on_click = move |_| {
        if let Some(Ok(WriteFirst::Ready(options))) = decision.get_untracked() {
            opened.set(Some((store.contact().get_untracked(), options)));
        }
    };
    let on_cancel = Callback::new(move |()| opened.set(None));
    let on_started = Callback::new(move |(_, inbox): (ContactConversation, Inbox)| {
        let name = store.contact().with_untracked(Contact::display_name);
        opened.set(None);
        if let Some(refresh) = refresh {
            refresh.bump();
        }
        if let Some(toasts) = toasts {
            toasts.show((words.started)(&name, &inbox.name), None);
        }
    });
    let dialog = move || {
        opened.get().map(|(contact, options)| {
            view! { <NewConversationForm contact options on_started on_cancel /> }
        })
    };

    // Escape puts the tooltip away until the pointer or the focus comes back.
    let dismissed = RwSignal::new(false);
    let tooltip_class = move || {
        if dismissed.get() {
            "new-dialog-tooltip new-dialog-tooltip--dismissed"
        } else {
            "new-dialog-tooltip"
        }
    };
    let tooltip_id = reason_id.clone();
    view! {
        <span
            class="new-dialog-control"
            on:mouseenter=move |_| dismissed.set(false)
            on:focusin=move |_| dismissed.set(false)
        >
            <button
                type="button"
                class="button button--small"
                data-testid="new-dialog-button"
                aria-disabled=move || (!ready()).then_some("true")
                aria-describedby=move || (!ready()).then(|| reason_id.clone())
                on:click=on_click
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        dismissed.set(true);
                    }
                }
            >
                {words.button}
            </button>
            {move || reason().map(|text| view! {
                <span class=tooltip_class role="tooltip" id=tooltip_id.clone() data-testid="new-dialog-reason">
                    {text}
                </span>
            })}
            {dialog}
        </span>
    }
}
