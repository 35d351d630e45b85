use leptos::prelude::*;

use super::ConversationItem;
use crate::api::conversations;
use crate::components::common::now_secs;
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
    let list = LocalResource::new(move || {
        if let Some(ConversationsRefresh(version)) = refresh {
            version.track();
        }
        let client = api.client();
        async move { conversations::of_contact(&client, contact_id).await }
    });
    let body = move || {
        Suspend::new(async move {
            match list.await {
                Ok(conversations) if conversations.is_empty() => {
                    view! { <p class="muted" data-testid="conversations-empty">{card.no_conversations}</p> }.into_any()
                }
                Ok(conversations) => {
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
                Err(why) => view! {
                    <p class="form-error" role="alert">{(card.conversations_failed)(&strings.describe_error(&why))}</p>
                }
                .into_any(),
            }
        })
    };
    view! {
        <section class="card-section" aria-labelledby="card-conversations-heading">
            <h2 class="card-section__title" id="card-conversations-heading">{card.conversations_heading}</h2>
            <Transition fallback=move || view! { <p class="muted" role="status">{card.loading}</p> }>
                {body}
            </Transition>
        </section>
    }
}
