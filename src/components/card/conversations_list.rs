use leptos::prelude::*;

use super::ConversationItem;
use crate::api::{conversations, ApiError};
use crate::components::common::{load_error_fallback, now_secs, LoadFailure};
use crate::i18n::t;
use crate::state::use_api;

/// Loads the card's conversations again: whatever adds to them (a new dialog, a merge)
/// bumps it. The card provides it; the list keeps showing the old ones meanwhile.
#[derive(Clone, Copy)]
pub struct ConversationsRefresh(RwSignal<u64>);

impl Default for ConversationsRefresh {
    fn default() -> Self {
        ConversationsRefresh(RwSignal::new(0))
    }
}

impl ConversationsRefresh {
    pub fn bump(&self) {
        self.0.try_update(|n| *n += 1);
    }
}

/// Every conversation of the contact, in every channel, newest activity first.
#[component]
pub fn ConversationsList(contact_id: i64) -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let api = use_api();
    let refresh = use_context::<ConversationsRefresh>();
    let retried = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        if let Some(ConversationsRefresh(version)) = refresh {
            version.track();
        }
        retried.track();
        let client = api.client();
        async move { conversations::of_contact(&client, contact_id).await }
    });
    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| retried.update(|n| *n += 1));
    let load_failed = load_error_fallback(
        LoadFailure::new(card.conversations_failed).test_id("conversations-load-error"),
        pending,
        retry,
    );
    let body = move || {
        Suspend::new(async move {
            Ok::<_, ApiError>(match list.await? {
                conversations if conversations.is_empty() => {
                    view! { <p class="muted" data-testid="conversations-empty">{card.no_conversations}</p> }.into_any()
                }
                conversations => {
                    let now = now_secs();
                    view! {
                        <ul class="conversations" data-testid="conversations">
                            {conversations
                                .into_iter()
                                .map(|conversation| view! { <ConversationItem conversation now /> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            })
        })
    };
    view! {
        <section class="card-section" aria-labelledby="card-conversations-heading">
            <h2 class="card-section__title" id="card-conversations-heading">{card.conversations_heading}</h2>
            <Transition
                fallback=move || view! { <p class="muted" role="status">{card.loading}</p> }
                set_pending
            >
                <ErrorBoundary fallback=load_failed>{body}</ErrorBoundary>
            </Transition>
        </section>
    }
}
